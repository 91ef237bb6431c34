//! innoscope's documented tidy CSV, for any series without a dedicated reader:
//!
//! ```text
//! economy,indicator,year,value,unit,source[,licence]
//! USA,GERD.CONST,2019,612.7,billion 2015 PPP USD,OECD MSTI
//! ```
//!
//! `economy` is an ISO alpha-3/alpha-2 code, a registry aggregate code, or a
//! name the registry knows.

use super::{Fields, expect_header, for_each_row, open_table};
use super::{Input, Parsed};
use crate::catalog::meta_or;
use crate::collect::{Collector, EconomyRef};
use crate::number::parse_year;

pub(super) fn read(Input(path, input, options): Input<'_>, c: &mut Collector) -> Parsed {
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
    for_each_row(path, rows, 0, Fields::Exactly(width), c, |c, line, rec| {
        let indicator = options
            .indicator
            .clone()
            .unwrap_or_else(|| rec[1].trim().to_string());
        if indicator.is_empty() {
            c.reject(line, "indicator", "empty indicator");
            return Ok(());
        }
        let Some(year) = parse_year(&rec[2]) else {
            c.reject(line, "year", format!("`{}` is not a year", &rec[2]));
            return Ok(());
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
        if has_licence {
            // The file's own licence column wins over the catalogue's.
            meta.licence = licence;
        }
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
        let Some(economy) = economy else {
            return Ok(());
        };
        c.value(line, "value", &indicator, economy, year, &rec[3])?;
        Ok(())
    })?;
    Ok(())
}
