//! `innoscope bench-workload`: the benchmark workload of
//! `shared/bench/WORKLOAD.md` (parts a–d, six CSV files), computed by the
//! same [`crate::microdata`] plans as K1, K2, C4 and I5.

use std::path::Path;

use innoscope_core::classify::{Classification, builtin, prefix_table};
use innoscope_core::patent::Scheme;
use innoscope_core::text::Text;

use crate::error::{EngineError, Result};
use crate::microdata::{Counting, Microdata, PatentTables, Rows};

/// The workload's stand-in green list (WORKLOAD.md §2, in PATSTAT's fixed
/// layout): wind motors, fuel cells (main group 8), photovoltaics, electric
/// propulsion, ethanol.
pub const WORKLOAD_GREEN: &str = "prefix,topic_en,topic_zh\n\
F03D,Wind motors,风力发动机\n\
H01M   8/,Fuel cells,燃料电池\n\
H02S,Photovoltaic generation,光伏发电\n\
B60L,Electric propulsion of vehicles,车辆电力推进\n\
C12P   7/06,Ethanol,乙醇\n";

/// The workload's green classification.
pub fn workload_green() -> Classification {
    prefix_table(
        "green-workload",
        Text::new("Workload stand-in green list", "基准测试绿色代码表"),
        Some(Scheme::Ipc),
        "shared/bench/WORKLOAD.md",
        WORKLOAD_GREEN,
        "shared/bench/WORKLOAD.md",
        "-",
    )
    .expect("the workload list is valid")
}

/// Parameters of the workload (defaults: `workload.py`).
#[derive(Clone, Debug)]
pub struct WorkloadParams {
    pub top: usize,
    pub fields: Classification,
    pub min_pair_apps: i64,
    pub green: Classification,
    pub counting: Counting,
    /// In process or on a cluster.
    pub exec: crate::cluster::Exec,
    /// The memory budget of the queries (in process).
    pub memory: crate::memory::Memory,
}

impl Default for WorkloadParams {
    fn default() -> Self {
        WorkloadParams {
            top: 20,
            fields: builtin::network_fields(),
            min_pair_apps: 5,
            green: workload_green(),
            counting: Counting::default(),
            exec: crate::cluster::Exec::Local,
            memory: crate::memory::Memory::default(),
        }
    }
}

/// The six result tables, in the workload's layout.
pub struct WorkloadOutput {
    pub files: Vec<(&'static str, Rows)>,
}

/// Compute the workload over `tables`.
pub async fn run(tables: &PatentTables, params: &WorkloadParams) -> Result<WorkloadOutput> {
    let md = Microdata::open_on(tables, "bench", false, &params.exec, &params.memory).await?;
    let base = md
        .prepare(&params.counting, &[&params.green, &params.fields])
        .await?;
    base.classify("green", &params.green, "sel").await?;
    let totals = base.totals(true).await?;
    let a = base.country_counts(Some(params.top)).await?;
    let b = base.country_intl().await?;
    let pairs = base.pairs().await?;
    let c = base
        .field_pairs(&params.fields, params.min_pair_apps)
        .await?;
    let d = base.green_country().await?;
    Ok(WorkloadOutput {
        files: vec![
            (
                "totals.csv",
                // YearTotals' columns are the file's, in its order.
                Rows::of(&totals, None)?,
            ),
            (
                "a_country_counts.csv",
                Rows::of(&a, Some(&["year", "ctry", "apps", "share"]))?,
            ),
            (
                "b_country_intl.csv",
                Rows::of(
                    &b,
                    Some(&[
                        "year",
                        "ctry",
                        "intl_apps",
                        "share",
                        "top_partner",
                        "top_partner_apps",
                    ]),
                )?,
            ),
            ("b_pairs.csv", Rows::of(&pairs, None)?),
            ("c_field_pairs.csv", Rows::of(&c, None)?),
            ("d_green_country.csv", Rows::of(&d, None)?),
        ],
    })
}

/// Write the six files into `out` (each written to a temporary name, then renamed).
pub fn write(out: &Path, output: &WorkloadOutput) -> Result<()> {
    // All six files go to a directory beside `out`, which then replaces it:
    // a failed run leaves the previous output (or none), never a mix.
    crate::atomic::replace_dir(out, |tmp| {
        for (file, rows) in &output.files {
            let path = tmp.join(file);
            std::fs::write(&path, rows.to_csv()).map_err(|e| EngineError::store(&path, e))?;
        }
        Ok(())
    })
}
