//! Building fixture sites and checking what a reader gets: the HTML of brief
//! pages, listings and taxonomies, the files on disk, and the guarantees
//! about the output folder.

mod common;

use std::fs;
use std::path::Path;

use common::{attrs, briefs, build_site, copy_dir, fixture, page, run_build, snapshot_dir, texts};
use scraper::Html;
use tempfile::TempDir;

#[test]
fn summary_line_counts_briefs_and_pages() {
    let (_tmp, out, stdout, _) = build_site(&fixture("valid"), &[]);
    let line = stdout.trim();
    assert!(line.starts_with("built 4 briefs, 22 pages in "), "{line}");
    assert!(
        line.ends_with(&format!(", 1 warning -> {}/", out.display())),
        "{line}"
    );
}

#[test]
fn citations_are_numbered_by_first_use_with_anchors() {
    let (_tmp, out, _, _) = build_site(&fixture("valid"), &[]);
    let html = page(&out, "briefs/cited/index.html");
    // gamma is listed third but cited first, so it is source 1.
    let refs = attrs(&html, ".brief-body a.cite-ref", "id");
    assert_eq!(refs, ["cite-1-1", "cite-2-1", "cite-1-2", "cite-2-2"]);
    let targets = attrs(&html, ".brief-body a.cite-ref", "href");
    assert_eq!(
        targets,
        ["#source-1", "#source-2", "#source-1", "#source-2"]
    );
    assert_eq!(texts(&html, ".brief-body .cite-locator"), [", p. 12"]);
    // Code spans, code blocks and escaped brackets stay literal.
    assert_eq!(
        texts(&html, ".brief-body code"),
        ["[@alpha]", "[@gamma] in a block"]
    );
    assert!(
        texts(&html, ".brief-body p")
            .iter()
            .any(|p| p.contains("and [@alpha]."))
    );
}

#[test]
fn the_rationale_continues_the_numbering() {
    let (_tmp, out, _, _) = build_site(&fixture("valid"), &[]);
    let html = page(&out, "briefs/cited/index.html");
    assert_eq!(
        attrs(&html, "#scoring-rationale a.cite-ref", "id"),
        ["cite-1-3", "cite-2-3"]
    );
    assert_eq!(texts(&html, "#scoring-rationale .cite-locator"), [", p. 4"]);
}

#[test]
fn sources_list_numbers_publishers_dates_kinds_and_backlinks() {
    let (_tmp, out, _, _) = build_site(&fixture("valid"), &[]);
    let html = page(&out, "briefs/cited/index.html");
    assert_eq!(
        attrs(&html, "ol.sources > li", "id"),
        ["source-1", "source-2"]
    );
    // Each reference text is the CSL style's (the default, briefs
    // author-date, with the site language's dates: en-GB), in a `csl-entry`
    // with Pandoc's `ref-<key>` anchor; the title is linked.
    assert_eq!(
        attrs(&html, "ol.sources .csl-entry", "id"),
        ["ref-gamma", "ref-alpha"]
    );
    assert_eq!(
        texts(&html, "ol.sources .csl-entry"),
        [
            "Gamma Corp. n.d. Gamma’s annual letter.",
            "Alpha Daily. 2026. Alpha reports the talks. May 13. https://alpha.example/story?id=1&x=2. \
             Accessed 14 May 2026."
        ]
    );
    // The newspaper and the titles are in italics.
    assert_eq!(
        texts(&html, "ol.sources .csl-entry i"),
        [
            "Gamma’s annual letter",
            "Alpha Daily",
            "Alpha reports the talks"
        ]
    );
    assert_eq!(
        texts(&html, "ol.sources .source-kind"),
        ["Primary source", "News"]
    );
    assert_eq!(
        attrs(&html, "ol.sources .csl-entry a", "href"),
        [
            "https://alpha.example/story?id=1&x=2",
            "https://alpha.example/story?id=1&x=2"
        ]
    );
    let backlinks = attrs(&html, "#source-1 a.backlink", "href");
    assert_eq!(backlinks, ["#cite-1-1", "#cite-1-2", "#cite-1-3"]);
    // Every backlink lands on a citation on the page.
    let ids = attrs(&html, "a.cite-ref", "id");
    for link in attrs(&html, "a.backlink", "href") {
        assert!(ids.contains(&link[1..].to_string()), "{link} has no target");
    }
    // The uncited source is further reading, not numbered.
    assert_eq!(
        texts(&html, ".sources-further .csl-entry"),
        ["Beta Weekly. n.d. A source nobody cites. https://beta.example/."]
    );
    assert_eq!(attrs(&html, ".sources-further li", "id"), ["further-beta"]);
}

