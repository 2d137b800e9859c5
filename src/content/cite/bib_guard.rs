//! Reading a `.bib` file without trusting it: the `biblatex` crate resolves
//! `@string` abbreviations and `crossref`/`xdata` links by recursion, so a
//! self-reference or a loop overflows the stack (the process aborts) and a
//! chain of doublings takes exponential time and memory. Every such shape is
//! found here on the raw entries first and reported at its place, before the
//! crate resolves anything; only a file that passes is handed to it.
//!
//! The same pass reports what the crate would report badly: a key defined
//! twice in one file (both places), and an entry whose closing brace is
//! missing (at that entry's own line, not where the parser gave up).

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use biblatex::{Bibliography, Pair, RawBibliography, RawChunk, Spanned};

/// How deep `@string`s and `crossref`/`xdata` links may nest. Biber has no
/// fixed limit; real libraries nest two or three levels, and this keeps the
/// crate's recursion far from the stack's end.
pub const MAX_DEPTH: usize = 32;

/// How many bytes all fields may hold once `@string`s are expanded (a file of
/// doubling `@string`s would otherwise fill the memory).
const MAX_EXPANDED: usize = 16 << 20;

/// How many entry copies resolving `crossref`/`xdata` may make in one file
/// (the crate copies a parent once per path to it, so diamonds multiply).
const MAX_RESOLUTIONS: usize = 100_000;

/// A problem at a byte range of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub at: Range<usize>,
    pub message: String,
    pub hint: String,
}

impl Problem {
    fn new(at: Range<usize>, message: impl Into<String>, hint: impl Into<String>) -> Problem {
        Problem {
            at,
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// The file's raw entries (with spans) and its resolved bibliography.
pub struct Parsed<'s> {
    pub raw: RawBibliography<'s>,
    pub bibliography: Bibliography,
}

/// Parses and resolves a `.bib` file, or says every reason it cannot.
pub fn parse<'s>(path: &Path, text: &'s str) -> Result<Parsed<'s>, Vec<Problem>> {
    let raw = RawBibliography::parse(text).map_err(|e| vec![syntax_problem(text, e)])?;
    let mut problems = duplicate_keys(path, text, &raw);
    problems.extend(string_problems(&raw));
    if !problems.is_empty() {
        return Err(problems);
    }
    problems.extend(link_problems(&raw)?);
    if !problems.is_empty() {
        return Err(problems);
    }
    let bibliography = Bibliography::from_raw(raw.clone()).map_err(|e| vec![crate_problem(e)])?;
    Ok(Parsed { raw, bibliography })
}

/// `path:line:column` of a byte range.
pub fn place_of(path: &Path, text: &str, at: Range<usize>) -> String {
    let pos = crate::diagnostic::locate(text, at);
    format!("{}:{}:{}", path.display(), pos.line, pos.column)
}

const SHAPE: &str = "each entry is `@type{key, field = {value}, …}`";

fn crate_problem(e: biblatex::ParseError) -> Problem {
    Problem::new(
        e.span,
        format!("this BibTeX file does not parse: {}", e.kind),
        SHAPE,
    )
}

// ---------------------------------------------------- hidden characters

/// Whether a character would reach the HTML unseen: a control character
/// (NUL, BEL, …; tabs and line breaks aside) or a bidi embedding, override
/// or isolate, which can reorder the text around it.
pub fn is_hidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with each hidden character blanked (spaces of its byte length,
/// so every offset still points into the file as written), and the place
/// of the first one and how many there were.
pub fn blank_hidden(text: &str) -> (Cow<'_, str>, Option<(Range<usize>, usize)>) {
    let Some(first) = text.find(is_hidden) else {
        return (Cow::Borrowed(text), None);
    };
    let first_len = text[first..].chars().next().map_or(1, char::len_utf8);
    let mut count = 0;
    let blanked: String = text
        .chars()
        .flat_map(|c| {
            let n = if is_hidden(c) { c.len_utf8() } else { 0 };
            count += usize::from(n > 0);
            let keep = (n == 0).then_some(c);
            keep.into_iter().chain(std::iter::repeat_n(' ', n))
        })
        .collect();
    (Cow::Owned(blanked), Some((first..first + first_len, count)))
}

/// Removes hidden characters from a string; how many there were.
pub fn strip_hidden(s: &mut String) -> usize {
    let before = s.chars().count();
    s.retain(|c| !is_hidden(c));
    before - s.chars().count()
}

// ------------------------------------------------------------ syntax

/// Where each entry starts: every line whose first non-blank is `@`.
fn entry_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut line = 0;
    for piece in text.split_inclusive('\n') {
        let indent = piece.len() - piece.trim_start_matches([' ', '\t']).len();
        if piece[indent..].starts_with('@') {
            starts.push(line + indent);
        }
        line += piece.len();
    }
    starts
}

