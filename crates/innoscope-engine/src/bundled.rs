//! The bundled default store, compiled in by `build.rs` from `data/bundled/`.

use std::path::Path;

use arrow::array::RecordBatch;
use bytes::Bytes;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::error::{EngineError, Result};
use crate::store::{DatasetManifest, parse_manifest};

mod files {
    include!(concat!(env!("OUT_DIR"), "/bundled_files.rs"));
}

fn file(rel: &str) -> Option<&'static [u8]> {
    files::FILES
        .iter()
        .find(|(p, _)| *p == rel)
        .map(|(_, b)| *b)
}

/// Every bundled dataset with its observations.
pub(crate) fn load() -> Result<Vec<(DatasetManifest, Vec<RecordBatch>)>> {
    let Some(manifest_bytes) = file("manifest.json") else {
        return Ok(Vec::new());
    };
    let manifest = parse_manifest(Path::new("<bundled>/manifest.json"), manifest_bytes)?;
    let mut out = Vec::new();
    for (id, d) in manifest.datasets {
        if d.kind != crate::store::DatasetKind::Observations {
            out.push((d, Vec::new()));
            continue;
        }
        let rel = format!("datasets/{}/observations.parquet", d.dir);
        let bytes = file(&rel).ok_or_else(|| {
            EngineError::store(
                format!("<bundled>/{rel}"),
                format!("bundled dataset `{id}` has no data file"),
            )
        })?;
        let reader =
            ParquetRecordBatchReaderBuilder::try_new(Bytes::from_static(bytes))?.build()?;
        let batches = reader.collect::<std::result::Result<Vec<_>, _>>()?;
        out.push((d, batches));
    }
    Ok(out)
}

/// The four tables of a bundled patent dataset.
pub(crate) fn patent_files(d: &DatasetManifest) -> Result<Vec<(String, Bytes)>> {
    innoscope_core::patent::TABLES
        .iter()
        .map(|t| {
            let rel = format!("datasets/{}/{t}.parquet", d.dir);
            file(&rel)
                .map(|b| (t.to_string(), Bytes::from_static(b)))
                .ok_or_else(|| {
                    EngineError::store(
                        format!("<bundled>/{rel}"),
                        format!("bundled patent dataset `{}` has no {t} table", d.id),
                    )
                })
        })
        .collect()
}

/// The `records.json` of a bundled record dataset.
pub(crate) fn records_file(d: &DatasetManifest) -> Result<&'static [u8]> {
    let rel = format!("datasets/{}/records.json", d.dir);
    file(&rel).ok_or_else(|| {
        EngineError::store(
            format!("<bundled>/{rel}"),
            format!("bundled dataset `{}` has no records file", d.id),
        )
    })
}
