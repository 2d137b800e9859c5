//! Footnotes as Pandoc and GitHub render them: each `[^label]` becomes a
//! numbered mark linking to its note, and the notes are gathered, in the
//! order first referenced, into a list at the end of the text they are in
//! (the body, or the score rationale), each with a link back to every
//! place it is referenced.
//!
//! pulldown-cmark writes a definition where it stands and its mark as a
//! superscript number, the same as a citation mark; so the marks here are
//! bracketed (`[1]`) with an accessible label, and the notes move. Numbers
//! continue from the body into the rationale, and ids are claimed from the
//! page's [`IdSet`], so a page never holds two notes with one number.

use std::collections::HashMap;
use std::fmt::Write;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::content::body::common::IdSet;
use crate::content::body::raw_html::Problem;
use crate::text::escape_html;

/// One note: its number, the ids of its marks, and its content.
struct Note<'a> {
    number: usize,
    id: String,
    marks: Vec<String>,
    body: Vec<Event<'a>>,
}

/// Notes the place of the footnote definition `event` starts, at `at` in
/// the file (its `[^label]:`).
pub fn note_definition(event: &Event<'_>, at: usize, defined: &mut HashMap<String, Range<usize>>) {
    if let Event::Start(Tag::FootnoteDefinition(label)) = event {
        defined.insert(label.to_string(), at..at + label.len() + 4);
    }
}

/// Takes the footnote definitions out of `events`, numbers the marks and
/// appends the notes at the end. A definition nothing refers to is a
/// warning (found at `defined`, its place in the file), as is a mark with
/// no definition, which stays as written.
pub fn gather<'a>(
    events: Vec<Event<'a>>,
    defined: &HashMap<String, Range<usize>>,
    ids: &mut IdSet,
    problems: &mut Vec<Problem>,
) -> Vec<Event<'a>> {
    let footnote = |e: &Event<'_>| {
        matches!(
            e,
            Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_))
        )
    };
    if defined.is_empty() && !events.iter().any(footnote) {
        // No footnote: the events stay as they are (the problems are
        // still put in order, as below).
        problems.sort_by_key(|p| p.range.start);
        return events;
    }
    let mut bodies: HashMap<CowStr<'a>, Vec<Event<'a>>> = HashMap::new();
    let mut out = Vec::with_capacity(events.len());
    let mut open: Option<(CowStr<'a>, Vec<Event<'a>>)> = None;
    for event in events {
        match (event, &mut open) {
            (Event::Start(Tag::FootnoteDefinition(label)), None) => {
                open = Some((label, Vec::new()))
            }
            (Event::End(TagEnd::FootnoteDefinition), Some(_)) => {
                let (label, body) = open.take().expect("a definition is open");
                bodies.entry(label).or_insert(body);
            }
            (event, Some((_, body))) => body.push(event),
            (event, None) => out.push(event),
        }
    }
    let mut notes: Vec<Note<'a>> = Vec::new();
    let mut by_label: HashMap<CowStr<'a>, usize> = HashMap::new();
    for event in &mut out {
        let Event::FootnoteReference(label) = event else {
            continue;
        };
        let Some(body) = bodies.get_mut(label) else {
            *event = Event::Text(format!("[^{label}]").into());
            continue;
        };
        let at = *by_label.entry(label.clone()).or_insert_with(|| {
            let number = ids.next_footnote();
            notes.push(Note {
                number,
                id: ids.claim(&format!("fn-{number}")),
                marks: Vec::new(),
                body: std::mem::take(body),
            });
            notes.len() - 1
        });
        let note = &mut notes[at];
        let mark = ids.claim(&format!("fnref-{}", note.number));
        *event = Event::Html(mark_html(note, &mark).into());
        note.marks.push(mark);
    }
    for (label, range) in defined {
        if !by_label.contains_key(label.as_str()) {
            problems.push(Problem {
                range: range.clone(),
                error: false,
                message: format!("footnote `[^{label}]` is defined but never referenced"),
                hint: format!("refer to it with `[^{label}]` where it applies, or delete it"),
            });
        }
    }
    problems.sort_by_key(|p| p.range.start);
    if !notes.is_empty() {
        append_notes(notes, &mut out);
    }
    out
}

/// The mark of `note` with id `mark`: a bracketed number, unlike a
/// citation's bare one.
fn mark_html(note: &Note<'_>, mark: &str) -> String {
    let (n, id, mark) = (note.number, escape_html(&note.id), escape_html(mark));
    format!(
        "<sup class=\"footnote-ref\"><a id=\"{mark}\" href=\"#{id}\" role=\"doc-noteref\" \
         aria-label=\"Footnote {n}\">[{n}]</a></sup>"
    )
}

/// The list of notes, each ending with its back-links.
fn append_notes<'a>(notes: Vec<Note<'a>>, out: &mut Vec<Event<'a>>) {
    // Numbers continue from the body into the rationale.
    let start = match notes[0].number {
        1 => String::new(),
        n => format!(" start=\"{n}\""),
    };
    out.push(Event::Html(
        format!(
            "<section class=\"footnotes\" role=\"doc-endnotes\" aria-label=\"Footnotes\">\n\
             <ol{start}>\n"
        )
        .into(),
    ));
    for note in notes {
        out.push(Event::Html(
            format!("<li id=\"{}\">\n", escape_html(&note.id)).into(),
        ));
        let mut backs = String::new();
        for (i, mark) in note.marks.iter().enumerate() {
            let (n, mark) = (note.number, escape_html(mark));
            let label = match i {
                0 => format!("Back to the text of footnote {n}"),
                i => format!("Back to reference {} of footnote {n}", i + 1),
            };
            let _ = write!(
                backs,
                " <a class=\"footnote-back\" href=\"#{mark}\" role=\"doc-backlink\" \
                 aria-label=\"{label}\">↩</a>"
            );
        }
        // The back-links go inside the note's last paragraph, as Pandoc's do.
        let mut body = note.body;
        match body
            .iter()
            .rposition(|e| matches!(e, Event::End(TagEnd::Paragraph)))
        {
            Some(at) if at + 1 == body.len() => body.insert(at, Event::Html(backs.into())),
            _ => body.push(Event::Html(format!("<p>{backs}</p>\n").into())),
        }
        out.extend(body);
        out.push(Event::Html("</li>\n".into()));
    }
    out.push(Event::Html("</ol>\n</section>\n".into()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(at: usize) -> Problem {
        Problem {
            range: at..at + 1,
            error: false,
            message: String::new(),
            hint: String::new(),
        }
    }

    #[test]
    fn without_footnotes_the_events_stay_and_the_problems_are_put_in_order() {
        let events = vec![
            Event::Start(Tag::Paragraph),
            Event::Text("a [^x] b".into()),
            Event::End(TagEnd::Paragraph),
        ];
        let mut problems = vec![problem(9), problem(2)];
        let out = gather(
            events.clone(),
            &HashMap::new(),
            &mut IdSet::default(),
            &mut problems,
        );
        assert_eq!(out, events);
        let starts: Vec<_> = problems.iter().map(|p| p.range.start).collect();
        assert_eq!(starts, [2, 9]);
        // A mark with no definition is still written as text.
        let marked = vec![Event::FootnoteReference("x".into())];
        let out = gather(
            marked,
            &HashMap::new(),
            &mut IdSet::default(),
            &mut problems,
        );
        assert_eq!(out, [Event::Text("[^x]".into())]);
    }
}
