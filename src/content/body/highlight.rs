//! Fenced code blocks highlighted when the site is built, so a page needs
//! no script to colour its code.
//!
//! giallo tokenizes with the TextMate grammars VS Code uses (about 220
//! languages) and marks each token with CSS classes, never inline styles:
//! one class from a light theme and one from a dark theme, both GitHub's
//! high-contrast themes, whose rules the theme's stylesheet holds (a test
//! keeps them in step with giallo's themes).
//!
//! Steps, for one block: read its language from the info string (`python`,
//! `{.python}`); leave it to the plain writer when it has none, names one
//! giallo does not know, or is `mermaid` (a diagram, not code); otherwise
//! highlight it. The grammars are loaded once, by the first block that
//! needs them.

use std::sync::LazyLock;

use giallo::{HighlightOptions, HtmlRenderer, Registry, RenderOptions, ThemeVariant};

/// The light theme's name in giallo's registry.
const LIGHT: &str = "github-light-high-contrast";
/// The dark theme's name.
const DARK: &str = "github-dark-high-contrast";
/// What every highlighting class starts with (`hl-l-…` light, `hl-d-…` dark).
const PREFIX: &str = "hl-";

/// giallo's built-in grammars and themes, linked; `None` if they do not load.
static REGISTRY: LazyLock<Option<Registry>> = LazyLock::new(|| {
    let mut registry = Registry::builtin().ok()?;
    registry.link_grammars();
    Some(registry)
});

/// The language a fenced block's info string names, lower-cased, as
/// GitHub (`python`), Pandoc (`{.python}`) and Quarto (`{python}`) write it.
pub fn named(info: &str) -> Option<String> {
    let word = info.split_whitespace().next()?;
    let word = word.trim_start_matches('{').trim_end_matches('}');
    let word = word.strip_prefix('.').unwrap_or(word).to_ascii_lowercase();
    (!word.is_empty()).then_some(word)
}

/// The language a fenced block's info string names, lower-cased, when
/// it is one to highlight.
pub fn language(info: &str) -> Option<String> {
    let word = named(info)?;
    if word == "mermaid" {
        return None;
    }
    let registry = REGISTRY.as_ref()?;
    registry.contains_grammar(&word).then_some(word)
}

/// `code`, in `language` (as [`language`] returned it), as a highlighted
/// `<pre>`; `None` if giallo cannot highlight it.
pub fn html(language: &str, code: &str) -> Option<String> {
    let registry = REGISTRY.as_ref()?;
    let theme = ThemeVariant::Dual {
        light: LIGHT,
        dark: DARK,
    };
    let options = HighlightOptions::new(language, theme);
    let highlighted = registry.highlight(code, &options).ok()?;
    let renderer = HtmlRenderer {
        css_class_prefix: Some(PREFIX.to_string()),
        ..HtmlRenderer::default()
    };
    let mut html = renderer.render(&highlighted, &RenderOptions::default());
    html.push('\n');
    Some(html)
}

/// The theme's highlighting CSS, made from giallo's themes. It lives in the
/// theme's static stylesheet; this module makes it and a test checks that
/// the stylesheet holds it, so it is compiled for tests only.
#[cfg(test)]
mod css {
    use super::*;

    /// The CSS for the classes [`html`] writes: the light theme's rules unless
    /// the reader prefers dark, the dark theme's if they do. The theme's
    /// stylesheet holds exactly this.
    ///
    /// Two changes to giallo's rules: a highlighted block takes its theme's
    /// background (`pre.hl-l-code` outranks the stylesheet's `.prose pre`), the
    /// one its colours were chosen against; and a text colour under 7:1 on it
    /// (the themes' comment grey, 5:1) is moved toward the theme's text colour
    /// until it reaches 7:1, the contrast the rest of the site keeps (WCAG AAA).
    /// Colours under 3:1 are left: they are for tokens with a background of
    /// their own.
    pub fn stylesheet() -> String {
        let Some(registry) = REGISTRY.as_ref() else {
            return String::new();
        };
        let Ok((light, dark)) = registry.generate_dual_css(LIGHT, DARK, PREFIX) else {
            return String::new();
        };
        format!(
            "@media not all and (prefers-color-scheme: dark) {{\n{}}}\n@media (prefers-color-scheme: dark) {{\n{}}}\n",
            adjusted(&light),
            adjusted(&dark)
        )
    }

