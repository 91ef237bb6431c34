//! A series loaded from the store: values by economy and year, with the
//! metadata needed to cite it.

use std::collections::BTreeMap;

use arrow::array::{Array, Float64Array, Int32Array, RecordBatch, StringArray};
use arrow::compute::cast;
use arrow::datatypes::DataType;
use innoscope_core::{SeriesMeta, SourceNote};

use crate::error::{EngineError, Result};

#[derive(Clone, Debug, Default)]
pub struct Series {
    pub indicator: String,
    pub dataset: String,
    pub meta: SeriesMeta,
    pub vintage: String,
    pub values: BTreeMap<String, BTreeMap<i32, f64>>,
}

impl Series {
    pub(crate) fn from_batches(
        indicator: &str,
        dataset: &str,
        meta: SeriesMeta,
        fallback_vintage: &str,
        batches: &[RecordBatch],
    ) -> Result<Series> {
        let mut values: BTreeMap<String, BTreeMap<i32, f64>> = BTreeMap::new();
        for b in batches {
            read_values(b, 0, dataset, |_, eco, year, v| {
                values.entry(eco.to_string()).or_default().insert(year, v);
            })?;
        }
        Ok(Series::new(
            indicator,
            dataset,
            meta,
            fallback_vintage,
            values,
        ))
    }

    /// Several series from one scan: `batches` are `indicator, economy,
    /// year, value`; each row is read once and goes to its series, in the
    /// order of `metas`.
    pub(crate) fn many_from_batches(
        metas: &[&SeriesMeta],
        dataset: &str,
        fallback_vintage: &str,
        batches: &[RecordBatch],
    ) -> Result<Vec<Series>> {
        let at: std::collections::HashMap<&str, usize> = metas
            .iter()
            .enumerate()
            .map(|(i, m)| (m.indicator.as_str(), i))
            .collect();
        let mut values: Vec<BTreeMap<String, BTreeMap<i32, f64>>> =
            vec![BTreeMap::new(); metas.len()];
        for b in batches {
            let ind = cast(b.column(0), &DataType::Utf8)?;
            let ind = ind.as_any().downcast_ref::<StringArray>().ok_or_else(|| {
                EngineError::store(dataset, "observation table has an unexpected schema")
            })?;
            read_values(b, 1, dataset, |i, eco, year, v| {
                if !ind.is_null(i)
                    && let Some(&k) = at.get(ind.value(i))
                {
                    values[k]
                        .entry(eco.to_string())
                        .or_default()
                        .insert(year, v);
                }
            })?;
        }
        Ok(metas
            .iter()
            .zip(values)
            .map(|(m, v)| Series::new(&m.indicator, dataset, (*m).clone(), fallback_vintage, v))
            .collect())
    }

    fn new(
        indicator: &str,
        dataset: &str,
        meta: SeriesMeta,
        fallback_vintage: &str,
        values: BTreeMap<String, BTreeMap<i32, f64>>,
    ) -> Series {
        let vintage = if meta.vintage.is_empty() {
            fallback_vintage.to_string()
        } else {
            meta.vintage.clone()
        };
        Series {
            indicator: indicator.to_string(),
            dataset: dataset.to_string(),
            meta,
            vintage,
            values,
        }
    }

    pub fn get(&self, economy: &str, year: i32) -> Option<f64> {
        self.values.get(economy)?.get(&year).copied()
    }

    /// Latest year with a value for any economy.
    pub fn last_year(&self) -> Option<i32> {
        self.values
            .values()
            .filter_map(|m| m.keys().next_back().copied())
            .max()
    }

    /// Economies with a value in `year`.
    pub fn at(&self, year: i32) -> impl Iterator<Item = (&str, f64)> {
        self.values
            .iter()
            .filter_map(move |(e, m)| m.get(&year).map(|v| (e.as_str(), *v)))
    }

    pub fn source_note(&self) -> SourceNote {
        SourceNote {
            dataset: self.dataset.clone(),
            indicators: vec![self.indicator.clone()],
            source: self.meta.source.clone(),
            licence: self.meta.licence.clone(),
            vintage: self.vintage.clone(),
        }
    }
}

/// Call `f(row, economy, year, value)` for each row of `b` with all three
/// set; the economy, year and value are the columns from `first` on.
fn read_values(
    b: &RecordBatch,
    first: usize,
    dataset: &str,
    mut f: impl FnMut(usize, &str, i32, f64),
) -> Result<()> {
    // Parquet scans may yield view or dictionary types: cast to the
    // canonical ones before reading.
    let eco = cast(b.column(first), &DataType::Utf8)?;
    let year = cast(b.column(first + 1), &DataType::Int32)?;
    let val = cast(b.column(first + 2), &DataType::Float64)?;
    let downcast_err = || EngineError::store(dataset, "observation table has an unexpected schema");
    let eco = eco
        .as_any()
        .downcast_ref::<StringArray>()
        .ok_or_else(downcast_err)?;
    let year = year
        .as_any()
        .downcast_ref::<Int32Array>()
        .ok_or_else(downcast_err)?;
    let val = val
        .as_any()
        .downcast_ref::<Float64Array>()
        .ok_or_else(downcast_err)?;
    for i in 0..b.num_rows() {
        if eco.is_null(i) || year.is_null(i) || val.is_null(i) {
            continue;
        }
        f(i, eco.value(i), year.value(i), val.value(i));
    }
    Ok(())
}

/// Merge source notes: one per dataset and source, indicators combined.
pub fn merge_sources(series: &[&Series]) -> Vec<SourceNote> {
    let mut map: BTreeMap<(String, String), SourceNote> = BTreeMap::new();
    for s in series {
        let note = s.source_note();
        let entry = map
            .entry((note.dataset.clone(), note.source.clone()))
            .or_insert_with(|| SourceNote {
                indicators: Vec::new(),
                ..note.clone()
            });
        if !entry.indicators.contains(&s.indicator) {
            entry.indicators.push(s.indicator.clone());
        }
    }
    map.into_values().collect()
}
