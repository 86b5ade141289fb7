//! RDF: every triple of the store in Turtle, N-Triples, N-Quads, TriG,
//! RDF/XML or JSON-LD, with the project's prefixes (declared in an
//! `@context` for JSON-LD), through Oxigraph's serializers. N-Quads and TriG
//! put the triples in the default graph. Triples are sorted, so the same
//! data gives the same bytes.

use super::{Context, Exporter};
use crate::error::Error;
use crate::query::serializer;
use crate::rdf::PREFIXES;
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphNameRef, Triple};
use oxjsonld::JsonLdSerializer;
use std::io::Write;

/// The exporter of the whole store in one RDF format.
#[derive(Debug, Clone)]
pub struct Rdf(pub RdfFormat);

/// Every triple of the store, sorted by subject, predicate and object.
fn sorted_triples(context: &Context<'_>) -> Result<Vec<Triple>, Error> {
    let mut triples: Vec<([String; 3], Triple)> = context
        .source
        .triples()?
        .into_iter()
        .map(|t| {
            let key = [
                t.subject.to_string(),
                t.predicate.to_string(),
                t.object.to_string(),
            ];
            (key, t)
        })
        .collect();
    triples.sort_by(|a, b| a.0.cmp(&b.0));
    triples.dedup_by(|a, b| a.0 == b.0);
    Ok(triples.into_iter().map(|(_, t)| t).collect())
}

impl Exporter for Rdf {
    fn write(&self, context: &Context<'_>, out: &mut dyn Write) -> Result<(), Error> {
        let triples = sorted_triples(context)?;
        if let RdfFormat::JsonLd { .. } = self.0 {
            let mut serializer = JsonLdSerializer::new();
            for (prefix, namespace) in PREFIXES {
                serializer = serializer
                    .with_prefix(*prefix, *namespace)
                    .expect("the project prefixes are valid IRIs");
            }
            let mut writer = serializer.for_writer(out);
            for triple in &triples {
                writer.serialize_quad(triple.as_ref().in_graph(GraphNameRef::DefaultGraph))?;
            }
            writer.finish()?;
            return Ok(());
        }
        let mut writer = serializer(self.0).for_writer(out);
        for triple in &triples {
            writer.serialize_triple(triple)?;
        }
        writer.finish()?;
        Ok(())
    }
}
