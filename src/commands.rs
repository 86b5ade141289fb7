//! Carries out a parsed command line: loads the graph source, builds the
//! view, asks the library, and writes the answer to standard output.

use crate::cli::{Cli, ClusterArg, Command, ExportFormat, LangArg, ListFormat, RankBy, SourceArgs};
use anyhow::{Context, Result, bail};
use innograph::dataset::{Dataset, Files};
use innograph::export::{self, Format};
use innograph::links::{self, Hop};
use innograph::ontology::text;
use innograph::query::{self, ResultFormat};
use innograph::rank;
use innograph::resolve::resolve;
use innograph::source::{GraphSource, Request, StoreSource, select};
use innograph::stats::Stats;
use innograph::table::Table;
use innograph::validate;
use innograph::view::View;
use oxigraph::model::NamedNode;
use petgraph::graph::NodeIndex;
use serde_json::json;
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

/// Runs the command line, writing data to `out`.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<ExitCode> {
    #[cfg(feature = "rocksdb")]
    if let Command::Load { rdf } = &cli.command {
        return load(&cli.source, rdf, out);
    }
    if let Command::Validate = cli.command {
        return validate_data(&files_of(&cli.source)?, out);
    }
    if let Command::Draft {
        letter,
        out: dir,
        report,
    } = &cli.command
    {
        let outcome = innograph::draft::draft_to_dir(letter, dir, &files_of(&cli.source)?)?;
        let text = if *report {
            outcome.report()
        } else {
            outcome.summary()
        };
        out.write_all(text.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    if matches!(cli.command, Command::Push { .. } | Command::Serve { .. }) {
        let local = open_local(&cli.source)?;
        return crate::net::run(cli.command, &cli.source, local, out);
    }
    let source = open_source(&cli.source)?;
    let source = source.as_ref();
    let view = View::build(source).context("cannot build the graph view")?;
    match cli.command {
        Command::Platforms {
            university,
            depth,
            format,
        } => platforms(&view, &university, depth as usize, format, out)?,
        Command::Query {
            query,
            expression,
            param,
            format,
            list,
        } => {
            if list {
                list_queries(out)?;
            } else {
                run_query(
                    source,
                    &view,
                    query,
                    expression,
                    &param,
                    format.as_deref(),
                    out,
                )?;
            }
        }
        Command::Entities { kind, format } => entities(&view, kind.as_deref(), format, out)?,
        Command::Show { entity } => show(source, &view, &entity, out)?,
        Command::Stats => stats(source, &view, out)?,
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
            let focus = focus.as_deref().map(|f| resolve(&view, f)).transpose()?;
            let selection = export::Selection::new(
                &view,
                focus,
                depth as usize,
                !avoid_hubs,
                &kinds,
                &relations,
            )?;
            let options = export::Options {
                lang: match lang {
                    LangArg::Zh => export::Lang::Zh,
                    LangArg::En => export::Lang::En,
                    LangArg::Both => export::Lang::Both,
                },
                cluster: cluster.map(|c| match c {
                    ClusterArg::Kind => export::Cluster::Kind,
                    ClusterArg::Section => export::Cluster::Section,
                }),
            };
            let context = export::Context::new(source, &view, selection, options)?;
            write_export(&context, format, output.as_deref(), out)?;
        }
        Command::Path {
            from,
            to,
            avoid_hubs,
            format,
        } => return path(&view, &from, &to, avoid_hubs, format, out),
        Command::Neighbors {
            entity,
            depth,
            avoid_hubs,
            format,
        } => neighbors(&view, &entity, depth as usize, avoid_hubs, format, out)?,
        Command::Rank {
            by,
            top,
            kind,
            format,
        } => rank(&view, by, top, kind.as_deref(), format, out)?,
        Command::Validate | Command::Draft { .. } => unreachable!("handled before loading"),
        Command::Push { .. } | Command::Serve { .. } => unreachable!("handled before loading"),
        #[cfg(feature = "rocksdb")]
        Command::Load { .. } => unreachable!("handled before loading"),
    }
    Ok(ExitCode::SUCCESS)
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

/// The graph source the command line asks for. Every read command goes
/// through it, whatever holds the graph.
fn open_source(args: &SourceArgs) -> Result<Box<dyn GraphSource>> {
    if args.endpoint.is_some() {
        return Ok(Box::new(crate::net::read_endpoint(args)?));
    }
    Ok(Box::new(open_local(args)?))
}

/// The graph held on this machine: an on-disk store, a dataset folder or
/// the bundled data.
fn open_local(args: &SourceArgs) -> Result<StoreSource> {
    #[cfg(feature = "rocksdb")]
    if let Some(dir) = &args.store {
        if args.data.is_some() {
            bail!(
                "give --data or --store, not both: --store reads a store that `innograph load --store {} --data DIR` made",
                dir.display()
            );
        }
        let source = innograph::store::DiskStore::new(dir).open()?;
        return Ok(source);
    }
    let files = files_of(args)?;
    let source = StoreSource::load(&files).with_context(|| {
        format!(
            "cannot load {}; `innograph validate{}` lists every problem",
            source_name(&files),
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
fn load(args: &SourceArgs, rdf: &[std::path::PathBuf], out: &mut dyn Write) -> Result<ExitCode> {
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

fn source_name(files: &Files) -> String {
    match files {
        Files::Bundled => "the bundled data".to_owned(),
        Files::Dir(dir) => dir.display().to_string(),
    }
}

fn validate_data(files: &Files, out: &mut dyn Write) -> Result<ExitCode> {
    let dataset = Dataset::read(files)?;
    let problems = validate::check(&dataset)?;
    if problems.is_empty() {
        writeln!(
            out,
            "ok: {} entities, {} relations, {} figures, {} sources; every quote occurs in its source",
            dataset.entities.rows.len(),
            dataset.relations.rows.len(),
            dataset.figures.rows.len(),
            dataset.sources.rows.len()
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut err = io::stderr().lock();
    for problem in &problems {
        writeln!(err, "{problem}")?;
    }
    writeln!(
        err,
        "{} problem{} in {}",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" },
        source_name(files)
    )?;
    Ok(ExitCode::FAILURE)
}

/// `A —label→ B` or `A ←label— B`, in both languages.
fn hop_text(view: &View, hop: &Hop) -> String {
    let edge = view.edge(hop.edge);
    let label = format!(
        "{} {}",
        view.predicate_label(&edge.predicate, "zh"),
        view.predicate_label(&edge.predicate, "en")
    );
    if hop.forward {
        format!("—{label}→ {}", view.node(hop.to).name_zh)
    } else {
        format!("←{label}— {}", view.node(hop.to).name_zh)
    }
}

fn platforms(
    view: &View,
    university: &str,
    depth: usize,
    format: ListFormat,
    out: &mut dyn Write,
) -> Result<()> {
    let start = resolve(view, university)?;
    let found = links::platforms(view, start, depth);
    let node = view.node(start);
    match format {
        ListFormat::Text => {
            writeln!(
                out,
                "{} {} ({}): {} platform{} within {depth} link{}",
                node.name_zh,
                node.name_en,
                node.id,
                found.len(),
                if found.len() == 1 { "" } else { "s" },
                if depth == 1 { "" } else { "s" },
            )?;
            for (i, link) in found.iter().enumerate() {
                let p = view.node(link.platform);
                writeln!(out, "\n{}. {}  {}  [{}]", i + 1, p.name_zh, p.name_en, p.id)?;
                for path in &link.paths {
                    let chain: Vec<String> = path.iter().map(|h| hop_text(view, h)).collect();
                    writeln!(out, "   {} {}", node.name_zh, chain.join(" "))?;
                    for hop in path {
                        let edge = view.edge(hop.edge);
                        writeln!(
                            out,
                            "     {} · {} · “{}”{}",
                            edge.status.as_str(),
                            edge.section,
                            edge.quote,
                            edge.reason
                                .as_ref()
                                .map(|r| format!(" (inferred: {r})"))
                                .unwrap_or_default()
                        )?;
                    }
                }
            }
        }
        ListFormat::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            writer.write_record([
                "university",
                "platform",
                "platform_zh",
                "platform_en",
                "distance",
                "path",
                "hop",
                "from",
                "relation",
                "direction",
                "to",
                "status",
                "section",
                "quote",
                "reason",
            ])?;
            for link in &found {
                let p = view.node(link.platform);
                for (path_no, path) in link.paths.iter().enumerate() {
                    for (hop_no, hop) in path.iter().enumerate() {
                        let edge = view.edge(hop.edge);
                        writer.write_record([
                            node.id.as_str(),
                            &p.id,
                            &p.name_zh,
                            &p.name_en,
                            &link.distance.to_string(),
                            &(path_no + 1).to_string(),
                            &(hop_no + 1).to_string(),
                            &view.node(hop.from).id,
                            &edge.predicate,
                            if hop.forward { "out" } else { "in" },
                            &view.node(hop.to).id,
                            edge.status.as_str(),
                            &edge.section,
                            &edge.quote,
                            edge.reason.as_deref().unwrap_or(""),
                        ])?;
                    }
                }
            }
            writer.flush()?;
        }
        ListFormat::Json => {
            let answer = links::platforms_json(view, start, depth, &found);
            serde_json::to_writer_pretty(&mut *out, &answer)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

fn list_queries(out: &mut dyn Write) -> Result<()> {
    let mut table = Table::new(["name", "what it answers"]);
    for name in innograph::bundled::query_names() {
        let text = innograph::bundled::query(name).unwrap_or_default();
        table.push([name.to_owned(), query::description(text)]);
    }
    table.write(out)?;
    Ok(())
}

fn run_query(
    source: &dyn GraphSource,
    view: &View,
    query: Option<String>,
    expression: Option<String>,
    params: &[String],
    format: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    let format = format.map(str::parse::<ResultFormat>).transpose()?;
    let mut request = match (expression, query) {
        (Some(text), _) => Request::new(text, "the -e query"),
        (None, Some(spec)) => query::find(&spec)?,
        (None, None) => {
            bail!("give a query: a name from `innograph query --list`, a .rq file, or -e TEXT")
        }
    };
    for param in params {
        let (name, value) = query::parse_param(view, param)?;
        request = request.bind(&name, value);
    }
    let results = source.run(&request)?;
    query::write_results(results, format, out)?;
    Ok(())
}

fn entities(
    view: &View,
    kind: Option<&str>,
    format: ListFormat,
    out: &mut dyn Write,
) -> Result<()> {
    let kind = kind
        .map(|name| view.schema.kind_named(name).map(|k| k.name.clone()))
        .transpose()?;
    let mut nodes: Vec<NodeIndex> = view
        .graph
        .node_indices()
        .filter(|&n| kind.as_ref().is_none_or(|k| view.is_a(n, k)))
        .collect();
    nodes.sort_by(|a, b| {
        let (a, b) = (view.node(*a), view.node(*b));
        (&a.kind, &a.id).cmp(&(&b.kind, &b.id))
    });
    match format {
        ListFormat::Text => {
            let mut table = Table::new(["id", "kind", "name_zh", "name_en"]);
            for n in nodes {
                let node = view.node(n);
                table.push([
                    node.id.clone(),
                    node.kind.clone(),
                    node.name_zh.clone(),
                    node.name_en.clone(),
                ]);
            }
            table.write(out)?;
        }
        ListFormat::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            writer.write_record(["id", "kind", "name_zh", "name_en", "aliases", "iri"])?;
            for n in nodes {
                let node = view.node(n);
                writer.write_record([
                    &node.id,
                    &node.kind,
                    &node.name_zh,
                    &node.name_en,
                    &node.aliases.join("|"),
                    &node.iri,
                ])?;
            }
            writer.flush()?;
        }
        ListFormat::Json => {
            let list: Vec<_> = nodes
                .iter()
                .map(|&n| {
                    let node = view.node(n);
                    json!({"id": node.id, "kind": node.kind, "name_zh": node.name_zh,
                           "name_en": node.name_en, "aliases": node.aliases, "iri": node.iri})
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &list)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

const ENTITY_FACTS: &str = r#"
SELECT ?entity ?section ?quote ?status ?reason ?identifier ?date ?same WHERE {
  OPTIONAL { ?entity ig:section ?section }
  OPTIONAL { ?entity ig:quote ?quote }
  OPTIONAL { ?entity ig:status ?status }
  OPTIONAL { ?entity ig:reason ?reason }
  OPTIONAL { ?entity schema:identifier ?identifier }
  OPTIONAL { ?entity dcterms:date ?date }
  OPTIONAL { ?entity schema:sameAs ?same }
}"#;

const ENTITY_FIGURES: &str = r#"
SELECT ?entity ?figure ?indicator ?asWritten ?value ?unit ?qualifier ?period ?cumulative ?status ?section ?quote WHERE {
  ?figure ig:about ?entity ; ig:indicator ?indicator ; schema:value ?value ; ig:unit ?unit ;
          ig:asWritten ?asWritten ; ig:qualifier ?qualifier ; ig:cumulative ?cumulative ;
          ig:status ?status ; ig:section ?section ; ig:quote ?quote .
  FILTER(LANGMATCHES(LANG(?indicator), "zh"))
  OPTIONAL { ?figure ig:period ?period }
} ORDER BY ?figure"#;

fn show(source: &dyn GraphSource, view: &View, name: &str, out: &mut dyn Write) -> Result<()> {
    let n = resolve(view, name)?;
    let node = view.node(n);
    let entity = NamedNode::new(node.iri.clone())?;
    writeln!(out, "{}  {}", node.name_zh, node.name_en)?;
    writeln!(
        out,
        "  id: {}   kind: {} {}",
        node.id,
        view.kind_label(&node.kind, "zh"),
        view.kind_label(&node.kind, "en")
    )?;
    writeln!(out, "  iri: {}", node.iri)?;
    if !node.aliases.is_empty() {
        writeln!(out, "  aliases: {}", node.aliases.join(", "))?;
    }
    let rows = select(
        source,
        &Request::new(ENTITY_FACTS, "the entity query").bind("entity", entity.clone()),
        &[
            "section",
            "quote",
            "status",
            "reason",
            "identifier",
            "date",
            "same",
        ],
    )?;
    let mut same: Vec<String> = rows
        .iter()
        .filter_map(|r| r[6].as_ref().map(query::show_term))
        .collect();
    same.sort();
    same.dedup();
    if let Some(first) = rows.first() {
        if let Some(identifier) = text(&first[4]) {
            writeln!(out, "  identifier: {identifier}")?;
        }
        if let Some(date) = text(&first[5]) {
            writeln!(out, "  date: {date}")?;
        }
        if !same.is_empty() {
            writeln!(out, "  same as: {}", same.join(", "))?;
        }
        if let Some(quote) = text(&first[1]) {
            let status = first[2].as_ref().map(query::show_term).unwrap_or_default();
            writeln!(
                out,
                "  named in {}: “{quote}”{}",
                text(&first[0]).unwrap_or_default(),
                if status.ends_with("Inferred") {
                    format!(" (inferred: {})", text(&first[3]).unwrap_or_default())
                } else {
                    String::new()
                }
            )?;
        }
    }
    let incident = view.incident(n);
    writeln!(out, "\nRelations ({}):", incident.len())?;
    for (edge, other, forward) in incident {
        let hop = Hop {
            from: n,
            to: other,
            edge,
            forward,
        };
        let e = view.edge(edge);
        writeln!(
            out,
            "  {}  {}  [{}]",
            hop_text(view, &hop),
            view.node(other).name_en,
            view.node(other).id
        )?;
        writeln!(
            out,
            "     {} · {} · “{}”{}",
            e.status.as_str(),
            e.section,
            e.quote,
            e.reason
                .as_ref()
                .map(|r| format!(" (inferred: {r})"))
                .unwrap_or_default()
        )?;
    }
    let figures = select(
        source,
        &Request::new(ENTITY_FIGURES, "the figures query").bind("entity", entity),
        &[
            "figure",
            "indicator",
            "asWritten",
            "value",
            "unit",
            "qualifier",
            "period",
            "cumulative",
            "status",
            "section",
            "quote",
        ],
    )?;
    writeln!(out, "\nFigures ({}):", figures.len())?;
    for f in &figures {
        let qualifier = f[5].as_ref().map(query::show_term).unwrap_or_default();
        let qualifier = match qualifier.as_str() {
            "ig:MoreThan" => "more than ",
            "ig:AtLeast" => "at least ",
            "ig:About" => "about ",
            _ => "",
        };
        let cumulative = if text(&f[7]).as_deref() == Some("true") {
            ", cumulative"
        } else {
            ""
        };
        let period = text(&f[6]).map(|p| format!(", {p}")).unwrap_or_default();
        writeln!(
            out,
            "  {}: {} ({qualifier}{} {}{cumulative}{period})",
            text(&f[1]).unwrap_or_default(),
            text(&f[2]).unwrap_or_default(),
            text(&f[3]).unwrap_or_default(),
            text(&f[4]).unwrap_or_default(),
        )?;
        writeln!(
            out,
            "     {} · {} · “{}”",
            f[8].as_ref()
                .map(query::show_term)
                .unwrap_or_default()
                .trim_start_matches("ig:")
                .to_lowercase(),
            text(&f[9]).unwrap_or_default(),
            text(&f[10]).unwrap_or_default()
        )?;
    }
    Ok(())
}

fn stats(source: &dyn GraphSource, view: &View, out: &mut dyn Write) -> Result<()> {
    let stats = Stats::compute(source, view)?;
    writeln!(out, "Source: {}", source.describe())?;
    writeln!(
        out,
        "{} entities, {} relations, {} figures, {} triples\n",
        stats.nodes, stats.edges, stats.figures, stats.triples
    )?;
    let mut kinds = Table::new(["kind", "label", "entities"]);
    for (kind, count) in &stats.kinds {
        kinds.push([
            kind.clone(),
            format!(
                "{} {}",
                view.kind_label(kind, "zh"),
                view.kind_label(kind, "en")
            ),
            count.to_string(),
        ]);
    }
    kinds.write(out)?;
    writeln!(out)?;
    let mut predicates = Table::new(["predicate", "label", "stated", "inferred"]);
    for (predicate, (stated, inferred)) in &stats.predicates {
        predicates.push([
            predicate.clone(),
            format!(
                "{} {}",
                view.predicate_label(predicate, "zh"),
                view.predicate_label(predicate, "en")
            ),
            stated.to_string(),
            inferred.to_string(),
        ]);
    }
    predicates.write(out)?;
    let inferred_relations: usize = stats.predicates.values().map(|(_, i)| i).sum();
    writeln!(
        out,
        "\nInferred: {inferred_relations} relations, {} entities and figures",
        stats.inferred_entities_and_figures
    )?;
    writeln!(
        out,
        "Graph: {} nodes, {} edges, {} connected component{}",
        stats.nodes,
        stats.edges,
        stats.components,
        if stats.components == 1 { "" } else { "s" }
    )?;
    let hubs: Vec<String> = stats
        .hubs
        .iter()
        .map(|(id, d)| format!("{id} ({d})"))
        .collect();
    writeln!(out, "Largest hubs (relations): {}", hubs.join(", "))?;
    Ok(())
}

/// The library's format for a `--format` value.
fn export_format(format: ExportFormat) -> Format {
    match format {
        ExportFormat::Dot => Format::Dot,
        ExportFormat::Svg => Format::Svg,
        ExportFormat::Png => Format::Png,
        ExportFormat::Turtle => Format::Turtle,
        ExportFormat::Ntriples => Format::NTriples,
        ExportFormat::Nquads => Format::NQuads,
        ExportFormat::Trig => Format::TriG,
        ExportFormat::Rdfxml => Format::RdfXml,
        ExportFormat::Jsonld => Format::JsonLd,
        ExportFormat::Graphml => Format::GraphMl,
        ExportFormat::Json => Format::Json,
        ExportFormat::Mermaid => Format::Mermaid,
        ExportFormat::Csv => Format::Csv,
    }
}

/// `innograph export`: the format from --format, else from the extension of
/// -o, else DOT. A file is written only once the whole export succeeded.
fn write_export(
    context: &export::Context<'_>,
    format: Option<ExportFormat>,
    output: Option<&Path>,
    out: &mut dyn Write,
) -> Result<()> {
    let format = match (format, output) {
        (Some(format), _) => export_format(format),
        (None, None) => Format::Dot,
        (None, Some(path)) => Format::from_path(path).with_context(|| {
            format!(
                "cannot tell the format from the name {}: give --format ({})",
                path.display(),
                Format::ALL.map(Format::name).join(", ")
            )
        })?,
    };
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
    Ok(())
}

/// `name_zh name_en`, or the one name when both are the same.
fn both_names(view: &View, node: NodeIndex) -> String {
    let node = view.node(node);
    if node.name_zh == node.name_en {
        node.name_zh.clone()
    } else {
        format!("{} {}", node.name_zh, node.name_en)
    }
}

/// The evidence line of a relation: status, section, quote and the reason
/// of an inference.
fn evidence_text(view: &View, hop: &Hop) -> String {
    let edge = view.edge(hop.edge);
    format!(
        "{} · {} · “{}”{}",
        edge.status.as_str(),
        edge.section,
        edge.quote,
        edge.reason
            .as_ref()
            .map(|r| format!(" (inferred: {r})"))
            .unwrap_or_default()
    )
}

/// The hops of a path as JSON objects.
fn hops_json(view: &View, path: &[Hop]) -> Vec<serde_json::Value> {
    path.iter()
        .map(|hop| {
            let edge = view.edge(hop.edge);
            json!({
                "from": view.node(hop.from).id, "to": view.node(hop.to).id,
                "relation": edge.predicate,
                "label_zh": view.predicate_label(&edge.predicate, "zh"),
                "label_en": view.predicate_label(&edge.predicate, "en"),
                "direction": if hop.forward { "out" } else { "in" },
                "status": edge.status.as_str(), "section": edge.section,
                "quote": edge.quote, "reason": edge.reason,
            })
        })
        .collect()
}

/// The CSV columns of one hop, after the columns that say which path it is on.
const HOP_COLUMNS: [&str; 9] = [
    "hop",
    "from",
    "relation",
    "direction",
    "to",
    "status",
    "section",
    "quote",
    "reason",
];

fn hop_record(view: &View, number: usize, hop: &Hop) -> Vec<String> {
    let edge = view.edge(hop.edge);
    vec![
        number.to_string(),
        view.node(hop.from).id.clone(),
        edge.predicate.clone(),
        if hop.forward { "out" } else { "in" }.to_owned(),
        view.node(hop.to).id.clone(),
        edge.status.as_str().to_owned(),
        edge.section.clone(),
        edge.quote.clone(),
        edge.reason.clone().unwrap_or_default(),
    ]
}

fn entity_json(view: &View, node: NodeIndex) -> serde_json::Value {
    let node = view.node(node);
    json!({"id": node.id, "iri": node.iri, "kind": node.kind,
           "name_zh": node.name_zh, "name_en": node.name_en})
}

fn path(
    view: &View,
    from: &str,
    to: &str,
    avoid_hubs: bool,
    format: ListFormat,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let (start, end) = (resolve(view, from)?, resolve(view, to)?);
    if start == end {
        bail!(
            "`{from}` and `{to}` both name {} ({}): give two different entities",
            both_names(view, start),
            view.node(start).id
        );
    }
    let found = links::path(view, start, end, !avoid_hubs);
    match format {
        ListFormat::Text => match &found {
            Some(hops) => {
                writeln!(
                    out,
                    "{} → {}: {} link{}{}",
                    both_names(view, start),
                    both_names(view, end),
                    hops.len(),
                    if hops.len() == 1 { "" } else { "s" },
                    if avoid_hubs { ", not through hubs" } else { "" }
                )?;
                let chain: Vec<String> = hops.iter().map(|h| hop_text(view, h)).collect();
                writeln!(out, "  {} {}\n", view.node(start).name_zh, chain.join(" "))?;
                for (i, hop) in hops.iter().enumerate() {
                    writeln!(
                        out,
                        "{}. {} {}  {}",
                        i + 1,
                        view.node(hop.from).name_zh,
                        hop_text(view, hop),
                        view.node(hop.to).name_en
                    )?;
                    writeln!(out, "   {}", evidence_text(view, hop))?;
                }
            }
            None => writeln!(
                out,
                "No chain of relations links {} and {}{}.",
                both_names(view, start),
                both_names(view, end),
                if avoid_hubs {
                    " without passing through a hub (try without --avoid-hubs)"
                } else {
                    ""
                }
            )?,
        },
        ListFormat::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            writer.write_record(HOP_COLUMNS)?;
            for (i, hop) in found.iter().flatten().enumerate() {
                writer.write_record(hop_record(view, i + 1, hop))?;
            }
            writer.flush()?;
        }
        ListFormat::Json => {
            let answer = json!({
                "from": entity_json(view, start),
                "to": entity_json(view, end),
                "avoid_hubs": avoid_hubs,
                "path": found.as_ref().map(|hops| hops_json(view, hops)),
            });
            serde_json::to_writer_pretty(&mut *out, &answer)?;
            writeln!(out)?;
        }
    }
    Ok(if found.is_some() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn neighbors(
    view: &View,
    entity: &str,
    depth: usize,
    avoid_hubs: bool,
    format: ListFormat,
    out: &mut dyn Write,
) -> Result<()> {
    let start = resolve(view, entity)?;
    let found = links::neighbors(view, start, depth, !avoid_hubs);
    match format {
        ListFormat::Text => {
            writeln!(
                out,
                "{} ({}): {} entit{} within {depth} link{}{}\n",
                both_names(view, start),
                view.node(start).id,
                found.len(),
                if found.len() == 1 { "y" } else { "ies" },
                if depth == 1 { "" } else { "s" },
                if avoid_hubs { ", not through hubs" } else { "" }
            )?;
            let mut table = Table::new(["distance", "id", "kind", "name_zh", "name_en", "via"]);
            for n in &found {
                let node = view.node(n.node);
                let chain: Vec<String> = n.path.iter().map(|h| hop_text(view, h)).collect();
                table.push([
                    n.distance.to_string(),
                    node.id.clone(),
                    node.kind.clone(),
                    node.name_zh.clone(),
                    node.name_en.clone(),
                    chain.join(" "),
                ]);
            }
            table.write(out)?;
        }
        ListFormat::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            let mut header = vec!["id", "kind", "name_zh", "name_en", "distance"];
            header.extend(HOP_COLUMNS);
            writer.write_record(header)?;
            for n in &found {
                let node = view.node(n.node);
                for (i, hop) in n.path.iter().enumerate() {
                    let mut record = vec![
                        node.id.clone(),
                        node.kind.clone(),
                        node.name_zh.clone(),
                        node.name_en.clone(),
                        n.distance.to_string(),
                    ];
                    record.extend(hop_record(view, i + 1, hop));
                    writer.write_record(record)?;
                }
            }
            writer.flush()?;
        }
        ListFormat::Json => {
            let list: Vec<_> = found
                .iter()
                .map(|n| {
                    let mut entry = entity_json(view, n.node);
                    entry["distance"] = json!(n.distance);
                    entry["path"] = json!(hops_json(view, &n.path));
                    entry
                })
                .collect();
            let answer = json!({
                "entity": entity_json(view, start),
                "depth": depth,
                "avoid_hubs": avoid_hubs,
                "neighbors": list,
            });
            serde_json::to_writer_pretty(&mut *out, &answer)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

fn rank(
    view: &View,
    by: RankBy,
    top: usize,
    kind: Option<&str>,
    format: ListFormat,
    out: &mut dyn Write,
) -> Result<()> {
    let kind = kind
        .map(|name| view.schema.kind_named(name).map(|k| k.name.clone()))
        .transpose()?;
    let measure = match by {
        RankBy::Degree => rank::Measure::Degree,
        RankBy::Pagerank => rank::Measure::PageRank,
        RankBy::Betweenness => rank::Measure::Betweenness,
    };
    let scores: Vec<(usize, rank::Score)> = rank::rank(view, measure)
        .into_iter()
        .filter(|s| kind.as_ref().is_none_or(|k| view.is_a(s.node, k)))
        .enumerate()
        .take(if top == 0 { usize::MAX } else { top })
        .map(|(i, s)| (i + 1, s))
        .collect();
    match format {
        ListFormat::Text => {
            let mut table = Table::new([
                "#",
                "id",
                "kind",
                "name_zh",
                "name_en",
                "degree",
                "pagerank",
                "betweenness",
            ]);
            for (place, s) in &scores {
                let node = view.node(s.node);
                table.push([
                    place.to_string(),
                    node.id.clone(),
                    node.kind.clone(),
                    node.name_zh.clone(),
                    node.name_en.clone(),
                    s.degree.to_string(),
                    format!("{:.4}", s.pagerank),
                    format!("{:.1}", s.betweenness),
                ]);
            }
            table.write(out)?;
        }
        ListFormat::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            writer.write_record([
                "rank",
                "id",
                "kind",
                "name_zh",
                "name_en",
                "degree",
                "pagerank",
                "betweenness",
            ])?;
            for (place, s) in &scores {
                let node = view.node(s.node);
                writer.write_record([
                    place.to_string(),
                    node.id.clone(),
                    node.kind.clone(),
                    node.name_zh.clone(),
                    node.name_en.clone(),
                    s.degree.to_string(),
                    format!("{:.8}", s.pagerank),
                    format!("{:.6}", s.betweenness),
                ])?;
            }
            writer.flush()?;
        }
        ListFormat::Json => {
            let list: Vec<_> = scores
                .iter()
                .map(|(place, s)| {
                    let mut entry = entity_json(view, s.node);
                    entry["rank"] = json!(place);
                    entry["degree"] = json!(s.degree);
                    entry["pagerank"] = json!(s.pagerank);
                    entry["betweenness"] = json!(s.betweenness);
                    entry
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &list)?;
            writeln!(out)?;
        }
    }
    Ok(())
}
