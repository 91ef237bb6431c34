//! K3: applicants by corporate group, and the three collaboration types of
//! the report (Figs 11–13).
//!
//! The applicants of the international co-applications (applications with
//! applicants from two or more economies) are harmonised into entities and
//! corporate groups ([`innoscope_core::applicant`]); then, over the period:
//!
//! - **groups**: international co-applications per group (an application
//!   counts once per group on it), the entities and economies seen, partners;
//! - **intra-group**: co-applications on which one group's applicants are
//!   located in two or more economies;
//! - **same-field multi-institution**: in each technology field, the network
//!   of groups linked by co-applications; its hub is the node of highest
//!   betweenness, and the pattern holds when the hub links three or more groups;
//! - **dispersed**: the effective number of partners, 1 / Σ sᵢ² over the
//!   shares sᵢ of a group's partner links; a group is dispersed when that
//!   number is at least 5 and no partner has more than 25% of its links.

use super::microdata_ctx::{
    COUNTING, Ctx, FIELDS_RULE, MICRO_YEAR, SEED, name, network_fields, node_table, open,
    params_map, pct,
};
use super::prelude::*;
use crate::applicants::{HarmoniserOptions, harmoniser, strings};
use crate::microdata::{RoleParam, Years};
use arrow::array::{Array, Int64Array};
use arrow::datatypes::DataType;
use innoscope_core::applicant::{Harmonised, Kind, NameRecord};
use innoscope_core::network::Network;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

/// Groups with fewer international co-applications are not ranked for dispersion.
const MIN_APPS_DISPERSED: u64 = 5;
/// A group is dispersed from this effective number of partners …
const DISPERSED_EFFECTIVE: f64 = 5.0;
/// … when no partner has more than this share of its links.
const DISPERSED_TOP_SHARE: f64 = 0.25;
/// A field's hub shows the multi-institution pattern when it links this many groups.
const HUB_MIN_GROUPS: usize = 3;

/// One applicant row of an international co-application.
struct Applicant {
    appln: i64,
    /// The application's year: a dated group row (a merger) holds from its year.
    year: i32,
    record: usize,
    country: Option<String>,
}

#[derive(Default)]
struct GroupStats {
    apps: u64,
    economies: BTreeSet<String>,
    entities: BTreeSet<usize>,
    partners: BTreeMap<usize, u64>,
    intra: u64,
    intra_economies: BTreeSet<String>,
}

impl GroupStats {
    fn partner_links(&self) -> u64 {
        self.partners.values().sum()
    }

    /// 1 / Σ sᵢ² over the partners' shares of the links.
    fn effective_partners(&self) -> f64 {
        let total = self.partner_links() as f64;
        if total == 0.0 {
            return 0.0;
        }
        1.0 / self
            .partners
            .values()
            .map(|n| (*n as f64 / total).powi(2))
            .sum::<f64>()
    }

    fn top_share(&self) -> f64 {
        let total = self.partner_links() as f64;
        if total == 0.0 {
            return 0.0;
        }
        *self.partners.values().max().unwrap_or(&0) as f64 / total
    }

    fn dispersed(&self) -> bool {
        self.apps >= MIN_APPS_DISPERSED
            && self.effective_partners() >= DISPERSED_EFFECTIVE
            && self.top_share() <= DISPERSED_TOP_SHARE
    }
}

/// "1 entity", "3 entities".
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn econ_names(codes: &BTreeSet<String>, zh: bool) -> String {
    codes
        .iter()
        .map(|c| name(c, zh))
        .collect::<Vec<_>>()
        .join(if zh { "、" } else { ", " })
}

const K3_TOP: usize = 20;
const K3_MAX_NODES: usize = 40;
/// Years of K3's period before the reference year.
const K3_SPAN: i32 = 4;

