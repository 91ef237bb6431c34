//! [`ResultTable`]: what every analysis returns, and what the CLI, the report,
//! the API and the dashboard all consume.
//!
//! A result table is a small, typed, column-oriented table plus everything a
//! reader needs to trust a figure: bilingual title, units per column, the
//! counting / price basis, sources with licence and vintage, method notes,
//! generated findings, the parameters that produced it, and the figure the
//! report should draw from it.
//!
//! Invariant: formatting is deterministic. Floats are written with a fixed
//! number of decimals per column, so the same table always gives the same
//! CSV, JSON and text bytes.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::text::{Lang, Text};

/// Column values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "lowercase")]
pub enum Values {
    Text(Vec<Option<String>>),
    Float(Vec<Option<f64>>),
    Int(Vec<Option<i64>>),
    Bool(Vec<Option<bool>>),
}

impl Values {
    pub fn len(&self) -> usize {
        match self {
            Values::Text(v) => v.len(),
            Values::Float(v) => v.len(),
            Values::Int(v) => v.len(),
            Values::Bool(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One column of a result table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// Machine name, used as the CSV header (snake_case, stable across editions).
    pub name: String,
    pub label: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Text>,
    /// Decimals used when a float column is written out.
    #[serde(default)]
    pub decimals: u8,
    pub values: Values,
    /// What the codes of a text column (`stayed`, `both`) read as in each
    /// language. Files keep the codes; pages show the labels.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, Text>,
}

impl Column {
    pub fn text(name: &str, label: Text, values: Vec<Option<String>>) -> Column {
        Column {
            name: name.to_string(),
            label,
            unit: None,
            decimals: 0,
            values: Values::Text(values),
            labels: BTreeMap::new(),
        }
    }

    pub fn float(
        name: &str,
        label: Text,
        unit: Option<Text>,
        decimals: u8,
        values: Vec<Option<f64>>,
    ) -> Column {
        Column {
            name: name.to_string(),
            label,
            unit,
            decimals,
            values: Values::Float(values),
            labels: BTreeMap::new(),
        }
    }

    pub fn int(name: &str, label: Text, unit: Option<Text>, values: Vec<Option<i64>>) -> Column {
        Column {
            name: name.to_string(),
            label,
            unit,
            decimals: 0,
            values: Values::Int(values),
            labels: BTreeMap::new(),
        }
    }

    pub fn bool(name: &str, label: Text, values: Vec<Option<bool>>) -> Column {
        Column {
            name: name.to_string(),
            label,
            unit: None,
            decimals: 0,
            values: Values::Bool(values),
            labels: BTreeMap::new(),
        }
    }

    /// Label the codes of this text column: `(code, English, Chinese)`.
    pub fn with_labels(mut self, labels: &[(&str, &str, &str)]) -> Column {
        self.labels = labels
            .iter()
            .map(|(code, en, zh)| (code.to_string(), Text::new(*en, *zh)))
            .collect();
        self
    }

    /// The cell as a reader of `lang` sees it: a code's label where the
    /// column has one, else [`Column::cell`].
    pub fn cell_in(&self, row: usize, lang: Lang) -> String {
        let raw = self.cell(row);
        match self.labels.get(&raw) {
            Some(t) => t.get(lang).to_string(),
            None => raw,
        }
    }

    /// The cell at `row`, formatted for CSV / text output (empty when missing).
    pub fn cell(&self, row: usize) -> String {
        match &self.values {
            Values::Text(v) => v[row].clone().unwrap_or_default(),
            Values::Float(v) => v[row]
                .map(|x| format_float(x, self.decimals))
                .unwrap_or_default(),
            Values::Int(v) => v[row].map(|x| x.to_string()).unwrap_or_default(),
            Values::Bool(v) => v[row].map(|x| x.to_string()).unwrap_or_default(),
        }
    }

    pub fn f64_at(&self, row: usize) -> Option<f64> {
        match &self.values {
            Values::Float(v) => v[row],
            Values::Int(v) => v[row].map(|x| x as f64),
            _ => None,
        }
    }

    pub fn str_at(&self, row: usize) -> Option<&str> {
        match &self.values {
            Values::Text(v) => v[row].as_deref(),
            _ => None,
        }
    }

    pub fn bool_at(&self, row: usize) -> Option<bool> {
        match &self.values {
            Values::Bool(v) => v[row],
            _ => None,
        }
    }
}

/// Deterministic float formatting: fixed decimals, no negative zero.
pub fn format_float(x: f64, decimals: u8) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let s = format!("{:.*}", decimals as usize, x);
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// Where a table's numbers come from. In JSON it also carries its licence
/// and vintage in Chinese (`licence_zh`, `vintage_zh`), for zh pages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(into = "SourceNoteJson")]
pub struct SourceNote {
    /// Dataset id in the store (`wdi`, `ncses-pct`…).
    pub dataset: String,
    /// Indicator codes used from that dataset.
    pub indicators: Vec<String>,
    /// Publisher and series, as it should be cited.
    pub source: String,
    pub licence: String,
    pub vintage: String,
}

impl SourceNote {
    /// The source as a reader of `lang` sees it (see [`crate::provenance`]).
    pub fn source_in(&self, lang: Lang) -> String {
        crate::provenance::source_in(&self.source, lang)
    }

    /// The licence in `lang` (see [`crate::provenance`]).
    pub fn licence_in(&self, lang: Lang) -> String {
        crate::provenance::in_lang(&self.licence, lang)
    }

    /// The vintage in `lang`.
    pub fn vintage_in(&self, lang: Lang) -> String {
        crate::provenance::in_lang(&self.vintage, lang)
    }
}

#[derive(Serialize)]
struct SourceNoteJson {
    dataset: String,
    indicators: Vec<String>,
    source: String,
    source_zh: String,
    licence: String,
    licence_zh: String,
    vintage: String,
    vintage_zh: String,
}

impl From<SourceNote> for SourceNoteJson {
    fn from(s: SourceNote) -> Self {
        SourceNoteJson {
            source_zh: s.source_in(Lang::Zh),
            licence_zh: s.licence_in(Lang::Zh),
            vintage_zh: s.vintage_in(Lang::Zh),
            dataset: s.dataset,
            indicators: s.indicators,
            source: s.source,
            licence: s.licence,
            vintage: s.vintage,
        }
    }
}

/// The figure a renderer should draw from a table. Column names refer to the
/// table's own columns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Figure {
    /// Bars per category, one bar per series column (C1).
    GroupedBars {
        label: String,
        series: Vec<String>,
        unit: Text,
    },
    /// Bars on the left axis with a line on the right axis (C2).
    BarsWithLine {
        label: String,
        bars: String,
        bar_unit: Text,
        line: String,
        line_unit: Text,
    },
    /// Slope chart of ranks between two periods (C4).
    RankChange {
        label: String,
        rank_from: String,
        rank_to: String,
        from: Text,
        to: Text,
    },
    /// Bubble chart: position by x/y, area by |size|, filled when `filled` is true (C5).
    Bubble {
        label: String,
        x: String,
        y: String,
        size: String,
        filled: String,
        unit: Text,
    },
    /// Horizontal diverging bars of percentage changes, grouped by series (F1, F2).
    DivergingBars {
        label: String,
        series: Vec<String>,
        unit: Text,
    },
    /// Horizontal stacked bars, one segment per series column (C3).
    StackedBars {
        label: String,
        series: Vec<String>,
        unit: Text,
    },
    /// A grid of rows × series columns shaded by value (I2 cross-tab).
    HeatMap {
        label: String,
        series: Vec<String>,
        unit: Text,
    },
    /// Horizontal bars in table order, coloured by a category column (its
    /// values in the language's name column `{colour}_en` / `{colour}_zh`
    /// when present), with a legend (K3: groups coloured by home economy).
    RankedBars {
        label: String,
        value: String,
        colour: String,
        unit: Text,
    },
    /// A network drawn from its node table (positions `x`, `y` in [0, 1],
    /// area by `size`, colour by `group`) and the edges listed here (K1, K2).
    Network {
        id: String,
        label: String,
        size: String,
        x: String,
        y: String,
        group: String,
        edges: Vec<NetworkEdge>,
        unit: Text,
    },
}

/// An edge of a [`Figure::Network`], by node ids (the table's `economy` or `id` column).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NetworkEdge {
    pub source: String,
    pub target: String,
    pub weight: f64,
}

/// The result of one analysis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultTable {
    /// Analysis id (`C1`) plus an optional part (`C2.tiers`).
    pub id: String,
    pub title: Text,
    pub columns: Vec<Column>,
    /// Conventions the numbers depend on (price basis, counting basis, year
    /// basis…), printed with every figure and export.
    pub basis: Vec<(Text, Text)>,
    pub sources: Vec<SourceNote>,
    pub notes: Vec<Text>,
    pub findings: Vec<Text>,
    /// The parameters that produced the table, as given to the analysis.
    pub params: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub figure: Option<Figure>,
    /// Built from generated data: every figure and export says "synthetic demo data".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub synthetic: bool,
    /// How far the data of the year shown cover the economies the table is
    /// about (the same statement is among the `basis` lines, for readers of
    /// the figure and CSV; this is for programs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Coverage>,
}

