//! Pandoc's citation syntax and bibliographies, asserted on what a reader
//! gets: the HTML of each form in `tests/fixtures/citations` (one labelled
//! paragraph per form of Pandoc's manual), the sources it lists from a
//! BibTeX file and a CSL-JSON export, and the exact text of the errors.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{build_site, fixture, page, run_in};
use scraper::{Html, Selector};
use tempfile::TempDir;

/// Builds the fixture; returns the temp folder and the output folder.
fn build_fixture() -> (TempDir, PathBuf) {
    let (tmp, out, _, stderr) = build_site(&fixture("citations"), &[]);
    assert!(!stderr.contains("warning"), "{stderr}");
    (tmp, out)
}

/// The inner HTML of the paragraph whose text starts with `label`.
fn paragraph(html: &Html, label: &str) -> String {
    let sel = Selector::parse("p").unwrap();
    html.select(&sel)
        .find(|p| p.text().collect::<String>().starts_with(label))
        .unwrap_or_else(|| panic!("no paragraph {label}"))
        .inner_html()
}

/// A citation link, attributes in the order scraper writes them.
fn link(n: usize, place: usize) -> String {
    format!(
        "<a aria-label=\"Source {n}\" class=\"cite-ref\" href=\"#source-{n}\" id=\"cite-{n}-{place}\">{n}</a>"
    )
}

#[test]
fn every_form_of_pandocs_manual_renders() {
    let (_tmp, out) = build_fixture();
    let html = page(&out, "briefs/forms/index.html");
    let cases: Vec<(&str, String)> = vec![
        ("F01", format!("F01 Packaging is the bottleneck<sup class=\"cite\"><span class=\"cite-prefix\">see </span>{}<span class=\"cite-locator\">, pp. 33–35</span><span class=\"cite-sep\">,</span><span class=\"cite-prefix\"> also </span>{}<span class=\"cite-locator\">, chap. 1</span></sup>.", link(1, 1), link(2, 1))),
        ("F02", format!("F02 No comma before the locator<sup class=\"cite\">{}<span class=\"cite-locator\">, p. 33</span></sup>.", link(1, 2))),
        ("F03", format!("F03 A locator and a suffix<sup class=\"cite\">{}<span class=\"cite-locator\">, pp. 33, 35–37</span><span class=\"cite-suffix\">, and nowhere else</span></sup>.", link(1, 3))),
        ("F04", format!("F04 Braces protect a locator<sup class=\"cite\">{}<span class=\"cite-locator\">, pp. iv, vi–xi</span></sup>.", link(3, 1))),
        ("F05", format!("F05 Bloomberg says capacity doubles<sup class=\"cite\">{}</sup>.", link(1, 4))),
        // In-text citations name the entry's authors ("Bloomberg News"), not
        // its journal ("Bloomberg"), as Pandoc does.
        ("F06", format!("F06 <span class=\"cite-author\">Bloomberg News</span><sup class=\"cite\">{}</sup> says capacity doubles.", link(1, 5))),
        ("F07", format!("F07 <span class=\"cite-author\">Bloomberg News</span><sup class=\"cite\">{}<span class=\"cite-locator\">, p. 33</span></sup> says capacity doubles.", link(1, 6))),
        ("F08", "F08 Write to desk@example.org or follow @chipwatcher for updates.".to_string()),
        ("F09", format!("F09 Keys:<sup class=\"cite\">{}</sup>,<sup class=\"cite\">{}</sup> and<sup class=\"cite\">{}</sup>.", link(4, 1), link(5, 1), link(6, 1))),
        ("F10", format!("F10 An entity and emphasis<sup class=\"cite\">{}<span class=\"cite-locator\">, p.&nbsp;33</span><span class=\"cite-sep\">,</span>{}<span class=\"cite-suffix\">, <em>passim</em></span></sup>.", link(7, 1), link(8, 1))),
        ("F11", format!("F11 After an exclamation mark, a citation, as Pandoc 3 reads it: Wow!<sup class=\"cite\">{}</sup>.", link(1, 7))),
        ("F12", "F12 A link keeps its citation <a href=\"https://example.org/hbm\">see<sup class=\"cite\"><span class=\"cite-ref\" id=\"cite-9-1\">9</span></sup></a>.".to_string()),
        ("F13", format!("F13 Collapsed<sup class=\"cite\">{}</sup>[] and a figure from Zotero<sup class=\"cite\">{}</sup>.", link(10, 1), link(11, 1))),
        ("F14", format!("F14 Registry and CSL-JSON sources together<sup class=\"cite\">{}<span class=\"cite-sep\">,</span>{}<span class=\"cite-locator\">, sec. 3</span></sup>.", link(12, 1), link(13, 1))),
        // Locators split as `pandoc --citeproc` splits them; page ranges
        // take an en dash; `art.` is no term of Pandoc's, so a suffix.
        ("F15", format!("F15 Locators as Pandoc reads them<sup class=\"cite\">{}<span class=\"cite-locator\">, p.3</span><span class=\"cite-sep\">,</span>{}<span class=\"cite-locator\">, [89]</span><span class=\"cite-sep\">,</span>{}<span class=\"cite-locator\">, 123(4)[5]6</span></sup>.", link(1, 8), link(2, 2), link(3, 2))),
        ("F16", format!("F16 A roman part and bold<sup class=\"cite\">{}<span class=\"cite-locator\">, IV.2A</span><span class=\"cite-sep\">,</span>{}<span class=\"cite-locator\">, p. <strong>32</strong></span><span class=\"cite-sep\">,</span>{}<span class=\"cite-locator\">, pp. 4–5</span></sup>.", link(1, 9), link(2, 3), link(3, 3))),
        ("F17", format!("F17 <span class=\"cite-author\">Bloomberg News</span><sup class=\"cite\">{}<span class=\"cite-locator\">, p. 33</span><span class=\"cite-sep\">,</span>{}</sup> say so.", link(1, 10), link(2, 4))),
        ("F18", format!("F18 Nested braces<sup class=\"cite\">{}<span class=\"cite-locator\">, a {{b}} c</span></sup> and a term Pandoc does not know<sup class=\"cite\">{}<span class=\"cite-suffix\">, art. 5</span></sup>.", link(1, 11), link(2, 5))),
    ];
    for (label, expected) in cases {
        assert_eq!(paragraph(&html, label), expected, "{label}");
    }
}

