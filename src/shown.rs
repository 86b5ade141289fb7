//! Text shown on a terminal as it is, not as it acts: control characters
//! (an escape sequence can clear the screen or retitle the window) and
//! bidirectional overrides and isolates (which reorder what follows them)
//! are written as `\u{…}` escapes. Every message the binary prints goes
//! through [`escaped`], so a hostile name, path or query cannot reach the
//! terminal raw.

use std::borrow::Cow;

/// Whether `c` is written escaped: a control character other than line
/// feed and tab, or a [bidirectional control](is_bidi_control).
pub fn is_hidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c)
}

/// Whether `c` is one of Unicode's bidirectional controls (UAX #9): an
/// invisible character that changes the order or the direction in which
/// the text around it is shown: the marks (LRM, RLM, ALM), the embeddings
/// and overrides (LRE, RLE, PDF, LRO, RLO) and the isolates (LRI, RLI,
/// FSI, PDI). The one list for what is shown escaped and for what a
/// dataset's cell may not hold.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// `text` with every [`is_hidden`] character written as `\u{…}` (its code
/// point in hex); borrowed when there is none.
pub fn escaped(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` [`escaped`], but for the sequences in `keep` (the colours an
/// answer is painted with), which are written as they are.
pub fn escaped_keeping<'a>(text: &'a str, keep: &[String]) -> Cow<'a, str> {
    if !text.chars().any(is_hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(kept) = keep
            .iter()
            .find(|k| !k.is_empty() && rest.starts_with(k.as_str()))
        {
            out.push_str(kept);
            rest = &rest[kept.len()..];
            continue;
        }
        if is_hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::{escaped, escaped_keeping};

    #[test]
    fn only_the_kept_sequences_pass() {
        let bold = "\u{1b}[1m".to_owned();
        let reset = "\u{1b}[0m".to_owned();
        assert_eq!(
            escaped_keeping("\u{1b}[1mname\u{1b}[0m a\u{1b}[2J\u{202e}b", &[bold, reset]),
            "\u{1b}[1mname\u{1b}[0m a\\u{1b}[2J\\u{202e}b"
        );
        assert_eq!(escaped_keeping("a\u{1b}[1mb", &[]), "a\\u{1b}[1mb");
    }

    #[test]
    fn controls_and_overrides_are_escaped() {
        assert_eq!(
            escaped("复旦大学\n  line two\t."),
            "复旦大学\n  line two\t."
        );
        assert_eq!(escaped("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(
            escaped("x\u{0}y\u{202e}z\u{7f}"),
            "x\\u{0}y\\u{202e}z\\u{7f}"
        );
        assert_eq!(escaped("\r"), "\\u{d}");
    }
}
