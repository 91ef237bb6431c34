//! Q1–Q3: the knowledge base as result tables, so profiles, modes and cases
//! travel the same path as every figure (CLI, report, API, dashboard).
//!
//! - Q1: economy profiles (the report's Tables 1–3, plus China and the EU
//!   from its text), one long table per economy: aspect, item, text.
//! - Q2: the organisation modes of §4 by kind (authority modes with their
//!   types, enterprise modes, intermediaries, mechanisms), each with its
//!   cases.
//! - Q3: dated cases and policy events, filtered by section, economy, field,
//!   actor type, mode, year range and a full-text query (Chinese or English).
//!   With a `section`, one table per trend or dynamic of that section lists
//!   its cases (the report's §1 and §2 layout); without, one timeline table.

use super::common::{given_params, name_list};
use super::prelude::*;
use innoscope_core::kb::search::Index;
use innoscope_core::kb::{ASPECTS, Case, CaseFilter, ConceptKind, Kb, Profile, in_section};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The parameter every knowledge-base analysis takes.
const KB_DIR: &[Use] = &[use_h(
    "kb-dir",
    D::Rule(w("<data dir>/kb if present", "<数据目录>/kb（若存在）")),
    w(
        "directory of your own knowledge-base files (TOML), merged over the built-in base",
        "用户知识库文件（TOML）目录，并入内置知识库",
    ),
)];

pub(super) const Q1: Analysis = Analysis {
    id: "Q1",
    name: "profiles",
    title: w("Economy profiles", "主要经济体创新生态概况"),
    chapter: "institutions",
    params: &[use_h(
        "economies",
        D::Rule(w("all profiles", "全部概况")),
        w(
            "economies to show (codes or names)",
            "显示的经济体（代码或名称）",
        ),
    )],
    own: &[],
    shared: KB_DIR,
    placements: &[at("2.2", "profiles")],
    numbers: &[
        ("Q1.USA", Numbering::Table(1)),
        ("Q1.GBR", Numbering::Table(1)),
        ("Q1.DEU", Numbering::Table(2)),
        ("Q1.FRA", Numbering::Table(2)),
        ("Q1.JPN", Numbering::Table(3)),
        ("Q1.KOR", Numbering::Table(3)),
    ],
    year_shift: YearShift::Fixed,
    series: &[],
    run: |e, p| Box::pin(q1(e, p)),
};

pub(super) const Q2: Analysis = Analysis {
    id: "Q2",
    name: "modes",
    title: w(
        "Organisation modes and mechanisms",
        "产业创新组织方式与运行机制",
    ),
    chapter: "institutions",
    params: &[use_h(
        "section",
        D::Rule(w("all of \u{a7}4", "第4章全部")),
        w(
            "report section: 4.1 authorities, 4.2 enterprises, 4.3 intermediaries, 4.4 mechanisms",
            "报告章节：4.1 主管机构、4.2 企业、4.3 中介、4.4 机制",
        ),
    )],
    own: &[],
    shared: KB_DIR,
    placements: &[
        at_section("4.1", "authorities"),
        at_section("4.2", "enterprises"),
        at_section("4.3", "intermediaries"),
        at_section("4.4", "mechanisms"),
    ],
    numbers: &[],
    year_shift: YearShift::Fixed,
    series: &[],
    run: |e, p| Box::pin(q2(e, p)),
};