pub(super) const K3: Analysis = Analysis {
    id: "K3",
    name: "applicants",
    title: w(
        "Applicants by corporate group and collaboration types",
        "申请人（企业集团）与合作类型",
    ),
    chapter: "cooperation",
    params: &[
        use_h(
            "year",
            D::Rule(w(
                "2020 (or the data's last year)",
                "2020（或数据的最后一年）",
            )),
            w("last year of the period", "时段的最后一年"),
        ),
        use_h(
            "base-year",
            D::Rule(w("year − 4", "参考年份－4")),
            w("first year of the period", "时段的第一年"),
        ),
        use_h(
            "top",
            D::Int(K3_TOP as i64),
            w("groups ranked", "排名的企业集团数"),
        ),
        use_h(
            "groups-file",
            D::Rule(w("built-in table", "内置表")),
            w(
                "corporate groups added to or replacing the built-in ones",
                "补充或替换内置企业集团的文件",
            ),
        ),
        use_h(
            "name-rules",
            D::Rule(w("built-in rules", "内置规则")),
            w("applicant-name rules added", "补充的申请人名称规则"),
        ),
        use_h(
            "threshold",
            D::Float(innoscope_core::applicant::DEFAULT_THRESHOLD),
            w(
                "Jaro–Winkler similarity to merge names",
                "合并名称的Jaro–Winkler相似度",
            ),
        ),
        use_h(
            "max-nodes",
            D::Int(K3_MAX_NODES as i64),
            w(
                "most nodes drawn per applicant network",
                "每个申请人网络最多绘制的节点数",
            ),
        ),
        use_h(
            "fields-file",
            FIELDS_RULE,
            w(
                "technology fields of the same-field networks",
                "同领域网络的技术领域文件",
            ),
        ),
        use_h(
            "seed",
            D::Int(SEED as i64),
            w(
                "seed of the layouts and communities",
                "布局与社区发现的随机种子",
            ),
        ),
    ],
    own: &[],
    shared: COUNTING,
    placements: &[at("3.2", "k3")],
    numbers: &[
        ("K3", Numbering::Figure(11)),
        ("K3.intra.net", Numbering::Figure(12)),
        ("K3.field.medical", Numbering::Figure(13)),
    ],
    year_shift: YearShift::YearAndBase(K3_SPAN),
    series: &[],
    run: |e, p| Box::pin(k3(e, p)),
};

/// K3: top-N groups by international co-applications, the three
/// collaboration types, and the applicant networks.
/// What harmonising `records` holds at its peak, estimated: about 1 KiB a
/// name plus eight copies of its text (the keys, their compact and sorted
/// forms, the entities). Measured on synthetic names: 279,000 names of 14 MB
/// took 475 MB over the process' baseline, this estimate says 400 MB.
fn harmoniser_bytes(records: &[NameRecord]) -> usize {
    records
        .iter()
        .map(|r| 1024 + 8 * r.name.len())
        .sum::<usize>()
}

