//! The template reference cannot drift from the code: `docs/templates.md` is
//! generated from `src/render/view.rs` (every `pub` field of every view struct, its
//! type in template terms and its doc comment), and this test fails when the
//! committed page differs from what the code gives. After changing a view,
//! regenerate it with `UPDATE_DOCS=1 cargo test --test template_docs`.
//!
//! It also checks that the README's list of templates names every template
//! of the built-in theme.

use std::fs;
use std::path::Path;

/// One `pub struct` of `src/render/view.rs`.
struct View {
    name: String,
    doc: String,
    fields: Vec<Field>,
}

struct Field {
    name: String,
    ty: String,
    doc: String,
    flatten: bool,
}

/// Reads the view structs: doc comments, `#[serde(flatten)]`, `pub` fields.
fn views(source: &str) -> Vec<View> {
    let mut views: Vec<View> = Vec::new();
    let mut doc: Vec<String> = Vec::new();
    let mut flatten = false;
    let mut inside = false;
    for line in source.lines().map(str::trim) {
        if let Some(text) = line.strip_prefix("///") {
            doc.push(text.trim().to_string());
        } else if line == "#[serde(flatten)]" {
            flatten = true;
        } else if let Some(rest) = line.strip_prefix("pub struct ") {
            let name = rest.trim_end_matches(" {").to_string();
            views.push(View {
                name,
                doc: doc.join(" "),
                fields: Vec::new(),
            });
            inside = true;
            doc.clear();
        } else if inside && line.starts_with("pub ") {
            let (name, ty) = line["pub ".len()..].split_once(": ").expect("a field");
            let view = views.last_mut().expect("fields follow a struct");
            view.fields.push(Field {
                name: name.to_string(),
                ty: ty.trim_end_matches(',').to_string(),
                doc: doc.join(" "),
                flatten,
            });
            doc.clear();
            flatten = false;
        } else if line == "}" {
            inside = false;
        } else if !line.starts_with("#[") {
            doc.clear();
        }
    }
    views
}

/// A Rust type in a template author's words.
fn template_type(ty: &str, views: &[View]) -> String {
    let inner = |prefix: &str| ty.strip_prefix(prefix).and_then(|t| t.strip_suffix('>'));
    if let Some(t) = inner("Vec<") {
        return format!("list of {}", template_type(t, views));
    }
    if let Some(t) = inner("Option<") {
        return format!("{} or null", template_type(t, views));
    }
    // A view serialized once and shared between pages, or one value shared
    // between views, reads as the view.
    let shared = ["Shared<", "Arc<", "Valued<"].iter().find_map(|p| inner(p));
    if let Some(t) = shared {
        return template_type(t, views);
    }
    match ty {
        "String" => "text".to_string(),
        "f64" => "number".to_string(),
        "usize" | "u32" | "u8" => "integer".to_string(),
        "bool" => "boolean".to_string(),
        "serde_json::Value" => "free map (`extra`)".to_string(),
        other if views.iter().any(|v| v.name == other) => {
            format!("[`{other}`](#{})", other.to_lowercase())
        }
        other => panic!("no template name for the type {other}; add one here"),
    }
}

/// The reference page's Markdown.
fn reference(source: &str) -> String {
    let views = views(source);
    let mut out = String::from(
        "# Template reference\n\n\
         Every value a template can read. Generated from `src/render/view.rs` by\n\
         `tests/template_docs.rs`; do not edit by hand (regenerate with\n\
         `UPDATE_DOCS=1 cargo test --test template_docs`).\n\n\
         ## What each template gets\n\n",
    );
    // The module doc from its table on: which template gets which value.
    let module_doc = source
        .lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .skip_while(|l| !l.trim_start().starts_with('|'));
    for line in module_doc {
        let line = line.strip_prefix(' ').unwrap_or(line);
        let mut linked = line.to_string();
        for view in &views {
            linked = linked.replace(
                &format!("[`{}`]", view.name),
                &format!("[`{}`](#{})", view.name, view.name.to_lowercase()),
            );
        }
        out.push_str(&linked);
        out.push('\n');
    }
    out.push_str("\n## Values\n");
    for view in &views {
        out.push_str(&format!("\n### `{}`\n\n{}\n\n", view.name, view.doc));
        out.push_str("| field | type | meaning |\n|---|---|---|\n");
        for field in &view.fields {
            let row = if field.flatten {
                format!(
                    "| every field of {} | | {} |\n",
                    template_type(&field.ty, &views),
                    field.doc
                )
            } else {
                format!(
                    "| `{}` | {} | {} |\n",
                    field.name,
                    template_type(&field.ty, &views),
                    field.doc
                )
            };
            out.push_str(&row);
        }
    }
    out
}

/// `src/render/view.rs`, plus the one view type the Markdown stage makes
/// (`TocEntry`, in `src/content/types/brief.rs`), which view.rs re-exports.
fn view_source(root: &Path) -> String {
    let mut source = fs::read_to_string(root.join("src/render/view.rs")).unwrap();
    let types = fs::read_to_string(root.join("src/content/types/brief.rs")).unwrap();
    let start = types
        .find("/// A heading in a brief's table of contents.")
        .expect("TocEntry in brief.rs");
    let end = start + types[start..].find("\n}\n").unwrap() + 3;
    source.push('\n');
    source.push_str(&types[start..end]);
    source
}

#[test]
fn the_template_reference_matches_the_view_structs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = view_source(root);
    let page = reference(&source);
    let path = root.join("docs/templates.md");
    if std::env::var_os("UPDATE_DOCS").is_some() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, &page).unwrap();
    }
    let committed = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == page,
        "docs/templates.md is out of date with src/render/view.rs; run \
         `UPDATE_DOCS=1 cargo test --test template_docs` and review the diff"
    );
    // Every pub field has its row.
    for view in views(&source) {
        for field in view.fields.iter().filter(|f| !f.flatten) {
            let row = format!("| `{}` |", field.name);
            assert!(
                page.contains(&row),
                "{}.{} is not documented",
                view.name,
                field.name
            );
        }
    }
}

#[test]
fn the_readme_lists_every_template() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = fs::read_to_string(root.join("README.md")).unwrap();
    let section = readme
        .split("\n## Templates\n")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("a Templates section");
    for (name, _) in briefs::internals::theme::TEMPLATES {
        assert!(
            section.contains(&format!("`{name}`")),
            "the README's Templates section does not list {name}"
        );
    }
}
