//! Quarto's callouts, `::: {.callout-note}` … `:::` (Pandoc's fenced divs
//! with a callout class), as the same titled callouts GitHub's alerts make.
//!
//! pulldown-cmark has no fenced divs, so they are found before it reads the
//! text. Steps:
//! 1. read the text line by line, skipping fenced code, for fence lines: an
//!    opening `:::` (three colons or more) with attributes, a closing one
//!    alone; openings pair with closings as a stack, so a div that is not a
//!    callout keeps its own closing fence;
//! 2. blank a callout's two fence lines (spaces, so every byte keeps its
//!    place in the file for the positions other passes report) and note
//!    where each was;
//! 3. while the events are read, each fence becomes the callout's opening
//!    (with its `title="…"`, else a `## heading` right after the fence, else
//!    the kind's name) or its closing, before the first event after it.
//!
//! A callout never closed is an error at its opening fence (it is closed at
//! the end of the text, so the rest still renders). A div of another class
//! stays as written, as it did before.

use std::ops::Range;

use crate::content::body::raw_html::Problem;
use crate::text::escape_html;

/// The callout kinds Quarto has: class suffix and default title.
const KINDS: &[(&str, &str)] = &[
    ("note", "Note"),
    ("tip", "Tip"),
    ("important", "Important"),
    ("warning", "Warning"),
    ("caution", "Caution"),
];

/// One fence line of a callout, found at byte `at` of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fence {
    pub at: usize,
    pub mark: Mark,
}

/// What a fence does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    /// Opens a callout of `kind` (`note`, `tip`, …), with its title if the
    /// fence gives one.
    Open {
        kind: &'static str,
        title: Option<String>,
    },
    /// Opens a fenced div of another class: a `<div>` with its classes, as
    /// Pandoc writes it.
    Div { classes: String },
    /// Closes the innermost open callout or div.
    Close,
}

/// A text with its callout fences found.
#[derive(Debug, Default)]
pub struct Prepared {
    /// The text with its callout fence lines blanked; `None` if it has none.
    pub text: Option<String>,
    /// The fences, in order.
    pub fences: Vec<Fence>,
    /// Callouts never closed.
    pub problems: Vec<Problem>,
}

/// A fence line read: an opening with its attributes, or a closing.
enum Line {
    Open(Mark),
    Close,
}

/// Finds the callout fences of `text`, which starts at byte `offset` of its
/// file (for problem positions).
pub fn prepare(text: &str, offset: usize) -> Prepared {
    let mut prepared = Prepared::default();
    if crate::text::find_short(text, ":::", 0).is_none() {
        return prepared;
    }
    // Open divs: their fence's place, and whether it is a callout.
    let mut open: Vec<(Range<usize>, bool)> = Vec::new();
    let mut code: Option<(u8, usize)> = None;
    let mut blank: Vec<Range<usize>> = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        if code_fence(line, &mut code) || code.is_some() {
            continue;
        }
        let end = start + line.trim_end().len();
        match fence(line) {
            Some(Line::Open(mark)) => {
                open.push((start..end, matches!(mark, Mark::Open { .. })));
                prepared.fences.push(Fence { at: start, mark });
            }
            Some(Line::Close) => {
                if let Some((opening, _)) = open.pop() {
                    blank.extend([opening, start..end]);
                    prepared.fences.push(Fence {
                        at: start,
                        mark: Mark::Close,
                    });
                }
            }
            None => {}
        }
    }
    // A callout never closed is an error, closed at the end; another div
    // never closed is no div, as in Pandoc, and stays as written.
    for (range, callout) in open {
        match callout {
            true => {
                let problem = unclosed(
                    &text[range.clone()],
                    offset + range.start..offset + range.end,
                );
                prepared.problems.push(problem);
                blank.push(range);
                prepared.fences.push(Fence {
                    at: text.len(),
                    mark: Mark::Close,
                });
            }
            false => prepared.fences.retain(|f| f.at != range.start),
        }
    }
    if !blank.is_empty() {
        let mut bytes = text.as_bytes().to_vec();
        for range in blank {
            bytes[range].fill(b' ');
        }
        prepared.text = String::from_utf8(bytes).ok();
    }
    prepared
}

/// The HTML a fence becomes; an opening's title is `heading` when the
/// fence has none and a heading follows it (`None`: the kind's name).
pub fn html(mark: &Mark, heading: Option<&str>) -> String {
    match mark {
        Mark::Open { kind, title } => {
            let default = KINDS
                .iter()
                .find(|(k, _)| k == kind)
                .map_or("Note", |k| k.1);
            let title = match (title, heading) {
                (Some(title), _) => escape_html(title),
                (None, Some(heading)) => heading.to_string(),
                (None, None) => default.to_string(),
            };
            format!(
                "<div class=\"callout callout-{kind}\" role=\"note\">\n<p class=\"callout-title\">{title}</p>\n"
            )
        }
        Mark::Div { classes } => format!("<div class=\"{}\">\n", escape_html(classes)),
        Mark::Close => "</div>\n".to_string(),
    }
}

/// The error for a callout whose fence is never closed.
fn unclosed(fence: &str, range: Range<usize>) -> Problem {
    let fence = fence.trim();
    Problem {
        range,
        error: true,
        message: format!("callout `{fence}` is never closed"),
        hint: "end it with a line of `:::` after its last paragraph".to_string(),
    }
}

