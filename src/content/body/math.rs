//! TeX math, written as Pandoc's `tex_math_dollars` reads it (`$…$` inline,
//! `$$…$$` displayed), rendered to MathML at build time: the page needs no
//! script and no web font, screen readers read the formula, and it prints.
//!
//! Steps, for each span pulldown-cmark finds (`Options::ENABLE_MATH`: an
//! opening `$` followed by a non-space, a closing `$` preceded by one, `\$`
//! a literal dollar):
//! 1. Pandoc's one further rule: an inline span whose closing `$` is followed
//!    by a digit is prose, so "$20–$30" stays text ([`is_prose`]);
//! 2. the TeX is parsed by pulldown-latex; a parse error is a located error
//!    that shows the TeX (the page would otherwise print an error box);
//! 3. the parsed TeX is written as a `<math>` element, `display="block"` for
//!    `$$…$$`.

use std::ops::Range;
use std::sync::LazyLock;

use pulldown_latex::config::DisplayMode;
use pulldown_latex::{Parser, RenderConfig, Storage};

use crate::content::body::raw_html::Problem;
use crate::text::escape_html;

/// Longest TeX quoted whole in an error message; longer TeX is cut.
const QUOTE_MAX: usize = 60;

/// The MathML elements pulldown-latex writes (and that raw HTML may use).
pub(crate) const TAGS: &[&str] = &[
    "math",
    "merror",
    "mfrac",
    "mi",
    "mn",
    "mo",
    "mover",
    "mroot",
    "mrow",
    "mspace",
    "msqrt",
    "mstyle",
    "msub",
    "msubsup",
    "msup",
    "mtable",
    "mtd",
    "mtext",
    "mtr",
    "munder",
    "munderover",
];

/// Their attributes: layout only, never a URL or a script.
pub(crate) const ATTRIBUTES: &[&str] = &[
    "display",
    "displaystyle",
    "scriptlevel",
    "mathvariant",
    "stretchy",
    "symmetric",
    "largeop",
    "movablelimits",
    "linethickness",
    "minsize",
    "maxsize",
    "width",
    "height",
    "depth",
    "style",
];

/// The style properties it writes (`\\color`, negative spaces, row gaps).
pub(crate) const STYLES: &[&str] = &["color", "border", "border-color", "margin-left", "height"];

/// pulldown-latex writes the text of an operator name or a relation as it
/// is (`\\operatorname{<img …>}` would be an element, `a<b` is invalid
/// HTML), so MathML from TeX with a `<` is cleaned: only MathML elements and
/// layout attributes stay, and text is escaped.
static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::empty();
    builder
        .add_tags(TAGS)
        .add_generic_attributes(["class"])
        .filter_style_properties(STYLES.iter().copied().collect());
    for tag in TAGS {
        builder.add_tag_attributes(tag, ATTRIBUTES);
    }
    builder
});

/// True when the inline span at `range` of `text` is prose by Pandoc's rule:
/// its closing `$` is followed by a digit ("$20–$30", "US$5/US$10").
pub fn is_prose(text: &str, range: &Range<usize>) -> bool {
    text.as_bytes()
        .get(range.end)
        .is_some_and(u8::is_ascii_digit)
}

/// The MathML for `tex`, or, when it does not parse, the TeX as code and a
/// problem at `at` (the span in the file, delimiters included).
pub fn render(tex: &str, display: bool, at: Range<usize>, problems: &mut Vec<Problem>) -> String {
    let storage = Storage::new();
    let mut events = Vec::new();
    for event in Parser::new(tex, &storage) {
        match event {
            Ok(event) => events.push(Ok::<_, pulldown_latex::ParserError>(event)),
            Err(error) => {
                problems.push(problem(tex, display, &error, at));
                return format!("<code class=\"math-error\">{}</code>", escape_html(tex));
            }
        }
    }
    let config = RenderConfig {
        display_mode: match display {
            true => DisplayMode::Block,
            false => DisplayMode::Inline,
        },
        ..RenderConfig::default()
    };
    let mut mathml = String::with_capacity(tex.len() * 8);
    // Writing into a String cannot fail, and every parse error was caught above.
    if pulldown_latex::push_mathml(&mut mathml, events.into_iter(), config).is_err() {
        mathml.clear();
    }
    let mathml = match tex.contains('<') {
        true => CLEANER.clean(&mathml).to_string(),
        false => mathml,
    };
    // A displayed formula wider than the screen scrolls sideways in a span
    // (the theme's CSS) that takes keyboard focus, so that it can be
    // scrolled without a mouse (`<math>` itself may not have a tabindex).
    match display && mathml.starts_with("<math") {
        true => format!(
            "<span class=\"math-display\" role=\"region\" aria-label=\"Formula\" tabindex=\"0\">{mathml}</span>"
        ),
        false => mathml,
    }
}

