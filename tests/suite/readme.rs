//! The README's console examples are run and what they print is compared,
//! so that the README cannot drift from what innograph does. A block
//! marked `console,ignore` is not run (an example over a folder or a server
//! the reader has); `...` on a line of its own skips lines, `[..]` part of
//! a line, and `? N` after a command gives its exit status.
//!
//! After a deliberate change of an answer or of the data,
//! `TRYCMD=overwrite cargo test --test main readme` rewrites the examples'
//! output in the README: review the diff before committing it.

use crate::common::root;

#[test]
fn the_readme_examples_print_what_the_readme_says() {
    trycmd::TestCases::new()
        .register_bin(
            "innograph",
            std::path::Path::new(env!("CARGO_BIN_EXE_innograph")),
        )
        .env(
            "XDG_CACHE_HOME",
            crate::common::test_cache().display().to_string(),
        )
        .case(root().join("README.md"));
}
