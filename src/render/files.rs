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

    /// Puts the file `path` that `write` writes, in pieces as they are
    /// made, so a large data file (`briefs.json` is ~3 KB a brief) need not
    /// be held whole. By default the pieces are gathered and [`Sink::put`].
    fn put_written(&self, path: &str, write: Write<'_>) -> std::io::Result<()> {
        let mut bytes = Vec::new();
        write(&mut bytes)?;
        self.put(Output {
            path: path.to_string(),
            content: Content::Bytes(bytes),
            source: None,
        })
    }
}

/// What writes a file for [`Sink::put_written`].
pub type Write<'a> = &'a mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>;
