//! Anchors: where a quote stands in the text of its source, and the
//! sections of that text.
//!
//! A quote is matched with white space ignored, since page breaks and line
//! ends split the source's sentences, and the match is mapped back to the
//! exact span of the original text (line breaks inside it included), in
//! Unicode code points, as the W3C Web Annotation `TextPositionSelector`
//! counts them. A source's [`Letter::sections`] come from its headings:
//! `文头` up to the addressee line, `导语` up to part `一、`, the parts and
//! their numbered sub-parts `（一）`, and `文尾` from the closing formula on.
//! Every pattern that recognises a heading or a section mark lives here.
//!
//! [`Letter::resolve`] picks the one occurrence a row means: the only one;
//! else the only one inside the row's section; else the one its pin
//! (`occurrence`, 1-based among all occurrences) names.

use std::fmt;

/// The Chinese numerals that number the parts of a letter.
const NUMERALS: &str = "一二三四五六七八九十";

/// The section marks that are not numbered parts.
const HEAD: &str = "文头";
const INTRODUCTION: &str = "导语";
const CLOSING: &str = "文尾";

/// The formulas that open the closing of a letter (`文尾`), at the start of a
/// paragraph after its body: the reply's last sentence, then signature,
/// date, contact block, 抄送 and printing office.
const CLOSINGS: [&str; 9] = [
    "以上意见",
    "以上答复",
    "特此答复",
    "特此函复",
    "特此复函",
    "特此函告",
    "特此报告",
    "特此通知",
    "此复",
];

/// How many code points of context a quote selector keeps on each side.
pub const CONTEXT: usize = 16;

/// Whether `section` is a section mark: `文头`, `导语`, `文尾`, or a Chinese
/// numeral optionally followed by one in full-width parentheses (`三（一）`).
pub fn is_section(section: &str) -> bool {
    let numeral = |s: &str| !s.is_empty() && s.chars().all(|c| NUMERALS.contains(c));
    if [HEAD, INTRODUCTION, CLOSING].contains(&section) {
        return true;
    }
    match section.split_once('（') {
        None => numeral(section),
        Some((top, rest)) => numeral(top) && rest.strip_suffix('）').is_some_and(numeral),
    }
}

/// The pin of an `occurrence` cell: none when empty, else a number from 1.
pub fn pin(cell: &str) -> Result<Option<usize>, String> {
    let cell = cell.trim();
    if cell.is_empty() {
        return Ok(None);
    }
    match cell.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(Some(n)),
        _ => Err(format!(
            "occurrence `{cell}` is not a number from 1: give which occurrence of the quote in its source is meant, or leave it empty"
        )),
    }
}

/// The value of a Chinese numeral from 1 to 99 (`三` 3, `十二` 12, `二十` 20).
fn numeral_value(text: &str) -> Option<u32> {
    let digit = |c: char| {
        NUMERALS
            .find(c)
            .map(|i| i as u32 / 3 + 1)
            .filter(|&d| d < 10)
    };
    let chars: Vec<char> = text.chars().collect();
    match chars.as_slice() {
        [d] if *d == '十' => Some(10),
        [d] => digit(*d),
        ['十', d] => Some(10 + digit(*d)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', d] => Some(digit(*t)? * 10 + digit(*d)?),
        _ => None,
    }
}

/// The numeral a line opens with, then what follows it: `三、…` → (`三`, 3).
fn top_heading(line: &str) -> Option<(&str, u32)> {
    let end = line.find(|c: char| !NUMERALS.contains(c))?;
    let (numeral, rest) = line.split_at(end);
    if !rest.starts_with('、') {
        return None;
    }
    Some((numeral, numeral_value(numeral)?))
}

/// A sub-part heading: `（一）…`, or `(四)…` as letters sometimes write it.
fn sub_heading(line: &str) -> Option<(&str, u32)> {
    let rest = line.strip_prefix('（').or_else(|| line.strip_prefix('('))?;
    let end = rest.find(['）', ')'])?;
    let numeral = &rest[..end];
    Some((numeral, numeral_value(numeral)?))
}

/// The addressee line that closes the head of a letter (`市科委：`).
fn is_addressee(line: &str) -> bool {
    line.ends_with('：')
}

fn is_closing(line: &str) -> bool {
    CLOSINGS.iter().any(|c| line.starts_with(c))
}

/// A span of a text: code points `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// The first code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
}

impl Span {
    /// Whether `other` lies wholly inside this span.
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", self.start, self.end)
    }
}

/// One section of a letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Its mark as `section` columns write it: `文头`, `三`, `三（一）`.
    pub mark: String,
    /// Where it is. A part's span is its own text, up to its first sub-part.
    pub span: Span,
}

