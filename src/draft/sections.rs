//! The layout of a letter: its text without white space (as quotes are
//! compared), paragraphs, clauses, sentences and sections (文头, 导语, 一,
//! 二（一）, …, 文尾), and verbatim quotes cut from the original text.
//!
//! Positions are character indices into the squeezed text (no white space).

use std::ops::Range;

/// Characters that end a clause.
const CLAUSE_END: &str = "，。；：！？,;:!?";
/// Characters that end a sentence.
const SENTENCE_END: &str = "。；！？;!?";
/// Chinese numerals used in headings.
const NUMERALS: &str = "一二三四五六七八九十";
/// A line shorter than this (in characters) that does not end a sentence is
/// still a paragraph of its own (a heading, a name, a date); longer lines
/// without a final punctuation mark were split by a page break.
const SHORT_LINE: usize = 40;

/// A letter cut into paragraphs, clauses, sentences and sections.
#[derive(Debug, Clone)]
pub struct Layout {
    original: String,
    /// The text without white space.
    pub squeezed: String,
    /// The squeezed text's characters.
    pub chars: Vec<char>,
    /// Byte offset in `squeezed` of each character (and of the end).
    squeezed_byte: Vec<usize>,
    /// Byte offset in `original` of each squeezed character.
    original_byte: Vec<usize>,
    /// Paragraphs, in order.
    pub paragraphs: Vec<Range<usize>>,
    /// (start, section mark), in order.
    sections: Vec<(usize, String)>,
    /// Where the body (导语) starts and the closing (文尾) starts.
    pub body: Range<usize>,
}

/// What a heading line starts with.
enum Heading {
    Top(String),
    Sub(String),
    Numbered(String),
}

impl Layout {
    /// Lays out `text`.
    pub fn new(text: &str) -> Layout {
        let mut squeezed = String::new();
        let mut chars = Vec::new();
        let mut squeezed_byte = Vec::new();
        let mut original_byte = Vec::new();
        // (squeezed range, ends a sentence) of each non-blank line.
        let mut lines: Vec<Range<usize>> = Vec::new();
        let mut line_start = None;
        for (byte, c) in text.char_indices() {
            if c == '\n' {
                if let Some(start) = line_start.take()
                    && start < chars.len()
                {
                    lines.push(start..chars.len());
                }
                continue;
            }
            if c.is_whitespace() {
                continue;
            }
            if line_start.is_none() {
                line_start = Some(chars.len());
            }
            squeezed_byte.push(squeezed.len());
            original_byte.push(byte);
            squeezed.push(c);
            chars.push(c);
        }
        if let Some(start) = line_start
            && start < chars.len()
        {
            lines.push(start..chars.len());
        }
        squeezed_byte.push(squeezed.len());
        let mut layout = Layout {
            original: text.to_owned(),
            squeezed,
            chars,
            squeezed_byte,
            original_byte,
            paragraphs: Vec::new(),
            sections: Vec::new(),
            body: 0..0,
        };
        layout.paragraphs = layout.join_lines(&lines);
        layout.sections = layout.find_sections();
        layout
    }

    fn join_lines(&self, lines: &[Range<usize>]) -> Vec<Range<usize>> {
        let mut paragraphs: Vec<Range<usize>> = Vec::new();
        let mut open = false;
        for line in lines {
            let heading = self.heading(line.start).is_some();
            match paragraphs.last_mut() {
                Some(last) if open && !heading => last.end = line.end,
                _ => paragraphs.push(line.clone()),
            }
            let last = self.chars[line.end - 1];
            // A heading that runs on into its first paragraph (（二）…) may be
            // split by a page break like any other long line.
            open = !("。：；！？:;!?”」".contains(last) || line.len() < SHORT_LINE);
        }
        paragraphs
    }

