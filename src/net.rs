//! The commands that talk HTTP: opening a remote SPARQL endpoint for the
//! read commands (`--endpoint URL`), `push` (upload the graph to one) and
//! `serve` (be one). The library does the work; this writes what happened.

use crate::cli::{Command, SourceArgs};
use anyhow::{Context, Result, bail};
use innograph::push::{self, Method};
use innograph::remote::Endpoint;
use innograph::sandbox::Launcher;
use innograph::serve::{Config, Server, Token};
use innograph::source::{GraphSource, StoreSource};
use oxigraph::model::NamedNode;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

/// The endpoint a read command asks instead of the graph on this machine.
pub fn read_endpoint(args: &SourceArgs) -> Result<Endpoint> {
    if args.data.is_some() || args.store.is_some() {
        bail!(
            "give --endpoint or the graph on this machine (--data, --store), not both: to upload that graph to the endpoint, use `innograph push`"
        );
    }
    endpoint(args)
}

/// The endpoint that --endpoint and --graph name.
pub fn endpoint(args: &SourceArgs) -> Result<Endpoint> {
    let Some(url) = &args.endpoint else {
        bail!("give the SPARQL endpoint: --endpoint URL (e.g. http://127.0.0.1:7878/query)");
    };
    let graph = args
        .graph
        .as_deref()
        .map(|iri| {
            NamedNode::new(iri.trim_start_matches('<').trim_end_matches('>')).with_context(|| {
                format!("--graph {iri}: not an absolute IRI (e.g. https://example.org/innograph)")
            })
        })
        .transpose()?;
    Ok(Endpoint::new(
        url,
        graph,
        Duration::from_secs(args.endpoint_timeout.max(1)),
    )?
    .with_answer_limit(args.endpoint_max_bytes.max(1)))
}

/// Refuses, before any graph is opened, a `serve` that cannot do what its
/// options ask.
pub fn refuse_early(command: &Command, args: &SourceArgs) -> Result<()> {
    let Command::Serve { allow_update, .. } = command else {
        return Ok(());
    };
    if args.endpoint.is_some() {
        bail!(
            "serve answers from the graph on this machine (the bundled data, --data DIR or --store DIR), not from --endpoint: that endpoint already serves SPARQL"
        );
    }
    if *allow_update && args.store.is_some() {
        bail!(
            "serve opens an on-disk store read-only, so --allow-update is refused with --store: change the store with `innograph load --store DIR`, or serve --data DIR (or the bundled data) to accept SPARQL UPDATE"
        );
    }
    Ok(())
}

/// Carries out `push` or `serve` over `local`, the graph on this machine.
pub fn run(
    command: Command,
    args: &SourceArgs,
    local: StoreSource,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    match command {
        Command::Push {
            replace,
            graph_store,
            update_endpoint,
            update_only,
            batch,
            token_file,
        } => {
            let mut endpoint = endpoint(args)?;
            if let Some(file) = &token_file {
                endpoint = endpoint.with_bearer(read_token(file)?);
            }
            let options = push::Options {
                replace,
                graph_store,
                update: update_endpoint,
                update_only,
                batch,
            };
            push(&endpoint, &local, &options, out)
        }
        Command::Serve {
            bind,
            timeout,
            max_rows,
            max_answer_bytes,
            max_request_bytes,
            allow_update,
            update_token_file,
            allow_host,
            cors,
            threads,
            max_query_memory,
            max_changes,
        } => {
            let config = Config {
                bind,
                timeout: (timeout > 0).then(|| Duration::from_secs(timeout)),
                max_rows,
                max_answer_bytes,
                max_request_bytes,
                allow_update,
                update_token: update_token(allow_update, update_token_file.as_deref())?,
                allow_hosts: allow_host,
                cors,
                threads: usize::from(threads),
                max_query_memory: (max_query_memory > 0).then_some(max_query_memory),
                evaluator: evaluator(args, max_query_memory)?,
                max_changes,
            };
            let token_origin = update_token_file
                .map_or_else(|| format!("${TOKEN_VARIABLE}"), |f| f.display().to_string());
            serve(local, config, &token_origin)
        }
        _ => unreachable!("only push and serve come here"),
    }
}

