//! `innograph load` (feature `rocksdb`): checking the inputs, streaming them
//! into a new generation, deriving its index and switching to it.

use super::{CURRENT, DiskStore, io_error, is_generation};
use crate::dataset::{Dataset, Files};
use crate::derived;
use crate::error::{Error, Location, Problem};
use crate::rdf;
pub use crate::scan::Step;
use crate::scan::{self, Facts, Gathered, Said};
use crate::validate;
use oxigraph::io::{RdfFormat, RdfParseError, RdfParser};
use oxigraph::model::{GraphName, NamedOrBlankNode, Quad, Term};
use oxigraph::store::Store;
use std::fs::{self, File};
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// The file a load holds locked while it runs.
const LOCK: &str = "LOCK";
/// How many syntax errors of one RDF file are reported before reading stops.
const MAX_ERRORS_PER_FILE: usize = 100;
/// How many triples pass between two progress reports.
const PROGRESS_STEP: u64 = 10_000;

/// Something to load into a store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A dataset folder in innograph's CSV schema.
    Data(PathBuf),
    /// An RDF file (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD, N3),
    /// its format told by its extension, optionally gzipped (`.ttl.gz`).
    Rdf(PathBuf),
}

/// What a load did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadReport {
    /// Triples (and quads) read from the inputs, duplicates included.
    pub triples: u64,
    /// The generation that is now current.
    pub generation: String,
}

/// Where a load is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Reading and checking the CSV datasets.
    Checking,
    /// Copying the current generation.
    Copying,
    /// Streaming triples into the new generation: how many so far.
    Loading(u64),
    /// Deriving the view and the name index of the new generation: the
    /// step it has reached.
    Indexing(Step),
    /// Writing the new generation to disk and switching to it.
    Committing,
}

impl DiskStore {
    /// Loads `inputs` into the store, creating it if need be, atomically:
    /// either everything is loaded, or (on any error, or when the process
    /// dies) the store keeps its previous content. Fails with every problem
    /// found in the inputs. `progress` hears where the load is.
    pub fn load(&self, inputs: &[Input], progress: &dyn Fn(Progress)) -> Result<LoadReport, Error> {
        fs::create_dir_all(&self.dir).map_err(|e| io_error(&self.dir, e))?;
        let lock_path = self.dir.join(LOCK);
        let lock = File::create(&lock_path).map_err(|e| io_error(&lock_path, e))?;
        lock.try_lock().map_err(|e| match e {
            fs::TryLockError::WouldBlock => Error::Usage(format!(
                "another load is running on {}: wait for it to finish",
                self.dir.display()
            )),
            fs::TryLockError::Error(e) => io_error(&lock_path, e),
        })?;

        progress(Progress::Checking);
        let datasets = check_inputs(inputs)?;

        let current = self.current()?;
        let number = current
            .as_deref()
            .and_then(|c| c.file_name()?.to_str()?.strip_prefix("gen-")?.parse().ok())
            .unwrap_or(0u64)
            + 1;
        let name = format!("gen-{number}");
        self.remove_generations_except(current.as_deref())?;
        let staging = self.dir.join(format!("{name}.tmp"));
        if let Some(current) = &current {
            progress(Progress::Copying);
            copy_generation(current, &staging)?;
        }
        // Into an empty store, the view's facts are taken from the triples
        // as they stream in; a copied generation holds facts no input
        // repeats, so its view comes from a scan of the result.
        let from_stream = current.is_none();
        let step = |step| progress(Progress::Indexing(step));
        let result = load_into(&staging, inputs, &datasets, from_stream, progress).and_then(
            |(triples, store, facts)| {
                let (view, facts) = scan::view_of_with(&store, facts, &step)?;
                std::thread::scope(|scope| {
                    // Freeing the facts overlaps the writing.
                    scope.spawn(move || drop(facts));
                    step(Step::Writing);
                    derived::write(&staging, &name, &view)
                })?;
                Ok(triples)
            },
        );
        let triples = match result {
            Ok(triples) => triples,
            Err(e) => {
                let _ = fs::remove_dir_all(&staging);
                return Err(e);
            }
        };
        progress(Progress::Committing);
        sync_tree(&staging)?;
        let generation = self.dir.join(&name);
        fs::rename(&staging, &generation).map_err(|e| io_error(&generation, e))?;
        sync_dir(&self.dir)?;
        let pointer = self.dir.join(CURRENT);
        let next = self.dir.join(format!("{CURRENT}.tmp"));
        let mut file = File::create(&next).map_err(|e| io_error(&next, e))?;
        file.write_all(format!("{name}\n").as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| io_error(&next, e))?;
        fs::rename(&next, &pointer).map_err(|e| io_error(&pointer, e))?;
        sync_dir(&self.dir)?;
        // The switch is done: what follows only frees disk space.
        let _ = self.remove_generations_except(Some(&generation));
        drop(lock);
        Ok(LoadReport {
            triples,
            generation: name,
        })
    }

