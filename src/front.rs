//! The front of an on-disk store, in an innograph built without RocksDB: the
//! read commands a store's derived index answers are answered here, and
//! every other command over a store is handed to `innograph-store`, the
//! same program built with RocksDB, found beside this one.
//!
//! RocksDB's C++ static initialisers cost every process that links it about
//! 1.7 ms before `main`, more than a cold answer from the index takes; the
//! commands that read or write the RocksDB store pay it, the others do not.

use crate::cli::{Cli, Command};
use anyhow::anyhow;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;

/// The program store commands are handed to, beside this one.
const STORE_PROGRAM: &str = "innograph-store";

/// Why `cli` needs `innograph-store`, if it does: it is `innograph load`,
/// or it names a store and asks what only the RocksDB store answers, which
/// is everything but the commands its derived index answers, asked of the
/// store alone.
pub fn needs_store_program(cli: &Cli) -> Option<String> {
    let source = &cli.source;
    if matches!(cli.command, Command::Load { .. }) {
        return Some("`innograph load` builds a RocksDB store".to_owned());
    }
    let dir = source.store.as_ref()?;
    let index_only = source.endpoint.is_none() && source.data.is_none();
    (!(index_only && answered_by_index(&cli.command))).then(|| {
        format!(
            "--store {}: this command reads the RocksDB store (its index alone answers platforms, neighbors, path, entities and rank)",
            dir.display()
        )
    })
}

/// Whether a store's derived index answers `command`: its view, its name
/// index and its neighbourhoods hold all these commands read.
fn answered_by_index(command: &Command) -> bool {
    matches!(
        command,
        Command::Platforms { .. }
            | Command::Neighbors { .. }
            | Command::Path { .. }
            | Command::Entities { .. }
            | Command::Rank { .. }
    )
}

/// Replaces this process by `innograph-store` run with the same arguments,
/// before anything is written. Returns only why that could not be done: the
/// program is not beside this one, or could not be started. `why` says what
/// the command needs of the store.
pub fn hand_over(why: &str) -> anyhow::Error {
    let program = match store_program() {
        Some(program) if program.is_file() => program,
        _ => {
            return anyhow!(
                "{why}, and this innograph was built without RocksDB; {STORE_PROGRAM}, the same program built with it, is not beside it. Install both: `cargo install --path . --features rocksdb` (it compiles RocksDB, which needs a C++ compiler and libclang), then `cargo install --path .` for the faster front"
            );
        }
    };
    let mut args = std::env::args_os();
    let mut command = std::process::Command::new(&program);
    if let Some(name) = args.next() {
        command.arg0(name);
    }
    let error = command.args(args).exec();
    anyhow!("cannot run {}: {error}", program.display())
}

/// `innograph-store` in the folder of this program.
fn store_program() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    Some(exe.with_file_name(format!("{STORE_PROGRAM}{}", std::env::consts::EXE_SUFFIX)))
}