pub(super) const Q3: Analysis = Analysis {
    id: "Q3",
    name: "cases",
    title: w("Trends, policy events and cases", "趋势、政策动态与案例"),
    chapter: "institutions",
    params: &[
        use_h(
            "section",
            D::None,
            w(
                "report section (1, 2.1, 2.3…): one table per trend or dynamic",
                "报告章节（1、2.1、2.3…）：每个趋势或动态一张表",
            ),
        ),
        use_h(
            "query",
            D::None,
            w(
                "full-text search, Chinese or English",
                "全文检索，中文或英文",
            ),
        ),
        use_h(
            "economies",
            D::None,
            w("cases involving these economies", "涉及这些经济体的案例"),
        ),
        use_h(
            "field",
            D::None,
            w(
                "field id (quantum, telecom, health…)",
                "领域代码（quantum、telecom、health…）",
            ),
        ),
        use_h(
            "actor-type",
            D::None,
            w(
                "actor type id (government, startup…)",
                "主体类型代码（government、startup…）",
            ),
        ),
        use_h(
            "mode",
            D::None,
            w(
                "concept id or kind the cases illustrate (authority-mode-2, trend…)",
                "案例所体现的概念代码或类别（authority-mode-2、trend…）",
            ),
        ),
        use_h(
            "base-year",
            D::None,
            w("first year of the cases' dates", "案例日期的起始年份"),
        ),
        use_h(
            "year",
            D::None,
            w("last year of the cases' dates", "案例日期的截止年份"),
        ),
    ],
    own: &[],
    shared: KB_DIR,
    placements: &[
        at_section("1", "trends"),
        at_section("2.1", "dynamics"),
        at_section("2.3", "cooperation-dynamics"),
    ],
    numbers: &[],
    year_shift: YearShift::Fixed,
    series: &[],
    run: |e, p| Box::pin(q3(e, p)),
};

fn load(engine: &Engine, params: &Params) -> Result<(Kb, Vec<PathBuf>)> {
    let dirs = crate::kb::user_dirs(
        engine.store_dir(),
        params.kb_dir.as_deref().map(std::path::Path::new),
    );
    Ok((crate::kb::load(&dirs)?, dirs))
}

fn source(dirs: &[PathBuf]) -> Vec<SourceNote> {
    let mut v = vec![SourceNote {
        dataset: "data/kb".into(),
        indicators: vec!["Q1–Q3".into()],
        source: "CAICT, Global Industrial Innovation Ecosystem Development Report (2021), \u{a7}1, \u{a7}2, \u{a7}4, http://www.caict.ac.cn/; English by innoscope".into(),
        licence: "curation MIT OR Apache-2.0; cite the report".into(),
        vintage: "2021-12".into(),
    }];
    for d in dirs {
        v.push(SourceNote {
            dataset: d.display().to_string(),
            indicators: vec!["Q1–Q3".into()],
            source: "the user's entries".into(),
            licence: "the user's".into(),
            vintage: String::new(),
        });
    }
    v
}

fn finish(mut t: ResultTable, dirs: &[PathBuf], basis: Vec<(Text, Text)>) -> ResultTable {
    t.sources = source(dirs);
    t.basis = basis;
    t.basis.push((
        Text::new("Languages", "语言"),
        Text::new(
            "Chinese as in the report; English is innoscope's translation",
            "中文依报告原文；英文为 innoscope 翻译",
        ),
    ));
    t
}

fn texts(rows: &[Text]) -> (Vec<Option<String>>, Vec<Option<String>>) {
    (
        rows.iter().map(|t| Some(t.en.clone())).collect(),
        rows.iter().map(|t| Some(t.zh.clone())).collect(),
    )
}

fn push_text_pair(t: &mut ResultTable, name: &str, label: Text, rows: &[Text]) {
    let (en, zh) = texts(rows);
    // Each page shows its language's column, labelled plainly; the other
    // language's label says which it is (as `economy_columns` does).
    t.columns.push(Column::text(
        &format!("{name}_en"),
        Text::new(label.en.clone(), format!("{}（英文）", label.zh)),
        en,
    ));
    t.columns.push(Column::text(
        &format!("{name}_zh"),
        Text::new(format!("{} (zh)", label.en), label.zh.clone()),
        zh,
    ));
}

