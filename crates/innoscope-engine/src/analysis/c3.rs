//! C3: high-level innovation actors by economy, from ranked lists (Fig 4).

use super::common::*;
use super::prelude::*;
use super::record_lists::*;
use crate::records::RecordSet;
use innoscope_core::records::{ACTOR_TYPES, RankedEntry, Records};
use std::collections::{BTreeMap, BTreeSet};

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
    series: &[],
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
    let mut left_out: Vec<Text> = Vec::new();
    let mut reach_of: Vec<Reach> = Vec::new();
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
        // How far the list reaches within the ranks counted, and how many
        // of its entries have an economy innoscope recognises.
        let reach = within.iter().map(|r| r.rank).max().unwrap_or(0);
        let counted: Vec<&&RankedEntry> = within.iter().filter(|r| r.actor_type == role).collect();
        let located = counted.iter().filter(|r| r.economy.is_some()).count();
        reach_of.push(Reach {
            list: list.clone(),
            edition: *edition,
            role: role.clone(),
            cut,
            reach,
            counted: counted.len(),
            located,
        });
        if other > 0 {
            left_out.push(Text::new(
                format!("{list} {edition}: {other} entries that are not {role} left out"),
                format!("{list} {edition}：{other}个非{}条目未计入", actor_zh(&role)),
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
        (Text::new("Coverage", "数据覆盖"), coverage_text(&reach_of)),
    ];
    // A list that ends before the ranks counted undercounts its actor type.
    for r in reach_of.iter().filter(|r| r.reach < r.cut) {
        t.notes.push(Text::new(
            format!(
                "{} {} reaches rank {} only, short of the {} counted: its {} are undercounted",
                r.list,
                r.edition,
                r.reach,
                r.cut,
                actor_en(&r.role)
            ),
            format!(
                "{} {}仅到第{}名，不足计入的前{}名：{}数量偏低",
                r.list,
                r.edition,
                r.reach,
                r.cut,
                actor_zh(&r.role)
            ),
        ));
    }
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
    t.notes.extend(left_out);
    if !unresolved.is_empty() {
        let list = unresolved.into_iter().collect::<Vec<_>>().join(", ");
        t.notes.push(Text::new(
            format!("not counted (economy not recognised): {list}"),
            format!("未计入（无法识别经济体）：{list}"),
        ));
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

/// An actor type in Chinese (see [`ACTOR_TYPES`]).
fn actor_en(role: &str) -> &str {
    match role {
        "university" => "universities",
        "research" => "research institutions",
        "enterprise" => "enterprises",
        other => other,
    }
}

fn actor_zh(role: &str) -> &str {
    match role {
        "university" => "高校",
        "research" => "科研机构",
        "enterprise" => "企业",
        other => other,
    }
}

/// How much of one ranked list C3 counts.
struct Reach {
    list: String,
    edition: i32,
    role: String,
    /// Ranks counted (1..=cut).
    cut: u32,
    /// The last rank the list has within them.
    reach: u32,
    /// Entries of the list's actor type within the cut.
    counted: usize,
    /// Of those, entries with a recognised economy.
    located: usize,
}

/// The coverage line: per list, the ranks it reaches of those counted, the
/// entries counted and how many have a recognised economy.
fn coverage_text(reach: &[Reach]) -> Text {
    let en: Vec<String> = reach
        .iter()
        .map(|r| {
            format!(
                "{} {}: ranks 1–{} of 1–{}, {} {}, {} with a recognised economy",
                r.list,
                r.edition,
                r.reach,
                r.cut,
                r.counted,
                actor_en(&r.role),
                r.located
            )
        })
        .collect();
    let zh: Vec<String> = reach
        .iter()
        .map(|r| {
            format!(
                "{} {}：计入前{}名中的第1–{}名，{}个{}，其中{}个可识别所属经济体",
                r.list,
                r.edition,
                r.cut,
                r.reach,
                r.counted,
                actor_zh(&r.role),
                r.located
            )
        })
        .collect();
    Text::new(en.join("; "), zh.join("；"))
}
