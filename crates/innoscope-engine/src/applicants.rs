//! Applicant names of a patent dataset, harmonised (`innoscope applicants`,
//! K3): reading the names with the source's own harmonised fields, building
//! the harmoniser from the user's files, and writing the entity, group and
//! audit tables.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use innoscope_core::applicant::{GroupTable, Harmonised, Harmoniser, NameRecord, NameRules};

use crate::error::{EngineError, Result};
use crate::microdata::Microdata;

/// The user's choices for the harmoniser.
#[derive(Clone, Debug, Default)]
pub struct HarmoniserOptions {
    /// Extra or replacing rules (`kind,text,canonical,note`).
    pub name_rules: Option<PathBuf>,
    /// Extra or replacing groups (`group,name_en,name_zh,home,member,source`).
    pub groups_file: Option<PathBuf>,
    /// Similarity threshold (default 0.93).
    pub threshold: Option<f64>,
    /// Neighbours compared per sorted order (default 6).
    pub window: Option<usize>,
}

/// The harmoniser: built-in rules and groups plus the user's files.
pub fn harmoniser(opts: &HarmoniserOptions) -> Result<Harmoniser> {
    let mut rules = NameRules::builtin();
    if let Some(p) = &opts.name_rules {
        let text = std::fs::read_to_string(p).map_err(|e| EngineError::io(p, e))?;
        rules
            .add(&text, &p.display().to_string())
            .map_err(|e| EngineError::bad_param("name-rules", e.to_string()))?;
    }
    let mut groups = GroupTable::builtin(&rules);
    if let Some(p) = &opts.groups_file {
        let text = std::fs::read_to_string(p).map_err(|e| EngineError::io(p, e))?;
        let user = GroupTable::parse(&text, &p.display().to_string(), &rules)
            .map_err(|e| EngineError::bad_param("groups-file", e.to_string()))?;
        groups.overlay(user);
    }
    let mut h = Harmoniser {
        rules,
        groups,
        params: Default::default(),
    };
    if let Some(t) = opts.threshold {
        if !(0.5..=1.0).contains(&t) {
            return Err(EngineError::bad_param(
                "threshold",
                format!("{t} is outside 0.5–1.0 (Jaro–Winkler similarity)"),
            ));
        }
        h.params.threshold = t;
    }
    if let Some(w) = opts.window {
        if w == 0 || w > 100 {
            return Err(EngineError::bad_param(
                "window",
                format!("{w} is outside 1–100"),
            ));
        }
        h.params.window = w;
    }
    Ok(h)
}

/// Column `i` of `b` as strings (whatever its string or dictionary type).
pub(crate) fn strings(b: &RecordBatch, i: usize) -> Result<StringArray> {
    let c = arrow::compute::cast(b.column(i), &DataType::Utf8)?;
    Ok(c.as_any()
        .downcast_ref::<StringArray>()
        .expect("cast to Utf8")
        .clone())
}

/// Name records from batches of `name, country, harmonised, harmonised_by,
/// sector, n`.
pub(crate) fn records_from(batches: &[RecordBatch]) -> Result<Vec<NameRecord>> {
    let mut out = Vec::new();
    for b in batches {
        let (name, ctry, h, by, sector) = (
            strings(b, 0)?,
            strings(b, 1)?,
            strings(b, 2)?,
            strings(b, 3)?,
            strings(b, 4)?,
        );
        let n = arrow::compute::cast(b.column(5), &DataType::Int64)?;
        let n = n.as_any().downcast_ref::<Int64Array>().expect("cast");
        let opt = |a: &StringArray, i: usize| (!a.is_null(i)).then(|| a.value(i).to_string());
        for i in 0..b.num_rows() {
            out.push(NameRecord {
                name: opt(&name, i).unwrap_or_default(),
                country: opt(&ctry, i),
                count: n.value(i).max(0) as u64,
                harmonised: opt(&h, i),
                harmonised_by: opt(&by, i),
                sector: opt(&sector, i),
            });
        }
    }
    Ok(out)
}

/// Which persons' names to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameScope {
    /// Persons on applications as applicants.
    Applicants,
    /// Every person of the dataset (applicants and inventors).
    All,
}

/// The distinct names (with country and the source's harmonised fields)
/// of the dataset's persons, with how many rows carry each.
pub async fn names(md: &Microdata, scope: NameScope) -> Result<Vec<NameRecord>> {
    let extras = md.person_extras("p").await?;
    let from = match scope {
        NameScope::Applicants => {
            "(SELECT DISTINCT person_id FROM party WHERE role = 'applicant') a \
             JOIN person p ON a.person_id = p.person_id"
        }
        NameScope::All => "person p",
    };
    let sql = format!(
        "SELECT name, country, harmonised, harmonised_by, sector, count(*) AS n FROM \
         (SELECT p.name, p.country, {extras} FROM {from}) \
         GROUP BY name, country, harmonised, harmonised_by, sector \
         ORDER BY name, country, harmonised, harmonised_by, sector"
    );
    let batches = md.context().sql(&sql).await?.collect().await?;
    records_from(&batches)
}

