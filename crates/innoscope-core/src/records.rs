//! Record lists: the entity-level lists behind C3 and I1–I3 — ranked lists
//! of universities, research institutions and firms; the corporate R&D
//! scoreboard; the unicorn list; venture-capital deals.
//!
//! These are not economy × year series (observations) nor patent microdata:
//! each row is one organisation or deal, and the analysis counts or sums
//! them. They are small (thousands to a few hundred thousand rows), so a
//! dataset of records is one JSON document in the store, read whole.

use serde::{Deserialize, Serialize};

/// The actor types of ranked lists (C3).
pub const ACTOR_TYPES: [&str; 3] = ["university", "research", "enterprise"];

/// One entry of a ranked list (QS, WIPO, Clarivate/Derwent, Leiden…).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RankedEntry {
    /// List id (`qs-wur`, `wipo-pct-research`, `derwent-top100`…).
    pub list: String,
    /// Edition year as the publisher names it (QS WUR 2022 = 2022).
    pub edition: i32,
    /// Numeric rank; for bands (`501-510`) the band's first rank.
    pub rank: u32,
    /// Rank as published (`=3`, `501-510`).
    pub rank_display: String,
    pub name: String,
    /// Registry code, when the economy resolved.
    pub economy: Option<String>,
    pub economy_raw: String,
    /// `university`, `research` or `enterprise` (see [`ACTOR_TYPES`]).
    pub actor_type: String,
}

/// One company of a corporate R&D scoreboard (I1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreboardFirm {
    /// Financial year of the figures (the 2020 Scoreboard reports 2019).
    pub year: i32,
    pub rank: u32,
    pub company: String,
    pub economy: Option<String>,
    pub economy_raw: String,
    /// Industry (ICB sector) as published.
    pub industry: String,
    /// R&D investment, million EUR.
    pub rd: f64,
    /// One-year growth of R&D, %.
    pub rd_growth: Option<f64>,
    /// Net sales, million EUR.
    pub sales: Option<f64>,
    /// One-year growth of net sales, %.
    pub sales_growth: Option<f64>,
}

/// One unicorn: a private company valued at 1 billion USD or more (I2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Unicorn {
    pub company: String,
    /// Valuation, billion USD, as of the list's date.
    pub valuation: Option<f64>,
    /// Date the company became a unicorn, `YYYY-MM-DD`.
    pub joined: String,
    /// Industry as the list spells it.
    pub industry: String,
    pub economy: Option<String>,
    pub economy_raw: String,
    pub city: String,
    pub founded: Option<i32>,
}

/// Venture-capital investment: one deal, or an aggregate of deals (I3).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VcRecord {
    pub year: i32,
    pub sector: String,
    /// Round as given (`seed`, `angel`, `series-a`, `series-b`…), lower-case.
    pub stage: String,
    /// Amount, million USD.
    pub amount: f64,
    /// Number of deals this row stands for (1 for a deal-level row).
    pub deals: u64,
    pub economy: Option<String>,
}

/// The records of one dataset: one family per dataset.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "family", content = "rows", rename_all = "kebab-case")]
pub enum Records {
    RankedList(Vec<RankedEntry>),
    Scoreboard(Vec<ScoreboardFirm>),
    Unicorns(Vec<Unicorn>),
    VentureCapital(Vec<VcRecord>),
}

impl Records {
    pub fn family(&self) -> &'static str {
        match self {
            Records::RankedList(_) => "ranked-list",
            Records::Scoreboard(_) => "scoreboard",
            Records::Unicorns(_) => "unicorns",
            Records::VentureCapital(_) => "venture-capital",
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Records::RankedList(v) => v.len(),
            Records::Scoreboard(v) => v.len(),
            Records::Unicorns(v) => v.len(),
            Records::VentureCapital(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// First and last year covered (editions, join years, deal years).
    pub fn years(&self) -> Option<(i32, i32)> {
        let ys: Vec<i32> = match self {
            Records::RankedList(v) => v.iter().map(|r| r.edition).collect(),
            Records::Scoreboard(v) => v.iter().map(|r| r.year).collect(),
            Records::Unicorns(v) => v
                .iter()
                .filter_map(|r| r.joined.get(..4).and_then(|y| y.parse().ok()))
                .collect(),
            Records::VentureCapital(v) => v.iter().map(|r| r.year).collect(),
        };
        Some((*ys.iter().min()?, *ys.iter().max()?))
    }

    /// Concatenate records of the same family (several files, one dataset).
    pub fn extend(&mut self, other: Records) -> Result<(), String> {
        match (self, other) {
            (Records::RankedList(a), Records::RankedList(b)) => a.extend(b),
            (Records::Scoreboard(a), Records::Scoreboard(b)) => a.extend(b),
            (Records::Unicorns(a), Records::Unicorns(b)) => a.extend(b),
            (Records::VentureCapital(a), Records::VentureCapital(b)) => a.extend(b),
            (a, b) => {
                return Err(format!(
                    "{} and {} records cannot share a dataset",
                    a.family(),
                    b.family()
                ));
            }
        }
        Ok(())
    }
}
