//! A synthetic innovation ecosystem for measuring innograph at scale.
//!
//! ```text
//! cargo run --release --example synth -- --entities 200000 --seed 1 --out /tmp/synth
//! ```
//!
//! Writes a dataset in innograph's CSV schema (`entities.csv`,
//! `relations.csv`, `figures.csv`, `sources.csv`, `ontology.ttl` and the
//! source texts under `texts/`) with the shape of a city's ecosystem: a few
//! universities and government bodies, many platforms and enterprises,
//! programmes and funds, degrees skewed towards a few hubs, and quotes of
//! realistic length that occur verbatim in their source texts. It then
//! checks the dataset as `innograph validate` would and writes the same
//! triples innograph makes of it as N-Triples (`triples.nt`), for loading
//! with other tools. Everything follows from `--seed`: the same arguments
//! give the same files.

use innograph::dataset::{
    ENTITY_COLUMNS, EVIDENCE_COLUMNS, FIGURE_COLUMNS, RELATION_COLUMNS, read_dir,
};
use innograph::{rdf, validate};
use oxigraph::io::{RdfFormat, RdfSerializer};
use std::collections::HashSet;
use std::error::Error;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// How many entities each source document covers.
const PER_SOURCE: usize = 16;

/// splitmix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// In `0..n`, skewed towards 0 so that a few items become hubs.
    fn skewed(&mut self, n: usize) -> usize {
        ((self.unit().powi(3) * n as f64) as usize).min(n - 1)
    }
}

/// Kinds with their share of the entities that are not source documents,
/// and the least number of them.
const KINDS: &[(&str, f64, usize)] = &[
    ("University", 0.0005, 3),
    ("Academy", 0.0001, 1),
    ("GovernmentBody", 0.001, 2),
    ("Zone", 0.002, 2),
    ("Field", 0.001, 20),
    ("ResearchInstitute", 0.01, 2),
    ("InnovationPlatform", 0.04, 2),
    ("FunctionalPlatform", 0.02, 1),
    ("EngineeringCentre", 0.03, 1),
    ("InnovationCentre", 0.01, 1),
    ("TechnologyTransferCentre", 0.01, 1),
    ("SciencePark", 0.005, 1),
    ("Base", 0.005, 1),
    ("Alliance", 0.005, 1),
    ("Programme", 0.04, 2),
    ("FundingScheme", 0.01, 1),
    ("Fund", 0.02, 1),
];

/// Platform kinds (subclasses of ig:Platform in the ontology).
const PLATFORMS: &[&str] = &[
    "ResearchInstitute",
    "InnovationPlatform",
    "FunctionalPlatform",
    "EngineeringCentre",
    "InnovationCentre",
    "TechnologyTransferCentre",
    "SciencePark",
    "Base",
    "Alliance",
];

const SYLLABLES: &str = "华创新智联科信达恒泰和中宏远安瑞博睿鼎盛通汇源天宇海星云明德正嘉兴隆德誉凯越骏腾航晨光辰卓思维能芯材医药生物电子信息数据绿色低碳先进制造";
const FIELDS: &[&str] = &[
    "人工智能",
    "集成电路",
    "生物医药",
    "新材料",
    "数字经济",
    "在线新经济",
    "智能制造",
    "绿色低碳",
    "量子信息",
    "区块链",
];
const PLACES: &[&str] = &[
    "上海", "杨浦", "浦东", "闵行", "徐汇", "嘉定", "临港", "张江",
];
/// The sections of a synthetic document, in the order its text has them:
/// each entity after the document's own title goes, two at a time, under
/// the next of them, with a heading line where the section changes, so that
/// every quote lies in the section its row names.
const ORDERED_SECTIONS: [(&str, &str); 8] = [
    ("一", "一、概况"),
    ("一（一）", "（一）平台"),
    ("一（二）", "（二）合作"),
    ("二", "二、主要做法"),
    ("二（一）", "（一）资金"),
    ("二（二）", "（二）服务"),
    ("三", "三、下一步工作"),
    ("三（一）", "（一）重点"),
];
const SECTIONS: &[&str] = &[
    "一",
    "二",
    "三",
    "一（一）",
    "二（二）",
    "三（一）",
    "三（二）",
    "四",
];
const FILLERS: &[&str] = &[
    "共同推进关键核心技术攻关和科技成果转移转化",
    "围绕产业链部署创新链，促进产学研深度融合",
    "进一步完善创新创业服务体系，优化营商环境",
    "聚焦重点产业领域，加快培育一批高新技术企业",
    "推动大型科研仪器设施开放共享，降低企业研发成本",
];

