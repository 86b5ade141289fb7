//! Carries out a parsed command line: opens the graph source, asks the
//! library for the answer, and writes it in the form asked for. The view is
//! built only by the commands that need it. Exit status as grep's: 0 an
//! answer, 1 no answer (an error, 2, is reported by `main`).

use crate::cli::{Cli, ClusterArg, Command, LangArg, RankBy, SourceArgs};
use anyhow::{Context, Result, bail};
use innograph::answer::{self, Answer, Form, Style};
use innograph::dataset::Files;
use innograph::export::{self, DiagramOption, Format};
use innograph::format::Described;
use innograph::query::{self, ResultFormat};
use innograph::rank::Measure;
use innograph::resolve::{resolve, resolve_among};
use innograph::source::{GraphSource, Request, StoreSource};
use innograph::table::Table;
use innograph::view::View;
use std::cell::OnceCell;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Runs the command line, writing data to `out`.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<ExitCode> {
    let style = Style {
        colour: colour_wanted(),
    };
    let graph = || Graph::open(&cli.source);
    match cli.command {
        Command::Validate { format } => validate(&cli.source, format, &style, out),
        Command::Load { rdf } => load(&cli.source, &rdf, out),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            // Written to memory first: clap_complete panics on a failed write,
            // and a closed pipe is not an error.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "innograph", &mut script);
            out.write_all(&script)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Manpage => {
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(out)?;
            Ok(ExitCode::SUCCESS)
        }
        command @ (Command::Push { .. } | Command::Serve { .. }) => {
            let local = open_local(&cli.source)?;
            crate::net::run(command, &cli.source, local, out)
        }
        Command::Platforms {
            university,
            depth,
            format,
        } => {
            let graph = graph()?;
            let view = graph.view()?;
            let start = resolve_among(view, &university, "University")?;
            let found = answer::Platforms::ask(view, start, depth as usize);
            write(&found, format, &style, out)
        }
        Command::Query {
            query,
            expression,
            param,
            format,
            list,
        } => {
            if list {
                list_queries(out)
            } else {
                run_query(&graph()?, query, expression, &param, format.as_deref(), out)
            }
        }
        Command::Entities { kind, format } => {
            let graph = graph()?;
            let view = graph.view()?;
            let kind = kind
                .map(|name| view.schema.kind_named(&name).map(|k| k.name.clone()))
                .transpose()?;
            write(
                &answer::Entities::ask(view, kind.as_deref()),
                format,
                &style,
                out,
            )
        }
        Command::Show { entity, format } => {
            let graph = graph()?;
            let view = graph.view()?;
            let node = resolve(view, &entity)?;
            let card = answer::Card::ask(graph.source(), view, node)?;
            write(&card, format, &style, out)
        }
        Command::Stats { format } => {
            let graph = graph()?;
            let stats = answer::Stats::ask(graph.source(), graph.view()?)?;
            write(&stats, format, &style, out)
        }
        Command::Export {
            format,
            output,
            lang,
            focus,
            depth,
            avoid_hubs,
            kinds,
            relations,
            cluster,
        } => {
            let format = export_format(format, output.as_deref())?;
            check_export_options(format, lang, cluster)?;
            let graph = graph()?;
            let view = graph.view()?;
            let focus = focus.as_deref().map(|f| resolve(view, f)).transpose()?;
            let selection = export::Selection::new(
                view,
                focus,
                depth as usize,
                !avoid_hubs,
                &kinds,
                &relations,
            )?;
            let options = export::Options {
                lang: match lang.unwrap_or(LangArg::Both) {
                    LangArg::Zh => export::Lang::Zh,
                    LangArg::En => export::Lang::En,
                    LangArg::Both => export::Lang::Both,
                },
                cluster: cluster.map(|c| match c {
                    ClusterArg::Kind => export::Cluster::Kind,
                    ClusterArg::Section => export::Cluster::Section,
                }),
            };
            let context = export::Context::new(graph.source(), view, selection, options)?;
            write_export(&context, format, output.as_deref(), out)
        }
        Command::Path {
            from,
            to,
            avoid_hubs,
            format,
        } => {
            let graph = graph()?;
            let view = graph.view()?;
            let (start, end) = (resolve(view, &from)?, resolve(view, &to)?);
            if start == end {
                let node = view.node(start);
                bail!(
                    "`{from}` and `{to}` both name {} {} ({}): give two different entities",
                    node.name_zh,
                    node.name_en,
                    node.id
                );
            }
            let path = answer::Path::ask(view, start, end, avoid_hubs);
            write(&path, format, &style, out)
        }
        Command::Neighbors {
            entity,
            depth,
            avoid_hubs,
            format,
        } => {
            let graph = graph()?;
            let view = graph.view()?;
            let start = resolve(view, &entity)?;
            let found = answer::Neighbors::ask(view, start, depth as usize, avoid_hubs);
            write(&found, format, &style, out)
        }
        Command::Rank {
            by,
            top,
            kind,
            format,
        } => {
            let graph = graph()?;
            let view = graph.view()?;
            let kind = kind
                .map(|name| view.schema.kind_named(&name).map(|k| k.name.clone()))
                .transpose()?;
            let measure = match by {
                RankBy::Degree => Measure::Degree,
                RankBy::Pagerank => Measure::PageRank,
                RankBy::Betweenness => Measure::Betweenness,
            };
            let ranked = answer::Rank::ask(view, measure, top, kind.as_deref());
            write(&ranked, format, &style, out)
        }
    }
}

