//! How deeply a SPARQL text nests, counted on the text before any parser
//! sees it: the parser and the engine recurse once per nested group,
//! parenthesis or chained `UNION`/`OPTIONAL`/`MINUS`/`&&`/`||`, and a few
//! kilobytes of `{{{{…` would overflow the stack and abort the process.
//! Strings, IRIs and comments are skipped, so their content never counts.

/// The deepest nesting of `{`, `(` and `[` a query or update may have.
pub const MAX_DEPTH: usize = 64;
/// The most `UNION`, `OPTIONAL`, `MINUS`, `&&` and `||` a text may hold:
/// each chains one level deeper in the algebra the engine walks.
pub const MAX_CHAIN: usize = 500;

/// `Err` with the line, column and the limit when `text` nests too deep.
pub fn check(text: &str) -> Result<(), String> {
    let chars: Vec<char> = text.chars().collect();
    let (mut depth, mut chain, mut line, mut column) = (0_usize, 0_usize, 1_usize, 0_usize);
    let mut i = 0;
    let at = |line: usize, column: usize| format!("line {line}, column {column}");
    while i < chars.len() {
        let c = chars[i];
        column += 1;
        match c {
            '\n' => {
                line += 1;
                column = 0;
            }
            '#' => {
                while i + 1 < chars.len() && chars[i + 1] != '\n' {
                    i += 1;
                }
            }
            '"' | '\'' => {
                // A string, short or long ("""…"""), with escapes.
                let long = chars.get(i + 1) == Some(&c) && chars.get(i + 2) == Some(&c);
                i += if long { 3 } else { 1 };
                while i < chars.len() {
                    if chars[i] == '\\' {
                        i += 2;
                        continue;
                    }
                    if chars[i] == '\n' {
                        line += 1;
                        column = 0;
                    }
                    if chars[i] == c
                        && (!long || (chars.get(i + 1) == Some(&c) && chars.get(i + 2) == Some(&c)))
                    {
                        i += if long { 2 } else { 0 };
                        break;
                    }
                    i += 1;
                }
            }
            '<' => {
                // An IRI holds no space; a `<` followed by one is a comparison.
                if let Some(end) = chars[i + 1..]
                    .iter()
                    .position(|&c| c == '>' || c.is_whitespace())
                    .filter(|&end| chars[i + 1 + end] == '>')
                {
                    i += end + 1;
                }
            }
            '{' | '(' | '[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(format!(
                        "{}: the query nests deeper than this program's limit of {MAX_DEPTH} groups, parentheses and brackets",
                        at(line, column)
                    ));
                }
            }
            '}' | ')' | ']' => depth = depth.saturating_sub(1),
            '&' | '|' if chars.get(i + 1) == Some(&c) => {
                chain += 1;
                i += 1;
            }
            c if c.is_ascii_alphabetic() => {
                let start = i;
                while i + 1 < chars.len() && chars[i + 1].is_ascii_alphanumeric() {
                    i += 1;
                }
                let word: String = chars[start..=i].iter().collect();
                let before = start.checked_sub(1).map(|p| chars[p]);
                // Not a variable (?union), prefixed name (ex:union) or blank node.
                if !matches!(before, Some('?' | '$' | ':' | '_'))
                    && ["UNION", "OPTIONAL", "MINUS"]
                        .iter()
                        .any(|k| k.eq_ignore_ascii_case(&word))
                {
                    chain += 1;
                }
                column += i - start;
            }
            _ => {}
        }
        if chain > MAX_CHAIN {
            return Err(format!(
                "{}: the query chains more than this program's limit of {MAX_CHAIN} UNION, OPTIONAL, MINUS, && and || (split it into several queries)",
                at(line, column)
            ));
        }
        i += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_texts_are_refused_and_ordinary_ones_pass() {
        let nested = |n: usize| {
            format!(
                "SELECT * WHERE {} ?s ?p ?o {}",
                "{".repeat(n),
                "}".repeat(n)
            )
        };
        assert!(check(&nested(MAX_DEPTH)).is_ok());
        let error = check(&nested(MAX_DEPTH + 1)).unwrap_err();
        assert!(error.contains("line 1, column 80"), "{error}");
        let parentheses = format!(
            "ASK {{ FILTER({}1{}) }}",
            "(".repeat(10_000),
            ")".repeat(10_000)
        );
        assert!(check(&parentheses).is_err());
        let union = |n: usize| {
            format!(
                "SELECT * {{ {{?s ?p ?o}} {} }}",
                "UNION {?s ?p ?o} ".repeat(n)
            )
        };
        assert!(check(&union(MAX_CHAIN)).is_ok());
        assert!(check(&union(MAX_CHAIN + 1)).is_err());
        let and = format!(
            "ASK {{ FILTER({} true) }}",
            "true && ".repeat(MAX_CHAIN + 1)
        );
        assert!(check(&and).is_err());
        // Brackets and keywords inside strings, IRIs and comments do not count.
        let quoted = format!(
            "SELECT * WHERE {{ ?s ?p \"{}\" . ?s ?p '''{}''' . ?s <http://x/{}> ?o # {}\n FILTER(?o < 3) }}",
            "{".repeat(100),
            "UNION ".repeat(600),
            "((((".repeat(30),
            "[".repeat(100)
        );
        assert!(check(&quoted).is_ok(), "{:?}", check(&quoted));
        assert!(check("SELECT ?union WHERE { ?union ex:optional ?minus }").is_ok());
    }
}
