//! The `innograph` binary: parses the command line, runs it, and reports an
//! error chain once (`commands.rs`). Exit status as grep's: 0 an answer, 1
//! no answer, 2 an error. A closed pipe (`innograph ... | head`) is not an
//! error.
//!
//! Built without the `rocksdb` feature, it answers from a store's derived
//! index what that index holds, and hands the other commands over a store
//! to `innograph-store` beside it (`front.rs`).

mod cli;
mod commands;
mod exporting;
#[cfg(not(feature = "rocksdb"))]
mod front;
mod net;
mod open;
mod reporting;

use std::process::ExitCode;

/// See `Cargo.toml`: glibc's malloc is a quarter of a load's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    commands::main()
}
