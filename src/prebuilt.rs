//! A graph prebuilt: its derived index (the view with its evidence and the
//! name index, laid out as [`crate::derived`] lays out a store's, so that a
//! command reads only the records it needs) and its triples, in one compact
//! binary form that opens without reading CSV or Turtle, checking anything
//! or asking SPARQL.
//!
//! The bundled data is kept prebuilt in `data/derived/bundled.postcard`,
//! carried by the binary and read where it lies: a command on the bundled
//! data decodes only the entities and relations it reads, and builds the
//! Oxigraph store only if it asks SPARQL. The file
//! records the hash of the data files and of the code that derives the
//! graph from them ([`crate::bundled::DATA_HASH`], `build.rs`); when they
//! differ (either changed and the file was not remade) the binary ignores
//! it and loads the CSV as before. A test remakes it and fails when it is
//! stale.

use crate::bundled;
use crate::dataset::Files;
use crate::derived::{self, Derived};
use crate::error::Error;
use crate::index::NameIndex;
use crate::source::{GraphSource, Request, StoreSource};
use crate::view::View;
use oxigraph::model::{
    BlankNode, GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term, Triple,
};
use oxigraph::sparql::QueryResults;
use oxigraph::store::Store;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::cell::{Cell, OnceCell};

/// The version of the layout of [`Prebuilt`] and of its triples; a file of
/// another version is ignored. Raised with any change to them (its index
/// has a format of its own, [`derived::FORMAT`], checked when it opens).
pub const FORMAT: u32 = 5;

/// Where the prebuilt bundled data is kept, from the repository's root.
pub const BUNDLED_FILE: &str = "data/derived/bundled.postcard";

static BUNDLED: &[u8] = include_bytes!("../data/derived/bundled.postcard");

/// An RDF term as plain data.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
enum TermData {
    Iri(String),
    Blank(String),
    Literal {
        value: String,
        language: Option<String>,
        datatype: String,
    },
}

impl TermData {
    fn of(term: Term) -> TermData {
        match term {
            Term::NamedNode(n) => TermData::Iri(n.into_string()),
            Term::BlankNode(b) => TermData::Blank(b.into_string()),
            Term::Literal(l) => {
                let (value, datatype, language) = (
                    l.value().to_owned(),
                    l.datatype().as_str().to_owned(),
                    l.language().map(str::to_owned),
                );
                TermData::Literal {
                    value,
                    language,
                    datatype,
                }
            }
        }
    }

    fn term(self) -> Result<Term, Error> {
        Ok(match self {
            TermData::Iri(iri) => NamedNode::new(iri).map_err(damaged)?.into(),
            TermData::Blank(id) => BlankNode::new(id).map_err(damaged)?.into(),
            TermData::Literal {
                value,
                language: Some(language),
                ..
            } => Literal::new_language_tagged_literal(value, language)
                .map_err(damaged)?
                .into(),
            TermData::Literal {
                value, datatype, ..
            } => {
                Literal::new_typed_literal(value, NamedNode::new(datatype).map_err(damaged)?).into()
            }
        })
    }
}

fn damaged(e: impl std::fmt::Display) -> Error {
    Error::Store(format!("the prebuilt graph is damaged: {e}"))
}

/// A graph prebuilt: its derived index (the view with its evidence, and
/// the name index, in the layout of [`crate::derived`], read in place) and
/// its triples, with the hash of the data it was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prebuilt {
    data_hash: u64,
    index: Cow<'static, [u8]>,
    /// The triples ([`Triples`] in postcard form), read only when a query
    /// needs the store.
    triples: Cow<'static, [u8]>,
}

/// A [`Prebuilt`] as stored: its two parts are bytes, borrowed when read.
#[derive(Serialize, Deserialize)]
struct Stored<'a> {
    format: u32,
    data_hash: u64,
    #[serde(borrow, with = "serde_bytes")]
    index: &'a [u8],
    #[serde(borrow, with = "serde_bytes")]
    triples: &'a [u8],
}

/// The generation a prebuilt graph's index names.
const GENERATION: &str = "prebuilt";

