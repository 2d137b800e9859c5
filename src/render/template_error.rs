//! Template errors in the analyst's terms: which file to open.
//!
//! Tera names a template by the name it was registered under: a site's
//! template by its name under `templates/` (`brief.html`), a built-in one
//! under the `builtin/` fallback prefix. Neither is a path one can open, so
//! each location is rewritten: `templates/brief.html:34:5` for the site's
//! file, `built-in template brief.html:34:5` for the theme's own (which
//! `briefs theme export` writes out for editing).

/// The prefix built-in templates are registered under.
pub const BUILTIN_PREFIX: &str = "builtin/";

/// The full text of a Tera error (its causes included), naming files.
pub fn describe(error: &tera::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str("\n  caused by: ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    name_files(&text)
}

/// Rewrites every template location in a Tera message.
pub fn name_files(message: &str) -> String {
    message
        .lines()
        .map(name_line)
        .collect::<Vec<_>>()
        .join("\n")
}

fn name_line(line: &str) -> String {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    if let Some(location) = trimmed.strip_prefix("--> ") {
        return format!("{indent}--> {}", name_location(location));
    }
    if trimmed.starts_with("note: ")
        && let Some((label, location)) = trimmed.rsplit_once(' ')
    {
        return format!("{indent}{label} {}", name_location(location));
    }
    // Names inside messages ("Template 'builtin/base.html' …").
    line.replace(&format!("'{BUILTIN_PREFIX}"), "'")
}

/// `brief.html:34:5` → `templates/brief.html:34:5`; a built-in's says so.
fn name_location(location: &str) -> String {
    match location.strip_prefix(BUILTIN_PREFIX) {
        Some(name) => format!("built-in template {name}"),
        None => format!("templates/{location}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_error(name: &str, body: &str) -> String {
        let mut tera = tera::Tera::new();
        tera.set_fallback_prefixes([BUILTIN_PREFIX]).unwrap();
        tera.add_raw_template(name, body).unwrap();
        let lookup = name.strip_prefix(BUILTIN_PREFIX).unwrap_or(name);
        let error = tera
            .render(lookup, &tera::Context::new())
            .expect_err("an undefined variable is an error");
        describe(&error)
    }

    #[test]
    fn a_site_template_error_names_its_file_under_templates() {
        let text = render_error("brief.html", "ok\n{{ nope }}\n");
        assert!(text.contains(" --> templates/brief.html:2:4\n"), "{text}");
    }

    #[test]
    fn a_builtin_template_error_says_it_is_built_in() {
        let text = render_error("builtin/brief.html", "ok\n{{ nope }}\n");
        assert!(
            text.contains(" --> built-in template brief.html:2:4\n"),
            "{text}"
        );
        assert!(!text.contains("builtin/"), "{text}");
    }

    #[test]
    fn notes_and_quoted_names_are_rewritten() {
        let text = name_files(
            "error: Template 'builtin/base.html' not found\nnote: defined here page.html:3:1",
        );
        assert_eq!(
            text,
            "error: Template 'base.html' not found\nnote: defined here templates/page.html:3:1"
        );
    }
}
