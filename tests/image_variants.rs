//! A bundle's large raster images as a reader gets them: smaller WebP
//! variants published beside the page and named by `srcset`, made once and
//! kept in the site's `.briefs-cache/`; an image that cannot be read is a
//! warning at its place; `@/static/` images get their size.

mod common;

use std::fs;
use std::path::Path;

use common::{attrs, copy_dir, fixture, page, run_build};

/// A site with a bundle holding a wide PNG, a wide JPEG, a small PNG, and
/// a PNG cut in half; and a static image named by a content link.
fn site(root: &Path) {
    copy_dir(&fixture("markdown"), root);
    let bundle = root.join("content/briefs/photos");
    fs::create_dir_all(bundle.join("shots")).unwrap();
    let pattern = |x: u32, y: u32| image::Rgb([(x % 251) as u8, (y % 241) as u8, 90]);
    image::RgbImage::from_fn(1600, 900, pattern)
        .save(bundle.join("shots/site plan.png"))
        .unwrap();
    image::RgbImage::from_fn(1000, 750, pattern)
        .save(bundle.join("yard.jpg"))
        .unwrap();
    image::RgbImage::from_fn(300, 200, pattern)
        .save(bundle.join("small.png"))
        .unwrap();
    let cut = bundle.join("cut.png");
    image::RgbImage::from_fn(1200, 1200, pattern)
        .save(&cut)
        .unwrap();
    let bytes = fs::read(&cut).unwrap();
    fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    fs::create_dir_all(root.join("static/img")).unwrap();
    image::RgbImage::from_fn(120, 40, pattern)
        .save(root.join("static/img/logo.png"))
        .unwrap();
    fs::write(
        bundle.join("index.md"),
        "---\ntitle: Photos\ndate: 2026-03-08\nsummary: Large images, resized.\n\
         tags: [cloud]\nentities: [Amazon]\nscore:\n  value: 5\n  rationale: Built [@one].\n\
         sources:\n  - { id: one, publisher: One, title: One story, url: \"https://one.example/\" }\n\
         ---\nThe plan [@one].\n\n\
         ![The site plan](shots/site%20plan.png)\n\n\
         ![The yard](yard.jpg)\n\n\
         ![A small view](small.png)\n\n\
         ![A cut file](cut.png)\n\n\
         ![The logo](@/static/img/logo.png)\n",
    )
    .unwrap();
}

/// Each `srcset` entry of `srcset`: its URL and width.
fn entries(srcset: &str) -> Vec<(String, u32)> {
    srcset
        .split(", ")
        .map(|entry| {
            let (url, width) = entry.rsplit_once(' ').unwrap();
            (
                url.to_string(),
                width.trim_end_matches('w').parse().unwrap(),
            )
        })
        .collect()
}

/// A WebP file's width and height, asserting it is one.
fn webp_size(path: &Path) -> (usize, usize) {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(&bytes[8..12], b"WEBP", "{}", path.display());
    let size = imagesize::blob_size(&bytes).unwrap();
    (size.width, size.height)
}

#[test]
fn large_bundle_images_get_webp_variants_in_srcset_made_once() {
    let tmp = tempfile::TempDir::new().unwrap();
    let root = tmp.path().join("site");
    site(&root);
    let out = tmp.path().join("public");
    let output = run_build(&root, &out, &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let html = page(&out, "briefs/photos/index.html");
    let body = ".brief-body img";
    // The originals stay the `src`, with their own size.
    assert_eq!(
        attrs(&html, body, "src"),
        [
            "shots/site%20plan.png",
            "yard.jpg",
            "small.png",
            "cut.png",
            "/img/logo.png"
        ]
    );
    assert_eq!(
        attrs(&html, body, "width"),
        ["1600", "1000", "300", "1200", "120"]
    );
    assert_eq!(
        attrs(&html, body, "height"),
        ["900", "750", "200", "1200", "40"]
    );
    variants_are_webp_beside_the_page(&out, &html);
    // The cut file is a warning at its image, and is published as it is.
    assert!(
        stderr.contains(
            "warning: `cut.png` gets no smaller WebP variants: it is not a readable image"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/briefs/photos/index.md:21:1"),
        "{stderr}"
    );
    assert!(out.join("briefs/photos/cut.png").is_file());
    feeds_name_the_images_by_absolute_urls(&out);
    a_second_build_takes_them_from_the_cache(&root, &out, &tmp.path().join("again"));
}

/// In the JSON feed (which has no `xml:base`), the brief's images and their
/// variants are named by absolute URLs, each a file the build published.
fn feeds_name_the_images_by_absolute_urls(out: &Path) {
    let feed: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("feed.json")).unwrap()).unwrap();
    let item = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["url"] == "https://markdown.example.net/briefs/photos/")
        .expect("the photos brief in feed.json");
    let html = scraper::Html::parse_fragment(item["content_html"].as_str().unwrap());
    let base = "https://markdown.example.net/briefs/photos/";
    assert_eq!(
        attrs(&html, "img", "src"),
        [
            format!("{base}shots/site%20plan.png"),
            format!("{base}yard.jpg"),
            format!("{base}small.png"),
            format!("{base}cut.png"),
            "https://markdown.example.net/img/logo.png".to_string(),
        ]
    );
    let srcsets = attrs(&html, "img", "srcset");
    assert_eq!(srcsets.len(), 2, "{srcsets:?}");
    for (url, _) in srcsets.iter().flat_map(|srcset| entries(srcset)) {
        let path = url
            .strip_prefix("https://markdown.example.net/")
            .unwrap_or_else(|| panic!("not absolute: {url}"));
        assert!(out.join(path).is_file(), "{url}");
    }
}