/// The names of a patent dataset of the engine (`source`, else the first).
/// Returns the records and the dataset id.
pub async fn dataset_names(
    engine: &crate::Engine,
    source: Option<&str>,
    scope: NameScope,
) -> Result<(Vec<NameRecord>, String)> {
    let (tables, info) = engine.patent_tables(source)?;
    let m = &info.manifest;
    let synthetic = m.patents.as_ref().is_some_and(|p| p.synthetic);
    let md = Microdata::open_on(&tables, &m.id, synthetic, engine.exec(), engine.memory()).await?;
    Ok((names(&md, scope).await?, m.id.clone()))
}

fn opt_str(v: Option<&str>) -> Option<&str> {
    v.filter(|s| !s.is_empty())
}

/// Write `batch` to `path` atomically (temporary file, then rename).
fn write_parquet(path: &Path, batch: &RecordBatch) -> Result<()> {
    crate::atomic::write_with(path, |f| {
        let mut w = parquet::arrow::ArrowWriter::try_new(f, batch.schema(), None)?;
        w.write(batch)?;
        w.close()?;
        Ok(())
    })
}

fn write_text(path: &Path, text: &str) -> Result<()> {
    crate::atomic::write(path, text)
}

fn text_col(name: &str, v: Vec<Option<String>>) -> (Field, ArrayRef) {
    (
        Field::new(name, DataType::Utf8, true),
        Arc::new(StringArray::from(v)) as ArrayRef,
    )
}

fn int_col(name: &str, v: Vec<i64>) -> (Field, ArrayRef) {
    (
        Field::new(name, DataType::Int64, false),
        Arc::new(Int64Array::from(v)) as ArrayRef,
    )
}

fn batch(cols: Vec<(Field, ArrayRef)>) -> Result<RecordBatch> {
    let (fields, arrays): (Vec<Field>, Vec<ArrayRef>) = cols.into_iter().unzip();
    Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)?)
}

/// CSV of a batch (header, then rows; quoted when needed).
fn csv_of(b: &RecordBatch) -> Result<String> {
    let mut buf = Vec::new();
    {
        let mut w = arrow::csv::WriterBuilder::new()
            .with_header(true)
            .build(&mut buf);
        w.write(b)?;
    }
    Ok(String::from_utf8(buf).expect("arrow writes UTF-8"))
}

/// The audit table: one row per input record, in input order.
pub fn names_batch(
    h: &Harmoniser,
    records: &[NameRecord],
    out: &Harmonised,
) -> Result<RecordBatch> {
    let n = records.len();
    let mut cols: Vec<Vec<Option<String>>> = (0..16).map(|_| Vec::with_capacity(n)).collect();
    let mut counts = Vec::with_capacity(n);
    let mut score = Vec::with_capacity(n);
    for (r, res) in records.iter().zip(&out.records) {
        let e = &out.entities[res.entity];
        let g = &out.groups[e.group];
        let entry = out.group_entry[res.entity].map(|i| &h.groups.entries[i]);
        let vals = [
            Some(r.name.clone()),
            r.country.clone(),
            Some(res.kind.as_str().to_string()),
            Some(res.kind_rule.as_str().to_string()),
            Some(res.key.clone()),
            Some(res.key_source.as_str().to_string()),
            Some(e.id.clone()),
            Some(e.name.clone()),
            Some(res.rule.as_str().to_string()),
            res.linked_to.clone(),
            Some(g.id.clone()),
            Some(g.name.en.clone()),
            Some(g.name.zh.clone()),
            g.home.clone(),
            entry.map(|x| x.member.clone()),
            entry.map(|x| match x.span() {
                Some(span) => format!("{} ({}; {span})", x.source, x.origin),
                None => format!("{} ({})", x.source, x.origin),
            }),
        ];
        for (c, v) in cols.iter_mut().zip(vals) {
            c.push(v);
        }
        counts.push(r.count as i64);
        score.push(res.score);
    }
    let names = [
        "name",
        "country",
        "kind",
        "kind_rule",
        "key",
        "key_source",
        "entity_id",
        "entity_name",
        "entity_rule",
        "linked_to",
        "group_id",
        "group_en",
        "group_zh",
        "group_home",
        "group_pattern",
        "group_source",
    ];
    let mut fields: Vec<(Field, ArrayRef)> = names
        .iter()
        .zip(cols)
        .map(|(n, v)| text_col(n, v))
        .collect();
    fields.insert(
        10,
        (
            Field::new("score", DataType::Float64, true),
            Arc::new(Float64Array::from(score)) as ArrayRef,
        ),
    );
    fields.push(int_col("rows", counts));
    batch(fields)
}

