//! The SPARQL 1.1 Service Description of the endpoint, answered at
//! `/query` when no query is given.

use super::Shared;
use super::http::{Incoming, Reply};
use super::protocol::{self, Answer, GRAPHS};
use oxigraph::model::{BlankNode, Literal, NamedNode, Triple};

impl Shared {
    /// The SPARQL 1.1 Service Description of this endpoint, in the format asked for.
    pub(crate) fn service_description(&self, incoming: &Incoming) -> Reply {
        let offers = &GRAPHS;
        let answer = match incoming.param("format") {
            Some(name) => protocol::by_name(name, offers),
            None => protocol::negotiate(incoming.accept(), offers),
        };
        let Some(Answer::Graph(format)) = answer else {
            return Reply::error(
                406,
                "the service description is RDF: ask for Turtle, N-Triples, JSON-LD or RDF/XML",
            );
        };
        let sd = "http://www.w3.org/ns/sparql-service-description#";
        let formats = "http://www.w3.org/ns/formats/";
        let iri = |s: String| NamedNode::new_unchecked(s);
        let service = BlankNode::default();
        let dataset = BlankNode::default();
        let graph = BlankNode::default();
        let mut triples = vec![
            Triple::new(
                service.clone(),
                oxigraph::model::vocab::rdf::TYPE,
                iri(format!("{sd}Service")),
            ),
            Triple::new(
                service.clone(),
                iri(format!("{sd}endpoint")),
                // The Host header is the client's word: used only when it makes an IRI.
                NamedNode::new(format!(
                    "http://{}/query",
                    incoming.host().unwrap_or(&self.config.bind)
                ))
                .unwrap_or_else(|_| iri(format!("http://{}/query", self.config.bind))),
            ),
            Triple::new(
                service.clone(),
                iri(format!("{sd}supportedLanguage")),
                iri(format!("{sd}SPARQL11Query")),
            ),
            Triple::new(
                service.clone(),
                iri(format!("{sd}defaultDataset")),
                dataset.clone(),
            ),
            Triple::new(
                dataset.clone(),
                oxigraph::model::vocab::rdf::TYPE,
                iri(format!("{sd}Dataset")),
            ),
            Triple::new(dataset, iri(format!("{sd}defaultGraph")), graph.clone()),
            Triple::new(
                graph.clone(),
                oxigraph::model::vocab::rdf::TYPE,
                iri(format!("{sd}Graph")),
            ),
            Triple::new(
                graph,
                iri("http://rdfs.org/ns/void#triples".to_owned()),
                Literal::from(self.source.store().len().unwrap_or_default() as u64),
            ),
        ];
        if self.config.allow_update {
            triples.push(Triple::new(
                service.clone(),
                iri(format!("{sd}supportedLanguage")),
                iri(format!("{sd}SPARQL11Update")),
            ));
        }
        for name in [
            "SPARQL_Results_JSON",
            "SPARQL_Results_XML",
            "SPARQL_Results_CSV",
            "SPARQL_Results_TSV",
            "Turtle",
            "N-Triples",
            "JSON-LD",
            "RDF_XML",
        ] {
            triples.push(Triple::new(
                service.clone(),
                iri(format!("{sd}resultFormat")),
                iri(format!("{formats}{name}")),
            ));
        }
        let written = (|| -> Result<Vec<u8>, Box<dyn std::error::Error>> {
            let mut writer = oxigraph::io::RdfSerializer::from_format(format)
                .with_prefix("sd", sd)?
                .with_prefix("formats", formats)?
                .for_writer(Vec::new());
            for triple in &triples {
                writer.serialize_triple(triple)?;
            }
            Ok(writer.finish()?)
        })();
        match written {
            Ok(bytes) => Reply::new(200, format.media_type(), bytes).with_header("Vary", "Accept"),
            Err(e) => Reply::error(500, format!("cannot write the service description: {e}")),
        }
    }
}
