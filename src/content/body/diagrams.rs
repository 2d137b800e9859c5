//! Mermaid diagrams, as GitHub, Quarto and GitLab show them: a fenced block
//! in the language `mermaid` (` ```mermaid `, or Quarto's ` ```{mermaid} `)
//! is written as `<pre class="mermaid">` holding the diagram's source.
//!
//! The source is escaped text, so a reader without JavaScript (or a feed
//! reader) sees it as written. A page with a diagram loads Mermaid's script,
//! which the theme ships (`assets/mermaid/`, written into the output only
//! when a page has a diagram), and the script draws it. The source sits
//! directly in the `<pre>`, with no `<code>` inside: Mermaid reads the
//! element's HTML as the diagram.

use crate::content::body::highlight;
use crate::text::escape_html;

/// True when a fenced block's info string names Mermaid.
pub fn is_mermaid(info: &str) -> bool {
    highlight::named(info).is_some_and(|language| language == "mermaid")
}

/// The diagram whose source is `source`, as the page holds it.
pub fn html(source: &str) -> String {
    format!("<pre class=\"mermaid\">{}</pre>\n", escape_html(source))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mermaid_is_named_as_github_pandoc_and_quarto_write_it() {
        for info in [
            "mermaid",
            "Mermaid",
            "{mermaid}",
            "{.mermaid}",
            "mermaid title",
        ] {
            assert!(is_mermaid(info), "{info}");
        }
        for info in ["", "python", "mermaidjs", "{}"] {
            assert!(!is_mermaid(info), "{info}");
        }
    }

    #[test]
    fn the_source_is_escaped_text_in_the_pre() {
        assert_eq!(
            html("graph LR\n  A[\"a & b\"] --> B<br>\n"),
            "<pre class=\"mermaid\">graph LR\n  A[&quot;a &amp; b&quot;] --&gt; B&lt;br&gt;\n</pre>\n"
        );
    }
}
