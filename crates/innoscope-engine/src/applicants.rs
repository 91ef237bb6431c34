//! Applicant names of a patent dataset, harmonised (`innoscope applicants`,
//! K3): reading the names with the source's own harmonised fields, building
//! the harmoniser from the user's files, and writing the entity, group and
//! audit tables.

use std::fs::File;
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray, StringBuilder,
};
use arrow::datatypes::{DataType, Field, Schema};
use futures::StreamExt;
use innoscope_core::applicant::{Group, GroupTable, Harmonised, Harmoniser, NameRecord, NameRules};
use parquet::arrow::ArrowWriter;

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

/// Append the name records of a batch of `name, country, harmonised,
/// harmonised_by, sector, n` to `out`.
pub(crate) fn push_records(out: &mut Vec<NameRecord>, b: &RecordBatch) -> Result<()> {
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
    out.reserve(b.num_rows());
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
    Ok(())
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
    // Batch by batch: the distinct names are held once, as records, not
    // also as Arrow batches.
    let mut stream = md.context().sql(&sql).await?.execute_stream().await?;
    let mut out = Vec::new();
    while let Some(b) = stream.next().await {
        push_records(&mut out, &b?)?;
    }
    Ok(out)
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

/// Rows of a table built and written at a time as CSV or JSON. The audit,
/// entity and group tables are built and written a slice at a time, so the
/// memory they take does not grow with the number of names (before, the
/// audit table of 2.7M names and its CSV text took about 1 KB a name).
const SLICE_ROWS: usize = 65_536;

/// The slices of `0..rows`, `per` rows each: at least one, so an empty
/// table still gets its header (CSV) or schema (Parquet).
fn slices(rows: usize, per: usize) -> impl Iterator<Item = Range<usize>> {
    (0..rows.div_ceil(per).max(1)).map(move |i| i * per..((i + 1) * per).min(rows))
}

/// The slices in which a table is handed to the Parquet writer, so that its
/// pages fall where they would if the whole table were handed over at once
/// (the same bytes as before the tables were sliced). The writer cuts a call
/// into row groups, and each row group's call into runs of
/// `data_page_row_count_limit` rows (columns without nulls) or
/// `write_batch_size` rows (the others), deciding on a new page after each
/// run; so a slice starts at a row group's start or a common multiple of
/// both run lengths past it (640,000 rows with the defaults).
fn parquet_slices(rows: usize) -> Vec<Range<usize>> {
    let props = parquet::file::properties::WriterProperties::default();
    let (a, b) = (props.write_batch_size(), props.data_page_row_count_limit());
    let gcd = |mut x: usize, mut y: usize| {
        while y != 0 {
            (x, y) = (y, x % y);
        }
        x
    };
    let per = a / gcd(a, b) * b;
    let group = props.max_row_group_row_count().unwrap_or(usize::MAX);
    let mut out = Vec::new();
    let mut start = 0;
    while start < rows {
        let end = start.saturating_add(group).min(rows);
        out.extend(slices(end - start, per).map(|r| start + r.start..start + r.end));
        start = end;
    }
    if out.is_empty() {
        out.push(0..0);
    }
    out
}

/// How [`write_audit`] writes the audit table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableFormat {
    /// CSV with a header, quoted where needed.
    Csv,
    /// A JSON array of objects, one per row.
    Json,
}

/// Write a table of `rows` rows to `w`, building it a slice at a time with
/// `slice` (which gets row ranges in order).
fn write_sliced<W: Write>(
    w: &mut W,
    format: TableFormat,
    rows: usize,
    slice: impl Fn(Range<usize>) -> Result<RecordBatch>,
) -> Result<()> {
    write_sliced_by(w, format, rows, SLICE_ROWS, slice)
}

fn write_sliced_by<W: Write>(
    w: &mut W,
    format: TableFormat,
    rows: usize,
    per: usize,
    slice: impl Fn(Range<usize>) -> Result<RecordBatch>,
) -> Result<()> {
    match format {
        TableFormat::Csv => {
            let mut cw = arrow::csv::WriterBuilder::new()
                .with_header(true)
                .build(&mut *w);
            for r in slices(rows, per) {
                cw.write(&slice(r)?)?;
            }
        }
        TableFormat::Json => {
            let mut jw = arrow::json::ArrayWriter::new(&mut *w);
            for r in slices(rows, per) {
                jw.write(&slice(r)?)?;
            }
            jw.finish()?;
        }
    }
    Ok(())
}

