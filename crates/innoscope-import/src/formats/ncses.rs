//! NCSES Science & Engineering Indicators tables, in the tidy layouts of
//! `shared/data/ncses/tidy/` (the raw converter output drops column labels;
//! the tidy files re-attach them).

use std::path::Path;

use super::{Fields, for_each_row, open_table, slug};
use super::{Input, Parsed};
use crate::ImportError;
use crate::catalog::meta_or;
use crate::collect::{Collector, EconomyRef};
use crate::number::parse_year;

const SOURCE: &str = "NCSES Science & Engineering Indicators";
const LICENCE: &str = "Public domain (US Government work)";

/// The tidy NCSES layouts innoscope reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Layout {
    /// `region_path,economy,sector,year,applications` (SINV-11..16).
    PctBySector,
    /// `region,economy,data_year,gerd_million_current_ppp_usd,gerd_to_gdp_pct` (RD-5).
    Gerd74,
    /// `economy,year,measure,value` (SRD-1, annual 1981–2019).
    GerdAnnual,
    /// `economy,latest_year_note,measure,price_basis,year,value` (SRD-1, SEI 2024).
    GerdSelectedYears,
    /// `region_path,economy,income_group,field_no,field,year,families`
    /// (SINV-5..40, SEI 2022: granted international patent families by
    /// inventor economy and WIPO technology field, fractional counts).
    IpfByField,
    /// `region_path,economy,income_group,table,category,year,patents`
    /// (SINV-A..M, SEI 2024: USPTO utility patents in environmental
    /// sustainability technologies, fractional counts).
    GreenByCategory,
}

const HEADERS: [(Layout, &str); 6] = [
    (
        Layout::PctBySector,
        "region_path,economy,sector,year,applications",
    ),
    (
        Layout::Gerd74,
        "region,economy,data_year,gerd_million_current_ppp_usd,gerd_to_gdp_pct",
    ),
    (Layout::GerdAnnual, "economy,year,measure,value"),
    (
        Layout::GerdSelectedYears,
        "economy,latest_year_note,measure,price_basis,year,value",
    ),
    (
        Layout::IpfByField,
        "region_path,economy,income_group,field_no,field,year,families",
    ),
    (
        Layout::GreenByCategory,
        "region_path,economy,income_group,table,category,year,patents",
    ),
];

/// Indicator of a WIPO field's granted international patent families
/// (`0`, all fields: `NCSES.IPF.GRANTED`).
pub fn ipf_indicator(field_no: u32) -> String {
    if field_no == 0 {
        "NCSES.IPF.GRANTED".into()
    } else {
        format!("NCSES.IPF.GRANTED.F{field_no:02}")
    }
}

/// Indicator of a USPTO green-patent table (`SINV-A`, all categories:
/// `NCSES.USPTO.GREEN`; `SINV-B`: `NCSES.USPTO.GREEN.B`…).
pub fn green_indicator(table: &str) -> Option<String> {
    let letter = table.trim().strip_prefix("SINV-")?;
    if letter.len() != 1 || !letter.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    Some(if letter == "A" {
        "NCSES.USPTO.GREEN".into()
    } else {
        format!("NCSES.USPTO.GREEN.{letter}")
    })
}

impl Layout {
    pub(super) fn detect(header_line: &str) -> Option<Layout> {
        let h = header_line.trim().to_ascii_lowercase();
        HEADERS.iter().find(|(_, want)| h == *want).map(|(l, _)| *l)
    }
}

/// Start of the header of NCSES's labelled raw tables (row hierarchy in
/// `region_country_or_economy_*`, one `field_YYYY` column per year), such as
/// S8-62 (global venture capital investment).
const LABELLED_WIDE: &str = "table_id,row_id,region_country_or_economy_full_path,";

pub(super) fn is_labelled_wide(header_line: &str) -> bool {
    let h = header_line.trim().to_ascii_lowercase();
    h.starts_with(LABELLED_WIDE) && h.contains(",field_")
}

/// Series of the labelled raw tables innoscope knows, by NCSES modal id.
fn labelled_series(
    table_id: &str,
) -> Option<(&'static str, &'static str, &'static str, &'static str)> {
    match table_id {
        "1964" => Some((
            "NCSES.VC.INV",
            "Venture capital investment (PitchBook)",
            "million USD",
            "NCSES SEI 2020, Table S8-62 (PitchBook, accessed 2019-09-21)",
        )),
        _ => None,
    }
}

/// Rows of the hierarchy that are regions or residuals, not economies.
const NOT_ECONOMIES: [&str; 8] = [
    "asia",
    "europe",
    "north america",
    "other europe",
    "other countries",
    "rest of world",
    "row",
    "all others",
];

