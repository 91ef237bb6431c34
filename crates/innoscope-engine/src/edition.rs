//! Editions: a report run saved as values, and comparisons between runs.
//!
//! An edition flattens result tables into `(table, key, column) → value`,
//! where `key` is the row's economy (or `*` for table-level figures such as a
//! top-N share). The seed report's published figures ship as the built-in
//! edition `seed2021` (`data/editions/seed2021.json`), each value citing the
//! page or figure that states it and, where known, why today's data differ.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use innoscope_core::{ResultTable, Text};
use serde::{Deserialize, Serialize};

use crate::error::{EngineError, Result};

/// One saved value.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct EditionValue {
    pub table: String,
    pub key: String,
    pub column: String,
    pub value: f64,
    /// Where the value is stated (page, figure) — for published editions.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub r#where: String,
    /// Known reason why current data differ.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub why: String,
    /// `where` and `why` in Chinese (empty: the English is shown).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub where_zh: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub why_zh: String,
    /// The table's reference year when the value was saved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// The column's label then ("GERD 2021").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Text>,
    /// The vintages of the table's sources then ("WDI as of 2025-07-01").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub vintage: String,
}

impl EditionValue {
    /// A value of `table` at `key`, `column`, without citation.
    fn of(table: &ResultTable, key: &str, column: &str, value: f64, label: Option<Text>) -> Self {
        let mut vintages: Vec<&str> = table
            .sources
            .iter()
            .map(|s| s.vintage.as_str())
            .filter(|v| !v.is_empty())
            .collect();
        vintages.sort_unstable();
        vintages.dedup();
        EditionValue {
            table: table.id.clone(),
            key: key.to_string(),
            column: column.to_string(),
            value,
            r#where: String::new(),
            why: String::new(),
            where_zh: String::new(),
            why_zh: String::new(),
            year: table.params.get("year").and_then(|y| y.parse().ok()),
            label,
            vintage: vintages.join("; "),
        }
    }

    /// "(2021, WDI as of 2025-07-01)" in each language: the value's year
    /// and vintage, where known.
    fn tag(&self) -> (String, String) {
        self.tag_with(true)
    }

    /// [`EditionValue::tag`], the year only `with_year` (a value compared
    /// with one of unknown year, such as the seed's, keeps its vintage: the
    /// table's reference year need not be the column's).
    fn tag_with(&self, with_year: bool) -> (String, String) {
        let mut en = Vec::new();
        let mut zh = Vec::new();
        if let Some(y) = self.year.filter(|_| with_year) {
            en.push(y.to_string());
            zh.push(format!("{y}年"));
        }
        if !self.vintage.is_empty() {
            en.push(self.vintage.clone());
            zh.push(innoscope_core::provenance::in_lang(
                &self.vintage,
                innoscope_core::Lang::Zh,
            ));
        }
        if en.is_empty() {
            (String::new(), String::new())
        } else {
            (
                format!(" ({})", en.join(", ")),
                format!("（{}）", zh.join("，")),
            )
        }
    }
}

/// A saved edition.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Edition {
    pub name: String,
    pub title: Text,
    #[serde(default)]
    pub note: String,
    pub values: Vec<EditionValue>,
}

/// The built-in edition of the seed report's published figures.
pub fn seed2021() -> Edition {
    serde_json::from_str(include_str!("../../../data/editions/seed2021.json"))
        .expect("seed2021.json is checked by tests")
}

impl Edition {
    /// Flatten result tables: every numeric cell keyed by the row's economy,
    /// plus numeric table parameters (top-N shares) under key `*`.
    pub fn from_tables(name: &str, title: Text, tables: &[ResultTable]) -> Edition {
        let mut values = Vec::new();
        for t in tables {
            let Some(keys) = t.column("economy") else {
                continue;
            };
            for c in &t.columns {
                for r in 0..t.n_rows() {
                    if let (Some(key), Some(v)) = (keys.str_at(r), c.f64_at(r)) {
                        values.push(EditionValue::of(t, key, &c.name, v, Some(c.label.clone())));
                    }
                }
            }
            for (k, v) in &t.params {
                if k.starts_with("top_share")
                    && let Ok(v) = v.parse()
                {
                    values.push(EditionValue::of(t, "*", k, v, None));
                }
            }
        }
        Edition {
            name: name.to_string(),
            title,
            note: String::new(),
            values,
        }
    }