#[test]
fn cited_bibliography_entries_are_listed_with_their_mapped_fields() {
    let (_tmp, out) = build_fixture();
    let html = page(&out, "briefs/forms/index.html");
    let sel = Selector::parse("ol.sources > li").unwrap();
    let items: Vec<String> = html
        .select(&sel)
        .map(|li| {
            li.text()
                .collect::<Vec<_>>()
                .join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(items.len(), 14, "{items:#?}");
    let find = |title: &str| {
        items
            .iter()
            .find(|i| i.contains(title))
            .unwrap_or_else(|| panic!("{title}: {items:#?}"))
            .clone()
    };
    // BibLaTeX @article: authors, year, quoted title, journal, date, URL,
    // accessed date (the default style; an English BibTeX title in
    // sentence case, as Pandoc reads it: acronyms and braced words kept).
    assert_eq!(
        find("TSMC weighs raising"),
        "Bloomberg News. 2024. “ TSMC weighs raising advanced packaging capacity as AI orders surge .” \
         Bloomberg . June 12. https://www.bloomberg.com/news/technology . Accessed June 13, 2024. \
         News ↩ a b c d e f g h i j k"
    );
    // @report: author, title in italics, institution as publisher.
    assert_eq!(
        find("2023 annual report"),
        "TSMC. 2024. 2023 annual report . Taiwan Semiconductor Manufacturing Company. March 14. \
         https://investor.tsmc.com/english/annual-reports . Report ↩ a b c"
    );
    assert!(find("Energy and AI").contains("Energy and AI ."));
    // CSL-JSON article-magazine: author, container-title, issued, accessed;
    // the title as the library has it.
    assert_eq!(
        find("Stargate"),
        "DCD Staff. 2025. “ Stargate: the First Site Takes Shape in Abilene, Texas .” DatacenterDynamics . \
         January 22. https://www.datacenterdynamics.com/en/news/ . Accessed January 23, 2025. News ↩"
    );
    // A CSL id that needs `@{…}`, and a `document` item with no author:
    // its publisher leads, as an author would.
    assert!(
        find("Broadcom Inc. Filings").starts_with(
            "U.S. Securities and Exchange Commission. 2024. Broadcom Inc. Filings on EDGAR ."
        ),
        "{items:#?}"
    );
    // Its title and the style's URL link to it.
    let sel = Selector::parse("ol.sources a[href^='https://www.sec.gov/cgi-bin']").unwrap();
    assert_eq!(html.select(&sel).count(), 2);
}

/// Every file of the built site that holds `needle`, by path.
fn files_holding(out: &Path, needle: &str) -> Vec<String> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .filter(|e| fs::read(e.path()).is_ok_and(|b| String::from_utf8_lossy(&b).contains(needle)))
        .map(|e| e.path().strip_prefix(out).unwrap().display().to_string())
        .collect()
}

#[test]
fn only_cited_bibliography_entries_are_published() {
    let (_tmp, out) = build_fixture();
    let sel = Selector::parse("li.source-index-item").unwrap();
    // The 14 sources the brief cites, of 30 BibTeX entries, 8 CSL-JSON
    // items, 1 entry of sources.yaml and its own 2 sources: one page.
    let html = page(&out, "sources/index.html");
    assert_eq!(html.select(&sel).count(), 14);
    assert!(!out.join("sources/page/2").exists());
    let text: String = html.root_element().text().collect();
    assert!(!text.contains("Not cited yet"), "{text}");
    // An uncited entry is nowhere: no page, feed, briefs.json or search index.
    assert_eq!(
        files_holding(&out, "Global data center survey 2024"),
        Vec::<String>::new()
    );
}

#[test]
fn nocite_publishes_uncited_entries_as_pandoc_does() {
    let tmp = TempDir::new().unwrap();
    common::copy_dir(&fixture("citations"), tmp.path());
    let site_yaml = tmp.path().join("site.yaml");
    let base = fs::read_to_string(&site_yaml).unwrap();
    let sel = Selector::parse("li.source-index-item").unwrap();
    let count = |out: &Path| -> usize {
        ["", "page/2/", "page/3/"]
            .iter()
            .filter(|p| out.join(format!("sources/{p}index.html")).exists())
            .map(|p| {
                page(out, &format!("sources/{p}index.html"))
                    .select(&sel)
                    .count()
            })
            .sum()
    };
    fs::write(&site_yaml, format!("{base}nocite: '*'\n")).unwrap();
    let (_o, out, _, stderr) = build_site(tmp.path(), &[]);
    assert!(!stderr.contains("warning"), "{stderr}");
    assert_eq!(count(&out), 41);
    let text: String = page(&out, "sources/page/3/index.html")
        .root_element()
        .text()
        .collect();
    assert!(text.contains("Not cited yet"), "{text}");
    fs::write(
        &site_yaml,
        format!("{base}nocite: [uptimeSurvey2024, '@Amazon_capex.2024', nosuchkey]\n"),
    )
    .unwrap();
    let (_o, out, _, stderr) = build_site(tmp.path(), &[]);
    assert_eq!(count(&out), 16);
    assert_eq!(
        files_holding(&out, "Global data center survey 2024").len(),
        1
    );
    assert!(
        stderr.contains(
            "warning: `nocite` names `nosuchkey`, which no bibliography or sources.yaml defines\n"
        ) && stderr.contains("site.yaml:7:50\n"),
        "{stderr}"
    );
}

/// A one-brief site in a temp folder, with extra files.
fn site(brief_body: &str, files: &[(&str, &str)]) -> TempDir {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path();
    fs::create_dir_all(root.join("content/briefs")).unwrap();
    let mut site_yaml = "title: T\nbase_url: https://desk.example/\n".to_string();
    let bibs: Vec<&str> = files
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| n.ends_with(".bib") || n.ends_with(".json"))
        .collect();
    if !bibs.is_empty() {
        site_yaml.push_str(&format!("bibliography: [{}]\n", bibs.join(", ")));
    }
    fs::write(root.join("site.yaml"), site_yaml).unwrap();
    for (name, text) in files {
        fs::write(root.join(name), text).unwrap();
    }
    let brief = format!(
        "---\ntitle: B\ndate: 2026-05-14\nsummary: S.\nscore:\n  value: 5\n  rationale: R.\nsources:\n  - id: bloomberg\n    publisher: Bloomberg\n    title: T\n    url: https://example.org/a\n---\n{brief_body}\n"
    );
    fs::write(root.join("content/briefs/b.md"), brief).unwrap();
    tmp
}