    fn heading(&self, at: usize) -> Option<Heading> {
        let rest = &self.chars[at..self.chars.len().min(at + 6)];
        let numeral_run = |from: usize| {
            rest[from..]
                .iter()
                .take_while(|c| NUMERALS.contains(**c))
                .count()
        };
        let n = numeral_run(0);
        if n > 0 && rest.get(n) == Some(&'、') {
            return Some(Heading::Top(rest[..n].iter().collect()));
        }
        if matches!(rest.first(), Some('（' | '(')) {
            let n = numeral_run(1);
            if n > 0 && matches!(rest.get(n + 1), Some('）' | ')')) {
                return Some(Heading::Sub(rest[1..=n].iter().collect()));
            }
        }
        let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
        if (1..=2).contains(&digits) && matches!(rest.get(digits), Some('.' | '．' | '、')) {
            let n: usize = rest[..digits].iter().collect::<String>().parse().ok()?;
            return chinese_numeral(n).map(Heading::Numbered);
        }
        None
    }

    fn find_sections(&mut self) -> Vec<(usize, String)> {
        let paragraphs = self.paragraphs.clone();
        let headings: Vec<(usize, Heading)> = paragraphs
            .iter()
            .enumerate()
            .filter_map(|(i, p)| self.heading(p.start).map(|h| (i, h)))
            .collect();
        let first_heading = headings.first().map_or(paragraphs.len(), |(i, _)| *i);
        // The addressee line (`市科委：`) closes the head; without one the
        // body starts at the first long paragraph.
        let body_start = paragraphs[..first_heading]
            .iter()
            .position(|p| p.len() <= 30 && self.chars[p.end - 1] == '：')
            .map(|i| i + 1)
            .or_else(|| {
                paragraphs[..first_heading]
                    .iter()
                    .position(|p| p.len() >= SHORT_LINE)
            })
            .unwrap_or(first_heading);
        let last_heading = headings.last().map_or(body_start, |(i, _)| *i);
        let closing = paragraphs
            .iter()
            .enumerate()
            .skip(last_heading + 1)
            .find(|(_, p)| {
                let text: String = self.chars[(*p).clone()].iter().collect();
                ["以上", "特此", "此复", "专此"]
                    .iter()
                    .any(|w| text.starts_with(w))
                    || is_date_line(&text)
                    || text.starts_with("联系人")
                    || text.starts_with("抄送")
            })
            .map(|(i, p)| {
                let text: String = self.chars[p.clone()].iter().collect();
                // A signature stands just before a date line.
                if is_date_line(&text) && i > 0 && paragraphs[i - 1].len() < SHORT_LINE {
                    i - 1
                } else {
                    i
                }
            })
            .unwrap_or(paragraphs.len());
        let use_numbered = !headings.iter().any(|(_, h)| matches!(h, Heading::Top(_)));
        let mut sections = vec![(0, "文头".to_owned())];
        let at = |i: usize| paragraphs.get(i).map_or(self.chars.len(), |p| p.start);
        sections.push((at(body_start), "导语".to_owned()));
        let (mut top, mut sub): (Option<String>, Option<String>) = (None, None);
        for (i, heading) in &headings {
            if *i < body_start || *i >= closing {
                continue;
            }
            let mark = match heading {
                Heading::Top(n) => {
                    top = Some(n.clone());
                    sub = None;
                    n.clone()
                }
                Heading::Numbered(n) if use_numbered => {
                    top = Some(n.clone());
                    n.clone()
                }
                Heading::Sub(n) => match &top {
                    Some(t) => {
                        sub = Some(n.clone());
                        format!("{t}（{n}）")
                    }
                    None => {
                        top = Some(n.clone());
                        n.clone()
                    }
                },
                Heading::Numbered(n) => match (&top, &sub) {
                    (Some(t), None) => format!("{t}（{n}）"),
                    _ => continue,
                },
            };
            sections.push((at(*i), mark));
        }
        sections.push((at(closing), "文尾".to_owned()));
        self.body = at(body_start)..at(closing);
        sections
    }

    /// The section mark at position `at`.
    pub fn section_at(&self, at: usize) -> &str {
        self.sections
            .iter()
            .rev()
            .find(|(start, _)| *start <= at)
            .map_or("文头", |(_, s)| s.as_str())
    }

    /// The squeezed text of `range`.
    pub fn text(&self, range: Range<usize>) -> &str {
        &self.squeezed[self.squeezed_byte[range.start]..self.squeezed_byte[range.end]]
    }

