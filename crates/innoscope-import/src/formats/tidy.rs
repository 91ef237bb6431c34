//! innoscope's documented tidy CSV, for any series without a dedicated reader:
//!
//! ```text
//! economy,indicator,year,value,unit,source[,licence]
//! USA,GERD.CONST,2019,612.7,billion 2015 PPP USD,OECD MSTI
//! ```
//!
//! `economy` is an ISO alpha-3/alpha-2 code, a registry aggregate code, or a
//! name the registry knows.

use std::path::Path;

use std::io::BufRead;

use super::{csv_error, expect_header, line_of, open_table};
use crate::catalog::meta_or;
use crate::collect::{Collector, EconomyRef};
use crate::number::parse_year;
use crate::{ImportError, ImportOptions};

pub(super) fn read(
    path: &Path,
    input: &mut dyn BufRead,
    options: &ImportOptions,
    c: &mut Collector,
) -> Result<(), ImportError> {
    let (header, rows) = open_table(path, input)?;
    expect_header(
        path,
        1,
        &header,
        &["economy", "indicator", "year", "value", "unit", "source"],
    )?;
    let has_licence = header.get(6).is_some_and(|h| {
        h.trim().eq_ignore_ascii_case("licence") || h.trim().eq_ignore_ascii_case("license")
    });
    let width = if has_licence { 7 } else { 6 };
    for rec in rows {
        let rec = rec.map_err(|e| csv_error(path, &e, 0))?;
        let line = line_of(&rec, 0);
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        c.summary.rows_read += 1;
        if rec.len() != width {
            c.reject(
                line,
                "",
                format!(
                    "expected {width} fields, found {} (truncated or malformed line)",
                    rec.len()
                ),
            );
            continue;
        }
        let indicator = options
            .indicator
            .clone()
            .unwrap_or_else(|| rec[1].trim().to_string());
        if indicator.is_empty() {
            c.reject(line, "indicator", "empty indicator");
            continue;
        }
        let Some(year) = parse_year(&rec[2]) else {
            c.reject(line, "year", format!("`{}` is not a year", &rec[2]));
            continue;
        };
        let unit = options
            .unit
            .clone()
            .unwrap_or_else(|| rec[4].trim().to_string());
        let source = options
            .source
            .clone()
            .unwrap_or_else(|| rec[5].trim().to_string());
        let licence = if has_licence {
            rec[6].trim().to_string()
        } else {
            "as stated by the source".to_string()
        };
        let mut meta = meta_or(&indicator, "", &unit, &source, &licence);
        meta.unit = unit;
        meta.source = source;
        c.series(meta);
        let economy = match c.registry().by_code(&rec[0]) {
            Some(e) => Some(e),
            None => c.economy(
                line,
                EconomyRef::Name {
                    scope: None,
                    name: &rec[0],
                },
            ),
        };
        let Some(economy) = economy else { continue };
        c.value(line, "value", &indicator, economy, year, &rec[3])?;
    }
    Ok(())
}
