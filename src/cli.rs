//! The command line: every subcommand and option, with its help text and an
//! example. Parsed here, carried out in `commands.rs`.

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use innograph::answer::Form;
use innograph::export::Format;
use innograph::format::Described;
use std::path::PathBuf;

/// The `--format` values of a family of formats, read from the library's
/// one description of each (name and help), matched without case.
fn formats<F: Described + Send + Sync>() -> impl TypedValueParser<Value = F> {
    PossibleValuesParser::new(
        F::ALL
            .iter()
            .map(|f| PossibleValue::new(f.info().name).help(f.info().help)),
    )
    .map(|name| F::from_name(&name).expect("every possible value names a format"))
}

/// The widest help is written (wider terminals get this width).
const HELP_WIDTH: usize = 100;

/// innograph: the innovation ecosystem of a public letter as a knowledge
/// graph you can question, draw and reuse. Every fact comes with its quote.
#[derive(Debug, Parser)]
#[command(
    name = "innograph",
    version,
    max_term_width = HELP_WIDTH,
    after_help = "Exit status: 0 an answer; 1 no answer (no chain, nothing matched, data with problems); 2 an error."
)]
pub struct Cli {
    /// Where the graph comes from.
    #[command(flatten)]
    pub source: SourceArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Where the graph comes from (the bundled data unless told otherwise).
#[derive(Debug, Args)]
pub struct SourceArgs {
    /// Load this dataset folder (entities.csv, relations.csv, figures.csv,
    /// sources.csv, ontology.ttl) instead of the bundled data.
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Read the graph from this on-disk store (made by `innograph load`)
    /// instead of the bundled data; for `load`, the store to build or extend.
    #[arg(long, global = true, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Ask this SPARQL 1.1 endpoint instead of the embedded store (its query
    /// URL: http://127.0.0.1:7878/query for an Oxigraph server or `innograph
    /// serve`, http://127.0.0.1:8890/sparql for Virtuoso); for `push`, the
    /// endpoint to upload to.
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint: Option<String>,
    /// With --endpoint: the named graph that holds the graph. Queries read
    /// it (FROM <IRI>) unless they name their own dataset; `push` writes it.
    #[arg(long, global = true, value_name = "IRI")]
    pub graph: Option<String>,
    /// With --endpoint: give up on a request after this many seconds.
    #[arg(long, global = true, value_name = "SECS", default_value_t = 60)]
    pub endpoint_timeout: u64,
    /// With --endpoint: the most bytes of one answer read, after
    /// decompression (a larger answer, or a gzip bomb, is an error).
    #[arg(long, global = true, value_name = "BYTES", default_value_t = innograph::remote::ANSWER_LIMIT)]
    pub endpoint_max_bytes: u64,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Which platforms are linked to a university, with the evidence.
    ///
    /// Direct links by default; with --depth N, links are followed through
    /// other platforms and organisations (never through government bodies,
    /// places, fields or other hub kinds) and the path is shown.
    ///
    /// Example: innograph platforms 同济 --depth 2
    Platforms {
        /// The university: an id, a Chinese or English name, an alias, or a
        /// unique part of one (复旦, Fudan, 同济, tongji).
        university: String,
        /// How many links to follow.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=10))]
        depth: u32,
        /// Output format.
        #[arg(long, short, value_parser = formats::<Form>(), ignore_case = true, default_value = "text")]
        format: Form,
    },
    /// Run a SPARQL query: inline text, a .rq file or a named query.
    ///
    /// The project prefixes (ig:, id:, st:, fig:, rdf:, rdfs:, owl:, xsd:,
    /// skos:, schema:, org:, prov:, oa:, dcterms:, wd:) are predeclared.
    ///
    /// Examples:
    ///   innograph query platforms-of-university --param university=同济
    ///   innograph query -e 'SELECT ?s WHERE { ?s a ig:University }' --format csv
    ///   innograph query my-question.rq --format json
    ///   innograph query --list
    #[command(verbatim_doc_comment)]
    Query {
        /// A named query from queries/ (see --list) or a .rq file.
        #[arg(conflicts_with = "expression")]
        query: Option<String>,
        /// The query text itself.
        #[arg(long, short = 'e', value_name = "TEXT")]
        expression: Option<String>,
        /// Bind a variable without pasting text into the query: name=value,
        /// where value is an entity name, <IRI>, prefix:name, "literal" or a number.
        #[arg(long, short, value_name = "NAME=VALUE")]
        param: Vec<String>,
        /// Output format: table (or text), csv, tsv, json, xml for SELECT and
        /// ASK (table by default); turtle, ntriples, nquads, trig, rdfxml, jsonld, n3 or
        /// table for CONSTRUCT and DESCRIBE (turtle by default).
        #[arg(long, short)]
        format: Option<String>,
        /// List the named queries and what each answers.
        #[arg(long)]
        list: bool,
        /// Stop the query after this many seconds (0: never). With it (or
        /// --max-query-memory), the query runs in a process of its own that
        /// is killed at the deadline, and nothing is written unless it ends.
        #[arg(long, default_value_t = 0, value_name = "SECS")]
        timeout: u64,
        /// The most memory the query may take beyond the graph (0: no limit).
        #[arg(long, default_value_t = 0, value_name = "BYTES")]
        max_query_memory: u64,
    },
    /// List the entities, optionally of one kind (its subkinds included).
    ///
    /// Example: innograph entities --kind Platform
    Entities {
        /// A kind (local name or label, e.g. University, Platform, 高校).
        #[arg(long, short)]
        kind: Option<String>,
        /// Output format.
        #[arg(long, short, value_parser = formats::<Form>(), ignore_case = true, default_value = "text")]
        format: Form,
    },
    /// Everything known about one entity: names, kind, identifiers,
    /// relations both ways, figures, and the quotes behind them.
    ///
    /// Example: innograph show 上海技术交易所
    Show {
        /// The entity: an id, a name, an alias or a unique part of one.
        entity: String,
        /// Output format.
        #[arg(long, short, value_parser = formats::<Form>(), ignore_case = true, default_value = "text")]
        format: Form,
    },
    /// Counts: entities by kind, relations by predicate, figures, and the
    /// shape of the graph.
    ///
    /// Example: innograph stats --format json
    Stats {
        /// Output format.
        #[arg(long, short, value_parser = formats::<Form>(), ignore_case = true, default_value = "text")]
        format: Form,
    },
    /// Check the data: quotes occur in the source, ids are unique, every
    /// reference, kind and predicate exists, no fact appears twice.
    ///
    /// Exits with status 1 when the data has a problem. In text, the
    /// problems are written to standard error; in CSV and JSON, the report
    /// is written to standard output.
    ///
    /// Example: innograph validate --data my-ecosystem/ --format json
    Validate {
        /// Output format.
        #[arg(long, short, value_parser = formats::<Form>(), ignore_case = true, default_value = "text")]
        format: Form,
    },
    /// Write a completion script for a shell to standard output.
    ///
    /// Example: innograph completions bash > /etc/bash_completion.d/innograph
    Completions {
        /// The shell.
        #[arg(value_enum, ignore_case = true)]
        shell: clap_complete::Shell,
    },
    /// Write the manual page (roff) to standard output.
    ///
    /// Example: innograph manpage > ~/.local/share/man/man1/innograph.1
    Manpage,
    /// Draft a dataset from a new letter of the same genre: entities,
    /// relations and figures, each with its section, a verbatim quote and
    /// status `draft`, for a curator to review. Names of the dataset's
    /// entities (--data, the bundled data by default) are matched first.
    ///
    /// Example: innograph draft reply.txt --out draft/ --report
    Draft {
        /// The letter: a plain-text file, UTF-8 or GB18030.
        letter: PathBuf,
        /// The folder to write the draft dataset into (made if needed; it
        /// must not hold a dataset already).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Also print what was found, by kind, predicate and unit.
        #[arg(long)]
        report: bool,
    },
    /// Build or extend an on-disk store from a dataset folder (--data) and
    /// RDF files (--rdf: Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD,
    /// N3, each optionally .gz). Every read command then takes --store DIR.
    ///
    /// The load is atomic: when any row or triple is bad, every error is
    /// listed and the store keeps its previous content, as it does when the
    /// load is interrupted.
    ///
    /// Examples:
    ///   innograph load --store ecosystem.db --data my-ecosystem/
    ///   innograph load --store ecosystem.db --rdf patents.nt.gz wikidata.ttl
    ///   innograph platforms 复旦 --store ecosystem.db
    #[command(verbatim_doc_comment)]
    Load {
        /// RDF files to load beside (or instead of) the CSV dataset.
        #[arg(long, value_name = "FILE", num_args = 1..)]
        rdf: Vec<PathBuf>,
    },
    /// Write the graph for other tools: diagrams, RDF, GraphML, JSON, Mermaid, CSV.
    ///
    /// A diagram (DOT, or SVG, PNG and PDF drawn by Graphviz), the whole store as
    /// RDF, GraphML, a Cytoscape.js JSON graph, a Mermaid flowchart, or a CSV
    /// edge list. --focus, --kinds and --relations select part of the graph
    /// for every format but the RDF ones, which write every triple of the store.
    ///
    /// Examples:
    ///   innograph export --focus 同济 --depth 2 --avoid-hubs -o tongji.png
    ///   innograph export -o ecosystem.ttl
    ///   innograph export --format dot --cluster section --lang zh > ecosystem.dot
    ///   innograph export --format mermaid --kinds University,Platform
    #[command(verbatim_doc_comment)]
    Export {
        /// The format (dot unless -o names a file whose extension says
        /// another: .svg, .png, .pdf, .ttl, .nt, .nq, .trig, .rdf, .jsonld,
        /// .graphml, .json, .mmd, .csv).
        #[arg(long, short, value_parser = formats::<Format>(), ignore_case = true)]
        format: Option<Format>,
        /// Write to this file instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The language of names and labels in diagrams, GraphML, JSON and
        /// Mermaid (both by default).
        #[arg(long, value_enum, ignore_case = true)]
        lang: Option<LangArg>,
        /// Only the neighbourhood of this entity (an id, a name, an alias or
        /// a unique part of one).
        #[arg(long, value_name = "ENTITY")]
        focus: Option<String>,
        /// How many links from --focus.
        #[arg(long, default_value_t = 1, requires = "focus", value_parser = clap::value_parser!(u32).range(1..=10))]
        depth: u32,
        /// Never pass through hub kinds (government bodies, places, fields,
        /// ...) on the way out from --focus, as `platforms` does.
        #[arg(long, requires = "focus")]
        avoid_hubs: bool,
        /// Only entities of these kinds, subkinds included (comma-separated
        /// local names or labels, e.g. University,Platform).
        #[arg(long, value_name = "KIND,...", value_delimiter = ',')]
        kinds: Vec<String>,
        /// Only these relations (comma-separated local names or labels, e.g.
        /// cobuilds,hosts); entities left without a relation are dropped.
        #[arg(long, value_name = "RELATION,...", value_delimiter = ',')]
        relations: Vec<String>,
        /// Only relations the source states in these sections or their
        /// subsections (comma-separated, e.g. 二 takes 二（一） and 二（二））;
        /// entities left without a relation are dropped.
        #[arg(long, value_name = "SECTION,...", value_delimiter = ',')]
        sections: Vec<String>,
        /// Group the entities of a diagram in boxes: by kind, or by the
        /// section of the source that names them.
        #[arg(long, value_enum, ignore_case = true)]
        cluster: Option<ClusterArg>,
        /// A title under the diagram.
        #[arg(long, value_name = "TEXT")]
        title: Option<String>,
        /// Leave out the line under the diagram that cites its sources.
        #[arg(long)]
        no_source_line: bool,
        /// Where the diagram's legend goes (it lists the kinds drawn).
        #[arg(long, value_enum, ignore_case = true, default_value_t = LegendArg::Bottom)]
        legend: LegendArg,
        /// Draw entities linked only to one other entity, by the same
        /// relation, as one box that lists them with their count: a
        /// readable picture of the whole graph.
        #[arg(long)]
        collapse: bool,
        /// The resolution of a PNG in dots per inch (300 for print; 96
        /// unless given).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(36..=1200))]
        dpi: Option<u32>,
    },
    /// An overview of the ecosystem in one document: the source letter,
    /// counts by kind, an overview diagram, a diagram per university with
    /// its platforms, programmes and funds, every figure, achieved against
    /// planned, the inferred facts with their reasons, and the citations.
    ///
    /// The HTML report is one file with the diagrams inline (SVG); the
    /// Markdown report links the diagrams as SVG files written beside it
    /// (REPORT.DIAGRAM.svg). The diagrams are drawn by Graphviz's `dot`.
    ///
    /// Examples:
    ///   innograph report -o report.html
    ///   innograph report -o report.md --lang en
    ///   innograph report -o report.pdf
    #[command(verbatim_doc_comment)]
    Report {
        /// The file to write: .html (or .htm), .md, or .pdf (printed by headless
        /// Chromium, which must be on PATH).
        #[arg(long, short, value_name = "FILE")]
        output: std::path::PathBuf,
        /// The language of the report (both by default).
        #[arg(long, value_enum, ignore_case = true, default_value_t = LangArg::Both)]
        lang: LangArg,
    },
    /// Every figure the sources give, one row each, for a spreadsheet.
    ///
    /// Columns: figure, entity (id, Chinese and English name), indicator
    /// (Chinese and English), value in base units, as written, unit,
    /// qualifier, period, cumulative, achieved or planned, letter, section
    /// and quote. With -o the form follows the file name: .csv is UTF-8 with
    /// a byte-order mark (so that Excel shows the Chinese), .xlsx a workbook
    /// with numbers as numbers, .json the list of rows.
    ///
    /// Examples:
    ///   innograph figures
    ///   innograph figures -o figures.xlsx
    ///   innograph figures --format csv > figures.csv
    #[command(verbatim_doc_comment)]
    Figures {
        /// Output format (on standard output; CSV there has no byte-order mark).
        #[arg(long, short, value_parser = formats::<Form>(), ignore_case = true, default_value = "text", conflicts_with = "output")]
        format: Form,
        /// The file to write: .csv, .xlsx or .json.
        #[arg(long, short, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
    },
    /// The shortest chain of relations between two entities, with the quotes.
    ///
    /// Links are followed both ways; each link is shown with its quote. Exits
    /// with status 1 when no chain links the two.
    ///
    /// Example: innograph path 同济 国家技术转移东部中心 --avoid-hubs
    Path {
        /// Where the chain starts: an id, a name, an alias or a unique part of one.
        from: String,
        /// Where it ends.
        to: String,
        /// Never pass through hub kinds (government bodies, places, fields,
        /// ...), as `platforms` does: the chain then shows a working link,
        /// not that two entities share a district.
        #[arg(long)]
        avoid_hubs: bool,
        /// Output format.
        #[arg(long, short, value_parser = formats::<Form>(), ignore_case = true, default_value = "text")]
        format: Form,
    },
    /// The entities within N links of one entity, nearest first.
    ///
    /// Each comes with the chain of relations that reaches it (links are
    /// followed both ways).
    ///
    /// Example: innograph neighbors 同济 --depth 2 --avoid-hubs
    #[command(visible_alias = "neighbours")]
    Neighbors {
        /// The entity: an id, a name, an alias or a unique part of one.
        entity: String,
        /// How many links to follow.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=10))]
        depth: u32,
        /// Never pass through hub kinds (government bodies, places, fields, ...).
        #[arg(long)]
        avoid_hubs: bool,
        /// Output format.
        #[arg(long, short, value_parser = formats::<Form>(), ignore_case = true, default_value = "text")]
        format: Form,
    },
    /// Which entities hold the ecosystem together: degree, PageRank, betweenness.
    ///
    /// For each entity: its relations (degree), its PageRank, and its
    /// betweenness (how many shortest chains between other entities pass
    /// through it), with links taken both ways and two relations between the
    /// same entities counted once.
    ///
    /// Example: innograph rank --by pagerank --top 10
    Rank {
        /// What to sort by.
        #[arg(long, value_enum, ignore_case = true, default_value_t = RankBy::Betweenness)]
        by: RankBy,
        /// How many entities to show (0 for all).
        #[arg(long, default_value_t = 20, value_name = "N")]
        top: usize,
        /// Only entities of this kind (subkinds included); the measures are
        /// still taken over the whole graph.
        #[arg(long, short)]
        kind: Option<String>,
        /// Output format.
        #[arg(long, short, value_parser = formats::<Form>(), ignore_case = true, default_value = "text")]
        format: Form,
    },
    /// Upload the graph (the bundled data, --data DIR or --store DIR) to the
    /// SPARQL endpoint --endpoint names, into --graph IRI or its default
    /// graph: by the SPARQL 1.1 Graph Store HTTP Protocol, or by UPDATE
    /// INSERT DATA in batches where the engine has no graph store.
    ///
    /// Every read command then takes --endpoint URL (and --graph IRI).
    ///
    /// Examples:
    ///   innograph push --endpoint http://127.0.0.1:7878/query --replace
    ///   innograph push --endpoint http://127.0.0.1:8890/sparql \
    ///       --graph https://example.org/innograph --replace
    ///   innograph platforms 同济 --endpoint http://127.0.0.1:8890/sparql \
    ///       --graph https://example.org/innograph
    #[command(verbatim_doc_comment)]
    Push {
        /// Empty the target graph first, so that a re-run leaves exactly one copy.
        #[arg(long)]
        replace: bool,
        /// The Graph Store Protocol URL (by default beside --endpoint:
        /// .../query gives .../store, .../sparql gives .../sparql-graph-crud).
        #[arg(long, value_name = "URL")]
        graph_store: Option<String>,
        /// The SPARQL UPDATE URL (by default .../query gives .../update;
        /// any other endpoint takes updates at its own URL).
        #[arg(long, value_name = "URL")]
        update_endpoint: Option<String>,
        /// Use SPARQL UPDATE INSERT DATA only, not the Graph Store Protocol.
        #[arg(long, conflicts_with = "graph_store")]
        update_only: bool,
        /// Triples per INSERT DATA request (Virtuoso 7.2 refuses 2000 of
        /// the bundled data's).
        #[arg(long, default_value_t = 500, value_name = "N")]
        batch: usize,
        /// A file holding the credential the target's updates need, sent
        /// as `Authorization: Bearer` (e.g. the --update-token-file of an
        /// `innograph serve`).
        #[arg(long, value_name = "FILE")]
        token_file: Option<PathBuf>,
    },
    /// Answer SPARQL over HTTP: the SPARQL 1.1 Protocol at /query and
    /// /update (as an Oxigraph server), JSON at /platforms?university=,
    /// /entities/{id} and /export?format=dot, and the explorer at / (search,
    /// entities, the letter, graph, figures, SPARQL). Serves the bundled
    /// data, --data DIR or --store DIR.
    ///
    /// Read-only unless --allow-update; binds to 127.0.0.1; every query
    /// is stopped after --timeout; federated SERVICE calls are not
    /// available. Stops cleanly on Ctrl-C (SIGINT) or SIGTERM.
    ///
    /// Examples:
    ///   innograph serve
    ///   innograph serve --bind 127.0.0.1:8080 --timeout 10 --cors
    ///   curl -H 'Accept: text/csv' http://127.0.0.1:7878/query \
    ///       --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3'
    #[command(verbatim_doc_comment)]
    Serve {
        /// The address to listen on (port 0: any free port). Anything but a
        /// loopback address lets other machines query the graph.
        #[arg(long, default_value = "127.0.0.1:7878", value_name = "ADDR")]
        bind: String,
        /// Stop a query or update that runs longer than this many seconds
        /// (0: never).
        #[arg(long, default_value_t = 30, value_name = "SECS")]
        timeout: u64,
        /// The most rows (or triples) one answer may have, and the most
        /// quads one update may add and remove.
        #[arg(long, default_value_t = 100_000, value_name = "N")]
        max_rows: usize,
        /// The most bytes one answer (or one update's change) may have.
        #[arg(long, default_value_t = 64 * 1024 * 1024, value_name = "BYTES")]
        max_answer_bytes: usize,
        /// The most bytes one request body may have.
        #[arg(long, default_value_t = 1024 * 1024, value_name = "BYTES")]
        max_request_bytes: usize,
        /// Accept SPARQL UPDATE at /update (refused with 403 otherwise).
        /// Without a credential, only on a loopback --bind.
        #[arg(long)]
        allow_update: bool,
        /// A file holding the credential updates must carry as
        /// `Authorization: Bearer TOKEN` (or set INNOGRAPH_UPDATE_TOKEN).
        #[arg(long, value_name = "FILE", requires = "allow_update")]
        update_token_file: Option<PathBuf>,
        /// Answer requests whose Host header gives this name too (behind a
        /// proxy, or under a DNS name); others get 421. Repeatable.
        #[arg(long, value_name = "NAME")]
        allow_host: Vec<String>,
        /// Send CORS headers, so that web pages from other origins may query.
        #[arg(long)]
        cors: bool,
        /// Worker threads answering requests.
        #[arg(long, default_value_t = 8, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
        threads: u16,
        /// The most memory one query or update may take beyond the graph
        /// (0: no limit); one that needs more is stopped with 503.
        #[arg(long, default_value_t = 1 << 30, value_name = "BYTES")]
        max_query_memory: u64,
        /// The most updates kept for evaluators to replay: at the next, the
        /// server writes its graph to a temporary file, and its evaluators
        /// start again from it.
        #[arg(long, default_value_t = innograph::sandbox::MAX_CHANGES, value_name = "N", value_parser = clap::value_parser!(u64).range(1..).map(|n| usize::try_from(n).unwrap_or(usize::MAX)))]
        max_changes: usize,
    },
    /// Answers the queries `serve` sends it, in a process of its own (not
    /// for people: `serve` starts it, and talks to it through a pipe).
    ///
    /// Example: innograph --data my-ecosystem evaluate --max-query-memory 1073741824
    #[command(hide = true)]
    Evaluate {
        /// The most memory one query may take beyond the graph (0: no limit).
        #[arg(long, default_value_t = 0, value_name = "BYTES")]
        max_query_memory: u64,
        /// The graph as N-Quads, written by `serve` (its graph after the
        /// updates it took), instead of the data.
        #[arg(long, value_name = "FILE")]
        graph_file: Option<std::path::PathBuf>,
    },
}

/// Boxes around groups of entities in a diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClusterArg {
    /// One box per kind.
    Kind,
    /// One box per section of the source, subsections inside.
    Section,
}