#[test]
fn scoring_section_shows_score_band_and_factors() {
    let (_tmp, out, _, _) = build_site(&fixture("valid"), &[]);
    let html = page(&out, "briefs/cited/index.html");
    let section = texts(&html, "#scoring-rationale").join(" ");
    assert!(section.contains("7.5 / 10"), "{section}");
    assert!(section.contains("Medium"));
    assert_eq!(
        texts(&html, "#scoring-rationale table.factors tbody th"),
        ["Evidence", "Impact"]
    );
    assert!(
        texts(&html, "#scoring-rationale table.factors tbody td")
            .contains(&"Public figures".to_string())
    );
    // The badge says number and band in text, not colour alone.
    let badge = texts(&html, ".brief-header .score").join(" ");
    assert!(badge.contains("7.5") && badge.contains("Medium"), "{badge}");
}

#[test]
fn titles_and_summaries_are_escaped() {
    let (_tmp, out, _, _) = build_site(&fixture("valid"), &[]);
    let raw = fs::read_to_string(out.join("briefs/cited/index.html")).unwrap();
    assert!(!raw.contains("<script>alert"));
    assert!(!raw.contains("<b>summary</b>"));
    let html = page(&out, "briefs/cited/index.html");
    assert_eq!(
        texts(&html, "h1"),
        [r#"Chips <script>alert("x")</script> & "quotes""#]
    );
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("Chips &lt;script&gt;alert"));
}

#[test]
fn index_is_newest_first_and_paginated() {
    let (_tmp, out, _, _) = build_site(&fixture("valid"), &[]);
    let first = page(&out, "index.html");
    let second = page(&out, "page/2/index.html");
    let titles = |h: &Html| texts(h, ".card-title");
    assert_eq!(titles(&first).len(), 2);
    assert!(titles(&first)[0].starts_with("Chips"));
    assert_eq!(titles(&first)[1], "A bundled brief");
    assert_eq!(titles(&second), ["An older brief", "The oldest brief"]);
    assert!(attrs(&first, "a", "href").contains(&"/briefs/page/2/".to_string()));
    // Every listing shows a score badge.
    assert_eq!(texts(&first, ".card .score-band"), ["Medium", "Medium"]);
}

#[test]
fn previous_and_next_follow_dates() {
    let (_tmp, out, _, _) = build_site(&fixture("valid"), &[]);
    let html = page(&out, "briefs/older/index.html");
    let hrefs = attrs(&html, "a", "href");
    assert!(hrefs.contains(&"/briefs/briefs/oldest/".to_string()));
    assert!(hrefs.contains(&"/briefs/briefs/bundle-brief/".to_string()));
}

#[test]
fn every_internal_link_is_under_the_base_path() {
    let (_tmp, out, _, _) = build_site(&fixture("valid"), &[]);
    for (path, bytes) in snapshot_dir(&out) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = Html::parse_document(&String::from_utf8(bytes).unwrap());
        let mut links = attrs(&html, "a", "href");
        links.extend(attrs(&html, "link", "href"));
        links.extend(attrs(&html, "img", "src"));
        for link in links {
            if link.starts_with('/') {
                assert!(link.starts_with("/briefs/"), "{path}: {link}");
                let target = out.join(
                    link.trim_start_matches("/briefs/")
                        .split('#')
                        .next()
                        .unwrap(),
                );
                let target = if target.is_dir() {
                    target.join("index.html")
                } else {
                    target
                };
                assert!(target.is_file(), "{path}: broken link {link}");
            }
        }
    }
}

#[test]
fn base_url_flag_moves_every_link() {
    let (_tmp, out, _, _) = build_site(&fixture("valid"), &["--base-url", "https://news.example/"]);
    let html = page(&out, "briefs/cited/index.html");
    assert!(attrs(&html, "link[rel=stylesheet]", "href").contains(&"/style.css".to_string()));
    assert_eq!(
        attrs(&html, "link[rel=canonical]", "href"),
        ["https://news.example/briefs/cited/"]
    );
}

#[test]
fn tags_and_entities_have_list_and_term_pages() {
    let (_tmp, out, _, _) = build_site(&fixture("valid"), &[]);
    let tags = page(&out, "tags/index.html");
    assert!(attrs(&tags, "a", "href").contains(&"/briefs/tags/ai-chips/".to_string()));
    let cloud = page(&out, "tags/cloud/index.html");
    assert_eq!(texts(&cloud, ".card-title").len(), 2);
    let entity = page(&out, "entities/societe-generale/index.html");
    assert!(texts(&entity, "h1").join(" ").contains("Société Générale"));
    let brief = page(&out, "briefs/cited/index.html");
    assert!(attrs(&brief, "a", "href").contains(&"/briefs/entities/societe-generale/".to_string()));
}

