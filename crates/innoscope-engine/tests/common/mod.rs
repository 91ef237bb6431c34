//! Shared by the hand-worked microdata tests: a tiny PATSTAT dataset written
//! as CSV, imported into a store, and opened without the bundle.

use std::path::Path;

use innoscope_core::ResultTable;
use innoscope_engine::patents::PatentImportOptions;
use innoscope_engine::{Engine, EngineOptions, Store};
use innoscope_import::NoProgress;
use innoscope_import::patents::PatentFormat;

/// Write `files` (name, CSV text) under `dir/raw`, import them as PATSTAT
/// dataset `tiny` into `dir/store`, and open an engine over that store only.
pub async fn engine_with(dir: &Path, files: &[(&str, &str)]) -> Engine {
    let raw = dir.join("raw");
    std::fs::create_dir_all(&raw).unwrap();
    let inputs: Vec<_> = files
        .iter()
        .map(|(name, text)| {
            std::fs::write(raw.join(name), text).unwrap();
            (raw.join(name), PatentFormat::Patstat)
        })
        .collect();
    Store::open(&dir.join("store"))
        .unwrap()
        .import_patents(
            "tiny",
            &inputs,
            &PatentImportOptions::default(),
            &NoProgress,
        )
        .unwrap();
    Engine::open(Some(&dir.join("store")), &EngineOptions::store_only())
        .await
        .unwrap()
}

/// The table `id` among `tables`.
pub fn table<'a>(tables: &'a [ResultTable], id: &str) -> &'a ResultTable {
    tables
        .iter()
        .find(|t| t.id == id)
        .unwrap_or_else(|| panic!("no table {id}"))
}
