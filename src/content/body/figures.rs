//! Figures, table captions and their cross-references, as Pandoc and
//! Quarto write them: an image alone in a paragraph, with alt text, is a
//! `<figure>` captioned by that text (Pandoc's implicit figures); a
//! paragraph `: Caption` (or `Table: Caption`) right before or after a
//! table captions it; `{#fig-x}` after the image, `{#tbl-x}` at the end of
//! the caption number them, and `@fig-x`/`@tbl-x` in the text become
//! "Figure 1"/"Table 1", linked to them (Quarto's cross-references).
//!
//! A pass over the finished events of one text. Steps:
//! 1. find each paragraph that holds one image and nothing else but an
//!    optional `{#fig-…}`, and each table with a caption paragraph beside
//!    it; number the labelled ones in order (figures and tables apart) and
//!    write each as a figure;
//! 2. in the text, replace each `@fig-…`/`@tbl-…` with a link to its
//!    figure or table; one that names none of the text is an error at its
//!    place. In brackets they read as in Quarto: `[@fig-x]` is "Figure 1"
//!    (the brackets go), `[Fig. @fig-x]` "Fig. 1" (the prefix replaces the
//!    word), `[-@fig-x]` "1", and `[@fig-x; @fig-y]` "Figure 1, Figure 2".
//!
//! `fig-` and `tbl-` keys are never citations (the citation pass leaves
//! them alone, and a bracket of them only), so a source's key never
//! clashes with a label.

use std::collections::HashMap;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::content::body::common::IdSet;
use crate::content::body::raw_html::Problem;
use crate::content::cite::citation_syntax::{self, Cite, is_label};
use crate::text::{escape_html, find_short};

/// Each label's id and what a reference to it reads ("Figure 1").
type Labels = HashMap<String, (String, String)>;

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
        .any(|e| matches!(e, Event::Start(Tag::Image { .. } | Tag::Table(_))));
    let has_ref = find_short(text, "@fig-", 0).is_some() || find_short(text, "@tbl-", 0).is_some();
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

/// Writes each image alone in its paragraph, and each captioned table, as
/// a figure.
fn figures<'a>(mut events: Vec<Event<'a>>, ids: &mut IdSet, labels: &mut Labels) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len() + 8);
    let mut counts = (0, 0);
    let mut i = 0;
    while i < events.len() {
        if let Some((end, image_end, label)) = alone(&events, i) {
            let caption = &events[i + 2..image_end];
            let body = &events[i + 1..=image_end];
            let label = label.map(|l| number(l, "Figure", &mut counts.0, ids, labels));
            figure(label, caption, body, true, &mut out);
            i = end + 1;
        } else if let Some((end, table, caption, label)) = captioned_table(&events, i) {
            let label = label.map(|l| number(l, "Table", &mut counts.1, ids, labels));
            figure(label, &caption, &events[table], false, &mut out);
            i = end + 1;
        } else {
            // Figures and tables are found from `i` on: an event passed is
            // never read again, so it is moved, not copied.
            out.push(std::mem::replace(&mut events[i], Event::SoftBreak));
            i += 1;
        }
    }
    out
}

/// Numbers `label` as the next of its `kind`: its id, and the caption's
/// prefix ("Figure 1: ").
fn number(
    label: String,
    kind: &str,
    count: &mut usize,
    ids: &mut IdSet,
    labels: &mut Labels,
) -> (String, String) {
    *count += 1;
    let id = ids.claim(&label);
    labels.insert(label, (id.clone(), format!("{kind}&nbsp;{count}")));
    (id, format!("{kind} {count}: "))
}

/// Writes `body` as a figure captioned by `caption` (after the body for an
/// image, before it for a table, as readers expect each).
fn figure<'a>(
    label: Option<(String, String)>,
    caption: &[Event<'a>],
    body: &[Event<'a>],
    caption_after: bool,
    out: &mut Vec<Event<'a>>,
) {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, caption.iter().cloned());
    let (id, prefix) = match label {
        Some((id, prefix)) => (
            format!(" id=\"{}\"", escape_html(&id)),
            escape_html(&prefix),
        ),
        None => (String::new(), String::new()),
    };
    let class = if caption_after {
        ""
    } else {
        " class=\"table\""
    };
    let caption = format!("<figcaption>{prefix}{}</figcaption>\n", html.trim_end());
    out.push(Event::Html(format!("<figure{id}{class}>\n").into()));
    if !caption_after {
        out.push(Event::Html(caption.clone().into()));
    }
    out.extend(body.iter().cloned());
    if caption_after {
        out.push(Event::Html(format!("\n{caption}").into()));
    }
    out.push(Event::Html("</figure>\n".into()));
}

/// A captioned table: the index where it and its caption end, the table's
/// events, the caption's and its label.
type CaptionedTable<'a> = (
    usize,
    std::ops::Range<usize>,
    Vec<Event<'a>>,
    Option<String>,
);

