//! 7z archives, as UNCTADstat's bulk downloads come: the CSV files inside,
//! unpacked flat into a directory for the importer.
//!
//! Only entries whose name ends in `.csv` are written, under their last
//! path component (an entry can never write outside the directory, whatever
//! its name holds); two entries with the same file name are refused rather
//! than one silently replacing the other.

use std::io::Read;
use std::path::{Path, PathBuf};

use sevenz_rust2::{ArchiveReader, Password};

/// The first bytes of every 7z archive.
const MAGIC: [u8; 6] = [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C];

/// Whether `path` is a 7z archive (by its signature, not its name).
pub(crate) fn is_7z(path: &Path) -> std::io::Result<bool> {
    let mut head = [0u8; 6];
    let mut f = std::fs::File::open(path)?;
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n == head.len() && head == MAGIC)
}

/// What an archive held: the CSV files written, and the other entries passed over.
#[derive(Debug, Default)]
pub(crate) struct Unpacked {
    pub files: Vec<PathBuf>,
    pub skipped: Vec<String>,
}

/// Write the CSV entries of `archive` into `into` (created if needed).
/// An error is a sentence naming the archive.
pub(crate) fn unpack_csv(archive: &Path, into: &Path) -> Result<Unpacked, String> {
    let shown = archive.display();
    std::fs::create_dir_all(into).map_err(|e| format!("{}: {e}", into.display()))?;
    let mut reader = ArchiveReader::open(archive, Password::empty())
        .map_err(|e| format!("`{shown}` is not a readable 7z archive: {e}"))?;
    let mut out = Unpacked::default();
    let mut failure: Option<String> = None;
    reader
        .for_each_entries(|entry, data| {
            if entry.is_directory() {
                return Ok(true);
            }
            let name = entry.name();
            let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
            let is_csv = base.len() > 4
                && base
                    .get(base.len() - 4..)
                    .is_some_and(|e| e.eq_ignore_ascii_case(".csv"));
            if !is_csv || base.starts_with('.') {
                out.skipped.push(name.to_string());
                return Ok(true);
            }
            let path = into.join(base);
            if out.files.contains(&path) {
                failure = Some(format!(
                    "`{shown}` holds two files named `{base}`; extract it by hand and pass the one to import"
                ));
                return Ok(false);
            }
            let written = std::fs::File::create(&path)
                .and_then(|mut f| std::io::copy(data, &mut f).map(|_| ()));
            if let Err(e) = written {
                failure = Some(format!("{}: {e}", path.display()));
                return Ok(false);
            }
            out.files.push(path);
            Ok(true)
        })
        .map_err(|e| format!("`{shown}`: the archive could not be unpacked: {e}"))?;
    if let Some(f) = failure {
        return Err(f);
    }
    if out.files.is_empty() {
        return Err(format!(
            "`{shown}` holds no CSV file (entries: {})",
            if out.skipped.is_empty() {
                "none".to_string()
            } else {
                out.skipped.join(", ")
            }
        ));
    }
    out.files.sort();
    Ok(out)
}