/// Re-reads the file one entry at a time to find the entry at fault: one
/// that runs to the next entry without its `}` is reported at its own head.
fn syntax_problem(text: &str, error: biblatex::ParseError) -> Problem {
    let starts = entry_starts(text);
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        let chunk = &text[start..end];
        let Err(e) = RawBibliography::parse(chunk) else {
            continue;
        };
        if e.span.start >= chunk.trim_end().len() {
            let head = chunk.find('\n').unwrap_or(chunk.len());
            let head = chunk[..head].trim_end().len();
            return Problem::new(
                start..start + head,
                "this entry has no closing `}`",
                "close it with `}` after its last field; an unclosed `{` in a field value has the same effect",
            );
        }
        let at = start + e.span.start..start + e.span.end;
        return Problem::new(
            at,
            format!("this BibTeX file does not parse: {}", e.kind),
            SHAPE,
        );
    }
    crate_problem(error)
}

fn duplicate_keys(path: &Path, text: &str, raw: &RawBibliography<'_>) -> Vec<Problem> {
    let mut first: HashMap<&str, Range<usize>> = HashMap::new();
    let mut problems = Vec::new();
    for entry in &raw.entries {
        let key = &entry.v.key;
        match first.get(key.v) {
            Some(at) => problems.push(Problem::new(
                key.span.clone(),
                format!("source `{}` is defined twice", key.v),
                format!(
                    "it is also defined at {}; keep one definition or change one key",
                    place_of(path, text, at.clone())
                ),
            )),
            None => {
                first.insert(key.v, key.span.clone());
            }
        }
    }
    problems
}

// ----------------------------------------------------------- @string

struct Strings<'a, 's> {
    /// As the crate looks them up: by exact name, the last definition wins.
    defs: HashMap<&'s str, &'a Pair<'s>>,
    /// Expanded length and nesting depth of each string done.
    done: HashMap<&'s str, (usize, usize)>,
    /// The strings being expanded, outermost first.
    path: Vec<&'s str>,
}

