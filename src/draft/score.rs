//! Measuring a draft against a curated dataset of the same letter: recall
//! and precision of entity names (same name, or names whose places in the
//! letter overlap), of figures (same value and unit) and of relations (same
//! subject, predicate and object once the draft's entities are matched to
//! the curated ones), and whether every drafted quote occurs in the letter.

use crate::dataset::Dataset;
use crate::rdf;
use crate::validate::squeeze;
use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::ops::Range;

/// Found / total, both ways.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Match {
    /// Curated items the draft found.
    pub found: usize,
    /// Curated items.
    pub curated: usize,
    /// Drafted items that match a curated one.
    pub right: usize,
    /// Drafted items.
    pub drafted: usize,
}

impl Match {
    /// found / curated (1 when nothing was curated).
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.curated)
    }

    /// right / drafted (1 when nothing was drafted).
    pub fn precision(&self) -> f64 {
        ratio(self.right, self.drafted)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

impl fmt::Display for Match {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "recall {:5.1}% ({}/{}), precision {:5.1}% ({}/{})",
            self.recall() * 100.0,
            self.found,
            self.curated,
            self.precision() * 100.0,
            self.right,
            self.drafted
        )
    }
}

/// The scores of one draft.
#[derive(Debug, Clone, Default)]
pub struct Scores {
    /// Entity names, same name (or alias).
    pub entities_exact: Match,
    /// Entity names whose places in the letter overlap.
    pub entities_overlap: Match,
    /// Figures, same value and unit.
    pub figures: Match,
    /// Relations, same subject, predicate and object.
    pub relations: Match,
    /// Relations, same two entities whatever the predicate and direction.
    pub relation_pairs: Match,
    /// Matched figures whose subject is the curated one: (right, matched).
    pub figure_subjects: (usize, usize),
    /// Drafted quotes that occur in the letter (white space ignored).
    pub verbatim: (usize, usize),
    /// Drafted quotes that occur exactly once in the letter.
    pub unique: (usize, usize),
    /// Curated entities not found (not even overlapping), by name.
    pub missed_entities: Vec<String>,
    /// Curated figures not found, as written.
    pub missed_figures: Vec<String>,
    /// Drafted figures that match none, as written.
    pub wrong_figures: Vec<String>,
}

impl fmt::Display for Scores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "entity names, exact:        {}", self.entities_exact)?;
        writeln!(f, "entity names, overlapping:  {}", self.entities_overlap)?;
        writeln!(f, "figures (value and unit):   {}", self.figures)?;
        writeln!(
            f,
            "figure subjects right:      {}/{} of the matched figures",
            self.figure_subjects.0, self.figure_subjects.1
        )?;
        writeln!(f, "relations (s, p, o):        {}", self.relations)?;
        writeln!(f, "relations (pair only):      {}", self.relation_pairs)?;
        writeln!(
            f,
            "quotes verbatim: {}/{}, unique in the letter: {}/{}",
            self.verbatim.0, self.verbatim.1, self.unique.0, self.unique.1
        )
    }
}

/// The names of an entity as they can occur in the letter, without white space.
fn names(name_zh: &str, aliases: &str) -> BTreeSet<String> {
    std::iter::once(name_zh)
        .chain(rdf::aliases(aliases))
        .map(squeeze)
        .filter(|n| !n.is_ascii() && !n.is_empty())
        .collect()
}

/// Where each of `names` occurs in `text` (byte ranges).
fn places(text: &str, names: &BTreeSet<String>) -> Vec<Range<usize>> {
    names
        .iter()
        .flat_map(|n| text.match_indices(n.as_str()).map(|(i, m)| i..i + m.len()))
        .collect()
}

fn overlaps(a: &[Range<usize>], b: &[Range<usize>]) -> bool {
    a.iter()
        .any(|x| b.iter().any(|y| x.start < y.end && y.start < x.end))
}

/// An entity's id, names and places in the letter.
type Named = (String, BTreeSet<String>, Vec<Range<usize>>);

