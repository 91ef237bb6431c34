//! Coverage of a year: whether the economies a table is about have data for
//! the year it shows, and what is missing.
//!
//! The rule, stated on every figure that applies it: a year is *adequate*
//! when the countries with data for it hold at least [`ADEQUATE`] of the
//! reference total, where a country without data counts with its latest
//! value of the [`LOOKBACK`] years before. A ranking of 2024 in which the
//! United States, China and Japan have no data yet is therefore flagged
//! (and the report steps back to an adequate year); a year that merely
//! lacks a few small economies is not. For an explicit or preset set the
//! reference total is the set's own; members with no data in the window are
//! listed as missing too (Taiwan in the World Bank's series).

use innoscope_core::{Coverage, Registry, ResultTable, Text};

use super::common::{EconomySet, name_list};

/// Share of the reference total that makes a year adequate.
pub const ADEQUATE: f64 = 0.9;
/// Years looked back for the weight of a country without data.
pub const LOOKBACK: i32 = 5;

/// Coverage of `year` for `set` (all countries when `None`): `has(c, y)`
/// tells whether `c` has the table's value in `y`, `weight(c, y)` gives its
/// weight (GERD, receipts…) in `y`; `what` names the weight in the rule.
/// Countries without data count in the share; of a ranking (`set` `None`)
/// only those whose weight reaches `listed_from` (the smallest ranked one's)
/// are listed as missing: they could have been in it.
pub fn of(
    set: Option<&[String]>,
    year: i32,
    has: impl Fn(&str, i32) -> bool,
    weight: impl Fn(&str, i32) -> Option<f64>,
    what: Text,
    listed_from: Option<f64>,
) -> Coverage {
    let universe: Vec<String> = match set {
        Some(s) => s.to_vec(),
        None => Registry::bundled()
            .countries()
            .map(|e| e.code.clone())
            .collect(),
    };
    let (mut with, mut without) = (0.0, 0.0);
    let mut missing: Vec<(String, f64)> = Vec::new();
    for c in &universe {
        if has(c, year) {
            with += weight(c, year).unwrap_or(0.0);
            continue;
        }
        let w = (1..=LOOKBACK).find_map(|k| weight(c, year - k));
        match w {
            Some(w) => {
                without += w;
                missing.push((c.clone(), w));
            }
            // A member of an explicit set with no data at all is missing
            // too, with no weight; a country outside any set is not expected.
            None if set.is_some() => missing.push((c.clone(), 0.0)),
            None => {}
        }
    }
    missing.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if let (None, Some(min)) = (set, listed_from) {
        missing.retain(|(_, w)| *w >= min);
    }
    let share = (with + without > 0.0).then(|| with / (with + without));
    let pct = ADEQUATE * 100.0;
    let rule = match set {
        None => Text::new(
            format!(
                "a year is ranked when the countries with data hold ≥ {pct:.0}% of {} (a country without data counts with its latest value of the {LOOKBACK} years before)",
                what.en
            ),
            format!(
                "有数据的国家合计占{}的{pct:.0}%及以上时才对该年排名（缺数据的国家按其前{LOOKBACK}年内最近一年的值计）",
                what.zh
            ),
        ),
        Some(_) => Text::new(
            format!(
                "the economies of the set with data hold ≥ {pct:.0}% of the set's {} (latest values of the {LOOKBACK} years before for those without)",
                what.en
            ),
            format!(
                "集合内有数据的经济体合计占集合{}的{pct:.0}%及以上（缺数据者按其前{LOOKBACK}年内最近一年的值计）",
                what.zh
            ),
        ),
    };
    Coverage {
        year,
        asked: None,
        share,
        adequate: share.is_some_and(|s| s >= ADEQUATE),
        missing: missing.into_iter().map(|(c, _)| c).collect(),
        rule,
    }
}

/// Coverage of `year` for a ranking of all countries by `series` itself
/// (each country weighted by its value): those missing are listed when
/// their latest value reaches `listed_from`, the smallest ranked one's.
pub fn of_ranking(
    series: &crate::Series,
    year: i32,
    what: Text,
    listed_from: Option<f64>,
) -> Coverage {
    of(
        None,
        year,
        |c, y| series.get(c, y).is_some(),
        |c, y| series.get(c, y),
        what,
        listed_from,
    )
}

/// The set a coverage is computed over: the members of an explicit or
/// preset set, every country for a rule-based ranking.
pub fn universe(set: &EconomySet) -> Option<&[String]> {
    match set {
        EconomySet::Rule(_) => None,
        s => Some(s.codes()),
    }
}

/// The coverage statement: "2024: countries with data hold 41.3% of GERD;
/// no 2024 data for United States, China, Japan and 4 more".
pub fn statement(c: &Coverage) -> Text {
    let share = c.share.map(|s| s * 100.0);
    let mut en = match share {
        Some(s) => format!("{}: economies with data hold {s:.1}%", c.year),
        None => format!("{}: no economy of the set has data", c.year),
    };
    let mut zh = match share {
        Some(s) => format!("{}年：有数据的经济体合计占{s:.1}%", c.year),
        None => format!("{}年：集合内没有经济体有数据", c.year),
    };
    if !c.missing.is_empty() {
        let names = short_list(&c.missing);
        en.push_str(&format!("; no {} data for {}", c.year, names.en));
        zh.push_str(&format!("；{}缺少{}年数据", names.zh, c.year));
    }
    if !c.adequate {
        en.push_str(" — not enough to rank the year as a whole");
        zh.push_str("——不足以对该年整体排名");
    }
    if let Some(asked) = c.asked {
        en.push_str(&format!(
            " ({asked} was asked; {} is the latest year the data support)",
            c.year
        ));
        zh.push_str(&format!(
            "（所选为{asked}年；现有数据最近只支持到{}年）",
            c.year
        ));
    }
    Text::new(
        format!("{en}. Rule: {}", c.rule.en),
        format!("{zh}。规则：{}", c.rule.zh),
    )
}

