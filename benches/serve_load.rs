//! `innograph serve` under attack: 32 honest clients ask a domain question
//! and a named query in turn, first alone (the baseline), then beside the
//! attack mix (runaway cross products, an ORDER BY the engine panics on, a
//! string doubled 40 times, deep nesting, slow bodies, oversized bodies,
//! an UPDATE over a cross product: the server takes updates),
//! in the same run against the same server. It reports the honest clients'
//! p50, p99 and errors in both phases and their ratio, what the attackers
//! got, and the memory (RSS) of the server and its evaluators before and
//! after.
//!
//! cargo bench --bench serve_load        (LOAD_SECS=20: seconds per phase)

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const HONEST: usize = 32;
const CROSS: &str = "SELECT DISTINCT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }";
const CROSS_UPDATE: &str =
    "INSERT { ?a <http://example.org/n> ?l } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }";
const PANIC: &str = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 3";

/// Sends `request` on a new connection: the status (0: no answer).
fn send(host: &str, request: &[u8]) -> u16 {
    let Ok(mut stream) = TcpStream::connect(host) else {
        return 0;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(60)));
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer)
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

fn post_query(host: &str, query: &str) -> Vec<u8> {
    format!(
        "POST /query HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/sparql-query\r\nAccept: application/sparql-results+json\r\nContent-Length: {}\r\n\r\n{query}",
        query.len()
    )
    .into_bytes()
}

/// The resident memory of `pid`, and of its children together, in MiB.
fn rss(pid: u32) -> (f64, f64, usize) {
    let of = |pid: &str| -> f64 {
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|s| {
                let line = s.lines().find(|l| l.starts_with("VmRSS:"))?.to_owned();
                line.split_whitespace().nth(1)?.parse::<f64>().ok()
            })
            .unwrap_or(0.0)
            / 1024.0
    };
    let mut children = Vec::new();
    for task in std::fs::read_dir(format!("/proc/{pid}/task"))
        .into_iter()
        .flatten()
    {
        let task = task.expect("a task").file_name();
        let list = std::fs::read_to_string(format!(
            "/proc/{pid}/task/{}/children",
            task.to_string_lossy()
        ))
        .unwrap_or_default();
        children.extend(list.split_whitespace().map(str::to_owned));
    }
    let evaluators: f64 = children.iter().map(|c| of(c)).sum();
    (of(&pid.to_string()), evaluators, children.len())
}

/// The honest clients for `secs`: their latencies and error count.
fn honest(host: &str, secs: u64) -> (Vec<Duration>, usize) {
    let figures = std::fs::read_to_string("queries/figures.rq").expect("queries/figures.rq");
    let platforms =
        format!("GET /platforms?university=tongji HTTP/1.1\r\nHost: {host}\r\n\r\n").into_bytes();
    let query = post_query(host, &figures);
    let until = Instant::now() + Duration::from_secs(secs);
    let results = Mutex::new((Vec::new(), 0));
    std::thread::scope(|scope| {
        for client in 0..HONEST {
            let (platforms, query, results) = (&platforms, &query, &results);
            scope.spawn(move || {
                let mut mine = Vec::new();
                let mut errors = 0;
                let mut turn = client;
                while Instant::now() < until {
                    let request = if turn % 2 == 0 { platforms } else { query };
                    turn += 1;
                    let started = Instant::now();
                    if send(host, request) == 200 {
                        mine.push(started.elapsed());
                    } else {
                        errors += 1;
                    }
                }
                let mut all = results.lock().expect("results");
                all.0.extend(mine);
                all.1 += errors;
            });
        }
    });
    let (mut latencies, errors) = results.into_inner().expect("results");
    latencies.sort();
    (latencies, errors)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let at = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[at].as_secs_f64() * 1000.0
}