pub async fn k3(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    let ctx = open(engine, params).await?;
    if ctx.counting.role != RoleParam::Applicants {
        return Err(EngineError::bad_param(
            "role",
            "K3 ranks applicants; it has no inventor form",
        ));
    }
    let (year, _) = ctx.years(params, MICRO_YEAR)?;
    let first = params
        .base_year
        .unwrap_or(year - K3_SPAN)
        .max(ctx.first_year_or(year - K3_SPAN));
    if first > year {
        return Err(EngineError::bad_param(
            "base-year",
            format!("{first} is after the reference year {year}"),
        ));
    }
    let top = params.top.unwrap_or(K3_TOP);
    let max_nodes = params.max_nodes.unwrap_or(K3_MAX_NODES).max(2);
    let h = harmoniser(&HarmoniserOptions {
        name_rules: params.name_rules.as_ref().map(PathBuf::from),
        groups_file: params.groups_file.as_ref().map(PathBuf::from),
        threshold: params.threshold,
        window: None,
    })?;
    let fields = network_fields(params)?;
    // The applicants and fields of the years `first..=year` alone.
    let base = ctx
        .md
        .prepare_years(&ctx.counting, &[&fields], &Years::span(first, year))
        .await?;
    let batches = base.intl_applicants(first, year).await?;
    let field_rows = base.intl_fields(&fields).await?;

    // Distinct names → records; applicant rows point at them.
    let mut records: Vec<NameRecord> = Vec::new();
    let mut index: HashMap<[Option<String>; 5], usize> = HashMap::new();
    let mut rows: Vec<Applicant> = Vec::new();
    for b in &batches {
        let id = arrow::compute::cast(b.column(0), &DataType::Int64)?;
        let id = id.as_any().downcast_ref::<Int64Array>().expect("cast");
        let yr = arrow::compute::cast(b.column(1), &DataType::Int64)?;
        let yr = yr.as_any().downcast_ref::<Int64Array>().expect("cast");
        let cols = [
            strings(b, 2)?,
            strings(b, 3)?,
            strings(b, 4)?,
            strings(b, 5)?,
            strings(b, 6)?,
        ];
        for i in 0..b.num_rows() {
            let key: [Option<String>; 5] = std::array::from_fn(|c| {
                (!cols[c].is_null(i)).then(|| cols[c].value(i).to_string())
            });
            let country = key[1].clone();
            let r = *index.entry(key.clone()).or_insert_with(|| {
                records.push(NameRecord {
                    name: key[0].clone().unwrap_or_default(),
                    country: key[1].clone(),
                    count: 0,
                    harmonised: key[2].clone(),
                    harmonised_by: key[3].clone(),
                    sector: key[4].clone(),
                });
                records.len() - 1
            });
            records[r].count += 1;
            rows.push(Applicant {
                appln: id.value(i),
                year: if yr.is_null(i) {
                    year
                } else {
                    yr.value(i) as i32
                },
                record: r,
                country,
            });
        }
    }
    // The harmoniser runs off the async workers, within the memory budget,
    // and stops when the request for it goes away.
    let _held = engine
        .memory()
        .reserve("K3 applicant harmoniser", harmoniser_bytes(&records))?;
    let (h, records, out) = crate::memory::blocking(move |cancel| {
        let out = h.run_until(&records, cancel)?;
        Ok((h, records, out))
    })
    .await?;
    // How each entity is written in each economy (for network labels).
    let mut written: BTreeMap<(usize, Option<String>), BTreeMap<String, u64>> = BTreeMap::new();
    for a in &rows {
        let e = out.records[a.record].entity;
        *written
            .entry((e, a.country.clone()))
            .or_default()
            .entry(records[a.record].name.clone())
            .or_default() += 1;
    }
    let label_of = |e: usize, c: Option<&str>| -> String {
        written
            .get(&(e, c.map(str::to_string)))
            .and_then(|m| {
                m.iter()
                    .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            })
            .map(|(n, _)| n.clone())
            .unwrap_or_else(|| out.entities[e].name.clone())
    };
    let group_of = |a: &Applicant| out.group_at(out.records[a.record].entity, a.year);

    // Applications → (group, entity, country) of their applicants.
    let mut apps: Apps<'_> = BTreeMap::new();
    for a in &rows {
        let e = out.records[a.record].entity;
        apps.entry(a.appln)
            .or_default()
            .push((group_of(a), e, a.country.as_deref()));
    }
    let mut stats: BTreeMap<usize, GroupStats> = BTreeMap::new();
    for members in apps.values() {
        let groups: BTreeSet<usize> = members.iter().map(|m| m.0).collect();
        for &g in &groups {
            let st = stats.entry(g).or_default();
            st.apps += 1;
            let mut here: BTreeSet<&str> = BTreeSet::new();
            for m in members.iter().filter(|m| m.0 == g) {
                st.entities.insert(m.1);
                if let Some(c) = m.2 {
                    st.economies.insert(c.to_string());
                    here.insert(c);
                }
            }
            if here.len() >= 2 {
                st.intra += 1;
                st.intra_economies
                    .extend(here.iter().map(|c| c.to_string()));
            }
            for &p in groups.iter().filter(|p| **p != g) {
                *st.partners.entry(p).or_default() += 1;
            }
        }
    }
    let is_org = |g: usize| out.groups[g].kind == Kind::Organisation;
    let mut ranked: Vec<usize> = stats.keys().copied().filter(|g| is_org(*g)).collect();
    ranked.sort_by(|a, b| {
        stats[b]
            .apps
            .cmp(&stats[a].apps)
            .then_with(|| out.groups[*a].id.cmp(&out.groups[*b].id))
    });
    let period = if first == year {
        format!("{year}")
    } else {
        format!("{first}–{year}")
    };
    let common = |t: &mut ResultTable| {
        describe(t, &h, &out, &records, &period);
        t.params = params_map(params, &ctx.counting);
    };

    let mut tables = Vec::new();
    // 1. Top-N groups.
    let top_groups: Vec<usize> = ranked.iter().take(top).copied().collect();
    let mut t = ctx.table(
        "K3",
        Text::new(
            format!(
                "Top {top} applicants by international co-applications, {period} (corporate groups)"
            ),
            format!("{period}年国际合作专利申请量前{top}位的申请人（按企业集团合并）"),
        ),
    );
    group_columns(&mut t, &top_groups, &out, &stats);
    t.figure = Some(Figure::RankedBars {
        label: "name_en".into(),
        value: "intl_apps".into(),
        colour: "home".into(),
        unit: Text::new("international co-applications", "国际合作专利申请量"),
    });
    common(&mut t);
    if let Some(&g) = top_groups.first() {
        let st = &stats[&g];
        let grp = &out.groups[g];
        let all: u64 = apps.len() as u64;
        let covered = apps
            .values()
            .filter(|m| m.iter().any(|x| top_groups.contains(&x.0)))
            .count() as u64;
        t.findings.push(Text::new(
            format!(
                "{} leads with {} international co-applications in {period}, from {} in {}; the top {} groups take part in {:.1}% of all {} international co-applications.",
                grp.name.en,
                st.apps,
                plural(st.entities.len(), "entity", "entities"),
                plural(st.economies.len(), "economy", "economies"),
                top_groups.len(),
                pct(covered as f64 / all.max(1) as f64),
                all
            ),
            format!(
                "{}以{}件国际合作专利申请居首（{period}年），涉及{}个主体、{}个经济体；前{}位申请人参与了全部{}件国际合作申请中的{:.1}%。",
                grp.name.zh,
                st.apps,
                st.entities.len(),
                st.economies.len(),
                top_groups.len(),
                all,
                pct(covered as f64 / all.max(1) as f64)
            ),
        ));
    }
    let merged = top_groups
        .iter()
        .filter(|g| out.groups[**g].entities.len() > 1)
        .count();
    t.findings.push(Text::new(
        format!(
            "{merged} of the top {} are groups of several entities (subsidiaries or name variants folded together).",
            top_groups.len()
        ),
        format!("前{}位中有{merged}个由多个主体合并而成（子公司或名称变体）。", top_groups.len()),
    ));
    tables.push(t);

    // 2. Intra-group.
    let mut intra: Vec<usize> = ranked
        .iter()
        .copied()
        .filter(|g| stats[g].intra > 0)
        .collect();
    intra.sort_by(|a, b| {
        stats[b]
            .intra
            .cmp(&stats[a].intra)
            .then_with(|| out.groups[*a].id.cmp(&out.groups[*b].id))
    });
    intra.truncate(top.min(10));
    let mut t = ctx.table(
        "K3.intra",
        Text::new(
            format!("Intra-group co-operation: co-applications between a group's entities in different economies, {period}"),
            format!("集团内部合作：同一集团位于不同经济体的主体之间的合作申请（{period}年）"),
        ),
    );
    group_columns(&mut t, &intra, &out, &stats);
    t.columns.push(Column::text(
        "intra_economies",
        Text::new("Economies linked", "所涉经济体"),
        intra
            .iter()
            .map(|g| {
                Some(
                    stats[g]
                        .intra_economies
                        .iter()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(" "),
                )
            })
            .collect(),
    ));
    common(&mut t);
    match intra.first() {
        Some(&g) => {
            let st = &stats[&g];
            t.findings.push(Text::new(
                format!(
                    "Intra-group: {} files {} of its {} international co-applications ({:.1}%) between its own entities, linking {}.",
                    out.groups[g].name.en,
                    st.intra,
                    st.apps,
                    pct(st.intra as f64 / st.apps as f64),
                    econ_names(&st.intra_economies, false)
                ),
                format!(
                    "集团内部合作：{}的{}件国际合作申请中有{}件（{:.1}%）在其自身主体之间，连接{}。",
                    out.groups[g].name.zh,
                    st.apps,
                    st.intra,
                    pct(st.intra as f64 / st.apps as f64),
                    econ_names(&st.intra_economies, true)
                ),
            ));
        }
        None => t.findings.push(Text::new(
            format!("Intra-group: no group files co-applications between its own entities in different economies in {period}."),
            format!("集团内部合作：{period}年没有集团在其位于不同经济体的主体之间合作申请。"),
        )),
    }
    tables.push(t);
    if !intra.is_empty() {
        tables.push(intra_network(
            &ctx, &out, &apps, &intra, max_nodes, params, &period, &label_of,
        ));
    }

    // 3. Same-field multi-institution: a group network per field.
    let mut in_field: BTreeMap<&str, BTreeSet<i64>> = BTreeMap::new();
    for r in &field_rows {
        in_field.entry(&r.field).or_default().insert(r.appln_id);
    }
    for cat in &fields.categories {
        let Some(ids) = in_field.get(cat.id.as_str()) else {
            continue;
        };
        if let Some(t) = field_network(&ctx, &out, &apps, ids, cat, max_nodes, params, &period) {
            let mut t = t;
            common(&mut t);
            tables.push(t);
        }
    }

    // 4. Dispersed.
    let mut disp: Vec<usize> = ranked
        .iter()
        .copied()
        .filter(|g| stats[g].apps >= MIN_APPS_DISPERSED && !stats[g].partners.is_empty())
        .collect();
    disp.sort_by(|a, b| {
        stats[b]
            .effective_partners()
            .total_cmp(&stats[a].effective_partners())
            .then_with(|| stats[b].apps.cmp(&stats[a].apps))
            .then_with(|| out.groups[*a].id.cmp(&out.groups[*b].id))
    });
    disp.truncate(top);
    let mut t = ctx.table(
        "K3.dispersed",
        Text::new(
            format!("Dispersed co-operation: partners per group, {period}"),
            format!("分散式合作：各集团的合作伙伴分布（{period}年）"),
        ),
    );
    group_columns(&mut t, &disp, &out, &stats);
    t.columns.push(Column::bool(
        "dispersed",
        Text::new("Dispersed", "分散式"),
        disp.iter().map(|g| Some(stats[g].dispersed())).collect(),
    ));
    common(&mut t);
    match disp.iter().find(|g| stats[g].dispersed()) {
        Some(&g) => {
            let st = &stats[&g];
            let n = disp.iter().filter(|g| stats[g].dispersed()).count();
            t.findings.push(Text::new(
                format!(
                    "Dispersed: {} spreads {} international co-applications over {} partners (effective number {:.1}; largest partner {:.1}% of links); {n} of these {} groups meet the definition.",
                    out.groups[g].name.en,
                    st.apps,
                    st.partners.len(),
                    st.effective_partners(),
                    pct(st.top_share()),
                    disp.len()
                ),
                format!(
                    "分散式合作：{}的{}件国际合作申请分布于{}个合作伙伴（有效伙伴数{:.1}；最大伙伴占{:.1}%）；表中{}个集团里有{n}个符合定义。",
                    out.groups[g].name.zh,
                    st.apps,
                    st.partners.len(),
                    st.effective_partners(),
                    pct(st.top_share()),
                    disp.len()
                ),
            ));
        }
        None => t.findings.push(Text::new(
            format!(
                "Dispersed: no group with at least {MIN_APPS_DISPERSED} co-applications has an effective number of partners of {DISPERSED_EFFECTIVE} or more with no partner above {:.0}%.",
                pct(DISPERSED_TOP_SHARE)
            ),
            format!(
                "分散式合作：在合作申请不少于{MIN_APPS_DISPERSED}件的集团中，没有有效伙伴数达到{DISPERSED_EFFECTIVE}且最大伙伴不超过{:.0}%的集团。",
                pct(DISPERSED_TOP_SHARE)
            ),
        )),
    }
    tables.push(t);
    Ok(tables)
}

