//! The view of a local Oxigraph store derived by one scan of its default
//! graph instead of the view's SPARQL queries: what `load` writes into the
//! derived index of a new generation (`store.rs`, [`crate::derived`]). On a
//! store of millions of triples the queries' joins and OPTIONALs take
//! several times as long as reading every triple once.
//!
//! It reads the same facts as [`View::build`]'s queries (kinds, names,
//! aliases, same-as links; each statement's ends, predicate, status and
//! evidence, its source's number or name, its anchor's position) and gives
//! them to the same assembly ([`View::assemble`]), so that the two agree:
//! a test compares them on the bundled data and on synthetic ecosystems.

use crate::error::Error;
use crate::ontology::Schema;
use crate::query;
use crate::rdf::{self, DCTERMS, ID, OA, ONTOLOGY, PROV, SCHEMA, SKOS};
use crate::source::StoreSource;
use crate::view::{Edge, Modality, Node, Status, View};
use foldhash::fast::RandomState;
use oxigraph::model::vocab::rdf as rdf_vocab;
use oxigraph::model::{GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Term};
use oxigraph::store::Store;
use oxsdatatypes::{
    Boolean, Date, DateTime, DayTimeDuration, Decimal, Double, Duration, Float, GDay, GMonth,
    GMonthDay, GYear, GYearMonth, Integer, Time, YearMonthDuration,
};
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

const OWL_CLASS: &str = "http://www.w3.org/2002/07/owl#Class";
const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// The steps of deriving a new generation's index, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Reading the schema (kinds and predicates) from the new store.
    Schema,
    /// Reading the facts the view needs by a scan of the new store (a load
    /// that extends a store), or waiting for the last of them to be taken
    /// from the stream of triples (a load into an empty store).
    Facts,
    /// Putting entities and relations together into the view.
    Assembling,
    /// Building the name index and writing the index file.
    Writing,
}

/// The predicates the view reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Said {
    Type,
    PrefLabel,
    AltLabel,
    HiddenLabel,
    SameAs,
    Subject,
    Predicate,
    Object,
    Status,
    Section,
    Quote,
    Reason,
    Modality,
    Date,
    StartDate,
    DerivedFrom,
    Identifier,
    Anchor,
    HasSelector,
    Start,
    End,
}

impl Said {
    /// The predicate's role in the view, if the view reads it.
    pub(crate) fn of(predicate: &str) -> Option<Said> {
        Some(if predicate == rdf_vocab::TYPE.as_str() {
            Said::Type
        } else if predicate == rdf_vocab::SUBJECT.as_str() {
            Said::Subject
        } else if predicate == rdf_vocab::PREDICATE.as_str() {
            Said::Predicate
        } else if predicate == rdf_vocab::OBJECT.as_str() {
            Said::Object
        } else if let Some(local) = rdf::local_name(predicate, SKOS) {
            match local {
                "prefLabel" => Said::PrefLabel,
                "altLabel" => Said::AltLabel,
                "hiddenLabel" => Said::HiddenLabel,
                _ => return None,
            }
        } else if let Some(local) = rdf::local_name(predicate, SCHEMA) {
            match local {
                "sameAs" => Said::SameAs,
                "startDate" => Said::StartDate,
                "identifier" => Said::Identifier,
                _ => return None,
            }
        } else if let Some(local) = rdf::local_name(predicate, OA) {
            match local {
                "hasSelector" => Said::HasSelector,
                "start" => Said::Start,
                "end" => Said::End,
                _ => return None,
            }
        } else if let Some(local) = rdf::local_name(predicate, ONTOLOGY) {
            match local {
                "status" => Said::Status,
                "section" => Said::Section,
                "quote" => Said::Quote,
                "reason" => Said::Reason,
                "modality" => Said::Modality,
                "anchor" => Said::Anchor,
                _ => return None,
            }
        } else if rdf::local_name(predicate, DCTERMS) == Some("date") {
            Said::Date
        } else if rdf::local_name(predicate, PROV) == Some("wasDerivedFrom") {
            Said::DerivedFrom
        } else {
            return None;
        })
    }
}

/// What the store says of each subject, among what the view reads: each
/// subject's facts sorted (by predicate, then value) and without
/// duplicates once [`Facts::settle`] has run, so that the view depends
/// neither on the order the triples came in nor on how often.
#[derive(Default)]
pub(crate) struct Facts(HashMap<NamedOrBlankNode, Vec<(Said, Term)>, RandomState>);

impl Facts {
    /// Takes a fact of the default graph whose predicate the view reads
    /// ([`Said::of`]); `object` as the store gives it back ([`stored`]).
    pub(crate) fn add(&mut self, subject: NamedOrBlankNode, said: Said, object: Term) {
        self.0.entry(subject).or_default().push((said, object));
    }

