//! The dataset and the named queries embedded in the binary at build time
//! (see `build.rs`), so that an installed `innograph` needs no data folder.

include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// The embedded file named `name` from `data/`, if any.
pub fn data_file(name: &str) -> Option<&'static str> {
    DATA_FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// The embedded drafting table `name` from `data/draft/`, if any.
pub fn draft_file(name: &str) -> Option<&'static str> {
    DRAFT_FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// The embedded query `name` (without `.rq`) from `queries/`, if any.
pub fn query(name: &str) -> Option<&'static str> {
    let file = format!("{name}.rq");
    QUERY_FILES
        .iter()
        .find(|(n, _)| *n == file)
        .map(|(_, text)| *text)
}

/// The names of the embedded queries (without `.rq`), sorted.
pub fn query_names() -> impl Iterator<Item = &'static str> {
    QUERY_FILES
        .iter()
        .filter_map(|(n, _)| n.strip_suffix(".rq"))
}
