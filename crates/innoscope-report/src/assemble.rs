//! The report as a whole: every section of the registry's plan, run on an
//! engine, with part and chapter names from the knowledge base, the seed's
//! figure numbers, the colophon and, when asked, the changes against a saved
//! edition; and writing it into a directory (pages, figures, tables,
//! networks), all at once or not at all.
//!
//! This is the report's I/O layer; the renderers it calls ([`crate::render`],
//! [`crate::charts`]) stay pure.

use std::path::{Path, PathBuf};

use innoscope_core::{Lang, ResultTable, SourceNote, Text};
use innoscope_engine::analysis::{self, Numbering};
use innoscope_engine::edition::{self, Edition};
use innoscope_engine::{Engine, EngineError, Result, atomic};

use crate::{Number, ReportInput, Section};

/// What `innoscope report` was asked for.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The store's directory (user knowledge base, saved editions).
    pub data_dir: Option<PathBuf>,
    /// Reference year for every analysis that has one (each falls back to
    /// its latest year the data support when they do not reach it).
    pub year: Option<i32>,
    /// Each analysis at the latest year its data support (`--year latest`).
    pub latest: bool,
    /// A named economy set (`report2021`) for the analyses that take one.
    pub preset: Option<String>,
    /// The user's knowledge-base directory.
    pub kb_dir: Option<PathBuf>,
    /// Edition to compare with (a saved name, a path, or `seed2021`).
    pub compare_with: Option<String>,
}

/// The report, ready to render.
pub struct Assembled {
    pub input: ReportInput,
    /// Every table of every section, in report order.
    pub tables: Vec<ResultTable>,
    /// One line per section that could not be computed (what and why).
    pub warnings: Vec<String>,
}

