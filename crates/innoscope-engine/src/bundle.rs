//! The recipe of the bundled data (`data/registry/economies.csv` and
//! `data/bundled/`): which open files, through which importers, with which
//! vintages, plus the generated patent demo and innoscope's fixtures.
//! `scripts/regenerate-bundle.sh` runs it through the hidden
//! `innoscope bundle` command. Only redistributable series are bundled
//! (never WIPO's).

use std::path::{Path, PathBuf};

use innoscope_import::patents::PatentFormat;
use innoscope_import::{Format, ImportOptions};

use crate::error::{EngineError, Result};
use crate::patents::PatentImportOptions;
use crate::{RejectPolicy, Store, atomic};

/// Build `economies.csv` in `registry` from the upstream code lists in
/// `shared/country-codes` and the curated files beside it.
pub fn registry(shared: &Path, registry: &Path) -> Result<()> {
    let text = innoscope_import::registry_build::build(
        &innoscope_import::registry_build::RegistrySources {
            country_codes: &shared.join("country-codes/country-codes.csv"),
            groupings: &shared.join("country-codes/coco_groupings.csv"),
            names: &registry.join("names.csv"),
            historical: &registry.join("historical.csv"),
            aggregates: &registry.join("aggregates.csv"),
        },
    )?;
    atomic::write(&registry.join("economies.csv"), text)
}

/// Build the bundled store into `out` (replaced as a whole) from the open
/// files under `shared` and the fixtures, recording `import_time` (seconds
/// since 1970) so that the same inputs give the same bytes. Returns the
/// importers' warnings (economies they could not resolve).
pub fn data(shared: &Path, out: &Path, fixtures: &Path, import_time: u64) -> Result<Vec<String>> {
    let mut warnings = Vec::new();
    atomic::replace_dir(out, |tmp| {
        let store = Store::open(tmp)?
            .with_import_time(Some(import_time))
            .with_update(crate::store::UpdateMode::Replace)
            .with_vintages(0);
        for (id, vintage, files) in BUNDLE {
            let inputs: Vec<(PathBuf, Format)> = files
                .iter()
                .map(|(f, fmt)| (shared.join(f), *fmt))
                .collect();
            let options = ImportOptions {
                vintage: Some(vintage.to_string()),
                ..ImportOptions::default()
            };
            let report = store.import(
                id,
                &inputs,
                &options,
                RejectPolicy::Strict,
                &innoscope_import::NoProgress,
            )?;
            for s in &report.summaries {
                warnings.extend(s.unknown_economy_lines());
            }
            if !report.dataset.redistributable {
                return Err(EngineError::store(
                    out,
                    format!("dataset `{id}` is not redistributable and must not be bundled"),
                ));
            }
        }
        patents(&store, shared, tmp)?;
        records(&store, shared, fixtures, &mut warnings)?;
        // The writers' lock file is the store's, not the bundle's.
        let _ = std::fs::remove_file(tmp.join(".lock"));
        atomic::write(&tmp.join("ATTRIBUTION.md"), attribution(&store.manifest()?))
    })?;
    Ok(warnings)
}

