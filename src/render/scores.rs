//! Score views: the top page, one page per band, and the score history of
//! an entity with its small inline chart.
//!
//! Builds never read the clock (output is byte-identical for the same
//! input), so the top page's "last N days" ends at the newest published
//! brief's date, not at today.

use std::fmt::Write;
use std::sync::Arc;

use crate::content::types::brief::published;
use crate::render::format::{DateForms, number};
use crate::render::summaries::Summaries;
use crate::render::view::{
    BandLink, BandPageView, BandView, BriefSummary, DateView, HistoryMonth, HistoryPoint,
    HistoryView, ScoreBadge, Shared, TopView,
};
use crate::site::{Site, Term};
use crate::text::escape_html;

/// URL path of a band's page.
pub fn band_path(slug: &str) -> String {
    format!("bands/{slug}/")
}

/// Every band with its page and how many published briefs it holds.
pub fn band_links(site: &Site) -> Vec<BandLink> {
    band_links_of(site, &band_lists(site))
}

/// [`band_links`] from the bands' lists ([`band_lists`]).
pub fn band_links_of(site: &Site, lists: &[Vec<usize>]) -> Vec<BandLink> {
    site.config
        .bands
        .iter()
        .zip(lists)
        .map(|(b, list)| BandLink {
            band: BandView {
                min: b.min,
                label: b.label.clone(),
                slug: b.slug.clone(),
            },
            url: site.url(&band_path(&b.slug)),
            count: list.len(),
        })
        .collect()
}

/// The published briefs of each band (in `site.config.bands` order),
/// newest first, in one pass over the briefs.
pub fn band_lists(site: &Site) -> Vec<Vec<usize>> {
    let bands = &site.config.bands;
    let mut lists = vec![Vec::new(); bands.len()];
    for i in published(&site.briefs) {
        let band = site.config.band(site.briefs[i].score);
        let at = bands
            .iter()
            .position(|b| std::ptr::eq(b, band))
            .expect("a band of the site's bands");
        lists[at].push(i);
    }
    lists
}

/// The top page: the highest-scored published briefs of the window.
pub fn top(site: &Site, summaries: &Summaries<'_>) -> TopView {
    let (chosen, since, until) = top_briefs(site);
    TopView {
        days: site.config.top_days,
        since: since.map(|d| crate::content::types::date::BriefDate::from_date(d).view()),
        until: until.map(|d| d.view()),
        briefs: chosen.into_iter().map(|i| summaries[i].clone()).collect(),
        bands: band_links(site),
    }
}

/// The top page's briefs (indexes, highest score first) and its window:
/// the first day and the newest published brief's date.
pub(crate) fn top_briefs(
    site: &Site,
) -> (
    Vec<usize>,
    Option<jiff::civil::Date>,
    Option<crate::content::types::date::BriefDate>,
) {
    let days = site.config.top_days;
    // Briefs are newest first, so the first published one ends the window.
    let until = published(&site.briefs).next().map(|i| site.briefs[i].date);
    let since = until.and_then(|u| {
        u.date
            .checked_sub(jiff::Span::new().days(i64::from(days.saturating_sub(1))))
            .ok()
    });
    let mut chosen: Vec<usize> = published(&site.briefs)
        .filter(|&i| since.is_some_and(|s| site.briefs[i].date.date >= s))
        .collect();
    // Highest score first; ties keep newest first (the stable sort keeps site order).
    chosen.sort_by(|&a, &b| site.briefs[b].score.total_cmp(&site.briefs[a].score));
    chosen.truncate(site.config.top_count);
    (chosen, since, until)
}

/// Path of page `n` (1-based) of a band's briefs.
pub fn band_page_path(slug: &str, n: usize) -> String {
    format!("{}{}", band_path(slug), Site::index_path(n))
}

