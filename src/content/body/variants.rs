//! Smaller WebP copies of a bundle's large raster images, for `srcset`, as
//! Zola's and Hugo's image processing make them: a reader on a phone gets a
//! 480-pixel-wide WebP instead of the 3,000-pixel PNG the analyst exported.
//!
//! An image wider than [`THRESHOLD`] gets a variant at each of [`WIDTHS`]
//! narrower than itself (never upscaled), lossy WebP at [`QUALITY`] (libwebp,
//! through the `webp` crate: the `image` crate's own WebP encoder is lossless
//! only, which makes a photo's variant heavier than its JPEG). The original
//! stays the image's `src`.
//!
//! Encoding is slow (about a tenth of a second a variant), so variants are
//! kept between builds in the site's `.briefs-cache/images/`, named by a hash
//! of the source's bytes and the width: an unchanged image costs a read and
//! a hash. The folder holds a `CACHEDIR.TAG` and a `.gitignore` that ignores
//! everything, as the kept previous site does; files are written under a
//! temporary name and renamed, so two builds at once never see half a file.
//! A folder of that name that `briefs` did not make is never written into.
//! After a build, the variants no brief used any more are deleted
//! ([`prune`]), as Zola prunes its processed images.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::fs;
use std::io::{self, Cursor, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use image::{DynamicImage, ImageDecoder, ImageReader};

/// Images at most this wide are published as they are.
pub const THRESHOLD: u32 = 800;

/// The widths of the variants, each made when the image is wider.
pub const WIDTHS: [u32; 3] = [480, 800, 1200];

/// libwebp's quality (0–100) for the variants; Hugo's default is 75.
const QUALITY: f32 = 80.0;

/// The `sizes` of an image with variants: the built-in theme's text column
/// (`.prose`, 68ch of its serif, about 40rem), the whole screen below it.
pub const SIZES: &str = "(max-width: 40rem) 100vw, 40rem";

/// The cache folder, in the site's root.
pub const CACHE: &str = ".briefs-cache";

/// The tag file that marks [`CACHE`] as a folder `briefs` made.
const TAG: &str = "CACHEDIR.TAG";

/// The first line of every cache directory tag (<https://bford.info/cachedir/>).
const SIGNATURE: &str = "Signature: 8a477f597d28d172789f06886806bc55";

const TAG_TEXT: &str = "Signature: 8a477f597d28d172789f06886806bc55\n\
# This file is a cache directory tag created by `briefs build`.\n\
# images/ holds resized WebP copies of large images; deleting this folder is\n\
# safe (the next build makes them again).\n\
# For information about cache directory tags see https://bford.info/cachedir/\n";

const IGNORE_TEXT: &str = "# Written by `briefs build`: resized images, kept to make the next \
build fast. Never for a repository.\n*\n";

/// An image's variants, made or found in the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Made {
    /// The image's width and height as shown (its EXIF orientation applied).
    pub size: (u32, u32),
    /// A short hash of the source's bytes, for the variants' names.
    pub key: String,
    /// Each variant's width and the cache file holding it, narrowest first.
    pub variants: Vec<(u32, PathBuf)>,
}