#[test]
fn drafts_are_built_only_with_the_flag_and_carry_a_banner() {
    let (_tmp, out, _, _) = build_site(&fixture("valid"), &[]);
    assert!(!out.join("briefs/draft").exists());
    assert!(!out.join("tags/drafty").exists());
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!index.contains("A draft in progress"));

    let (_tmp, out, stdout, _) = build_site(&fixture("valid"), &["--drafts"]);
    assert!(stdout.starts_with("built 5 briefs"), "{stdout}");
    let draft = page(&out, "briefs/draft/index.html");
    assert!(texts(&draft, "[role=note]").join(" ").contains("Draft"));
}

#[test]
fn the_review_page_lists_unpublished_briefs_with_what_is_left_only_with_drafts() {
    let (_tmp, out, _, _) = build_site(&fixture("valid"), &[]);
    assert!(!out.join("review").exists());
    let (_tmp, out, _, _) = build_site(&fixture("valid"), &["--drafts"]);
    let review = page(&out, "review/index.html");
    assert_eq!(
        texts(&review, ".review-item .card-title"),
        ["A draft in progress"]
    );
    assert_eq!(
        texts(&review, ".review-notes li"),
        [
            "no entities",
            "no score factors",
            "no watch items",
            "source one has no date"
        ]
    );
    // The source's id is code, not text in backticks (issue 24).
    assert_eq!(texts(&review, ".review-notes li code"), ["one"]);
}

#[test]
fn pages_static_files_and_bundle_assets_are_written() {
    let (_tmp, out, _, _) = build_site(&fixture("valid"), &[]);
    let about = page(&out, "about/index.html");
    assert_eq!(texts(&about, "h1"), ["About us"]);
    assert_eq!(
        fs::read_to_string(out.join("robots-extra.txt")).unwrap(),
        "User-agent: *\n"
    );
    assert!(out.join("briefs/bundle-brief/chart.svg").is_file());
    assert!(out.join("style.css").is_file());
    let bundle = page(&out, "briefs/bundle-brief/index.html");
    assert_eq!(attrs(&bundle, ".brief-body img", "src"), ["chart.svg"]);
}

#[test]
fn a_site_template_overrides_its_builtin_namesake_only() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&fixture("valid"), &root);
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(
        root.join("templates/page.html"),
        "{% extends \"base.html\" %}{% block content %}<p class=\"custom\">Custom: {{ page.title }}</p>{% endblock %}",
    )
    .unwrap();
    let (_tmp, out, _, _) = build_site(&root, &[]);
    assert_eq!(
        texts(&page(&out, "about/index.html"), ".custom"),
        ["Custom: About us"]
    );
    // Other pages still use the built-in templates.
    assert!(!texts(&page(&out, "briefs/cited/index.html"), "#sources").is_empty());
}

#[test]
fn output_is_byte_identical_across_builds() {
    let (_a, first, _, _) = build_site(&fixture("valid"), &["--drafts"]);
    let (_b, second, _, _) = build_site(&fixture("valid"), &["--drafts"]);
    assert_eq!(snapshot_dir(&first), snapshot_dir(&second));
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&fixture("valid"), &root);
    let out = tmp.path().join("public");
    briefs()
        .args(["build", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(&out)
        .assert()
        .success();
    let before = snapshot_dir(&out);

    let brief = root.join("content/briefs/older.md");
    let broken = fs::read_to_string(&brief)
        .unwrap()
        .replace("[@one]", "[@missing]");
    fs::write(&brief, broken).unwrap();
    briefs()
        .args(["build", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(&out)
        .assert()
        .code(1);
    assert_eq!(snapshot_dir(&out), before);
    // No temporary folders are left beside the output: only the folder
    // that keeps the replaced site for the next build.
    let mut beside: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    beside.sort();
    assert_eq!(beside, [".public.briefs", "public", "site"]);
}

#[test]
fn a_good_build_replaces_stale_files() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&fixture("valid"), &root);
    let out = tmp.path().join("public");
    let build = || {
        briefs()
            .args(["build", "--root"])
            .arg(&root)
            .arg("--output")
            .arg(&out)
            .assert()
            .success();
    };
    build();
    assert!(out.join("briefs/older/index.html").is_file());
    // A brief a build published and whose file is gone: its page goes too.
    fs::remove_file(root.join("content/briefs/older.md")).unwrap();
    build();
    assert!(!out.join("briefs/older").exists());
    assert!(out.join("briefs/cited/index.html").is_file());
}

#[test]
fn unsafe_output_folders_are_refused_and_nothing_is_deleted() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&fixture("valid"), &root);
    let before = snapshot_dir(&root);
    let cases = [
        (root.clone(), "is the site root"),
        (tmp.path().to_path_buf(), "contains the site root"),
        (
            root.join("content/out"),
            "inside the site's `content/` folder",
        ),
        (root.join("static"), "inside the site's `static/` folder"),
        (
            root.join("templates/x"),
            "inside the site's `templates/` folder",
        ),
    ];
    for (output, message) in cases {
        let result = briefs()
            .args(["build", "--root"])
            .arg(&root)
            .arg("--output")
            .arg(&output)
            .output()
            .unwrap();
        assert_eq!(result.status.code(), Some(2), "{}", output.display());
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(stderr.contains(message), "{stderr}");
        assert_eq!(snapshot_dir(&root), before);
    }
}

