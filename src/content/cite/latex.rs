//! LaTeX in BibTeX fields, as Pandoc reads it: `\emph{…}` and `\textit{…}`
//! are italics, `\mkbibquote{…}` is quoted, `~` a no-break space, `--` an
//! en dash, `\&` an ampersand, `\hyphen` a hyphen, math (`$E=mc^2$`) plain
//! text with its super- and subscripts. The `biblatex` crate has already
//! resolved accents (`\"o`) and split off math; what is left is done here.
//!
//! Markup comes out as the private-use marks of
//! [`crate::content::cite::reference`], which its HTML writer turns into tags.

/// What a command with one braced argument becomes: text before and after.
fn wrap(command: &str) -> Option<(&'static str, &'static str)> {
    Some(match command {
        "emph" | "textit" | "mkbibemph" | "textsl" | "em" | "it" => ("\u{E002}{", "\u{E003}"),
        "textbf" | "mkbibbold" | "bf" => ("\u{E004}{", "\u{E005}"),
        "textsuperscript" | "mkbibsuperscript" => ("\u{E006}{", "\u{E007}"),
        "textsubscript" | "mkbibsubscript" => ("\u{E008}{", "\u{E009}"),
        "textsc" | "sc" => ("\u{E00A}{", "\u{E00B}"),
        "mkbibquote" | "enquote" => ("\u{201C}", "\u{201D}"),
        "mkbibparens" => ("(", ")"),
        "mkbibbrackets" => ("[", "]"),
        _ => return None,
    })
}

/// A command with no argument: what it stands for.
fn symbol(command: &str) -> Option<&'static str> {
    Some(match command {
        "hyphen" | "hyph" => "-",
        "textendash" => "\u{2013}",
        "textemdash" => "\u{2014}",
        "ldots" | "dots" | "textellipsis" => "\u{2026}",
        "LaTeX" => "LaTeX",
        "TeX" => "TeX",
        "S" => "\u{A7}",
        "P" => "\u{B6}",
        "copyright" => "\u{A9}",
        "textregistered" => "\u{AE}",
        "texttrademark" => "\u{2122}",
        "nobreakspace" | "nbsp" => "\u{A0}",
        "slash" => "/",
        "textbackslash" => "\\",
        "alpha" => "\u{3B1}",
        "beta" => "\u{3B2}",
        "gamma" => "\u{3B3}",
        "mu" => "\u{3BC}",
        "pi" => "\u{3C0}",
        "times" => "\u{D7}",
        "pm" => "\u{B1}",
        "cdot" => "\u{22C5}",
        "leq" => "\u{2264}",
        "geq" => "\u{2265}",
        "infty" => "\u{221E}",
        _ => return None,
    })
}

/// Text of a normal or verbatim chunk.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // What each open brace closes with.
    let mut closes: Vec<&'static str> = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let mut name = String::new();
                while let Some(&n) = chars.peek().filter(|n| n.is_ascii_alphabetic()) {
                    name.push(n);
                    chars.next();
                }
                if name.is_empty() {
                    // `\&`, `\%`, `\$`, `\_`, `\#`, `\{`, `\}`, `\ `.
                    if let Some(n) = chars.next() {
                        out.push(n);
                    }
                    continue;
                }
                while chars.peek() == Some(&' ') {
                    chars.next();
                }
                if chars.peek() == Some(&'{') {
                    chars.next();
                    let (open, close) = wrap(&name).unwrap_or(("", ""));
                    out.push_str(open);
                    closes.push(close);
                } else if let Some(sym) = symbol(&name) {
                    out.push_str(sym);
                } else if let Some((open, close)) = wrap(&name) {
                    // `{\em x}`: to the end of the group.
                    out.push_str(open);
                    if let Some(last) = closes.last_mut() {
                        *last = close;
                    }
                }
            }
            '{' => closes.push(""),
            '}' => out.push_str(closes.pop().unwrap_or("")),
            '~' => out.push('\u{A0}'),
            '-' if chars.peek() == Some(&'-') => {
                chars.next();
                if chars.peek() == Some(&'-') {
                    chars.next();
                    out.push('\u{2014}');
                } else {
                    out.push('\u{2013}');
                }
            }
            _ => out.push(c),
        }
    }
    for close in closes.into_iter().rev() {
        out.push_str(close);
    }
    out
}

/// Text of a math chunk: commands as symbols, `^x`/`_x` as super- and
/// subscripts.
pub fn math(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '^' | '_' => {
                let (open, close) = if c == '^' {
                    ('\u{E006}', '\u{E007}')
                } else {
                    ('\u{E008}', '\u{E009}')
                };
                out.push(open);
                out.push('{');
                if chars.peek() == Some(&'{') {
                    chars.next();
                    let mut depth = 1;
                    for n in chars.by_ref() {
                        depth += match n {
                            '{' => 1,
                            '}' => -1,
                            _ => 0,
                        };
                        if depth == 0 {
                            break;
                        }
                        out.push(n);
                    }
                } else if let Some(n) = chars.next() {
                    out.push(n);
                }
                out.push(close);
            }
            '\\' => {
                let mut name = String::new();
                while let Some(&n) = chars.peek().filter(|n| n.is_ascii_alphabetic()) {
                    name.push(n);
                    chars.next();
                }
                match symbol(&name) {
                    Some(sym) => out.push_str(sym),
                    None if name.is_empty() => out.extend(chars.next()),
                    None => {}
                }
            }
            '{' | '}' => {}
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_become_marks_and_symbols() {
        assert_eq!(text(r"\emph{Nature} \& Co"), "\u{E002}{Nature\u{E003} & Co");
        assert_eq!(text(r"J.~Chem. 1--2"), "J.\u{A0}Chem. 1\u{2013}2");
        assert_eq!(
            text(r"\mkbibquote{Hi} a\hyphen b"),
            "\u{201C}Hi\u{201D} a-b"
        );
        assert_eq!(text(r"{\em x} y"), "\u{E002}{x\u{E003} y");
        assert_eq!(math("E=mc^2"), "E=mc\u{E006}{2\u{E007}");
        assert_eq!(math(r"x_{ij} \times y"), "x\u{E008}{ij\u{E009} \u{D7} y");
    }
}
