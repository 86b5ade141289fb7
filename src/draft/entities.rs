//! Finding the entities a letter names: the known ones first (names and
//! aliases of a dataset's entities), then new ones from names in 《》 and “”,
//! lists followed by a head noun (`人工智能、集成电路等领域`), people before a
//! title (`代表`), and names that end as the table of endings says (`研究院`),
//! their start found by walking back over the segmenter's words.

use super::rules::Rules;
use super::sections::Layout;
use jieba_rs::Jieba;
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

/// An entity of the dataset the letter is drafted against.
#[derive(Debug, Clone)]
pub struct Known {
    /// Its id.
    pub id: String,
    /// Its kind.
    pub kind: String,
    /// Its Chinese name.
    pub name_zh: String,
    /// Its English name.
    pub name_en: String,
    /// Its `aliases` cell.
    pub aliases: String,
    /// Its Wikidata id.
    pub wikidata: String,
    /// Its ROR URL.
    pub ror: String,
}

impl Known {
    /// The names it can be found by in a Chinese text: the Chinese name and
    /// the aliases that are not plain ASCII, without white space.
    pub fn names(&self) -> Vec<String> {
        std::iter::once(self.name_zh.as_str())
            .chain(self.aliases.split('|'))
            .map(|n| n.chars().filter(|c| !c.is_whitespace()).collect::<String>())
            .filter(|n| !n.is_ascii() && n.chars().count() >= 2)
            .collect()
    }
}

/// An entity the draft names.
#[derive(Debug, Clone)]
pub struct Entity {
    /// Id: the known entity's, or a new one made from the kind.
    pub id: String,
    /// Kind (a class of the ontology).
    pub kind: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name (a known entity's; empty for a new one).
    pub name_en: String,
    /// Aliases cell.
    pub aliases: String,
    /// Wikidata id of a known entity.
    pub wikidata: String,
    /// ROR URL of a known entity.
    pub ror: String,
    /// The id of the known entity it is, if any.
    pub known: Option<String>,
    /// Where it is first named.
    pub first: Range<usize>,
    /// How it was found.
    pub note: String,
}

/// One place where the letter names an entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// The name's position.
    pub span: Range<usize>,
    /// Index of the entity in the draft's list.
    pub entity: usize,
}

/// A name proposed by one of the rules.
#[derive(Debug, Clone)]
struct Proposal {
    name: String,
    kind: String,
    how: String,
}

/// One word of the segmenter, with its position and tag.
#[derive(Debug, Clone)]
pub struct Word {
    /// Its position in the squeezed letter.
    pub span: Range<usize>,
    /// The word.
    pub text: String,
    /// Its part-of-speech tag (`n`, `v`, `ns`, `nr`, ...).
    pub tag: String,
}

/// Segments every paragraph of the letter.
pub fn segment(layout: &Layout, jieba: &Jieba) -> Vec<Word> {
    let mut words = Vec::new();
    for paragraph in &layout.paragraphs {
        let mut at = paragraph.start;
        for tag in jieba.tag(layout.text(paragraph.clone()), true) {
            let len = tag.word.chars().count();
            words.push(Word {
                span: at..at + len,
                text: tag.word.to_owned(),
                tag: tag.tag.to_owned(),
            });
            at += len;
        }
    }
    words
}

