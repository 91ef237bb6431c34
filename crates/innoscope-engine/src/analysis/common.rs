//! Helpers shared by the analyses: economy sets, ranking with deterministic
//! tie-breaks, growth rates, and the standard economy columns.

use std::collections::BTreeSet;

use innoscope_core::{Column, Lang, Registry, Text};
use serde::{Deserialize, Serialize};

use super::Params;
use crate::error::{EngineError, Result};
use crate::series::Series;

/// The report's own 15 economies for C1/C2 (§3.1, Fig 2).
pub const REPORT2021_RD: [&str; 15] = [
    "USA", "CHN", "JPN", "DEU", "KOR", "FRA", "GBR", "ISR", "NLD", "RUS", "SWE", "BEL", "AUT",
    "DNK", "FIN",
];

/// Price basis of R&D and GDP values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum PriceBasis {
    /// Current international dollars at GDP purchasing-power parities.
    #[default]
    Ppp,
    /// Current US dollars at market exchange rates.
    Usd,
    /// Current prices in national currency.
    Lcu,
    /// Constant prices and PPPs: GERD from OECD MSTI, GDP from WDI
    /// (`NY.GDP.MKTP.PP.KD`); both growth rates are real.
    Constant,
}

impl PriceBasis {
    pub fn describe(self) -> Text {
        match self {
            PriceBasis::Ppp => Text::new(
                "current prices, PPP international $ (GDP PPP conversion factor)",
                "现价，按GDP购买力平价换算的国际元",
            ),
            PriceBasis::Usd => Text::new(
                "current prices, US$ at market exchange rates",
                "现价，按市场汇率换算的美元",
            ),
            PriceBasis::Lcu => Text::new("current prices, national currency", "现价，本币"),
            PriceBasis::Constant => Text::new(
                "constant prices and PPPs: GERD as OECD MSTI publishes it, GDP in constant 2021 PPP $ (WDI)",
                "不变价并按购买力平价换算：研发支出取自OECD MSTI，GDP为2021年不变价购买力平价美元（世界银行WDI）",
            ),
        }
    }
}

impl std::str::FromStr for PriceBasis {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "ppp" => Ok(PriceBasis::Ppp),
            "usd" => Ok(PriceBasis::Usd),
            "lcu" | "national" => Ok(PriceBasis::Lcu),
            "constant" | "real" => Ok(PriceBasis::Constant),
            other => Err(format!(
                "unknown price basis `{other}` (expected ppp, usd, lcu or constant)"
            )),
        }
    }
}

/// How the set of economies of a table was chosen.
#[derive(Clone, Debug)]
pub enum EconomySet {
    /// Given explicitly by the user.
    Explicit(Vec<String>),
    /// A named preset.
    Preset(String, Vec<String>),
    /// Chosen by the analysis' rule.
    Rule(Vec<String>),
}

impl EconomySet {
    pub fn codes(&self) -> &[String] {
        match self {
            EconomySet::Explicit(c) | EconomySet::Preset(_, c) | EconomySet::Rule(c) => c,
        }
    }
}

