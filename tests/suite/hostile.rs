//! Hostile input, case by case: the cases of `tests/hostile/` (see its
//! README) each attack innograph through a dataset, a query, a name, an
//! option or a `push` target, and say what must come of it: the exit
//! status, what the messages contain, and which files stay as they were.
//! One test runs them all and reports every case that went wrong, with
//! the count of cases by group and outcome.

use crate::common::{fixture, require, root};
use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The longest a case may run: past it, it is a hang.
const HANG: Duration = Duration::from_secs(60);

/// Folders of `tests/hostile/` that hold cases of another kind, run by
/// their own test (the server's, which need a running `serve`).
const OTHER_DRIVERS: [&str; 1] = ["server"];

/// One case, as read from its file.
#[derive(Default)]
struct Case {
    dataset: Option<String>,
    edits: Vec<String>,
    setup: Vec<(String, String)>,
    args: Vec<String>,
    server: Option<String>,
    status: Option<i32>,
    stderr: Vec<String>,
    not_stderr: Vec<String>,
    stdout: Vec<String>,
    not_stdout: Vec<String>,
    unchanged: Vec<String>,
    absent: Vec<String>,
    requests: Vec<String>,
    no_requests: Vec<String>,
    /// The most address space the run may map, in MiB.
    memory: Option<u64>,
    /// On-disk stores loaded from the dataset before it is edited (the
    /// `rocksdb` feature), whose content must stay as it was.
    stores: Vec<String>,
}

/// `\n`, `\t`, `\\`, `\xHH` and `\u{H…}` in a case's text.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('s') => out.push(' '),
            Some('\\') => out.push('\\'),
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                out.push(char::from(
                    u8::from_str_radix(&hex, 16).expect("\\xHH in a case"),
                ));
            }
            Some('u') => {
                assert_eq!(chars.next(), Some('{'), "\\u{{…}} in a case");
                let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
                let code = u32::from_str_radix(&hex, 16).expect("hex in \\u{…}");
                out.push(char::from_u32(code).expect("a character"));
            }
            Some('*') => {
                // `\*N:TEXT*` repeats TEXT N times.
                let spec: String = chars.by_ref().take_while(|&c| c != '*').collect();
                let (n, what) = spec.split_once(':').expect("\\*N:TEXT*");
                out.push_str(&unescape(what).repeat(n.parse().expect("a count")));
            }
            other => panic!("unknown escape \\{other:?} in a case"),
        }
    }
    out
}

fn parse(text: &str, name: &str) -> Case {
    let mut case = Case::default();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if line.starts_with("@ ") || line.starts_with("- ") || line.starts_with('+') {
            case.edits.push(line.to_owned());
            continue;
        }
        let (key, value) = line
            .split_once(':')
            .unwrap_or_else(|| panic!("{name}: `{line}` is not KEY: VALUE"));
        let value = value.strip_prefix(' ').unwrap_or(value).to_owned();
        match key {
            "dataset" => case.dataset = Some(value),
            "write" | "append" | "prepend" | "latin1" | "crlf" | "fifo" | "symlink" | "mkdir"
            | "remove" | "previous" | "big" => case.setup.push((key.to_owned(), value)),
            "arg" => case.args.push(unescape(&value)),
            "server" => case.server = Some(value),
            "status" => case.status = Some(value.parse().expect("a status")),
            "stderr" => case.stderr.push(unescape(&value)),
            "not-stderr" => case.not_stderr.push(unescape(&value)),
            "stdout" => case.stdout.push(unescape(&value)),
            "not-stdout" => case.not_stdout.push(unescape(&value)),
            "unchanged" => case.unchanged.push(value),
            "absent" => case.absent.push(value),
            "request" => case.requests.push(value),
            "no-request" => case.no_requests.push(value),
            "memory" => case.memory = Some(value.parse().expect("MiB")),
            "store" => case.stores.push(value),
            _ => panic!("{name}: unknown key `{key}`"),
        }
    }
    assert!(!case.args.is_empty(), "{name}: no `arg:`");
    assert!(case.status.is_some(), "{name}: no `status:`");
    case
}