/// Q1: economy profiles.
pub(crate) async fn q1(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    let (kb, dirs) = load(engine, params)?;
    let wanted = wanted_economies(params)?;
    let profiles: Vec<&Profile> = kb
        .profiles
        .iter()
        .filter(|p| wanted.as_ref().is_none_or(|w| w.contains(&p.economy)))
        .collect();
    if profiles.is_empty() {
        return Err(EngineError::missing(
            "no economy profile matches",
            "profiles exist for USA, GBR, DEU, FRA, JPN, KOR, CHN and EUU; add your own in <data dir>/kb/ or --kb-dir",
        ));
    }
    let basis = |p: Option<&Profile>| {
        vec![(
            Text::new("Profiles", "概况"),
            match p {
                Some(p) if p.table.is_some() => Text::new(
                    format!("the report's Table {}", p.table.unwrap_or_default()),
                    format!("报告表 {}", p.table.unwrap_or_default()),
                ),
                Some(_) => Text::new(
                    "assembled from the report's text (no table in the report)",
                    "根据报告正文整理（报告无此表）",
                ),
                None => Text::new(
                    "Tables 1–3 of the report; China and the EU from its text",
                    "报告表1–3；中国和欧盟根据正文整理",
                ),
            },
        )]
    };
    let mut out = Vec::new();
    // Overview: one row per economy.
    let mut t = ResultTable::new(
        "Q1",
        Text::new(
            "Economy profiles: innovation ecosystems and policy tools",
            "主要经济体创新生态概况与政策工具",
        ),
    );
    t.columns.push(Column::text(
        "economy",
        Text::new("Economy", "经济体"),
        profiles.iter().map(|p| Some(p.economy.clone())).collect(),
    ));
    let names: Vec<Text> = profiles
        .iter()
        .map(|p| name_list(std::slice::from_ref(&p.economy)))
        .collect();
    push_text_pair(&mut t, "name", Text::new("Name", "名称"), &names);
    t.columns.push(Column::int(
        "table",
        Text::new("Report table", "报告表号"),
        None,
        profiles.iter().map(|p| p.table.map(i64::from)).collect(),
    ));
    let patterns: Vec<Text> = profiles
        .iter()
        .map(|p| {
            p.pattern
                .as_deref()
                .and_then(|id| kb.concept(id))
                .map(|c| c.name.clone())
                .unwrap_or_default()
        })
        .collect();
    push_text_pair(
        &mut t,
        "pattern",
        Text::new("Reshaping pattern", "界变模式"),
        &patterns,
    );
    for a in ASPECTS {
        let label = Profile::aspect_label(a);
        t.columns.push(Column::int(
            &format!("n_{a}"),
            Text::new(
                format!("{} (items)", label.en),
                format!("{}（条）", label.zh),
            ),
            None,
            profiles
                .iter()
                .map(|p| Some(p.aspect(a).len() as i64))
                .collect(),
        ));
    }
    t.params = given_params(params);
    out.push(finish(t, &dirs, basis(None)));
    for p in profiles {
        let name = name_list(std::slice::from_ref(&p.economy));
        let title = match p.table {
            Some(_) => Text::new(
                format!("{}: innovation ecosystem", name.en),
                format!("{}的创新生态", name.zh),
            ),
            None => Text::new(
                format!("{}: innovation ecosystem (from the report's text)", name.en),
                format!("{}的创新生态（根据报告正文整理）", name.zh),
            ),
        };
        let mut t = ResultTable::new(&format!("Q1.{}", p.economy), title);
        let mut aspects = Vec::new();
        let mut numbers = Vec::new();
        let mut items = Vec::new();
        for a in ASPECTS {
            for (i, item) in p.aspect(a).iter().enumerate() {
                aspects.push(Profile::aspect_label(a));
                numbers.push(Some(i as i64 + 1));
                items.push(item.clone());
            }
        }
        push_text_pair(&mut t, "aspect", Text::new("Aspect", "维度"), &aspects);
        t.columns
            .push(Column::int("item", Text::new("No.", "序号"), None, numbers));
        push_text_pair(&mut t, "text", Text::new("Content", "内容"), &items);
        if let Some(c) = p.pattern.as_deref().and_then(|id| kb.concept(id)) {
            t.findings.push(Text::new(
                format!(
                    "{}'s reshaping pattern (\u{a7}2.2): {}.",
                    name.en, c.name.en
                ),
                format!("{}的创新生态界变模式：{}。", name.zh, c.name.zh),
            ));
        }
        t.params = given_params(params);
        out.push(finish(t, &dirs, basis(Some(p))));
    }
    Ok(out)
}

