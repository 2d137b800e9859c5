//! The search page (`search/`): a form the search script fills from the
//! search index (made in [`crate::render::search`]). Its job and URL; its
//! view is the site's alone, and it is not in the sitemap (a search is not
//! content). Reads nothing of the briefs.

use tera::Context;

use crate::render::job::{Family, Job};
use crate::render::reads::Reads;
use crate::site::Site;

/// The family.
pub(crate) struct Search;

impl Family for Search {
    fn owns(&self, job: Job) -> bool {
        job == Job::Search
    }

    fn jobs(&self, _site: &Site, _sources: usize) -> Vec<Job> {
        vec![Job::Search]
    }

    fn template(&self, _job: Job) -> &'static str {
        "search.html"
    }

    fn url_path(&self, _site: &Site, _job: Job) -> String {
        "search/".to_string()
    }

    /// Nothing beyond `site`.
    fn view(&self, _reads: &Reads<'_>, _job: Job, _ctx: &mut Context) -> Result<(), String> {
        Ok(())
    }
}