/// `DATA`, `WORK` and `URL` in a path or an argument.
struct Places {
    data: PathBuf,
    work: PathBuf,
    url: String,
}

impl Places {
    fn expand(&self, text: &str) -> String {
        text.replace("DATA", &self.data.display().to_string())
            .replace("WORK", &self.work.display().to_string())
            .replace("URL", &self.url)
            .replace(
                "ADDRESS",
                self.url
                    .trim_start_matches("http://")
                    .trim_end_matches("/query"),
            )
    }
}

/// Applies `@ FILE`, `- OLD`, `+ NEW` edits (as the validate cases do,
/// with escapes) to the dataset copy.
fn apply_edits(edits: &[String], dir: &Path, name: &str) {
    let mut file: Option<PathBuf> = None;
    let mut find: Option<String> = None;
    for line in edits {
        if let Some(f) = line.strip_prefix("@ ") {
            file = Some(dir.join(f.trim()));
            continue;
        }
        let path = file
            .clone()
            .unwrap_or_else(|| panic!("{name}: an edit before `@ FILE`"));
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        if let Some(old) = line.strip_prefix("- ") {
            find = Some(unescape(old));
        } else if let Some(new) = line.strip_prefix('+') {
            let new = unescape(new.strip_prefix(' ').unwrap_or(new));
            let edited = match find.take() {
                Some(old) => {
                    assert!(text.contains(&old), "{name}: `{old}` is not in {path:?}");
                    text.replacen(&old, &new, 1)
                }
                None => format!(
                    "{text}{}{new}\n",
                    if text.ends_with('\n') { "" } else { "\n" }
                ),
            };
            fs::write(&path, edited).expect("the edit is written");
        }
    }
}

/// The setup lines: files written, replaced by FIFOs or links, folders
/// made, previous outputs put in place.
fn set_up(setup: &[(String, String)], places: &Places, name: &str) {
    for (key, value) in setup {
        let value = places.expand(value);
        let (path, rest) = value.split_once(' ').unwrap_or((&value, ""));
        let path = PathBuf::from(unescape(path));
        match key.as_str() {
            "write" | "previous" => fs::write(&path, unescape(rest)).expect("write"),
            "append" => {
                let mut file = fs::OpenOptions::new()
                    .append(true)
                    .open(&path)
                    .expect("append");
                file.write_all(unescape(rest).as_bytes()).expect("append");
            }
            "prepend" => {
                let text = fs::read_to_string(&path).expect("prepend");
                fs::write(&path, format!("{}{text}", unescape(rest))).expect("prepend");
            }
            "crlf" => {
                let text = fs::read_to_string(&path).expect("crlf");
                fs::write(&path, text.replace('\n', "\r\n")).expect("crlf");
            }
            "latin1" => {
                // Each character one byte: text that is not UTF-8.
                let bytes: Vec<u8> = unescape(rest)
                    .chars()
                    .map(|c| u8::try_from(u32::from(c)).expect("a Latin-1 character"))
                    .collect();
                fs::write(&path, bytes).expect("latin1");
            }
            "big" => {
                // `big: FILE MiB`: a sparse file of that size.
                let file = fs::File::create(&path).expect("big file");
                let mib: u64 = rest.trim().parse().expect("MiB");
                file.set_len(mib * 1024 * 1024).expect("set_len");
            }
            "remove" => {
                let _ = fs::remove_file(&path);
            }
            "mkdir" => {
                let _ = fs::remove_file(&path);
                fs::create_dir_all(&path).expect("mkdir");
            }
            "fifo" => {
                let _ = fs::remove_file(&path);
                let made = Command::new("mkfifo").arg(&path).status().expect("mkfifo");
                assert!(made.success(), "{name}: mkfifo");
            }
            "symlink" => {
                let _ = fs::remove_file(&path);
                std::os::unix::fs::symlink(rest.trim(), &path).expect("symlink");
            }
            _ => unreachable!(),
        }
    }
}

