//! Finding the figures a letter gives: a number (Arabic or Chinese numerals)
//! with its multiplier and measure word (`342 亿元`, `百余家`, `5%`, `八场`),
//! a rank (`首家`, `第二`), the qualifier around it (`超过`, `约`, `以上`,
//! `余`), whether it is cumulative (`累计`), the year the sentence gives, the
//! indicator (the words before it) and the entity it is about (the nearest
//! one before it in its clause, then sentence, then paragraph).

use super::entities::{Entity, Mention};
use super::rules::Rules;
use super::sections::Layout;
use std::ops::Range;

/// A figure the draft proposes.
#[derive(Debug, Clone)]
pub struct Figure {
    /// Index of the entity it is about; `None` when no entity comes before it.
    pub subject: Option<usize>,
    /// What is measured, in Chinese.
    pub indicator_zh: String,
    /// The value in base units, as a plain decimal.
    pub value: String,
    /// `CNY`, `count`, `percent`, `person-times` or `rank`.
    pub unit: String,
    /// Where the figure is written (qualifiers included).
    pub span: Range<usize>,
    /// `exact`, `more-than`, `at-least` or `about`.
    pub qualifier: String,
    /// Whether it is a running total.
    pub cumulative: bool,
    /// The year the sentence gives, if any.
    pub period: String,
    /// How it was read, and what a curator should check.
    pub note: String,
}

/// A decimal number kept exactly: `mantissa / 10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    mantissa: u128,
    scale: u32,
}

impl Decimal {
    fn times(self, factor: u64) -> Decimal {
        Decimal {
            mantissa: self.mantissa.saturating_mul(u128::from(factor)),
            scale: self.scale,
        }
    }

    /// The number as a plain decimal (`350000000`, `12.5`).
    pub fn plain(self) -> String {
        let digits = self.mantissa.to_string();
        let scale = self.scale as usize;
        if scale == 0 {
            digits
        } else {
            let digits = format!("{digits:0>width$}", width = scale + 1);
            let (int, frac) = digits.split_at(digits.len() - scale);
            let frac = frac.trim_end_matches('0');
            if frac.is_empty() {
                int.to_owned()
            } else {
                format!("{int}.{frac}")
            }
        }
    }

    /// Parses `342`, `3.5`; `None` for anything else, or for more digits
    /// than 128 bits hold.
    pub fn parse(text: &str) -> Option<Decimal> {
        let (int, frac) = text.split_once('.').unwrap_or((text, ""));
        let digits = format!("{int}{frac}");
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        Some(Decimal {
            mantissa: digits.parse().ok()?,
            scale: u32::try_from(frac.len()).ok()?,
        })
    }
}

/// The value of a Chinese numeral (`十二` → 12, `两百` → 200, `千亿` → 10^11,
/// `一万亿` → 10^12, `三亿五千万` → 350000000); `None` when it is not one or
/// when it does not fit in 64 bits.
pub fn chinese_value(text: &str) -> Option<u64> {
    let digit = |c: char| {
        "零一二三四五六七八九"
            .find(c)
            .map(|b| (b / 3) as u64)
            .or((c == '两' || c == '〇').then_some(if c == '两' { 2 } else { 0 }))
    };
    // The 亿 groups, the 万 group and the part below 万.
    let (mut total, mut high, mut section, mut number) = (0u64, 0u64, 0u64, 0u64);
    let mut any = false;
    for c in text.chars() {
        any = true;
        if let Some(d) = digit(c) {
            number = d;
            continue;
        }
        match c {
            '十' | '百' | '千' => {
                let unit = match c {
                    '十' => 10,
                    '百' => 100,
                    _ => 1000,
                };
                section = section.checked_add(number.max(1).checked_mul(unit)?)?;
            }
            '万' => {
                let part = section.checked_add(number)?.max(1);
                high = high.checked_add(part.checked_mul(10_000)?)?;
                section = 0;
            }
            '亿' => {
                let part = total
                    .checked_add(high)?
                    .checked_add(section)?
                    .checked_add(number)?
                    .max(1);
                total = part.checked_mul(100_000_000)?;
                high = 0;
                section = 0;
            }
            _ => return None,
        }
        number = 0;
    }
    if !any {
        return None;
    }
    total
        .checked_add(high)?
        .checked_add(section)?
        .checked_add(number)
}