    /// Sorts each subject's facts and drops repeated ones: a store holds
    /// a triple once, however often it was loaded.
    fn settle(&mut self) {
        for said in self.0.values_mut() {
            said.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| compare(&a.1, &b.1)));
            said.dedup();
        }
    }

    /// The facts settled ([`Facts::settle`]) with their statement rows,
    /// which need no schema: what a load works out on the thread that
    /// gathered the facts while the store commits.
    pub(crate) fn gathered(mut self) -> Gathered {
        self.settle();
        let rows = statements(&self);
        Gathered { facts: self, rows }
    }

    fn of(&self, subject: &NamedOrBlankNode) -> &[(Said, Term)] {
        self.0.get(subject).map_or(&[], Vec::as_slice)
    }

    /// The values of `said` about `subject`.
    fn values<'a>(
        &'a self,
        subject: &NamedOrBlankNode,
        said: Said,
    ) -> impl Iterator<Item = &'a Term> + 'a {
        self.of(subject)
            .iter()
            .filter(move |(s, _)| *s == said)
            .map(|(_, term)| term)
    }

    fn has_type(&self, subject: &NamedOrBlankNode, iri: &str) -> bool {
        self.values(subject, Said::Type)
            .any(|t| matches!(t, Term::NamedNode(n) if n.as_str() == iri))
    }
}

/// Facts, settled, and their statement rows: the view but for its entities,
/// which need the schema.
pub(crate) struct Gathered {
    facts: Facts,
    rows: Vec<(String, String, Edge)>,
}

impl Gathered {
    /// The view of these facts under `schema`, and the facts, which a
    /// caller may drop while it goes on (freeing millions of terms takes
    /// a while).
    pub(crate) fn view(self, schema: Schema) -> (View, Facts) {
        let nodes = entities(&self.facts, &schema);
        (View::assemble(schema, nodes, self.rows), self.facts)
    }
}

/// A total order of terms: IRIs, then blank nodes, then literals (by
/// value, datatype and language).
fn compare(a: &Term, b: &Term) -> Ordering {
    fn rank(term: &Term) -> u8 {
        match term {
            Term::NamedNode(_) => 0,
            Term::BlankNode(_) => 1,
            Term::Literal(_) => 2,
        }
    }
    match (a, b) {
        (Term::NamedNode(a), Term::NamedNode(b)) => a.as_str().cmp(b.as_str()),
        (Term::BlankNode(a), Term::BlankNode(b)) => a.as_str().cmp(b.as_str()),
        (Term::Literal(a), Term::Literal(b)) => (a.value(), a.datatype().as_str(), a.language())
            .cmp(&(b.value(), b.datatype().as_str(), b.language())),
        _ => rank(a).cmp(&rank(b)),
    }
}

/// A term as an Oxigraph store gives it back: a literal of a datatype the
/// store keeps as a number, date, duration or boolean comes back in that
/// value's canonical form (`"007"^^xsd:int` as `"7"^^xsd:integer`); a
/// literal it cannot read as one, and every other term, comes back as it
/// went in. Parsed with the same types as the store's (`oxsdatatypes`).
pub fn stored(term: Term) -> Term {
    let Term::Literal(literal) = &term else {
        return term;
    };
    let Some(local) = literal.datatype().as_str().strip_prefix(XSD) else {
        return term;
    };
    let value = literal.value();
    fn read<T: FromStr + Into<Literal>>(value: &str) -> Option<Literal> {
        value.parse::<T>().ok().map(Into::into)
    }
    let canonical = match local {
        "boolean" => read::<Boolean>(value),
        "float" => read::<Float>(value),
        "double" => read::<Double>(value),
        "integer" | "byte" | "short" | "int" | "long" | "unsignedByte" | "unsignedShort"
        | "unsignedInt" | "unsignedLong" | "positiveInteger" | "negativeInteger"
        | "nonPositiveInteger" | "nonNegativeInteger" => read::<Integer>(value),
        "decimal" => read::<Decimal>(value),
        "dateTime" | "dateTimeStamp" => read::<DateTime>(value),
        "time" => read::<Time>(value),
        "date" => read::<Date>(value),
        "gYearMonth" => read::<GYearMonth>(value),
        "gYear" => read::<GYear>(value),
        "gMonthDay" => read::<GMonthDay>(value),
        "gDay" => read::<GDay>(value),
        "gMonth" => read::<GMonth>(value),
        "duration" => read::<Duration>(value),
        "yearMonthDuration" => read::<YearMonthDuration>(value),
        "dayTimeDuration" => read::<DayTimeDuration>(value),
        _ => None,
    };
    canonical.map_or(term, Term::Literal)
}