impl<'a, 's> Strings<'a, 's> {
    /// The expanded length and nesting depth of a field's value.
    fn field(&mut self, field: &[Spanned<RawChunk<'s>>]) -> Result<(usize, usize), Problem> {
        let (mut len, mut depth) = (0usize, 0usize);
        for chunk in field {
            match chunk.v {
                RawChunk::Normal(s) => len = len.saturating_add(s.len()),
                RawChunk::Abbreviation(name) => {
                    let (l, d) = self.string(name)?;
                    len = len.saturating_add(l);
                    depth = depth.max(d);
                }
            }
        }
        Ok((len, depth))
    }

    /// The expanded length and depth of one `@string` (an unknown name is
    /// the crate's to report, or a month).
    fn string(&mut self, name: &'s str) -> Result<(usize, usize), Problem> {
        let Some(pair) = self.defs.get(name).copied() else {
            return Ok((9, 0));
        };
        if let Some(&done) = self.done.get(name) {
            return Ok(done);
        }
        if let Some(from) = self.path.iter().position(|n| *n == name) {
            return Err(self.cycle(from));
        }
        if self.path.len() >= MAX_DEPTH {
            let outer = self.defs[self.path[0]];
            return Err(Problem::new(
                outer.key.span.clone(),
                format!(
                    "`@string` `{}` nests other `@string`s more than {MAX_DEPTH} deep",
                    outer.key.v
                ),
                "define it with fewer steps",
            ));
        }
        self.path.push(name);
        let (len, depth) = self.field(&pair.value.v)?;
        self.path.pop();
        if depth + 1 > MAX_DEPTH {
            return Err(Problem::new(
                pair.key.span.clone(),
                format!("`@string` `{name}` nests other `@string`s more than {MAX_DEPTH} deep"),
                "define it with fewer steps",
            ));
        }
        self.done.insert(name, (len, depth + 1));
        Ok((len, depth + 1))
    }

    /// The loop from `path[from]` back to it, reported at its first name.
    fn cycle(&self, from: usize) -> Problem {
        let first = self.defs[self.path[from]];
        if from == self.path.len() - 1 {
            return Problem::new(
                first.key.span.clone(),
                format!("`@string` `{}` is defined by itself", first.key.v),
                "an `@string` cannot use its own name; write its text",
            );
        }
        let mut names: Vec<String> = self.path[from..].iter().map(|n| format!("`{n}`")).collect();
        names.push(format!("`{}`", first.key.v));
        Problem::new(
            first.key.span.clone(),
            format!("`@string` loop: {}", names.join(" → ")),
            "each `@string` here is defined by the next; write one of them as text",
        )
    }
}

/// `@string` loops, chains nested deeper than [`MAX_DEPTH`], and
/// expansions larger than [`MAX_EXPANDED`].
fn string_problems(raw: &RawBibliography<'_>) -> Vec<Problem> {
    let mut strings = Strings {
        defs: raw.abbreviations.iter().map(|p| (p.key.v, p)).collect(),
        done: HashMap::new(),
        path: Vec::new(),
    };
    for pair in &raw.abbreviations {
        if let Err(problem) = strings.string(pair.key.v) {
            return vec![problem];
        }
    }
    let mut total = 0usize;
    for entry in &raw.entries {
        for pair in &entry.v.fields {
            let (len, _) = match strings.field(&pair.value.v) {
                Ok(expanded) => expanded,
                Err(problem) => return vec![problem],
            };
            total = total.saturating_add(len);
            if total > MAX_EXPANDED {
                return vec![Problem::new(
                    pair.value.span.clone(),
                    format!(
                        "the `@string`s used up to here expand to more than {} MB",
                        MAX_EXPANDED >> 20
                    ),
                    "an `@string` that repeats others (`@string{b = a # a}`) doubles at each step; define the text once",
                )];
            }
        }
    }
    Vec::new()
}

// ---------------------------------------------------- crossref, xdata

const LINK_FIELDS: [(&str, &str); 2] = [
    ("crossref", "x-briefs-crossref"),
    ("xdata", "x-briefs-xdata"),
];

/// One entry's links to the entries it inherits from, as the crate reads
/// them, with the span of the field that names each.
struct Links {
    parents: Vec<(String, &'static str, Range<usize>)>,
}

/// Reads every entry's `crossref`/`xdata` as the crate will (the fields are
/// renamed so it parses them without following them), then looks for loops,
/// chains deeper than [`MAX_DEPTH`] and more than [`MAX_RESOLUTIONS`] copies.
fn link_problems(raw: &RawBibliography<'_>) -> Result<Vec<Problem>, Vec<Problem>> {
    let mut renamed = raw.clone();
    let mut spans: HashMap<(String, &'static str), Range<usize>> = HashMap::new();
    for entry in &mut renamed.entries {
        for pair in &mut entry.v.fields {
            let lower = pair.key.v.to_ascii_lowercase();
            if let Some(&(field, alias)) = LINK_FIELDS.iter().find(|(f, _)| *f == lower) {
                spans.insert((entry.v.key.v.to_string(), field), pair.value.span.clone());
                pair.key.v = alias;
            }
        }
    }
    let bib = Bibliography::from_raw(renamed).map_err(|e| vec![crate_problem(e)])?;
    let mut graph: HashMap<String, Links> = HashMap::new();
    for entry in bib.iter() {
        let mut parents = Vec::new();
        let span = |field| {
            spans
                .get(&(entry.key.clone(), field))
                .cloned()
                .unwrap_or(0..0)
        };
        if let Ok(parent) = entry.get_as::<String>(LINK_FIELDS[0].1) {
            parents.push((parent, "crossref", span("crossref")));
        }
        if let Ok(keys) = entry.get_as::<Vec<String>>(LINK_FIELDS[1].1) {
            parents.extend(keys.into_iter().map(|k| (k, "xdata", span("xdata"))));
        }
        parents.retain(|(k, _, _)| bib.get(k).is_some());
        let parents = parents
            .into_iter()
            .map(|(k, f, s)| (bib.get(&k).map_or(k, |e| e.key.clone()), f, s))
            .collect();
        graph.insert(entry.key.clone(), Links { parents });
    }
    let order: Vec<String> = raw.entries.iter().map(|e| e.v.key.v.to_string()).collect();
    Ok(walk_links(&graph, &order))
}

#[derive(Clone, Copy)]
enum Visit {
    Open,
    Done { copies: usize, depth: usize },
}

struct Walk<'g> {
    graph: &'g HashMap<String, Links>,
    state: HashMap<&'g str, Visit>,
    /// The entries being followed, with the field each was reached by.
    path: Vec<(&'g str, &'static str, Range<usize>)>,
}

impl<'g> Walk<'g> {
    /// Copies the crate makes resolving `key`, and how deep it nests.
    fn visit(&mut self, key: &'g str) -> Result<(usize, usize), Problem> {
        match self.state.get(key) {
            Some(Visit::Done { copies, depth }) => return Ok((*copies, *depth)),
            Some(Visit::Open) => return Err(self.cycle(key)),
            None => {}
        }
        self.state.insert(key, Visit::Open);
        let (mut copies, mut depth) = (0usize, 0usize);
        let links = &self.graph[key];
        for (parent, field, at) in &links.parents {
            if self.path.len() >= MAX_DEPTH {
                return Err(too_deep(key, field, at.clone()));
            }
            self.path.push((key, field, at.clone()));
            let (c, d) = self.visit(parent)?;
            self.path.pop();
            copies = copies.saturating_add(c).saturating_add(1);
            depth = depth.max(d + 1);
            if depth > MAX_DEPTH {
                return Err(too_deep(key, field, at.clone()));
            }
        }
        self.state.insert(key, Visit::Done { copies, depth });
        Ok((copies, depth))
    }

