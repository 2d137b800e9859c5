//! The files a render produces and where they go: the interface between
//! rendering and the output folder.

/// A file of the finished site.
#[derive(Debug, Clone)]
pub struct Output {
    /// Path under the output folder, with `/`, e.g. `briefs/x/index.html`.
    pub path: String,
    pub content: Content,
    /// The content file the output was made from, for brief and page pages.
    pub source: Option<std::path::PathBuf>,
}

/// Where an output file's bytes come from.
#[derive(Debug, Clone)]
pub enum Content {
    Bytes(Vec<u8>),
    Embedded(&'static [u8]),
    /// A file to copy as it is.
    Copy(std::path::PathBuf),
}

/// Where rendered files go as they are made: written to disk, hashed, or
/// kept, so a build never needs every page in memory at once.
pub trait Sink: Sync {
    fn put(&self, output: Output) -> std::io::Result<()>;
}
