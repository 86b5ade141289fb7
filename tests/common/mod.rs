//! Helpers shared by the integration tests: run the real binary, and find
//! the external programs some tests need.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The output of one run of `innograph`.
pub struct Run {
    /// Exit status code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Panics with both streams unless the run succeeded.
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "innograph failed:\n{}\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Panics unless the run failed with a message on standard error.
    pub fn failed(self) -> Run {
        assert_ne!(
            self.code, 0,
            "innograph should have failed:\n{}",
            self.stdout
        );
        assert!(!self.stderr.is_empty(), "a failure must say why");
        self
    }
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }
}

/// The cache folder the tests' runs use (`--data` datasets are cached
/// there): inside the target folder, never the user's own.
pub fn test_cache() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("cache")
}

/// The `innograph` binary as a command, with the tests' cache folder.
pub fn command() -> Command {
    command_of(Path::new(env!("CARGO_BIN_EXE_innograph")))
}

/// `program` (an `innograph` binary, or a copy of one) as a command, with
/// the tests' cache folder.
pub fn command_of(program: &Path) -> Command {
    let mut command = Command::new(program);
    command.env("XDG_CACHE_HOME", test_cache());
    command
}

/// Runs `innograph` with `args` in the crate's folder.
pub fn innograph<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    run(Path::new(env!("CARGO_BIN_EXE_innograph")), args)
}

/// Runs `program` (an `innograph` binary, or a copy of one) with `args` in
/// the crate's folder.
pub fn run<I, S>(program: &Path, args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    command_of(program)
        .args(args)
        .current_dir(root())
        .output()
        .expect("the innograph binary runs")
        .into()
}

/// A test path as a command-line argument.
pub fn arg(path: &Path) -> &str {
    path.to_str().expect("test paths are UTF-8")
}

/// The crate's folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture dataset folder under tests/fixtures.
pub fn fixture(name: &str) -> PathBuf {
    root().join("tests").join("fixtures").join(name)
}

/// Whether `program` can be run. Outside CI a missing program skips the
/// test (with a note); in CI (the `CI` variable set) it fails the test.
#[allow(clippy::print_stderr, reason = "a skipped test says why")]
pub fn require(program: &str) -> bool {
    let found = Command::new(program)
        .arg("-V")
        .output()
        .or_else(|_| Command::new(program).arg("--version").output())
        .is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{program} is required in CI: .ci/run installs it"
        );
        eprintln!("note: {program} is not installed; skipping this test outside CI");
    }
    found
}

/// Copies a dataset folder (its files, not subfolders) into a new temporary folder.
pub fn copy_dataset(from: &Path, name: &str) -> PathBuf {
    let to = std::env::temp_dir().join(format!("innograph-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&to);
    std::fs::create_dir_all(&to).expect("temp dir");
    for entry in std::fs::read_dir(from).expect("dataset folder") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            std::fs::copy(&path, to.join(path.file_name().expect("file name"))).expect("copy");
        }
    }
    to
}

/// Read commands over the bundled data in a store, with and without the
/// index: names resolved, ambiguous and unknown, neighbourhoods, paths
/// through and around hubs, cards, and those that read the whole view;
/// the named query, which needs no view, last.
pub const STORE_QUESTIONS: [&[&str]; 17] = [
    &["platforms", "复旦大学"],
    &["platforms", "tongj", "--depth", "2", "--format", "json"],
    &["platforms", "杨浦区"],
    &["show", "tongji"],
    &["show", "复旦", "--format", "json"],
    &["show", "大学"],
    &["show", "nosuchthing"],
    &["show", "fudan", "--format", "csv"],
    &["neighbors", "杨浦区", "--depth", "2"],
    &["neighbors", "fudan", "--avoid-hubs", "--format", "csv"],
    &["path", "fudan", "tongji"],
    &["path", "fudan", "shanghai-stc", "--avoid-hubs"],
    &["entities", "--kind", "University", "--format", "csv"],
    &["rank", "--top", "5", "--format", "json"],
    &["stats", "--format", "json"],
    &[
        "export", "--format", "dot", "--focus", "复旦", "--depth", "1",
    ],
    &[
        "query",
        "platforms-of-university",
        "--param",
        "university=复旦",
        "--format",
        "csv",
    ],
];
