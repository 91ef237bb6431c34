//! Analyses over record lists: C3 (innovation actors by economy), I1
//! (large-firm R&D by industry group), I2 (unicorns by sector and economy)
//! and I3 (early-stage venture capital by sector, and by economy).
//!
//! Each reads the record datasets of its family (the user's store first,
//! then the bundled data), applies the report's defaults as parameters and
//! says which dataset and edition it used on every table.

use std::collections::{BTreeMap, BTreeSet};

use innoscope_core::records::{
    ACTOR_TYPES, RankedEntry, Records, ScoreboardFirm, Unicorn, VcRecord,
};
use innoscope_core::{Column, Figure, Lang, Registry, ResultTable, SourceNote, Text};

use super::Params;
use super::common::*;
use super::param::w;
use super::registry::Numbering;
use super::registry::{Analysis, DefaultValue as D, YearShift, at, use_h};
use crate::Engine;
use crate::error::{EngineError, Result};
use crate::records::RecordSet;

const INDUSTRY_GROUPS: &str = include_str!("../../../../data/reference/industry-groups.csv");
const UNICORN_SECTORS: &str = include_str!("../../../../data/reference/unicorn-sectors.csv");
const VC_SECTORS: &str = include_str!("../../../../data/reference/vc-sectors.csv");

/// Economies, sectors or firms shown by the record analyses.
const RECORDS_TOP: usize = 10;

fn note(set: &RecordSet) -> SourceNote {
    let s = set.info.manifest.series.first();
    SourceNote {
        dataset: set.info.manifest.id.clone(),
        indicators: vec![format!("records: {}", set.records.family())],
        source: s.map(|s| s.meta.source.clone()).unwrap_or_default(),
        licence: s.map(|s| s.meta.licence.clone()).unwrap_or_default(),
        vintage: s
            .map(|s| s.meta.vintage.clone())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| crate::vintage_of(&set.info)),
    }
}

/// A mapping file `key,id,en,zh` (built in, or the user's with the same
/// header): key (case-insensitive) → (id, names).
fn mapping(
    builtin: &str,
    user: Option<&str>,
    what: &str,
) -> Result<BTreeMap<String, (String, Text)>> {
    let (text, file) = match user {
        Some(path) => (
            std::fs::read_to_string(path).map_err(|e| EngineError::io(path, e))?,
            path.to_string(),
        ),
        None => (builtin.to_string(), format!("<built-in {what}>")),
    };
    let mut r = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let header = r
        .headers()
        .map_err(|e| EngineError::input(&file, Some(1), None, e.to_string()))?
        .clone();
    if header.len() != 4 {
        return Err(EngineError::input(
            &file,
            Some(1),
            None,
            format!(
                "a {what} file has four columns: key,id,name_en,name_zh (found {})",
                header.len()
            ),
        ));
    }
    let mut out = BTreeMap::new();
    for (i, rec) in r.records().enumerate() {
        let line = i as u64 + 2;
        let rec = rec.map_err(|e| EngineError::input(&file, Some(line), None, e.to_string()))?;
        let key = rec[0].trim().to_lowercase();
        let id = rec[1].trim().to_string();
        if key.is_empty() || id.is_empty() {
            return Err(EngineError::input(
                &file,
                Some(line),
                Some(&header[if key.is_empty() { 0 } else { 1 }]),
                "empty",
            ));
        }
        out.insert(key, (id, Text::new(rec[2].trim(), rec[3].trim())));
    }
    Ok(out)
}

fn synthetic_of(sets: &[&RecordSet]) -> bool {
    sets.iter().any(|s| s.synthetic())
}

/// C3: high-level innovation actors by economy (Fig 4).
const C3_CUTOFFS: &[i64] = &[100, 30, 100];

pub(super) const C3: Analysis = Analysis {
    id: "C3",
    name: "innovation-actors",
    title: w(
        "High-level innovation actors by economy",
        "全球高水平创新主体分布",
    ),
    chapter: "competition",
    params: &[
        use_h(
            "year",
            D::Rule(w("latest edition of each list", "各榜单的最新一期")),
            w(
                "use each list's latest edition up to this year",
                "使用各榜单截至该年的最新一期",
            ),
        ),
        use_h(
            "top",
            D::Int(RECORDS_TOP as i64),
            w("economies shown", "显示的经济体数"),
        ),
        use_h(
            "cutoffs",
            D::Ints(C3_CUTOFFS),
            w(
                "ranks counted: universities, research institutions, enterprises",
                "计入的名次：大学、科研机构、企业",
            ),
        ),
    ],
    own: &[],
    shared: &[],
    placements: &[at("3.1", "c3")],
    numbers: &[("C3", Numbering::Figure(4))],
    year_shift: YearShift::Year,
    run: |e, p| Box::pin(c3(e, p)),
};

