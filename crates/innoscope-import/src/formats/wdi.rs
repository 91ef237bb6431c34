//! World Bank World Development Indicators: the long CSV (as mirrored by the
//! data packages in `shared/data/wdi`), the official wide bulk download, and
//! the API v2 JSON response.

use std::path::Path;

use serde_json::Value;

use super::{
    Fields, expect_header, for_each_row, indicator_from_file_name, open_table, read_until_header,
    records,
};
use super::{Input, Parsed};
use crate::catalog::meta_or;
use crate::collect::{Collector, EconomyRef};
use crate::number::parse_year;
use crate::{ImportError, ImportOptions};

const SOURCE: &str = "World Bank WDI";
const LICENCE: &str = "CC BY 4.0";

fn indicator_for(path: &Path, options: &ImportOptions) -> Result<String, ImportError> {
    options
        .indicator
        .clone()
        .or_else(|| indicator_from_file_name(path))
        .ok_or_else(|| {
            ImportError::new(path, "cannot tell which indicator this file holds")
                .hint("name the file after the indicator code (ny.gdp.mktp.cd.csv) or pass --indicator CODE")
        })
}

/// `Country Name,Country Code,Year,Value`, one observation per line.
pub(super) fn read_long(Input(path, input, options): Input<'_>, c: &mut Collector) -> Parsed {
    let indicator = indicator_for(path, options)?;
    let mut meta = meta_or(&indicator, "", "", SOURCE, LICENCE);
    if let Some(u) = &options.unit {
        meta.unit = u.clone();
    }
    c.series(meta);
    let (header, rows) = open_table(path, input)?;
    expect_header(
        path,
        1,
        &header,
        &["Country Name", "Country Code", "Year", "Value"],
    )?;
    for_each_row(path, rows, 0, Fields::Exactly(4), c, |c, line, rec| {
        let Some(year) = parse_year(&rec[2]) else {
            c.reject(line, "Year", format!("`{}` is not a year", &rec[2]));
            return Ok(());
        };
        let Some(economy) = c.economy(line, EconomyRef::Code(&rec[1])) else {
            return Ok(());
        };
        c.value(line, "Value", &indicator, economy, year, &rec[3])?;
        Ok(())
    })?;
    Ok(())
}

/// The bulk download: `"Data Source","World Development Indicators",` then
/// `"Last Updated Date","2024-06-28",`, blank lines, and a header
/// `"Country Name","Country Code","Indicator Name","Indicator Code","1960",…,`.
pub(super) fn read_wide(Input(path, input, options): Input<'_>, c: &mut Collector) -> Parsed {
    let pre = read_until_header(
        path,
        input,
        20,
        |l| {
            l.trim_start()
                .trim_start_matches('"')
                .starts_with("Country Name")
        },
        "expected the World Bank bulk layout: 4 preamble lines, then the `Country Name` header",
    )?;
    let vintage = pre
        .lines
        .iter()
        .find_map(|l| {
            let l = l.replace('"', "");
            l.strip_prefix("Last Updated Date,")
                .map(|d| d.trim_end_matches(',').trim().to_string())
        })
        .unwrap_or_default();
    let offset = pre.header_line;
    let header = pre.header;
    let rows = records(input);
    let header_line = offset;
    expect_header(
        path,
        header_line,
        &header,
        &[
            "Country Name",
            "Country Code",
            "Indicator Name",
            "Indicator Code",
        ],
    )?;
    let mut years = Vec::new();
    for (i, h) in header.iter().enumerate().skip(4) {
        if h.trim().is_empty() {
            continue; // the trailing comma
        }
        match parse_year(h) {
            Some(y) => years.push((i, y, h.to_string())),
            None => {
                return Err(
                    ImportError::new(path, format!("column `{h}` is not a year"))
                        .at_line(header_line)
                        .field(h.to_string()),
                );
            }
        }
    }
    for_each_row(
        path,
        rows,
        offset,
        Fields::AtLeast(4 + years.len()),
        c,
        |c, line, rec| {
            let indicator = options
                .indicator
                .clone()
                .unwrap_or_else(|| rec[3].trim().to_string());
            let mut meta = meta_or(&indicator, rec[2].trim(), "", SOURCE, LICENCE);
            meta.vintage = vintage.clone();
            if let Some(u) = &options.unit {
                meta.unit = u.clone();
            }
            c.series(meta);
            let Some(economy) = c.economy(line, EconomyRef::Code(&rec[1])) else {
                return Ok(());
            };
            for (i, year, name) in &years {
                c.value(line, name, &indicator, economy, *year, &rec[*i])?;
            }
            Ok(())
        },
    )?;
    Ok(())
}