/// A source text, ready for finding quotes in it.
#[derive(Debug, Clone)]
pub struct Letter {
    chars: Vec<char>,
    /// The text without white space.
    squeezed: String,
    /// For each code point of `squeezed`: its byte offset there.
    squeezed_bytes: Vec<usize>,
    /// For each code point of `squeezed`: its code point offset in the text.
    origin: Vec<usize>,
    /// The code point offset where each line starts.
    lines: Vec<usize>,
    sections: Vec<Section>,
}

/// What the text says about the quote of one row, when no single span fits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    /// The quote is not in the text.
    NotFound,
    /// The letter has no section with the row's mark.
    NoSuchSection {
        /// The marks it has, in order.
        marks: Vec<String>,
    },
    /// The pin is not the number of an occurrence.
    BadPin {
        /// The pin.
        pin: usize,
        /// How many occurrences there are.
        count: usize,
    },
    /// Several occurrences fit and no pin says which.
    Ambiguous {
        /// Every occurrence, with its section.
        candidates: Vec<(Span, Option<String>)>,
        /// How many of them lie in the row's section.
        inside: usize,
    },
    /// The occurrence meant does not lie in the row's section.
    OutsideSection {
        /// Every occurrence, with its section (the one meant when pinned).
        candidates: Vec<(Span, Option<String>)>,
    },
}

impl Letter {
    /// Reads `text`: its white space, its lines and its sections.
    pub fn new(text: &str) -> Letter {
        let chars: Vec<char> = text.chars().collect();
        let mut squeezed = String::with_capacity(text.len());
        let mut squeezed_bytes = Vec::new();
        let mut origin = Vec::new();
        let mut lines = vec![0];
        for (i, &c) in chars.iter().enumerate() {
            if c == '\n' {
                lines.push(i + 1);
            }
            if !c.is_whitespace() {
                squeezed_bytes.push(squeezed.len());
                origin.push(i);
                squeezed.push(c);
            }
        }
        let sections = sections(&chars, &lines);
        Letter {
            chars,
            squeezed,
            squeezed_bytes,
            origin,
            lines,
            sections,
        }
    }

    /// Every occurrence of `quote` (white space ignored on both sides,
    /// overlapping ones included), as spans of the original text: from the
    /// first matched code point to the last, line breaks between included.
    pub fn find(&self, quote: &str) -> Vec<Span> {
        let needle: String = quote.chars().filter(|c| !c.is_whitespace()).collect();
        let Some(first) = needle.chars().next() else {
            return Vec::new();
        };
        let length = needle.chars().count();
        let mut spans = Vec::new();
        let mut from = 0;
        // A match of a UTF-8 needle in UTF-8 text starts on a character
        // boundary: its first byte is no continuation byte.
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        let text = self.squeezed.as_bytes();
        while let Some(found) = finder.find(&text[from..]) {
            let byte = from + found;
            // squeezed_bytes is sorted: the code point index of this byte.
            let index = self
                .squeezed_bytes
                .binary_search(&byte)
                .expect("a match starts on a character boundary");
            spans.push(Span {
                start: self.origin[index],
                end: self.origin[index + length - 1] + 1,
            });
            from = byte + first.len_utf8();
        }
        spans
    }

    /// The sections, in text order; they do not overlap.
    pub fn sections(&self) -> &[Section] {
        &self.sections
    }