/// A table at `i` with a caption paragraph right after it, or a caption
/// paragraph at `i` with a table right after it: the index where both
/// end, the table's events, the caption's and its label.
fn captioned_table<'a>(events: &[Event<'a>], i: usize) -> Option<CaptionedTable<'a>> {
    let table_end = |start: usize| {
        matches!(events.get(start), Some(Event::Start(Tag::Table(_))))
            .then(|| {
                events[start..]
                    .iter()
                    .position(|e| matches!(e, Event::End(TagEnd::Table)))
            })
            .flatten()
            .map(|n| start + n)
    };
    if let Some(end) = table_end(i) {
        let (caption_end, caption, label) = caption(events, end + 1)?;
        return Some((caption_end, i..end + 1, caption, label));
    }
    let (caption_end, caption, label) = caption(events, i)?;
    let end = table_end(caption_end + 1)?;
    Some((end, caption_end + 1..end + 1, caption, label))
}

/// A caption paragraph at `i` (`: Caption` or `Table: Caption`, with an
/// optional `{#tbl-…}` at its end): where it ends, its inner events
/// without those marks, and the label.
fn caption<'a>(events: &[Event<'a>], i: usize) -> Option<(usize, Vec<Event<'a>>, Option<String>)> {
    let (Event::Start(Tag::Paragraph), Event::Text(first)) = (events.get(i)?, events.get(i + 1)?)
    else {
        return None;
    };
    let rest = [": ", "Table: ", "table: "]
        .iter()
        .find_map(|p| first.strip_prefix(p))?;
    let end = i + events[i..]
        .iter()
        .position(|e| matches!(e, Event::End(TagEnd::Paragraph)))?;
    let mut inner: Vec<Event<'a>> = events[i + 1..end].to_vec();
    inner[0] = Event::Text(rest.to_string().into());
    let mut label = None;
    if let Some(Event::Text(last)) = inner.last()
        && let Some((text, attrs)) = last.trim_end().rsplit_once("{#")
        && let Some(name) = attrs.strip_suffix('}')
        && name.starts_with("tbl-")
        && name.bytes().all(label_byte)
    {
        label = Some(name.to_string());
        let text = text.trim_end().to_string();
        *inner.last_mut()? = Event::Text(text.into());
    }
    Some((end, inner, label))
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

/// Replaces each `@fig-…` in text events, or bracket of them, with links
/// to its figures.
fn references<'a>(
    events: Vec<Event<'a>>,
    labels: &Labels,
    text: &str,
    offset: usize,
    problems: &mut Vec<Problem>,
) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut searched = 0;
    for event in merged_text(events) {
        let Event::Text(t) = &event else {
            out.push(event);
            continue;
        };
        if !t.contains("@fig-") && !t.contains("@tbl-") {
            out.push(event);
            continue;
        }
        let mut last = 0;
        for (range, cites) in refs_in(t) {
            if range.start > last {
                out.push(Event::Text(t[last..range.start].to_string().into()));
            }
            last = range.end;
            let mut fine = true;
            for cite in &cites {
                if labels.contains_key(cite.key) {
                    continue;
                }
                fine = false;
                let written = format!("@{}", cite.key);
                let at = text[searched..].find(&written).map_or(0, |i| searched + i);
                searched = at + 1;
                let range = offset + at..offset + at + written.len();
                problems.push(unknown(cite.key, labels, range));
            }
            out.push(match fine {
                true => Event::InlineHtml(linked(&cites, labels).into()),
                false => Event::Text(t[range].to_string().into()),
            });
        }
        if last < t.len() {
            out.push(Event::Text(t[last..].to_string().into()));
        }
    }
    out
}

/// The events with each run of text events joined into one, so a bracket
/// that pulldown-cmark gave in pieces (`[`, `@fig-x`, `]`) is read whole;
/// the HTML written is the same.
fn merged_text(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    for event in events {
        match (out.last_mut(), event) {
            (Some(Event::Text(before)), Event::Text(t)) => {
                *before = format!("{before}{t}").into();
            }
            (_, event) => out.push(event),
        }
    }
    out
}

