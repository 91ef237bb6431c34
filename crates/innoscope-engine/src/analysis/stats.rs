//! What the competition chapter's statistics analyses share (§3.1): the
//! R&D input series and the C1/C2 country set ([`RdInputs`]), the trade sets
//! of C5, C6 and F1 ([`trade_set`]), world totals and their coverage, and
//! recording the resolved parameters. C1, C2, C4, C5 and C6 have files of
//! their own.

use innoscope_core::{Registry, ResultTable, Text};

use super::Params;
use super::common::*;
use crate::Engine;
use crate::error::{EngineError, Result};
use crate::series::{Series, merge_sources};

pub(super) const RD: &str = "GB.XPD.RSDV.GD.ZS";
pub(super) const GDP: &str = "NY.GDP.MKTP.CD";
pub(super) const FX: &str = "PA.NUS.FCRF";
pub(super) const PPP: &str = "PA.NUS.PPP";
/// GDP, PPP (constant 2021 international $): C1's constant-price GDP.
pub(super) const GDP_CONST: &str = "NY.GDP.MKTP.PP.KD";
/// The MSTI dataflow, and the codes of GERD at constant prices and PPPs.
const MSTI: &str = "DF_MSTI";
const MSTI_GERD_CONSTANT: [(&str, &str); 3] = [
    ("MEASURE", "G"),
    ("UNIT_MEASURE", "USD_PPP"),
    ("PRICE_BASE", "Q"),
];

/// NCSES's GERD table (SEI Table RD-5): GERD/GDP in % and GERD in
/// millions of current PPP US$, as OECD MSTI and UNESCO published them.
pub(super) const NCSES_RD: &str = "NCSES.GERD.GDP.PCT";
pub(super) const NCSES_GERD_PPP: &str = "NCSES.GERD.PPP";

/// The series R&D analyses are computed from.
pub(super) struct RdInputs {
    pub(super) rd: Series,
    pub(super) gdp: Series,
    pub(super) fx: Series,
    pub(super) ppp: Series,
    /// GERD itself in millions of PPP $, when the source publishes it (the
    /// NCSES table) rather than GERD/GDP × GDP.
    pub(super) gerd_ppp: Option<Series>,
    /// GERD (in PPP $ after its unit multiplier) and GDP at constant
    /// prices, loaded for `--price-basis constant` ([`RdInputs::with_constant`]).
    pub(super) constant: Option<(Series, f64, Series)>,
}

impl RdInputs {
    /// The R&D series of `source` (default: the first dataset holding WDI's
    /// codes). A source with NCSES's GERD table (`ncses-gerd`) gives GERD/GDP
    /// and GERD in PPP $ itself; GDP, exchange rates and PPP factors, which it
    /// lacks, then come from WDI, to convert its GERD to other currencies.
    pub(super) async fn load(engine: &Engine, source: Option<&str>) -> Result<RdInputs> {
        let holds = |id: &str, indicator: &str| {
            engine
                .datasets_with(indicator)
                .iter()
                .any(|d| d.manifest.id == id)
        };
        if let Some(id) = source
            && !holds(id, RD)
            && holds(id, NCSES_RD)
        {
            return Ok(RdInputs {
                rd: engine.series(NCSES_RD, Some(id)).await?,
                gerd_ppp: Some(engine.series(NCSES_GERD_PPP, Some(id)).await?),
                gdp: engine.series(GDP, None).await?,
                fx: engine.series(FX, None).await?,
                ppp: engine.series(PPP, None).await?,
                constant: None,
            });
        }
        Ok(RdInputs {
            rd: engine.series(RD, source).await?,
            gdp: engine.series(GDP, source).await?,
            fx: engine.series(FX, source).await?,
            ppp: engine.series(PPP, source).await?,
            gerd_ppp: None,
            constant: None,
        })
    }

