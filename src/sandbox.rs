//! Work in a process of its own, so that its limits hold whatever the work
//! does: at its deadline the process is killed (with anything it started,
//! such as Graphviz), past its memory limit an allocation fails and ends it,
//! and a crash of the query engine takes only that process down. The query
//! engine checks its cancellation token only here and there (not inside a
//! sort or a join), so a token alone cannot stop a query; a kill can.
//!
//! An evaluator is this program started again (a hidden subcommand) over
//! the same graph. It takes requests one at a time, each a frame on its
//! standard input, and answers each with a frame on its standard output. A
//! [`Pool`] keeps evaluators that answered, so that the next request does
//! not wait for the graph to load.
//!
//! The graph may change (a server that takes updates): a change is
//! [recorded](Pool::record) once, in order, and every evaluator is sent the
//! changes it has not seen before its next request, so that all of them,
//! and one started later, hold the same graph. A new evaluator replays
//! every change within its start-up deadline, so the record is bounded
//! ([`Pool::admits`]); when it is full, or an evaluator cannot apply a
//! change, the pool is [rebased](Pool::rebase): its evaluators start again
//! from a graph that holds every change, and the record is emptied.

use crate::error::Error;
use std::ffi::OsString;
use std::io::{self, BufReader, Read, Seek, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

/// The most bytes of one frame, a request or an answer (a bound on what a
/// broken peer can make the other allocate).
const MAX_FRAME: u64 = 1 << 32;

/// The most changes a pool records by default: a new evaluator replays
/// them all before its first request, within its start-up deadline.
pub const MAX_CHANGES: usize = 10_000;

/// The most bytes of the changes a pool records (what a new evaluator
/// reads and applies, within its memory limit, before its first request).
pub const MAX_CHANGE_BYTES: usize = 256 * 1024 * 1024;

/// How to start an evaluator: this program, and the arguments that open
/// the same graph and run the hidden evaluator subcommand.
#[derive(Debug, Clone)]
pub struct Launcher {
    /// The program (`std::env::current_exe()`).
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<OsString>,
}

impl Launcher {
    /// Starts the program as the leader of a process group of its own (what
    /// it starts is killed with it), its standard input and output piped;
    /// it holds the graph of the pool's `generation`.
    fn spawn(&self, generation: u64) -> io::Result<Evaluator> {
        use std::os::unix::process::CommandExt;
        let mut child = Command::new(&self.program)
            .args(&self.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .process_group(0)
            .spawn()?;
        let input = child.stdin.take().ok_or(io::ErrorKind::BrokenPipe)?;
        let output = child.stdout.take().ok_or(io::ErrorKind::BrokenPipe)?;
        let kill = Kill(Arc::new(KillState {
            pid: Mutex::new(Some(rustix::process::Pid::from_child(&child))),
            killed: AtomicBool::new(false),
        }));
        Ok(Evaluator {
            child,
            input,
            output: BufReader::new(output),
            kill,
            ready: false,
            generation,
            seen: 0,
        })
    }
}

/// Kills an evaluator (and what it started), from another thread: the
/// deadline's watchdog, or a server that stops.
#[derive(Clone)]
pub struct Kill(Arc<KillState>);

struct KillState {
    /// The process group; `None` once the evaluator is reaped, so that a
    /// later kill cannot reach a process that took the number over.
    pid: Mutex<Option<rustix::process::Pid>>,
    killed: AtomicBool,
}

impl Kill {
    /// Kills the evaluator's process group at once.
    pub fn kill(&self) {
        let pid = self.0.pid.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(pid) = *pid {
            self.0.killed.store(true, Ordering::SeqCst);
            let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
        }
    }

    fn was_killed(&self) -> bool {
        self.0.killed.load(Ordering::SeqCst)
    }

    fn reaped(&self) {
        *self.0.pid.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
}

/// One evaluator process.
struct Evaluator {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
    kill: Kill,
    /// It said that it holds the graph and waits for requests.
    ready: bool,
    /// The graph it started from: the pool's launcher of that generation.
    generation: u64,
    /// How many of the pool's recorded changes it applied.
    seen: usize,
}

impl Evaluator {
    /// Waits until it holds the graph (an empty frame says so).
    fn start(&mut self) -> io::Result<()> {
        if !self.ready {
            read_frame(&mut self.output)?.ok_or(io::ErrorKind::UnexpectedEof)?;
            self.ready = true;
        }
        Ok(())
    }

    fn ask(&mut self, request: &[u8]) -> io::Result<Vec<u8>> {
        write_frame(&mut self.input, request)?;
        self.input.flush()?;
        read_frame(&mut self.output)?.ok_or_else(|| io::ErrorKind::UnexpectedEof.into())
    }

    /// Ends the process and says how it ended.
    fn end(mut self) -> ExitStatus {
        // Killed when it is still running (its answer could not be read).
        if matches!(self.child.try_wait(), Ok(None)) {
            self.kill.kill();
        }
        let status = self.child.wait();
        self.kill.reaped();
        status.unwrap_or_default()
    }
}

/// How a request to an evaluator ended.
#[derive(Debug)]
pub enum Outcome {
    /// Its answer.
    Answer(Vec<u8>),
    /// It was killed (its deadline passed, or the server stops).
    Killed,
    /// It ended without an answer: out of its memory, or crashed.
    Died(String),
    /// No evaluator could be started.
    Unavailable(String),
    /// An evaluator could not apply a recorded change (nor will one started
    /// later): the pool should be [rebased](Pool::rebase).
    Behind(String),
}

/// Evaluators that answered, kept for the next request.
pub struct Pool {
    record: RwLock<Record>,
    idle: Mutex<Vec<Evaluator>>,
    keep: usize,
    /// The most changes, and bytes of changes, it records.
    bounds: (usize, usize),
}

/// How an evaluator starts, and the changes it then applies.
struct Record {
    launcher: Launcher,
    /// How many times the pool was [rebased](Pool::rebase).
    generation: u64,
    /// The changes to the graph since the launcher's data, in order: each
    /// a request that an evaluator answers with an empty frame once it
    /// applied it.
    changes: Vec<Arc<[u8]>>,
}

impl Pool {
    /// A pool that keeps at most `keep` idle evaluators (none is started
    /// yet), and records at most `changes` changes.
    pub fn new(launcher: Launcher, keep: usize, changes: usize) -> Pool {
        Pool::bounded(launcher, keep, changes, MAX_CHANGE_BYTES)
    }

    /// A pool that records at most `changes` changes of at most `bytes`
    /// bytes together.
    fn bounded(launcher: Launcher, keep: usize, changes: usize, bytes: usize) -> Pool {
        Pool {
            record: RwLock::new(Record {
                launcher,
                generation: 0,
                changes: Vec::new(),
            }),
            idle: Mutex::new(Vec::new()),
            keep,
            bounds: (changes, bytes),
        }
    }

    /// Evaluators start from now on with `launcher`, which holds the graph
    /// with every change recorded so far: the record is emptied, and the
    /// idle evaluators, which hold the graph as it was, are ended (a busy
    /// one is ended when it is done).
    pub fn rebase(&self, launcher: Launcher) {
        {
            let mut record = self.record.write().unwrap_or_else(PoisonError::into_inner);
            record.launcher = launcher;
            record.generation += 1;
            record.changes.clear();
        }
        let stale: Vec<Evaluator> = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .drain(..)
            .collect();
        for evaluator in stale {
            evaluator.end();
        }
    }

    /// Starts an evaluator of the current generation.
    fn spawn(&self) -> io::Result<Evaluator> {
        let (launcher, generation) = {
            let record = self.record.read().unwrap_or_else(PoisonError::into_inner);
            (record.launcher.clone(), record.generation)
        };
        launcher.spawn(generation)
    }

    /// How many times it was [rebased](Pool::rebase).
    pub fn generation(&self) -> u64 {
        self.record
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .generation
    }

    /// Whether a change of `bytes` bytes can be recorded; if not, why (the
    /// bound it passes). Asked before the change is made, so that a change
    /// the evaluators would not get is never made.
    pub fn admits(&self, bytes: usize) -> Result<(), String> {
        let record = self.record.read().unwrap_or_else(PoisonError::into_inner);
        let changes = &record.changes;
        let held: usize = changes.iter().map(|c| c.len()).sum();
        let (most, most_bytes) = self.bounds;
        if changes.len() >= most {
            Err(format!(
                "{} updates are kept for the query evaluators to replay, the most there may be (--max-changes {most})",
                changes.len()
            ))
        } else if held.saturating_add(bytes) > most_bytes {
            Err(format!(
                "the changes kept for the query evaluators to replay would come to {} bytes, more than there may be ({most_bytes} bytes)",
                held.saturating_add(bytes)
            ))
        } else {
            Ok(())
        }
    }

    /// Records a change to the graph: every evaluator is sent `request`
    /// before its next request (and must answer it with an empty frame).
    /// The caller records changes one at a time, in the order it made them,
    /// each [admitted](Pool::admits) first.
    pub fn record(&self, request: Vec<u8>) {
        self.record
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .changes
            .push(request.into());
    }

    /// Sends `evaluator` the changes it has not seen.
    fn catch_up(&self, evaluator: &mut Evaluator) -> io::Result<()> {
        let pending: Vec<Arc<[u8]>> = {
            let record = self.record.read().unwrap_or_else(PoisonError::into_inner);
            if record.generation != evaluator.generation {
                return Err(io::Error::other(
                    "it holds the graph as it was before the evaluators were started again",
                ));
            }
            record
                .changes
                .get(evaluator.seen..)
                .unwrap_or_default()
                .to_vec()
        };
        for change in pending {
            let answer = evaluator.ask(&change)?;
            if !answer.is_empty() {
                return Err(io::Error::other(format!(
                    "it could not apply an earlier update: {}",
                    String::from_utf8_lossy(&answer).trim_end()
                )));
            }
            evaluator.seen += 1;
        }
        Ok(())
    }

    /// Starts evaluators ahead of the first requests, as many as are kept.
    pub fn warm_all(&self) {
        for _ in 0..self.keep {
            self.warm();
        }
    }

    /// Starts one evaluator ahead of the next request.
    pub fn warm(&self) {
        if let Ok(evaluator) = self.spawn() {
            self.idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(evaluator);
        }
    }

    /// Sends `request` to an idle evaluator (or a new one) and waits for its
    /// answer. `watch` gets the means to kill it, first while it loads the
    /// graph and applies the changes it has not seen (`true`), then while
    /// it works on the request (`false`: the request's deadline starts
    /// then), and returns a guard that is dropped when that is done.
    pub fn call<W>(&self, request: &[u8], watch: impl Fn(Kill, bool) -> W) -> Outcome {
        // An evaluator of a generation the pool has just left (rebased
        // while it started) is ended and another taken, a few times at most.
        let mut rebased_meanwhile = 0;
        let mut evaluator = loop {
            let current = self.generation();
            let idle = loop {
                let idle = self
                    .idle
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .pop();
                match idle {
                    // Kept by a request that ended as the pool was rebased.
                    Some(stale) if stale.generation != current => {
                        stale.end();
                    }
                    idle => break idle,
                }
            };
            let mut evaluator = match idle.map_or_else(|| self.spawn(), Ok) {
                Ok(evaluator) => evaluator,
                Err(e) => return Outcome::Unavailable(e.to_string()),
            };
            let guard = watch(evaluator.kill.clone(), true);
            let mut catching_up = false;
            let started = evaluator.start().and_then(|()| {
                catching_up = true;
                self.catch_up(&mut evaluator)
            });
            drop(guard);
            let Err(e) = started else {
                break evaluator;
            };
            let killed = evaluator.kill.was_killed();
            let rebased = evaluator.generation != self.generation();
            let status = evaluator.end();
            if rebased && !killed && rebased_meanwhile < 3 {
                rebased_meanwhile += 1;
                continue;
            }
            return if killed && catching_up && !rebased {
                // Replaying the changes takes longer than a start may:
                // the pool is to be started again from the server's graph.
                Outcome::Behind(
                    "replaying the earlier updates ran past the evaluator's start-up deadline"
                        .to_owned(),
                )
            } else if killed {
                Outcome::Killed
            } else if catching_up && !rebased {
                Outcome::Behind(format!("{e}; {}", describe(status)))
            } else {
                Outcome::Unavailable(format!("{e}; {}", describe(status)))
            };
        };
        let guard = watch(evaluator.kill.clone(), false);
        let answer = evaluator.ask(request);
        drop(guard);
        match answer {
            Ok(answer) => {
                let current = self.generation();
                let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
                // Killed just after it answered (its deadline came then):
                // it cannot take another request.
                if idle.len() < self.keep
                    && !evaluator.kill.was_killed()
                    && evaluator.generation == current
                {
                    idle.push(evaluator);
                } else {
                    drop(idle);
                    evaluator.end();
                }
                Outcome::Answer(answer)
            }
            Err(_) => {
                let killed = evaluator.kill.was_killed();
                let status = evaluator.end();
                // The next request should not wait for a graph to load.
                self.warm();
                if killed {
                    Outcome::Killed
                } else {
                    Outcome::Died(describe(status))
                }
            }
        }
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        for evaluator in self
            .idle
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .drain(..)
        {
            evaluator.end();
        }
    }
}

/// How a process ended, in words.
fn describe(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (_, Some(6)) => "it ran out of memory (or aborted)".to_owned(),
        (_, Some(11)) => "it overflowed its stack".to_owned(),
        (_, Some(signal)) => format!("it was ended by signal {signal}"),
        (Some(code), None) => format!("it exited with status {code}"),
        (None, None) => "it ended".to_owned(),
    }
}

/// The environment variable that tells this program, started again by
/// [`run_confined`], that it is the confined process: it holds
/// the memory limit in bytes (empty: none).
pub const CONFINED: &str = "INNOGRAPH_CONFINED";

/// Runs `launcher` (this program with the same command line) as a
/// process of its own, with [`CONFINED`] set to `memory`: killed when it
/// runs past `timeout`. What it writes on its standard output is passed to
/// `out` only when it ends by itself (a stopped command writes nothing);
/// its standard error is this one's. Its exit status, when it ended by
/// itself; an error that names the limit otherwise.
pub fn run_confined(
    launcher: &Launcher,
    timeout: Option<Duration>,
    memory: Option<u64>,
    out: &mut dyn Write,
) -> Result<i32, Error> {
    use std::os::unix::process::CommandExt;
    let failed = |e: io::Error| Error::Evaluation(format!("cannot start the query's process: {e}"));
    // The answer goes to an unnamed temporary file, not to this process's
    // memory: it is copied to `out` only when the command ends by itself.
    let mut spool = tempfile::tempfile().map_err(failed)?;
    let mut child = Command::new(&launcher.program)
        .args(&launcher.args)
        .env(CONFINED, memory.map(|m| m.to_string()).unwrap_or_default())
        .stdin(Stdio::null())
        .stdout(Stdio::from(spool.try_clone().map_err(failed)?))
        .stderr(Stdio::inherit())
        .process_group(0)
        .spawn()
        .map_err(failed)?;
    let pid = rustix::process::Pid::from_child(&child);
    let deadline = timeout.map(|t| Instant::now() + t);
    let status = loop {
        if let Some(status) = child.try_wait().map_err(failed)? {
            break Some(status);
        }
        if deadline.is_some_and(|d| d <= Instant::now()) {
            let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let Some(status) = status else {
        return Err(Error::Evaluation(format!(
            "the query ran past --timeout {} s and was stopped: narrow it, or add LIMIT",
            timeout.unwrap_or_default().as_secs_f64()
        )));
    };
    match status.code() {
        Some(code) => {
            spool.seek(io::SeekFrom::Start(0))?;
            io::copy(&mut spool, out)?;
            Ok(code)
        }
        None => Err(Error::Evaluation(match memory {
            Some(memory) => format!(
                "the query was stopped: {} (--max-query-memory is {memory} bytes): narrow it, or add LIMIT",
                describe(status)
            ),
            None => format!("the query was stopped: {}", describe(status)),
        })),
    }
}

/// The memory limit [`run_confined`] gave this process, when it is the
/// confined one: `Some(None)` without a limit.
pub fn confined() -> Option<Option<u64>> {
    let value = std::env::var(CONFINED).ok()?;
    Some(value.parse().ok().filter(|m| *m > 0))
}

/// What an evaluator does first: it dies with its parent, and it may map
/// at most `memory` bytes more than it holds now (the graph loaded).
pub fn confine(memory: Option<u64>) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL))?;
        // The parent may have died before the line above: then stop here.
        if rustix::process::getppid().is_none_or(|p| p.as_raw_nonzero().get() == 1) {
            return Err(io::ErrorKind::BrokenPipe.into());
        }
    }
    if let Some(memory) = memory {
        let mapped = mapped_bytes().unwrap_or(0);
        let limit = mapped.saturating_add(memory);
        rustix::process::setrlimit(
            rustix::process::Resource::As,
            rustix::process::Rlimit {
                current: Some(limit),
                maximum: Some(limit),
            },
        )?;
    }
    Ok(())
}

