//! The cache of `--data DIR` datasets: each folder's graph prebuilt
//! ([`Prebuilt`]: its view, name index and triples), kept in the user's cache
//! folder (`$XDG_CACHE_HOME/innograph`, else `~/.cache/innograph`), so that
//! the next command on the same files opens it ready-made instead of
//! reading, checking and deriving them again.
//!
//! An entry is named by a hash of the folder's path and records a hash of
//! the files the dataset reads (its tables, ontology and the source texts
//! its `sources.csv` names) and of the code that derives the graph
//! ([`bundled::CODE_HASH`]): an entry whose hash differs, or that does not
//! decode, is ignored and written again. Entries are written to a
//! temporary file and renamed into place. `INNOGRAPH_CACHE=off` turns the
//! cache off.

use crate::bundled;
use crate::error::Error;
use crate::prebuilt::Prebuilt;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The files of a dataset folder besides the source texts.
const TABLES: [&str; 5] = [
    "entities.csv",
    "relations.csv",
    "figures.csv",
    "sources.csv",
    "ontology.ttl",
];

/// The cache folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cache {
    folder: PathBuf,
}

/// FNV-1a, continued from `hash`, as `build.rs` hashes the bundled data.
fn fnv(mut hash: u64, bytes: &[u8]) -> u64 {
    for &byte in bytes {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

impl Cache {
    /// The cache folder the environment names: `$XDG_CACHE_HOME/innograph`,
    /// else `$HOME/.cache/innograph`; `None` when `INNOGRAPH_CACHE` is
    /// `off` or neither variable is set.
    pub fn from_env() -> Option<Cache> {
        if std::env::var_os("INNOGRAPH_CACHE").is_some_and(|v| v == "off") {
            return None;
        }
        let base = std::env::var_os("XDG_CACHE_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| {
                std::env::var_os("HOME")
                    .filter(|v| !v.is_empty())
                    .map(|home| PathBuf::from(home).join(".cache"))
            })?;
        Some(Cache {
            folder: base.join("innograph"),
        })
    }

    /// The cache in `folder`.
    pub fn new(folder: impl Into<PathBuf>) -> Cache {
        Cache {
            folder: folder.into(),
        }
    }

    /// The file that holds the entry of the dataset folder `dir`.
    pub fn entry(&self, dir: &Path) -> PathBuf {
        let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        let name = fnv(0xcbf2_9ce4_8422_2325, dir.as_os_str().as_encoded_bytes());
        self.folder.join(format!("data-{name:016x}.postcard"))
    }

    /// The prebuilt graph of `dir` whose files hash to `hash`
    /// ([`files_hash`]), if the cache holds it intact.
    pub fn get(&self, dir: &Path, hash: u64) -> Option<Prebuilt> {
        let bytes = std::fs::read(self.entry(dir)).ok()?;
        Prebuilt::decode(&bytes)
            .ok()
            .filter(|p| p.data_hash() == hash)
    }

    /// Keeps `prebuilt` as the entry of `dir`, replacing any other.
    pub fn put(&self, dir: &Path, prebuilt: &Prebuilt) -> Result<(), Error> {
        let io = |path: &Path, source| Error::Io {
            path: path.display().to_string(),
            source,
        };
        std::fs::create_dir_all(&self.folder).map_err(|e| io(&self.folder, e))?;
        let entry = self.entry(dir);
        let mut file =
            tempfile::NamedTempFile::new_in(&self.folder).map_err(|e| io(&self.folder, e))?;
        file.write_all(&prebuilt.encode())
            .and_then(|()| file.as_file().sync_all())
            .map_err(|e| io(&entry, e))?;
        file.persist(&entry).map_err(|e| io(&entry, e.error))?;
        Ok(())
    }
}

/// A hash of what the dataset in `dir` is made from: its tables, its
/// ontology and the source texts `sources.csv` names (names and contents),
/// and the code that derives the graph. `None` when a file cannot be read:
/// the load that follows says why.
pub fn files_hash(dir: &Path) -> Option<u64> {
    let mut hash = fnv(0xcbf2_9ce4_8422_2325, &bundled::CODE_HASH.to_le_bytes());
    let mut add = |name: &str| -> Option<Vec<u8>> {
        let bytes = crate::dataset::read_regular(&dir.join(name)).ok()?;
        hash = fnv(fnv(fnv(hash, name.as_bytes()), &[0]), &bytes);
        hash = fnv(hash, &[0]);
        Some(bytes)
    };
    let mut sources = Vec::new();
    for table in TABLES {
        let bytes = add(table)?;
        if table == "sources.csv" {
            sources = bytes;
        }
    }
    let mut reader = csv::Reader::from_reader(sources.as_slice());
    let column = reader.headers().ok()?.iter().position(|h| h == "file")?;
    for record in reader.records() {
        let record = record.ok()?;
        let name = record.get(column)?;
        // Only names inside the folder: the load refuses any other.
        if !Path::new(name)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
        {
            return None;
        }
        add(name)?;
    }
    Some(hash)
}
