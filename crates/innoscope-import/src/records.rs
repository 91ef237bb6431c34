//! Readers for record lists (C3, I1–I3): ranked lists of innovation actors,
//! the EU Industrial R&D Investment Scoreboard, the unicorn list and
//! venture-capital deals. See [`innoscope_core::records`].
//!
//! Like the statistics readers they stream their file, name file, line and
//! field for every row they cannot use, list names that resolve to no
//! economy, and never panic on any input.

use std::io::{BufRead, Read};
use std::path::Path;

use innoscope_core::Observation;
use innoscope_core::records::{
    ACTOR_TYPES, RankedEntry, Records, ScoreboardFirm, Unicorn, VcRecord,
};

use crate::collect::{Collector, EconomyRef};
use crate::formats::{Fields, for_each_row, open_table};
use crate::input::{Decoded, decode_head};
use crate::number::{Cell, parse_cell, parse_year};
use crate::{ImportError, ImportSummary};

/// The record formats innoscope reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordFormat {
    /// QS World University Rankings (topuniversities.com export / Kaggle scrape).
    Qs,
    /// innoscope's documented ranked list: `rank,name,economy,type,edition,list`.
    RankedList,
    /// EU Industrial R&D Investment Scoreboard, world 2500 sheet saved as CSV.
    Scoreboard,
    /// CB Insights' Global Unicorn Club list (as redistributed by Maven Analytics).
    Unicorns,
    /// innoscope's documented venture-capital CSV: `date,sector,stage,amount_usd_m,economy[,deals]`.
    VentureCapital,
}

impl RecordFormat {
    pub const ALL: [RecordFormat; 5] = [
        RecordFormat::Qs,
        RecordFormat::RankedList,
        RecordFormat::Scoreboard,
        RecordFormat::Unicorns,
        RecordFormat::VentureCapital,
    ];

    pub fn name(self) -> &'static str {
        match self {
            RecordFormat::Qs => "qs",
            RecordFormat::RankedList => "ranked-list",
            RecordFormat::Scoreboard => "eu-scoreboard",
            RecordFormat::Unicorns => "unicorns",
            RecordFormat::VentureCapital => "venture-capital",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            RecordFormat::Qs => "QS World University Rankings CSV",
            RecordFormat::RankedList => {
                "innoscope ranked list (rank,name,economy,type,edition,list[,source])"
            }
            RecordFormat::Scoreboard => "EU Industrial R&D Investment Scoreboard (world 2500) CSV",
            RecordFormat::Unicorns => "CB Insights Global Unicorn Club list CSV",
            RecordFormat::VentureCapital => {
                "innoscope venture-capital CSV (date,sector,stage,amount_usd_m,economy[,deals])"
            }
        }
    }

    /// The dataset an import of this format goes to by default.
    pub fn default_dataset(self) -> &'static str {
        match self {
            RecordFormat::Qs => "qs",
            RecordFormat::RankedList => "ranked-lists",
            RecordFormat::Scoreboard => "scoreboard",
            RecordFormat::Unicorns => "unicorns",
            RecordFormat::VentureCapital => "venture-capital",
        }
    }

    /// Publisher and licence statement recorded with the dataset.
    pub fn source(self) -> (&'static str, &'static str) {
        match self {
            RecordFormat::Qs => (
                "QS Quacquarelli Symonds, QS World University Rankings",
                "not stated; rank, name and economy used as facts, QS content is QS's",
            ),
            RecordFormat::RankedList => ("user-supplied ranked list", "as stated by its publisher"),
            RecordFormat::Scoreboard => (
                "European Commission JRC, EU Industrial R&D Investment Scoreboard",
                "European Commission reuse policy (CC BY 4.0)",
            ),
            RecordFormat::Unicorns => (
                "CB Insights, The Complete List of Unicorn Companies",
                "not stated; company, date, industry and economy used as facts",
            ),
            RecordFormat::VentureCapital => (
                "user-supplied venture-capital file",
                "as stated by its publisher",
            ),
        }
    }

    /// Guess the format from the first bytes of a file.
    pub fn detect(bytes: &[u8]) -> Option<RecordFormat> {
        let text = decode_head(&bytes[..bytes.len().min(16 * 1024)]);
        let first = text
            .lines()
            .next()
            .unwrap_or("")
            .trim_start_matches('\u{feff}');
        let h = first.to_ascii_lowercase().replace('"', "");
        if h.starts_with("unique id,university,year,rank_display") {
            return Some(RecordFormat::Qs);
        }
        if h.starts_with("rank,name,economy,type,edition,list") {
            return Some(RecordFormat::RankedList);
        }
        if h.starts_with("company,valuation,date joined,industry") {
            return Some(RecordFormat::Unicorns);
        }
        if h.starts_with("date,sector,stage,amount_usd_m,economy") {
            return Some(RecordFormat::VentureCapital);
        }
        if h.contains("company") && h.contains("r&d") && h.contains("icb") {
            return Some(RecordFormat::Scoreboard);
        }
        None
    }
}

