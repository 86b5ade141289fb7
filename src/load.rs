//! The load pipeline: read a dataset's files, check them, and load its
//! triples into a new in-memory store, or nothing at all when the data has
//! a problem. Apart from the graph source (`source.rs`), which only answers
//! SPARQL, so that the seam depends on no loader.

use crate::dataset::{Dataset, Files};
use crate::error::Error;
use crate::rdf;
use crate::source::StoreSource;
use crate::validate;
use oxigraph::model::GraphName;
use oxigraph::store::Store;

/// How messages name a dataset: `the bundled data` or its folder.
pub fn describe(files: &Files) -> String {
    match files {
        Files::Bundled => "the bundled data".to_owned(),
        Files::Dir(dir) => dir.display().to_string(),
    }
}

impl StoreSource {
    /// Reads, checks and loads a dataset into a new in-memory store. Fails
    /// with every problem the checks find; nothing is loaded then.
    pub fn load(files: &Files) -> Result<StoreSource, Error> {
        let dataset = Dataset::read(files)?;
        let problems = validate::check(&dataset)?;
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let store = Store::new().map_err(|e| Error::Store(e.to_string()))?;
        // Streamed through the bulk loader: no second copy of the triples.
        let mut loader = store.bulk_loader();
        loader
            .load_quads(rdf::stream(&dataset)?.map(|t| t.in_graph(GraphName::DefaultGraph)))
            .and_then(|()| loader.commit())
            .map_err(|e| Error::Store(e.to_string()))?;
        Ok(StoreSource::from_store(store, describe(files)))
    }
}