/// The bytes of address space this process maps now.
fn mapped_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().next()?.parse().ok()?;
    Some(pages * rustix::param::page_size() as u64)
}

/// Says that this evaluator is ready (an empty frame), then answers
/// requests from `input` on `output` with `handle`, one at a time, until
/// `input` ends.
pub fn serve(
    input: &mut dyn Read,
    output: &mut dyn Write,
    mut handle: impl FnMut(&[u8]) -> Vec<u8>,
) -> io::Result<()> {
    write_frame(output, &[])?;
    output.flush()?;
    while let Some(request) = read_frame(input)? {
        write_frame(output, &handle(&request))?;
        output.flush()?;
    }
    Ok(())
}

/// Writes a frame: its length (8 bytes, big-endian), then its bytes.
fn write_frame(out: &mut dyn Write, bytes: &[u8]) -> io::Result<()> {
    out.write_all(&(bytes.len() as u64).to_be_bytes())?;
    out.write_all(bytes)
}

/// Reads a frame; `None` when the input ends before one starts.
fn read_frame(input: &mut dyn Read) -> io::Result<Option<Vec<u8>>> {
    let mut length = [0_u8; 8];
    match input.read_exact(&mut length) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let length = u64::from_be_bytes(length);
    if length > MAX_FRAME {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("a frame of {length} bytes"),
        ));
    }
    let mut bytes = Vec::new();
    input.take(length).read_to_end(&mut bytes)?;
    if bytes.len() as u64 != length {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(Some(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_a_cut_frame_is_an_error() {
        let mut bytes = Vec::new();
        write_frame(&mut bytes, b"abc").unwrap();
        write_frame(&mut bytes, b"").unwrap();
        let mut input = bytes.as_slice();
        assert_eq!(read_frame(&mut input).unwrap().unwrap(), b"abc");
        assert_eq!(read_frame(&mut input).unwrap().unwrap(), b"");
        assert!(read_frame(&mut input).unwrap().is_none());
        // The length and two of its three bytes.
        assert!(read_frame(&mut &bytes[..10]).is_err());
    }
    /// An evaluator in a shell script: it appends every frame it receives
    /// to a file named by its process id in the folder `$1`, and answers a
    /// frame holding `bad` with a message (a change it cannot apply), one
    /// holding `slow` after 30 s, a
    /// `change` with an empty frame (applied), anything else with `ok`.
    const FAKE: &str = r#"
        printf '\0\0\0\0\0\0\0\0'
        while length=$(dd bs=1 count=8 2>/dev/null | od -An -tu1); [ -n "$length" ]; do
            n=0
            for byte in $length; do n=$((n * 256 + byte)); done
            frame=$(dd bs=1 count="$n" 2>/dev/null)
            printf '%s\n' "$frame" >> "$1/$$"
            case $frame in
                *bad*) printf '\0\0\0\0\0\0\0\3bad' ;;
                *slow*) sleep 30; printf '\0\0\0\0\0\0\0\0' ;;
                change*) printf '\0\0\0\0\0\0\0\0' ;;
                *) printf '\0\0\0\0\0\0\0\2ok' ;;
            esac
        done
    "#;

    /// A pool of fake evaluators that keeps `keep`, and the folder of
    /// what they received.
    fn fake(keep: usize, changes: usize, bytes: usize) -> (Pool, tempfile::TempDir) {
        let folder = tempfile::tempdir().unwrap();
        let launcher = Launcher {
            program: "/bin/sh".into(),
            args: vec![
                "-c".into(),
                FAKE.into(),
                "sh".into(),
                folder.path().as_os_str().to_owned(),
            ],
        };
        (Pool::bounded(launcher, keep, changes, bytes), folder)
    }

    /// What each fake evaluator received, in the order they started.
    fn received(folder: &tempfile::TempDir) -> Vec<Vec<String>> {
        let mut files: Vec<(u32, Vec<String>)> = std::fs::read_dir(folder.path())
            .unwrap()
            .map(|entry| {
                let path = entry.unwrap().path();
                let pid = path.file_name().unwrap().to_str().unwrap().parse().unwrap();
                let text = std::fs::read_to_string(&path).unwrap();
                (pid, text.lines().map(str::to_owned).collect())
            })
            .collect();
        files.sort();
        files.into_iter().map(|(_, frames)| frames).collect()
    }

    fn answer(outcome: Outcome) -> String {
        match outcome {
            Outcome::Answer(bytes) => String::from_utf8(bytes).unwrap(),
            other => panic!("no answer: {other:?}"),
        }
    }

    #[test]
    fn an_evaluator_gets_the_changes_it_has_not_seen_in_order_before_a_request() {
        let watch = |_: Kill, _: bool| ();
        // One kept: the same evaluator takes every request.
        let (pool, folder) = fake(1, 100, 1 << 20);
        pool.record(b"change 1".to_vec());
        pool.record(b"change 2".to_vec());
        assert_eq!(answer(pool.call(b"request 1", watch)), "ok");
        pool.record(b"change 3".to_vec());
        assert_eq!(answer(pool.call(b"request 2", watch)), "ok");
        assert_eq!(answer(pool.call(b"request 3", watch)), "ok");
        drop(pool);
        assert_eq!(
            received(&folder),
            [[
                "change 1",
                "change 2",
                "request 1",
                "change 3",
                "request 2",
                "request 3"
            ]]
        );
        // None kept: each request has an evaluator of its own, started
        // over the original graph, which replays every change.
        let (pool, folder) = fake(0, 100, 1 << 20);
        pool.record(b"change 1".to_vec());
        assert_eq!(answer(pool.call(b"request 1", watch)), "ok");
        pool.record(b"change 2".to_vec());
        pool.record(b"change 3".to_vec());
        assert_eq!(answer(pool.call(b"request 2", watch)), "ok");
        drop(pool);
        assert_eq!(
            received(&folder),
            [
                vec!["change 1", "request 1"],
                vec!["change 1", "change 2", "change 3", "request 2"]
            ]
        );
    }

    #[test]
    fn a_change_that_cannot_be_applied_is_named_and_the_record_is_bounded() {
        let watch = |_: Kill, _: bool| ();
        let (pool, folder) = fake(1, 3, 30);
        pool.record(b"change 1".to_vec());
        pool.record(b"change bad".to_vec());
        let Outcome::Behind(why) = pool.call(b"request", watch) else {
            panic!("an evaluator that cannot catch up cannot answer");
        };
        assert!(
            why.contains("could not apply an earlier update: bad"),
            "{why}"
        );
        // The request never reached it, and it was not kept.
        assert_eq!(received(&folder), [["change 1", "change bad"]]);
        assert!(pool.idle.lock().unwrap().is_empty());
        // 18 bytes recorded: 12 more pass the bound of 30 bytes.
        assert_eq!(pool.admits(12), Ok(()));
        let bytes = pool.admits(13).unwrap_err();
        assert!(
            bytes.contains("31 bytes") && bytes.contains("(30 bytes)"),
            "{bytes}"
        );
        pool.record(b"change 3".to_vec());
        let count = pool.admits(0).unwrap_err();
        assert!(
            count.contains("3 updates are kept") && count.contains("(--max-changes 3)"),
            "{count}"
        );
    }
    #[test]
    fn an_evaluator_killed_while_it_replays_the_changes_asks_for_a_rebase() {
        // The start-up deadline comes while a change is being replayed: the
        // changes take longer than a start may, so the pool is to be
        // started again from the server's graph, not the request timed out.
        let watch = |kill: Kill, starting: bool| {
            if starting {
                std::thread::spawn(move || {
                    std::thread::sleep(Duration::from_millis(500));
                    kill.kill();
                });
            }
        };
        let (pool, _folder) = fake(1, 100, 1 << 20);
        pool.record(b"change slow".to_vec());
        let started = Instant::now();
        let Outcome::Behind(why) = pool.call(b"request", watch) else {
            panic!("a replay past the start-up deadline asks for a rebase");
        };
        assert!(why.contains("start-up deadline"), "{why}");
        assert!(started.elapsed() < Duration::from_secs(20), "it was killed");
    }

    #[test]
    fn a_rebased_pool_starts_evaluators_anew_without_the_changes_before() {
        let watch = |_: Kill, _: bool| ();
        let (pool, folder) = fake(1, 100, 1 << 20);
        pool.record(b"change 1".to_vec());
        assert_eq!(answer(pool.call(b"request 1", watch)), "ok");
        pool.record(b"change bad".to_vec());
        assert!(matches!(pool.call(b"request 2", watch), Outcome::Behind(_)));
        // Evaluators now start from a graph that holds both changes.
        let (rebased, new_folder) = fake(1, 100, 1 << 20);
        let launcher = rebased.record.read().unwrap().launcher.clone();
        pool.rebase(launcher);
        assert_eq!(answer(pool.call(b"request 3", watch)), "ok");
        pool.record(b"change 4".to_vec());
        assert_eq!(answer(pool.call(b"request 4", watch)), "ok");
        drop(pool);
        assert_eq!(
            received(&folder),
            [vec!["change 1", "request 1", "change bad"]]
        );
        assert_eq!(
            received(&new_folder),
            [["request 3", "change 4", "request 4"]]
        );
    }
}
