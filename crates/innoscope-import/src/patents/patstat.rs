//! EPO PATSTAT bulk tables, CSV.
//!
//! Each table streams into one canonical table; columns are found by their
//! PATSTAT names, so files with more columns (the full PATSTAT layout) and
//! the workload's subsets both read. PATSTAT's quirks, as delivered:
//! missing dates are `9999-12-31` and missing years `9999`; country codes may
//! be blank, padded or junk (`--`, `..`); IPC/CPC symbols carry significant
//! runs of spaces (`A61K  39/395`) and are kept exactly; `NA` is Namibia.
//! Split files (`tls207_pers_appln_part01.csv`) are read one by one.

use std::io::Read;
use std::path::Path;

use innoscope_core::patent::{Role, Scheme, check_symbol, clean_country};

use super::{ApplnRow, ClassRow, PartyRow, PatentSink, PatentSummary, PersonRow};
use crate::error::ImportError;

/// PATSTAT's harmonised applicant names, in order of preference: the
/// EEE-PPAT `psn_name`, the OECD HAN `han_name`, the DOCDB standard name.
/// (`han_name` lives in the HAN tables in most editions; it is read when an
/// extract puts it beside the person.)
pub const HARMONISED_FIELDS: [&str; 3] = ["psn_name", "han_name", "doc_std_name"];

/// The PATSTAT tables innoscope reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PatstatTable {
    Appln,
    Person,
    PersAppln,
    ApplnIpc,
    ApplnCpc,
}

impl PatstatTable {
    pub const ALL: [PatstatTable; 5] = [
        PatstatTable::Appln,
        PatstatTable::Person,
        PatstatTable::PersAppln,
        PatstatTable::ApplnIpc,
        PatstatTable::ApplnCpc,
    ];

    pub fn name(self) -> &'static str {
        match self {
            PatstatTable::Appln => "tls201_appln",
            PatstatTable::Person => "tls206_person",
            PatstatTable::PersAppln => "tls207_pers_appln",
            PatstatTable::ApplnIpc => "tls209_appln_ipc",
            PatstatTable::ApplnCpc => "tls224_appln_cpc",
        }
    }

    /// The table a file holds, from its name: `tls201_appln.csv`,
    /// `tls201_appln_part02.csv`, `TLS209_APPLN_IPC.parquet`, or PATSTAT's
    /// archive names such as `tls207_part01.zip` (the table number decides).
    pub fn from_file_name(name: &str) -> Option<PatstatTable> {
        let name = name.to_ascii_lowercase();
        PatstatTable::ALL
            .into_iter()
            .find(|t| name.starts_with(&t.name()[..6]))
    }

    /// The columns read, in the order [`PatstatCells::cell`] numbers them:
    /// the required ones first, then the optional ones.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            PatstatTable::Appln => &[
                "appln_id",
                "appln_auth",
                "appln_nr",
                "appln_kind",
                "appln_filing_year",
                "appln_filing_date",
                "earliest_filing_year",
                "earliest_publn_year",
                "docdb_family_id",
            ],
            PatstatTable::Person => &[
                "person_id",
                "person_name",
                "person_ctry_code",
                "psn_name",
                "han_name",
                "doc_std_name",
                "psn_sector",
            ],
            PatstatTable::PersAppln => &["person_id", "appln_id", "applt_seq_nr", "invt_seq_nr"],
            PatstatTable::ApplnIpc => &["appln_id", "ipc_class_symbol"],
            PatstatTable::ApplnCpc => &["appln_id", "cpc_class_symbol"],
        }
    }

    /// Columns that must be present: the first ones of [`Self::columns`].
    pub fn required(self) -> &'static [&'static str] {
        let n = match self {
            PatstatTable::Appln => 2,
            PatstatTable::Person => 3,
            PatstatTable::PersAppln => 4,
            PatstatTable::ApplnIpc | PatstatTable::ApplnCpc => 2,
        };
        &self.columns()[..n]
    }

    /// The error for a file of this table without required column `name`
    /// (`line`: 1 for a CSV header, 0 for a Parquet schema).
    pub fn missing_column(self, path: &Path, name: &str, line: u64) -> ImportError {
        ImportError::new(
            path,
            format!(
                "column `{name}` is missing from the header of a {} file",
                self.name()
            ),
        )
        .at_line(line)
        .field(name.to_string())
        .hint(format!(
            "a {} file needs the columns {}",
            self.name(),
            self.required().join(", ")
        ))
    }
}