/// Finds the entities and every mention of them.
pub fn find(
    layout: &Layout,
    rules: &Rules,
    known: &[Known],
    words: &[Word],
    kinds: &BTreeSet<String>,
) -> (Vec<Entity>, Vec<Mention>) {
    let mut proposals = Vec::new();
    quoted(layout, rules, &mut proposals);
    titled(layout, rules, words, &mut proposals);
    listed(layout, rules, words, &mut proposals);
    ended(layout, rules, words, known, &mut proposals);

    // The dictionary of names: known ones first, then new ones (the first
    // proposal of a name wins).
    #[derive(Clone, Copy)]
    enum Target {
        Known(usize),
        New(usize),
    }
    let mut names: HashMap<String, Target> = HashMap::new();
    for (i, k) in known.iter().enumerate() {
        for name in k.names() {
            names.entry(name).or_insert(Target::Known(i));
        }
    }
    // A place before a known name still names the known entity
    // (上海市 + 杨浦区科学技术委员会).
    let places: Vec<String> = known
        .iter()
        .filter(|k| matches!(k.kind.as_str(), "AdministrativeArea" | "Region"))
        .flat_map(Known::names)
        .collect();
    for (i, p) in proposals.iter().enumerate() {
        let prefixed = known.iter().enumerate().find_map(|(k, entity)| {
            entity.names().into_iter().find_map(|n| {
                let prefix = p.name.strip_suffix(n.as_str())?;
                let place = places.iter().any(|pl| pl == prefix)
                    || (prefix.chars().count() <= 4 && prefix.ends_with(['市', '区', '省', '县']));
                (!prefix.is_empty() && place).then_some(k)
            })
        });
        let target = prefixed.map_or(Target::New(i), Target::Known);
        names.entry(p.name.clone()).or_insert(target);
    }
    let mut by_first: HashMap<char, Vec<(usize, &str, Target)>> = HashMap::new();
    for (name, target) in &names {
        if let Some(c) = name.chars().next() {
            by_first
                .entry(c)
                .or_default()
                .push((name.chars().count(), name.as_str(), *target));
        }
    }
    for list in by_first.values_mut() {
        list.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    }

    // Leftmost-longest matching over the whole letter.
    let mut entities: Vec<Entity> = Vec::new();
    let mut index: HashMap<(bool, usize), usize> = HashMap::new();
    let mut mentions = Vec::new();
    let mut counters: HashMap<String, usize> = HashMap::new();
    let taken: BTreeSet<&str> = known.iter().map(|k| k.id.as_str()).collect();
    let mut i = 0;
    while i < layout.chars.len() {
        let found = by_first.get(&layout.chars[i]).and_then(|list| {
            list.iter().find(|(len, name, _)| {
                i + len <= layout.chars.len() && layout.text(i..i + len) == *name
            })
        });
        let Some((len, name, target)) = found else {
            i += 1;
            continue;
        };
        let span = i..i + len;
        let key = match target {
            Target::Known(k) => (true, *k),
            Target::New(p) => (false, *p),
        };
        let entity = *index.entry(key).or_insert_with(|| {
            let entity = match target {
                Target::Known(k) => {
                    let k = &known[*k];
                    let on = if *name == k.name_zh {
                        format!("its name {name}")
                    } else if k.names().iter().any(|n| n == name) {
                        format!("the alias {name}")
                    } else {
                        format!("{name}, a place and one of its names")
                    };
                    Entity {
                        id: k.id.clone(),
                        kind: k.kind.clone(),
                        name_zh: k.name_zh.clone(),
                        name_en: k.name_en.clone(),
                        aliases: k.aliases.clone(),
                        wikidata: k.wikidata.clone(),
                        ror: k.ror.clone(),
                        known: Some(k.id.clone()),
                        first: span.clone(),
                        note: format!("Known entity `{}`, matched on {on}.", k.id),
                    }
                }
                Target::New(p) => {
                    let p = &proposals[*p];
                    let (kind, how) = if kinds.contains(&p.kind) || kinds.is_empty() {
                        (p.kind.clone(), p.how.clone())
                    } else {
                        (
                            fallback_kind(kinds),
                            format!(
                                "{}; kind {} is not in the ontology, so it is drafted as {}",
                                p.how,
                                p.kind,
                                fallback_kind(kinds)
                            ),
                        )
                    };
                    let stem = slug(&kind);
                    let id = loop {
                        let n = counters.entry(stem.clone()).or_insert(0);
                        *n += 1;
                        let id = format!("{stem}-{n}");
                        if !taken.contains(id.as_str()) {
                            break id;
                        }
                    };
                    Entity {
                        id,
                        kind,
                        name_zh: p.name.clone(),
                        name_en: String::new(),
                        aliases: String::new(),
                        wikidata: String::new(),
                        ror: String::new(),
                        known: None,
                        first: span.clone(),
                        note: format!("New: {how}."),
                    }
                }
            };
            entities.push(entity);
            entities.len() - 1
        });
        mentions.push(Mention { span, entity });
        i += len;
    }
    (entities, mentions)
}

