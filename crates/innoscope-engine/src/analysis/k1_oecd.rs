//! K1 on open macro data: the OECD's patents with foreign co-inventors by
//! partner economy (`DSD_PATENTS@DF_PATENTS_COINVENTOR`, fetched by `fetch
//! oecd` or exported from the Data Explorer), for a user without patent
//! microdata. The same three tables as the microdata path (K1, K1.economies,
//! K1.network), each stating that it reads published indicators.
//!
//! The series are chosen by their SDMX dimension codes, never by position in
//! an indicator code. The counting conventions the request names must be in
//! the file (authority, date type); a dimension this module does not choose
//! on must have one code only. Anything else is an error that lists the
//! codes the file has, so that a changed code list is reported instead of
//! mis-read.

use std::collections::{BTreeMap, BTreeSet};

use innoscope_core::SeriesMeta;
use innoscope_core::network::Network;

use super::common::economy_columns;
use super::microdata_ctx::{MICRO_YEAR, SEED, hub_finding, name, pct, user_microdata, with_nodes};
use super::prelude::*;
use crate::Series;
use crate::microdata::{Authority, RoleParam, YearBasis};

/// The dataflow (as the SDMX importer names it in indicator codes).
pub(super) const FLOW: &str = "DF_PATENTS_COINVENTOR";

const AUTHORITY: &str = "PATENT_AUTHORITIES";
const DATE: &str = "DATE_TYPE";
const ROLE: &str = "AGENT_ROLE";
const UNIT: &str = "UNIT_MEASURE";
const PARTNER: &str = "COUNTERPART_AREA";
/// Number of patents, and percentage of the economy's patents (OECD codes).
const COUNT: &str = "PATN";
const SHARE: &str = "PT_PATN";

/// Whether K1 reads the OECD indicators: `--source` names a dataset holding
/// the flow, or no `--source`, no patent microdata of the user's own, and a
/// dataset holds the flow (the bundled microdata are a synthetic demo).
pub(super) fn applies(engine: &Engine, params: &Params) -> bool {
    if let Some(s) = params.source.as_deref() {
        return engine.sdmx_flow(FLOW, Some(s)).is_some();
    }
    !user_microdata(engine) && engine.sdmx_flow(FLOW, None).is_some()
}

/// The codes a file has for one dimension, with their labels, for messages.
fn codes_of(metas: &[&SeriesMeta], dim: &str) -> BTreeMap<String, String> {
    metas
        .iter()
        .flat_map(|m| m.dims.iter())
        .filter(|d| d.id == dim)
        .map(|d| (d.code.clone(), d.label.clone()))
        .collect()
}