/// Basis and notes every K3 table carries.
fn describe(
    t: &mut ResultTable,
    h: &innoscope_core::applicant::Harmoniser,
    out: &Harmonised,
    records: &[NameRecord],
    period: &str,
) {
    t.basis.push((
        Text::new("Period", "时期"),
        Text::new(
            format!("{period} (applications counted once per group)"),
            format!("{period}年（每件申请对每个集团只计一次）"),
        ),
    ));
    let user_groups = h.groups.entries.iter().any(|e| e.origin != "builtin");
    t.basis.push((
        Text::new("Applicants", "申请人"),
        Text::new(
            format!(
                "names harmonised (case, accents, legal forms, abbreviations; universities, hospitals and public bodies by institution rules; similar names merged at Jaro–Winkler ≥ {:.2} within the same or an unknown country; persons never merged with organisations); subsidiaries folded into groups by the {} group table, mergers of public institutions from their year",
                h.params.threshold,
                if user_groups { "built-in and the user's" } else { "built-in" }
            ),
            format!(
                "申请人名称经统一（大小写、重音、公司类型、缩写；大学、医院和公共机构按机构规则统一；同一或未知国家内 Jaro–Winkler 相似度 ≥ {:.2} 的名称合并；个人不与机构合并）；子公司按{}集团表并入集团，公共机构的合并自合并年份起计",
                h.params.threshold,
                if user_groups { "内置及用户" } else { "内置" }
            ),
        ),
    ));
    t.basis.push((
        Text::new("Collaboration types", "合作类型"),
        Text::new(
            format!(
                "intra-group = a group's applicants in two or more economies on one application; same-field hub = highest betweenness in a field's group network, linking {HUB_MIN_GROUPS}+ groups; dispersed = effective partners 1/Σs² ≥ {DISPERSED_EFFECTIVE} with no partner above {:.0}% (groups with {MIN_APPS_DISPERSED}+ co-applications)",
                pct(DISPERSED_TOP_SHARE)
            ),
            format!(
                "集团内部 = 同一申请中同一集团的申请人位于两个及以上经济体；同领域枢纽 = 领域集团网络中介中心性最高且连接{HUB_MIN_GROUPS}个及以上集团；分散式 = 有效伙伴数 1/Σs² ≥ {DISPERSED_EFFECTIVE} 且最大伙伴不超过{:.0}%（合作申请{MIN_APPS_DISPERSED}件及以上的集团）",
                pct(DISPERSED_TOP_SHARE)
            ),
        ),
    ));
    let orgs = out
        .entities
        .iter()
        .filter(|e| e.kind == Kind::Organisation)
        .count();
    let in_table = out.groups_today().filter(|g| g.from_table).count();
    let from_source = out
        .records
        .iter()
        .filter(|r| {
            matches!(
                r.key_source,
                innoscope_core::applicant::KeySource::Source(_)
            )
        })
        .count();
    t.notes.push(Text::new(
        format!(
            "{} distinct applicant names → {} organisations and {} persons → {} groups ({} from the group table). {} names used the source's own harmonised name. `innoscope applicants export` writes the audit trail.",
            records.len(),
            orgs,
            out.entities.len() - orgs,
            out.groups_today().filter(|g| g.kind == Kind::Organisation).count(),
            in_table,
            from_source
        ),
        format!(
            "{}个不同申请人名称 → {}个机构和{}个个人 → {}个集团（其中{}个来自集团表）。{}个名称使用了数据源自带的统一名称。`innoscope applicants export` 可导出合并记录。",
            records.len(),
            orgs,
            out.entities.len() - orgs,
            out.groups_today().filter(|g| g.kind == Kind::Organisation).count(),
            in_table,
            from_source
        ),
    ));
}

