//! UNCTADstat bulk CSV (e.g. "International trade in ICT goods, value,
//! annual"): `Year,Economy,Economy Label,Flow,Flow Label,Product,Product Label,
//! <measure>,<measure> Footnote,<measure> Missing value,…` where the measure is
//! `US dollars at current prices in thousands` (older downloads) or
//! `US$ at current prices in thousands` (data centre, 2024 on).
//!
//! ICT goods series become `UNCTAD.ICT.EXP` / `UNCTAD.ICT.IMP` for the total
//! and `UNCTAD.ICT.EXP.<CATEGORY>` for the categories (computers, communication
//! equipment, consumer electronics, components, miscellaneous). Other products
//! become `UNCTAD.<PRODUCT>.<FLOW>`.

use super::{Fields, for_each_row, open_table, slug};
use super::{Input, Parsed};
use crate::ImportError;
use crate::catalog::meta_or;
use crate::collect::{Collector, EconomyRef};
use crate::number::parse_year;

pub(super) fn is_header(fields: &[&str]) -> bool {
    fields.iter().any(|f| f.trim() == "Economy Label")
        && fields.iter().any(|f| f.trim() == "Flow Label")
}

pub(super) fn read(Input(path, input, options): Input<'_>, c: &mut Collector) -> Parsed {
    let (header, rows) = open_table(path, input)?;
    let find = |name: &str| header.iter().position(|h| h.trim() == name);
    let need = |name: &str| {
        find(name).ok_or_else(|| {
            ImportError::new(path, format!("no `{name}` column"))
                .at_line(1)
                .field(name.to_string())
                .hint("expected an UNCTADstat bulk CSV (Year, Economy, Economy Label, Flow, Flow Label, Product, Product Label, value)")
        })
    };
    let (year_i, eco_i, eco_label_i, flow_label_i, prod_label_i) = (
        need("Year")?,
        need("Economy")?,
        need("Economy Label")?,
        need("Flow Label")?,
        need("Product Label")?,
    );
    let value_i = header
        .iter()
        .position(|h| {
            let h = h.trim();
            h.contains("current prices")
                && !h.ends_with("Footnote")
                && !h.ends_with("Missing value")
        })
        .ok_or_else(|| {
            ImportError::new(path, "no value column (`… at current prices in thousands`)")
                .at_line(1)
                .hint("download the table with the US dollar value measure")
        })?;
    let measure = header[value_i].trim().to_string();
    let unit = if measure.contains("thousands") {
        "thousand current USD"
    } else if measure.contains("millions") {
        "million current USD"
    } else {
        "current USD"
    };
    for_each_row(
        path,
        rows,
        0,
        Fields::Exactly(header.len()),
        c,
        |c, line, rec| {
            let Some(year) = parse_year(&rec[year_i]) else {
                c.reject(line, "Year", format!("`{}` is not a year", &rec[year_i]));
                return Ok(());
            };
            let flow = match rec[flow_label_i].trim().to_ascii_lowercase().as_str() {
                "exports" => "EXP",
                "imports" => "IMP",
                other => {
                    c.reject(
                        line,
                        "Flow Label",
                        format!("unknown flow `{other}` (expected Exports or Imports)"),
                    );
                    return Ok(());
                }
            };
            let product = rec[prod_label_i].trim();
            let p = product.to_ascii_lowercase();
            let indicator = match &options.indicator {
                Some(i) => format!("{i}.{flow}"),
                None if p.starts_with("ict goods")
                    || p == "total ict goods"
                    || p == "ict goods, total" =>
                {
                    format!("UNCTAD.ICT.{flow}")
                }
                None if p.contains("computer") => format!("UNCTAD.ICT.{flow}.COMPUTERS"),
                None if p.contains("communication") => format!("UNCTAD.ICT.{flow}.COMMUNICATION"),
                None if p.contains("consumer") => format!("UNCTAD.ICT.{flow}.CONSUMER"),
                None if p.contains("component") && !p.contains("misc") => {
                    format!("UNCTAD.ICT.{flow}.COMPONENTS")
                }
                None if p.contains("misc") || p.contains("other") => {
                    format!("UNCTAD.ICT.{flow}.OTHER")
                }
                None => format!("UNCTAD.{}.{flow}", slug(product)),
            };
            let name = format!("{product} — {}", rec[flow_label_i].trim());
            let mut meta = meta_or(
                &indicator,
                &name,
                unit,
                "UNCTADstat",
                "UNCTAD (free use with attribution)",
            );
            meta.unit = unit.to_string();
            c.series(meta);
            // Economies by label (UNCTAD names, scoped) and then by M49 code.
            let label = rec[eco_label_i].trim();
            let economy = match c.registry().resolve(Some("unctad"), label) {
                Some(e) => Some(e),
                None => match c.registry().by_numeric(rec[eco_i].trim()) {
                    Some(e) => Some(e),
                    None => c.economy(line, EconomyRef::named("unctad", label)),
                },
            };
            let Some(economy) = economy else {
                return Ok(());
            };
            c.value(line, &measure, &indicator, economy, year, &rec[value_i])?;
            Ok(())
        },
    )?;
    Ok(())
}