impl std::str::FromStr for RecordFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        RecordFormat::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown record format `{s}`"))
    }
}

/// What a record reader returns.
pub struct RecordsRead {
    pub records: Records,
    pub summary: ImportSummary,
    /// Publisher, from the format or the file's `source` column.
    pub source: String,
    pub licence: String,
}

/// Read a record file.
pub fn read_records(
    path: &Path,
    reader: &mut dyn Read,
    format: RecordFormat,
) -> Result<RecordsRead, ImportError> {
    let mut input = Decoded::new(crate::input::LineCap::new(reader, crate::input::MAX_LINE));
    let input: &mut dyn BufRead = &mut input;
    let mut sink: Vec<Observation> = Vec::new();
    let mut c = Collector::new(path, format.name(), &mut sink);
    let (header, rows) = open_table(path, input)?;
    let (source, licence) = format.source();
    let mut source = source.to_string();
    let records = match format {
        RecordFormat::Qs => Records::RankedList(qs(path, &header, rows, &mut c)?),
        RecordFormat::RankedList => {
            let (v, s) = ranked(path, &header, rows, &mut c)?;
            if !s.is_empty() {
                source = s.join("; ");
            }
            Records::RankedList(v)
        }
        RecordFormat::Scoreboard => Records::Scoreboard(scoreboard(path, &header, rows, &mut c)?),
        RecordFormat::Unicorns => Records::Unicorns(unicorns(path, &header, rows, &mut c)?),
        RecordFormat::VentureCapital => {
            Records::VentureCapital(venture(path, &header, rows, &mut c)?)
        }
    };
    let summary = c.finish()?;
    if records.is_empty() {
        return Err(match summary.rejected.first() {
            Some(r) => ImportError::new(
                path,
                format!(
                    "no usable rows ({} rejected); the first: {r}",
                    summary.rejected.len()
                ),
            ),
            None => ImportError::new(path, "no usable rows"),
        }
        .hint(format!("the file should be a {}", format.describe())));
    }
    Ok(RecordsRead {
        records,
        summary,
        source,
        licence: licence.to_string(),
    })
}

/// Column index by case-insensitive name, or a header error naming the file.
fn column(path: &Path, header: &csv::StringRecord, names: &[&str]) -> Result<usize, ImportError> {
    header
        .iter()
        .position(|h| {
            let h = h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase();
            names.iter().any(|n| h == *n)
        })
        .ok_or_else(|| {
            ImportError::new(path, format!("no `{}` column in the header", names[0]))
                .at_line(1)
                .field(names[0])
        })
}

/// Column whose name contains every fragment (scoreboard headers change wording by edition).
fn column_like(header: &csv::StringRecord, fragments: &[&str], not: &[&str]) -> Option<usize> {
    header.iter().position(|h| {
        let h = h.to_ascii_lowercase();
        fragments.iter().all(|f| h.contains(f)) && !not.iter().any(|f| h.contains(f))
    })
}

fn economy(c: &mut Collector, line: u64, raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    c.economy(
        line,
        EconomyRef::Name {
            scope: None,
            name: raw,
        },
    )
    .map(|e| e.code.clone())
}

/// A rank as published: `3`, `=3`, `501-510`, `1001+` → its first number.
fn parse_rank(raw: &str) -> Option<u32> {
    let digits: String = raw
        .trim()
        .trim_start_matches('=')
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok().filter(|r| *r > 0)
}

