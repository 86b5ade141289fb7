//! Every problem `validate` can report, each from a fixture broken in one
//! way: the cases of `tests/validate/` (see its README), each with the
//! exact problems it must give. `INNOGRAPH_BLESS=1 cargo test --test main
//! validate_cases` writes the expected problems for review.

use crate::common::{copy_dataset, fixture, innograph, root};
use std::fs;
use std::path::Path;

/// Applies the edits of a case file to the dataset folder `dir`.
fn apply(case: &str, dir: &Path, name: &str) {
    let mut file: Option<String> = None;
    let mut find: Option<String> = None;
    for line in case.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if let Some(name) = line.strip_prefix("@ ") {
            file = Some(name.trim().to_owned());
            continue;
        }
        let path = dir.join(file.as_deref().unwrap_or_else(|| {
            panic!("{name}: an edit before any `@ FILE` line");
        }));
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        if let Some(old) = line.strip_prefix("- ") {
            find = Some(old.to_owned());
        } else if let Some(new) = line.strip_prefix('+') {
            let new = new.strip_prefix(' ').unwrap_or(new);
            let edited = match find.take() {
                Some(old) => {
                    assert!(
                        text.contains(&old),
                        "{name}: `{old}` is not in {}",
                        path.display()
                    );
                    text.replacen(&old, new, 1)
                }
                None => format!(
                    "{text}{}{new}\n",
                    if text.ends_with('\n') { "" } else { "\n" }
                ),
            };
            fs::write(&path, edited).expect("the edit is written");
        } else {
            panic!("{name}: `{line}` is not `@ FILE`, `- TEXT` or `+ TEXT`");
        }
    }
    assert!(find.is_none(), "{name}: a `- TEXT` without its `+ TEXT`");
}

#[test]
fn every_validate_case_reports_its_problems() {
    let folder = root().join("tests").join("validate");
    let bless = std::env::var_os("INNOGRAPH_BLESS").is_some();
    let mut cases: Vec<_> = fs::read_dir(&folder)
        .expect("tests/validate")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "case"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 30, "the cases are there: {}", cases.len());
    let mut wrong = Vec::new();
    for case in &cases {
        let name = case
            .file_stem()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        let dir = copy_dataset(&fixture("mini"), &format!("validate-{name}"));
        apply(&fs::read_to_string(case).expect("the case"), &dir, &name);
        let data = dir.to_str().expect("UTF-8");
        let run = innograph(["--data", data, "validate"]);
        assert_eq!(
            run.code, 1,
            "{name}: the data must be refused with status 1:\n{}{}",
            run.stdout, run.stderr
        );
        // The problems, without the closing count, the folder as DATA.
        let actual: String = run
            .stderr
            .lines()
            .filter(|line| line.starts_with(data))
            .map(|line| format!("DATA{}\n", &line[data.len()..]))
            .collect();
        assert!(
            !actual.is_empty(),
            "{name}: no problem reported:\n{}",
            run.stderr
        );
        let expected = case.with_extension("expected");
        if bless {
            fs::write(&expected, &actual).expect("the expected problems are written");
        } else {
            let want = fs::read_to_string(&expected).unwrap_or_else(|_| {
                panic!(
                    "no {}: run INNOGRAPH_BLESS=1 cargo test --test main validate_cases, review it and commit it",
                    expected.display()
                )
            });
            if want != actual {
                wrong.push(format!("{name}:\n--- expected\n{want}--- actual\n{actual}"));
            }
        }
        let _ = fs::remove_dir_all(dir);
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
