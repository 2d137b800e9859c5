//! Property tests (issue 7, hostile input): whatever an analyst or an
//! attacker puts in a brief, parsing never panics, every text field reaches
//! the built HTML escaped and intact, and citation numbers depend only on the
//! order of use, never on the order of the `sources:` list.
//!
//! Case counts are modest so the whole file runs in a few seconds; set
//! `PROPTEST_CASES=2000 cargo test --release --test properties` for a longer
//! run (every property then runs that many cases).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use briefs::Diagnostics;
use briefs::internals::config::{self, Config};
use briefs::internals::discover::ContentFile;
use briefs::internals::parse;
use briefs::internals::registry::Registry;
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use scraper::{Html, Selector};

/// A proptest config with `cases` cases (or `PROPTEST_CASES`, when set) and
/// no regression files on disk.
fn cases(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn site_config() -> Config {
    config::parse("title: T\nbase_url: https://example.org/\n").expect("a valid site.yaml")
}

/// Writes `bytes` as a brief in a fresh temp folder and parses it.
fn parse_bytes(bytes: &[u8]) -> (Option<briefs::internals::brief::Brief>, Diagnostics) {
    let dir = tempfile::tempdir().unwrap();
    let abs = dir.path().join("prop.md");
    fs::write(&abs, bytes).unwrap();
    let file = ContentFile {
        path: PathBuf::from("content/briefs/prop.md"),
        abs,
        name: "prop".to_string(),
        assets: Vec::new(),
    };
    let mut out = Diagnostics::default();
    let brief = parse::brief(&file, &site_config(), &Registry::default(), &mut out);
    (brief, out)
}

/// A YAML double-quoted scalar for any string: JSON's escapes are YAML's.
fn yaml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

// ---------------------------------------------------------------------------
// 1. Any bytes as a brief file never panic.

/// Pieces a brief is made of, valid and broken, to splice together so random
/// files get past the front matter fence and into YAML and Markdown.
const FRAGMENTS: &[&str] = &[
    "---\n",
    "...\n",
    "\u{feff}",
    "\r\n",
    "title: T\n",
    "title: [a, b]\n",
    "date: 2026-05-14\n",
    "date: 2026-02-30\n",
    "date: 2026-05-14T09:30:00+99:99\n",
    "updated: 1999-01-01\n",
    "summary: S\n",
    "summary: \n",
    "slug: Not A Slug\n",
    "status: draft\n",
    "tags: [a, \"!!\"]\n",
    "entities: [Société Générale]\n",
    "score: { value: 5, rationale: \"R [@a]\" }\n",
    "score: { value: .nan, rationale: R }\n",
    "score:\n  value: 7.5\n  rationale: |\n    R [@a] [@zz]\n    [@b, p. 4]\n",
    "  factors: [{ name: E, value: 11 }]\n",
    "sources: [{ id: a, publisher: P, title: T }]\n",
    "sources:\n  - id: b\n    publisher: P\n    title: T\n    url: ftp://x\n",
    "  - { id: a, publisher: P, title: T, date: nope }\n",
    "watch: [x, { item: y, by: 2026-12-31 }]\n",
    "extra: { a: &x [1, 2], b: *x }\n",
    "a: &a [x, x]\nb: [*a, *a, *a]\n",
    "\t",
    "  ",
    ": ",
    "- ",
    "\"",
    "'",
    "{",
    "[",
    "]",
    "}",
    "&",
    "*",
    "!!binary ",
    "Body [@a]. ",
    "[@a; @b, p. 4]",
    "[@",
    "[@zz]",
    "\\[@a]",
    "`[@a]`",
    "## Heading\n",
    "# H {#sources}\n",
    "<script>alert(1)</script>",
    "```\n",
    "[^1]: note\n",
    "| a | b |\n|---|---|\n",
    "é",
    "😀",
];

fn brief_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        3 => proptest::sample::select(FRAGMENTS).prop_map(|s| s.as_bytes().to_vec()),
        1 => proptest::collection::vec(any::<u8>(), 0..8),
        1 => "\\PC{0,8}".prop_map(String::into_bytes),
    ];
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..256),
        proptest::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat()),
    ]
}

