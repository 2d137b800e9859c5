//! What a large site's data files look like to a consumer: `briefs.json`
//! past 1,000 published briefs names parts fetched one at a time, and the
//! parts together hold every brief once, newest first. (Up to 1,000 it is
//! the one file, which `tests/publish.rs` reads.)

mod common;

use std::fs;
use std::path::Path;

use common::run_build;
use tempfile::TempDir;

/// A site of `n` published briefs, dated one a day from 2020-01-01.
fn site_of(n: usize) -> TempDir {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path();
    fs::write(
        root.join("site.yaml"),
        "title: Many Briefs\nbase_url: https://example.org/many/\nper_page: 50\n",
    )
    .unwrap();
    let dir = root.join("content/briefs");
    fs::create_dir_all(&dir).unwrap();
    let start = jiff::civil::date(2020, 1, 1);
    for k in 0..n {
        let date = start.checked_add(jiff::Span::new().days(k as i64)).unwrap();
        let brief = format!(
            "---\ntitle: Brief number {k}\ndate: {date}\nsummary: Summary {k}.\n\
             score:\n  value: 5\n  rationale: Plain [@s].\n\
             sources:\n  - {{ id: s, publisher: Wire, title: Story {k}, url: \"https://wire.example/{k}\" }}\n\
             ---\nBody {k} [@s].\n"
        );
        fs::write(dir.join(format!("b{k}.md")), brief).unwrap();
    }
    tmp
}

fn json(out: &Path, path: &str) -> serde_json::Value {
    let text = fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

#[test]
fn briefs_json_of_1001_briefs_names_parts_that_hold_every_brief_once() {
    let site = site_of(1001);
    let out = site.path().join("public");
    let built = run_build(site.path(), &out, &[]);
    let stderr = String::from_utf8_lossy(&built.stderr);
    assert!(
        built.status.success(),
        "{}",
        &stderr[..stderr.len().min(2000)]
    );
    let index = json(&out, "briefs.json");
    assert!(index.get("briefs").is_none(), "{index}");
    assert_eq!(index["title"], "Many Briefs");
    assert_eq!(index["count"], 1001);
    let parts = index["parts"].as_array().unwrap();
    let summary: Vec<(String, u64, String, String)> = parts
        .iter()
        .map(|p| {
            (
                p["path"].as_str().unwrap().to_string(),
                p["count"].as_u64().unwrap(),
                p["newest"].as_str().unwrap().to_string(),
                p["oldest"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let row = |p: &str, c, n: &str, o: &str| (p.to_string(), c, n.to_string(), o.to_string());
    assert_eq!(
        summary,
        [
            row("briefs-1.json", 1000, "2022-09-27", "2020-01-02"),
            row("briefs-2.json", 1, "2020-01-01", "2020-01-01"),
        ]
    );
    assert_eq!(parts[0]["url"], "https://example.org/many/briefs-1.json");
    let mut titles = Vec::new();
    for (k, p) in parts.iter().enumerate() {
        let part = json(&out, p["path"].as_str().unwrap());
        assert_eq!(part["part"], k + 1);
        assert_eq!(part["title"], "Many Briefs");
        for b in part["briefs"].as_array().unwrap() {
            titles.push(b["title"].as_str().unwrap().to_string());
        }
    }
    let expected: Vec<String> = (0..1001)
        .rev()
        .map(|k| format!("Brief number {k}"))
        .collect();
    assert_eq!(titles, expected);
}
