//! Long listings a reader pages through: the sources, the watchlist and the
//! band pages are paginated by `per_page` like the index (page `n` at
//! `page/<n>/`), every page is in the sitemap, and an entity's long score
//! history is summarised by month on its first page while its listing
//! pages keep every brief. The `paginated` fixture has two items a page.

mod common;

use std::fs;

use common::{attrs, build_site, copy_dir, fixture, page, texts};
use scraper::Html;
use tempfile::TempDir;

/// The previous and next links of a page's pagination.
fn prev_next(html: &Html) -> (Vec<String>, Vec<String>) {
    (
        attrs(html, "nav.pagination a[rel=prev]", "href"),
        attrs(html, "nav.pagination a[rel=next]", "href"),
    )
}

fn urls(paths: &[&str]) -> Vec<String> {
    paths.iter().map(|p| format!("/briefs/{p}")).collect()
}

/// The `<lastmod>` of `path`'s entry in the sitemap, if it is listed.
fn lastmod(sitemap: &str, path: &str) -> Option<String> {
    let loc = format!("<loc>https://example.org/briefs/{path}</loc>");
    let entry = sitemap.split("<url>").find(|e| e.contains(&loc))?;
    let date = entry.split("<lastmod>").nth(1)?.split('T').next()?;
    Some(date.to_string())
}

