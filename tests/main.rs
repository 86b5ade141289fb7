//! The integration tests, in one test binary so that innograph and Oxigraph
//! are linked once: each module under `tests/suite/` tests one concern, and
//! `tests/common/` holds what they share. `cargo test --test main NAME` runs
//! the tests whose path contains NAME (e.g. `queries`, `serve::`).

mod common;

mod suite {
    mod answers;
    mod cache;
    mod cli;
    mod data;
    mod derived;
    mod diagrams;
    mod draft;
    mod endpoints;
    mod evidence;
    mod explorer;
    mod exports;
    mod figures;
    mod front;
    mod graph;
    mod hostile;
    mod manual;
    mod prebuilt;
    mod properties;
    mod queries;
    mod questions;
    mod readme;
    mod report;
    mod serve;
    mod serve_guard;
    mod serve_hostile;
    mod store;
    mod validate_cases;
}