    /// The section with this mark.
    pub fn section(&self, mark: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.mark == mark)
    }

    /// The section `span` lies in, if it lies wholly in one.
    pub fn section_of(&self, span: Span) -> Option<&Section> {
        self.sections.iter().find(|s| s.span.contains(span))
    }

    /// The text of `span`, as it is (line breaks included).
    pub fn slice(&self, span: Span) -> String {
        self.chars[span.start.min(self.chars.len())..span.end.min(self.chars.len())]
            .iter()
            .collect()
    }

    /// The up to [`CONTEXT`] code points before `span` and after it, for a
    /// text quote selector's prefix and suffix.
    pub fn context(&self, span: Span) -> (String, String) {
        let before = self.slice(Span {
            start: span.start.saturating_sub(CONTEXT),
            end: span.start,
        });
        let after = self.slice(Span {
            start: span.end,
            end: span.end + CONTEXT,
        });
        (before, after)
    }

    /// The 1-based line and column (in code points) of code point `offset`.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let line = self.lines.partition_point(|&start| start <= offset);
        (line, offset - self.lines[line - 1] + 1)
    }

    /// The one occurrence of `quote` a row with this `section` and `pin`
    /// means: the only one; else the only one in the section; else the
    /// pinned one. The occurrence must lie in the section.
    pub fn resolve(
        &self,
        quote: &str,
        section: &str,
        pin: Option<usize>,
    ) -> Result<Span, Unresolved> {
        let Some(own) = self.section(section) else {
            return Err(Unresolved::NoSuchSection {
                marks: self.sections.iter().map(|s| s.mark.clone()).collect(),
            });
        };
        let found = self.find(quote);
        let with_sections = |spans: &[Span]| -> Vec<(Span, Option<String>)> {
            spans
                .iter()
                .map(|&s| (s, self.section_of(s).map(|x| x.mark.clone())))
                .collect()
        };
        if found.is_empty() {
            return Err(Unresolved::NotFound);
        }
        let chosen = match pin {
            Some(pin) => *found.get(pin.wrapping_sub(1)).ok_or(Unresolved::BadPin {
                pin,
                count: found.len(),
            })?,
            None if found.len() == 1 => found[0],
            None => {
                let inside: Vec<Span> = found
                    .iter()
                    .copied()
                    .filter(|&s| own.span.contains(s))
                    .collect();
                match inside.as_slice() {
                    [one] => *one,
                    [] => {
                        return Err(Unresolved::OutsideSection {
                            candidates: with_sections(&found),
                        });
                    }
                    _ => {
                        return Err(Unresolved::Ambiguous {
                            candidates: with_sections(&found),
                            inside: inside.len(),
                        });
                    }
                }
            }
        };
        if own.span.contains(chosen) {
            Ok(chosen)
        } else {
            Err(Unresolved::OutsideSection {
                candidates: with_sections(&[chosen]),
            })
        }
    }
}

