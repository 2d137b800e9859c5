//! Plain-language readings of the YAML mistakes analysts make first.
//!
//! serde-saphyr says where the YAML parser gave up, in the parser's words
//! ("mapping values are not allowed in this context"). An analyst needs to
//! hear what they wrote wrong and how to write it instead. This module reads
//! the source lines around that place and recognises the usual mistakes:
//! - a tab in the indentation ([`syntax`]);
//! - `: ` inside a value, plain or in `{ … }`, which must be quoted;
//! - a key indented deeper than the key above it;
//! - a `[` or `{` that is never closed;
//! - a required field missing, or there but indented differently from its
//!   siblings ([`missing_field`]);
//! - one value where a mapping or a list belongs, as `score: 7.5`
//!   ([`wrong_shape`]), or a list written without brackets ([`bare_list`]);
//! - a ` #` that turns the rest of a title into a comment
//!   ([`truncating_comments`], a warning: the YAML is valid).
//!
//! It knows nothing of serde-saphyr: it reads text, and every range it
//! returns is a byte range in the YAML, placed in the file by `front_matter`.

use std::ops::Range;

/// What a YAML document is, for messages about it as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Document {
    /// How a message names it: "this brief", "site.yaml".
    pub name: &'static str,
    /// Where its top-level fields go: "the front matter", "site.yaml".
    pub place: &'static str,
    /// What it needs at least, as a hint when it is empty.
    pub needs: &'static str,
}

impl Document {
    pub const BRIEF: Self = Self {
        name: "this brief",
        place: "the front matter",
        needs: "a brief needs at least `title`, `date`, `summary`, `score` and sources",
    };
    pub const PAGE: Self = Self {
        name: "this page",
        place: "the front matter",
        needs: "a page needs at least `title`",
    };
    pub const SITE: Self = Self {
        name: "site.yaml",
        place: "site.yaml",
        needs: "a site needs at least `title` and `base_url`, e.g. `title: Briefs` and `base_url: https://example.org/`",
    };
    /// Any other YAML file.
    pub const ANY: Self = Self {
        name: "this file",
        place: "this file",
        needs: "write the YAML this file needs",
    };
}

/// A mistake recognised: where it is (bytes of the YAML), what it is, and
/// what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    pub at: Range<usize>,
    pub message: String,
    pub hint: String,
}

impl Reading {
    fn new(at: Range<usize>, message: String, hint: String) -> Self {
        Self { at, message, hint }
    }
}

/// One line of the YAML: where it starts and its text, without line ending.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    start: usize,
    text: &'a str,
}

impl Line<'_> {
    /// Blank lines and comment lines carry no YAML structure.
    fn significant(&self) -> bool {
        let t = self.text.trim();
        !t.is_empty() && !t.starts_with('#')
    }

    fn indent(&self) -> usize {
        self.text.len() - self.text.trim_start_matches(' ').len()
    }
}

fn lines(yaml: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for raw in yaml.split_inclusive('\n') {
        let text = raw.trim_end_matches('\n').trim_end_matches('\r');
        out.push(Line { start, text });
        start += raw.len();
    }
    if out.is_empty() || yaml.ends_with('\n') {
        out.push(Line { start, text: "" });
    }
    out
}

/// The index of the line holding byte `at`.
fn line_of(lines: &[Line<'_>], at: usize) -> usize {
    lines.partition_point(|l| l.start <= at).saturating_sub(1)
}

/// The nearest significant line before line `i`.
fn above(lines: &[Line<'_>], i: usize) -> Option<usize> {
    (0..i).rev().find(|&j| lines[j].significant())
}

/// `key: value` on one line, after its indentation and any `- ` markers.
#[derive(Debug, Clone, Copy)]
struct KeyLine<'a> {
    /// Byte column of the key.
    col: usize,
    key: &'a str,
    /// Byte column of the key's colon.
    colon: usize,
    /// Byte column of the value (the line's end when there is none).
    value_col: usize,
    /// The value to the line's end, comment included, trimmed.
    value: &'a str,
    /// The line starts a sequence item.
    dash: bool,
}

fn key_line(text: &str) -> Option<KeyLine<'_>> {
    let mut col = text.len() - text.trim_start_matches(' ').len();
    let mut dash = false;
    while text[col..].starts_with("- ") {
        let rest = &text[col + 1..];
        col += 1 + rest.len() - rest.trim_start_matches(' ').len();
        dash = true;
    }
    let rest = &text[col..];
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    let after = rest[end..].strip_prefix(':')?;
    if end == 0 || !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    let value_col = col + end + 1 + after.len() - after.trim_start().len();
    Some(KeyLine {
        col,
        key: &rest[..end],
        colon: col + end,
        value_col,
        value: text[value_col..].trim_end(),
        dash,
    })
}

