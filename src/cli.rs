//! The command line: every subcommand and option, with its help text and an
//! example. Parsed here, carried out in `commands.rs`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// innograph: the innovation ecosystem of a public letter as a knowledge
/// graph you can question, draw and reuse. Every fact comes with its quote.
#[derive(Debug, Parser)]
#[command(name = "innograph", version, max_term_width = 100)]
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
        #[arg(long, short, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
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
        #[arg(required_unless_present_any = ["expression", "list"], conflicts_with = "expression")]
        query: Option<String>,
        /// The query text itself.
        #[arg(long, short = 'e', value_name = "TEXT")]
        expression: Option<String>,
        /// Bind a variable without pasting text into the query: name=value,
        /// where value is an entity name, <IRI>, prefix:name, "literal" or a number.
        #[arg(long, short, value_name = "NAME=VALUE")]
        param: Vec<String>,
        /// Output format: table, csv, tsv, json, xml for SELECT and ASK (table
        /// by default); turtle, ntriples, nquads, trig, rdfxml, jsonld, n3 or
        /// table for CONSTRUCT and DESCRIBE (turtle by default).
        #[arg(long, short)]
        format: Option<String>,
        /// List the named queries and what each answers.
        #[arg(long)]
        list: bool,
    },
    /// List the entities, optionally of one kind (its subkinds included).
    ///
    /// Example: innograph entities --kind Platform
    Entities {
        /// A kind (local name or label, e.g. University, Platform, 高校).
        #[arg(long, short)]
        kind: Option<String>,
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Everything known about one entity: names, kind, identifiers,
    /// relations both ways, figures, and the quotes behind them.
    ///
    /// Example: innograph show 上海技术交易所
    Show {
        /// The entity: an id, a name, an alias or a unique part of one.
        entity: String,
    },
    /// Counts: entities by kind, relations by predicate, figures, and the
    /// shape of the graph.
    ///
    /// Example: innograph stats
    Stats,
    /// Check the data: quotes occur in the source, ids are unique, every
    /// reference, kind and predicate exists, no fact appears twice.
    ///
    /// Example: innograph validate --data my-ecosystem/
    Validate,
    /// Write the graph for other tools.
    ///
    /// Example: innograph export --format dot > ecosystem.dot
    Export {
        /// The format.
        #[arg(long, short, value_enum, default_value_t = ExportFormat::Dot)]
        format: ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The language of names and labels.
        #[arg(long, value_enum, default_value_t = LangArg::Both)]
        lang: LangArg,
    },
}

/// Formats of the list-like commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Text for people: an aligned table, or one block per item with its quotes.
    Text,
    /// Comma-separated values with a header.
    Csv,
    /// JSON.
    Json,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Graphviz DOT.
    Dot,
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