/// The IRI a term is, if it is one.
fn iri(term: &Term) -> Option<&str> {
    match term {
        Term::NamedNode(n) => Some(n.as_str()),
        _ => None,
    }
}

/// The text of a literal.
fn text(term: &Term) -> Option<String> {
    match term {
        Term::Literal(l) => Some(l.value().to_owned()),
        _ => None,
    }
}

/// Whether a literal's language matches `range` as SPARQL's `LANGMATCHES`
/// says (`zh` matches `zh` and `zh-CN`, in any case).
fn in_language(term: &Term, range: &str) -> bool {
    let Term::Literal(l) = term else {
        return false;
    };
    l.language().is_some_and(|tag| {
        tag.len() >= range.len()
            && tag[..range.len()].eq_ignore_ascii_case(range)
            && (tag.len() == range.len() || tag.as_bytes()[range.len()] == b'-')
    })
}

/// The view of the default graph of `store`, as [`View::build`] gives it.
pub fn view_of(store: &Store) -> Result<View, Error> {
    Ok(view_of_with(store, None, &|_| {})?.0)
}

/// [`view_of`], from the facts `gathered` from the triples as they went
/// into `store` or, without them, from a scan of it, telling `step` where
/// it is. Returns the facts too, which a caller may drop while it goes on
/// (freeing millions of terms takes a while).
pub(crate) fn view_of_with(
    store: &Store,
    gathered: Option<Gathered>,
    step: &dyn Fn(Step),
) -> Result<(View, Facts), Error> {
    step(Step::Schema);
    let schema = Schema::from_source(&StoreSource::from_store(store.clone(), "the store"))?;
    let gathered = match gathered {
        Some(gathered) => gathered,
        None => {
            step(Step::Facts);
            let mut facts = Facts::default();
            for quad in store.quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph))
            {
                let quad = quad.map_err(|e| Error::Store(e.to_string()))?;
                if let Some(said) = Said::of(quad.predicate.as_str()) {
                    facts.add(quad.subject, said, quad.object);
                }
            }
            facts.gathered()
        }
    };
    step(Step::Assembling);
    Ok(gathered.view(schema))
}

/// The entities: what the view's entities, aliases and same-as queries read.
fn entities(facts: &Facts, schema: &Schema) -> BTreeMap<String, Node> {
    let mut nodes = BTreeMap::new();
    // Whether each kind of the schema is typed owl:Class: asked once per
    // kind, not once per entity.
    let classes: HashMap<&str, bool> = schema
        .kinds
        .keys()
        .filter(|kind| !matches!(kind.as_str(), "Statement" | "Figure"))
        .map(|kind| {
            let iri = NamedNode::new_unchecked(format!("{ONTOLOGY}{kind}"));
            let class = facts.has_type(&NamedOrBlankNode::NamedNode(iri), OWL_CLASS);
            (kind.as_str(), class)
        })
        .collect();
    for (subject, said) in &facts.0 {
        let NamedOrBlankNode::NamedNode(entity) = subject else {
            continue;
        };
        let kind = said
            .iter()
            .filter(|(s, _)| *s == Said::Type)
            .filter_map(|(_, t)| rdf::local_name(iri(t)?, ONTOLOGY))
            .filter(|kind| classes.get(kind) == Some(&true))
            .min();
        let Some(kind) = kind else {
            continue;
        };
        let iri = entity.as_str().to_owned();
        let id = rdf::local_name(&iri, ID).map_or_else(|| rdf::compact(&iri), str::to_owned);
        let label = |range: &str| {
            facts
                .values(subject, Said::PrefLabel)
                .filter(|t| in_language(t, range))
                .filter_map(text)
                .last()
                .unwrap_or_default()
        };
        let texts = |said: Said| facts.values(subject, said).filter_map(text).collect();
        nodes.insert(
            iri.clone(),
            Node {
                iri,
                id,
                kind: kind.to_owned(),
                name_zh: label("zh"),
                name_en: label("en"),
                aliases: texts(Said::AltLabel),
                search_aliases: texts(Said::HiddenLabel),
                same_as: facts
                    .values(subject, Said::SameAs)
                    .filter_map(iri_of)
                    .collect(),
            },
        );
    }
    nodes
}

fn iri_of(term: &Term) -> Option<String> {
    iri(term).map(str::to_owned)
}