    /// One theme's rules, indented for their `@media` block, the block rule
    /// made to outrank `.prose pre` and faint text colours raised to 7:1.
    fn adjusted(css: &str) -> String {
        let (mut text, mut background) = ([0, 0, 0], [255, 255, 255]);
        let mut out = String::with_capacity(css.len() + css.len() / 8);
        let mut in_code = false;
        for line in css.lines() {
            let trimmed = line.trim();
            if let Some(class) = trimmed.strip_suffix("code {") {
                in_code = true;
                out.push_str(&format!("  .prose pre{class}code {{\n"));
                continue;
            }
            if in_code {
                if let Some(c) = trimmed.strip_prefix("color: ").and_then(hex) {
                    text = c;
                } else if let Some(c) = trimmed.strip_prefix("background-color: ").and_then(hex) {
                    background = c;
                }
                in_code = trimmed != "}";
            }
            let line = match (trimmed.split_once("{ color: "), trimmed.strip_suffix("; }")) {
                (Some((class, _)), Some(rule)) => {
                    match rule.rsplit_once(' ').and_then(|(_, c)| hex(c)) {
                        Some(color) => {
                            let color = raised(color, text, background);
                            format!(
                                "{class}{{ color: #{:02X}{:02X}{:02X}; }}",
                                color[0], color[1], color[2]
                            )
                        }
                        None => trimmed.to_string(),
                    }
                }
                _ => line.to_string(),
            };
            match line.is_empty() {
                true => out.push('\n'),
                false => out.push_str(&format!("  {line}\n")),
            }
        }
        out
    }

    /// `#RRGGBB` as bytes (an alpha channel, if any, is ignored).
    pub(super) fn hex(value: &str) -> Option<[u8; 3]> {
        let digits = value.trim_end_matches(';').strip_prefix('#')?;
        let byte = |i: usize| u8::from_str_radix(digits.get(i..i + 2)?, 16).ok();
        Some([byte(0)?, byte(2)?, byte(4)?])
    }

    /// WCAG's contrast ratio between two colours.
    pub(super) fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
        let luminance = |c: [u8; 3]| {
            let channel = |v: u8| {
                let v = f64::from(v) / 255.0;
                match v <= 0.03928 {
                    true => v / 12.92,
                    false => ((v + 0.055) / 1.055).powf(2.4),
                }
            };
            0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2])
        };
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    /// `color` moved toward `text` in steps of 5% until it has 7:1 on
    /// `background`; unchanged if it has already, or if it is under 3:1.
    fn raised(color: [u8; 3], text: [u8; 3], background: [u8; 3]) -> [u8; 3] {
        let ratio = contrast(color, background);
        if !(3.0..7.0).contains(&ratio) {
            return color;
        }
        let mix = |t: f64| {
            let channel =
                |i: usize| (f64::from(color[i]) * (1.0 - t) + f64::from(text[i]) * t).round() as u8;
            [channel(0), channel(1), channel(2)]
        };
        (1..=20)
            .map(|step| mix(f64::from(step) / 20.0))
            .find(|&c| contrast(c, background) >= 7.0)
            .unwrap_or(text)
    }
}

#[cfg(test)]
mod tests {
    use super::css::*;
    use super::*;

    #[test]
    fn the_language_comes_from_the_info_string() {
        assert_eq!(language("python"), Some("python".to_string()));
        assert_eq!(language("Python title=x"), Some("python".to_string()));
        assert_eq!(language("{.sql}"), Some("sql".to_string()));
        assert_eq!(language("r"), Some("r".to_string()));
        assert_eq!(language("mermaid"), None);
        assert_eq!(language("no-such-language"), None);
        assert_eq!(language(""), None);
    }

    #[test]
    fn code_is_marked_with_classes_and_escaped() {
        let html = html("python", "if x < 1:\n    print(\"<b>\")\n").unwrap();
        assert!(
            html.starts_with("<pre class=\"giallo hl-l-code hl-d-code\""),
            "{html}"
        );
        assert!(html.contains("&lt;b&gt;"), "{html}");
        assert!(!html.contains("style="), "{html}");
        assert!(html.contains("class=\"hl-l-"), "{html}");
    }

    #[test]
    fn every_text_colour_has_7_to_1_on_its_block() {
        let css = stylesheet();
        for (theme, background) in [("hl-l-", [255, 255, 255]), ("hl-d-", [10, 12, 16])] {
            let colours: Vec<[u8; 3]> = css
                .lines()
                .filter(|l| l.trim_start().starts_with(&format!(".{theme}")))
                .filter_map(|l| l.split_once("{ color: ").and_then(|(_, c)| hex(c)))
                .collect();
            assert!(colours.len() > 5, "{css}");
            for colour in colours {
                let ratio = contrast(colour, background);
                assert!(!(3.0..7.0).contains(&ratio), "{colour:?}: {ratio}");
            }
        }
        // The comment grey, 5:1 as giallo has it, is raised.
        assert!(css.contains(".prose pre.hl-l-code {"), "{css}");
        assert!(!css.contains("#66707B"), "{css}");
    }

    #[test]
    fn the_theme_stylesheet_holds_the_highlighting_rules() {
        let css = include_str!("../../../static/style.css");
        let rules = stylesheet();
        assert!(rules.contains(".hl-d-code"), "{rules}");
        assert!(css.contains(&rules), "static/style.css lacks:\n{rules}");
    }
}
