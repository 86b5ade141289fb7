//! Where the graph comes from: the source the command line names (an
//! endpoint, an on-disk store, a dataset folder or the bundled data), the
//! view of it built on first use, and `innograph load`.

use crate::cli::SourceArgs;
use anyhow::{Context, Result, bail};
use innograph::dataset::Files;
use innograph::derived::Derived;
use innograph::load::describe;
use innograph::remote::{Endpoint, Walk};
use innograph::source::{GraphSource, StoreSource};
use innograph::view::View;
use petgraph::graph::NodeIndex;
use std::borrow::Cow;
use std::cell::{Cell, OnceCell};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// The graph source a read command asks, and the view of it, built the
/// first time a command needs it.
pub struct Graph {
    source: Box<dyn GraphSource>,
    /// The endpoint, when the graph is one: asked for only what each
    /// command needs.
    endpoint: Option<Endpoint>,
    /// The endpoint's whole graph, copied the first time a command needs
    /// it.
    copy: OnceCell<StoreSource>,
    view: OnceCell<View>,
    /// The derived index of an on-disk store, a cached dataset or the
    /// bundled data: names are resolved, neighbourhoods read and the view
    /// built in it, without the store.
    derived: Option<Derived>,
    /// Why an on-disk store's index cannot be used, told once, when a
    /// command would have used it.
    notice: Cell<Option<String>>,
}

impl Graph {
    /// The source the command line names: an endpoint, an on-disk store, a
    /// dataset folder or the bundled data.
    ///
    /// The bundled data opens prebuilt: its index read where the binary
    /// holds it, its store built only if a query asks it.
    pub fn open(args: &SourceArgs) -> Result<Graph> {
        // A prebuilt file that does not open is ignored, as a stale one is.
        if bundled(args)
            && let Some(prebuilt) = innograph::prebuilt::bundled()
            && let Ok((derived, source)) = prebuilt.open(describe(&Files::Bundled))
        {
            return Ok(Graph {
                source: Box::new(source),
                view: OnceCell::new(),
                endpoint: None,
                copy: OnceCell::new(),
                derived: Some(derived),
                notice: Cell::new(None),
            });
        }
        if let (Some(dir), None, None) = (&args.store, &args.endpoint, &args.data) {
            let current = innograph::store::DiskStore::new(dir).reader()?;
            let (derived, notice) = match current.index() {
                Ok(derived) => (Some(derived), None),
                // The view is rebuilt from the RocksDB store, which only
                // innograph-store reads.
                #[cfg(not(feature = "rocksdb"))]
                Err(why) => {
                    return Err(crate::front::hand_over(&format!(
                        "--store {}: {why}, so the view is rebuilt from the RocksDB store",
                        dir.display()
                    )));
                }
                #[cfg(feature = "rocksdb")]
                Err(why) => (None, Some(why.to_string())),
            };
            return Ok(Graph {
                source: Box::new(current),
                view: OnceCell::new(),
                endpoint: None,
                copy: OnceCell::new(),
                derived,
                notice: Cell::new(notice),
            });
        }
        if let (Some(dir), None, None) = (&args.data, &args.store, &args.endpoint)
            && dir.is_dir()
            && let Some(cache) = innograph::cache::Cache::from_env()
            && let Some(hash) = innograph::cache::files_hash(dir)
        {
            return open_cached(args, dir, &cache, hash);
        }
        let (source, endpoint): (Box<dyn GraphSource>, _) = if args.endpoint.is_some() {
            let endpoint = crate::net::read_endpoint(args)?;
            (Box::new(endpoint.clone()), Some(endpoint))
        } else {
            (Box::new(open_local(args)?), None)
        };
        Ok(Graph {
            source,
            endpoint,
            copy: OnceCell::new(),
            view: OnceCell::new(),
            derived: None,
            notice: Cell::new(None),
        })
    }

    /// The on-disk store's derived index, when it has a usable one; else
    /// says once, on standard error, that the view is rebuilt instead.
    fn derived(&self) -> Option<&Derived> {
        if let Some(why) = self.notice.take() {
            let _ = writeln!(
                std::io::stderr().lock(),
                "note: {why}; rebuilding the view from the store (`innograph load` writes the index)"
            );
        }
        self.derived.as_ref()
    }

    /// Whether the graph is an endpoint's.
    pub fn is_remote(&self) -> bool {
        self.endpoint.is_some()
    }

    /// The source.
    pub fn source(&self) -> &dyn GraphSource {
        self.source.as_ref()
    }

    /// The petgraph view, built on first use: from the derived index when
    /// the graph has a usable one, else from the graph.
    pub fn view(&self) -> Result<&View> {
        if let Some(view) = self.view.get() {
            return Ok(view);
        }
        let view = match self.derived() {
            Some(derived) => derived.view()?,
            None => View::build(self.whole()?).context("cannot build the graph view")?,
        };
        Ok(self.view.get_or_init(|| view))
    }

