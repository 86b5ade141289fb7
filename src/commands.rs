//! Parses the command line and carries it out, one arm per command: opens
//! the graph source (`open.rs`), asks the library for the answer, and
//! writes it in the form asked for. The view is built only by the commands
//! that need it. Exit status as grep's: 0 an answer, 1 no answer, 2 an
//! error, reported once with its chain of causes ([`main`], which both
//! `innograph` and `innograph-store` run).

use crate::cli::{Cli, ClusterArg, Command, LangArg, RankBy, SourceArgs};
use crate::exporting;
use crate::open::{Graph, files_of, load, node_of, open_local};
use anyhow::{Context, Result, bail};
use clap::Parser;
use innograph::answer::{self, Answer, Form, Style};
use innograph::export;
use innograph::links;
use innograph::query::{self, ResultFormat};
use innograph::rank::Measure;
use innograph::remote::Walk;
use innograph::resolve::resolve;
use innograph::shown::escaped;
use innograph::source::Request;
use innograph::table::Table;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;

/// Parses the command line, runs it, and reports an error chain once, on
/// standard error.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = run(cli, &mut out).and_then(|code| {
        out.flush()?;
        Ok(code)
    });
    match result {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let mut stderr = io::stderr().lock();
            // Escaped: a message may quote a name, a path or a query as given.
            let _ = writeln!(stderr, "error: {}", escaped(&err.to_string()));
            for cause in err.chain().skip(1) {
                let _ = writeln!(stderr, "  caused by: {}", escaped(&cause.to_string()));
            }
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<innograph::Error>()
                .is_some_and(|e| matches!(e, innograph::Error::Write(e) if e.kind() == io::ErrorKind::BrokenPipe))
            || cause
                .downcast_ref::<csv::Error>()
                .is_some_and(|e| matches!(e.kind(), csv::ErrorKind::Io(e) if e.kind() == io::ErrorKind::BrokenPipe))
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(io::ErrorKind::BrokenPipe))
    })
}

