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
//!
//! Read to the module each path reaches, the edges must hold no circle:
//! modules that import each other, directly or round a loop, are one part
//! that cannot be read or changed alone. And the rooms of `content/` point
//! one way: `content/types/`, the bottom room, imports no other module of
//! `content/`, and each room imports only the rooms below it.

use std::collections::{BTreeMap, BTreeSet};
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

/// One import between modules: `from` names `to` at `file:line`.
#[derive(Debug, Clone)]
struct Import {
    from: Vec<String>,
    to: Vec<String>,
    file: String,
    line: usize,
}

/// Every full path that starts at `text` (just after `crate::` or the last
/// `super::`), its segments after `base`: one path, or one for each member
/// of a `{…}` group, groups nested to any depth (`self` and `*` name the
/// group's own path).
fn full_paths(base: &[String], text: &str) -> Vec<Vec<String>> {
    let mut path = base.to_vec();
    let mut rest = text;
    loop {
        if let Some(group) = rest.strip_prefix('{') {
            return group_members(group)
                .into_iter()
                .flat_map(|m| match m {
                    "self" | "*" => vec![path.clone()],
                    m => full_paths(&path, m),
                })
                .collect();
        }
        let name = ident(rest);
        if name.is_empty() {
            return vec![path];
        }
        path.push(name.to_string());
        match rest[name.len()..].strip_prefix("::") {
            Some(more) => rest = more,
            None => return vec![path],
        }
    }
}