/// A page of band `index` (in `site.config.bands`) showing `briefs`, with
/// `bands` every band's link ([`band_links`]).
pub fn band_page(
    site: &Site,
    index: usize,
    briefs: Shared<Vec<BriefSummary>>,
    bands: Vec<BandLink>,
) -> BandPageView {
    let band = &site.config.bands[index];
    let range = match index.checked_sub(1).map(|up| &site.config.bands[up]) {
        None => format!("{} to {}", number(band.min), number(site.config.scale)),
        Some(upper) => format!("{} to under {}", number(band.min), number(upper.min)),
    };
    BandPageView {
        band: bands[index].clone(),
        range,
        scale: number(site.config.scale),
        briefs,
        bands,
    }
}

/// Histories of more briefs than this are summarised by month: a point and
/// a table row per brief cost ~0.5 KB each, and an entity of a large site
/// has hundreds of briefs (681 at 10,000 briefs: 289 KB of history).
pub const HISTORY_IN_FULL: usize = 40;

/// An entity's score history, oldest first, with its chart: in full up to
/// [`HISTORY_IN_FULL`] briefs, else by month.
pub fn history(site: &Site, term: &Term, summaries: &Summaries<'_>) -> HistoryView {
    let oldest_first: Vec<usize> = term.briefs.iter().rev().copied().collect();
    let months = months(site, &oldest_first);
    let summarised = oldest_first.len() > HISTORY_IN_FULL;
    let points: Vec<HistoryPoint> = if summarised {
        Vec::new()
    } else {
        oldest_first
            .iter()
            .map(|&i| {
                let s = &summaries[i];
                HistoryPoint {
                    date: Arc::clone(&s.date),
                    score: ScoreBadge::clone(&s.score),
                    title: s.title.clone(),
                    url: s.url.clone(),
                }
            })
            .collect()
    };
    let scale = site.config.scale;
    let svg = if summarised {
        month_chart(&term.name, &months, scale)
    } else if points.len() < 2 {
        String::new()
    } else {
        let instants: Vec<i64> = oldest_first
            .iter()
            .map(|&i| site.briefs[i].date.instant.as_second())
            .collect();
        chart(&term.name, &points, &instants, scale)
    };
    let date = |i: usize| DateView::clone(&summaries[i].date);
    HistoryView {
        total_briefs: oldest_first.len(),
        since: date(oldest_first[0]),
        until: date(oldest_first[oldest_first.len() - 1]),
        summarised,
        points,
        months: months.into_iter().map(|m| m.view).collect(),
        svg,
    }
}

/// A month of a history: its view, and its position and scores for the chart.
struct Month {
    /// Months since year 0: consecutive months are one apart.
    ordinal: i64,
    mean: f64,
    min: f64,
    max: f64,
    view: HistoryMonth,
}

/// The months of `briefs` (oldest first), oldest first.
fn months(site: &Site, briefs: &[usize]) -> Vec<Month> {
    let mut months: Vec<(jiff::civil::Date, Vec<f64>)> = Vec::new();
    for &i in briefs {
        let brief = &site.briefs[i];
        let first_day = brief.date.date.first_of_month();
        match months.last_mut() {
            Some((day, scores)) if *day == first_day => scores.push(brief.score),
            _ => months.push((first_day, vec![brief.score])),
        }
    }
    months
        .into_iter()
        .map(|(day, scores)| {
            let mean = scores.iter().sum::<f64>() / scores.len() as f64;
            let min = scores.iter().copied().fold(f64::INFINITY, f64::min);
            let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            Month {
                ordinal: i64::from(day.year()) * 12 + i64::from(day.month()),
                mean,
                min,
                max,
                view: HistoryMonth {
                    iso: day.strftime("%Y-%m").to_string(),
                    display: day.strftime("%B %Y").to_string(),
                    briefs: scores.len(),
                    mean: format!("{mean:.1}"),
                    min: number(min),
                    max: number(max),
                },
            }
        })
        .collect()
}

const W: f64 = 640.0;
const H: f64 = 180.0;
const PAD_X: f64 = 36.0;
const PAD_Y: f64 = 16.0;

