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
        format!("{id},{kind},{zh},{en},,,,,,{letter},一,{quote},stated,,,,")
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
            &format!(
                "alias-less,University,别名大学,Alias University,信里没有的别名,,,,,{letter},一,{quote},stated,,,,"
            ),
        ],
    );
    let relation = |s: &str, p: &str, o: &str, status: &str| {
        format!("{s},{p},{o},{letter},一,{quote},{status},,,,,")
    };
    let r = append(
        &dir,
        "relations.csv",
        &[
            &relation("nobody", "partnersWith", "fudan", "stated"),
            &relation("yangpu-government", "likes", "fudan", "stated"),
            &relation("yangpu-government", "partnersWith", "fudan", "stated"),
            &relation("yangpu-government", "partnersWith", "usst", "inferred"),
            &format!(
                "yangpu-government,cobuilds,usst,{letter},一,{quote},stated,,,2023-02-30,,maybe"
            ),
        ],
    );
    let f = append(
        &dir,
        "figures.csv",
        &[
            &format!(
                "contracts-typo,shanghai-technology-exchange,技术合同金额,technology contracts (typo),342,CNY,342 亿元,exact,true,,{letter},三（一）,技术合同金额 342 亿元,stated,,,,"
            ),
            &format!(
                "bad-section,yangpu,高校数量,universities,11,count,11 所,exact,false,,{letter},3(1),{quote},stated,,,,"
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
        format!("{d}/entities.csv:{}:", e[5]),
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
        format!("{d}/relations.csv:{}:", r[4]),
        format!("{d}/relations.csv:{}:", r[4]),
        format!("{d}/figures.csv:{}:", f[0]),
        format!("{d}/figures.csv:{}:", f[1]),
    ];
    let messages = [
        "is already used",
        "kind `Spaceship` is not declared",
        "has no name_en",
        "the quote does not occur in source",
        "is not well-formed",
        "the alias `信里没有的别名` does not occur in the source",
        "no entity has the id `nobody`",
        "predicate `likes` is not declared",
        "this relation already appears",
        "an inferred fact needs its reason",
        "`2023-02-30` is neither a date (YYYY-MM-DD) nor a year (YYYY)",
        "modality `maybe` is not one of achieved, planned",
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

/// The rows of the answer of `query -e TEXT --format csv`, header left out, sorted.
fn rows_of(query: &str) -> Vec<String> {
    // Exit status 1 is an answer with no rows, as grep's.
    let run = innograph(["query", "-e", query, "--format", "csv"]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let csv = run.stdout;
    let mut rows: Vec<String> = csv.lines().skip(1).map(str::to_owned).collect();
    rows.sort();
    rows
}

#[test]
fn a_query_for_a_coarse_relation_finds_the_finer_ones() {
    for coarse in ["supports", "focusesOn", "establishes"] {
        let direct = rows_of(&format!("SELECT ?s ?o WHERE {{ ?s ig:{coarse} ?o }}"));
        let stated = rows_of(&format!(
            "SELECT DISTINCT ?s ?o WHERE {{ ?st a ig:Statement ; ig:status ig:Stated ; rdf:subject ?s ; \
             rdf:predicate/rdfs:subPropertyOf* ig:{coarse} ; rdf:object ?o }}"
        ));
        let exact = rows_of(&format!(
            "SELECT DISTINCT ?s ?o WHERE {{ ?st a ig:Statement ; ig:status ig:Stated ; rdf:subject ?s ; \
             rdf:predicate ig:{coarse} ; rdf:object ?o }}"
        ));
        assert_eq!(
            direct, stated,
            "direct ig:{coarse} triples are every stated finer one"
        );
        assert!(
            exact.len() < stated.len(),
            "some {coarse} relation has a finer predicate"
        );
    }
}

#[test]
fn dates_are_typed_and_announcements_are_planned() {
    let types = rows_of(
        "SELECT DISTINCT (DATATYPE(?d) AS ?t) WHERE { ?x dcterms:date|schema:startDate|ig:period ?d }",
    );
    assert_eq!(
        types,
        [
            "http://www.w3.org/2001/XMLSchema#date",
            "http://www.w3.org/2001/XMLSchema#gYear"
        ],
        "every date is an xsd:date or an xsd:gYear, never a plain string"
    );
    // Part 六 is the letter's next steps: nothing the district does in it is
    // reported as done (a name stating what something belongs to may be).
    let achieved_next_steps = rows_of(
        "SELECT ?st WHERE { ?st a ig:Statement ; rdf:subject id:yangpu-government ; ig:section ?s ; \
         ig:modality ig:Achieved FILTER(STRSTARTS(?s, \"六\")) }",
    );
    let planned = rows_of("SELECT ?st WHERE { ?st a ig:Statement ; ig:modality ig:Planned }");
    assert!(!planned.is_empty());
    assert!(achieved_next_steps.is_empty(), "{achieved_next_steps:?}");
    // Every explored mechanism is planned, whatever its section.
    let explored_achieved = rows_of(
        "SELECT ?st WHERE { ?st rdf:predicate ig:explores ; ig:modality ?m FILTER(?m != ig:Planned) }",
    );
    assert!(explored_achieved.is_empty(), "{explored_achieved:?}");
}

#[test]
fn stats_names_exactly_the_entities_nothing_links() {
    let dir = root().join("data");
    let read = |file: &str| -> Vec<csv::StringRecord> {
        let mut reader = csv::Reader::from_path(dir.join(file)).unwrap();
        reader.records().map(Result::unwrap).collect()
    };
    let column = |file: &str, name: &str| -> usize {
        let mut reader = csv::Reader::from_path(dir.join(file)).unwrap();
        reader
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == name)
            .unwrap()
    };
    let mut linked = std::collections::BTreeSet::new();
    let (s, o) = (
        column("relations.csv", "subject"),
        column("relations.csv", "object"),
    );
    for row in read("relations.csv") {
        linked.insert(row[s].to_owned());
        linked.insert(row[o].to_owned());
    }
    let (about, measures) = (
        column("figures.csv", "subject"),
        column("figures.csv", "measures"),
    );
    for row in read("figures.csv") {
        linked.insert(row[about].to_owned());
        linked.insert(row[measures].to_owned());
    }
    let id = column("entities.csv", "id");
    let unlinked: Vec<String> = read("entities.csv")
        .iter()
        .map(|row| row[id].to_owned())
        .filter(|e| !linked.contains(e))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let stats = innograph(["stats"]).ok().stdout;
    let expected = if unlinked.is_empty() {
        "none".to_owned()
    } else {
        unlinked.join(", ")
    };
    assert!(
        stats.contains(&format!("Unlinked (no relation, no figure): {expected}\n")),
        "{stats}"
    );
}

#[test]
fn search_aliases_find_an_entity_but_are_not_shown_as_the_letters_words() {
    let shown = innograph(["show", "USST"]).ok().stdout;
    assert!(shown.starts_with("上海理工大学"), "{shown}");
    let aliases = shown
        .lines()
        .find(|l| l.trim_start().starts_with("aliases:"))
        .expect("an aliases line");
    assert!(
        !aliases.contains("USST") && !aliases.contains("上理工"),
        "{aliases}"
    );
    let json = innograph(["export", "--format", "json", "--focus", "usst"])
        .ok()
        .stdout;
    assert!(json.contains("\"search_aliases\""), "{json}");
}
