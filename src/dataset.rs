//! The CSV loader: reads a dataset (a folder, or the copy embedded in the
//! binary) into typed rows, each remembering the file, line and column of
//! every field so that later checks can point at them.
//!
//! The files are `entities.csv`, `relations.csv`, `figures.csv`,
//! `sources.csv` and `ontology.ttl`, plus the source texts that
//! `sources.csv` names. Their columns are documented in `data/README.md`.

use crate::bundled;
use crate::error::{Error, Location};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where the files of a dataset come from.
#[derive(Debug, Clone)]
pub enum Files {
    /// The dataset embedded in the binary at build time.
    Bundled,
    /// A folder on disk.
    Dir(PathBuf),
}

impl Files {
    /// The path of `name` as shown in messages.
    pub fn display(&self, name: &str) -> String {
        match self {
            Files::Bundled => format!("data/{name}"),
            Files::Dir(dir) => dir.join(name).display().to_string(),
        }
    }

    /// Reads the file `name` (relative to the dataset) as UTF-8 text.
    pub fn read(&self, name: &str) -> Result<String, Error> {
        match self {
            Files::Bundled => bundled::data_file(name).map(str::to_owned).ok_or_else(|| Error::Io {
                path: self.display(name),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "not in the bundled data; bundled files live in data/ when innograph is built",
                ),
            }),
            Files::Dir(dir) => {
                let path = dir.join(name);
                let bytes = read_regular(&path).map_err(|source| Error::Io {
                    path: path.display().to_string(),
                    source,
                })?;
                String::from_utf8(bytes).map_err(|e| Error::Io {
                    path: path.display().to_string(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!(
                            "not UTF-8 (first bad byte at offset {}); save the file as UTF-8",
                            e.utf8_error().valid_up_to()
                        ),
                    ),
                })
            }
        }
    }
}

/// The most bytes a file of a dataset may hold (256 MiB): more is refused
/// rather than read into memory.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Reads a regular file of at most [`MAX_FILE_BYTES`]. A FIFO, a device
/// (`/dev/zero`) or a folder is refused before it is opened for reading, so
/// that it can neither block nor fill memory; a file that grows while it is
/// read is cut at the bound and refused.
pub fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder"
        } else {
            "a FIFO, a device or a socket"
        };
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("it is {what}, not a regular file: a dataset file must be a regular file"),
        ));
    }
    let too_big = || {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "it holds more than {} MiB, the most a dataset file may hold",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        )
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big());
    }
    let file = std::fs::File::open(path)?;
    // Checked again on the open file: the path may have been replaced.
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "it is not a regular file: a dataset file must be a regular file",
        ));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big());
    }
    Ok(bytes)
}

/// Where a source text named in `sources.csv` may be read from: a relative
/// path that stays inside the dataset folder once symlinks are resolved.
/// `Err` says why not.
fn inside(dir: &Path, name: &str) -> Result<(), String> {
    use std::path::Component;
    if name.is_empty() {
        return Err(
            "the file is empty: name the source's text file, relative to the dataset folder"
                .to_owned(),
        );
    }
    let relative = Path::new(name);
    for component in relative.components() {
        match component {
            Component::Normal(_) | Component::CurDir => {}
            Component::ParentDir => {
                return Err(format!(
                    "`{name}` goes up with `..`: a source text must lie inside the dataset folder"
                ));
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err(format!(
                    "`{name}` is an absolute path: name the source text relative to the dataset folder, inside it"
                ));
            }
        }
    }
    // Symlinks resolved: a link inside the folder may not lead out of it.
    if let (Ok(folder), Ok(file)) = (dir.canonicalize(), dir.join(relative).canonicalize())
        && !file.starts_with(&folder)
    {
        return Err(format!(
            "`{name}` leads out of the dataset folder (to {}) through a symbolic link: a source text must lie inside the dataset folder",
            file.display()
        ));
    }
    Ok(())
}

/// The first character of `text` a CSV cell may not hold: a control
/// character other than tab and line ends (a NUL breaks RDF/XML, an escape
/// sequence the terminal), or a bidirectional control (a mark, override or
/// isolate: [`crate::shown::is_bidi_control`]), which makes a name read
/// differently from what it is, or two names that look alike differ.
pub fn forbidden_char(text: &str) -> Option<(usize, char)> {
    text.char_indices().find(|&(_, c)| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || crate::shown::is_bidi_control(c)
    })
}