/// Starts the attackers; they stop when `stop` is set. What they got, by
/// attack and status.
fn attack(host: &str, stop: &Arc<AtomicBool>) -> Vec<std::thread::JoinHandle<Vec<(String, u16)>>> {
    let mut concat = String::from(
        "SELECT (STRLEN(?s40) AS ?n) WHERE { BIND(\"abcdefghijklmnopqrstuvwxyz0123456789\" AS ?s0)",
    );
    for i in 1..=40 {
        concat.push_str(&format!(" BIND(CONCAT(?s{0}, ?s{0}) AS ?s{i})", i - 1));
    }
    concat.push_str(" }");
    let deep = format!(
        "SELECT * WHERE {} ?s ?p ?o {}",
        "{ ".repeat(1000),
        " }".repeat(1000)
    );
    let terabyte = format!(
        "POST /query HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/sparql-query\r\nContent-Length: 1000000000000\r\n\r\nASK{{}}"
    );
    let unread = format!("POST /store HTTP/1.1\r\nHost: {host}\r\nContent-Length: 5000000\r\n\r\n");
    let mut plans: Vec<(String, Vec<u8>, Duration)> = Vec::new();
    for _ in 0..4 {
        plans.push((
            "cross product".into(),
            post_query(host, CROSS),
            Duration::ZERO,
        ));
    }
    plans.push((
        "UPDATE cross product".into(),
        format!(
            "POST /update HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/sparql-update\r\nContent-Length: {}\r\n\r\n{CROSS_UPDATE}",
            CROSS_UPDATE.len()
        )
        .into_bytes(),
        Duration::ZERO,
    ));
    plans.push((
        "ORDER BY panic".into(),
        post_query(host, PANIC),
        Duration::ZERO,
    ));
    plans.push((
        "CONCAT x40".into(),
        post_query(host, &concat),
        Duration::ZERO,
    ));
    plans.push((
        "1,000 nested groups".into(),
        post_query(host, &deep),
        Duration::from_millis(20),
    ));
    plans.push((
        "Content-Length 1 TB".into(),
        terabyte.into_bytes(),
        Duration::from_millis(20),
    ));
    plans.push((
        "5 MB body never sent".into(),
        unread.into_bytes(),
        Duration::from_millis(20),
    ));
    let mut handles = Vec::new();
    for (name, request, pause) in plans {
        let (host, stop) = (host.to_owned(), Arc::clone(stop));
        handles.push(std::thread::spawn(move || {
            let mut got = Vec::new();
            while !stop.load(Ordering::SeqCst) {
                got.push((name.clone(), send(&host, &request)));
                std::thread::sleep(pause);
            }
            got
        }));
    }
    // Slow clients: a body one byte every 5 s.
    for _ in 0..10 {
        let (host, stop) = (host.to_owned(), Arc::clone(stop));
        handles.push(std::thread::spawn(move || {
            let mut got = Vec::new();
            while !stop.load(Ordering::SeqCst) {
                let Ok(mut stream) = TcpStream::connect(&host) else {
                    break;
                };
                let head = format!(
                    "POST /query HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/sparql-query\r\nContent-Length: 100\r\n\r\n"
                );
                let _ = stream.write_all(head.as_bytes());
                let mut answered = 0;
                while !stop.load(Ordering::SeqCst) && stream.write_all(b"A").is_ok() {
                    std::thread::sleep(Duration::from_secs(5));
                    let _ = stream.set_nonblocking(true);
                    let mut byte = [0_u8; 64];
                    if let Ok(n) = stream.read(&mut byte) {
                        answered = String::from_utf8_lossy(&byte[..n])
                            .split(' ')
                            .nth(1)
                            .and_then(|s| s.parse().ok())
                            .unwrap_or(0);
                        break;
                    }
                    let _ = stream.set_nonblocking(false);
                }
                got.push(("slow body (1 byte / 5 s)".to_owned(), answered));
            }
            got
        }));
    }
    handles
}

fn main() {
    let secs: u64 = std::env::var("LOAD_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let root = env!("CARGO_MANIFEST_DIR");
    std::env::set_current_dir(root).expect("the project folder");
    let mut server = Command::new(env!("CARGO_BIN_EXE_innograph"))
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--timeout",
            "2",
            "--allow-update",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("innograph serve starts");
    let mut line = String::new();
    BufReader::new(server.stderr.take().expect("stderr"))
        .read_line(&mut line)
        .expect("the address line");
    let host = line
        .split("at http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("an address")
        .to_owned();
    std::thread::sleep(Duration::from_secs(1));
    let before = rss(server.id());
    let (alone, alone_errors) = honest(&host, secs);
    let stop = Arc::new(AtomicBool::new(false));
    let attackers = attack(&host, &stop);
    let (beside, beside_errors) = honest(&host, secs);
    stop.store(true, Ordering::SeqCst);
    let mut outcomes: BTreeMap<(String, u16), usize> = BTreeMap::new();
    for attacker in attackers {
        for got in attacker.join().expect("an attacker") {
            *outcomes.entry(got).or_default() += 1;
        }
    }
    let at_end = rss(server.id());
    std::thread::sleep(Duration::from_secs(3));
    let after = rss(server.id());
    let _ = server.kill();
    let _ = server.wait();

    let mut out = std::io::stdout().lock();
    let row = |name: &str, sorted: &[Duration], errors: usize, secs: u64| {
        format!(
            "| {name} | {} | {:.0} | {:.1} ms | {:.1} ms | {errors} |",
            sorted.len(),
            sorted.len() as f64 / secs as f64,
            percentile(sorted, 0.5),
            percentile(sorted, 0.99)
        )
    };
    let _ = writeln!(
        out,
        "{HONEST} honest clients, {secs} s per phase, `serve --timeout 2 --allow-update`\n"
    );
    let _ = writeln!(
        out,
        "| honest clients | answers | per s | p50 | p99 | errors |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    let _ = writeln!(
        out,
        "{}",
        row("alone (baseline)", &alone, alone_errors, secs)
    );
    let _ = writeln!(
        out,
        "{}",
        row("beside the attacks", &beside, beside_errors, secs)
    );
    let _ = writeln!(
        out,
        "| ratio | | | {:.2} | {:.2} | |\n",
        percentile(&beside, 0.5) / percentile(&alone, 0.5),
        percentile(&beside, 0.99) / percentile(&alone, 0.99)
    );
    let _ = writeln!(out, "| attack | status | count |\n|---|---|---|");
    for ((name, status), count) in &outcomes {
        let _ = writeln!(out, "| {name} | {status} | {count} |");
    }
    let _ = writeln!(
        out,
        "\n| RSS (MiB) | server | evaluators (count) |\n|---|---|---|"
    );
    for (when, (server, evaluators, count)) in [
        ("before", before),
        ("at the end of the attacks", at_end),
        ("3 s later", after),
    ] {
        let _ = writeln!(out, "| {when} | {server:.1} | {evaluators:.1} ({count}) |");
    }
}