/// The error for TeX that does not parse: what is wrong in pulldown-latex's
/// words (its first line, without its source excerpt), with the TeX quoted.
fn problem(
    tex: &str,
    display: bool,
    error: &pulldown_latex::ParserError,
    at: Range<usize>,
) -> Problem {
    let cause = std::error::Error::source(error)
        .map(ToString::to_string)
        .unwrap_or_else(|| error.to_string().lines().next().unwrap_or("").to_string());
    let cause = cause.trim_start_matches("parsing error: ");
    let quoted = tex.split_whitespace().collect::<Vec<_>>().join(" ");
    let quoted = match quoted.char_indices().nth(QUOTE_MAX) {
        Some((cut, _)) => format!("{}…", &quoted[..cut]),
        None => quoted,
    };
    let delimiter = if display { "$$" } else { "$" };
    Problem {
        range: at,
        error: true,
        message: format!("math `{delimiter}{quoted}{delimiter}` is not valid TeX: {cause}"),
        hint:
            "write the formula as LaTeX (amsmath) takes it; for a literal dollar sign write `\\$`"
                .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mathml(tex: &str) -> String {
        let mut problems = Vec::new();
        let out = render(tex, false, 0..0, &mut problems);
        assert_eq!(problems, [], "{tex}");
        out
    }

    #[test]
    fn the_notation_briefs_use_becomes_mathml() {
        let cases = [
            (
                r"\frac{a}{b}",
                "<mfrac><mrow><mi>a</mi></mrow><mrow><mi>b</mi></mrow></mfrac>",
            ),
            (
                r"x_i^2",
                "<msubsup><mi>x</mi><mi>i</mi><mn>2</mn></msubsup>",
            ),
            (
                r"\alpha + \Delta",
                "<mi>α</mi><mo>+</mo><mi mathvariant=\"normal\">Δ</mi>",
            ),
            (
                r"\sum_{i=1}^{n}",
                "<msubsup><mo movablelimits=\"false\">∑</mo>",
            ),
            (r"\text{Evidence}", "<mtext>Evidence</mtext>"),
            (
                r"\begin{pmatrix}a & b\\ c & d\end{pmatrix}",
                "<mtable class=\"menv-arraylike\"><mtr><mtd><mi>a</mi></mtd><mtd><mi>b</mi></mtd></mtr>",
            ),
        ];
        for (tex, part) in cases {
            let out = mathml(tex);
            assert!(out.starts_with("<math display=\"inline\">"), "{out}");
            assert!(out.contains(part), "{tex}: {out}");
        }
        let mut problems = Vec::new();
        let block = render(r"x", true, 0..0, &mut problems);
        assert!(
            block.starts_with(
                "<span class=\"math-display\" role=\"region\" aria-label=\"Formula\" tabindex=\"0\"><math display=\"block\">"
            ),
            "{block}"
        );
    }

    #[test]
    fn tex_that_does_not_parse_is_a_located_error_showing_it() {
        let mut problems = Vec::new();
        let out = render(r"\frac{a}{", false, 4..15, &mut problems);
        assert_eq!(out, "<code class=\"math-error\">\\frac{a}{</code>");
        assert_eq!(
            problems,
            [Problem {
                range: 4..15,
                error: true,
                message: "math `$\\frac{a}{$` is not valid TeX: unbalanced group found, expected it to be closed with `}`".to_string(),
                hint: "write the formula as LaTeX (amsmath) takes it; for a literal dollar sign write `\\$`".to_string(),
            }]
        );
        render(r"\nosuchcommand", true, 0..0, &mut problems);
        assert_eq!(
            problems[1].message,
            "math `$$\\nosuchcommand$$` is not valid TeX: unknown primitive command found"
        );
    }

    #[test]
    fn text_in_tex_never_becomes_markup() {
        assert_eq!(
            mathml(r"a<b"),
            "<math display=\"inline\"><mi>a</mi><mo>&lt;</mo><mi>b</mi></math>"
        );
        // Markup smuggled into an operator's name is dropped, never kept.
        assert_eq!(
            mathml(r"\operatorname{<img src=x onerror=alert(1)>}"),
            "<math display=\"inline\"><mi></mi></math>"
        );
        let smuggled = mathml(r"\operatorname{<mi onclick=alert(1)>}x");
        assert!(!smuggled.contains("onclick"), "{smuggled}");
    }

    #[test]
    fn a_closing_dollar_before_a_digit_is_prose() {
        let text = "$20-$30 and $x$.";
        assert!(is_prose(text, &(0..5)));
        assert!(!is_prose(text, &(12..15)));
        assert!(!is_prose("$x$", &(0..3)));
    }
}
