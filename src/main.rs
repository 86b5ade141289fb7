//! The `innograph` binary: parses the command line, runs it, and reports an
//! error chain once. Exit status as grep's: 0 an answer, 1 no answer, 2 an
//! error. A closed pipe (`innograph ... | head`) is not an error.

mod cli;
mod commands;
mod exporting;
mod net;
mod open;
mod reporting;

use clap::Parser;
use innograph::shown::escaped;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

/// See `Cargo.toml`: glibc's malloc is a quarter of a load's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = commands::run(cli, &mut out).and_then(|code| {
        out.flush()?;
        Ok(code)
    });
    match result {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let mut stderr = io::stderr().lock();
            // Escaped: a message may quote a name, a path or a query as given.
            let _ = writeln!(stderr, "error: {}", escaped(&err.to_string()));
            for cause in err.chain().skip(1) {
                let _ = writeln!(stderr, "  caused by: {}", escaped(&cause.to_string()));
            }
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<innograph::Error>()
                .is_some_and(|e| matches!(e, innograph::Error::Write(e) if e.kind() == io::ErrorKind::BrokenPipe))
            || cause
                .downcast_ref::<csv::Error>()
                .is_some_and(|e| matches!(e.kind(), csv::ErrorKind::Io(e) if e.kind() == io::ErrorKind::BrokenPipe))
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(io::ErrorKind::BrokenPipe))
    })
}