/// The kind for a name whose kind the ontology lacks.
fn fallback_kind(kinds: &BTreeSet<String>) -> String {
    ["Programme", "Platform"]
        .iter()
        .find(|k| kinds.contains(**k))
        .map(|k| (*k).to_owned())
        .or_else(|| kinds.iter().next().cloned())
        .unwrap_or_default()
}

/// `ResearchInstitute` → `research-institute`.
pub fn slug(kind: &str) -> String {
    let mut out = String::new();
    for c in kind.chars() {
        if c.is_ascii_uppercase() && !out.is_empty() {
            out.push('-');
        }
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        }
    }
    if out.is_empty() {
        "entity".to_owned()
    } else {
        out
    }
}

fn ending_kind<'a>(rules: &'a Rules, name: &str) -> Option<&'a super::rules::Ending> {
    rules.endings.iter().find(|e| name.ends_with(&e.ending))
}

/// Names in 《》 (documents) and “” (programmes, brands, the proposal).
fn quoted(layout: &Layout, rules: &Rules, out: &mut Vec<Proposal>) {
    let chars = &layout.chars;
    for (open, close) in [('《', '》'), ('“', '”')] {
        let mut i = 0;
        while i < chars.len() {
            if chars[i] != open {
                i += 1;
                continue;
            }
            let Some(len) = chars[i + 1..].iter().take(60).position(|c| *c == close) else {
                i += 1;
                continue;
            };
            let inner = layout.text(i + 1..i + 1 + len).to_owned();
            let after = i + 2 + len;
            i = after;
            if open == '《' {
                if len >= 2 {
                    let kind = ending_kind(rules, &inner)
                        .filter(|e| e.kind == "Guide")
                        .map_or("Policy", |e| e.kind.as_str());
                    out.push(Proposal {
                        name: inner,
                        kind: kind.to_owned(),
                        how: "a title in 《》".to_owned(),
                    });
                }
                continue;
            }
            if inner.starts_with("关于")
                && ["建议", "提案", "议案"].iter().any(|w| inner.ends_with(w))
            {
                out.push(Proposal {
                    name: inner,
                    kind: "Proposal".to_owned(),
                    how: "the title in “” of the proposal answered".to_owned(),
                });
                continue;
            }
            if !(2..=20).contains(&len)
                || inner.chars().any(|c| "，。、；：,;:".contains(c))
                || inner.starts_with(|c: char| "一二三四五六七八九十".contains(c))
            {
                continue;
            }
            let rest = layout.text(after..chars.len().min(after + 8));
            if let Some(e) = rules.endings.iter().find(|e| rest.starts_with(&e.ending)) {
                out.push(Proposal {
                    name: format!("“{inner}”{}", e.ending),
                    kind: e.kind.clone(),
                    how: format!("a name in “” followed by {}", e.ending),
                });
            } else {
                let kind = ending_kind(rules, &inner).map_or("Programme", |e| e.kind.as_str());
                out.push(Proposal {
                    name: inner,
                    kind: kind.to_owned(),
                    how: "a name in “”".to_owned(),
                });
            }
        }
    }
}

/// People: a name the segmenter tags as a person's, before a title (`代表`).
fn titled(layout: &Layout, rules: &Rules, words: &[Word], out: &mut Vec<Proposal>) {
    for (i, title) in words.iter().enumerate() {
        let following = layout.text(title.span.start..layout.chars.len().min(title.span.start + 4));
        let Some(t) = rules
            .titles
            .iter()
            .find(|t| following.starts_with(&t.title))
        else {
            continue;
        };
        // The segmenter may split a name (王/立新): take up to four
        // characters back whose first word is tagged as a surname or name.
        let mut start = title.span.start;
        let mut name = None;
        for w in words[..i].iter().rev() {
            if w.span.end != start
                || start - w.span.start + (title.span.start - start) > 4
                || rules.breaks.contains(&w.text)
                || w.tag == "x"
                || w.tag.starts_with('u')
            {
                break;
            }
            start = w.span.start;
            if w.tag.starts_with("nr") {
                name = Some(start);
            }
        }
        if let Some(start) = name
            && title.span.start - start >= 2
        {
            out.push(Proposal {
                name: layout.text(start..title.span.start).to_owned(),
                kind: t.kind.clone(),
                how: format!("a person's name before {}", t.title),
            });
        }
    }
}

