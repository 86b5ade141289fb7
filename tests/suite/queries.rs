//! Every named query in `queries/` has an expected result in
//! `tests/expected/NAME.csv` (SPARQL CSV results over the bundled data),
//! run with the arguments in `NAME.args` (one per line) when that file
//! exists. `INNOGRAPH_BLESS=1 cargo test --test main queries` rewrites the
//! expected files; review the diff before committing it.

use crate::common;

use common::{innograph, root};
use std::fs;

#[test]
fn every_named_query_gives_its_expected_result() {
    let bless = std::env::var_os("INNOGRAPH_BLESS").is_some();
    let expected_dir = root().join("tests").join("expected");
    let mut names: Vec<String> = fs::read_dir(root().join("queries"))
        .unwrap()
        .filter_map(|e| {
            let path = e.unwrap().path();
            (path.extension()? == "rq").then(|| path.file_stem()?.to_str().map(str::to_owned))?
        })
        .collect();
    names.sort();
    assert!(names.len() >= 8, "at least eight named queries");
    let mut failures = Vec::new();
    for name in &names {
        let text = fs::read_to_string(root().join("queries").join(format!("{name}.rq"))).unwrap();
        assert!(
            text.starts_with('#'),
            "queries/{name}.rq must start with a comment saying what it answers"
        );
        let mut args = vec![
            "query".to_owned(),
            name.clone(),
            "--format".into(),
            "csv".into(),
        ];
        if let Ok(extra) = fs::read_to_string(expected_dir.join(format!("{name}.args"))) {
            args.extend(extra.lines().filter(|l| !l.is_empty()).map(str::to_owned));
        }
        let actual = innograph(&args).ok().stdout;
        assert!(actual.lines().count() > 1, "{name} answers nothing");
        let path = expected_dir.join(format!("{name}.csv"));
        if bless {
            fs::write(&path, &actual).unwrap();
            continue;
        }
        match fs::read_to_string(&path) {
            Ok(expected) if expected == actual => {}
            Ok(_) => failures.push(format!("{name}: result differs from {}", path.display())),
            Err(_) => failures.push(format!("{name}: no expected result {}", path.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
