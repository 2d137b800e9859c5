//! Briefs dated in the future: a `2027` typo would take over the top page
//! and every feed, since briefs are ordered by date.
//!
//! A brief is a `future-date` warning (an error under `--strict`), on its
//! `date:` value, when it is dated after `--today` (if given: builds never
//! read the clock), or more than `future_margin_days` (site.yaml, default 30)
//! after the newest of the other briefs.

use std::sync::Arc;

use jiff::civil::Date;

use crate::content::config::Config;
use crate::content::types::brief::Brief;
use crate::content::types::brief::Status;
use crate::diagnostic::{Diagnostic, Diagnostics, Severity};

/// Warns about every brief dated too far ahead.
pub fn check(briefs: &[Arc<Brief>], config: &Config, out: &mut Diagnostics) {
    // The two newest dates: the newest other brief of the newest is the second.
    let mut newest: [Option<(Date, usize)>; 2] = [None, None];
    for (i, b) in briefs.iter().enumerate() {
        let entry = Some((b.date.date, i));
        if entry > newest[0] {
            newest = [entry, newest[0]];
        } else if entry > newest[1] {
            newest[1] = entry;
        }
    }
    for (i, b) in briefs.iter().enumerate() {
        let other = match newest {
            [Some((_, first)), second] if first == i => second,
            [first, _] => first,
        };
        if let Some(message) = too_late(b.date.date, other.map(|(d, _)| d), config) {
            out.push(warning(b, message));
        }
    }
}

/// Why `date` is too far ahead, if it is.
fn too_late(date: Date, newest_other: Option<Date>, config: &Config) -> Option<String> {
    if let Some(today) = config.today.filter(|&today| date > today) {
        return Some(format!("the date {date} is after today, {today}"));
    }
    let margin = jiff::Span::new().days(i64::from(config.future_margin_days));
    let newest = newest_other?;
    let limit = newest.checked_add(margin).ok()?;
    (date > limit).then(|| {
        format!(
            "the date {date} is more than {} days after the newest other brief ({newest})",
            config.future_margin_days
        )
    })
}

fn warning(brief: &Brief, message: String) -> Diagnostic {
    // A draft is on no index or feed yet: say what its date will do once it
    // is published, not what it does now.
    let effect = match brief.status {
        Status::Published => "a future date puts this brief first on the index",
        Status::Draft | Status::Review => {
            "published with this date, the brief would come first on the index"
        }
    };
    Diagnostic {
        severity: Severity::Warning,
        path: brief.path.clone(),
        position: brief.date_at.clone().map(Box::new),
        message,
        hint: Some(format!(
            "{effect}, the top page and every feed; check the year \
             (`future_margin_days` in site.yaml sets the margin)"
        )),
        code: "future-date",
    }
}
