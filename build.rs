//! Embeds the curated dataset (`data/`), the drafting rules (`data/draft/`)
//! and the named queries (`queries/`) in the binary, so that an installed
//! `innograph` works from any folder.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

/// The code that turns the data files into the prebuilt graph, and the
/// versions of the crates it uses (`Cargo.lock`, which fix the layout of
/// the file): a change to any of it makes the prebuilt bundled data stale.
const GRAPH_CODE: [&str; 13] = [
    "Cargo.lock",
    "src/dataset.rs",
    "src/validate.rs",
    "src/anchor.rs",
    "src/rdf.rs",
    "src/load.rs",
    "src/source.rs",
    "src/ontology.rs",
    "src/view.rs",
    "src/index.rs",
    "src/derived.rs",
    "src/prebuilt.rs",
    "src/query.rs",
];

fn main() {
    let root = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let mut code = String::new();
    // FNV-1a over the embedded data files and the code that derives the
    // graph from them (names and contents): what the prebuilt bundled data
    // in data/derived/ must have been made from, or the binary ignores it.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut fnv = |name: &str, contents: Vec<u8>| {
        for byte in name.bytes().chain([0]).chain(contents).chain([0]) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    for (name, dir, extensions) in [
        ("DATA_FILES", "data", &["csv", "ttl", "txt"][..]),
        ("DRAFT_FILES", "data/draft", &["csv"][..]),
        ("QUERY_FILES", "queries", &["rq"][..]),
    ] {
        let dir = Path::new(&root).join(dir);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<_> = fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|entry| entry.path())
                    .filter(|path| {
                        path.is_file()
                            && path
                                .extension()
                                .and_then(|e| e.to_str())
                                .is_some_and(|e| extensions.contains(&e))
                    })
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        writeln!(
            code,
            "/// Files embedded from `{}/`: (file name, contents).",
            dir.file_name().unwrap().to_string_lossy()
        )
        .unwrap();
        writeln!(code, "pub static {name}: &[(&str, &str)] = &[").unwrap();
        for path in files {
            println!("cargo:rerun-if-changed={}", path.display());
            let file_name = path.file_name().unwrap().to_string_lossy();
            if name == "DATA_FILES" {
                fnv(
                    &file_name,
                    fs::read(&path).expect("the data files are readable"),
                );
            }
            writeln!(
                code,
                "    ({file_name:?}, include_str!({:?})),",
                path.display().to_string()
            )
            .unwrap();
        }
        writeln!(code, "];").unwrap();
    }
    // The code alone, too: what a cached `--data` dataset is keyed by, with
    // its own files.
    let mut code_hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in GRAPH_CODE {
        let path = Path::new(&root).join(file);
        println!("cargo:rerun-if-changed={}", path.display());
        let contents = fs::read(&path).expect("the sources are readable");
        for byte in file
            .bytes()
            .chain([0])
            .chain(contents.iter().copied())
            .chain([0])
        {
            code_hash = (code_hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        fnv(file, contents);
    }
    writeln!(
        code,
        "/// A hash of the code that derives the graph from a dataset (FNV-1a).\npub const CODE_HASH: u64 = {code_hash:#018x};"
    )
    .unwrap();
    writeln!(
        code,
        "/// A hash of [`DATA_FILES`] and of the code that derives the graph from them (FNV-1a).\npub const DATA_HASH: u64 = {hash:#018x};"
    )
    .unwrap();
    println!(
        "cargo:rerun-if-changed={}",
        Path::new(&root).join("data/derived").display()
    );
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("bundled.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}
