//! The page a server answers a missing address with (`404.html`). Its job
//! and file name; its view is the site's alone, and it is not in the
//! sitemap. Reads nothing of the briefs.

use tera::Context;

use crate::render::job::{Family, Job};
use crate::render::reads::Reads;
use crate::site::Site;

/// The family.
pub(crate) struct NotFound;

impl Family for NotFound {
    fn owns(&self, job: Job) -> bool {
        job == Job::NotFound
    }

    fn jobs(&self, _site: &Site, _sources: usize) -> Vec<Job> {
        vec![Job::NotFound]
    }

    fn template(&self, _job: Job) -> &'static str {
        "404.html"
    }

    fn url_path(&self, _site: &Site, _job: Job) -> String {
        "404.html".to_string()
    }

    /// Nothing beyond `site`.
    fn view(&self, _reads: &Reads<'_>, _job: Job, _ctx: &mut Context) -> Result<(), String> {
        Ok(())
    }
}
