//! Aliases: the old addresses of a brief or page (`aliases:` in its front
//! matter), as Hugo and Zola take them, so a renamed file or a changed slug
//! does not leave readers and search engines a 404. Each is checked here to
//! be a plain path under the site's root; `render/redirects` writes a
//! redirect page at each and checks that none takes a path the site uses.

use crate::content::checks::validate::Ctx;
use crate::content::matter::front_matter::Spanned;
use crate::content::types::brief::Alias;
use crate::diagnostic::{Diagnostic, Diagnostics, locate_in};

/// The aliases of one file, each a plain path under the site's root (with
/// or without a leading `/`); anything else is an error at its place.
pub(crate) fn parse(
    ctx: &Ctx<'_>,
    values: &[Spanned<String>],
    out: &mut Diagnostics,
) -> Vec<Alias> {
    let mut aliases = Vec::with_capacity(values.len());
    for value in values {
        let written = value.value.trim();
        let range = ctx.range(&value.referenced);
        let error = |message: String| {
            Diagnostic::error_in(ctx.path, ctx.text, &ctx.lines, range.clone(), message)
                .with_code("alias")
        };
        let path = written.strip_prefix('/').unwrap_or(written);
        let problem = if written.contains("://") || written.starts_with("//") {
            Some("is a URL; an alias is an old address on this site")
        } else if path.is_empty() {
            Some("is the site's root, which is the index")
        } else if !is_plain(path) {
            Some("is not a plain path (no `.` or `..` parts, no spaces, `?`, `#`, `%` or `\\`)")
        } else {
            None
        };
        if let Some(problem) = problem {
            out.push(error(format!("alias `{written}` {problem}")).with_hint(
                "write the old address's path from the site's root, e.g. `/briefs/old-name/`",
            ));
            continue;
        }
        aliases.push(Alias {
            path: path.to_string(),
            at: Some(locate_in(&ctx.lines, ctx.text, range)),
        });
    }
    aliases
}

/// True when every part of `path` (split at `/`, a last empty part aside)
/// is a name a folder or file can have in a URL without encoding tricks.
fn is_plain(path: &str) -> bool {
    let parts: Vec<&str> = path.strip_suffix('/').unwrap_or(path).split('/').collect();
    parts.iter().all(|part| {
        !part.is_empty()
            && *part != "."
            && *part != ".."
            && !part
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "?#%\\\"<>".contains(c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alias(path: &str) -> Alias {
        Alias {
            path: path.to_string(),
            at: None,
        }
    }

    #[test]
    fn folders_get_an_index_and_html_names_stay_files() {
        assert_eq!(alias("briefs/old/").output_path(), "briefs/old/index.html");
        assert_eq!(alias("briefs/old").output_path(), "briefs/old/index.html");
        assert_eq!(alias("2024/note.html").output_path(), "2024/note.html");
        assert_eq!(alias("briefs/old").url("/desk/"), "/desk/briefs/old/");
        assert_eq!(alias("2024/note.html").url("/"), "/2024/note.html");
    }

    #[test]
    fn only_plain_paths_are_aliases() {
        for good in ["a", "a/b/", "briefs/tōkyō-1/", "x.html"] {
            assert!(is_plain(good), "{good}");
        }
        for bad in [
            "a//b", "../x", "a/./b", "a b", "a?b", "a#b", "a%20b", "a\\b",
        ] {
            assert!(!is_plain(bad), "{bad}");
        }
    }
}