#[test]
fn a_folder_without_site_yaml_is_a_usage_error() {
    let tmp = TempDir::new().unwrap();
    let result = briefs()
        .args(["build", "--root"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&result.stderr).starts_with("error: no site.yaml in "));
}

#[test]
fn init_scaffolds_a_site_that_builds_and_new_adds_a_valid_draft() {
    let tmp = TempDir::new().unwrap();
    let site = tmp.path().join("desk");
    briefs().arg("init").arg(&site).assert().success();
    // The build output and the folder keeping the replaced site stay out of git.
    assert_eq!(
        fs::read_to_string(site.join(".gitignore")).unwrap(),
        "/public\n/.*.briefs/\n"
    );
    briefs()
        .args(["check", "--root"])
        .arg(&site)
        .assert()
        .success();
    briefs().arg("init").arg(&site).assert().code(2);

    briefs()
        .args(["new", "Chip export rules tighten", "--root"])
        .arg(&site)
        .assert()
        .success();
    let draft = site.join("content/briefs/chip-export-rules-tighten.md");
    let text = fs::read_to_string(&draft).unwrap();
    assert!(
        text.contains("title: \"Chip export rules tighten\"") && text.contains("status: draft")
    );
    briefs()
        .args(["check", "--drafts", "--root"])
        .arg(&site)
        .assert()
        .success();
    // Never overwrites.
    briefs()
        .args(["new", "Chip export rules tighten", "--root"])
        .arg(&site)
        .assert()
        .code(2);
    assert_eq!(fs::read_to_string(&draft).unwrap(), text);
}

#[test]
fn the_sample_site_builds_without_warnings() {
    let (_tmp, out, stdout, _) = build_site(Path::new(env!("CARGO_MANIFEST_DIR")), &[]);
    assert!(!stdout.contains("warning"), "{stdout}");
    let html = page(&out, "briefs/amazon-trainium-external/index.html");
    let references = texts(&html, "ol.sources .csl-entry");
    assert!(
        references[0].starts_with("Bloomberg. 2026. Amazon in talks to sell Trainium"),
        "{references:?}"
    );
    assert!(out.join("methodology/index.html").is_file());
}

/// `authors`, `tags` and `entities` accept one value for a one-item list.
#[test]
fn a_single_author_tag_or_entity_needs_no_brackets() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&fixture("valid"), &root);
    fs::write(
        root.join("content/briefs/single.md"),
        "---\ntitle: Single values\ndate: 2026-05-20\nsummary: One of each.\n\
         authors: Jane Doe\ntags: single-tag\nentities: Single Entity\n\
         score:\n  value: 6\n  rationale: Evidence [@src].\n\
         sources:\n  - { id: src, publisher: P, title: T, url: https://example.org/a }\n\
         ---\nBody [@src].\n",
    )
    .unwrap();
    let (_out_tmp, out, _, _) = build_site(&root, &[]);
    let brief = page(&out, "briefs/single/index.html");
    assert!(texts(&brief, "dd").contains(&"Jane Doe".to_string()));
    let tag = page(&out, "tags/single-tag/index.html");
    assert_eq!(texts(&tag, ".card-title"), ["Single values"]);
    let entity = page(&out, "entities/single-entity/index.html");
    assert_eq!(texts(&entity, ".card-title"), ["Single values"]);
}