/// The members of the group whose text starts just after its `{`, trimmed.
fn group_members(group: &str) -> Vec<&str> {
    let (mut depth, mut members, mut start) = (0, Vec::new(), 0);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                members.push(group[start..i].trim());
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                members.push(group[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    members.into_iter().filter(|m| !m.is_empty()).collect()
}

/// The imports of the file at `path` (module path `module`) between
/// modules of `known`: each `crate::`/`super::` path read to the longest
/// known module it names. Comment lines are skipped, and so is a test
/// module (`#[cfg(test)]` then `mod`) and all after it: test code is built
/// only for the tests, not part of the layers.
fn module_imports(
    path: &Path,
    base: &Path,
    module: &[String],
    known: &BTreeSet<Vec<String>>,
) -> Vec<Import> {
    let file = path.strip_prefix(base).unwrap().display().to_string();
    let text = fs::read_to_string(path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let code = line.trim_start();
        let next = lines.get(n + 1).map_or("", |l| l.trim_start());
        if code.starts_with("#[cfg(test)]") && next.starts_with("mod ") {
            break;
        }
        if code.starts_with("//") {
            continue;
        }
        let rest_of_file = lines[n..].join("\n");
        let mut from = 0;
        while let Some(i) = find_path_start(&line[from..]) {
            let at = from + i;
            let (resolved, after) = resolve(module, &line[at..]);
            let start = at + after;
            for full in full_paths(&resolved, &rest_of_file[start..]) {
                let reached = (1..=full.len())
                    .rev()
                    .map(|k| full[..k].to_vec())
                    .find(|prefix| known.contains(prefix));
                if let Some(to) = reached.filter(|to| to != module) {
                    found.push(Import {
                        from: module.to_vec(),
                        to,
                        file: file.clone(),
                        line: n + 1,
                    });
                }
            }
            from = start;
        }
    }
    found
}

/// Every import between the modules of `src/`.
fn all_imports() -> Vec<Import> {
    let found = modules();
    let known: BTreeSet<Vec<String>> = found.iter().map(|(_, m)| m.clone()).collect();
    found
        .iter()
        .flat_map(|(path, module)| module_imports(path, &src(), module, &known))
        .collect()
}

/// The strongly connected components of the import graph with more than
/// one module (Tarjan's algorithm): each is an import circle.
fn circles(imports: &[Import]) -> Vec<Vec<Vec<String>>> {
    let mut graph: BTreeMap<&[String], BTreeSet<&[String]>> = BTreeMap::new();
    for i in imports {
        graph.entry(&i.from).or_default().insert(&i.to);
        graph.entry(&i.to).or_default();
    }
    let mut tarjan = Tarjan::default();
    for &node in graph.keys() {
        if !tarjan.index.contains_key(node) {
            tarjan.visit(node, &graph);
        }
    }
    tarjan.found
}

/// The state of one run of Tarjan's algorithm.
#[derive(Default)]
struct Tarjan<'g> {
    index: BTreeMap<&'g [String], usize>,
    low: BTreeMap<&'g [String], usize>,
    stack: Vec<&'g [String]>,
    on_stack: BTreeSet<&'g [String]>,
    found: Vec<Vec<Vec<String>>>,
}

impl<'g> Tarjan<'g> {
    fn visit(
        &mut self,
        node: &'g [String],
        graph: &BTreeMap<&'g [String], BTreeSet<&'g [String]>>,
    ) {
        let n = self.index.len();
        self.index.insert(node, n);
        self.low.insert(node, n);
        self.stack.push(node);
        self.on_stack.insert(node);
        for &next in &graph[node] {
            if !self.index.contains_key(next) {
                self.visit(next, graph);
                let low = self.low[node].min(self.low[next]);
                self.low.insert(node, low);
            } else if self.on_stack.contains(next) {
                let low = self.low[node].min(self.index[next]);
                self.low.insert(node, low);
            }
        }
        if self.low[node] == self.index[node] {
            let mut component = Vec::new();
            loop {
                let member = self.stack.pop().unwrap();
                self.on_stack.remove(member);
                component.push(member.to_vec());
                if member == node {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                self.found.push(component);
            }
        }
    }
}

/// A circle as the failure names it: its modules, then each import that
/// closes it, where it is written.
fn describe(circle: &[Vec<String>], imports: &[Import]) -> String {
    let names: Vec<String> = circle.iter().map(|m| m.join("::")).collect();
    let mut out = format!(
        "an import circle of {} modules: {}",
        circle.len(),
        names.join(", ")
    );
    let mut closing: Vec<String> = imports
        .iter()
        .filter(|i| circle.contains(&i.from) && circle.contains(&i.to))
        .map(|i| {
            format!(
                "\n  src/{}:{}: {} imports {}",
                i.file,
                i.line,
                i.from.join("::"),
                i.to.join("::")
            )
        })
        .collect();
    closing.dedup();
    out.extend(closing);
    out
}

#[test]
fn no_import_circle_in_src() {
    let imports = all_imports();
    assert!(
        imports
            .iter()
            .any(|i| i.to == ["content", "types", "brief"]),
        "read no import of content::types::brief: the reader is broken"
    );
    let found: Vec<String> = circles(&imports)
        .iter()
        .map(|c| describe(c, &imports))
        .collect();
    assert!(
        found.is_empty(),
        "{}\nmodules must import one way: move the shared type down, pass the \
         value in, or split the module whose halves belong to different rooms",
        found.join("\n")
    );
}

#[test]
fn the_bottom_room_of_content_imports_no_sibling() {
    let bottom = ["content", "types"];
    let mut violations = Vec::new();
    for i in all_imports() {
        if i.from.starts_with(&bottom.map(String::from))
            && i.to[0] == "content"
            && !i.to.starts_with(&bottom.map(String::from))
        {
            violations.push(format!(
                "src/{}:{}: {} imports {}; content/types/ is the bottom room \
                 and imports no other module of content/",
                i.file,
                i.line,
                i.from.join("::"),
                i.to.join("::")
            ));
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

/// The rooms of `content/`, bottom first (ARCHITECTURE.md): a room imports
/// only the rooms before it. `config` (`site.yaml`) sits among them; the
/// modules above them all (`parse`, `scaffold`, `content.rs`) and the
/// leaves (`discover`, `slugs`) are not ranked.
const ROOMS: &[&str] = &["types", "matter", "cite", "config", "body", "checks"];

#[test]
fn a_room_of_content_imports_only_the_rooms_below_it() {
    let rank = |m: &[String]| {
        (m.len() > 1 && m[0] == "content")
            .then(|| ROOMS.iter().position(|r| *r == m[1]))
            .flatten()
    };
    let mut violations = Vec::new();
    for i in all_imports() {
        if let (Some(from), Some(to)) = (rank(&i.from), rank(&i.to))
            && to > from
        {
            violations.push(format!(
                "src/{}:{}: {} imports {}; content/{} is below content/{}",
                i.file,
                i.line,
                i.from.join("::"),
                i.to.join("::"),
                ROOMS[from],
                ROOMS[to]
            ));
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

/// The circle finder on a small tree of its own: two modules that import
/// each other through a group and a `super::` path are one circle, named
/// with the imports that close it; the test module's import is not read.
#[test]
fn the_circle_finder_names_a_circle() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("a")).unwrap();
    let files = [
        ("a/one.rs", "use crate::a::{two::Thing, self};\n"),
        (
            "a/two.rs",
            "use super::one;\n#[cfg(test)]\nmod tests {\n    use crate::b::c;\n}\n",
        ),
        ("b/c.rs", "use crate::a::one::f;\n"),
    ];
    let known: BTreeSet<Vec<String>> = [
        vec!["a"],
        vec!["a", "one"],
        vec!["a", "two"],
        vec!["b", "c"],
    ]
    .iter()
    .map(|m| m.iter().map(|s| s.to_string()).collect())
    .collect();
    let mut imports = Vec::new();
    for (rel, text) in files {
        let path = dir.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        let module: Vec<String> = rel
            .trim_end_matches(".rs")
            .split('/')
            .map(String::from)
            .collect();
        imports.extend(module_imports(&path, dir.path(), &module, &known));
    }
    let found = circles(&imports);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        describe(&found[0], &imports),
        "an import circle of 2 modules: a::one, a::two\n  \
         src/a/one.rs:1: a::one imports a::two\n  \
         src/a/two.rs:1: a::two imports a::one"
    );
}
