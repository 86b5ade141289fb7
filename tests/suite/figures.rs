//! `innograph figures`: every figure of the data as a table a spreadsheet
//! takes as it is. The `.xlsx` workbook, read back by an independent reader
//! (openpyxl, from Debian), holds every cell of the CSV answer, typed (the
//! value a number, `cumulative` a boolean); the JSON says the same; a CSV
//! file starts with the byte-order mark Excel needs to show the Chinese.

use crate::common::{innograph, require, root};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

const PYTHON: &str = "/usr/bin/python3";

/// A fresh folder for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("innograph-figures-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}

/// The CSV answer: its header and its records.
fn csv_answer() -> (Vec<String>, Vec<Vec<String>>) {
    let out = innograph(["figures", "--format", "csv"]).ok().stdout;
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let header = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_owned)
        .collect();
    let records = reader
        .records()
        .map(|r| r.expect("a record").iter().map(str::to_owned).collect())
        .collect();
    (header, records)
}

/// Whether Debian's Python has openpyxl; like `require`, a missing one
/// skips the test outside CI and fails it in CI.
#[expect(clippy::print_stderr, reason = "a skipped test says why")]
fn require_openpyxl() -> bool {
    if !require(PYTHON) {
        return false;
    }
    let found = Command::new(PYTHON)
        .args(["-c", "import openpyxl"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{PYTHON} needs openpyxl in CI: .ci/setup installs python3-openpyxl"
        );
        eprintln!("note: {PYTHON} has no openpyxl; skipping this test outside CI");
    }
    found
}

/// Every cell of the first sheet of a workbook as openpyxl reads it, as JSON:
/// a list of rows of null, booleans, numbers and strings.
const READ_XLSX: &str = r#"
import json, sys, openpyxl
sheet = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
print(json.dumps({"title": sheet.title, "frozen": sheet.freeze_panes,
                  "rows": [list(row) for row in sheet.iter_rows(values_only=True)]},
                 ensure_ascii=False))
"#;

#[test]
fn the_workbook_holds_every_cell_of_the_csv_answer() {
    if !require_openpyxl() {
        return;
    }
    let dir = scratch("xlsx");
    let path = dir.join("figures.xlsx");
    innograph(["figures", "-o", path.to_str().expect("UTF-8")]).ok();
    let output = Command::new(PYTHON)
        .args(["-c", READ_XLSX])
        .arg(&path)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let read: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(read["title"], "figures");
    assert_eq!(read["frozen"], "A2", "the header row stays in view");
    let rows = read["rows"].as_array().expect("rows");
    let (header, records) = csv_answer();
    assert_eq!(
        rows.len(),
        records.len() + 1,
        "the header and one row per figure"
    );
    let sheet_header: Vec<&str> = rows[0]
        .as_array()
        .expect("a row")
        .iter()
        .map(|c| c.as_str().expect("a heading"))
        .collect();
    assert_eq!(sheet_header, header);
    let mut numbers = 0;
    let mut booleans = 0;
    for (row, record) in rows[1..].iter().zip(&records) {
        let cells = row.as_array().expect("a row");
        assert_eq!(cells.len(), record.len(), "{record:?}");
        for ((cell, text), column) in cells.iter().zip(record).zip(&header) {
            let at = format!("{column} of {}", record[0]);
            match cell {
                serde_json::Value::Null => assert_eq!(text, "", "{at}"),
                serde_json::Value::Bool(b) => {
                    booleans += 1;
                    assert_eq!(text, &b.to_string(), "{at}");
                }
                serde_json::Value::Number(n) => {
                    numbers += 1;
                    let expected: f64 = text.parse().unwrap_or_else(|_| panic!("{at}: {text}"));
                    assert_eq!(n.as_f64(), Some(expected), "{at}");
                }
                serde_json::Value::String(s) => assert_eq!(s, text, "{at}"),
                other => panic!("{at}: {other}"),
            }
        }
    }
    assert_eq!(
        numbers,
        records.len(),
        "every value is a number in the sheet"
    );
    assert!(
        booleans > 0,
        "cumulative is a boolean where the source says"
    );
}

#[test]
fn the_table_has_every_figure_of_the_data_and_the_json_says_the_same() {
    let (header, records) = csv_answer();
    let mut data = csv::Reader::from_path(root().join("data/figures.csv")).expect("figures.csv");
    let ids: BTreeSet<String> = data
        .records()
        .map(|r| format!("fig:{}", &r.expect("a record")[0]))
        .collect();
    let answered: BTreeSet<String> = records.iter().map(|r| r[0].clone()).collect();
    assert_eq!(answered, ids, "one row per figure of data/figures.csv");
    for column in [
        "entity_zh",
        "entity_en",
        "indicator_zh",
        "indicator_en",
        "value",
        "as_written",
        "unit",
        "qualifier",
        "period",
        "cumulative",
        "modality",
        "letter",
        "section",
        "quote",
    ] {
        assert!(header.iter().any(|h| h == column), "a column {column}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&innograph(["figures", "--format", "json"]).ok().stdout)
            .expect("JSON");
    let list = json.as_array().expect("a list of rows");
    assert_eq!(list.len(), records.len());
    for (row, record) in list.iter().zip(&records) {
        for (column, text) in header.iter().zip(record) {
            let value = match &row[column] {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            assert_eq!(&value, text, "{column} of {}", record[0]);
        }
        for column in [
            "entity_zh",
            "indicator_zh",
            "indicator_en",
            "quote",
            "letter",
        ] {
            assert_ne!(row[column], "", "{column} of {}", record[0]);
        }
    }
}

#[test]
fn a_csv_file_starts_with_the_byte_order_mark_a_spreadsheet_needs() {
    let dir = scratch("csv");
    let path = dir.join("figures.csv");
    innograph(["figures", "-o", path.to_str().expect("UTF-8")]).ok();
    let bytes = std::fs::read(&path).expect("the CSV file");
    let piped = innograph(["figures", "--format", "csv"]).ok().stdout;
    assert!(!piped.starts_with('\u{feff}'), "none on standard output");
    assert_eq!(bytes, [b"\xEF\xBB\xBF", piped.as_bytes()].concat());
}

#[test]
fn a_table_file_needs_a_name_that_says_its_form() {
    let dir = scratch("form");
    let path = dir.join("figures.txt");
    let run = innograph(["figures", "-o", path.to_str().expect("UTF-8")]).failed();
    assert!(run.stderr.contains("figures.xlsx"), "{}", run.stderr);
    assert!(!path.exists(), "nothing written");
}