/// The bundled record lists: the real QS ranking (rank, name, economy; top
/// 200 of each edition) and CB Insights' unicorn list, and innoscope's
/// fixtures for the lists no open source provides (marked synthetic), plus a
/// talent-flow fixture in the tidy layout.
fn records(
    store: &Store,
    shared: &Path,
    fixtures: &Path,
    warnings: &mut Vec<String>,
) -> Result<()> {
    use crate::records::RecordOptions;
    use innoscope_import::records::RecordFormat;
    /// Dataset id, file, format, vintage, synthetic, highest rank kept.
    type BundledList<'a> = (&'a str, PathBuf, RecordFormat, &'a str, bool, Option<u32>);
    let lists: [BundledList<'_>; 5] = [
        (
            "qs",
            shared.join("qs-rankings/qs-world-university-rankings-2017-to-2022-V2.csv"),
            RecordFormat::Qs,
            "QS WUR 2017–2022 (scraped 2022)",
            false,
            Some(200),
        ),
        (
            "unicorns",
            shared.join("unicorns/Unicorn_Companies_maven_2022-04.csv"),
            RecordFormat::Unicorns,
            "list as of 2022-04-05",
            false,
            None,
        ),
        (
            "ranked-lists-fixture",
            fixtures.join("ranked-lists-fixture.csv"),
            RecordFormat::RankedList,
            "fixture",
            true,
            None,
        ),
        (
            "scoreboard-fixture",
            fixtures.join("eu-scoreboard-2021-fixture.csv"),
            RecordFormat::Scoreboard,
            "fixture",
            true,
            None,
        ),
        (
            "venture-capital-fixture",
            fixtures.join("venture-capital-fixture.csv"),
            RecordFormat::VentureCapital,
            "fixture",
            true,
            None,
        ),
    ];
    for (id, path, format, vintage, synthetic, max_rank) in lists {
        let r = store.import_records(
            id,
            &[(path, format)],
            &RecordOptions {
                vintage: Some(vintage.to_string()),
                synthetic,
                max_rank,
                source: synthetic.then(|| {
                    (
                        format!(
                            "innoscope fixture: invented values in the layout of {}",
                            format.describe()
                        ),
                        "MIT OR Apache-2.0 (innoscope)".to_string(),
                    )
                }),
            },
            RejectPolicy::Strict,
        )?;
        for s in &r.summaries {
            warnings.extend(s.unknown_economy_lines());
        }
    }
    store.import(
        "talent-fixture",
        &[(fixtures.join("talent-visas-fixture.csv"), Format::Tidy)],
        &ImportOptions {
            vintage: Some("fixture".into()),
            ..ImportOptions::default()
        },
        RejectPolicy::Strict,
        &innoscope_import::NoProgress,
    )?;
    store.mark_synthetic("talent-fixture")?;
    Ok(())
}

/// The bundled patent demos: a synthetic PATSTAT-layout sample (marked as
/// such on every figure) and a real, tiny Espacenet export.
fn patents(store: &Store, shared: &Path, tmp: &Path) -> Result<()> {
    use crate::synth::{self, SynthOptions};
    let demo = tmp.join(".synth");
    synth::patstat(
        &demo,
        &SynthOptions {
            apps: 100_000,
            seed: 2021,
            parquet: false,
            pct_percent: 100,
            intl_factor: 5.0,
        },
    )?;
    let inputs: Vec<(PathBuf, PatentFormat)> = [
        "tls201_appln.csv",
        "tls206_person.csv",
        "tls207_pers_appln.csv",
        "tls209_appln_ipc.csv",
    ]
    .iter()
    .map(|f| (demo.join(f), PatentFormat::Patstat))
    .collect();
    store.import_patents(
        "patents-demo",
        &inputs,
        &PatentImportOptions {
            synthetic: true,
            source: Some(
                "innoscope synth patstat --apps 100000 --seed 2021 --pct-percent 100 --intl-factor 5"
                    .into(),
            ),
            ..PatentImportOptions::default()
        },
        &innoscope_import::NoProgress,
    )?;
    std::fs::remove_dir_all(&demo).map_err(|e| EngineError::io(&demo, e))?;
    let espacenet = shared.join("patent-samples/espacenet");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&espacenet)
        .map_err(|e| EngineError::io(&espacenet, e))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("pizza_sliced_"))
        })
        .collect();
    files.sort();
    let inputs: Vec<(PathBuf, PatentFormat)> = files
        .into_iter()
        .map(|p| (p, PatentFormat::Espacenet))
        .collect();
    store.import_patents(
        "patents-espacenet",
        &inputs,
        &PatentImportOptions {
            redistributable: true,
            source: Some(
                "EPO Espacenet export, search \"pizza\" 2000–2014 (downloaded 2015-03-20), via poldham/opensource-patent-analytics; bibliographic data, public information".into(),
            ),
            ..PatentImportOptions::default()
        },
        &innoscope_import::NoProgress,
    )?;
    Ok(())
}