/// A plain scalar: not quoted, not a flow collection, block scalar, alias,
/// anchor or tag.
fn is_plain(value: &str) -> bool {
    !value.is_empty()
        && !value.starts_with([
            '"', '\'', '[', '{', '|', '>', '&', '*', '!', '#', '%', '@', '`',
        ])
}

/// `value` as a YAML quoted scalar.
fn quoted(value: &str) -> String {
    if value.contains(['"', '\\']) {
        format!("'{}'", value.replace('\'', "''"))
    } else {
        format!("\"{value}\"")
    }
}

/// Reads "the YAML ends too early" when the document holds nothing at all.
pub fn empty(yaml: &str, doc: &Document) -> Option<Reading> {
    if lines(yaml).iter().any(Line::significant) {
        return None;
    }
    Some(Reading::new(
        0..0,
        format!("{} is empty", doc.place),
        doc.needs.to_string(),
    ))
}

/// Reads a syntax error the parser reported at byte `at` of the YAML.
pub fn syntax(yaml: &str, at: usize) -> Option<Reading> {
    let lines = lines(yaml);
    let i = line_of(&lines, at);
    tab_indent(&lines, i)
        .or_else(|| colon_in_flow(lines[i], at))
        .or_else(|| colon_in_value(lines[i], at))
        .or_else(|| deeper_key(&lines, i, at))
        .or_else(|| unclosed_flow(&lines, i))
}