    /// Load a saved edition: `seed2021`, a name saved in the store, or a path.
    pub fn load(data_dir: Option<&Path>, name: &str) -> Result<Edition> {
        if name == "seed2021" {
            return Ok(seed2021());
        }
        let path = if name.ends_with(".json") || name.contains('/') {
            PathBuf::from(name)
        } else {
            data_dir
                .map(|d| d.join("editions").join(format!("{name}.json")))
                .ok_or_else(|| {
                    EngineError::missing(
                        format!("no edition `{name}`"),
                        "save one with `innoscope report --save-edition NAME`",
                    )
                })?
        };
        let bytes = std::fs::read(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                EngineError::missing(
                    format!("no edition `{name}` ({})", path.display()),
                    "save one with `innoscope report --save-edition NAME`, or use `seed2021`",
                )
            } else {
                EngineError::store(&path, e)
            }
        })?;
        serde_json::from_slice(&bytes).map_err(|e| {
            EngineError::store(&path, format!("line {}: not an edition: {e}", e.line()))
        })
    }

    /// Save into `<data_dir>/editions/<name>.json` (atomically).
    pub fn save(&self, data_dir: &Path) -> Result<PathBuf> {
        let dir = data_dir.join("editions");
        std::fs::create_dir_all(&dir).map_err(|e| EngineError::store(&dir, e))?;
        let path = dir.join(format!("{}.json", self.name));
        let text = serde_json::to_string_pretty(self).expect("editions serialise") + "\n";
        crate::atomic::write(&path, text)?;
        Ok(path)
    }
}

