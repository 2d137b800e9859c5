//! Figures and their cross-references, as Pandoc and Quarto write them: an
//! image alone in a paragraph, with alt text, is a `<figure>` captioned by
//! that text (Pandoc's implicit figures); `{#fig-x}` right after it numbers
//! it, and `@fig-x` in the text becomes "Figure 1", linked to it (Quarto's
//! cross-references).
//!
//! A pass over the finished events of one text. Steps:
//! 1. find each paragraph that holds one image and nothing else but an
//!    optional `{#fig-…}`; number the labelled ones in order, and write the
//!    paragraph as a figure;
//! 2. in the text, replace each `@fig-…` with a link to its figure; one
//!    that names no figure of the text is an error at its place.
//!
//! `fig-` keys are never citations (the citation pass leaves them alone),
//! so a source's key never clashes with a figure's label.

use std::collections::HashMap;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::content::markdown::IdSet;
use crate::content::raw_html::Problem;
use crate::text::escape_html;

/// True for an in-text key that is a cross-reference, not a citation.
pub fn is_label(key: &str) -> bool {
    key.starts_with("fig-")
}

/// A figure's label: its id and its number.
type Labels = HashMap<String, (String, usize)>;

/// The events with figures written and cross-references resolved; `text`
/// is the text they come from, at byte `offset` of its file.
pub fn gather<'a>(
    events: Vec<Event<'a>>,
    text: &str,
    offset: usize,
    ids: &mut IdSet,
    problems: &mut Vec<Problem>,
) -> Vec<Event<'a>> {
    let has_image = events
        .iter()
        .any(|e| matches!(e, Event::Start(Tag::Image { .. })));
    let has_ref = text.contains("@fig-");
    if !has_image && !has_ref {
        return events;
    }
    let mut labels = Labels::new();
    let events = figures(events, ids, &mut labels);
    match has_ref {
        true => references(events, &labels, text, offset, problems),
        false => events,
    }
}

/// Writes each image alone in its paragraph as a figure.
fn figures<'a>(events: Vec<Event<'a>>, ids: &mut IdSet, labels: &mut Labels) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len() + 8);
    let mut i = 0;
    while i < events.len() {
        if let Some((end, image_end, label)) = alone(&events, i) {
            let inner = &events[i + 2..image_end];
            let mut caption = String::new();
            pulldown_cmark::html::push_html(&mut caption, inner.iter().cloned());
            let (id, prefix) = match label {
                Some(label) => {
                    let id = ids.claim(&label);
                    let n = labels.len() + 1;
                    labels.insert(label, (id.clone(), n));
                    (
                        format!(" id=\"{}\"", escape_html(&id)),
                        format!("Figure {n}: "),
                    )
                }
                None => (String::new(), String::new()),
            };
            out.push(Event::Html(format!("<figure{id}>\n").into()));
            out.extend(events[i + 1..=image_end].iter().cloned());
            out.push(Event::Html(
                format!("\n<figcaption>{prefix}{caption}</figcaption>\n</figure>\n").into(),
            ));
            i = end + 1;
        } else {
            out.push(events[i].clone());
            i += 1;
        }
    }
    out
}

