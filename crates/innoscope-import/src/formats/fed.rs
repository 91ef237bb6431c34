//! US Federal Reserve H.10 annual exchange rates as packaged by FRED /
//! datasets/exchange-rates: `Date,Country,Exchange rate`, one row per
//! currency and year, in currency units per US dollar. `Euro` is the euro
//! area (`EMU`).

use super::{Fields, expect_header, for_each_row, open_table};
use super::{Input, Parsed};
use crate::catalog::meta_or;
use crate::collect::{Collector, EconomyRef};
use crate::number::parse_year;

pub(super) const HEADER: &str = "date,country,exchange rate";

pub(super) fn read(Input(path, input, options): Input<'_>, c: &mut Collector) -> Parsed {
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
    for_each_row(path, rows, 0, Fields::Exactly(3), c, |c, line, rec| {
        let Some(year) = parse_year(&rec[0]) else {
            c.reject(line, "Date", format!("`{}` is not a date", &rec[0]));
            return Ok(());
        };
        let Some(economy) = c.economy(line, EconomyRef::named("fed", &rec[1])) else {
            return Ok(());
        };
        c.value(line, "Exchange rate", &indicator, economy, year, &rec[2])?;
        Ok(())
    })?;
    Ok(())
}