/// A row of `entities.csv`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct EntityRow {
    /// Slug, unique among entities.
    pub id: String,
    /// Local name of a class of the ontology.
    pub kind: String,
    /// Chinese name as the source writes it.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Other names, separated by `|`.
    pub aliases: String,
    /// Wikidata Q-id.
    pub wikidata: String,
    /// ROR URL.
    pub ror: String,
    /// A document number.
    pub identifier: String,
    /// A date the source gives for it: `YYYY-MM-DD` or a year `YYYY`.
    pub date: String,
    /// When it started, as the source says (`自 2016 年起`): `YYYY-MM-DD` or `YYYY`.
    pub start: String,
    /// Other names that the source does not use, kept only to help find the
    /// entity (English short forms, spelt-out names), separated by `|`.
    pub search_aliases: String,
    /// Evidence.
    #[serde(flatten)]
    pub evidence: Evidence,
}

/// A row of `relations.csv`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RelationRow {
    /// Entity id.
    pub subject: String,
    /// Local name of a property of the ontology.
    pub predicate: String,
    /// Entity id.
    pub object: String,
    /// When the stated act happened (a date or a year), or empty.
    pub date: String,
    /// When the relation started (a date or a year), or empty.
    pub start: String,
    /// `achieved`, `planned` or empty (achieved).
    pub modality: String,
    /// Evidence.
    #[serde(flatten)]
    pub evidence: Evidence,
}

/// A row of `figures.csv`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct FigureRow {
    /// Slug, unique among figures.
    pub id: String,
    /// Entity id the figure is about.
    pub subject: String,
    /// What is measured, in Chinese.
    pub indicator_zh: String,
    /// What is measured, in English.
    pub indicator_en: String,
    /// Plain decimal in base units.
    pub value: String,
    /// `CNY`, `count`, `percent`, `person-times` or `rank`.
    pub unit: String,
    /// The figure as the source writes it.
    pub as_written: String,
    /// `exact`, `more-than`, `at-least` or `about`.
    pub qualifier: String,
    /// `true`, `false` or `unknown` (empty is unknown).
    pub cumulative: String,
    /// `YYYY`, `YYYY/YYYY` or empty.
    pub period: String,
    /// Entity id of what the figure counts or measures, when that is not
    /// its subject (the enterprise group a district count is of), or empty.
    pub measures: String,
    /// `achieved`, `planned` (a target) or empty (achieved).
    pub modality: String,
    /// Evidence.
    #[serde(flatten)]
    pub evidence: Evidence,
}

/// A row of `sources.csv`: the text of a source document.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SourceRow {
    /// The entity id of the document.
    pub id: String,
    /// Its UTF-8 text file, relative to the dataset folder.
    pub file: String,
}

/// The evidence columns shared by entities, relations and figures.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Evidence {
    /// Source id; empty means the first source.
    pub source: String,
    /// Section of the source, e.g. `三（一）`.
    pub section: String,
    /// Verbatim quote.
    pub quote: String,
    /// `stated` or `inferred`.
    pub status: String,
    /// Why an inferred fact was inferred.
    pub reason: String,
    /// A curator's remark.
    pub note: String,
    /// Which occurrence of the quote in its source is meant (1-based), when
    /// the quote occurs more than once there and the section does not tell;
    /// empty otherwise. The column is optional.
    #[serde(deserialize_with = "number_or_text")]
    pub occurrence: String,
}

/// A cell that holds a number, as text. The evidence columns are read
/// through `#[serde(flatten)]`, where the CSV reader hands a numeric cell
/// over as a number, not as the text a `String` field expects.
fn number_or_text<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    struct Text;
    impl serde::de::Visitor<'_> for Text {
        type Value = String;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a number or text")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_owned())
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<String, E> {
            Ok(v.to_string())
        }
    }
    deserializer.deserialize_any(Text)
}

/// Columns every evidence-carrying file must have.
pub const EVIDENCE_COLUMNS: [&str; 6] = ["source", "section", "quote", "status", "reason", "note"];

/// The columns every `entities.csv` has before the evidence columns.
pub const ENTITY_COLUMNS: [&str; 9] = [
    "id",
    "kind",
    "name_zh",
    "name_en",
    "aliases",
    "wikidata",
    "ror",
    "identifier",
    "date",
];

/// The columns every `relations.csv` has before the evidence columns.
pub const RELATION_COLUMNS: [&str; 3] = ["subject", "predicate", "object"];

/// The columns every `figures.csv` has before the evidence columns.
pub const FIGURE_COLUMNS: [&str; 10] = [
    "id",
    "subject",
    "indicator_zh",
    "indicator_en",
    "value",
    "unit",
    "as_written",
    "qualifier",
    "cumulative",
    "period",
];

/// Columns an evidence-carrying file may have: a file without them reads as
/// if every cell of theirs were empty.
const OPTIONAL_EVIDENCE_COLUMNS: [&str; 1] = ["occurrence"];

/// A row together with the position of each of its fields.
#[derive(Debug, Clone)]
pub struct Row<T> {
    /// The parsed row.
    pub value: T,
    line: u64,
    fields: Vec<(u64, u64)>,
}

