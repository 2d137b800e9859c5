//! Front matter: splitting it off a Markdown file and reading YAML into typed
//! structs, with every error placed in the file the analyst edits.
//!
//! Steps: [`split`] finds the `---` fenced block; [`parse_yaml`] hands it to
//! serde-saphyr and turns its error (which knows line, column and byte span
//! inside the YAML) into a [`Diagnostic`] at the right place in the whole file,
//! with a "did you mean" hint for unknown fields. Where the source around the
//! error shows the analyst's mistake (a `: ` in a title, a tab, a field one
//! space off), [`crate::content::matter::yaml_hints`] says it in plain words with the fix.
//! serde-saphyr stays behind this module: other modules see only its value
//! wrappers, re-exported here ([`Spanned`], [`Location`]); only unit tests
//! call it directly.

use std::ops::Range;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde_saphyr::{Error as YamlError, ExternalMessageSource, Options};

use crate::content::matter::lists;
use crate::content::matter::yaml_hints;
use crate::diagnostic::Diagnostic;

pub use crate::content::matter::yaml_hints::Document;

pub use serde_saphyr::{Location, Spanned};

/// A Markdown file cut in two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences.
    pub yaml: &'a str,
    /// Byte offset of `yaml` in the file.
    pub yaml_offset: usize,
    /// Everything after the closing fence.
    pub body: &'a str,
    /// Byte offset of `body` in the file.
    pub body_offset: usize,
}

/// Why a file has no usable front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `---` line.
    Missing,
    /// The opening `---` has no closing `---` or `...` line.
    Unclosed,
}

/// Splits `text` into front matter and body.
///
/// The file must start with a line `---` (after an optional byte-order mark);
/// the front matter ends at the next line that is `---` or `...`. Trailing
/// spaces and `\r\n` line endings are accepted.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut lines = LineIter { text, pos: start };
    match lines.next() {
        Some((_, line)) if line.trim_end() == "---" => {}
        _ => return Err(SplitError::Missing),
    }
    let yaml_offset = lines.pos;
    for (line_start, line) in lines.by_ref() {
        let fence = line.trim_end();
        if fence == "---" || fence == "..." {
            let body_offset = lines.pos;
            return Ok(Split {
                yaml: &text[yaml_offset..line_start],
                yaml_offset,
                body: &text[body_offset..],
                body_offset,
            });
        }
    }
    Err(SplitError::Unclosed)
}

/// Lines with their start offsets; a line includes no line ending.
struct LineIter<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for LineIter<'a> {
    type Item = (usize, &'a str);
    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        let rest = &self.text[start..];
        let (line, advance) = match rest.find('\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        self.pos += advance;
        Some((start, line.strip_suffix('\r').unwrap_or(line)))
    }
}

/// The diagnostic for a [`SplitError`].
pub fn split_error(path: &Path, text: &str, error: SplitError) -> Diagnostic {
    let diagnostic = match error {
        SplitError::Missing => Diagnostic::error(path, text, 0..0, "missing front matter")
            .with_hint("start the file with a line `---`, then YAML fields (title, date, …), then another `---`"),
        SplitError::Unclosed => {
            Diagnostic::error(path, text, 0..3, "front matter is never closed")
                .with_hint("end the front matter with a line containing only `---`")
        }
    };
    diagnostic.with_code("front-matter")
}

/// Options shared by every YAML read. serde-saphyr's default budget already
/// refuses alias bombs ("billion laughs") with a located error; snippets are
/// off because [`Diagnostic`] draws its own.
fn options() -> Options {
    let mut options = Options::default();
    options.with_snippet = false;
    options
}

/// Reads YAML at `yaml_offset` in `text` (the whole file) into `T`. A file
/// named `site.yaml` is read as the site's configuration, so its messages
/// name the site's fields.
pub fn parse_yaml<T: DeserializeOwned>(
    path: &Path,
    text: &str,
    yaml: &str,
    yaml_offset: usize,
) -> Result<T, Diagnostic> {
    let doc = if path.file_name().is_some_and(|name| name == "site.yaml") {
        &Document::SITE
    } else {
        &Document::ANY
    };
    parse_document(doc, path, text, yaml, yaml_offset)
}

/// [`parse_yaml`] for a known kind of document, so a message can name it
/// ("this brief has no `summary`", "site.yaml is empty").
pub fn parse_document<T: DeserializeOwned>(
    doc: &Document,
    path: &Path,
    text: &str,
    yaml: &str,
    yaml_offset: usize,
) -> Result<T, Diagnostic> {
    serde_saphyr::from_str_with_options(yaml, options())
        .map_err(|error| yaml_diagnostic(doc, path, text, (yaml, yaml_offset), &error))
}