fn is_chinese_numeral(c: char) -> bool {
    "零〇一二两三四五六七八九十百千万亿".contains(c)
}

/// Whether position `at` is inside “” (slogans are not figures).
fn in_quotes(layout: &Layout, at: usize) -> bool {
    let p = layout.paragraph(at);
    let mut open = false;
    for c in &layout.chars[p.start..at] {
        match c {
            '“' => open = true,
            '”' => open = false,
            _ => {}
        }
    }
    open
}

/// Finds every figure.
pub fn find(
    layout: &Layout,
    rules: &Rules,
    entities: &[Entity],
    mentions: &[Mention],
) -> Vec<Figure> {
    let chars = &layout.chars;
    let mut figures = Vec::new();
    let text_at =
        |at: usize, len: usize| layout.text(at.min(chars.len())..chars.len().min(at + len));
    let mut i = layout.body.start;
    while i < layout.body.end {
        let c = chars[i];
        // Rank words: 首家.
        if let Some((word, n)) = rules
            .ranks
            .iter()
            .find(|(w, _)| text_at(i, w.chars().count()) == w.as_str())
        {
            if !in_quotes(layout, i) {
                let len = word.chars().count();
                figures.push(reading(
                    layout,
                    rules,
                    i..i + len,
                    i..i + len,
                    n.to_string(),
                    "rank",
                    "exact",
                    "a rank word",
                ));
            }
            i += word.chars().count();
            continue;
        }
        let arabic = c.is_ascii_digit();
        if !(arabic || is_chinese_numeral(c)) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        if arabic {
            while end < chars.len() && (chars[end].is_ascii_digit() || chars[end] == '.') {
                end += 1;
            }
        } else {
            while end < chars.len() && is_chinese_numeral(chars[end]) {
                end += 1;
            }
        }
        i = end;
        let number = layout.text(start..end);
        if in_quotes(layout, start) {
            continue;
        }
        // 第N: a rank, unless a word like 号 or 届 follows (第0297号).
        if start > 0 && chars[start - 1] == '第' {
            let rest = text_at(end, 3);
            if rules
                .ordinal_stops
                .iter()
                .any(|w| rest.starts_with(w.as_str()))
            {
                continue;
            }
            let value = if arabic {
                number.parse::<u64>().ok()
            } else {
                chinese_value(number)
            };
            if let Some(value) = value {
                figures.push(reading(
                    layout,
                    rules,
                    start - 1..end,
                    start - 1..end,
                    value.to_string(),
                    "rank",
                    "exact",
                    "第N read as a rank",
                ));
            }
            continue;
        }
        // Chinese numerals: not 一 alone (一批, 一次性), not a bare multiplier (万人).
        let (mut digits, mut tail) = (number.to_owned(), end);
        if !arabic
            && (number == "一"
                || number.chars().all(|c| "万亿千百".contains(c))
                    && number != "百"
                    && number != "千亿"
                    && number != "百亿")
        {
            continue;
        }
        let mut qualifier = "exact";
        let mut how = Vec::new();
        // 余/多 after the number (百余家, 100 余项).
        let after = |tail: usize| text_at(tail, 3).to_owned();
        if let Some((w, q)) = rules
            .after
            .iter()
            .find(|(w, _)| w != "以上" && after(tail).starts_with(w.as_str()))
        {
            qualifier = if q == "more-than" {
                "more-than"
            } else {
                "exact"
            };
            tail += w.chars().count();
        }
        // The multiplier (亿, 万) of an Arabic number.
        let mut multiplier = 1u64;
        if arabic && let Some(m) = chars.get(tail).and_then(|c| rules.multipliers.get(c)) {
            multiplier = *m;
            tail += 1;
            if let Some((w, _)) = rules
                .after
                .iter()
                .find(|(w, _)| w != "以上" && after(tail).starts_with(w.as_str()))
            {
                qualifier = "more-than";
                tail += w.chars().count();
            }
        }
        let measure = rules
            .measures
            .iter()
            .find(|(w, _)| after(tail).starts_with(w.as_str()));
        let unit = match measure {
            Some((w, unit)) => {
                // 四次会议 is an ordinal, not four times.
                if rules
                    .ordinal_stops
                    .iter()
                    .any(|s| after(tail).starts_with(s.as_str()))
                {
                    continue;
                }
                tail += w.chars().count();
                unit.clone()
            }
            None if !arabic && (number.ends_with('亿') || number.ends_with('万')) => {
                how.push("no measure word after 亿/万: read as money, check it");
                "CNY".to_owned()
            }
            None => continue,
        };
        let value = if arabic {
            match Decimal::parse(&digits) {
                Some(d) => d.times(multiplier).plain(),
                None => continue,
            }
        } else {
            match chinese_value(&digits) {
                Some(v) => v.to_string(),
                None => continue,
            }
        };
        digits.clear();
        // 以上 after the measure.
        if let Some((w, q)) = rules
            .after
            .iter()
            .find(|(w, _)| w == "以上" && after(tail).starts_with(w.as_str()))
        {
            qualifier = if q == "at-least" {
                "at-least"
            } else {
                qualifier
            };
            tail += w.chars().count();
        }
        // A qualifier just before the number.
        let mut from = start;
        if let Some((w, q)) = rules.before.iter().find(|(w, _)| {
            let n = w.chars().count();
            start >= n && layout.text(start - n..start) == w.as_str()
        }) {
            from = start - w.chars().count();
            if qualifier == "exact" || q != "exact" {
                qualifier = match q.as_str() {
                    "more-than" => "more-than",
                    "about" => "about",
                    "at-least" => "at-least",
                    _ => qualifier,
                };
            }
            if q == "exact" {
                how.push("reached (达到)");
            }
        }
        i = tail;
        let mut figure = reading(
            layout,
            rules,
            from..tail,
            start..tail,
            value,
            &unit,
            qualifier,
            "a number with a measure word",
        );
        if !how.is_empty() {
            figure.note = format!("{} {}.", figure.note.trim_end_matches('.'), how.join("; "));
        }
        figures.push(figure);
    }
    for figure in &mut figures {
        figure.subject = subject(layout, rules, entities, mentions, figure.span.start);
        figure.indicator_zh = indicator(layout, mentions, figure.span.start);
        if figure.indicator_zh.is_empty() {
            figure.indicator_zh = layout.text(figure.span.clone()).to_owned();
        }
    }
    figures
}

