//! Properties that hold for any input, checked with proptest on a fixed
//! budget of cases (fast in CI, the same cases on every run): the CSV
//! reader, the figure parser, name resolution and parameter binding. Each
//! goes through the library's public API only.

use crate::common::fixture;
use innograph::dataset::{Dataset, Files};
use innograph::source::{self, GraphSource, Request, StoreSource};
use innograph::view::View;
use innograph::{Error, resolve, validate};
use oxigraph::model::{Literal, Term, Variable, vocab::xsd};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::path::PathBuf;
use std::sync::LazyLock;

/// The case budget, the same in CI as anywhere: a fixed seed, no files.
fn runner(cases: u32) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]))
}

/// Any text, with more than its share of the characters that break things:
/// quotes, commas, line ends, controls, bidi overrides, CJK, a BOM.
fn hostile_text() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        '"', ',', '\n', '\r', '\t', '\0', '\u{1b}', '\u{7f}', '\u{85}', '\u{202e}', '\u{2066}',
        '\u{feff}', ' ', '复', '旦', 'a', '亿', '万', '<', '>', '\\', '#', '?',
    ]);
    prop::collection::vec(prop_oneof![3 => special, 1 => any::<char>()], 0..40)
        .prop_map(|chars| chars.into_iter().collect())
}

fn temp_dataset(tag: &str, n: u64) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("innograph-prop-{}-{tag}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    for entry in std::fs::read_dir(fixture("mini")).expect("mini") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copy");
    }
    dir
}

#[test]
fn a_cell_reads_back_as_written_or_is_refused_where_it_stands() {
    let n = std::sync::atomic::AtomicU64::new(0);
    runner(48)
        .run(&hostile_text(), |name| {
            let dir = temp_dataset("cell", n.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
            // The row as a CSV writer quotes it.
            let mut row = Vec::new();
            {
                let mut writer = csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(&mut row);
                let mut cells = vec![""; 16];
                cells[0] = "extra";
                cells[1] = "Programme";
                cells[2] = "外加";
                cells[3] = &name;
                writer.write_record(&cells).expect("a record");
            }
            let path = dir.join("entities.csv");
            let mut text = std::fs::read_to_string(&path).expect("entities");
            text.push_str(std::str::from_utf8(&row).expect("UTF-8"));
            std::fs::write(&path, text).expect("write");
            let read = Dataset::read(&Files::Dir(dir.clone()));
            let _ = std::fs::remove_dir_all(&dir);
            match innograph::dataset::forbidden_char(&name) {
                Some((at, _)) => match read {
                    Err(Error::Syntax { location, .. }) => {
                        prop_assert!(location.file.ends_with("entities.csv"));
                        let line = 9 + name[..at].matches('\n').count() as u64;
                        prop_assert_eq!(location.line, line, "{}", location);
                    }
                    other => prop_assert!(false, "not refused: {other:?}"),
                },
                None => {
                    let dataset = read.map_err(|e| TestCaseError::fail(e.to_string()))?;
                    let last = dataset.entities.rows.last().expect("the row");
                    prop_assert_eq!(&last.value.name_en, &name);
                    prop_assert_eq!(dataset.entities.at(last, "id").line, 9);
                }
            }
            Ok(())
        })
        .expect("the CSV reader");
}

#[test]
fn any_bytes_as_a_csv_file_give_rows_or_an_error_never_a_panic() {
    let n = std::sync::atomic::AtomicU64::new(0);
    runner(48)
        .run(&prop::collection::vec(any::<u8>(), 0..300), |bytes| {
            let dir = temp_dataset(
                "bytes",
                n.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            );
            let mut text =
                b"subject,predicate,object,source,section,quote,status,reason,note\n".to_vec();
            text.extend_from_slice(&bytes);
            std::fs::write(dir.join("relations.csv"), text).expect("write");
            let read = Dataset::read(&Files::Dir(dir.clone()));
            let _ = std::fs::remove_dir_all(&dir);
            if let Err(e) = read {
                prop_assert!(e.to_string().contains("relations.csv"), "{e}");
            }
            Ok(())
        })
        .expect("the CSV reader");
}

/// A number written with thousands grouped by commas.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn a_written_figure_reads_as_its_value() {
    let multipliers = prop::sample::select(vec![
        ("", 1.0),
        ("万", 1e4),
        ("亿", 1e8),
        ("万亿", 1e12),
        ("千万", 1e7),
    ]);
    runner(256)
        .run(
            &(
                0u64..1_000_000_000_000,
                multipliers,
                any::<bool>(),
                "[元家项个%]?",
            ),
            |(n, (word, factor), group, unit)| {
                let number = if group { grouped(n) } else { n.to_string() };
                let written = format!("超过{number}{word}{unit}");
                let value = validate::written_value(&written).expect("a value");
                let expected = n as f64 * factor;
                prop_assert!(
                    (value - expected).abs() <= expected * 1e-12,
                    "{written} read as {value}, not {expected}"
                );
                Ok(())
            },
        )
        .expect("the figure parser");
}

