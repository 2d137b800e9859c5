//! Slugs of tag and entity names: the folder of a term's page and the last
//! segment of its URL, made for the site's `language`.
//!
//! A brief's slug stays ASCII, and `briefs new` asks for one when it cannot
//! read a title (see `scaffold`). A tag or entity is written in front
//! matter, where nobody can be asked, and the `slug` crate alone reads kanji
//! as Mandarin (東京 became `dong-jing`, a word no Japanese reader knows).
//! So a term's slug follows the script and the site's language:
//!
//! - ASCII names, and every name on a Chinese site (`zh…`): the `slug`
//!   crate (Han read as pinyin, 台积电 `tai-ji-dian`), as before.
//! - A name with kanji, or on a Japanese site (`ja…`) one with kana: its
//!   Japanese stays as written (東京, `東京エレクトロン-決算`), as Hugo keeps
//!   Unicode in taxonomy URLs; other runs of it go through the `slug` crate
//!   (`AI 半導体` is `ai-半導体`). The folder on disk holds the characters;
//!   URLs carry them percent-encoded (`Site::url`).
//! - Kana elsewhere: Hepburn romaji by `wana_kana`, as `briefs new` writes
//!   (ソフトバンク `sofutobanku`).
//! - Anything else: the `slug` crate (Latin, Greek, Cyrillic, Hangul).

use icu_properties::CodePointMapData;
use icu_properties::props::Script;

/// Whether `c` is a Han character (kanji, hanzi).
pub fn is_han(c: char) -> bool {
    CodePointMapData::<Script>::new().get(c) == Script::Han
}

/// Whether `c` is written in Japanese: Han, hiragana, katakana or the
/// prolonged sound mark ー (whose script is Common). The middle dot ・ is
/// punctuation, so it separates words as a space does.
fn is_japanese(c: char) -> bool {
    matches!(
        CodePointMapData::<Script>::new().get(c),
        Script::Han | Script::Hiragana | Script::Katakana
    ) || c == 'ー'
}

fn is_kana(c: char) -> bool {
    !is_han(c) && is_japanese(c)
}

/// The slug of a tag or entity `name` on a site in `language`.
pub fn term_slug(name: &str, language: &str) -> String {
    let primary = language.split(['-', '_']).next().unwrap_or_default();
    let is = |code: &str| primary.eq_ignore_ascii_case(code);
    if name.is_ascii() || is("zh") {
        return slug::slugify(name);
    }
    if name.chars().any(is_han) || (is("ja") && name.chars().any(is_kana)) {
        return unicode_slug(name);
    }
    if name.chars().any(is_kana) {
        use wana_kana::ConvertJapanese;
        return slug::slugify(name.to_romaji());
    }
    slug::slugify(name)
}

/// `name` with its Japanese kept: compatibility-normalised (NFKC, so
/// half-width ｿﾌﾄ and full-width ソフト are one page), each run of Japanese
/// kept, each other run through the `slug` crate, joined by hyphens.
fn unicode_slug(name: &str) -> String {
    let name = icu_normalizer::ComposingNormalizerBorrowed::new_nfkc().normalize(name);
    let mut parts: Vec<String> = Vec::new();
    let mut run = String::new();
    let mut run_is_japanese = false;
    let mut close = |run: &mut String, japanese: bool| {
        let part = if japanese {
            std::mem::take(run)
        } else {
            slug::slugify(std::mem::take(run))
        };
        if !part.is_empty() {
            parts.push(part);
        }
    };
    for c in name.chars() {
        let japanese = is_japanese(c);
        if japanese != run_is_japanese {
            close(&mut run, run_is_japanese);
            run_is_japanese = japanese;
        }
        run.push(c);
    }
    close(&mut run, run_is_japanese);
    parts.join("-")
}

#[cfg(test)]
mod tests {
    use super::term_slug;

    #[test]
    fn term_slugs_by_script_and_language() {
        let cases = [
            ("AI Chips", "en", "ai-chips"),
            ("Société Générale", "ja", "societe-generale"),
            ("Москва", "en", "moskva"),
            ("東京", "en", "東京"),
            ("東京", "ja", "東京"),
            ("東京", "zh-Hans", "dong-jing"),
            ("台积电", "zh", "tai-ji-dian"),
            ("東京エレクトロン 決算", "en", "東京エレクトロン-決算"),
            ("AI 半導体", "ja-JP", "ai-半導体"),
            ("AI半導体", "en", "ai-半導体"),
            ("ソフトバンク", "ja", "ソフトバンク"),
            ("ｿﾌﾄﾊﾞﾝｸ", "ja", "ソフトバンク"),
            ("ソニー・グループ", "ja", "ソニー-グループ"),
            ("ソフトバンク", "en", "sofutobanku"),
            ("けっさん", "fr", "kessan"),
            ("★", "ja", ""),
        ];
        for (name, language, slug) in cases {
            assert_eq!(term_slug(name, language), slug, "{name} in {language}");
        }
    }
}