/// Rank, group id and names, home economy, counts and partner measures.
fn group_columns(
    t: &mut ResultTable,
    groups: &[usize],
    out: &Harmonised,
    stats: &BTreeMap<usize, GroupStats>,
) {
    let reg = Registry::bundled();
    let g = |i: &usize| &out.groups[*i];
    // A column of each group's statistics: counts, and measures (in % or not).
    let count = |name: &str, en: &str, zh: &str, f: fn(&GroupStats) -> i64| {
        Column::int(
            name,
            Text::new(en, zh),
            None,
            groups.iter().map(|i| Some(f(&stats[i]))).collect(),
        )
    };
    let measure =
        |name: &str, en: &str, zh: &str, percent: bool, decimals: u8, f: fn(&GroupStats) -> f64| {
            Column::float(
                name,
                Text::new(en, zh),
                percent.then(|| Text::new("%", "%")),
                decimals,
                groups.iter().map(|i| Some(f(&stats[i]))).collect(),
            )
        };
    let home: Vec<Option<String>> = groups
        .iter()
        .map(|i| g(i).home.as_ref().map(|h| super::microdata_ctx::a3(h)))
        .collect();
    t.columns = vec![
        Column::int(
            "rank",
            Text::new("Rank", "排名"),
            None,
            (1..=groups.len() as i64).map(Some).collect(),
        ),
        Column::text(
            "id",
            Text::new("Group id", "集团编号"),
            groups.iter().map(|i| Some(g(i).id.clone())).collect(),
        ),
        Column::text(
            "name_en",
            Text::new("Group", "集团（英文）"),
            groups.iter().map(|i| Some(g(i).name.en.clone())).collect(),
        ),
        Column::text(
            "name_zh",
            Text::new("Group (zh)", "集团"),
            groups.iter().map(|i| Some(g(i).name.zh.clone())).collect(),
        ),
        Column::text(
            "home",
            Text::new("Home economy", "母国（地区）"),
            home.clone(),
        ),
        Column::text(
            "home_en",
            Text::new("Home", "母国（英文）"),
            home.iter()
                .map(|h| Some(h.as_ref().map_or("unknown".into(), |h| reg.names_of(h).en)))
                .collect(),
        ),
        Column::text(
            "home_zh",
            Text::new("Home (zh)", "母国（地区）名称"),
            home.iter()
                .map(|h| Some(h.as_ref().map_or("未知".into(), |h| reg.names_of(h).zh)))
                .collect(),
        ),
        count(
            "intl_apps",
            "International co-applications",
            "国际合作申请量",
            |st| st.apps as i64,
        ),
        count("entities", "Entities", "主体数", |st| {
            st.entities.len() as i64
        }),
        count("economies", "Economies", "经济体数", |st| {
            st.economies.len() as i64
        }),
        count(
            "intra_apps",
            "Intra-group co-applications",
            "集团内部合作申请量",
            |st| st.intra as i64,
        ),
        measure(
            "intra_share",
            "Intra-group share",
            "集团内部合作占比",
            true,
            1,
            |st| pct(st.intra as f64 / st.apps.max(1) as f64),
        ),
        count("partners", "Partners", "合作伙伴数", |st| {
            st.partners.len() as i64
        }),
        measure(
            "effective_partners",
            "Effective partners (1/Σs²)",
            "有效伙伴数（1/Σs²）",
            false,
            2,
            GroupStats::effective_partners,
        ),
        measure(
            "top_partner_share",
            "Largest partner's share",
            "最大伙伴占比",
            true,
            1,
            |st| pct(st.top_share()),
        ),
        Column::bool(
            "in_group_table",
            Text::new("From the group table", "来自集团表"),
            groups.iter().map(|i| Some(g(i).from_table)).collect(),
        ),
    ];
}