fn qs(
    path: &Path,
    header: &csv::StringRecord,
    rows: crate::formats::Rows<'_>,
    c: &mut Collector,
) -> Result<Vec<RankedEntry>, ImportError> {
    let name = column(path, header, &["university"])?;
    let year = column(path, header, &["year"])?;
    let rank = column(path, header, &["rank_display"])?;
    let country = column(path, header, &["country"])?;
    let mut out = Vec::new();
    for_each_row(
        path,
        rows,
        0,
        Fields::AtLeast(name.max(year).max(rank).max(country) + 1),
        c,
        |c, line, rec| {
            let Some(edition) = parse_year(&rec[year]) else {
                c.reject(line, "year", format!("`{}` is not a year", &rec[year]));
                return Ok(());
            };
            let display = rec[rank].trim();
            if display.is_empty() {
                return Ok(()); // unranked institutions
            }
            let Some(r) = parse_rank(display) else {
                c.reject(line, "rank_display", format!("`{display}` is not a rank"));
                return Ok(());
            };
            out.push(RankedEntry {
                list: "qs-wur".into(),
                edition,
                rank: r,
                rank_display: display.to_string(),
                name: rec[name].trim().to_string(),
                economy: economy(c, line, &rec[country]),
                economy_raw: rec[country].trim().to_string(),
                actor_type: "university".into(),
            });
            Ok(())
        },
    )?;
    out.sort_by(|a, b| (a.edition, a.rank, &a.name).cmp(&(b.edition, b.rank, &b.name)));
    Ok(out)
}

fn ranked(
    path: &Path,
    header: &csv::StringRecord,
    rows: crate::formats::Rows<'_>,
    c: &mut Collector,
) -> Result<(Vec<RankedEntry>, Vec<String>), ImportError> {
    let source_col = column(path, header, &["source"]).ok();
    let mut out = Vec::new();
    let mut sources = std::collections::BTreeSet::new();
    let width = if source_col.is_some() { 7 } else { 6 };
    for_each_row(path, rows, 0, Fields::Exactly(width), c, |c, line, rec| {
        let Some(r) = parse_rank(&rec[0]) else {
            c.reject(line, "rank", format!("`{}` is not a rank", rec[0].trim()));
            return Ok(());
        };
        let name = rec[1].trim();
        if name.is_empty() {
            c.reject(line, "name", "empty name");
            return Ok(());
        }
        let kind = rec[3].trim().to_ascii_lowercase();
        if !ACTOR_TYPES.contains(&kind.as_str()) {
            c.reject(
                line,
                "type",
                format!(
                    "`{}` is not one of {}",
                    rec[3].trim(),
                    ACTOR_TYPES.join(", ")
                ),
            );
            return Ok(());
        }
        let Some(edition) = parse_year(&rec[4]) else {
            c.reject(
                line,
                "edition",
                format!("`{}` is not a year", rec[4].trim()),
            );
            return Ok(());
        };
        let list = rec[5].trim().to_ascii_lowercase();
        if list.is_empty()
            || !list
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '-')
        {
            c.reject(
                line,
                "list",
                format!(
                    "`{}` is not a list id (letters, digits, `-`)",
                    rec[5].trim()
                ),
            );
            return Ok(());
        }
        if let Some(i) = source_col {
            sources.insert(rec[i].trim().to_string());
        }
        out.push(RankedEntry {
            list,
            edition,
            rank: r,
            rank_display: rec[0].trim().to_string(),
            name: name.to_string(),
            economy: economy(c, line, &rec[2]),
            economy_raw: rec[2].trim().to_string(),
            actor_type: kind,
        });
        Ok(())
    })?;
    out.sort_by(|a, b| {
        (&a.list, a.edition, a.rank, &a.name).cmp(&(&b.list, b.edition, b.rank, &b.name))
    });
    Ok((out, sources.into_iter().filter(|s| !s.is_empty()).collect()))
}

fn number(c: &mut Collector, line: u64, field: &str, raw: &str) -> Result<Option<f64>, ()> {
    let cleaned = raw.trim().trim_end_matches('%').replace(['€', '$'], "");
    match parse_cell(&cleaned) {
        Cell::Value(v) => Ok(Some(v)),
        Cell::Missing => Ok(None),
        Cell::Invalid => {
            c.reject(line, field, format!("`{}` is not a number", raw.trim()));
            Err(())
        }
    }
}

