//! innograph against real SPARQL engines on loopback: Virtuoso Open Source
//! (Debian's `virtuoso-opensource`) and an Oxigraph server (`cargo install
//! oxigraph-cli`). Each test starts its engine on free ports in a temporary
//! folder, pushes the bundled data (by the Graph Store Protocol and by
//! UPDATE), and checks that `platforms`, `show`, `neighbors`, `path`, name
//! resolution and every named query give through `--endpoint` exactly what
//! the embedded store gives, and, through a proxy that records what the
//! engine is asked, that those commands do not copy the graph. The engines
//! stop when the test ends.

use crate::common;

use common::{innograph, require, root};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// An engine process and its folder, both gone when dropped.
struct Engine {
    child: Child,
    dir: PathBuf,
    /// The query URL.
    url: String,
}

impl Drop for Engine {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "innograph-{name}-{}-{}",
        std::process::id(),
        free_port()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}

/// Waits (at most a minute) until `url` answers a SPARQL ASK.
fn wait_for(url: &str, child: &mut Child) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(5)))
        .http_status_as_error(false)
        .build()
        .into();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the engine at {url} exited at start: {status}");
        }
        let answer = agent
            .get(url)
            .query("query", "ASK { ?s ?p ?o }")
            .header("Accept", "application/sparql-results+json")
            .call();
        if answer.is_ok_and(|r| r.status().is_success()) {
            return;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    panic!("the engine at {url} did not answer within a minute");
}