fn node_columns(ids: &[String], names: &[Text], homes: &[Option<String>]) -> Vec<Column> {
    vec![
        Column::text(
            "id",
            Text::new("Id", "编号"),
            ids.iter().map(|i| Some(i.clone())).collect(),
        ),
        Column::text(
            "name_en",
            Text::new("Name", "名称（英文）"),
            names.iter().map(|n| Some(n.en.clone())).collect(),
        ),
        Column::text(
            "name_zh",
            Text::new("Name (zh)", "名称"),
            names.iter().map(|n| Some(n.zh.clone())).collect(),
        ),
        Column::text("home", Text::new("Economy", "经济体"), homes.to_vec()),
    ]
}

type Apps<'a> = BTreeMap<i64, Vec<(usize, usize, Option<&'a str>)>>;

/// The entities (by economy) of the leading intra-group groups, linked by
/// their co-applications with each other; colour = group.
#[allow(clippy::too_many_arguments)]
fn intra_network(
    ctx: &Ctx,
    out: &Harmonised,
    apps: &Apps<'_>,
    groups: &[usize],
    max_nodes: usize,
    params: &Params,
    period: &str,
    label_of: &dyn Fn(usize, Option<&str>) -> String,
) -> ResultTable {
    let shown: Vec<usize> = groups.iter().take(6).copied().collect();
    let node_id =
        |e: usize, c: Option<&str>| format!("{}@{}", out.entities[e].id, c.unwrap_or("??"));
    let mut weight: BTreeMap<String, f64> = BTreeMap::new();
    let mut info: BTreeMap<String, (Text, Option<String>, usize)> = BTreeMap::new();
    let mut pairs: BTreeMap<(String, String), f64> = BTreeMap::new();
    for members in apps.values() {
        for (gi, &g) in shown.iter().enumerate() {
            let mine: BTreeSet<(usize, Option<&str>)> = members
                .iter()
                .filter(|m| m.0 == g)
                .map(|m| (m.1, m.2))
                .collect();
            let countries: BTreeSet<Option<&str>> = mine.iter().map(|m| m.1).collect();
            if countries.len() < 2 {
                continue;
            }
            let ids: Vec<String> = mine.iter().map(|(e, c)| node_id(*e, *c)).collect();
            for ((e, c), id) in mine.iter().zip(&ids) {
                *weight.entry(id.clone()).or_default() += 1.0;
                let label = format!("{} ({})", label_of(*e, *c), c.unwrap_or("?"));
                info.entry(id.clone())
                    .or_insert((Text::same(label), c.map(str::to_string), gi));
            }
            for i in 0..ids.len() {
                for j in i + 1..ids.len() {
                    let (a, b) = (
                        ids[i].clone().min(ids[j].clone()),
                        ids[i].clone().max(ids[j].clone()),
                    );
                    *pairs.entry((a, b)).or_default() += 1.0;
                }
            }
        }
    }
    // Keep the heaviest nodes.
    let mut by_w: Vec<(&String, &f64)> = weight.iter().collect();
    by_w.sort_by(|a, b| b.1.total_cmp(a.1).then(a.0.cmp(b.0)));
    let keep: BTreeSet<String> = by_w
        .iter()
        .take(max_nodes)
        .map(|(k, _)| (*k).clone())
        .collect();
    let nodes: Vec<(String, Text, f64)> = keep
        .iter()
        .map(|k| (k.clone(), info[k].0.clone(), weight[k]))
        .collect();
    let edges: Vec<(String, String, f64)> = pairs
        .into_iter()
        .filter(|((a, b), _)| keep.contains(a) && keep.contains(b))
        .map(|((a, b), w)| (a, b, w))
        .collect();
    let mut net = Network::build(
        "K3.intra.net",
        Text::new(
            format!("Intra-group networks: entities of the leading groups by economy, {period}"),
            format!("集团内部合作网络：主要集团在各经济体的主体（{period}年）"),
        ),
        ctx.counting.describe(),
        nodes,
        edges,
        params.seed.unwrap_or(SEED),
    );
    // Colour by group, not by detected community.
    for n in &mut net.nodes {
        n.community = info[&n.id].2;
    }
    let ids: Vec<String> = net.nodes.iter().map(|n| n.id.clone()).collect();
    let names: Vec<Text> = net.nodes.iter().map(|n| n.label.clone()).collect();
    let homes: Vec<Option<String>> = net.nodes.iter().map(|n| info[&n.id].1.clone()).collect();
    let mut t = node_table(
        ctx,
        &net,
        "K3.intra.net",
        Text::new("co-applications", "合作申请量"),
        node_columns(&ids, &names, &homes),
        "name_en",
    );
    t.params = params_map(params, &ctx.counting);
    let legend: Vec<String> = shown
        .iter()
        .enumerate()
        .map(|(i, g)| format!("{} = {}", i + 1, out.groups[*g].name.en))
        .collect();
    let legend_zh: Vec<String> = shown
        .iter()
        .enumerate()
        .map(|(i, g)| format!("{} = {}", i + 1, out.groups[*g].name.zh))
        .collect();
    t.notes.push(Text::new(
        format!(
            "Colours (community column) are groups: {}.",
            legend.join("; ")
        ),
        format!("颜色（社区列）表示集团：{}。", legend_zh.join("；")),
    ));
    t
}