/// One CSV file: its display path, its header and its rows.
#[derive(Debug, Clone)]
pub struct Table<T> {
    /// The file as shown to the user.
    pub file: String,
    /// Column names, in file order.
    pub headers: Vec<String>,
    /// The rows, in file order.
    pub rows: Vec<Row<T>>,
}

impl<T> Table<T> {
    /// The location of `column` in `row` (the row's start when there is no such column).
    pub fn at(&self, row: &Row<T>, column: &str) -> Location {
        let (line, column) = self
            .headers
            .iter()
            .position(|h| h == column)
            .and_then(|i| row.fields.get(i).copied())
            .unwrap_or((row.line, 1));
        Location {
            file: self.file.clone(),
            line,
            column,
        }
    }
}

/// A whole dataset, as read from its files, not yet checked.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// `entities.csv`.
    pub entities: Table<EntityRow>,
    /// `relations.csv`.
    pub relations: Table<RelationRow>,
    /// `figures.csv`.
    pub figures: Table<FigureRow>,
    /// `sources.csv`.
    pub sources: Table<SourceRow>,
    /// The ontology's display path and Turtle text.
    pub ontology: (String, String),
    /// Source id → (display path, full text).
    pub texts: BTreeMap<String, (String, String)>,
}

impl Dataset {
    /// Reads every file of the dataset. Fails on the first file that cannot be
    /// read or parsed as CSV; the checks of [`crate::validate`] come after.
    pub fn read(files: &Files) -> Result<Dataset, Error> {
        let entities = read_table::<EntityRow>(
            files,
            "entities.csv",
            &ENTITY_COLUMNS,
            &["start", "search_aliases"],
        )?;
        let relations = read_table::<RelationRow>(
            files,
            "relations.csv",
            &RELATION_COLUMNS,
            &["date", "start", "modality"],
        )?;
        let figures = read_table::<FigureRow>(
            files,
            "figures.csv",
            &FIGURE_COLUMNS,
            &["measures", "modality"],
        )?;
        let sources = read_table::<SourceRow>(files, "sources.csv", &["id", "file"], &[])?;
        let mut turtle = files.read("ontology.ttl")?;
        // A byte order mark, as some editors write, is not Turtle: dropped.
        if let Some(rest) = turtle.strip_prefix('\u{feff}') {
            turtle = rest.to_owned();
        }
        let ontology = (files.display("ontology.ttl"), turtle);
        let mut texts = BTreeMap::new();
        for row in &sources.rows {
            if let Files::Dir(dir) = files
                && let Err(message) = inside(dir, &row.value.file)
            {
                return Err(Error::Syntax {
                    location: sources.at(row, "file"),
                    message,
                });
            }
            let text = files.read(&row.value.file).map_err(|e| match e {
                Error::Io { path, source } => Error::Io {
                    path: format!("{path} (named at {})", sources.at(row, "file")),
                    source,
                },
                other => other,
            })?;
            texts.insert(row.value.id.clone(), (files.display(&row.value.file), text));
        }
        Ok(Dataset {
            entities,
            relations,
            figures,
            sources,
            ontology,
            texts,
        })
    }

    /// The id of the source that rows with an empty `source` refer to.
    pub fn default_source(&self) -> Option<&str> {
        self.sources.rows.first().map(|r| r.value.id.as_str())
    }

    /// The source a row's evidence refers to.
    pub fn source_of<'a>(&'a self, evidence: &'a Evidence) -> Option<&'a str> {
        if evidence.source.is_empty() {
            self.default_source()
        } else {
            Some(&evidence.source)
        }
    }
}