fn scoreboard(
    path: &Path,
    header: &csv::StringRecord,
    rows: crate::formats::Rows<'_>,
    c: &mut Collector,
) -> Result<Vec<ScoreboardFirm>, ImportError> {
    let need = |i: Option<usize>, what: &str| {
        i.ok_or_else(|| {
            ImportError::new(path, format!("no {what} column in the header"))
                .at_line(1)
                .field(what)
                .hint("the EU Scoreboard's world 2500 sheet has Rank, Company, Country, ICB sector, R&D (€million), R&D one-year growth, Net sales (€million), Net sales one-year growth")
        })
    };
    let rank = need(column_like(header, &["rank"], &[]), "rank")?;
    let company = need(column_like(header, &["company"], &[]), "company")?;
    let country = need(column_like(header, &["country"], &[]), "country")?;
    let industry = need(column_like(header, &["icb"], &["code"]), "ICB sector")?;
    let rd = need(
        column_like(header, &["r&d", "million"], &["growth", "intensity"]),
        "R&D (€million)",
    )?;
    let rd_growth = column_like(header, &["r&d", "growth"], &[]);
    let sales = column_like(header, &["sales", "million"], &["growth"]);
    let sales_growth = column_like(header, &["sales", "growth"], &[]);
    // The financial year is in the R&D column's name: `R&D 2019 (€million)`.
    let year = header[rd]
        .split(|ch: char| !ch.is_ascii_digit())
        .find(|p| p.len() == 4)
        .and_then(parse_year)
        .ok_or_else(|| {
            ImportError::new(
                path,
                format!("no year in the R&D column name `{}`", &header[rd]),
            )
            .at_line(1)
            .field("R&D (€million)")
        })?;
    let mut out = Vec::new();
    for_each_row(
        path,
        rows,
        0,
        Fields::AtLeast(header.len()),
        c,
        |c, line, rec| {
            let Some(r) = parse_rank(&rec[rank]) else {
                c.reject(
                    line,
                    "rank",
                    format!("`{}` is not a rank", rec[rank].trim()),
                );
                return Ok(());
            };
            let Ok(Some(rd_v)) = number(c, line, "R&D", &rec[rd]) else {
                if parse_cell(&rec[rd]) == Cell::Missing {
                    c.reject(line, "R&D", "no R&D figure");
                }
                return Ok(());
            };
            let get = |c: &mut Collector, i: Option<usize>, f: &str| match i {
                Some(i) => number(c, line, f, &rec[i]),
                None => Ok(None),
            };
            let (Ok(rg), Ok(s), Ok(sg)) = (
                get(c, rd_growth, "R&D one-year growth"),
                get(c, sales, "net sales"),
                get(c, sales_growth, "net sales one-year growth"),
            ) else {
                return Ok(());
            };
            out.push(ScoreboardFirm {
                year,
                rank: r,
                company: rec[company].trim().to_string(),
                economy: economy(c, line, &rec[country]),
                economy_raw: rec[country].trim().to_string(),
                industry: rec[industry].trim().to_string(),
                rd: rd_v,
                rd_growth: rg,
                sales: s,
                sales_growth: sg,
            });
            Ok(())
        },
    )?;
    out.sort_by_key(|f| (f.year, f.rank));
    Ok(out)
}

/// `$180B`, `$572M`, `$1.2B` → billions of USD.
fn billions(raw: &str) -> Option<f64> {
    let s = raw.trim().trim_start_matches('$').trim();
    let (num, per_billion) = match s.chars().last()? {
        'B' | 'b' => (&s[..s.len() - 1], 1.0),
        'M' | 'm' => (&s[..s.len() - 1], 1000.0),
        _ => (s, 1.0),
    };
    num.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(|v| v / per_billion)
}