/// One row of a PATSTAT table however it was delivered (a CSV record, a row
/// of a Parquet batch): cell `i` is column `i` of [`PatstatTable::columns`],
/// as text; `None` when the file has no such column or the cell is null.
pub trait PatstatCells {
    fn cell(&self, i: usize) -> Option<&[u8]>;
}

struct Columns {
    idx: Vec<Option<usize>>,
}

impl Columns {
    fn find(header: &csv::ByteRecord, names: &[&str]) -> Columns {
        let norm: Vec<String> = header
            .iter()
            .map(|h| {
                String::from_utf8_lossy(h)
                    .trim_start_matches('\u{feff}')
                    .trim()
                    .trim_matches('"')
                    .to_ascii_lowercase()
            })
            .collect();
        Columns {
            idx: names
                .iter()
                .map(|n| norm.iter().position(|h| h == n))
                .collect(),
        }
    }
}

/// A CSV record seen through the positions of the table's columns in its
/// header.
struct CsvCells<'r> {
    rec: &'r csv::ByteRecord,
    idx: &'r [Option<usize>],
}

impl PatstatCells for CsvCells<'_> {
    fn cell(&self, i: usize) -> Option<&[u8]> {
        self.idx[i].and_then(|j| self.rec.get(j))
    }
}

/// An integer as PATSTAT writes them (digits, optional sign, optional
/// surrounding spaces), parsed straight from bytes.
fn int(bytes: &[u8]) -> Option<i64> {
    let b = bytes.trim_ascii();
    let (neg, digits) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut v: i64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(d - b'0');
    }
    Some(if neg { -v } else { v })
}

/// Year from a year column: `9999` and `0` are PATSTAT's "unknown".
fn year(bytes: &[u8]) -> Result<Option<i32>, ()> {
    let s = std::str::from_utf8(bytes).map_err(|_| ())?.trim();
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<i32>() {
        Ok(9999) | Ok(0) => Ok(None),
        Ok(y) if (1700..=2200).contains(&y) => Ok(Some(y)),
        _ => Err(()),
    }
}

/// Year of a `YYYY-MM-DD` date; `9999-12-31` is unknown.
fn date_year(bytes: &[u8]) -> Result<Option<i32>, ()> {
    let s = std::str::from_utf8(bytes).map_err(|_| ())?.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let y = s.get(..4).ok_or(())?;
    if s.len() != 10 || s.as_bytes()[4] != b'-' || s.as_bytes()[7] != b'-' {
        return Err(());
    }
    year(y.as_bytes())
}

fn utf8<'r>(bytes: &'r [u8], s: &mut PatentSummary, line: u64, field: &str) -> Option<&'r str> {
    match std::str::from_utf8(bytes) {
        Ok(t) => Some(t),
        Err(_) => {
            s.reject(line, field, "not valid UTF-8 (PATSTAT CSV files are UTF-8)");
            None
        }
    }
}