    /// Add the constant-price series: GERD at constant prices and PPPs from
    /// the OECD's MSTI (`fetch oecd`), chosen by its dimension codes
    /// (MEASURE G, UNIT_MEASURE USD_PPP, PRICE_BASE Q), and WDI's GDP in
    /// constant PPP $ (`fetch wdi`).
    pub(super) async fn with_constant(mut self, engine: &Engine) -> Result<RdInputs> {
        let hint =
            "`innoscope fetch oecd` gets OECD MSTI (or import a Data Explorer SDMX-CSV of it)";
        let (info, metas) = engine.sdmx_flow(MSTI, None).ok_or_else(|| {
            EngineError::missing(
                "--price-basis constant needs GERD at constant prices: no dataset holds OECD MSTI",
                hint,
            )
        })?;
        let fits: Vec<_> = metas
            .iter()
            .copied()
            .filter(|m| MSTI_GERD_CONSTANT.iter().all(|(d, c)| m.dim(d) == Some(c)))
            .collect();
        let [meta] = fits.as_slice() else {
            let wanted = MSTI_GERD_CONSTANT
                .iter()
                .map(|(d, c)| format!("{d} {c}"))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(EngineError::missing(
                format!(
                    "dataset `{}` has {} MSTI series with {wanted} (GERD at constant prices and PPPs); one is needed",
                    info.manifest.id,
                    fits.len()
                ),
                hint,
            ));
        };
        let mult = unit_multiplier(&meta.unit);
        let gerd = engine.series_of(info, &[*meta]).await?.remove(0);
        let gdp = engine.series(GDP_CONST, None).await.map_err(|_| {
            EngineError::missing(
                format!("--price-basis constant needs GDP at constant prices: no dataset holds `{GDP_CONST}`"),
                format!("`innoscope fetch wdi --series {GDP_CONST}`"),
            )
        })?;
        self.constant = Some((gerd, mult, gdp));
        Ok(self)
    }

    /// How GERD is obtained, for the basis lines.
    pub(super) fn gerd_basis(&self) -> Option<(Text, Text)> {
        self.gerd_ppp.as_ref().map(|g| {
            (
                Text::new("GERD", "研发支出"),
                Text::new(
                    format!(
                        "GERD and GERD/GDP as {} published them ({}); GERD in national currency = GERD (PPP $) × WDI's PPP factor, then converted at the exchange rate",
                        g.dataset, g.meta.source
                    ),
                    format!(
                        "研发支出总额与研发强度取自{}（{}）；本币研发支出＝研发支出（购买力平价美元）×世界银行购买力平价换算因子，再按汇率折算",
                        g.dataset, g.meta.source
                    ),
                ),
            )
        })
    }

    pub(super) fn gdp(&self, e: &str, y: i32, basis: PriceBasis) -> Option<f64> {
        let usd = self.gdp.get(e, y)?;
        match basis {
            PriceBasis::Usd => Some(usd),
            PriceBasis::Lcu => Some(usd * self.fx.get(e, y)?),
            PriceBasis::Ppp => Some(usd * self.fx.get(e, y)? / self.ppp.get(e, y)?),
            PriceBasis::Constant => self.constant.as_ref()?.2.get(e, y),
        }
    }

    pub(super) fn gerd(&self, e: &str, y: i32, basis: PriceBasis) -> Option<f64> {
        if basis == PriceBasis::Constant {
            let (g, mult, _) = self.constant.as_ref()?;
            return Some(g.get(e, y)? * mult);
        }
        let Some(g) = &self.gerd_ppp else {
            return Some(self.rd.get(e, y)? / 100.0 * self.gdp(e, y, basis)?);
        };
        let ppp = g.get(e, y)? * 1e6;
        match basis {
            PriceBasis::Ppp => Some(ppp),
            PriceBasis::Lcu => Some(ppp * self.ppp.get(e, y)?),
            PriceBasis::Usd => Some(ppp * self.ppp.get(e, y)? / self.fx.get(e, y)?),
            PriceBasis::Constant => None,
        }
    }

    pub(super) fn sources(&self) -> Vec<innoscope_core::SourceNote> {
        let mut all = vec![&self.rd];
        all.extend(self.gerd_ppp.as_ref());
        all.extend([&self.gdp, &self.fx, &self.ppp]);
        if let Some((g, _, d)) = &self.constant {
            all.extend([g, d]);
        }
        merge_sources(&all)
    }

    /// Coverage of `year` for the C1/C2 set, weighted by GERD (PPP $).
    pub(super) fn coverage(&self, set: &EconomySet, year: i32) -> innoscope_core::Coverage {
        let smallest = set
            .codes()
            .iter()
            .filter_map(|c| self.gerd(c, year, PriceBasis::Ppp))
            .min_by(f64::total_cmp);
        super::coverage::of(
            super::coverage::universe(set),
            year,
            |c, y| self.rd.get(c, y).is_some(),
            |c, y| self.gerd(c, y, PriceBasis::Ppp),
            Text::new("GERD (PPP $)", "研发支出（购买力平价美元）"),
            smallest,
        )
    }

