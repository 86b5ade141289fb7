//! The pieces of the SPARQL 1.1 Protocol that are not about the graph:
//! form decoding, content negotiation with `Accept` and quality values, and
//! a writer that stops at a size limit.

use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use oxigraph::sparql::results::QueryResultsFormat;
use std::io::{self, Write};

/// Decodes `application/x-www-form-urlencoded` text (a body or a URL's query
/// string) into its pairs, in order. `None` when a value is not UTF-8.
pub fn form(text: &str) -> Option<Vec<(String, String)>> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            Some((decode(name)?, decode(value)?))
        })
        .collect()
}

/// Percent-decodes one form component (`+` is a space).
fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len()
                && bytes[i + 1].is_ascii_hexdigit()
                && bytes[i + 2].is_ascii_hexdigit() =>
            {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// A result format the server can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// SPARQL results (SELECT and ASK).
    Results(QueryResultsFormat),
    /// An RDF graph (CONSTRUCT, DESCRIBE, the service description).
    Graph(RdfFormat),
}

impl Answer {
    /// The media type to send.
    pub fn media_type(self) -> &'static str {
        match self {
            Answer::Results(f) => f.media_type(),
            Answer::Graph(f) => f.media_type(),
        }
    }
}

/// The formats for SELECT and ASK, the default first, with the media types
/// that ask for each.
pub const RESULTS: [(&str, Answer); 7] = [
    (
        "application/sparql-results+json",
        Answer::Results(QueryResultsFormat::Json),
    ),
    (
        "application/json",
        Answer::Results(QueryResultsFormat::Json),
    ),
    (
        "application/sparql-results+xml",
        Answer::Results(QueryResultsFormat::Xml),
    ),
    ("application/xml", Answer::Results(QueryResultsFormat::Xml)),
    ("text/xml", Answer::Results(QueryResultsFormat::Xml)),
    ("text/csv", Answer::Results(QueryResultsFormat::Csv)),
    (
        "text/tab-separated-values",
        Answer::Results(QueryResultsFormat::Tsv),
    ),
];

/// The formats for graphs, the default first.
pub const GRAPHS: [(&str, Answer); 7] = [
    ("text/turtle", Answer::Graph(RdfFormat::Turtle)),
    ("application/x-turtle", Answer::Graph(RdfFormat::Turtle)),
    ("application/n-triples", Answer::Graph(RdfFormat::NTriples)),
    ("text/plain", Answer::Graph(RdfFormat::NTriples)),
    (
        "application/ld+json",
        Answer::Graph(RdfFormat::JsonLd {
            profile: JsonLdProfileSet::empty(),
        }),
    ),
    ("application/rdf+xml", Answer::Graph(RdfFormat::RdfXml)),
    ("application/n-quads", Answer::Graph(RdfFormat::NQuads)),
];

/// The format a `format=` parameter names (`json`, `xml`, `csv`, `tsv`,
/// `turtle`, `ntriples`, `jsonld`, `rdfxml`, `nquads`, or a media type),
/// among `offers`.
pub fn by_name(name: &str, offers: &[(&str, Answer)]) -> Option<Answer> {
    let media = match name.to_ascii_lowercase().as_str() {
        "json" | "srj" => "application/sparql-results+json",
        "xml" | "srx" => "application/sparql-results+xml",
        "csv" => "text/csv",
        "tsv" => "text/tab-separated-values",
        "turtle" | "ttl" => "text/turtle",
        "ntriples" | "nt" => "application/n-triples",
        "jsonld" | "json-ld" => "application/ld+json",
        "rdfxml" | "rdf" => "application/rdf+xml",
        "nquads" | "nq" => "application/n-quads",
        _ => {
            return offers
                .iter()
                .find(|(m, _)| m.eq_ignore_ascii_case(name))
                .map(|o| o.1);
        }
    };
    offers.iter().find(|(m, _)| *m == media).map(|o| o.1)
}