/// `4/7/2017`, `2017-04-07` → `2017-04-07`.
fn iso_date(raw: &str) -> Option<String> {
    let s = raw.trim();
    let (y, m, d) = if s.contains('-') {
        let p: Vec<&str> = s.split('-').collect();
        (
            p.first()?.parse::<i32>().ok()?,
            p.get(1)?.parse::<u32>().ok()?,
            p.get(2)?.parse::<u32>().ok()?,
        )
    } else {
        let p: Vec<&str> = s.split('/').collect();
        (
            p.get(2)?.parse::<i32>().ok()?,
            p.first()?.parse::<u32>().ok()?,
            p.get(1)?.parse::<u32>().ok()?,
        )
    };
    ((1900..=2100).contains(&y)
        && (1..=12).contains(&m)
        && (1..=innoscope_core::kb::days_in_month(y, m)).contains(&d))
    .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

fn unicorns(
    path: &Path,
    header: &csv::StringRecord,
    rows: crate::formats::Rows<'_>,
    c: &mut Collector,
) -> Result<Vec<Unicorn>, ImportError> {
    let company = column(path, header, &["company"])?;
    let valuation = column(path, header, &["valuation"])?;
    let joined = column(path, header, &["date joined"])?;
    let industry = column(path, header, &["industry"])?;
    let city = column(path, header, &["city"])?;
    let country = column(path, header, &["country"])?;
    let founded = column(path, header, &["year founded"]).ok();
    let mut out = Vec::new();
    for_each_row(
        path,
        rows,
        0,
        Fields::AtLeast(header.len()),
        c,
        |c, line, rec| {
            let Some(date) = iso_date(&rec[joined]) else {
                c.reject(
                    line,
                    "Date Joined",
                    format!("`{}` is not a date", rec[joined].trim()),
                );
                return Ok(());
            };
            let v = rec[valuation].trim();
            let val = billions(v);
            if val.is_none() && !v.is_empty() {
                c.reject(
                    line,
                    "Valuation",
                    format!("`{v}` is not an amount like $1.5B"),
                );
                return Ok(());
            }
            out.push(Unicorn {
                company: rec[company].trim().to_string(),
                valuation: val,
                joined: date,
                industry: rec[industry].trim().to_string(),
                economy: economy(c, line, &rec[country]),
                economy_raw: rec[country].trim().to_string(),
                city: rec[city].trim().to_string(),
                founded: founded.and_then(|i| parse_year(&rec[i])),
            });
            Ok(())
        },
    )?;
    out.sort_by(|a, b| (&a.joined, &a.company).cmp(&(&b.joined, &b.company)));
    Ok(out)
}

fn venture(
    path: &Path,
    header: &csv::StringRecord,
    rows: crate::formats::Rows<'_>,
    c: &mut Collector,
) -> Result<Vec<VcRecord>, ImportError> {
    let deals_col = column(path, header, &["deals"]).ok();
    let width = if deals_col.is_some() { 6 } else { 5 };
    let mut out = Vec::new();
    for_each_row(path, rows, 0, Fields::Exactly(width), c, |c, line, rec| {
        let Some(year) = parse_year(&rec[0]) else {
            c.reject(
                line,
                "date",
                format!("`{}` is not a date or year", rec[0].trim()),
            );
            return Ok(());
        };
        let sector = rec[1].trim();
        if sector.is_empty() {
            c.reject(line, "sector", "empty sector");
            return Ok(());
        }
        let Ok(Some(amount)) = number(c, line, "amount_usd_m", &rec[3]) else {
            if parse_cell(&rec[3]) == Cell::Missing {
                c.reject(line, "amount_usd_m", "no amount");
            }
            return Ok(());
        };
        if amount < 0.0 {
            c.reject(line, "amount_usd_m", "negative amount");
            return Ok(());
        }
        let deals = match deals_col {
            Some(i) => match rec[i].trim().parse::<u64>() {
                Ok(d) => d,
                Err(_) => {
                    c.reject(line, "deals", format!("`{}` is not a count", rec[i].trim()));
                    return Ok(());
                }
            },
            None => 1,
        };
        out.push(VcRecord {
            year,
            sector: sector.to_string(),
            stage: rec[2].trim().to_ascii_lowercase().replace([' ', '_'], "-"),
            amount,
            deals,
            economy: economy(c, line, &rec[4]),
        });
        Ok(())
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_amounts_and_dates() {
        assert_eq!(parse_rank("=3"), Some(3));
        assert_eq!(parse_rank("501-510"), Some(501));
        assert_eq!(parse_rank("x"), None);
        assert_eq!(billions("$180B"), Some(180.0));
        assert_eq!(billions("$572M"), Some(0.572));
        assert_eq!(iso_date("4/7/2017").as_deref(), Some("2017-04-07"));
        assert_eq!(iso_date("2021-09-30").as_deref(), Some("2021-09-30"));
        assert_eq!(iso_date("13/45/2017"), None);
    }
}
