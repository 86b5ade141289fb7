//! Hostile requests to `innograph serve`, case by case: each file of
//! `tests/hostile/server/` sends one request (raw HTTP, or a SPARQL query)
//! and says what must come of it: the status, what the answer says, and
//! how soon it comes. After every case the server still answers, and it
//! and its evaluators have stopped working (a query stopped at its deadline
//! burns no CPU afterwards). One test runs them all and reports every case
//! that went wrong.
//!
//! A case file: a `#` line saying what it attacks, then `key: value` lines:
//! `serve:` the server's options (`--timeout 2` when absent), `request:` a
//! raw request (`{host}` is the server's address) or `query:` a query sent
//! by POST, `parallel:` how many are sent at once, `status:`, `body:` (what
//! the answer contains; repeatable), `within:` seconds. Escapes: `\r`, `\n`,
//! `\xHH`, `\u{H…}`, and `\*N:TEXT*` for TEXT N times.

use super::serve::Served;
use crate::common::root;
use std::collections::BTreeMap;
use std::io::Write;
use std::time::{Duration, Instant};

/// The options of a server a case does not give.
const DEFAULT_SERVE: &str = "--timeout 2";

/// The most CPU the server and its evaluators may use in one of the seconds
/// after a case (idle, it uses next to none; one runaway evaluator uses a
/// second).
const IDLE_CPU: Duration = Duration::from_millis(300);
/// How many seconds after an answer are measured, one of which must use
/// at most [`IDLE_CPU`].
const IDLE_TRIES: u32 = 4;

/// One case, as read from its file.
#[derive(Default, Debug)]
struct Case {
    name: String,
    serve: String,
    request: Option<String>,
    query: Option<String>,
    parallel: usize,
    status: Option<u16>,
    body: Vec<String>,
    within: Option<f64>,
}

/// `\r`, `\n`, `\xHH`, `\u{H…}` and `\*N:TEXT*` in a case's text.
fn unescape(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.extend_from_slice(c.to_string().as_bytes());
            continue;
        }
        match chars.next() {
            Some('r') => out.push(b'\r'),
            Some('n') => out.push(b'\n'),
            Some('\\') => out.push(b'\\'),
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                out.push(u8::from_str_radix(&hex, 16).expect("\\xHH in a case"));
            }
            Some('u') => {
                assert_eq!(chars.next(), Some('{'), "\\u{{…}} in a case");
                let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
                let c = char::from_u32(u32::from_str_radix(&hex, 16).expect("hex"))
                    .expect("a character");
                out.extend_from_slice(c.to_string().as_bytes());
            }
            Some('*') => {
                let spec: String = chars.by_ref().take_while(|&c| c != '*').collect();
                let (n, what) = spec.split_once(':').expect("\\*N:TEXT*");
                out.extend(unescape(what).repeat(n.parse().expect("a count")));
            }
            other => panic!("unknown escape \\{other:?} in a case"),
        }
    }
    out
}

fn read_case(path: &std::path::Path) -> Case {
    let text = std::fs::read_to_string(path).expect("a case file");
    let mut case = Case {
        name: path.file_stem().unwrap().to_string_lossy().into_owned(),
        serve: DEFAULT_SERVE.to_owned(),
        parallel: 1,
        ..Case::default()
    };
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let (key, value) = line
            .split_once(": ")
            .unwrap_or_else(|| panic!("{}: `key: value`, not `{line}`", case.name));
        match key {
            "serve" => case.serve = value.to_owned(),
            "request" => case.request = Some(value.to_owned()),
            "query" => case.query = Some(value.to_owned()),
            "parallel" => case.parallel = value.parse().expect("a count"),
            "status" => case.status = Some(value.parse().expect("a status")),
            "body" => case.body.push(value.to_owned()),
            "within" => case.within = Some(value.parse().expect("seconds")),
            other => panic!("{}: unknown key `{other}`", case.name),
        }
    }
    assert!(
        case.request.is_some() != case.query.is_some(),
        "{}: give request: or query:",
        case.name
    );
    case
}