/// The sections of a text, from its headings (see the module doc).
fn sections(chars: &[char], lines: &[usize]) -> Vec<Section> {
    let end = chars.len();
    let line_text = |i: usize| -> String {
        let stop = lines.get(i + 1).copied().unwrap_or(end);
        chars[lines[i]..stop]
            .iter()
            .collect::<String>()
            .trim()
            .to_owned()
    };
    // (mark, where it starts); each section ends where the next starts.
    let mut starts: Vec<(String, usize)> = Vec::new();
    let mut top: Option<(String, u32)> = None;
    let mut sub = 0;
    let mut body = None;
    let mut closing = None;
    for i in 0..lines.len() {
        let line = line_text(i);
        if line.is_empty() {
            continue;
        }
        let start = lines[i];
        if let Some((numeral, value)) = top_heading(&line)
            && value == top.as_ref().map_or(1, |t| t.1 + 1)
        {
            starts.push((numeral.to_owned(), start));
            top = Some((numeral.to_owned(), value));
            sub = 0;
            body.get_or_insert(start);
            continue;
        }
        if let Some((top, _)) = &top
            && let Some((numeral, value)) = sub_heading(&line)
            && value == sub + 1
        {
            starts.push((format!("{top}（{numeral}）"), start));
            sub = value;
            continue;
        }
        if body.is_none() && is_addressee(&line) {
            let next = lines.get(i + 1).copied().unwrap_or(end);
            body = Some(next);
            starts.push((INTRODUCTION.to_owned(), next));
            continue;
        }
        if is_closing(&line) && (top.is_some() || body.is_some()) {
            closing = Some(start);
            break;
        }
    }
    starts.insert(0, (HEAD.to_owned(), 0));
    if let Some(start) = closing {
        starts.push((CLOSING.to_owned(), start));
    }
    let mut sections = Vec::with_capacity(starts.len());
    for (i, (mark, start)) in starts.iter().enumerate() {
        let stop = starts.get(i + 1).map_or(end, |next| next.1);
        if stop > *start {
            sections.push(Section {
                mark: mark.clone(),
                span: Span {
                    start: *start,
                    end: stop,
                },
            });
        }
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    const LETTER: &str = "上海市某区人民政府\n\n某府〔2024〕1号\n\n市科委：\n\n来函收悉，\n\n现答复如下：\n一、关于平台\n平台建设。某区人民政府支持\n\n平台。\n（一）强化合作。平台合作。\n(二)深化合作。\n二、下一步\n继续推进。\n以上意见供参考。\n\n上海市某区人民政府\n";

    fn marks(letter: &Letter) -> Vec<&str> {
        letter.sections().iter().map(|s| s.mark.as_str()).collect()
    }

    #[test]
    fn section_marks() {
        for ok in ["文头", "导语", "文尾", "一", "三（一）", "六（四）"] {
            assert!(is_section(ok), "{ok}");
        }
        for bad in ["", "三(一)", "3", "三（）", "（一）", "三（一"] {
            assert!(!is_section(bad), "{bad}");
        }
    }

    #[test]
    fn numerals() {
        let values: Vec<_> = ["一", "九", "十", "十一", "二十", "二十三", "一一", "百", ""]
            .iter()
            .map(|n| numeral_value(n))
            .collect();
        assert_eq!(
            values,
            [
                Some(1),
                Some(9),
                Some(10),
                Some(11),
                Some(20),
                Some(23),
                None,
                None,
                None
            ]
        );
    }

    #[test]
    fn sections_follow_the_headings() {
        let letter = Letter::new(LETTER);
        assert_eq!(
            marks(&letter),
            ["文头", "导语", "一", "一（一）", "一（二）", "二", "文尾"]
        );
        let text = |mark: &str| letter.slice(letter.section(mark).unwrap().span);
        assert!(text("文头").ends_with("市科委：\n"), "{}", text("文头"));
        assert!(text("导语").starts_with("\n来函收悉"));
        assert!(text("一").starts_with("一、关于平台") && text("一").ends_with("平台。\n"));
        assert_eq!(text("一（二）"), "(二)深化合作。\n");
        assert!(text("文尾").starts_with("以上意见"));
        // Sections tile the text.
        let spans: Vec<Span> = letter.sections().iter().map(|s| s.span).collect();
        assert_eq!(spans[0].start, 0);
        assert_eq!(spans.last().unwrap().end, LETTER.chars().count());
        assert!(spans.windows(2).all(|w| w[0].end == w[1].start));
    }

    #[test]
    fn a_heading_out_of_order_is_text() {
        let letter =
            Letter::new("标题\n二、不是第一部分\n一、第一部分\n三、跳过了二\n二、第二部分\n");
        assert_eq!(marks(&letter), ["文头", "一", "二"]);
    }

    #[test]
    fn a_letter_without_an_addressee_has_a_head_only_before_part_one() {
        let letter = Letter::new("标题\n一、正文\n");
        assert_eq!(marks(&letter), ["文头", "一"]);
        let letter = Letter::new("没有标题的一句话。\n");
        assert_eq!(marks(&letter), ["文头"]);
    }

    #[test]
    fn quotes_are_found_across_line_breaks_and_mapped_back() {
        let letter = Letter::new(LETTER);
        let spans = letter.find("某区人民政府支持平台");
        assert_eq!(spans.len(), 1);
        assert_eq!(letter.slice(spans[0]), "某区人民政府支持\n\n平台");
        let all = letter.find("人民政府");
        assert_eq!(all.len(), 3);
        assert!(all.iter().all(|&s| letter.slice(s) == "人民政府"));
        assert_eq!(letter.find("不在信里"), []);
        assert_eq!(letter.find(" \n"), []);
        // Overlapping occurrences all count.
        assert_eq!(Letter::new("哈哈哈").find("哈哈").len(), 2);
    }

    #[test]
    fn positions_are_code_points_with_lines_and_columns() {
        let letter = Letter::new("ab\n甲乙丙");
        let span = letter.find("乙丙")[0];
        assert_eq!(span, Span { start: 4, end: 6 });
        assert_eq!(letter.line_column(span.start), (2, 2));
        assert_eq!(letter.line_column(0), (1, 1));
        assert_eq!(letter.context(span), ("ab\n甲".to_owned(), String::new()));
    }

    #[test]
    fn resolution_takes_the_only_one_then_the_section_then_the_pin() {
        let letter = Letter::new(LETTER);
        let first = letter.find("平台合作")[0];
        assert_eq!(letter.resolve("平台合作", "一（一）", None), Ok(first));
        // 人民政府: 文头, 一 and 文尾.
        let all = letter.find("人民政府");
        assert_eq!(letter.resolve("人民政府", "一", None), Ok(all[1]));
        assert_eq!(letter.resolve("人民政府", "文尾", Some(3)), Ok(all[2]));
        assert!(matches!(
            letter.resolve("人民政府", "文尾", Some(2)),
            Err(Unresolved::OutsideSection { .. })
        ));
        assert!(matches!(
            letter.resolve("人民政府", "文尾", Some(4)),
            Err(Unresolved::BadPin { pin: 4, count: 3 })
        ));
        assert!(matches!(
            letter.resolve("平台合作", "二", None),
            Err(Unresolved::OutsideSection { .. })
        ));
        assert!(matches!(
            letter.resolve("平台合作", "五", None),
            Err(Unresolved::NoSuchSection { .. })
        ));
        assert_eq!(
            letter.resolve("不在", "一", None),
            Err(Unresolved::NotFound)
        );
        // 平台 occurs several times in 一's own text.
        match letter.resolve("平台", "一", None) {
            Err(Unresolved::Ambiguous { candidates, inside }) => {
                assert_eq!(inside, 3);
                assert_eq!(candidates.len(), 4);
                assert_eq!(candidates[3].1.as_deref(), Some("一（一）"));
            }
            other => panic!("{other:?}"),
        }
    }
}
