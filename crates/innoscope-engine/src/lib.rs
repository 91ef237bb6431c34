//! innoscope's engine: the store and the analyses.
//!
//! [`store`] writes and reads datasets (Parquet + manifest). [`Engine`] opens
//! the bundled default data and a user's store together and registers every
//! dataset with DataFusion as one `observations` table. [`analysis`] holds
//! the analyses, each a function from the engine and its parameters to
//! [`ResultTable`](innoscope_core::ResultTable)s; the CLI, the report and the API all call these same
//! functions.
//!
//! Invariant: this crate never prints or exits; it returns values and errors.

pub mod analysis;
pub mod applicants;
pub mod atomic;
pub mod bundle;
mod bundled;
pub mod cluster;
pub mod edition;
pub mod error;
pub mod facts;
pub mod kb;
pub mod memo;
pub mod memory;
pub mod microdata;
pub mod patents;
pub mod records;
pub mod schema;
pub mod series;
pub mod store;
pub mod synth;
pub mod vintage;
pub mod workload;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use datafusion::datasource::MemTable;
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext, col, lit};

pub use error::{EngineError, Result};
pub use series::Series;
pub use store::{DatasetManifest, Manifest, RejectPolicy, Store};

/// Where a dataset comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Compiled into innoscope from `data/bundled/`.
    Bundled,
    /// Imported by the user into their data directory.
    Store,
}

/// A dataset visible to the engine.
#[derive(Clone, Debug, serde::Serialize)]
pub struct DatasetInfo {
    pub origin: Origin,
    #[serde(flatten)]
    pub manifest: DatasetManifest,
}

/// Options for [`Engine::open`].
#[derive(Clone, Debug)]
pub struct EngineOptions {
    /// Include the bundled default data (datasets in the user's store with the
    /// same id take precedence).
    pub bundled: bool,
    /// Bytes all running analyses may hold together (`None`: no limit); see
    /// [`memory`].
    pub memory_limit: Option<usize>,
}

impl EngineOptions {
    /// The user's store alone, without the bundled data.
    pub fn store_only() -> Self {
        EngineOptions {
            bundled: false,
            ..EngineOptions::default()
        }
    }
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            bundled: true,
            memory_limit: None,
        }
    }
}

/// The query engine over the bundled data and a user's store.
pub struct Engine {
    ctx: SessionContext,
    datasets: Vec<DatasetInfo>,
    store_dir: Option<std::path::PathBuf>,
    exec: cluster::Exec,
    memory: memory::Memory,
    memo: memo::Memo,
}

impl Engine {
    /// Open the engine on `data_dir` (which may not exist yet) plus, by
    /// default, the bundled data.
    pub async fn open(data_dir: Option<&Path>, options: &EngineOptions) -> Result<Engine> {
        let config = SessionConfig::new()
            .with_target_partitions(2)
            .with_information_schema(false);
        let memory = memory::Memory::new(options.memory_limit)?;
        let ctx = SessionContext::new_with_config_rt(config, memory.runtime());
        // Keyed by (id, origin): a store dataset shadows the bundled one of
        // the same id series by series (a series the store lacks is still
        // read from the bundle); patent and record datasets are shadowed
        // whole (see `shadow_whole` below).
        let mut datasets: BTreeMap<(String, u8), DatasetInfo> = BTreeMap::new();
        let key = |id: &str, origin: Origin| (id.to_string(), (origin == Origin::Bundled) as u8);
        if options.bundled {
            for (manifest, batches) in bundled::load()? {
                if manifest.kind != store::DatasetKind::Observations {
                    datasets.insert(
                        key(&manifest.id, Origin::Bundled),
                        DatasetInfo {
                            origin: Origin::Bundled,
                            manifest,
                        },
                    );
                    continue;
                }
                let table = MemTable::try_new(schema::observation(), vec![batches])?;
                ctx.register_table(table_name(&manifest.id, Origin::Bundled), Arc::new(table))?;
                datasets.insert(
                    key(&manifest.id, Origin::Bundled),
                    DatasetInfo {
                        origin: Origin::Bundled,
                        manifest,
                    },
                );
            }
        }
        if let Some(store) = data_dir.and_then(Store::existing) {
            for (id, manifest) in store.manifest()?.datasets {
                if manifest.kind != store::DatasetKind::Observations {
                    datasets.remove(&key(&id, Origin::Bundled));
                    datasets.insert(
                        key(&id, Origin::Store),
                        DatasetInfo {
                            origin: Origin::Store,
                            manifest,
                        },
                    );
                    continue;
                }
                let path = store.dataset_path(&manifest);
                if !path.is_file() {
                    return Err(EngineError::store(
                        &path,
                        format!(
                            "dataset `{id}` is in the manifest but its file is missing; re-import it"
                        ),
                    ));
                }
                ctx.register_parquet(
                    table_name(&id, Origin::Store),
                    path.to_string_lossy().as_ref(),
                    ParquetReadOptions::default(),
                )
                .await?;
                datasets.insert(
                    key(&id, Origin::Store),
                    DatasetInfo {
                        origin: Origin::Store,
                        manifest,
                    },
                );
            }
        }
        tracing::debug!(datasets = datasets.len(), "engine opened");
        for d in datasets.values() {
            tracing::debug!(dataset = %d.manifest.id, origin = ?d.origin, rows = d.manifest.rows, "dataset registered");
        }
        Ok(Engine {
            ctx,
            datasets: datasets.into_values().collect(),
            store_dir: data_dir.map(Path::to_path_buf),
            exec: cluster::Exec::Local,
            memory,
            memo: memo::Memo::default(),
        })
    }