    /// The paragraph that holds position `at`.
    pub fn paragraph(&self, at: usize) -> Range<usize> {
        self.paragraphs
            .iter()
            .find(|p| p.contains(&at))
            .cloned()
            .unwrap_or(at..at + 1)
    }

    fn bounded(&self, at: usize, ends: &str) -> Range<usize> {
        if at >= self.chars.len() {
            return at..at;
        }
        let p = self.paragraph(at);
        let mut start = at;
        while start > p.start && !ends.contains(self.chars[start - 1]) {
            start -= 1;
        }
        let mut end = at;
        while end < p.end && !ends.contains(self.chars[end]) {
            end += 1;
        }
        start..end
    }

    /// The clause (between commas, stops, colons) that holds position `at`.
    pub fn clause(&self, at: usize) -> Range<usize> {
        self.bounded(at, CLAUSE_END)
    }

    /// The sentence that holds position `at`.
    pub fn sentence(&self, at: usize) -> Range<usize> {
        self.bounded(at, SENTENCE_END)
    }

    /// How many times `text` occurs in the letter (white space ignored).
    pub fn count(&self, text: &str) -> usize {
        if text.is_empty() {
            return 0;
        }
        self.squeezed.match_indices(text).count()
    }

    /// A quote for `span`: its clause (or a window of a long clause), grown
    /// clause by clause until it occurs once in the letter, within its
    /// paragraph. Returns the range and whether it is unique.
    pub fn quote_range(&self, span: Range<usize>, max: usize) -> (Range<usize>, bool) {
        let clause = self.clause(span.start);
        let clause = clause.start..clause.end.max(span.end);
        let mut range = if clause.len() > max {
            let margin = (max.saturating_sub(span.len())) / 2;
            span.start.saturating_sub(margin).max(clause.start)..(span.end + margin).min(clause.end)
        } else {
            clause.clone()
        };
        let sentence = self.sentence(span.start);
        let paragraph = self.paragraph(span.start);
        loop {
            if self.count(self.text(range.clone())) == 1 {
                return (range, true);
            }
            if range.start > clause.start || range.end < clause.end {
                range = range.start.min(clause.start)..range.end.max(clause.end);
            } else if range.end < sentence.end {
                range.end = self.clause(range.end + 1).end.max(range.end + 1);
            } else if range.start > sentence.start {
                range.start = self
                    .clause(range.start.saturating_sub(2))
                    .start
                    .min(range.start - 1);
            } else if range.end + 1 < paragraph.end {
                range.end = self.clause(range.end + 1).end.max(range.end + 1);
            } else if range.start > paragraph.start {
                range.start = self
                    .clause(range.start.saturating_sub(2))
                    .start
                    .min(range.start - 1);
            } else {
                return (range, false);
            }
        }
    }

    /// The words of the original letter over `range`, with line breaks (and
    /// the blank around them) taken out; other spaces are kept.
    pub fn verbatim(&self, range: Range<usize>) -> String {
        if range.is_empty() {
            return String::new();
        }
        let start = self.original_byte[range.start];
        let last = self.original_byte[range.end - 1];
        let end = last
            + self.original[last..]
                .chars()
                .next()
                .map_or(0, char::len_utf8);
        let mut out = String::new();
        let mut blank = String::new();
        for c in self.original[start..end].chars() {
            if c.is_whitespace() {
                blank.push(c);
                continue;
            }
            if !blank.contains('\n') {
                out.push_str(&blank);
            }
            blank.clear();
            out.push(c);
        }
        out
    }
}

/// Whether a paragraph is a date alone (`2023年3月24日`).
fn is_date_line(text: &str) -> bool {
    parse_date(text).is_some_and(|(_, len)| len == text.chars().count())
}