/// The `valid` fixture with one brief per listing page: `cloud` and `Amazon`
/// each have two briefs, so two pages.
fn build_one_per_page() -> (TempDir, TempDir, std::path::PathBuf) {
    let site = TempDir::new().unwrap();
    copy_dir(&fixture("valid"), site.path());
    let config = fs::read_to_string(site.path().join("site.yaml")).unwrap();
    fs::write(
        site.path().join("site.yaml"),
        config.replace("per_page: 2", "per_page: 1"),
    )
    .unwrap();
    let (tmp, out, _, _) = build_site(site.path(), &[]);
    (site, tmp, out)
}

#[test]
fn term_pages_are_paginated_like_the_index() {
    let (_site, _tmp, out) = build_one_per_page();
    let first = page(&out, "tags/cloud/index.html");
    let second = page(&out, "tags/cloud/page/2/index.html");
    let titles = |h: &Html| texts(h, ".card-title");
    assert_eq!(titles(&first).len(), 1);
    assert_eq!(titles(&second).len(), 1);
    assert_ne!(titles(&first), titles(&second));
    let nav_links = |h: &Html| attrs(h, "nav.pagination a", "href");
    assert!(nav_links(&first).contains(&"/briefs/tags/cloud/page/2/".to_string()));
    assert_eq!(
        attrs(&first, "nav.pagination a[rel=next]", "href"),
        ["/briefs/tags/cloud/page/2/"]
    );
    assert_eq!(
        attrs(&second, "nav.pagination a[rel=prev]", "href"),
        ["/briefs/tags/cloud/"]
    );
    assert_eq!(
        attrs(&second, "nav.pagination a[aria-current=page]", "href"),
        ["/briefs/tags/cloud/page/2/"]
    );
    assert_eq!(
        texts(&second, ".listing-count")[0]
            .split(" ·")
            .next()
            .unwrap(),
        "2 briefs, page 2 of 2"
    );
    assert_eq!(
        texts(&second, "title"),
        ["Tag: cloud, page 2 of 2 — Fixture Briefs"]
    );
    assert_eq!(texts(&first, "title"), ["Tag: cloud — Fixture Briefs"]);
    assert_eq!(
        attrs(&second, "link[rel=canonical]", "href"),
        ["https://example.org/briefs/tags/cloud/page/2/"]
    );
    // The per-tag feed stays one, beside page 1.
    assert!(out.join("tags/cloud/atom.xml").is_file());
    assert!(!out.join("tags/cloud/page/2/atom.xml").exists());
}

#[test]
fn entity_history_is_whole_on_the_first_page_only() {
    let (_site, _tmp, out) = build_one_per_page();
    let first = page(&out, "entities/amazon/index.html");
    let second = page(&out, "entities/amazon/page/2/index.html");
    assert_eq!(texts(&first, ".history-table tbody tr").len(), 2);
    assert_eq!(attrs(&first, "svg.score-history", "class").len(), 1);
    assert!(texts(&second, ".history-table tbody tr").is_empty());
    assert!(attrs(&second, "svg.score-history", "class").is_empty());
    assert_eq!(
        attrs(&second, ".history-link a", "href"),
        ["/briefs/entities/amazon/#history-heading"]
    );
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    for url in ["tags/cloud/page/2/", "entities/amazon/page/2/"] {
        assert!(
            sitemap.contains(&format!("<loc>https://example.org/briefs/{url}</loc>")),
            "{url} in {sitemap}"
        );
    }
}

/// A static file named like a numbered part of the sitemap or of
/// `briefs.json` would be replaced by the one a large site generates: it is
/// a collision error, as for the fixed data file names, and nothing is built.
#[test]
fn a_static_file_named_like_a_numbered_data_file_is_a_collision() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&fixture("valid"), &root);
    fs::write(root.join("static/sitemap-1.xml"), "<urlset/>").unwrap();
    fs::write(root.join("static/briefs-12.json"), "{}").unwrap();
    // Not a numbered part: copied as usual.
    fs::write(root.join("static/briefs-latest.json"), "{}").unwrap();
    let out = tmp.path().join("public");
    let result = run_build(&root, &out, &[]);
    assert_eq!(result.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&result.stderr);
    for name in ["sitemap-1.xml", "briefs-12.json"] {
        let from = root.join("static").join(name);
        assert!(
            stderr.contains(&format!(
                "a generated page and {} both write {name}",
                from.display()
            )),
            "{stderr}"
        );
    }
    assert!(!stderr.contains("briefs-latest.json"), "{stderr}");
    assert!(!out.exists(), "a failed build writes nothing");
}
