//! Tag and entity pages of Japanese names (issue 24): kanji are never read
//! as Mandarin outside a Chinese site (東京 was `tags/dong-jing/`). The folder
//! on disk keeps the characters, every link, feed and sitemap entry carries
//! them percent-encoded, and the build's link check finds each page.

mod common;

use std::fs;
use std::path::Path;

use common::{attrs, build_site, copy_dir, fixture, page};
use tempfile::TempDir;

/// `url` percent-encoded as a browser sends it.
fn encoded(url: &str) -> String {
    percent_encoding::utf8_percent_encode(url, &percent_encoding::AsciiSet::EMPTY).to_string()
}

/// The folders under `out/dir`, sorted.
fn folders(out: &Path, dir: &str) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(out.join(dir))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The fixture built with `language:` set to `language`: the temp folder
/// (keep it alive) and the output folder.
fn built_in(language: &str) -> (TempDir, TempDir, std::path::PathBuf) {
    let site = TempDir::new().unwrap();
    copy_dir(&fixture("japanese-terms"), site.path());
    let yaml = site.path().join("site.yaml");
    let text = fs::read_to_string(&yaml).unwrap();
    fs::write(
        &yaml,
        text.replace("language: en", &format!("language: {language}")),
    )
    .unwrap();
    let (tmp, out, _, stderr) = build_site(site.path(), &[]);
    assert_eq!(
        stderr, "",
        "the build passes its link check without a warning"
    );
    (site, tmp, out)
}

#[test]
fn kanji_terms_keep_their_characters_and_kana_reads_as_romaji_outside_japanese() {
    let (_site, _tmp, out) = built_in("en");
    assert_eq!(
        folders(&out, "tags"),
        ["ai-半導体", "chips", "sofutobanku", "東京"]
    );
    assert_eq!(
        folders(&out, "entities"),
        ["sonii-guruupu", "東京エレクトロン"]
    );

    let brief = page(&out, "briefs/tokyo-electron-kessan/index.html");
    let tag_links: Vec<String> = attrs(&brief, "a[href^='/desk/tags/']", "href");
    for slug in ["東京", "ai-半導体", "sofutobanku"] {
        let href = encoded(&format!("/desk/tags/{slug}/"));
        assert!(tag_links.contains(&href), "{href} in {tag_links:?}");
    }
    assert!(tag_links.contains(&"/desk/tags/%E6%9D%B1%E4%BA%AC/".to_string()));
    let entity_links = attrs(&brief, "a[href^='/desk/entities/']", "href");
    assert!(entity_links.contains(&encoded("/desk/entities/東京エレクトロン/")));

    let tag = page(&out, "tags/東京/index.html");
    assert_eq!(
        attrs(&tag, "link[rel=canonical]", "href"),
        ["https://example.org/desk/tags/%E6%9D%B1%E4%BA%AC/"]
    );
    let listing = page(&out, "tags/index.html");
    let listed = attrs(&listing, "main a[href^='/desk/tags/']", "href");
    assert!(listed.contains(&encoded("/desk/tags/東京/")), "{listed:?}");

    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://example.org/desk/tags/%E6%9D%B1%E4%BA%AC/</loc>"));
    assert!(!sitemap.contains("東京"), "a sitemap's URLs are escaped");
    let feed = fs::read_to_string(out.join("tags/東京/atom.xml")).unwrap();
    assert!(feed.contains(
        r#"<link rel="self" type="application/atom+xml" href="https://example.org/desk/tags/%E6%9D%B1%E4%BA%AC/atom.xml"/>"#
    ));
    assert!(feed.contains(r#"<category term="東京" label="東京"/>"#));
}

/// On a Japanese site kana stay too, and half-width kana are the same page
/// as full-width ones; the middle dot ・ separates words.
#[test]
fn a_japanese_site_keeps_kana_in_term_addresses() {
    let (_site, _tmp, out) = built_in("ja");
    assert_eq!(
        folders(&out, "tags"),
        ["ai-半導体", "chips", "ソフトバンク", "東京"]
    );
    assert_eq!(
        folders(&out, "entities"),
        ["ソニー-グループ", "東京エレクトロン"]
    );
    let brief = page(&out, "briefs/softbank-arm/index.html");
    let links = attrs(&brief, "a[href^='/desk/tags/']", "href");
    assert!(
        links.contains(&encoded("/desk/tags/ソフトバンク/")),
        "{links:?}"
    );
}

/// A Chinese site reads Han as pinyin, as it always did.
#[test]
fn a_chinese_site_reads_han_as_pinyin() {
    let (_site, _tmp, out) = built_in("zh-Hans");
    assert!(folders(&out, "tags").contains(&"dong-jing".to_string()));
    assert!(
        out.join("entities/dong-jing-erekutoron/index.html")
            .is_file()
    );
}