/// Write `{stem}.csv` and `{stem}.parquet` into `dir` in one pass over the
/// slices of the table ([`parquet_slices`]), each atomically (temporary
/// file, then rename).
fn write_table(
    dir: &Path,
    stem: &str,
    rows: usize,
    slice: impl Fn(Range<usize>) -> Result<RecordBatch>,
) -> Result<[PathBuf; 2]> {
    let csv = dir.join(format!("{stem}.csv"));
    let pq = dir.join(format!("{stem}.parquet"));
    crate::atomic::write_buffered(&csv, |text| {
        crate::atomic::write_with(&pq, |fp| {
            let mut cw = arrow::csv::WriterBuilder::new()
                .with_header(true)
                .build(&mut *text);
            let mut ranges = parquet_slices(rows).into_iter();
            let first = slice(ranges.next().expect("slices gives at least one range"))?;
            cw.write(&first)?;
            let mut pw = ArrowWriter::try_new(fp, first.schema(), None)?;
            pw.write(&first)?;
            drop(first);
            for r in ranges {
                let b = slice(r)?;
                cw.write(&b)?;
                pw.write(&b)?;
            }
            pw.close()?;
            Ok(())
        })
    })?;
    Ok([csv, pq])
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

/// Rows `range` of the audit table: one row per input record, in input order.
pub fn names_batch(
    h: &Harmoniser,
    records: &[NameRecord],
    out: &Harmonised,
    range: Range<usize>,
) -> Result<RecordBatch> {
    let n = range.len();
    // Built straight into Arrow's buffers: no String per cell.
    let mut cols: Vec<StringBuilder> = (0..16)
        .map(|_| StringBuilder::with_capacity(n, n * 16))
        .collect();
    let mut counts = Vec::with_capacity(n);
    let mut score = Vec::with_capacity(n);
    for (r, res) in records[range.clone()].iter().zip(&out.records[range]) {
        let e = &out.entities[res.entity];
        let g = &out.groups[e.group];
        let entry = out.group_entry[res.entity].map(|i| &h.groups.entries[i]);
        let source = entry.map(|x| match x.span() {
            Some(span) => format!("{} ({}; {span})", x.source, x.origin),
            None => format!("{} ({})", x.source, x.origin),
        });
        let vals = [
            Some(r.name.as_str()),
            r.country.as_deref(),
            Some(res.kind.as_str()),
            Some(res.kind_rule.as_str()),
            Some(res.key.as_str()),
            Some(res.key_source.as_str()),
            Some(e.id.as_str()),
            Some(e.name.as_str()),
            Some(res.rule.as_str()),
            res.linked_to.as_deref(),
            Some(g.id.as_str()),
            Some(g.name.en.as_str()),
            Some(g.name.zh.as_str()),
            g.home.as_deref(),
            entry.map(|x| x.member.as_str()),
            source.as_deref(),
        ];
        for (c, v) in cols.iter_mut().zip(vals) {
            c.append_option(v);
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
        .map(|(n, mut v)| {
            (
                Field::new(*n, DataType::Utf8, true),
                Arc::new(v.finish()) as ArrayRef,
            )
        })
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

/// Rows `range` of the entity table: one row per entity.
pub fn entities_batch(out: &Harmonised, range: Range<usize>) -> Result<RecordBatch> {
    let e = &out.entities[range];
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

/// Rows of the group table for `g`, some of today's groups
/// ([`Harmonised::groups_today`]: an entity's own group kept for the years
/// before a dated merger has none, and is left out), with their entities.
pub fn groups_batch(g: &[&Group], out: &Harmonised) -> Result<RecordBatch> {
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

/// Write the audit table (one row per input record, in input order) to `w`.
pub fn write_audit<W: Write>(
    w: &mut W,
    format: TableFormat,
    h: &Harmoniser,
    records: &[NameRecord],
    out: &Harmonised,
) -> Result<()> {
    write_sliced(w, format, records.len(), |r| {
        names_batch(h, records, out, r)
    })
}

/// Write the audit (`applicant-names`), entity and group tables as CSV and
/// Parquet into `dir`, each a slice at a time; returns the files written.
pub fn write_tables(
    dir: &Path,
    h: &Harmoniser,
    records: &[NameRecord],
    out: &Harmonised,
) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| EngineError::io(dir, e))?;
    let today: Vec<&Group> = out.groups_today().collect();
    let mut files = Vec::new();
    files.extend(write_table(dir, "applicant-names", records.len(), |r| {
        names_batch(h, records, out, r)
    })?);
    files.extend(write_table(
        dir,
        "applicant-entities",
        out.entities.len(),
        |r| entities_batch(out, r),
    )?);
    files.extend(write_table(dir, "applicant-groups", today.len(), |r| {
        groups_batch(&today[r], out)
    })?);
    Ok(files)
}

/// Read a user's `name,country` CSV (header required; `country` optional;
/// other columns ignored). The file is read as it is parsed, so only the
/// records are held, not also the file's text; a UTF-8 byte-order mark is
/// skipped.
pub fn read_name_list(path: &Path) -> Result<Vec<NameRecord>> {
    use std::io::BufRead;
    let f = File::open(path).map_err(|e| EngineError::io(path, e))?;
    let mut input = std::io::BufReader::with_capacity(1 << 16, f);
    let head = input.fill_buf().map_err(|e| EngineError::io(path, e))?;
    if head.starts_with(b"\xEF\xBB\xBF") {
        input.consume(3);
    }
    let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(input);
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
    let mut rec = csv::StringRecord::new();
    while rdr.read_record(&mut rec).map_err(|e| {
        let line = e.position().map(|p| p.line());
        EngineError::input(path, line, None, e.to_string())
    })? {
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

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::Int64Array;

    /// A table of `n` rows whose values depend on the row alone: strings of
    /// varying length (some quoted in CSV), nulls, numbers.
    fn rows(r: Range<usize>) -> Result<RecordBatch> {
        batch(vec![
            text_col(
                "name",
                r.clone()
                    .map(|i| Some(format!("Name {i}, {}", "x".repeat(i % 17))))
                    .collect(),
            ),
            text_col(
                "country",
                r.clone()
                    .map(|i| (i % 5 != 0).then(|| ["CN", "US", "DE"][i % 3].to_string()))
                    .collect(),
            ),
            int_col("rows", r.map(|i| (i * 7 % 1000) as i64).collect()),
        ])
    }

    #[test]
    fn a_table_written_a_slice_at_a_time_is_the_whole_table_byte_for_byte() {
        // Two row groups and a part; slices of 640,000 rows and the rest.
        let n = (1 << 20) + 700_000;
        assert_eq!(
            parquet_slices(n),
            [
                0..640_000,
                640_000..1 << 20,
                1 << 20..(1 << 20) + 640_000,
                (1 << 20) + 640_000..n
            ]
        );
        // An empty table: one empty slice, for the schema.
        let empty = parquet_slices(0);
        assert!(empty.len() == 1 && empty[0].is_empty(), "{empty:?}");
        let dir = tempfile::tempdir().unwrap();
        let [csv, pq] = write_table(dir.path(), "t", n, rows).unwrap();
        // The whole table written at once, as before.
        let whole = rows(0..n).unwrap();
        let mut text = Vec::new();
        arrow::csv::WriterBuilder::new()
            .with_header(true)
            .build(&mut text)
            .write(&whole)
            .unwrap();
        assert_eq!(std::fs::read(&csv).unwrap(), text);
        let mut bytes = Vec::new();
        let mut w = ArrowWriter::try_new(&mut bytes, whole.schema(), None).unwrap();
        w.write(&whole).unwrap();
        w.close().unwrap();
        assert_eq!(std::fs::read(&pq).unwrap(), bytes);
        // No temporary file is left beside them.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn csv_and_json_are_the_same_text_whatever_the_slices() {
        for format in [TableFormat::Csv, TableFormat::Json] {
            for n in [0, 1, 20, 21] {
                let mut whole = Vec::new();
                write_sliced_by(&mut whole, format, n, n.max(1), rows).unwrap();
                for per in [1, 3, 7] {
                    let mut sliced = Vec::new();
                    write_sliced_by(&mut sliced, format, n, per, rows).unwrap();
                    assert_eq!(
                        String::from_utf8(sliced).unwrap(),
                        String::from_utf8(whole.clone()).unwrap(),
                        "{format:?}, {n} rows by {per}"
                    );
                }
            }
        }
        // An empty table: the header, or an empty array.
        let mut e = Vec::new();
        write_sliced(&mut e, TableFormat::Csv, 0, rows).unwrap();
        assert_eq!(String::from_utf8(e).unwrap(), "name,country,rows\n");
        let mut e = Vec::new();
        write_sliced(&mut e, TableFormat::Json, 0, rows).unwrap();
        assert_eq!(String::from_utf8(e).unwrap(), "[]");
    }

    #[test]
    fn the_exported_tables_hold_a_row_per_name_entity_and_group() {
        let h = Harmoniser::builtin();
        let records: Vec<NameRecord> = [
            ("Genentech, Inc.", Some("US")),
            ("GENENTECH INC", None),
            ("F. Hoffmann-La Roche AG", Some("CH")),
            ("SMITH, John", Some("GB")),
            ("Acme Widgets LLC", Some("US")),
        ]
        .iter()
        .map(|(n, c)| NameRecord::new(n, *c))
        .collect();
        let out = h.run(&records);
        let dir = tempfile::tempdir().unwrap();
        let files = write_tables(dir.path(), &h, &records, &out).unwrap();
        assert_eq!(files.len(), 6);
        let read = |stem: &str| {
            let f = File::open(dir.path().join(format!("{stem}.parquet"))).unwrap();
            let r =
                parquet::arrow::arrow_reader::ParquetRecordBatchReader::try_new(f, 1024).unwrap();
            r.map(|b| b.unwrap()).collect::<Vec<_>>()
        };
        let names = read("applicant-names");
        assert_eq!(names.iter().map(|b| b.num_rows()).sum::<usize>(), 5);
        let n = strings(&names[0], 0).unwrap();
        assert_eq!(n.value(3), "SMITH, John");
        let rows = names[0].column(17).as_any().downcast_ref::<Int64Array>();
        assert_eq!(rows.map(|r| r.value(0)), Some(1));
        let entities = read("applicant-entities");
        assert_eq!(
            entities.iter().map(|b| b.num_rows()).sum::<usize>(),
            out.entities.len()
        );
        let groups = read("applicant-groups");
        assert_eq!(
            groups.iter().map(|b| b.num_rows()).sum::<usize>(),
            out.groups_today().count()
        );
        // The CSV holds the same rows under a header.
        let text = std::fs::read_to_string(dir.path().join("applicant-names.csv")).unwrap();
        assert_eq!(text.lines().count(), 6);
        assert!(text.starts_with("name,country,kind,"), "{text}");
    }

    #[test]
    fn a_name_list_is_read_as_it_is_parsed_and_bad_lines_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("names.csv");
        std::fs::write(
            &p,
            "\u{feff}Name,Country,other\nAcme GmbH,de,1\n\"Beta, Inc.\",,2\n",
        )
        .unwrap();
        let r = read_name_list(&p).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(
            (r[0].name.as_str(), r[0].country.as_deref()),
            ("Acme GmbH", Some("DE"))
        );
        assert_eq!(
            (r[1].name.as_str(), r[1].country.as_deref()),
            ("Beta, Inc.", None)
        );
        // Invalid UTF-8 on line 3: the line is named.
        let mut bytes = b"name,country\nAcme,US\nB\xffta,US\n".to_vec();
        std::fs::write(&p, &bytes).unwrap();
        let e = read_name_list(&p).unwrap_err().to_string();
        assert!(e.contains("names.csv") && e.contains(":3"), "{e}");
        // A line with a field too many.
        bytes = b"name,country\nAcme,US\nBeta,US,extra\n".to_vec();
        std::fs::write(&p, &bytes).unwrap();
        let e = read_name_list(&p).unwrap_err().to_string();
        assert!(e.contains(":3"), "{e}");
    }
}
