//! `innograph draft`: from a new letter of the same genre (a district's or a
//! commission's reply to a deputy's proposal) to a draft dataset in
//! innograph's CSV form, every row marked `draft` with its section and a
//! verbatim quote, so that a curator only confirms, corrects or deletes.
//!
//! The steps, one file each: [`read`] the letter (UTF-8 or GB18030), lay it
//! out in [`sections`], load the [`rules`] (tables in `data/draft/`), find
//! the [`entities`] (known ones of the dataset first), the [`figures`] and
//! the [`relations`], then [`write`] the folder. [`score`] measures a draft
//! against a curated dataset.

pub mod entities;
pub mod figures;
pub mod read;
pub mod relations;
pub mod rules;
pub mod score;
pub mod sections;
pub mod write;

use crate::dataset::{Dataset, Files};
use crate::error::Error;
use crate::validate;
use entities::{Entity, Known, Mention};
use figures::Figure;
use jieba_rs::Jieba;
use read::LetterText;
use relations::Relation;
use rules::Rules;
use sections::Layout;
use std::collections::BTreeSet;
use std::path::Path;

/// The longest quote drafted around a name or a figure, in characters,
/// before it has to grow to be unique.
const QUOTE_WINDOW: usize = 60;

/// What a draft is made against: the known entities, the kinds and
/// predicates the ontology declares, the ontology itself and the rules.
pub struct Context {
    /// Entities of the dataset, matched first.
    pub known: Vec<Known>,
    /// Kinds the ontology declares (empty: any).
    pub kinds: BTreeSet<String>,
    /// Predicates the ontology declares (empty: any).
    pub predicates: BTreeSet<String>,
    /// The ontology's Turtle text, copied beside the draft.
    pub ontology: String,
    /// The drafting tables.
    pub rules: Rules,
    /// The segmenter, with the known names as a user dictionary.
    jieba: Jieba,
}

impl Context {
    /// The context of the dataset `files`: its entities (all but its source
    /// documents) are the known ones.
    pub fn of_dataset(files: &Files) -> Result<Context, Error> {
        let dataset = Dataset::read(files)?;
        let schema = validate::schema_of(&dataset)?;
        let sources: BTreeSet<&str> = dataset
            .sources
            .rows
            .iter()
            .map(|r| r.value.id.as_str())
            .collect();
        let known = dataset
            .entities
            .rows
            .iter()
            .map(|r| &r.value)
            .filter(|e| !sources.contains(e.id.as_str()))
            .map(|e| Known {
                id: e.id.clone(),
                kind: e.kind.clone(),
                name_zh: e.name_zh.clone(),
                name_en: e.name_en.clone(),
                aliases: e.aliases.clone(),
                wikidata: e.wikidata.clone(),
                ror: e.ror.clone(),
            })
            .collect();
        Ok(Context::new(
            known,
            schema.kinds.keys().cloned().collect(),
            schema.predicates.keys().cloned().collect(),
            dataset.ontology.1.clone(),
            Rules::load(files)?,
        ))
    }

    /// A context from its parts.
    pub fn new(
        known: Vec<Known>,
        kinds: BTreeSet<String>,
        predicates: BTreeSet<String>,
        ontology: String,
        rules: Rules,
    ) -> Context {
        let mut jieba = Jieba::new();
        for k in &known {
            for name in k.names() {
                jieba.add_word(&name, None, Some("nt"));
            }
        }
        Context {
            known,
            kinds,
            predicates,
            ontology,
            rules,
            jieba,
        }
    }

    /// The same context without known entities: what the rules find alone.
    pub fn without_known(&self) -> Context {
        Context::new(
            Vec::new(),
            self.kinds.clone(),
            self.predicates.clone(),
            self.ontology.clone(),
            self.rules.clone(),
        )
    }
}

/// A drafted dataset, before it is written.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The letter as read.
    pub letter: LetterText,
    /// The source id (also the letter's entity id).
    pub source_id: String,
    /// Its layout.
    pub layout: Layout,
    /// The entities, the letter first.
    pub entities: Vec<Entity>,
    /// Where each entity is named.
    pub mentions: Vec<Mention>,
    /// The figures.
    pub figures: Vec<Figure>,
    /// The relations, without repeats.
    pub relations: Vec<Relation>,
    /// Extra facts of the letter entity: title, identifier, date.
    pub identifier: String,
    /// The letter's date (ISO), if it gives one.
    pub date: String,
}

