//! Input formats and their detection.

mod fed;
mod ncses;
pub use ncses::{green_indicator, ipf_indicator};
mod sdmx;
mod tidy;
mod unctad;
mod unctadstat;
mod wdi;
mod wipo;

use std::path::Path;

use crate::collect::Collector;
use std::io::{BufRead, Read};

use crate::input::{Decoded, decode_head};
use crate::{ImportError, ImportOptions, ImportSummary, Sink};

/// The formats innoscope reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// World Bank WDI long CSV: `Country Name,Country Code,Year,Value`.
    WdiLong,
    /// World Bank bulk download `API_<indicator>_DS2_*.csv` (wide, 4 preamble lines).
    WdiWide,
    /// World Bank API v2 JSON response (`[{page…}, [records…]]`).
    WbApiJson,
    /// NCSES Science & Engineering Indicators tables (tidy layouts).
    Ncses,
    /// UNCTAD World Investment Report annex tables (`level,type,Region/economy,1990…`).
    UnctadWir,
    /// UNCTADstat bulk CSV (ICT goods trade and other product tables).
    UnctadStat,
    /// OECD Data Explorer SDMX-CSV.
    OecdSdmx,
    /// WIPO IP Statistics Data Center CSV export (never bundled).
    Wipo,
    /// US Federal Reserve H.10 annual exchange rates (`Date,Country,Exchange rate`).
    FedH10,
    /// innoscope's documented tidy CSV: `economy,indicator,year,value,unit,source`.
    Tidy,
}

impl Format {
    pub const ALL: [Format; 10] = [
        Format::WdiLong,
        Format::WdiWide,
        Format::WbApiJson,
        Format::Ncses,
        Format::UnctadWir,
        Format::UnctadStat,
        Format::OecdSdmx,
        Format::Wipo,
        Format::FedH10,
        Format::Tidy,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::WdiLong => "wdi",
            Format::WdiWide => "wdi-wide",
            Format::WbApiJson => "wb-api",
            Format::Ncses => "ncses",
            Format::UnctadWir => "unctad-wir",
            Format::UnctadStat => "unctadstat",
            Format::OecdSdmx => "oecd-sdmx",
            Format::Wipo => "wipo",
            Format::FedH10 => "fed-h10",
            Format::Tidy => "tidy",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Format::WdiLong => "World Bank WDI long CSV (Country Name,Country Code,Year,Value)",
            Format::WdiWide => "World Bank bulk download API_<indicator>_DS2_*.csv (wide)",
            Format::WbApiJson => "World Bank API v2 JSON response",
            Format::Ncses => "NCSES Science & Engineering Indicators table (tidy)",
            Format::UnctadWir => "UNCTAD World Investment Report annex table",
            Format::UnctadStat => "UNCTADstat bulk CSV (e.g. ICT goods trade)",
            Format::OecdSdmx => "OECD Data Explorer SDMX-CSV",
            Format::Wipo => "WIPO IP Statistics Data Center CSV export",
            Format::FedH10 => {
                "US Federal Reserve H.10 annual exchange rates (Date,Country,Exchange rate)"
            }
            Format::Tidy => "innoscope tidy CSV (economy,indicator,year,value,unit,source)",
        }
    }

    /// The dataset id an import of this format goes to by default.
    pub fn default_dataset(self) -> &'static str {
        match self {
            Format::WdiLong | Format::WdiWide | Format::WbApiJson => "wdi",
            Format::Ncses => "ncses",
            Format::UnctadWir => "unctad",
            Format::UnctadStat => "unctadstat",
            Format::OecdSdmx => "oecd",
            Format::Wipo => "wipo",
            Format::FedH10 => "fed",
            Format::Tidy => "user",
        }
    }

    /// Whether data in this format may be redistributed in innoscope's bundle.
    pub fn redistributable(self) -> bool {
        !matches!(self, Format::Wipo)
    }

    /// Guess the format from the first bytes of a file.
    pub fn detect(bytes: &[u8]) -> Option<Format> {
        let head = &bytes[..bytes.len().min(64 * 1024)];
        let text = decode_head(head);
        let trimmed = text.trim_start();
        if trimmed.starts_with('[') || trimmed.starts_with('{') {
            return Some(Format::WbApiJson);
        }
        let lines: Vec<&str> = text.lines().take(12).collect();
        let first = lines.first().map(|l| l.trim()).unwrap_or("");
        let lower = first.to_ascii_lowercase();
        if lower.starts_with("country name,country code,year,value") {
            return Some(Format::WdiLong);
        }
        if lower.starts_with("\"data source\"") || lower.starts_with("data source,") {
            return Some(Format::WdiWide);
        }
        if lower.starts_with("level,type,region/economy") {
            return Some(Format::UnctadWir);
        }
        let fields: Vec<&str> = first.split(',').map(|f| f.trim_matches('"')).collect();
        if unctadstat::is_header(&fields) {
            return Some(Format::UnctadStat);
        }
        if lower.contains("time_period") && lower.contains("obs_value") {
            return Some(Format::OecdSdmx);
        }
        if lines
            .iter()
            .any(|l| l.trim_start().starts_with("Origin,Origin (Code)"))
        {
            return Some(Format::Wipo);
        }
        if lower == fed::HEADER {
            return Some(Format::FedH10);
        }
        if lower.starts_with("economy,indicator,year,value") {
            return Some(Format::Tidy);
        }
        if ncses::Layout::detect(first).is_some() || ncses::is_labelled_wide(first) {
            return Some(Format::Ncses);
        }
        None
    }
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                format!(
                    "unknown format `{s}` (expected one of: {})",
                    names.join(", ")
                )
            })
    }
}

