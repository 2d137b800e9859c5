//! Images as a browser best loads them: a brief's own image (a file of its
//! bundle) gets its `width` and `height`, read from the file, so the page
//! does not shift while it loads; every image after the text's first gets
//! `loading="lazy"` (the first is usually on the first screen, where lazy
//! loading only delays it), and every image of a text that starts below
//! the first screen (the rationale) does; an image without alt text is a
//! warning at its place (an error under `strict`), since a screen reader
//! skips it or reads its file name.
//!
//! A bundle's large raster image also gets `srcset` and `sizes` naming its
//! smaller WebP variants ([`crate::content::body::variants`]), which the brief
//! publishes beside the page as its own files; `src` stays the original.
//! An image of the site's `static/` named by a content link
//! (`@/static/chart.png`) gets its size too, and its variants, published
//! beside it under the site root once for the whole site.
//!
//! A pass over the finished events of one text: each image is written as
//! pulldown-cmark writes it, with those attributes added before its end.

use std::ops::Range;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::content::body::raw_html::Problem;
use crate::content::body::variants;

/// Where a text's images come from and where it sits on its page.
#[derive(Debug, Clone, Copy, Default)]
pub struct Setting<'c> {
    /// The files of the text's bundle: (path in the bundle, path to read).
    pub assets: &'c [(PathBuf, PathBuf)],
    /// True for a text below the first screen: every image is lazy.
    pub below: bool,
    /// The site's root folder, for `@/static/` images and the variants'
    /// cache; without it, images get neither.
    pub root: Option<&'c Path>,
}

/// A variant to publish: its path and the cache file. The path of a
/// bundle image's variant is relative to the bundle (published beside the
/// page); that of a `static/` image's variant is rooted, `/img/chart.<key>.480w.webp`:
/// under the site root, beside the image, published once however many
/// texts show it.
pub type Variant = (PathBuf, PathBuf);

/// What an image gets added to its tag.
#[derive(Debug, Default)]
struct Added {
    size: Option<(u32, u32)>,
    srcset: Option<String>,
    lazy: bool,
}

/// The events with each image written with its size, variants and
/// loading; `at` holds where each image is in the file, in order. The
/// variants to publish are added to `variants`.
pub fn gather<'a>(
    events: Vec<Event<'a>>,
    at: &[Range<usize>],
    setting: Setting<'_>,
    (problems, variants): (&mut Vec<Problem>, &mut Vec<Variant>),
) -> Vec<Event<'a>> {
    if at.is_empty() {
        return events;
    }
    let mut out = Vec::with_capacity(events.len());
    let mut events = events.into_iter();
    let mut seen = 0;
    while let Some(event) = events.next() {
        let Event::Start(Tag::Image { dest_url, .. }) = &event else {
            out.push(event);
            continue;
        };
        let place = at.get(seen).cloned().unwrap_or_default();
        let mut added = sized(dest_url, setting, place.clone(), (problems, variants));
        let mut image = vec![event];
        let mut depth = 1;
        for inner in events.by_ref() {
            depth += match inner {
                Event::Start(Tag::Image { .. }) => 1,
                Event::End(TagEnd::Image) => -1,
                _ => 0,
            };
            image.push(inner);
            if depth == 0 {
                break;
            }
        }
        added.lazy = setting.below || seen > 0;
        if alt(&image).trim().is_empty() && at.get(seen).is_some() {
            problems.push(Problem {
                range: place,
                error: false,
                message: "an image has no alt text: a screen reader skips it or reads its \
                          file name"
                    .to_string(),
                hint:
                    "say what it shows between the brackets: `![Lease rates, 2023–2026](chart.png)`"
                        .to_string(),
            });
        }
        seen += 1;
        out.extend(with_attributes(image, &added));
    }
    out
}