/// Q2: organisation modes of §4 with their cases.
pub(crate) async fn q2(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    let (kb, dirs) = load(engine, params)?;
    let groups = [
        (
            ConceptKind::AuthorityMode,
            "authority",
            Text::new(
                "Industry authorities: three types and six organisation modes",
                "产业主管部门：三大类型与六种组织方式",
            ),
        ),
        (
            ConceptKind::EnterpriseMode,
            "enterprise",
            Text::new(
                "Enterprises: three collaboration modes",
                "企业：三种协同合作模式",
            ),
        ),
        (
            ConceptKind::Intermediary,
            "intermediary",
            Text::new(
                "New intermediaries: accelerators, standards bodies, open-source foundations",
                "新型中间组织：加速器、标准化组织、开源基金会",
            ),
        ),
        (
            ConceptKind::Mechanism,
            "mechanism",
            Text::new("Operating mechanisms of the ecosystem", "生态运行机制"),
        ),
    ];
    if let Some(s) = &params.section
        && kb.section(s).is_none()
    {
        return Err(EngineError::bad_param(
            "section",
            format!("`{s}` is not a section (4.1, 4.2, 4.3, 4.4…)"),
        ));
    }
    let mut out = Vec::new();
    for (kind, key, title) in groups {
        let concepts: Vec<_> = kb
            .concepts
            .iter()
            .filter(|c| {
                c.kind == kind
                    && params
                        .section
                        .as_ref()
                        .is_none_or(|s| in_section(&c.section, s))
            })
            .collect();
        if concepts.is_empty() {
            continue;
        }
        let mut t = ResultTable::new(&format!("Q2.{key}"), title.clone());
        if kind == ConceptKind::AuthorityMode {
            let types: Vec<Text> = concepts
                .iter()
                .map(|c| {
                    c.parent
                        .as_deref()
                        .and_then(|p| kb.concept(p))
                        .map(|p| {
                            Text::new(
                                format!("Type {}: {}", p.number, p.name.en),
                                format!("第{}类：{}", p.number, p.name.zh),
                            )
                        })
                        .unwrap_or_default()
                })
                .collect();
            push_text_pair(&mut t, "type", Text::new("Type", "类型"), &types);
        }
        t.columns.push(Column::int(
            "number",
            Text::new("No.", "序号"),
            None,
            concepts.iter().map(|c| Some(i64::from(c.number))).collect(),
        ));
        t.columns.push(Column::text(
            "id",
            Text::new("Id", "编号"),
            concepts.iter().map(|c| Some(c.id.clone())).collect(),
        ));
        let names: Vec<Text> = concepts.iter().map(|c| c.name.clone()).collect();
        push_text_pair(&mut t, "name", Text::new("Mode", "方式"), &names);
        let summaries: Vec<Text> = concepts.iter().map(|c| c.summary.clone()).collect();
        push_text_pair(
            &mut t,
            "summary",
            Text::new("Description", "说明"),
            &summaries,
        );
        let cases: Vec<Text> = concepts
            .iter()
            .map(|c| {
                let list: Vec<&Case> = kb.cases_of(&c.id).collect();
                Text::new(
                    list.iter()
                        .map(|k| dated(k, Lang::En))
                        .collect::<Vec<_>>()
                        .join("; "),
                    list.iter()
                        .map(|k| dated(k, Lang::Zh))
                        .collect::<Vec<_>>()
                        .join("；"),
                )
            })
            .collect();
        push_text_pair(&mut t, "cases", Text::new("Cases", "案例"), &cases);
        t.columns.push(Column::int(
            "n_cases",
            Text::new("Cases", "案例数"),
            None,
            concepts
                .iter()
                .map(|c| Some(kb.cases_of(&c.id).count() as i64))
                .collect(),
        ));
        let n_cases: usize = concepts.iter().map(|c| kb.cases_of(&c.id).count()).sum();
        t.findings.push(Text::new(
            format!(
                "{} {} with {} case{} in the knowledge base.",
                concepts.len(),
                kind.label().en,
                n_cases,
                if n_cases == 1 { "" } else { "s" }
            ),
            format!(
                "知识库收录{}{}项，案例{}个。",
                kind.label().zh,
                concepts.len(),
                n_cases
            ),
        ));
        t.params = given_params(params);
        out.push(finish(
            t,
            &dirs,
            vec![(
                Text::new("Modes", "组织方式"),
                Text::new(
                    "as the report's \u{a7}4 names and numbers them",
                    "依报告第四部分的命名与编号",
                ),
            )],
        ));
        // The cases of this kind in full.
        let ids: Vec<&str> = concepts.iter().map(|c| c.id.as_str()).collect();
        let list: Vec<&Case> = kb
            .cases
            .iter()
            .filter(|c| c.illustrates.iter().any(|i| ids.contains(&i.as_str())))
            .collect();
        if !list.is_empty() {
            let mut ct = case_table(
                &kb,
                &format!("Q2.{key}.cases"),
                Text::new(
                    format!("{}: cases", title.en),
                    format!("{}：案例", title.zh),
                ),
                &list,
            );
            ct.params = given_params(params);
            out.push(finish(ct, &dirs, case_basis(params)));
        }
    }
    Ok(out)
}