/// What a format reader returns: rows go to the collector; an error stops
/// the import.
pub(super) type Parsed = Result<(), ImportError>;

/// What every format reader is given, in this order: the file's name (for messages), its
/// decoded stream, and the import options.
pub(super) struct Input<'a>(pub &'a Path, pub &'a mut dyn BufRead, pub &'a ImportOptions);

pub(crate) fn read(
    path: &Path,
    reader: &mut dyn Read,
    format: Format,
    options: &ImportOptions,
    sink: &mut dyn Sink,
) -> Result<ImportSummary, ImportError> {
    // Line-based formats keep bounded memory; the API's JSON has no lines.
    let mut capped;
    let reader: &mut dyn Read = if format == Format::WbApiJson {
        reader
    } else {
        capped = crate::input::LineCap::new(reader, crate::input::MAX_LINE);
        &mut capped
    };
    let mut input = Decoded::new(reader);
    let empty = {
        let head = input
            .fill_buf()
            .map_err(|e| ImportError::new(path, format!("read error: {e}")))?;
        head.iter().all(|b| b.is_ascii_whitespace()) && head.len() < 4096
    };
    if empty {
        let mut rest = String::new();
        let _ = input.read_to_string(&mut rest);
        if rest.trim().is_empty() {
            return Err(ImportError::new(path, "file is empty")
                .hint("re-download the file; it holds no data"));
        }
        return Err(ImportError::new(path, "the file starts with blank lines")
            .hint("remove the blank lines before the header"));
    }
    let mut c = Collector::new(path, format.name(), sink);
    let src = Input(path, &mut input, options);
    let read = match format {
        Format::WdiLong => wdi::read_long,
        Format::WdiWide => wdi::read_wide,
        Format::WbApiJson => wdi::read_api_json,
        Format::Ncses => ncses::read,
        Format::UnctadWir => unctad::read,
        Format::UnctadStat => unctadstat::read,
        Format::OecdSdmx => sdmx::read,
        Format::Wipo => wipo::read,
        Format::FedH10 => fed::read,
        Format::Tidy => tidy::read,
    };
    read(src, &mut c)?;
    c.finish()
}

/// Records of a CSV stream (header included), line positions from 1.
pub(crate) type Rows<'a> = csv::StringRecordsIntoIter<&'a mut dyn BufRead>;

pub(crate) fn records(input: &mut dyn BufRead) -> Rows<'_> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input)
        .into_records()
}

/// Lines before a header, the header record, and its line number.
pub(crate) struct Preamble {
    pub lines: Vec<String>,
    pub header: csv::StringRecord,
    pub header_line: u64,
}

/// Read lines until one satisfies `is_header` (within `max` lines); the
/// stream is left at the first data line.
pub(crate) fn read_until_header(
    path: &Path,
    input: &mut dyn BufRead,
    max: usize,
    is_header: impl Fn(&str) -> bool,
    hint: &str,
) -> Result<Preamble, ImportError> {
    let mut lines = Vec::new();
    for n in 1..=max {
        let mut line = String::new();
        let got = input
            .read_line(&mut line)
            .map_err(|e| ImportError::new(path, format!("line {n}: {e}")))?;
        if got == 0 {
            break;
        }
        let trimmed = line.trim_end_matches(['\r', '\n']).to_string();
        if is_header(&trimmed) {
            let header = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(trimmed.as_bytes())
                .into_records()
                .next()
                .and_then(Result::ok)
                .unwrap_or_default();
            return Ok(Preamble {
                lines,
                header,
                header_line: n as u64,
            });
        }
        lines.push(trimmed);
    }
    Err(
        ImportError::new(path, format!("no header within the first {max} lines"))
            .hint(hint.to_string()),
    )
}