fn listed(codes: &BTreeMap<String, String>) -> String {
    codes
        .iter()
        .map(|(c, l)| {
            if l.is_empty() {
                c.clone()
            } else {
                format!("{c} ({l})")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn unfit(param: &str, what: String, codes: &BTreeMap<String, String>, dim: &str) -> EngineError {
    EngineError::bad_param(
        param,
        format!(
            "{what}; the OECD co-inventor file has {dim} {}",
            listed(codes)
        ),
    )
}

/// The code of `dim` that the request asks for, or `None` when the file has
/// no such dimension (then it does not divide the series).
fn pick(
    metas: &[&SeriesMeta],
    dim: &str,
    param: &str,
    asked: &str,
    fits: impl Fn(&str, &str) -> bool,
) -> Result<Option<String>> {
    let codes = codes_of(metas, dim);
    if codes.is_empty() {
        return Ok(None);
    }
    let hits: Vec<&String> = codes
        .iter()
        .filter(|(c, l)| fits(c, &l.to_ascii_lowercase()))
        .map(|(c, _)| c)
        .collect();
    match hits.as_slice() {
        [one] => Ok(Some((*one).clone())),
        [] => Err(unfit(
            param,
            format!("no {dim} code is {asked}"),
            &codes,
            dim,
        )),
        _ => Err(unfit(
            param,
            format!("more than one {dim} code could be {asked}"),
            &codes,
            dim,
        )),
    }
}

/// What the request selects, in words for the basis line.
struct Choice {
    authority: Text,
    date: Text,
}

/// The count series (one per partner code) and share series of the
/// request, after checking that every other dimension is fixed.
struct Picked<'a> {
    counts: Vec<&'a SeriesMeta>,
    shares: Vec<&'a SeriesMeta>,
    choice: Choice,
}

fn select<'a>(metas: &[&'a SeriesMeta], params: &Params) -> Result<Picked<'a>> {
    if params.fractional == Some(true) {
        return Err(EngineError::bad_param(
            "fractional",
            "the OECD indicators are as the OECD counts them; fractional counting needs patent microdata (`innoscope import`)",
        ));
    }
    if let Some(r) = &params.role {
        let role: RoleParam = r
            .parse()
            .map_err(|e: String| EngineError::bad_param("role", e))?;
        if role == RoleParam::Applicants {
            return Err(EngineError::bad_param(
                "role",
                "the OECD indicators count co-inventors by country; pass --role inventors, or import patent microdata to count applicants",
            ));
        }
    }
    let authority: Authority = params
        .authority
        .as_deref()
        .unwrap_or("pct")
        .parse()
        .map_err(|e: String| EngineError::bad_param("authority", e))?;
    let (asked, auth_text) = match &authority {
        Authority::Pct => ("PCT applications", Text::new("PCT applications", "PCT申请")),
        Authority::Office(o) if o == "EP" => (
            "the European Patent Office",
            Text::new("EPO applications", "欧洲专利局（EPO）申请"),
        ),
        Authority::Office(o) if o == "US" => (
            "the USPTO",
            Text::new("USPTO applications", "美国专利商标局（USPTO）申请"),
        ),
        Authority::Office(_) | Authority::Any => {
            return Err(EngineError::bad_param(
                "authority",
                "the OECD indicators are by authority: pct, ep or us",
            ));
        }
    };
    let auth = pick(
        metas,
        AUTHORITY,
        "authority",
        asked,
        |c, l| match &authority {
            // 9P50_1 is the OECD's code for PCT applications (WIPO).
            Authority::Pct => {
                c == "9P50_1" || l.contains("pct") || l.contains("co-operation treaty")
            }
            Authority::Office(o) if o == "EP" => l.contains("epo") || l.contains("european patent"),
            _ => l.contains("uspto") || l.contains("united states patent"),
        },
    )?;
    let by_auth: Vec<&SeriesMeta> = metas
        .iter()
        .copied()
        .filter(|m| auth.as_deref().is_none_or(|a| m.dim(AUTHORITY) == Some(a)))
        .collect();
    let basis: Option<YearBasis> = match &params.year_basis {
        Some(y) => Some(
            y.parse()
                .map_err(|e: String| EngineError::bad_param("year-basis", e))?,
        ),
        None => None,
    };
    let dates = codes_of(&by_auth, DATE);
    let date = match basis {
        Some(YearBasis::Publication) => {
            return Err(unfit(
                "year-basis",
                "the OECD indicators are not by publication date".into(),
                &dates,
                DATE,
            ));
        }
        Some(b) => {
            let code = if b == YearBasis::Priority {
                "PRIORITY"
            } else {
                "APPLICATION"
            };
            pick(&by_auth, DATE, "year-basis", code, |c, _| c == code)?
        }
        // The OECD's patent statistics are by priority date by default.
        None if dates.contains_key("PRIORITY") => Some("PRIORITY".to_string()),
        None => pick(&by_auth, DATE, "year-basis", "one date type", |_, _| true)?,
    };
    let date_text = match date.as_deref() {
        Some("PRIORITY") => Text::new("priority date", "优先权日"),
        Some("APPLICATION") => Text::new("application date", "申请日"),
        Some(other) => Text::new(format!("date type {other}"), format!("日期类型 {other}")),
        None => Text::new("date as published", "按公布的日期口径"),
    };
    let by_date: Vec<&SeriesMeta> = by_auth
        .into_iter()
        .filter(|m| date.as_deref().is_none_or(|d| m.dim(DATE) == Some(d)))
        .collect();
    let roles = codes_of(&by_date, ROLE);
    let role = if roles.len() > 1 {
        pick(&by_date, ROLE, "role", "inventors", |c, _| c == "INVENTOR")?
    } else {
        None
    };
    let chosen: Vec<&SeriesMeta> = by_date
        .into_iter()
        .filter(|m| role.as_deref().is_none_or(|r| m.dim(ROLE) == Some(r)))
        .collect();
    let units = codes_of(&chosen, UNIT);
    let counts: Vec<&SeriesMeta> = chosen
        .iter()
        .copied()
        .filter(|m| m.dim(UNIT).is_none_or(|u| u == COUNT))
        .collect();
    if counts.is_empty() {
        return Err(unfit(
            "source",
            format!("no series counts patents ({UNIT} {COUNT})"),
            &units,
            UNIT,
        ));
    }
    // Every dimension not chosen on must have one code: two measures side
    // by side would otherwise be added up or shown as one.
    let fixed = [AUTHORITY, DATE, ROLE, UNIT, PARTNER];
    for d in counts.iter().flat_map(|m| m.dims.iter()) {
        if fixed.contains(&d.id.as_str()) {
            continue;
        }
        let codes = codes_of(&counts, &d.id);
        if codes.len() > 1 {
            return Err(EngineError::missing(
                format!(
                    "the OECD co-inventor series differ in {} ({}), which K1 does not choose on",
                    d.id,
                    listed(&codes)
                ),
                format!(
                    "import a file filtered to one {} (Data Explorer → filter → Download → CSV)",
                    d.id
                ),
            ));
        }
    }
    let shares = chosen
        .iter()
        .copied()
        .filter(|m| m.dim(UNIT) == Some(SHARE))
        .collect();
    Ok(Picked {
        counts,
        shares,
        choice: Choice {
            authority: auth_text,
            date: date_text,
        },
    })
}