/// The group network of one field; `None` when it has no links.
#[allow(clippy::too_many_arguments)]
fn field_network(
    ctx: &Ctx,
    out: &Harmonised,
    apps: &Apps<'_>,
    ids: &BTreeSet<i64>,
    cat: &innoscope_core::classify::Category,
    max_nodes: usize,
    params: &Params,
    period: &str,
) -> Option<ResultTable> {
    let mut weight: BTreeMap<usize, f64> = BTreeMap::new();
    let mut pairs: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    let mut economies: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    for id in ids {
        let Some(members) = apps.get(id) else {
            continue;
        };
        let groups: BTreeSet<usize> = members
            .iter()
            .filter(|m| out.groups[m.0].kind == Kind::Organisation)
            .map(|m| m.0)
            .collect();
        for m in members {
            if let Some(c) = m.2 {
                economies.entry(m.0).or_default().insert(c.to_string());
            }
        }
        for &g in &groups {
            *weight.entry(g).or_default() += 1.0;
        }
        let gs: Vec<usize> = groups.into_iter().collect();
        for i in 0..gs.len() {
            for j in i + 1..gs.len() {
                *pairs.entry((gs[i], gs[j])).or_default() += 1.0;
            }
        }
    }
    if pairs.is_empty() {
        return None;
    }
    // The groups with most links in the field.
    let mut degree: BTreeMap<usize, f64> = BTreeMap::new();
    for ((a, b), w) in &pairs {
        *degree.entry(*a).or_default() += w;
        *degree.entry(*b).or_default() += w;
    }
    let mut by_d: Vec<(usize, f64)> = degree.into_iter().collect();
    by_d.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then_with(|| out.groups[a.0].id.cmp(&out.groups[b.0].id))
    });
    let keep: BTreeSet<usize> = by_d.iter().take(max_nodes).map(|x| x.0).collect();
    let gid = |g: usize| out.groups[g].id.clone();
    let kept_pairs: Vec<(usize, usize, f64)> = pairs
        .iter()
        .filter(|((a, b), _)| keep.contains(a) && keep.contains(b))
        .map(|((a, b), w)| (*a, *b, *w))
        .collect();
    // Nodes whose links all lead outside the drawn set are left out too.
    let keep: BTreeSet<usize> = kept_pairs.iter().flat_map(|(a, b, _)| [*a, *b]).collect();
    let nodes: Vec<(String, Text, f64)> = keep
        .iter()
        .map(|g| (gid(*g), out.groups[*g].name.clone(), weight[g]))
        .collect();
    let edges: Vec<(String, String, f64)> = kept_pairs
        .iter()
        .map(|(a, b, w)| (gid(*a), gid(*b), *w))
        .collect();
    let id = format!("K3.field.{}", cat.id);
    let net = Network::build(
        &id,
        Text::new(
            format!(
                "{}: applicant network by corporate group, {period}",
                cat.name.en
            ),
            format!(
                "{}领域申请人合作网络（按企业集团，{period}年）",
                cat.name.zh
            ),
        ),
        ctx.counting.describe(),
        nodes,
        edges,
        params.seed.unwrap_or(SEED),
    );
    let by_id: BTreeMap<String, usize> = keep.iter().map(|g| (gid(*g), *g)).collect();
    let ids: Vec<String> = net.nodes.iter().map(|n| n.id.clone()).collect();
    let names: Vec<Text> = net.nodes.iter().map(|n| n.label.clone()).collect();
    let homes: Vec<Option<String>> = net
        .nodes
        .iter()
        .map(|n| out.groups[by_id[&n.id]].home.clone())
        .collect();
    let mut t = node_table(
        ctx,
        &net,
        &id,
        Text::new("co-applications in the field", "该领域合作申请量"),
        node_columns(&ids, &names, &homes),
        "name_en",
    );
    let hub = net
        .nodes
        .iter()
        .max_by(|a, b| {
            a.betweenness
                .total_cmp(&b.betweenness)
                .then(a.degree.total_cmp(&b.degree))
                .then_with(|| b.id.cmp(&a.id))
        })
        .filter(|n| n.betweenness > 0.0);
    match hub {
        Some(n) => {
            let g = by_id[&n.id];
            let econ = economies.get(&g).cloned().unwrap_or_default();
            let pattern = n.partners >= HUB_MIN_GROUPS;
            t.findings.push(Text::new(
                format!(
                    "Same-field multi-institution ({}): {} is the hub (betweenness {:.3}), linking {} groups{}; {}.",
                    cat.name.en,
                    n.label.en,
                    n.betweenness,
                    n.partners,
                    if econ.is_empty() { String::new() } else { format!(" from its entities in {}", econ_names(&econ, false)) },
                    if pattern { "the pattern holds" } else { "fewer than three: no multi-institution hub" }
                ),
                format!(
                    "同领域多机构合作（{}）：{}为枢纽（中介中心性{:.3}），连接{}个集团{}；{}。",
                    cat.name.zh,
                    n.label.zh,
                    n.betweenness,
                    n.partners,
                    if econ.is_empty() { String::new() } else { format!("（其主体位于{}）", econ_names(&econ, true)) },
                    if pattern { "符合该合作模式" } else { "不足三个，不构成多机构枢纽" }
                ),
            ));
        }
        None => t.findings.push(Text::new(
            format!(
                "Same-field multi-institution ({}): no group lies between others in this network.",
                cat.name.en
            ),
            format!(
                "同领域多机构合作（{}）：网络中没有位于其他集团之间的枢纽。",
                cat.name.zh
            ),
        )),
    }
    t.params = params_map(params, &ctx.counting);
    Some(t)
}