/// The size of the image at `url` and, for a bundle's large raster image,
/// its variants' `srcset` (the variants pushed to `variants`); a variant
/// that cannot be made is a warning at `place`.
fn sized(
    url: &str,
    setting: Setting<'_>,
    place: Range<usize>,
    (problems, variants): (&mut Vec<Problem>, &mut Vec<Variant>),
) -> Added {
    let found = setting.assets.iter().find(|(rel, _)| is_asset(url, rel));
    let (rel, file) = match found {
        Some((rel, file)) => (rel.clone(), file.clone()),
        // Rooted: its variants go beside it, under the site root.
        None => match setting.root.and_then(|root| static_file(url, root)) {
            Some((rel, file)) => (Path::new("/").join(rel), file),
            None => return Added::default(),
        },
    };
    let (rel, file) = (rel.as_path(), file.as_path());
    let mut added = Added {
        size: size(file),
        ..Added::default()
    };
    let Some(root) = setting.root.filter(|_| variants::worth_making(file)) else {
        return added;
    };
    match variants::make(file, root) {
        Ok(Some(made)) => {
            added.size = Some(made.size);
            added.srcset = Some(srcset(rel, &made, variants));
        }
        Ok(None) => {}
        Err(reason) => problems.push(Problem {
            range: place,
            error: false,
            message: match rel.strip_prefix("/") {
                Ok(under) => format!(
                    "`@/static/{}` gets no smaller WebP variants: {reason}",
                    crate::text::url_path(under)
                ),
                Err(_) => format!(
                    "`{}` gets no smaller WebP variants: {reason}",
                    crate::text::url_path(rel)
                ),
            },
            hint: "the image is published as it is; replace the file with one an image \
                   editor opens, or delete `.briefs-cache/` if it is a cache of `briefs`"
                .to_string(),
        }),
    }
    added
}

/// The `srcset` of an image at `rel` in its bundle with the variants
/// `made`, each pushed to `variants` under its path in the bundle (beside
/// the image: `img/chart.<key>.480w.webp`). For a rooted `rel` (an image of
/// `static/`) the URLs are content links, `@/static/img/…`, which
/// rendering turns into URLs under the base path, as it does the `src`.
fn srcset(rel: &Path, made: &variants::Made, variants: &mut Vec<Variant>) -> String {
    let stem: String = rel
        .file_stem()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let start = if rel.has_root() { "@/static/" } else { "" };
    let folder: String = (rel.parent().into_iter())
        .flat_map(Path::components)
        .filter_map(|c| match c {
            std::path::Component::Normal(name) => Some(name.to_string_lossy()),
            _ => None,
        })
        .map(|name| percent_encoding::utf8_percent_encode(&name, URL_PART).to_string() + "/")
        .collect();
    let mut set = Vec::new();
    for (width, cache) in &made.variants {
        let name = format!("{stem}.{}.{width}w.webp", made.key);
        set.push(format!("{start}{folder}{name} {width}w"));
        let path = rel.with_file_name(&name);
        if !variants.iter().any(|(p, _)| *p == path) {
            variants.push((path, cache.clone()));
        }
    }
    set.join(", ")
}

/// What a folder name in a `srcset` URL has percent-encoded: what is not
/// a letter, digit or `-._~`, so spaces and commas never split the list.
const URL_PART: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The file of the site's `static/` that a content link `@/static/…` names,
/// when it is a plain file (no `..`, not a symlink): its path under
/// `static/` and the file.
fn static_file(url: &str, root: &Path) -> Option<(PathBuf, PathBuf)> {
    let rest = url.strip_prefix("@/static/")?;
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(rest)
        .decode_utf8()
        .ok()?;
    let rel = Path::new(&*decoded);
    let plain = rel
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    let file = root.join("static").join(rel);
    let meta = std::fs::symlink_metadata(&file).ok()?;
    (plain && meta.is_file()).then(|| (rel.to_path_buf(), file))
}

/// The site's root folder, from a content file's path to read (`abs`) and
/// its site-relative path (`rel`); `None` when `abs` does not end in `rel`.
pub fn site_root<'p>(abs: &'p Path, rel: &Path) -> Option<&'p Path> {
    if rel.as_os_str().is_empty() || !abs.ends_with(rel) {
        return None;
    }
    abs.ancestors().nth(rel.components().count())
}

/// The image's events as one HTML event with its size, variants and
/// loading added, or as they are when there is nothing to add.
fn with_attributes<'a>(image: Vec<Event<'a>>, with: &Added) -> Vec<Event<'a>> {
    if with.size.is_none() && with.srcset.is_none() && !with.lazy {
        return image;
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, image.into_iter());
    let mut added = String::new();
    if let Some((width, height)) = with.size {
        added.push_str(&format!(" width=\"{width}\" height=\"{height}\""));
    }
    if let Some(srcset) = &with.srcset {
        added.push_str(&format!(
            " srcset=\"{srcset}\" sizes=\"{}\"",
            variants::SIZES
        ));
    }
    if with.lazy {
        added.push_str(" loading=\"lazy\"");
    }
    match html.rfind(" />") {
        Some(end) => html.insert_str(end, &added),
        None => return vec![Event::InlineHtml(html.into())],
    }
    vec![Event::InlineHtml(html.into())]
}