    /// Removes every generation (finished or not) but `keep`.
    fn remove_generations_except(&self, keep: Option<&Path>) -> Result<(), Error> {
        let entries = fs::read_dir(&self.dir).map_err(|e| io_error(&self.dir, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| io_error(&self.dir, e))?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let stem = name.strip_suffix(".tmp").unwrap_or(&name);
            if is_generation(stem) && Some(entry.path().as_path()) != keep {
                fs::remove_dir_all(entry.path()).map_err(|e| io_error(&entry.path(), e))?;
            }
        }
        Ok(())
    }
}

/// Reads and checks every CSV dataset, and checks that every RDF file exists
/// and has a known format: everything that can be checked before loading.
fn check_inputs(inputs: &[Input]) -> Result<Vec<Dataset>, Error> {
    let mut datasets = Vec::new();
    let mut problems = Vec::new();
    for input in inputs {
        match input {
            Input::Data(dir) => {
                let dataset = Dataset::read(&Files::Dir(dir.clone()))?;
                problems.extend(validate::check(&dataset)?);
                datasets.push(dataset);
            }
            Input::Rdf(path) => {
                rdf_format(path)?;
                if !path.is_file() {
                    return Err(io_error(
                        path,
                        io::Error::new(io::ErrorKind::NotFound, "no such file"),
                    ));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(datasets)
    } else {
        Err(Error::Invalid(problems))
    }
}

/// The RDF format of a file, from its extension (after any `.gz`).
pub fn rdf_format(path: &Path) -> Result<RdfFormat, Error> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let extension = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("");
    let format = match extension {
        "xml" | "owl" => Some(RdfFormat::RdfXml),
        "json" => RdfFormat::from_extension("jsonld"),
        other => RdfFormat::from_extension(other),
    };
    format.ok_or_else(|| {
        Error::Usage(format!(
            "{}: unknown RDF format; name the file .ttl, .nt, .nq, .trig, .rdf, .jsonld or .n3 (optionally .gz)",
            path.display()
        ))
    })
}

/// How many of the view's facts pass to the thread that gathers them at once.
const BATCH: usize = 4096;
/// How many batches may wait for that thread before the load waits for it.
const BATCHES_WAITING: usize = 16;

/// A batch of the view's facts, as they stream past: subject, role and
/// object as the parser gave it.
type Batch = Vec<(NamedOrBlankNode, Said, Term)>;

/// Streams every input into the store at `dir` and commits it. Returns how
/// many triples were read, the store, and with `gather`, the view's facts
/// taken from the triples of the default graph as they went in (on a
/// second thread, so that this work overlaps the store's); fails with every
/// syntax error of the RDF files.
fn load_into(
    dir: &Path,
    inputs: &[Input],
    datasets: &[Dataset],
    gather: bool,
    progress: &dyn Fn(Progress),
) -> Result<(u64, Store, Option<Gathered>), Error> {
    let store = Store::open(dir)
        .map_err(|e| Error::Store(format!("cannot create {}: {e}", dir.display())))?;
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::sync_channel::<Batch>(BATCHES_WAITING);
        let gatherer = gather.then(|| {
            scope.spawn(move || {
                let mut facts = Facts::default();
                for batch in receiver {
                    for (subject, said, object) in batch {
                        facts.add(subject, said, scan::stored(object));
                    }
                }
                facts.gathered()
            })
        });
        let mut sender = gather.then_some(sender);
        let mut batch: Batch = Vec::new();
        let mut loader = store.bulk_loader();
        let mut count = 0u64;
        let mut problems = Vec::new();
        let mut counted = |quad: Quad| {
            count += 1;
            if count.is_multiple_of(PROGRESS_STEP) {
                progress(Progress::Loading(count));
            }
            if let Some(channel) = &sender
                && quad.graph_name.is_default_graph()
                && let Some(said) = Said::of(quad.predicate.as_str())
            {
                batch.push((quad.subject.clone(), said, quad.object.clone()));
                if batch.len() >= BATCH && channel.send(std::mem::take(&mut batch)).is_err() {
                    // The gatherer has stopped: it panicked, and joining it says so.
                    sender = None;
                }
            }
            quad
        };
        let mut datasets = datasets.iter();
        for input in inputs {
            match input {
                Input::Data(_) => {
                    let dataset = datasets.next().expect("one dataset per --data input");
                    let quads =
                        rdf::stream(dataset)?.map(|t| counted(t.in_graph(GraphName::DefaultGraph)));
                    loader
                        .load_quads(quads)
                        .map_err(|e| Error::Store(e.to_string()))?;
                }
                Input::Rdf(path) => {
                    let shown = path.display().to_string();
                    let reader = open_input(path)?;
                    let mut errors = 0;
                    let quads = RdfParser::from_format(rdf_format(path)?)
                        .rename_blank_nodes()
                        .for_reader(reader)
                        .map_while(|result| match result {
                            Ok(quad) => Some(Some(quad)),
                            Err(e) => {
                                let stop = matches!(e, RdfParseError::Io(_));
                                problems.push(parse_problem(&shown, &e));
                                errors += 1;
                                (!stop && errors < MAX_ERRORS_PER_FILE).then_some(None)
                            }
                        })
                        .flatten()
                        .map(&mut counted);
                    loader
                        .load_quads(quads)
                        .map_err(|e| Error::Store(e.to_string()))?;
                }
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        if let Some(channel) = sender.take() {
            // A failed send is the gatherer's panic, which the join below reports.
            let _ = channel.send(batch);
        }
        loader.commit().map_err(|e| Error::Store(e.to_string()))?;
        store.flush().map_err(|e| Error::Store(e.to_string()))?;
        let facts = gatherer
            .map(|gatherer| {
                gatherer.join().map_err(|_| {
                    Error::Store("gathering the view's facts from the loaded triples failed".into())
                })
            })
            .transpose()?;
        Ok((count, store, facts))
    })
}

fn parse_problem(file: &str, error: &RdfParseError) -> Problem {
    let (line, column) = match error {
        RdfParseError::Syntax(e) => e
            .location()
            .map_or((1, 1), |l| (l.start.line + 1, l.start.column + 1)),
        RdfParseError::Io(_) => (1, 1),
    };
    Problem {
        location: Location {
            file: file.to_owned(),
            line,
            column,
        },
        message: match error {
            RdfParseError::Syntax(e) => format!("invalid RDF: {e}"),
            RdfParseError::Io(e) => format!("cannot read: {e}"),
        },
    }
}

/// A buffered reader of `path`, decompressed when it ends in `.gz`.
fn open_input(path: &Path) -> Result<Box<dyn Read>, Error> {
    let file = File::open(path).map_err(|e| io_error(path, e))?;
    let gzipped = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    Ok(if gzipped {
        Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(
            BufReader::new(file),
        )))
    } else {
        Box::new(BufReader::with_capacity(1 << 16, file))
    })
}