#[expect(clippy::too_many_arguments, reason = "one figure's readings, named")]
fn reading(
    layout: &Layout,
    rules: &Rules,
    span: Range<usize>,
    number: Range<usize>,
    value: String,
    unit: &str,
    qualifier: &str,
    how: &str,
) -> Figure {
    let clause = layout.clause(number.start);
    let before = layout.text(clause.start..number.start);
    let cumulative = rules.cumulative.iter().any(|w| before.contains(w.as_str()));
    Figure {
        subject: None,
        indicator_zh: String::new(),
        value,
        unit: unit.to_owned(),
        span,
        qualifier: qualifier.to_owned(),
        cumulative,
        period: year(layout, number.start),
        note: format!("Drafted from {how}."),
    }
}

/// The nearest year (`2022年`) before `at` in its sentence.
fn year(layout: &Layout, at: usize) -> String {
    let sentence = layout.sentence(at);
    let text: Vec<char> = layout.chars[sentence.start..at].to_vec();
    let mut found = String::new();
    for i in 0..text.len().saturating_sub(4) {
        let y: String = text[i..i + 4].iter().collect();
        let digits = y.chars().all(|c| c.is_ascii_digit());
        let before_ok = i == 0 || !text[i - 1].is_ascii_digit();
        if digits
            && before_ok
            && text[i + 4] == '年'
            && (y.starts_with("19") || y.starts_with("20"))
        {
            found = y;
        }
    }
    found
}

