//! The derived index kept inside each generation of an on-disk store: the
//! view (schema, entities, relations with their evidence) and the name
//! index, laid out so that a command reads only the records it needs.
//!
//! ```text
//! magic (16 bytes) · header length (u64 LE) · header (postcard) · body
//! body: node offsets · node records · edge offsets · edge records ·
//!       names' text · name ends · owner ends · owners · suffixes ·
//!       suffixes' owners · node kinds · skeleton offsets · skeleton
//! ```
//!
//! Offsets are `u64` LE, one per record plus one past the last, relative to
//! the body; a record is postcard: an entity is its [`Node`] with the
//! positions of its outgoing and incoming edges, an edge is its two ends (by
//! node position) and its [`Edge`]. The name index's arrays are stored as
//! they are in memory ([`NameIndex`]) and searched in place by positioned
//! reads (`read_at`), with the same lookups ([`crate::index`]): small reads
//! go through a few pages of the file kept in memory ([`Pages`]), so that
//! the last steps of a binary search, which fall in a page an earlier step
//! read, cost no read of their own; a long run of owners is one read.
//!
//! The skeleton is the graph without its evidence, for a search that may
//! cross most of it (`path`): each entity's kind (`u32` LE, its place in
//! the header's kinds) and its relations in the order [`View::incident`]
//! gives them, each as the other end, the relation (`u32` LE each) and
//! whether it leaves the entity (one byte), found by offsets (`u32` LE, in
//! relations, one per entity plus one past the last).
//!
//! `load` writes the file into the new generation before `CURRENT` names it
//! (`store.rs`); the header names the generation, so an index from elsewhere
//! is refused, and so is one of another [`FORMAT`].

use crate::error::{Error, ResolveError};
use crate::index::{self, Array, Arrays, Match, NameIndex, normalise};
use crate::links;
use crate::ontology::Schema;
use crate::remote::Walk;
use crate::resolve::{self, Found};
use crate::view::{Edge, Node, Parts, View};
use petgraph::graph::NodeIndex;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The index's file name inside a generation's folder.
pub const FILE: &str = "innograph.index";

/// The version of the layout; an index of another version is not read.
/// Raised with any change to the layout or to the types it holds.
pub const FORMAT: u32 = 3;

const MAGIC: &[u8; 16] = b"innograph-index\n";

/// A stretch of the body: where it starts and how many bytes it holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Section {
    start: u64,
    len: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Header {
    format: u32,
    /// The generation the index was derived from (`gen-4`).
    generation: String,
    schema: Arc<Schema>,
    nodes: u32,
    edges: u32,
    /// The kinds entities have, sorted.
    kinds: Vec<String>,
    node_offsets: Section,
    node_records: Section,
    edge_offsets: Section,
    edge_records: Section,
    names_text: Section,
    /// Name ends, owner ends, owners, suffixes, suffixes' owners.
    names: [Section; 5],
    /// How many nodes the name index indexes.
    indexed: u32,
    /// Each entity's kind, its place in `kinds`.
    node_kinds: Section,
    /// Where each entity's relations start in `skeleton`.
    skeleton_offsets: Section,
    /// The relations of every entity, in [`View::incident`]'s order.
    skeleton: Section,
}

/// The bytes of one relation of an entity in the skeleton.
const LINK: usize = 9;

/// An entity's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entity {
    node: Node,
    /// Positions of the edges leaving it.
    outgoing: Vec<u32>,
    /// Positions of the edges reaching it.
    incoming: Vec<u32>,
}

/// An [`Entity`] as it is written: the same record, borrowed.
#[derive(Serialize)]
struct EntityRecord<'a> {
    node: &'a Node,
    outgoing: &'a [u32],
    incoming: &'a [u32],
}