/// A tab in a line's indentation. The parser trips on it at the end of the
/// line before, so the line after the error is looked at too.
fn tab_indent(lines: &[Line<'_>], i: usize) -> Option<Reading> {
    lines.iter().take(i + 2).find_map(|l| {
        let lead = l.text.len() - l.text.trim_start_matches([' ', '\t']).len();
        if lead == l.text.len() {
            return None;
        }
        let at = l.start + l.text[..lead].find('\t')?;
        Some(Reading::new(
            at..at + 1,
            "this line is indented with a tab: YAML indents with spaces".into(),
            "replace the tab with spaces, lined up with the lines around it".into(),
        ))
    })
}

/// `{ name: Impact, note: Adds an option: outside }`: the second `: ` in an
/// entry of a flow mapping.
fn colon_in_flow(line: Line<'_>, at: usize) -> Option<Reading> {
    let col = at.checked_sub(line.start)?;
    if line.text.as_bytes().get(col) != Some(&b':') {
        return None;
    }
    let before = &line.text[..col];
    before.rfind('{')?;
    let start = before.rfind([',', '{'])? + 1;
    let end = line.text[col..]
        .find([',', '}'])
        .map_or(line.text.len(), |e| col + e);
    let entry = &line.text[start..end];
    let key_end = entry.find(": ")?;
    let key = entry[..key_end].trim();
    let value = entry[key_end + 2..].trim();
    if start + key_end >= col || key.is_empty() || !is_plain(value) {
        return None;
    }
    let value_start = line.start + start + entry.find(value)?;
    Some(colon_reading(
        value_start..value_start + value.len(),
        key,
        value,
    ))
}

/// `title: Amazon: exploring Trainium`: a `: ` in a plain value.
fn colon_in_value(line: Line<'_>, at: usize) -> Option<Reading> {
    let k = key_line(line.text)?;
    let col = at.checked_sub(line.start)?;
    if col <= k.colon || line.text.as_bytes().get(col) != Some(&b':') || !is_plain(k.value) {
        return None;
    }
    let start = line.start + k.value_col;
    Some(colon_reading(start..start + k.value.len(), k.key, k.value))
}

fn colon_reading(at: Range<usize>, key: &str, value: &str) -> Reading {
    Reading::new(
        at,
        format!("`{key}` contains `: `, so it must be quoted"),
        format!("write it in quotes: `{key}: {}`", quoted(value)),
    )
}

/// A key indented deeper than the key above it, whose value is on its own
/// line: YAML reads the deeper line as more of that value.
fn deeper_key(lines: &[Line<'_>], i: usize, at: usize) -> Option<Reading> {
    let line = lines[i];
    let k = key_line(line.text)?;
    if at.checked_sub(line.start)? > k.colon {
        return None;
    }
    let p = key_line(lines[above(lines, i)?].text)?;
    let parent = p.value.is_empty() || p.value.starts_with(['#', '|', '>', '&', '!']);
    if k.col <= p.col || parent {
        return None;
    }
    let fix = match p.col {
        0 => format!("start `{}:` at the beginning of the line", k.key),
        n => format!("indent `{}:` by {n} spaces", k.key),
    };
    Some(Reading::new(
        line.start + k.col..line.start + k.colon,
        format!(
            "`{}` is indented more than `{}` on the line above",
            k.key, p.key
        ),
        format!(
            "{fix}, like `{}:`; YAML reads a deeper line as more of the value above it",
            p.key
        ),
    ))
}

/// A `[` or `{` opened on a line before the error and never closed.
fn unclosed_flow(lines: &[Line<'_>], i: usize) -> Option<Reading> {
    // (line index, byte column, bracket) of each open bracket.
    let mut open: Vec<(usize, usize, u8)> = Vec::new();
    for (j, line) in lines.iter().enumerate().take(i) {
        let from = if open.is_empty() {
            match flow_start(line.text) {
                Some(col) => col,
                None => continue,
            }
        } else {
            0
        };
        scan_flow(line.text, from, j, &mut open);
    }
    let &(j, col, bracket) = open.first()?;
    let (kind, close) = if bracket == b'[' {
        ("list", "]")
    } else {
        ("mapping", "}")
    };
    let closed_on_its_line = open.iter().all(|&(l, _, _)| l == j);
    let hint = if closed_on_its_line {
        let closers: String = open
            .iter()
            .rev()
            .map(|&(_, _, b)| if b == b'[' { ']' } else { '}' })
            .collect();
        let fixed = format!("{}{closers}", lines[j].text.trim());
        format!("end the {kind} with `{close}`: `{fixed}`")
    } else {
        format!("end the {kind} with `{close}`")
    };
    let at = lines[j].start + col;
    Some(Reading::new(
        at..at + 1,
        format!("this `{}` is never closed", bracket as char),
        hint,
    ))
}

/// The column where a flow collection starts on a block line, if one does.
fn flow_start(text: &str) -> Option<usize> {
    let col = match key_line(text) {
        Some(k) => k.value_col,
        None => {
            let t = text.trim_start_matches(' ');
            let t2 = t.strip_prefix("- ")?;
            text.len() - t2.trim_start().len()
        }
    };
    text[col..].starts_with(['[', '{']).then_some(col)
}

/// Follows brackets and quotes in a flow collection from byte `from`.
fn scan_flow(text: &str, from: usize, line: usize, open: &mut Vec<(usize, usize, u8)>) {
    let bytes = text.as_bytes();
    let mut quote = None;
    let mut k = from;
    while k < bytes.len() {
        let b = bytes[k];
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'#') if k == 0 || bytes[k - 1] == b' ' => break,
            (None, b'[' | b'{') => open.push((line, k, b)),
            (None, b']' | b'}') => {
                open.pop();
                if open.is_empty() {
                    return;
                }
            }
            _ => {}
        }
        k += 1;
    }
}

/// Where the mapping around a key line starts and what holds it.
struct Mapping {
    /// The mapping's first line.
    first: usize,
    /// Column of its keys.
    col: usize,
    /// The key it is the value of, or whose list item it is.
    parent: Option<String>,
    /// It is an item of a list.
    item: bool,
    /// Lines after `first` up to here may still belong to it.
    end: usize,
}

/// The mapping whose key (or flow mapping) is on line `i`.
fn mapping_at(lines: &[Line<'_>], i: usize) -> Option<Mapping> {
    let k = key_line(lines[i].text)?;
    let (col, mut first, mut item) = (k.col, i, k.dash);
    let mut parent_line = None;
    if !item {
        for j in (0..i).rev().filter(|&j| lines[j].significant()) {
            match key_line(lines[j].text) {
                Some(s) if s.col == col => {
                    first = j;
                    if s.dash {
                        item = true;
                        break;
                    }
                }
                _ if lines[j].indent() < col => {
                    parent_line = Some(j);
                    break;
                }
                _ => {}
            }
        }
    }
    if item {
        parent_line = list_parent(lines, first);
    }
    let bound = if item {
        lines[first].indent()
    } else {
        parent_line.map_or(0, |p| lines[p].indent())
    };
    let end = (first + 1..lines.len())
        .find(|&j| lines[j].significant() && lines[j].indent() <= bound)
        .unwrap_or(lines.len());
    let parent = parent_line.and_then(|p| key_line(lines[p].text).map(|k| k.key.to_string()));
    Some(Mapping {
        first,
        col,
        parent,
        item,
        end,
    })
}

/// The key line holding the list whose item starts on line `first`.
fn list_parent(lines: &[Line<'_>], first: usize) -> Option<usize> {
    let dash = lines[first].indent();
    (0..first).rev().find(|&j| {
        let l = lines[j];
        l.significant()
            && l.indent() <= dash
            && key_line(l.text).is_some_and(|k| !k.dash || l.indent() < dash)
    })
}

/// How a message names a mapping: "this brief", "`score`", "this source".
fn mapping_name(m: &Mapping, doc: &Document) -> String {
    let parent = m.parent.as_deref();
    match (m.item, parent) {
        (true, Some(p)) => match p {
            "sources" => "this source".into(),
            "factors" => "this factor".into(),
            "corrections" => "this correction".into(),
            "watch" => "this watch item".into(),
            "bands" => "this band".into(),
            other => format!("this item of `{other}`"),
        },
        (true, None) => "this item".into(),
        (false, Some(p)) => format!("`{p}`"),
        (false, None) => doc.name.into(),
    }
}

/// Reads "missing required field": the error is at the mapping's last key.
/// Either the field is there, indented one space off (reported where it
/// is), or it is missing (reported at the mapping's first line).
pub fn missing_field(yaml: &str, at: usize, field: &str, doc: &Document) -> Option<Reading> {
    let lines = lines(yaml);
    let i = line_of(&lines, at);
    let m = mapping_at(&lines, i)?;
    let name = mapping_name(&m, doc);
    let like = key_line(lines[i].text).map_or(field, |k| k.key);
    if m.col > 0
        && let Some(r) = misindented(&lines, &m, field, like, &name)
    {
        return Some(r);
    }
    let first = lines[m.first];
    let k = key_line(first.text)?;
    let hint = match (&m.parent, m.item) {
        (_, true) => format!("add `{field}: …` to {name}, lined up with `{}:`", k.key),
        (Some(p), false) => format!("add `{field}: …` under `{p}:`"),
        (None, false) => format!("add `{field}: …` to {}", doc.place),
    };
    Some(Reading::new(
        first.start + k.col..first.start + k.colon,
        format!("{name} has no `{field}`"),
        hint,
    ))
}

/// `field:` one column off the mapping's keys, within the mapping's lines.
fn misindented(
    lines: &[Line<'_>],
    m: &Mapping,
    field: &str,
    like: &str,
    name: &str,
) -> Option<Reading> {
    let j = (m.first + 1..m.end).find(|&j| {
        key_line(lines[j].text).is_some_and(|k| k.key == field && k.col.abs_diff(m.col) == 1)
    })?;
    let k = key_line(lines[j].text)?;
    let start = lines[j].start;
    Some(Reading::new(
        start + k.col..start + k.colon,
        format!("`{field}` is here, but indented differently from the other keys of {name}"),
        format!("indent `{field}:` by {} spaces, like `{like}:`", m.col),
    ))
}

/// Reads "expected mapping start" or "expected sequence start" at a value:
/// one value where a mapping (`score: 7.5`) or a list belongs.
pub fn wrong_shape(yaml: &str, at: usize, mapping: bool) -> Option<Reading> {
    let lines = lines(yaml);
    let line = lines[line_of(&lines, at)];
    let k = key_line(line.text)?;
    if at < line.start + k.value_col || !is_plain(k.value) {
        return None;
    }
    let value = k.value;
    let key = k.key;
    let (message, hint) = match (mapping, key) {
        (true, "score") => {
            let number = if value.parse::<f64>().is_ok() { value } else { "…" };
            (
                "`score` is a mapping, not a single value".to_string(),
                format!(
                    "write `score: {{ value: {number}, rationale: … }}`, or `value:` and `rationale:` on their own lines under `score:`"
                ),
            )
        }
        (true, _) => (
            format!("`{key}` is a mapping, not a single value"),
            format!("write its fields on their own lines under `{key}:`, as `name: value`"),
        ),
        (false, "sources") => (
            "`sources` is a list, not a single value".to_string(),
            "write one source per line under `sources:`, as `- { id: …, publisher: …, title: …, url: … }`".to_string(),
        ),
        (false, _) => (
            format!("`{key}` is a list, not a single value"),
            format!("write `{key}: [{value}]`, or one `- item` per line under `{key}:`"),
        ),
    };
    let start = line.start + k.value_col;
    Some(Reading::new(start..start + value.len(), message, hint))
}

/// Reads a list written as one text with commas: `tags: ai-chips, cloud`.
pub fn bare_list(yaml: &str, at: usize) -> Option<Reading> {
    let lines = lines(yaml);
    let line = lines[line_of(&lines, at)];
    let k = key_line(line.text)?;
    if !is_plain(k.value) || !k.value.contains(", ") {
        return None;
    }
    let (key, value) = (k.key, k.value);
    let start = line.start + k.value_col;
    Some(Reading::new(
        start..start + value.len(),
        format!("`{key}` lists several items without brackets"),
        format!(
            "write a list: `{key}: [{value}]`; for one item that contains a comma, quote it: `{key}: [{}]`",
            quoted(value)
        ),
    ))
}

/// Text fields whose plain value a ` #` would cut short.
const TEXT_KEYS: &[&str] = &[
    "title",
    "summary",
    "publisher",
    "name",
    "note",
    "rationale",
    "item",
    "text",
    "tier",
    "authors",
    "tags",
    "entities",
];

/// Plain text values cut short by ` #x`: YAML reads `title: Amazon's #1 bet`
/// as the title `Amazon's` and a comment. Only a `#` glued to the word after
/// it is reported; `publisher: P  # required` is a comment on purpose.
pub fn truncating_comments(yaml: &str) -> Vec<Reading> {
    let mut out = Vec::new();
    // Only a ` #` can cut a value short; most front matter has none.
    let bytes = yaml.as_bytes();
    if !memchr::memchr_iter(b'#', bytes).any(|i| i > 0 && bytes[i - 1] == b' ') {
        return out;
    }
    // The column a block scalar's content is deeper than, while in one.
    let mut block: Option<usize> = None;
    for line in lines(yaml).into_iter().filter(Line::significant) {
        if block.is_some_and(|owner| line.indent() > owner) {
            continue;
        }
        block = None;
        let (key, value_col, owner) = match key_line(line.text) {
            Some(k) => (Some(k.key), k.value_col, k.col),
            None => match line.text.trim_start().strip_prefix("- ") {
                Some(item) => (None, line.text.len() - item.len(), line.indent()),
                None => continue,
            },
        };
        let value = line.text[value_col..].trim_end();
        if value.starts_with(['|', '>']) {
            block = Some(owner);
            continue;
        }
        let text_field = key.is_none_or(|k| TEXT_KEYS.contains(&k));
        if !text_field || !is_plain(value) {
            continue;
        }
        if let Some(r) = cut_by_comment(line.start + value_col, key, value) {
            out.push(r);
        }
    }
    out
}

fn cut_by_comment(start: usize, key: Option<&str>, value: &str) -> Option<Reading> {
    let hash = value
        .match_indices(" #")
        .map(|(i, _)| i + 1)
        .find(|&i| value[i + 1..].starts_with(|c: char| !c.is_whitespace()))?;
    let comment = &value[hash..];
    let (what, fixed) = match key {
        Some(k) => (format!("`{k}`"), format!("{k}: {}", quoted(value))),
        None => ("this item".to_string(), format!("- {}", quoted(value))),
    };
    Some(Reading::new(
        start + hash..start + value.len(),
        format!("{what} is cut short: YAML reads `{comment}` as a comment"),
        format!("write it in quotes to keep the `#`: `{fixed}`"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text a reading points at, its message and its hint.
    fn shown<'a>(yaml: &'a str, r: &Reading) -> (&'a str, String, String) {
        (&yaml[r.at.clone()], r.message.clone(), r.hint.clone())
    }

    #[test]
    fn syntax_table() {
        // (YAML, where the parser stopped, text pointed at, message start)
        let cases: &[(&str, &str, &str, &str)] = &[
            (
                "title: Amazon: exploring Trainium\n",
                ": exploring",
                "Amazon: exploring Trainium",
                "`title` contains `: `, so it must be quoted",
            ),
            (
                "f:\n  - { name: Impact, note: Adds an option: outside }\n",
                ": outside",
                "Adds an option: outside",
                "`note` contains `: `, so it must be quoted",
            ),
            (
                "score:\n  value: 7\n\trationale: x\n",
                "7",
                "\t",
                "this line is indented with a tab: YAML indents with spaces",
            ),
            (
                "sources:\n  - id: src\n     publisher: P\n",
                ": P",
                "publisher",
                "`publisher` is indented more than `id` on the line above",
            ),
            (
                "summary: text\n  tags: [a]\n",
                ": [a]",
                "tags",
                "`tags` is indented more than `summary` on the line above",
            ),
            (
                "tags: [ai-chips, cloud\nscore:\n  value: 7\n",
                ":\n  value",
                "[",
                "this `[` is never closed",
            ),
        ];
        for (yaml, marker, pointed, message) in cases {
            let at = yaml.find(marker).unwrap();
            let r = syntax(yaml, at).unwrap_or_else(|| panic!("no reading for {yaml:?}"));
            let (text, got, _) = shown(yaml, &r);
            assert_eq!((text, got.as_str()), (*pointed, *message), "{yaml:?}");
        }
    }

    #[test]
    fn syntax_hints_show_the_fix() {
        let yaml = "title: Amazon: exploring Trainium\n";
        let r = syntax(yaml, 13).unwrap();
        assert_eq!(
            r.hint,
            "write it in quotes: `title: \"Amazon: exploring Trainium\"`"
        );
        let yaml = "tags: [ai-chips, cloud\nscore:\n";
        let r = syntax(yaml, yaml.find("score").unwrap() + 5).unwrap();
        assert_eq!(r.hint, "end the list with `]`: `tags: [ai-chips, cloud]`");
        let yaml = "a: 1\nb: {x: [1, 2}\nc: 2\n";
        assert_eq!(
            unclosed_flow(&lines(yaml), 2).unwrap().message,
            "this `{` is never closed"
        );
    }

    #[test]
    fn unrecognised_syntax_errors_get_no_reading() {
        assert_eq!(syntax("a: 1\nb: 2\n", 5), None);
        assert_eq!(syntax("a: [1, 2]\nb: 2\n", 12), None);
    }

    /// Every reader takes any offset of any text without panicking:
    /// multibyte characters, offsets past the end, lines without keys.
    #[test]
    fn readers_take_any_offset() {
        let texts = [
            "tïtle: Amazön: ëxploring\n  - { nämé: Ïmpact, note: a: b }\n\t x: [é, {\n",
            "- - a: b\n   c:\n- é #1\n  |\n   k: v #x\n",
            "",
            "---\n: :\n-\n- - \n{\n",
        ];
        for text in texts {
            truncating_comments(text);
            for at in 0..=text.len() + 2 {
                syntax(text, at);
                missing_field(text, at, "title", &Document::BRIEF);
                wrong_shape(text, at, true);
                wrong_shape(text, at, false);
                bare_list(text, at);
            }
        }
    }

    #[test]
    fn quoting_keeps_the_text() {
        assert_eq!(quoted("a: b"), "\"a: b\"");
        assert_eq!(quoted("say \"hi\": it's"), "'say \"hi\": it''s'");
    }

    #[test]
    fn missing_field_table() {
        let brief = "title: T\ndate: 2026-05-14\nsources:\n  - id: x\n";
        let source = "sources:\n  - id: src\n    url: u\n    title: T\n   publisher: P\n";
        let score = "title: T\nscore:\n  value: 7\nsources: []\n";
        // (YAML, field, where the error is, text pointed at, message)
        let cases: &[(&str, &str, &str, &str, &str)] = &[
            (
                brief,
                "summary",
                "sources",
                "title",
                "this brief has no `summary`",
            ),
            (
                "sources:\n  - id: src\n    title: T\n",
                "publisher",
                "title: T",
                "id",
                "this source has no `publisher`",
            ),
            (
                source,
                "publisher",
                "title: T",
                "publisher",
                "`publisher` is here, but indented differently from the other keys of this source",
            ),
            (
                score,
                "rationale",
                "value",
                "value",
                "`score` has no `rationale`",
            ),
        ];
        for (yaml, field, marker, pointed, message) in cases {
            let at = yaml.find(marker).unwrap();
            let r = missing_field(yaml, at, field, &Document::BRIEF).unwrap();
            let (text, got, _) = shown(yaml, &r);
            assert_eq!((text, got.as_str()), (*pointed, *message), "{yaml:?}");
        }
        let r = missing_field(
            source,
            source.find("title").unwrap(),
            "publisher",
            &Document::BRIEF,
        );
        assert_eq!(
            r.unwrap().hint,
            "indent `publisher:` by 4 spaces, like `title:`"
        );
    }

    #[test]
    fn a_nested_namesake_is_not_taken_for_a_missing_top_level_field() {
        let yaml = "date: 2026-05-14\nsources:\n  - id: x\n    title: T\n";
        let r = missing_field(
            yaml,
            yaml.find("sources").unwrap(),
            "title",
            &Document::BRIEF,
        );
        assert_eq!(r.unwrap().message, "this brief has no `title`");
    }

    #[test]
    fn wrong_shape_and_bare_list() {
        let yaml = "score: 7.5\n";
        let r = wrong_shape(yaml, 7, true).unwrap();
        assert_eq!(
            shown(yaml, &r),
            (
                "7.5",
                "`score` is a mapping, not a single value".to_string(),
                "write `score: { value: 7.5, rationale: … }`, or `value:` and `rationale:` on their own lines under `score:`".to_string()
            )
        );
        let yaml = "sources: bloomberg\n";
        let r = wrong_shape(yaml, 9, false).unwrap();
        assert_eq!(r.message, "`sources` is a list, not a single value");
        let yaml = "watch: a named customer\n";
        let r = wrong_shape(yaml, 7, false).unwrap();
        assert!(r.hint.starts_with("write `watch: [a named customer]`"));
        let yaml = "tags: ai-chips, cloud\n";
        let r = bare_list(yaml, 0).unwrap();
        assert_eq!(&yaml[r.at.clone()], "ai-chips, cloud");
        assert!(
            r.hint
                .starts_with("write a list: `tags: [ai-chips, cloud]`")
        );
    }

    #[test]
    fn truncating_comments_table() {
        // (YAML, the comment reported, if any)
        let cases: &[(&str, Option<&str>)] = &[
            ("title: Amazon's #1 bet\n", Some("#1 bet")),
            ("watch:\n  - Nvidia's #2 slot\n", Some("#2 slot")),
            ("sources:\n  - publisher: P #1\n", Some("#1")),
            ("publisher: Bloomberg  # required\n", None),
            ("title: \"Amazon's #1 bet\"\n", None),
            ("url: https://x.org/a#b\n", None),
            ("slug: a #b\n", None),
            (
                "rationale: |\n  Ranked #1 in\n  title: x #2\nnext: 1\n",
                None,
            ),
            ("summary: text #1\n", Some("#1")),
        ];
        for (yaml, expected) in cases {
            let got: Vec<&str> = truncating_comments(yaml)
                .iter()
                .map(|r| &yaml[r.at.clone()])
                .collect();
            assert_eq!(
                got,
                expected.iter().copied().collect::<Vec<_>>(),
                "{yaml:?}"
            );
        }
        let r = &truncating_comments("title: Amazon's #1 bet\n")[0];
        assert_eq!(
            r.message,
            "`title` is cut short: YAML reads `#1 bet` as a comment"
        );
        assert_eq!(
            r.hint,
            "write it in quotes to keep the `#`: `title: \"Amazon's #1 bet\"`"
        );
    }
}