/// A scripted HTTP server for the `push` cases: it answers every request
/// by its mode, and remembers the request lines it was sent.
struct Fake {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
}

impl Fake {
    fn start(mode: &str) -> Fake {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
        let port = listener.local_addr().expect("address").port();
        listener.set_nonblocking(true).expect("nonblocking");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (seen2, stop2, mode) = (seen.clone(), stop.clone(), mode.to_owned());
        std::thread::spawn(move || {
            while !stop2.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        stream.set_nonblocking(false).expect("blocking");
                        answer(stream, &mode, &seen2, port);
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Fake {
            url: format!("http://127.0.0.1:{port}/query"),
            seen,
            stop,
        }
    }
}

impl Drop for Fake {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn answer(mut stream: TcpStream, mode: &str, seen: &Mutex<Vec<String>>, port: u16) {
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    let _ = stream.read_exact(&mut body);
    let line = head.lines().next().unwrap_or("").to_owned();
    let (method, path) = {
        let mut parts = line.split(' ');
        (
            parts.next().unwrap_or("").to_owned(),
            parts.next().unwrap_or("").to_owned(),
        )
    };
    let is_query = String::from_utf8_lossy(&body).starts_with("query=");
    seen.lock().expect("lock").push(
        format!("{method} {path} {}", if is_query { "query" } else { "" })
            .trim_end()
            .to_owned(),
    );
    let count = |n: &str| {
        (
            "200 OK",
            "application/sparql-results+json",
            format!(
                r#"{{"head":{{"vars":["n"]}},"results":{{"bindings":[{{"n":{{"type":"literal","datatype":"http://www.w3.org/2001/XMLSchema#integer","value":"{n}"}}}}]}}}}"#
            ),
            String::new(),
        )
    };
    let empty = |status: &str| {
        (
            status.to_owned(),
            "text/plain",
            String::new(),
            String::new(),
        )
    };
    if let Some((media, encoding, body)) = large_answer(mode) {
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: {media}\r\n{encoding}Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let _ = stream.write_all(&body);
        return;
    }
    let (status, media, text, location): (String, &str, String, String) = match mode {
        "redirect-elsewhere" => (
            "302 Found".into(),
            "text/plain",
            String::new(),
            "http://elsewhere.invalid/store".into(),
        ),
        "redirect-same-host" => (
            "307 Temporary Redirect".into(),
            "text/plain",
            String::new(),
            format!("http://127.0.0.1:{port}/moved"),
        ),
        "redirect-update-only" if path.starts_with("/store") => empty("404 Not Found"),
        "redirect-update-only" => (
            "301 Moved Permanently".into(),
            "text/plain",
            String::new(),
            "http://elsewhere.invalid/update".into(),
        ),
        "short-count" | "exact-count" | "html-count" | "no-store-short" if !is_query => {
            if mode == "no-store-short" && path.starts_with("/store") {
                empty("404 Not Found")
            } else {
                empty("204 No Content")
            }
        }
        "short-count" | "no-store-short" => {
            let (s, m, t, l) = count("5");
            (s.into(), m, t, l)
        }
        "exact-count" => {
            let (s, m, t, l) = count("1000000");
            (s.into(), m, t, l)
        }
        "html-count" => (
            "200 OK".into(),
            "text/html",
            "<html>a proxy's login page</html>".into(),
            String::new(),
        ),
        "control-characters" => (
            "200 OK".into(),
            "application/sparql-results+json",
            r#"{"head":{"vars":["name"]},"results":{"bindings":[{"name":{"type":"literal","value":"a\u001b[2Jb\u202ec\u200fd"}}]}}"#.into(),
            String::new(),
        ),
        "status-500" => (
            "500 Internal Server Error".into(),
            "text/plain",
            "boom\u{1b}[2J".into(),
            String::new(),
        ),
        other => panic!("unknown server mode `{other}`"),
    };
    let mut reply = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {media}\r\nContent-Length: {}\r\nConnection: close\r\n",
        text.len()
    );
    if !location.is_empty() {
        reply.push_str(&format!("Location: {location}\r\n"));
    }
    reply.push_str("\r\n");
    reply.push_str(&text);
    let _ = stream.write_all(reply.as_bytes());
}

/// The start of a SPARQL JSON answer whose rows never come: what follows
/// it is whitespace, which a reader must take in without keeping it.
const ENDLESS_RESULTS: &[u8] = br#"{"head":{"vars":["n"]},"results":{"bindings":["#;

/// The answers too large to read: `gzip-bomb`, 1 MiB of gzip that inflates
/// to about 160 MiB, and `over-cap`, 20 MiB sent as they are. The media
/// type, the `Content-Encoding` header line and the body.
fn large_answer(mode: &str) -> Option<(&'static str, &'static str, Vec<u8>)> {
    const JSON: &str = "application/sparql-results+json";
    match mode {
        "gzip-bomb" => Some((JSON, "Content-Encoding: gzip\r\n", gzip_bomb(1 << 20))),
        "over-cap" => {
            let mut body = ENDLESS_RESULTS.to_vec();
            body.resize(20 << 20, b' ');
            Some((JSON, "", body))
        }
        _ => None,
    }
}

/// `size` bytes of gzip holding [`ENDLESS_RESULTS`] and then spaces, each
/// 258 of them a 13-bit back-reference of a deflate block with the fixed
/// codes (RFC 1951, 3.2.6): written by hand, so no compressor is needed.
/// The stream never ends: a reader stops at its limit long before.
fn gzip_bomb(size: usize) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        pending: u64,
        count: u32,
    }
    impl Bits {
        /// A number, least significant bit first (header fields).
        fn number(&mut self, value: u64, bits: u32) {
            self.pending |= value << self.count;
            self.count += bits;
            while self.count >= 8 {
                self.out.push(self.pending as u8);
                self.pending >>= 8;
                self.count -= 8;
            }
        }
        /// A Huffman code, most significant bit first.
        fn code(&mut self, code: u64, bits: u32) {
            let reversed = (0..bits).fold(0, |r, i| r | ((code >> i) & 1) << (bits - 1 - i));
            self.number(reversed, bits);
        }
    }
    // The gzip header: deflate, no name, no time, Unix.
    let mut bits = Bits {
        out: vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3],
        pending: 0,
        count: 0,
    };
    // The last block, compressed with the fixed codes.
    bits.number(1, 1);
    bits.number(1, 2);
    // Literals 0-143 have the 8-bit codes 0x30 + the byte.
    for byte in ENDLESS_RESULTS.iter().chain(b" ") {
        bits.code(0x30 + u64::from(*byte), 8);
    }
    while bits.out.len() < size {
        // Length 258 (code 285: 8 bits, 0xc5), distance 1 (code 0: 5 bits).
        bits.code(0xc5, 8);
        bits.code(0, 5);
    }
    bits.out
}