/// Resolve `params.economies` / `params.preset`; `None` when neither is set.
pub fn explicit_set(params: &Params, presets: &[(&str, &[&str])]) -> Result<Option<EconomySet>> {
    if let Some(list) = &params.economies {
        let reg = Registry::bundled();
        let mut codes = Vec::new();
        let mut unknown = Vec::new();
        let find = |s: &str| reg.by_code(s).or_else(|| reg.resolve(None, s));
        // Lists are split at commas, and some names hold one ("Korea,
        // Rep."): an item that joined with the next names an economy is
        // read as that name.
        let mut i = 0;
        while i < list.len() {
            let item = &list[i];
            let joined = list.get(i + 1).map(|next| format!("{item}, {next}"));
            let (hit, used) = match joined.as_deref().and_then(find) {
                Some(e) if find(item).is_none() || find(&list[i + 1]).is_none() => (Some(e), 2),
                _ => (find(item), 1),
            };
            match hit {
                Some(e) => {
                    if !codes.contains(&e.code) {
                        codes.push(e.code.clone());
                    }
                }
                None => unknown.push(item.clone()),
            }
            i += used;
        }
        if !unknown.is_empty() {
            return Err(EngineError::bad_param(
                "economies",
                format!(
                    "unknown economy {}",
                    unknown
                        .iter()
                        .map(|u| format!("`{u}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        if codes.is_empty() {
            return Err(EngineError::bad_param("economies", "the list is empty"));
        }
        return Ok(Some(EconomySet::Explicit(codes)));
    }
    if let Some(name) = &params.preset {
        let (_, codes) = presets
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                let names: Vec<&str> = presets.iter().map(|(n, _)| *n).collect();
                EngineError::bad_param(
                    "preset",
                    format!("unknown preset `{name}` (known: {})", names.join(", ")),
                )
            })?;
        return Ok(Some(EconomySet::Preset(
            name.clone(),
            codes.iter().map(|c| c.to_string()).collect(),
        )));
    }
    Ok(None)
}

/// Countries (never aggregates or historical entities) ranked by `value`
/// descending, ties broken by code so rankings are deterministic.
pub fn rank_countries(values: impl IntoIterator<Item = (String, f64)>) -> Vec<(String, f64)> {
    let reg = Registry::bundled();
    let mut v: Vec<(String, f64)> = values
        .into_iter()
        .filter(|(c, x)| x.is_finite() && reg.by_code(c).is_some_and(|e| e.is_country()))
        .collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// Top-`n` countries of a series in `year`.
pub fn top_countries(series: &Series, year: i32, n: usize) -> Vec<String> {
    rank_countries(series.at(year).map(|(e, v)| (e.to_string(), v)))
        .into_iter()
        .take(n)
        .map(|(c, _)| c)
        .collect()
}

/// Union of several rankings, keeping first-seen order.
pub fn union(lists: &[&[String]]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for l in lists {
        for c in *l {
            if seen.insert(c.clone()) {
                out.push(c.clone());
            }
        }
    }
    out
}

/// Compound annual growth rate in %, or `None` when undefined.
pub fn cagr(from: f64, to: f64, years: i32) -> Option<f64> {
    (from > 0.0 && to > 0.0 && years > 0)
        .then(|| ((to / from).powf(1.0 / f64::from(years)) - 1.0) * 100.0)
}

/// Percentage change from `old` to `new`; undefined unless `old` is positive
/// (FDI flows can be negative, and a change from a negative base means nothing).
pub fn pct_change(old: f64, new: f64) -> Option<f64> {
    (old > 0.0).then(|| (new / old - 1.0) * 100.0)
}

/// The `economy`, `name_en`, `name_zh` columns every economy table starts with.
pub fn economy_columns(codes: &[String]) -> Vec<Column> {
    let reg = Registry::bundled();
    let names: Vec<Text> = codes.iter().map(|c| reg.names_of(c)).collect();
    vec![
        Column::text(
            "economy",
            Text::new("Economy", "经济体"),
            codes.iter().map(|c| Some(c.clone())).collect(),
        ),
        Column::text(
            "name_en",
            Text::new("Name", "英文名称"),
            names.iter().map(|n| Some(n.en.clone())).collect(),
        ),
        Column::text(
            "name_zh",
            Text::new("Name (zh)", "名称"),
            names.iter().map(|n| Some(n.zh.clone())).collect(),
        ),
    ]
}

/// Names of economies joined for a sentence in each language.
pub fn name_list(codes: &[String]) -> Text {
    let reg = Registry::bundled();
    let en: Vec<String> = codes.iter().map(|c| reg.names_of(c).en).collect();
    let zh: Vec<String> = codes.iter().map(|c| reg.names_of(c).zh).collect();
    Text::new(join_en(&en), zh.join("、"))
}

fn join_en(items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        2 => format!("{} and {}", items[0], items[1]),
        n => format!("{} and {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

/// Name of one economy in a language.
pub fn name(code: &str, lang: Lang) -> String {
    Registry::bundled().names_of(code).get(lang).to_string()
}

/// Number formatted with one decimal and a sign.
pub fn signed(x: f64) -> String {
    format!("{}{x:.1}", if x > 0.0 { "+" } else { "" })
}

/// Validate a reference/base year pair.
pub fn years(params: &Params, default_year: i32, default_base: i32) -> Result<(i32, i32)> {
    let year = params.year.unwrap_or(default_year);
    let base = params.base_year.unwrap_or(default_base);
    for (n, y) in [("year", year), ("base-year", base)] {
        if !(1950..=2100).contains(&y) {
            return Err(EngineError::bad_param(
                n,
                format!("{y} is out of range 1950–2100"),
            ));
        }
    }
    if base >= year {
        return Err(EngineError::bad_param(
            "base-year",
            format!("{base} must be before the reference year {year}"),
        ));
    }
    Ok((year, base))
}

/// The parameters given to an analysis (those set), by field name, for the
/// `params` of its result tables.
pub fn given_params(params: &Params) -> std::collections::BTreeMap<String, String> {
    let mut m = std::collections::BTreeMap::new();
    if let Ok(serde_json::Value::Object(o)) = serde_json::to_value(params) {
        for (k, v) in o {
            if !v.is_null() {
                m.insert(k, v.to_string().trim_matches('"').to_string());
            }
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cagr_and_change() {
        let g = cagr(100.0, 200.0, 10).unwrap();
        assert!((g - 7.177346).abs() < 1e-5);
        assert_eq!(cagr(0.0, 1.0, 3), None);
        assert_eq!(pct_change(80.0, 100.0), Some(25.0));
        assert_eq!(pct_change(-5.0, 10.0), None);
    }

    #[test]
    fn ranking_drops_aggregates_and_breaks_ties_by_code() {
        let r = rank_countries(vec![
            ("WLD".into(), 100.0),
            ("USA".into(), 5.0),
            ("CHN".into(), 5.0),
            ("EUU".into(), 50.0),
        ]);
        assert_eq!(r, vec![("CHN".into(), 5.0), ("USA".into(), 5.0)]);
    }
}