/// Writes an answer; status 1 when there is none, as grep's.
fn write<A: Answer>(
    answer: &A,
    form: Form,
    style: &Style,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    answer::write(answer, form, style, out)?;
    Ok(status(!answer.is_empty()))
}

/// 0 when there is an answer, 1 when there is none.
fn status(answered: bool) -> ExitCode {
    if answered {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Colour on a terminal, unless `NO_COLOR` is set (<https://no-color.org>).
fn colour_wanted() -> bool {
    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The graph source a read command asks, and the view of it, built the
/// first time a command needs it.
struct Graph {
    source: Box<dyn GraphSource>,
    view: OnceCell<View>,
}

impl Graph {
    /// The source the command line names: an endpoint, an on-disk store, a
    /// dataset folder or the bundled data.
    fn open(args: &SourceArgs) -> Result<Graph> {
        let source: Box<dyn GraphSource> = if args.endpoint.is_some() {
            Box::new(crate::net::read_endpoint(args)?)
        } else {
            Box::new(open_local(args)?)
        };
        Ok(Graph {
            source,
            view: OnceCell::new(),
        })
    }

    fn source(&self) -> &dyn GraphSource {
        self.source.as_ref()
    }

    /// The petgraph view, built on first use.
    fn view(&self) -> Result<&View> {
        if let Some(view) = self.view.get() {
            return Ok(view);
        }
        let view = View::build(self.source()).context("cannot build the graph view")?;
        Ok(self.view.get_or_init(|| view))
    }
}

/// The dataset files named by the command line: a folder or the bundled data.
fn files_of(args: &SourceArgs) -> Result<Files> {
    match &args.data {
        Some(dir) if !dir.is_dir() => bail!(
            "--data {}: not a folder; give the folder that holds entities.csv, relations.csv, figures.csv, sources.csv and ontology.ttl",
            dir.display()
        ),
        Some(dir) => Ok(Files::Dir(dir.clone())),
        None => Ok(Files::Bundled),
    }
}

/// What a build without the on-disk store says when asked for it.
#[cfg(not(feature = "rocksdb"))]
const NO_STORE: &str = "this innograph was built without the on-disk store: build it with `cargo build --release --features rocksdb` (or `cargo install --path . --features rocksdb`; it compiles RocksDB, which needs a C++ compiler and libclang)";

/// The graph held on this machine: an on-disk store, a dataset folder or
/// the bundled data.
fn open_local(args: &SourceArgs) -> Result<StoreSource> {
    if let Some(dir) = &args.store {
        if args.data.is_some() {
            bail!(
                "give --data or --store, not both: --store reads a store that `innograph load --store {} --data DIR` made",
                dir.display()
            );
        }
        #[cfg(feature = "rocksdb")]
        return Ok(innograph::store::DiskStore::new(dir).open()?);
        #[cfg(not(feature = "rocksdb"))]
        bail!(
            "--store {} needs the on-disk store; {NO_STORE}",
            dir.display()
        );
    }
    let files = files_of(args)?;
    let source = StoreSource::load(&files).with_context(|| {
        format!(
            "cannot load {}; `innograph validate{}` lists every problem",
            innograph::load::describe(&files),
            args.data
                .as_ref()
                .map(|d| format!(" --data {}", d.display()))
                .unwrap_or_default()
        )
    })?;
    Ok(source)
}

/// `innograph validate`: the report, the problems of a text report on
/// standard error; status 1 when the data has a problem.
fn validate(
    args: &SourceArgs,
    format: Form,
    style: &Style,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let report = answer::Report::check(&files_of(args)?)?;
    if report.ok || format != Form::Text {
        return write(&report, format, style, out);
    }
    let err = io::stderr();
    let colour = err.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    write(&report, format, &Style { colour }, &mut err.lock())
}

/// `innograph load`: builds or extends the store named by --store, with a
/// progress line on standard error when it is a terminal.
#[cfg(feature = "rocksdb")]
fn load(args: &SourceArgs, rdf: &[PathBuf], out: &mut dyn Write) -> Result<ExitCode> {
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

/// `innograph load` in a build without the on-disk store.
#[cfg(not(feature = "rocksdb"))]
fn load(_: &SourceArgs, _: &[PathBuf], _: &mut dyn Write) -> Result<ExitCode> {
    bail!("`innograph load` builds an on-disk store; {NO_STORE}")
}

fn list_queries(out: &mut dyn Write) -> Result<ExitCode> {
    let mut table = Table::new(["name", "what it answers"]);
    for name in innograph::bundled::query_names() {
        let text = innograph::bundled::query(name).unwrap_or_default();
        table.push([name.to_owned(), query::description(text)]);
    }
    table.write(out)?;
    Ok(ExitCode::SUCCESS)
}

/// `innograph query`: status 1 when a SELECT gives no row or a CONSTRUCT no
/// triple. The view is built only when a `--param` value is an entity's name.
fn run_query(
    graph: &Graph,
    query: Option<String>,
    expression: Option<String>,
    params: &[String],
    format: Option<&str>,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let format = format.map(str::parse::<ResultFormat>).transpose()?;
    let mut request = match (expression, query) {
        (Some(text), _) => Request::new(text, "the -e query"),
        (None, Some(spec)) => query::find(&spec)?,
        (None, None) => bail!(
            "give a query: a name from `innograph query --list`, a .rq file, or the text itself with -e 'SELECT ...'"
        ),
    };
    let mut iri_of = |name: &str| -> Result<String, innograph::Error> {
        let view = graph
            .view()
            .map_err(|e| innograph::Error::Usage(format!("{e:#}")))?;
        Ok(view.node(resolve(view, name)?).iri.clone())
    };
    for param in params {
        let (name, value) = query::parse_param(param, &mut iri_of)?;
        request = request.bind(&name, value);
    }
    let results = graph.source().run(&request)?;
    let written = query::write_results(results, format, out)?;
    Ok(status(written.is_none_or(|rows| rows > 0)))
}

/// The export format: --format, else the extension of -o, else DOT. A
/// file name that says another format than --format is refused.
fn export_format(format: Option<Format>, output: Option<&Path>) -> Result<Format> {
    let named = output.and_then(Format::from_path);
    match (format, output) {
        (Some(format), Some(path)) => {
            if let Some(other) = named.filter(|&n| n != format) {
                bail!(
                    "-o {} names a .{} file, but --format {} writes {}: name the file {} or drop --format",
                    path.display(),
                    other.extension(),
                    format.name(),
                    format.info().help,
                    path.with_extension(format.extension()).display()
                );
            }
            Ok(format)
        }
        (Some(format), None) => Ok(format),
        (None, None) => Ok(Format::Dot),
        (None, Some(path)) => named.with_context(|| {
            format!(
                "cannot tell the format from the name {}: give --format ({})",
                path.display(),
                Format::names()
            )
        }),
    }
}

/// Refuses options that change nothing in `format`, saying why.
fn check_export_options(
    format: Format,
    lang: Option<LangArg>,
    cluster: Option<ClusterArg>,
) -> Result<()> {
    if cluster.is_some() && !format.takes(DiagramOption::Cluster) {
        bail!(
            "--cluster draws boxes in a diagram (dot, svg, png); --format {} has none",
            format.name()
        );
    }
    if lang.is_some() && !format.takes(DiagramOption::Lang) {
        bail!(
            "--lang picks the language of labels (dot, svg, png, graphml, json, mermaid); --format {} writes every name in both languages",
            format.name()
        );
    }
    Ok(())
}

/// `innograph export`: a file is written only once the whole export succeeded.
fn write_export(
    context: &export::Context<'_>,
    format: Format,
    output: Option<&Path>,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    if format.rdf().is_none() && context.selected.nodes.is_empty() {
        bail!("the selection leaves nothing to draw: loosen --kinds or --relations");
    }
    match output {
        Some(path) => {
            let mut bytes = Vec::new();
            export::write(format, context, &mut bytes)?;
            std::fs::write(path, bytes)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        None => {
            if format.is_binary() && io::stdout().is_terminal() {
                bail!(
                    "--format {} is binary: write it to a file with -o diagram.{} (or redirect standard output)",
                    format.name(),
                    format.extension()
                );
            }
            export::write(format, context, out)?;
        }
    }
    let mut err = io::stderr().lock();
    for warning in context.warnings() {
        writeln!(err, "warning: {warning}")?;
    }
    Ok(ExitCode::SUCCESS)
}