    /// The whole graph, to ask what needs all of it (exports, reports):
    /// the source itself, or a copy of the endpoint's graph made the first
    /// time, with a progress line on standard error when it is a terminal.
    pub fn whole(&self) -> Result<&dyn GraphSource> {
        let Some(endpoint) = &self.endpoint else {
            return Ok(self.source());
        };
        if let Some(copy) = self.copy.get() {
            return Ok(copy);
        }
        let bar =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
        bar.set_style(indicatif::ProgressStyle::with_template(
            "{spinner} {elapsed:>4} {msg}",
        )?);
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        bar.set_message(format!("copying the graph from {}", endpoint.shown()));
        let copy = endpoint.copy_with(&|triples| {
            bar.set_message(format!(
                "{triples} triples copied from {}",
                endpoint.shown()
            ));
        });
        bar.finish_and_clear();
        let copy = copy?;
        Ok(self.copy.get_or_init(|| copy))
    }
}

/// The dataset folder `dir` (whose files hash to `hash`) from the cache when
/// it holds it; else loaded as usual, and kept in the cache for next time.
fn open_cached(
    args: &SourceArgs,
    dir: &std::path::Path,
    cache: &innograph::cache::Cache,
    hash: u64,
) -> Result<Graph> {
    let description = describe(&Files::Dir(dir.to_path_buf()));
    // An entry that does not open is one more reason to make it again.
    let cached = cache
        .get(dir, hash)
        .and_then(|prebuilt| prebuilt.open(description.clone()).ok());
    let (derived, source): (Derived, Box<dyn GraphSource>) = match cached {
        Some((derived, source)) => (derived, Box::new(source)),
        None => {
            let source = open_local(args)?;
            let prebuilt = innograph::prebuilt::Prebuilt::make(&source, hash)
                .context("cannot build the graph view")?;
            // The cache only saves time: a folder that cannot be written
            // to leaves the command as it was.
            let _ = cache.put(dir, &prebuilt);
            let (derived, _) = prebuilt.open(description)?;
            (derived, Box::new(source))
        }
    };
    Ok(Graph {
        source,
        view: OnceCell::new(),
        endpoint: None,
        copy: OnceCell::new(),
        derived: Some(derived),
        notice: Cell::new(None),
    })
}

/// Whether the command line names the bundled data: no endpoint, store or folder.
fn bundled(args: &SourceArgs) -> bool {
    args.endpoint.is_none() && args.store.is_none() && args.data.is_none()
}

impl Graph {
    /// The IRI of the entity (of `kind`, a local name, when given) that
    /// `name` names: over an endpoint by a few bounded queries, else in the
    /// view.
    pub fn resolve(&self, name: &str, kind: Option<&str>) -> Result<String> {
        if let Some(endpoint) = &self.endpoint {
            return Ok(endpoint.resolve(name, kind)?);
        }
        if let Some(derived) = self.derived() {
            return Ok(derived.resolve(name, kind)?);
        }
        let view = self.view()?;
        let node = match kind {
            Some(kind) => innograph::resolve::resolve_among(view, name, kind)?,
            None => innograph::resolve::resolve(view, name)?,
        };
        Ok(view.node(node).iri.clone())
    }

    /// A view in which a traversal from `start` (an IRI) bounded by `walk`
    /// sees what it sees in the whole graph, and the node of `start` in it:
    /// over an endpoint, the part of the graph the walk reaches, fetched a
    /// hop at a time; else the whole view.
    pub fn view_around(&self, start: &str, walk: &Walk) -> Result<(Cow<'_, View>, NodeIndex)> {
        if let Some(derived) = self.derived() {
            let (view, node) = derived.around(start, &uncapped(walk))?;
            return Ok((Cow::Owned(view), node));
        }
        let view = match &self.endpoint {
            Some(endpoint) => Cow::Owned(endpoint.view_around(start, walk)?),
            None => Cow::Borrowed(self.view()?),
        };
        let node = node_of(&view, start)?;
        Ok((view, node))
    }
}

impl Graph {
    /// A view of every entity (over an endpoint, of the kind named `kind`
    /// and its subkinds alone, when given), with its names and aliases but,
    /// over an endpoint, without its relations (what a list of the
    /// entities needs).
    pub fn entities(&self, kind: Option<&str>) -> Result<Cow<'_, View>> {
        Ok(match &self.endpoint {
            Some(endpoint) => Cow::Owned(endpoint.entities_view(kind)?),
            None => Cow::Borrowed(self.view()?),
        })
    }

    /// A view of every entity and relation, with the evidence of each
    /// relation unless the graph is an endpoint's: then only its skeleton
    /// is fetched (what ranking needs).
    pub fn skeleton(&self) -> Result<Cow<'_, View>> {
        Ok(match &self.endpoint {
            Some(endpoint) => Cow::Owned(endpoint.skeleton_view()?),
            None => Cow::Borrowed(self.view()?),
        })
    }
}