fn dated(c: &Case, lang: Lang) -> String {
    match &c.date {
        Some(d) => format!("{d} {}", c.title.get(lang)),
        None => c.title.get(lang).to_string(),
    }
}

/// Q3: cases and policy events, filtered.
pub(crate) async fn q3(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    let (kb, dirs) = load(engine, params)?;
    let cases = filter_cases(&kb, params)?;
    let mut out = Vec::new();
    match &params.section {
        Some(section) => {
            if kb.section(section).is_none() {
                return Err(EngineError::bad_param(
                    "section",
                    format!(
                        "`{section}` is not a section; sections: {}",
                        kb.sections
                            .iter()
                            .map(|s| s.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            let concepts: Vec<_> = kb
                .concepts
                .iter()
                .filter(|c| {
                    matches!(c.kind, ConceptKind::Trend | ConceptKind::Dynamic)
                        && in_section(&c.section, section)
                })
                .collect();
            let mut shown: Vec<&str> = Vec::new();
            for c in &concepts {
                let list: Vec<&Case> = cases
                    .iter()
                    .copied()
                    .filter(|k| k.illustrates.contains(&c.id))
                    .collect();
                let sec = kb.section(&c.section).map(|s| s.text()).unwrap_or_default();
                let mut t = case_table(&kb, &format!("Q3.{}", c.id), sec, &list);
                t.findings.push(c.summary.clone());
                t.params = given_params(params);
                out.push(finish(t, &dirs, case_basis(params)));
                shown.extend(list.iter().map(|k| k.id.as_str()));
            }
            let rest: Vec<&Case> = cases
                .iter()
                .copied()
                .filter(|k| in_section(&k.section, section) && !shown.contains(&k.id.as_str()))
                .collect();
            if !rest.is_empty() || out.is_empty() {
                let name = kb.section(section).map(|s| s.text()).unwrap_or_default();
                let mut t = case_table(
                    &kb,
                    &format!("Q3.more.{}", section.replace('.', "-")),
                    Text::new(
                        format!("{}: further cases", name.en),
                        format!("{}：其他案例", name.zh),
                    ),
                    &rest,
                );
                t.params = given_params(params);
                out.push(finish(t, &dirs, case_basis(params)));
            }
        }
        None => {
            let mut sorted = cases.clone();
            sorted.sort_by(|a, b| {
                (a.date().is_none(), a.date(), &a.id).cmp(&(b.date().is_none(), b.date(), &b.id))
            });
            let mut t = case_table(
                &kb,
                "Q3",
                Text::new(
                    "Policy events and cases, by date",
                    "政策动态与案例（按时间）",
                ),
                &sorted,
            );
            let dated = sorted.iter().filter(|c| c.date.is_some()).count();
            t.findings.push(Text::new(
                format!(
                    "{} case{} match ({} dated).",
                    sorted.len(),
                    if sorted.len() == 1 { "" } else { "s" },
                    dated
                ),
                format!(
                    "符合条件的案例{}个（其中{}个有日期）。",
                    sorted.len(),
                    dated
                ),
            ));
            t.params = given_params(params);
            out.push(finish(t, &dirs, case_basis(params)));
        }
    }
    Ok(out)
}

fn wanted_economies(params: &Params) -> Result<Option<Vec<String>>> {
    let Some(list) = &params.economies else {
        return Ok(None);
    };
    let reg = Registry::bundled();
    list.iter()
        .map(|e| {
            reg.by_code(e)
                .or_else(|| reg.resolve(None, e))
                .map(|x| x.code.clone())
                .ok_or_else(|| {
                    EngineError::bad_param("economies", format!("unknown economy `{e}`"))
                })
        })
        .collect::<Result<Vec<_>>>()
        .map(Some)
}

/// Cases passing every filter of `params`, in the base's order (best match
/// first when there is a query).
fn filter_cases<'a>(kb: &'a Kb, params: &Params) -> Result<Vec<&'a Case>> {
    let filter = CaseFilter {
        economies: wanted_economies(params)?,
        field: params.field.clone(),
        actor_type: params.actor_type.clone(),
        mode: params.mode.clone(),
        from: params.base_year,
        to: params.year,
    };
    filter
        .check(kb)
        .map_err(|(name, message)| EngineError::bad_param(name, message))?;
    let hits: Option<BTreeMap<String, f64>> = params.query.as_deref().map(|q| {
        Index::build(kb, Registry::bundled())
            .search(q)
            .into_iter()
            .map(|h| (h.id, h.score))
            .collect()
    });
    let mut out: Vec<&Case> = kb
        .cases
        .iter()
        .filter(|c| filter.matches(kb, c) && hits.as_ref().is_none_or(|h| h.contains_key(&c.id)))
        .collect();
    if let Some(h) = &hits {
        out.sort_by(|a, b| h[&b.id].total_cmp(&h[&a.id]).then_with(|| a.id.cmp(&b.id)));
    }
    Ok(out)
}

fn case_basis(params: &Params) -> Vec<(Text, Text)> {
    let mut parts: Vec<(String, String)> = Vec::new();
    if let Some(s) = &params.section {
        parts.push((format!("section {s}"), format!("第{s}部分")));
    }
    if let Some(e) = &params.economies {
        let e = e.join(",");
        parts.push((format!("economies {e}"), format!("经济体 {e}")));
    }
    if let Some(f) = &params.field {
        parts.push((format!("field {f}"), format!("领域 {f}")));
    }
    if let Some(a) = &params.actor_type {
        parts.push((format!("actor type {a}"), format!("主体类型 {a}")));
    }
    if let Some(m) = &params.mode {
        parts.push((format!("mode {m}"), format!("模式 {m}")));
    }
    if params.base_year.is_some() || params.year.is_some() {
        let (a, b) = (
            params.base_year.map(|y| y.to_string()).unwrap_or_default(),
            params.year.map(|y| y.to_string()).unwrap_or_default(),
        );
        parts.push((format!("dated {a}–{b}"), format!("日期 {a}–{b}")));
    }
    if let Some(q) = &params.query {
        parts.push((
            format!("matching \u{201c}{q}\u{201d}"),
            format!("匹配\u{201c}{q}\u{201d}"),
        ));
    }
    let filter = if parts.is_empty() {
        Text::new("all cases", "全部案例")
    } else {
        Text::new(
            parts
                .iter()
                .map(|p| p.0.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            parts
                .iter()
                .map(|p| p.1.as_str())
                .collect::<Vec<_>>()
                .join("；"),
        )
    };
    vec![
        (Text::new("Selection", "筛选"), filter),
        (
            Text::new("Dates", "日期"),
            Text::new(
                "as printed in the report; \u{201c}public record\u{201d} marks dates the report omits, taken from the public record",
                "依报告所载；标注\u{201c}公开记录\u{201d}者为报告未载、取自公开记录的日期",
            ),
        ),
    ]
}

fn case_table(kb: &Kb, id: &str, title: Text, cases: &[&Case]) -> ResultTable {
    let mut t = ResultTable::new(id, title);
    t.columns.push(Column::text(
        "date",
        Text::new("Date", "日期"),
        cases.iter().map(|c| c.date.clone()).collect(),
    ));
    t.columns.push(
        Column::text(
            "date_from",
            Text::new("Date from", "日期来源"),
            cases
                .iter()
                .map(|c| {
                    c.date.as_ref().map(|_| {
                        match c.date_from {
                            innoscope_core::kb::DateFrom::Report => "report",
                            innoscope_core::kb::DateFrom::Public => "public",
                        }
                        .to_string()
                    })
                })
                .collect(),
        )
        .with_labels(&[
            ("report", "the report", "报告"),
            ("public", "public record", "公开记录"),
        ]),
    );
    t.columns.push(Column::text(
        "economies",
        Text::new("Economies", "经济体代码"),
        cases.iter().map(|c| Some(c.economies.join(", "))).collect(),
    ));
    let names: Vec<Text> = cases.iter().map(|c| name_list(&c.economies)).collect();
    push_text_pair(&mut t, "economy", Text::new("Economy", "经济体"), &names);
    let titles: Vec<Text> = cases.iter().map(|c| c.title.clone()).collect();
    push_text_pair(&mut t, "title", Text::new("Case", "案例"), &titles);
    let summaries: Vec<Text> = cases.iter().map(|c| c.summary.clone()).collect();
    push_text_pair(&mut t, "summary", Text::new("Summary", "概要"), &summaries);
    let terms = |list: &[innoscope_core::kb::Term], ids: &[String]| {
        Text::new(
            ids.iter()
                .map(|i| kb.term_name(list, i, Lang::En))
                .collect::<Vec<_>>()
                .join(", "),
            ids.iter()
                .map(|i| kb.term_name(list, i, Lang::Zh))
                .collect::<Vec<_>>()
                .join("、"),
        )
    };
    let actor_types: Vec<Text> = cases
        .iter()
        .map(|c| terms(&kb.actor_types, &c.actor_types))
        .collect();
    push_text_pair(
        &mut t,
        "actor_types",
        Text::new("Actor types", "主体类型"),
        &actor_types,
    );
    let fields: Vec<Text> = cases.iter().map(|c| terms(&kb.fields, &c.fields)).collect();
    push_text_pair(&mut t, "fields", Text::new("Fields", "领域"), &fields);
    t.columns.push(Column::text(
        "section",
        Text::new("Report section", "报告章节"),
        cases.iter().map(|c| Some(c.section.clone())).collect(),
    ));
    // A user's own citations are quoted as given, in whatever language.
    let sources: Vec<Text> = cases
        .iter()
        .map(|c| kb.sources_of(c).unwrap_or_default())
        .collect();
    push_text_pair(&mut t, "sources", Text::new("Sources", "来源"), &sources);
    t.columns.push(Column::text(
        "id",
        Text::new("Id", "编号"),
        cases.iter().map(|c| Some(c.id.clone())).collect(),
    ));
    t
}