    /// The loop that closes at `key`, reported at the field that closes it.
    fn cycle(&self, key: &str) -> Problem {
        let from = self
            .path
            .iter()
            .rposition(|(k, _, _)| *k == key)
            .unwrap_or(0);
        let (_, field, at) = self.path.last().cloned().expect("a loop has a step");
        if self.path.len() - from == 1 {
            return Problem::new(
                at,
                format!("entry `{key}` names itself in `{field}`"),
                format!(
                    "`{field}` names the entry to inherit fields from, another entry than this one"
                ),
            );
        }
        let mut steps: Vec<String> = self.path[from..]
            .iter()
            .map(|(k, f, _)| format!("`{k}` ({f}) →"))
            .collect();
        steps.push(format!("`{key}`"));
        Problem::new(
            at,
            format!("`crossref`/`xdata` loop: {}", steps.join(" ")),
            "an entry cannot inherit from an entry that inherits from it; remove one of these links",
        )
    }
}

fn too_deep(key: &str, field: &str, at: Range<usize>) -> Problem {
    Problem::new(
        at,
        format!("entry `{key}` inherits through `{field}` more than {MAX_DEPTH} levels deep"),
        "point `crossref`/`xdata` at the entry that holds the fields",
    )
}

fn walk_links(graph: &HashMap<String, Links>, order: &[String]) -> Vec<Problem> {
    let mut walk = Walk {
        graph,
        state: HashMap::new(),
        path: Vec::new(),
    };
    let mut total = 0usize;
    for key in order {
        let Some((key, _)) = graph.get_key_value(key) else {
            continue;
        };
        match walk.visit(key) {
            Ok((copies, _)) => total = total.saturating_add(copies),
            Err(problem) => return vec![problem],
        }
        if total > MAX_RESOLUTIONS {
            let at = graph[key].parents.first().map_or(0..0, |p| p.2.clone());
            return vec![Problem::new(
                at,
                format!(
                    "`crossref`/`xdata` links up to entry `{key}` copy entries more than {MAX_RESOLUTIONS} times"
                ),
                "each `xdata` key is copied once per path to it; point entries at fewer, shared parents",
            )];
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The problems of a file, as `line:column message`.
    fn problems(text: &str) -> Vec<String> {
        match parse(Path::new("refs.bib"), text) {
            Ok(_) => Vec::new(),
            Err(problems) => problems
                .into_iter()
                .map(|p| {
                    let place = place_of(Path::new("refs.bib"), text, p.at);
                    format!("{place} {}", p.message)
                })
                .collect(),
        }
    }

    #[test]
    fn hidden_characters_are_blanked_in_place() {
        let (text, found) = blank_hidden("a\u{0}b\u{7}c\u{202E}d\te");
        assert_eq!(text, "a b c   d\te");
        assert_eq!(found, Some((1..2, 3)));
        assert_eq!(blank_hidden("plain\n").1, None);
        let mut s = String::from("x\u{2066}y\u{1b}z");
        assert_eq!(strip_hidden(&mut s), 2);
        assert_eq!(s, "xyz");
    }

    #[test]
    fn self_crossref_is_located_at_its_field() {
        let text = "@book{a,\n  title = {A},\n  crossref = {a},\n}\n";
        assert_eq!(
            problems(text),
            ["refs.bib:3:14 entry `a` names itself in `crossref`"]
        );
    }

    #[test]
    fn crossref_and_xdata_loops_name_every_step() {
        let text = "@book{a, title = {A}, crossref = {b}}\n@xdata{b, xdata = {c}}\n@xdata{c, xdata = {a}}\n";
        assert_eq!(
            problems(text),
            [
                "refs.bib:3:19 `crossref`/`xdata` loop: `a` (crossref) → `b` (xdata) → `c` (xdata) → `a`"
            ]
        );
    }

    #[test]
    fn string_loops_are_located_at_their_definition() {
        assert_eq!(
            problems("@string{a = a}\n@book{x, title = a}\n"),
            ["refs.bib:1:9 `@string` `a` is defined by itself"]
        );
        assert_eq!(
            problems("@string{a = b}\n@string{b = \"x\" # a}\n"),
            ["refs.bib:1:9 `@string` loop: `a` → `b` → `a`"]
        );
    }

    #[test]
    fn doubling_strings_stop_before_they_fill_the_memory() {
        let mut text = String::from("@string{s0 = \"0123456789abcdef\"}\n");
        for i in 1..30 {
            text.push_str(&format!("@string{{s{i} = s{p} # s{p}}}\n", p = i - 1));
        }
        text.push_str("@book{x, title = s29}\n");
        assert_eq!(
            problems(&text),
            ["refs.bib:31:18 the `@string`s used up to here expand to more than 16 MB"]
        );
    }

    #[test]
    fn long_chains_stop_at_the_depth_limit() {
        let mut text = String::new();
        for i in 0..200 {
            text.push_str(&format!(
                "@book{{e{i}, title = {{T}}, crossref = {{e{}}}}}\n",
                i + 1
            ));
        }
        let found = problems(&text);
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("more than 32 levels deep"), "{found:?}");
        let mut text = String::from("@string{s0 = \"x\"}\n");
        for i in 1..200 {
            text.push_str(&format!("@string{{s{i} = s{}}}\n", i - 1));
        }
        let found = problems(&text);
        assert!(found[0].contains("more than 32 deep"), "{found:?}");
    }

    #[test]
    fn xdata_diamonds_stop_before_they_take_forever() {
        let mut text = String::from("@xdata{d0, note = {n}}\n");
        for i in 1..30 {
            text.push_str(&format!(
                "@xdata{{d{i}, xdata = {{d{p}, d{p}, d{p}}}}}\n",
                p = i - 1
            ));
        }
        let found = problems(&text);
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("more than 100000 times"), "{found:?}");
    }

    #[test]
    fn an_unclosed_entry_is_reported_at_its_own_line() {
        let text = "@book{a,\n  title = {A},\n\n@book{b,\n  title = {B},\n}\n";
        assert_eq!(
            problems(text),
            ["refs.bib:1:1 this entry has no closing `}`"]
        );
        let text = "@book{a,\n  title = {A},\n}\n\n@book{b,\n  title = {B,\n}\n";
        assert_eq!(
            problems(text),
            ["refs.bib:5:1 this entry has no closing `}`"]
        );
    }

    #[test]
    fn a_key_twice_in_one_file_names_both_places() {
        let text = "@book{a, title = {A}}\n@book{a, title = {B}}\n";
        let Err(found) = parse(Path::new("refs.bib"), text) else {
            panic!("parsed");
        };
        assert_eq!(found[0].message, "source `a` is defined twice");
        assert!(
            found[0]
                .hint
                .starts_with("it is also defined at refs.bib:1:7;")
        );
    }

    #[test]
    fn good_links_and_strings_resolve_as_the_crate_does() {
        let text = "@string{pub = \"Press\"}\n@book{a, title = {A}, crossref = {b}}\n@book{b, publisher = pub, date = {2020}}\n";
        let parsed = parse(Path::new("refs.bib"), text).unwrap();
        let a = parsed.bibliography.get("a").unwrap();
        assert!(a.get("publisher").is_some());
        assert!(a.get("x-briefs-crossref").is_none());
    }
}
