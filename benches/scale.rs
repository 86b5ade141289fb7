//! In-process measurements at scale, run by `benches/run.sh` (one
//! measurement per process, so that each peak memory figure is its own).
//!
//! ```text
//! cargo bench --features rocksdb --bench scale -- MEASURE ARGS...
//!   memory-load DATA            read, check and load a CSV dataset in memory
//!   memory-view DATA            the same, then build the petgraph view
//!   oxigraph-memory-load FILE   the baseline: Oxigraph's bulk loader, N-Triples into memory
//!   store-open STORE            open an on-disk store and count its triples
//!   store-view STORE            open it and build the view
//!   warm STORE ENTITY           `platforms ENTITY` on an open store and view
//!   reach STORE NODES           an entity whose neighbourhood has about NODES nodes
//!   load-phases STORE INPUT...  `load` of INPUTs (dataset folders, RDF files)
//!                               into STORE, timed by the phases it reports
//!   name-index STORE            build the name index of the store's view, and
//!                               the baseline: its suffixes sorted by comparing
//!                               whole strings
//!   store-scan STORE            one scan of the default graph of a store's
//!                               current generation, doing nothing with it
//!   lookups STORE NAME          exact, prefix and substring lookups of NAME (its
//!                               first two characters, two from its second) in
//!                               the store's derived index, each on the index
//!                               opened afresh, the whole name resolution, and
//!                               the opening of the index
//! ```
//!
//! Each prints one line of `key=value` pairs: times in milliseconds, peak
//! resident memory (`VmHWM`) in MiB.

use innograph::dataset::Files;
use innograph::links;
use innograph::resolve::resolve;
use innograph::source::{GraphSource, Request, StoreSource, select};
use innograph::store::{DiskStore, Input, Progress};
use innograph::view::View;
use std::error::Error;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

