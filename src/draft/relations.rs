//! Proposing relations: a trigger word of the table (`共建`, `依托`, `设立`,
//! …) between entities of one clause, mapped to the ontology's predicate;
//! and the letter's own facts (who issued it, what it answers, who proposed
//! that, to whom it is copied).

use super::entities::{Entity, Mention};
use super::rules::{Rules, Trigger};
use super::sections::Layout;
use std::collections::{BTreeSet, HashSet};
use std::ops::Range;

/// A relation the draft proposes.
#[derive(Debug, Clone)]
pub struct Relation {
    /// Index of the subject entity.
    pub subject: usize,
    /// Predicate (a property of the ontology).
    pub predicate: String,
    /// Index of the object entity.
    pub object: usize,
    /// The words it is read from (a quote is grown from here).
    pub span: Range<usize>,
    /// Whether it should be checked with special care.
    pub low: bool,
    /// How it was found.
    pub note: String,
}

/// Words that join two entities into one list or a pair of actors.
const JOINERS: [&str; 8] = ["、", "和", "与", "及", "以及", "会同", "联合", "同"];

/// The mentions right after `first` that continue its list (A、B和C).
fn chain<'a>(
    layout: &Layout,
    mentions: &'a [Mention],
    first: usize,
    limit: usize,
) -> Vec<&'a Mention> {
    let mut out = vec![&mentions[first]];
    let mut i = first;
    while i + 1 < mentions.len() && mentions[i + 1].span.end <= limit {
        let gap = layout.text(mentions[i].span.end..mentions[i + 1].span.start);
        if !JOINERS.contains(&gap) {
            break;
        }
        out.push(&mentions[i + 1]);
        i += 1;
    }
    out
}

/// The mentions right before `last` joined to it (A与B共建: A and B).
fn chain_back<'a>(
    layout: &Layout,
    mentions: &'a [Mention],
    last: usize,
    floor: usize,
) -> Vec<&'a Mention> {
    let mut out = vec![&mentions[last]];
    let mut i = last;
    while i > 0 && mentions[i - 1].span.start >= floor {
        let gap = layout.text(mentions[i - 1].span.end..mentions[i].span.start);
        if !JOINERS.contains(&gap) {
            break;
        }
        out.push(&mentions[i - 1]);
        i -= 1;
    }
    out
}

/// Proposes relations from the triggers. `author` is the entity that wrote
/// the letter, the subject of sentences that name none.
pub fn find(
    layout: &Layout,
    rules: &Rules,
    entities: &[Entity],
    mentions: &[Mention],
    author: Option<usize>,
    predicates: &BTreeSet<String>,
) -> Vec<Relation> {
    let mut out = Vec::new();
    let text = &layout.squeezed;
    let mut used = HashSet::new();
    for trigger in &rules.triggers {
        if !predicates.is_empty() && !predicates.contains(&trigger.predicate) {
            continue;
        }
        for (byte, _) in text.match_indices(trigger.trigger.as_str()) {
            let at = text[..byte].chars().count();
            if at < layout.body.start || at >= layout.body.end {
                continue;
            }
            let end = at + trigger.trigger.chars().count();
            // A longer trigger already read these words (组织实施 before 实施).
            if (at..end).any(|i| used.contains(&i)) {
                continue;
            }
            // Nor is a trigger inside a name (中国（上海）…研究院).
            if mentions
                .iter()
                .any(|m| m.span.start < end && at < m.span.end)
            {
                continue;
            }
            used.extend(at..end);
            propose(
                layout, trigger, entities, mentions, author, at, end, &mut out,
            );
        }
    }
    out
}