/// `briefs check` on a temp site: exit code and stderr, the temp path removed.
fn check(root: &Path) -> (i32, String) {
    let (code, _, stderr) = run_in(root, &["check"]);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (code, stderr)
}

#[test]
fn brackets_that_look_like_citations_but_do_not_parse_are_errors() {
    let tmp = site(
        "Claim [see @blomberg, p. 4].\n\nClaim [@bloomberg; and more].\n\nClaim [@bloomberg, {p. 4].\n\nClaim [@bloomberg,] and @nobody says, as does [link text].\n\nFine [@bloomberg].",
        &[],
    );
    let (code, stderr) = check(tmp.path());
    assert_eq!(code, 1, "{stderr}");
    insta::assert_snapshot!("malformed_and_unknown", stderr);
}

#[test]
fn unmappable_bibliography_entries_are_located_errors() {
    let bib = "@article{notitle,\n  journaltitle = {Reuters},\n  date = {2024-01-02},\n}\n\n@frobnicate{oddtype,\n  title = {T},\n  publisher = {P},\n}\n\n@online{nopublisher,\n  title = {Only a title},\n}\n\n@online{badurl,\n  title = {T},\n  organization = {O},\n  url = {ftp://example.org/x},\n}\n";
    let json = "[\n  { \"id\": \"nokind\", \"type\": \"frobnicate\", \"title\": \"T\", \"publisher\": \"P\" },\n  { \"type\": \"report\" }\n]\n";
    // Unusable entries nothing cites are warnings: a library exported whole
    // still builds.
    let tmp = site(
        "Fine [@bloomberg].",
        &[("refs.bib", bib), ("zotero.json", json)],
    );
    let (code, stderr) = check(tmp.path());
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("unmappable_entries", stderr);
    // Under --strict, each is an error.
    let (code, _, strict) = run_in(tmp.path(), &["check", "--strict"]);
    assert_eq!(code, 1, "{strict}");
    assert!(
        strict.contains("error: entry `notitle` has no title\n"),
        "{strict}"
    );
    // A brief citing one gets the error, at the citation.
    let tmp = site(
        "Fine [@bloomberg].\n\nNot fine [@notitle].",
        &[("refs.bib", bib), ("zotero.json", json)],
    );
    let (code, stderr) = check(tmp.path());
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("error: source `notitle` cannot be used: entry `notitle` has no title\n  --> content/briefs/b.md:16:10\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: fix the entry at refs.bib:1:10\n"),
        "{stderr}"
    );
}