/// Whether a partner code stands for "any foreign economy".
fn is_total(code: &str) -> bool {
    matches!(code, "W" | "_T" | "WLD" | "W0")
        || Registry::bundled()
            .by_code(code)
            .is_some_and(|e| e.family == "world")
}

/// A partner code as a country of the registry, if it is one.
fn country(code: &str) -> Option<String> {
    Registry::bundled()
        .by_code(code)
        .filter(|e| e.is_country())
        .map(|e| e.code.clone())
}

fn decimals(values: impl IntoIterator<Item = f64>) -> u8 {
    if values.into_iter().all(|v| v.fract() == 0.0) {
        0
    } else {
        1
    }
}

pub(super) async fn k1_oecd(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    let (info, metas) = engine
        .sdmx_flow(FLOW, params.source.as_deref())
        .ok_or_else(|| {
            EngineError::missing(
                "no dataset holds the OECD patents with foreign co-inventors",
                "`innoscope fetch oecd` gets them",
            )
        })?;
    let picked = select(&metas, params)?;
    let total_meta = picked
        .counts
        .iter()
        .copied()
        .filter(|m| m.dim(PARTNER).is_none_or(is_total))
        .collect::<Vec<_>>();
    let [total_meta] = total_meta.as_slice() else {
        let partners = codes_of(&picked.counts, PARTNER);
        return Err(EngineError::missing(
            format!(
                "the OECD co-inventor series have no single total over partners ({PARTNER} W or _T); they have {}",
                listed(&partners)
            ),
            "fetch the whole flow (`innoscope fetch oecd`) rather than a few partners",
        ));
    };
    let partner_metas: Vec<&SeriesMeta> = picked
        .counts
        .iter()
        .copied()
        .filter(|m| m.dim(PARTNER).and_then(country).is_some())
        .collect();
    let share_meta = picked
        .shares
        .iter()
        .copied()
        .find(|m| m.dim(PARTNER).is_none_or(is_total));
    let mut wanted = vec![*total_meta];
    wanted.extend(share_meta);
    wanted.extend(partner_metas.iter().copied());
    let loaded = engine.series_of(info, &wanted).await?;
    let total = &loaded[0];
    let share = share_meta.map(|_| &loaded[1]);
    let partner_series = &loaded[1 + usize::from(share.is_some())..];
    // partner code → series (its values: economy → year → patents with a
    // co-inventor there).
    let partners: BTreeMap<String, &Series> = partner_metas
        .iter()
        .zip(partner_series)
        .filter_map(|(m, s)| Some((m.dim(PARTNER).and_then(country)?, s)))
        .collect();

    let countries = |year: i32| -> Vec<(String, f64)> {
        let mut v: Vec<(String, f64)> = total
            .at(year)
            .filter(|(e, _)| country(e).is_some())
            .map(|(e, x)| (e.to_string(), x))
            .collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    };
    let years: BTreeSet<i32> = total
        .values
        .iter()
        .filter(|(e, _)| country(e).is_some())
        .flat_map(|(_, m)| m.keys().copied())
        .collect();
    let (Some(&first), Some(&last)) = (years.first(), years.last()) else {
        return Err(EngineError::missing(
            "the OECD co-inventor total has no values for any country",
            "`innoscope datasets --series oecd` lists what was imported",
        ));
    };
    let year = params.year.unwrap_or(MICRO_YEAR.min(last));
    if year < first || year > last {
        return Err(EngineError::bad_param(
            "year",
            format!("{year} is outside the OECD co-inventor years {first}–{last}"),
        ));
    }
    let n = params.top.unwrap_or(super::k1::K1_TOP);
    let mut sources = crate::series::merge_sources(&loaded.iter().collect::<Vec<_>>());
    for s in &mut sources {
        // One note for the flow, not an indicator per partner economy.
        let count = s.indicators.len();
        if count > 3 {
            s.indicators.truncate(2);
            s.indicators
                .push(format!("… {} more series of {FLOW}", count - 2));
        }
    }
    let basis = (
        Text::new("Basis", "数据口径"),
        Text::new(
            format!(
                "OECD Patent Statistics, patents with foreign co-inventors ({FLOW}): {}, {}, by inventors' economy. Published macro indicators, not counted from patent microdata: an economy's count is its patents with at least one co-inventor abroad, as the OECD counts them.",
                picked.choice.authority.en, picked.choice.date.en
            ),
            format!(
                "OECD专利统计，拥有外国共同发明人的专利（{FLOW}）：{}，{}，按发明人所在经济体。为已公布的宏观指标，并非由专利微观数据计数：某经济体的数量为至少有一名境外共同发明人的专利数（按OECD口径）。",
                picked.choice.authority.zh, picked.choice.date.zh
            ),
        ),
    );
    let head = |id: &str, title: Text| {
        let mut t = ResultTable::new(id, title);
        t.basis.push(basis.clone());
        t.sources = sources.clone();
        t.params = super::common::given_params(params);
        t.params.insert("basis".into(), "oecd".into());
        t.params.insert("year".into(), year.to_string());
        t
    };

    // K1: yearly, for the world when the OECD gives it, else summed.
    let world = total.values.get("WLD");
    let mut t = head(
        "K1",
        Text::new(
            "Patents with foreign co-inventors per year",
            "拥有外国共同发明人的专利（按年）",
        ),
    );
    let yearly: Vec<(i32, f64)> = match world {
        Some(w) => w.iter().map(|(y, v)| (*y, *v)).collect(),
        None => years
            .iter()
            .map(|&y| (y, countries(y).iter().map(|(_, v)| v).sum()))
            .collect(),
    };
    let dec = decimals(yearly.iter().map(|(_, v)| *v));
    t.columns.push(Column::int(
        "year",
        Text::new("Year", "年份"),
        None,
        yearly.iter().map(|(y, _)| Some(i64::from(*y))).collect(),
    ));
    t.columns.push(Column::float(
        "intl_applications",
        if world.is_some() {
            Text::new(
                "Patents with foreign co-inventors",
                "拥有外国共同发明人的专利",
            )
        } else {
            Text::new(
                "Sum over economies of patents with foreign co-inventors",
                "各经济体拥有外国共同发明人专利之和",
            )
        },
        None,
        dec,
        yearly.iter().map(|(_, v)| Some(*v)).collect(),
    ));
    let world_share = share.and_then(|s| s.values.get("WLD"));
    if let Some(ws) = world_share {
        t.columns.push(Column::float(
            "intl_share",
            Text::new("Share of patents", "占专利总量比重"),
            Some(Text::new("%", "%")),
            2,
            yearly.iter().map(|(y, _)| ws.get(y).copied()).collect(),
        ));
        t.figure = Some(Figure::BarsWithLine {
            label: "year".into(),
            bars: "intl_applications".into(),
            bar_unit: Text::new("patents", "件"),
            line: "intl_share".into(),
            line_unit: Text::new("%", "%"),
        });
    } else {
        t.figure = Some(Figure::GroupedBars {
            label: "year".into(),
            series: vec!["intl_applications".into()],
            unit: Text::new("patents", "件"),
        });
    }
    if world.is_none() {
        t.notes.push(Text::new(
            "The OECD file has no world total, so each year sums the economies: a patent co-invented in two economies counts in both.",
            "OECD文件没有全球合计，因此每年为各经济体之和：由两个经济体共同发明的专利在两者中各计一次。",
        ));
    }
    if let Some((_, v)) = yearly.iter().find(|(y, _)| *y == year) {
        t.findings.push(Text::new(
            format!(
                "In {year}, the OECD counts {v:.dec$} patents with foreign co-inventors{}.",
                if world.is_some() {
                    " in the world"
                } else {
                    " summed over economies"
                },
                dec = dec as usize
            ),
            format!(
                "{year}年，OECD统计的拥有外国共同发明人的专利{}为{v:.dec$}件。",
                if world.is_some() {
                    "全球"
                } else {
                    "（各经济体之和）"
                },
                dec = dec as usize
            ),
        ));
    }

    // K1.economies: the reference year.
    let ranked = countries(year);
    let top: Vec<&(String, f64)> = ranked.iter().take(n).collect();
    let codes: Vec<String> = top.iter().map(|(c, _)| c.clone()).collect();
    let partner_of = |e: &str| -> Vec<(String, f64)> {
        let mut v: Vec<(String, f64)> = partners
            .iter()
            .filter(|(p, _)| p.as_str() != e)
            .filter_map(|(p, s)| Some((p.clone(), s.get(e, year)?)))
            .filter(|(_, x)| *x > 0.0)
            .collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    };
    let mut e = head(
        "K1.economies",
        Text::new(
            format!("Patents with foreign co-inventors by economy, {year} (top {n})"),
            format!("{year}年各经济体拥有外国共同发明人的专利（前{n}位）"),
        ),
    );
    e.columns = economy_columns(&codes);
    let dec = decimals(top.iter().map(|(_, v)| *v));
    e.columns.push(Column::float(
        "intl_applications",
        Text::new(
            "Patents with foreign co-inventors",
            "拥有外国共同发明人的专利",
        ),
        None,
        dec,
        top.iter().map(|(_, v)| Some(*v)).collect(),
    ));
    if let Some(s) = share {
        e.columns.push(Column::float(
            "share_of_own",
            Text::new("Share of the economy's patents", "占本经济体专利比重"),
            Some(Text::new("%", "%")),
            2,
            codes.iter().map(|c| s.get(c, year)).collect(),
        ));
    }
    let world_now = world.and_then(|w| w.get(&year).copied());
    if let Some(w) = world_now.filter(|w| *w > 0.0) {
        e.columns.push(Column::float(
            "share_of_world",
            Text::new("Share of the world's", "占全球比重"),
            Some(Text::new("%", "%")),
            2,
            top.iter().map(|(_, v)| Some(pct(v / w))).collect(),
        ));
    }
    e.columns.push(Column::int(
        "rank",
        Text::new("Rank", "排名"),
        None,
        (1..=top.len() as i64).map(Some).collect(),
    ));
    let per: Vec<Vec<(String, f64)>> = codes.iter().map(|c| partner_of(c)).collect();
    if !partners.is_empty() {
        e.columns.push(Column::int(
            "partners",
            Text::new("Partner economies", "合作经济体数"),
            None,
            per.iter().map(|p| Some(p.len() as i64)).collect(),
        ));
        let first: Vec<Option<&(String, f64)>> = per.iter().map(|p| p.first()).collect();
        e.columns.push(Column::text(
            "top_partner",
            Text::new("Largest partner", "最大合作伙伴"),
            first.iter().map(|p| p.map(|(c, _)| c.clone())).collect(),
        ));
        e.columns.push(Column::text(
            "top_partner_en",
            Text::new("Largest partner", "最大合作伙伴（英文）"),
            first
                .iter()
                .map(|p| p.map(|(c, _)| name(c, false)))
                .collect(),
        ));
        e.columns.push(Column::text(
            "top_partner_zh",
            Text::new("Largest partner (zh)", "最大合作伙伴"),
            first
                .iter()
                .map(|p| p.map(|(c, _)| name(c, true)))
                .collect(),
        ));
        e.columns.push(Column::float(
            "top_partner_applications",
            Text::new("Patents co-invented with it", "与其共同发明的专利"),
            None,
            decimals(first.iter().flatten().map(|(_, v)| *v)),
            first.iter().map(|p| p.map(|(_, v)| *v)).collect(),
        ));
    }
    e.basis.push((
        Text::new("Shares", "比重"),
        Text::new(
            "a patent co-invented in several economies counts in each, so shares of the world's add up to more than 100%",
            "由多个经济体共同发明的专利在每个经济体中各计一次，因此占全球比重之和超过100%",
        ),
    ));
    if world_now.is_none() {
        e.notes.push(Text::new(
            "The OECD file has no world total: no share of the world's is shown.",
            "OECD文件没有全球合计，因此不列占全球比重。",
        ));
    }
    if let Some((c, v)) = top.first() {
        e.findings.push(Text::new(
            format!(
                "{} had the most patents with foreign co-inventors in {year} ({v:.dec$}).",
                name(c, false),
                dec = dec as usize
            ),
            format!(
                "{year}年{}拥有外国共同发明人的专利最多（{v:.dec$}件）。",
                name(c, true),
                dec = dec as usize
            ),
        ));
        if let Some(Some((p, _))) = per.first().map(|p| p.first()) {
            e.findings.push(Text::new(
                format!("Its largest partner is {}.", name(p, false)),
                format!("其最大合作伙伴是{}。", name(p, true)),
            ));
        }
    }

    // K1.network: among the top economies, each pair weighted by its
    // patents co-invented, the mean of the two directions the OECD reports.
    let mut edges = Vec::new();
    for (i, a) in codes.iter().enumerate() {
        for b in codes.iter().skip(i + 1) {
            let ab = partners.get(b).and_then(|s| s.get(a, year));
            let ba = partners.get(a).and_then(|s| s.get(b, year));
            let w = match (ab, ba) {
                (Some(x), Some(y)) => (x + y) / 2.0,
                (Some(x), None) | (None, Some(x)) => x,
                (None, None) => continue,
            };
            if w > 0.0 {
                edges.push((a.clone(), b.clone(), w));
            }
        }
    }
    let net = Network::build(
        "K1.network",
        Text::new(
            format!("Co-invention network of the top {n}, {year}"),
            format!("{year}年前{n}位经济体共同发明网络"),
        ),
        basis.1.clone(),
        top.iter()
            .map(|(c, v)| (c.clone(), Registry::bundled().names_of(c), *v)),
        edges,
        params.seed.unwrap_or(SEED),
    );
    let node_codes: Vec<String> = net.nodes.iter().map(|x| x.id.clone()).collect();
    let mut nt = with_nodes(
        head("K1.network", net.title.clone()),
        &net,
        Text::new("patents co-invented", "共同发明专利"),
        economy_columns(&node_codes),
        "economy",
    );
    for c in &mut nt.columns {
        if c.name == "weight" {
            c.label = Text::new(
                "Patents with foreign co-inventors",
                "拥有外国共同发明人的专利",
            );
        }
    }
    nt.basis.push((
        Text::new("Links", "连线"),
        Text::new(
            "a pair's weight is its patents co-invented, the mean of what the OECD reports for each side",
            "两经济体间连线权重为其共同发明专利数，取OECD对双方所报数值的平均",
        ),
    ));
    if partners.is_empty() {
        nt.notes.push(Text::new(
            "The OECD file has no partner breakdown, so the network has no links.",
            "OECD文件没有按合作伙伴的细分，因此网络没有连线。",
        ));
    }
    nt.findings.extend(hub_finding(&net));
    Ok(vec![t, e, nt])
}