/// How `serve` starts a query evaluator: this program over the same data.
/// An on-disk store is opened read-only by the server and by each
/// evaluator, which RocksDB allows; a load writes a new generation beside
/// the one they read.
fn evaluator(args: &SourceArgs, max_query_memory: u64) -> Result<Option<Launcher>> {
    let program = std::env::current_exe().context("cannot find this program")?;
    let mut launcher = Launcher {
        program,
        args: Vec::new(),
    };
    for (option, folder) in [("--data", &args.data), ("--store", &args.store)] {
        if let Some(folder) = folder {
            // Absolute: the evaluator reads the same folder wherever it runs.
            let folder = std::path::absolute(folder).unwrap_or_else(|_| folder.clone());
            launcher
                .args
                .extend([option.into(), folder.into_os_string()]);
        }
    }
    launcher.args.extend([
        "evaluate".into(),
        "--max-query-memory".into(),
        max_query_memory.to_string().into(),
    ]);
    Ok(Some(launcher))
}

fn push(
    endpoint: &Endpoint,
    local: &StoreSource,
    options: &push::Options,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let triples = local.triples()?;
    let target = push::target(endpoint);
    let report = push::push(endpoint, &triples, options).with_context(|| {
        format!(
            "cannot push {} to {target} at {}",
            local.describe(),
            endpoint.url()
        )
    })?;
    if let Some(why) = &report.fallback {
        writeln!(
            io::stderr().lock(),
            "note: {}; used SPARQL UPDATE instead",
            innograph::shown::escaped(why)
        )?;
    }
    let how = match &report.method {
        Method::GraphStore(url) => format!("by the Graph Store Protocol at {url}"),
        Method::Update(url, batches) => format!(
            "by SPARQL UPDATE at {url} in {batches} batch{}",
            if *batches == 1 { "" } else { "es" }
        ),
    };
    writeln!(
        out,
        "pushed {} triples to {target} {how}{}; it now holds {} triples",
        report.sent,
        if options.replace {
            ", replacing what it held"
        } else {
            ""
        },
        report
            .held
            .map_or_else(|| "an unknown number of".to_owned(), |n| n.to_string())
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The variable that holds the credential for updates when no file is given.
const TOKEN_VARIABLE: &str = "INNOGRAPH_UPDATE_TOKEN";

/// The credential in a token file; the message names the file, never its content.
fn read_token(file: &Path) -> Result<Token> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read the token file {}", file.display()))?;
    Token::new(&text).with_context(|| {
        format!(
            "the token file {} is empty: write the credential into it",
            file.display()
        )
    })
}

/// The credential for updates: from --update-token-file, else from
/// INNOGRAPH_UPDATE_TOKEN, and only when updates are allowed.
fn update_token(allow_update: bool, file: Option<&Path>) -> Result<Option<Token>> {
    if !allow_update {
        return Ok(None);
    }
    if let Some(file) = file {
        return read_token(file).map(Some);
    }
    match std::env::var(TOKEN_VARIABLE) {
        Ok(text) => Token::new(&text).map(Some).with_context(|| {
            format!("{TOKEN_VARIABLE} is set but empty: set it to the credential, or unset it")
        }),
        Err(_) => Ok(None),
    }
}

fn serve(local: StoreSource, config: Config, token_origin: &str) -> Result<ExitCode> {
    let description = local.describe();
    let (timeout, allow_update) = (config.timeout, config.allow_update);
    let credential = config.update_token.is_some();
    let server = Server::bind(local, config)?;
    let stopper = server.stopper();
    ctrlc::set_handler(move || stopper.stop())
        .context("cannot install the SIGINT/SIGTERM handler")?;
    let address = server
        .local_addr()
        .map_or_else(|| "?".to_owned(), |a| a.to_string());
    // Who can write, in words: the one decision here that can lose data.
    let who = match (allow_update, credential) {
        (false, _) => {
            "nobody can write: the server is read-only (--allow-update to accept updates)"
                .to_owned()
        }
        (true, true) => format!(
            "only a client sending the credential in {token_origin} (Authorization: Bearer) can write; pages from other sites cannot"
        ),
        (true, false) => "any program on this machine can write, without a credential; pages from other sites cannot (--update-token-file FILE to require one)".to_owned(),
    };
    // The address line is the one a script (or a test) waits for; both
    // lines go in one write, so a reader that stops after the first does
    // not make the second fail.
    let banner = format!(
        "innograph serve: {description} at http://{address}/ (SPARQL: http://{address}/query; {}; query timeout {})\ninnograph serve: anyone who can reach {address} can read; {who}\n",
        if allow_update {
            "updates allowed at /update"
        } else {
            "read-only"
        },
        timeout.map_or_else(|| "off".to_owned(), |t| format!("{} s", t.as_secs()))
    );
    let mut err = io::stderr().lock();
    err.write_all(banner.as_bytes())?;
    drop(err);
    server.run()?;
    writeln!(io::stderr().lock(), "innograph serve: stopped")?;
    Ok(ExitCode::SUCCESS)
}
