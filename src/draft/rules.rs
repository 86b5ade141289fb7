//! The drafting rules, which are data: the tables of `data/draft/` (name
//! endings to kinds, list heads, person titles, words that break a name,
//! relation triggers, figure words). A dataset folder given with `--data`
//! may bring its own `draft/` tables; otherwise the embedded ones are used.

use crate::bundled;
use crate::dataset::Files;
use crate::error::{Error, Location};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, BTreeSet};

/// A name ending and the kind of entity it makes (`研究院` → `ResearchInstitute`).
#[derive(Debug, Clone, Deserialize)]
pub struct Ending {
    /// The last characters of a name.
    pub ending: String,
    /// The kind (ontology class) of an entity whose name ends so.
    pub kind: String,
    /// `true` when any name with this ending is taken, however short and
    /// whatever its first word (区财政局, 算力券); otherwise a name must be
    /// seven characters or more, or start with a proper name.
    pub any_prefix: String,
}

/// A noun after a list that gives the kind of its items (`领域` → `Field`).
#[derive(Debug, Clone, Deserialize)]
pub struct ListHead {
    /// The head noun.
    pub head: String,
    /// The kind of each item of the list.
    pub kind: String,
}

/// A title after a person's name (`代表`).
#[derive(Debug, Clone, Deserialize)]
pub struct Title {
    /// The title.
    pub title: String,
    /// The kind of the entity before it.
    pub kind: String,
}

/// A word that proposes a relation between the entities around it.
#[derive(Debug, Clone, Deserialize)]
pub struct Trigger {
    /// The trigger word (`共建`).
    pub trigger: String,
    /// The predicate it maps to (`cobuilds`).
    pub predicate: String,
    /// `forward` (subject before the word, object after it) or `host`
    /// (依托 A 建设 B: A is the subject, B the object, both after the word).
    pub pattern: String,
    /// `|`-separated kinds the object must have; empty for any.
    pub object_kinds: String,
    /// `high` or `low`.
    pub confidence: String,
}

/// A word with a role in figures (`亿` multiplier, `超过` qualifier before
/// the number, `家` measure word, ...).
#[derive(Debug, Clone, Deserialize)]
struct FigureWord {
    word: String,
    role: String,
    value: String,
}

/// Every table the drafter uses.
#[derive(Debug, Clone)]
pub struct Rules {
    /// Name endings, longest first.
    pub endings: Vec<Ending>,
    /// List heads, longest first.
    pub list_heads: Vec<ListHead>,
    /// Person titles.
    pub titles: Vec<Title>,
    /// Words that end a name on its left.
    pub breaks: BTreeSet<String>,
    /// Relation triggers, longest first.
    pub triggers: Vec<Trigger>,
    /// Measure words → unit, longest first.
    pub measures: Vec<(String, String)>,
    /// Multipliers (`亿` → 10^8).
    pub multipliers: BTreeMap<char, u64>,
    /// Qualifiers written before a number, longest first.
    pub before: Vec<(String, String)>,
    /// Qualifiers written after a number.
    pub after: Vec<(String, String)>,
    /// Words that make a figure cumulative.
    pub cumulative: Vec<String>,
    /// Rank words (`首家` → 1).
    pub ranks: Vec<(String, u64)>,
    /// Words after 第N that make it a number, not a rank (`号`, `届`).
    pub ordinal_stops: Vec<String>,
    /// Kinds that are never the subject of a figure.
    pub not_subject: BTreeSet<String>,
}

