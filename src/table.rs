//! Aligned text tables for the terminal, counting Chinese characters as two
//! columns wide so that mixed Chinese and English text lines up.

use std::io::{self, Write};

/// The number of terminal columns `text` takes: East Asian wide and
/// full-width characters take two, combining marks none, others one.
pub fn width(text: &str) -> usize {
    text.chars().map(char_width).sum()
}

fn char_width(c: char) -> usize {
    let c = c as u32;
    match c {
        0x0300..=0x036F | 0x200B..=0x200F | 0xFE00..=0xFE0F => 0,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// A table: a header and rows of cells, written with columns aligned.
#[derive(Debug, Clone, Default)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column names.
    pub fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Table {
        Table {
            header: header.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; line breaks in cells are shown as spaces, and other
    /// control characters and bidirectional controls escaped
    /// ([`crate::shown::escaped`]): a cell from an endpoint's answer cannot
    /// reach the terminal raw.
    pub fn push<S: Into<String>>(&mut self, row: impl IntoIterator<Item = S>) {
        self.rows.push(
            row.into_iter()
                .map(|c| {
                    let cell = c.into().replace(['\n', '\r', '\t'], " ");
                    crate::shown::escaped(&cell).into_owned()
                })
                .collect(),
        );
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Writes the table: header, a rule, then the rows; the last column is not padded.
    pub fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        self.write_within(out, None)
    }

    /// Writes the table within `limit` columns when given (a terminal's
    /// width): the widest columns give up room first, and cells too wide for
    /// their column are cut, with `…`.
    pub fn write_within(&self, out: &mut dyn Write, limit: Option<usize>) -> io::Result<()> {
        let columns = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| width(h)).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(columns) {
                widths[i] = widths[i].max(width(cell));
            }
        }
        // Too wide for the limit: take a column from the widest column, one
        // at a time, down to a few characters each; ids stay whole, since
        // they are what a reader copies into the next command.
        if let Some(limit) = limit {
            let gaps = 2 * columns.saturating_sub(1);
            while widths.iter().sum::<usize>() + gaps > limit {
                let Some((widest, &most)) = widths
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| self.header[*i] != "id")
                    .max_by_key(|(i, w)| (**w, *i))
                else {
                    break;
                };
                if most <= 8 {
                    break;
                }
                widths[widest] -= 1;
            }
        }
        let fit = |cell: &str, room: usize| -> String {
            if width(cell) <= room {
                return cell.to_owned();
            }
            let mut cut = String::new();
            for c in cell.chars() {
                if width(&cut) + char_width(c) + 1 > room {
                    break;
                }
                cut.push(c);
            }
            cut.push('…');
            cut
        };
        let line = |out: &mut dyn Write, cells: &[String]| -> io::Result<()> {
            let mut text = String::new();
            for (i, cell) in cells.iter().enumerate().take(columns) {
                let cell = fit(cell, widths[i]);
                text.push_str(&cell);
                if i + 1 < columns {
                    text.push_str(&" ".repeat(widths[i] - width(&cell) + 2));
                }
            }
            writeln!(out, "{}", text.trim_end())
        };
        line(out, &self.header)?;
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        line(out, &rule)?;
        for row in &self.rows {
            line(out, row)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_count_twice() {
        assert_eq!(width("复旦大学"), 8);
        assert_eq!(width("Fudan"), 5);
        assert_eq!(width("上海理工（USST）"), 16);
    }

    #[test]
    fn tables_fit_a_width_but_ids_stay_whole() {
        let mut table = Table::new(["id", "quote"]);
        table.push(["a", "甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己"]);
        let mut out = Vec::new();
        table.write_within(&mut out, Some(20)).unwrap();
        let text = String::from_utf8(out).unwrap();
        for line in text.lines() {
            assert!(width(line) <= 20, "{line}");
        }
        assert!(text.contains('…'), "{text}");
        let mut ids = Table::new(["id", "name"]);
        ids.push(["a-rather-long-identifier", "甲乙丙丁戊己庚辛壬癸"]);
        let mut out = Vec::new();
        ids.write_within(&mut out, Some(30)).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("a-rather-long-identifier  甲"), "{text}");
        let mut wide = Vec::new();
        table.write_within(&mut wide, Some(200)).unwrap();
        let mut plain = Vec::new();
        table.write(&mut plain).unwrap();
        assert_eq!(wide, plain);
    }

    #[test]
    fn control_and_bidi_characters_in_cells_are_shown_escaped() {
        let mut table = Table::new(["name"]);
        table.push(["a\u{1b}[2Jb\u{202e}c\u{200f}d\ne"]);
        let mut out = Vec::new();
        table.write(&mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("a\\u{1b}[2Jb\\u{202e}c\\u{200f}d e"), "{out}");
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{202e}'),
            "{out}"
        );
    }

    #[test]
    fn columns_line_up() {
        let mut table = Table::new(["id", "name"]);
        table.push(["fudan", "复旦大学"]);
        table.push(["x", "a"]);
        let mut out = Vec::new();
        table.write(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "id     name\n-----  --------\nfudan  复旦大学\nx      a\n"
        );
    }
}