/// Items of a list before a head noun (`人工智能、集成电路等领域`) or after
/// one (`领域包括电子信息、人工智能等`).
fn listed(layout: &Layout, rules: &Rules, words: &[Word], out: &mut Vec<Proposal>) {
    let text = &layout.squeezed;
    // Positions already covered by a longer head (先导产业 before 产业).
    let mut covered = BTreeSet::new();
    for head in &rules.list_heads {
        for (byte, _) in text.match_indices(head.head.as_str()) {
            let at = text[..byte].chars().count();
            let end = at + head.head.chars().count();
            if (at..end).any(|i| covered.contains(&i)) {
                continue;
            }
            covered.extend(at..end);
            let clause = layout.clause(at);
            let mut items = Vec::new();
            // The list before the head, which a list closes with 等 or a
            // count (三大, 三个): 人工智能、集成电路等领域.
            let before = layout.text(clause.start..at);
            let mut trimmed = before;
            loop {
                let next =
                    trimmed.trim_end_matches(|c: char| "等大个项类".contains(c) || is_numeral(c));
                let next = rules
                    .list_heads
                    .iter()
                    .find_map(|h| next.strip_suffix(h.head.as_str()))
                    .unwrap_or(next);
                if next.len() == trimmed.len() {
                    break;
                }
                trimmed = next;
            }
            if trimmed.len() < before.len() {
                items = split_list(trimmed);
                if let Some(first) = items.first_mut() {
                    *first = last_phrase(first, rules, words, layout, clause.start);
                }
            }
            // Or after it: 领域包括A、B等.
            let after = layout.text(end..clause.end);
            if items.len() < 2
                && let Some(rest) = ["包括", "涵盖", "涉及"]
                    .iter()
                    .find_map(|w| after.strip_prefix(w))
            {
                items = split_list(rest.trim_end_matches('等'));
            }
            items.retain(|item| {
                let n = item.chars().count();
                (2..=8).contains(&n)
                    && !item.starts_with("关于")
                    && !item.contains('等')
                    && !item
                        .chars()
                        .any(|c| c.is_ascii_digit() || "“”《》（）".contains(c))
            });
            if items.len() < 2 {
                continue;
            }
            for item in items {
                {
                    out.push(Proposal {
                        name: item,
                        kind: head.kind.clone(),
                        how: format!("an item of a list headed by {}", head.head),
                    });
                }
            }
        }
    }
}

fn is_numeral(c: char) -> bool {
    "零一二两三四五六七八九十百千".contains(c)
}

/// Splits `A、B、C和D` into its items.
fn split_list(text: &str) -> Vec<String> {
    let mut items: Vec<String> = text.split('、').map(str::to_owned).collect();
    if let Some(last) = items.pop() {
        let mut split = false;
        for joiner in ["以及", "和", "及", "与"] {
            if let Some((a, b)) = last.split_once(joiner)
                && !a.is_empty()
                && !b.is_empty()
            {
                items.push(a.to_owned());
                items.push(b.to_owned());
                split = true;
                break;
            }
        }
        if !split {
            items.push(last);
        }
    }
    items.retain(|i| !i.is_empty());
    items
}

/// The last phrase of `text` (which starts at `start`): the words after the
/// last word that breaks a name.
fn last_phrase(text: &str, rules: &Rules, words: &[Word], layout: &Layout, start: usize) -> String {
    let end = start + text.chars().count();
    let mut from = start;
    for w in words
        .iter()
        .filter(|w| w.span.start >= start && w.span.end <= end)
    {
        if rules.breaks.contains(&w.text) || w.tag == "v" || w.tag == "p" {
            from = w.span.end;
        }
    }
    layout.text(from..end).to_owned()
}

/// Tags that never sit inside a name.
const STOP_TAGS: [&str; 14] = [
    "p", "c", "u", "uj", "ul", "uz", "ug", "ud", "uv", "r", "d", "m", "q", "mq",
];
/// Tags of proper names.
const PROPER_TAGS: [&str; 7] = ["ns", "nt", "nr", "nz", "j", "eng", "nrt"];