#[test]
fn a_key_defined_twice_is_reported_with_both_places() {
    let bib = "@online{dup,\n  title = {T},\n  organization = {O},\n}\n";
    let json = "[\n  { \"id\": \"dup\", \"type\": \"webpage\", \"title\": \"T\", \"publisher\": \"P\" }\n]\n";
    let yaml = "- id: dup\n  publisher: P\n  title: T\n";
    let tmp = site(
        "Fine [@bloomberg].",
        &[
            ("sources.yaml", yaml),
            ("refs.bib", bib),
            ("zotero.json", json),
        ],
    );
    let (code, stderr) = check(tmp.path());
    assert_eq!(code, 1, "{stderr}");
    insta::assert_snapshot!("duplicate_key", stderr);
}

#[test]
fn syntax_errors_in_bibliographies_are_located() {
    let tmp = site(
        "Fine [@bloomberg].",
        &[
            ("refs.bib", "@online{a,\n  title = {T\n"),
            ("zotero.json", "[\n  { \"id\": \"a\" \n]\n"),
        ],
    );
    let (code, stderr) = check(tmp.path());
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("error: this entry has no closing `}`\n --> refs.bib:1:1\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("this CSL-JSON file does not parse"),
        "{stderr}"
    );
}

#[test]
fn bibliography_urls_and_dois_follow_the_front_matter_rule() {
    let bib = "@online{spaced,\n  title = {T},\n  organization = {O},\n  url = {https://example.org/a b\"c},\n}\n\n@article{sici,\n  title = {T},\n  journaltitle = {J},\n  doi = {10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O},\n}\n";
    let json = "[\n  { \"id\": \"angle\", \"type\": \"webpage\", \"title\": \"T\", \"publisher\": \"P\", \"URL\": \"https://example.org/<x>\" }\n]\n";
    let tmp = site(
        "Fine [@bloomberg; @sici; @spaced].",
        &[("refs.bib", bib), ("zotero.json", json)],
    );
    let (code, stderr) = check(tmp.path());
    assert_eq!(code, 1, "{stderr}");
    insta::assert_snapshot!("bibliography_urls", stderr);
    // The same URL in front matter gets the same words.
    let tmp = site("Fine [@bloomberg].", &[]);
    let brief = tmp.path().join("content/briefs/b.md");
    let text = fs::read_to_string(&brief).unwrap();
    fs::write(
        &brief,
        text.replace("https://example.org/a", "https://example.org/a b\"c"),
    )
    .unwrap();
    let (_, front) = check(tmp.path());
    assert!(
        front.contains("error: source URL `https://example.org/a b\"c` has characters a URL must percent-encode\n"),
        "{front}"
    );
}