/// Coverage of a table's year: which economies of its set (or, for a
/// ranking, of all countries) have data, and whether that is enough to rank.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    /// The year shown.
    pub year: i32,
    /// The year asked for, when the data did not support it and an earlier
    /// year is shown instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asked: Option<i32>,
    /// Share (0–1) of the reference total held by the economies with data,
    /// when the rule weighs economies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    /// Economies expected but without data for the year, largest first (codes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// Whether the rule holds: the year can be ranked as a whole.
    pub adequate: bool,
    /// The rule, as stated on the figure.
    pub rule: Text,
}

impl ResultTable {
    /// The columns a page in `lang` shows; files keep them all. Left out:
    /// the other language's variants (`…_en` on a zh page); a code column
    /// with its language variants beside it (`group` with `group_zh`) or
    /// followed by its names (`group`, `name_en`, `name_zh`), except an
    /// economy's ISO code; a network's layout coordinates. The dashboard
    /// applies the same rule (`tableEl` in innoscope-web's `app.js`).
    pub fn page_columns(&self, lang: Lang) -> Vec<&Column> {
        let (own, other) = match lang {
            Lang::Zh => ("_zh", "_en"),
            Lang::En => ("_en", "_zh"),
        };
        let has = |n: &str| self.columns.iter().any(|c| c.name == n);
        let layout: Vec<&str> = match &self.figure {
            Some(Figure::Network { x, y, .. }) => vec![x.as_str(), y.as_str()],
            _ => Vec::new(),
        };
        let named = |i: usize| {
            self.columns[i].name != "economy"
                && self.columns.get(i + 1).is_some_and(|c| c.name == "name_en")
                && self.columns.get(i + 2).is_some_and(|c| c.name == "name_zh")
        };
        self.columns
            .iter()
            .enumerate()
            .filter(|(i, c)| {
                !c.name.ends_with(other)
                    && !has(&format!("{}{own}", c.name))
                    && !named(*i)
                    && !layout.contains(&c.name.as_str())
            })
            .map(|(_, c)| c)
            .collect()
    }

