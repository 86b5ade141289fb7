//! The on-disk store: a folder that holds RocksDB generations and a pointer
//! to the current one, so that a load is atomic. Loading
//! (`store/loading.rs`) and reading the RocksDB store need the feature
//! `rocksdb`; the pointer and a generation's derived index are plain files,
//! read in any build.
//!
//! ```text
//! DIR/CURRENT          the name of the current generation, e.g. `gen-3`
//! DIR/gen-3/           a RocksDB store: what every reader opens
//! DIR/gen-3/innograph.index  its derived index: the view and the name index
//! DIR/gen-4.tmp/       a load under way (removed by the next load if it died)
//! DIR/LOCK             held by the load running on DIR, if any
//! ```
//!
//! A load never writes into the current generation. It checks every input
//! first (every CSV row; every RDF file is parsed through and every syntax
//! error kept), copies the current generation (hard links for RocksDB's
//! immutable table files, so this is cheap), streams the new triples into
//! the copy through Oxigraph's bulk loader, writes the derived index of the
//! result into it ([`crate::derived`]), syncs it to disk, and only then
//! switches `CURRENT` by renaming a new pointer file over it. A failed load,
//! or a process killed at any point, leaves `CURRENT` naming the previous
//! generation, which no one has changed.
//!
//! Readers open the current generation's index, and its RocksDB store
//! read-only when a query needs it ([`Current`]). Old generations are
//! removed once a load has switched the pointer; a reader that opened one
//! just before may then fail and is run again.

#[cfg(feature = "rocksdb")]
mod loading;

use crate::derived::{Derived, Unusable};
use crate::error::Error;
use crate::source::{GraphSource, Request, StoreSource};
#[cfg(feature = "rocksdb")]
pub use loading::{Input, LoadReport, Progress, Step, rdf_format};
use oxigraph::model::Triple;
use oxigraph::sparql::QueryResults;
use std::cell::OnceCell;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The file that names the current generation.
const CURRENT: &str = "CURRENT";

/// An on-disk store folder.
#[derive(Debug, Clone)]
pub struct DiskStore {
    dir: PathBuf,
}

impl DiskStore {
    /// The store in folder `dir` (which need not exist yet).
    pub fn new(dir: impl Into<PathBuf>) -> DiskStore {
        DiskStore { dir: dir.into() }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The folder of the current generation, if the store has one.
    pub fn current(&self) -> Result<Option<PathBuf>, Error> {
        let pointer = self.dir.join(CURRENT);
        match fs::read_to_string(&pointer) {
            Ok(name) => {
                let name = name.trim();
                if !is_generation(name) {
                    return Err(Error::Store(format!(
                        "{} names `{name}`, which is not a generation of this store",
                        pointer.display()
                    )));
                }
                Ok(Some(self.dir.join(name)))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(io_error(&pointer, source)),
        }
    }

    /// Opens the current generation read-only as a graph source.
    pub fn open(&self) -> Result<StoreSource, Error> {
        let current = self.reader()?;
        current.source()?;
        Ok(current
            .store
            .into_inner()
            .expect("the store was opened just above"))
    }

    /// The current generation, to read: its index now, its RocksDB store
    /// on the first query.
    pub fn reader(&self) -> Result<Current, Error> {
        let Some(generation) = self.current()? else {
            return Err(Error::Usage(format!(
                "{} holds no store: create it with `innograph load --store {} --data DIR` (or --rdf FILE)",
                self.dir.display(),
                self.dir.display()
            )));
        };
        Ok(Current {
            description: format!("the store {}", self.dir.display()),
            generation,
            store: OnceCell::new(),
        })
    }
}

/// The current generation of a store, opened for reading: its derived index
/// when it has a usable one, and its RocksDB store, opened read-only on the
/// first query, so that a command the index answers never opens it.
pub struct Current {
    generation: PathBuf,
    description: String,
    store: OnceCell<StoreSource>,
}

impl Current {
    /// The generation's folder.
    pub fn generation(&self) -> &Path {
        &self.generation
    }

    /// The generation's derived index, or why it cannot be used (a store
    /// made by an older innograph has none): the view is then rebuilt from
    /// the store.
    pub fn index(&self) -> Result<Derived, Unusable> {
        let name = self
            .generation
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Derived::open(&self.generation, &name)
    }

    /// The generation's RocksDB store, opened read-only on first use.
    pub fn source(&self) -> Result<&StoreSource, Error> {
        if let Some(source) = self.store.get() {
            return Ok(source);
        }
        #[cfg(feature = "rocksdb")]
        {
            let store = oxigraph::store::Store::open_read_only(&self.generation).map_err(|e| {
                Error::Store(format!("cannot open {}: {e}", self.generation.display()))
            })?;
            let source = StoreSource::from_store(store, self.description.clone());
            Ok(self.store.get_or_init(|| source))
        }
        #[cfg(not(feature = "rocksdb"))]
        Err(Error::Usage(format!(
            "{} is a RocksDB store, and this innograph was built without RocksDB: only its index can be read",
            self.generation.display()
        )))
    }
}

impl GraphSource for Current {
    fn run(&self, request: &Request) -> Result<QueryResults<'static>, Error> {
        self.source()?.run(request)
    }

    fn triples(&self) -> Result<Vec<Triple>, Error> {
        self.source()?.triples()
    }

    fn describe(&self) -> String {
        self.description.clone()
    }
}

fn is_generation(name: &str) -> bool {
    name.strip_prefix("gen-")
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

fn io_error(path: &Path, source: io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generations_are_named_gen_and_a_number() {
        assert!(is_generation("gen-1") && is_generation("gen-12"));
        assert!(!is_generation("gen-") && !is_generation("gen-1.tmp") && !is_generation("x"));
    }
}