/// A date `YYYY年M月D日` at the start of `text`, as ISO, and its length in
/// characters.
pub fn parse_date(text: &str) -> Option<(String, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut parts = Vec::new();
    for (unit, digits) in [('年', 4..=4), ('月', 1..=2), ('日', 1..=2)] {
        let n = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if !digits.contains(&n) || chars.get(i + n) != Some(&unit) {
            return None;
        }
        parts.push(
            chars[i..i + n]
                .iter()
                .collect::<String>()
                .parse::<u32>()
                .ok()?,
        );
        i += n + 1;
    }
    let (y, m, d) = (parts[0], parts[1], parts[2]);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| (format!("{y:04}-{m:02}-{d:02}"), i))
}

/// 1 → 一, 12 → 十二, 20 → 二十 (up to 99).
pub fn chinese_numeral(n: usize) -> Option<String> {
    let digit = |d: usize| NUMERALS.chars().nth(d - 1);
    match n {
        1..=9 => digit(n).map(String::from),
        10 => Some("十".to_owned()),
        11..=19 => Some(format!("十{}", digit(n - 10)?)),
        20..=99 if n.is_multiple_of(10) => Some(format!("{}十", digit(n / 10)?)),
        21..=99 => Some(format!("{}十{}", digit(n / 10)?, digit(n % 10)?)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LETTER: &str = "办理结果：解决采纳\n\n某区人民政府\n\n关于某建议的答复\n\n市科委：\n\n收悉，现答复如下：\n\n一、关于平台\n\n甲大学共建乙平台，累计完成 112 亿元。这是一个很长的句子，它被分页符切断了，所以这一行没有句末的标点符号而且很\n\n长，接着写完。\n\n（一）强化建设。甲大学支持乙平台。\n\n(二)另一部分。甲大学支持乙平台。\n\n以上意见供参考。\n\n某区人民政府\n\n2023年3月24日\n";

    #[test]
    fn sections_follow_the_headings() {
        let layout = Layout::new(LETTER);
        let at = |s: &str| {
            layout
                .squeezed
                .find(s)
                .map(|b| layout.squeezed[..b].chars().count())
                .unwrap()
        };
        assert_eq!(layout.section_at(at("办理结果")), "文头");
        assert_eq!(layout.section_at(at("市科委")), "文头");
        assert_eq!(layout.section_at(at("收悉")), "导语");
        assert_eq!(layout.section_at(at("112")), "一");
        assert_eq!(layout.section_at(at("接着写完")), "一");
        assert_eq!(layout.section_at(at("强化建设")), "一（一）");
        assert_eq!(layout.section_at(at("另一部分")), "一（二）");
        assert_eq!(layout.section_at(at("以上意见")), "文尾");
        assert_eq!(layout.section_at(at("2023年")), "文尾");
        // The page break does not split the paragraph.
        assert_eq!(
            layout.paragraph(at("很长的")),
            layout.paragraph(at("接着写完"))
        );
    }

    #[test]
    fn quotes_grow_until_unique_and_stay_verbatim() {
        let layout = Layout::new(LETTER);
        let at = layout.squeezed[..layout.squeezed.find("乙平台。(二)").unwrap()]
            .chars()
            .count();
        let (range, unique) = layout.quote_range(at..at + 3, 60);
        assert!(unique);
        assert_eq!(layout.count(layout.text(range.clone())), 1);
        let quote = layout.verbatim(range);
        assert!(quote.contains("强化建设"), "{quote}");
        let at = layout.squeezed[..layout.squeezed.find("112").unwrap()]
            .chars()
            .count();
        let (range, _) = layout.quote_range(at..at + 5, 60);
        assert_eq!(layout.verbatim(range), "累计完成 112 亿元");
        let at = layout.squeezed[..layout.squeezed.find("而且很长").unwrap()]
            .chars()
            .count();
        assert_eq!(layout.verbatim(at..at + 7), "而且很长，接着");
    }

    #[test]
    fn dates_and_numerals() {
        assert_eq!(
            parse_date("2023年3月24日印发"),
            Some(("2023-03-24".to_owned(), 10))
        );
        assert_eq!(parse_date("2023年13月1日"), None);
        assert_eq!(chinese_numeral(3).as_deref(), Some("三"));
        assert_eq!(chinese_numeral(12).as_deref(), Some("十二"));
        assert_eq!(chinese_numeral(40).as_deref(), Some("四十"));
    }
}
