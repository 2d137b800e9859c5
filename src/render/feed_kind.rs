//! Which feeds a site has: the main feed, one per tag and the high-score
//! feed; where each is written, its title and its briefs. Below the feeds'
//! rendering (`feed`) and the record of what a job read (`record`), which
//! names a feed as one of the lists a page reads.

use crate::render::format::number;
use crate::site::{Site, Taxonomy};

/// Which feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Feed {
    /// The newest briefs: `atom.xml` and `feed.json`.
    Main,
    /// The newest briefs of one tag: `tags/<slug>/atom.xml`.
    Tag(usize),
    /// The newest briefs at or above `feeds.min_score`: `high-score.xml`.
    HighScore,
}

/// Site paths of the feeds.
pub const ATOM: &str = "atom.xml";
pub const JSON_FEED: &str = "feed.json";
pub const HIGH_SCORE: &str = "high-score.xml";

impl Feed {
    /// Where the feed is written, under the output root.
    pub fn path(self, site: &Site) -> String {
        match self {
            Feed::Main => ATOM.to_string(),
            Feed::Tag(i) => format!(
                "{}atom.xml",
                Site::term_path(Taxonomy::Tags, &site.tags[i].slug)
            ),
            Feed::HighScore => HIGH_SCORE.to_string(),
        }
    }

    /// Indexes into `site.briefs` of the feed's briefs, newest first.
    pub(crate) fn briefs(self, site: &Site) -> Vec<usize> {
        let published = |&i: &usize| site.briefs[i].is_published();
        let all: Box<dyn Iterator<Item = usize>> = match self {
            Feed::Main => Box::new(0..site.briefs.len()),
            Feed::Tag(t) => Box::new(site.tags[t].briefs.iter().copied()),
            Feed::HighScore => Box::new(
                (0..site.briefs.len())
                    .filter(|&i| site.briefs[i].score >= site.config.feed_min_score),
            ),
        };
        all.filter(published).take(site.config.feed_count).collect()
    }

    pub(crate) fn title(self, site: &Site) -> String {
        match self {
            Feed::Main => site.config.title.clone(),
            Feed::Tag(i) => format!("{}: {}", site.config.title, site.tags[i].name),
            Feed::HighScore => format!(
                "{}: scores of {} and above",
                site.config.title,
                number(site.config.feed_min_score)
            ),
        }
    }

    /// The page the feed follows.
    pub(crate) fn home_path(self, site: &Site) -> String {
        match self {
            Feed::Tag(i) => Site::term_path(Taxonomy::Tags, &site.tags[i].slug),
            Feed::Main | Feed::HighScore => String::new(),
        }
    }
}
