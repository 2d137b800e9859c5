//! Why a run fails: the one error type every stage returns, and the two
//! helpers that build its messages. It sits below the stages so that they
//! name it without going through the crate root (ARCHITECTURE.md).

use std::io;
use std::path::PathBuf;

use crate::diagnostic::Diagnostics;

/// Why a run failed. [`Error::exit_code`] maps each to the CLI's exit code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{} found in the site", count(.0.error_count(), "error"))]
    Content(Diagnostics),
    #[error("{} in templates", count(.0.len(), "error"))]
    Templates(Vec<String>),
    #[error("no site.yaml in {0}")]
    NoSite(PathBuf),
    #[error("--base-url: {0}")]
    BaseUrl(String),
    #[error("port {} on {} is in use; pick another with --port", .0.port(), .0.ip())]
    PortInUse(std::net::SocketAddr),
    #[error(transparent)]
    UnsafeOutput(#[from] UnsafeOutput),
    /// A rebuild in `serve` panicked: a bug, reported instead of stopping
    /// the watcher.
    #[error(
        "the rebuild stopped on a bug: {0}\n  \
         help: this is a bug in briefs; please report it, with this message. \
         The next save builds everything again"
    )]
    Panic(String),
    #[error("{context}")]
    Io {
        context: String,
        #[source]
        source: io::Error,
    },
}

impl Error {
    /// 1 for problems in the site's content or templates, 2 for usage and I/O.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Content(_) | Error::Templates(_) => 1,
            _ => 2,
        }
    }
}

/// `1 brief`, `2 briefs`: a count and a noun that takes an `s`.
pub fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// Turns an I/O error into an [`Error::Io`] that says what was being done.
pub(crate) fn io_error(context: impl Into<String>) -> impl FnOnce(io::Error) -> Error {
    let context = context.into();
    move |source| Error::Io { context, source }
}

/// Why an output folder is refused.
#[derive(Debug, thiserror::Error)]
pub enum UnsafeOutput {
    #[error("the output folder {0} is the site root; building there would delete the site")]
    IsRoot(PathBuf),
    #[error("the output folder {0} contains the site root; building there would delete the site")]
    HoldsRoot(PathBuf),
    #[error("the output folder {0} is inside the site's `{1}/` folder")]
    InsideSource(PathBuf, &'static str),
    #[error("the output path {0} exists and is not a folder")]
    NotAFolder(PathBuf),
    #[error(
        "the output folder {0} was not written by `briefs build`, which replaces its output \
         whole; nothing was touched. It holds:\n{1}  \
         help: build into a new or empty folder, or move these out and build again; \
         --force deletes them"
    )]
    Foreign(PathBuf, String),
    #[error(
        "the output folder {0} holds files that no build wrote, which the next build would \
         delete; nothing was touched:\n{1}  \
         help: move them as said and build again; --force deletes them"
    )]
    Unrecorded(PathBuf, String),
}
