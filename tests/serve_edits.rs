//! Invalidation against random saves: a serve session that is fed random
//! sequences of edits (a brief's body, score, tags and entities, date, title or status; a
//! rename, a deletion, an addition; a partial template, a static file, a
//! page, `site.yaml`) serves, after every one, exactly the bytes a clean
//! build of the same files writes. `tests/serve.rs` checks a fixed script;
//! this finds the orders and combinations nobody wrote down.
//!
//! The case count is modest so the file runs in well under a minute in a
//! debug build; `PROPTEST_CASES=500 cargo test --release --test serve_edits`
//! runs longer. The test prints how many edits it applied.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use briefs::Options;
use briefs::internals::session::Session;
use common::snapshot_dir;
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestCaseError, TestRunner};
use tempfile::TempDir;

const BASE: &str = "http://127.0.0.1:1111/";
const TAGS: &[&str] = &["cloud", "AI Chips", "energy", "policy"];
const DATES: &[&str] = &[
    "2025-12-01",
    "2026-01-02",
    "2026-03-01",
    "2026-03-01T09:30:00+01:00",
    "2026-05-14",
    "2026-07-01",
];
const WORDS: &[&str] = &["quantum", "zebra", "harbour", "lithium", "annealing"];
const TITLES: &[&str] = &["Chips & clouds", "A quiet quarter", "Grid news", "Talks"];

