//! The Atom feeds (`atom.xml`, `high-score.xml`, `tags/<slug>/atom.xml`):
//! their jobs, paths and view; which briefs each holds and the JSON Feed
//! are made in [`crate::render::feed`]. Not in the sitemap (feeds are not
//! pages). Reads the feed's briefs: their summaries and their whole page
//! view, rendered once as each entry's content and shared by every feed.

use tera::Context;

use crate::render::feed;
use crate::render::feed_kind::Feed;
use crate::render::job::{Family, Job};
use crate::render::pages::brief;
use crate::render::reads::Reads;
use crate::render::record::{self, List, Read};
use crate::render::view::FeedEntry;
use crate::site::Site;

/// The family.
pub(crate) struct Feeds;

impl Family for Feeds {
    fn owns(&self, job: Job) -> bool {
        matches!(job, Job::Atom(_))
    }

    /// The main feed, the high-score feed, then one per tag.
    fn jobs(&self, site: &Site, _sources: usize) -> Vec<Job> {
        let mut jobs = vec![Job::Atom(Feed::Main), Job::Atom(Feed::HighScore)];
        jobs.extend((0..site.tags.len()).map(|i| Job::Atom(Feed::Tag(i))));
        jobs
    }

    fn template(&self, _job: Job) -> &'static str {
        "atom.xml"
    }

    fn url_path(&self, site: &Site, job: Job) -> String {
        let Job::Atom(f) = job else {
            unreachable!("not a feed: {job:?}")
        };
        f.path(site)
    }

    /// `feed`.
    fn view(&self, reads: &Reads<'_>, job: Job, ctx: &mut Context) -> Result<(), String> {
        let Job::Atom(f) = job else {
            unreachable!("not a feed: {job:?}")
        };
        ctx.insert("feed", &feed::atom_view(reads.site, f, entries(reads, f)?));
        Ok(())
    }
}

/// The entries of `feed`, each brief's content rendered once for every
/// feed (and the JSON Feed) that holds it.
/// Each entry's content is made once, and what making it read is noted
/// for every feed that shows it.
pub(crate) fn entries(reads: &Reads<'_>, feed: Feed) -> Result<Vec<FeedEntry>, String> {
    let site = reads.site;
    reads.note(Read::List(List::Feed(feed)));
    let make = |i: usize| {
        reads.note(Read::Template(feed::ENTRY_TEMPLATE));
        let view = brief::view_of(reads, i);
        feed::content_html(reads.tera, site, &reads.site_view, &view)
    };
    let content = |i: usize| {
        let (html, read) = reads.feed_content[i].get_or_init(|| match reads.recording {
            true => record::recording(|| make(i)),
            false => (make(i), Vec::new()),
        });
        read.iter().for_each(|r| reads.note(*r));
        html.clone()
    };
    feed::entries(site, feed, &reads.summaries, &content)
}
