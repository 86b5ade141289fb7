//! Tables as `.xlsx` workbooks, for people who take figures on in a
//! spreadsheet: one sheet, a bold header row kept in view, a filter on every
//! column, numbers as numbers and yes/no as booleans, and Chinese intact (the
//! format is Unicode throughout, so no byte-order mark is needed as for CSV).

use crate::error::Error;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A number.
    Number(f64),
    /// Yes or no.
    Bool(bool),
    /// Nothing: the source does not say.
    Empty,
}

impl Cell {
    /// `text` as a cell: empty text is an empty cell.
    pub fn text(text: &str) -> Cell {
        if text.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(text.to_owned())
        }
    }

    /// `text` as a number where it is one a spreadsheet holds exactly (at
    /// most 15 significant digits), else as text.
    pub fn number(text: &str) -> Cell {
        let digits = text.chars().filter(char::is_ascii_digit).count();
        match text.parse::<f64>() {
            Ok(n) if n.is_finite() && digits <= 15 => Cell::Number(n),
            _ => Cell::text(text),
        }
    }
}

/// A workbook of one sheet named `sheet`: the header `columns`, then `rows`.
pub fn xlsx(sheet: &str, columns: &[&str], rows: &[Vec<Cell>]) -> Result<Vec<u8>, Error> {
    workbook(sheet, columns, rows).map_err(|e| Error::Write(std::io::Error::other(e)))
}

fn workbook(sheet: &str, columns: &[&str], rows: &[Vec<Cell>]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let worksheet = workbook.add_worksheet();
    worksheet.set_name(sheet)?;
    let bold = Format::new().set_bold();
    for (c, column) in (0u16..).zip(columns) {
        worksheet.write_string_with_format(0, c, *column, &bold)?;
    }
    for (r, row) in (1u32..).zip(rows) {
        for (c, cell) in (0u16..).zip(row) {
            match cell {
                Cell::Text(text) => {
                    worksheet.write_string(r, c, text)?;
                }
                Cell::Number(n) => {
                    worksheet.write_number(r, c, *n)?;
                }
                Cell::Bool(b) => {
                    worksheet.write_boolean(r, c, *b)?;
                }
                Cell::Empty => {}
            }
        }
    }
    if let Some(last) = columns.len().checked_sub(1) {
        let last = u16::try_from(last).unwrap_or(u16::MAX);
        let rows = u32::try_from(rows.len()).unwrap_or(u32::MAX);
        worksheet.set_freeze_panes(1, 0)?;
        worksheet.autofilter(0, 0, rows, last)?;
    }
    worksheet.autofit();
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_a_spreadsheet_cannot_hold_exactly_stay_text() {
        assert_eq!(Cell::number("11200000000"), Cell::Number(11_200_000_000.0));
        assert_eq!(Cell::number("0.5"), Cell::Number(0.5));
        assert_eq!(
            Cell::number("1234567890123456"),
            Cell::Text("1234567890123456".to_owned())
        );
        assert_eq!(Cell::number("2022"), Cell::Number(2022.0));
        assert_eq!(Cell::number("about 3"), Cell::Text("about 3".to_owned()));
        assert_eq!(Cell::number(""), Cell::Empty);
    }

    #[test]
    fn a_workbook_is_a_zip_archive() {
        let bytes = xlsx(
            "t",
            &["a", "b"],
            &[vec![Cell::text("甲"), Cell::Number(1.0)]],
        )
        .expect("a workbook");
        assert!(bytes.starts_with(b"PK\x03\x04"));
    }
}
