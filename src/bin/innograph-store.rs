//! `innograph-store`: the `innograph` program built with RocksDB (feature
//! `rocksdb`), which an innograph built without it hands every command that
//! reads or writes a RocksDB store to (`front.rs`). Its modules are
//! `innograph`'s own.

#[path = "../cli.rs"]
mod cli;
#[path = "../commands.rs"]
mod commands;
#[path = "../exporting.rs"]
mod exporting;
#[path = "../net.rs"]
mod net;
#[path = "../open.rs"]
mod open;
#[path = "../reporting.rs"]
mod reporting;

use std::process::ExitCode;

/// See `Cargo.toml`: glibc's malloc is a quarter of a load's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    commands::main()
}