#[expect(clippy::too_many_arguments, reason = "the reading of one trigger")]
fn propose(
    layout: &Layout,
    trigger: &Trigger,
    entities: &[Entity],
    mentions: &[Mention],
    author: Option<usize>,
    at: usize,
    end: usize,
    out: &mut Vec<Relation>,
) {
    let clause = layout.clause(at);
    let sentence = layout.sentence(at);
    let kinds: Vec<&str> = trigger
        .object_kinds
        .split('|')
        .filter(|k| !k.is_empty())
        .collect();
    let fits = |m: &Mention| kinds.is_empty() || kinds.contains(&entities[m.entity].kind.as_str());
    let low = trigger.confidence != "high";
    let mut push = |subject: usize, object: usize, span: Range<usize>, low: bool, how: String| {
        if subject != object {
            out.push(Relation {
                subject,
                predicate: trigger.predicate.clone(),
                object,
                span,
                low,
                note: how,
            });
        }
    };
    match trigger.pattern.as_str() {
        "host" => {
            // 依托 A（和 B）建设 C: A and B host C.
            // The host is named in the clause of 依托 itself.
            let Some(first) = mentions
                .iter()
                .position(|m| m.span.start >= end && m.span.end <= clause.end)
            else {
                return;
            };
            let hosts = chain(layout, mentions, first, sentence.end);
            let last = hosts.last().map_or(end, |m| m.span.end);
            let Some(object) = mentions
                .iter()
                .filter(|m| m.span.start >= last && m.span.end <= sentence.end)
                .find(|m| {
                    fits(m)
                        && !matches!(
                            entities[m.entity].kind.as_str(),
                            "GovernmentBody" | "University"
                        )
                })
            else {
                return;
            };
            for host in hosts {
                push(
                    host.entity,
                    object.entity,
                    at..object.span.end,
                    low,
                    format!("`{}` names the host first", trigger.trigger),
                );
            }
        }
        _ => {
            // Objects: the first fitting mention after the word in the
            // clause, and the list it starts.
            let Some(first) = mentions
                .iter()
                .position(|m| m.span.start >= end && m.span.end <= clause.end && fits(m))
            else {
                return;
            };
            let objects: Vec<&Mention> = chain(layout, mentions, first, clause.end)
                .into_iter()
                .filter(|m| fits(m))
                .collect();
            // Subjects: the nearest mention before the word in the clause
            // (with those joined to it), else in the sentence, else the author.
            // Fields do not act: a field before the word is not its subject.
            let acts = |m: &Mention| entities[m.entity].kind != "Field";
            let before = mentions
                .iter()
                .rposition(|m| m.span.end <= at && m.span.start >= clause.start && acts(m));
            let before = before.or_else(|| {
                mentions
                    .iter()
                    .rposition(|m| m.span.end <= at && m.span.start >= sentence.start)
                    .filter(|i| {
                        !matches!(
                            entities[mentions[*i].entity].kind.as_str(),
                            "Field" | "EnterpriseGroup"
                        )
                    })
            });
            let (subjects, how, low): (Vec<usize>, String, bool) = match before {
                Some(i) => (
                    chain_back(layout, mentions, i, sentence.start)
                        .into_iter()
                        .map(|m| m.entity)
                        .collect(),
                    format!("trigger `{}`", trigger.trigger),
                    low,
                ),
                None => match author {
                    Some(a) => (
                        vec![a],
                        format!(
                            "trigger `{}` with no subject in the sentence: read in the letter's own voice",
                            trigger.trigger
                        ),
                        true,
                    ),
                    None => return,
                },
            };
            let from = before.map_or(clause.start, |i| mentions[i].span.start.min(at));
            for subject in &subjects {
                for object in &objects {
                    push(
                        *subject,
                        object.entity,
                        from..object.span.end,
                        low,
                        how.clone(),
                    );
                }
            }
        }
    }
}

/// The letter's own facts: the author issued it; it answers the proposal;
/// the proposal was made by the person named; it is copied to the bodies of
/// the 抄送 line.
pub fn of_letter(
    layout: &Layout,
    entities: &[Entity],
    mentions: &[Mention],
    letter: usize,
    author: Option<usize>,
    predicates: &BTreeSet<String>,
) -> Vec<Relation> {
    let mut out = Vec::new();
    let mut push =
        |subject: usize, predicate: &str, object: usize, span: Range<usize>, note: &str| {
            if subject != object && (predicates.is_empty() || predicates.contains(predicate)) {
                out.push(Relation {
                    subject,
                    predicate: predicate.to_owned(),
                    object,
                    span,
                    low: false,
                    note: note.to_owned(),
                });
            }
        };
    if let Some(a) = author
        && let Some(m) = mentions.iter().rev().find(|m| m.entity == a)
    {
        push(
            a,
            "issued",
            letter,
            m.span.clone(),
            "The body that signs the letter.",
        );
    }
    let of_kind = |kind: &str| entities.iter().position(|e| e.kind == kind);
    if let Some(p) = of_kind("Proposal") {
        let first = entities[p].first.clone();
        push(
            letter,
            "answers",
            p,
            first.clone(),
            "The letter answers the proposal it names.",
        );
        if let Some(person) = of_kind("Person") {
            push(
                p,
                "proposedBy",
                person,
                entities[person].first.clone(),
                "The person named with the title of a deputy.",
            );
        }
    }
    let copied = layout
        .squeezed
        .find("抄送")
        .map(|b| layout.squeezed[..b].chars().count());
    if let Some(at) = copied {
        let paragraph = layout.paragraph(at);
        for m in mentions
            .iter()
            .filter(|m| paragraph.contains(&m.span.start))
        {
            push(
                letter,
                "copiedTo",
                m.entity,
                paragraph.clone(),
                "Named on the 抄送 line.",
            );
        }
    }
    out
}