/// Scores `draft` against `curated`; both are datasets of the same letter,
/// whose text is taken from the draft.
pub fn score(draft: &Dataset, curated: &Dataset) -> Scores {
    let text = draft
        .texts
        .values()
        .next()
        .map(|(_, t)| squeeze(t))
        .unwrap_or_default();
    let entity_names = |d: &Dataset| -> Vec<Named> {
        d.entities
            .rows
            .iter()
            .map(|r| {
                let n = names(&r.value.name_zh, &r.value.aliases);
                let p = places(&text, &n);
                (r.value.id.clone(), n, p)
            })
            .collect()
    };
    let drafted = entity_names(draft);
    let curated_names = entity_names(curated);
    let exact = |a: &BTreeSet<String>, b: &BTreeSet<String>| !a.is_disjoint(b);
    let mut scores = Scores::default();
    let mut map: HashMap<&str, &str> = HashMap::new();
    for (id, n, p) in &drafted {
        let best = curated_names
            .iter()
            .find(|(_, cn, _)| exact(n, cn))
            .or_else(|| curated_names.iter().find(|(_, _, cp)| overlaps(p, cp)));
        if let Some((cid, _, _)) = best {
            map.insert(id.as_str(), cid.as_str());
        }
    }
    let count = |rel: &dyn Fn(&Named, &Named) -> bool| Match {
        found: curated_names
            .iter()
            .filter(|c| drafted.iter().any(|d| rel(d, c)))
            .count(),
        curated: curated_names.len(),
        right: drafted
            .iter()
            .filter(|d| curated_names.iter().any(|c| rel(d, c)))
            .count(),
        drafted: drafted.len(),
    };
    scores.entities_exact = count(&|d, c| exact(&d.1, &c.1));
    scores.entities_overlap = count(&|d, c| exact(&d.1, &c.1) || overlaps(&d.2, &c.2));
    scores.missed_entities = curated_names
        .iter()
        .filter(|c| {
            !drafted
                .iter()
                .any(|d| exact(&d.1, &c.1) || overlaps(&d.2, &c.2))
        })
        .map(|c| {
            squeeze(
                &curated
                    .entities
                    .rows
                    .iter()
                    .find(|r| r.value.id == c.0)
                    .map(|r| r.value.name_zh.clone())
                    .unwrap_or_default(),
            )
        })
        .collect();

    // Figures: one to one on (value, unit).
    let key = |value: &str, unit: &str| {
        (
            value
                .parse::<f64>()
                .map(|v| (v * 1000.0).round() as i128)
                .unwrap_or(-1),
            unit.to_owned(),
        )
    };
    let mut open: Vec<((i128, String), &str)> = curated
        .figures
        .rows
        .iter()
        .map(|r| (key(&r.value.value, &r.value.unit), r.value.subject.as_str()))
        .collect();
    let mut right = 0;
    for r in &draft.figures.rows {
        let k = key(&r.value.value, &r.value.unit);
        // Among the curated figures of this value, the one about the same
        // entity if there is one.
        let mapped = map.get(r.value.subject.as_str()).copied();
        let same = |o: &((i128, String), &str)| o.0 == k;
        let position = open
            .iter()
            .position(|o| same(o) && Some(o.1) == mapped)
            .or_else(|| open.iter().position(same));
        if let Some(i) = position {
            if Some(open[i].1) == mapped {
                scores.figure_subjects.0 += 1;
            }
            scores.figure_subjects.1 += 1;
            open.remove(i);
            right += 1;
        } else {
            scores.wrong_figures.push(squeeze(&r.value.as_written));
        }
    }
    let mut missed: Vec<(i128, String)> = open.iter().map(|o| o.0.clone()).collect();
    scores.missed_figures = curated
        .figures
        .rows
        .iter()
        .filter(|r| {
            let k = key(&r.value.value, &r.value.unit);
            match missed.iter().position(|m| *m == k) {
                Some(i) => {
                    missed.remove(i);
                    true
                }
                None => false,
            }
        })
        .map(|r| squeeze(&r.value.as_written))
        .collect();
    scores.figures = Match {
        found: right,
        curated: curated.figures.rows.len(),
        right,
        drafted: draft.figures.rows.len(),
    };

    // Relations, through the entity match.
    let triples: BTreeSet<(&str, &str, &str)> = curated
        .relations
        .rows
        .iter()
        .map(|r| {
            (
                r.value.subject.as_str(),
                r.value.predicate.as_str(),
                r.value.object.as_str(),
            )
        })
        .collect();
    let pair = |a: &str, b: &str| {
        if a < b {
            (a.to_owned(), b.to_owned())
        } else {
            (b.to_owned(), a.to_owned())
        }
    };
    let pairs: BTreeSet<(String, String)> = triples.iter().map(|(s, _, o)| pair(s, o)).collect();
    let mapped: Vec<Option<(&str, &str, &str)>> = draft
        .relations
        .rows
        .iter()
        .map(|r| {
            Some((
                *map.get(r.value.subject.as_str())?,
                r.value.predicate.as_str(),
                *map.get(r.value.object.as_str())?,
            ))
        })
        .collect();
    let got: BTreeSet<(&str, &str, &str)> = mapped.iter().flatten().copied().collect();
    let got_pairs: BTreeSet<(String, String)> = got.iter().map(|(s, _, o)| pair(s, o)).collect();
    scores.relations = Match {
        found: triples.iter().filter(|t| got.contains(*t)).count(),
        curated: triples.len(),
        right: mapped
            .iter()
            .filter(|m| m.is_some_and(|t| triples.contains(&t)))
            .count(),
        drafted: mapped.len(),
    };
    scores.relation_pairs = Match {
        found: pairs.iter().filter(|p| got_pairs.contains(*p)).count(),
        curated: pairs.len(),
        right: mapped
            .iter()
            .filter(|m| m.is_some_and(|(s, _, o)| pairs.contains(&pair(s, o))))
            .count(),
        drafted: mapped.len(),
    };

    // Quotes.
    let quotes: Vec<String> = draft
        .entities
        .rows
        .iter()
        .map(|r| &r.value.evidence.quote)
        .chain(draft.relations.rows.iter().map(|r| &r.value.evidence.quote))
        .chain(draft.figures.rows.iter().map(|r| &r.value.evidence.quote))
        .map(|q| squeeze(q))
        .collect();
    let found = |q: &String| !q.is_empty() && text.contains(q.as_str());
    scores.verbatim = (quotes.iter().filter(|q| found(q)).count(), quotes.len());
    scores.unique = (
        quotes
            .iter()
            .filter(|q| found(q) && text.matches(q.as_str()).count() == 1)
            .count(),
        quotes.len(),
    );
    scores
}