#[test]
fn the_sources_are_paginated_by_publisher() {
    let (_tmp, out, _, _) = build_site(&fixture("paginated"), &[]);
    // Each reference text starts with the publisher (no author: the
    // newspaper leads, in Chicago author-date).
    let publishers = |path: &str| {
        texts(&page(&out, path), ".source-index .csl-entry")
            .iter()
            .map(|t| t.split('.').next().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(publishers("sources/index.html"), ["Alpha", "Beta"]);
    assert_eq!(
        publishers("sources/page/2/index.html"),
        ["Delta", "Epsilon"]
    );
    assert_eq!(publishers("sources/page/3/index.html"), ["Eta", "Gamma"]);
    assert_eq!(publishers("sources/page/4/index.html"), ["Zeta"]);
    assert!(!out.join("sources/page/5").exists());

    let second = page(&out, "sources/page/2/index.html");
    assert_eq!(
        prev_next(&second),
        (urls(&["sources/"]), urls(&["sources/page/3/"]))
    );
    assert_eq!(texts(&second, "nav.pagination a[rel=prev]"), ["← Previous"]);
    assert_eq!(texts(&second, "nav.pagination a[rel=next]"), ["Next →"]);
    assert_eq!(texts(&second, ".listing-count"), ["7 sources, page 2 of 4"]);
    assert_eq!(
        texts(&second, "title"),
        ["Sources, page 2 of 4 — Paginated Briefs"]
    );
    assert_eq!(
        attrs(&second, "link[rel=canonical]", "href"),
        ["https://example.org/briefs/sources/page/2/"]
    );
    let first = page(&out, "sources/index.html");
    assert_eq!(prev_next(&first), (vec![], urls(&["sources/page/2/"])));
    assert_eq!(texts(&first, "title"), ["Sources — Paginated Briefs"]);
    // Each source still names the briefs citing it.
    assert_eq!(
        texts(&first, ".source-briefs a"),
        ["First brief", "First brief"]
    );
}

#[test]
fn the_watchlist_is_paginated_with_dated_items_first() {
    let (_tmp, out, _, _) = build_site(&fixture("paginated"), &[]);
    let items = |path: &str, section: &str| {
        texts(
            &page(&out, path),
            &format!("section[aria-labelledby={section}] .watch-what"),
        )
    };
    assert_eq!(
        items("watch/index.html", "watch-dated"),
        ["Watch two", "Watch one"]
    );
    assert!(items("watch/index.html", "watch-undated").is_empty());
    // Page 2 ends the dated items and starts the open-ended ones.
    assert_eq!(
        items("watch/page/2/index.html", "watch-dated"),
        ["Watch three"]
    );
    assert_eq!(
        items("watch/page/2/index.html", "watch-undated"),
        ["Open two"]
    );
    assert!(items("watch/page/3/index.html", "watch-dated").is_empty());
    assert_eq!(
        items("watch/page/3/index.html", "watch-undated"),
        ["Open one"]
    );

    let second = page(&out, "watch/page/2/index.html");
    assert_eq!(
        prev_next(&second),
        (urls(&["watch/"]), urls(&["watch/page/3/"]))
    );
    let count = texts(&second, ".listing-count").join(" ");
    assert!(
        count.starts_with("3 dated, 2 open-ended, page 2 of 3."),
        "{count}"
    );
    assert_eq!(
        texts(&second, "title"),
        ["Watchlist, page 2 of 3 — Paginated Briefs"]
    );
    let last = page(&out, "watch/page/3/index.html");
    assert_eq!(prev_next(&last), (urls(&["watch/page/2/"]), vec![]));
}

#[test]
fn band_pages_are_paginated_newest_first() {
    let (_tmp, out, _, _) = build_site(&fixture("paginated"), &[]);
    let titles = |path: &str| texts(&page(&out, path), ".card-title");
    assert_eq!(
        titles("bands/high/index.html"),
        ["Third brief", "Second brief"]
    );
    assert_eq!(titles("bands/high/page/2/index.html"), ["First brief"]);
    assert!(!out.join("bands/high/page/3").exists());
    assert!(!out.join("bands/medium/page/2").exists());

    let second = page(&out, "bands/high/page/2/index.html");
    assert_eq!(prev_next(&second), (urls(&["bands/high/"]), vec![]));
    assert_eq!(texts(&second, "nav.pagination a[rel=prev]"), ["← Newer"]);
    assert_eq!(texts(&second, ".listing-count"), ["3 briefs, page 2 of 2"]);
    assert_eq!(
        texts(&second, "title"),
        ["High scores, page 2 of 2 — Paginated Briefs"]
    );
    // The other bands still count all their briefs.
    assert_eq!(
        texts(&second, ".band-nav a"),
        ["High 3 briefs", "Medium 1 brief", "Low 1 brief"]
    );
    // One page, no pagination.
    assert!(texts(&page(&out, "bands/medium/index.html"), "nav.pagination").is_empty());
}

#[test]
fn the_sitemap_lists_each_listing_page_dated_by_the_briefs_it_shows() {
    let (_tmp, out, _, _) = build_site(&fixture("paginated"), &[]);
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let expected = [
        // Alpha and Beta: the first brief; Eta and Gamma: the fifth and second.
        ("sources/", "2026-01-05"),
        ("sources/page/2/", "2026-03-05"),
        ("sources/page/3/", "2026-05-05"),
        ("sources/page/4/", "2026-04-05"),
        ("watch/", "2026-02-05"),
        ("watch/page/2/", "2026-04-05"),
        ("watch/page/3/", "2026-01-05"),
        ("bands/high/", "2026-03-05"),
        ("bands/high/page/2/", "2026-01-05"),
        ("bands/medium/", "2026-04-05"),
        ("bands/low/", "2026-05-05"),
    ];
    for (path, date) in expected {
        assert_eq!(lastmod(&sitemap, path).as_deref(), Some(date), "{path}");
    }
    for path in ["sources/page/5/", "watch/page/4/", "bands/high/page/3/"] {
        assert_eq!(lastmod(&sitemap, path), None, "{path}");
    }
}

/// The `paginated` fixture plus `n` briefs about `Bigco`, three a month
/// from January 2025, scored 1 to 9 in turn.
fn with_bigco_briefs(n: usize) -> TempDir {
    let site = TempDir::new().unwrap();
    copy_dir(&fixture("paginated"), site.path());
    for k in 0..n {
        let (month, day) = (k / 3 + 1, k % 3 + 1);
        let (year, month) = (2025 + (month - 1) / 12, (month - 1) % 12 + 1);
        fs::write(
            site.path().join(format!("content/briefs/bigco-{k:02}.md")),
            format!(
                "---\ntitle: Bigco brief {k:02}\ndate: {year}-{month:02}-{day:02}\nsummary: S.\n\
                 entities: [Bigco]\nscore: {{ value: {score}, rationale: \"R [@s].\" }}\n\
                 sources: [{{ id: s, publisher: P, title: T{k} }}]\n---\nBody [@s].\n",
                score = k % 9 + 1
            ),
        )
        .unwrap();
    }
    site
}

#[test]
fn a_long_entity_history_is_summarised_by_month_and_every_brief_stays_listed() {
    let site = with_bigco_briefs(45);
    let (_tmp, out, _, _) = build_site(site.path(), &[]);
    let first = page(&out, "entities/bigco/index.html");
    // Fifteen months of three briefs each: a row per month, none per brief.
    assert_eq!(texts(&first, ".history-months tbody tr").len(), 15);
    // January 2025: scores 1, 2 and 3.
    let cells = texts(&first, ".history-months tbody tr:first-child :is(th, td)");
    assert_eq!(cells, ["January 2025", "3", "2.0", "1", "3"]);
    assert_eq!(
        attrs(&first, ".history-months tbody time", "datetime")[14],
        "2026-03"
    );
    assert!(attrs(&first, ".history-table a", "href").is_empty());
    // The page says what is summarised and where every brief is.
    let note = texts(&first, ".history-note").join(" ");
    assert_eq!(
        note,
        "45 briefs from 1 January 2025 to 3 March 2026, summarised by month. \
         Every brief with its score is listed below, newest first, across 23 pages."
    );
    assert_eq!(attrs(&first, ".history-note a", "href"), ["#term-briefs"]);
    assert_eq!(attrs(&first, "#term-briefs", "class"), ["card-list"]);
    // The chart: one line of monthly means over one shaded range, a point a month.
    assert_eq!(
        attrs(&first, "svg.score-history polyline", "class").len(),
        1
    );
    assert_eq!(
        attrs(&first, "svg.score-history polygon", "class"),
        ["range"]
    );
    assert_eq!(attrs(&first, "svg.score-history circle", "class").len(), 15);
    assert!(
        texts(&first, "svg.score-history desc")[0].starts_with("Mean score by month of 45 briefs")
    );
    // Every brief is on the entity's listing pages, once, with its score.
    let mut listed = Vec::new();
    for n in 1..=23 {
        let path = match n {
            1 => "entities/bigco/index.html".to_string(),
            n => format!("entities/bigco/page/{n}/index.html"),
        };
        let html = page(&out, &path);
        assert_eq!(
            texts(&html, ".card .score").len(),
            texts(&html, ".card-title").len()
        );
        listed.extend(texts(&html, ".card-title"));
    }
    listed.sort();
    let expected: Vec<String> = (0..45).map(|k| format!("Bigco brief {k:02}")).collect();
    assert_eq!(listed, expected);
}

#[test]
fn a_history_of_forty_briefs_stays_in_full() {
    let site = with_bigco_briefs(40);
    let (_tmp, out, _, _) = build_site(site.path(), &[]);
    let first = page(&out, "entities/bigco/index.html");
    assert_eq!(texts(&first, ".history-table tbody tr").len(), 40);
    assert!(texts(&first, ".history-months").is_empty());
    assert!(texts(&first, ".history-note").is_empty());
    // A point per brief.
    assert_eq!(attrs(&first, "svg.score-history circle", "class").len(), 40);
}

#[test]
fn the_review_page_is_paginated_in_drafts_builds() {
    let site = TempDir::new().unwrap();
    copy_dir(&fixture("paginated"), site.path());
    for (k, status) in ["draft", "review", "draft"].iter().enumerate() {
        fs::write(
            site.path().join(format!("content/briefs/draft-{k}.md")),
            format!(
                "---\ntitle: Unpublished {k}\ndate: 2026-06-0{day}\nsummary: S.\nstatus: {status}\n\
                 score: {{ value: 5, rationale: \"R [@s].\" }}\n\
                 sources: [{{ id: s, publisher: P, title: T }}]\n---\nBody [@s].\n",
                day = k + 1
            ),
        )
        .unwrap();
    }
    let (_tmp, out, _, _) = build_site(site.path(), &["--drafts"]);
    let titles = |path: &str| texts(&page(&out, path), ".review-item .card-title");
    // In review first, then drafts newest first.
    assert_eq!(
        titles("review/index.html"),
        ["Unpublished 1", "Unpublished 2"]
    );
    assert_eq!(titles("review/page/2/index.html"), ["Unpublished 0"]);
    let second = page(&out, "review/page/2/index.html");
    assert_eq!(prev_next(&second), (urls(&["review/"]), vec![]));
    assert_eq!(
        texts(&second, ".listing-count"),
        ["3 unpublished briefs, page 2 of 2"]
    );
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("review/"), "{sitemap}");
}

/// A site in `language` whose brief names `entities` and cites sources by
/// `publishers`, with a free page per title in `pages` (all of one weight).
fn named_site(language: &str, entities: &[&str], publishers: &[&str], pages: &[&str]) -> TempDir {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path();
    fs::create_dir_all(root.join("content/briefs")).unwrap();
    fs::create_dir_all(root.join("content/pages")).unwrap();
    fs::write(
        root.join("site.yaml"),
        format!("title: Desk\nbase_url: https://example.org/briefs/\nlanguage: {language}\n"),
    )
    .unwrap();
    let sources: String = publishers
        .iter()
        .enumerate()
        .map(|(i, p)| format!("  - {{ id: s{i}, publisher: \"{p}\", title: Report }}\n"))
        .collect();
    let cites: String = (0..publishers.len()).map(|i| format!(" [@s{i}]")).collect();
    fs::write(
        root.join("content/briefs/one.md"),
        format!(
            "---\ntitle: One\ndate: 2026-05-01\nsummary: S\nentities: [{}]\n\
             score: {{ value: 5, rationale: R }}\nsources:\n{sources}---\nText{cites}.\n",
            entities.join(", ")
        ),
    )
    .unwrap();
    for (i, title) in pages.iter().enumerate() {
        fs::write(
            root.join(format!("content/pages/p{i}.md")),
            format!("---\ntitle: {title}\n---\nText.\n"),
        )
        .unwrap();
    }
    tmp
}

/// Names sort as a reader of the site's language sorts them (issue 24): in
/// English "Ærø Capital" is filed under "ae", before "TSMC", and "Östra" beside
/// "Ost"; in Swedish "Ö" comes after "Z". Code point order put "Ærø" and
/// "Östra" after "Zeta".
#[test]
fn names_sort_by_the_sites_language() {
    let entities = ["TSMC", "Zeta", "Östra Bank", "Ærø Capital", "Nvidia"];
    let publishers = ["Zeta Research", "Ærø Tidende", "Bloomberg", "Östra Posten"];
    let pages = ["Zeta notes", "Ærø notes", "About"];

    let site = named_site("en", &entities, &publishers, &pages);
    let (_tmp, out, _, _) = build_site(site.path(), &[]);
    assert_eq!(
        texts(&page(&out, "entities/index.html"), ".term-name"),
        ["Ærø Capital", "Nvidia", "Östra Bank", "TSMC", "Zeta"]
    );
    // Each reference text opens with its publisher (no source has an author).
    let leading_names = |html: &scraper::Html| -> Vec<String> {
        let references = texts(html, ".source-index .csl-entry");
        references
            .iter()
            .map(|r| r.split(". ").next().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(
        leading_names(&page(&out, "sources/index.html")),
        ["Ærø Tidende", "Bloomberg", "Östra Posten", "Zeta Research"]
    );
    let nav = texts(&page(&out, "index.html"), ".site-nav a");
    assert_eq!(nav[nav.len() - 3..], ["About", "Ærø notes", "Zeta notes"]);

    let site = named_site("sv", &entities, &publishers, &pages);
    let (_tmp, out, _, _) = build_site(site.path(), &[]);
    assert_eq!(
        texts(&page(&out, "entities/index.html"), ".term-name"),
        ["Nvidia", "TSMC", "Zeta", "Ærø Capital", "Östra Bank"]
    );
}