/// Warnings about valid YAML that does not say what the analyst meant: a
/// title cut short by ` #`.
pub fn warnings(path: &Path, text: &str, split: &Split<'_>) -> Vec<Diagnostic> {
    yaml_hints::truncating_comments(split.yaml)
        .into_iter()
        .map(|r| {
            let at = split.yaml_offset + r.at.start..split.yaml_offset + r.at.end;
            Diagnostic::warning(path, text, at, r.message)
                .with_hint(r.hint)
                .with_code("front-matter")
        })
        .collect()
}

/// Byte range in the whole file of a location inside the YAML.
pub fn file_range(yaml: &str, yaml_offset: usize, location: &Location) -> Range<usize> {
    let span = location.span();
    let start = match span.byte_offset() {
        Some(offset) => offset as usize,
        None => offset_of_line_col(yaml, location.line(), location.column()),
    };
    let len = span.byte_len().unwrap_or(0) as usize;
    yaml_offset + start..yaml_offset + start + len
}

fn offset_of_line_col(text: &str, line: u64, column: u64) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i as u64 + 1 == line {
            let col = column.saturating_sub(1) as usize;
            return offset + l.char_indices().nth(col).map_or(l.len(), |(b, _)| b);
        }
        offset += l.len();
    }
    text.len()
}

fn yaml_diagnostic(
    doc: &Document,
    path: &Path,
    text: &str,
    (yaml, yaml_offset): (&str, usize),
    error: &YamlError,
) -> Diagnostic {
    let error = error.without_snippet();
    let location = error.location();
    let at = location.as_ref().map(|l| file_range(yaml, 0, l).start);
    if let Some(r) = read_mistake(doc, yaml, at, error) {
        let range = yaml_offset + r.at.start..yaml_offset + r.at.end;
        return Diagnostic::error(path, text, range, r.message)
            .with_hint(r.hint)
            .with_code("front-matter");
    }
    let range = match location {
        Some(location) => file_range(yaml, yaml_offset, &location),
        None => yaml_offset..yaml_offset,
    };
    let (message, hint) = describe(error);
    let diagnostic = Diagnostic::error(path, text, range, message).with_code("front-matter");
    match hint {
        Some(hint) => diagnostic.with_hint(hint),
        None => diagnostic,
    }
}

/// The analyst's mistake behind a YAML error, in plain words, when the
/// source around the error shows which one it is ([`yaml_hints`]).
fn read_mistake(
    doc: &Document,
    yaml: &str,
    at: Option<usize>,
    error: &YamlError,
) -> Option<yaml_hints::Reading> {
    if let YamlError::Eof { .. } = error {
        return yaml_hints::empty(yaml, doc);
    }
    let at = at?;
    match error {
        YamlError::ExternalMessage { source, .. }
            if matches!(**source, ExternalMessageSource::Parser(_)) =>
        {
            yaml_hints::syntax(yaml, at)
        }
        YamlError::SerdeMissingField { field, .. } => {
            yaml_hints::missing_field(yaml, at, field, doc)
        }
        YamlError::Unexpected { expected, .. } => match *expected {
            "mapping start" => yaml_hints::wrong_shape(yaml, at, true),
            "sequence start" => yaml_hints::wrong_shape(yaml, at, false),
            _ => None,
        },
        YamlError::SerdeInvalidValue { expected, .. } if expected == lists::BARE_LIST => {
            yaml_hints::bare_list(yaml, at)
        }
        _ => None,
    }
}

/// A message without serde-saphyr's own "at line …" suffix, and a hint.
fn describe(error: &YamlError) -> (String, Option<String>) {
    match error {
        YamlError::SerdeUnknownField {
            field, expected, ..
        } => {
            let hint = match did_you_mean(field, expected) {
                Some(near) => format!("did you mean `{near}`? Free data goes under `extra`"),
                None => format!(
                    "known fields: {}; free data goes under `extra`",
                    expected.join(", ")
                ),
            };
            (format!("unknown field `{field}`"), Some(hint))
        }
        YamlError::SerdeMissingField { field, .. } => (
            format!("missing required field `{field}`"),
            Some(format!("add `{field}:` to this mapping")),
        ),
        YamlError::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let hint = match did_you_mean(variant, expected) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("expected one of: {}", expected.join(", ")),
            };
            (format!("unknown value `{variant}`"), Some(hint))
        }
        YamlError::Budget { .. } | YamlError::AliasExpansionLimitExceeded { .. } => (
            strip_location(&error.to_string()),
            Some("YAML aliases here expand too far; write the values out".to_string()),
        ),
        YamlError::NullIntoString { .. } => (
            "a value is missing here".to_string(),
            Some("write a value after the colon".to_string()),
        ),
        YamlError::DuplicateMappingKey { key, .. } => (
            match key {
                Some(key) => format!("`{key}` is set twice"),
                None => "a key is set twice".to_string(),
            },
            Some("keep one of them".to_string()),
        ),
        YamlError::Eof { .. } => (
            "the YAML ends too early".to_string(),
            Some("a brief needs at least title, date, summary, score and sources".to_string()),
        ),
        other => {
            let message = strip_location(&other.to_string());
            let hint = type_hint(&message);
            (message, hint)
        }
    }
}

