//! Analysis-ready facts of a patent dataset, derived at import beside its
//! four canonical tables:
//!
//! ```text
//! app_country.parquet   appln_id, role, country   (distinct; sorted by role, appln_id, country)
//! ```
//!
//! One row per application, role and known country of the persons linked
//! in that role. Every microdata analysis starts from exactly this set (the
//! counting base's `ac`: the distinct countries of an application's
//! applicants or inventors), which the raw path computes per query by
//! joining the links with the persons and taking a distinct over country
//! strings. Sorted by role, a query for one role reads only that role's row
//! groups (Parquet statistics).
//!
//! Memory: the derivation holds every link's application and country rank
//! (16 bytes a link) and each person's country (2 bytes per person id), so it
//! is not bounded like the rest of the import (see `patents`).
//!
//! The file carries its version in its key-value metadata
//! (`innoscope.facts` = [`VERSION`]); a dataset without it, or with another
//! version (imported by an older innoscope), is read through the raw tables
//! with a warning, and gets the facts when it is imported again.

use std::collections::HashMap;
use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow::array::{Array, AsArray, Int64Array, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;

use crate::error::{EngineError, Result};

/// Version of the facts this innoscope writes and reads.
pub const VERSION: &str = "1";
/// The metadata key that holds it.
const KEY: &str = "innoscope.facts";
/// File name of the country facts in a dataset directory.
pub const APP_COUNTRY: &str = "app_country.parquet";
/// Rows per row group: small enough that one role's groups can be skipped.
const ROW_GROUP: usize = 256 * 1024;

pub fn app_country_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("appln_id", DataType::Int64, false),
        Field::new("role", DataType::Utf8, false),
        Field::new("country", DataType::Utf8, false),
    ]))
}

/// Whether `dir` holds facts of this version.
pub fn present(dir: &Path) -> bool {
    let path = dir.join(APP_COUNTRY);
    let Ok(file) = File::open(&path) else {
        return false;
    };
    let Ok(builder) = ParquetRecordBatchReaderBuilder::try_new(file) else {
        return false;
    };
    builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .is_some_and(|kv| {
            kv.iter()
                .any(|k| k.key == KEY && k.value.as_deref() == Some(VERSION))
        })
}

/// Read `cols` of `dir/<table>.parquet`, batch by batch.
fn scan(
    dir: &Path,
    table: &str,
    cols: &[&str],
    f: &mut dyn FnMut(&RecordBatch) -> Result<()>,
) -> Result<()> {
    let path = dir.join(format!("{table}.parquet"));
    let file = File::open(&path).map_err(|e| EngineError::store(&path, e))?;
    let builder =
        ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| EngineError::store(&path, e))?;
    let mut idx = Vec::new();
    for c in cols {
        idx.push(
            builder
                .schema()
                .index_of(c)
                .map_err(|e| EngineError::store(&path, e))?,
        );
    }
    let mask = parquet::arrow::ProjectionMask::roots(builder.parquet_schema(), idx);
    for batch in builder.with_projection(mask).build()? {
        let b = batch?;
        // Columns come in file order; put them in the order asked.
        let schema = b.schema();
        let ordered: Vec<_> = cols
            .iter()
            .map(|c| b.column(schema.index_of(c).expect("projected")).clone())
            .collect();
        let b = RecordBatch::try_from_iter(cols.iter().zip(ordered))?;
        f(&b)?;
    }
    Ok(())
}

fn ints(b: &RecordBatch, i: usize) -> Result<Int64Array> {
    Ok(arrow::compute::cast(b.column(i), &DataType::Int64)?
        .as_primitive::<arrow::datatypes::Int64Type>()
        .clone())
}

fn texts(b: &RecordBatch, i: usize) -> Result<StringArray> {
    Ok(arrow::compute::cast(b.column(i), &DataType::Utf8)?
        .as_string::<i32>()
        .clone())
}

/// Country codes numbered in order of first sight.
#[derive(Default)]
struct Codes {
    names: Vec<String>,
    index: HashMap<String, u16>,
}

impl Codes {
    fn code(&mut self, s: &str) -> Result<u16> {
        if let Some(&c) = self.index.get(s) {
            return Ok(c);
        }
        let c = u16::try_from(self.names.len()).map_err(|_| {
            EngineError::store(
                Path::new(APP_COUNTRY),
                "more than 65535 distinct country codes",
            )
        })?;
        self.names.push(s.to_string());
        self.index.insert(s.to_string(), c);
        Ok(c)
    }

    /// For each code, its rank among the names in byte order (so the file's
    /// order does not depend on the order the names were first seen).
    fn ranks(&self) -> Vec<u16> {
        let mut order: Vec<usize> = (0..self.names.len()).collect();
        order.sort_by(|a, b| self.names[*a].cmp(&self.names[*b]));
        let mut rank = vec![0u16; self.names.len()];
        for (r, i) in order.into_iter().enumerate() {
            rank[i] = r as u16;
        }
        rank
    }
}

/// Each person's country, by id: a dense vector when the ids are small
/// and dense (PATSTAT's), else a hash map.
enum PersonCountry {
    Dense(Vec<u16>),
    Sparse(HashMap<i64, u16>),
}

const NONE: u16 = u16::MAX;