proptest! {
    #![proptest_config(cases(400))]

    /// `parse::brief` returns a brief or diagnostics for any file content,
    /// and every diagnostic renders; a returned brief has no errors.
    #[test]
    fn any_bytes_as_a_brief_never_panic(bytes in brief_bytes()) {
        let (brief, out) = parse_bytes(&bytes);
        for d in out.iter() {
            let _ = d.to_string();
            let _ = d.render(false);
        }
        if brief.is_some() {
            prop_assert!(!out.has_errors(), "{out:?}");
        }
    }
}

// ---------------------------------------------------------------------------
// 2. Text fields come out escaped and intact.

/// Text an analyst (or an attacker) might type: markup characters, quotes,
/// template syntax and non-ASCII, plus a few known payloads.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z0-9 <>&\"'/=;:#{}\\[\\]\\\\!?*|%@`~.,()é中😀\u{a0}-]{1,24}",
        1 => proptest::sample::select(&[
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "</title><script>alert(1)</script>",
            "</script><script>alert(1)</script>",
            "' onmouseover='alert(1)",
            "&amp; &lt;b&gt; &#x3C;",
            "{{ site.title }} {% raw %}",
            "javascript:alert(1)",
        ][..]).prop_map(str::to_string),
    ]
    .prop_filter("blank text is a validation error", |s| !s.trim().is_empty())
    .prop_filter(
        "a citation in a plain-text field is an error (`plain_field_citations`)",
        |s| !(s.contains('@') && (s.contains('[') || s.contains("@a"))),
    )
}

/// A tag or entity needs a letter or digit to get a page.
fn term() -> impl Strategy<Value = String> {
    text().prop_map(|s| format!("{s} x"))
}

#[derive(Debug, Clone)]
struct Fields {
    title: String,
    summary: String,
    tag: String,
    entity: String,
    publisher: String,
    source_title: String,
    url_tail: String,
    factor: String,
    note: String,
    watch: String,
}

fn fields() -> impl Strategy<Value = Fields> {
    (
        (text(), text(), term(), term(), text()),
        (text(), text(), text(), text(), text()),
    )
        .prop_map(
            |(
                (title, summary, tag, entity, publisher),
                (source_title, url_tail, factor, note, watch),
            )| Fields {
                title,
                summary,
                tag,
                entity,
                publisher,
                source_title,
                url_tail,
                factor,
                note,
                watch,
            },
        )
}

impl Fields {
    /// The source URL, with what a URL must percent-encode (spaces,
    /// controls, `"`, `<`, `>`, `\`) encoded, as validation requires.
    fn url(&self) -> String {
        let mut tail = String::new();
        for c in self.url_tail.trim().chars() {
            if c.is_whitespace() || c.is_control() || "\"<>\\".contains(c) {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    tail.push_str(&format!("%{b:02X}"));
                }
            } else {
                tail.push(c);
            }
        }
        format!("https://example.org/{tail}")
    }

    fn brief(&self) -> String {
        format!(
            "---\ntitle: {}\ndate: 2026-05-14\nsummary: {}\ntags: [{}]\nentities: [{}]\n\
             score:\n  value: 5\n  rationale: R [@a]\n  factors: [{{ name: {}, value: 3, note: {} }}]\n\
             sources:\n  - {{ id: a, publisher: {}, title: {}, url: {} }}\n\
             watch: [{}]\n---\nBody [@a].\n",
            yaml_str(&self.title),
            yaml_str(&self.summary),
            yaml_str(&self.tag),
            yaml_str(&self.entity),
            yaml_str(&self.factor),
            yaml_str(&self.note),
            yaml_str(&self.publisher),
            yaml_str(&self.source_title),
            yaml_str(&self.url()),
            yaml_str(&self.watch),
        )
    }
}