    /// The C1/C2 country set: top-`n` by GERD ∪ top-`n` by GERD/GDP in `year`.
    pub(super) fn country_set(
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

/// The codes of the C1/C2 `selected_by` column.
pub(super) const SELECTED_BY: &[(&str, &str, &str)] = &[
    ("both", "GERD and intensity", "研发支出与研发强度"),
    ("gerd", "GERD", "研发支出"),
    ("intensity", "intensity", "研发强度"),
    ("given", "given", "用户指定"),
];

pub(super) fn set_basis(set: &EconomySet, year: i32, n: usize, min_gerd: f64) -> (Text, Text) {
    let v = match set {
        EconomySet::Explicit(_) => Text::new("given by the user", "用户指定"),
        EconomySet::Preset(name, _) => {
            Text::new(format!("preset `{name}`"), format!("预设集合 `{name}`"))
        }
        EconomySet::Rule(_) => Text::new(
            format!(
                "union of the top-{n} countries by GERD (PPP $) and the top-{n} by GERD/GDP (among countries with GERD ≥ {min_gerd} bn PPP $) in {year}; aggregates excluded"
            ),
            format!(
                "{year}年研发支出（购买力平价美元）前{n}位与研发强度前{n}位（研发支出不低于{}亿购买力平价美元的国家）的并集，不含国家集团",
                min_gerd * 10.0
            ),
        ),
    };
    (Text::new("Economies", "经济体范围"), v)
}

/// Top-N by GERD and by GERD/GDP whose union is the C1/C2 country set.
pub(super) const RD_TOP: usize = 10;
/// Minimum GERD (bn PPP $) to enter the intensity ranking.
pub(super) const MIN_GERD: f64 = 0.5;
pub(super) fn cagr_of(
    f: impl Fn(i32) -> Option<f64>,
    base: i32,
    year: i32,
    span: i32,
) -> Option<f64> {
    cagr(f(base)?, f(year)?, span)
}

pub(super) fn record_params(t: &mut ResultTable, params: &Params, resolved: &[(&str, String)]) {
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
    /// Given by the user (`--economies`) rather than the top-N rule.
    pub explicit: bool,
}

impl TradeSet {
    /// Coverage of `year`, weighted by exports plus imports (`what` names
    /// the flow in the rule): of all countries for the top-N rule, with
    /// those listed as missing that could have entered it.
    pub(super) fn coverage(&self, year: i32, what: Text) -> innoscope_core::Coverage {
        let weight = |c: &str, y: i32| -> Option<f64> {
            let e = self.exp.get(c, y);
            let i = self.imp.as_ref().and_then(|s| s.get(c, y));
            match (e, i) {
                (None, None) => None,
                (e, i) => Some(e.unwrap_or(0.0).max(0.0) + i.unwrap_or(0.0).max(0.0)),
            }
        };
        let smallest = self
            .codes
            .iter()
            .filter_map(|c| weight(c, year))
            .min_by(f64::total_cmp);
        super::coverage::of(
            self.explicit.then_some(self.codes.as_slice()),
            year,
            |c, y| self.exp.get(c, y).is_some(),
            weight,
            what,
            smallest,
        )
    }
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
    trade_set_of(params, exp_s, imp_s, year)
}

/// [`trade_set`] over series already at hand (derived ones, say).
pub(super) fn trade_set_of(
    params: &Params,
    exp_s: Series,
    imp_s: Option<Series>,
    year: i32,
) -> Result<TradeSet> {
    let exp = exp_s.indicator.clone();
    let n = params.top.unwrap_or(TRADE_TOP);
    let given = explicit_set(params, &[])?;
    let explicit = given.is_some();
    let codes = match given {
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
        explicit,
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
pub(super) const TRADE_YEAR: i32 = 2020;

pub(super) fn or_none(s: &str) -> String {
    if s.is_empty() {
        "none".into()
    } else {
        s.to_string()
    }
}

pub(super) fn or_none_zh(s: &str) -> String {
    if s.is_empty() {
        "无".into()
    } else {
        s.to_string()
    }
}

/// Chinese name of a UN M49 region.
pub(super) fn region_zh(region: &str) -> String {
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

/// The factor of a unit the SDMX importer wrote with the file's UNIT_MULT
/// (`US dollars PPP converted (×10^6)` → 10⁶); 1 without one.
fn unit_multiplier(unit: &str) -> f64 {
    unit.rsplit_once("(×10^")
        .and_then(|(_, m)| m.strip_suffix(')'))
        .and_then(|m| m.parse::<i32>().ok())
        .map_or(1.0, |m| 10f64.powi(m))
}