impl Graph {
    /// The card of the entity `iri`: over an endpoint, from the part of the
    /// graph it reads, fetched in a few queries.
    pub fn card(&self, iri: &str) -> Result<innograph::answer::Card> {
        if let Some(endpoint) = &self.endpoint {
            let (view, source) = endpoint.card_around(iri)?;
            let node = node_of(&view, iri)?;
            return Ok(innograph::answer::Card::ask(&source, &view, node)?);
        }
        if let Some(derived) = self.derived() {
            let (view, node) = derived.around(iri, &uncapped(&Walk::within(1, true)))?;
            return Ok(innograph::answer::Card::ask(self.source(), &view, node)?);
        }
        let view = self.view()?;
        let node = node_of(view, iri)?;
        Ok(innograph::answer::Card::ask(self.source(), view, node)?)
    }
}

/// `walk` without its cap on the entities reached: a walk in a local index
/// costs no transfer, and at worst reads what the whole view holds, so it
/// goes as far as its question needs, as a walk over the whole view does.
/// The cap bounds what a walk asks of an endpoint.
fn uncapped(walk: &Walk) -> Walk {
    Walk {
        cap: usize::MAX,
        ..walk.clone()
    }
}

/// The node of `iri` in `view`.
pub fn node_of(view: &View, iri: &str) -> Result<NodeIndex> {
    view.node_by_iri(iri)
        .with_context(|| format!("{iri} is not in the view of the graph"))
}

/// The dataset files named by the command line: a folder or the bundled data.
pub fn files_of(args: &SourceArgs) -> Result<Files> {
    match &args.data {
        Some(dir) if !dir.is_dir() => bail!(
            "--data {}: not a folder; give the folder that holds entities.csv, relations.csv, figures.csv, sources.csv and ontology.ttl",
            dir.display()
        ),
        Some(dir) => Ok(Files::Dir(dir.clone())),
        None => Ok(Files::Bundled),
    }
}

/// The graph held on this machine: an on-disk store, a dataset folder or
/// the bundled data.
pub fn open_local(args: &SourceArgs) -> Result<StoreSource> {
    if let Some(dir) = &args.store {
        if args.data.is_some() {
            bail!(
                "give --data or --store, not both: --store reads a store that `innograph load --store {} --data DIR` made",
                dir.display()
            );
        }
        return Ok(innograph::store::DiskStore::new(dir).open()?);
    }
    if bundled(args)
        && let Some(prebuilt) = innograph::prebuilt::bundled()
    {
        return Ok(prebuilt.into_store(describe(&Files::Bundled))?);
    }
    let files = files_of(args)?;
    let source = StoreSource::load(&files).with_context(|| {
        format!(
            "cannot load {}; `innograph validate{}` lists every problem",
            describe(&files),
            args.data
                .as_ref()
                .map(|d| format!(" --data {}", d.display()))
                .unwrap_or_default()
        )
    })?;
    Ok(source)
}

/// `innograph load`: builds or extends the store named by --store, with a
/// progress line on standard error when it is a terminal.
#[cfg(feature = "rocksdb")]
pub fn load(args: &SourceArgs, rdf: &[PathBuf], out: &mut dyn Write) -> Result<ExitCode> {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    use innograph::store::{DiskStore, Input, Progress};
    let Some(dir) = &args.store else {
        bail!("give the store to build or extend: innograph load --store DIR --data DIR");
    };
    let mut inputs: Vec<Input> = args.data.iter().cloned().map(Input::Data).collect();
    inputs.extend(rdf.iter().cloned().map(Input::Rdf));
    if inputs.is_empty() {
        bail!("nothing to load: give --data DIR (a dataset folder) and/or --rdf FILE...");
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(ProgressStyle::with_template(
        "{spinner} {elapsed:>4} {msg}",
    )?);
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    let store = DiskStore::new(dir);
    let report = store.load(&inputs, &|progress| match progress {
        Progress::Checking => bar.set_message("checking the inputs"),
        Progress::Copying => bar.set_message("copying the current store"),
        Progress::Loading(n) => bar.set_message(format!("{n} triples loaded")),
        Progress::Indexing(_) => bar.set_message("deriving the view and the name index"),
        Progress::Committing => bar.set_message("writing the store to disk"),
    });
    bar.finish_and_clear();
    let report = report.with_context(|| {
        format!(
            "nothing was loaded; {} keeps its previous content",
            dir.display()
        )
    })?;
    writeln!(
        out,
        "loaded {} triples into {} ({})",
        report.triples,
        dir.display(),
        report.generation
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `innograph load` in a build without RocksDB, which hands it to
/// innograph-store before it comes here (`front.rs`).
#[cfg(not(feature = "rocksdb"))]
pub fn load(_: &SourceArgs, _: &[PathBuf], _: &mut dyn Write) -> Result<ExitCode> {
    bail!("`innograph load` builds a RocksDB store, and this innograph was built without RocksDB")
}
