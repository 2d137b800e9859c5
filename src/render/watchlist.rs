//! The watchlist: every watch item of published briefs, on a page
//! (`watch/`) and, for the dated ones, as a calendar (`watch.ics`).
//!
//! Dated items come first, soonest first; undated ones follow in newest-brief
//! order; the list is paginated by `per_page` like the index. The output
//! cannot depend on the clock (builds are byte-identical), so past dates stay
//! listed: they read as overdue.

use std::fmt::Write;

use crate::content::types::brief::Brief;
use crate::render::format::DateForms;
use crate::render::shares::Pieces;
use crate::render::view::{LinkView, WatchEntry, WatchPageView};
use crate::site::Site;
use crate::site::pagination::Pagination;

/// Path of the watchlist's page `n` (1-based): `watch/`, `watch/page/2/`, …
pub fn page_path(n: usize) -> String {
    format!("watch/{}", Site::index_path(n))
}

/// Every watch item of the published briefs, in page order.
pub struct Watchlist {
    /// The dated items, soonest first, then the undated ones.
    pub entries: Vec<WatchEntry>,
    /// How many of `entries` are dated (they come first).
    pub dated: usize,
    /// The brief (index into `site.briefs`) of each entry.
    pub briefs: Vec<usize>,
}

/// Number of watch items on the watchlist, without building it.
pub fn count(site: &Site) -> usize {
    site.briefs
        .iter()
        .filter(|b| b.is_published())
        .map(|b| b.watch.len())
        .sum()
}

/// The whole watchlist, made once for all its pages.
pub fn watchlist(site: &Site) -> Watchlist {
    let mut dated = Vec::new();
    let mut undated = Vec::new();
    for (i, brief) in site.briefs.iter().enumerate() {
        for (by, entry) in brief_entries(site, brief) {
            match by {
                Some(_) => dated.push((by, i, entry)),
                None => undated.push((by, i, entry)),
            }
        }
    }
    // Stable sort: items due the same day keep newest-brief order.
    dated.sort_by_key(|(by, _, _)| *by);
    let dated_count = dated.len();
    let (briefs, entries) = dated
        .into_iter()
        .chain(undated)
        .map(|(_, i, e)| (i, e))
        .unzip();
    Watchlist {
        entries,
        dated: dated_count,
        briefs,
    }
}

/// What the watchlist takes from `brief`: its entries, each with its date
/// (none unless the brief is published).
pub(crate) fn brief_entries(
    site: &Site,
    brief: &Brief,
) -> Vec<(Option<crate::content::types::date::BriefDate>, WatchEntry)> {
    if !brief.is_published() {
        return Vec::new();
    }
    let score = crate::render::summaries::score_badge(site, brief.score);
    (brief.watch.iter())
        .map(|w| {
            let entry = WatchEntry {
                item: w.item.clone(),
                by: w.by.map(|d| d.view()),
                brief: LinkView {
                    title: brief.title.clone(),
                    url: site.url(&Site::brief_path(&brief.slug)),
                },
                score: score.clone(),
            };
            (w.by, entry)
        })
        .collect()
}

/// Page `n` (1-based) of the watchlist, paginated by `listing`.
pub fn page_view(list: &Watchlist, listing: Pagination, n: usize) -> WatchPageView {
    let range = listing.range(n);
    let split = list.dated.saturating_sub(range.start).min(range.len());
    let shown = &list.entries[range];
    WatchPageView {
        dated: shown[..split].to_vec(),
        undated: shown[split..].to_vec(),
        total_dated: list.dated,
        total_undated: list.entries.len() - list.dated,
    }
}

/// `watch.ics`: one all-day event per dated watch item (RFC 5545), from
/// each published brief's [`events`], in brief order.
pub(crate) fn calendar(
    site: &Site,
    events: &Pieces<'_>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut ics = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        &format!("PRODID:-//briefs//briefs {}//EN", env!("CARGO_PKG_VERSION")),
        "CALSCALE:GREGORIAN",
        &format!(
            "X-WR-CALNAME:{}",
            text(&format!("{}: watchlist", site.config.title))
        ),
    ] {
        push_line(&mut ics, line);
    }
    out.write_all(ics.as_bytes())?;
    events.write_to(out, b"")?;
    let mut end = String::new();
    push_line(&mut end, "END:VCALENDAR");
    out.write_all(end.as_bytes())
}

/// The calendar events of one published brief's dated watch items.
pub fn events(site: &Site, brief: &Brief) -> String {
    let host = site.config.base_url.host_str().unwrap_or("briefs");
    let mut ics = String::new();
    // The brief's own date stands in for the creation stamp: no clock.
    let stamp = brief
        .updated
        .unwrap_or(brief.date)
        .instant
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    let url = site.absolute_url(&Site::brief_path(&brief.slug));
    for (k, w) in brief.watch.iter().enumerate() {
        let Some(by) = w.by else { continue };
        let next = by.date.tomorrow().unwrap_or(by.date);
        for line in [
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}-{}@{}", brief.slug, k + 1, host),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART;VALUE=DATE:{}", by.date.strftime("%Y%m%d")),
            format!("DTEND;VALUE=DATE:{}", next.strftime("%Y%m%d")),
            format!("SUMMARY:{}", text(&w.item)),
            format!(
                "DESCRIPTION:{}",
                text(&format!("Watch item from \"{}\": {url}", brief.title))
            ),
            format!("URL:{url}"),
            "END:VEVENT".to_string(),
        ] {
            push_line(&mut ics, &line);
        }
    }
    ics
}

/// Escapes an iCalendar TEXT value.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line, folded at 75 octets (never inside a character), with CRLF.
fn push_line(ics: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            ics.push_str("\r\n ");
            width = 1;
        }
        ics.push(c);
        width += c.len_utf8();
    }
    let _ = write!(ics, "\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_on_character_boundaries() {
        let mut ics = String::new();
        push_line(&mut ics, &format!("SUMMARY:{}", "é".repeat(60)));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        assert_eq!(
            ics.replace("\r\n ", ""),
            format!("SUMMARY:{}\r\n", "é".repeat(60))
        );
    }

    #[test]
    fn text_values_are_escaped() {
        assert_eq!(text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }
}
