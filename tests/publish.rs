//! What a static host, a feed reader and a search engine get: feeds, the
//! sitemap, robots.txt, briefs.json, the search index, the watchlist and its
//! calendar, the 404 page, and `briefs check`'s link checking.

mod common;

use std::fs;
use std::path::Path;

use common::{briefs, build_site, copy_dir, fixture};
use scraper::{Html, Selector};
use tempfile::TempDir;

fn read(out: &Path, path: &str) -> String {
    fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn json(out: &Path, path: &str) -> serde_json::Value {
    if path.ends_with(".gz") {
        // The search index's gzip-compressed files, as a browser reads them.
        let file = std::fs::File::open(out.join(path)).unwrap();
        return serde_json::from_reader(flate2::read::GzDecoder::new(file)).unwrap();
    }
    serde_json::from_str(&read(out, path)).unwrap()
}

/// (element name, text) of every child element named `name` under the root, in order.
fn xml_texts(xml: &str, name: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    doc.descendants()
        .filter(|n| n.tag_name().name() == name)
        .map(|n| n.text().unwrap_or("").to_string())
        .collect()
}

const DRAFT_URL: &str = "https://example.org/briefs/briefs/draft/";

#[test]
fn atom_feed_is_well_formed_with_absolute_urls_and_full_content() {
    let (_tmp, out, _, _) = build_site(&fixture("valid"), &["--drafts"]);
    let xml = read(&out, "atom.xml");
    let doc = roxmltree::Document::parse(&xml).expect("atom.xml is well-formed XML");
    let feed = doc.root_element();
    assert_eq!(
        feed.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let ids = xml_texts(&xml, "id");
    assert_eq!(
        ids,
        [
            "https://example.org/briefs/atom.xml",
            "https://example.org/briefs/briefs/cited/",
            "https://example.org/briefs/briefs/bundle-brief/",
            "https://example.org/briefs/briefs/older/",
            "https://example.org/briefs/briefs/oldest/",
        ]
    );
    assert!(!xml.contains(DRAFT_URL), "drafts never reach feeds");
    assert_eq!(xml_texts(&xml, "updated")[0], "2026-05-15T00:00:00Z");
    let entry = doc
        .descendants()
        .find(|n| n.tag_name().name() == "entry")
        .unwrap();
    let content = entry
        .children()
        .find(|n| n.tag_name().name() == "content")
        .unwrap()
        .text()
        .unwrap();
    // The whole brief, as HTML text: body with citations, scoring and sources.
    assert!(content.contains("class=\"cite-ref\""));
    assert!(content.contains("<h2 id=\"scoring-rationale-heading\">Scoring rationale</h2>"));
    assert!(content.contains("<span class=\"score-summary-value\">7.5</span>"));
    // The sources with their reference texts, titles linked.
    assert!(content.contains(
        "<div class=\"csl-entry\" id=\"ref-alpha\"><i>Alpha Daily</i>. 2026. \
         <a href=\"https://alpha.example/story?id=1&amp;x=2\"><i>Alpha reports the talks</i></a>."
    ));
    let title = entry
        .children()
        .find(|n| n.tag_name().name() == "title")
        .unwrap()
        .text()
        .unwrap();
    assert_eq!(title, r#"Chips <script>alert("x")</script> & "quotes""#);
    let categories: Vec<_> = entry
        .children()
        .filter(|n| n.tag_name().name() == "category")
        .map(|n| n.attribute("term").unwrap())
        .collect();
    assert_eq!(categories, ["ai-chips", "cloud"]);
}

#[test]
fn json_feed_has_the_required_fields() {
    let (_tmp, out, _, _) = build_site(&fixture("valid"), &[]);
    let feed = json(&out, "feed.json");
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(feed["feed_url"], "https://example.org/briefs/feed.json");
    assert_eq!(feed["home_page_url"], "https://example.org/briefs/");
    let items = feed["items"].as_array().unwrap();
    assert_eq!(items.len(), 4);
    let first = &items[0];
    assert_eq!(first["id"], "https://example.org/briefs/briefs/cited/");
    assert_eq!(first["date_published"], "2026-05-14T00:00:00Z");
    assert_eq!(first["date_modified"], "2026-05-15T00:00:00Z");
    assert_eq!(first["tags"], serde_json::json!(["AI Chips", "cloud"]));
    assert_eq!(
        first["authors"],
        serde_json::json!([{ "name": "Ann Analyst" }])
    );
    assert!(first["content_html"].as_str().unwrap().contains("Sources"));
    // The same HTML as the Atom entry's content.
    let atom = read(&out, "atom.xml");
    assert_eq!(
        first["content_html"].as_str().unwrap(),
        first_entry_content(&atom)
    );
}

/// The text of the first entry's `<content>` of an Atom feed.
fn first_entry_content(xml: &str) -> String {
    let doc = roxmltree::Document::parse(xml).unwrap();
    let content = doc
        .descendants()
        .find(|n| n.tag_name().name() == "content")
        .expect("an entry with content");
    content.text().unwrap_or("").to_string()
}

/// The outer HTML of every element `selector` matches.
fn outer_html(html: &Html, selector: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    html.select(&sel).map(|e| e.html()).collect()
}

#[test]
fn feed_entries_show_the_brief_pages_own_rationale_and_sources() {
    let (_tmp, out, _, _) = build_site(&fixture("valid"), &[]);
    let content = Html::parse_fragment(&first_entry_content(&read(&out, "atom.xml")));
    let page = Html::parse_document(&read(&out, "briefs/cited/index.html"));
    // Same partials, same markup: the sections are equal, element for element.
    for section in ["section#scoring-rationale", "section#sources"] {
        let in_feed = outer_html(&content, section);
        assert_eq!(in_feed.len(), 1, "{section} in the feed entry");
        assert_eq!(in_feed, outer_html(&page, section), "{section}");
    }
    assert!(!outer_html(&content, "#sources li[id^=source-]").is_empty());
    // Backlinks point at citations in the entry's own content.
    let ids: Vec<String> = content
        .select(&Selector::parse("[id]").unwrap())
        .map(|e| e.value().id().unwrap().to_string())
        .collect();
    let backlinks = Selector::parse("a.backlink").unwrap();
    let hrefs: Vec<&str> = content
        .select(&backlinks)
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert!(!hrefs.is_empty());
    for href in hrefs {
        let id = href.strip_prefix('#').expect("a fragment link");
        assert!(
            ids.iter().any(|i| i == id),
            "{href} has no target in {ids:?}"
        );
    }
    // No page chrome in a feed reader.
    assert!(outer_html(&content, "nav, button, script, header, footer").is_empty());
}

#[test]
fn tag_and_high_score_feeds() {
    let (_tmp, out, _, _) = build_site(&fixture("valid"), &[]);
    let cloud = read(&out, "tags/cloud/atom.xml");
    assert_eq!(
        xml_texts(&cloud, "id")[1..],
        [
            "https://example.org/briefs/briefs/cited/",
            "https://example.org/briefs/briefs/older/"
        ]
    );
    // Default threshold: the lowest score of the top band (8); only "older" scores 9.
    let high = read(&out, "high-score.xml");
    assert_eq!(
        xml_texts(&high, "id")[1..],
        ["https://example.org/briefs/briefs/older/"]
    );
    let index = read(&out, "index.html");
    assert!(index.contains(r#"<link rel="alternate" type="application/atom+xml" title="Fixture Briefs" href="/briefs/atom.xml">"#));
    assert!(read(&out, "tags/cloud/index.html").contains(r#"href="/briefs/tags/cloud/atom.xml""#));
}

#[test]
fn sitemap_lists_every_published_page_with_lastmod() {
    let (_tmp, out, _, _) = build_site(&fixture("valid"), &["--drafts"]);
    let xml = read(&out, "sitemap.xml");
    let locs = xml_texts(&xml, "loc");
    let lastmods = xml_texts(&xml, "lastmod");
    assert_eq!(locs.len(), lastmods.len());
    assert!(!locs.iter().any(|l| l == DRAFT_URL || l.contains("drafty")));
    for loc in &locs {
        let path = loc.strip_prefix("https://example.org/briefs/").unwrap();
        assert!(
            out.join(path).join("index.html").is_file(),
            "{loc} is not a page"
        );
    }
    assert!(locs.contains(&"https://example.org/briefs/briefs/cited/".to_string()));
    let cited = locs
        .iter()
        .position(|l| l.ends_with("/briefs/cited/"))
        .unwrap();
    assert_eq!(lastmods[cited], "2026-05-15T00:00:00Z");
    assert_eq!(
        read(&out, "robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/briefs/sitemap.xml\n"
    );
}

#[test]
fn briefs_json_carries_every_published_briefs_metadata() {
    let (_tmp, out, _, _) = build_site(&fixture("valid"), &["--drafts"]);
    let catalog = json(&out, "briefs.json");
    let briefs = catalog["briefs"].as_array().unwrap();
    let slugs: Vec<_> = briefs.iter().map(|b| b["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["cited", "bundle-brief", "older", "oldest"]);
    let cited = &briefs[0];
    assert_eq!(cited["url"], "https://example.org/briefs/briefs/cited/");
    assert_eq!(cited["score"]["value"], 7.5);
    assert_eq!(cited["score"]["band"], "Medium");
    assert_eq!(
        cited["score"]["factors"][0],
        serde_json::json!({ "name": "Evidence", "value": 8.0, "note": "Public figures" })
    );
    assert_eq!(
        cited["entities"],
        serde_json::json!(["Société Générale", "Amazon"])
    );
    let gamma = cited["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "gamma")
        .unwrap();
    assert_eq!(gamma["number"], 1);
    assert_eq!(gamma["kind"], "primary");
    assert_eq!(
        cited["watch"][1],
        serde_json::json!({ "item": "First shipment", "by": "2026-12-31" })
    );
}

#[test]
fn search_index_finds_briefs_by_every_field() {
    let (_tmp, out, _, _) = build_site(&fixture("valid"), &["--drafts"]);
    let index = json(&out, "search/index.json");
    assert_eq!(index["docs"], 4, "drafts never reach search");
    let first = json(&out, "search/f/0.json.gz");
    assert_eq!(first[1], "/briefs/briefs/cited/");
    assert_eq!(first[4], "7.5");
    assert_eq!(first[5], "Medium");
    assert!(!out.join("search/f/4.json.gz").exists());
    // The body's text by section, each with its heading's id, for an
    // excerpt around the words found and a link to their section.
    assert_eq!(
        first[8][0],
        serde_json::json!(["", "The lede cites gamma first 1, then both 2, 1."])
    );
    assert_eq!(first[8][1][0], "what-happened");
    assert!(
        (first[8][1][1].as_str().unwrap()).starts_with("What happened Alpha again 2, p. 12."),
        "{}",
        first[8][1]
    );
    // A term's shard is named by its first two characters; the manifest
    // lists every shard, so the script never asks for one that is missing.
    let postings = |term: &str| -> Vec<u64> {
        let Some(starts) = index["shards"][&term[..2]].as_array() else {
            return Vec::new();
        };
        assert!(starts.is_empty(), "the sample's shards are one part each");
        let shard = json(&out, &format!("search/t/{}.json.gz", &term[..2]));
        let flat = shard[term].as_array().cloned().unwrap_or_default();
        // Documents are written as differences from the one before.
        let mut doc = 0;
        flat.chunks(2)
            .map(|p| {
                doc += p[0].as_u64().unwrap();
                doc
            })
            .collect()
    };
    assert_eq!(postings("chips"), [0], "title");
    assert_eq!(postings("societe"), [0], "entity, accent folded");
    assert_eq!(postings("cloud"), [0, 2], "tag");
    assert_eq!(postings("image"), [1], "summary");
    assert_eq!(postings("bundle"), [1], "body text");
    assert_eq!(postings("gamma"), [0], "a source's title and publisher");
    assert_eq!(postings("talks"), [0], "a source's title");
    assert_eq!(postings("ann"), [0], "an author");
    assert!(
        postings("weekly").is_empty(),
        "a source nobody cites is not published, so not searched"
    );
    assert!(
        postings("progress").is_empty(),
        "the draft's title is not indexed"
    );
    let page = Html::parse_document(&read(&out, "search/index.html"));
    let input = Selector::parse(
        "form[role=search] label[for=search-input] + .search-row input#search-input",
    )
    .unwrap();
    assert_eq!(page.select(&input).count(), 1);
    assert!(out.join("search.js").is_file());
}

#[test]
fn watchlist_lists_dated_items_soonest_first_then_undated() {
    let (_tmp, out, _, _) = build_site(&fixture("valid"), &[]);
    let page = Html::parse_document(&read(&out, "watch/index.html"));
    let items = Selector::parse(".watch-item .watch-what").unwrap();
    let texts: Vec<String> = page.select(&items).map(|e| e.text().collect()).collect();
    assert_eq!(texts, ["First shipment", "Named customers"]);
    let ics = read(&out, "watch.ics");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(ics.contains("UID:cited-2@example.org\r\n"));
    assert!(ics.contains("DTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101\r\n"));
    assert!(
        !ics.contains("Named customers"),
        "undated items are not events"
    );
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
}

#[test]
fn not_found_page_links_work_under_the_subpath() {
    let (_tmp, out, _, _) = build_site(&fixture("valid"), &[]);
    let page = Html::parse_document(&read(&out, "404.html"));
    let links = Selector::parse("main a").unwrap();
    let hrefs: Vec<_> = page
        .select(&links)
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        hrefs,
        [
            "/briefs/",
            "/briefs/search/",
            "/briefs/tags/",
            "/briefs/entities/"
        ]
    );
}

#[test]
fn check_reports_broken_internal_links_and_anchors() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path();
    fs::create_dir_all(root.join("content/pages")).unwrap();
    fs::write(
        root.join("site.yaml"),
        "title: T\nbase_url: https://example.org/briefs/\n",
    )
    .unwrap();
    fs::write(
        root.join("content/pages/about.md"),
        "---\ntitle: About\n---\n[ok](/briefs/tags/) [gone](/briefs/nope/) [anchor](#nowhere) [out](/elsewhere/) [ext](https://example.com/x)\n",
    )
    .unwrap();
    let result = briefs().arg("check").current_dir(root).output().unwrap();
    assert_eq!(result.status.code(), Some(1));
    let stderr = String::from_utf8(result.stderr).unwrap();
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: broken link"))
        .collect();
    assert_eq!(
        errors,
        [
            "error: broken link `/briefs/nope/` on about/index.html: no such page or file",
            "error: broken link `#nowhere` on about/index.html: the page has no element with id `nowhere`",
            "error: broken link `/elsewhere/` on about/index.html: it is outside the site's base path `/briefs/`",
        ]
    );
    assert!(
        stderr.contains(" --> content/pages/about.md:4:21"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("error: 3 errors found in the site\n"),
        "{stderr}"
    );
}

#[test]
fn the_sample_site_has_no_broken_links() {
    briefs()
        .args(["check", "--drafts", "--root", env!("CARGO_MANIFEST_DIR")])
        .assert()
        .success();
}

/// Facets: every tag, entity and band with its count; a row per document
/// (score rank, then its values) to count a query's results and sort them
/// by score; a file per value with its documents and the values they share.
/// What counting a query's tags and entities may fetch before `search.js`
/// estimates them: `search.counts_kb` (200 by default), with the size of
/// each rows file, in `facets.json`.
#[test]
fn search_facets_say_how_many_bytes_of_rows_counting_may_fetch() {
    let (_tmp, out, _, _) = build_site(&fixture("valid"), &[]);
    let facets = json(&out, "search/facets.json");
    assert_eq!(facets["budget"], 200 * 1024);
    let size = fs::metadata(out.join("search/r/0.json.gz")).unwrap().len();
    assert_eq!(facets["rowBytes"], serde_json::json!([size]));

    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&fixture("valid"), &root);
    let config = fs::read_to_string(root.join("site.yaml")).unwrap();
    fs::write(root.join("site.yaml"), config + "search:\n  counts_kb: 1\n").unwrap();
    let (_tmp, out, _, _) = build_site(&root, &[]);
    assert_eq!(json(&out, "search/facets.json")["budget"], 1024);
}

#[test]
fn search_facets_count_tags_entities_and_bands() {
    let (_tmp, out, _, _) = build_site(&fixture("valid"), &["--drafts"]);
    let facets = json(&out, "search/facets.json");
    let values: Vec<(String, String, String, u64)> =
        serde_json::from_value(facets["values"].clone()).unwrap();
    let name = |id: usize| format!("{}={}", values[id].0, values[id].1);
    let named: Vec<String> = (0..values.len())
        .map(|id| format!("{} {:?} {}", name(id), values[id].2, values[id].3))
        .collect();
    assert_eq!(
        named,
        [
            "band=medium \"Medium\" 2",
            "entity=amazon \"Amazon\" 2",
            "tag=cloud \"cloud\" 2",
            "band=high \"High\" 1",
            "band=low \"Low\" 1",
            "entity=societe-generale \"Société Générale\" 1",
            "tag=ai-chips \"AI Chips\" 1",
        ],
        "most frequent first; the draft's tag is not there"
    );
    // Rows: documents newest first, each its tags and entities, one
    // character a number; score ranks (0: the highest score), one a document.
    const DIGITS: &str = "!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";
    let rows: String = serde_json::from_value(json(&out, "search/r/0.json.gz")).unwrap();
    let rows: Vec<Vec<String>> = rows
        .split(' ')
        .map(|row| {
            (row.chars())
                .map(|c| name(DIGITS.find(c).unwrap()))
                .collect::<Vec<_>>()
        })
        .collect();
    let ranks: String = serde_json::from_value(json(&out, "search/s/0.json.gz")).unwrap();
    let ranks: Vec<usize> = ranks.chars().map(|c| DIGITS.find(c).unwrap()).collect();
    assert_eq!(ranks, [1, 2, 0, 3], "scores 7.5, 6, 9 and 2");
    let want: [&[&str]; 4] = [
        &[
            "entity=amazon",
            "tag=cloud",
            "entity=societe-generale",
            "tag=ai-chips",
        ],
        &[],
        &["entity=amazon", "tag=cloud"],
        &[],
    ];
    assert_eq!(rows, want);
    // Each document's band, one character a document: scores 7.5 and 6
    // are Medium, 9 High, 2 Low.
    let bands: String = serde_json::from_value(json(&out, "search/b/0.json.gz")).unwrap();
    let bands: Vec<String> = bands
        .chars()
        .map(|c| name(DIGITS.find(c).unwrap()))
        .collect();
    assert_eq!(
        bands,
        ["band=medium", "band=medium", "band=high", "band=low"]
    );
    // "cloud": documents 0 and 2 (as differences), and what they share.
    let cloud = json(&out, "search/v/2.json.gz");
    assert_eq!(cloud["d"], serde_json::json!([0, 2]));
    let shared: Vec<(String, u64)> = (cloud["c"].as_array().unwrap().chunks(2))
        .map(|p| {
            (
                name(p[0].as_u64().unwrap() as usize),
                p[1].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        shared,
        [
            ("band=medium".to_string(), 1),
            ("entity=amazon".to_string(), 2),
            ("band=high".to_string(), 1),
            ("entity=societe-generale".to_string(), 1),
            ("tag=ai-chips".to_string(), 1),
        ]
    );
    assert!(!out.join("search/v/7.json.gz").exists());
    assert!(!out.join("search/r/1.json.gz").exists());
    assert!(!out.join("search/s/1.json.gz").exists());
    assert!(!out.join("search/b/1.json.gz").exists());
}