    pub fn new(id: &str, title: Text) -> ResultTable {
        ResultTable {
            id: id.to_string(),
            title,
            columns: Vec::new(),
            basis: Vec::new(),
            sources: Vec::new(),
            notes: Vec::new(),
            findings: Vec::new(),
            params: BTreeMap::new(),
            figure: None,
            synthetic: false,
            coverage: None,
        }
    }

    pub fn n_rows(&self) -> usize {
        self.columns.first().map_or(0, |c| c.values.len())
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Checks that all columns have the same length and unique names.
    pub fn validate(&self) -> Result<(), String> {
        let n = self.n_rows();
        let mut names = std::collections::BTreeSet::new();
        for c in &self.columns {
            if c.values.len() != n {
                return Err(format!(
                    "{}: column `{}` has {} rows, expected {n}",
                    self.id,
                    c.name,
                    c.values.len()
                ));
            }
            if !names.insert(&c.name) {
                return Err(format!("{}: duplicate column `{}`", self.id, c.name));
            }
        }
        Ok(())
    }

    /// CSV with a header row of column names, preceded by `#` comment lines
    /// carrying title, basis and sources when `with_provenance` is set.
    pub fn to_csv(&self, with_provenance: bool) -> String {
        let mut out = CsvText::new();
        if with_provenance {
            out.line(&format!("# {} {}", self.id, self.title.en));
            if self.synthetic {
                out.line("# SYNTHETIC DEMO DATA: generated, not real statistics");
            }
            for (k, v) in &self.basis {
                out.line(&format!("# {}: {}", k.en, v.en));
            }
            for s in &self.sources {
                out.line(&format!(
                    "# source: {} ({}; licence {}; vintage {})",
                    s.source, s.dataset, s.licence, s.vintage
                ));
            }
        }
        out.record(self.columns.iter().map(|c| c.name.as_str()));
        for row in 0..self.n_rows() {
            out.record(self.columns.iter().map(|c| c.cell(row)));
        }
        out.finish()
    }

    /// Deterministic JSON (pretty, keys in declaration order).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("result tables serialise")
    }