/// True when `line` opens or closes fenced code, which `code` tracks (the
/// fence character and length); fence lines inside code are not fences.
fn code_fence(line: &str, code: &mut Option<(u8, usize)>) -> bool {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return false;
    }
    let Some(&c) = trimmed
        .as_bytes()
        .first()
        .filter(|c| matches!(c, b'`' | b'~'))
    else {
        return false;
    };
    let run = trimmed.bytes().take_while(|&b| b == c).count();
    if run < 3 {
        return false;
    }
    match *code {
        None => *code = Some((c, run)),
        Some((open, len)) if open == c && run >= len && trimmed[run..].trim().is_empty() => {
            *code = None;
        }
        Some(_) => return false,
    }
    true
}

/// Reads a fence line: three colons or more (up to three spaces in), then
/// attributes (`{.callout-note title="…"}` or one bare class) for an
/// opening, nothing for a closing. `None` for any other line.
fn fence(line: &str) -> Option<Line> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let colons = trimmed.bytes().take_while(|&b| b == b':').count();
    if colons < 3 {
        return None;
    }
    let rest = trimmed[colons..].trim().trim_end_matches(':').trim_end();
    if rest.is_empty() {
        return Some(Line::Close);
    }
    let attributes = match rest.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
        Some(inner) => inner,
        None if !rest.contains(char::is_whitespace) => rest,
        None => return None,
    };
    let mut kind = None;
    let mut title = None;
    let mut classes = Vec::new();
    for (key, value) in attribute_words(attributes) {
        match (key.as_str(), value) {
            (word, None) if !word.starts_with('#') => {
                let class = word.strip_prefix('.').unwrap_or(word);
                if let Some(k) = class.strip_prefix("callout-") {
                    kind = kind.or(KINDS.iter().find(|(name, _)| *name == k).map(|k| k.0));
                }
                classes.push(class.to_string());
            }
            ("title", Some(value)) => title = Some(value),
            _ => {}
        }
    }
    Some(Line::Open(match kind {
        Some(kind) => Mark::Open { kind, title },
        None => Mark::Div {
            classes: classes.join(" "),
        },
    }))
}

/// The words of an attribute list: `.class`, `#id` or `key` alone, or
/// `key=value` with the value optionally in double quotes.
fn attribute_words(attributes: &str) -> Vec<(String, Option<String>)> {
    let mut words = Vec::new();
    let mut chars = attributes.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let key: String =
            std::iter::from_fn(|| chars.next_if(|c| !c.is_whitespace() && *c != '=')).collect();
        if key.is_empty() && chars.peek().is_none() {
            return words;
        }
        let value = match chars.next_if_eq(&'=') {
            Some(_) if chars.next_if_eq(&'"').is_some() => {
                let value: String = std::iter::from_fn(|| chars.next_if(|c| *c != '"')).collect();
                chars.next();
                Some(value)
            }
            Some(_) => Some(std::iter::from_fn(|| chars.next_if(|c| !c.is_whitespace())).collect()),
            None => None,
        };
        words.push((key, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_pair_as_a_stack_and_are_blanked() {
        let text = "::: {.callout-tip title=\"Read this\"}\nA\n\n::: {.column}\nB\n:::\n:::\n";
        let p = prepare(text, 0);
        assert_eq!(
            p.fences,
            [
                Fence {
                    at: 0,
                    mark: Mark::Open {
                        kind: "tip",
                        title: Some("Read this".to_string())
                    }
                },
                Fence {
                    at: text.find("::: {.column}").unwrap(),
                    mark: Mark::Div {
                        classes: "column".to_string()
                    }
                },
                Fence {
                    at: text.len() - 8,
                    mark: Mark::Close
                },
                Fence {
                    at: text.len() - 4,
                    mark: Mark::Close
                },
            ]
        );
        let blanked = p.text.unwrap();
        assert_eq!(blanked.len(), text.len());
        assert_eq!(blanked.replace(' ', ""), "\nA\n\n\nB\n\n\n");
        assert_eq!(p.problems, []);
    }

    #[test]
    fn fences_in_code_and_other_lines_are_not_fences() {
        for text in [
            "```\n::: {.callout-note}\n```\n",
            "    ::: {.callout-note}\n",
            "a ::: {.callout-note}\n",
            ":: {.callout-note}\n",
        ] {
            let p = prepare(text, 0);
            assert_eq!((p.text, p.fences.len()), (None, 0), "{text:?}");
        }
    }

    #[test]
    fn a_bare_class_and_more_colons_open_a_callout() {
        let p = prepare("::::: callout-warning :::::\nx\n:::::\n", 0);
        assert_eq!(p.fences.len(), 2);
        assert_eq!(
            p.fences[0].mark,
            Mark::Open {
                kind: "warning",
                title: None
            }
        );
    }

    #[test]
    fn an_unclosed_div_is_no_div() {
        let text = "::: {.column}\nNever closed.\n";
        let p = prepare(text, 0);
        assert_eq!((p.text, p.fences, p.problems), (None, vec![], vec![]));
    }

    #[test]
    fn an_unclosed_callout_is_an_error_at_its_fence() {
        let text = "Intro.\n\n::: {.callout-caution}\nNever closed.\n";
        let p = prepare(text, 10);
        let at = 10 + text.find(":::").unwrap();
        assert_eq!(
            p.problems,
            [Problem {
                range: at..at + "::: {.callout-caution}".len(),
                error: true,
                message: "callout `::: {.callout-caution}` is never closed".to_string(),
                hint: "end it with a line of `:::` after its last paragraph".to_string(),
            }]
        );
        assert_eq!(
            p.fences.last().unwrap(),
            &Fence {
                at: text.len(),
                mark: Mark::Close
            }
        );
    }
}