/// Triples as positions in a table of their distinct terms: each IRI
/// is kept once, however many triples name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Triples {
    terms: Vec<TermData>,
    triples: Vec<[u32; 3]>,
}

impl Triples {
    fn decode(bytes: &[u8]) -> Result<Triples, Error> {
        match postcard::take_from_bytes(bytes).map_err(damaged)? {
            (triples, []) => Ok(triples),
            (_, rest) => Err(damaged(format!("{} bytes after its triples", rest.len()))),
        }
    }

    fn of(triples: Vec<Triple>) -> Triples {
        let mut terms: Vec<TermData> = Vec::new();
        let mut triples: Vec<[TermData; 3]> = triples
            .into_iter()
            .map(|t| {
                [
                    TermData::of(t.subject.into()),
                    TermData::Iri(t.predicate.into_string()),
                    TermData::of(t.object),
                ]
            })
            .collect();
        triples.sort_unstable();
        for triple in &triples {
            terms.extend(triple.iter().cloned());
        }
        terms.sort_unstable();
        terms.dedup();
        let position = |term: &TermData| {
            terms
                .binary_search(term)
                .expect("every term is in the table") as u32
        };
        let triples = triples
            .iter()
            .map(|[s, p, o]| [position(s), position(p), position(o)])
            .collect();
        Triples { terms, triples }
    }
}

impl Prebuilt {
    /// Prebuilds what `source` holds: its view (built from the source, as
    /// for any store) with the view's name index, as a derived index, and
    /// its triples in order. `data_hash` names the data it holds.
    pub fn make(source: &StoreSource, data_hash: u64) -> Result<Prebuilt, Error> {
        let view = View::build(source)?;
        let names = NameIndex::build(&view);
        let index = derived::encode(GENERATION, &view, names);
        let triples = postcard::to_allocvec(&Triples::of(source.triples()?))
            .expect("triples serialise to memory");
        Ok(Prebuilt {
            data_hash,
            index: Cow::Owned(index),
            triples: Cow::Owned(triples),
        })
    }

    /// The bytes to store.
    pub fn encode(&self) -> Vec<u8> {
        postcard::to_allocvec(&Stored {
            format: FORMAT,
            data_hash: self.data_hash,
            index: &self.index,
            triples: &self.triples,
        })
        .expect("a prebuilt graph serialises to memory")
    }

    /// Reads stored bytes; fails when they are not a prebuilt graph of
    /// this [`FORMAT`].
    pub fn decode(bytes: &[u8]) -> Result<Prebuilt, Error> {
        let stored = Prebuilt::stored(bytes)?;
        Ok(Prebuilt {
            data_hash: stored.data_hash,
            index: Cow::Owned(stored.index.to_vec()),
            triples: Cow::Owned(stored.triples.to_vec()),
        })
    }

    /// Reads bytes that last as long as the program (the binary's own)
    /// without copying them.
    pub fn decode_static(bytes: &'static [u8]) -> Result<Prebuilt, Error> {
        let stored = Prebuilt::stored(bytes)?;
        Ok(Prebuilt {
            data_hash: stored.data_hash,
            index: Cow::Borrowed(stored.index),
            triples: Cow::Borrowed(stored.triples),
        })
    }

    fn stored(bytes: &[u8]) -> Result<Stored<'_>, Error> {
        // The format comes first, so that a file of another one is named
        // as such even when the rest reads otherwise.
        match postcard::take_from_bytes::<u32>(bytes) {
            Ok((format, _)) if format != FORMAT => {
                return Err(Error::Store(format!(
                    "the prebuilt graph has format {format}, this innograph reads {FORMAT}"
                )));
            }
            Ok(_) => {}
            Err(e) => return Err(damaged(e)),
        }
        let (stored, rest): (Stored, _) = postcard::take_from_bytes(bytes).map_err(damaged)?;
        if !rest.is_empty() {
            return Err(damaged(format!("{} bytes after its end", rest.len())));
        }
        Ok(stored)
    }

    /// The hash of the data it was made from.
    pub fn data_hash(&self) -> u64 {
        self.data_hash
    }

    /// Its derived index, open where it lies (the view and the name index
    /// are read from it as needed), and the source of its triples, whose
    /// store is built on the first query.
    pub fn open(self, description: impl Into<String>) -> Result<(Derived, PrebuiltSource), Error> {
        let description = description.into();
        let derived = Derived::in_memory(
            self.index,
            &format!("the prebuilt index of {description}"),
            GENERATION,
        )?;
        Ok((
            derived,
            PrebuiltSource {
                triples: Cell::new(Some(self.triples)),
                store: OnceCell::new(),
                description,
            },
        ))
    }

    /// Its triples in a new in-memory store.
    pub fn into_store(self, description: impl Into<String>) -> Result<StoreSource, Error> {
        Ok(StoreSource::from_store(
            store_of(&self.triples)?,
            description,
        ))
    }
}