/// The links a reference or a bracket of them reads as, joined by commas:
/// each "Figure&nbsp;1", its prefix in place of the word when it has one,
/// the number alone after `-@`; a suffix follows its link.
fn linked(cites: &[Cite<'_>], labels: &Labels) -> String {
    let mut html = String::new();
    for (i, cite) in cites.iter().enumerate() {
        let Some((id, reads)) = labels.get(cite.key) else {
            continue;
        };
        if i > 0 {
            html.push_str(", ");
        }
        let (word, number) = reads.split_once("&nbsp;").unwrap_or(("", reads));
        let reads = match (cite.prefix.is_empty(), cite.suppress_author) {
            (false, _) => format!("{}&nbsp;{number}", escape_html(cite.prefix)),
            (true, true) => number.to_string(),
            (true, false) => format!("{word}&nbsp;{number}"),
        };
        html.push_str(&format!(
            "<a class=\"crossref\" href=\"#{}\">{reads}</a>",
            escape_html(id)
        ));
        let suffix = [cite.locator.unwrap_or(""), cite.suffix].join(" ");
        let suffix = suffix.trim();
        if !suffix.is_empty() {
            let comma = if suffix.starts_with(',') { "" } else { " " };
            html.push_str(&format!("{comma}{}", escape_html(suffix)));
        }
    }
    html
}

/// Each cross-reference in `t`: a bracket that holds only `fig-`/`tbl-`
/// keys (`[@fig-a]`, `[Fig. @fig-a; -@tbl-b]`), else a bare `@fig-…`;
/// its range in `t` and what it cites, in order.
fn refs_in(t: &str) -> Vec<(std::ops::Range<usize>, Vec<Cite<'_>>)> {
    let mut refs: Vec<(std::ops::Range<usize>, Vec<Cite<'_>>)> = Vec::new();
    let mut from = 0;
    while let Some(open) = t[from..].find('[').map(|i| from + i) {
        from = open + 1;
        let Some(close) = t[open..].find(']').map(|i| open + i) else {
            break;
        };
        let inside = &t[open + 1..close];
        if inside.contains('[') || (!inside.contains("@fig-") && !inside.contains("@tbl-")) {
            continue;
        }
        if let Some(Ok(cites)) = citation_syntax::parse_bracket(inside)
            && cites.iter().all(|c| is_label(c.key))
        {
            refs.push((open..close + 1, cites));
            from = close + 1;
        }
    }
    for (start, label) in found(t) {
        if refs.iter().any(|(r, _)| r.contains(&start)) {
            continue;
        }
        let cite = Cite {
            key: label,
            prefix: "",
            suppress_author: false,
            locator: None,
            suffix: "",
        };
        refs.push((start..start + 1 + label.len(), vec![cite]));
    }
    refs.sort_by_key(|(r, _)| r.start);
    refs
}

/// Each `@fig-…`/`@tbl-…` in `t`, not inside a word or an address: where
/// its `@` is, and the label after it (a trailing `-` or `_` is not part of
/// it).
fn found(t: &str) -> Vec<(usize, &str)> {
    let mut refs = Vec::new();
    let mut from = 0;
    while let Some(i) = t[from..].find('@').map(|i| from + i) {
        from = i + 1;
        if !t[i + 1..].starts_with("fig-") && !t[i + 1..].starts_with("tbl-") {
            continue;
        }
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

/// The error for a cross-reference to a label the text does not have.
fn unknown(label: &str, labels: &Labels, range: std::ops::Range<usize>) -> Problem {
    let closest = labels
        .keys()
        .map(|l| (strsim::levenshtein(l, label), l))
        .min()
        .filter(|(d, _)| *d <= 3);
    let hint = match closest {
        Some((_, l)) => format!("did you mean `@{l}`?"),
        None if label.starts_with("tbl-") => "label a table with `{#tbl-…}` at the end of its caption, a paragraph `: Caption {#tbl-x}` after the table".to_string(),
        None => "label a figure with `{#fig-…}` right after its image: `![Caption](chart.png){#fig-chart}`".to_string(),
    };
    let what = if label.starts_with("tbl-") {
        "table"
    } else {
        "figure"
    };
    Problem {
        range,
        error: true,
        message: format!("cross-reference `@{label}` names no {what} of this text"),
        hint,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_of_labels_only_are_references_with_their_prefixes() {
        let t = "[@fig-a], [Fig. @fig-b; -@tbl-c], [see @fig-d, top] and @fig-e; \
                 not [@one], [@fig-f; @one] or [a link](x)";
        // Each bracket's text, and its (key, prefix, suppress author) triples.
        type Refs<'a> = Vec<(&'a str, Vec<(&'a str, &'a str, bool)>)>;
        let refs: Refs = refs_in(t)
            .into_iter()
            .map(|(r, cites)| {
                let cites = cites
                    .iter()
                    .map(|c| (c.key, c.prefix, c.suppress_author))
                    .collect();
                (&t[r], cites)
            })
            .collect();
        assert_eq!(
            refs,
            [
                ("[@fig-a]", vec![("fig-a", "", false)]),
                (
                    "[Fig. @fig-b; -@tbl-c]",
                    vec![("fig-b", "Fig.", false), ("tbl-c", "", true)]
                ),
                ("[see @fig-d, top]", vec![("fig-d", "see", false)]),
                ("@fig-e", vec![("fig-e", "", false)]),
                ("@fig-f", vec![("fig-f", "", false)]),
            ]
        );
    }

    #[test]
    fn references_are_found_outside_words_and_addresses() {
        let t = "See @fig-a, (@fig-b_c) and @fig-d-, @tbl-e. Not me@fig-x or a/@fig-y or @fig-.";
        let labels: Vec<_> = found(t).into_iter().map(|(_, l)| l).collect();
        assert_eq!(labels, ["fig-a", "fig-b_c", "fig-d", "tbl-e"]);
    }
}
