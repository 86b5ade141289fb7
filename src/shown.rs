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

/// `painted` (text an answer wrote in colour) [`escaped`], but for the
/// sequences in `keep` that painting added: `plain` is the same answer
/// written without colour, so every character of it is data and is shown
/// escaped, whatever it holds (a name holding a colour's own sequence
/// included), and only what `painted` has beyond it, when that is made of
/// sequences of `keep`, reaches the terminal as it is. `None` when
/// `painted` is not `plain` with such sequences added.
pub fn escaped_painted(painted: &str, plain: &str, keep: &[String]) -> Option<String> {
    let mut out = String::with_capacity(painted.len() + 8);
    let (mut painted, mut plain) = (painted, plain);
    while let Some(c) = painted.chars().next() {
        if plain.starts_with(c) {
            if is_hidden(c) {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            } else {
                out.push(c);
            }
            painted = &painted[c.len_utf8()..];
            plain = &plain[c.len_utf8()..];
            continue;
        }
        let kept = keep
            .iter()
            .find(|k| !k.is_empty() && painted.starts_with(k.as_str()))?;
        out.push_str(kept);
        painted = &painted[kept.len()..];
    }
    plain.is_empty().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::{escaped, escaped_painted};

    #[test]
    fn only_the_painted_sequences_pass() {
        let keep = ["\u{1b}[33m".to_owned(), "\u{1b}[0m".to_owned()];
        // A name holding the very sequence the painting uses.
        let plain = "a\u{1b}[33mb\u{1b}[2J\u{202e} inferred";
        let painted = "a\u{1b}[33mb\u{1b}[2J\u{202e} \u{1b}[33minferred\u{1b}[0m";
        assert_eq!(
            escaped_painted(painted, plain, &keep).unwrap(),
            "a\\u{1b}[33mb\\u{1b}[2J\\u{202e} \u{1b}[33minferred\u{1b}[0m"
        );
        // Painted right before the same sequence in the data.
        assert_eq!(
            escaped_painted("\u{1b}[33m\u{1b}[33mx\u{1b}[0m", "\u{1b}[33mx", &keep).unwrap(),
            "\\u{1b}[33m\u{1b}[33mx\u{1b}[0m"
        );
        // What painting cannot have added is refused.
        assert_eq!(escaped_painted("a\u{1b}[2Jb", "ab", &keep), None);
        assert_eq!(escaped_painted("ab", "abc", &keep), None);
        assert_eq!(escaped_painted("a b", "a  b", &keep), None);
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