/// Height on the chart of score `v` out of `scale`.
fn y(v: f64, scale: f64) -> f64 {
    PAD_Y + (1.0 - v / scale) * (H - 2.0 * PAD_Y)
}

/// Across the chart, where `t` falls between `first` and `last`.
fn x(t: i64, first: i64, last: i64) -> f64 {
    let span = (last - first).max(1) as f64;
    PAD_X + (t - first) as f64 / span * (W - 2.0 * PAD_X)
}

/// The chart's opening: no script, colours from the theme's current colour,
/// a title and a description that say what it shows in words, and the grid.
fn frame(name: &str, desc: &str, scale: f64) -> String {
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"score-history\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-labelledby=\"history-title history-desc\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"history-title\">Scores of briefs about {}</title>\
         <desc id=\"history-desc\">{}</desc>",
        escape_html(name),
        escape_html(desc)
    );
    for tick in [0.0, scale / 2.0, scale] {
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{PAD_X}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/><text class=\"axis\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            W - PAD_X,
            PAD_X - 6.0,
            y(tick, scale) + 4.0,
            number(tick),
            y = y(tick, scale)
        );
    }
    svg
}

/// A line chart of each brief's score over time, a point per brief.
fn chart(name: &str, points: &[HistoryPoint], instants: &[i64], scale: f64) -> String {
    let (first, last) = (instants[0], instants[instants.len() - 1]);
    let words: Vec<String> = points
        .iter()
        .map(|p| format!("{}: {}", p.date.display, p.score.display))
        .collect();
    let mut svg = frame(name, &words.join("; "), scale);
    let line: Vec<String> = points
        .iter()
        .zip(instants)
        .map(|(p, &t)| format!("{:.1},{:.1}", x(t, first, last), y(p.score.value, scale)))
        .collect();
    let _ = write!(
        svg,
        "<polyline class=\"line\" points=\"{}\"/>",
        line.join(" ")
    );
    for (p, &t) in points.iter().zip(instants) {
        let _ = write!(
            svg,
            "<circle class=\"point band-{}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\"><title>{}: {}, {}</title></circle>",
            escape_html(&p.score.band_slug),
            x(t, first, last),
            y(p.score.value, scale),
            escape_html(&p.title),
            p.score.display,
            p.date.display
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A chart of a long history by month: the mean score as a line over the
/// shaded range from the lowest to the highest. Its size grows with the
/// months, never with the briefs.
fn month_chart(name: &str, months: &[Month], scale: f64) -> String {
    if months.len() < 2 {
        return String::new();
    }
    let (first, last) = (months[0].ordinal, months[months.len() - 1].ordinal);
    let at = |m: &Month, v: f64| format!("{:.1},{:.1}", x(m.ordinal, first, last), y(v, scale));
    let briefs: usize = months.iter().map(|m| m.view.briefs).sum();
    let desc = format!(
        "Mean score by month of {briefs} briefs, {} to {}, over the range from each month's lowest to its highest score; the table below gives each month's figures.",
        months[0].view.display,
        months[months.len() - 1].view.display
    );
    let mut svg = frame(name, &desc, scale);
    let range: Vec<String> = months
        .iter()
        .map(|m| at(m, m.max))
        .chain(months.iter().rev().map(|m| at(m, m.min)))
        .collect();
    let mean: Vec<String> = months.iter().map(|m| at(m, m.mean)).collect();
    let _ = write!(
        svg,
        "<polygon class=\"range\" points=\"{}\"/><polyline class=\"line\" points=\"{}\"/>",
        range.join(" "),
        mean.join(" ")
    );
    for m in months {
        let _ = write!(
            svg,
            "<circle class=\"point\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\"><title>{}: mean {}, {} to {}, {} brief{}</title></circle>",
            x(m.ordinal, first, last),
            y(m.mean, scale),
            m.view.display,
            m.view.mean,
            m.view.min,
            m.view.max,
            m.view.briefs,
            if m.view.briefs == 1 { "" } else { "s" }
        );
    }
    svg.push_str("</svg>");
    svg
}