/// Names that end as the table says: walk back from the ending over words
/// that may sit inside a name.
fn ended(layout: &Layout, rules: &Rules, words: &[Word], known: &[Known], out: &mut Vec<Proposal>) {
    let ends: HashMap<usize, usize> = words
        .iter()
        .enumerate()
        .map(|(i, w)| (w.span.end, i))
        .collect();
    let known_names: Vec<String> = known.iter().flat_map(Known::names).collect();
    let text = &layout.squeezed;
    let mut done = BTreeSet::new();
    for ending in &rules.endings {
        let elen = ending.ending.chars().count();
        for (byte, _) in text.match_indices(ending.ending.as_str()) {
            let at = text[..byte].chars().count();
            let mut end = at + elen;
            if !done.insert(end) {
                continue;
            }
            // The ending must close a word (中心 in 中心城区 does not), or
            // stand before a punctuation mark.
            let last = match ends.get(&end) {
                Some(&i) => i,
                None => {
                    let followed = layout.chars.get(end).is_none_or(|c| !c.is_alphanumeric());
                    match words.iter().position(|w| w.span.contains(&(end - 1))) {
                        Some(i) if followed => i,
                        _ => continue,
                    }
                }
            };
            // A one-character ending (局, 办, 券) must be a word of its own
            // or end a word of three characters or more (格局 is no body).
            let word = &words[last];
            if elen == 1 && word.text.chars().count() == 2 {
                continue;
            }
            // Walk back from the word the ending starts in (技术创新|中心
            // for 创新中心), which belongs to the name whole.
            let Some(mut i) = words[..=last].iter().rposition(|w| w.span.contains(&at)) else {
                continue;
            };
            let mut start = words[i].span.start;
            let mut first_tag = words[i].tag.clone();
            let mut depth = 0i32;
            let paragraph = layout.paragraph(at);
            let group = ending.kind == "EnterpriseGroup";
            // Official names join words with 和 (发展和改革委员会).
            let official = ending.kind == "GovernmentBody";
            while i > 0 {
                let w = &words[i - 1];
                if w.span.end != start || w.span.start < paragraph.start {
                    break;
                }
                // Groups of enterprises are named by what they are, not by
                // what is done to them (孵化企业, 服务企业).
                if group && (w.tag == "v" || w.tag == "vn") {
                    break;
                }
                let c = w.text.chars().next().unwrap_or(' ');
                let bracket = w.text == "）" || w.text == "（";
                if w.text == "）" {
                    depth += 1;
                } else if w.text == "（" {
                    depth -= 1;
                }
                let inside = bracket && depth >= 0 || official && w.text == "和";
                if !inside
                    && (rules.breaks.contains(&w.text)
                        || STOP_TAGS.contains(&w.tag.as_str())
                        || w.tag == "x"
                        || !c.is_alphanumeric()
                        || w.text.chars().any(|c| c.is_ascii_digit()))
                {
                    break;
                }
                if start - w.span.start + (end - start) > 30 {
                    break;
                }
                start = w.span.start;
                first_tag = w.tag.clone();
                i -= 1;
            }
            // A bracket right after the name belongs to it: 中心（上海理工）.
            if layout.chars.get(end) == Some(&'（')
                && let Some(close) = layout.chars[end..layout.chars.len().min(end + 12)]
                    .iter()
                    .position(|c| *c == '）')
                && !layout
                    .text(end..end + close)
                    .contains(|c: char| "，。、".contains(c))
            {
                end += close + 1;
            }
            while layout.chars.get(start) == Some(&'）') || layout.chars.get(start) == Some(&'（')
            {
                start += 1;
            }
            let name = layout.text(start..end).to_owned();
            let prefix = name.chars().count() - elen;
            let body = ending.kind == "GovernmentBody";
            if prefix < if body { 1 } else { 2 } {
                continue;
            }
            let specific = name.chars().count() >= 7
                || PROPER_TAGS.contains(&first_tag.as_str())
                || ending.any_prefix == "true"
                || known_names.iter().any(|k| name.starts_with(k.as_str()));
            if !specific {
                continue;
            }
            out.push(Proposal {
                name,
                kind: ending.kind.clone(),
                how: format!("the name ends in {} ({})", ending.ending, ending.kind),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_lists() {
        assert_eq!(slug("ResearchInstitute"), "research-institute");
        assert_eq!(
            split_list("大模型、智能机器人和智慧医疗"),
            ["大模型", "智能机器人", "智慧医疗"]
        );
    }
}
