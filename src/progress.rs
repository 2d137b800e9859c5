//! A progress line for builds that take a while, as Zola and Hugo show one.
//!
//! The build counts what it renders into a [`Progress`] (two atomics, so the
//! render threads never wait on it); a [`Meter`] thread prints
//! `rendering… N/M pages` over itself with `\r` once the build has run for a
//! second, and wipes the line before the summary is printed. The binary
//! starts a meter only when stderr is a terminal, so logs and pipes never
//! see it.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How far a build is: pages rendered of pages to render.
#[derive(Debug, Default)]
pub struct Progress {
    /// HTML pages rendered so far.
    pub done: AtomicUsize,
    /// HTML pages this build renders; 0 until the site is read and checked.
    pub total: AtomicUsize,
}

impl Progress {
    /// The line to show now.
    pub fn line(&self) -> String {
        let total = self.total.load(Ordering::Relaxed);
        if total == 0 {
            return "reading the site…".to_string();
        }
        let done = self.done.load(Ordering::Relaxed).min(total);
        let pages = if total == 1 { "page" } else { "pages" };
        format!("rendering… {done}/{total} {pages}")
    }
}

/// A thread printing a [`Progress`] until [`Meter::finish`].
pub struct Meter {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

/// How often the line is redrawn.
const TICK: Duration = Duration::from_millis(100);

impl Meter {
    /// Starts printing `progress` to `out` once `after` has passed.
    pub fn start(
        progress: Arc<Progress>,
        after: Duration,
        out: impl Write + Send + 'static,
    ) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::spawn(move || run(&progress, after, &stopped, out));
        Meter { stop, thread }
    }

    /// Stops the meter and wipes its line, if it printed one.
    pub fn finish(self) {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.thread().unpark();
        let _ = self.thread.join();
    }
}

fn run(progress: &Progress, after: Duration, stop: &AtomicBool, mut out: impl Write) {
    let start = Instant::now();
    while start.elapsed() < after {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        std::thread::park_timeout(TICK.min(after - start.elapsed()));
    }
    let mut width: usize = 0;
    while !stop.load(Ordering::Relaxed) {
        let line = progress.line();
        let pad = width.saturating_sub(line.chars().count());
        let _ = write!(out, "\r{line}{}", " ".repeat(pad));
        let _ = out.flush();
        width = width.max(line.chars().count());
        std::thread::park_timeout(TICK);
    }
    if width > 0 {
        let _ = write!(out, "\r{}\r", " ".repeat(width));
        let _ = out.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().write(buf)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_meter_counts_pages_and_wipes_its_line() {
        let progress = Arc::new(Progress::default());
        progress.total.store(10, Ordering::Relaxed);
        progress.done.store(3, Ordering::Relaxed);
        let out = Shared::default();
        let meter = Meter::start(progress, Duration::ZERO, out.clone());
        std::thread::sleep(Duration::from_millis(50));
        meter.finish();
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        let line = "rendering… 3/10 pages";
        assert!(text.starts_with(&format!("\r{line}")), "{text:?}");
        let wipe = format!("\r{}\r", " ".repeat(line.chars().count()));
        assert!(text.ends_with(&wipe), "{text:?}");
    }

    #[test]
    fn a_build_shorter_than_the_delay_prints_nothing() {
        let out = Shared::default();
        let meter = Meter::start(Arc::default(), Duration::from_secs(60), out.clone());
        meter.finish();
        assert!(out.0.lock().unwrap().is_empty());
    }
}