#[test]
fn a_doi_is_linked_percent_encoded() {
    let bib = "@article{sici,\n  title = {T},\n  journaltitle = {J},\n  doi = {10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O},\n}\n";
    let tmp = site("Fine [@bloomberg; @sici].", &[("refs.bib", bib)]);
    let (_out_tmp, out, _, _) = build_site(tmp.path(), &["--base-url", "https://desk.example/"]);
    let html = page(&out, "briefs/b/index.html");
    let sel = Selector::parse("ol.sources a[href*='doi.org']").unwrap();
    let hrefs: Vec<&str> = html
        .select(&sel)
        .filter_map(|a| a.value().attr("href"))
        .collect();
    // The title's link and the style's DOI link.
    let encoded =
        "https://doi.org/10.1002/(SICI)1097-4571(199806)49:8%3C693::AID-ASI4%3E3.0.CO;2-O";
    assert_eq!(hrefs, [encoded, encoded]);
}

#[test]
fn control_and_bidi_characters_never_reach_the_html() {
    let bib = "@online{bell,\n  title = {Ring\u{7} the \u{202E}txt.exe bell},\n  organization = {O\u{0}rg},\n  url = {https://example.org/b},\n}\n";
    let json = "[\n  { \"id\": \"nul\", \"type\": \"webpage\", \"title\": \"Null\\u0000 and \\u2066isolate\", \"publisher\": \"P\", \"URL\": \"https://example.org/n\" }\n]\n";
    let tmp = site(
        "Fine [@bloomberg; @bell; @nul].",
        &[("refs.bib", bib), ("zotero.json", json)],
    );
    let (_, _, stderr) = run_in(
        tmp.path(),
        &["check", "--base-url", "https://desk.example/"],
    );
    insta::assert_snapshot!("hidden_characters", stderr);
    let (_out_tmp, out, _, _) = build_site(tmp.path(), &["--base-url", "https://desk.example/"]);
    let html = fs::read_to_string(out.join("briefs/b/index.html")).unwrap();
    for c in ['\u{0}', '\u{7}', '\u{202E}', '\u{2066}'] {
        assert!(!html.contains(c), "{c:?} in the HTML");
    }
    assert!(
        html.contains("Null and isolate"),
        "the JSON title lost its text"
    );
}

#[test]
fn a_missing_bibliography_is_an_io_error() {
    let tmp = site("Fine [@bloomberg].", &[]);
    fs::write(
        tmp.path().join("site.yaml"),
        "title: T\nbase_url: https://example.org/\nbibliography: [gone.bib]\n",
    )
    .unwrap();
    let (code, stderr) = check(tmp.path());
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("cannot read the bibliography"), "{stderr}");
}

#[test]
fn source_ids_follow_the_key_grammar_and_slugs_must_differ() {
    let tmp = site("Fine [@bloomberg], [@Foo_bar.baz] and [@foo-bar-baz].", &[]);
    let brief = tmp.path().join("content/briefs/b.md");
    let text = fs::read_to_string(&brief).unwrap().replace(
        "---\nFine",
        "  - id: Foo_bar.baz\n    publisher: P\n    title: T\n  - id: foo-bar-baz\n    publisher: P\n    title: U\n  - id: \"{braced}\"\n    publisher: P\n    title: V\n---\nFine",
    );
    fs::write(&brief, text).unwrap();
    let (code, stderr) = check(tmp.path());
    assert_eq!(code, 1, "{stderr}");
    insta::assert_snapshot!("key_grammar_and_slugs", stderr);
}

#[test]
fn an_in_text_key_differing_only_in_case_gets_did_you_mean() {
    let tmp = site("As @Bloomberg says [@bloomberg]. Mail @someone.", &[]);
    let (code, stderr) = check(tmp.path());
    assert_eq!(code, 1, "{stderr}");
    insta::assert_snapshot!("wrong_case", stderr);
}

#[test]
fn a_citation_bracket_never_closed_is_an_error_at_its_bracket() {
    let tmp = site(
        "Claim [see @bloomberg, p. 4.\n\nNext paragraph [@bloomberg].",
        &[],
    );
    let (code, stderr) = check(tmp.path());
    assert_eq!(code, 1, "{stderr}");
    insta::assert_snapshot!("unclosed_bracket", stderr);
}

