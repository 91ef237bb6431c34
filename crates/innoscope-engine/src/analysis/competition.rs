//! Competition chapter (§3.1): R&D input (C1, C2), PCT output (C4), IP trade
//! (C5) and ICT goods trade (C6).

use innoscope_core::{Column, Figure, Registry, ResultTable, Text};

use super::Params;
use super::common::*;
use super::param::w;
use super::registry::Numbering;
use super::registry::{Analysis, DefaultValue as D, YearShift, at, use_h};
use crate::Engine;
use crate::error::{EngineError, Result};
use crate::series::{Series, merge_sources};

const RD: &str = "GB.XPD.RSDV.GD.ZS";
const GDP: &str = "NY.GDP.MKTP.CD";
const FX: &str = "PA.NUS.FCRF";
const PPP: &str = "PA.NUS.PPP";

/// The series R&D analyses are computed from.
struct RdInputs {
    rd: Series,
    gdp: Series,
    fx: Series,
    ppp: Series,
}

impl RdInputs {
    async fn load(engine: &Engine, source: Option<&str>) -> Result<RdInputs> {
        Ok(RdInputs {
            rd: engine.series(RD, source).await?,
            gdp: engine.series(GDP, source).await?,
            fx: engine.series(FX, source).await?,
            ppp: engine.series(PPP, source).await?,
        })
    }

    fn gdp(&self, e: &str, y: i32, basis: PriceBasis) -> Option<f64> {
        let usd = self.gdp.get(e, y)?;
        match basis {
            PriceBasis::Usd => Some(usd),
            PriceBasis::Lcu => Some(usd * self.fx.get(e, y)?),
            PriceBasis::Ppp => Some(usd * self.fx.get(e, y)? / self.ppp.get(e, y)?),
        }
    }

    fn gerd(&self, e: &str, y: i32, basis: PriceBasis) -> Option<f64> {
        Some(self.rd.get(e, y)? / 100.0 * self.gdp(e, y, basis)?)
    }

    fn sources(&self) -> Vec<innoscope_core::SourceNote> {
        merge_sources(&[&self.rd, &self.gdp, &self.fx, &self.ppp])
    }