/// Drafts the dataset of `letter`.
pub fn draft(letter: LetterText, context: &Context) -> Draft {
    let layout = Layout::new(&letter.text);
    let words = entities::segment(&layout, &context.jieba);
    let (mut found, mentions) = entities::find(
        &layout,
        &context.rules,
        &context.known,
        &words,
        &context.kinds,
    );
    let source_id = letter_id(&letter.file_name);

    // The letter itself: its title, number and date where the text gives them.
    let head = 0..layout.body.start;
    let title = layout
        .paragraphs
        .iter()
        .find(|p| p.end <= head.end && layout.text((*p).clone()).contains("关于"))
        .cloned();
    let identifier = layout
        .paragraphs
        .iter()
        .filter(|p| p.end <= head.end)
        .find_map(|p| document_number(layout.text(p.clone())))
        .unwrap_or_default();
    let date = layout
        .paragraphs
        .iter()
        .filter(|p| p.start >= layout.body.end)
        .find_map(|p| sections::parse_date(layout.text(p.clone())).map(|(d, _)| d))
        .unwrap_or_default();
    let letter_kind = if context.kinds.is_empty() || context.kinds.contains("Letter") {
        "Letter"
    } else {
        "Policy"
    };
    let first = title.clone().unwrap_or(0..layout.chars.len().min(10));
    let letter_entity = Entity {
        id: source_id.clone(),
        kind: letter_kind.to_owned(),
        name_zh: title
            .map(|t| layout.text(t).to_owned())
            .unwrap_or_else(|| letter.file_name.clone()),
        name_en: String::new(),
        aliases: identifier.clone(),
        wikidata: String::new(),
        ror: String::new(),
        known: None,
        first,
        note: "The letter itself (its title in the head).".to_owned(),
    };
    found.insert(0, letter_entity);
    let mentions: Vec<Mention> = mentions
        .into_iter()
        .map(|m| Mention {
            span: m.span,
            entity: m.entity + 1,
        })
        .collect();

    // The author: the body that signs, else the first body in the head.
    let body_kind = |m: &&Mention| found[m.entity].kind == "GovernmentBody";
    let author = mentions
        .iter()
        .filter(|m| m.span.start >= layout.body.end)
        .find(body_kind)
        .or_else(|| {
            mentions
                .iter()
                .filter(|m| m.span.end <= head.end)
                .find(body_kind)
        })
        .map(|m| m.entity);

    let figures = figures::find(&layout, &context.rules, &found, &mentions);
    let mut relations =
        relations::of_letter(&layout, &found, &mentions, 0, author, &context.predicates);
    relations.extend(relations::find(
        &layout,
        &context.rules,
        &found,
        &mentions,
        author,
        &context.predicates,
    ));
    let mut seen = BTreeSet::new();
    relations.retain(|r| seen.insert((r.subject, r.predicate.clone(), r.object)));
    Draft {
        letter,
        source_id,
        layout,
        entities: found,
        mentions,
        figures,
        relations,
        identifier,
        date,
    }
}

/// Reads `letter`, drafts it against the dataset `files` and writes the
/// draft to `out`.
pub fn draft_to_dir(letter: &Path, out: &Path, files: &Files) -> Result<write::Outcome, Error> {
    let text = read::read_letter(letter)?;
    let context = Context::of_dataset(files)?;
    let draft = draft(text, &context);
    write::write(&draft, &context, out)
}

/// The source id made from a file name: `yangpu-reply-2023-6.txt` →
/// `yangpu-reply-2023-6`; `letter` when the name has no ASCII letters or digits.
pub fn letter_id(file_name: &str) -> String {
    let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
    let mut id = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-').to_owned();
    if id.is_empty() {
        "letter".to_owned()
    } else {
        id
    }
}

/// A document number like `杨府〔2023〕6号` at the end of `text`.
fn document_number(text: &str) -> Option<String> {
    let open = text.find('〔')?;
    let close = text[open..].find('〕')? + open;
    let year = &text[open + '〔'.len_utf8()..close];
    let rest = &text[close + '〕'.len_utf8()..];
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let valid = year.len() == 4
        && year.chars().all(|c| c.is_ascii_digit())
        && digits > 0
        && rest[digits..].starts_with('号')
        && open > 0;
    valid.then(|| {
        let prefix: String = text[..open]
            .chars()
            .rev()
            .take_while(|c| !c.is_whitespace() && !"，。：".contains(*c))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!("{prefix}〔{year}〕{}号", &rest[..digits])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_numbers() {
        assert_eq!(letter_id("yangpu-reply-2023-6.txt"), "yangpu-reply-2023-6");
        assert_eq!(letter_id("Reply 2024_12.TXT"), "reply-2024-12");
        assert_eq!(letter_id("答复.txt"), "letter");
        assert_eq!(
            document_number("杨府〔2023〕6号").as_deref(),
            Some("杨府〔2023〕6号")
        );
        assert_eq!(document_number("〔2023〕6号"), None);
        assert_eq!(document_number("杨府〔23〕6号"), None);
    }
}