/// `ATTRIBUTION.md` of the bundle, generated from its manifest.
fn attribution(m: &crate::Manifest) -> String {
    let mut s = String::from(
        "# Bundled data: sources and licences\n\n\
         Generated by `scripts/regenerate-bundle.sh` from the manifest; do not edit.\n\
         Each series also carries its source and licence in `manifest.json`, on every\n\
         figure and in the report's colophon.\n\n\
         | dataset | series | name | source | licence | years |\n|---|---|---|---|---|---|\n",
    );
    for d in m.datasets.values() {
        for x in &d.series {
            s.push_str(&format!(
                "| `{}` | `{}` | {} | {} | {} | {}–{} |\n",
                d.id,
                x.meta.indicator,
                x.meta.name_en,
                x.meta.source,
                x.meta.licence,
                x.first_year,
                x.last_year
            ));
        }
    }
    s.push_str(
        "\n| patent dataset | content | source | applications | years |\n|---|---|---|---|---|\n",
    );
    for d in m.datasets.values() {
        if let Some(p) = &d.patents {
            let source = d
                .notes
                .iter()
                .find_map(|n| n.strip_prefix("source: "))
                .unwrap_or("");
            s.push_str(&format!(
                "| `{}` | {} | {} | {} | {}–{} |\n",
                d.id,
                if p.synthetic {
                    "synthetic demo data (not real statistics)"
                } else {
                    "real patent records"
                },
                source,
                p.tables.get("appln").copied().unwrap_or(0),
                p.first_year.map(|y| y.to_string()).unwrap_or_default(),
                p.last_year.map(|y| y.to_string()).unwrap_or_default()
            ));
        }
    }
    s.push_str(
        "\nThe economy registry (`data/registry/economies.csv`) is built from ISO 3166 / UN M49 / UNTERM\n\
         codes and names (datasets/country-codes, ODC-PDDL-1.0) and group memberships (facts from\n\
         country_converter's table); short names, aliases and aggregates are curated by innoscope.\n\n\
         WIPO statistics are never bundled; users import their own WIPO exports.\n",
    );
    s
}

/// Input files of one bundled dataset, relative to the data directory.
type BundleFiles = &'static [(&'static str, Format)];

/// What the bundle holds, with the vintage of each source: openly licensed
/// series only (no WIPO data).
const BUNDLE: &[(&str, &str, BundleFiles)] = &[
    (
        "wdi",
        "WDI as of 2026-07-01",
        &[
            ("wdi/gb.xpd.rsdv.gd.zs.csv", Format::WdiLong),
            ("wdi/ny.gdp.mktp.cd.csv", Format::WdiLong),
            ("wdi/pa.nus.fcrf.csv", Format::WdiLong),
            ("wdi/pa.nus.ppp.csv", Format::WdiLong),
            ("wdi/bx.gsr.royl.cd.csv", Format::WdiLong),
            ("wdi/bm.gsr.royl.cd.csv", Format::WdiLong),
            ("wdi/bx.klt.dinv.cd.wd.csv", Format::WdiLong),
            ("wdi/tx.val.tech.cd.csv", Format::WdiLong),
        ],
    ),
    (
        "ncses-vc",
        "SEI 2020 (PitchBook, accessed 2019-09-21)",
        &[("ncses/raw/S8-62_1964.csv", Format::Ncses)],
    ),
    (
        "ncses-pct",
        "SEI 2024 (accessed July 2023)",
        &[(
            "ncses/tidy/pct_applications_by_country_sector_2000_2022.csv",
            Format::Ncses,
        )],
    ),
    (
        "ncses-gerd",
        "SEI 2022 (OECD MSTI 2021 vintage)",
        &[
            (
                "ncses/tidy/gerd_74_economies_2019_or_latest_SEI2022.csv",
                Format::Ncses,
            ),
            (
                "ncses/tidy/gerd_top9_annual_1981_2019_SEI2022.csv",
                Format::Ncses,
            ),
        ],
    ),
    (
        "ncses-ipf",
        "SEI 2022 (PATSTAT via Science-Metrix)",
        &[(
            "ncses/tidy/ipf_granted_by_country_field_1998_2020.csv",
            Format::Ncses,
        )],
    ),
    (
        "ncses-green",
        "SEI 2024 (PatentsView, accessed June 2023)",
        &[(
            "ncses/tidy/uspto_green_patents_by_country_category_1998_2022.csv",
            Format::Ncses,
        )],
    ),
    (
        "fed",
        "H.10 as of 2026-07-21",
        &[("fx-fed/annual.csv", Format::FedH10)],
    ),
    (
        "unctad",
        "World Investment Report 2022",
        &[
            (
                "unctad-wir2022/WIR2022_annex_tab01_fdi_inflows.csv",
                Format::UnctadWir,
            ),
            (
                "unctad-wir2022/WIR2022_annex_tab02_fdi_outflows.csv",
                Format::UnctadWir,
            ),
        ],
    ),
];