struct Entity {
    kind: &'static str,
    zh: String,
    en: String,
}

fn zh_name(kind: &str, i: usize, syllables: &[char], rng: &mut Rng) -> String {
    // The index written in syllables keeps every name unique.
    let mut n = i;
    let mut word = String::new();
    for _ in 0..3 {
        word.push(syllables[n % syllables.len()]);
        n /= syllables.len();
    }
    if n > 0 {
        word.push_str(&n.to_string());
    }
    let place = PLACES[rng.below(PLACES.len())];
    let field = FIELDS[rng.below(FIELDS.len())];
    match kind {
        "Enterprise" => format!("{place}{word}{field}科技有限公司"),
        "University" => format!("{place}{word}大学"),
        "Academy" => format!("{word}科学院"),
        "GovernmentBody" => format!("{place}{word}区科学技术委员会"),
        "Zone" => format!("{place}{word}科技园区"),
        "Field" => format!("{field}{word}方向"),
        "ResearchInstitute" => format!("{place}{word}{field}研究院"),
        "InnovationPlatform" => format!("{word}{field}创新平台"),
        "FunctionalPlatform" => format!("{word}{field}研发与转化功能型平台"),
        "EngineeringCentre" => format!("{word}{field}工程技术研究中心"),
        "InnovationCentre" => format!("{word}{field}制造业创新中心"),
        "TechnologyTransferCentre" => format!("{word}技术转移中心"),
        "SciencePark" => format!("{place}{word}科技园"),
        "Base" => format!("{word}{field}产业基地"),
        "Alliance" => format!("{word}{field}产业联盟"),
        "Programme" => format!("{word}{field}专项计划"),
        "FundingScheme" => format!("{word}科技创新资助计划"),
        "Fund" => format!("{place}{word}产业投资基金"),
        _ => format!("{place}{word}年度报告"),
    }
}