    /// The memory budget every analysis of this engine draws on.
    pub fn memory(&self) -> &memory::Memory {
        &self.memory
    }

    /// The year-independent results this engine remembers (see [`memo`]).
    pub fn memo(&self) -> &memo::Memo {
        &self.memo
    }

    /// Run the microdata analyses on `exec` (a Ballista cluster) instead of
    /// in process. Country-level series and the knowledge base stay local.
    pub fn with_exec(mut self, exec: cluster::Exec) -> Engine {
        self.exec = exec;
        self
    }

    /// Where the microdata analyses run.
    pub fn exec(&self) -> &cluster::Exec {
        &self.exec
    }

    /// Patent datasets visible, the user's store first.
    pub fn patent_datasets(&self) -> Vec<&DatasetInfo> {
        let mut v: Vec<&DatasetInfo> = self
            .datasets
            .iter()
            .filter(|d| d.manifest.kind == store::DatasetKind::Patents)
            .collect();
        v.sort_by_key(|d| (d.origin != Origin::Store, d.manifest.id.clone()));
        v
    }

    /// The tables of a patent dataset: `id`, or by default the first patent
    /// dataset of the user's store, else the bundled demo.
    pub fn patent_tables(
        &self,
        id: Option<&str>,
    ) -> Result<(microdata::PatentTables, &DatasetInfo)> {
        let list = self.patent_datasets();
        let info = match id {
            Some(id) => *list.iter().find(|d| d.manifest.id == id).ok_or_else(|| {
                EngineError::missing(
                    format!("no patent dataset `{id}`"),
                    "`innoscope datasets` lists the datasets; import PATSTAT or an export with `innoscope import --format patstat …`",
                )
            })?,
            None => *list.first().ok_or_else(|| {
                EngineError::missing(
                    "no patent microdata in the store",
                    "import PATSTAT tables or a Lens/Espacenet/PATENTSCOPE export with `innoscope import`",
                )
            })?,
        };
        let tables = match info.origin {
            Origin::Bundled => microdata::PatentTables::Bundled {
                files: bundled::patent_files(&info.manifest)?,
            },
            Origin::Store => {
                let dir = self
                    .store_dir
                    .as_ref()
                    .ok_or_else(|| EngineError::missing("no data directory", "pass --data-dir"))?;
                microdata::PatentTables::Store {
                    dir: dir.join("datasets").join(&info.manifest.dir),
                }
            }
        };
        Ok((tables, info))
    }

    /// The user's data directory, when one was given.
    pub fn store_dir(&self) -> Option<&Path> {
        self.store_dir.as_deref()
    }

    /// The datasets visible, sorted by id, the store's version of an id
    /// before the bundle's. An observations dataset of the bundle stays
    /// visible beside a store dataset of the same id: the store shadows it
    /// series by series ([`Engine::shadowed`]).
    /// The newest year of any series of any dataset (the start of
    /// `--year latest`), if any dataset has series.
    pub fn latest_year(&self) -> Option<i32> {
        self.datasets
            .iter()
            .flat_map(|d| &d.manifest.series)
            .map(|s| s.last_year)
            .max()
    }

    pub fn datasets(&self) -> &[DatasetInfo] {
        &self.datasets
    }

    /// The dataset `id`: the store's version when there is one.
    pub fn dataset(&self, id: &str) -> Option<&DatasetInfo> {
        self.datasets.iter().find(|d| d.manifest.id == id)
    }

    /// For a series of `d`, the datasets whose version of it is hidden
    /// because `d` comes first (the bundle's `wdi` behind the store's).
    pub fn shadowed(&self, d: &DatasetInfo, indicator: &str) -> Vec<&DatasetInfo> {
        let with = self.datasets_with(indicator);
        match with.iter().position(|x| std::ptr::eq(*x, d)) {
            Some(i) => with[i + 1..].to_vec(),
            None => Vec::new(),
        }
    }

    /// Datasets that hold `indicator`, store datasets first.
    pub fn datasets_with(&self, indicator: &str) -> Vec<&DatasetInfo> {
        let mut found: Vec<&DatasetInfo> = self
            .datasets
            .iter()
            .filter(|d| {
                d.manifest
                    .series
                    .iter()
                    .any(|s| s.meta.indicator == indicator)
            })
            .collect();
        found.sort_by_key(|d| (d.origin != Origin::Store, d.manifest.id.clone()));
        found
    }

