//! The brief pages (`briefs/<slug>/`): one a brief, with its body, score,
//! sources, watch items and corrections, and links to the briefs before
//! and after it. Its jobs, URLs, view and sitemap entries (the published
//! briefs, each dated by its own change). Reads each brief's summary and
//! its neighbours' titles and URLs; the view is also each feed entry's content.

use std::path::PathBuf;

use tera::Context;

use crate::content::types::brief::Source;
use crate::render::format::{DateForms, number};
use crate::render::job::{Family, Job};
use crate::render::listing::{Published, SitemapEntry, modified};
use crate::render::reads::Reads;
use crate::render::record::Read;
use crate::render::sources::ref_id;
use crate::render::view::{
    BacklinkView, BriefView, CorrectionView, FactorView, LinkView, ScoreBadge, ScoreView,
    SourceView, WatchView,
};
use crate::site::Site;

/// The family.
pub(crate) struct Briefs;

impl Family for Briefs {
    fn owns(&self, job: Job) -> bool {
        matches!(job, Job::Brief(_))
    }

    fn jobs(&self, site: &Site, _sources: usize) -> Vec<Job> {
        (0..site.briefs.len()).map(Job::Brief).collect()
    }

    fn template(&self, _job: Job) -> &'static str {
        "brief.html"
    }

    fn url_path(&self, site: &Site, job: Job) -> String {
        let Job::Brief(i) = job else {
            unreachable!("not a brief: {job:?}")
        };
        Site::brief_path(&site.briefs[i].slug)
    }

    fn view(&self, reads: &Reads<'_>, job: Job, ctx: &mut Context) -> Result<(), String> {
        let Job::Brief(i) = job else {
            unreachable!("not a brief: {job:?}")
        };
        ctx.insert("brief", &view_of(reads, i));
        Ok(())
    }

    fn source(&self, site: &Site, job: Job) -> Option<PathBuf> {
        let Job::Brief(i) = job else { return None };
        Some(site.briefs[i].path.clone())
    }

    /// Every published brief, dated by its update, else its publication.
    fn sitemap_entries(&self, published: &Published<'_, '_>) -> Vec<SitemapEntry> {
        let site = published.site;
        (published.briefs.iter())
            .map(|&i| SitemapEntry {
                path: Site::brief_path(&site.briefs[i].slug),
                lastmod: Some(modified(site, i)),
            })
            .collect()
    }
}

/// Brief `i`'s page view: what `brief.html` gets, and each feed entry's
/// content.
pub(crate) fn view_of(reads: &Reads<'_>, i: usize) -> BriefView {
    let site = reads.site;
    reads.note(Read::Brief(i));
    reads.note(Read::Around(i));
    let brief = &site.briefs[i];
    // A neighbour shows its title and URL alone: a finer read than its
    // summary, so that a new score or tag of it leaves this page be.
    let link = |j: usize| {
        reads.note(Read::Link(j));
        LinkView {
            title: site.briefs[j].title.clone(),
            url: site.url(&Site::brief_path(&site.briefs[j].slug)),
        }
    };
    let (cited, uncited): (Vec<&Source>, Vec<&Source>) =
        brief.sources.iter().partition(|s| s.number.is_some());
    let source_view = |s: &Source| source_view(reads, s);
    let mut sources: Vec<SourceView> = cited.into_iter().map(source_view).collect();
    sources.sort_by_key(|s| s.number);
    let badge = ScoreBadge::clone(&reads.summaries[i].score);
    BriefView {
        summary: reads.summaries[i].clone(),
        content: reads.links.resolve(brief.content_html.decompress()),
        diagrams: brief.diagrams,
        toc: brief.toc.clone(),
        score: ScoreView {
            badge,
            rationale: reads.links.resolve(brief.rationale_html.decompress()),
            factors: brief
                .factors
                .iter()
                .map(|f| FactorView {
                    name: f.name.clone(),
                    value: f.value,
                    display: number(f.value),
                    note: f.note.clone(),
                })
                .collect(),
        },
        sources,
        further_reading: uncited.into_iter().map(source_view).collect(),
        watch: brief
            .watch
            .iter()
            .map(|w| WatchView {
                item: w.item.clone(),
                by: w.by.map(|d| d.view()),
            })
            .collect(),
        corrections: brief
            .corrections
            .iter()
            .map(|c| CorrectionView {
                date: c.date.view(),
                text: c.text.clone(),
            })
            .collect(),
        previous: (i + 1 < site.briefs.len()).then(|| link(i + 1)),
        next: (i > 0).then(|| link(i - 1)),
        extra: brief.extra.clone(),
    }
}

/// Source `s` as its brief's page shows it (its dates shared with the
/// render's other views of them).
fn source_view(reads: &Reads<'_>, s: &Source) -> SourceView {
    let number = s.number.unwrap_or(0);
    SourceView {
        number,
        anchor: if number > 0 {
            format!("source-{number}")
        } else {
            format!(
                "further-{}",
                crate::content::cite::citation_syntax::key_slug(&s.id)
            )
        },
        id: s.id.clone(),
        ref_id: ref_id(&s.id),
        reference: s.reference_text(),
        publisher: s.publisher.clone(),
        title: s.title.clone(),
        url: s.url.clone(),
        date: s.date.map(|d| reads.summaries.date(d)),
        accessed: s.accessed.map(|d| reads.summaries.date(d)),
        kind: s.kind.as_str().to_string(),
        kind_label: s.kind.label().to_string(),
        tier: s.tier.clone(),
        backlinks: s
            .places()
            .enumerate()
            .map(|(k, id)| BacklinkView {
                id,
                label: backlink_label(k),
            })
            .collect(),
    }
}

/// `a`, `b`, … `z`, `aa`, `ab`, … like Wikipedia's back-references.
fn backlink_label(mut k: usize) -> String {
    let mut label = Vec::new();
    loop {
        label.push(b'a' + (k % 26) as u8);
        if k < 26 {
            break;
        }
        k = k / 26 - 1;
    }
    label.reverse();
    String::from_utf8(label).expect("ASCII letters")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backlink_labels_count_like_spreadsheet_columns() {
        let labels: Vec<String> = [0, 1, 25, 26, 27, 51, 52]
            .into_iter()
            .map(backlink_label)
            .collect();
        assert_eq!(labels, ["a", "b", "z", "aa", "ab", "az", "ba"]);
    }
}
