//! US Federal Reserve H.10 annual exchange rates as packaged by FRED /
//! datasets/exchange-rates: `Date,Country,Exchange rate`, one row per
//! currency and year, in currency units per US dollar. `Euro` is the euro
//! area (`EMU`).

use std::io::BufRead;
use std::path::Path;

use super::{csv_error, expect_header, line_of, open_table};
use crate::catalog::meta_or;
use crate::collect::{Collector, EconomyRef};
use crate::number::parse_year;
use crate::{ImportError, ImportOptions};

pub(super) const HEADER: &str = "date,country,exchange rate";

pub(super) fn read(
    path: &Path,
    input: &mut dyn BufRead,
    options: &ImportOptions,
    c: &mut Collector,
) -> Result<(), ImportError> {
    let (header, rows) = open_table(path, input)?;
    expect_header(path, 1, &header, &["Date", "Country", "Exchange rate"])?;
    let indicator = options
        .indicator
        .clone()
        .unwrap_or_else(|| "FED.H10.FX".to_string());
    c.series(meta_or(
        &indicator,
        "Exchange rate (currency units per US$, annual average)",
        "LCU per USD",
        "Board of Governors of the Federal Reserve System, H.10 (via FRED)",
        "Public domain (ODC-PDDL-1.0 as packaged)",
    ));
    for rec in rows {
        let rec = rec.map_err(|e| csv_error(path, &e, 0))?;
        let line = line_of(&rec, 0);
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        c.summary.rows_read += 1;
        if rec.len() != 3 {
            c.reject(
                line,
                "",
                format!(
                    "expected 3 fields, found {} (truncated or malformed line)",
                    rec.len()
                ),
            );
            continue;
        }
        let Some(year) = parse_year(&rec[0]) else {
            c.reject(line, "Date", format!("`{}` is not a date", &rec[0]));
            continue;
        };
        let Some(economy) = c.economy(
            line,
            EconomyRef::Name {
                scope: Some("fed"),
                name: &rec[1],
            },
        ) else {
            continue;
        };
        c.value(line, "Exchange rate", &indicator, economy, year, &rec[2])?;
    }
    Ok(())
}