/// What changed between `old` and the current tables, per analysis id
/// (the part of the table id before any `.`).
pub fn compare(old: &Edition, current: &[ResultTable]) -> BTreeMap<String, Vec<Text>> {
    let now = Edition::from_tables("current", Text::default(), current);
    let index: BTreeMap<(&str, &str, &str), &EditionValue> = now
        .values
        .iter()
        .map(|v| ((v.table.as_str(), v.key.as_str(), v.column.as_str()), v))
        .collect();
    let label = |t: &str, c: &str| -> Text {
        current
            .iter()
            .find(|x| x.id == t)
            .and_then(|x| x.column(c))
            .map(|c| c.label.clone())
            .unwrap_or_else(|| match c {
                // Table parameters compared under key `*`.
                "top_share_base" => Text::new("top-N share, base year (%)", "基期前N位占比（%）"),
                "top_share" => Text::new("top-N share (%)", "前N位占比（%）"),
                other => Text::same(other),
            })
    };
    let zh_or = |zh: &str, en: &str| {
        if zh.is_empty() {
            en.to_string()
        } else {
            zh.to_string()
        }
    };
    let reg = innoscope_core::Registry::bundled();
    let mut out: BTreeMap<String, Vec<Text>> = BTreeMap::new();
    for v in &old.values {
        let analysis = v.table.split('.').next().unwrap_or(&v.table).to_string();
        let names = if v.key == "*" {
            Text::new("All", "全部")
        } else {
            reg.names_of(&v.key)
        };
        let col = label(&v.table, &v.column);
        // The old value under its own label and year; the current one under
        // today's. Seed values carry neither and read as before.
        let then_col = v.label.clone().unwrap_or_else(|| col.clone());
        let (then_en, then_zh) = v.tag();
        let (whr, whr_zh) = if v.r#where.is_empty() {
            (String::new(), String::new())
        } else {
            (
                format!(" [{}]", v.r#where),
                format!("［{}］", zh_or(&v.where_zh, &v.r#where)),
            )
        };
        let why_en = if v.why.is_empty() {
            String::new()
        } else {
            format!(" — likely cause: {}", v.why)
        };
        let why_zh = if v.why.is_empty() {
            String::new()
        } else {
            format!("——可能原因：{}", zh_or(&v.why_zh, &v.why))
        };
        let found = index
            .get(&(v.table.as_str(), v.key.as_str(), v.column.as_str()))
            .copied();
        let line = match found {
            None => Text::new(
                format!(
                    "{} · {}{then_en}: {} then; not in today's table (different set or missing data){whr}",
                    names.en,
                    then_col.en,
                    fmt(v.value)
                ),
                format!(
                    "{}·{}{then_zh}：原为{}；当前表中没有（入选集合不同或缺数据）{whr_zh}",
                    names.zh,
                    then_col.zh,
                    fmt(v.value)
                ),
            ),
            // Another reference year: two values, not a revision.
            Some(now) if v.year.is_some() && now.year.is_some() && v.year != now.year => {
                let (now_en, now_zh) = now.tag();
                Text::new(
                    format!(
                        "{} · another year: {}{then_en} was {}; {}{now_en} is {}{whr}",
                        names.en,
                        then_col.en,
                        fmt(v.value),
                        col.en,
                        fmt(now.value)
                    ),
                    format!(
                        "{}·另一年份：{}{then_zh}为{}；{}{now_zh}为{}{whr_zh}",
                        names.zh,
                        then_col.zh,
                        fmt(v.value),
                        col.zh,
                        fmt(now.value)
                    ),
                )
            }
            Some(now) if close(v.value, now.value) => Text::new(
                format!(
                    "{} · {}{then_en}: {} — unchanged{whr}",
                    names.en,
                    col.en,
                    fmt(v.value)
                ),
                format!(
                    "{}·{}{then_zh}：{}，一致{whr_zh}",
                    names.zh,
                    col.zh,
                    fmt(v.value)
                ),
            ),
            // The same year, another value: a revision, each side with its
            // vintage where known.
            Some(now) => {
                let (now_en, now_zh) = now.tag_with(v.year.is_some());
                let (rev_en, rev_zh) = if v.year.is_some() && v.year == now.year {
                    ("revised: ", "修订：")
                } else {
                    ("", "")
                };
                Text::new(
                    format!(
                        "{} · {}: {rev_en}{}{then_en} then, {}{now_en} now ({}){whr}{why_en}",
                        names.en,
                        col.en,
                        fmt(v.value),
                        fmt(now.value),
                        delta(v.value, now.value)
                    ),
                    format!(
                        "{}·{}：{rev_zh}原为{}{then_zh}，现为{}{now_zh}（{}）{whr_zh}{why_zh}",
                        names.zh,
                        col.zh,
                        fmt(v.value),
                        fmt(now.value),
                        delta(v.value, now.value)
                    ),
                )
            }
        };
        out.entry(analysis).or_default().push(line);
    }
    out
}

/// Equal within the precision values are published at (0.5 % relative, or
/// 0.005 absolute for small numbers).
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 0.005_f64.max(a.abs() * 0.005)
}

fn fmt(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.2}")
    }
}