/// Copies a closed generation: its immutable table files as hard links
/// (copied when the file system cannot link), every other file as a copy.
fn copy_generation(from: &Path, to: &Path) -> Result<(), Error> {
    fs::create_dir(to).map_err(|e| io_error(to, e))?;
    for entry in fs::read_dir(from).map_err(|e| io_error(from, e))? {
        let entry = entry.map_err(|e| io_error(from, e))?;
        let name = entry.file_name();
        let (source, target) = (entry.path(), to.join(&name));
        // The index is derived anew for the new generation.
        if name == "LOCK" || name == derived::FILE {
            continue;
        }
        let linked =
            name.to_string_lossy().ends_with(".sst") && fs::hard_link(&source, &target).is_ok();
        if !linked {
            fs::copy(&source, &target).map_err(|e| io_error(&source, e))?;
        }
    }
    Ok(())
}

/// Syncs every file of `dir`, then `dir` itself.
fn sync_tree(dir: &Path) -> Result<(), Error> {
    for entry in fs::read_dir(dir).map_err(|e| io_error(dir, e))? {
        let path = entry.map_err(|e| io_error(dir, e))?.path();
        if path.is_file() {
            File::open(&path)
                .and_then(|f| f.sync_all())
                .map_err(|e| io_error(&path, e))?;
        }
    }
    sync_dir(dir)
}

fn sync_dir(dir: &Path) -> Result<(), Error> {
    File::open(dir)
        .and_then(|f| f.sync_all())
        .map_err(|e| io_error(dir, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_extensions() {
        for (name, format) in [
            ("a.ttl", RdfFormat::Turtle),
            ("a.nt.gz", RdfFormat::NTriples),
            ("A.NQ", RdfFormat::NQuads),
            ("a.trig", RdfFormat::TriG),
            ("a.rdf", RdfFormat::RdfXml),
            ("a.owl.gz", RdfFormat::RdfXml),
        ] {
            assert_eq!(rdf_format(Path::new(name)).unwrap(), format, "{name}");
        }
        assert!(matches!(
            rdf_format(Path::new("a.jsonld")),
            Ok(RdfFormat::JsonLd { .. })
        ));
        assert!(rdf_format(Path::new("a.csv")).is_err());
        assert!(rdf_format(Path::new("ttl")).is_err());
    }
}