/// Run every section of the plan and put the report together.
pub async fn assemble(engine: &Engine, o: &Options) -> Result<Assembled> {
    // `vintage:PREV` (or `vintage:N`) compares with the store's earlier
    // versions of the datasets; anything else names an edition.
    let vintage_back = match o.compare_with.as_deref().and_then(|c| c.strip_prefix("vintage:")) {
        Some(v) if v.eq_ignore_ascii_case("prev") => Some(1),
        Some(v) => Some(v.parse::<usize>().ok().filter(|n| *n > 0).ok_or_else(|| {
            EngineError::bad_param(
                "compare-with",
                format!("`vintage:{v}`: expected vintage:PREV or vintage:N (1 = the version before the current one)"),
            )
        })?),
        None => None,
    };
    let compared = match &o.compare_with {
        Some(name) if vintage_back.is_none() => Some(Edition::load(o.data_dir.as_deref(), name)?),
        _ => None,
    };
    let mut sections = Vec::new();
    let mut all_tables = Vec::new();
    let mut warnings = Vec::new();
    // Part and chapter names come from the knowledge base's vocabulary.
    let kb = innoscope_engine::kb::load(&innoscope_engine::kb::user_dirs(
        o.data_dir.as_deref(),
        o.kb_dir.as_deref(),
    ))?;
    let section_name = |id: &str| kb.section(id).map(|t| t.text()).unwrap_or_default();
    for entry in analysis::report_plan() {
        let mut params = analysis::Params {
            section: entry.params.section.clone(),
            ..Default::default()
        };
        if entry.id.starts_with('Q') {
            params.kb_dir = o.kb_dir.as_ref().map(|d| d.display().to_string());
        }
        if analysis::get(entry.id).is_some_and(|a| a.uses().any(|u| u.name == "preset")) {
            params.preset = o.preset.clone();
        }
        // Each analysis at the year asked, or at its own latest year the
        // data support (its tables then say so).
        params.year = o.year;
        params.year_rule = Some(if o.latest {
            analysis::YearRule::Latest
        } else {
            analysis::YearRule::Fallback
        });
        let (tables, unavailable) = match analysis::run(engine, entry.id, &params).await {
            Ok(t) => (t, None),
            Err(e) => {
                let hint = e.hint().map(|h| format!(" ({h})")).unwrap_or_default();
                warnings.push(format!("{}: {e}{hint}", entry.id));
                (
                    Vec::new(),
                    Some(Text::new(
                        format!("Not available with the data at hand: {e}.{hint}"),
                        format!("现有数据无法计算：{e}。{hint}"),
                    )),
                )
            }
        };
        all_tables.extend(tables.iter().cloned());
        let top = entry.section.split('.').next().unwrap_or(entry.section);
        let heading = match entry.id {
            // Knowledge-base sections are headed by their chapter.
            "Q3" | "Q2" if entry.section.contains('.') => section_name(entry.section),
            "Q3" => Text::new("Trends and cases", "趋势与案例"),
            _ => analysis::get(entry.id)
                .map(|a| a.title())
                .unwrap_or_else(|| Text::same(entry.id)),
        };
        sections.push(Section {
            analysis: entry.id.to_string(),
            anchor: entry.anchor.to_string(),
            part: section_name(top),
            chapter: if entry.section.contains('.') {
                section_name(entry.section)
            } else {
                Text::default()
            },
            heading,
            numbers: entry
                .numbers
                .iter()
                .map(|(id, n)| {
                    (
                        id.to_string(),
                        match n {
                            Numbering::Figure(k) => Number::Figure(*k),
                            Numbering::Table(k) => Number::Table(*k),
                        },
                    )
                })
                .collect(),
            tables,
            unavailable,
            changes: Vec::new(),
        });
    }
    if let Some(old) = &compared {
        let changes = edition::compare(old, &all_tables);
        for s in &mut sections {
            s.changes = changes.get(&s.analysis).cloned().unwrap_or_default();
        }
    }
    let mut vintage_title = None;
    if let Some(back) = vintage_back {
        let store = o
            .data_dir
            .as_deref()
            .and_then(innoscope_engine::Store::existing)
            .ok_or_else(|| {
                EngineError::missing(
                    "no store: versions are kept in a store",
                    "import or fetch data into a store first (`innoscope fetch`, `innoscope import`)",
                )
            })?;
        let all = innoscope_engine::vintage::all_changes(&store, back)?;
        if all.is_empty() {
            warnings.push(format!(
                "--compare-with vintage:{back}: no statistics dataset of the store has {back} earlier version(s) kept"
            ));
        }
        for s in &mut sections {
            s.changes = innoscope_engine::vintage::lines_for(&all, &s.tables);
        }
        vintage_title = Some(Text::new(
            format!("the store's previous data (vintage {back} back)"),
            format!("数据库的上一版本数据（往前第{back}个版本）"),
        ));
    }
    let input = ReportInput {
        title: Text::new(
            "Global Industrial Innovation Ecosystem — competition, cooperation and openness",
            "全球产业创新生态——竞争、合作与开放",
        ),
        subtitle: Text::new(
            "Computed by innoscope from open statistics, following the structure of CAICT's Global Industrial Innovation Ecosystem Development Report (2021).",
            "由 innoscope 根据公开统计数据计算，结构参照中国信通院《全球产业创新生态发展报告（2021年）》。",
        ),
        sections,
        colophon: colophon(&all_tables),
        compared_with: compared.as_ref().map(|e| e.title.clone()).or(vintage_title),
    };
    Ok(Assembled {
        input,
        tables: all_tables,
        warnings,
    })
}

/// The datasets behind the tables, one entry per dataset and source with
/// the indicators used, sorted.
fn colophon(tables: &[ResultTable]) -> Vec<SourceNote> {
    let mut colophon: Vec<SourceNote> = Vec::new();
    for t in tables {
        for s in &t.sources {
            match colophon
                .iter_mut()
                .find(|c| c.dataset == s.dataset && c.source == s.source)
            {
                Some(c) => {
                    for i in &s.indicators {
                        if !c.indicators.contains(i) {
                            c.indicators.push(i.clone());
                        }
                    }
                }
                None => colophon.push(s.clone()),
            }
        }
    }
    for c in &mut colophon {
        c.indicators.sort();
    }
    colophon.sort();
    colophon
}

