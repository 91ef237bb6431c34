//! OECD Data Explorer SDMX-CSV: `STRUCTURE,STRUCTURE_ID,[STRUCTURE_NAME,]ACTION,
//! REF_AREA,…dimensions…,TIME_PERIOD,OBS_VALUE,…attributes…`, optionally with
//! a label column after each code column (`REF_AREA,Reference area`) or with
//! "code: label" cells (`labels=both`).
//!
//! The indicator code is `OECD.<dataflow>.<dimension codes…>`, one series per
//! distinct combination of the non-area dimensions.

use super::{Fields, for_each_row, open_table};
use super::{Input, Parsed};
use crate::ImportError;
use crate::catalog::meta_or;
use crate::collect::{Collector, EconomyRef};
use crate::number::{parse_year, sub_annual};
use innoscope_core::Dimension;

/// Columns that are not series dimensions.
const NON_DIMENSIONS: &[&str] = &[
    "STRUCTURE",
    "STRUCTURE_ID",
    "STRUCTURE_NAME",
    "ACTION",
    "REF_AREA",
    "TIME_PERIOD",
    "OBS_VALUE",
    "OBS_STATUS",
    "OBS_STATUS_2",
    "UNIT_MULT",
    "DECIMALS",
    "BASE_PER",
    "CONF_STATUS",
    "OBS_CONF",
    "NOTE",
];

/// `REF_AREA: Reference area` → `REF_AREA`; `USA: United States` → (`USA`, `United States`).
fn split_code(cell: &str) -> (&str, &str) {
    match cell.split_once(": ") {
        Some((code, label)) => (code.trim(), label.trim()),
        None => (cell.trim(), ""),
    }
}

fn is_code_column(h: &str) -> bool {
    let id = split_code(h).0;
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

pub(super) fn read(Input(path, input, options): Input<'_>, c: &mut Collector) -> Parsed {
    let (header, rows) = open_table(path, input)?;
    let find = |name: &str| header.iter().position(|h| split_code(h).0 == name);
    let missing = |name: &str| {
        ImportError::new(path, format!("no `{name}` column"))
            .at_line(1)
            .field(name.to_string())
            .hint("expected an OECD SDMX-CSV export (Data Explorer → Download → CSV)")
    };
    let area = find("REF_AREA").ok_or_else(|| missing("REF_AREA"))?;
    let time = find("TIME_PERIOD").ok_or_else(|| missing("TIME_PERIOD"))?;
    let value = find("OBS_VALUE").ok_or_else(|| missing("OBS_VALUE"))?;
    let structure_id = find("STRUCTURE_ID");
    let area_label_col = header
        .get(area + 1)
        .filter(|n| !is_code_column(n))
        .map(|_| area + 1);
    let unit_mult = find("UNIT_MULT");
    // A label column is a non-code header right after a code column.
    let dims: Vec<(usize, String, Option<usize>)> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| is_code_column(h) && !NON_DIMENSIONS.contains(&split_code(h).0))
        .map(|(i, h)| {
            let label_col = header
                .get(i + 1)
                .filter(|n| !is_code_column(n))
                .map(|_| i + 1);
            (i, split_code(h).0.to_string(), label_col)
        })
        .collect();
    let mut noted_mult = false;
    for_each_row(
        path,
        rows,
        0,
        Fields::Exactly(header.len()),
        c,
        |c, line, rec| {
            let Some(year) = parse_year(&rec[time]) else {
                let why = if sub_annual(&rec[time]) {
                    "a quarterly or monthly period; innoscope reads annual series (ask the OECD for FREQ=A)"
                } else {
                    "not an annual period"
                };
                c.reject(line, "TIME_PERIOD", format!("`{}` is {why}", &rec[time]));
                return Ok(());
            };
            let indicator = match &options.indicator {
                Some(i) => i.clone(),
                None => {
                    let flow = structure_id
                        .map(|i| {
                            let id = split_code(&rec[i]).0;
                            let after_colon = id.rsplit(':').next().unwrap_or(id);
                            let flow = after_colon.split('(').next().unwrap_or(after_colon);
                            flow.rsplit('@').next().unwrap_or(flow).to_string()
                        })
                        .unwrap_or_else(|| "SDMX".to_string());
                    let mut code = format!("OECD.{flow}");
                    for (i, _, _) in &dims {
                        code.push('.');
                        code.push_str(split_code(&rec[*i]).0);
                    }
                    code
                }
            };
            let name: Vec<String> = dims
                .iter()
                .map(|(i, _, label)| {
                    let (code, inline) = split_code(&rec[*i]);
                    let l = label
                        .map(|l| rec[l].trim())
                        .filter(|s| !s.is_empty())
                        .unwrap_or(inline);
                    if l.is_empty() {
                        code.to_string()
                    } else {
                        l.to_string()
                    }
                })
                .collect();
            let mut unit = dims
                .iter()
                .find(|(_, n, _)| n == "UNIT_MEASURE")
                .map(|(i, _, label)| {
                    label
                        .map(|l| rec[l].to_string())
                        .unwrap_or_else(|| split_code(&rec[*i]).0.to_string())
                })
                .unwrap_or_default();
            if let Some(m) = unit_mult
                .map(|i| split_code(&rec[i]).0.to_string())
                .filter(|m| !m.is_empty() && m != "0")
            {
                unit = format!("{unit} (×10^{m})");
                if !noted_mult {
                    c.note("values are kept as published; UNIT_MULT is recorded in the unit");
                    noted_mult = true;
                }
            }
            let mut meta = meta_or(
                &indicator,
                &name.join(", "),
                &unit,
                "OECD (SDMX)",
                "OECD terms (CC BY 4.0 for most datasets)",
            );
            // One series per combination of codes, unless `--indicator`
            // folds them into one (then no single set of codes is its own).
            if options.indicator.is_none() {
                meta.dims = dims
                    .iter()
                    .zip(&name)
                    .map(|((i, id, _), label)| {
                        let code = split_code(&rec[*i]).0;
                        Dimension {
                            id: id.clone(),
                            code: code.to_string(),
                            label: if label == code {
                                String::new()
                            } else {
                                label.clone()
                            },
                        }
                    })
                    .collect();
            }
            c.series(meta);
            let (area_code, inline_label) = split_code(&rec[area]);
            // The label column (`REF_AREA,Reference area`), else a
            // "code: label" cell: `W` is found as "World".
            let area_label = area_label_col
                .map(|l| rec[l].trim())
                .filter(|l| !l.is_empty())
                .unwrap_or(inline_label);
            // The code (`KOR`), the code as a source name (`EU27_2020`),
            // then the label (`W` → "World").
            let known = c
                .registry()
                .by_code(area_code)
                .or_else(|| c.registry().resolve(Some("oecd"), area_code));
            let economy = match known {
                Some(e) => Some(e),
                None => {
                    // An alpha-3 code the registry does not know is reported
                    // as unknown, never guessed from its label (`XQZ`
                    // labelled "Korea" would merge into KOR); the OECD's own
                    // codes (`W`, `WXOECD`) are found by their label.
                    let iso_like =
                        area_code.len() == 3 && area_code.bytes().all(|b| b.is_ascii_uppercase());
                    let label = if area_label.is_empty() || iso_like {
                        area_code
                    } else {
                        area_label
                    };
                    c.economy(line, EconomyRef::named("oecd", label))
                }
            };
            let Some(economy) = economy else {
                return Ok(());
            };
            c.value(line, "OBS_VALUE", &indicator, economy, year, &rec[value])?;
            Ok(())
        },
    )?;
    Ok(())
}
