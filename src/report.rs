//! What a successful `build` or `check` tells its caller: the counts the
//! summary line prints, the warnings, and the timings.

use crate::diagnostic::Diagnostics;
use crate::site::LeftOut;
use crate::timings::Timings;

/// What a successful run did.
#[derive(Debug)]
pub struct Report {
    /// Briefs built (published ones, plus drafts with `--drafts`).
    pub briefs: usize,
    /// HTML pages rendered.
    pub pages: usize,
    /// Every file of the output, pages included.
    pub files: usize,
    /// Warnings; a successful run has no errors.
    pub diagnostics: Diagnostics,
    /// Time spent in each stage, in order.
    pub timings: Timings,
    /// Unpublished briefs validated but not rendered (no `--drafts`).
    pub left_out: LeftOut,
}
