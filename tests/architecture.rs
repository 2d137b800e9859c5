//! The layout's rules (ARCHITECTURE.md): a stage folder imports only the
//! stages before it (`content -> site -> render -> output -> pipeline ->
//! serve`), and no
//! module imports the crate root's own items: `lib.rs` is the public façade,
//! so what a stage needs (`Error`, `Options`, `Timings`, …) it names from the
//! module that defines it (`crate::error::Error`).
//!
//! Edges are read from the source text: every `crate::a::…` and
//! `super::…` path (a `crate::{a, b::c}` group names each of its members),
//! with `super::` resolved from the file's place in the module tree.

use std::fs;
use std::path::{Path, PathBuf};

const STAGES: &[&str] = &["content", "site", "render", "output", "pipeline", "serve"];

/// One path a source file names: the file, the line, and the path's first
/// segment below the crate root (`content` for `crate::content::brief`,
/// `Error` for `crate::Error`).
struct Edge {
    file: String,
    line: usize,
    target: String,
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `src/` but the crate root and the binary, with its
/// module path (`src/content/brief.rs` -> `["content", "brief"]`).
fn modules() -> Vec<(PathBuf, Vec<String>)> {
    let src = src();
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(&src).unwrap().to_path_buf();
        if rel.extension().is_none_or(|e| e != "rs") || rel == Path::new("lib.rs") {
            continue;
        }
        if rel == Path::new("main.rs") {
            continue;
        }
        let module: Vec<String> = rel
            .with_extension("")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        found.push((entry.path().to_path_buf(), module));
    }
    found
}

/// The identifier at the start of `text`.
fn ident(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// The first segments of the path that starts at `text` (just after
/// `crate::` or the last `super::`): one, or each member of a `{…}` group.
fn first_segments(text: &str) -> Vec<String> {
    let Some(group) = text.strip_prefix('{') else {
        return vec![ident(text).to_string()];
    };
    let (mut depth, mut members, mut start) = (0, Vec::new(), 0);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                members.push(&group[start..i]);
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                members.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    members
        .into_iter()
        .map(|m| ident(m.trim()).to_string())
        .filter(|m| !m.is_empty() && m != "self")
        .collect()
}

/// Every `crate::` and `super::` edge of the file at `path`, whose module
/// path is `module`. Comment lines are skipped. Code after an inline
/// `mod name {` (a test module, at the end of a file) is one level deeper.
fn edges(path: &Path, base: &Path, module: &[String]) -> Vec<Edge> {
    let rel = path.strip_prefix(base).unwrap().display().to_string();
    let text = fs::read_to_string(path).unwrap();
    let mut module = module.to_vec();
    let mut found = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    for (n, line) in lines.iter().enumerate() {
        let code = line.trim_start();
        if code.starts_with("//") {
            continue;
        }
        let words: Vec<&str> = code.split_whitespace().take(3).collect();
        if let Some(at) = words.iter().position(|w| *w == "mod")
            && at < 2
            && code.trim_end().ends_with('{')
        {
            module.push(ident(words.get(at + 1).unwrap_or(&"")).to_string());
        }
        // A group may run over several lines: read on to its end.
        let rest_of_file = lines[n..].join("\n");
        let mut from = 0;
        while let Some(i) = find_path_start(&line[from..]) {
            let at = from + i;
            let (resolved, after) = resolve(&module, &line[at..]);
            let start = (line.len() - line[at..].len()) + after;
            let targets = match resolved.first() {
                Some(first) => vec![first.clone()],
                None => first_segments(&rest_of_file[start..]),
            };
            for target in targets {
                found.push(Edge {
                    file: rel.clone(),
                    line: n + 1,
                    target,
                });
            }
            from = start;
        }
    }
    found
}

/// Where the next `crate::` or `super::` path begins in `line` (not inside
/// a longer name such as `$crate::` or `my_crate::`).
fn find_path_start(line: &str) -> Option<usize> {
    let mut from = 0;
    loop {
        let i = ["crate::", "super::"]
            .iter()
            .filter_map(|p| line[from..].find(p).map(|i| from + i))
            .min()?;
        let before = line[..i].chars().next_back();
        if before.is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_' || c == '$')) {
            return Some(i);
        }
        from = i + 1;
    }
}

