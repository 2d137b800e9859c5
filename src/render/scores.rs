//! Score views: the top page, one page per band, and the score history of
//! an entity with its small inline chart.
//!
//! Builds never read the clock (output is byte-identical for the same
//! input), so the top page's "last N days" ends at the newest published
//! brief's date, not at today.

use std::fmt::Write;

use crate::content::schema::Status;
use crate::render::Summaries;
use crate::render::format::{DateForms, number};
use crate::render::view::{BandLink, BandPageView, BandView, HistoryPoint, HistoryView, TopView};
use crate::site::{Site, Term};
use crate::text::escape_html;

/// URL path of a band's page.
pub fn band_path(slug: &str) -> String {
    format!("bands/{slug}/")
}

fn published(site: &Site) -> impl Iterator<Item = usize> + '_ {
    (0..site.briefs.len()).filter(|&i| site.briefs[i].status == Status::Published)
}

/// Every band with its page and how many published briefs it holds.
pub fn band_links(site: &Site) -> Vec<BandLink> {
    site.config
        .bands
        .iter()
        .map(|b| BandLink {
            band: BandView {
                min: b.min,
                label: b.label.clone(),
                slug: b.slug.clone(),
            },
            url: site.url(&band_path(&b.slug)),
            count: published(site)
                .filter(|&i| site.config.band(site.briefs[i].score).slug == b.slug)
                .count(),
        })
        .collect()
}

/// The top page: the highest-scored published briefs of the window.
pub fn top(site: &Site, summaries: &Summaries<'_>) -> TopView {
    let days = site.config.top_days;
    // Briefs are newest first, so the first published one ends the window.
    let until = published(site).next().map(|i| site.briefs[i].date);
    let since = until.and_then(|u| {
        u.date
            .checked_sub(jiff::Span::new().days(i64::from(days.saturating_sub(1))))
            .ok()
    });
    let mut chosen: Vec<usize> = published(site)
        .filter(|&i| since.is_some_and(|s| site.briefs[i].date.date >= s))
        .collect();
    // Highest score first; ties keep newest first (the stable sort keeps site order).
    chosen.sort_by(|&a, &b| site.briefs[b].score.total_cmp(&site.briefs[a].score));
    chosen.truncate(site.config.top_count);
    TopView {
        days,
        since: since.map(|d| crate::content::date::BriefDate::from_date(d).view()),
        until: until.map(|d| d.view()),
        briefs: chosen.into_iter().map(|i| summaries[i].clone()).collect(),
        bands: band_links(site),
    }
}

/// The page of band `index` (in `site.config.bands`).
pub fn band_page(site: &Site, index: usize, summaries: &Summaries<'_>) -> BandPageView {
    let bands = band_links(site);
    let band = &site.config.bands[index];
    let range = match index.checked_sub(1).map(|up| &site.config.bands[up]) {
        None => format!("{} to {}", number(band.min), number(site.config.scale)),
        Some(upper) => format!("{} to under {}", number(band.min), number(upper.min)),
    };
    let briefs = published(site)
        .filter(|&i| site.config.band(site.briefs[i].score).slug == band.slug)
        .map(|i| summaries[i].clone())
        .collect();
    BandPageView {
        band: bands[index].clone(),
        range,
        scale: number(site.config.scale),
        briefs,
        bands,
    }
}

/// An entity's score history, oldest first, with its chart.
pub fn history(site: &Site, term: &Term, summaries: &Summaries<'_>) -> HistoryView {
    let points: Vec<HistoryPoint> = term
        .briefs
        .iter()
        .rev()
        .map(|&i| {
            let s = &summaries[i];
            HistoryPoint {
                date: s.date.clone(),
                score: s.score.clone(),
                title: s.title.clone(),
                url: s.url.clone(),
            }
        })
        .collect();
    let instants: Vec<i64> = term
        .briefs
        .iter()
        .rev()
        .map(|&i| site.briefs[i].date.instant.as_second())
        .collect();
    let svg = if points.len() < 2 {
        String::new()
    } else {
        chart(&term.name, &points, &instants, site.config.scale)
    };
    HistoryView { points, svg }
}

/// A line chart of scores over time: no script, colours from the theme's
/// current colour, and a title and description that say the same in words.
fn chart(name: &str, points: &[HistoryPoint], instants: &[i64], scale: f64) -> String {
    const W: f64 = 640.0;
    const H: f64 = 180.0;
    const PAD_X: f64 = 36.0;
    const PAD_Y: f64 = 16.0;
    let (first, last) = (instants[0], instants[instants.len() - 1]);
    let span = (last - first).max(1) as f64;
    let x = |t: i64| PAD_X + (t - first) as f64 / span * (W - 2.0 * PAD_X);
    let y = |v: f64| PAD_Y + (1.0 - v / scale) * (H - 2.0 * PAD_Y);
    let words: Vec<String> = points
        .iter()
        .map(|p| format!("{}: {}", p.date.display, p.score.display))
        .collect();
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"score-history\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-labelledby=\"history-title history-desc\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"history-title\">Scores of briefs about {}</title>\
         <desc id=\"history-desc\">{}</desc>",
        escape_html(name),
        escape_html(&words.join("; "))
    );
    for tick in [0.0, scale / 2.0, scale] {
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{PAD_X}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/><text class=\"axis\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            W - PAD_X,
            PAD_X - 6.0,
            y(tick) + 4.0,
            number(tick),
            y = y(tick)
        );
    }
    let line: Vec<String> = points
        .iter()
        .zip(instants)
        .map(|(p, &t)| format!("{:.1},{:.1}", x(t), y(p.score.value)))
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
            x(t),
            y(p.score.value),
            escape_html(&p.title),
            p.score.display,
            p.date.display
        );
    }
    svg.push_str("</svg>");
    svg
}