    /// An aligned plain-text table with title, basis, sources and findings.
    pub fn to_text(&self, lang: Lang) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}  {}", self.id, self.title.get(lang));
        if self.synthetic {
            let _ = writeln!(
                out,
                "{}",
                match lang {
                    Lang::Zh => "!! 合成演示数据：程序生成，并非真实统计",
                    Lang::En => "!! SYNTHETIC DEMO DATA: generated, not real statistics",
                }
            );
        }
        let headers: Vec<String> = self
            .columns
            .iter()
            .map(|c| match &c.unit {
                Some(u) if !u.get(lang).is_empty() => {
                    format!("{} ({})", c.label.get(lang), u.get(lang))
                }
                _ => c.label.get(lang).to_string(),
            })
            .collect();
        let rows: Vec<Vec<String>> = (0..self.n_rows())
            .map(|r| self.columns.iter().map(|c| c.cell(r)).collect())
            .collect();
        let widths: Vec<usize> = (0..self.columns.len())
            .map(|i| {
                rows.iter()
                    .map(|r| display_width(&r[i]))
                    .chain(std::iter::once(display_width(&headers[i])))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let numeric: Vec<bool> = self
            .columns
            .iter()
            .map(|c| matches!(c.values, Values::Float(_) | Values::Int(_)))
            .collect();
        let fmt_row = |cells: &[String]| {
            let mut line = String::new();
            for (i, cell) in cells.iter().enumerate() {
                let pad = widths[i].saturating_sub(display_width(cell));
                if i > 0 {
                    line.push_str("  ");
                }
                if numeric[i] {
                    line.push_str(&" ".repeat(pad));
                    line.push_str(cell);
                } else {
                    line.push_str(cell);
                    line.push_str(&" ".repeat(pad));
                }
            }
            line.trim_end().to_string()
        };
        let _ = writeln!(out, "{}", fmt_row(&headers));
        let _ = writeln!(
            out,
            "{}",
            widths
                .iter()
                .map(|w| "-".repeat(*w))
                .collect::<Vec<_>>()
                .join("  ")
        );
        for r in &rows {
            let _ = writeln!(out, "{}", fmt_row(r));
        }
        for (k, v) in &self.basis {
            let _ = writeln!(out, "{}: {}", k.get(lang), v.get(lang));
        }
        for s in &self.sources {
            let _ = writeln!(
                out,
                "{}: {} [{}, {}]",
                label_source(lang),
                s.source_in(lang),
                s.licence_in(lang),
                s.vintage_in(lang)
            );
        }
        for n in &self.notes {
            let _ = writeln!(out, "{} {}", label_note(lang), n.get(lang));
        }
        for f in &self.findings {
            let _ = writeln!(out, "» {}", f.get(lang));
        }
        out
    }
}

fn label_source(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "来源",
        Lang::En => "Source",
    }
}

fn label_note(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "注：",
        Lang::En => "Note:",
    }
}