#[test]
fn any_figure_text_reads_as_a_finite_value_or_none() {
    let numeral = prop::collection::vec(
        prop::sample::select(
            "0123456789.,，万亿千百十零一二两三九 余"
                .chars()
                .collect::<Vec<_>>(),
        ),
        0..60,
    )
    .prop_map(|c| c.into_iter().collect::<String>());
    runner(256)
        .run(&prop_oneof![numeral, hostile_text()], |text| {
            if let Some(value) = validate::written_value(&text) {
                prop_assert!(value.is_finite(), "{text} read as {value}");
            }
            if let Ok(value) = validate::decimal_value(&text) {
                prop_assert!(value.is_finite(), "{text} read as {value}");
            }
            let _ = innograph::draft::figures::chinese_value(&text);
            Ok(())
        })
        .expect("the figure parser");
    runner(256)
        .run(&any::<i64>(), |n| {
            prop_assert_eq!(validate::decimal_value(&n.to_string()), Ok(n as f64));
            Ok(())
        })
        .expect("decimals");
}

struct Graph {
    source: StoreSource,
    view: View,
}

/// The bundled graph and its view, built once for every property.
static GRAPH: LazyLock<Graph> = LazyLock::new(|| {
    let source = StoreSource::load(&Files::Bundled).expect("the bundled data");
    let view = View::build(&source as &dyn GraphSource).expect("the view");
    Graph { source, view }
});

#[test]
fn every_entity_resolves_by_its_id_and_names_in_any_case() {
    let view = &GRAPH.view;
    let nodes: Vec<_> = view.graph.node_indices().collect();
    runner(128)
        .run(&(prop::sample::select(nodes), 0..4usize), |(node, how)| {
            let entity = view.node(node);
            let name = match how {
                0 => entity.id.clone(),
                1 => entity.name_zh.clone(),
                2 => entity.name_en.to_uppercase(),
                _ => entity.iri.clone(),
            };
            let found = resolve::resolve(view, &name);
            prop_assert_eq!(
                found,
                Ok(node),
                "`{}` does not resolve to {}",
                name,
                entity.id
            );
            Ok(())
        })
        .expect("name resolution");
}

#[test]
fn any_name_resolves_to_one_entity_or_says_why_not() {
    let view = &GRAPH.view;
    runner(128)
        .run(&hostile_text(), |name| {
            match resolve::resolve(view, &name) {
                Ok(node) => prop_assert!(view.graph.node_weight(node).is_some()),
                Err(e) => prop_assert!(!e.to_string().is_empty()),
            }
            Ok(())
        })
        .expect("name resolution");
}

#[test]
fn a_bound_literal_is_a_value_never_query_text() {
    let text = "SELECT ?university WHERE { ?x ?p ?university }";
    runner(256)
        .run(&hostile_text(), |value| {
            let param = format!("university=\"{value}\"");
            let (name, term) = innograph::query::parse_param(&param, &mut |_| {
                Err(Error::Usage("no entity".to_owned()))
            })
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&name, "university");
            prop_assert_eq!(&term, &Term::Literal(Literal::from(value.as_str())));
            let mut request = Request::new(text, "the property");
            request
                .bindings
                .push((Variable::new(&name).expect("a variable"), term.clone()));
            let query = source::parse(&request).map_err(|e| TestCaseError::fail(e.to_string()))?;
            // Written out and read back, the query is the same: the value
            // stayed one literal in VALUES, whatever it holds.
            let again = source::parse(&Request::new(query.to_string(), "again"))
                .map_err(|e| TestCaseError::fail(format!("{e}\n{query}")))?;
            prop_assert_eq!(query.to_string(), again.to_string());
            let rows = source::select(&GRAPH.source, &request, &["university"]);
            prop_assert!(rows.is_ok(), "{:?}", rows.err());
            Ok(())
        })
        .expect("parameter binding");
}

#[test]
fn a_number_bound_as_a_parameter_is_a_valid_number() {
    // Words Rust reads as numbers but xsd does not, among any text.
    let words = prop::sample::select(vec![
        "inf",
        "-inf",
        "NaN",
        "infinity",
        "+Infinity",
        "1e5",
        "1E-3",
        "+.5",
        "5.",
        "-0",
        "0x10",
    ])
    .prop_map(str::to_owned);
    runner(256)
        .run(&prop_oneof![words, hostile_text()], |value| {
            let param = format!("n={value}");
            if let Ok((_, Term::Literal(literal))) =
                innograph::query::parse_param(&param, &mut |_| {
                    Err(Error::Usage("no entity".to_owned()))
                })
            {
                let datatype = literal.datatype();
                if datatype == xsd::DECIMAL || datatype == xsd::INTEGER {
                    let valid = literal
                        .value()
                        .trim_start_matches(['+', '-'])
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == '.');
                    prop_assert!(valid, "`{value}` bound as {literal}");
                }
            }
            Ok(())
        })
        .expect("parameter binding");
}
