//! How long each stage of a run took and how much memory it held: `build
//! --timings` prints it, the benchmarks read it. Its own module so that the
//! stages lap it without going through the crate root (ARCHITECTURE.md).

use std::fs;

/// How long each pipeline stage took, and the peak memory after it.
#[derive(Debug, Clone)]
pub struct Timings {
    pub stages: Vec<(&'static str, std::time::Duration)>,
    /// Peak resident memory in bytes after each stage, where the platform
    /// tells it (Linux).
    pub peak_memory: Vec<Option<u64>>,
    last: std::time::Instant,
}

/// This process's peak resident memory so far, on Linux.
pub fn peak_memory() -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

impl Default for Timings {
    fn default() -> Self {
        Self {
            stages: Vec::new(),
            peak_memory: Vec::new(),
            last: std::time::Instant::now(),
        }
    }
}

impl Timings {
    /// Ends the current stage, naming it.
    pub fn lap(&mut self, stage: &'static str) {
        let now = std::time::Instant::now();
        self.stages.push((stage, now - self.last));
        self.peak_memory.push(peak_memory());
        self.last = now;
    }
}