/// The outputs written beside the HTML pages.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Formats {
    /// `report.xlsx`: every table, one sheet each, labelled in the report's languages.
    pub xlsx: bool,
    /// `figures/*.png` at this scale, beside each SVG.
    pub png: Option<f32>,
    /// `report.<lang>.pdf`, printed by this browser.
    pub pdf: Option<crate::pdf::Printer>,
}

/// Write the report into `out`: `report.<lang>.html` per language, an
/// `index.html` that opens the first, `figures/`, `tables/` and `networks/`,
/// and the extra `formats` (`report.<lang>.pdf`, `report.xlsx`, PNG figures). The directory is built beside `out` and swapped
/// in: a failure leaves the previous report. Returns the files written at
/// the top of the directory (pages first).
pub fn write(
    out: &Path,
    report: &Assembled,
    langs: &[Lang],
    formats: &Formats,
) -> Result<Vec<String>> {
    atomic::replace_dir(out, |tmp| {
        for d in ["figures", "tables"] {
            std::fs::create_dir_all(tmp.join(d)).map_err(|e| EngineError::io(tmp.join(d), e))?;
        }
        let mut pages = Vec::new();
        for lang in langs {
            let r = crate::render(&report.input, *lang);
            let page = format!("report.{}.html", lang.code());
            write_file(&tmp.join(&page), &r.html)?;
            for (name, content) in r.figures.iter().chain(&r.tables) {
                write_file(&tmp.join(name), content)?;
            }
            if let Some(scale) = formats.png {
                for (name, svg) in &r.figures {
                    let png = tmp.join(name).with_extension("png");
                    let bytes = crate::export::png(svg, scale)?;
                    std::fs::write(&png, bytes).map_err(|e| EngineError::io(&png, e))?;
                }
            }
            pages.push(page);
        }
        let index = format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0; url={0}\"><title>innoscope report</title></head><body>{1}</body></html>\n",
            pages.first().map(String::as_str).unwrap_or_default(),
            pages
                .iter()
                .map(|p| format!("<p><a href=\"{p}\">{p}</a></p>"))
                .collect::<String>()
        );
        write_file(&tmp.join("index.html"), &index)?;
        write_networks(&tmp.join("networks"), &report.tables)?;
        let mut written = pages;
        if let Some(printer) = &formats.pdf {
            for lang in langs {
                let name = format!("report.{}.pdf", lang.code());
                let printed = crate::pdf::report(&report.input, *lang, printer)?;
                let path = tmp.join(&name);
                std::fs::write(&path, printed.pdf).map_err(|e| EngineError::io(&path, e))?;
                written.push(name);
            }
        }
        if formats.xlsx {
            let path = tmp.join("report.xlsx");
            let bytes = crate::export::xlsx(&report.tables, langs)?;
            std::fs::write(&path, bytes).map_err(|e| EngineError::io(&path, e))?;
            written.push("report.xlsx".into());
        }
        Ok(written)
    })
}

fn write_file(path: &Path, content: &str) -> Result<()> {
    std::fs::write(path, content).map_err(|e| EngineError::io(path, e))
}

/// Every network of `tables` as GEXF, VOSviewer JSON and CSV, in both
/// languages, into `dir` (created when there is one). Returns how many.
pub fn write_networks(dir: &Path, tables: &[ResultTable]) -> Result<usize> {
    let mut n = 0;
    for t in tables {
        if let Some(net) = innoscope_core::network::Network::from_table(t) {
            std::fs::create_dir_all(dir).map_err(|e| EngineError::io(dir, e))?;
            for (name, content) in net.exports() {
                write_file(&dir.join(&name), &content)?;
            }
            n += 1;
        }
    }
    Ok(n)
}