/// One save an analyst can make. Numbers pick a brief (modulo the briefs
/// there are) or a variant of the change.
#[derive(Clone, Debug)]
enum Edit {
    Body(usize, usize),
    Score(usize, u8),
    Tags(usize, Vec<usize>),
    Date(usize, usize),
    Title(usize, usize),
    Status(usize),
    Rename(usize),
    Delete(usize),
    Add(usize),
    Partial(u8),
    Static(u8),
    Page(u8),
    Config(u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    let brief = 0..16usize;
    prop_oneof![
        (brief.clone(), 0..WORDS.len()).prop_map(|(i, w)| Edit::Body(i, w)),
        (brief.clone(), 0..=20u8).prop_map(|(i, s)| Edit::Score(i, s)),
        (
            brief.clone(),
            proptest::collection::btree_set(0..TAGS.len(), 0..=2)
        )
            .prop_map(|(i, t)| Edit::Tags(i, t.into_iter().collect())),
        (brief.clone(), 0..DATES.len()).prop_map(|(i, d)| Edit::Date(i, d)),
        (brief.clone(), 0..TITLES.len()).prop_map(|(i, t)| Edit::Title(i, t)),
        brief.clone().prop_map(Edit::Status),
        brief.clone().prop_map(Edit::Rename),
        brief.prop_map(Edit::Delete),
        (0..DATES.len()).prop_map(Edit::Add),
        (0..4u8).prop_map(Edit::Partial),
        (0..3u8).prop_map(Edit::Static),
        (0..3u8).prop_map(Edit::Page),
        (0..6u8).prop_map(Edit::Config),
    ]
}

/// A brief as the test keeps it; written out whole after every change.
#[derive(Clone, Debug)]
struct Brief {
    title: String,
    date: &'static str,
    /// Half points: 15 is 7.5.
    score: u8,
    tags: Vec<&'static str>,
    draft: bool,
    word: &'static str,
}

impl Brief {
    fn text(&self) -> String {
        let tags: Vec<String> = self.tags.iter().map(|t| format!("{t:?}")).collect();
        // Its first tag is also an entity: entity pages show a score history.
        let entities = tags.first().cloned().unwrap_or_default();
        format!(
            "---\ntitle: {:?}\ndate: {}\nsummary: About {}.\nstatus: {}\ntags: [{}]\n\
             entities: [{entities}]\n\
             score: {{ value: {}, rationale: \"Because [@a].\" }}\n\
             sources: [{{ id: a, publisher: A, title: T }}]\n\
             watch: [{{ item: Next {}, by: 2026-12-31 }}]\n---\n\
             Body on {} [@a].\n\nMore about {}.\n",
            self.title,
            self.date,
            self.word,
            if self.draft { "draft" } else { "published" },
            tags.join(", "),
            f64::from(self.score) / 2.0,
            self.word,
            self.word,
            self.word,
        )
    }
}

/// The site's files on disk and the briefs written into them.
struct Site {
    root: PathBuf,
    briefs: BTreeMap<String, Brief>,
    next: usize,
}

impl Site {
    fn create(root: &Path) -> Site {
        let mut site = Site {
            root: root.to_path_buf(),
            briefs: BTreeMap::new(),
            next: 0,
        };
        site.write("site.yaml", &config(1));
        site.write("content/pages/about.md", &page(0));
        site.write("static/robots-extra.txt", "first\n");
        for (n, date) in DATES.iter().take(5).enumerate() {
            let brief = Brief {
                title: TITLES[n % TITLES.len()].to_string(),
                date,
                score: u8::try_from(n * 4).unwrap(),
                tags: TAGS[n % 3..n % 3 + 2].to_vec(),
                draft: n == 3,
                word: WORDS[n],
            };
            site.put(format!("b{n}"), brief);
        }
        site
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    fn remove(&self, rel: &str) {
        let _ = fs::remove_file(self.root.join(rel));
    }

    /// Writes a brief and returns its path.
    fn put(&mut self, name: String, brief: Brief) -> String {
        let rel = format!("content/briefs/{name}.md");
        self.write(&rel, &brief.text());
        self.briefs.insert(name, brief);
        rel
    }

    /// The name of the `i`th brief, counting round.
    fn pick(&self, i: usize) -> String {
        self.briefs
            .keys()
            .nth(i % self.briefs.len())
            .unwrap()
            .clone()
    }

    /// Changes brief `i` with `change` and writes it back.
    fn change(&mut self, i: usize, change: impl FnOnce(&mut Brief)) -> Vec<String> {
        let name = self.pick(i);
        let mut brief = self.briefs[&name].clone();
        change(&mut brief);
        vec![self.put(name, brief)]
    }

    /// Makes the save `edit` and returns the paths it touched, as a watcher
    /// reports them; none when the edit does not apply (the last brief is
    /// never deleted).
    fn apply(&mut self, edit: &Edit) -> Vec<String> {
        match edit {
            Edit::Body(i, w) => self.change(*i, |b| b.word = WORDS[*w]),
            Edit::Score(i, s) => self.change(*i, |b| b.score = *s),
            Edit::Tags(i, t) => self.change(*i, |b| b.tags = t.iter().map(|&t| TAGS[t]).collect()),
            Edit::Date(i, d) => self.change(*i, |b| b.date = DATES[*d]),
            Edit::Title(i, t) => self.change(*i, |b| b.title = TITLES[*t].to_string()),
            Edit::Status(i) => self.change(*i, |b| b.draft = !b.draft),
            Edit::Rename(i) => {
                let name = self.pick(*i);
                let brief = self.briefs.remove(&name).unwrap();
                let from = format!("content/briefs/{name}.md");
                self.next += 1;
                let to = format!("content/briefs/r{}.md", self.next);
                fs::rename(self.root.join(&from), self.root.join(&to)).unwrap();
                self.briefs.insert(format!("r{}", self.next), brief);
                vec![from, to]
            }
            Edit::Delete(_) if self.briefs.len() == 1 => Vec::new(),
            Edit::Delete(i) => {
                let name = self.pick(*i);
                self.briefs.remove(&name);
                let rel = format!("content/briefs/{name}.md");
                self.remove(&rel);
                vec![rel]
            }
            Edit::Add(d) => {
                self.next += 1;
                let brief = Brief {
                    title: format!("Added {}", self.next),
                    date: DATES[*d],
                    score: 19,
                    tags: vec!["fresh"],
                    draft: false,
                    word: WORDS[*d % WORDS.len()],
                };
                vec![self.put(format!("a{}", self.next), brief)]
            }
            Edit::Partial(v) => self.partial(*v),
            Edit::Static(v) => self.static_file(*v),
            Edit::Page(v) => {
                self.write("content/pages/about.md", &page(*v));
                vec!["content/pages/about.md".into()]
            }
            Edit::Config(v) => {
                self.write("site.yaml", &config(*v));
                vec!["site.yaml".into()]
            }
        }
    }

    /// Overrides a partial template with a variant, or removes the override.
    fn partial(&self, variant: u8) -> Vec<String> {
        let badge = "templates/partials/score_badge.html";
        let footer = "templates/partials/footer_extra.html";
        match variant {
            0 => self.remove(badge),
            1 => self.write(badge, "<b class=\"badge\">{{ score.display }}</b>"),
            2 => self.write(badge, "<i>{{ score.band }} {{ score.display }}</i>"),
            _ => self.write(footer, "<p>Desk footer</p>"),
        }
        vec![if variant == 3 { footer } else { badge }.into()]
    }

    /// Edits, adds or removes a static file.
    fn static_file(&self, variant: u8) -> Vec<String> {
        match variant {
            0 => {
                self.write(
                    "static/robots-extra.txt",
                    &format!("edited {}\n", self.next),
                );
                vec!["static/robots-extra.txt".into()]
            }
            1 => {
                self.write("static/notes.txt", "notes\n");
                vec!["static/notes.txt".into()]
            }
            _ => {
                self.remove("static/notes.txt");
                vec!["static/notes.txt".into()]
            }
        }
    }
}

fn config(variant: u8) -> String {
    format!(
        "title: {}\nbase_url: https://example.org/briefs/\nper_page: {}\n\
         scoring:\n  scale: 10\n  bands:\n    - {{ min: 8, label: High }}\n\
         \x20   - {{ min: 5, label: Medium }}\n    - {{ min: 0, label: Low }}\n",
        if variant < 3 { "Desk" } else { "The desk" },
        1 + variant % 3,
    )
}

fn page(variant: u8) -> String {
    let title = ["About us", "About the desk", "Who we are"][usize::from(variant % 3)];
    format!("---\ntitle: {title}\nsummary: Who.\n---\nWe write briefs, version {variant}.\n")
}

/// Where two built folders first differ: the path and both sides around
/// the first differing byte.
fn first_difference(served: &Path, clean: &Path) -> Option<String> {
    let served = snapshot_dir(served);
    let mut clean = snapshot_dir(clean);
    // Only a build marks its output as its own; serve's folder is its own.
    clean.remove(briefs::BUILD_MARKER);
    for path in served.keys().chain(clean.keys()) {
        let (Some(s), Some(c)) = (served.get(path), clean.get(path)) else {
            let side = if served.contains_key(path) {
                "served only"
            } else {
                "clean build only"
            };
            return Some(format!("{path}: {side}"));
        };
        if s != c {
            let at = s.iter().zip(c).take_while(|(a, b)| a == b).count();
            let window = |bytes: &[u8]| {
                let from = at.saturating_sub(80);
                let to = (at + 120).min(bytes.len());
                String::from_utf8_lossy(&bytes[from..to]).into_owned()
            };
            return Some(format!(
                "{path} differs at byte {at}:\n--- served\n{}\n--- clean\n{}",
                window(s),
                window(c)
            ));
        }
    }
    None
}

/// Applies `edits` one by one to a fresh site served by a session, and
/// compares the served folder with a clean build after each.
fn served_equals_clean_after_each(
    edits: &[Edit],
    drafts: bool,
    applied: &AtomicUsize,
) -> Result<(), TestCaseError> {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("site");
    let mut site = Site::create(&root);
    let options = Options {
        root: root.canonicalize().unwrap(),
        base_url: Some(BASE.into()),
        drafts,
        ..Options::default()
    };
    let served = tmp.path().join("served");
    let (mut session, first) = Session::start(options.clone(), served.clone()).unwrap();
    first.map_err(|e| TestCaseError::fail(format!("first build: {e}")))?;
    let mut log = String::new();
    for (step, edit) in edits.iter().enumerate() {
        let changed = site.apply(edit);
        if changed.is_empty() {
            continue;
        }
        applied.fetch_add(1, Ordering::Relaxed);
        let _ = writeln!(log, "{step}: {edit:?} -> {changed:?}");
        let paths: Vec<PathBuf> = changed.iter().map(|p| options.root.join(p)).collect();
        session
            .rebuild(&paths)
            .map_err(|e| TestCaseError::fail(format!("{log}rebuild failed: {e}")))?;
        let clean = tmp.path().join(format!("clean-{step}"));
        let build = Options {
            output: Some(clean.clone()),
            ..options.clone()
        };
        briefs::build(&build)
            .map_err(|e| TestCaseError::fail(format!("{log}clean build failed: {e}")))?;
        if let Some(difference) = first_difference(&served, &clean) {
            return Err(TestCaseError::fail(format!(
                "drafts: {drafts}\n{log}{difference}"
            )));
        }
        fs::remove_dir_all(&clean).unwrap();
    }
    Ok(())
}

#[test]
fn random_saves_serve_what_a_clean_build_writes() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(16);
    let mut runner = TestRunner::new(ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let applied = AtomicUsize::new(0);
    let strategy = (proptest::collection::vec(edit(), 3..=8), any::<bool>());
    let result = runner.run(&strategy, |(edits, drafts)| {
        served_equals_clean_after_each(&edits, drafts, &applied)
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let applied = applied.into_inner();
    println!("{cases} cases, {applied} edits applied, each compared with a clean build");
    // Deletions of the last brief are skipped; nearly every edit applies.
    assert!(applied >= usize::try_from(cases).unwrap() * 3);
}