/// Width of a string in terminal columns (CJK characters count double).
pub fn display_width(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

/// East-Asian wide characters (the ranges that matter for zh labels).
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF |
        0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF |
        0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
}

/// CSV text built record by record: the one CSV writer of innoscope's
/// exports (tables, networks, microdata rows), on the `csv` crate. Fields are
/// quoted only where they need it; lines end in LF.
pub struct CsvText {
    text: String,
    w: csv::Writer<Vec<u8>>,
}

impl Default for CsvText {
    fn default() -> Self {
        Self::new()
    }
}

fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .flexible(true)
        .from_writer(Vec::new())
}

impl CsvText {
    pub fn new() -> CsvText {
        CsvText {
            text: String::new(),
            w: csv_writer(),
        }
    }

    fn drain(&mut self) {
        let w = std::mem::replace(&mut self.w, csv_writer());
        let bytes = w.into_inner().expect("writing to memory");
        self.text
            .push_str(std::str::from_utf8(&bytes).expect("UTF-8 fields give UTF-8 text"));
    }

    /// Text written as it is (`#` provenance lines), ending in a newline.
    pub fn line(&mut self, text: &str) -> &mut Self {
        self.drain();
        self.text.push_str(text);
        self.text.push('\n');
        self
    }

    /// One record.
    pub fn record<I, T>(&mut self, fields: I) -> &mut Self
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.w.write_record(fields).expect("writing to memory");
        self
    }

    pub fn finish(mut self) -> String {
        self.drain();
        self.text
    }
}

#[cfg(test)]
pub(crate) fn csv_field(s: &str) -> String {
    let mut c = CsvText::new();
    c.record([s]);
    c.finish().trim_end_matches('\n').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_show_names_and_labels_files_keep_codes() {
        let text = |n: &str| Column::text(n, Text::same(n), vec![Some("x".into())]);
        let mut t = ResultTable::new("T", Text::same("t"));
        t.columns = [
            "economy", "name_en", "name_zh", "group", "group_en", "group_zh",
        ]
        .map(text)
        .to_vec();
        fn names(t: &ResultTable, lang: Lang) -> Vec<String> {
            t.page_columns(lang)
                .iter()
                .map(|c| c.name.clone())
                .collect()
        }
        assert_eq!(names(&t, Lang::Zh), ["economy", "name_zh", "group_zh"]);
        assert_eq!(names(&t, Lang::En), ["economy", "name_en", "group_en"]);
        t.columns = ["sector", "name_en", "name_zh"].map(text).to_vec();
        assert_eq!(
            names(&t, Lang::Zh),
            ["name_zh"],
            "a code followed by its names"
        );
        let c = text("status").with_labels(&[("x", "stayed", "保持")]);
        assert_eq!(
            (c.cell(0), c.cell_in(0, Lang::Zh)),
            ("x".into(), "保持".into())
        );
    }

    fn sample() -> ResultTable {
        let mut t = ResultTable::new("X1", Text::new("Sample", "样例"));
        t.columns.push(Column::text(
            "economy",
            Text::new("Economy", "经济体"),
            vec![Some("USA".into()), Some("CHN".into())],
        ));
        t.columns.push(Column::float(
            "value",
            Text::new("Value", "数值"),
            None,
            2,
            vec![Some(1.005), Some(-0.001)],
        ));
        t
    }

    #[test]
    fn csv_is_deterministic_and_has_header() {
        let t = sample();
        assert_eq!(t.to_csv(false), "economy,value\nUSA,1.00\nCHN,0.00\n");
        assert_eq!(t.to_csv(false), t.clone().to_csv(false));
    }

    #[test]
    fn validate_catches_ragged_columns() {
        let mut t = sample();
        t.columns
            .push(Column::int("n", Text::same("n"), None, vec![Some(1)]));
        assert!(t.validate().unwrap_err().contains("column `n` has 1 rows"));
    }

    #[test]
    fn csv_quotes_commas() {
        assert_eq!(csv_field("Korea, Rep."), "\"Korea, Rep.\"");
    }

    #[test]
    fn wide_chars_count_double() {
        assert_eq!(display_width("美国ab"), 6);
    }
}
