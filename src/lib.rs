//! innograph: a knowledge graph of an innovation ecosystem, curated from public
//! documents with a verbatim quote for every fact.
//!
//! The pipeline: [`dataset`] reads the CSV files and the ontology into rows with
//! their positions; [`validate`] checks them against the ontology and the source
//! texts, where [`anchor`] finds each quote's span and section; [`rdf`] maps them to triples (the only place that mints IRIs); a
//! [`source::GraphSource`] answers SPARQL over them; [`view::View`] is the
//! petgraph view of the same relations; [`links`], [`resolve`], [`stats`],
//! [`rank`] and [`export`] answer the questions people ask. [`draft`] turns a
//! new letter into a draft dataset for a curator to review. [`store`] keeps the
//! graph on disk and loads large inputs atomically (loading and SPARQL over
//! it need the `rocksdb` feature; its derived index is read in any build).
//!
//! [`remote`] is a SPARQL 1.1 endpoint as a graph source, [`push`] uploads a
//! graph to one, and [`serve`] makes innograph an endpoint of its own.
//!
//! [`answer`] holds each question's answer as a typed value that writes
//! itself as text, CSV and JSON; [`format`] describes every format once.
//!
//! [`prebuilt`] keeps the bundled data's view, its name index ([`index`]) and
//! its triples ready-made in the binary, so that a command pays only for
//! its answer.
//!
//! The library never prints: it returns values or writes to the writer it is given.

pub mod anchor;
pub mod answer;
pub mod bundled;
pub mod cache;
pub mod dataset;
pub mod depth;
pub mod derived;
pub mod draft;
pub mod error;
pub mod export;
pub mod format;
pub mod index;
pub mod links;
pub mod load;
pub mod ontology;
pub mod output;
pub mod prebuilt;
pub mod push;
pub mod query;
pub mod rank;
pub mod rdf;
pub mod remote;
pub mod report;
pub mod resolve;
pub mod sandbox;
pub mod scan;
pub mod serve;
pub mod shown;
pub mod source;
pub mod spreadsheet;
pub mod stats;
pub mod store;
pub mod table;
pub mod validate;
pub mod view;

pub use error::{Error, Location, Problem};