/// The two large, readable images of the page `html` (built into `out`)
/// have variants: each narrower width, never one as wide as the original,
/// each a WebP file beside the page, of its width, in proportion.
fn variants_are_webp_beside_the_page(out: &Path, html: &scraper::Html) {
    let body = ".brief-body img";
    let srcsets = attrs(html, body, "srcset");
    assert_eq!(srcsets.len(), 2, "{srcsets:?}");
    assert_eq!(
        attrs(html, body, "sizes"),
        ["(max-width: 40rem) 100vw, 40rem"; 2]
    );
    let plan = entries(&srcsets[0]);
    let yard = entries(&srcsets[1]);
    let widths = |e: &[(String, u32)]| e.iter().map(|(_, w)| *w).collect::<Vec<_>>();
    assert_eq!(widths(&plan), [480, 800, 1200]);
    assert_eq!(widths(&yard), [480, 800]);
    for (url, width) in &plan {
        assert!(
            url.starts_with("shots/site-plan.") && url.ends_with("w.webp"),
            "{url}"
        );
        let file = out.join("briefs/photos").join(url);
        let height = *width as usize * 900 / 1600;
        assert_eq!(webp_size(&file), (*width as usize, height));
    }
    for (url, width) in &yard {
        assert!(url.starts_with("yard.") && !url.contains('/'), "{url}");
        let file = out.join("briefs/photos").join(url);
        assert_eq!(webp_size(&file), (*width as usize, *width as usize * 3 / 4));
    }
}

/// The variants are kept in the site's cache at `root` (never published
/// in `out`), and a second build into `again` finds every one there:
/// nothing is encoded again, and the page and its files are the same.
fn a_second_build_takes_them_from_the_cache(root: &Path, out: &Path, again: &Path) {
    let cache = root.join(".briefs-cache");
    assert!(
        fs::read_to_string(cache.join("CACHEDIR.TAG"))
            .unwrap()
            .starts_with("Signature: ")
    );
    assert_eq!(
        fs::read_to_string(cache.join(".gitignore"))
            .unwrap()
            .lines()
            .last(),
        Some("*")
    );
    let kept: Vec<_> = fs::read_dir(cache.join("images")).unwrap().collect();
    assert_eq!(kept.len(), 5);
    assert!(!out.join(".briefs-cache").exists());
    let stamps = |dir: &Path| {
        let mut stamps: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (e.file_name(), e.metadata().unwrap().modified().unwrap())
            })
            .collect();
        stamps.sort();
        stamps
    };
    let before = stamps(&cache.join("images"));
    let output = run_build(root, again, &[]);
    assert!(output.status.success());
    assert_eq!(stamps(&cache.join("images")), before);
    assert_eq!(
        common::snapshot_dir(&out.join("briefs/photos")),
        common::snapshot_dir(&again.join("briefs/photos"))
    );
}