/// When a paragraph starting at `i` holds one image with alt text and
/// nothing else but whitespace and an optional `{#fig-…}`: the index of
/// its end, of the image's end, and the label.
fn alone(events: &[Event<'_>], i: usize) -> Option<(usize, usize, Option<String>)> {
    let (Event::Start(Tag::Paragraph), Event::Start(Tag::Image { .. })) =
        (events.get(i)?, events.get(i + 1)?)
    else {
        return None;
    };
    let image_end = i
        + 1
        + events[i + 1..]
            .iter()
            .position(|e| matches!(e, Event::End(TagEnd::Image)))?;
    let alt_has_text = events[i + 2..image_end]
        .iter()
        .any(|e| matches!(e, Event::Text(t) | Event::Code(t) if !t.trim().is_empty()));
    let mut rest = String::new();
    let mut end = image_end + 1;
    loop {
        match events.get(end)? {
            Event::Text(t) => rest.push_str(t),
            Event::SoftBreak => rest.push(' '),
            Event::End(TagEnd::Paragraph) => break,
            _ => return None,
        }
        end += 1;
    }
    let rest = rest.trim();
    let label = match rest.strip_prefix("{#").and_then(|r| r.strip_suffix('}')) {
        Some(label) if is_label(label) && label.bytes().all(label_byte) => Some(label.to_string()),
        _ if rest.is_empty() => None,
        _ => return None,
    };
    alt_has_text.then_some((end, image_end, label))
}

/// Bytes a label may hold after `fig-`: letters, digits, `-` and `_`.
fn label_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// Replaces each `@fig-…` in text events with a link to its figure.
fn references<'a>(
    events: Vec<Event<'a>>,
    labels: &Labels,
    text: &str,
    offset: usize,
    problems: &mut Vec<Problem>,
) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut searched = 0;
    for event in events {
        let Event::Text(t) = &event else {
            out.push(event);
            continue;
        };
        if !t.contains("@fig-") {
            out.push(event);
            continue;
        }
        let mut last = 0;
        for (start, label) in found(t) {
            let end = start + 1 + label.len();
            if start > last {
                out.push(Event::Text(t[last..start].to_string().into()));
            }
            last = end;
            match labels.get(label) {
                Some((id, n)) => out.push(Event::InlineHtml(
                    format!(
                        "<a class=\"crossref\" href=\"#{}\">Figure&nbsp;{n}</a>",
                        escape_html(id)
                    )
                    .into(),
                )),
                None => {
                    let at = text[searched..]
                        .find(&t[start..end])
                        .map_or(0, |i| searched + i);
                    searched = at + 1;
                    problems.push(unknown(
                        label,
                        labels,
                        offset + at..offset + at + end - start,
                    ));
                    out.push(Event::Text(t[start..end].to_string().into()));
                }
            }
        }
        if last < t.len() {
            out.push(Event::Text(t[last..].to_string().into()));
        }
    }
    out
}

/// Each `@fig-…` in `t`, not inside a word or an address: where its `@`
/// is, and the label after it (a trailing `-` or `_` is not part of it).
fn found(t: &str) -> Vec<(usize, &str)> {
    let mut refs = Vec::new();
    let mut from = 0;
    while let Some(i) = t[from..].find("@fig-").map(|i| from + i) {
        from = i + 1;
        let before = t[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '@' || c == '/') {
            continue;
        }
        let len = t[i + 1..].bytes().take_while(|&b| label_byte(b)).count();
        let label = t[i + 1..i + 1 + len].trim_end_matches(['-', '_']);
        if label.len() > "fig-".len() {
            refs.push((i, label));
        }
    }
    refs
}

/// The error for a cross-reference to a figure the text does not have.
fn unknown(label: &str, labels: &Labels, range: std::ops::Range<usize>) -> Problem {
    let closest = labels
        .keys()
        .map(|l| (strsim::levenshtein(l, label), l))
        .min()
        .filter(|(d, _)| *d <= 3);
    let hint = match closest {
        Some((_, l)) => format!("did you mean `@{l}`?"),
        None => "label a figure with `{#fig-…}` right after its image: `![Caption](chart.png){#fig-chart}`".to_string(),
    };
    Problem {
        range,
        error: true,
        message: format!("cross-reference `@{label}` names no figure of this text"),
        hint,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_found_outside_words_and_addresses() {
        let t = "See @fig-a, (@fig-b_c) and @fig-d-. Not me@fig-x or a/@fig-y or @fig-.";
        let labels: Vec<_> = found(t).into_iter().map(|(_, l)| l).collect();
        assert_eq!(labels, ["fig-a", "fig-b_c", "fig-d"]);
    }
}