fn read_labelled_wide(
    path: &Path,
    header: &csv::StringRecord,
    rows: super::Rows<'_>,
    c: &mut Collector,
) -> Result<(), ImportError> {
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let depth_col = col("region_country_or_economy_hierarchy_depth");
    let years: Vec<(usize, i32)> = header
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            h.trim()
                .strip_prefix("field_")
                .and_then(parse_year)
                .map(|y| (i, y))
        })
        .collect();
    if years.is_empty() {
        return Err(
            ImportError::new(path, "no `field_YYYY` year columns in the header").at_line(1),
        );
    }
    let width = header.len();
    let mut series_done = false;
    for_each_row(path, rows, 0, Fields::Exactly(width), c, |c, line, rec| {
        let table = rec[0].trim();
        let Some((indicator, name, unit, source)) = labelled_series(table) else {
            return Err(ImportError::new(
                path,
                format!("NCSES table {table} is not one innoscope reads in its raw layout"),
            )
            .at_line(line)
            .field("table_id")
            .hint("supported raw NCSES tables: S8-62 (modal id 1964, venture capital); use the tidy layouts for the others"));
        };
        if !series_done {
            c.series(meta_or(indicator, name, unit, source, LICENCE));
            series_done = true;
        }
        // The leaf of the path is the row's economy.
        let depth: usize = depth_col
            .and_then(|i| rec[i].trim().parse().ok())
            .unwrap_or(1)
            .clamp(1, 4);
        let leaf = rec.get(2 + depth).map(str::trim).filter(|s| !s.is_empty());
        let leaf = leaf.unwrap_or_else(|| rec[2].rsplit("->").next().unwrap_or("").trim());
        let lower = leaf.to_ascii_lowercase();
        if NOT_ECONOMIES.contains(&lower.as_str()) {
            return Ok(());
        }
        let economy = match lower.as_str() {
            "global total" => c.economy(line, EconomyRef::Code("WLD")),
            // S8-62's "EU" is the 28 members of 2019, the United Kingdom included.
            "eu" => c.economy(line, EconomyRef::Code("EU27UK")),
            _ => economy_of(c, line, leaf),
        };
        let Some(economy) = economy else {
            return Ok(());
        };
        for &(i, year) in &years {
            let field = header.get(i).unwrap_or("value").to_string();
            c.value(line, &field, indicator, economy, year, &rec[i])?;
        }
        Ok(())
    })?;
    c.note("NCSES S8-62 (PitchBook): China includes Hong Kong; the EU row is the EU-28 (United Kingdom included)");
    Ok(())
}