/// Runs the binary with a deadline, within `memory` MiB of address space
/// when given (`ulimit -v` of the POSIX shell); `None` when it hung.
fn run(args: &[String], memory: Option<u64>) -> Option<(i32, String, String)> {
    let binary = env!("CARGO_BIN_EXE_innograph");
    let mut command = match memory {
        Some(mib) => {
            let mut command = Command::new("/bin/sh");
            command.args([
                "-c",
                "ulimit -v \"$0\" && exec \"$@\"",
                &(mib * 1024).to_string(),
                binary,
            ]);
            command
        }
        None => crate::common::command(),
    };
    let mut child = command
        .env("XDG_CACHE_HOME", crate::common::test_cache())
        .args(args)
        .current_dir(root())
        .env_remove("CI_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the innograph binary runs");
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = out.read_to_end(&mut bytes);
        bytes
    });
    let error_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = err.read_to_end(&mut bytes);
        bytes
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break Some(status);
        }
        if start.elapsed() > HANG {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let stdout = reader.join().expect("stdout");
    let stderr = error_reader.join().expect("stderr");
    status.map(|s| {
        (
            s.code().unwrap_or(-1),
            String::from_utf8_lossy(&stdout).into_owned(),
            String::from_utf8_lossy(&stderr).into_owned(),
        )
    })
}