/// Reads one CSV file whose header must hold every column of `columns` (and
/// the evidence columns) and may hold those of `optional`, which later
/// versions of the format added: a dataset written before them still reads.
fn read_table<T: DeserializeOwned>(
    files: &Files,
    name: &str,
    columns: &[&str],
    optional: &[&str],
) -> Result<Table<T>, Error> {
    let file = files.display(name);
    let text = files.read(name)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if let Some((at, c)) = forbidden_char(text) {
        let (line, column) = field_position(text, at, 0);
        return Err(Error::Syntax {
            location: Location { file, line, column },
            message: format!(
                "the character U+{:04X} ({}) may not stand in a cell: remove it",
                c as u32,
                if c.is_control() {
                    "a control character"
                } else {
                    "a bidirectional control character"
                }
            ),
        });
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let csv_error = |e: csv::Error| {
        let (line, column) = match e.position() {
            Some(p) => field_position(text, p.byte() as usize, 0),
            None => (1, 1),
        };
        Error::Syntax {
            location: Location {
                file: file.clone(),
                line,
                column,
            },
            message: csv_message(&e),
        }
    };
    let headers: Vec<String> = reader
        .headers()
        .map_err(csv_error)?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let evidence = EVIDENCE_COLUMNS.iter().filter(|_| name != "sources.csv");
    let expected: Vec<&str> = columns.iter().copied().chain(evidence.copied()).collect();
    let header_error = |message: String| Error::Syntax {
        location: Location {
            file: file.clone(),
            line: 1,
            column: 1,
        },
        message,
    };
    for column in &expected {
        if !headers.iter().any(|h| h == column) {
            return Err(header_error(format!(
                "the header lacks the column `{column}`; the columns are: {}",
                expected.join(",")
            )));
        }
    }
    let evidence_optional = OPTIONAL_EVIDENCE_COLUMNS
        .iter()
        .filter(|_| name != "sources.csv");
    let optional: Vec<&str> = optional.iter().chain(evidence_optional).copied().collect();
    for header in &headers {
        if !expected.contains(&header.as_str()) && !optional.contains(&header.as_str()) {
            return Err(header_error(format!(
                "unknown column `{header}`; the columns are: {}{}",
                expected.join(","),
                if optional.is_empty() {
                    String::new()
                } else {
                    format!(" (optional: {})", optional.join(","))
                }
            )));
        }
    }
    let header_record = csv::StringRecord::from(headers.clone());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let (start, start_line) = record
            .position()
            .map_or((0, 1), |p| (p.byte() as usize, p.line()));
        let fields = record_positions(text, start, start_line, record.len());
        let line = fields.first().map_or(1, |f| f.0);
        let value: T = record
            .deserialize(Some(&header_record))
            .map_err(|e| Error::Syntax {
                location: Location {
                    file: file.clone(),
                    line,
                    column: 1,
                },
                message: e.to_string(),
            })?;
        rows.push(Row {
            value,
            line,
            fields,
        });
    }
    Ok(Table {
        file,
        headers,
        rows,
    })
}

fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "this row has {len} fields but the header has {expected_len}; quote fields that contain commas"
        ),
        csv::ErrorKind::Utf8 { .. } => "not UTF-8; save the file as UTF-8".to_owned(),
        _ => e.to_string(),
    }
}

/// The 1-based line and character column where field `index` of the record
/// that starts at byte `start` begins, following RFC 4180 quoting.
fn field_position(text: &str, start: usize, index: usize) -> (u64, u64) {
    let mut offset = start.min(text.len());
    let mut field = 0;
    let mut in_quotes = false;
    if index > 0 {
        for (i, c) in text[offset..].char_indices() {
            match c {
                '"' => in_quotes = !in_quotes,
                ',' if !in_quotes => {
                    field += 1;
                    if field == index {
                        offset += i + 1;
                        break;
                    }
                }
                '\n' if !in_quotes => break,
                _ => {}
            }
        }
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() as u64 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() as u64 + 1;
    (line, column)
}

/// The 1-based line and character column of each of the `count` fields of
/// the record that starts at byte `start`, on line `line`, following RFC 4180
/// quoting. Scans the record once, so reading a file stays linear in its size.
fn record_positions(text: &str, start: usize, line: u64, count: usize) -> Vec<(u64, u64)> {
    let mut fields = Vec::with_capacity(count);
    let (mut line, mut column) = (line, 1);
    let mut in_quotes = false;
    fields.push((line, column));
    for c in text[start.min(text.len())..].chars() {
        if fields.len() == count {
            break;
        }
        column += 1;
        match c {
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => fields.push((line, column)),
            '\n' if !in_quotes => break,
            '\n' => {
                line += 1;
                column = 1;
            }
            _ => {}
        }
    }
    fields
}

/// Reads `path` as a dataset folder; a convenience for `Files::Dir`.
pub fn read_dir(path: &Path) -> Result<Dataset, Error> {
    Dataset::read(&Files::Dir(path.to_path_buf()))
}

#[cfg(test)]
mod tests {
    use super::{field_position, record_positions};

    #[test]
    fn field_positions_follow_quotes_and_lines() {
        let text = "a,b,c\n1,\"x, y\",3\n";
        assert_eq!(field_position(text, 6, 0), (2, 1));
        assert_eq!(field_position(text, 6, 1), (2, 3));
        assert_eq!(field_position(text, 6, 2), (2, 10));
        let cjk = "名,值\n复旦大学,2\n";
        assert_eq!(field_position(cjk, "名,值\n".len(), 1), (2, 6));
    }

    #[test]
    fn record_positions_agree_with_field_positions() {
        let text = "a,b,c\n1,\"x,\ny\",3\n复旦,\"\",z\n";
        for (start, line) in [(6, 2), (text.find("复旦").unwrap(), 4)] {
            let fields = record_positions(text, start, line, 3);
            let expected: Vec<_> = (0..3).map(|i| field_position(text, start, i)).collect();
            assert_eq!(fields, expected, "record at byte {start}");
        }
    }
}