/// API v2: `[{"page":1,"pages":1,…,"lastupdated":"2024-06-28"}, [{"indicator":{"id":…},
/// "country":{"id":"US",…},"countryiso3code":"USA","date":"2020","value":…}, …]]`.
/// Records have no lines; rejections name the record index as `record N`.
///
/// The document is streamed: the metadata object, then one record at a
/// time, so memory does not grow with the response (the API's JSON has no
/// line ends; a page of 20,000 records or a whole download saved as one
/// array reads in the space of one record).
pub(super) fn read_api_json(Input(path, input, options): Input<'_>, c: &mut Collector) -> Parsed {
    use serde::de::DeserializeSeed;
    let mut failed: Option<ImportError> = None;
    let mut de = serde_json::Deserializer::from_reader(input);
    let doc = Document {
        path,
        options,
        c,
        failed: &mut failed,
    };
    let result = doc.deserialize(&mut de).and_then(|()| de.end());
    match (result, failed) {
        (_, Some(e)) => Err(e),
        (Ok(()), None) => Ok(()),
        (Err(e), None) if e.is_data() => Err(ImportError::new(
            path,
            format!("expected a JSON array `[metadata, records]`: {e}"),
        )
        .at_line(e.line() as u64)),
        (Err(e), None) => Err(ImportError::new(path, format!("not valid JSON: {e}"))
            .at_line(e.line() as u64)
            .hint("expected a World Bank API v2 response saved with format=json")),
    }
}

/// The whole response: `[metadata, records, …]`.
struct Document<'a, 'c> {
    path: &'a Path,
    options: &'a ImportOptions,
    c: &'a mut Collector<'c>,
    /// An error of innoscope's own (not of the JSON), reported as is.
    failed: &'a mut Option<ImportError>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Document<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Document<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON array `[metadata, records]`")
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        use serde::de::Error;
        let fail = |slot: &mut Option<ImportError>, e: ImportError| {
            let msg = e.to_string();
            *slot = Some(e);
            A::Error::custom(msg)
        };
        let meta: Value = seq.next_element()?.unwrap_or(Value::Null);
        if let Some(msg) = meta.get("message") {
            let e = ImportError::new(self.path, format!("the API returned an error: {msg}"));
            return Err(fail(self.failed, e));
        }
        let vintage = meta
            .get("lastupdated")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if let (Some(page), Some(pages)) = (
            meta.get("page").and_then(Value::as_u64),
            meta.get("pages").and_then(Value::as_u64),
        ) && pages > page
        {
            self.c.note(format!(
                "this response is page {page} of {pages}; import every page (or request per_page=20000)"
            ));
        }
        let records = Records {
            options: self.options,
            c: self.c,
            failed: &mut *self.failed,
            vintage,
        };
        match seq.next_element_seed(records)? {
            Some(true) => {}
            _ => {
                let e = ImportError::new(self.path, "no record array after the metadata object");
                return Err(fail(self.failed, e));
            }
        }
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(())
    }
}

/// The record array, one record at a time; `false` when it is `null` (the
/// API's answer when nothing matches).
struct Records<'a, 'c> {
    options: &'a ImportOptions,
    c: &'a mut Collector<'c>,
    failed: &'a mut Option<ImportError>,
    vintage: String,
}

impl<'de> serde::de::DeserializeSeed<'de> for Records<'_, '_> {
    type Value = bool;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Records<'_, '_> {
    type Value = bool;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of records")
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        use serde::de::Error;
        let mut i = 0u64;
        while let Some(row) = seq.next_element::<Value>()? {
            i += 1;
            if let Err(e) = record(self.options, self.c, &self.vintage, i, &row) {
                let msg = e.to_string();
                *self.failed = Some(e);
                return Err(A::Error::custom(msg));
            }
        }
        Ok(true)
    }
}

/// One API record.
fn record(
    options: &ImportOptions,
    c: &mut Collector,
    vintage: &str,
    line: u64,
    row: &Value,
) -> Parsed {
    c.summary.rows_read += 1;
    let indicator = options.indicator.clone().or_else(|| {
        row.pointer("/indicator/id")
            .and_then(Value::as_str)
            .map(str::to_string)
    });
    let Some(indicator) = indicator else {
        c.reject(line, "indicator.id", "record has no indicator id");
        return Ok(());
    };
    let name = row
        .pointer("/indicator/value")
        .and_then(Value::as_str)
        .unwrap_or("");
    let mut meta = meta_or(&indicator, name, "", SOURCE, LICENCE);
    meta.vintage = vintage.to_string();
    c.series(meta);
    let code = row
        .get("countryiso3code")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .or_else(|| row.pointer("/country/id").and_then(Value::as_str))
        .unwrap_or("");
    let Some(year) = row.get("date").and_then(Value::as_str).and_then(parse_year) else {
        c.reject(line, "date", "record has no year in `date`");
        return Ok(());
    };
    let economy = match c.registry().by_code(code) {
        Some(e) => e,
        None => {
            let name = row
                .pointer("/country/value")
                .and_then(Value::as_str)
                .unwrap_or(code);
            match c.economy(line, EconomyRef::Name { scope: None, name }) {
                Some(e) => e,
                None => return Ok(()),
            }
        }
    };
    // The API writes values as JSON numbers. Text (`"14,687"`) is not
    // guessed at: a thousands separator and a decimal comma look alike.
    let raw = match row.get("value") {
        None | Some(Value::Null) => String::new(),
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => {
            c.reject(
                line,
                "value",
                format!("{other} is not a JSON number (the API writes numbers unquoted)"),
            );
            return Ok(());
        }
    };
    c.value(line, "value", &indicator, economy, year, &raw)
}