    /// Load one series. `dataset` picks the source; by default the first
    /// dataset holding the indicator (the user's store before the bundle).
    pub async fn series(&self, indicator: &str, dataset: Option<&str>) -> Result<Series> {
        let info = match dataset {
            Some(id) => {
                if self.dataset(id).is_none() {
                    return Err(EngineError::missing(
                        format!("no dataset `{id}`"),
                        "`innoscope datasets` lists the datasets available",
                    ));
                }
                // The store's version of the dataset first, then the bundle's.
                *self
                    .datasets_with(indicator)
                    .iter()
                    .find(|d| d.manifest.id == id)
                    .ok_or_else(|| {
                        EngineError::missing(
                            format!("dataset `{id}` has no series `{indicator}`"),
                            format!("`innoscope datasets --series {id}` lists its series"),
                        )
                    })?
            }
            None => *self
                .datasets_with(indicator)
                .iter()
                .find(|d| d.manifest.kind.is_observations())
                .ok_or_else(|| {
                    EngineError::missing(
                        format!("no dataset holds the series `{indicator}`"),
                        format!(
                            "import a file with it, e.g. `innoscope import {}.csv`",
                            indicator.to_ascii_lowercase()
                        ),
                    )
                })?,
        };
        // A record list or patent dataset names its contents like a series
        // but holds no economy × year values.
        if !info.manifest.kind.is_observations() {
            return Err(EngineError::missing(
                format!(
                    "`{indicator}` is the record list of dataset `{}`, not a statistics series",
                    info.manifest.id
                ),
                "pass the indicator of a statistics series; `innoscope datasets` lists them",
            ));
        }
        let meta = info
            .manifest
            .series
            .iter()
            .find(|s| s.meta.indicator == indicator)
            .map(|s| s.meta.clone())
            .unwrap_or_default();
        let df = self
            .ctx
            .table(table_name(&info.manifest.id, info.origin))
            .await?
            .filter(col("indicator").eq(lit(indicator)))?
            .select_columns(&["economy", "year", "value"])?;
        let batches = df.collect().await?;
        tracing::debug!(indicator, dataset = %info.manifest.id, batches = batches.len(), "series loaded");
        Series::from_batches(
            indicator,
            &info.manifest.id,
            meta,
            &vintage_of(info),
            &batches,
        )
    }

    /// The statistics dataset that holds series of the SDMX dataflow `flow`
    /// (`DF_PATENTS_COINVENTOR`), with those series' metadata: the one
    /// named by `dataset`, else the first holding any (the store's before
    /// the bundle's). A series of a flow is one the SDMX importer read, so
    /// it carries its dimension codes.
    pub fn sdmx_flow(
        &self,
        flow: &str,
        dataset: Option<&str>,
    ) -> Option<(&DatasetInfo, Vec<&innoscope_core::SeriesMeta>)> {
        let prefix = format!("OECD.{flow}.");
        let mut found: Vec<&DatasetInfo> = self
            .datasets
            .iter()
            .filter(|d| d.manifest.kind.is_observations())
            .filter(|d| dataset.is_none_or(|id| d.manifest.id == id))
            .filter(|d| {
                d.manifest
                    .series
                    .iter()
                    .any(|s| s.meta.indicator.starts_with(&prefix) && !s.meta.dims.is_empty())
            })
            .collect();
        found.sort_by_key(|d| (d.origin != Origin::Store, d.manifest.id.clone()));
        let info = *found.first()?;
        let metas = info
            .manifest
            .series
            .iter()
            .map(|s| &s.meta)
            .filter(|m| m.indicator.starts_with(&prefix) && !m.dims.is_empty())
            .collect();
        Some((info, metas))
    }

    /// Load several series of one dataset in one scan, in the order asked.
    pub async fn series_of(
        &self,
        info: &DatasetInfo,
        metas: &[&innoscope_core::SeriesMeta],
    ) -> Result<Vec<Series>> {
        if metas.is_empty() {
            return Ok(Vec::new());
        }
        let wanted = metas.iter().map(|m| lit(m.indicator.as_str())).collect();
        let batches = self
            .ctx
            .table(table_name(&info.manifest.id, info.origin))
            .await?
            .filter(col("indicator").in_list(wanted, false))?
            .select_columns(&["indicator", "economy", "year", "value"])?
            .collect()
            .await?;
        Series::many_from_batches(metas, &info.manifest.id, &vintage_of(info), &batches)
    }
}

/// The vintage printed with a series of `info`: its import date.
pub fn vintage_of(info: &DatasetInfo) -> String {
    format!("imported {}", date_of(info.manifest.imported_at))
}

/// `YYYY-MM-DD` of a time in seconds since the Unix epoch (UTC).
pub fn date_of(epoch_seconds: u64) -> String {
    let (y, m, day) = civil_from_days((epoch_seconds / 86_400) as i64);
    format!("{y:04}-{m:02}-{day:02}")
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn table_name(id: &str, origin: Origin) -> String {
    let prefix = match origin {
        Origin::Bundled => "bundled",
        Origin::Store => "store",
    };
    format!("{prefix}_{}", id.replace('-', "_"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(19_723), (2024, 1, 1));
    }
}