/// Where a diagram's legend goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LegendArg {
    /// Beside the diagram, as a box of sample shapes.
    Side,
    /// Under the diagram, with the title and source line.
    Bottom,
    /// No legend.
    None,
}

/// What `rank` sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RankBy {
    /// Relations, both ways.
    Degree,
    /// PageRank.
    Pagerank,
    /// Betweenness.
    Betweenness,
}

/// Label languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// Chinese.
    Zh,
    /// English.
    En,
    /// Chinese with English beneath.
    Both,
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn help_examples_are_never_wrapped() {
        let width = super::HELP_WIDTH;
        for sub in Cli::command().get_subcommands() {
            let help = sub
                .get_long_about()
                .or_else(|| sub.get_about())
                .map(ToString::to_string)
                .unwrap_or_default();
            for line in help
                .lines()
                .filter(|l| l.contains("innograph ") || l.contains("curl "))
            {
                assert!(
                    innograph::table::width(line) <= width,
                    "`{}`: an example line wider than {width} columns is wrapped mid-command: {line}",
                    sub.get_name()
                );
            }
        }
    }

    #[test]
    fn every_subcommand_help_has_an_example() {
        for sub in Cli::command().get_subcommands() {
            let help = sub
                .get_long_about()
                .or_else(|| sub.get_about())
                .map(ToString::to_string)
                .unwrap_or_default();
            assert!(
                help.contains("Example"),
                "`{}` has no example in its help",
                sub.get_name()
            );
        }
    }
}