/// Line number of a record (csv counts from 1).
pub(crate) fn line_of(rec: &csv::StringRecord, offset: u64) -> u64 {
    rec.position().map_or(0, |p| p.line()) + offset
}

/// Turn a csv error into a rejection-worthy message with its line.
pub(crate) fn csv_error(path: &Path, e: &csv::Error, offset: u64) -> ImportError {
    let line = e.position().map_or(0, |p| p.line()) + offset;
    let msg = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8 in field".to_string(),
        _ => e.to_string(),
    };
    ImportError::new(path, msg).at_line(line)
}

/// Check a header against the expected column names (case- and
/// space-insensitive); errors name the first mismatching column.
pub(crate) fn expect_header(
    path: &Path,
    line: u64,
    header: &csv::StringRecord,
    expected: &[&str],
) -> Result<(), ImportError> {
    for (i, want) in expected.iter().enumerate() {
        let got = header.get(i).unwrap_or("").trim();
        if !got.eq_ignore_ascii_case(want) {
            return Err(ImportError::new(
                path,
                format!("column {} is `{got}`, expected `{want}`", i + 1),
            )
            .at_line(line)
            .field(want.to_string())
            .hint(format!("expected header: {}", expected.join(","))));
        }
    }
    Ok(())
}

/// Indicator code from a file name like `gb.xpd.rsdv.gd.zs.csv` or
/// `API_NY.GDP.MKTP.CD_DS2_en_csv_v2_123.csv`.
pub(crate) fn indicator_from_file_name(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    let stem = stem
        .strip_prefix("API_")
        .map_or(stem, |s| s.split("_DS2").next().unwrap_or(s));
    let looks_like_code = stem.contains('.')
        && stem
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
    looks_like_code.then(|| stem.to_ascii_uppercase())
}

/// An upper-case identifier from free text (`Field of technology` → `FIELD_OF_TECHNOLOGY`).
pub(crate) fn slug(s: &str) -> String {
    let mut out = String::new();
    for ch in s.trim().chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_uppercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').chars().take(48).collect()
}

/// The header record (line 1) and the remaining records of a CSV stream.
pub(crate) fn open_table<'a>(
    path: &Path,
    input: &'a mut dyn BufRead,
) -> Result<(csv::StringRecord, Rows<'a>), ImportError> {
    let mut rows = records(input);
    match rows.next() {
        Some(Ok(h)) => Ok((h, rows)),
        Some(Err(e)) => Err(csv_error(path, &e, 0)),
        None => Err(ImportError::new(path, "file is empty")),
    }
}

/// How many fields a data record must have.
pub(crate) enum Fields {
    Exactly(usize),
    AtLeast(usize),
}

/// Walk the data records of a table: blank lines are skipped, every other
/// record counts as read, a record with the wrong number of fields is
/// rejected as truncated or malformed, and the rest go to `row` with their
/// line number (`offset` = lines before the first record).
pub(crate) fn for_each_row(
    path: &Path,
    rows: Rows<'_>,
    offset: u64,
    fields: Fields,
    c: &mut Collector,
    mut row: impl FnMut(&mut Collector, u64, &csv::StringRecord) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    for rec in rows {
        let rec = rec.map_err(|e| csv_error(path, &e, offset))?;
        let line = line_of(&rec, offset);
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        c.summary.rows_read += 1;
        let (ok, want) = match fields {
            Fields::Exactly(n) => (rec.len() == n, n.to_string()),
            Fields::AtLeast(n) => (rec.len() >= n, format!("at least {n}")),
        };
        if !ok {
            c.reject(
                line,
                "",
                format!(
                    "expected {want} fields, found {} (truncated or malformed line)",
                    rec.len()
                ),
            );
            continue;
        }
        row(c, line, &rec)?;
        let rejected = c.summary.rejected.len() as u64;
        if rejected >= crate::error::STOP_AFTER_REJECTED
            && crate::error::hopeless(rejected, c.summary.rows_read)
        {
            return Err(crate::error::stopped(
                path,
                rejected,
                c.summary.rows_read,
                c.summary.rejected.first(),
            ));
        }
    }
    Ok(())
}