/// The best of `offers` for an `Accept` header: the highest quality value,
/// and among equals the more specific range, then the server's order. No
/// header, or an empty one, takes the first offer. `None`: nothing
/// acceptable (406).
pub fn negotiate<T: Copy>(accept: Option<&str>, offers: &[(&str, T)]) -> Option<T> {
    let accept = accept.map(str::trim).unwrap_or("");
    if accept.is_empty() {
        return offers.first().map(|o| o.1);
    }
    let ranges: Vec<(String, f32, u8)> = accept
        .split(',')
        .filter_map(|range| {
            let mut parts = range.split(';');
            let media = parts.next()?.trim().to_ascii_lowercase();
            if media.is_empty() {
                return None;
            }
            let quality = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let specificity = if media == "*/*" {
                0
            } else if media.ends_with("/*") {
                1
            } else {
                2
            };
            Some((media, quality, specificity))
        })
        .collect();
    let mut best: Option<(f32, usize, T)> = None;
    for (order, (media, answer)) in offers.iter().enumerate() {
        // The most specific range that matches decides this offer's quality.
        let matched = ranges
            .iter()
            .filter(|(range, _, _)| {
                range == media
                    || range == "*/*"
                    || range
                        .strip_suffix("/*")
                        .is_some_and(|kind| media.split('/').next() == Some(kind))
            })
            .max_by_key(|(_, _, specificity)| *specificity);
        let Some((_, quality, _)) = matched else {
            continue;
        };
        if *quality <= 0.0 {
            continue;
        }
        if best.is_none_or(|(q, o, _)| *quality > q || (*quality == q && order < o)) {
            best = Some((*quality, order, *answer));
        }
    }
    best.map(|(_, _, answer)| answer)
}

/// A writer into memory that fails once more than `limit` bytes are written.
pub struct Limited {
    /// What was written.
    pub bytes: Vec<u8>,
    limit: usize,
}

impl Limited {
    /// An empty buffer that holds at most `limit` bytes.
    pub fn new(limit: usize) -> Limited {
        Limited {
            bytes: Vec::new(),
            limit,
        }
    }
}

/// The message of the error [`Limited`] gives when full.
pub const TOO_LARGE: &str = "the answer is larger than this server's limit";

impl Write for Limited {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.bytes.len() + buf.len() > self.limit {
            return Err(io::Error::other(TOO_LARGE));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_decode_percent_and_plus() {
        assert_eq!(
            form("query=SELECT+%3Fs%20WHERE&x=%E5%90%8C&empty=").unwrap(),
            vec![
                ("query".to_owned(), "SELECT ?s WHERE".to_owned()),
                ("x".to_owned(), "同".to_owned()),
                ("empty".to_owned(), String::new()),
            ]
        );
        assert!(form("x=%FF").is_none(), "not UTF-8");
        assert_eq!(form("x=%4").unwrap()[0].1, "%4", "a lone % stays as it is");
    }

    #[test]
    fn negotiation_follows_quality_then_specificity() {
        let json = Answer::Results(QueryResultsFormat::Json);
        let csv = Answer::Results(QueryResultsFormat::Csv);
        let xml = Answer::Results(QueryResultsFormat::Xml);
        assert_eq!(negotiate(None, &RESULTS), Some(json));
        assert_eq!(negotiate(Some("*/*"), &RESULTS), Some(json));
        assert_eq!(negotiate(Some("text/csv"), &RESULTS), Some(csv));
        assert_eq!(
            negotiate(
                Some("text/csv;q=0.5, application/sparql-results+xml"),
                &RESULTS
            ),
            Some(xml)
        );
        assert_eq!(negotiate(Some("text/*, */*;q=0.1"), &RESULTS), Some(xml));
        assert_eq!(negotiate(Some("image/png"), &RESULTS), None);
        assert_eq!(negotiate(Some("text/csv;q=0"), &RESULTS), None);
        assert_eq!(
            negotiate(Some("application/n-triples"), &GRAPHS),
            Some(Answer::Graph(RdfFormat::NTriples))
        );
    }

    #[test]
    fn the_limited_writer_stops_at_its_limit() {
        let mut w = Limited::new(4);
        assert!(w.write_all(b"abcd").is_ok());
        assert!(w.write_all(b"e").is_err());
    }
}