impl Rules {
    /// The tables of `files` (its `draft/` folder) where it has them, the
    /// embedded ones otherwise.
    pub fn load(files: &Files) -> Result<Rules, Error> {
        let mut endings: Vec<Ending> = table(files, "name-endings.csv")?;
        endings.sort_by_key(|e| std::cmp::Reverse(e.ending.chars().count()));
        let mut list_heads: Vec<ListHead> = table(files, "list-heads.csv")?;
        list_heads.sort_by_key(|e| std::cmp::Reverse(e.head.chars().count()));
        let titles: Vec<Title> = table(files, "titles.csv")?;
        #[derive(Deserialize)]
        struct Word {
            word: String,
        }
        let breaks = table::<Word>(files, "breaks.csv")?
            .into_iter()
            .map(|w| w.word)
            .collect();
        let mut triggers: Vec<Trigger> = table(files, "triggers.csv")?;
        triggers.sort_by_key(|t| std::cmp::Reverse(t.trigger.chars().count()));
        let mut rules = Rules {
            endings,
            list_heads,
            titles,
            breaks,
            triggers,
            measures: Vec::new(),
            multipliers: BTreeMap::new(),
            before: Vec::new(),
            after: Vec::new(),
            cumulative: Vec::new(),
            ranks: Vec::new(),
            ordinal_stops: Vec::new(),
            not_subject: BTreeSet::new(),
        };
        let name = "figure-words.csv";
        for (line, w) in table::<FigureWord>(files, name)?.into_iter().enumerate() {
            let bad = |message: String| Error::Syntax {
                location: Location {
                    file: shown(files, name),
                    line: line as u64 + 2,
                    column: 1,
                },
                message,
            };
            match w.role.as_str() {
                "measure" => rules.measures.push((w.word, w.value)),
                "multiplier" => {
                    let mut chars = w.word.chars();
                    let (Some(c), None, Ok(n)) = (chars.next(), chars.next(), w.value.parse())
                    else {
                        return Err(bad(format!(
                            "a multiplier is one character with a whole number: `{}`, `{}`",
                            w.word, w.value
                        )));
                    };
                    rules.multipliers.insert(c, n);
                }
                "before" => rules.before.push((w.word, w.value)),
                "after" => rules.after.push((w.word, w.value)),
                "cumulative" => rules.cumulative.push(w.word),
                "rank" => {
                    let n = w
                        .value
                        .parse()
                        .map_err(|_| bad(format!("rank `{}` needs a whole number", w.word)))?;
                    rules.ranks.push((w.word, n));
                }
                "ordinal-stop" => rules.ordinal_stops.push(w.word),
                "not-subject" => {
                    rules.not_subject.insert(w.word);
                }
                other => {
                    return Err(bad(format!(
                        "unknown role `{other}`: use measure, multiplier, before, after, cumulative, rank, ordinal-stop or not-subject"
                    )));
                }
            }
        }
        let longest = |v: &mut Vec<(String, String)>| {
            v.sort_by_key(|(w, _)| std::cmp::Reverse(w.chars().count()))
        };
        longest(&mut rules.measures);
        longest(&mut rules.before);
        longest(&mut rules.after);
        Ok(rules)
    }
}

fn shown(files: &Files, name: &str) -> String {
    match files {
        Files::Dir(dir) if dir.join("draft").join(name).is_file() => {
            dir.join("draft").join(name).display().to_string()
        }
        _ => format!("data/draft/{name}"),
    }
}

/// Reads one table: `DIR/draft/NAME` when the dataset folder has it, the
/// embedded `data/draft/NAME` otherwise.
fn table<T: DeserializeOwned>(files: &Files, name: &str) -> Result<Vec<T>, Error> {
    let file = shown(files, name);
    let text = match files {
        Files::Dir(dir) if dir.join("draft").join(name).is_file() => {
            std::fs::read_to_string(dir.join("draft").join(name)).map_err(|source| Error::Io {
                path: file.clone(),
                source,
            })?
        }
        _ => bundled::draft_file(name)
            .ok_or_else(|| Error::Io {
                path: file.clone(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "not among the embedded drafting tables",
                ),
            })?
            .to_owned(),
    };
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.deserialize() {
        let row: T = record.map_err(|e| Error::Syntax {
            location: Location {
                file: file.clone(),
                line: e.position().map_or(1, |p| p.line()),
                column: 1,
            },
            message: e.to_string(),
        })?;
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_tables_load() {
        let rules = Rules::load(&Files::Bundled).unwrap();
        assert!(rules.endings.iter().any(|e| e.ending == "研究院"));
        let lengths: Vec<usize> = rules
            .endings
            .iter()
            .map(|e| e.ending.chars().count())
            .collect();
        assert!(lengths.windows(2).all(|w| w[0] >= w[1]), "longest first");
        assert_eq!(rules.multipliers.get(&'亿'), Some(&100_000_000));
        assert!(rules.triggers.iter().any(|t| t.predicate == "cobuilds"));
    }
}