/// The bytes a case sends to the server at `host`.
fn request_of(case: &Case, host: &str) -> Vec<u8> {
    if let Some(query) = &case.query {
        let body = unescape(query);
        let mut request = format!(
            "POST /query HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/sparql-query\r\nAccept: application/sparql-results+json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        request.extend(body);
        return request;
    }
    let raw = case.request.as_deref().unwrap_or_default();
    unescape(&raw.replace("{host}", host))
}

/// Sends `request` on a new connection: the status (0 when the server
/// closed without one), the answer, and how long it took.
fn send(host: &str, request: &[u8]) -> (u16, String, Duration) {
    let started = Instant::now();
    let (status, answer) = super::serve_guard::exchange(host, request, Duration::from_secs(60));
    (status, answer, started.elapsed())
}

/// The CPU time used so far by process `pid` and its children that are
/// alive (user and system), from /proc.
fn cpu_of_tree(pid: u32) -> Duration {
    let ticks = |pid: &str| -> u64 {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|stat| {
                let fields: Vec<&str> = stat.rsplit_once(") ")?.1.split(' ').collect();
                Some(fields[11].parse::<u64>().ok()? + fields[12].parse::<u64>().ok()?)
            })
            .unwrap_or(0)
    };
    let mut total = 0;
    for task in std::fs::read_dir(format!("/proc/{pid}/task"))
        .into_iter()
        .flatten()
    {
        let task = task.expect("a task").file_name();
        let task = task.to_string_lossy();
        total += ticks(&task);
        let children = std::fs::read_to_string(format!("/proc/{pid}/task/{task}/children"))
            .unwrap_or_default();
        total += children.split_whitespace().map(ticks).sum::<u64>();
    }
    // Linux reports in clock ticks of 1/100 s.
    Duration::from_millis(total * 10)
}