/// Virtuoso with its own database in a temporary folder, SPARQL on a free
/// port, and SPARQL UPDATE allowed at /sparql.
fn virtuoso() -> Engine {
    let dir = temp_dir("virtuoso");
    let (http, sql) = (free_port(), free_port());
    let ini = std::fs::read_to_string("/etc/virtuoso-opensource-7/virtuoso.ini")
        .expect("virtuoso-opensource installs /etc/virtuoso-opensource-7/virtuoso.ini");
    let mut server_ports = 0;
    let ini: String = ini
        .lines()
        .map(|line| {
            let line = line.replace(
                "/var/lib/virtuoso-opensource-7/db/",
                &format!("{}/", dir.display()),
            );
            if line.trim_start().starts_with("ServerPort") {
                server_ports += 1;
                // The first is the SQL port ([Parameters]), the second HTTP ([HTTPServer]).
                let port = if server_ports == 1 { sql } else { http };
                format!("ServerPort = 127.0.0.1:{port}")
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let path = dir.join("virtuoso.ini");
    std::fs::write(&path, ini).expect("write virtuoso.ini");
    let mut child = Command::new("virtuoso-t")
        .arg("-c")
        .arg(&path)
        .arg("+foreground")
        .current_dir(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("virtuoso-t starts");
    let url = format!("http://127.0.0.1:{http}/sparql");
    wait_for(&url, &mut child);
    let grant = Command::new("isql-vt")
        .arg(format!("127.0.0.1:{sql}"))
        .args(["dba", "dba", "exec=grant SPARQL_UPDATE to \"SPARQL\";"])
        .output()
        .expect("isql-vt runs");
    assert!(grant.status.success(), "{grant:?}");
    Engine { child, dir, url }
}

/// An Oxigraph server with its store in a temporary folder.
fn oxigraph() -> Engine {
    let dir = temp_dir("oxigraph");
    let port = free_port();
    let mut child = Command::new("oxigraph")
        .arg("serve")
        .arg("--location")
        .arg(dir.join("store"))
        .arg("--bind")
        .arg(format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("oxigraph starts");
    let url = format!("http://127.0.0.1:{port}/query");
    wait_for(&url, &mut child);
    Engine { child, dir, url }
}

/// The arguments a named query is run with in `tests/expected/NAME.args`.
fn query_args(name: &str) -> Vec<String> {
    std::fs::read_to_string(root().join("tests/expected").join(format!("{name}.args")))
        .map(|text| {
            text.lines()
                .map(str::to_owned)
                .filter(|l| !l.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

fn named_queries() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("queries"))
        .expect("queries/")
        .filter_map(|e| {
            let path = e.ok()?.path();
            (path.extension()? == "rq").then(|| path.file_stem()?.to_str().map(str::to_owned))?
        })
        .collect();
    names.sort();
    assert!(!names.is_empty());
    names
}

/// How many triples the bundled data makes.
fn local_triples() -> String {
    let csv = innograph([
        "query",
        "-e",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "--format",
        "csv",
    ])
    .ok()
    .stdout;
    csv.lines().nth(1).expect("a count").trim().to_owned()
}

/// Pushes twice with --replace and checks that the graph then holds one copy.
fn push_twice(url: &str, extra: &[&str], how: &str) {
    let triples = local_triples();
    for round in 1..=2 {
        let mut args = vec!["push", "--endpoint", url, "--replace"];
        args.extend(extra);
        let run = innograph(&args).ok();
        assert!(run.stdout.contains(how), "push {round}: {}", run.stdout);
        assert!(
            run.stdout
                .trim_end()
                .ends_with(&format!("now holds {triples} triples")),
            "push {round} leaves exactly one copy of the {triples} triples: {}",
            run.stdout
        );
    }
}

/// `platforms` for every university, at depth 1 and 2, and every named
/// query give the same through the endpoint as from the embedded store.
fn answers_as_the_embedded_store(url: &str, graph: &[&str]) {
    for university in ["fudan", "tongji", "usst"] {
        for depth in ["1", "2"] {
            let args = ["platforms", university, "--depth", depth, "--format", "csv"];
            let local = innograph(args).ok().stdout;
            let mut remote_args = args.to_vec();
            remote_args.extend(["--endpoint", url]);
            remote_args.extend(graph);
            let remote = innograph(&remote_args).ok().stdout;
            assert_eq!(local, remote, "platforms {university} --depth {depth}");
        }
    }
    let local = innograph(["platforms", "同济"]).ok().stdout;
    let mut args = vec!["platforms", "同济", "--endpoint", url];
    args.extend(graph);
    assert_eq!(local, innograph(&args).ok().stdout, "platforms as text");
    // Names (exact, prefix, substring, ambiguous, unknown, of another
    // kind), cards, neighbourhoods and chains, with the same output and
    // exit status.
    let cases: &[&[&str]] = &[
        &["show", "fudan", "--format", "json"],
        &["show", "同济"],
        &["show", "wd:Q495015"],
        &["show", "上海"],
        &["show", "tonji"],
        &["show", "上海市高端医疗装备创新中心(上海理工)"],
        &["show", "Center (USST", "--format", "csv"],
        &["show", "FUDAN"],
        &["show", "yangpu", "--format", "csv"],
        &["show", "usst", "--format", "json"],
        &["show", "tongji"],
        &["platforms", "杨浦"],
        &["neighbors", "usst", "--depth", "2", "--format", "csv"],
        &["neighbors", "tongji", "--depth", "2", "--format", "json"],
        &["neighbors", "fudan", "--depth", "2"],
        &[
            "neighbors",
            "yangpu",
            "--depth",
            "2",
            "--avoid-hubs",
            "--format",
            "csv",
        ],
        &["neighbors", "cas", "--depth", "2", "--format", "json"],
        &["neighbors", "fudan", "--depth", "3", "--avoid-hubs"],
        &["neighbors", "yangpu"],
        &["path", "fudan", "usst", "--format", "json"],
        &["path", "tongji", "cae", "--avoid-hubs"],
        &["path", "usst", "yangpu"],
        &[
            "path",
            "usst",
            "shanghai-stic-regulations",
            "--format",
            "csv",
        ],
        &["path", "yangtze-river-delta", "usst"],
        &[
            "path",
            "china-shanghai-digital-city-institute",
            "national-regional-technology-transfer-platform",
            "--avoid-hubs",
        ],
        &["path", "cas", "fudan"],
        &["path", "yangpu", "fudan", "--avoid-hubs"],
        &["rank", "--by", "pagerank", "--format", "csv"],
        &["stats", "--format", "csv"],
        &["entities", "--format", "csv"],
        &["entities", "--kind", "Platform"],
        &["entities", "--kind", "university", "--format", "csv"],
        &["entities", "--kind", "Nothing"],
        &["figures", "--format", "csv"],
        &["rank", "--by", "betweenness", "--kind", "Platform"],
    ];
    for case in cases {
        let local = innograph(*case);
        let mut args = case.to_vec();
        args.extend(["--endpoint", url]);
        args.extend(graph);
        let remote = innograph(&args);
        assert_eq!(
            (local.code, &local.stdout, &local.stderr),
            (remote.code, &remote.stdout, &remote.stderr),
            "{} through {url}",
            case.join(" ")
        );
    }
    for name in named_queries() {
        let mut args = vec![
            "query".to_owned(),
            name.clone(),
            "--format".to_owned(),
            "csv".to_owned(),
        ];
        args.extend(query_args(&name));
        let local = innograph(&args).ok().stdout;
        args.extend(["--endpoint".to_owned(), url.to_owned()]);
        args.extend(graph.iter().map(|g| (*g).to_owned()));
        let remote = innograph(&args).ok().stdout;
        assert_eq!(local, remote, "queries/{name}.rq through {url}");
    }
}

const GRAPH: &str = "https://example.org/innograph/test-graph";
const UPDATE_GRAPH: &str = "https://example.org/innograph/test-graph-by-update";

#[test]
fn virtuoso_answers_as_the_embedded_store() {
    if !require("virtuoso-t") || !require("isql-vt") {
        return;
    }
    let engine = virtuoso();
    // Virtuoso's graph store is /sparql-graph-crud, found from /sparql.
    push_twice(
        &engine.url,
        &["--graph", GRAPH],
        "by the Graph Store Protocol",
    );
    answers_as_the_embedded_store(&engine.url, &["--graph", GRAPH]);
    push_twice(
        &engine.url,
        &["--graph", UPDATE_GRAPH, "--update-only"],
        "by SPARQL UPDATE",
    );
    answers_as_the_embedded_store(&engine.url, &["--graph", UPDATE_GRAPH]);
}

#[test]
fn an_oxigraph_server_answers_as_the_embedded_store() {
    if !require("oxigraph") {
        return;
    }
    let engine = oxigraph();
    // Into the default graph by the Graph Store Protocol (/store)...
    push_twice(&engine.url, &[], "by the Graph Store Protocol");
    answers_as_the_embedded_store(&engine.url, &[]);
    // ...and into a named graph by UPDATE (/update).
    push_twice(
        &engine.url,
        &["--graph", UPDATE_GRAPH, "--update-only"],
        "by SPARQL UPDATE",
    );
    answers_as_the_embedded_store(&engine.url, &["--graph", UPDATE_GRAPH]);
}

#[test]
fn an_empty_endpoint_says_to_push_first() {
    if !require("oxigraph") {
        return;
    }
    let engine = oxigraph();
    let run = innograph(["platforms", "同济", "--endpoint", &engine.url]).failed();
    assert!(
        run.stderr.contains(&engine.url) && run.stderr.contains("innograph push"),
        "{}",
        run.stderr
    );
}

/// The statements of the path `links::path` finds on `view`, in order.
fn path_statements(view: &innograph::view::View, from: &str, to: &str) -> Option<Vec<String>> {
    let (from, to) = (view.node_by_iri(from)?, view.node_by_iri(to)?);
    let hops = innograph::links::path(view, from, to, false)?;
    Some(
        hops.iter()
            .map(|hop| view.graph[hop.edge].statement.clone())
            .collect(),
    )
}

#[test]
fn a_path_search_over_an_endpoint_expands_no_hub_end_and_follows_only_relations() {
    use innograph::dataset::Files;
    use innograph::rdf::ID;
    use innograph::remote::{Endpoint, Walk};
    use innograph::source::StoreSource;
    use innograph::view::View;
    if !require("oxigraph") {
        return;
    }
    let engine = oxigraph();
    push_twice(&engine.url, &[], "by the Graph Store Protocol");
    let local = View::build(&StoreSource::load(&Files::Bundled).expect("the bundled data"))
        .expect("the local view");
    let endpoint = Endpoint::new(&engine.url, None, Duration::from_secs(60)).expect("an endpoint");
    // yangpu-government is a hub with 75 relations: a cap below that is
    // enough for a path to or from it, as neither end that is a hub is
    // expanded (links::path expands its start alone, and no hub end).
    let hub = "yangpu-government";
    let cases = [("usst", hub), (hub, "usst"), ("fudan", hub), (hub, "fudan")];
    for (from, to) in cases {
        let (from, to) = (format!("{ID}{from}"), format!("{ID}{to}"));
        let walk = Walk {
            cap: 30,
            ..Walk::until(&to, false)
        };
        let view = endpoint
            .view_around(&from, &walk)
            .unwrap_or_else(|e| panic!("path {from} {to}: {e}"));
        let found = path_statements(&view, &from, &to);
        assert!(found.is_some(), "path {from} {to}");
        assert_eq!(found, path_statements(&local, &from, &to), "{from} {to}");
    }
    // Statement-like nodes the view does not hold as relations (a blank
    // node, a node of another type, one with no status) must not be taken
    // for links: the path is then the one the embedded store finds.
    let junk = format!(
        r#"PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX ig: <https://example.org/innograph/ontology#>
INSERT DATA {{
  _:b a ig:Statement ; rdf:subject <{ID}usst> ; rdf:predicate ig:partOf ;
      rdf:object <{ID}{hub}> ; ig:status ig:Stated .
  <{ID}junk-figure> a ig:Figure ; rdf:subject <{ID}usst> ; rdf:predicate ig:partOf ;
      rdf:object <{ID}{hub}> ; ig:status ig:Stated .
  <{ID}junk-unstated> a ig:Statement ; rdf:subject <{ID}usst> ;
      rdf:predicate ig:partOf ; rdf:object <{ID}{hub}> .
}}"#
    );
    update(&engine, &junk);
    let args = ["path", "usst", hub, "--avoid-hubs", "--format", "csv"];
    let expected = innograph(args).ok().stdout;
    assert_eq!(expected.lines().count(), 3, "{expected}");
    let mut remote = args.to_vec();
    remote.extend(["--endpoint", &engine.url]);
    assert_eq!(
        expected,
        innograph(&remote).ok().stdout,
        "{}",
        args.join(" ")
    );
}

/// Sends `update` to the update endpoint of the Oxigraph server `engine`.
fn update(engine: &Engine, update: &str) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let answer = agent
        .post(&engine.url.replace("/query", "/update"))
        .send_form([("update", update)])
        .expect("the update is sent");
    assert!(answer.status().is_success(), "{:?}", answer.status());
}

#[test]
fn an_exact_name_in_any_language_tag_case_or_spacing_is_ambiguous_as_locally() {
    use innograph::dataset::Files;
    use innograph::rdf::ID;
    use innograph::remote::Endpoint;
    use innograph::resolve::resolve;
    use innograph::source::StoreSource;
    use innograph::view::View;
    if !require("oxigraph") {
        return;
    }
    let engine = oxigraph();
    push_twice(&engine.url, &[], "by the Graph Store Protocol");
    // Names of other entities equal to Fudan's and Tongji's once compared
    // as names are (a tag other than zh and en, spaces around, case).
    let more = format!(
        r#"PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
INSERT DATA {{
  <{ID}tongji> skos:altLabel "复旦大学"@zh-cn .
  <{ID}usst> skos:hiddenLabel " TONGJI University "@en-gb .
  <{ID}cas> skos:altLabel " Yangpu "@de , " Yangpu district "@de .
}}"#
    );
    update(&engine, &more);
    let local = StoreSource::load(&Files::Bundled).expect("the bundled data");
    oxigraph::sparql::SparqlEvaluator::new()
        .parse_update(&more)
        .expect("the update parses")
        .on_store(local.store())
        .execute()
        .expect("the update applies");
    let view = View::build(&local).expect("the local view");
    let endpoint = Endpoint::new(&engine.url, None, Duration::from_secs(60)).expect("an endpoint");
    for name in [
        "复旦大学",
        "tongji university",
        "yangpu",
        "YANGPU",
        "id:yangpu",
        "yangpu district",
        "fudan",
        "usst",
    ] {
        let here = resolve(&view, name).map(|n| view.node(n).iri.clone());
        let there = endpoint.resolve(name, None);
        assert_eq!(
            here.as_ref().map_err(ToString::to_string),
            there.as_ref().map_err(ToString::to_string),
            "{name}"
        );
    }
    for name in ["复旦大学", "tongji university", "YANGPU DISTRICT"] {
        assert!(endpoint.resolve(name, None).is_err(), "{name} is ambiguous");
    }
    // An id names its entity, even where another entity has it as a name.
    for name in ["yangpu", "YANGPU", "id:yangpu"] {
        assert_eq!(
            endpoint.resolve(name, None).ok(),
            Some(format!("{ID}yangpu")),
            "{name}"
        );
    }
}

/// A proxy on loopback that forwards each request to an engine, one
/// connection per request, and records the SPARQL query of each with the
/// bytes of its answer.
struct Recorder {
    url: String,
    log: Arc<Mutex<Vec<(String, usize)>>>,
}

impl Recorder {
    fn new(engine_url: &str) -> Recorder {
        let rest = engine_url.strip_prefix("http://").expect("an http URL");
        let (upstream, path) = rest.split_at(rest.find('/').expect("a path"));
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let url = format!("http://{}{path}", listener.local_addr().unwrap());
        let log = Arc::new(Mutex::new(Vec::new()));
        let (record, upstream) = (log.clone(), upstream.to_owned());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let (record, upstream) = (record.clone(), upstream.clone());
                std::thread::spawn(move || forward(client, &upstream, &record));
            }
        });
        Recorder { url, log }
    }

    /// The queries asked since the last call, with the bytes answered.
    fn take(&self) -> Vec<(String, usize)> {
        std::mem::take(&mut *self.log.lock().unwrap())
    }
}

/// Forwards one request, asking both ends to close the connection after it.
fn forward(client: TcpStream, upstream: &str, record: &Mutex<Vec<(String, usize)>>) {
    let mut reader = BufReader::new(client.try_clone().unwrap());
    let mut head = Vec::new();
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        if line == "\r\n" {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(value) = lower.strip_prefix("content-length:") {
            length = value.trim().parse().unwrap_or(0);
        }
        if !lower.starts_with("connection:") {
            head.push(line);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    let mut server = TcpStream::connect(upstream).expect("the engine accepts");
    let request = format!("{}Connection: close\r\n\r\n", head.concat());
    server.write_all(request.as_bytes()).unwrap();
    server.write_all(&body).unwrap();
    let mut answer = Vec::new();
    server.read_to_end(&mut answer).unwrap();
    // Tell the client too that the connection ends with this answer.
    let split = answer.windows(2).position(|w| w == b"\r\n").unwrap_or(0);
    let mut client = client;
    client.write_all(&answer[..split + 2]).unwrap();
    client.write_all(b"Connection: close\r\n").unwrap();
    client.write_all(&answer[split + 2..]).unwrap();
    let form = String::from_utf8_lossy(&body).into_owned();
    let query = form
        .split('&')
        .find_map(|field| field.strip_prefix("query="))
        .map(percent_decode)
        .unwrap_or_default();
    record.lock().unwrap().push((query, answer.len()));
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("00");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                i += 2;
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether a query asks for every triple.
fn copies_everything(query: &str) -> bool {
    let words: String = query.split_whitespace().collect::<Vec<_>>().join(" ");
    words.starts_with("CONSTRUCT") && words.contains("WHERE { ?s ?p ?o")
}

#[test]
#[expect(
    clippy::print_stderr,
    reason = "the queries each command sends are reported"
)]
fn commands_over_an_endpoint_ask_only_for_what_they_need() {
    if !require("oxigraph") {
        return;
    }
    let engine = oxigraph();
    push_twice(&engine.url, &[], "by the Graph Store Protocol");
    let proxy = Recorder::new(&engine.url);
    // The recorder sees the copy when a command needs the whole graph.
    innograph(["export", "--format", "ntriples", "--endpoint", &proxy.url]).ok();
    let copy = proxy.take();
    let whole: usize = copy
        .iter()
        .filter(|(query, _)| copies_everything(query))
        .map(|(_, bytes)| bytes)
        .sum();
    assert!(whole > 100_000, "the copy is recorded: {copy:?}");
    let commands: &[&[&str]] = &[
        &["platforms", "tongji", "--depth", "2"],
        &["show", "fudan"],
        &["neighbors", "usst", "--avoid-hubs"],
        &["neighbors", "tongji", "--depth", "2", "--avoid-hubs"],
        &[
            "path",
            "tongji",
            "china-shanghai-digital-city-institute",
            "--avoid-hubs",
        ],
        &[
            "query",
            "platforms-of-university",
            "--param",
            "university=同济",
        ],
        &["entities", "--kind", "University"],
    ];
    for command in commands {
        let mut args = command.to_vec();
        args.extend(["--endpoint", &proxy.url]);
        innograph(&args).ok();
        let asked = proxy.take();
        let command = command.join(" ");
        // What each command asks, for a person reading the test's output.
        eprintln!("== innograph {command}: {} queries", asked.len());
        for (query, bytes) in &asked {
            eprintln!("-- {bytes} bytes received for:\n{query}");
        }
        assert!(!asked.is_empty(), "{command}: the recorder saw no query");
        assert!(
            asked.len() <= 15,
            "{command} asks at most 15 queries, not {}: {asked:#?}",
            asked.len()
        );
        for (query, _) in &asked {
            assert!(
                !copies_everything(query),
                "{command} copies the graph: {query}"
            );
        }
        // What was fetched once (an entity's details, the schema) is not
        // asked for again.
        for (i, (query, _)) in asked.iter().enumerate() {
            assert!(
                asked[..i].iter().all(|(before, _)| before != query),
                "{command} sends this query twice: {query}"
            );
        }
        let received: usize = asked.iter().map(|(_, bytes)| bytes).sum();
        assert!(
            received * 3 < whole,
            "{command} received {received} bytes, a third or more of the whole graph's {whole}"
        );
    }
    // Ranking and counting need every relation, but not its evidence.
    for command in ["rank", "stats"] {
        innograph([command, "--endpoint", &proxy.url]).ok();
        let asked = proxy.take();
        assert!(
            asked.iter().all(|(query, _)| !copies_everything(query)),
            "{command}: {asked:#?}"
        );
        let received: usize = asked.iter().map(|(_, bytes)| bytes).sum();
        assert!(
            received * 2 < whole,
            "{command} received {received} bytes, half or more of the whole graph's {whole}"
        );
    }
}