/// What a reader of an on-disk store sees: the generation its `CURRENT`
/// names, and every triple, sorted.
fn store_state(store: &str, name: &str) -> (Vec<u8>, String) {
    let current = fs::read(Path::new(store).join("CURRENT"))
        .unwrap_or_else(|e| panic!("{name}: {store}/CURRENT: {e}"));
    let dump = [
        "query",
        "--store",
        store,
        "--format",
        "ntriples",
        "-e",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ]
    .map(String::from);
    let (code, triples, stderr) =
        run(&dump, None).unwrap_or_else(|| panic!("{name}: the store's dump hung"));
    assert_eq!(code, 0, "{name}: the store is read: {stderr}");
    let mut lines: Vec<&str> = triples.lines().collect();
    lines.sort_unstable();
    (current, lines.join("\n"))
}

/// Runs one case; `Err` says what went wrong, `Ok` the outcome's name.
fn check(case: &Case, name: &str, group: &str) -> Result<&'static str, String> {
    let work = std::env::temp_dir().join(format!(
        "innograph-hostile-{}-{group}-{name}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work).expect("work folder");
    let data = work.join("data");
    fs::create_dir_all(&data).expect("data folder");
    if let Some(dataset) = &case.dataset {
        for entry in fs::read_dir(fixture(dataset)).expect("a fixture") {
            let path = entry.expect("entry").path();
            fs::copy(&path, data.join(path.file_name().expect("name"))).expect("copy");
        }
    }
    let fake = case.server.as_deref().map(Fake::start);
    let places = Places {
        data: data.clone(),
        work: work.clone(),
        url: fake.as_ref().map_or_else(String::new, |f| f.url.clone()),
    };
    let stores: Vec<(String, Vec<u8>, String)> = case
        .stores
        .iter()
        .map(|store| {
            let store = places.expand(store);
            let data = data.display().to_string();
            let load = ["load", "--store", &store, "--data", &data].map(String::from);
            let loaded = run(&load, None).unwrap_or_else(|| panic!("{name}: the load hung"));
            assert_eq!(loaded.0, 0, "{name}: the store is loaded: {}", loaded.2);
            let (current, content) = store_state(&store, name);
            (store, current, content)
        })
        .collect();
    apply_edits(&case.edits, &data, name);
    set_up(&case.setup, &places, name);
    let before: BTreeMap<String, Vec<u8>> = case
        .unchanged
        .iter()
        .map(|p| {
            let path = places.expand(p);
            let bytes = fs::read(&path).unwrap_or_else(|e| panic!("{name}: {path}: {e}"));
            (path, bytes)
        })
        .collect();
    let args: Vec<String> = case.args.iter().map(|a| places.expand(a)).collect();
    let (code, stdout, stderr) =
        run(&args, case.memory).ok_or_else(|| format!("hung for {HANG:?}"))?;
    let shown = || format!("\n--- stdout\n{stdout}--- stderr\n{stderr}");
    let mut wrong = Vec::new();
    if Some(code) != case.status {
        wrong.push(format!(
            "exit status {code}, not {:?}",
            case.status.unwrap_or(0)
        ));
    }
    if code == 101 || stderr.contains("panicked") {
        wrong.push("it panicked".to_owned());
    }
    for want in &case.stderr {
        let want = places.expand(want);
        if !stderr.contains(&want) {
            wrong.push(format!("standard error lacks `{want}`"));
        }
    }
    for want in &case.not_stderr {
        if stderr.contains(want.as_str()) {
            wrong.push(format!("standard error holds `{}`", want.escape_debug()));
        }
    }
    for want in &case.stdout {
        if !stdout.contains(&places.expand(want)) {
            wrong.push(format!("standard output lacks `{want}`"));
        }
    }
    for want in &case.not_stdout {
        if stdout.contains(want.as_str()) {
            wrong.push(format!("standard output holds `{}`", want.escape_debug()));
        }
    }
    for (path, bytes) in &before {
        if fs::read(path).ok().as_ref() != Some(bytes) {
            wrong.push(format!("{path} changed"));
        }
    }
    for (store, current, content) in &stores {
        let (current_after, content_after) = store_state(store, name);
        if &current_after != current {
            wrong.push(format!("{store}: another generation is current"));
        }
        if &content_after != content {
            wrong.push(format!("{store}: its triples changed"));
        }
    }
    for path in &case.absent {
        if Path::new(&places.expand(path)).exists() {
            wrong.push(format!("{path} was written"));
        }
    }
    // A failed write leaves no temporary file behind.
    for entry in fs::read_dir(&work).expect("work folder") {
        let file = entry.expect("entry").file_name();
        if file.to_string_lossy().ends_with(".part") {
            wrong.push(format!("a temporary file is left: {file:?}"));
        }
    }
    if let Some(fake) = &fake {
        let seen = fake.seen.lock().expect("lock").clone();
        for want in &case.requests {
            if !seen.iter().any(|s| s == want) {
                wrong.push(format!("the server was not sent `{want}`: {seen:?}"));
            }
        }
        for unwanted in &case.no_requests {
            if seen.iter().any(|s| s.starts_with(unwanted.as_str())) {
                wrong.push(format!("the server was sent `{unwanted}`: {seen:?}"));
            }
        }
    }
    if wrong.is_empty() {
        let _ = fs::remove_dir_all(&work);
        Ok(match code {
            0 => "succeeds",
            1 => "no answer / refused data",
            _ => "clear error",
        })
    } else {
        Err(format!("{}{}", wrong.join("; "), shown()))
    }
}

#[test]
#[allow(
    clippy::print_stderr,
    reason = "the count of cases by group and outcome"
)]
fn every_hostile_case_has_its_outcome() {
    let folder = root().join("tests").join("hostile");
    let mut groups: Vec<PathBuf> = fs::read_dir(&folder)
        .expect("tests/hostile")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .filter(|p| {
            !OTHER_DRIVERS
                .iter()
                .any(|o| p.file_name().is_some_and(|n| n == *o))
        })
        .collect();
    groups.sort();
    // The FIFO cases make theirs with mkfifo (coreutils).
    let fifos = require("mkfifo");
    let mut counts: BTreeMap<(String, &str), usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut total = 0;
    for group_dir in &groups {
        let group = group_dir
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let mut cases: Vec<PathBuf> = fs::read_dir(group_dir)
            .expect("group")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "case"))
            .collect();
        cases.sort();
        for path in cases {
            let name = path
                .file_stem()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            let case = parse(&fs::read_to_string(&path).expect("case"), &name);
            total += 1;
            if !cfg!(feature = "rocksdb") && !case.stores.is_empty() {
                *counts
                    .entry((group.clone(), "skipped (no rocksdb feature)"))
                    .or_default() += 1;
                continue;
            }
            if !fifos && case.setup.iter().any(|(key, _)| key == "fifo") {
                *counts
                    .entry((group.clone(), "skipped (no mkfifo)"))
                    .or_default() += 1;
                continue;
            }
            match check(&case, &name, &group) {
                Ok(outcome) => *counts.entry((group.clone(), outcome)).or_default() += 1,
                Err(why) => failures.push(format!("{group}/{name}: {why}")),
            }
        }
    }
    for ((group, outcome), n) in &counts {
        eprintln!("hostile: {group:<8} {outcome:<26} {n}");
    }
    assert!(total >= 100, "at least 100 hostile cases: {total}");
    assert!(
        failures.is_empty(),
        "{} of {total} hostile cases went wrong:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