fn select<'a>(html: &'a Html, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    let sel = Selector::parse(selector).unwrap();
    html.select(&sel).collect()
}

fn text_of(html: &Html, selector: &str) -> Vec<String> {
    select(html, selector)
        .iter()
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

fn attr_of(html: &Html, selector: &str, attr: &str) -> Vec<String> {
    select(html, selector)
        .iter()
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// Scripts and handlers that the payloads above would create if unescaped.
fn injected(html: &Html) -> Option<String> {
    for node in html.tree.nodes() {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        if let Some((attr, _)) = element.attrs().find(|(a, _)| a.starts_with("on")) {
            return Some(format!("`{attr}` on <{}>", element.name()));
        }
        if element.name() == "script" {
            let script = scraper::ElementRef::wrap(node).unwrap();
            if script.text().any(|t| t.contains("alert")) {
                return Some("a <script> running alert".to_string());
            }
        }
    }
    None
}

/// Every file of the output folder, as text.
fn output_files(dir: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let text = fs::read_to_string(e.path()).ok()?;
            Some((e.path().display().to_string(), text))
        })
        .collect()
}

proptest! {
    #![proptest_config(cases(24))]

    /// Title, summary, tags, entities, every source field, factor names and
    /// notes and watch items round-trip as text through the built page, and
    /// none of them adds an element, attribute or script.
    #[test]
    fn text_fields_are_escaped_in_the_built_html(f in fields()) {
        let site = tempfile::tempdir().unwrap();
        fs::write(
            site.path().join("site.yaml"),
            // Not the sources' host: a URL under the site's own base URL is an
            // internal link, which the build checks.
            "title: Desk\nbase_url: https://desk.example/\n",
        )
        .unwrap();
        fs::create_dir_all(site.path().join("content/briefs")).unwrap();
        fs::write(site.path().join("content/briefs/prop.md"), f.brief()).unwrap();
        let output = site.path().join("public");
        let options = briefs::Options {
            root: site.path().to_path_buf(),
            output: Some(output.clone()),
            ..Default::default()
        };
        if let Err(e) = briefs::build(&options) {
            let detail = match &e {
                briefs::Error::Content(d) => format!("{d:?}"),
                other => other.to_string(),
            };
            return Err(TestCaseError::fail(format!("build failed: {detail}\n{}", f.brief())));
        }

        let page_text = fs::read_to_string(output.join("briefs/prop/index.html")).unwrap();
        let page = Html::parse_document(&page_text);
        let t = |s: &String| s.trim().to_string();
        prop_assert_eq!(text_of(&page, "h1.brief-title"), vec![t(&f.title)]);
        prop_assert_eq!(text_of(&page, "title"), vec![format!("{} — Desk", t(&f.title))]);
        prop_assert_eq!(attr_of(&page, "meta[property='og:title']", "content"), vec![t(&f.title)]);
        prop_assert_eq!(text_of(&page, "p.dek"), vec![t(&f.summary)]);
        prop_assert_eq!(attr_of(&page, "meta[name=description]", "content"), vec![t(&f.summary)]);
        prop_assert_eq!(text_of(&page, "a.tag:not(.entity)"), vec![t(&f.tag)]);
        prop_assert_eq!(text_of(&page, "a.entity"), vec![t(&f.entity)]);
        // The reference text is the CSL style's: its case and quotation
        // marks are the style's, its letters and digits the source's.
        let letters = |s: &str| {
            s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>()
        };
        let reference = letters(&text_of(&page, ".csl-entry").concat());
        prop_assert!(reference.contains(&letters(&f.publisher)), "{reference}");
        prop_assert!(reference.contains(&letters(&f.source_title)), "{reference}");
        let hrefs = attr_of(&page, ".csl-entry a", "href");
        prop_assert_eq!(hrefs.first(), Some(&f.url()));
        prop_assert_eq!(text_of(&page, "table.factors tbody th"), vec![t(&f.factor)]);
        prop_assert_eq!(text_of(&page, "table.factors tbody td:last-child"), vec![t(&f.note)]);
        prop_assert_eq!(text_of(&page, ".watch-item"), vec![t(&f.watch)]);

        // JSON and scripts may hold the raw strings; markup files may not.
        let markup = output_files(&output)
            .into_iter()
            .filter(|(path, _)| path.ends_with(".html") || path.ends_with(".xml"));
        for (path, text) in markup {
            prop_assert!(!text.contains("<script>alert"), "raw script in {}", path);
            prop_assert!(!text.contains("<img src=x"), "raw element in {}", path);
            if path.ends_with(".html") {
                let html = Html::parse_document(&text);
                prop_assert_eq!(injected(&html), None, "in {}", path);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// 3. Citation numbers do not depend on the order of `sources:`.

/// The number each source id gets in a brief citing `uses` (groups of ids per
/// bracket, each group of distinct ids) with the sources listed in `order`.
fn numbers(
    order: &[usize],
    body_uses: &[Vec<usize>],
    rationale_uses: &[Vec<usize>],
) -> BTreeMap<String, Option<usize>> {
    let bracket = |group: &Vec<usize>| {
        let ids: Vec<String> = group.iter().map(|i| format!("@s{i}")).collect();
        format!("[{}]", ids.join("; "))
    };
    let sources: String = order
        .iter()
        .map(|i| format!("  - {{ id: s{i}, publisher: P{i}, title: T{i} }}\n"))
        .collect();
    let body: Vec<String> = body_uses
        .iter()
        .map(|g| format!("Claim {}.", bracket(g)))
        .collect();
    let rationale: Vec<String> = rationale_uses.iter().map(bracket).collect();
    let text = format!(
        "---\ntitle: T\ndate: 2026-05-14\nsummary: S\nscore:\n  value: 5\n  rationale: |\n    R {}\n\
         sources:\n{sources}---\n{}\n",
        rationale.join(" "),
        body.join("\n\n"),
    );
    let (brief, out) = parse_bytes(text.as_bytes());
    let brief = brief.unwrap_or_else(|| panic!("{out:?}\n{text}"));
    brief
        .sources
        .iter()
        .map(|s| (s.id.clone(), s.number))
        .collect()
}

fn uses(n: usize) -> impl Strategy<Value = Vec<Vec<usize>>> {
    proptest::collection::vec(
        proptest::collection::btree_set(0..n, 1..=3.min(n)).prop_map(|s| s.into_iter().collect()),
        0..8,
    )
}

fn numbering_case() -> impl Strategy<Value = (Vec<usize>, Vec<Vec<usize>>, Vec<Vec<usize>>)> {
    (1usize..8).prop_flat_map(|n| {
        (
            Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
            uses(n),
            uses(n),
        )
    })
}

proptest! {
    #![proptest_config(cases(64))]

    /// Shuffling `sources:` changes no source's number: numbers follow first
    /// use (body, then rationale), and uncited sources have none.
    #[test]
    fn citation_numbers_ignore_source_order((shuffled, body, rationale) in numbering_case()) {
        let listed: Vec<usize> = (0..shuffled.len()).collect();
        let expected = numbers(&listed, &body, &rationale);
        prop_assert_eq!(&numbers(&shuffled, &body, &rationale), &expected);

        // And they are the order of first use.
        let mut first_use: Vec<usize> = Vec::new();
        for i in body.iter().chain(&rationale).flatten() {
            if !first_use.contains(i) {
                first_use.push(*i);
            }
        }
        for (i, n) in &expected {
            let index: usize = i[1..].parse().unwrap();
            prop_assert_eq!(*n, first_use.iter().position(|&u| u == index).map(|p| p + 1));
        }
    }
}