/// Runs the command line, writing data to `out`.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<ExitCode> {
    let terminal = io::stdout().is_terminal();
    let style = Style {
        colour: terminal && colour_wanted(),
        width: terminal
            .then(terminal_size::terminal_size)
            .flatten()
            .map(|(width, _)| usize::from(width.0)),
    };
    #[cfg(not(feature = "rocksdb"))]
    if let Some(why) = crate::front::needs_store_program(&cli) {
        // What serve refuses with any store is refused here as there,
        // whether innograph-store is installed or not.
        crate::net::refuse_early(&cli.command, &cli.source)?;
        return Err(crate::front::hand_over(&why));
    }
    let graph = || Graph::open(&cli.source);
    match cli.command {
        Command::Validate { format } => validate(&cli.source, format, &style, out),
        Command::Load { rdf } => load(&cli.source, &rdf, out),
        Command::Draft {
            letter,
            out: dir,
            report,
        } => {
            let outcome = innograph::draft::draft_to_dir(&letter, &dir, &files_of(&cli.source)?)?;
            let text = if report {
                outcome.report()
            } else {
                outcome.summary()
            };
            out.write_all(text.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
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
            crate::net::refuse_early(&command, &cli.source)?;
            let local = open_local(&cli.source)?;
            crate::net::run(command, &cli.source, local, out)
        }
        Command::Platforms {
            university,
            depth,
            format,
        } => {
            let graph = graph()?;
            let iri = graph.resolve(&university, Some(links::UNIVERSITY))?;
            let (view, start) =
                graph.view_around(&iri, &Walk::within((depth as usize).max(1), false))?;
            let found = answer::Platforms::ask(&view, start, depth as usize);
            write(&found, format, &style, out)
        }
        Command::Query {
            query,
            expression,
            param,
            format,
            list,
            timeout,
            max_query_memory,
        } => {
            let memory = (max_query_memory > 0).then_some(max_query_memory);
            if list {
                list_queries(out)
            } else if let Some(memory) = innograph::sandbox::confined() {
                // The process started below: the graph loaded, then the limit.
                let graph = graph()?;
                innograph::sandbox::confine(memory)
                    .context("cannot set the query's memory limit")?;
                run_query(&graph, query, expression, &param, format.as_deref(), out)
            } else if timeout > 0 || memory.is_some() {
                let launcher = innograph::sandbox::Launcher {
                    program: std::env::current_exe()
                        .context("cannot find this program to run the query apart")?,
                    args: std::env::args_os().skip(1).collect(),
                };
                let timeout = (timeout > 0).then(|| std::time::Duration::from_secs(timeout));
                let code = innograph::sandbox::run_confined(&launcher, timeout, memory, out)?;
                Ok(ExitCode::from(u8::try_from(code).unwrap_or(2)))
            } else {
                run_query(&graph()?, query, expression, &param, format.as_deref(), out)
            }
        }
        Command::Evaluate {
            max_query_memory,
            graph_file,
        } => {
            let local = match graph_file {
                Some(file) => innograph::serve::served_graph(&file)?,
                None => open_local(&cli.source)?,
            };
            let memory = (max_query_memory > 0).then_some(max_query_memory);
            innograph::serve::evaluator(&local, memory, &mut io::stdin().lock(), out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Entities { kind, format } => {
            let graph = graph()?;
            let view = graph.entities(kind.as_deref())?;
            let kind = kind
                .map(|name| view.schema.kind_named(&name).map(|k| k.name.clone()))
                .transpose()?;
            write(
                &answer::Entities::ask(&view, kind.as_deref()),
                format,
                &style,
                out,
            )
        }
        Command::Show { entity, format } => {
            let graph = graph()?;
            let card = graph.card(&graph.resolve(&entity, None)?)?;
            write(&card, format, &style, out)
        }
        Command::Stats { format } => {
            let graph = graph()?;
            // Counts are asked of the source; the shape (components, hubs)
            // needs every relation, but not its evidence.
            let stats = answer::Stats::ask(graph.source(), &*graph.skeleton()?)?;
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
            sections,
            cluster,
            title,
            no_source_line,
            legend,
            collapse,
            dpi,
        } => {
            let format = exporting::format(format, output.as_deref())?;
            exporting::check_options(format, lang, cluster)?;
            exporting::check_drawing(format, title.is_some() || collapse || no_source_line)?;
            exporting::check_dpi(format, dpi)?;
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
            )?
            .in_sections(&sections);
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
                title,
                source_line: !no_source_line,
                legend: exporting::legend(legend),
                collapse,
                dpi,
            };
            let context = export::Context::new(graph.whole()?, view, selection, options)?;
            exporting::write(&context, format, output.as_deref(), out)
        }
        Command::Figures { format, output } => {
            let graph = graph()?;
            let table = answer::FigureTable::ask(graph.whole()?, graph.view()?)?;
            match output {
                Some(path) => crate::reporting::figures(&table, &path),
                None => write(&table, format, &style, out),
            }
        }
        Command::Report { output, lang } => crate::reporting::write(&graph()?, &output, lang),
        Command::Path {
            from,
            to,
            avoid_hubs,
            format,
        } => {
            let graph = graph()?;
            let (from_iri, to_iri) = (graph.resolve(&from, None)?, graph.resolve(&to, None)?);
            let (view, start) = graph.view_around(&from_iri, &Walk::until(&to_iri, !avoid_hubs))?;
            let end = node_of(&view, &to_iri)?;
            if start == end {
                let node = view.node(start);
                bail!(
                    "`{from}` and `{to}` both name {} {} ({}): give two different entities",
                    node.name_zh,
                    node.name_en,
                    node.id
                );
            }
            let path = answer::Path::ask(&view, start, end, avoid_hubs);
            write(&path, format, &style, out)
        }
        Command::Neighbors {
            entity,
            depth,
            avoid_hubs,
            format,
        } => {
            let graph = graph()?;
            let iri = graph.resolve(&entity, None)?;
            let (view, start) =
                graph.view_around(&iri, &Walk::shown(depth as usize, !avoid_hubs))?;
            let found = answer::Neighbors::ask(&view, start, depth as usize, avoid_hubs);
            write(&found, format, &style, out)
        }
        Command::Rank {
            by,
            top,
            kind,
            format,
        } => {
            let graph = graph()?;
            let view = graph.skeleton()?;
            let kind = kind
                .map(|name| view.schema.kind_named(&name).map(|k| k.name.clone()))
                .transpose()?;
            let measure = match by {
                RankBy::Degree => Measure::Degree,
                RankBy::Pagerank => Measure::PageRank,
                RankBy::Betweenness => Measure::Betweenness,
            };
            let ranked = answer::Rank::ask(&view, measure, top, kind.as_deref());
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

/// Colour, unless `NO_COLOR` is set (<https://no-color.org>).
fn colour_wanted() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
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
    let style = Style {
        colour: err.is_terminal() && colour_wanted(),
        width: None,
    };
    write(&report, format, &style, &mut err.lock())
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
/// triple. The view is built only when a `--param` value is a partial or
/// ambiguous entity name.
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
    // An exact id, name or alias is looked up by SPARQL; locally, only a
    // partial or ambiguous one needs the view. Over an endpoint, an id is
    // looked up alike (one query that reads one entity); a name is
    // resolved by the endpoint's bounded label queries, which compare
    // every label and give what the view would.
    let mut iri_of = |name: &str| -> Result<String, innograph::Error> {
        let found = if graph.is_remote() {
            innograph::resolve::by_id(graph.source(), name)?
        } else {
            innograph::resolve::by_name(graph.source(), name)?
        };
        if let Some(iri) = found {
            return Ok(iri);
        }
        graph
            .resolve(name, None)
            .map_err(|e| match e.downcast::<innograph::Error>() {
                Ok(e) => e,
                Err(e) => innograph::Error::Usage(format!("{e:#}")),
            })
    };
    for param in params {
        let (name, value) = query::parse_param(param, &mut iri_of)?;
        request = request.bind(&name, value);
    }
    let results = graph.source().run(&request)?;
    let written = query::write_results(results, format, out)?;
    Ok(status(written.is_none_or(|rows| rows > 0)))
}