/// What went wrong with `case` on `served`, if anything.
fn run_case(case: &Case, served: &Served) -> Vec<String> {
    let host = served.url("").trim_start_matches("http://").to_owned();
    let request = request_of(case, &host);
    let answers: Vec<(u16, String, Duration)> = std::thread::scope(|scope| {
        let sent: Vec<_> = (0..case.parallel)
            .map(|_| scope.spawn(|| send(&host, &request)))
            .collect();
        sent.into_iter().map(|s| s.join().expect("sent")).collect()
    });
    let mut wrong = Vec::new();
    for (status, answer, took) in &answers {
        let short: String = answer.chars().take(300).collect();
        if case.status.is_some_and(|s| s != *status) {
            wrong.push(format!("status {status}, not {:?}: {short}", case.status));
        }
        for part in &case.body {
            if !answer.contains(part.as_str()) {
                wrong.push(format!("the answer lacks `{part}`: {short}"));
            }
        }
        if case
            .within
            .is_some_and(|within| took.as_secs_f64() > within)
        {
            wrong.push(format!(
                "answered after {took:?}, not within {:?} s",
                case.within
            ));
        }
    }
    // The server goes on, and nothing works on for the stopped request.
    let (status, answer, _) = send(
        &host,
        format!("GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes(),
    );
    if status != 200 {
        wrong.push(format!(
            "afterwards, the server answered {status}: {answer}"
        ));
    }
    std::thread::sleep(Duration::from_millis(500));
    // A query left running keeps a core busy second after second; an
    // evaluator the pool starts ahead of the next request (after a failed
    // one, or a server's first) is done within one or two. So one second
    // of the next few must be idle.
    let mut used = Duration::ZERO;
    for _ in 0..IDLE_TRIES {
        let before = cpu_of_tree(served.pid());
        std::thread::sleep(Duration::from_secs(1));
        used = cpu_of_tree(served.pid()).saturating_sub(before);
        if used <= IDLE_CPU {
            break;
        }
    }
    if used > IDLE_CPU {
        wrong.push(format!(
            "the server and its evaluators used {used:?} of CPU in each of the {IDLE_TRIES} seconds after the answer"
        ));
    }
    wrong
}

#[test]
fn hostile_requests_get_their_status_and_the_server_goes_on() {
    let folder = root().join("tests/hostile/server");
    let mut by_server: BTreeMap<String, Vec<Case>> = BTreeMap::new();
    let mut paths: Vec<_> = std::fs::read_dir(&folder)
        .expect("tests/hostile/server")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    paths.sort();
    for path in &paths {
        let case = read_case(path);
        by_server.entry(case.serve.clone()).or_default().push(case);
    }
    assert!(paths.len() >= 30, "only {} cases", paths.len());
    let mut failures = Vec::new();
    let mut by_status: BTreeMap<u16, usize> = BTreeMap::new();
    for (options, cases) in &by_server {
        let options: Vec<&str> = options.split_whitespace().collect();
        let served = Served::start(&options);
        for case in cases {
            *by_status.entry(case.status.unwrap_or(0)).or_default() += 1;
            for wrong in run_case(case, &served) {
                failures.push(format!("{}: {wrong}", case.name));
            }
        }
    }
    let _ = writeln!(
        std::io::stderr().lock(),
        "{} server cases by expected status: {by_status:?}",
        paths.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn sigterm_ends_the_server_within_its_grace_while_queries_run_on() {
    // No timeout: only the stop ends these queries.
    let served = Served::start(&["--timeout", "0"]);
    let host = served.url("").trim_start_matches("http://").to_owned();
    let case = Case {
        query: Some(
            "SELECT DISTINCT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }".to_owned(),
        ),
        ..Case::default()
    };
    let request = request_of(&case, &host);
    let ask = format!("GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: {host}\r\n\r\n");
    assert_eq!(send(&host, ask.as_bytes()).0, 200, "the server answers");
    let answers: Vec<_> = (0..3)
        .map(|_| {
            let (host, request) = (host.clone(), request.clone());
            std::thread::spawn(move || send(&host, &request))
        })
        .collect();
    // A request still being read when the stop comes: its head ends after.
    let mut late = std::net::TcpStream::connect(&host).expect("connects");
    late.write_all(format!("GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: {host}\r\n").as_bytes())
        .expect("sends");
    std::thread::sleep(Duration::from_secs(1));
    let stopping = Instant::now();
    let pid = served.pid().to_string();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    assert!(status.success());
    std::thread::sleep(Duration::from_millis(300));
    late.write_all(b"\r\n").expect("the server still reads");
    late.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a timeout");
    let mut answer = String::new();
    let _ = std::io::Read::read_to_string(&mut late, &mut answer);
    assert!(
        answer.starts_with("HTTP/1.1 503") && answer.contains("stopping"),
        "a request read while the server stops is answered: {answer:?}"
    );
    // The server answers the queries in flight (stopped) and exits; the
    // grace is 2 s, the rest is slack for a loaded machine.
    for answer in answers {
        let (status, answer, _) = answer.join().expect("sent");
        assert_eq!(status, 503, "{answer}");
        assert!(answer.contains("stopping"), "{answer}");
    }
    let mut served = served;
    let exit = served.wait();
    assert!(
        stopping.elapsed() < Duration::from_secs(6),
        "stopped after {:?}",
        stopping.elapsed()
    );
    assert!(exit.success(), "a clean stop exits 0: {exit:?}");
}

#[test]
fn query_timeout_and_memory_limit_stop_the_command_and_write_nothing() {
    // The same limits on the command line: the query runs in a process of
    // its own, killed at the deadline; nothing of it reaches standard output.
    let started = Instant::now();
    let run = crate::common::innograph([
        "query",
        "--timeout",
        "2",
        "-e",
        "SELECT DISTINCT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    ])
    .failed();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert!(run.stderr.contains("--timeout 2 s"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let mut doubled =
        String::from("SELECT (STRLEN(?s40) AS ?n) WHERE { BIND(\"0123456789abcdef\" AS ?s0)");
    for i in 1..=40 {
        doubled.push_str(&format!(" BIND(CONCAT(?s{0}, ?s{0}) AS ?s{i})", i - 1));
    }
    doubled.push_str(" }");
    let run =
        crate::common::innograph(["query", "--max-query-memory", "100000000", "-e", &doubled])
            .failed();
    assert!(run.stderr.contains("--max-query-memory"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    // Within the limits, the answer is the one without them.
    let limited = crate::common::innograph(["query", "figures", "--timeout", "30"]).ok();
    let free = crate::common::innograph(["query", "figures"]).ok();
    assert_eq!(limited.stdout, free.stdout);
    assert!(!free.stdout.is_empty());
}

/// Over an on-disk store the evaluators open it read-only beside the
/// server, so a query that runs on is killed at its deadline there too.
#[cfg(feature = "rocksdb")]
#[test]
fn over_a_store_a_runaway_query_is_killed_at_its_deadline() {
    let store = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("serve-hostile-store");
    let _ = std::fs::remove_dir_all(&store);
    let store = store.to_str().expect("a UTF-8 path").to_owned();
    let data = root().join("data");
    crate::common::innograph([
        "load",
        "--store",
        &store,
        "--data",
        data.to_str().expect("a UTF-8 path"),
    ])
    .ok();
    let served = Served::start(&["--store", &store, "--timeout", "2"]);
    let mut failures = Vec::new();
    for name in ["cross-product-4way", "order-by-3way"] {
        let case = read_case(&root().join(format!("tests/hostile/server/{name}.case")));
        for wrong in run_case(&case, &served) {
            failures.push(format!("{name} over a store: {wrong}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