fn delta(a: f64, b: f64) -> String {
    let d = b - a;
    format!("{}{}", if d > 0.0 { "+" } else { "" }, fmt(d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use innoscope_core::Column;

    /// A saved edition's values carry their year and vintage: a value of
    /// another year is a new year, one of the same year a revision.
    #[test]
    fn editions_tell_a_new_year_from_a_revision() {
        let table = |year: i32, v: f64, vintage: &str| {
            let mut t = ResultTable::new("C9", Text::same("x"));
            t.columns.push(Column::text(
                "economy",
                Text::same("Economy"),
                vec![Some("USA".into())],
            ));
            t.columns.push(Column::float(
                "gerd",
                Text::new(format!("GERD {year}"), format!("{year}年研发支出")),
                None,
                2,
                vec![Some(v)],
            ));
            t.params.insert("year".into(), year.to_string());
            t.sources.push(innoscope_core::SourceNote {
                dataset: "wdi".into(),
                indicators: vec![],
                source: "World Bank WDI".into(),
                licence: "CC BY 4.0".into(),
                vintage: vintage.into(),
            });
            t
        };
        let saved = Edition::from_tables(
            "last",
            Text::same("last"),
            &[table(2021, 800.0, "WDI as of 2025-07-01")],
        );
        assert_eq!(saved.values[0].year, Some(2021));
        let new_year = &compare(&saved, &[table(2022, 823.02, "WDI as of 2026-07-01")])["C9"][0];
        assert_eq!(
            new_year.en,
            "United States · another year: GERD 2021 (2021, WDI as of 2025-07-01) was 800; GERD 2022 (2022, WDI as of 2026-07-01) is 823.02"
        );
        assert!(new_year.zh.contains("另一年份"), "{}", new_year.zh);
        assert!(
            new_year
                .zh
                .contains("2021年研发支出（2021年，WDI，截至2025-07-01）为800"),
            "{}",
            new_year.zh
        );
        let revised = &compare(&saved, &[table(2021, 823.02, "WDI as of 2026-07-01")])["C9"][0];
        assert_eq!(
            revised.en,
            "United States · GERD 2021: revised: 800 (2021, WDI as of 2025-07-01) then, 823.02 (2021, WDI as of 2026-07-01) now (+23.02)"
        );
        // An edition saved before years were kept (and the seed's) reads as
        // before; today's value gains its vintage where known.
        let mut old = saved.clone();
        old.values[0].year = None;
        old.values[0].vintage.clear();
        old.values[0].label = None;
        let plain = &compare(&old, &[table(2022, 823.02, "")])["C9"][0];
        assert_eq!(
            plain.en,
            "United States · GERD 2022: 800 then, 823.02 now (+23.02)"
        );
    }

    #[test]
    fn seed_edition_parses_and_cites_every_value() {
        let e = seed2021();
        assert!(e.values.len() >= 60);
        assert!(e.values.iter().all(|v| !v.r#where.is_empty()));
    }

    #[test]
    fn compare_reports_changes_and_matches() {
        let mut t = ResultTable::new("C9", Text::same("x"));
        t.columns.push(Column::text(
            "economy",
            Text::same("Economy"),
            vec![Some("USA".into()), Some("CHN".into())],
        ));
        t.columns.push(Column::float(
            "v",
            Text::new("Value", "数值"),
            None,
            2,
            vec![Some(1.0), Some(2.0)],
        ));
        let old = Edition {
            name: "old".into(),
            title: Text::same("old"),
            note: String::new(),
            values: vec![
                EditionValue {
                    table: "C9".into(),
                    key: "USA".into(),
                    column: "v".into(),
                    value: 1.0,
                    r#where: String::new(),
                    why: String::new(),
                    where_zh: String::new(),
                    why_zh: String::new(),
                    year: None,
                    label: None,
                    vintage: String::new(),
                },
                EditionValue {
                    table: "C9".into(),
                    key: "CHN".into(),
                    column: "v".into(),
                    value: 1.5,
                    r#where: "p. 3".into(),
                    why: "revision".into(),
                    where_zh: String::new(),
                    why_zh: String::new(),
                    year: None,
                    label: None,
                    vintage: String::new(),
                },
                EditionValue {
                    table: "C9".into(),
                    key: "JPN".into(),
                    column: "v".into(),
                    value: 9.0,
                    r#where: String::new(),
                    why: String::new(),
                    where_zh: String::new(),
                    why_zh: String::new(),
                    year: None,
                    label: None,
                    vintage: String::new(),
                },
            ],
        };
        let c = &compare(&old, &[t])["C9"];
        assert!(c[0].en.contains("unchanged"));
        assert_eq!(
            c[1].en,
            "China · Value: 1.50 then, 2 now (+0.50) [p. 3] — likely cause: revision"
        );
        assert!(c[2].en.contains("not in today's table"));
    }
}