/// The allocator the `innograph` binary uses (`src/main.rs`), so that what
/// is measured here allocates as the command does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// Peak resident memory of this process so far, in MiB (Linux).
fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn count(source: &dyn GraphSource) -> Result<u64> {
    let rows = select(
        source,
        &Request::new("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "count"),
        &["n"],
    )?;
    let n = rows
        .first()
        .and_then(|r| r[0].as_ref())
        .and_then(|t| match t {
            oxigraph::model::Term::Literal(l) => l.value().parse().ok(),
            _ => None,
        })
        .ok_or("no count")?;
    Ok(n)
}

/// The baseline of `name-index`: the index's distinct names, and every
/// suffix of them sorted by comparing the whole strings, as the name index
/// once sorted them.
fn sorted_by_whole_strings(view: &View) -> Vec<usize> {
    let mut pairs: Vec<(String, usize)> = view
        .graph
        .node_indices()
        .flat_map(|n| {
            innograph::index::names(view, n)
                .into_iter()
                .map(move |name| (name, n.index()))
        })
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut text = String::new();
    let mut ends = Vec::new();
    let mut last: Option<&str> = None;
    for (name, _) in &pairs {
        if last != Some(name.as_str()) {
            text.push_str(name);
            ends.push(text.len());
            last = Some(name);
        }
    }
    let mut suffixes: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for end in ends {
        suffixes.extend(
            text[start..end]
                .char_indices()
                .map(|(o, _)| (start + o, end)),
        );
        start = end;
    }
    suffixes.sort_unstable_by(|a, b| text[a.0..a.1].cmp(&text[b.0..b.1]).then(a.cmp(b)));
    suffixes.into_iter().map(|(start, _)| start).collect()
}

fn main() -> Result<()> {
    // `cargo bench` passes `--bench`; the measure comes after it.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let arg = |i: usize| -> Result<&str> {
        args.get(i)
            .map(String::as_str)
            .ok_or_else(|| format!("missing argument {i}; see the module doc").into())
    };
    let mut out = std::io::stdout().lock();
    match arg(0)? {
        "memory-load" | "memory-view" => {
            let files = Files::Dir(PathBuf::from(arg(1)?));
            let start = Instant::now();
            let source = StoreSource::load(&files)?;
            let load_ms = ms(start);
            let load_peak = peak_mib();
            let triples = source.store().len()? as f64;
            let mut line = format!(
                "triples={triples} load_ms={load_ms:.1} triples_per_s={:.0} load_peak_mib={load_peak:.1}",
                triples / load_ms * 1000.0
            );
            if arg(0)? == "memory-view" {
                let start = Instant::now();
                let view = View::build(&source)?;
                line.push_str(&format!(
                    " view_ms={:.1} nodes={} edges={} peak_mib={:.1}",
                    ms(start),
                    view.graph.node_count(),
                    view.graph.edge_count(),
                    peak_mib()
                ));
            }
            writeln!(out, "{line}")?;
        }
        "store-open" => {
            let start = Instant::now();
            let source = DiskStore::new(arg(1)?).open()?;
            let open_ms = ms(start);
            let start = Instant::now();
            let triples = count(&source)?;
            writeln!(
                out,
                "triples={triples} open_ms={open_ms:.1} count_ms={:.1} peak_mib={:.1}",
                ms(start),
                peak_mib()
            )?;
        }
        "store-view" => {
            let source = DiskStore::new(arg(1)?).open()?;
            let mut times = Vec::new();
            let mut size = (0, 0);
            for _ in 0..3 {
                let start = Instant::now();
                let view = View::build(&source)?;
                times.push(ms(start));
                size = (view.graph.node_count(), view.graph.edge_count());
            }
            writeln!(
                out,
                "view_ms={:.1} runs={times:?} nodes={} edges={} peak_mib={:.1}",
                median(times.clone()),
                size.0,
                size.1,
                peak_mib()
            )?;
        }
        "warm" => {
            let source = DiskStore::new(arg(1)?).open()?;
            let view = View::build(&source)?;
            let start_node = resolve(&view, arg(2)?)?;
            let iri = view.node(start_node).iri.clone();
            let (mut by_view, mut by_sparql, mut resolving) = (Vec::new(), Vec::new(), Vec::new());
            let (mut found_view, mut found_sparql) = (0, 0);
            for _ in 0..50 {
                let start = Instant::now();
                let node = resolve(&view, arg(2)?)?;
                resolving.push(ms(start));
                let start = Instant::now();
                found_view = links::platforms(&view, node, 1).len();
                by_view.push(ms(start));
                let start = Instant::now();
                found_sparql = links::platforms_by_sparql(&source, &iri)?.len();
                by_sparql.push(ms(start));
            }
            writeln!(
                out,
                "resolve_ms={:.3} platforms_view_ms={:.3} platforms_sparql_ms={:.3} platforms={found_view} direct_links={found_sparql}",
                median(resolving),
                median(by_view),
                median(by_sparql)
            )?;
        }
        "reach" => {
            let source = DiskStore::new(arg(1)?).open()?;
            let view = View::build(&source)?;
            let wanted: usize = arg(2)?.parse()?;
            // The entity whose direct neighbourhood is closest to the wanted size.
            let best = view
                .graph
                .node_indices()
                .map(|n| (links::reach(&view, n, 1, true).len() + 1, n))
                .min_by_key(|(size, n)| (size.abs_diff(wanted), *n))
                .ok_or("the view is empty")?;
            writeln!(out, "{} {}", view.node(best.1).id, best.0)?;
        }
        "oxigraph-memory-load" => {
            // The baseline: Oxigraph's own bulk loader into an in-memory store.
            let path = arg(1)?;
            let start = Instant::now();
            let store = oxigraph::store::Store::new()?;
            let mut loader = store.bulk_loader();
            loader.load_from_reader(
                oxigraph::io::RdfFormat::NTriples,
                std::io::BufReader::new(std::fs::File::open(path)?),
            )?;
            loader.commit()?;
            let load_ms = ms(start);
            let triples = store.len()? as f64;
            writeln!(
                out,
                "triples={triples} load_ms={load_ms:.1} triples_per_s={:.0} load_peak_mib={:.1}",
                triples / load_ms * 1000.0,
                peak_mib()
            )?;
        }
        "lookups" => {
            // Each lookup on a freshly opened index, as in a new process: no
            // page of the file kept from the one before (the file itself is
            // in the OS page cache after the first run).
            let reader = DiskStore::new(arg(1)?).reader()?;
            let wanted = innograph::index::normalise(arg(2)?);
            let prefix: String = wanted.chars().take(2).collect();
            let middle: String = wanted.chars().skip(1).take(2).collect();
            let mut line = String::new();
            let mut opening = Vec::new();
            for (label, how, text) in [
                ("exact", innograph::index::Match::Exact, &wanted),
                ("prefix", innograph::index::Match::Prefix, &prefix),
                ("substring", innograph::index::Match::Substring, &middle),
            ] {
                let mut times = Vec::new();
                let mut found = 0;
                for _ in 0..50 {
                    let start = Instant::now();
                    let index = reader.index()?;
                    opening.push(ms(start));
                    let start = Instant::now();
                    found = index.find(how, text)?.len();
                    times.push(ms(start));
                }
                line.push_str(&format!(
                    "{label}_ms={:.3} {label}_found={found} ",
                    median(times)
                ));
            }
            let mut times = Vec::new();
            for _ in 0..50 {
                let index = reader.index()?;
                let start = Instant::now();
                index.resolve(arg(2)?, None)?;
                times.push(ms(start));
            }
            writeln!(
                out,
                "{line}resolve_ms={:.3} open_ms={:.3}",
                median(times),
                median(opening)
            )?;
        }
        "load-phases" => {
            let inputs: Vec<Input> = args[2..]
                .iter()
                .map(|a| {
                    let path = PathBuf::from(a);
                    if path.is_dir() {
                        Input::Data(path)
                    } else {
                        Input::Rdf(path)
                    }
                })
                .collect();
            // Each phase's name and when it began.
            let phases = std::cell::RefCell::new(Vec::<(String, Instant)>::new());
            let start = Instant::now();
            let report = DiskStore::new(arg(1)?).load(&inputs, &|progress| {
                let name = match progress {
                    Progress::Loading(_) => "loading".to_owned(),
                    Progress::Indexing(step) => format!("{step:?}").to_lowercase(),
                    other => format!("{other:?}").to_lowercase(),
                };
                let mut phases = phases.borrow_mut();
                if phases.last().is_none_or(|(last, _)| *last != name) {
                    phases.push((name, Instant::now()));
                }
            })?;
            let end = Instant::now();
            let phases = phases.into_inner();
            let mut line = format!("triples={} ", report.triples);
            for (i, (name, began)) in phases.iter().enumerate() {
                let ended = phases.get(i + 1).map_or(end, |p| p.1);
                line.push_str(&format!(
                    "{name}_ms={:.1} ",
                    (ended - *began).as_secs_f64() * 1000.0
                ));
            }
            writeln!(
                out,
                "{line}total_ms={:.1} peak_mib={:.1}",
                (end - start).as_secs_f64() * 1000.0,
                peak_mib()
            )?;
        }
        "name-index" => {
            let reader = DiskStore::new(arg(1)?).reader()?;
            let view = View::from_parts(reader.index()?.parts()?, None)?;
            let (mut built, mut baseline) = (Vec::new(), Vec::new());
            let mut suffixes = 0;
            for _ in 0..3 {
                let start = Instant::now();
                std::hint::black_box(innograph::index::NameIndex::build(&view));
                built.push(ms(start));
                let start = Instant::now();
                suffixes = std::hint::black_box(sorted_by_whole_strings(&view)).len();
                baseline.push(ms(start));
            }
            let (built, baseline) = (median(built), median(baseline));
            writeln!(
                out,
                "nodes={} suffixes={suffixes} build_ms={built:.1} whole_string_sort_ms={baseline:.1} ratio={:.3}",
                view.graph.node_count(),
                built / baseline
            )?;
        }
        "store-scan" => {
            let reader = DiskStore::new(arg(1)?).reader()?;
            let store = reader.source()?.store().clone();
            let start = Instant::now();
            let mut quads = 0u64;
            for quad in store.quads_for_pattern(
                None,
                None,
                None,
                Some(oxigraph::model::GraphNameRef::DefaultGraph),
            ) {
                quad?;
                quads += 1;
            }
            writeln!(out, "quads={quads} scan_ms={:.1}", ms(start))?;
        }
        other => return Err(format!("unknown measure {other}; see the module doc").into()),
    }
    Ok(())
}