/// True when `file` is a raster image whose variants are worth making: a
/// PNG, JPEG or WebP whose header says it is wider or taller than
/// [`THRESHOLD`] (a rotated photo is as wide as its file is tall).
pub fn worth_making(file: &Path) -> bool {
    let raster = file.extension().is_some_and(|e| {
        ["png", "jpg", "jpeg", "webp"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    });
    raster && imagesize::size(file).is_ok_and(|s| s.width.max(s.height) > THRESHOLD as usize)
}

/// The variants of the image `file`, made into the cache of the site at
/// `root` where missing. `Ok(None)` when the image, as shown, is not wider
/// than [`THRESHOLD`]; an error says, in words, why there are none.
pub fn make(file: &Path, root: &Path) -> Result<Option<Made>, String> {
    let bytes = fs::read(file).map_err(|e| format!("it could not be read: {e}"))?;
    let mut decoder = ImageReader::new(Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|e| format!("it could not be read: {e}"))?
        .into_decoder()
        .map_err(|e| format!("it is not a readable image: {e}"))?;
    let orientation = decoder
        .orientation()
        .map_err(|e| format!("its orientation could not be read: {e}"))?;
    let (width, height) = decoder.dimensions();
    let turned = matches!(
        orientation,
        image::metadata::Orientation::Rotate90
            | image::metadata::Orientation::Rotate270
            | image::metadata::Orientation::Rotate90FlipH
            | image::metadata::Orientation::Rotate270FlipH
    );
    let size = if turned {
        (height, width)
    } else {
        (width, height)
    };
    if size.0 <= THRESHOLD {
        return Ok(None);
    }
    let key = blake3::hash(&bytes).to_hex()[..16].to_string();
    let dir = cache_dir(root).map_err(|e| {
        format!("its variants cannot be kept in `{CACHE}/images/` of the site: {e}",)
    })?;
    let variants: Vec<(u32, PathBuf)> = WIDTHS
        .iter()
        .filter(|w| **w < size.0)
        .map(|w| (*w, dir.join(format!("{key}-{w}.webp"))))
        .collect();
    if variants.iter().any(|(_, path)| !path.is_file()) {
        let mut image = DynamicImage::from_decoder(decoder)
            .map_err(|e| format!("it is not a readable image: {e}"))?;
        image.apply_orientation(orientation);
        for (width, path) in &variants {
            if !path.is_file() {
                let webp = encode(&image, *width)?;
                keep(&dir, path, &webp)
                    .map_err(|e| format!("its variant could not be written to the cache: {e}"))?;
            }
        }
    }
    Ok(Some(Made {
        size,
        key,
        variants,
    }))
}

/// Deletes the variants in the cache of the site at `root` whose file names
/// are not in `used` and were last written before `since` (a build or `serve` running
/// beside this one may have just made one); returns how many went. Only
/// files named as [`make`] names them are touched, and only in a cache
/// folder `briefs` made.
pub fn prune(root: &Path, used: &HashSet<&OsStr>, since: SystemTime) -> io::Result<usize> {
    let cache = root.join(CACHE);
    let tag = match fs::read_to_string(cache.join(TAG)) {
        Ok(tag) => tag,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let images = cache.join("images");
    if tag.lines().next() != Some(SIGNATURE) || !images.is_dir() {
        return Ok(0);
    }
    let mut pruned = 0;
    for entry in fs::read_dir(&images)? {
        let entry = entry?;
        let name = entry.file_name();
        let old = entry.metadata()?.modified()? < since;
        if old && is_variant_name(&name) && !used.contains(name.as_os_str()) {
            fs::remove_file(entry.path())?;
            pruned += 1;
        }
    }
    Ok(pruned)
}

/// True for a name [`make`] gives a variant: `<16 hex digits>-<width>.webp`.
fn is_variant_name(name: &OsStr) -> bool {
    let Some(stem) = name.to_str().and_then(|n| n.strip_suffix(".webp")) else {
        return false;
    };
    let Some((key, width)) = stem.split_once('-') else {
        return false;
    };
    key.len() == 16
        && key.bytes().all(|b| b.is_ascii_hexdigit())
        && !width.is_empty()
        && width.bytes().all(|b| b.is_ascii_digit())
}

/// `image` resized to `width` (height in proportion) as lossy WebP.
fn encode(image: &DynamicImage, width: u32) -> Result<Vec<u8>, String> {
    let height = (u64::from(image.height()) * u64::from(width) / u64::from(image.width()))
        .clamp(1, u64::from(u32::MAX)) as u32;
    let resized = image.resize_exact(width, height, image::imageops::FilterType::Lanczos3);
    let encoded = if resized.color().has_alpha() {
        let rgba = resized.to_rgba8();
        webp::Encoder::from_rgba(&rgba, width, height).encode_simple(false, QUALITY)
    } else {
        let rgb = resized.to_rgb8();
        webp::Encoder::from_rgb(&rgb, width, height).encode_simple(false, QUALITY)
    };
    encoded
        .map(|memory| memory.to_vec())
        .map_err(|e| format!("its {width}-pixel variant could not be encoded as WebP: {e:?}"))
}

/// Writes `bytes` to `path` in `dir` through a temporary file and a rename.
fn keep(dir: &Path, path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut temporary = tempfile::NamedTempFile::new_in(dir)?;
    temporary.write_all(bytes)?;
    temporary.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// `.briefs-cache/images/` of the site at `root`, made when missing. A
/// `.briefs-cache` that `briefs` did not make (no tag) is refused.
fn cache_dir(root: &Path) -> io::Result<PathBuf> {
    let cache = root.join(CACHE);
    match fs::symlink_metadata(&cache) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => make_cache(&cache)?,
        Err(e) => return Err(e),
        Ok(meta) if !meta.is_dir() => {
            return Err(io::Error::other("it is not a folder"));
        }
        Ok(_) => {}
    }
    let tag = fs::read_to_string(cache.join(TAG)).unwrap_or_default();
    if tag.lines().next() != Some(SIGNATURE) {
        return Err(io::Error::other(format!(
            "`{CACHE}` has no `{TAG}` of `briefs`, so it is not a folder a build made"
        )));
    }
    let images = cache.join("images");
    fs::create_dir_all(&images)?;
    Ok(images)
}

/// Makes the cache folder with its tag and its `.gitignore`; another build
/// making it at the same moment is no error.
fn make_cache(cache: &Path) -> io::Result<()> {
    match fs::create_dir(cache) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Ok(()),
        other => other?,
    }
    let tag = tempfile::NamedTempFile::new_in(cache)?;
    fs::write(tag.path(), TAG_TEXT)?;
    fs::write(cache.join(".gitignore"), IGNORE_TEXT)?;
    tag.persist(cache.join(TAG)).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(dir: &Path, name: &str, width: u32, height: u32) -> PathBuf {
        let image = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let path = dir.join(name);
        image.save(&path).unwrap();
        path
    }

    #[test]
    fn a_wide_image_gets_narrower_webp_variants_kept_in_the_cache() {
        let root = tempfile::TempDir::new().unwrap();
        let file = png(root.path(), "wide.png", 1000, 500);
        let made = make(&file, root.path()).unwrap().unwrap();
        assert_eq!(made.size, (1000, 500));
        let widths: Vec<u32> = made.variants.iter().map(|(w, _)| *w).collect();
        assert_eq!(widths, [480, 800]);
        for (width, path) in &made.variants {
            let bytes = fs::read(path).unwrap();
            assert_eq!(&bytes[8..12], b"WEBP");
            let size = imagesize::blob_size(&bytes).unwrap();
            assert_eq!(
                (size.width, size.height),
                (*width as usize, *width as usize / 2)
            );
        }
        let cache = root.path().join(CACHE);
        assert!(
            fs::read_to_string(cache.join(TAG))
                .unwrap()
                .starts_with(SIGNATURE)
        );
        assert!(
            fs::read_to_string(cache.join(".gitignore"))
                .unwrap()
                .ends_with("\n*\n")
        );
        // The second time the cached files are used as they are.
        let before = fs::metadata(&made.variants[0].1)
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(make(&file, root.path()).unwrap().unwrap(), made);
        let after = fs::metadata(&made.variants[0].1)
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after);
    }

    #[test]
    fn a_narrow_image_gets_none_and_a_folder_not_made_by_briefs_is_left_alone() {
        let root = tempfile::TempDir::new().unwrap();
        let narrow = png(root.path(), "narrow.png", 800, 900);
        assert_eq!(make(&narrow, root.path()).unwrap(), None);
        assert!(!root.path().join(CACHE).exists());
        fs::create_dir(root.path().join(CACHE)).unwrap();
        fs::write(root.path().join(CACHE).join("notes.txt"), "mine").unwrap();
        let wide = png(root.path(), "wide.png", 900, 100);
        let error = make(&wide, root.path()).unwrap_err();
        assert!(error.contains("is not a folder a build made"), "{error}");
        let names: Vec<_> = fs::read_dir(root.path().join(CACHE)).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn a_corrupt_image_is_an_error_in_words() {
        let root = tempfile::TempDir::new().unwrap();
        let file = png(root.path(), "cut.png", 1000, 1000);
        let bytes = fs::read(&file).unwrap();
        fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
        let error = make(&file, root.path()).unwrap_err();
        assert!(error.starts_with("it is not a readable image"), "{error}");
    }
}
