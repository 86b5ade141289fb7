//! The schema a graph declares: its kinds of entities and its relation
//! predicates, with their labels, and which kinds are platforms or hubs.
//! Read by SPARQL from any [`GraphSource`], so it works the same for the
//! bundled data and for any other store.

use crate::error::Error;
use crate::rdf::{self, ONTOLOGY};
use crate::source::{GraphSource, Request, select};
use oxigraph::model::Term;
use std::collections::BTreeMap;

/// A kind of entity (an `owl:Class` of the project namespace).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Kind {
    /// Local name, as used in `entities.csv`.
    pub name: String,
    /// Chinese label.
    pub label_zh: String,
    /// English label.
    pub label_en: String,
    /// Local names of the kind and all its project superclasses, in name order after it.
    pub ancestors: Vec<String>,
    /// Entities of this kind answer `innograph platforms`.
    pub platform: bool,
    /// Traversals never pass through entities of this kind.
    pub hub: bool,
    /// Local name of the group its `ig:kindGroup` names, its own or its
    /// nearest superclass's: diagrams colour a group alike.
    pub group: Option<String>,
}

/// A relation predicate (an `owl:ObjectProperty` of the project namespace).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Predicate {
    /// Local name, as used in `relations.csv`.
    pub name: String,
    /// Chinese label.
    pub label_zh: String,
    /// English label.
    pub label_en: String,
    /// Local names of the project predicates it is a sub-property of
    /// (transitively), in name order: `builds` is also `supports`.
    pub broader: Vec<String>,
}

impl Predicate {
    /// Whether this predicate is `name` or a sub-property of it.
    pub fn is_a(&self, name: &str) -> bool {
        self.name == name || self.broader.iter().any(|b| b == name)
    }
}

/// The kinds and predicates a graph declares.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Schema {
    /// Kinds by local name.
    pub kinds: BTreeMap<String, Kind>,
    /// Predicates by local name.
    pub predicates: BTreeMap<String, Predicate>,
}

/// Core classes minted by innograph itself: not kinds of entities.
const CORE_CLASSES: [&str; 5] = ["Statement", "Figure", "Status", "Qualifier", "Modality"];
/// Core properties minted by innograph itself: not relation predicates.
const CORE_PROPERTIES: [&str; 6] = [
    "status",
    "about",
    "qualifier",
    "modality",
    "measures",
    "anchor",
];

const KINDS: &str = r#"
SELECT ?class ?zh ?en ?platform ?hub ?group WHERE {
  ?class a owl:Class .
  OPTIONAL { ?class ig:kindGroup ?group }
  OPTIONAL { ?class rdfs:label ?zh FILTER(LANGMATCHES(LANG(?zh), "zh")) }
  OPTIONAL { ?class rdfs:label ?en FILTER(LANGMATCHES(LANG(?en), "en")) }
  BIND(EXISTS { ?class rdfs:subClassOf* ig:Platform } AS ?platform)
  BIND(EXISTS { ?class rdfs:subClassOf* ?h . ?h ig:hub true } AS ?hub)
}"#;

const ANCESTORS: &str = r#"
SELECT ?class ?ancestor WHERE {
  ?class a owl:Class ; rdfs:subClassOf+ ?ancestor .
  ?ancestor a owl:Class .
}"#;

const PREDICATES: &str = r#"
SELECT ?property ?zh ?en WHERE {
  ?property a owl:ObjectProperty .
  OPTIONAL { ?property rdfs:label ?zh FILTER(LANGMATCHES(LANG(?zh), "zh")) }
  OPTIONAL { ?property rdfs:label ?en FILTER(LANGMATCHES(LANG(?en), "en")) }
}"#;

const BROADER: &str = r#"
SELECT ?property ?broader WHERE {
  ?property a owl:ObjectProperty ; rdfs:subPropertyOf+ ?broader .
  ?broader a owl:ObjectProperty .
}"#;

impl Schema {
    /// Whether the kind named `kind` is a hub kind; `false` for a kind it
    /// does not declare.
    pub fn is_hub(&self, kind: &str) -> bool {
        self.kinds.get(kind).is_some_and(|k| k.hub)
    }

    /// Whether the kind named `kind` is `ancestor` or a subkind of it;
    /// `false` for a kind it does not declare.
    pub fn kind_is_a(&self, kind: &str, ancestor: &str) -> bool {
        self.kinds
            .get(kind)
            .is_some_and(|k| k.ancestors.iter().any(|a| a == ancestor))
    }