/// `citations: style`: every form of mark as `pandoc --citeproc` 3.9 prints
/// it with the same style (briefs-author-date) and the same CSL-JSON items
/// (the expected texts are Pandoc's output), the brief's sources as the
/// style's bibliography, and each mark linked to `#ref-<key>`.
#[test]
fn style_marks_read_as_pandocs() {
    let html = style_fixture();
    let text = |label: &str| {
        let p = Html::parse_fragment(&paragraph(&html, label));
        p.root_element().text().collect::<String>()
    };
    let pandoc = [
        ("A Plain", "(Miller 2022a)."),
        ("B Prefix and locator", "(see Miller 2022a, p. 44)."),
        (
            "C Locator and suffix",
            "(Miller 2022a, pp. 33–35, and elsewhere).",
        ),
        ("D Author suppressed", "(2022a)."),
        (
            "E Two sources",
            "(Doe and Roe 2020; Miller 2022a, chap. 2).",
        ),
        ("F In-text", "Miller (2022a) says."),
        ("G In-text with a locator", "Miller (2022a, p. 44) says."),
        (
            "H Prefixes on each",
            "(see Doe and Roe 2020, p. 12; also Miller 2022b).",
        ),
        ("I No author:", "Bloomberg (2026) reports (Bloomberg 2026)."),
        ("J A suffix in italics", "(Miller 2022a, passim)."),
        (
            "K In-text and more",
            "Miller (2022a, p. 33; Doe and Roe 2020) say.",
        ),
        (
            "L Suppressed with prefix and suffix",
            "(see 2020, p. 3, suffix).",
        ),
        (
            "M A front-matter source among them",
            "(Field Notes Desk 2024).",
        ),
        ("Capacity is tight", "(see Miller 2022a, p. 2)."),
    ];
    for (label, mark) in pandoc {
        assert_eq!(text(label), format!("{label} {mark}"));
    }
    // Prefix and suffix stay outside the link; the suffix's Markdown renders.
    assert_eq!(
        paragraph(&html, "J A suffix"),
        "J A suffix in italics <span class=\"citation\" data-cites=\"miller\">(<a class=\"cite-ref\" href=\"#ref-miller\" id=\"cite-1-8\">Miller 2022a</a>, <em>passim</em>)</span>."
    );
    assert_eq!(
        paragraph(&html, "B Prefix"),
        "B Prefix and locator <span class=\"citation\" data-cites=\"miller\">(see <a class=\"cite-ref\" href=\"#ref-miller\" id=\"cite-1-2\">Miller 2022a, p. 44</a>)</span>."
    );
}

/// The brief page of the `citations: style` fixture.
fn style_fixture() -> Html {
    let (_tmp, out, _, stderr) = build_site(&fixture("citations-style"), &[]);
    assert!(!stderr.contains("warning"), "{stderr}");
    page(&out, "briefs/forms/index.html")
}

/// `citations: style`: the sources are the style's bibliography of the
/// brief, year letters and all, each entry with its back-links to the marks.
#[test]
fn style_sources_are_the_briefs_bibliography() {
    let html = style_fixture();
    assert_eq!(
        common::texts(&html, "#sources .csl-entry"),
        [
            "Miller, Chris. 2022a. “The ASML chokepoint.” Foreign Affairs 103 (2): 44–57.",
            "Doe, Jane, and Rick Roe. 2020. Chips. Acme.",
            "Miller, Chris. 2022b. Chip war. Scribner.",
            "Bloomberg. 2026. Amazon in talks. May 13.",
            "Field Notes Desk. 2024. Notes from the packaging line. March 5. https://example.org/notes.",
        ]
    );
    let ids: Vec<String> = html
        .select(&Selector::parse("#sources .csl-entry").unwrap())
        .map(|e| e.value().attr("id").unwrap_or("").to_string())
        .collect();
    assert_eq!(
        ids,
        [
            "ref-miller",
            "ref-doe",
            "ref-miller2",
            "ref-wire",
            "ref-desk"
        ]
    );
    for backlink in html.select(&Selector::parse("#sources a.backlink").unwrap()) {
        let target = backlink
            .value()
            .attr("href")
            .unwrap()
            .trim_start_matches('#');
        let sel = Selector::parse(&format!("[id=\"{target}\"]")).unwrap();
        assert_eq!(html.select(&sel).count(), 1, "back-link to {target}");
    }
}