/// The statement rows: what the view's statements query reads, a row for
/// each of a statement's ends, predicates, statuses and sources.
fn statements(facts: &Facts) -> Vec<(String, String, Edge)> {
    let statement_kind = format!("{ONTOLOGY}Statement");
    let planned = format!("{ONTOLOGY}Planned");
    let mut rows = Vec::new();
    for (subject, said) in &facts.0 {
        let NamedOrBlankNode::NamedNode(statement) = subject else {
            continue;
        };
        if !said
            .iter()
            .any(|(s, t)| *s == Said::Type && iri(t) == Some(statement_kind.as_str()))
        {
            continue;
        }
        let all = |wanted: Said| -> Vec<&str> {
            said.iter()
                .filter(|(s, _)| *s == wanted)
                .filter_map(|(_, t)| iri(t))
                .collect()
        };
        let first = |wanted: Said| -> Option<&Term> {
            said.iter().find(|(s, _)| *s == wanted).map(|(_, t)| t)
        };
        let (ends_s, predicates, ends_o, statuses) = (
            all(Said::Subject),
            all(Said::Predicate),
            all(Said::Object),
            all(Said::Status),
        );
        if [&ends_s, &predicates, &ends_o, &statuses]
            .iter()
            .any(|v| v.is_empty())
        {
            continue;
        }
        // The sources that are documents (not anchors), each with the
        // citations its rows give.
        let mut sources: Vec<(Option<String>, String)> = Vec::new();
        for source in said
            .iter()
            .filter(|(s, _)| *s == Said::DerivedFrom)
            .map(|(_, t)| t)
        {
            let node = match source {
                Term::NamedNode(n) => NamedOrBlankNode::NamedNode(n.clone()),
                Term::BlankNode(b) => NamedOrBlankNode::BlankNode(b.clone()),
                _ => {
                    sources.push((None, query::show_term(source)));
                    continue;
                }
            };
            if facts.has_type(&node, &format!("{OA}SpecificResource")) {
                continue;
            }
            let identifiers: Vec<String> = facts
                .values(&node, Said::Identifier)
                .filter_map(text)
                .collect();
            let titles: Vec<String> = facts
                .values(&node, Said::PrefLabel)
                .filter(|t| in_language(t, "zh"))
                .filter_map(text)
                .collect();
            let citations = if !identifiers.is_empty() {
                identifiers
            } else if !titles.is_empty() {
                titles
            } else {
                vec![query::show_term(source)]
            };
            for citation in citations {
                sources.push((iri_of(source), citation));
            }
        }
        if sources.is_empty() {
            sources.push((None, String::new()));
        }
        let anchor = said
            .iter()
            .filter(|(s, _)| *s == Said::Anchor)
            .filter_map(|(_, t)| match t {
                Term::NamedNode(n) => Some(NamedOrBlankNode::NamedNode(n.clone())),
                Term::BlankNode(b) => Some(NamedOrBlankNode::BlankNode(b.clone())),
                Term::Literal(_) => None,
            })
            .flat_map(|anchor| {
                facts
                    .values(&anchor, Said::HasSelector)
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .filter_map(|position| {
                let position = match position {
                    Term::NamedNode(n) => NamedOrBlankNode::NamedNode(n),
                    Term::BlankNode(b) => NamedOrBlankNode::BlankNode(b),
                    Term::Literal(_) => return None,
                };
                if !facts.has_type(&position, &format!("{OA}TextPositionSelector")) {
                    return None;
                }
                let start = facts.values(&position, Said::Start).next()?;
                let end = facts.values(&position, Said::End).next()?;
                Some((text(start), text(end)))
            })
            .next()
            .and_then(|(start, end)| {
                start
                    .and_then(|s| s.parse().ok())
                    .zip(end.and_then(|e| e.parse().ok()))
            });
        let modality = if first(Said::Modality).and_then(iri) == Some(planned.as_str()) {
            Modality::Planned
        } else {
            Modality::Achieved
        };
        let optional = |wanted: Said| first(wanted).and_then(text);
        for s in &ends_s {
            for predicate in &predicates {
                for o in &ends_o {
                    for status in &statuses {
                        for (source, citation) in &sources {
                            rows.push((
                                (*s).to_owned(),
                                (*o).to_owned(),
                                Edge {
                                    statement: statement.as_str().to_owned(),
                                    predicate: rdf::local_name(predicate, ONTOLOGY)
                                        .map_or_else(|| rdf::compact(predicate), str::to_owned),
                                    status: Status::from_iri(status),
                                    modality,
                                    date: optional(Said::Date),
                                    start: optional(Said::StartDate),
                                    section: optional(Said::Section).unwrap_or_default(),
                                    quote: optional(Said::Quote).unwrap_or_default(),
                                    reason: optional(Said::Reason),
                                    source: source.clone(),
                                    citation: citation.clone(),
                                    anchor,
                                },
                            ));
                        }
                    }
                }
            }
        }
    }
    rows
}
