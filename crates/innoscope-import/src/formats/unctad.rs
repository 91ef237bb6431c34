//! UNCTAD World Investment Report annex tables: `level,type,Region/economy,1990,…`,
//! values in millions of current US dollars, regions nested by `level`.

use super::{Fields, expect_header, for_each_row, open_table};
use super::{Input, Parsed};
use crate::ImportError;
use crate::catalog::meta_or;
use crate::collect::{Collector, EconomyRef};
use crate::number::parse_year;

pub(super) fn read(Input(path, input, options): Input<'_>, c: &mut Collector) -> Parsed {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let indicator = match &options.indicator {
        Some(i) => i.clone(),
        None if name.contains("tab01") || name.contains("inflow") => "UNCTAD.FDI.IN".to_string(),
        None if name.contains("tab02") || name.contains("outflow") => "UNCTAD.FDI.OUT".to_string(),
        None => {
            return Err(ImportError::new(path, "cannot tell whether this table holds FDI inflows or outflows")
                .hint("pass --indicator UNCTAD.FDI.IN or UNCTAD.FDI.OUT (or keep `tab01`/`tab02` in the file name)"));
        }
    };
    let mut meta = meta_or(
        &indicator,
        "",
        "million current USD",
        "UNCTAD World Investment Report",
        "UNCTAD (free use with attribution)",
    );
    if let Some(u) = &options.unit {
        meta.unit = u.clone();
    }
    c.series(meta);
    let (header, rows) = open_table(path, input)?;
    expect_header(path, 1, &header, &["level", "type", "Region/economy"])?;
    let mut years = Vec::new();
    for (i, h) in header.iter().enumerate().skip(3) {
        if h.trim().is_empty() {
            continue;
        }
        let Some(y) = parse_year(h) else {
            return Err(
                ImportError::new(path, format!("column `{h}` is not a year"))
                    .at_line(1)
                    .field(h.to_string()),
            );
        };
        years.push((i, y, h.to_string()));
    }
    // Path of region names down to the current row, indexed by level - 1.
    let mut path_stack: Vec<String> = Vec::new();
    for_each_row(
        path,
        rows,
        0,
        Fields::AtLeast(3 + years.len()),
        c,
        |c, line, rec| {
            let Ok(level) = rec[0].trim().parse::<usize>() else {
                c.reject(
                    line,
                    "level",
                    format!("`{}` is not a hierarchy level", &rec[0]),
                );
                return Ok(());
            };
            if level == 0 || level > 12 {
                c.reject(line, "level", format!("level {level} is out of range 1–12"));
                return Ok(());
            }
            let name = rec[2].trim().to_string();
            let economy = match rec[1].trim() {
                "region" => {
                    // Level 1 is the root (World). Some annex tables put a second
                    // region at level 1 (tab02: "Developed economies"); it is a
                    // child of the root.
                    let level = if level == 1
                        && path_stack.first().is_some_and(|root| *root != name)
                    {
                        c.note(format!("line {line}: region `{name}` is at level 1 beside the root `{}`; read as level 2", path_stack[0]));
                        2
                    } else {
                        level
                    };
                    path_stack.truncate(level - 1);
                    while path_stack.len() < level - 1 {
                        path_stack.push(String::new());
                    }
                    path_stack.push(name.clone());
                    let scoped = path_stack.join(" > ");
                    c.economy(line, EconomyRef::named("unctad", &scoped))
                }
                "country" => c.economy(line, EconomyRef::named("unctad", &name)),
                other => {
                    c.reject(
                        line,
                        "type",
                        format!("`{other}` is neither `region` nor `country`"),
                    );
                    return Ok(());
                }
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
    Ok(())
}
