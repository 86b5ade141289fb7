//! The bundled data passes every check, and a tampered copy of it shows each
//! kind of problem once, at the right file, line and column.

use crate::common;

use common::{copy_dataset, innograph, root};
use std::fs;
use std::path::Path;

fn append(dir: &Path, file: &str, rows: &[&str]) -> Vec<u64> {
    let path = dir.join(file);
    let mut text = fs::read_to_string(&path).unwrap();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    let first = text.lines().count() as u64 + 1;
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    fs::write(path, text).unwrap();
    (first..first + rows.len() as u64).collect()
}

#[test]
fn the_bundled_data_is_valid() {
    let run = innograph(["validate", "--data", "data"]).ok();
    assert!(run.stdout.starts_with("ok:"), "{}", run.stdout);
    let bundled = innograph(["validate"]).ok();
    assert_eq!(
        run.stdout, bundled.stdout,
        "the binary embeds data/ as it is"
    );
}

#[test]
fn a_tampered_copy_shows_each_problem_once() {
    let dir = copy_dataset(&root().join("data"), "tampered");
    let letter = "yangpu-reply-2023-6";
    let quote = "与复旦、同济等 11 所高校开展战略合作";
    let entity = |id: &str, kind: &str, zh: &str, en: &str, quote: &str| {
        format!("{id},{kind},{zh},{en},,,,,,{letter},一,{quote},stated,,")
    };
    let e = append(
        &dir,
        "entities.csv",
        &[
            &entity("fudan", "University", "复旦二号", "Fudan Two", quote),
            &entity("spaceship", "Spaceship", "飞船", "Spaceship", quote),
            &entity("nameless", "University", "无英文名大学", "", quote),
            &entity(
                "misquoted",
                "University",
                "错引大学",
                "Misquoted University",
                "这句话不在信里",
            ),
            &entity(
                "Bad_Id",
                "University",
                "坏标识大学",
                "Bad Id University",
                quote,
            ),
        ],
    );
    let relation = |s: &str, p: &str, o: &str, status: &str| {
        format!("{s},{p},{o},{letter},一,{quote},{status},,")
    };
    let r = append(
        &dir,
        "relations.csv",
        &[
            &relation("nobody", "partnersWith", "fudan", "stated"),
            &relation("yangpu-government", "likes", "fudan", "stated"),
            &relation("yangpu-government", "partnersWith", "fudan", "stated"),
            &relation("yangpu-government", "partnersWith", "usst", "inferred"),
        ],
    );
    let f = append(
        &dir,
        "figures.csv",
        &[
            &format!(
                "contracts-typo,shanghai-technology-exchange,技术合同金额,technology contracts (typo),342,CNY,342 亿元,exact,true,,{letter},三（一）,技术合同金额 342 亿元,stated,,"
            ),
            &format!(
                "bad-section,yangpu,高校数量,universities,11,count,11 所,exact,false,,{letter},3(1),{quote},stated,,"
            ),
        ],
    );
    let run = innograph(["validate", "--data", dir.to_str().unwrap()]).failed();
    let d = dir.display();
    let expected = [
        format!(
            "{d}/entities.csv:{}:1: id `fudan` is already used on line",
            e[0]
        ),
        format!(
            "{d}/entities.csv:{}:11: kind `Spaceship` is not declared in the ontology",
            e[1]
        ),
        format!(
            "{d}/entities.csv:{}:28: entity `nameless` has no name_en",
            e[2]
        ),
        format!("{d}/entities.csv:{}:", e[3]),
        format!(
            "{d}/entities.csv:{}:1: id `Bad_Id` is not well-formed",
            e[4]
        ),
        format!(
            "{d}/relations.csv:{}:1: no entity has the id `nobody`",
            r[0]
        ),
        format!("{d}/relations.csv:{}:", r[1]),
        format!(
            "{d}/relations.csv:{}:1: this relation already appears on line",
            r[2]
        ),
        format!("{d}/relations.csv:{}:", r[3]),
        format!("{d}/figures.csv:{}:", f[0]),
        format!("{d}/figures.csv:{}:", f[1]),
    ];
    let messages = [
        "is already used",
        "kind `Spaceship` is not declared",
        "has no name_en",
        "the quote does not occur in source",
        "is not well-formed",
        "no entity has the id `nobody`",
        "predicate `likes` is not declared",
        "this relation already appears",
        "an inferred fact needs its reason",
        "does not match `342 亿元`",
        "section `3(1)` is not a section mark",
    ];
    let lines: Vec<&str> = run.stderr.lines().collect();
    for (place, message) in expected.iter().zip(messages) {
        let hits: Vec<&&str> = lines.iter().filter(|l| l.contains(message)).collect();
        assert_eq!(hits.len(), 1, "`{message}` once, in:\n{}", run.stderr);
        assert!(
            hits[0].starts_with(place.as_str()),
            "{} should start with {place}",
            hits[0]
        );
    }
    assert!(
        run.stderr
            .contains(&format!("{} problems in", messages.len())),
        "no other problem is reported:\n{}",
        run.stderr
    );
    // Every command refuses the tampered data with the same list.
    let refused = innograph(["--data", dir.to_str().unwrap(), "platforms", "同济"]).failed();
    assert!(
        refused.stderr.contains("nothing was loaded"),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.contains("predicate `likes` is not declared"));
    assert!(refused.stdout.is_empty());
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn every_university_has_verified_identifiers_only() {
    let csv = innograph(["query", "external-identifiers", "--format", "csv"])
        .ok()
        .stdout;
    // The identifiers verified in two independent public sources.
    for id in [
        "https://ror.org/013q1eq08",
        "https://ror.org/03rc6as71",
        "https://ror.org/00ay9v204",
        "http://www.wikidata.org/entity/Q495015",
        "http://www.wikidata.org/entity/Q16947",
        "http://www.wikidata.org/entity/Q864879",
        "http://www.wikidata.org/entity/Q8686",
    ] {
        assert!(csv.contains(id), "{id} missing");
    }
    assert_eq!(
        csv.lines().count(),
        8,
        "no identifier beyond the verified ones:\n{csv}"
    );
}

#[test]
fn no_contact_details_are_in_the_data() {
    let letter = fs::read_to_string(root().join("data").join("yangpu-reply-2023-6.txt")).unwrap();
    for field in ["联系人：", "联系电话："] {
        let line = letter
            .lines()
            .find(|l| l.starts_with(field))
            .expect("the letter's contact block");
        assert_eq!(
            line,
            format!("{field}〔略〕"),
            "the contact person and phone are withheld"
        );
    }
    let mut run = 0;
    for c in letter.chars() {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        assert!(run < 8, "the letter copy holds a phone-like number");
    }
}
