//! The entity-to-entity skeleton of an endpoint's graph, for the questions
//! that need every entity and relation but not their evidence (`rank`):
//! kinds, Chinese and English names, and each statement's two ends,
//! predicate and status, in one CONSTRUCT read within the answer limit.
//! Quotes, sources, anchors, aliases and figures stay on the engine.

use super::Endpoint;
use super::walk::Partial;
use crate::error::Error;
use crate::view::View;

const SKELETON: &str = r#"
CONSTRUCT {
  ?entity a ?kind ; skos:prefLabel ?name .
  ?statement a ig:Statement ; rdf:subject ?subject ; rdf:predicate ?predicate ;
             rdf:object ?object ; ig:status ?status .
} WHERE {
  {
    ?kind a owl:Class .
    ?entity a ?kind .
    FILTER(?kind != ig:Statement && ?kind != ig:Figure)
    OPTIONAL { ?entity skos:prefLabel ?name }
  } UNION {
    ?statement a ig:Statement ; rdf:subject ?subject ; rdf:predicate ?predicate ;
               rdf:object ?object ; ig:status ?status .
  }
}"#;

impl Endpoint {
    /// The view of every entity and relation of the endpoint's graph,
    /// without evidence: what ranking needs. Fails, naming the URL, when
    /// the answer is larger than [`Endpoint::answer_limit`].
    pub fn skeleton_view(&self) -> Result<View, Error> {
        let mut partial = Partial::new(self)?;
        partial.add(self.construct(SKELETON, "the skeleton query")?)?;
        partial.view()
    }
}

/// What the view reads of every entity (kinds, names, aliases, same-as
/// links) and nothing of its relations: what a list of the entities needs.
const ENTITIES: &str = r#"
CONSTRUCT { ?entity ?p ?o } WHERE {
  OF_KIND
  ?kind a owl:Class .
  ?entity a ?kind .
  FILTER(?kind != ig:Statement && ?kind != ig:Figure)
  ?entity ?p ?o .
  FILTER(?p IN (rdf:type, skos:prefLabel, skos:altLabel, skos:hiddenLabel, schema:sameAs))
}"#;

impl Endpoint {
    /// The view of every entity of the endpoint's graph (of the kind named
    /// `kind` and its subkinds, when given), with its names and aliases but
    /// no relation: what a list of the entities needs. A kind the schema
    /// does not name fetches no entity (the command then says which kinds
    /// there are). Fails, naming the URL, when the answer is larger than
    /// [`Endpoint::answer_limit`].
    pub fn entities_view(&self, kind: Option<&str>) -> Result<View, Error> {
        let mut partial = Partial::new(self)?;
        let of_kind = match kind.map(|name| partial.schema().kind_named(name)) {
            None => String::new(),
            Some(Ok(kind)) => super::kinds_of(partial.schema(), &kind.name),
            Some(Err(_)) => return partial.view(),
        };
        let query = ENTITIES.replace("OF_KIND", &of_kind);
        partial.add(self.construct(&query, "the entities query")?)?;
        partial.view()
    }
}
