//! innograph: a knowledge graph of an innovation ecosystem, curated from public
//! documents with a verbatim quote for every fact.
//!
//! The pipeline: [`dataset`] reads the CSV files and the ontology into rows with
//! their positions; [`validate`] checks them against the ontology and the source
//! texts; [`rdf`] maps them to triples (the only place that mints IRIs); a
//! [`source::GraphSource`] answers SPARQL over them; [`view::View`] is the
//! petgraph view of the same relations; [`links`], [`resolve`], [`stats`] and
//! [`export`] answer the questions people ask.
//!
//! The library never prints: it returns values or writes to the writer it is given.

pub mod bundled;
pub mod dataset;
pub mod error;
pub mod export;
pub mod links;
pub mod ontology;
pub mod query;
pub mod rdf;
pub mod resolve;
pub mod source;
pub mod stats;
pub mod table;
pub mod validate;
pub mod view;

pub use error::{Error, Location, Problem};