/// At most six names, then "and N more".
fn short_list(codes: &[String]) -> Text {
    const SHOWN: usize = 6;
    let head: Vec<String> = codes.iter().take(SHOWN).cloned().collect();
    let n = name_list(&head);
    if codes.len() <= SHOWN {
        return n;
    }
    let more = codes.len() - SHOWN;
    Text::new(
        format!("{} and {more} more", n.en.replacen(" and ", ", ", 1)),
        format!("{}等{}个经济体", n.zh, codes.len()),
    )
}

/// Put the coverage on a table: the statement among the basis lines (so the
/// figure, CSV and workbook show it); when economies are missing, a note,
/// and a finding that says the ranking leaves them out.
pub fn apply(t: &mut ResultTable, c: Coverage) {
    if !c.missing.is_empty() {
        let names = short_list(&c.missing);
        t.findings.push(Text::new(
            format!(
                "Without {} data for {}, this table does not show them; {}",
                c.year,
                names.en,
                if c.adequate {
                    "the rest of the ranking stands."
                } else {
                    "read it as a ranking of those with data only, or choose an earlier --year."
                }
            ),
            format!(
                "{}缺少{}年数据，未列入本表；{}",
                names.zh,
                c.year,
                if c.adequate {
                    "其余排名不受影响。"
                } else {
                    "本表仅为有数据经济体的排名，或请选择更早的年份。"
                }
            ),
        ));
    }
    set(t, c);
}

/// The coverage on the table and its statement as the (one) coverage
/// basis line.
fn set(t: &mut ResultTable, c: Coverage) {
    let label = Text::new("Coverage", "数据覆盖");
    t.basis.retain(|(k, _)| *k != label);
    t.basis.push((label, statement(&c)));
    t.coverage = Some(c);
}

/// After a fallback: the year asked is recorded on every table's coverage
/// (one is made when the analysis computed none) and a note says so.
pub fn mark_fallback(t: &mut ResultTable, asked: i32, shown: i32) {
    let mut c = t.coverage.take().unwrap_or_else(|| Coverage {
        year: shown,
        asked: None,
        share: None,
        missing: Vec::new(),
        adequate: true,
        rule: Text::new(
            "the latest year at or before the year asked for which the analysis has data",
            "不晚于所选年份、且该分析有数据的最近年份",
        ),
    });
    c.asked = Some(asked);
    t.notes.push(Text::new(
        format!(
            "{asked} was asked; the data at hand support {shown} at the latest, so this table shows {shown}."
        ),
        format!("所选为{asked}年；现有数据最近只支持到{shown}年，本表显示{shown}年。"),
    ));
    set(t, c);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(c: &[&str]) -> Vec<String> {
        c.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn big_economies_missing_make_a_year_inadequate() {
        // USA and CHN report up to 2022 only; the small ones up to 2024.
        let w = |c: &str, y: i32| -> Option<f64> {
            let (v, last) = match c {
                "USA" => (700.0, 2022),
                "CHN" => (500.0, 2022),
                "CAN" => (30.0, 2024),
                "SAU" => (5.0, 2024),
                _ => return None,
            };
            (y <= last).then_some(v)
        };
        let has = |c: &str, y: i32| w(c, y).is_some();
        let c = of(None, 2024, has, w, Text::new("GERD", "研发支出"), None);
        assert!(!c.adequate);
        assert_eq!(c.missing, codes(&["USA", "CHN"]));
        assert!((c.share.unwrap() - 35.0 / 1235.0).abs() < 1e-12);
        let c = of(None, 2022, has, w, Text::new("GERD", "研发支出"), None);
        assert!(c.adequate && c.missing.is_empty());
        // Only those that could have been ranked are listed.
        let c = of(
            None,
            2024,
            has,
            w,
            Text::new("GERD", "研发支出"),
            Some(600.0),
        );
        assert_eq!(c.missing, codes(&["USA"]));
        assert!(!c.adequate);
        let s = statement(&of(None, 2024, has, w, Text::new("GERD", "研发支出"), None));
        assert!(
            s.en.contains("no 2024 data for United States and China"),
            "{}",
            s.en
        );
        assert!(s.zh.contains("美国、中国缺少2024年数据"), "{}", s.zh);
    }

    #[test]
    fn an_explicit_member_without_any_data_is_missing() {
        let w = |c: &str, _: i32| (c == "USA").then_some(1.0);
        let set = codes(&["USA", "TWN"]);
        let c = of(
            Some(&set),
            2019,
            |c, y| w(c, y).is_some(),
            w,
            Text::new("GERD", "研发支出"),
            None,
        );
        assert_eq!(c.missing, codes(&["TWN"]));
        assert!(c.adequate, "the weightless member does not move the share");
        let mut t = ResultTable::new("X", Text::same("x"));
        apply(&mut t, c);
        assert!(t.findings[0].en.contains("Taiwan"), "{}", t.findings[0].en);
    }
}
