//! Reading input bytes: size limits, byte-order marks, legacy encodings and
//! line-end styles, so that format readers only see UTF-8 text.

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

use crate::{ImportError, Progress};

/// Statistics files are small; anything larger than this is not one of them.
pub const MAX_TABLE_BYTES: u64 = 2 << 30;

pub fn read_all(path: &Path, progress: &dyn Progress) -> Result<Vec<u8>, ImportError> {
    let file = std::fs::File::open(path).map_err(|e| {
        ImportError::new(path, format!("cannot open: {e}"))
            .hint("check the path; `innoscope import --help` lists the formats")
    })?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > MAX_TABLE_BYTES {
        return Err(ImportError::new(
            path,
            format!(
                "file is {len} bytes; statistics tables above {MAX_TABLE_BYTES} bytes are not supported"
            ),
        ));
    }
    progress.start(path, len);
    let mut out = Vec::with_capacity(len as usize);
    let mut reader = std::io::BufReader::new(file);
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = reader
            .read(&mut buf)
            .map_err(|e| ImportError::new(path, format!("read error: {e}")))?;
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
        progress.advance(n as u64);
    }
    progress.finish();
    Ok(out)
}

/// Decode to UTF-8 text: strips a UTF-8 BOM, decodes UTF-16 with BOM, falls
/// back to Windows-1252 for bytes that are not UTF-8, and turns CR-only line
/// ends into LF (CRLF is left to the CSV parser).
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let text: Cow<'_, str> = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        String::from_utf8_lossy(rest)
    } else if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (cow, _, _) = encoding_rs::UTF_16LE.decode(bytes);
        Cow::Owned(cow.into_owned())
    } else {
        match std::str::from_utf8(bytes) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => {
                let (cow, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
                Cow::Owned(cow.into_owned())
            }
        }
    };
    if text.contains('\r') && !text.contains('\n') {
        Cow::Owned(text.replace('\r', "\n"))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn strips_bom_and_converts_cr_only() {
        assert_eq!(decode(b"\xEF\xBB\xBFa,b\rc,d\r"), "a,b\nc,d\n");
    }

    #[test]
    fn keeps_crlf_for_the_csv_parser() {
        assert_eq!(decode(b"a\r\nb\r\n"), "a\r\nb\r\n");
    }

    #[test]
    fn falls_back_to_windows_1252() {
        assert_eq!(decode(b"C\xf4te"), "Côte");
    }
}