fn main() -> Result<()> {
    let mut entities_wanted = 200_000usize;
    let mut seed = 1u64;
    let mut out = PathBuf::from("synth");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--entities" => entities_wanted = value()?.parse()?,
            "--seed" => seed = value()?.parse()?,
            "--out" => out = value()?.into(),
            "-h" | "--help" => {
                writeln!(
                    std::io::stdout(),
                    "synth --entities N --seed S --out DIR: a synthetic ecosystem in innograph's CSV schema, plus triples.nt"
                )?;
                return Ok(());
            }
            other => return Err(format!("unknown argument {other}; see --help").into()),
        }
    }
    let n = entities_wanted.max(64);
    let started = Instant::now();
    fs::create_dir_all(out.join("texts"))?;
    let mut rng = Rng(seed);

    // Every PER_SOURCE-th entity is the source document of the ones after it.
    let documents = n.div_ceil(PER_SOURCE);
    let others = n - documents;
    let mut kinds: Vec<&'static str> = Vec::with_capacity(others);
    for (kind, share, least) in KINDS {
        let count = ((*share * others as f64) as usize).max(*least);
        kinds.extend(std::iter::repeat_n(*kind, count));
    }
    kinds.truncate(others);
    kinds.resize(others, "Enterprise");
    // Shuffle, so that each document covers a mix of kinds.
    for i in (1..kinds.len()).rev() {
        let j = rng.below(i + 1);
        kinds.swap(i, j);
    }
    let mut syllables: Vec<char> = Vec::new();
    for c in SYLLABLES.chars() {
        if !syllables.contains(&c) {
            syllables.push(c);
        }
    }
    let mut entities: Vec<Entity> = Vec::with_capacity(n);
    let mut next_kind = kinds.into_iter();
    for i in 0..n {
        let kind = if i % PER_SOURCE == 0 {
            "Letter"
        } else {
            next_kind.next().unwrap_or("Enterprise")
        };
        let zh = zh_name(kind, i, &syllables, &mut rng);
        let en = format!("{kind} {i}");
        entities.push(Entity { kind, zh, en });
    }
    let mut by_kind: std::collections::HashMap<&str, Vec<usize>> = Default::default();
    for (i, e) in entities.iter().enumerate() {
        by_kind.entry(e.kind).or_default().push(i);
    }
    let platforms: Vec<usize> = PLATFORMS
        .iter()
        .flat_map(|k| by_kind.get(k).cloned().unwrap_or_default())
        .collect();
    let pick = |rng: &mut Rng, kind: &str| -> usize {
        let list = &by_kind[kind];
        list[rng.skewed(list.len())]
    };

    let id = |i: usize| format!("e{i}");
    let mut ent = csv::Writer::from_path(out.join("entities.csv"))?;
    // The format's own column lists, as the loader reads them.
    let header = |columns: &[&'static str]| -> Vec<&'static str> {
        columns.iter().chain(&EVIDENCE_COLUMNS).copied().collect()
    };
    ent.write_record(header(&ENTITY_COLUMNS))?;
    let mut rel = csv::Writer::from_path(out.join("relations.csv"))?;
    rel.write_record(header(&RELATION_COLUMNS))?;
    let mut fig = csv::Writer::from_path(out.join("figures.csv"))?;
    fig.write_record(header(&FIGURE_COLUMNS))?;
    let mut src = csv::Writer::from_path(out.join("sources.csv"))?;
    src.write_record(["id", "file"])?;

    let mut seen: HashSet<(usize, &str, usize)> = HashSet::new();
    let mut text = String::new();
    let mut source = 0;
    let mut current_section = "文头";
    let (mut relation_rows, mut figure_rows) = (0usize, 0usize);
    for i in 0..n {
        if i % PER_SOURCE == 0 {
            if i > 0 {
                fs::write(out.join(format!("texts/{}.txt", id(source))), &text)?;
            }
            source = i;
            text.clear();
            current_section = "文头";
            src.write_record([id(i), format!("texts/{}.txt", id(i))])?;
        }
        let e = &entities[i];
        // Drawn to keep the random sequence (and so the data) of earlier
        // versions; the section is the entity's place in its document.
        let _ = rng.below(SECTIONS.len());
        let section = if i == source {
            "文头"
        } else {
            ORDERED_SECTIONS[((i - source - 1) / 2).min(ORDERED_SECTIONS.len() - 1)].0
        };
        if let Some((_, heading)) = ORDERED_SECTIONS
            .iter()
            .find(|(mark, _)| *mark == section && *mark != current_section)
        {
            text.push_str(heading);
            text.push('\n');
            current_section = section;
        }
        let filler = FILLERS[rng.below(FILLERS.len())];
        let quote = if e.kind == "Letter" {
            format!("关于{}科技创新情况的{}", PLACES[i % PLACES.len()], e.zh)
        } else {
            format!("{}，{filler}", e.zh)
        };
        text.push_str(&quote);
        text.push_str("。\n");
        let date = if e.kind == "Letter" { "2023-03-24" } else { "" };
        ent.write_record([
            id(i).as_str(),
            e.kind,
            &e.zh,
            &e.en,
            "",
            "",
            "",
            "",
            date,
            &id(source),
            section,
            &quote,
            "stated",
            "",
            "",
        ])?;

        // The relations this entity is the subject of.
        let mut links: Vec<(&'static str, usize)> = Vec::new();
        match e.kind {
            "Enterprise" => {
                links.push(("locatedIn", pick(&mut rng, "Zone")));
                links.push(("focusesOn", pick(&mut rng, "Field")));
                if rng.chance(0.5) {
                    links.push(("cooperatesWith", platforms[rng.skewed(platforms.len())]));
                }
                if rng.chance(0.25) {
                    links.push(("participatesIn", pick(&mut rng, "Programme")));
                }
            }
            k if PLATFORMS.contains(&k) => {
                links.push(("focusesOn", pick(&mut rng, "Field")));
                links.push(("locatedIn", pick(&mut rng, "Zone")));
                if rng.chance(0.4) {
                    let verb = if rng.chance(0.5) { "hosts" } else { "cobuilds" };
                    // Stored with the university as subject, below.
                    links.push((verb, usize::MAX - pick(&mut rng, "University")));
                }
                if k == "ResearchInstitute" && rng.chance(0.7) {
                    links.push(("affiliatedWith", pick(&mut rng, "University")));
                }
            }
            "Programme" | "FundingScheme" => {
                links.push(("implements", usize::MAX - pick(&mut rng, "GovernmentBody")));
                for _ in 0..3 {
                    links.push(("supports", platforms[rng.skewed(platforms.len())]));
                }
            }
            "Fund" => {
                links.push(("establishes", usize::MAX - pick(&mut rng, "GovernmentBody")));
                for _ in 0..4 {
                    links.push(("supports", pick(&mut rng, "Enterprise")));
                }
            }
            "Zone" => links.push(("partOf", pick(&mut rng, "Zone"))),
            "University" | "Academy" => {
                links.push(("cooperatesWith", pick(&mut rng, "University")));
            }
            _ => {}
        }
        for (predicate, other) in links {
            // usize::MAX - x marks the other entity as the subject.
            let (s, o) = if other > n {
                (usize::MAX - other, i)
            } else {
                (i, other)
            };
            if s == o || !seen.insert((s, predicate, o)) {
                continue;
            }
            let verb = match predicate {
                "locatedIn" => "位于",
                "focusesOn" => "聚焦",
                "cooperatesWith" => "与之合作的",
                "participatesIn" => "参与",
                "hosts" => "依托建设",
                "cobuilds" => "共建",
                "affiliatedWith" => "隶属于",
                "implements" => "组织实施",
                "supports" => "支持",
                "establishes" => "设立",
                _ => "属于",
            };
            let quote = format!("{}{verb}{}", entities[s].zh, entities[o].zh);
            text.push_str(&quote);
            // `；`, not the `，` of an entity's quote: a relation ending in an
            // entity's name must not repeat that entity's quote.
            text.push_str(&format!("；{}。\n", FILLERS[rng.below(FILLERS.len())]));
            let inferred = rng.chance(0.1);
            rel.write_record([
                id(s).as_str(),
                predicate,
                &id(o),
                &id(source),
                {
                    let _ = rng.below(SECTIONS.len());
                    section
                },
                &quote,
                if inferred { "inferred" } else { "stated" },
                if inferred {
                    "The document names both in one sentence about this programme."
                } else {
                    ""
                },
                "",
            ])?;
            relation_rows += 1;
        }

        // A figure for some enterprises, most funds and platforms.
        let p = match e.kind {
            "Enterprise" => 0.05,
            "Fund" | "FundingScheme" | "Programme" => 0.8,
            k if PLATFORMS.contains(&k) => 0.3,
            _ => 0.0,
        };
        if rng.chance(p) {
            let wan = 50 + rng.below(50_000);
            let written = format!("{wan}万元");
            let year = 2016 + rng.below(8);
            let quote = format!("{}{year}年获得研发投入{written}", e.zh);
            text.push_str(&quote);
            text.push_str("。\n");
            fig.write_record([
                format!("f{i}").as_str(),
                &id(i),
                "研发投入",
                "R&D funding",
                &(wan * 10_000).to_string(),
                "CNY",
                &written,
                "exact",
                "false",
                &year.to_string(),
                &id(source),
                {
                    let _ = rng.below(SECTIONS.len());
                    section
                },
                &quote,
                "stated",
                "",
                "",
            ])?;
            figure_rows += 1;
        }
    }
    fs::write(out.join(format!("texts/{}.txt", id(source))), &text)?;
    for mut w in [ent, rel, fig] {
        w.flush()?;
    }
    src.flush()?;
    let mut ontology = innograph::bundled::data_file("ontology.ttl")
        .ok_or("the bundled data has no ontology.ttl")?
        .to_owned();
    if !ontology.contains("ig:Enterprise a owl:Class") {
        ontology.push_str(
            "\n# Added by the synth example.\nig:Enterprise a owl:Class ;\n    rdfs:subClassOf org:FormalOrganization ;\n    rdfs:label \"企业\"@zh, \"enterprise\"@en ;\n    skos:definition \"A company (synthetic data).\"@en .\n",
        );
    }
    fs::write(out.join("ontology.ttl"), ontology)?;

    // Check the dataset and write its triples, as innograph makes them.
    let dataset = read_dir(&out)?;
    let problems = validate::check(&dataset)?;
    if let Some(first) = problems.first() {
        return Err(format!(
            "{} problems in the synthetic data; the first: {first}",
            problems.len()
        )
        .into());
    }
    let mut writer = RdfSerializer::from_format(RdfFormat::NTriples).for_writer(
        BufWriter::with_capacity(1 << 20, File::create(out.join("triples.nt"))?),
    );
    let mut triples = 0u64;
    for triple in rdf::stream(&dataset)? {
        writer.serialize_triple(triple.as_ref())?;
        triples += 1;
    }
    writer.finish()?.flush()?;
    writeln!(
        std::io::stdout(),
        "{}: {n} entities ({documents} source documents), {relation_rows} relations, {figure_rows} figures, {triples} triples in {:.1} s",
        out.display(),
        started.elapsed().as_secs_f64()
    )?;
    Ok(())
}
