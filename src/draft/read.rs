//! Reading a letter: UTF-8 as it is, GB18030 (common on Chinese government
//! sites) recognised and converted, anything else refused with a message that
//! names the file.

use crate::error::Error;
use std::path::Path;

/// The text encodings a letter may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (with or without a byte-order mark).
    Utf8,
    /// GB18030 (which includes GBK and GB2312), converted to UTF-8.
    Gb18030,
}

impl Encoding {
    /// The encoding's usual name.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Gb18030 => "GB18030",
        }
    }
}

/// A letter read from a file: its text as UTF-8 and the encoding it was in.
#[derive(Debug, Clone)]
pub struct LetterText {
    /// The file as the user named it.
    pub path: String,
    /// The file name (no folder), as it is copied beside the draft.
    pub file_name: String,
    /// The text, in UTF-8, without a byte-order mark.
    pub text: String,
    /// The encoding the file was in.
    pub encoding: Encoding,
}

/// Reads the letter at `path`.
pub fn read_letter(path: &Path) -> Result<LetterText, Error> {
    let shown = path.display().to_string();
    let bytes = crate::dataset::read_regular(path).map_err(|source| Error::Io {
        path: shown.clone(),
        source,
    })?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "letter.txt".to_owned());
    let (text, encoding) = decode(&bytes).map_err(|message| Error::Io {
        path: shown.clone(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, message),
    })?;
    Ok(LetterText {
        path: shown,
        file_name,
        text,
        encoding,
    })
}

/// Decodes a letter's bytes: UTF-8 first, then GB18030. A GB18030 reading is
/// accepted only when it decodes without error and reads as Chinese text
/// (most of its non-ASCII characters are common CJK ideographs or CJK
/// punctuation), since almost any bytes decode as *something* in GB18030.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_owned(), Encoding::Utf8));
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err("UTF-16 text is not read; save the letter as UTF-8".to_owned());
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    let non_ascii = text.chars().filter(|c| !c.is_ascii()).count();
    let chinese = text.chars().filter(|c| is_common_chinese(*c)).count();
    if !had_errors && non_ascii > 0 && chinese * 10 >= non_ascii * 9 {
        return Ok((text.into_owned(), Encoding::Gb18030));
    }
    let valid = std::str::from_utf8(bytes)
        .err()
        .map_or(0, |e| e.valid_up_to());
    Err(format!(
        "neither UTF-8 (first bad byte at offset {valid}) nor GB18030 Chinese text; save the letter as UTF-8"
    ))
}

/// CJK unified ideographs, CJK punctuation and full-width forms.
fn is_common_chinese(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3000..=0x303F | 0xFF00..=0xFFEF | 0x2018..=0x201D | 0x2026 | 0x00B7)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_and_gb18030_are_read_and_other_bytes_refused() {
        let text = "杨浦区科委联合复旦大学，累计完成 112 亿元。";
        assert_eq!(
            decode(text.as_bytes()).unwrap(),
            (text.to_owned(), Encoding::Utf8)
        );
        let (gb, _, _) = encoding_rs::GB18030.encode(text);
        assert_ne!(gb.as_ref(), text.as_bytes());
        assert_eq!(decode(&gb).unwrap(), (text.to_owned(), Encoding::Gb18030));
        let latin1 = b"caf\xe9 cr\xe8me br\xfbl\xe9e \xe0 la fran\xe7aise";
        assert!(decode(latin1).is_err());
        assert!(decode(b"\xFF\xFEa\x00").unwrap_err().contains("UTF-16"));
    }
}
