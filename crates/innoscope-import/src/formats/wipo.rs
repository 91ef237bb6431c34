//! WIPO IP Statistics Data Center CSV export. WIPO's statistics may not be
//! redistributed: this reader exists so users can bring their own exports;
//! innoscope never bundles them.
//!
//! Layout: UTF-8 with BOM; six preamble lines (right type, blank, indicator,
//! blank, `Source: WIPO statistics database. Last updated: …`, blank); header
//! `Origin,Origin (Code),Office,Field of technology,1980,…,2024,` with an empty
//! trailing field; an empty cell means no data. Historical origin codes (SU,
//! DD, YU, CS) resolve to the registry's historical entities.

use super::{Fields, expect_header, for_each_row, read_until_header, records, slug};
use super::{Input, Parsed};
use crate::ImportError;
use crate::catalog::meta_or;
use crate::collect::{Collector, EconomyRef};
use crate::number::parse_year;

pub(super) fn read(Input(path, input, options): Input<'_>, c: &mut Collector) -> Parsed {
    let pre = read_until_header(
        path,
        input,
        20,
        |l| l.trim_start().starts_with("Origin,Origin (Code)"),
        "expected a WIPO IP Statistics Data Center CSV export (six preamble lines, then `Origin,Origin (Code),…`)",
    )?;
    let clean = |s: &str| {
        s.trim()
            .trim_matches(',')
            .trim_matches('"')
            .trim()
            .to_string()
    };
    let preamble: Vec<String> = pre
        .lines
        .iter()
        .map(|l| clean(l))
        .filter(|l| !l.is_empty())
        .collect();
    let right_type = preamble.first().cloned().unwrap_or_default();
    let title = preamble.get(1).cloned().unwrap_or_default();
    let vintage = preamble
        .iter()
        .find_map(|l| {
            l.split("Last updated:")
                .nth(1)
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_default();
    let offset = pre.header_line - 1;
    let header = pre.header;
    let rows = records(input);
    expect_header(
        path,
        offset + 1,
        &header,
        &["Origin", "Origin (Code)", "Office", "Field of technology"],
    )?;
    let mut years = Vec::new();
    for (i, h) in header.iter().enumerate().skip(4) {
        if h.trim().is_empty() {
            continue;
        }
        let Some(y) = parse_year(h) else {
            return Err(
                ImportError::new(path, format!("column `{h}` is not a year"))
                    .at_line(offset + 1)
                    .field(h.to_string()),
            );
        };
        years.push((i, y, h.to_string()));
    }
    let base = format!("WIPO.{}", slug(&title));
    for_each_row(
        path,
        rows,
        offset + 1,
        Fields::AtLeast(4 + years.len()),
        c,
        |c, line, rec| {
            let office = rec[2].trim();
            let field = rec[3].trim();
            let indicator = options.indicator.clone().unwrap_or_else(|| {
                let mut code = base.clone();
                for part in [office, field] {
                    if !part.is_empty()
                        && !part.eq_ignore_ascii_case("total")
                        && !part.eq_ignore_ascii_case("all")
                    {
                        code.push('.');
                        code.push_str(&slug(part));
                    }
                }
                code
            });
            let name = [title.as_str(), office, field]
                .iter()
                .filter(|s| !s.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(" — ");
            let mut meta = meta_or(
                &indicator,
                &name,
                if right_type.is_empty() {
                    "count"
                } else {
                    &right_type
                },
                "WIPO IP Statistics Data Center",
                "WIPO terms: not redistributable",
            );
            meta.vintage = vintage.clone();
            c.series(meta);
            let code = rec[1].trim();
            let economy = match c.registry().by_code(code) {
                Some(e) => Some(e),
                None => c.economy(line, EconomyRef::named("wipo", &rec[0])),
            };
            let Some(economy) = economy else {
                return Ok(());
            };
            for (i, year, col) in &years {
                c.value(line, col, &indicator, economy, *year, &rec[*i])?;
            }
            Ok(())
        },
    )?;
    c.note("WIPO statistics may not be redistributed: keep this dataset in your own store; innoscope never bundles it");
    Ok(())
}