/// Read one PATSTAT table file.
pub fn read_csv(
    path: &Path,
    reader: &mut dyn Read,
    table: PatstatTable,
    sink: &mut dyn PatentSink,
) -> Result<PatentSummary, ImportError> {
    let mut s = PatentSummary::new(path, "patstat");
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .buffer_capacity(1 << 20)
        .from_reader(reader);
    let header = rdr
        .byte_headers()
        .map_err(|e| ImportError::new(path, format!("cannot read the header: {e}")).at_line(1))?
        .clone();
    if header.is_empty() || (header.len() == 1 && header[0].is_empty()) {
        return Err(ImportError::new(path, "file is empty"));
    }
    let columns = Columns::find(&header, table.columns());
    for (name, i) in table.required().iter().zip(&columns.idx) {
        if i.is_none() {
            return Err(table.missing_column(path, name, 1));
        }
    }
    let ncols = header.len();
    let mut rec = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                return Err(ImportError::new(path, format!("malformed CSV: {e}"))
                    .at_line(line)
                    .hint("PATSTAT CSV files are comma separated with double-quoted strings"));
            }
        }
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        if rec.len() == 1 && rec[0].is_empty() {
            continue;
        }
        s.rows_read += 1;
        s.stop_if_hopeless(path)?;
        if rec.len() != ncols {
            s.reject(
                line,
                "",
                format!(
                    "expected {ncols} fields, found {} (truncated or malformed line)",
                    rec.len()
                ),
            );
            continue;
        }
        let cells = CsvCells {
            rec: &rec,
            idx: &columns.idx,
        };
        let pushed = map_row(table, &cells, line, &mut s, sink);
        if let Err(e) = pushed {
            s.reject(line, "", e);
        }
    }
    Ok(s)
}