/// The image's alt text, as pulldown-cmark writes it: the text inside.
fn alt(image: &[Event<'_>]) -> String {
    let mut alt = String::new();
    for event in image {
        if let Event::Text(t) | Event::Code(t) | Event::InlineMath(t) = event {
            alt.push_str(t);
        }
    }
    alt
}

/// True when `url` names the bundle file at `rel` (`chart.png`,
/// `./img/a%20b.png`).
fn is_asset(url: &str, rel: &Path) -> bool {
    if url.contains(':') || url.starts_with('/') {
        return false;
    }
    let path = url.split(['?', '#']).next().unwrap_or("");
    let path = path.strip_prefix("./").unwrap_or(path);
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    decoded == crate::text::url_path(rel)
}

/// An image file's width and height in pixels, when they can be read.
fn size(file: &Path) -> Option<(u32, u32)> {
    let is_svg = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    let (width, height) = match is_svg {
        true => svg_size(&std::fs::read_to_string(file).ok()?)?,
        false => {
            let size = imagesize::size(file).ok()?;
            (size.width, size.height)
        }
    };
    Some((u32::try_from(width).ok()?, u32::try_from(height).ok()?))
}

/// An SVG's size: its root's `width` and `height` in pixels (or without a
/// unit), else its `viewBox`'s.
fn svg_size(svg: &str) -> Option<(usize, usize)> {
    // The size the root gives, once the root is read.
    let mut found: Option<Option<(usize, usize)>> = None;
    crate::html::Tokens::default().feed_tags(svg, 0, &mut |tag| {
        if found.is_some() || !tag.name.eq_ignore_ascii_case("svg") {
            return;
        }
        let attr = |name: &str| tag.attrs.iter().find(|a| a.is(name)).map(|a| a.value());
        let pixels = |v: &str| {
            let v = v.trim();
            let v = v.strip_suffix("px").unwrap_or(v);
            v.parse::<f64>()
                .ok()
                .filter(|n| *n > 0.0)
                .map(|n| n.round() as usize)
        };
        let view_box = attr("viewBox").and_then(|v| {
            let n: Vec<f64> = v
                .split([' ', ','])
                .filter(|s| !s.is_empty())
                .filter_map(|s| s.parse().ok())
                .collect();
            (n.len() == 4 && n[2] > 0.0 && n[3] > 0.0)
                .then(|| (n[2].round() as usize, n[3].round() as usize))
        });
        let width = attr("width").and_then(|v| pixels(&v));
        let height = attr("height").and_then(|v| pixels(&v));
        found = Some(width.zip(height).or(view_box));
    });
    found.flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_svg_is_sized_by_its_width_and_height_else_its_view_box() {
        let cases = [
            (
                "<svg width=\"640\" height=\"360px\" viewBox=\"0 0 64 36\">",
                Some((640, 360)),
            ),
            (
                "<?xml version=\"1.0\"?>\n<svg viewBox=\"0 0 800,450\">",
                Some((800, 450)),
            ),
            (
                "<svg width=\"100%\" viewBox=\"0 0 300 200\">",
                Some((300, 200)),
            ),
            ("<svg width=\"100%\">", None),
            ("<p>no svg</p>", None),
        ];
        for (svg, want) in cases {
            assert_eq!(svg_size(svg), want, "{svg}");
        }
    }

    #[test]
    fn an_image_url_names_a_bundle_file_when_its_path_matches() {
        let rel = Path::new("img/lease rates.png");
        assert!(is_asset("img/lease%20rates.png", rel));
        assert!(is_asset("./img/lease rates.png?v=2", rel));
        assert!(!is_asset("https://x.example/img/lease%20rates.png", rel));
        assert!(!is_asset("/img/lease%20rates.png", rel));
        assert!(!is_asset("lease%20rates.png", rel));
    }
}