/// The entity the figure at `at` is about. A name right before the figure
/// is what is counted (国家级工程技术研究中心3家), not what the figure is
/// about, unless there is no other; a name that opens the clause, or a place
/// that opens the sentence, is its topic (杨浦现有…); otherwise the nearest name before the
/// figure in its clause, sentence or paragraph. Kinds that are counted rather
/// than counting (groups of enterprises, fields) are never subjects.
fn subject(
    layout: &Layout,
    rules: &Rules,
    entities: &[Entity],
    mentions: &[Mention],
    at: usize,
) -> Option<usize> {
    let eligible = |m: &&Mention| !rules.not_subject.contains(&entities[m.entity].kind);
    let counted = |m: &Mention| at - m.span.end <= 1;
    let before = |range: std::ops::Range<usize>| {
        mentions
            .iter()
            .filter(move |m| m.span.end <= at && m.span.start >= range.start)
            .filter(eligible)
    };
    let clause = layout.clause(at);
    let sentence = layout.sentence(at);
    let topic = |range: std::ops::Range<usize>| {
        before(range.clone())
            .next()
            .filter(|m| m.span.start == range.start && !counted(m))
    };
    if let Some(m) =
        topic(clause.clone()).or_else(|| before(clause.clone()).rev().find(|m| !counted(m)))
    {
        return Some(m.entity);
    }
    // A place that opens the sentence is what its statistics are about
    // (杨浦现有…); another actor that opens it is not (区政府设立X基金，总规模…).
    if let Some(m) = topic(sentence.clone()).filter(|m| {
        matches!(
            entities[m.entity].kind.as_str(),
            "AdministrativeArea" | "Region"
        )
    }) {
        return Some(m.entity);
    }
    for range in [clause, sentence, layout.paragraph(at)] {
        if let Some(m) = before(range).next_back() {
            return Some(m.entity);
        }
    }
    None
}

/// The words before the figure that say what it measures: from the last
/// boundary (clause start, 、, a mention of an entity that is not the last
/// word, a year) up to the figure.
fn indicator(layout: &Layout, mentions: &[Mention], at: usize) -> String {
    let clause = layout.clause(at);
    let mut from = clause.start;
    for i in clause.start..at {
        if layout.chars[i] == '、' || layout.chars[i] == '（' {
            from = i + 1;
        }
        if layout.chars[i] == '年'
            && i >= 4
            && layout.chars[i - 4..i].iter().all(char::is_ascii_digit)
        {
            from = from.max(i + 1);
        }
    }
    let floor = from;
    for m in mentions
        .iter()
        .filter(|m| m.span.start >= floor && m.span.end < at)
    {
        let rest = layout.text(m.span.end..at);
        if rest.chars().count() >= 2 {
            from = from.max(m.span.end);
        }
    }
    let text = layout.text(from..at);
    let text = text
        .trim_start_matches(|c: char| "，、：".contains(c))
        .trim_end_matches(|c: char| "超过逾约近达到为共有计".contains(c));
    text.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(chinese_value("八"), Some(8));
        assert_eq!(chinese_value("十二"), Some(12));
        assert_eq!(chinese_value("两百"), Some(200));
        assert_eq!(chinese_value("百"), Some(100));
        assert_eq!(chinese_value("千亿"), Some(100_000_000_000));
        assert_eq!(chinese_value("三十六"), Some(36));
        assert_eq!(chinese_value("一万亿"), Some(1_000_000_000_000));
        assert_eq!(chinese_value("十二万亿"), Some(12_000_000_000_000));
        assert_eq!(chinese_value("三亿五千万"), Some(350_000_000));
        assert_eq!(chinese_value("一千零五"), Some(1005));
        assert_eq!(
            chinese_value(&"亿".repeat(5)),
            None,
            "too large for 64 bits"
        );
        assert_eq!(Decimal::parse(&"9".repeat(401)), None);
        assert_eq!(
            Decimal::parse("3.5").unwrap().times(100_000_000).plain(),
            "350000000"
        );
        assert_eq!(Decimal::parse("12.5").unwrap().plain(), "12.5");
        assert_eq!(
            Decimal::parse("342").unwrap().times(100_000_000).plain(),
            "34200000000"
        );
    }
}