pub(crate) async fn c3(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    let sets = engine.records("ranked-list")?;
    if sets.is_empty() {
        return Err(EngineError::missing(
            "no ranked lists (QS, WIPO, Derwent…) in the store",
            "import the QS World University Rankings file or a ranked-list CSV (rank,name,economy,type,edition,list) with `innoscope import FILE`",
        ));
    }
    let cutoffs = params
        .cutoffs
        .clone()
        .unwrap_or_else(|| C3_CUTOFFS.iter().map(|&c| c as u32).collect());
    if cutoffs.len() != 3 || cutoffs.contains(&0) {
        return Err(EngineError::bad_param(
            "cutoffs",
            "three positive ranks: universities,research institutions,enterprises (default 100,30,100)",
        ));
    }
    // Each list's edition: the latest, or the latest not after --year. A list
    // present in several datasets is taken from the first (the user's store).
    let mut chosen: BTreeMap<String, (i32, usize)> = BTreeMap::new();
    for (i, set) in sets.iter().enumerate() {
        let Records::RankedList(rows) = &set.records else {
            continue;
        };
        for r in rows {
            if params.year.is_some_and(|y| r.edition > y) {
                continue;
            }
            let e = chosen.entry(r.list.clone()).or_insert((r.edition, i));
            if e.1 == i && r.edition > e.0 {
                e.0 = r.edition;
            }
        }
    }
    if chosen.is_empty() {
        return Err(EngineError::missing(
            format!(
                "no ranked-list edition up to {}",
                params.year.unwrap_or_default()
            ),
            "choose a later --year",
        ));
    }
    let mut used: Vec<&RecordSet> = Vec::new();
    let mut entries: Vec<&RankedEntry> = Vec::new();
    let mut left_out: Vec<String> = Vec::new();
    for (list, (edition, i)) in &chosen {
        let Records::RankedList(rows) = &sets[*i].records else {
            continue;
        };
        if !used.iter().any(|s| std::ptr::eq(*s, &sets[*i])) {
            used.push(&sets[*i]);
        }
        let edition_rows: Vec<&RankedEntry> = rows
            .iter()
            .filter(|r| &r.list == list && r.edition == *edition)
            .collect();
        // A list counts toward the actor type most of its entries have (the
        // Derwent Top 100 toward enterprises, so its research institutes are
        // left out, as the report does).
        let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
        for r in &edition_rows {
            *by_type.entry(r.actor_type.as_str()).or_default() += 1;
        }
        let Some(role) = by_type
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(t, _)| t.to_string())
        else {
            continue;
        };
        let cut = cutoffs[ACTOR_TYPES.iter().position(|t| *t == role).unwrap_or(0)];
        let within: Vec<&RankedEntry> =
            edition_rows.into_iter().filter(|r| r.rank <= cut).collect();
        let other = within.iter().filter(|r| r.actor_type != role).count();
        if other > 0 {
            left_out.push(format!(
                "{list} {edition}: {other} entries that are not {role} left out"
            ));
        }
        entries.extend(within.into_iter().filter(|r| r.actor_type == role));
    }
    let unresolved: BTreeSet<&str> = entries
        .iter()
        .filter(|e| e.economy.is_none())
        .map(|e| e.economy_raw.as_str())
        .collect();
    let mut counts: BTreeMap<String, [i64; 3]> = BTreeMap::new();
    for e in &entries {
        let Some(code) = &e.economy else { continue };
        let k = ACTOR_TYPES
            .iter()
            .position(|t| *t == e.actor_type)
            .unwrap_or(0);
        counts.entry(code.clone()).or_default()[k] += 1;
    }
    let grand: i64 = counts.values().map(|c| c.iter().sum::<i64>()).sum();
    let mut ranked: Vec<(String, [i64; 3])> = counts.clone().into_iter().collect();
    ranked.sort_by(|a, b| {
        let (sa, sb) = (a.1.iter().sum::<i64>(), b.1.iter().sum::<i64>());
        sb.cmp(&sa).then(b.1[2].cmp(&a.1[2])).then(a.0.cmp(&b.0))
    });
    let top = params.top.unwrap_or(RECORDS_TOP);
    ranked.truncate(top);
    let codes: Vec<String> = ranked.iter().map(|(c, _)| c.clone()).collect();
    let type_names = [
        Text::new("Universities", "高校"),
        Text::new("Research institutions", "研发机构"),
        Text::new("Enterprises", "企业"),
    ];
    let edition_text = chosen
        .iter()
        .map(|(l, (e, _))| format!("{l} {e}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut t = ResultTable::new(
        "C3",
        Text::new(
            format!("High-level innovation actors by economy: top {top}"),
            format!("全球高水平创新主体所在国家和地区分布（前{top}位）"),
        ),
    );
    t.columns = economy_columns(&codes);
    for (k, key) in ["universities", "research", "enterprises"]
        .iter()
        .enumerate()
    {
        t.columns.push(Column::int(
            key,
            type_names[k].clone(),
            None,
            ranked.iter().map(|(_, c)| Some(c[k])).collect(),
        ));
    }
    t.columns.push(Column::int(
        "total",
        Text::new("Total", "合计"),
        None,
        ranked.iter().map(|(_, c)| Some(c.iter().sum())).collect(),
    ));
    t.columns.push(Column::float(
        "share",
        Text::new("Share of all actors", "占全部主体比重"),
        Some(Text::new("%", "%")),
        1,
        ranked
            .iter()
            .map(|(_, c)| (grand > 0).then(|| 100.0 * c.iter().sum::<i64>() as f64 / grand as f64))
            .collect(),
    ));
    t.figure = Some(Figure::StackedBars {
        label: "economy".into(),
        series: vec![
            "universities".into(),
            "research".into(),
            "enterprises".into(),
        ],
        unit: Text::new("actors", "个"),
    });
    t.basis = vec![
        (
            Text::new("Actors", "主体"),
            Text::new(
                format!(
                    "universities ranked 1–{} (QS), research institutions 1–{} (WIPO PCT filers), enterprises 1–{} (Derwent Top 100, enterprises only)",
                    cutoffs[0], cutoffs[1], cutoffs[2]
                ),
                format!(
                    "QS排名前{}的高校、PCT申请量前{}的研发机构、德温特百强中的企业（前{}名）",
                    cutoffs[0], cutoffs[1], cutoffs[2]
                ),
            ),
        ),
        (
            Text::new("Editions", "版本"),
            Text::same(edition_text.clone()),
        ),
        (
            Text::new("Ranking", "排序"),
            Text::new(
                "economies by total actors, ties by enterprises",
                "按主体总数排序，相同时按企业数",
            ),
        ),
    ];
    t.sources = used.iter().map(|s| note(s)).collect();
    t.synthetic = synthetic_of(&used);
    let invented: Vec<&str> = chosen
        .iter()
        .filter(|(_, (_, i))| sets[*i].synthetic())
        .map(|(l, _)| l.as_str())
        .collect();
    if !invented.is_empty() {
        t.notes.push(Text::new(
            format!(
                "synthetic fixture lists (invented entries): {}; import the real lists to replace them",
                invented.join(", ")
            ),
            format!(
                "合成示例名单（虚构条目）：{}；导入真实名单即可替换",
                invented.join("、")
            ),
        ));
    }
    for l in &left_out {
        t.notes.push(Text::same(l.clone()));
    }
    if !unresolved.is_empty() {
        t.notes.push(Text::same(format!(
            "not counted (economy not recognised): {}",
            unresolved.into_iter().collect::<Vec<_>>().join(", ")
        )));
    }
    if let Some((first, c)) = ranked.first() {
        let reg = Registry::bundled();
        let mut regions: BTreeMap<String, usize> = BTreeMap::new();
        for code in &codes {
            let r = reg
                .by_code(code)
                .map(|e| e.region.clone())
                .filter(|r| !r.is_empty())
                .unwrap_or_else(|| "?".into());
            *regions.entry(r).or_default() += 1;
        }
        let mut reg_list: Vec<(String, usize)> = regions.into_iter().collect();
        reg_list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        t.findings.push(Text::new(
            format!(
                "{} leads with {} actors; the top {} are in {}.",
                name(first, Lang::En),
                c.iter().sum::<i64>(),
                codes.len(),
                reg_list
                    .iter()
                    .map(|(r, n)| format!("{r} ({n})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            format!(
                "{}以{}个主体居首；前{}位分布于{}。",
                name(first, Lang::Zh),
                c.iter().sum::<i64>(),
                codes.len(),
                reg_list
                    .iter()
                    .map(|(r, n)| format!("{}（{n}）", region_zh(r)))
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        ));
        let single: Vec<String> = ranked
            .iter()
            .filter(|(_, c)| c.iter().filter(|x| **x > 0).count() == 1 && c[0] > 0)
            .map(|(code, _)| code.clone())
            .collect();
        if !single.is_empty() {
            t.findings.push(Text::new(
                format!(
                    "{} appear{} only through universities: strong basic research, no leading research institution or enterprise.",
                    name_list(&single).en,
                    if single.len() == 1 { "s" } else { "" }
                ),
                format!(
                    "{}的高水平创新主体全部为高校，无领先的研发机构和创新企业。",
                    name_list(&single).zh
                ),
            ));
        }
    }
    t.params = given_params(params);
    // Spread: distinct economies per actor type.
    let mut s = ResultTable::new(
        "C3.spread",
        Text::new(
            "How widely each type of actor is spread over economies",
            "各类高水平创新主体分布的国家和地区数量",
        ),
    );
    let mut rows: Vec<(usize, i64, i64, String, f64)> = Vec::new();
    for (k, _) in ACTOR_TYPES.iter().enumerate() {
        let mut per: BTreeMap<&str, i64> = BTreeMap::new();
        for e in entries.iter().filter(|e| e.actor_type == ACTOR_TYPES[k]) {
            if let Some(c) = &e.economy {
                *per.entry(c.as_str()).or_default() += 1;
            }
        }
        let n: i64 = per.values().sum();
        let mut v: Vec<(&str, i64)> = per.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let top3: i64 = v.iter().take(3).map(|x| x.1).sum();
        rows.push((
            k,
            n,
            v.len() as i64,
            v.first().map(|x| x.0.to_string()).unwrap_or_default(),
            if n > 0 {
                100.0 * top3 as f64 / n as f64
            } else {
                0.0
            },
        ));
    }
    s.columns.push(Column::text(
        "type",
        Text::new("Actor type", "主体类型"),
        ACTOR_TYPES.iter().map(|x| Some(x.to_string())).collect(),
    ));
    s.columns.push(Column::text(
        "name_en",
        Text::new("Actor type", "主体类型（英）"),
        type_names.iter().map(|x| Some(x.en.clone())).collect(),
    ));
    s.columns.push(Column::text(
        "name_zh",
        Text::new("Actor type (zh)", "主体类型"),
        type_names.iter().map(|x| Some(x.zh.clone())).collect(),
    ));
    s.columns.push(Column::int(
        "actors",
        Text::new("Actors counted", "主体数"),
        None,
        rows.iter().map(|r| Some(r.1)).collect(),
    ));
    s.columns.push(Column::int(
        "economies",
        Text::new("Economies", "国家和地区数"),
        None,
        rows.iter().map(|r| Some(r.2)).collect(),
    ));
    s.columns.push(Column::text(
        "largest",
        Text::new("Largest economy", "最多的经济体"),
        rows.iter().map(|r| Some(r.3.clone())).collect(),
    ));
    s.columns.push(Column::float(
        "top3_share",
        Text::new("Top-3 economies' share", "前三位占比"),
        Some(Text::new("%", "%")),
        1,
        rows.iter().map(|r| Some(r.4)).collect(),
    ));
    let mut order: Vec<&(usize, i64, i64, String, f64)> = rows.iter().filter(|r| r.1 > 0).collect();
    order.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    if order.len() >= 2 {
        t.findings.push(Text::new(
            format!(
                "Spread: {} over {} economies{}.",
                order
                    .iter()
                    .map(|r| format!("{} {}", type_names[r.0].en.to_lowercase(), r.2))
                    .collect::<Vec<_>>()
                    .join(", "),
                order.iter().map(|r| r.2).sum::<i64>(),
                if order.first().is_some_and(|r| r.0 == 0) && order.last().is_some_and(|r| r.0 != 0)
                {
                    ": the closer to industrial application, the fewer the economies"
                } else {
                    ""
                }
            )
            .replace(
                &format!(" over {} economies", order.iter().map(|r| r.2).sum::<i64>()),
                " economies respectively",
            ),
            format!(
                "分布的国家和地区数量：{}{}。",
                order
                    .iter()
                    .map(|r| format!("{}{}个", type_names[r.0].zh, r.2))
                    .collect::<Vec<_>>()
                    .join("，"),
                if order.first().is_some_and(|r| r.0 == 0) && order.last().is_some_and(|r| r.0 != 0)
                {
                    "，越接近产业应用的创新主体越集中于少数国家"
                } else {
                    ""
                }
            ),
        ));
    }
    s.basis = t.basis.clone();
    s.sources = t.sources.clone();
    s.synthetic = t.synthetic;
    s.params = t.params.clone();
    Ok(vec![t, s])
}

fn region_zh(r: &str) -> &str {
    match r {
        "Europe" => "欧洲",
        "Asia" => "亚洲",
        "Americas" => "美洲",
        "Oceania" => "大洋洲",
        "Africa" => "非洲",
        other => other,
    }
}

/// Growth of a sum from its parts' own growth rates: Σx / Σ x/(1+g) − 1,
/// over the parts that have both.
fn aggregate_growth<'a>(
    parts: impl Iterator<Item = (Option<f64>, Option<f64>)> + 'a,
) -> Option<f64> {
    let (mut now, mut before) = (0.0, 0.0);
    for (x, g) in parts {
        if let (Some(x), Some(g)) = (x, g)
            && g > -100.0
        {
            now += x;
            before += x / (1.0 + g / 100.0);
        }
    }
    (before > 0.0).then(|| 100.0 * (now / before - 1.0))
}

/// An industry group of I1: id, names, firms, R&D (bn EUR), R&D growth, sales growth.
type GroupRow = (String, Text, usize, f64, Option<f64>, Option<f64>);

pub(super) const I1: Analysis = Analysis {
    id: "I1",
    name: "firm-rd",
    title: w(
        "Large-firm R&D and sales growth by industry group",
        "国际大企业分产业研发支出和收入增长",
    ),
    chapter: "industry",
    params: &[
        use_h(
            "year",
            D::Rule(w("latest financial year in the file", "文件中最新的财年")),
            w("financial year", "财年"),
        ),
        use_h(
            "mapping-file",
            D::Rule(w(
                "data/reference/industry-groups.csv",
                "data/reference/industry-groups.csv",
            )),
            w(
                "ICB sector → industry group (icb_sector,group,group_en,group_zh)",
                "ICB行业→产业组（icb_sector,group,group_en,group_zh）",
            ),
        ),
    ],
    own: &[],
    shared: &[],
    placements: &[at("3.4", "i1")],
    numbers: &[("I1", Numbering::Figure(16))],
    year_shift: YearShift::Year,
    run: |e, p| Box::pin(i1(e, p)),
};

/// I1: R&D and sales growth of the top corporate R&D investors by industry group (Fig 16).
pub(crate) async fn i1(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    let sets = engine.records("scoreboard")?;
    let Some(set) = sets.first() else {
        return Err(EngineError::missing(
            "no corporate R&D scoreboard in the store",
            "download the EU Industrial R&D Investment Scoreboard (iri.jrc.ec.europa.eu), save its world 2500 sheet as CSV and `innoscope import` it",
        ));
    };
    let Records::Scoreboard(firms) = &set.records else {
        unreachable!("family checked")
    };
    let year = params
        .year
        .or_else(|| firms.iter().map(|f| f.year).max())
        .unwrap_or_default();
    let firms: Vec<&ScoreboardFirm> = firms.iter().filter(|f| f.year == year).collect();
    if firms.is_empty() {
        return Err(EngineError::missing(
            format!(
                "the scoreboard in `{}` has no firms for {year}",
                set.info.manifest.id
            ),
            "choose the financial year the file covers with --year",
        ));
    }
    let map = mapping(
        INDUSTRY_GROUPS,
        params.mapping_file.as_deref(),
        "industry-group",
    )?;
    let mut groups: BTreeMap<String, (Text, Vec<&ScoreboardFirm>)> = BTreeMap::new();
    let mut unmapped: BTreeSet<&str> = BTreeSet::new();
    for f in &firms {
        let (id, names) = match map.get(&f.industry.to_lowercase()) {
            Some(x) => x.clone(),
            None => {
                unmapped.insert(&f.industry);
                ("other".to_string(), Text::new("Other", "其他"))
            }
        };
        groups
            .entry(id)
            .or_insert_with(|| (names, Vec::new()))
            .1
            .push(f);
    }
    let mut rows: Vec<GroupRow> = groups
        .into_iter()
        .map(|(id, (names, fs))| {
            let rd: f64 = fs.iter().map(|f| f.rd).sum();
            let rg = aggregate_growth(fs.iter().map(|f| (Some(f.rd), f.rd_growth)));
            let sg = aggregate_growth(fs.iter().map(|f| (f.sales, f.sales_growth)));
            (id, names, fs.len(), rd / 1000.0, rg, sg)
        })
        .collect();
    rows.sort_by(|a, b| b.3.total_cmp(&a.3).then(a.0.cmp(&b.0)));
    let mut t = ResultTable::new(
        "I1",
        Text::new(
            format!("Top corporate R&D investors: R&D and sales growth by industry group, {year}"),
            format!("{year}年国际大企业分产业研发支出和收入同比增长率"),
        ),
    );
    t.columns.push(Column::text(
        "group",
        Text::new("Group", "产业组"),
        rows.iter().map(|r| Some(r.0.clone())).collect(),
    ));
    t.columns.push(Column::text(
        "name_en",
        Text::new("Industry group", "产业组（英）"),
        rows.iter().map(|r| Some(r.1.en.clone())).collect(),
    ));
    t.columns.push(Column::text(
        "name_zh",
        Text::new("Industry group (zh)", "产业组"),
        rows.iter().map(|r| Some(r.1.zh.clone())).collect(),
    ));
    t.columns.push(Column::int(
        "firms",
        Text::new("Firms", "企业数"),
        None,
        rows.iter().map(|r| Some(r.2 as i64)).collect(),
    ));
    t.columns.push(Column::float(
        "rd",
        Text::new("R&D", "研发支出"),
        Some(Text::new("bn EUR", "十亿欧元")),
        1,
        rows.iter().map(|r| Some(r.3)).collect(),
    ));
    t.columns.push(Column::float(
        "rd_growth",
        Text::new("R&D growth", "研发支出增长率"),
        Some(Text::new("%", "%")),
        1,
        rows.iter().map(|r| r.4).collect(),
    ));
    t.columns.push(Column::float(
        "sales_growth",
        Text::new("Net sales growth", "收入增长率"),
        Some(Text::new("%", "%")),
        1,
        rows.iter().map(|r| r.5).collect(),
    ));
    t.figure = Some(Figure::GroupedBars {
        label: "group".into(),
        series: vec!["rd_growth".into(), "sales_growth".into()],
        unit: Text::new("% vs previous year", "同比增长率（%）"),
    });
    t.basis = vec![
        (
            Text::new("Growth", "增长率"),
            Text::new(
                "of each group's summed R&D (and net sales) over the firms' own one-year growth rates: Σx / Σ x/(1+g) − 1",
                "按各企业一年增长率加总计算：Σx / Σ x/(1+g) − 1",
            ),
        ),
        (
            Text::new("Firms", "企业"),
            Text::same(format!(
                "{} ranked firms, financial year {year}",
                firms.len()
            )),
        ),
        (
            Text::new("Industry groups", "产业分组"),
            Text::same(match &params.mapping_file {
                Some(f) => format!("ICB sector → group from {f}"),
                None => "ICB sector → group from data/reference/industry-groups.csv".into(),
            }),
        ),
    ];
    t.sources = vec![note(set)];
    t.synthetic = set.synthetic();
    if !unmapped.is_empty() {
        t.notes.push(Text::same(format!(
            "sectors without a group, counted as other: {}",
            unmapped.into_iter().collect::<Vec<_>>().join(", ")
        )));
    }
    let up: Vec<&GroupRow> = rows
        .iter()
        .filter(|r| r.4.is_some_and(|g| g > 0.0))
        .collect();
    let down: Vec<&GroupRow> = rows
        .iter()
        .filter(|r| r.4.is_some_and(|g| g < 0.0))
        .collect();
    let fmt = |v: &[&GroupRow], lang: Lang| {
        v.iter()
            .map(|r| format!("{} {}%", r.1.get(lang), signed(r.4.unwrap_or_default())))
            .collect::<Vec<_>>()
            .join(if lang == Lang::En { ", " } else { "，" })
    };
    if !up.is_empty() || !down.is_empty() {
        t.findings.push(Text::new(
            format!(
                "R&D grew in {} and fell in {}.",
                if up.is_empty() {
                    "no group".into()
                } else {
                    fmt(&up, Lang::En)
                },
                if down.is_empty() {
                    "none".into()
                } else {
                    fmt(&down, Lang::En)
                }
            ),
            format!(
                "研发支出增长的产业：{}；下降的产业：{}。",
                if up.is_empty() {
                    "无".into()
                } else {
                    fmt(&up, Lang::Zh)
                },
                if down.is_empty() {
                    "无".into()
                } else {
                    fmt(&down, Lang::Zh)
                }
            ),
        ));
    }
    t.params = given_params(params);
    Ok(vec![t])
}

const I2_AS_OF: &str = "2021-09-30";

pub(super) const I2: Analysis = Analysis {
    id: "I2",
    name: "unicorns",
    title: w("Unicorns by sector and economy", "独角兽企业领域与国家分布"),
    chapter: "industry",
    params: &[
        use_h(
            "as-of",
            D::Text(I2_AS_OF),
            w(
                "count unicorns that joined by this date",
                "统计截至该日期成为独角兽的企业",
            ),
        ),
        use_h(
            "top",
            D::Int(RECORDS_TOP as i64),
            w("sectors and economies shown", "显示的领域与经济体数"),
        ),
        use_h(
            "mapping-file",
            D::Rule(w(
                "data/reference/unicorn-sectors.csv",
                "data/reference/unicorn-sectors.csv",
            )),
            w(
                "industry → sector (industry,sector,sector_en,sector_zh)",
                "行业→领域（industry,sector,sector_en,sector_zh）",
            ),
        ),
    ],
    own: &[],
    shared: &[],
    placements: &[at("3.4", "i2")],
    numbers: &[("I2.cross", Numbering::Figure(17))],
    year_shift: YearShift::Year,
    run: |e, p| Box::pin(i2(e, p)),
};

/// I2: unicorns by sector and economy as of a date (Fig 17).
pub(crate) async fn i2(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    let sets = engine.records("unicorns")?;
    let Some(set) = sets.first() else {
        return Err(EngineError::missing(
            "no unicorn list in the store",
            "import CB Insights' unicorn list (Company,Valuation,Date Joined,Industry,City,Country,…) with `innoscope import FILE`",
        ));
    };
    let Records::Unicorns(all) = &set.records else {
        unreachable!("family checked")
    };
    let as_of = params.as_of.clone().unwrap_or_else(|| I2_AS_OF.into());
    if innoscope_core::kb::KbDate::parse(&as_of).is_err() {
        return Err(EngineError::bad_param(
            "as-of",
            format!("`{as_of}` is not a date (YYYY-MM-DD)"),
        ));
    }
    let latest = all.iter().map(|u| u.joined.as_str()).max().unwrap_or("");
    let list: Vec<&Unicorn> = all
        .iter()
        .filter(|u| u.joined.as_str() <= as_of.as_str())
        .collect();
    if list.is_empty() {
        return Err(EngineError::missing(
            format!("no unicorn joined by {as_of}"),
            "choose a later --as-of",
        ));
    }
    let map = mapping(UNICORN_SECTORS, params.mapping_file.as_deref(), "sector")?;
    let sector_of = |u: &Unicorn| -> (String, Text) {
        map.get(&u.industry.to_lowercase())
            .cloned()
            .unwrap_or_else(|| (u.industry.to_lowercase(), Text::same(u.industry.clone())))
    };
    let unmapped: BTreeSet<&str> = list
        .iter()
        .filter(|u| !map.contains_key(&u.industry.to_lowercase()))
        .map(|u| u.industry.as_str())
        .collect();
    let mut by_sector: BTreeMap<String, (Text, i64)> = BTreeMap::new();
    let mut by_economy: BTreeMap<String, i64> = BTreeMap::new();
    let mut cross: BTreeMap<(String, String), i64> = BTreeMap::new();
    for u in &list {
        let (sid, names) = sector_of(u);
        by_sector.entry(sid.clone()).or_insert((names, 0)).1 += 1;
        let e = u.economy.clone().unwrap_or_else(|| "?".into());
        *by_economy.entry(e.clone()).or_default() += 1;
        *cross.entry((sid, e)).or_default() += 1;
    }
    let n = list.len() as i64;
    let top = params.top.unwrap_or(RECORDS_TOP);
    let mut sectors: Vec<(String, Text, i64)> =
        by_sector.into_iter().map(|(k, (t, c))| (k, t, c)).collect();
    sectors.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    let mut economies: Vec<(String, i64)> =
        by_economy.into_iter().filter(|(e, _)| e != "?").collect();
    economies.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let basis = vec![
        (
            Text::new("As of", "截至"),
            Text::new(
                format!(
                    "unicorns that joined the list by {as_of} (the list runs to {latest}); valuations are the list's, not as of that date"
                ),
                format!("截至{as_of}已成为独角兽的企业（名单截至{latest}）；估值为名单所载值"),
            ),
        ),
        (
            Text::new("Sectors", "领域"),
            Text::same(match &params.mapping_file {
                Some(f) => format!("industry → sector from {f}"),
                None => "industry → sector from data/reference/unicorn-sectors.csv".into(),
            }),
        ),
    ];
    let finish = |mut t: ResultTable| {
        t.basis = basis.clone();
        t.sources = vec![note(set)];
        t.synthetic = set.synthetic();
        t.params = given_params(params);
        if !unmapped.is_empty() {
            t.notes.push(Text::same(format!(
                "industries without a mapping, kept as their own sector: {}",
                unmapped.iter().copied().collect::<Vec<_>>().join(", ")
            )));
        }
        t
    };
    // Sectors.
    let mut s = ResultTable::new(
        "I2",
        Text::new(
            format!("Unicorns by sector, as of {as_of}"),
            format!("截至{as_of}全球独角兽企业所处领域分布"),
        ),
    );
    s.columns.push(Column::text(
        "sector",
        Text::new("Sector", "领域代码"),
        sectors.iter().map(|x| Some(x.0.clone())).collect(),
    ));
    s.columns.push(Column::text(
        "name_en",
        Text::new("Sector", "领域（英）"),
        sectors.iter().map(|x| Some(x.1.en.clone())).collect(),
    ));
    s.columns.push(Column::text(
        "name_zh",
        Text::new("Sector (zh)", "领域"),
        sectors.iter().map(|x| Some(x.1.zh.clone())).collect(),
    ));
    s.columns.push(Column::int(
        "unicorns",
        Text::new("Unicorns", "独角兽数量"),
        None,
        sectors.iter().map(|x| Some(x.2)).collect(),
    ));
    s.columns.push(Column::float(
        "share",
        Text::new("Share", "占比"),
        Some(Text::new("%", "%")),
        1,
        sectors
            .iter()
            .map(|x| Some(100.0 * x.2 as f64 / n as f64))
            .collect(),
    ));
    s.figure = Some(Figure::GroupedBars {
        label: "sector".into(),
        series: vec!["unicorns".into()],
        unit: Text::new("unicorns", "家"),
    });
    let top3: Vec<&(String, Text, i64)> = sectors.iter().take(3).collect();
    s.findings.push(Text::new(
        format!(
            "{n} unicorns; the most are in {}.",
            top3.iter()
                .map(|x| format!("{} ({})", x.1.en, x.2))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        format!(
            "共{n}家独角兽企业，分布最多的领域是{}。",
            top3.iter()
                .map(|x| format!("{}（{}家）", x.1.zh, x.2))
                .collect::<Vec<_>>()
                .join("、")
        ),
    ));
    // Economies.
    let shown: Vec<(String, i64)> = economies.iter().take(top).cloned().collect();
    let codes: Vec<String> = shown.iter().map(|x| x.0.clone()).collect();
    let mut e = ResultTable::new(
        "I2.economies",
        Text::new(
            format!("Unicorns by economy, as of {as_of}: top {top}"),
            format!("截至{as_of}独角兽企业数量前{top}的国家和地区"),
        ),
    );
    e.columns = economy_columns(&codes);
    e.columns.push(Column::int(
        "unicorns",
        Text::new("Unicorns", "独角兽数量"),
        None,
        shown.iter().map(|x| Some(x.1)).collect(),
    ));
    e.columns.push(Column::float(
        "share",
        Text::new("Share", "占比"),
        Some(Text::new("%", "%")),
        1,
        shown
            .iter()
            .map(|x| Some(100.0 * x.1 as f64 / n as f64))
            .collect(),
    ));
    e.figure = Some(Figure::GroupedBars {
        label: "economy".into(),
        series: vec!["unicorns".into()],
        unit: Text::new("unicorns", "家"),
    });
    if shown.len() >= 2 {
        let two = shown[0].1 + shown[1].1;
        e.findings.push(Text::new(
            format!(
                "{} ({}) and {} ({}) hold {:.1}% of all unicorns.",
                name(&shown[0].0, Lang::En),
                shown[0].1,
                name(&shown[1].0, Lang::En),
                shown[1].1,
                100.0 * two as f64 / n as f64
            ),
            format!(
                "{}（{}家）和{}（{}家）合计占全部独角兽的{:.1}%。",
                name(&shown[0].0, Lang::Zh),
                shown[0].1,
                name(&shown[1].0, Lang::Zh),
                shown[1].1,
                100.0 * two as f64 / n as f64
            ),
        ));
    }
    // Specialisation: an economy's share of a sector against its share of all.
    let mut special: Vec<(String, String, f64, i64)> = Vec::new();
    for (code, total) in economies.iter().filter(|(_, c)| *c >= 10) {
        let best = sectors
            .iter()
            .filter_map(|(sid, _, sn)| {
                let c = *cross.get(&(sid.clone(), code.clone()))?;
                let lq = (c as f64 / *total as f64) / (*sn as f64 / n as f64);
                (c >= 3 && lq >= 2.0).then_some((sid.clone(), lq, c))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        if let Some((sid, lq, c)) = best {
            special.push((code.clone(), sid, lq, c));
        }
    }
    let sector_name = |sid: &str, lang: Lang| {
        sectors
            .iter()
            .find(|x| x.0 == sid)
            .map(|x| x.1.get(lang).to_string())
            .unwrap_or_default()
    };
    if !special.is_empty() {
        e.findings.push(Text::new(
            format!(
                "Over-represented sectors (share at least twice the world's): {}.",
                special
                    .iter()
                    .map(|(c, s, lq, k)| format!(
                        "{} in {} ({k}, ×{lq:.1})",
                        name(c, Lang::En),
                        sector_name(s, Lang::En)
                    ))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            format!(
                "相对优势领域（占比为全球平均的两倍以上）：{}。",
                special
                    .iter()
                    .map(|(c, s, lq, k)| format!(
                        "{}的{}（{k}家，{lq:.1}倍）",
                        name(c, Lang::Zh),
                        sector_name(s, Lang::Zh)
                    ))
                    .collect::<Vec<_>>()
                    .join("；")
            ),
        ));
    }
    // Cross-tab: top sectors × top economies, with the rest of the world.
    let top_sectors: Vec<&(String, Text, i64)> = sectors.iter().take(top).collect();
    let heat_codes: Vec<String> = codes.iter().take(8).cloned().collect();
    let mut x = ResultTable::new(
        "I2.cross",
        Text::new(
            format!("Unicorns by sector and economy, as of {as_of}"),
            format!("截至{as_of}独角兽企业领域与国家分布"),
        ),
    );
    x.columns.push(Column::text(
        "sector",
        Text::new("Sector", "领域代码"),
        top_sectors.iter().map(|s| Some(s.0.clone())).collect(),
    ));
    x.columns.push(Column::text(
        "name_en",
        Text::new("Sector", "领域（英）"),
        top_sectors.iter().map(|s| Some(s.1.en.clone())).collect(),
    ));
    x.columns.push(Column::text(
        "name_zh",
        Text::new("Sector (zh)", "领域"),
        top_sectors.iter().map(|s| Some(s.1.zh.clone())).collect(),
    ));
    let reg = Registry::bundled();
    let mut series = Vec::new();
    for code in &heat_codes {
        let col = format!("n_{}", code.to_ascii_lowercase());
        x.columns.push(Column::int(
            &col,
            reg.names_of(code),
            None,
            top_sectors
                .iter()
                .map(|s| Some(*cross.get(&(s.0.clone(), code.clone())).unwrap_or(&0)))
                .collect(),
        ));
        series.push(col);
    }
    x.columns.push(Column::int(
        "n_rest",
        Text::new("Rest of the world", "其他国家和地区"),
        None,
        top_sectors
            .iter()
            .map(|s| {
                Some(
                    s.2 - heat_codes
                        .iter()
                        .map(|c| *cross.get(&(s.0.clone(), c.clone())).unwrap_or(&0))
                        .sum::<i64>(),
                )
            })
            .collect(),
    ));
    series.push("n_rest".into());
    x.figure = Some(Figure::HeatMap {
        label: "sector".into(),
        series,
        unit: Text::new("unicorns", "家"),
    });
    Ok(vec![finish(s), finish(e), finish(x)])
}

const I3_STAGES: &[&str] = &["seed", "angel", "series-a"];
const I3_INDICATOR: &str = "NCSES.VC.INV";

pub(super) const I3: Analysis = Analysis {
    id: "I3",
    name: "venture-capital",
    title: w(
        "Early-stage venture capital by sector",
        "早期风险投资领域分布",
    ),
    chapter: "industry",
    params: &[
        use_h(
            "year",
            D::Rule(w("latest year of the deals", "交易数据的最新年份")),
            w(
                "reference year (vs the previous)",
                "参考年份（与上一年对比）",
            ),
        ),
        use_h(
            "stages",
            D::Texts(I3_STAGES),
            w("rounds counted as early stage", "计为早期阶段的融资轮次"),
        ),
        use_h(
            "top",
            D::Int(RECORDS_TOP as i64),
            w("sectors shown", "显示的领域数"),
        ),
        use_h(
            "indicator",
            D::Text(I3_INDICATOR),
            w(
                "series of venture capital by economy",
                "各经济体风险投资序列",
            ),
        ),
        use_h(
            "source",
            D::Rule(w(
                "first dataset holding the indicator",
                "首个含有该指标的数据集",
            )),
            w("dataset to read", "读取的数据集"),
        ),
    ],
    own: &[],
    shared: &[],
    placements: &[at("3.4", "i3")],
    numbers: &[("I3", Numbering::Figure(18))],
    year_shift: YearShift::Year,
    run: |e, p| Box::pin(i3(e, p)),
};

/// I3: early-stage venture capital by sector (Fig 18), and venture capital by economy.
pub(crate) async fn i3(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    let sets = engine.records("venture-capital")?;
    let mut out = Vec::new();
    let stages = params
        .stages
        .clone()
        .unwrap_or_else(|| I3_STAGES.iter().map(|s| s.to_string()).collect());
    if let Some(set) = sets.first() {
        let Records::VentureCapital(rows) = &set.records else {
            unreachable!("family checked")
        };
        out.push(i3_sectors(set, rows, &stages, params)?);
    }
    // Venture capital by economy (NCSES / PitchBook), when present.
    let indicator = params
        .indicator
        .clone()
        .unwrap_or_else(|| I3_INDICATOR.into());
    match engine.series(&indicator, params.source.as_deref()).await {
        Ok(series) => out.push(i3_economies(&series, params)?),
        Err(e) if out.is_empty() => {
            return Err(EngineError::missing(
                format!("no venture-capital deals and no series `{indicator}`: {e}"),
                "import deals or aggregates (date,sector,stage,amount_usd_m,economy[,deals]) or the NCSES table S8-62 with `innoscope import FILE`",
            ));
        }
        Err(_) => {}
    }
    Ok(out)
}

fn i3_sectors(
    set: &RecordSet,
    rows: &[VcRecord],
    stages: &[String],
    params: &Params,
) -> Result<ResultTable> {
    let stages: Vec<String> = stages
        .iter()
        .map(|s| s.trim().to_ascii_lowercase())
        .collect();
    let year = params
        .year
        .or_else(|| rows.iter().map(|r| r.year).max())
        .unwrap_or_default();
    let base = year - 1;
    let names = mapping(VC_SECTORS, None, "sector")?;
    let mut agg: BTreeMap<String, [f64; 4]> = BTreeMap::new();
    for r in rows.iter().filter(|r| stages.contains(&r.stage)) {
        let slot = if r.year == year {
            0
        } else if r.year == base {
            1
        } else {
            continue;
        };
        let e = agg.entry(r.sector.clone()).or_default();
        e[slot] += r.amount;
        e[slot + 2] += r.deals as f64;
    }
    let mut list: Vec<(String, [f64; 4])> = agg.into_iter().filter(|(_, v)| v[0] > 0.0).collect();
    if list.is_empty() {
        return Err(EngineError::missing(
            format!(
                "no {} deals in {year} in `{}`",
                stages.join("/"),
                set.info.manifest.id
            ),
            "choose --year and --stages the data cover",
        ));
    }
    list.sort_by(|a, b| b.1[0].total_cmp(&a.1[0]).then(a.0.cmp(&b.0)));
    list.truncate(params.top.unwrap_or(RECORDS_TOP));
    let growth = |now: f64, before: f64| (before > 0.0).then(|| 100.0 * (now / before - 1.0));
    let label = |s: &str| {
        names
            .get(&s.to_lowercase())
            .map(|x| x.1.clone())
            .unwrap_or_else(|| Text::same(s))
    };
    let mut t = ResultTable::new(
        "I3",
        Text::new(
            format!(
                "Early-stage venture capital: top {} sectors by amount, {year}",
                list.len()
            ),
            format!("{year}年全球早期风投投资额最多的{}个领域", list.len()),
        ),
    );
    t.columns.push(Column::text(
        "sector",
        Text::new("Sector", "领域代码"),
        list.iter().map(|x| Some(x.0.clone())).collect(),
    ));
    t.columns.push(Column::text(
        "name_en",
        Text::new("Sector", "领域（英）"),
        list.iter().map(|x| Some(label(&x.0).en)).collect(),
    ));
    t.columns.push(Column::text(
        "name_zh",
        Text::new("Sector (zh)", "领域"),
        list.iter().map(|x| Some(label(&x.0).zh)).collect(),
    ));
    t.columns.push(Column::float(
        "amount",
        Text::new(format!("Amount {year}"), format!("{year}年投资额")),
        Some(Text::new("million USD", "百万美元")),
        1,
        list.iter().map(|x| Some(x.1[0])).collect(),
    ));
    t.columns.push(Column::float(
        "amount_growth",
        Text::new("Amount growth", "投资额增长率"),
        Some(Text::new("%", "%")),
        1,
        list.iter().map(|x| growth(x.1[0], x.1[1])).collect(),
    ));
    t.columns.push(Column::int(
        "deals",
        Text::new(format!("Deals {year}"), format!("{year}年投资笔数")),
        None,
        list.iter().map(|x| Some(x.1[2] as i64)).collect(),
    ));
    t.columns.push(Column::float(
        "deals_growth",
        Text::new("Deals growth", "投资笔数增长率"),
        Some(Text::new("%", "%")),
        1,
        list.iter().map(|x| growth(x.1[2], x.1[3])).collect(),
    ));
    t.figure = Some(Figure::BarsWithLine {
        label: "sector".into(),
        bars: "amount".into(),
        bar_unit: Text::new("million USD", "百万美元"),
        line: "amount_growth".into(),
        line_unit: Text::new("% vs previous year", "同比增长率（%）"),
    });
    t.basis = vec![
        (
            Text::new("Early stage", "早期"),
            Text::same(format!("rounds: {}", stages.join(", "))),
        ),
        (
            Text::new("Growth", "增长率"),
            Text::same(format!("{year} vs {base}")),
        ),
    ];
    t.sources = vec![note(set)];
    t.synthetic = set.synthetic();
    let first = &list[0];
    let fastest = list
        .iter()
        .filter_map(|x| growth(x.1[0], x.1[1]).map(|g| (x, g)))
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.0.cmp(&a.0.0)));
    let fewer = list.iter().filter(|x| x.1[2] < x.1[3]).count();
    t.findings.push(Text::new(
        format!(
            "{} drew the most ({:.0} million USD, {}%){}; deals fell in {fewer} of the {} sectors, so the average deal grew.",
            label(&first.0).en,
            first.1[0],
            growth(first.1[0], first.1[1]).map(signed).unwrap_or_else(|| "n/a".into()),
            fastest
                .map(|(x, g)| format!("; {} grew fastest ({}%)", label(&x.0).en, signed(g)))
                .unwrap_or_default(),
            list.len()
        ),
        format!(
            "{}投资额最多（{:.0}百万美元，{}%）{}；{}个领域中有{fewer}个投资笔数减少，单笔投资额上升。",
            label(&first.0).zh,
            first.1[0],
            growth(first.1[0], first.1[1]).map(signed).unwrap_or_else(|| "无".into()),
            fastest
                .map(|(x, g)| format!("；{}增长最快（{}%）", label(&x.0).zh, signed(g)))
                .unwrap_or_default(),
            list.len()
        ),
    ));
    t.params = given_params(params);
    Ok(t)
}

fn i3_economies(series: &crate::Series, params: &Params) -> Result<ResultTable> {
    let last = series.last_year().ok_or_else(|| {
        EngineError::missing("the venture-capital series is empty", "re-import it")
    })?;
    let year = params.year.filter(|y| *y <= last).unwrap_or(last);
    let world = series.get("WLD", year);
    let mut vals: Vec<(String, f64)> = series
        .at(year)
        .filter(|(c, _)| {
            Registry::bundled()
                .by_code(c)
                .is_some_and(|e| e.is_country())
        })
        .map(|(c, v)| (c.to_string(), v))
        .collect();
    vals.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    vals.truncate(params.top.unwrap_or(RECORDS_TOP));
    let codes: Vec<String> = vals.iter().map(|x| x.0.clone()).collect();
    let mut t = ResultTable::new(
        "I3.economies",
        Text::new(
            format!("Venture capital investment by economy, {year}"),
            format!("{year}年各经济体风险投资额"),
        ),
    );
    t.columns = economy_columns(&codes);
    t.columns.push(Column::float(
        "amount",
        Text::new(
            format!("Venture capital {year}"),
            format!("{year}年风险投资额"),
        ),
        Some(Text::new("million USD", "百万美元")),
        0,
        vals.iter().map(|x| Some(x.1)).collect(),
    ));
    t.columns.push(Column::float(
        "growth",
        Text::new(
            format!("Change vs {}", year - 1),
            format!("较{}年变化", year - 1),
        ),
        Some(Text::new("%", "%")),
        1,
        codes
            .iter()
            .map(|c| pct_change(series.get(c, year - 1)?, series.get(c, year)?))
            .collect(),
    ));
    t.columns.push(Column::float(
        "world_share",
        Text::new("Share of world", "占全球比重"),
        Some(Text::new("%", "%")),
        1,
        vals.iter()
            .map(|x| world.filter(|w| *w > 0.0).map(|w| 100.0 * x.1 / w))
            .collect(),
    ));
    t.figure = Some(Figure::BarsWithLine {
        label: "economy".into(),
        bars: "amount".into(),
        bar_unit: Text::new("million USD", "百万美元"),
        line: "growth".into(),
        line_unit: Text::new("% vs previous year", "同比增长率（%）"),
    });
    t.basis = vec![(
        Text::new("Venture capital", "风险投资"),
        Text::same(format!(
            "{} ({}), all stages; economies only, aggregates left out",
            series.meta.name_en, series.indicator
        )),
    )];
    t.sources = vec![series.source_note()];
    if let (Some((c, v)), Some(w)) = (vals.first(), world) {
        t.findings.push(Text::new(
            format!(
                "{} received {:.1}% of the world's venture capital in {year}.",
                name(c, Lang::En),
                100.0 * v / w
            ),
            format!(
                "{year}年{}获得全球{:.1}%的风险投资。",
                name(c, Lang::Zh),
                100.0 * v / w
            ),
        ));
    }
    t.params = given_params(params);
    Ok(t)
}