#[test]
fn variants_no_brief_uses_any_more_leave_the_cache_after_a_build() {
    let tmp = tempfile::TempDir::new().unwrap();
    let root = tmp.path().join("site");
    site(&root);
    let output = run_build(&root, &tmp.path().join("public"), &[]);
    assert!(output.status.success());
    let images = root.join(".briefs-cache/images");
    let names = || {
        let mut names: Vec<String> = fs::read_dir(&images)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    };
    let first = names();
    assert_eq!(first.len(), 5);
    fs::write(images.join("notes.txt"), "not a variant").unwrap();
    // The site plan leaves the brief, and the yard is a new picture.
    let bundle = root.join("content/briefs/photos");
    let text = fs::read_to_string(bundle.join("index.md")).unwrap();
    let text = text.replace("![The site plan](shots/site%20plan.png)\n\n", "");
    fs::write(bundle.join("index.md"), text).unwrap();
    fs::remove_file(bundle.join("shots/site plan.png")).unwrap();
    image::RgbImage::from_fn(1000, 750, |x, y| {
        image::Rgb([(x % 7) as u8, (y % 5) as u8, 9])
    })
    .save(bundle.join("yard.jpg"))
    .unwrap();
    let output = run_build(&root, &tmp.path().join("again"), &[]);
    assert!(output.status.success());
    let second = names();
    // The yard's two new variants, and the file that is not a variant.
    assert_eq!(second.len(), 3, "{second:?}");
    assert!(second.contains(&"notes.txt".to_string()));
    assert!(
        second.iter().all(|name| !first.contains(name)),
        "{second:?}"
    );
    let html = page(&tmp.path().join("again"), "briefs/photos/index.html");
    for (url, _) in entries(&attrs(&html, ".brief-body img[srcset]", "srcset")[0]) {
        assert!(
            tmp.path().join("again/briefs/photos").join(&url).is_file(),
            "{url}"
        );
    }
}

#[test]
fn a_static_image_gets_its_variants_once_beside_it_under_the_base_path() {
    let tmp = tempfile::TempDir::new().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&fixture("markdown"), &root);
    fs::create_dir_all(root.join("static/img")).unwrap();
    image::RgbImage::from_fn(1000, 500, |x, y| {
        image::Rgb([(x % 13) as u8, (y % 11) as u8, 40])
    })
    .save(root.join("static/img/wide chart.png"))
    .unwrap();
    let shows = "![The wide chart](@/static/img/wide%20chart.png)";
    for name in ["first", "second"] {
        fs::write(
            root.join(format!("content/briefs/{name}.md")),
            format!(
                "---\ntitle: The {name}\ndate: 2026-03-08\nsummary: A chart.\ntags: [cloud]\n\
                 entities: [Amazon]\nscore:\n  value: 5\n  rationale: Built [@one].\nsources:\n  \
                 - {{ id: one, publisher: One, title: One story, url: \"https://one.example/\" }}\n\
                 ---\nThe chart [@one].\n\n{shows}\n"
            ),
        )
        .unwrap();
    }
    fs::create_dir_all(root.join("content/pages")).unwrap();
    fs::write(
        root.join("content/pages/charts.md"),
        format!("---\ntitle: Charts\n---\nOur chart.\n\n{shows}\n"),
    )
    .unwrap();
    let out = tmp.path().join("public");
    let base = ["--base-url", "https://example.org/desk/"];
    let output = run_build(&root, &out, &base);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut srcsets = Vec::new();
    for path in [
        "briefs/first/index.html",
        "briefs/second/index.html",
        "charts/index.html",
    ] {
        let html = page(&out, path);
        let img = "img[alt='The wide chart']";
        assert_eq!(
            attrs(&html, img, "src"),
            ["/desk/img/wide%20chart.png"],
            "{path}"
        );
        assert_eq!(attrs(&html, img, "width"), ["1000"], "{path}");
        srcsets.extend(attrs(&html, img, "srcset"));
    }
    // One srcset for the three texts, naming files beside the image.
    assert_eq!(srcsets.len(), 3);
    assert!(srcsets.iter().all(|s| *s == srcsets[0]), "{srcsets:?}");
    let set = entries(&srcsets[0]);
    assert_eq!(set.iter().map(|(_, w)| *w).collect::<Vec<_>>(), [480, 800]);
    for (url, width) in &set {
        let name = url
            .strip_prefix("/desk/img/")
            .unwrap_or_else(|| panic!("{url}"));
        assert!(name.starts_with("wide-chart.") && name.ends_with(&format!(".{width}w.webp")));
        assert_eq!(
            webp_size(&out.join("img").join(name)),
            (*width as usize, *width as usize / 2)
        );
    }
    let published: Vec<_> = fs::read_dir(out.join("img"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".webp"))
        .collect();
    assert_eq!(published.len(), 2, "{published:?}");
    assert!(!out.join("briefs/first/wide-chart.webp").exists());
}
