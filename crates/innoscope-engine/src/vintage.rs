//! What changed between two versions of a statistics dataset: the current
//! one and a vintage the store kept ([`crate::store::Vintage`]). A value of
//! a year the series already had is a *revision*; a year after the series'
//! last year before is a *new year*; a year inside the old range that had
//! no value is *filled in*; a value that is gone is *dropped*.

use std::collections::BTreeMap;
use std::path::Path;

use innoscope_core::{Column, ResultTable, Text};

use crate::error::{EngineError, Result};
use crate::store::{DatasetKind, Store};

/// How one value changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    Revised,
    NewYear,
    FilledIn,
    Dropped,
}

impl ChangeKind {
    pub fn label(self) -> Text {
        match self {
            ChangeKind::Revised => Text::new("revised", "修订"),
            ChangeKind::NewYear => Text::new("new year", "新增年份"),
            ChangeKind::FilledIn => Text::new("filled in", "补充"),
            ChangeKind::Dropped => Text::new("dropped", "删除"),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub indicator: String,
    pub economy: String,
    pub year: i32,
    pub before: Option<f64>,
    pub after: Option<f64>,
    pub kind: ChangeKind,
}

/// The changes of one dataset between a vintage and the current version.
#[derive(Clone, Debug, PartialEq)]
pub struct Changes {
    pub dataset: String,
    /// Import times (seconds) of the two versions.
    pub from: u64,
    pub to: u64,
    pub changes: Vec<Change>,
}

type Values = BTreeMap<(String, String, i32), f64>;

fn read(path: &Path) -> Result<Values> {
    let mut out = Values::new();
    crate::store::for_each_observation(path, &mut |ind, eco, year, value| {
        out.insert((ind.to_string(), eco.to_string(), year), value);
        Ok(())
    })?;
    Ok(out)
}

/// Changes of dataset `id` from its `back`-th kept vintage (1: the one
/// before the current version) to the current version.
pub fn changes(store: &Store, id: &str, back: usize) -> Result<Changes> {
    let m = store.manifest()?;
    let d = m.datasets.get(id).ok_or_else(|| {
        EngineError::missing(
            format!("no dataset `{id}` in the store"),
            "`innoscope datasets` lists the datasets",
        )
    })?;
    if d.kind != DatasetKind::Observations {
        return Err(EngineError::missing(
            format!("dataset `{id}` is not a statistics dataset; vintages are kept for statistics"),
            "compare patent datasets with `innoscope report --compare-with EDITION`",
        ));
    }
    let v = d.vintages.get(back.saturating_sub(1)).ok_or_else(|| {
        EngineError::missing(
            format!(
                "dataset `{id}` has {} earlier version(s) kept; vintage:{back} does not exist",
                d.vintages.len()
            ),
            "versions are kept when a dataset is updated (import or fetch); see `innoscope datasets --series ID`",
        )
    })?;
    let old = read(
        &store
            .dir()
            .join("datasets")
            .join(&v.dir)
            .join("observations.parquet"),
    )?;
    let new = read(&store.dataset_path(d))?;
    let mut last_year: BTreeMap<&str, i32> = BTreeMap::new();
    for (ind, _, y) in old.keys() {
        let e = last_year.entry(ind.as_str()).or_insert(*y);
        *e = (*e).max(*y);
    }
    let mut out = Vec::new();
    for (k, after) in &new {
        let kind = match old.get(k) {
            Some(before) if before.to_bits() == after.to_bits() => continue,
            Some(_) => ChangeKind::Revised,
            None if last_year.get(k.0.as_str()).is_none_or(|l| k.2 > *l) => ChangeKind::NewYear,
            None => ChangeKind::FilledIn,
        };
        out.push(Change {
            indicator: k.0.clone(),
            economy: k.1.clone(),
            year: k.2,
            before: old.get(k).copied(),
            after: Some(*after),
            kind,
        });
    }
    for (k, before) in &old {
        if !new.contains_key(k) {
            out.push(Change {
                indicator: k.0.clone(),
                economy: k.1.clone(),
                year: k.2,
                before: Some(*before),
                after: None,
                kind: ChangeKind::Dropped,
            });
        }
    }
    out.sort_by(|a, b| {
        (&a.indicator, a.kind, &a.economy, a.year).cmp(&(&b.indicator, b.kind, &b.economy, b.year))
    });
    Ok(Changes {
        dataset: id.to_string(),
        from: v.imported_at,
        to: d.imported_at,
        changes: out,
    })
}

impl Changes {
    /// Counts per series and kind: (indicator, revised, new years, filled in, dropped).
    pub fn summary(&self) -> Vec<(String, [usize; 4])> {
        let mut m: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
        for c in &self.changes {
            m.entry(&c.indicator).or_default()[c.kind as usize] += 1;
        }
        m.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
    }

    /// The changes as a result table (for the CLI's formats and the API).
    pub fn table(&self) -> ResultTable {
        let from = crate::date_of(self.from);
        let to = crate::date_of(self.to);
        let mut t = ResultTable::new(
            "changes",
            Text::new(
                format!(
                    "Changes in `{}`: version of {from} → version of {to}",
                    self.dataset
                ),
                format!("数据集`{}`的变动：{from}版 → {to}版", self.dataset),
            ),
        );
        let c = &self.changes;
        t.columns = vec![
            Column::text(
                "indicator",
                Text::new("Series", "指标"),
                c.iter().map(|x| Some(x.indicator.clone())).collect(),
            ),
            Column::text(
                "economy",
                Text::new("Economy", "经济体"),
                c.iter().map(|x| Some(x.economy.clone())).collect(),
            ),
            Column::int(
                "year",
                Text::new("Year", "年份"),
                None,
                c.iter().map(|x| Some(i64::from(x.year))).collect(),
            ),
            Column::float(
                "before",
                Text::new(format!("Value ({from})"), format!("数值（{from}版）")),
                None,
                6,
                c.iter().map(|x| x.before).collect(),
            ),
            Column::float(
                "after",
                Text::new(format!("Value ({to})"), format!("数值（{to}版）")),
                None,
                6,
                c.iter().map(|x| x.after).collect(),
            ),
            Column::text(
                "change_en",
                Text::new("Change", "变动（英文）"),
                c.iter().map(|x| Some(x.kind.label().en)).collect(),
            ),
            Column::text(
                "change_zh",
                Text::new("Change (zh)", "变动"),
                c.iter().map(|x| Some(x.kind.label().zh)).collect(),
            ),
        ];
        for (ind, [r, n, f, d]) in self.summary() {
            t.findings.push(Text::new(
                format!("{ind}: {r} revised, {n} new-year, {f} filled-in and {d} dropped values."),
                format!("{ind}：修订{r}个、新增年份{n}个、补充{f}个、删除{d}个数值。"),
            ));
        }
        if c.is_empty() {
            t.findings
                .push(Text::new("No value changed.", "没有数值变动。"));
        }
        t
    }
}
/// The changes of every statistics dataset of the store that keeps a
/// version `back` steps before its current one.
pub fn all_changes(store: &Store, back: usize) -> Result<Vec<Changes>> {
    let mut out = Vec::new();
    for (id, d) in store.manifest()?.datasets {
        if d.kind == DatasetKind::Observations && d.vintages.len() >= back {
            out.push(changes(store, &id, back)?);
        }
    }
    Ok(out)
}

/// At most this many change lines per section (then a count of the rest).
const VINTAGE_LINES: usize = 12;

/// What changed between vintages in the values behind a section's tables:
/// the series its tables cite, for the economies they show; revisions of
/// past years told apart from new years.
pub fn lines_for(all: &[Changes], tables: &[ResultTable]) -> Vec<Text> {
    let mut lines = Vec::new();
    let reg = innoscope_core::Registry::bundled();
    let fmt = |v: Option<f64>| {
        v.map_or_else(
            || "—".to_string(),
            |v| {
                format!("{v:.6}")
                    .trim_end_matches('0')
                    .trim_end_matches('.')
                    .to_string()
            },
        )
    };
    for c in all {
        let wanted: std::collections::BTreeSet<(&str, &str)> = tables
            .iter()
            .flat_map(|t| {
                let economies: Vec<&str> = t
                    .column("economy")
                    .map(|col| (0..t.n_rows()).filter_map(|r| col.str_at(r)).collect())
                    .unwrap_or_default();
                t.sources
                    .iter()
                    .filter(|s| s.dataset == c.dataset)
                    .flat_map(|s| s.indicators.iter().map(String::as_str))
                    .flat_map(move |i| economies.clone().into_iter().map(move |e| (i, e)))
            })
            .collect();
        for ch in &c.changes {
            if !wanted.contains(&(ch.indicator.as_str(), ch.economy.as_str())) {
                continue;
            }
            let names = reg.names_of(&ch.economy);
            let kind = ch.kind.label();
            let (en, zh) = match ch.kind {
                ChangeKind::Revised => (
                    format!("revised: {} then, {} now", fmt(ch.before), fmt(ch.after)),
                    format!("修订：原为{}，现为{}", fmt(ch.before), fmt(ch.after)),
                ),
                ChangeKind::Dropped => (
                    format!("dropped: {} then, no value now", fmt(ch.before)),
                    format!("删除：原为{}，现无数值", fmt(ch.before)),
                ),
                _ => (
                    format!("{}: {}", kind.en, fmt(ch.after)),
                    format!("{}：{}", kind.zh, fmt(ch.after)),
                ),
            };
            lines.push(Text::new(
                format!(
                    "{} · {} {}: {en} ({})",
                    names.en, ch.indicator, ch.year, c.dataset
                ),
                format!(
                    "{}·{} {}年：{zh}（{}）",
                    names.zh, ch.indicator, ch.year, c.dataset
                ),
            ));
        }
    }
    if lines.len() > VINTAGE_LINES {
        let more = lines.len() - VINTAGE_LINES;
        lines.truncate(VINTAGE_LINES);
        lines.push(Text::new(
            format!("… and {more} more (`innoscope changes DATASET` lists them all)"),
            format!("……另有{more}处（`innoscope changes 数据集` 可列出全部）"),
        ));
    }
    lines
}