/// Map one PATSTAT row to the canonical tables: the one place PATSTAT's
/// conventions (`9999` years, junk country codes, sequence numbers as roles,
/// fixed-layout symbols) are applied, for CSV and Parquet deliveries alike.
/// A row that does not read is rejected into `s` at `line` and skipped;
/// `Err` is the sink's own failure.
pub fn map_row(
    table: PatstatTable,
    row: &dyn PatstatCells,
    line: u64,
    s: &mut PatentSummary,
    sink: &mut dyn PatentSink,
) -> Result<(), String> {
    let id_field = |i: usize, name: &str, s: &mut PatentSummary| -> Option<i64> {
        let v = row.cell(i).and_then(int);
        if v.is_none() {
            s.reject(
                line,
                name,
                format!(
                    "`{}` is not an integer id",
                    String::from_utf8_lossy(row.cell(i).unwrap_or(b""))
                ),
            );
        }
        v
    };
    match table {
        PatstatTable::Appln => {
            let Some(appln_id) = id_field(0, "appln_id", s) else {
                return Ok(());
            };
            let Some(auth) = utf8(row.cell(1).unwrap_or(b""), s, line, "appln_auth") else {
                return Ok(());
            };
            let auth = auth.trim();
            if auth.is_empty() {
                s.reject(line, "appln_auth", "empty authority");
                return Ok(());
            }
            let opt_str = |i: usize| {
                row.cell(i)
                    .and_then(|b| std::str::from_utf8(b).ok())
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
            };
            let filing_year = match (row.cell(4), row.cell(5)) {
                (Some(y), _) if !y.is_empty() => year(y),
                (_, Some(d)) => date_year(d),
                _ => Ok(None),
            };
            let Ok(filing_year) = filing_year else {
                s.reject(line, "appln_filing_year", "not a year");
                return Ok(());
            };
            if filing_year.is_none() {
                s.missing("filing year unknown (9999 or blank)");
            }
            let priority_year = row.cell(6).map(year).unwrap_or(Ok(None));
            let publication_year = row.cell(7).map(year).unwrap_or(Ok(None));
            let (Ok(priority_year), Ok(publication_year)) = (priority_year, publication_year)
            else {
                s.reject(line, "earliest_filing_year", "not a year");
                return Ok(());
            };
            let family_id = row.cell(8).and_then(int);
            sink.appln(&ApplnRow {
                appln_id,
                authority: auth,
                number: opt_str(2),
                kind: opt_str(3),
                filing_year,
                priority_year,
                publication_year,
                family_id,
                title: None,
            })
            .map(|_| s.written.appln += 1)
        }
        PatstatTable::Person => {
            let Some(person_id) = id_field(0, "person_id", s) else {
                return Ok(());
            };
            let Some(name) = utf8(row.cell(1).unwrap_or(b""), s, line, "person_name") else {
                return Ok(());
            };
            let Some(raw) = utf8(row.cell(2).unwrap_or(b""), s, line, "person_ctry_code") else {
                return Ok(());
            };
            let country = clean_country(raw);
            let country_raw = match &country {
                Some(c) if c == raw => None,
                _ if raw.is_empty() => None,
                _ => Some(raw),
            };
            if country.is_none() {
                s.missing(if raw.trim().is_empty() {
                    "person country blank"
                } else {
                    "person country junk (kept in country_raw)"
                });
            }
            let field = |i: usize| {
                row.cell(i)
                    .and_then(|b| std::str::from_utf8(b).ok())
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
            };
            let harmonised = HARMONISED_FIELDS
                .iter()
                .zip(3..)
                .find_map(|(f, i)| field(i).map(|v| (v, *f)));
            sink.person(&PersonRow {
                person_id,
                name,
                country: country.as_deref(),
                country_raw,
                harmonised,
                sector: field(3 + HARMONISED_FIELDS.len()),
            })
            .map(|_| s.written.person += 1)
        }
        PatstatTable::PersAppln => {
            let Some(person_id) = id_field(0, "person_id", s) else {
                return Ok(());
            };
            let Some(appln_id) = id_field(1, "appln_id", s) else {
                return Ok(());
            };
            let applt = row.cell(2).and_then(int);
            let invt = row.cell(3).and_then(int);
            let (Some(applt), Some(invt)) = (applt, invt) else {
                s.reject(
                    line,
                    if applt.is_none() {
                        "applt_seq_nr"
                    } else {
                        "invt_seq_nr"
                    },
                    "not an integer",
                );
                return Ok(());
            };
            let mut res = Ok(());
            for (seq, role) in [(applt, Role::Applicant), (invt, Role::Inventor)] {
                if seq > 0 && res.is_ok() {
                    res = sink.party(&PartyRow {
                        appln_id,
                        person_id,
                        role,
                        seq: i32::try_from(seq).unwrap_or(i32::MAX),
                    });
                    if res.is_ok() {
                        s.written.party += 1;
                    }
                }
            }
            if applt <= 0 && invt <= 0 {
                s.missing("person link with neither applicant nor inventor sequence");
            }
            res
        }
        PatstatTable::ApplnIpc | PatstatTable::ApplnCpc => {
            let (scheme, field) = if table == PatstatTable::ApplnIpc {
                (Scheme::Ipc, "ipc_class_symbol")
            } else {
                (Scheme::Cpc, "cpc_class_symbol")
            };
            let Some(appln_id) = id_field(0, "appln_id", s) else {
                return Ok(());
            };
            let Some(raw) = utf8(row.cell(1).unwrap_or(b""), s, line, field) else {
                return Ok(());
            };
            // PATSTAT's symbol is already in the fixed layout: keep it as
            // stored (inner spaces are significant); check that it reads.
            if let Err(e) = check_symbol(raw) {
                s.reject(line, field, e.to_string());
                return Ok(());
            }
            sink.class(&ClassRow {
                appln_id,
                scheme,
                symbol: raw.trim_end(),
                raw,
            })
            .map(|_| s.written.class += 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patents::IdAllocator;
    use crate::patents::{PatentFormat, read_patent_file};

    #[derive(Default)]
    pub(crate) struct Rows {
        pub appln: Vec<(i64, String, Option<i32>)>,
        pub person: Vec<(i64, String, Option<String>, Option<String>)>,
        pub party: Vec<(i64, i64, Role, i32)>,
        pub class: Vec<(i64, String)>,
    }

    impl PatentSink for Rows {
        fn appln(&mut self, r: &ApplnRow<'_>) -> Result<(), String> {
            self.appln
                .push((r.appln_id, r.authority.into(), r.filing_year));
            Ok(())
        }
        fn person(&mut self, r: &PersonRow<'_>) -> Result<(), String> {
            self.person.push((
                r.person_id,
                r.name.into(),
                r.country.map(Into::into),
                r.country_raw.map(Into::into),
            ));
            Ok(())
        }
        fn party(&mut self, r: &PartyRow) -> Result<(), String> {
            self.party.push((r.appln_id, r.person_id, r.role, r.seq));
            Ok(())
        }
        fn class(&mut self, r: &ClassRow<'_>) -> Result<(), String> {
            self.class.push((r.appln_id, r.symbol.into()));
            Ok(())
        }
    }

    fn read(name: &str, text: &str) -> (Rows, PatentSummary) {
        let mut rows = Rows::default();
        let s = read_patent_file(
            Path::new(name),
            &mut text.as_bytes(),
            PatentFormat::Patstat,
            &mut IdAllocator::default(),
            &mut rows,
        )
        .unwrap();
        (rows, s)
    }

    #[test]
    fn quirks() {
        let (rows, s) = read(
            "tls201_appln_part01.csv",
            "appln_id,appln_auth,appln_nr,appln_kind,appln_filing_date,appln_filing_year,docdb_family_id\n\
             1,\"WO\",\"2010000001\",\"W \",2010-03-01,2010,7\n\
             2,\"EP\",,\"A \",9999-12-31,9999,\n\
             x,\"EP\",,,,,\n",
        );
        assert_eq!(
            rows.appln,
            vec![(1, "WO".into(), Some(2010)), (2, "EP".into(), None)]
        );
        assert_eq!(s.rejected.len(), 1);
        assert_eq!(
            (s.rejected[0].line, s.rejected[0].field.as_str()),
            (4, "appln_id")
        );

        let (rows, _) = read(
            "tls206_person.csv",
            "person_id,person_name,person_ctry_code\n1,\"MÜLLER, Jürgen\",\"DE\"\n2,\"OOO \"\"Yandex\"\"\",\"--\"\n3,\"X\",\"NA\"\n4,\"Y\",\n",
        );
        assert_eq!(rows.person[0].1, "MÜLLER, Jürgen");
        assert_eq!(
            rows.person[1],
            (2, "OOO \"Yandex\"".into(), None, Some("--".into()))
        );
        assert_eq!(rows.person[2].2.as_deref(), Some("NA"));
        assert_eq!(rows.person[3].2, None);

        let (rows, _) = read(
            "tls207_pers_appln.csv",
            "person_id,appln_id,applt_seq_nr,invt_seq_nr\n1,10,1,2\n2,10,0,1\n",
        );
        assert_eq!(
            rows.party,
            vec![
                (10, 1, Role::Applicant, 1),
                (10, 1, Role::Inventor, 2),
                (10, 2, Role::Inventor, 1)
            ]
        );

        let (rows, s) = read(
            "tls209_appln_ipc.csv",
            "appln_id,ipc_class_symbol,ipc_class_level\n10,\"A61K  39/395\",\"A\"\n10,\"??\",\"A\"\n",
        );
        assert_eq!(rows.class, vec![(10, "A61K  39/395".into())]);
        assert_eq!(s.rejected[0].field, "ipc_class_symbol");
    }

    #[test]
    fn missing_column_names_the_field() {
        let mut rows = Rows::default();
        let e = read_csv(
            Path::new("tls206_person.csv"),
            &mut "person_id,person_name\n1,\"A\"\n".as_bytes(),
            PatstatTable::Person,
            &mut rows,
        )
        .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("person_ctry_code"));
        assert_eq!(e.line, Some(1));
    }
}
