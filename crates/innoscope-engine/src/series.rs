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
            // Parquet scans may yield view or dictionary types: cast to the
            // canonical ones before reading.
            let eco = cast(b.column(0), &DataType::Utf8)?;
            let year = cast(b.column(1), &DataType::Int32)?;
            let val = cast(b.column(2), &DataType::Float64)?;
            let downcast_err =
                || EngineError::store(dataset, "observation table has an unexpected schema");
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
                values
                    .entry(eco.value(i).to_string())
                    .or_default()
                    .insert(year.value(i), val.value(i));
            }
        }
        let vintage = if meta.vintage.is_empty() {
            fallback_vintage.to_string()
        } else {
            meta.vintage.clone()
        };
        Ok(Series {
            indicator: indicator.to_string(),
            dataset: dataset.to_string(),
            meta,
            vintage,
            values,
        })
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