    /// Reads the schema that `source` declares.
    pub fn from_source(source: &dyn GraphSource) -> Result<Schema, Error> {
        let mut schema = Schema::default();
        for row in select(
            source,
            &Request::new(KINDS, "the kinds query"),
            &["class", "zh", "en", "platform", "hub", "group"],
        )? {
            let Some(name) = local(&row[0]) else { continue };
            if CORE_CLASSES.contains(&name.as_str()) {
                continue;
            }
            schema.kinds.entry(name.clone()).or_insert(Kind {
                ancestors: vec![name.clone()],
                label_zh: text(&row[1]).unwrap_or_else(|| name.clone()),
                label_en: text(&row[2]).unwrap_or_else(|| name.clone()),
                platform: boolean(&row[3]),
                hub: boolean(&row[4]),
                group: local(&row[5]),
                name,
            });
        }
        for row in select(
            source,
            &Request::new(ANCESTORS, "the ancestors query"),
            &["class", "ancestor"],
        )? {
            if let (Some(class), Some(ancestor)) = (local(&row[0]), local(&row[1]))
                && let Some(kind) = schema.kinds.get_mut(&class)
                && !kind.ancestors.contains(&ancestor)
            {
                kind.ancestors.push(ancestor);
            }
        }
        // A kind without a group of its own takes its superclasses' (the
        // first by name, should they name several).
        let own: BTreeMap<String, String> = schema
            .kinds
            .values()
            .filter_map(|k| Some((k.name.clone(), k.group.clone()?)))
            .collect();
        for kind in schema.kinds.values_mut() {
            if kind.group.is_none() {
                kind.group = kind
                    .ancestors
                    .iter()
                    .filter_map(|a| own.get(a))
                    .min()
                    .cloned();
            }
        }
        for row in select(
            source,
            &Request::new(PREDICATES, "the predicates query"),
            &["property", "zh", "en"],
        )? {
            let Some(name) = local(&row[0]) else { continue };
            if CORE_PROPERTIES.contains(&name.as_str()) {
                continue;
            }
            schema.predicates.entry(name.clone()).or_insert(Predicate {
                label_zh: text(&row[1]).unwrap_or_else(|| name.clone()),
                label_en: text(&row[2]).unwrap_or_else(|| name.clone()),
                broader: Vec::new(),
                name,
            });
        }
        for row in select(
            source,
            &Request::new(BROADER, "the sub-properties query"),
            &["property", "broader"],
        )? {
            if let (Some(property), Some(broader)) = (local(&row[0]), local(&row[1]))
                && broader != property
                && schema.predicates.contains_key(&broader)
                && let Some(predicate) = schema.predicates.get_mut(&property)
                && !predicate.broader.contains(&broader)
            {
                predicate.broader.push(broader);
            }
        }
        // The kind first, then its superclasses in name order, whatever the store's order.
        for kind in schema.kinds.values_mut() {
            kind.ancestors[1..].sort();
        }
        for predicate in schema.predicates.values_mut() {
            predicate.broader.sort();
        }
        Ok(schema)
    }

    /// The kind `name`, or the kind whose label is `name` (any case).
    pub fn find_kind(&self, name: &str) -> Option<&Kind> {
        self.kinds.get(name).or_else(|| {
            self.kinds.values().find(|k| {
                k.name.eq_ignore_ascii_case(name)
                    || k.label_en.eq_ignore_ascii_case(name)
                    || k.label_zh == name
            })
        })
    }

    /// The kind `name` as [`Schema::find_kind`] finds it, or an error that
    /// lists the kinds.
    pub fn kind_named(&self, name: &str) -> Result<&Kind, Error> {
        self.find_kind(name.trim()).ok_or_else(|| {
            Error::Usage(format!(
                "no kind is called `{name}`; the kinds are: {}",
                self.kinds.keys().cloned().collect::<Vec<_>>().join(", ")
            ))
        })
    }

    /// The predicate `name` as [`Schema::find_predicate`] finds it, or an
    /// error that lists the predicates.
    pub fn predicate_named(&self, name: &str) -> Result<&Predicate, Error> {
        self.find_predicate(name.trim()).ok_or_else(|| {
            Error::Usage(format!(
                "no relation is called `{name}`; the relations are: {}",
                self.predicates
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
    }

    /// Whether predicate `name` is `ancestor` or one of its sub-properties;
    /// an undeclared predicate is only itself.
    pub fn predicate_is_a(&self, name: &str, ancestor: &str) -> bool {
        self.predicates
            .get(name)
            .map_or(name == ancestor, |p| p.is_a(ancestor))
    }

    /// The predicate `name`, or the predicate whose label is `name` (any case).
    pub fn find_predicate(&self, name: &str) -> Option<&Predicate> {
        self.predicates.get(name).or_else(|| {
            self.predicates.values().find(|p| {
                p.name.eq_ignore_ascii_case(name)
                    || p.label_en.eq_ignore_ascii_case(name)
                    || p.label_zh == name
            })
        })
    }
}

fn local(term: &Option<Term>) -> Option<String> {
    match term {
        Some(Term::NamedNode(n)) => rdf::local_name(n.as_str(), ONTOLOGY).map(str::to_owned),
        _ => None,
    }
}

/// The lexical form of a literal.
pub fn text(term: &Option<Term>) -> Option<String> {
    match term {
        Some(Term::Literal(l)) => Some(l.value().to_owned()),
        _ => None,
    }
}

fn boolean(term: &Option<Term>) -> bool {
    text(term).is_some_and(|t| t == "true")
}