pub(super) fn read(Input(path, input, _): Input<'_>, c: &mut Collector) -> Parsed {
    let (header, rows) = open_table(path, input)?;
    let first = header.iter().collect::<Vec<_>>().join(",");
    if is_labelled_wide(&first) {
        return read_labelled_wide(path, &header, rows, c);
    }
    let layout = Layout::detect(&first).ok_or_else(|| {
        let known: Vec<&str> = HEADERS.iter().map(|(_, h)| *h).collect();
        ImportError::new(
            path,
            format!("unrecognised NCSES table header `{}`", first.trim()),
        )
        .at_line(1)
        .hint(format!("supported NCSES layouts: {}", known.join(" | ")))
    })?;
    let expected_fields = HEADERS
        .iter()
        .find(|(l, _)| *l == layout)
        .map_or(0, |(_, h)| h.split(',').count());
    for_each_row(
        path,
        rows,
        0,
        Fields::Exactly(expected_fields),
        c,
        |c, line, rec| {
            match layout {
                Layout::PctBySector => {
                    if rec[3].contains('-') {
                        return Ok(()); // the 2000-2022 total column
                    }
                    let Some(year) = parse_year(&rec[3]) else {
                        c.reject(line, "year", format!("`{}` is not a year", &rec[3]));
                        return Ok(());
                    };
                    let sector = rec[2].trim();
                    let indicator = if sector.eq_ignore_ascii_case("all") {
                        "NCSES.PCT.APPL".to_string()
                    } else {
                        format!("NCSES.PCT.APPL.{}", slug(sector))
                    };
                    let name = if sector.eq_ignore_ascii_case("all") {
                        String::new()
                    } else {
                        format!("PCT applications in {sector} (publication year; receiving office)")
                    };
                    c.series(meta_or(
                        &indicator,
                        &name,
                        "applications",
                        "NCSES SEI 2024, Tables SINV-11..16",
                        LICENCE,
                    ));
                    let Some(economy) = economy_of(c, line, &rec[1]) else {
                        return Ok(());
                    };
                    c.value(line, "applications", &indicator, economy, year, &rec[4])?;
                }
                Layout::Gerd74 => {
                    let Some(year) = parse_year(&rec[2]) else {
                        c.reject(line, "data_year", format!("`{}` is not a year", &rec[2]));
                        return Ok(());
                    };
                    c.series(meta_or("NCSES.GERD.PPP", "", "", SOURCE, LICENCE));
                    c.series(meta_or("NCSES.GERD.GDP.PCT", "", "", SOURCE, LICENCE));
                    let Some(economy) = economy_of(c, line, &rec[1]) else {
                        return Ok(());
                    };
                    c.value(
                        line,
                        "gerd_million_current_ppp_usd",
                        "NCSES.GERD.PPP",
                        economy,
                        year,
                        &rec[3],
                    )?;
                    c.value(
                        line,
                        "gerd_to_gdp_pct",
                        "NCSES.GERD.GDP.PCT",
                        economy,
                        year,
                        &rec[4],
                    )?;
                }
                Layout::GerdAnnual => {
                    let Some(year) = parse_year(&rec[1]) else {
                        c.reject(line, "year", format!("`{}` is not a year", &rec[1]));
                        return Ok(());
                    };
                    let indicator = match rec[2].trim() {
                        "GERD, billions of current PPP US$" => "NCSES.GERD.PPP.BN",
                        "GERD, billions of constant 2012 PPP US$" => "NCSES.GERD.KPPP2012.BN",
                        "GERD-to-GDP ratio (%)" => "NCSES.GERD.GDP.PCT.ANNUAL",
                        other => {
                            c.reject(line, "measure", format!("unknown measure `{other}`"));
                            return Ok(());
                        }
                    };
                    c.series(meta_or(indicator, "", "", SOURCE, LICENCE));
                    let Some(economy) = economy_of(c, line, &rec[0]) else {
                        return Ok(());
                    };
                    c.value(line, "value", indicator, economy, year, &rec[3])?;
                }
                Layout::GerdSelectedYears => {
                    let Some(year) = parse_year(&rec[4]) else {
                        // CAGR rows carry a span such as `2010-21`; they are derived, not data.
                        return Ok(());
                    };
                    let indicator = format!("NCSES.SRD1.{}.{}", slug(&rec[2]), slug(&rec[3]));
                    let name = format!("{} ({})", rec[2].trim(), rec[3].trim());
                    c.series(meta_or(
                        &indicator,
                        &name,
                        "billion PPP USD or %",
                        "NCSES SEI 2024, Table SRD-1 (OECD MSTI Sept 2023)",
                        LICENCE,
                    ));
                    let Some(economy) = economy_of(c, line, &rec[0]) else {
                        return Ok(());
                    };
                    // "2021" means 2021 or the latest year, given in latest_year_note.
                    let year = parse_year(&rec[1]).filter(|_| year == 2021).unwrap_or(year);
                    c.value(line, "value", &indicator, economy, year, &rec[5])?;
                }
                Layout::IpfByField => {
                    let Some(year) = parse_year(&rec[5]) else {
                        c.reject(line, "year", format!("`{}` is not a year", &rec[5]));
                        return Ok(());
                    };
                    let field_no = match rec[3].trim().parse::<u32>() {
                        Ok(n) if n <= 35 => n,
                        _ => {
                            c.reject(
                                line,
                                "field_no",
                                format!("`{}` is not a WIPO field number (0–35)", &rec[3]),
                            );
                            return Ok(());
                        }
                    };
                    let indicator = ipf_indicator(field_no);
                    let name = format!(
                        "International patent families granted, {} (inventor economy, fractional counts)",
                        rec[4].trim()
                    );
                    c.series(meta_or(
                        &indicator,
                        &name,
                        "patent families",
                        "NCSES SEI 2022, Tables SINV-5..40 (PATSTAT, Science-Metrix)",
                        LICENCE,
                    ));
                    let Some(economy) = economy_of(c, line, &rec[1]) else {
                        return Ok(());
                    };
                    c.value(line, "families", &indicator, economy, year, &rec[6])?;
                }
                Layout::GreenByCategory => {
                    let Some(year) = parse_year(&rec[5]) else {
                        c.reject(line, "year", format!("`{}` is not a year", &rec[5]));
                        return Ok(());
                    };
                    let Some(indicator) = green_indicator(&rec[3]) else {
                        c.reject(
                            line,
                            "table",
                            format!("`{}` is not an NCSES SINV-A..M table", &rec[3]),
                        );
                        return Ok(());
                    };
                    let name = format!(
                        "USPTO utility patents in {} (inventor economy, fractional counts)",
                        rec[4].trim()
                    );
                    c.series(meta_or(
                        &indicator,
                        &name,
                        "patents",
                        "NCSES SEI 2024, Tables SINV-A..M (PatentsView, USPTO; Science-Metrix)",
                        LICENCE,
                    ));
                    let Some(economy) = economy_of(c, line, &rec[1]) else {
                        return Ok(());
                    };
                    c.value(line, "patents", &indicator, economy, year, &rec[6])?;
                }
            }
            Ok(())
        },
    )?;
    if layout == Layout::PctBySector {
        c.note("NCSES counts PCT applications by publication year and receiving office: EPO filings sit under `European Patent Office`, not under their applicants' economies; rank economies with WIPO data by applicant origin or patent microdata where possible");
    }
    Ok(())
}

fn economy_of(
    c: &mut Collector,
    line: u64,
    name: &str,
) -> Option<&'static innoscope_core::Economy> {
    c.economy(line, EconomyRef::named("ncses", name))
}