    /// The C1/C2 country set: top-`n` by GERD ∪ top-`n` by GERD/GDP in `year`.
    fn country_set(
        &self,
        params: &Params,
        year: i32,
    ) -> Result<(EconomySet, Vec<(String, &'static str)>)> {
        if let Some(set) = explicit_set(params, &[("report2021", &REPORT2021_RD)])? {
            let why = set.codes().iter().map(|c| (c.clone(), "given")).collect();
            return Ok((set, why));
        }
        let n = params.top.unwrap_or(RD_TOP);
        let codes: Vec<String> = self.rd.at(year).map(|(e, _)| e.to_string()).collect();
        let by_gerd = rank_countries(
            codes
                .iter()
                .filter_map(|e| Some((e.clone(), self.gerd(e, year, PriceBasis::Ppp)?))),
        );
        // "Large R&D spenders" only: micro-states with a high ratio but a tiny
        // GERD (Liechtenstein) do not enter the intensity ranking.
        let min_gerd = params.min_gerd.unwrap_or(MIN_GERD) * 1e9;
        let by_int = rank_countries(
            self.rd
                .at(year)
                .filter(|(e, _)| {
                    self.gerd(e, year, PriceBasis::Ppp)
                        .is_some_and(|g| g >= min_gerd)
                })
                .map(|(e, v)| (e.to_string(), v)),
        );
        if by_gerd.is_empty() {
            return Err(EngineError::missing(
                format!("no R&D data for {year}"),
                "choose another --year, or import newer WDI files (`innoscope import gb.xpd.rsdv.gd.zs.csv`)",
            ));
        }
        let top_g: Vec<String> = by_gerd.iter().take(n).map(|(c, _)| c.clone()).collect();
        let top_i: Vec<String> = by_int.iter().take(n).map(|(c, _)| c.clone()).collect();
        let mut set = union(&[&top_g, &top_i]);
        set.sort_by(|a, b| {
            let ga = self.gerd(a, year, PriceBasis::Ppp).unwrap_or(0.0);
            let gb = self.gerd(b, year, PriceBasis::Ppp).unwrap_or(0.0);
            gb.total_cmp(&ga).then_with(|| a.cmp(b))
        });
        let why = set
            .iter()
            .map(|c| {
                let w = match (top_g.contains(c), top_i.contains(c)) {
                    (true, true) => "both",
                    (true, false) => "gerd",
                    _ => "intensity",
                };
                (c.clone(), w)
            })
            .collect();
        Ok((EconomySet::Rule(set), why))
    }
}

fn set_basis(set: &EconomySet, year: i32, n: usize) -> (Text, Text) {
    let v = match set {
        EconomySet::Explicit(_) => Text::new("given by the user", "用户指定"),
        EconomySet::Preset(name, _) => {
            Text::new(format!("preset `{name}`"), format!("预设集合 `{name}`"))
        }
        EconomySet::Rule(_) => Text::new(
            format!(
                "union of the top-{n} countries by GERD (PPP $) and the top-{n} by GERD/GDP (among countries with GERD ≥ 0.5 bn PPP $) in {year}; aggregates excluded"
            ),
            format!(
                "{year}年研发支出（购买力平价美元）前{n}位与研发强度前{n}位（研发支出不低于5亿购买力平价美元的国家）的并集，不含国家集团"
            ),
        ),
    };
    (Text::new("Economies", "经济体范围"), v)
}

/// Top-N by GERD and by GERD/GDP whose union is the C1/C2 country set.
const RD_TOP: usize = 10;
/// Minimum GERD (bn PPP $) to enter the intensity ranking.
const MIN_GERD: f64 = 0.5;
const C1_YEAR: i32 = 2019;
const C1_BASE: i32 = 2009;

pub(super) const C1: Analysis = Analysis {
    id: "C1",
    name: "rd-growth",
    title: w("R&D growth vs GDP growth", "研发支出增长与GDP增长"),
    chapter: "competition",
    params: &[
        use_h(
            "year",
            D::Int(C1_YEAR as i64),
            w("reference year", "参考年份"),
        ),
        use_h(
            "base-year",
            D::Int(C1_BASE as i64),
            w("base year of the growth rates", "增长率的基期年份"),
        ),
        use_h(
            "top",
            D::Int(RD_TOP as i64),
            w(
                "top-N by GERD and by GERD/GDP whose union forms the country set",
                "按研发支出与研发强度各取前N位，其并集为经济体范围",
            ),
        ),
        use_h(
            "economies",
            D::None,
            w(
                "explicit country set instead of the rule",
                "指定经济体，取代选取规则",
            ),
        ),
        use_h(
            "preset",
            D::None,
            w(
                "report2021: the report's own 15 economies",
                "report2021：报告所用的15个经济体",
            ),
        ),
        use_h(
            "price-basis",
            D::Text("ppp"),
            w(
                "ppp (current PPP $), usd (current US$), lcu (national currency)",
                "ppp（现价购买力平价美元）、usd（现价美元）、lcu（本币）",
            ),
        ),
        use_h(
            "min-gerd",
            D::Float(MIN_GERD),
            w(
                "minimum GERD (bn PPP $) to enter the intensity ranking",
                "进入研发强度排名的最低研发支出（十亿购买力平价美元）",
            ),
        ),
        use_h(
            "source",
            D::Rule(w(
                "first dataset holding the series",
                "首个含有该序列的数据集",
            )),
            w("dataset to read", "读取的数据集"),
        ),
    ],
    own: &[],
    shared: &[],
    placements: &[at("3.1", "c1")],
    numbers: &[("C1", Numbering::Figure(2))],
    year_shift: YearShift::YearAndBase(10),
    run: |e, p| Box::pin(async move { Ok(vec![c1(e, p).await?]) }),
};

/// C1: growth of GERD vs growth of GDP.
pub async fn c1(engine: &Engine, params: &Params) -> Result<ResultTable> {
    let (year, base) = years(params, C1_YEAR, C1_BASE)?;
    let basis = params.price_basis.unwrap_or_default();
    let inputs = RdInputs::load(engine, params.source.as_deref()).await?;
    let (set, why) = inputs.country_set(params, year)?;
    let codes = set.codes().to_vec();
    let span = year - base;
    let mut gerd_ref = Vec::new();
    let mut intensity = Vec::new();
    let mut g_gerd = Vec::new();
    let mut g_gdp = Vec::new();
    let mut gap = Vec::new();
    let mut outgrew = Vec::new();
    let mut next_gerd = Vec::new();
    let mut next_gdp = Vec::new();
    for c in &codes {
        gerd_ref.push(inputs.gerd(c, year, basis).map(|v| v / 1e9));
        intensity.push(inputs.rd.get(c, year));
        let gg = cagr_of(|y| inputs.gerd(c, y, basis), base, year, span);
        let gd = cagr_of(|y| inputs.gdp(c, y, basis), base, year, span);
        let d = gg.zip(gd).map(|(a, b)| a - b);
        g_gerd.push(gg);
        g_gdp.push(gd);
        gap.push(d);
        outgrew.push(d.map(|d| d > 0.0));
        let change = |f: &dyn Fn(i32) -> Option<f64>| {
            f(year).zip(f(year + 1)).and_then(|(a, b)| pct_change(a, b))
        };
        next_gerd.push(change(&|y| inputs.gerd(c, y, basis)));
        next_gdp.push(change(&|y| inputs.gdp(c, y, basis)));
    }
    let mut t = ResultTable::new(
        "C1",
        Text::new(
            format!("Average annual growth of GERD and GDP, {base}–{year}"),
            format!("{base}-{year}年研发支出和GDP年均增长率"),
        ),
    );
    let unit_name = match basis {
        PriceBasis::Ppp => Text::new("bn PPP $", "十亿购买力平价美元"),
        PriceBasis::Usd => Text::new("bn US$", "十亿美元"),
        PriceBasis::Lcu => Text::new("bn national currency", "十亿本币"),
    };
    t.columns = economy_columns(&codes);
    t.columns.push(Column::text(
        "selected_by",
        Text::new("Selected by", "入选依据"),
        why.iter().map(|(_, w)| Some(w.to_string())).collect(),
    ));
    let pct = Some(Text::new("%", "%"));
    t.columns.push(Column::float(
        "gerd",
        Text::new(format!("GERD {year}"), format!("{year}年研发支出")),
        Some(unit_name),
        1,
        gerd_ref,
    ));
    t.columns.push(Column::float(
        "rd_intensity",
        Text::new(format!("GERD/GDP {year}"), format!("{year}年研发强度")),
        Some(Text::new("% of GDP", "占GDP%")),
        2,
        intensity,
    ));
    t.columns.push(Column::float(
        "gerd_cagr",
        Text::new("GERD growth (CAGR)", "研发支出年均增长率"),
        pct.clone(),
        2,
        g_gerd.clone(),
    ));
    t.columns.push(Column::float(
        "gdp_cagr",
        Text::new("GDP growth (CAGR)", "GDP年均增长率"),
        pct.clone(),
        2,
        g_gdp,
    ));
    t.columns.push(Column::float(
        "gap_pp",
        Text::new("Gap", "差距"),
        Some(Text::new("pp", "个百分点")),
        2,
        gap.clone(),
    ));
    t.columns.push(Column::bool(
        "rd_outgrew_gdp",
        Text::new("R&D outgrew GDP", "研发增速高于GDP"),
        outgrew.clone(),
    ));
    t.columns.push(Column::float(
        "gerd_change_next",
        Text::new(
            format!("GERD change {} vs {year}", year + 1),
            format!("{}年研发支出变化", year + 1),
        ),
        pct.clone(),
        1,
        next_gerd.clone(),
    ));
    t.columns.push(Column::float(
        "gdp_change_next",
        Text::new(
            format!("GDP change {} vs {year}", year + 1),
            format!("{}年GDP变化", year + 1),
        ),
        pct,
        1,
        next_gdp.clone(),
    ));
    t.basis
        .push((Text::new("Price basis", "价格口径"), basis.describe()));
    t.basis.push((
        Text::new("Years", "年份"),
        Text::new(
            format!("{base}→{year} ({span} annual steps)"),
            format!("{base}→{year}年（{span}个年度）"),
        ),
    ));
    t.basis
        .push(set_basis(&set, year, params.top.unwrap_or(RD_TOP)));
    t.sources = inputs.sources();
    t.notes.push(Text::new(
        "GERD = GERD/GDP × GDP. The open data have no constant-price GERD; both growth rates are in the same current-price basis, so their gap (and whether R&D outgrew GDP) does not depend on the deflator. Choose --price-basis usd or lcu for the other bases.",
        "研发支出=研发强度×GDP。公开数据没有不变价研发支出；两个增长率采用相同的现价口径，因此二者之差（研发是否快于GDP）不受价格平减指数影响。可用 --price-basis usd 或 lcu 切换口径。",
    ));
    // Findings.
    let with_gap: Vec<(String, f64)> = codes
        .iter()
        .cloned()
        .zip(gap.iter().copied())
        .filter_map(|(c, g)| Some((c, g?)))
        .collect();
    let mut ranked = with_gap.clone();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let k = ranked.iter().filter(|(_, g)| *g > 0.0).count();
    let n = ranked.len();
    if n > 0 {
        let top: Vec<(String, f64)> = ranked
            .iter()
            .filter(|(_, g)| *g > 0.0)
            .take(3)
            .cloned()
            .collect();
        let top_en: Vec<String> = top
            .iter()
            .map(|(c, g)| format!("{} ({} pp)", name(c, innoscope_core::Lang::En), signed(*g)))
            .collect();
        let top_zh: Vec<String> = top
            .iter()
            .map(|(c, g)| {
                format!(
                    "{}（高出{:.2}个百分点）",
                    name(c, innoscope_core::Lang::Zh),
                    g
                )
            })
            .collect();
        t.findings.push(Text::new(
            format!("From {base} to {year}, GERD grew faster than GDP in {k} of the {n} economies; the largest gaps: {}.", top_en.join(", ")),
            format!("{base}-{year}年，{n}个经济体中有{k}个研发支出年均增长率高于GDP年均增长率，其中{}。", top_zh.join("，")),
        ));
        let lagging: Vec<String> = ranked
            .iter()
            .filter(|(_, g)| *g <= 0.0)
            .map(|(c, _)| c.clone())
            .collect();
        if !lagging.is_empty() {
            let names = name_list(&lagging);
            t.findings.push(Text::new(
                format!("GERD grew no faster than GDP in {}.", names.en),
                format!("{}的研发支出增速未超过GDP增速。", names.zh),
            ));
        }
    }
    let both: Vec<(String, f64, f64)> = codes
        .iter()
        .zip(next_gerd.iter().zip(next_gdp.iter()))
        .filter_map(|(c, (a, b))| Some((c.clone(), (*a)?, (*b)?)))
        .collect();
    if !both.is_empty() {
        let faster = both.iter().filter(|(_, a, b)| a > b).count();
        t.findings.push(Text::new(
            format!("In {}, GERD rose faster than GDP in {faster} of the {} economies with data for that year.", year + 1, both.len()),
            format!("{}年有数据的{}个经济体中，{faster}个研发支出增速高于GDP。", year + 1, both.len()),
        ));
    }
    t.figure = Some(Figure::GroupedBars {
        label: "economy".into(),
        series: vec!["gerd_cagr".into(), "gdp_cagr".into()],
        unit: Text::new("% per year", "年均%"),
    });
    record_params(
        &mut t,
        params,
        &[
            ("year", year.to_string()),
            ("base_year", base.to_string()),
            ("price_basis", format!("{basis:?}").to_lowercase()),
        ],
    );
    Ok(t)
}

fn cagr_of(f: impl Fn(i32) -> Option<f64>, base: i32, year: i32, span: i32) -> Option<f64> {
    cagr(f(base)?, f(year)?, span)
}

fn record_params(t: &mut ResultTable, params: &Params, resolved: &[(&str, String)]) {
    for (k, v) in resolved {
        t.params.insert((*k).to_string(), v.clone());
    }
    if let Some(e) = &params.economies {
        t.params.insert("economies".into(), e.join(","));
    }
    if let Some(p) = &params.preset {
        t.params.insert("preset".into(), p.clone());
    }
    if let Some(s) = &params.source {
        t.params.insert("source".into(), s.clone());
    }
    if let Some(n) = params.top {
        t.params.insert("top".into(), n.to_string());
    }
}

/// Tier of a value: 1 when above the first threshold, …; thresholds.len()+1 below all.
fn tier(value: f64, thresholds: &[f64]) -> i64 {
    thresholds
        .iter()
        .position(|t| value > *t)
        .map_or(thresholds.len() as i64 + 1, |i| i as i64 + 1)
}

fn check_tiers(name: &str, t: &[f64]) -> Result<()> {
    if t.is_empty() || t.windows(2).any(|w| w[0] <= w[1]) || t.iter().any(|x| !x.is_finite()) {
        return Err(EngineError::bad_param(
            name,
            "thresholds must be finite numbers in descending order",
        ));
    }
    Ok(())
}

/// Units of `currency` per US$ in `year` from an exchange-rate series keyed
/// by economy: USD is 1; the euro is read from the euro area (`EMU`) first,
/// then from any member; other currencies from the first country using them.
fn rate_of(fx: &Series, currency: &str, year: i32) -> Option<f64> {
    if currency.is_empty() {
        return None;
    }
    if currency.eq_ignore_ascii_case("USD") {
        return Some(1.0);
    }
    if currency.eq_ignore_ascii_case("EUR")
        && let Some(r) = fx.get("EMU", year)
    {
        return Some(r);
    }
    Registry::bundled()
        .countries()
        .filter(|e| e.currency.eq_ignore_ascii_case(currency))
        .find_map(|e| fx.get(&e.code, year))
}

const C2_YEAR: i32 = 2019;
const C2_CURRENCY: &str = "CNY";
const C2_FX_SOURCE: &str = "wdi";
const C2_LEVEL_TIERS: &[f64] = &[1000.0, 300.0, 100.0, 50.0];
const C2_INTENSITY_TIERS: &[f64] = &[4.0, 3.0, 2.0, 1.0];

pub(super) const C2: Analysis = Analysis {
    id: "C2",
    name: "rd-level",
    title: w("R&D level, intensity and tiers", "研发支出总额、强度与梯队"),
    chapter: "competition",
    params: &[
        use_h(
            "year",
            D::Int(C2_YEAR as i64),
            w("reference year", "参考年份"),
        ),
        use_h(
            "currency",
            D::Text(C2_CURRENCY),
            w(
                "currency of GERD levels (ISO 4217)",
                "研发支出总额的币种（ISO 4217）",
            ),
        ),
        use_h(
            "fx-year",
            D::Rule(w(
                "year + 1 (the report used the 2020-12-31 rate for 2019 data)",
                "参考年份＋1（报告对2019年数据使用2020年12月31日的汇率）",
            )),
            w("year of the exchange rate", "汇率年份"),
        ),
        use_h(
            "fx-source",
            D::Text(C2_FX_SOURCE),
            w(
                "exchange-rate source: wdi (official rates) or fed (US Federal Reserve H.10)",
                "汇率来源：wdi（官方汇率）或 fed（美联储H.10）",
            ),
        ),
        use_h(
            "level-tiers",
            D::Floats(C2_LEVEL_TIERS),
            w(
                "tier thresholds in billions of the currency",
                "梯队门槛，以该币种十亿计",
            ),
        ),
        use_h(
            "intensity-tiers",
            D::Floats(C2_INTENSITY_TIERS),
            w("tier thresholds of GERD/GDP in %", "研发强度梯队门槛（%）"),
        ),
        use_h("top", D::Int(RD_TOP as i64), w("as C1", "同C1")),
        use_h(
            "economies",
            D::None,
            w("explicit country set", "指定经济体"),
        ),
        use_h("preset", D::None, w("report2021", "report2021")),
        use_h("min-gerd", D::Float(MIN_GERD), w("as C1", "同C1")),
        use_h(
            "source",
            D::Rule(w(
                "first dataset holding the series",
                "首个含有该序列的数据集",
            )),
            w("dataset to read", "读取的数据集"),
        ),
    ],
    own: &[],
    shared: &[],
    placements: &[at("3.1", "c2")],
    numbers: &[
        ("C2", Numbering::Figure(3)),
        ("C2.tiers", Numbering::Table(4)),
    ],
    year_shift: YearShift::Year,
    run: |e, p| Box::pin(c2(e, p)),
};

/// C2: GERD level in one currency, intensity, and tiers of both.
pub async fn c2(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    let year = params.year.unwrap_or(C2_YEAR);
    let fx_year = params.fx_year.unwrap_or(year + 1);
    let currency = params
        .currency
        .clone()
        .unwrap_or_else(|| C2_CURRENCY.into())
        .to_ascii_uppercase();
    let level_t = params
        .level_tiers
        .clone()
        .unwrap_or_else(|| C2_LEVEL_TIERS.to_vec());
    let int_t = params
        .intensity_tiers
        .clone()
        .unwrap_or_else(|| C2_INTENSITY_TIERS.to_vec());
    check_tiers("level-tiers", &level_t)?;
    check_tiers("intensity-tiers", &int_t)?;
    let inputs = RdInputs::load(engine, params.source.as_deref()).await?;
    let (set, _) = inputs.country_set(params, year)?;
    let mut codes = set.codes().to_vec();
    // Exchange rates: WDI's official rates (default) or the Fed's H.10.
    let fx_source = params
        .fx_source
        .clone()
        .unwrap_or_else(|| C2_FX_SOURCE.into());
    let fx_series = match fx_source.as_str() {
        "wdi" => inputs.fx.clone(),
        "fed" => engine.series("FED.H10.FX", None).await?,
        other => {
            return Err(EngineError::bad_param(
                "fx-source",
                format!("unknown exchange-rate source `{other}` (expected wdi or fed)"),
            ));
        }
    };
    let cur_rate = rate_of(&fx_series, &currency, fx_year).ok_or_else(|| {
        EngineError::bad_param(
            "currency",
            format!("no {fx_source} exchange rate for `{currency}` in {fx_year}; choose another --currency, --fx-year or --fx-source"),
        )
    })?;
    let reg = Registry::bundled();
    let currency_of = |c: &str| {
        reg.by_code(c)
            .map(|e| e.currency.clone())
            .unwrap_or_default()
    };
    // The report's method: GERD in national currency of the year, converted at
    // one date's cross rate (national currency → US$ → target currency).
    let level = |c: &str| -> Option<f64> {
        let lcu = inputs.gerd(c, year, PriceBasis::Lcu)?;
        let own_rate = rate_of(&fx_series, &currency_of(c), fx_year)?;
        Some(lcu / own_rate * cur_rate / 1e9)
    };
    let no_rate: Vec<String> = codes
        .iter()
        .filter(|c| {
            inputs.gerd(c, year, PriceBasis::Lcu).is_some()
                && rate_of(&fx_series, &currency_of(c), fx_year).is_none()
        })
        .cloned()
        .collect();
    codes.sort_by(|a, b| {
        level(b)
            .unwrap_or(f64::MIN)
            .total_cmp(&level(a).unwrap_or(f64::MIN))
            .then_with(|| a.cmp(b))
    });
    let levels: Vec<Option<f64>> = codes.iter().map(|c| level(c)).collect();
    let ints: Vec<Option<f64>> = codes.iter().map(|c| inputs.rd.get(c, year)).collect();
    let lt: Vec<Option<i64>> = levels
        .iter()
        .map(|v| v.map(|v| tier(v, &level_t)))
        .collect();
    let it: Vec<Option<i64>> = ints.iter().map(|v| v.map(|v| tier(v, &int_t))).collect();
    let mut t = ResultTable::new(
        "C2",
        Text::new(
            format!("GERD and R&D intensity, {year}"),
            format!("{year}年研发支出总额及占GDP比例"),
        ),
    );
    t.columns = economy_columns(&codes);
    t.columns.push(Column::float(
        "gerd",
        Text::new(format!("GERD {year}"), format!("{year}年研发支出")),
        Some(Text::new(
            format!("bn {currency}"),
            format!("十亿{currency}"),
        )),
        1,
        levels.clone(),
    ));
    t.columns.push(Column::float(
        "rd_intensity",
        Text::new("GERD/GDP", "研发强度"),
        Some(Text::new("% of GDP", "占GDP%")),
        2,
        ints.clone(),
    ));
    t.columns.push(Column::int(
        "level_tier",
        Text::new("Tier by GERD", "总额梯队"),
        None,
        lt.clone(),
    ));
    t.columns.push(Column::int(
        "intensity_tier",
        Text::new("Tier by intensity", "强度梯队"),
        None,
        it.clone(),
    ));
    t.basis.push((Text::new("Currency", "币种"), Text::new(
        format!("{currency}; GERD in national currency of {year} converted at the {fx_year} annual-average rates ({}, cross rate via US$)", fx_series.meta.source),
        format!("{currency}；{year}年本币研发支出按{fx_year}年年均汇率（{}，经美元套算）折算", fx_series.meta.source),
    )));
    t.basis
        .push(set_basis(&set, year, params.top.unwrap_or(RD_TOP)));
    t.sources = inputs.sources();
    if fx_source != "wdi" {
        t.sources.extend(merge_sources(&[&fx_series]));
    }
    if !no_rate.is_empty() {
        let n = name_list(&no_rate);
        t.notes.push(Text::new(
            format!("No {fx_year} exchange rate in the chosen source for {}: their GERD level is left empty.", n.en),
            format!("所选汇率来源缺少{}的{fx_year}年汇率，其研发支出总额留空。", n.zh),
        ));
    }
    t.notes.push(Text::new(
        "The report converted at the 31 Dec 2020 central parity (PBoC) and investing.com rates; innoscope uses annual averages from the open WDI series, so levels near a threshold can change tier.",
        "报告采用2020年12月31日人民币汇率中间价等折算；innoscope采用WDI公开年均汇率，接近阈值的经济体梯队可能不同。",
    ));
    t.figure = Some(Figure::BarsWithLine {
        label: "economy".into(),
        bars: "gerd".into(),
        bar_unit: Text::new(format!("bn {currency}"), format!("十亿{currency}")),
        line: "rd_intensity".into(),
        line_unit: Text::new("% of GDP", "占GDP%"),
    });
    let lead: Vec<String> = codes
        .iter()
        .zip(&lt)
        .filter(|(_, t)| **t == Some(1))
        .map(|(c, _)| c.clone())
        .collect();
    let mut by_int: Vec<(String, f64)> = codes
        .iter()
        .cloned()
        .zip(ints.iter().copied())
        .filter_map(|(c, v)| Some((c, v?)))
        .collect();
    by_int.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if !lead.is_empty() {
        let n = name_list(&lead);
        t.findings.push(Text::new(
            format!(
                "First tier by GERD (above {} bn {currency}): {}.",
                level_t[0], n.en
            ),
            format!(
                "研发支出总额第一梯队（超过{}十亿{currency}）：{}。",
                level_t[0], n.zh
            ),
        ));
    }
    if by_int.len() >= 2 {
        let (a, b) = (&by_int[0], &by_int[1]);
        t.findings.push(Text::new(
            format!(
                "By intensity, {} ({:.2}%) and {} ({:.2}%) lead.",
                name(&a.0, innoscope_core::Lang::En),
                a.1,
                name(&b.0, innoscope_core::Lang::En),
                b.1
            ),
            format!(
                "按研发强度，{}（{:.2}%）和{}（{:.2}%）领先。",
                name(&a.0, innoscope_core::Lang::Zh),
                a.1,
                name(&b.0, innoscope_core::Lang::Zh),
                b.1
            ),
        ));
    }
    record_params(
        &mut t,
        params,
        &[
            ("year", year.to_string()),
            ("currency", currency.clone()),
            ("fx_year", fx_year.to_string()),
            ("fx_source", fx_source.clone()),
        ],
    );
    // The tier table (Table 4).
    let n_tiers = level_t.len().max(int_t.len());
    let mut tiers = ResultTable::new(
        "C2.tiers",
        Text::new(
            format!("Tiers of GERD and R&D intensity, {year}"),
            format!("{year}年研发支出总额和强度梯队分布"),
        ),
    );
    let range = |t: &[f64], i: usize, unit: &str| -> String {
        match (i, t.get(i)) {
            (0, Some(lo)) => format!("> {lo}{unit}"),
            (_, Some(lo)) => format!("{lo}–{}{unit}", t[i - 1]),
            _ => String::new(),
        }
    };
    let members = |tiers_of: &[Option<i64>], k: i64| -> Vec<String> {
        codes
            .iter()
            .zip(tiers_of)
            .filter(|(_, t)| **t == Some(k))
            .map(|(c, _)| c.clone())
            .collect()
    };
    let mut col_tier = Vec::new();
    let (mut lr, mut le, mut lz, mut ir, mut ie, mut iz) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for i in 0..n_tiers {
        col_tier.push(Some(i as i64 + 1));
        let lm = name_list(&members(&lt, i as i64 + 1));
        let im = name_list(&members(&it, i as i64 + 1));
        lr.push(Some(range(&level_t, i, "")));
        le.push(Some(lm.en));
        lz.push(Some(lm.zh));
        ir.push(Some(range(&int_t, i, "%")));
        ie.push(Some(im.en));
        iz.push(Some(im.zh));
    }
    tiers.columns = vec![
        Column::int("tier", Text::new("Tier", "梯队"), None, col_tier),
        Column::text(
            "level_range",
            Text::new(
                format!("GERD range (bn {currency})"),
                format!("总额区间（十亿{currency}）"),
            ),
            lr,
        ),
        Column::text(
            "level_members_en",
            Text::new("By GERD", "按总额（英文）"),
            le,
        ),
        Column::text("level_members_zh", Text::new("By GERD (zh)", "按总额"), lz),
        Column::text(
            "intensity_range",
            Text::new("Intensity range", "强度区间"),
            ir,
        ),
        Column::text(
            "intensity_members_en",
            Text::new("By intensity", "按强度（英文）"),
            ie,
        ),
        Column::text(
            "intensity_members_zh",
            Text::new("By intensity (zh)", "按强度"),
            iz,
        ),
    ];
    tiers.basis = t.basis.clone();
    tiers.sources = t.sources.clone();
    tiers.params = t.params.clone();
    Ok(vec![t, tiers])
}

/// The counting basis of a PCT series, as its source defines it.
fn pct_basis(indicator: &str) -> Text {
    if indicator.starts_with("NCSES.") {
        Text::new(
            "publication year; economy = receiving office (≈ inventor location); EPO filings counted under the EPO, not their applicants' economies",
            "公布年；经济体为受理局（约等于发明人所在地）；向欧洲专利局提交的申请计入欧洲专利局而非申请人所在国",
        )
    } else if indicator.starts_with("WIPO.") {
        Text::new(
            "as exported from WIPO IPSDC (PCT: filing year, applicant origin)",
            "按WIPO统计数据库导出口径（PCT：申请年、申请人来源国）",
        )
    } else {
        Text::new("as published by the source", "按数据源口径")
    }
}

const C4_YEAR: i32 = 2020;
const C4_BASE: i32 = 2010;
const C4_TOP: usize = 20;
const C4_INDICATOR: &str = "NCSES.PCT.APPL";

pub(super) const C4: Analysis = Analysis {
    id: "C4",
    name: "pct-ranking",
    title: w(
        "PCT applications by economy: top-20 then and now",
        "PCT专利申请量前20位经济体对比",
    ),
    chapter: "competition",
    params: &[
        use_h(
            "year",
            D::Int(C4_YEAR as i64),
            w("reference year", "参考年份"),
        ),
        use_h(
            "base-year",
            D::Int(C4_BASE as i64),
            w("base year", "基期年份"),
        ),
        use_h(
            "top",
            D::Int(C4_TOP as i64),
            w("size of the ranking", "排名规模"),
        ),
        use_h(
            "source",
            D::Rule(w(
                "first dataset holding the indicator",
                "首个含有该指标的数据集",
            )),
            w("dataset to read", "读取的数据集"),
        ),
        use_h(
            "indicator",
            D::Text(C4_INDICATOR),
            w(
                "series of PCT applications by economy (e.g. a WIPO export)",
                "各经济体PCT申请量序列（如WIPO导出文件）",
            ),
        ),
    ],
    own: &[],
    shared: &[],
    placements: &[at("3.1", "c4")],
    numbers: &[("C4", Numbering::Figure(5))],
    year_shift: YearShift::YearAndBase(10),
    run: |e, p| Box::pin(async move { Ok(vec![c4(e, p).await?]) }),
};

/// C4 at economy level: PCT applications, top-N then and now.
pub async fn c4(engine: &Engine, params: &Params) -> Result<ResultTable> {
    let (year, base) = years(params, C4_YEAR, C4_BASE)?;
    let n = params.top.unwrap_or(C4_TOP);
    let indicator = params
        .indicator
        .clone()
        .unwrap_or_else(|| C4_INDICATOR.into());
    let s = engine.series(&indicator, params.source.as_deref()).await?;
    let rank_in = |y: i32| rank_countries(s.at(y).map(|(e, v)| (e.to_string(), v)));
    let (r_base, r_ref) = (rank_in(base), rank_in(year));
    if r_ref.is_empty() || r_base.is_empty() {
        return Err(EngineError::missing(
            format!(
                "{indicator} has no country values for {} ",
                if r_ref.is_empty() { year } else { base }
            ),
            "choose other years with --year/--base-year",
        ));
    }
    let pos =
        |r: &[(String, f64)], c: &str| r.iter().position(|(x, _)| x == c).map(|i| i as i64 + 1);
    let top_ref: Vec<String> = r_ref.iter().take(n).map(|(c, _)| c.clone()).collect();
    let top_base: Vec<String> = r_base.iter().take(n).map(|(c, _)| c.clone()).collect();
    let codes = union(&[&top_ref, &top_base]);
    let world = |y: i32, r: &[(String, f64)]| {
        s.get("WLD", y)
            .unwrap_or_else(|| r.iter().map(|(_, v)| v).sum())
    };
    let (w_base, w_ref) = (world(base, &r_base), world(year, &r_ref));
    let mut t = ResultTable::new(
        "C4",
        Text::new(
            format!("PCT applications: top-{n} economies, {base} and {year}"),
            format!("{base}年和{year}年PCT专利申请排名前{n}位经济体比较"),
        ),
    );
    let rb: Vec<Option<i64>> = codes.iter().map(|c| pos(&r_base, c)).collect();
    let rr: Vec<Option<i64>> = codes.iter().map(|c| pos(&r_ref, c)).collect();
    let status: Vec<Option<String>> = codes
        .iter()
        .map(|c| {
            Some(
                match (top_base.contains(c), top_ref.contains(c)) {
                    (true, true) => "stayed",
                    (false, true) => "entered",
                    _ => "left",
                }
                .to_string(),
            )
        })
        .collect();
    t.columns = economy_columns(&codes);
    t.columns.push(Column::float(
        "applications_base",
        Text::new(format!("Applications {base}"), format!("{base}年申请量")),
        None,
        0,
        codes.iter().map(|c| s.get(c, base)).collect(),
    ));
    t.columns.push(Column::int(
        "rank_base",
        Text::new(format!("Rank {base}"), format!("{base}年排名")),
        None,
        rb.clone(),
    ));
    t.columns.push(Column::float(
        "applications",
        Text::new(format!("Applications {year}"), format!("{year}年申请量")),
        None,
        0,
        codes.iter().map(|c| s.get(c, year)).collect(),
    ));
    t.columns.push(Column::int(
        "rank",
        Text::new(format!("Rank {year}"), format!("{year}年排名")),
        None,
        rr.clone(),
    ));
    t.columns.push(Column::int(
        "rank_change",
        Text::new("Places gained", "名次变化"),
        None,
        rb.iter()
            .zip(&rr)
            .map(|(a, b)| Some((*a)? - (*b)?))
            .collect(),
    ));
    t.columns.push(Column::text(
        "status",
        Text::new(format!("Top-{n} status"), format!("前{n}位变化")),
        status,
    ));
    t.columns.push(Column::float(
        "world_share",
        Text::new(
            format!("Share of world {year}"),
            format!("{year}年占全球份额"),
        ),
        Some(Text::new("%", "%")),
        2,
        codes
            .iter()
            .map(|c| s.get(c, year).map(|v| v / w_ref * 100.0))
            .collect(),
    ));
    let share =
        |r: &[(String, f64)], w: f64| r.iter().take(n).map(|(_, v)| v).sum::<f64>() / w * 100.0;
    let (sb, sr) = (share(&r_base, w_base), share(&r_ref, w_ref));
    t.basis.push((
        Text::new("Counting basis", "统计口径"),
        pct_basis(&indicator),
    ));
    t.basis.push((
        Text::new("World total", "全球总量"),
        if s.get("WLD", year).is_some() {
            Text::new("the source's World row", "数据源的全球合计")
        } else {
            Text::new("sum of the countries in the source", "数据源中各国合计")
        },
    ));
    t.sources = merge_sources(&[&s]);
    if indicator.starts_with("NCSES.") {
        t.notes.push(Text::new(
            "NCSES counts by receiving office: European economies filing through the EPO are undercounted (Germany ≈1.6k instead of ≈18k), so this ranking differs from WIPO's applicant-origin ranking used by the report. Import a WIPO export (`--format wipo`) and pass --indicator to rank by applicant origin.",
            "NCSES按受理局统计：通过欧洲专利局提交申请的欧洲国家被低估（德国约1.6千件而非约1.8万件），因此排名与报告所用WIPO申请人来源国口径不同。可导入WIPO导出文件（--format wipo）并用 --indicator 指定。",
        ));
    }
    let leader = &r_ref[0].0;
    let entered: Vec<String> = codes
        .iter()
        .filter(|c| !top_base.contains(c))
        .cloned()
        .collect();
    let left: Vec<String> = codes
        .iter()
        .filter(|c| !top_ref.contains(c))
        .cloned()
        .collect();
    t.findings.push(Text::new(
        format!("The top-{n} economies filed {sb:.1}% of the world's PCT applications in {base} and {sr:.1}% in {year}."),
        format!("前{n}位经济体的PCT申请量占全球的比重从{base}年的{sb:.1}%变为{year}年的{sr:.1}%。"),
    ));
    let lb = pos(&r_base, leader)
        .map(|p| p.to_string())
        .unwrap_or_else(|| "—".into());
    t.findings.push(Text::new(
        format!(
            "{} ranks first in {year} (rank {lb} in {base}).",
            name(leader, innoscope_core::Lang::En)
        ),
        format!(
            "{year}年{}排名第一（{base}年第{lb}位）。",
            name(leader, innoscope_core::Lang::Zh)
        ),
    ));
    if !entered.is_empty() || !left.is_empty() {
        let (e, l) = (name_list(&entered), name_list(&left));
        t.findings.push(Text::new(
            format!(
                "Entered the top-{n}: {}; left it: {}.",
                or_none(&e.en),
                or_none(&l.en)
            ),
            format!(
                "进入前{n}位：{}；跌出前{n}位：{}。",
                or_none_zh(&e.zh),
                or_none_zh(&l.zh)
            ),
        ));
    }
    t.figure = Some(Figure::RankChange {
        label: "economy".into(),
        rank_from: "rank_base".into(),
        rank_to: "rank".into(),
        from: Text::same(base.to_string()),
        to: Text::same(year.to_string()),
    });
    t.params.insert("top_share_base".into(), format!("{sb:.2}"));
    t.params.insert("top_share".into(), format!("{sr:.2}"));
    record_params(
        &mut t,
        params,
        &[
            ("year", year.to_string()),
            ("base_year", base.to_string()),
            ("indicator", indicator.clone()),
        ],
    );
    Ok(t)
}

fn or_none(s: &str) -> String {
    if s.is_empty() {
        "none".into()
    } else {
        s.to_string()
    }
}

fn or_none_zh(s: &str) -> String {
    if s.is_empty() {
        "无".into()
    } else {
        s.to_string()
    }
}

/// Chinese name of a UN M49 region.
fn region_zh(region: &str) -> String {
    match region {
        "Asia" => "亚洲",
        "Europe" => "欧洲",
        "Americas" => "美洲",
        "Africa" => "非洲",
        "Oceania" => "大洋洲",
        other => other,
    }
    .to_string()
}

/// Divisor that turns values in `unit` into billions of US$.
pub(super) fn usd_per_billion(unit: &str) -> f64 {
    let u = unit.to_ascii_lowercase();
    if u.contains("thousand") {
        1e6
    } else if u.contains("million") {
        1e3
    } else if u.contains("billion") {
        1.0
    } else {
        1e9
    }
}

/// Exports and imports of one trade flow (IP charges, ICT goods…).
pub(super) struct TradeSet {
    pub exp: Series,
    pub imp: Option<Series>,
    pub codes: Vec<String>,
}

pub(super) async fn trade_set(
    engine: &Engine,
    params: &Params,
    exp: &str,
    imp: Option<&str>,
    year: i32,
) -> Result<TradeSet> {
    let exp_s = engine.series(exp, params.source.as_deref()).await?;
    let imp_s = match imp {
        Some(i) => Some(engine.series(i, params.source.as_deref()).await?),
        None => None,
    };
    let n = params.top.unwrap_or(TRADE_TOP);
    let codes = match explicit_set(params, &[])? {
        Some(set) => set.codes().to_vec(),
        None => {
            let te = top_countries(&exp_s, year, n);
            let ti = imp_s
                .as_ref()
                .map(|s| top_countries(s, year, n))
                .unwrap_or_default();
            let mut u = union(&[&te, &ti]);
            u.sort_by(|a, b| {
                exp_s
                    .get(b, year)
                    .unwrap_or(0.0)
                    .total_cmp(&exp_s.get(a, year).unwrap_or(0.0))
                    .then_with(|| a.cmp(b))
            });
            u
        }
    };
    if codes.is_empty() {
        return Err(EngineError::missing(
            format!("no country has {exp} in {year}"),
            "choose another --year",
        ));
    }
    Ok(TradeSet {
        exp: exp_s,
        imp: imp_s,
        codes,
    })
}

/// World total of a series in `year`: the World row, and how much of it the
/// countries in the source cover.
pub(super) fn world_and_coverage(s: &Series, year: i32) -> (Option<f64>, f64) {
    let reg = Registry::bundled();
    let countries: f64 = s
        .at(year)
        .filter(|(e, _)| reg.by_code(e).is_some_and(|x| x.is_country()))
        .map(|(_, v)| v)
        .sum();
    let w = s.get("WLD", year);
    (w, w.map_or(f64::NAN, |w| countries / w * 100.0))
}

/// Top-N exporters and importers whose union is a trade analysis' set (C5, C6, F1).
pub(super) const TRADE_TOP: usize = 10;
/// Reference year of the trade analyses (C5, C6).
const TRADE_YEAR: i32 = 2020;

pub(super) const C5: Analysis = Analysis {
    id: "C5",
    name: "ip-trade",
    title: w("Trade in intellectual property", "知识产权进出口"),
    chapter: "competition",
    params: &[
        use_h(
            "year",
            D::Int(TRADE_YEAR as i64),
            w("reference year", "参考年份"),
        ),
        use_h(
            "top",
            D::Int(TRADE_TOP as i64),
            w(
                "top-N exporters and importers whose union forms the set",
                "出口与进口各取前N位，其并集为经济体范围",
            ),
        ),
        use_h(
            "source",
            D::Rule(w(
                "first dataset holding the series (WDI)",
                "首个含有该序列的数据集（WDI）",
            )),
            w("dataset to read", "读取的数据集"),
        ),
        use_h("economies", D::None, w("explicit set", "指定经济体")),
    ],
    own: &[],
    shared: &[],
    placements: &[at("3.1", "c5")],
    numbers: &[("C5", Numbering::Figure(6))],
    year_shift: YearShift::Year,
    run: |e, p| Box::pin(async move { Ok(vec![c5(e, p).await?]) }),
};

/// C5: IP trade (charges for the use of intellectual property).
pub async fn c5(engine: &Engine, params: &Params) -> Result<ResultTable> {
    let year = params.year.unwrap_or(TRADE_YEAR);
    let ts = trade_set(
        engine,
        params,
        "BX.GSR.ROYL.CD",
        Some("BM.GSR.ROYL.CD"),
        year,
    )
    .await?;
    let imp = ts.imp.as_ref().expect("imports requested");
    let (w_exp, cov_exp) = world_and_coverage(&ts.exp, year);
    let (w_imp, cov_imp) = world_and_coverage(imp, year);
    let codes = &ts.codes;
    let e: Vec<Option<f64>> = codes
        .iter()
        .map(|c| ts.exp.get(c, year).map(|v| v / 1e9))
        .collect();
    let i: Vec<Option<f64>> = codes
        .iter()
        .map(|c| imp.get(c, year).map(|v| v / 1e9))
        .collect();
    let net: Vec<Option<f64>> = e.iter().zip(&i).map(|(a, b)| Some((*a)? - (*b)?)).collect();
    let share = |v: &[Option<f64>], w: Option<f64>| -> Vec<Option<f64>> {
        v.iter().map(|x| Some((*x)? * 1e9 / w? * 100.0)).collect()
    };
    let mut t = ResultTable::new(
        "C5",
        Text::new(
            format!("Trade in intellectual property, {year}"),
            format!("{year}年知识产权进出口大国分布"),
        ),
    );
    let bn = Some(Text::new("bn US$", "十亿美元"));
    let pct = Some(Text::new("% of world", "占全球%"));
    t.columns = economy_columns(codes);
    t.columns.push(Column::float(
        "exports",
        Text::new("IP exports (receipts)", "知识产权出口"),
        bn.clone(),
        2,
        e.clone(),
    ));
    t.columns.push(Column::float(
        "imports",
        Text::new("IP imports (payments)", "知识产权进口"),
        bn.clone(),
        2,
        i.clone(),
    ));
    t.columns.push(Column::float(
        "net",
        Text::new("Net balance", "净出口"),
        bn,
        2,
        net.clone(),
    ));
    t.columns.push(Column::float(
        "export_share",
        Text::new("Share of world exports", "出口占全球份额"),
        pct.clone(),
        1,
        share(&e, w_exp),
    ));
    t.columns.push(Column::float(
        "import_share",
        Text::new("Share of world imports", "进口占全球份额"),
        pct,
        1,
        share(&i, w_imp),
    ));
    t.columns.push(Column::bool(
        "surplus",
        Text::new("Surplus", "顺差"),
        net.iter().map(|n| n.map(|n| n > 0.0)).collect(),
    ));
    let n = params.top.unwrap_or(TRADE_TOP);
    t.basis.push((Text::new("Economies", "经济体范围"), Text::new(
        format!("union of the top-{n} exporters and top-{n} importers in {year}; aggregates excluded"),
        format!("{year}年出口前{n}位与进口前{n}位的并集，不含国家集团"),
    )));
    t.basis.push((Text::new("World total", "全球总量"), Text::new(
        format!("World Bank World aggregate; countries reporting cover {cov_exp:.0}% of exports and {cov_imp:.0}% of imports"),
        format!("世界银行全球合计；有数据的国家覆盖出口的{cov_exp:.0}%、进口的{cov_imp:.0}%"),
    )));
    t.sources = merge_sources(&[&ts.exp, imp]);
    let sum = |v: &[Option<f64>]| v.iter().flatten().sum::<f64>() * 1e9;
    let (se, si) = (
        w_exp.map(|w| sum(&e) / w * 100.0),
        w_imp.map(|w| sum(&i) / w * 100.0),
    );
    if let (Some(se), Some(si)) = (se, si) {
        t.findings.push(Text::new(
            format!("These {} economies account for {se:.0}% of world IP exports and {si:.0}% of imports.", codes.len()),
            format!("这{}个知识产权进出口大国的出口额占世界总量的{se:.0}%，进口额占{si:.0}%。", codes.len()),
        ));
    }
    let top3 = |s: &Series, w: Option<f64>| -> Option<(Vec<String>, f64)> {
        let r = rank_countries(s.at(year).map(|(e, v)| (e.to_string(), v)));
        let c: Vec<String> = r.iter().take(3).map(|(c, _)| c.clone()).collect();
        Some((
            c,
            r.iter().take(3).map(|(_, v)| v).sum::<f64>() / w? * 100.0,
        ))
    };
    if let (Some((ce, xe)), Some((ci, xi))) = (top3(&ts.exp, w_exp), top3(imp, w_imp)) {
        let (ne, ni) = (name_list(&ce), name_list(&ci));
        t.findings.push(Text::new(
            format!("The top-3 exporters ({}) hold {xe:.0}% of world exports; the top-3 importers ({}) {xi:.0}% of imports.", ne.en, ni.en),
            format!("前三大出口国{}的出口额占世界总量的{xe:.0}%，前三大进口国{}的进口额占{xi:.0}%。", ne.zh, ni.zh),
        ));
    }
    let mut nets: Vec<(String, f64)> = codes
        .iter()
        .cloned()
        .zip(net.iter().copied())
        .filter_map(|(c, v)| Some((c, v?)))
        .collect();
    nets.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if let (Some(hi), Some(lo)) = (nets.first(), nets.last())
        && hi.1 > 0.0
        && lo.1 < 0.0
    {
        t.findings.push(Text::new(
            format!(
                "Largest surplus: {} (US${:.1} bn); largest deficit: {} (US${:.1} bn).",
                name(&hi.0, innoscope_core::Lang::En),
                hi.1,
                name(&lo.0, innoscope_core::Lang::En),
                -lo.1
            ),
            format!(
                "最大顺差国为{}（{:.1}十亿美元），最大逆差国为{}（{:.1}十亿美元）。",
                name(&hi.0, innoscope_core::Lang::Zh),
                hi.1,
                name(&lo.0, innoscope_core::Lang::Zh),
                -lo.1
            ),
        ));
    }
    t.figure = Some(Figure::Bubble {
        label: "economy".into(),
        x: "exports".into(),
        y: "imports".into(),
        size: "net".into(),
        filled: "surplus".into(),
        unit: Text::new("bn US$", "十亿美元"),
    });
    record_params(&mut t, params, &[("year", year.to_string())]);
    Ok(t)
}

pub(super) const C6: Analysis = Analysis {
    id: "C6",
    name: "ict-trade",
    title: w("ICT goods trade", "ICT产品贸易"),
    chapter: "competition",
    params: &[
        use_h(
            "year",
            D::Int(TRADE_YEAR as i64),
            w("reference year", "参考年份"),
        ),
        use_h(
            "top",
            D::Int(TRADE_TOP as i64),
            w("top-N exporters and importers", "出口与进口各取前N位"),
        ),
        use_h(
            "source",
            D::Rule(w(
                "first dataset holding UNCTAD.ICT.EXP, else the high-tech proxy",
                "首个含有UNCTAD.ICT.EXP的数据集，否则用高技术产品出口替代",
            )),
            w("dataset to read", "读取的数据集"),
        ),
        use_h("economies", D::None, w("explicit set", "指定经济体")),
    ],
    own: &[],
    shared: &[],
    placements: &[at("3.1", "c6")],
    numbers: &[
        ("C6", Numbering::Figure(7)),
        ("C6.categories", Numbering::Figure(20)),
    ],
    year_shift: YearShift::Year,
    run: |e, p| Box::pin(c6(e, p)),
};

/// C6: ICT goods trade from UNCTAD series when imported, else the World
/// Bank's high-technology exports as a clearly labelled proxy.
pub async fn c6(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    let year = params.year.unwrap_or(TRADE_YEAR);
    let has_ict = !engine.datasets_with("UNCTAD.ICT.EXP").is_empty();
    let (exp, imp, proxy) = if has_ict {
        ("UNCTAD.ICT.EXP", Some("UNCTAD.ICT.IMP"), false)
    } else {
        ("TX.VAL.TECH.CD", None, true)
    };
    let ts = trade_set(engine, params, exp, imp, year).await?;
    let codes = &ts.codes;
    let scale = usd_per_billion(&ts.exp.meta.unit);
    let e: Vec<Option<f64>> = codes
        .iter()
        .map(|c| ts.exp.get(c, year).map(|v| v / scale))
        .collect();
    let eg: Vec<Option<f64>> = codes
        .iter()
        .map(|c| pct_change(ts.exp.get(c, year - 1)?, ts.exp.get(c, year)?))
        .collect();
    let reg = Registry::bundled();
    let region: Vec<Option<String>> = codes
        .iter()
        .map(|c| reg.by_code(c).map(|e| e.region.clone()))
        .collect();
    let title = if proxy {
        Text::new(
            format!("High-technology exports (proxy for ICT goods trade), {year}"),
            format!("{year}年高技术产品出口（ICT产品贸易的替代指标）"),
        )
    } else {
        Text::new(
            format!("ICT goods trade, {year}"),
            format!("{year}年ICT产品贸易大国进出口情况"),
        )
    };
    let mut t = ResultTable::new("C6", title);
    let bn = Some(Text::new("bn US$", "十亿美元"));
    let pct = Some(Text::new("%", "%"));
    t.columns = economy_columns(codes);
    t.columns.push(Column::text(
        "region_en",
        Text::new("Region", "地区（英文）"),
        region.clone(),
    ));
    t.columns.push(Column::text(
        "region_zh",
        Text::new("Region (zh)", "地区"),
        region.iter().map(|r| r.as_deref().map(region_zh)).collect(),
    ));
    t.columns.push(Column::float(
        "exports",
        Text::new("Exports", "出口"),
        bn.clone(),
        1,
        e,
    ));
    t.columns.push(Column::float(
        "export_growth",
        Text::new(format!("Export growth vs {}", year - 1), "出口增速"),
        pct.clone(),
        1,
        eg,
    ));
    if let Some(imp) = &ts.imp {
        let i: Vec<Option<f64>> = codes
            .iter()
            .map(|c| imp.get(c, year).map(|v| v / scale))
            .collect();
        let ig: Vec<Option<f64>> = codes
            .iter()
            .map(|c| pct_change(imp.get(c, year - 1)?, imp.get(c, year)?))
            .collect();
        let bal: Vec<Option<f64>> = codes
            .iter()
            .map(|c| Some((ts.exp.get(c, year)? - imp.get(c, year)?) / scale))
            .collect();
        t.columns.push(Column::float(
            "imports",
            Text::new("Imports", "进口"),
            bn.clone(),
            1,
            i,
        ));
        t.columns.push(Column::float(
            "import_growth",
            Text::new(format!("Import growth vs {}", year - 1), "进口增速"),
            pct,
            1,
            ig,
        ));
        t.columns.push(Column::float(
            "balance",
            Text::new("Balance", "差额"),
            bn,
            1,
            bal,
        ));
    }
    let n = params.top.unwrap_or(TRADE_TOP);
    if proxy {
        t.basis.push((Text::new("Series", "指标"), Text::new(
            "PROXY: World Bank high-technology exports (UN Comtrade, SITC high-tech list), exports only — not UNCTAD's ICT goods. Import an UNCTADstat ICT goods file for the real series.",
            "替代指标：世界银行高技术产品出口（仅出口），并非UNCTAD的ICT产品贸易数据。导入UNCTADstat ICT产品贸易文件后使用真实数据。",
        )));
        t.basis.push((
            Text::new("Economies", "经济体范围"),
            Text::new(
                format!("top-{n} exporters in {year}"),
                format!("{year}年出口前{n}位"),
            ),
        ));
    } else {
        t.basis.push((
            Text::new("Economies", "经济体范围"),
            Text::new(
                format!("union of the top-{n} exporters and importers in {year}"),
                format!("{year}年出口前{n}位与进口前{n}位的并集"),
            ),
        ));
    }
    let asia = region
        .iter()
        .filter(|r| r.as_deref() == Some("Asia"))
        .count();
    t.findings.push(Text::new(
        format!("{asia} of the {} economies are in Asia.", codes.len()),
        format!("{}个经济体中有{asia}个来自亚洲。", codes.len()),
    ));
    let srcs: Vec<&Series> = std::iter::once(&ts.exp).chain(ts.imp.iter()).collect();
    t.sources = merge_sources(&srcs);
    t.figure = Some(Figure::DivergingBars {
        label: "economy".into(),
        series: if proxy {
            vec!["export_growth".into()]
        } else {
            vec!["export_growth".into(), "import_growth".into()]
        },
        unit: Text::new(format!("% vs {}", year - 1), format!("较{}年%", year - 1)),
    });
    record_params(&mut t, params, &[("year", year.to_string())]);
    let mut out = vec![t];
    if !proxy && let Some(cat) = ict_categories(engine, params, year).await? {
        out.push(cat);
    }
    Ok(out)
}

/// ICT goods categories of UNCTADstat, in the report's order (Fig 20).
const ICT_CATEGORIES: [(&str, &str, &str); 5] = [
    ("COMPONENTS", "Electronic components", "电子元件"),
    (
        "COMPUTERS",
        "Computers and peripheral equipment",
        "计算机及周边设备",
    ),
    ("COMMUNICATION", "Communication equipment", "通信设备"),
    ("CONSUMER", "Consumer electronic equipment", "消费电子设备"),
    ("OTHER", "Other ICT goods", "其他ICT产品"),
];

/// C6 by category: world exports and imports per ICT category and their growth.
async fn ict_categories(
    engine: &Engine,
    params: &Params,
    year: i32,
) -> Result<Option<ResultTable>> {
    let world = "WLD";
    let mut rows = Vec::new();
    let mut series = Vec::new();
    for (code, en, zh) in ICT_CATEGORIES {
        let (e, i) = (
            format!("UNCTAD.ICT.EXP.{code}"),
            format!("UNCTAD.ICT.IMP.{code}"),
        );
        if engine.datasets_with(&e).is_empty() || engine.datasets_with(&i).is_empty() {
            continue;
        }
        let es = engine.series(&e, params.source.as_deref()).await?;
        let is = engine.series(&i, params.source.as_deref()).await?;
        rows.push((
            code,
            en,
            zh,
            es.get(world, year),
            es.get(world, year - 1),
            is.get(world, year),
            is.get(world, year - 1),
            usd_per_billion(&es.meta.unit),
        ));
        series.push(es);
        series.push(is);
    }
    if rows.is_empty() {
        return Ok(None);
    }
    let mut t = ResultTable::new(
        "C6.categories",
        Text::new(
            format!("World ICT goods trade by category, {year}"),
            format!("{year}年全球ICT产品按分类进出口情况"),
        ),
    );
    let bn = Some(Text::new("bn US$", "十亿美元"));
    let pct = Some(Text::new("%", "%"));
    t.columns = vec![
        Column::text(
            "category",
            Text::new("Category code", "分类代码"),
            rows.iter().map(|r| Some(r.0.to_string())).collect(),
        ),
        Column::text(
            "name_en",
            Text::new("Category", "分类（英文）"),
            rows.iter().map(|r| Some(r.1.to_string())).collect(),
        ),
        Column::text(
            "name_zh",
            Text::new("Category (zh)", "分类"),
            rows.iter().map(|r| Some(r.2.to_string())).collect(),
        ),
        Column::float(
            "exports",
            Text::new(format!("World exports {year}"), format!("{year}年全球出口")),
            bn.clone(),
            1,
            rows.iter().map(|r| r.3.map(|v| v / r.7)).collect(),
        ),
        Column::float(
            "export_growth",
            Text::new(format!("Export growth vs {}", year - 1), "出口增速"),
            pct.clone(),
            1,
            rows.iter().map(|r| pct_change(r.4?, r.3?)).collect(),
        ),
        Column::float(
            "imports",
            Text::new(format!("World imports {year}"), format!("{year}年全球进口")),
            bn,
            1,
            rows.iter().map(|r| r.5.map(|v| v / r.7)).collect(),
        ),
        Column::float(
            "import_growth",
            Text::new(format!("Import growth vs {}", year - 1), "进口增速"),
            pct,
            1,
            rows.iter().map(|r| pct_change(r.6?, r.5?)).collect(),
        ),
    ];
    t.basis.push((
        Text::new("Scope", "范围"),
        Text::new(
            "World totals of UNCTADstat's ICT goods categories",
            "UNCTADstat ICT产品分类的全球合计",
        ),
    ));
    let refs: Vec<&Series> = series.iter().collect();
    t.sources = merge_sources(&refs);
    let mut growth: Vec<(String, String, f64)> = rows
        .iter()
        .filter_map(|r| Some((r.1.to_string(), r.2.to_string(), pct_change(r.4?, r.3?)?)))
        .collect();
    growth.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    if let (Some(hi), Some(lo)) = (growth.first(), growth.last()) {
        t.findings.push(Text::new(
            format!(
                "World exports grew fastest in {} ({}%) and slowest in {} ({}%).",
                hi.0.to_lowercase(),
                signed(hi.2),
                lo.0.to_lowercase(),
                signed(lo.2)
            ),
            format!(
                "全球出口增长最快的是{}（{}%），最慢的是{}（{}%）。",
                hi.1,
                signed(hi.2),
                lo.1,
                signed(lo.2)
            ),
        ));
    }
    t.figure = Some(Figure::DivergingBars {
        label: "category".into(),
        series: vec!["export_growth".into(), "import_growth".into()],
        unit: Text::new(format!("% vs {}", year - 1), format!("较{}年%", year - 1)),
    });
    t.params.insert("year".into(), year.to_string());
    Ok(Some(t))
}