/// A hint for serde-saphyr's terse type errors.
fn type_hint(message: &str) -> Option<String> {
    let hint = if message.contains("floating point") || message.contains("integer") {
        "expected a number here, e.g. `7.5`"
    } else if message.contains("sequence start") {
        "expected a list here: `[a, b]`, or one `- item` per line"
    } else if message.contains("mapping start") {
        "expected a mapping here: `key: value` pairs"
    } else if message.contains("string scalar") {
        "expected a single value here, not a list or mapping"
    } else if message.contains("indicator") || message.contains("did not find expected") {
        "check the indentation and any unclosed `[`, `{` or quote above this line"
    } else {
        return None;
    };
    Some(hint.to_string())
}

fn strip_location(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message);
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let without_prefix = match first.strip_prefix("line ") {
        Some(rest) => rest.split_once(": ").map_or(first, |(_, m)| m),
        None => first,
    };
    match without_prefix.rfind(" at line ") {
        Some(i) => without_prefix[..i].to_string(),
        None => without_prefix.to_string(),
    }
}

/// The closest known name to `unknown`, if any is close enough to be a typo.
pub fn did_you_mean<'a>(unknown: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(unknown, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// Maps every byte of a YAML scalar's value to a byte of the file, where
/// the value starts at `start` (`len + 1` entries). Block and plain scalars
/// keep every non-whitespace character in order and only change whitespace
/// (indents dropped, folded line breaks), so one walk over both texts that
/// matches non-whitespace characters finds each place. `None` when the texts
/// part (escapes in a quoted scalar).
pub fn value_offsets(value: &str, text: &str, start: usize) -> Option<Vec<usize>> {
    let mut file = text.get(start..)?.char_indices().peekable();
    let skip_space = |file: &mut std::iter::Peekable<std::str::CharIndices<'_>>| {
        while file.next_if(|(_, c)| c.is_whitespace()).is_some() {}
    };
    let mut map = vec![start; value.len() + 1];
    let mut at = start;
    for (i, c) in value.char_indices() {
        if c.is_whitespace() {
            map[i] = at;
            continue;
        }
        skip_space(&mut file);
        // Skip the block scalar indicator (`|`, `>`, `|-`) and quotes before the text.
        let header = |&(_, f): &(usize, char)| {
            i == 0 && f != c && matches!(f, '|' | '>' | '-' | '+' | '"' | '\'' | '0'..='9')
        };
        while file.next_if(header).is_some() {
            skip_space(&mut file);
        }
        match file.next() {
            Some((j, f)) if f == c => {
                map[i..i + c.len_utf8()].fill(start + j);
                at = start + j + c.len_utf8();
            }
            _ => return None,
        }
    }
    map[value.len()] = at;
    Some(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_table() {
        type Expected<'a> = Result<(&'a str, &'a str), SplitError>;
        let cases: &[(&str, Expected)] = &[
            ("---\na: 1\n---\nbody\n", Ok(("a: 1\n", "body\n"))),
            ("---\r\na: 1\r\n---\r\nbody", Ok(("a: 1\r\n", "body"))),
            ("\u{feff}---\na: 1\n---\n", Ok(("a: 1\n", ""))),
            ("---\na: 1\n...\nbody", Ok(("a: 1\n", "body"))),
            ("---  \na: 1\n---  \nbody", Ok(("a: 1\n", "body"))),
            ("---\n---\nbody", Ok(("", "body"))),
            ("---\na: 1\n---", Ok(("a: 1\n", ""))),
            ("---\na: ---x\n---\nb", Ok(("a: ---x\n", "b"))),
            ("body only\n", Err(SplitError::Missing)),
            ("", Err(SplitError::Missing)),
            ("----\na\n---\n", Err(SplitError::Missing)),
            ("\n---\na: 1\n---\n", Err(SplitError::Missing)),
            ("---\na: 1\n", Err(SplitError::Unclosed)),
        ];
        for (input, expected) in cases {
            let got = split(input).map(|s| (s.yaml, s.body));
            assert_eq!(&got, expected, "input: {input:?}");
        }
    }

    #[test]
    fn split_offsets_point_into_the_file() {
        let text = "---\ntitle: x\n---\nhello";
        let s = split(text).unwrap();
        assert_eq!(&text[s.yaml_offset..s.yaml_offset + s.yaml.len()], s.yaml);
        assert_eq!(&text[s.body_offset..], "hello");
    }

    #[test]
    fn did_you_mean_finds_typos_only() {
        let known = ["title", "summary", "entities"];
        assert_eq!(did_you_mean("titel", &known), Some("title"));
        assert_eq!(did_you_mean("entites", &known), Some("entities"));
        assert_eq!(did_you_mean("zzz", &known), None);
    }
}