/// Resolves the `crate::`/`super::…` prefix at the start of `path` from
/// `module`: the module path it reaches below the crate root (empty for the
/// root itself), and the byte length of the prefix.
fn resolve(module: &[String], path: &str) -> (Vec<String>, usize) {
    if path.starts_with("crate::") {
        return (Vec::new(), "crate::".len());
    }
    let mut here = module.to_vec();
    let mut len = 0;
    while path[len..].starts_with("super::") {
        here.pop();
        len += "super::".len();
    }
    (here, len)
}

/// The modules `lib.rs` declares (`mod name;`): the only names below the
/// crate root a module may import through.
fn root_modules() -> Vec<String> {
    let lib = fs::read_to_string(src().join("lib.rs")).unwrap();
    lib.lines()
        .filter_map(|l| {
            let l = l.trim();
            let decl = l.strip_suffix(';')?;
            let name = decl.rsplit_once("mod ")?.1;
            (ident(name) == name).then(|| name.to_string())
        })
        .collect()
}

#[test]
fn no_stage_imports_a_later_stage() {
    let mut violations = Vec::new();
    for (path, module) in modules() {
        let Some(i) = STAGES.iter().position(|s| *s == module[0]) else {
            continue;
        };
        for edge in edges(&path, &src(), &module) {
            if let Some(j) = STAGES.iter().position(|s| *s == edge.target)
                && j > i
            {
                violations.push(format!(
                    "src/{}:{}: {} names crate::{}",
                    edge.file, edge.line, STAGES[i], edge.target
                ));
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn no_module_imports_the_crate_roots_own_items() {
    let roots = root_modules();
    assert!(
        roots.contains(&"error".to_string()),
        "read no `mod` from lib.rs: {roots:?}"
    );
    let mut violations = Vec::new();
    for (path, module) in modules() {
        for edge in edges(&path, &src(), &module) {
            if !roots.contains(&edge.target) {
                violations.push(format!(
                    "src/{}:{}: names crate::{}, an item of the crate root; \
                     name it from the module that defines it",
                    edge.file, edge.line, edge.target
                ));
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

/// The edge reader itself, on the shapes it must see: a grouped import, a
/// `super::` from a stage's root file (the crate root), and from a test
/// module (the file's own module).
#[test]
fn the_edge_reader_sees_groups_and_super() {
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("site.rs");
    fs::write(
        &fake,
        "use crate::{Error, render::{Job, Sink}};\nuse super::Options;\n\
         // crate::Commented\nmod tests {\n    use super::*;\n}\n",
    )
    .unwrap();
    let module = vec!["site".to_string()];
    let seen: Vec<(usize, String)> = edges(&fake, dir.path(), &module)
        .into_iter()
        .map(|e| (e.line, e.target))
        .collect();
    let want = [(1, "Error"), (1, "render"), (2, "Options"), (5, "site")];
    let want: Vec<(usize, String)> = want.iter().map(|(l, t)| (*l, t.to_string())).collect();
    assert_eq!(seen, want);
}

/// ARCHITECTURE.md names every source file: its path (`render/view.rs`),
/// or its name in backticks (`view`), so a module added without a word
/// there fails here.
#[test]
fn architecture_md_names_every_source_file() {
    let doc =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md")).unwrap();
    let mut unnamed = Vec::new();
    for (path, module) in modules() {
        let rel = path.strip_prefix(src()).unwrap().display().to_string();
        let name = module.last().unwrap();
        let named = [
            rel.clone(),
            format!("`{name}`"),
            format!("`{name}.rs`"),
            format!("`{name}/`"),
        ];
        if !named.iter().any(|n| doc.contains(n.as_str())) {
            unnamed.push(format!("src/{rel}"));
        }
    }
    assert!(
        unnamed.is_empty(),
        "ARCHITECTURE.md does not name: {}",
        unnamed.join(", ")
    );
}