/// Entities: one row each.
pub fn entities_batch(out: &Harmonised) -> Result<RecordBatch> {
    let e = &out.entities;
    batch(vec![
        text_col("entity_id", e.iter().map(|x| Some(x.id.clone())).collect()),
        text_col("name", e.iter().map(|x| Some(x.name.clone())).collect()),
        text_col("key", e.iter().map(|x| Some(x.key.clone())).collect()),
        text_col(
            "kind",
            e.iter().map(|x| Some(x.kind.as_str().into())).collect(),
        ),
        text_col("country", e.iter().map(|x| x.country.clone()).collect()),
        text_col(
            "countries",
            e.iter().map(|x| Some(x.countries.join(" "))).collect(),
        ),
        int_col("names", e.iter().map(|x| x.records.len() as i64).collect()),
        int_col("rows", e.iter().map(|x| x.count as i64).collect()),
        text_col(
            "group_id",
            e.iter()
                .map(|x| Some(out.groups[x.group].id.clone()))
                .collect(),
        ),
    ])
}

/// Groups: one row each, with their entities (today's groups: an entity's
/// own group kept for the years before a dated merger has none, and is left out).
pub fn groups_batch(out: &Harmonised) -> Result<RecordBatch> {
    let g: Vec<_> = out.groups_today().collect();
    batch(vec![
        text_col("group_id", g.iter().map(|x| Some(x.id.clone())).collect()),
        text_col(
            "name_en",
            g.iter().map(|x| Some(x.name.en.clone())).collect(),
        ),
        text_col(
            "name_zh",
            g.iter().map(|x| Some(x.name.zh.clone())).collect(),
        ),
        text_col("home", g.iter().map(|x| x.home.clone()).collect()),
        text_col(
            "source",
            g.iter()
                .map(|x| Some(if x.from_table { "group table" } else { "own" }.into()))
                .collect(),
        ),
        text_col(
            "kind",
            g.iter().map(|x| Some(x.kind.as_str().into())).collect(),
        ),
        int_col(
            "entities",
            g.iter().map(|x| x.entities.len() as i64).collect(),
        ),
        text_col(
            "entity_ids",
            g.iter()
                .map(|x| {
                    Some(
                        x.entities
                            .iter()
                            .map(|e| out.entities[*e].id.as_str())
                            .collect::<Vec<_>>()
                            .join(" "),
                    )
                })
                .collect(),
        ),
    ])
}

/// The audit table as JSON (an array of objects, one per input record).
pub fn json_of(b: &RecordBatch) -> Result<String> {
    let mut buf = Vec::new();
    {
        let mut w = arrow::json::ArrayWriter::new(&mut buf);
        w.write(b)?;
        w.finish()?;
    }
    Ok(String::from_utf8(buf).expect("arrow writes UTF-8"))
}

/// The audit table as CSV.
pub fn csv_text(b: &RecordBatch) -> Result<String> {
    csv_of(b)
}

/// Write `names`, `entities` and `groups` as CSV and Parquet into `dir`;
/// returns the files written.
pub fn write_tables(
    dir: &Path,
    h: &Harmoniser,
    records: &[NameRecord],
    out: &Harmonised,
) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| EngineError::io(dir, e))?;
    let mut files = Vec::new();
    for (stem, b) in [
        ("applicant-names", names_batch(h, records, out)?),
        ("applicant-entities", entities_batch(out)?),
        ("applicant-groups", groups_batch(out)?),
    ] {
        let csv = dir.join(format!("{stem}.csv"));
        write_text(&csv, &csv_of(&b)?)?;
        let pq = dir.join(format!("{stem}.parquet"));
        write_parquet(&pq, &b)?;
        files.push(csv);
        files.push(pq);
    }
    Ok(files)
}

/// Read a user's `name,country` CSV (header required; `country` optional;
/// other columns ignored).
pub fn read_name_list(path: &Path) -> Result<Vec<NameRecord>> {
    let bytes = std::fs::read(path).map_err(|e| EngineError::io(path, e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        EngineError::input(
            path,
            None,
            None,
            format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
        )
    })?;
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| EngineError::input(path, Some(1), None, e.to_string()))?
        .clone();
    let find = |n: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(n))
    };
    let Some(nc) = find("name") else {
        return Err(EngineError::input(
            path,
            Some(1),
            Some("name"),
            format!(
                "no `name` column (header: {}); expected `name,country`",
                headers.iter().collect::<Vec<_>>().join(",")
            ),
        ));
    };
    let cc = find("country");
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line());
            EngineError::input(path, line, None, e.to_string())
        })?;
        let line = rec.position().map_or(0, |p| p.line());
        let name = rec.get(nc).unwrap_or("").trim();
        if name.is_empty() {
            return Err(EngineError::input(
                path,
                Some(line),
                Some("name"),
                "empty name",
            ));
        }
        let country = cc.and_then(|c| opt_str(rec.get(c).map(str::trim)));
        let mut r = NameRecord::new(name, None);
        if let Some(c) = country {
            match innoscope_core::patent::clean_country(c) {
                Some(c) => r.country = Some(c),
                None => {
                    return Err(EngineError::input(
                        path,
                        Some(line),
                        Some("country"),
                        format!("`{c}` is not a two-letter economy code"),
                    ));
                }
            }
        }
        out.push(r);
    }
    Ok(out)
}