/// Writes the index of `view` (with its name index, built here on a second
/// thread while the records are serialised) for `generation` to
/// `dir`/[`FILE`], synced to disk.
pub fn write(dir: &Path, generation: &str, view: &View) -> Result<(), Error> {
    let (header, body) = std::thread::scope(|scope| {
        let names = scope.spawn(|| NameIndex::build(view));
        laid_out(generation, view, || {
            names
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    });
    let path = dir.join(FILE);
    let io = |e: io::Error| Error::Io {
        path: path.display().to_string(),
        source: e,
    };
    let file = File::create(&path).map_err(io)?;
    let mut out = BufWriter::new(&file);
    out.write_all(MAGIC)
        .and_then(|()| out.write_all(&(header.len() as u64).to_le_bytes()))
        .and_then(|()| out.write_all(&header))
        .and_then(|()| out.write_all(&body))
        .and_then(|()| out.flush())
        .map_err(io)?;
    drop(out);
    file.sync_all().map_err(io)
}

/// The index of `view` for `generation`, with `names` as its name index,
/// as the bytes of a file: what [`Derived::in_memory`] opens.
pub fn encode(generation: &str, view: &View, names: NameIndex) -> Vec<u8> {
    let (header, body) = laid_out(generation, view, || names);
    let mut bytes = Vec::with_capacity(MAGIC.len() + 8 + header.len() + body.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&(header.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&header);
    bytes.extend_from_slice(&body);
    bytes
}

/// The header (postcard) and the body of the index of `view`.
fn laid_out(
    generation: &str,
    view: &View,
    names: impl FnOnce() -> NameIndex,
) -> (Vec<u8>, Vec<u8>) {
    let parts = view.parts();
    let mut outgoing = vec![Vec::new(); parts.nodes.len()];
    let mut incoming = vec![Vec::new(); parts.nodes.len()];
    for (position, (s, o, _)) in parts.edges.iter().enumerate() {
        outgoing[*s as usize].push(position as u32);
        incoming[*o as usize].push(position as u32);
    }
    let mut kinds: Vec<String> = parts.nodes.iter().map(|n| n.kind.clone()).collect();
    kinds.sort();
    kinds.dedup();
    let mut node_kinds = Vec::with_capacity(parts.nodes.len() * 4);
    for node in &parts.nodes {
        let kind = kinds.binary_search(&node.kind).expect("every kind listed") as u32;
        node_kinds.extend_from_slice(&kind.to_le_bytes());
    }
    // Each entity's relations as the view lists them: by other end, then
    // relation, a relation leaving it before the same one reaching it (a
    // relation of an entity to itself).
    let mut skeleton_offsets = Vec::with_capacity((parts.nodes.len() + 1) * 4);
    let mut skeleton = Vec::with_capacity(parts.edges.len() * 2 * LINK);
    let mut links: Vec<(u32, u32, bool)> = Vec::new();
    let mut count: u32 = 0;
    for (out, into) in outgoing.iter().zip(&incoming) {
        skeleton_offsets.extend_from_slice(&count.to_le_bytes());
        links.clear();
        links.extend(out.iter().map(|&e| (parts.edges[e as usize].1, e, true)));
        links.extend(into.iter().map(|&e| (parts.edges[e as usize].0, e, false)));
        links.sort_by_key(|&(other, edge, _)| (other, edge));
        for &(other, edge, forward) in &links {
            skeleton.extend_from_slice(&other.to_le_bytes());
            skeleton.extend_from_slice(&edge.to_le_bytes());
            skeleton.push(u8::from(forward));
        }
        count += links.len() as u32;
    }
    skeleton_offsets.extend_from_slice(&count.to_le_bytes());
    let mut body: Vec<u8> = Vec::new();
    // Each record serialised where it lies in the table, not into a
    // buffer of its own first.
    let mut records = |count: usize, record: &mut dyn FnMut(usize, Vec<u8>) -> Vec<u8>| {
        let mut offsets = Vec::with_capacity((count + 1) * 8);
        let mut blob = Vec::new();
        for i in 0..count {
            offsets.extend_from_slice(&(blob.len() as u64).to_le_bytes());
            blob = record(i, blob);
        }
        offsets.extend_from_slice(&(blob.len() as u64).to_le_bytes());
        [append(&mut body, &offsets), append(&mut body, &blob)]
    };
    let [node_offsets, node_records] = records(parts.nodes.len(), &mut |i, blob| {
        let entity = EntityRecord {
            node: &parts.nodes[i],
            outgoing: &outgoing[i],
            incoming: &incoming[i],
        };
        postcard::to_extend(&entity, blob).expect("an entity serialises to memory")
    });
    let [edge_offsets, edge_records] = records(parts.edges.len(), &mut |i, blob| {
        postcard::to_extend(&parts.edges[i], blob).expect("an edge serialises to memory")
    });
    let names = names();
    let (text, arrays, indexed) = names.raw();
    let names_text = append(&mut body, text);
    let names = arrays.map(|array| append(&mut body, array));
    let node_kinds = append(&mut body, &node_kinds);
    let skeleton_offsets = append(&mut body, &skeleton_offsets);
    let skeleton = append(&mut body, &skeleton);
    let header = Header {
        format: FORMAT,
        generation: generation.to_owned(),
        schema: parts.schema,
        nodes: parts.nodes.len() as u32,
        edges: parts.edges.len() as u32,
        kinds,
        node_offsets,
        node_records,
        edge_offsets,
        edge_records,
        names_text,
        names,
        indexed,
        node_kinds,
        skeleton_offsets,
        skeleton,
    };
    let header = postcard::to_allocvec(&header).expect("a header serialises to memory");
    (header, body)
}

fn append(body: &mut Vec<u8>, bytes: &[u8]) -> Section {
    let start = body.len() as u64;
    body.extend_from_slice(bytes);
    Section {
        start,
        len: bytes.len() as u64,
    }
}

/// Why a generation's index cannot be used: the caller rebuilds the view
/// from the store instead.
#[derive(Debug, thiserror::Error)]
pub enum Unusable {
    /// The generation has none (a store made by an older innograph).
    #[error("{0} has no derived index (a store made by an older innograph)")]
    Missing(String),
    /// It is of another format or generation, or damaged.
    #[error("{0}")]
    Stale(String),
}

/// A generation's index, open for positioned reads.
#[derive(Debug)]
pub struct Derived {
    bytes: Bytes,
    /// What it is, for messages: the file's path, or what holds it.
    name: String,
    /// Where the body starts.
    body: u64,
    /// The body's length.
    length: u64,
    header: Header,
}

/// Where an index's bytes are read from.
#[derive(Debug)]
enum Bytes {
    /// A file, read by positioned reads, with the pages that the name
    /// index's lookups read kept ([`Pages`]).
    File { file: File, pages: Pages },
    /// Memory: the bundled data's index, carried by the binary, or a
    /// cached dataset's.
    Memory(Cow<'static, [u8]>),
}

impl Bytes {
    fn len(&self) -> io::Result<u64> {
        match self {
            Bytes::File { file, .. } => Ok(file.metadata()?.len()),
            Bytes::Memory(bytes) => Ok(bytes.len() as u64),
        }
    }

    /// Fills `out` from `at`.
    fn read_exact_at(&self, out: &mut [u8], at: u64) -> io::Result<()> {
        match self {
            Bytes::File { file, .. } => file.read_exact_at(out, at),
            Bytes::Memory(bytes) => {
                let piece = usize::try_from(at)
                    .ok()
                    .and_then(|at| bytes.get(at..at.checked_add(out.len())?))
                    .ok_or(io::ErrorKind::UnexpectedEof)?;
                out.copy_from_slice(piece);
                Ok(())
            }
        }
    }
}

/// The size of a page of [`Pages`]: a binary search's last dozen steps over
/// an array of `u32`s fall in one.
const PAGE: u64 = 4096;

/// How far apart two records may lie and still be read in one read with
/// the records between them ([`Derived::records_at`]).
const GAP: u32 = 16;

/// How many pages [`Pages`] keeps (1 MiB) before it starts again.
const PAGES_KEPT: usize = 256;

/// Pages of a file, read whole the first time a small read falls in them
/// and kept, by their number.
#[derive(Default)]
struct Pages(Mutex<HashMap<u64, Box<[u8]>>>);

impl std::fmt::Debug for Pages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pages({} kept)", self.lock().len())
    }
}

impl Pages {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Box<[u8]>>> {
        // A page map is whole at every step, whatever a panic interrupted.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The `len` bytes of `file` (of `size` bytes) from `at`, from the
    /// pages they fall in.
    fn read(&self, file: &File, size: u64, at: u64, len: u64) -> io::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(len as usize);
        let mut pages = self.lock();
        let end = at + len;
        let mut position = at;
        while position < end {
            let number = position / PAGE;
            let page_start = number * PAGE;
            if !pages.contains_key(&number) {
                if pages.len() >= PAGES_KEPT {
                    pages.clear();
                }
                let mut page =
                    vec![0u8; size.min(page_start + PAGE).saturating_sub(page_start) as usize];
                file.read_exact_at(&mut page, page_start)?;
                pages.insert(number, page.into_boxed_slice());
            }
            let page = &pages[&number];
            let until = end.min(page_start + page.len() as u64);
            if until <= position {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            out.extend_from_slice(
                &page[(position - page_start) as usize..(until - page_start) as usize],
            );
            position = until;
        }
        Ok(out)
    }
}

impl Derived {
    /// Opens the index in the generation folder `dir`, which must name
    /// `generation` and be of this [`FORMAT`].
    pub fn open(dir: &Path, generation: &str) -> Result<Derived, Unusable> {
        let path = dir.join(FILE);
        let file = match File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(Unusable::Missing(dir.display().to_string()));
            }
            Err(e) => {
                return Err(Unusable::Stale(format!(
                    "cannot read {}: {e}",
                    path.display()
                )));
            }
        };
        let bytes = Bytes::File {
            file,
            pages: Pages::default(),
        };
        Derived::over(bytes, path.display().to_string(), generation)
            .map_err(|why| Unusable::Stale(format!("{}: {why}", path.display())))
    }

    /// Opens the index held in `bytes` (what [`encode`] made), which must
    /// name `generation` and be of this [`FORMAT`]; `name` says what holds
    /// it, in messages.
    pub fn in_memory(
        bytes: Cow<'static, [u8]>,
        name: &str,
        generation: &str,
    ) -> Result<Derived, Error> {
        Derived::over(Bytes::Memory(bytes), name.to_owned(), generation)
            .map_err(|why| Error::Store(format!("{name}: {why}")))
    }

    /// Checks the header of the index in `bytes` and opens it; else says why not.
    fn over(bytes: Bytes, name: String, generation: &str) -> Result<Derived, String> {
        let another =
            |format: u32| format!("an index of format {format}, this innograph reads {FORMAT}");
        let size = bytes.len().map_err(|e| e.to_string())?;
        let mut start = [0u8; 24];
        bytes
            .read_exact_at(&mut start, 0)
            .map_err(|_| "too short to be an index".to_owned())?;
        if &start[..16] != MAGIC {
            return Err("not an innograph index".to_owned());
        }
        let length = u64::from_le_bytes(start[16..24].try_into().expect("8 bytes"));
        if length > size - 24 {
            return Err("its header runs past its end".to_owned());
        }
        let mut header = vec![0u8; length as usize];
        bytes
            .read_exact_at(&mut header, 24)
            .map_err(|e| e.to_string())?;
        // The format comes first, so that an index of another one is named
        // as such even when the rest of its header reads otherwise.
        match postcard::take_from_bytes::<u32>(&header) {
            Ok((format, _)) if format != FORMAT => return Err(another(format)),
            Ok(_) => {}
            Err(_) => return Err("its header is damaged".to_owned()),
        }
        let Ok(header) = postcard::from_bytes::<Header>(&header) else {
            return Err("its header is damaged".to_owned());
        };
        if header.generation != generation {
            return Err(format!(
                "an index of {}, not of {generation}",
                header.generation
            ));
        }
        let derived = Derived {
            bytes,
            name,
            body: 24 + length,
            length: size - 24 - length,
            header,
        };
        let h = &derived.header;
        let sections = [
            (h.node_offsets, Some(h.nodes)),
            (h.node_records, None),
            (h.edge_offsets, Some(h.edges)),
            (h.edge_records, None),
            (h.names_text, None),
        ];
        let fits = |s: &Section| {
            s.start
                .checked_add(s.len)
                .is_some_and(|e| e <= derived.length)
        };
        if !sections
            .iter()
            .all(|(s, count)| fits(s) && count.is_none_or(|c| s.len == (u64::from(c) + 1) * 8))
            || !h.names.iter().all(|s| fits(s) && s.len % 4 == 0)
            || !fits(&h.node_kinds)
            || h.node_kinds.len != u64::from(h.nodes) * 4
            || !fits(&h.skeleton_offsets)
            || h.skeleton_offsets.len != (u64::from(h.nodes) + 1) * 4
            || !fits(&h.skeleton)
            || !h.skeleton.len.is_multiple_of(LINK as u64)
        {
            return Err("its sections do not fit in it".to_owned());
        }
        Ok(derived)
    }

    /// The generation it was derived from.
    pub fn generation(&self) -> &str {
        &self.header.generation
    }

    /// The schema.
    pub fn schema(&self) -> &Schema {
        &self.header.schema
    }

    fn damaged(&self, why: impl std::fmt::Display) -> Error {
        Error::Store(format!(
            "the derived index {} is damaged ({why}): load the store again to remake it",
            self.name
        ))
    }

    /// Where `len` bytes of the section from `start` in it lie in the file,
    /// checked to lie in the section.
    fn at(&self, section: Section, start: u64, len: u64) -> Result<u64, Error> {
        if start.checked_add(len).is_none_or(|end| end > section.len) {
            return Err(self.damaged(format!(
                "a read of {len} bytes at {start} of a section of {}",
                section.len
            )));
        }
        Ok(self.body + section.start + start)
    }

    fn io_error(&self, source: io::Error) -> Error {
        Error::Io {
            path: self.name.clone(),
            source,
        }
    }

    /// `len` bytes of the section from `start` in it.
    fn read(&self, section: Section, start: u64, len: u64) -> Result<Vec<u8>, Error> {
        let at = self.at(section, start, len)?;
        let mut bytes = vec![0u8; len as usize];
        self.bytes
            .read_exact_at(&mut bytes, at)
            .map_err(|e| self.io_error(e))?;
        Ok(bytes)
    }

    /// [`Derived::read`] through the kept pages when it is short: what the
    /// name index's lookups read by.
    fn read_paged(&self, section: Section, start: u64, len: u64) -> Result<Vec<u8>, Error> {
        let Bytes::File { file, pages } = &self.bytes else {
            return self.read(section, start, len);
        };
        if len > 2 * PAGE {
            return self.read(section, start, len);
        }
        let at = self.at(section, start, len)?;
        pages
            .read(file, self.body + self.length, at, len)
            .map_err(|e| self.io_error(e))
    }

    /// Offsets `first..=last` of an offset table, checked to ascend within `records`.
    fn offsets(
        &self,
        table: Section,
        records: Section,
        first: u32,
        last: u32,
    ) -> Result<Vec<u64>, Error> {
        let bytes = self.read(
            table,
            u64::from(first) * 8,
            (u64::from(last) - u64::from(first) + 1) * 8,
        )?;
        let offsets: Vec<u64> = bytes
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
            .collect();
        if offsets.windows(2).any(|w| w[0] > w[1])
            || offsets.last().is_some_and(|&o| o > records.len)
        {
            return Err(self.damaged("its offsets do not ascend"));
        }
        Ok(offsets)
    }

    /// Records `first..=last` of a table, decoded.
    fn records<T: for<'de> Deserialize<'de>>(
        &self,
        table: Section,
        records: Section,
        first: u32,
        last: u32,
    ) -> Result<Vec<T>, Error> {
        let offsets = self.offsets(table, records, first, last + 1)?;
        let start = offsets[0];
        let bytes = self.read(records, start, offsets[offsets.len() - 1] - start)?;
        offsets
            .windows(2)
            .map(|w| {
                postcard::from_bytes(&bytes[(w[0] - start) as usize..(w[1] - start) as usize])
                    .map_err(|e| self.damaged(e))
            })
            .collect()
    }

    /// The entities `first..=last`.
    fn entities(&self, first: u32, last: u32) -> Result<Vec<Entity>, Error> {
        self.entities_at(&(first..=last).collect::<Vec<u32>>())
    }

    fn entity(&self, position: u32) -> Result<Entity, Error> {
        Ok(self
            .entities(position, position)?
            .pop()
            .expect("one entity read"))
    }

    /// The records at `positions` (ascending, distinct) of a table,
    /// decoded: positions at most [`GAP`] apart are read together, by one
    /// read of their offsets and one of their records, so that a walk
    /// reaching thousands of entities makes hundreds of reads, not
    /// thousands.
    fn records_at<T: for<'de> Deserialize<'de>>(
        &self,
        table: Section,
        records: Section,
        positions: &[u32],
    ) -> Result<Vec<T>, Error> {
        let mut out: Vec<T> = Vec::with_capacity(positions.len());
        let mut i = 0;
        while i < positions.len() {
            let mut j = i;
            while j + 1 < positions.len() && positions[j + 1] - positions[j] <= GAP {
                j += 1;
            }
            let (first, last) = (positions[i], positions[j]);
            let offsets = self.offsets(table, records, first, last + 1)?;
            let start = offsets[0];
            let bytes = self.read(records, start, offsets[offsets.len() - 1] - start)?;
            for &p in &positions[i..=j] {
                let at = (p - first) as usize;
                let record =
                    &bytes[(offsets[at] - start) as usize..(offsets[at + 1] - start) as usize];
                out.push(postcard::from_bytes(record).map_err(|e| self.damaged(e))?);
            }
            i = j + 1;
        }
        Ok(out)
    }

    /// The entities at `positions` (ascending, distinct).
    fn entities_at(&self, positions: &[u32]) -> Result<Vec<Entity>, Error> {
        let (nodes, edges) = (self.header.nodes, self.header.edges);
        if let Some(&last) = positions.last()
            && last >= nodes
        {
            return Err(self.damaged(format!("entity {last} of {nodes}")));
        }
        let entities: Vec<Entity> = self.records_at(
            self.header.node_offsets,
            self.header.node_records,
            positions,
        )?;
        if entities
            .iter()
            .flat_map(|e| e.outgoing.iter().chain(&e.incoming))
            .any(|&p| p >= edges)
        {
            return Err(self.damaged(format!("an entity names an edge past {edges}")));
        }
        Ok(entities)
    }

    /// The edges at `positions` (ascending, distinct).
    fn edges(&self, positions: &[u32]) -> Result<Vec<(u32, u32, Edge)>, Error> {
        let (nodes, edges) = (self.header.nodes, self.header.edges);
        if let Some(&last) = positions.last()
            && last >= edges
        {
            return Err(self.damaged(format!("edge {last} of {edges}")));
        }
        let out: Vec<(u32, u32, Edge)> = self.records_at(
            self.header.edge_offsets,
            self.header.edge_records,
            positions,
        )?;
        if out.iter().any(|(s, o, _)| *s >= nodes || *o >= nodes) {
            return Err(self.damaged(format!("an edge names a node past {nodes}")));
        }
        Ok(out)
    }

    /// The whole view as plain data: what [`View::build`] gives of the
    /// store the index was derived from.
    pub fn parts(&self) -> Result<Parts, Error> {
        let (nodes, edges) = (self.header.nodes, self.header.edges);
        let nodes = if nodes == 0 {
            Vec::new()
        } else {
            self.entities(0, nodes - 1)?
                .into_iter()
                .map(|e| e.node)
                .collect()
        };
        let edges = if edges == 0 {
            Vec::new()
        } else {
            self.records(
                self.header.edge_offsets,
                self.header.edge_records,
                0,
                edges - 1,
            )?
        };
        Ok(Parts {
            nodes,
            edges,
            schema: self.header.schema.clone(),
        })
    }

    /// The name index, read whole into memory.
    pub fn name_index(&self) -> Result<NameIndex, Error> {
        let h = &self.header;
        let mut arrays = Vec::new();
        for section in h.names {
            arrays.push(self.read(section, 0, section.len)?);
        }
        let arrays: [Vec<u8>; 5] = arrays.try_into().expect("five arrays");
        let text = self.read(h.names_text, 0, h.names_text.len)?;
        let index = NameIndex::from_raw(text, arrays, h.indexed);
        index.check().map_err(|e| self.damaged(e))?;
        Ok(index)
    }

    /// The whole view, with its name index: what [`View::build`] gives of
    /// the graph the index was derived from.
    pub fn view(&self) -> Result<View, Error> {
        View::from_parts(self.parts()?, Some(self.name_index()?))
    }

    /// The nodes one of whose names matches `wanted` (normalised) the way
    /// `how` says, ascending, by binary searches in the file.
    pub fn find(&self, how: Match, wanted: &str) -> Result<Vec<NodeIndex>, Error> {
        index::find_in(self, how, wanted)
    }

    /// The position of the entity with this IRI.
    fn position_of(&self, iri: &str) -> Result<Option<u32>, Error> {
        for n in self.find(Match::Exact, &normalise(iri))? {
            let n = n.index() as u32;
            if self.entity(n)?.node.iri == iri {
                return Ok(Some(n));
            }
        }
        Ok(None)
    }

    /// The IRI of the entity (of `kind`, a local name, when given) that
    /// `query` names: the same steps, order and messages as
    /// [`resolve::resolve`] and [`resolve::resolve_among`] over the whole
    /// view, reading only the candidates' records; a name that matches
    /// nothing reads every entity, to suggest the nearest.
    pub fn resolve(&self, query: &str, kind: Option<&str>) -> Result<String, Error> {
        resolve::bounded(query)?;
        let schema = &self.header.schema;
        let is_a = |node_kind: &str, kind: &str| schema.kind_is_a(node_kind, kind);
        let kind = kind.filter(|kind| self.header.kinds.iter().any(|k| is_a(k, kind)));
        let wanted = normalise(query);
        let of_kind = |found: Vec<NodeIndex>| -> Result<Vec<NodeIndex>, Error> {
            let Some(kind) = kind else {
                return Ok(found);
            };
            let kinds = self.kinds_of(&found)?;
            Ok(found
                .into_iter()
                .zip(kinds)
                .filter(|(_, k)| is_a(k, kind))
                .map(|(n, _)| n)
                .collect())
        };
        let found = resolve::steps(
            query,
            |iri| {
                let at = self.position_of(iri)?.map(|n| NodeIndex::new(n as usize));
                Ok(of_kind(at.into_iter().collect())?.pop())
            },
            |how| of_kind(self.find(how, &wanted)?),
        )?;
        match found {
            Found::One(n) => Ok(self.entity(n.index() as u32)?.node.iri),
            Found::Many(many) => {
                let mut candidates = Vec::new();
                for n in many {
                    candidates.push(resolve::describe_node(&self.entity(n.index() as u32)?.node));
                }
                Err(ResolveError::Ambiguous {
                    query: query.to_owned(),
                    candidates,
                }
                .into())
            }
            Found::Nothing => {
                // Nothing matched: the whole view's resolution says why.
                let parts = self.parts()?;
                let view = View::from_parts(
                    Parts {
                        nodes: parts.nodes,
                        edges: Vec::new(),
                        schema: parts.schema,
                    },
                    None,
                )?;
                let n = match kind {
                    Some(kind) => resolve::resolve_among(&view, query, kind)?,
                    None => resolve::resolve(&view, query)?,
                };
                Ok(view.node(n).iri.clone())
            }
        }
    }

    /// The kinds of the entities `nodes`, from the kinds array: a read
    /// through the kept pages for each, or one read of the whole array
    /// when that is less.
    fn kinds_of(&self, nodes: &[NodeIndex]) -> Result<Vec<&str>, Error> {
        let section = self.header.node_kinds;
        let whole = if nodes.len() as u64 * PAGE > section.len {
            Some(self.read(section, 0, section.len)?)
        } else {
            None
        };
        nodes
            .iter()
            .map(|n| {
                let at = n.index() as u64 * 4;
                let bytes = match &whole {
                    Some(whole) => whole
                        .get(at as usize..at as usize + 4)
                        .map(<[u8]>::to_vec)
                        .ok_or_else(|| self.damaged(format!("no kind for entity {}", n.index())))?,
                    None => self.read_paged(section, at, 4)?,
                };
                let kind = u32::from_le_bytes(bytes.try_into().expect("4 bytes"));
                self.header
                    .kinds
                    .get(kind as usize)
                    .map(String::as_str)
                    .ok_or_else(|| self.damaged("an entity's kind is not listed"))
            })
            .collect()
    }

    /// The view of what a breadth-first traversal from `start` (an IRI)
    /// bounded by `walk` sees, and the node of `start` in it: every entity
    /// it reaches, with the relations of every entity it expands, read from
    /// their records. The rules are those of the endpoint's walk
    /// ([`Walk`]), so a question asked of it answers as on the whole view.
    /// A walk `until` another entity is the search for the shortest path to
    /// it, made in the skeleton: the view then holds that path alone.
    pub fn around(&self, start: &str, walk: &Walk) -> Result<(View, NodeIndex), Error> {
        let Some(first) = self.position_of(start)? else {
            return Err(Error::Usage(format!(
                "{start} is not in the view of the graph"
            )));
        };
        if let Some(until) = &walk.until {
            let Some(end) = self.position_of(until)? else {
                return Err(Error::Usage(format!(
                    "{until} is not in the view of the graph"
                )));
            };
            return self.chain_between(first, end, walk);
        }
        let mut nodes: BTreeMap<u32, Entity> = BTreeMap::from([(first, self.entity(first)?)]);
        let is_hub = |entity: &Entity| self.header.schema.is_hub(&entity.node.kind);
        let mut reached: HashSet<u32> = HashSet::from([first]);
        let mut expanded: HashSet<u32> = HashSet::new();
        let mut edges: BTreeMap<u32, (u32, u32, Edge)> = BTreeMap::new();
        let mut frontier = vec![first];
        let mut hop = 0;
        while hop < walk.depth && !frontier.is_empty() {
            let mut wanted: BTreeSet<u32> = BTreeSet::new();
            for n in frontier {
                let entity = &nodes[&n];
                if (hop == 0 || walk.through_hubs || !is_hub(entity)) && expanded.insert(n) {
                    wanted.extend(entity.outgoing.iter().chain(&entity.incoming));
                }
            }
            let wanted: Vec<u32> = wanted
                .into_iter()
                .filter(|p| !edges.contains_key(p))
                .collect();
            let mut ends: BTreeSet<u32> = BTreeSet::new();
            for (position, edge) in wanted.iter().zip(self.edges(&wanted)?) {
                ends.extend([edge.0, edge.1]);
                edges.insert(*position, edge);
            }
            let new: Vec<u32> = ends.into_iter().filter(|n| !reached.contains(n)).collect();
            let unread: Vec<u32> = new
                .iter()
                .copied()
                .filter(|n| !nodes.contains_key(n))
                .collect();
            nodes.extend(unread.iter().copied().zip(self.entities_at(&unread)?));
            reached.extend(new.iter().copied());
            if reached.len() > walk.cap {
                return Err(Error::Usage(format!(
                    "more than {} entities lie within {} links of {start}; innograph stops there rather than read a large part of the graph: ask for fewer links{}",
                    walk.cap,
                    hop + 1,
                    if walk.through_hubs {
                        " or avoid hubs (--avoid-hubs)"
                    } else {
                        ""
                    }
                )));
            }
            frontier = new;
            hop += 1;
        }
        self.part(nodes, edges, first)
    }

    /// The view of the shortest chain from `first` to `end` that
    /// [`links::path`] finds in the whole view, found in the skeleton: the
    /// chain's entities and relations alone (the two ends alone when none
    /// links them within `walk`'s depth), and the node of `first` in it.
    fn chain_between(&self, first: u32, end: u32, walk: &Walk) -> Result<(View, NodeIndex), Error> {
        let skeleton = self.skeleton()?;
        let hops = links::chain(&skeleton, first, end, walk.through_hubs)
            .filter(|hops| hops.len() <= walk.depth)
            .unwrap_or_default();
        let nodes: BTreeSet<u32> = hops
            .iter()
            .flat_map(|h| [h.from, h.to])
            .chain([first, end])
            .collect();
        let edges: BTreeSet<u32> = hops.iter().map(|h| h.edge).collect();
        let nodes: Vec<u32> = nodes.into_iter().collect();
        let edges: Vec<u32> = edges.into_iter().collect();
        let nodes = nodes
            .iter()
            .copied()
            .zip(self.entities_at(&nodes)?)
            .collect();
        let edges = edges.iter().copied().zip(self.edges(&edges)?).collect();
        self.part(nodes, edges, first)
    }

    /// The view of the entities `nodes` and the relations `edges` (by their
    /// positions), and the node of `first` in it.
    fn part(
        &self,
        nodes: BTreeMap<u32, Entity>,
        edges: BTreeMap<u32, (u32, u32, Edge)>,
        first: u32,
    ) -> Result<(View, NodeIndex), Error> {
        // Nodes and edges keep the whole view's order, so the part is
        // ordered as View::build orders it.
        let place: BTreeMap<u32, u32> = nodes
            .keys()
            .enumerate()
            .map(|(i, &n)| (n, i as u32))
            .collect();
        let start_node = NodeIndex::new(place[&first] as usize);
        let parts = Parts {
            nodes: nodes.into_values().map(|e| e.node).collect(),
            edges: edges
                .into_values()
                .map(|(s, o, edge)| (place[&s], place[&o], edge))
                .collect(),
            schema: self.header.schema.clone(),
        };
        Ok((View::from_parts(parts, None)?, start_node))
    }

    /// The skeleton: every entity's relations and whether it is a hub,
    /// read whole and checked.
    fn skeleton(&self) -> Result<Skeleton, Error> {
        let h = &self.header;
        let numbers = |bytes: Vec<u8>| -> Vec<u32> {
            bytes
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes")))
                .collect()
        };
        let hub: Vec<bool> = h.kinds.iter().map(|kind| h.schema.is_hub(kind)).collect();
        let hub = numbers(self.read(h.node_kinds, 0, h.node_kinds.len)?)
            .into_iter()
            .map(|kind| hub.get(kind as usize).copied())
            .collect::<Option<Vec<bool>>>()
            .ok_or_else(|| self.damaged("an entity's kind is not listed"))?;
        let offsets = numbers(self.read(h.skeleton_offsets, 0, h.skeleton_offsets.len)?);
        let links = self.read(h.skeleton, 0, h.skeleton.len)?;
        if offsets.first() != Some(&0)
            || offsets.windows(2).any(|w| w[0] > w[1])
            || offsets.last().map(|&l| l as usize * LINK) != Some(links.len())
        {
            return Err(self.damaged("its skeleton's offsets do not ascend"));
        }
        if links.chunks_exact(LINK).any(|link| {
            let (edge, other, _) = Skeleton::link(link);
            other >= h.nodes || edge >= h.edges || link[8] > 1
        }) {
            return Err(self.damaged("its skeleton names a node or an edge past the last"));
        }
        Ok(Skeleton {
            offsets,
            links,
            hub,
        })
    }
}

/// The graph without its evidence, as the index holds it: what the search
/// for a shortest path crosses.
struct Skeleton {
    /// Where each entity's relations start in `links`, in relations.
    offsets: Vec<u32>,
    links: Vec<u8>,
    /// Whether each entity is of a hub kind.
    hub: Vec<bool>,
}

impl Skeleton {
    /// A relation of the skeleton's [`LINK`] bytes: (relation, other end,
    /// whether it leaves the entity).
    fn link(bytes: &[u8]) -> (u32, u32, bool) {
        let other = u32::from_le_bytes(bytes[0..4].try_into().expect("4 bytes"));
        let edge = u32::from_le_bytes(bytes[4..8].try_into().expect("4 bytes"));
        (edge, other, bytes[8] == 1)
    }
}

impl links::Adjacency for Skeleton {
    type Node = u32;
    type Edge = u32;

    fn incident(&self, node: u32) -> Vec<(u32, u32, bool)> {
        let (start, end) = (
            self.offsets[node as usize] as usize,
            self.offsets[node as usize + 1] as usize,
        );
        self.links[start * LINK..end * LINK]
            .chunks_exact(LINK)
            .map(Skeleton::link)
            .collect()
    }

    fn is_hub(&self, node: u32) -> bool {
        self.hub[node as usize]
    }
}

impl Arrays for Derived {
    type Error = Error;

    fn count(&self, array: Array) -> usize {
        (self.header.names[array as usize].len / 4) as usize
    }

    fn text_len(&self) -> usize {
        self.header.names_text.len as usize
    }

    fn nodes(&self) -> usize {
        self.header.indexed as usize
    }

    fn get(&self, array: Array, i: usize) -> Result<usize, Error> {
        let bytes = self.read_paged(self.header.names[array as usize], i as u64 * 4, 4)?;
        Ok(u32::from_le_bytes(bytes.try_into().expect("4 bytes")) as usize)
    }

    fn numbers(&self, array: Array, start: usize, end: usize) -> Result<Cow<'_, [u8]>, Error> {
        if start > end {
            return Err(self.damaged(format!("numbers from {start} to {end}")));
        }
        let section = self.header.names[array as usize];
        self.read_paged(section, start as u64 * 4, (end - start) as u64 * 4)
            .map(Cow::Owned)
    }

    fn text(&self, start: usize, end: usize) -> Result<Cow<'_, [u8]>, Error> {
        if start > end {
            return Err(self.damaged(format!("a name from {start} to {end}")));
        }
        self.read_paged(self.header.names_text, start as u64, (end - start) as u64)
            .map(Cow::Owned)
    }
}