impl PersonCountry {
    fn get(&self, id: i64) -> Option<u16> {
        match self {
            PersonCountry::Dense(v) => usize::try_from(id)
                .ok()
                .and_then(|i| v.get(i))
                .copied()
                .filter(|c| *c != NONE),
            PersonCountry::Sparse(m) => m.get(&id).copied(),
        }
    }
}

/// Write the facts of the tables in `dir` (a dataset being imported).
/// Returns the number of rows written.
pub(crate) fn write(dir: &Path) -> Result<u64> {
    let started = std::time::Instant::now();
    let mut countries = Codes::default();
    let mut persons: Vec<(i64, u16)> = Vec::new();
    let mut max_id = 0i64;
    scan(dir, "person", &["person_id", "country"], &mut |b| {
        let (id, ctry) = (ints(b, 0)?, texts(b, 1)?);
        for i in 0..b.num_rows() {
            if id.is_null(i) || ctry.is_null(i) {
                continue;
            }
            let c = countries.code(ctry.value(i))?;
            max_id = max_id.max(id.value(i));
            persons.push((id.value(i), c));
        }
        Ok(())
    })?;
    // Countries are all known now: give each person its country's rank in
    // byte order, so that sorting the links sorts the country names.
    let ctry_rank = countries.ranks();
    let mut by_rank = vec![String::new(); countries.names.len()];
    for (code, name) in countries.names.iter().enumerate() {
        by_rank[ctry_rank[code] as usize] = name.clone();
    }
    let dense = persons.iter().all(|(id, _)| *id >= 0)
        && (max_id as u64) < 4 * persons.len() as u64 + (1 << 20);
    let by_person = if dense {
        let mut v = vec![NONE; max_id as usize + 1];
        for (id, c) in persons.drain(..) {
            v[id as usize] = ctry_rank[c as usize];
        }
        PersonCountry::Dense(v)
    } else {
        PersonCountry::Sparse(
            persons
                .drain(..)
                .map(|(id, c)| (id, ctry_rank[c as usize]))
                .collect(),
        )
    };
    // One list of (application, country rank) per role; a role is found
    // by comparing with the last one seen (links come in runs of a role).
    let mut roles: Vec<(String, Vec<(i64, u16)>)> = Vec::new();
    let mut last = usize::MAX;
    let mut links = 0usize;
    scan(dir, "party", &["appln_id", "person_id", "role"], &mut |b| {
        let (appln, person, role) = (ints(b, 0)?, ints(b, 1)?, texts(b, 2)?);
        for i in 0..b.num_rows() {
            if appln.is_null(i) || person.is_null(i) || role.is_null(i) {
                continue;
            }
            let Some(c) = by_person.get(person.value(i)) else {
                continue;
            };
            let r = role.value(i);
            if roles.get(last).is_none_or(|(name, _)| name != r) {
                last = match roles.iter().position(|(name, _)| name == r) {
                    Some(k) => k,
                    None => {
                        roles.push((r.to_string(), Vec::new()));
                        roles.len() - 1
                    }
                };
            }
            roles[last].1.push((appln.value(i), c));
            links += 1;
        }
        Ok(())
    })?;
    drop(by_person);
    tracing::info!(
        ms = started.elapsed().as_millis() as u64,
        links,
        "facts: links with a country read"
    );
    roles.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, v) in &mut roles {
        v.sort_unstable();
        v.dedup();
    }
    tracing::info!(ms = started.elapsed().as_millis() as u64, "facts: sorted");

    let path = dir.join(APP_COUNTRY);
    let file = File::create(&path).map_err(|e| EngineError::store(&path, e))?;
    let props = WriterProperties::builder()
        .set_compression(parquet::basic::Compression::SNAPPY)
        .set_created_by("innoscope".to_string())
        .set_max_row_group_row_count(Some(ROW_GROUP))
        .set_column_dictionary_enabled("appln_id".into(), false)
        .set_column_encoding(
            "appln_id".into(),
            parquet::basic::Encoding::DELTA_BINARY_PACKED,
        )
        .set_key_value_metadata(Some(vec![KeyValue::new(
            KEY.to_string(),
            VERSION.to_string(),
        )]))
        .build();
    let schema = app_country_schema();
    let mut w = ArrowWriter::try_new(file, schema.clone(), Some(props))
        .map_err(|e| EngineError::store(&path, e))?;
    let mut rows = 0usize;
    for (role, v) in &roles {
        for chunk in v.chunks(64 * 1024) {
            let appln = Int64Array::from_iter_values(chunk.iter().map(|(a, _)| *a));
            let role = StringArray::from_iter_values(chunk.iter().map(|_| role.as_str()));
            let ctry = StringArray::from_iter_values(
                chunk.iter().map(|(_, c)| by_rank[*c as usize].as_str()),
            );
            let batch = RecordBatch::try_new(
                schema.clone(),
                vec![Arc::new(appln), Arc::new(role), Arc::new(ctry)],
            )?;
            w.write(&batch).map_err(|e| EngineError::store(&path, e))?;
            rows += chunk.len();
        }
    }
    w.close().map_err(|e| EngineError::store(&path, e))?;
    tracing::info!(
        ms = started.elapsed().as_millis() as u64,
        rows,
        "facts written"
    );
    Ok(rows as u64)
}