fn store_of(triples: &[u8]) -> Result<Store, Error> {
    let triples = Triples::decode(triples)?;
    let terms = triples
        .terms
        .into_iter()
        .map(TermData::term)
        .collect::<Result<Vec<Term>, Error>>()?;
    let term = |i: u32| {
        terms
            .get(i as usize)
            .ok_or_else(|| damaged(format!("term {i} of {}", terms.len())))
    };
    let quads = triples
        .triples
        .iter()
        .map(|&[s, p, o]| {
            let subject: NamedOrBlankNode = match term(s)? {
                Term::NamedNode(n) => n.clone().into(),
                Term::BlankNode(b) => b.clone().into(),
                Term::Literal(l) => return Err(damaged(format!("literal subject {l}"))),
            };
            let Term::NamedNode(predicate) = term(p)? else {
                return Err(damaged(format!("predicate {p} is not an IRI")));
            };
            Ok(Quad::new(
                subject,
                predicate.clone(),
                term(o)?.clone(),
                GraphName::DefaultGraph,
            ))
        })
        .collect::<Result<Vec<Quad>, Error>>()?;
    let store = Store::new().map_err(|e| Error::Store(e.to_string()))?;
    let mut loader = store.bulk_loader();
    loader
        .load_quads(quads)
        .and_then(|()| loader.commit())
        .map_err(|e| Error::Store(e.to_string()))?;
    Ok(store)
}

/// The triples of a prebuilt graph as a graph source: the Oxigraph store
/// is built on the first query, so a command that asks none never builds it.
pub struct PrebuiltSource {
    triples: Cell<Option<Cow<'static, [u8]>>>,
    store: OnceCell<StoreSource>,
    description: String,
}

impl PrebuiltSource {
    fn store(&self) -> Result<&StoreSource, Error> {
        if let Some(store) = self.store.get() {
            return Ok(store);
        }
        let triples = self
            .triples
            .take()
            .ok_or_else(|| damaged("its triples were taken"))?;
        let store = StoreSource::from_store(store_of(&triples)?, self.description.clone());
        Ok(self.store.get_or_init(|| store))
    }

    /// Whether its store has been built (by a query).
    pub fn has_store(&self) -> bool {
        self.store.get().is_some()
    }
}

impl GraphSource for PrebuiltSource {
    fn run(&self, request: &Request) -> Result<QueryResults<'static>, Error> {
        self.store()?.run(request)
    }

    fn triples(&self) -> Result<Vec<Triple>, Error> {
        self.store()?.triples()
    }

    fn describe(&self) -> String {
        self.description.clone()
    }
}

/// The bundled data prebuilt, from the file the binary carries; `None`
/// when that file is missing, damaged or made from other data than the
/// bundled files: the caller then loads the CSV.
pub fn bundled() -> Option<Prebuilt> {
    Prebuilt::decode_static(BUNDLED)
        .ok()
        .filter(|p| p.data_hash == bundled::DATA_HASH)
}

/// Prebuilds the bundled data from its CSV files, checked as by any load:
/// what [`BUNDLED_FILE`] should hold.
pub fn make_bundled() -> Result<Vec<u8>, Error> {
    let source = StoreSource::load(&Files::Bundled)?;
    Ok(Prebuilt::make(&source, bundled::DATA_HASH)?.encode())
}