/// Every BibLaTeX and CSL type is accepted: a type with no kind of its own
/// falls back to the README's (recordings news, works of art and
/// performances primary sources, anything else a report); an entry with
/// a title and a URL only, or with editors only, is published when cited.
#[test]
fn every_entry_type_is_accepted_with_a_fallback_kind() {
    let bib = "@online{ctan,\n  title = {CTAN},\n  subtitle = {The {Comprehensive TeX Archive Network}},\n  date = 2006,\n  url = {http://www.ctan.org},\n}\n\n@mvcollection{jaffe,\n  editor = {Jaff{\\'e}, Philipp},\n  title = {Regesta Pontificum Romanorum},\n  date = {1885/1888},\n  location = {Leipzig},\n}\n\n@video{talk,\n  author = {Roe, Jane},\n  title = {Packaging explained},\n  date = 2024,\n  url = {https://video.example/talk},\n}\n\n@artwork{mural,\n  author = {Doe, John},\n  title = {Wafer},\n  date = 1999,\n}\n\n@frobnicate{odd,\n  title = {Odd},\n  publisher = {P},\n}\n";
    let json = "[\n  { \"id\": \"clip\", \"type\": \"motion_picture\", \"title\": \"Fab tour\", \"publisher\": \"Studio\" },\n  { \"id\": \"other\", \"type\": \"frobnicate\", \"title\": \"T\", \"publisher\": \"P\" }\n]\n";
    let tmp = site(
        "Fine [@bloomberg; @ctan; @jaffe; @talk; @mural; @odd; @clip; @other].",
        &[("refs.bib", bib), ("zotero.json", json)],
    );
    let out = tmp.path().join("public");
    let (code, _, stderr) = run_in(tmp.path(), &["build", "--output", "public"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    let html = page(&out, "briefs/b/index.html");
    let kinds: Vec<String> = html
        .select(&Selector::parse("#sources li.source").unwrap())
        .map(|li| {
            let id = li
                .select(&Selector::parse(".csl-entry").unwrap())
                .next()
                .unwrap();
            let class = li.value().attr("class").unwrap();
            format!(
                "{} {}",
                id.value().attr("id").unwrap(),
                class.rsplit('-').next().unwrap()
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "ref-bloomberg news",
            "ref-ctan news",
            "ref-jaffe report",
            "ref-talk news",
            "ref-mural primary",
            "ref-odd report",
            "ref-clip news",
            "ref-other report",
        ]
    );
    let texts = common::texts(&html, "#sources .csl-entry");
    assert_eq!(
        texts[1],
        "CTAN: The Comprehensive TeX Archive Network. 2006. http://www.ctan.org."
    );
    assert_eq!(
        texts[2],
        "Jaffé, Philipp, ed. 1885–1888. Regesta pontificum romanorum. Leipzig."
    );
}

/// The brief page of the site `tmp` (made by [`site`]) built with
/// `settings` added to its `site.yaml`; the build must succeed.
fn built_with(tmp: &TempDir, settings: &str) -> Html {
    let yaml = tmp.path().join("site.yaml");
    let text = fs::read_to_string(&yaml).unwrap();
    fs::write(&yaml, format!("{text}{settings}")).unwrap();
    let (code, _, stderr) = run_in(tmp.path(), &["build", "--output", "public"]);
    assert_eq!(code, 0, "{stderr}");
    page(&tmp.path().join("public"), "briefs/b/index.html")
}

/// `citations: style`: every group of same-author same-year works gets
/// year letters, however many groups a brief cites (hayagriva 0.10.1 gave
/// them to one group per disambiguation pass, so to the first three only;
/// patched in vendor/hayagriva, README "hayagriva patches").
#[test]
fn every_ambiguous_group_gets_year_letters() {
    let json: String = ["Ames", "Bell", "Cole", "Dunn"]
        .iter()
        .flat_map(|name| {
            ["One", "Two"].map(|title| {
                format!(
                    "{{\"id\": \"{}{}\", \"type\": \"book\", \"author\": [{{\"family\": \"{name}\", \"given\": \"A.\"}}], \"title\": \"{title}\", \"publisher\": \"P\", \"issued\": {{\"date-parts\": [[2020]]}}}}",
                    name.to_lowercase(),
                    title.to_lowercase()
                )
            })
        })
        .collect::<Vec<_>>()
        .join(",\n");
    let tmp = site(
        "Cited [@amesone; @amestwo; @bellone; @belltwo; @coleone; @coletwo; @dunnone; @dunntwo].",
        &[("refs.json", &format!("[\n{json}\n]\n"))],
    );
    let html = built_with(&tmp, "citations: style\n");
    let mark = Html::parse_fragment(&paragraph(&html, "Cited"));
    assert_eq!(
        mark.root_element().text().collect::<String>(),
        "Cited (Ames 2020a; Ames 2020b; Bell 2020a; Bell 2020b; Cole 2020a; Cole 2020b; Dunn 2020a; Dunn 2020b)."
    );
    assert_eq!(
        common::texts(&html, "#sources .csl-entry")[6..8],
        ["Dunn, A. 2020a. One. P.", "Dunn, A. 2020b. Two. P."]
    );
}

/// `citations: style`: an entry without authors is named by its short
/// title, as Pandoc makes it from the title before the subtitle.
#[test]
fn a_mark_names_an_entry_without_authors_by_its_short_title() {
    let bib = "@online{ctan, title = {CTAN}, subtitle = {The {Comprehensive TeX Archive Network}}, date = 2006, url = {https://www.ctan.org}}\n";
    let tmp = site("Cited [@ctan].", &[("refs.bib", bib)]);
    let html = built_with(&tmp, "citations: style\n");
    let mark = Html::parse_fragment(&paragraph(&html, "Cited"));
    assert_eq!(
        mark.root_element().text().collect::<String>(),
        "Cited (CTAN 2006)."
    );
}

/// `citations: style` with Chicago: an author repeated from the entry
/// before is "———", the whole name list ("and" too), even where the entry
/// before had them as its editors; an editor's label stays (hayagriva
/// 0.10.1 printed "———, and ." and compared the names' variables; both
/// patched in vendor/hayagriva, README "hayagriva patches").
#[test]
fn a_repeated_author_list_is_substituted_whole() {
    let item = |id: &str, role: &str, names: &str, year: u32, title: &str| {
        format!(
            "{{\"id\": \"{id}\", \"type\": \"book\", \"{role}\": [{names}], \"title\": \"{title}\", \"publisher\": \"P\", \"issued\": {{\"date-parts\": [[{year}]]}}}}"
        )
    };
    let two = r#"{"family": "Baez", "given": "John"}, {"family": "Lauda", "given": "Aaron"}"#;
    let one = r#"{"family": "Gaonkar", "given": "Dilip"}"#;
    let json = [
        item("b1", "author", two, 2003, "One"),
        item("b2", "author", two, 2004, "Two"),
        item("g1", "editor", one, 2000, "Alt"),
        item("g2", "author", one, 2001, "Mod"),
        item("g3", "editor", one, 2002, "Ed"),
    ]
    .join(",\n");
    let tmp = site(
        "Cited [@b1; @b2; @g1; @g2; @g3].",
        &[("refs.json", &format!("[\n{json}\n]\n"))],
    );
    // Chicago's 17th edition (TeX Live's, Pandoc's) substitutes; the 18th,
    // which hayagriva bundles, no longer does: the style's lines that matter.
    let style = r#"<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0" default-locale="en-US">
  <info><title>Substitute</title><id>substitute</id><updated>2026-01-01T00:00:00+00:00</updated></info>
  <macro name="author">
    <names variable="author">
      <name and="text" delimiter-precedes-last="always" name-as-sort-order="first" delimiter=", " sort-separator=", "/>
      <label form="short" prefix=", "/>
      <substitute><names variable="editor"/></substitute>
    </names>
  </macro>
  <citation><layout><text macro="author"/></layout></citation>
  <bibliography subsequent-author-substitute="———">
    <sort><key macro="author"/><key variable="issued"/></sort>
    <layout suffix=".">
      <group delimiter=". "><text macro="author"/><date variable="issued"><date-part name="year"/></date><text variable="title"/><text variable="publisher"/></group>
    </layout>
  </bibliography>
</style>
"#;
    fs::write(tmp.path().join("substitute.csl"), style).unwrap();
    let html = built_with(&tmp, "citations: style\ncsl: substitute.csl\n");
    assert_eq!(
        common::texts(&html, "#sources .csl-entry")[..5],
        [
            "Baez, John, and Aaron Lauda. 2003. One. P.",
            "———. 2004. Two. P.",
            "Gaonkar, Dilip, ed. 2000. Alt. P.",
            "———. 2001. Mod. P.",
            "———, ed. 2002. Ed. P.",
        ]
    );
}
