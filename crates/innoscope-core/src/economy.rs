//! Economies: countries, territories, historical entities and aggregates.
//!
//! The [`Registry`] is compiled in from `data/registry/economies.csv`, which
//! `scripts/regenerate-bundle.sh` builds from the ISO/UN country-code list, the
//! group memberships (OECD, EU27, G7, G20, BRIC, APEC, with accession year) and
//! the curated files beside it (short names, source aliases, aggregates).
//!
//! Invariant: every code in the registry is unique, and an aggregate is never
//! a country: rankings filter on [`EconomyKind::Country`] so they never mix
//! the two.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::text::{Lang, Text};

/// What kind of entity a registry entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum EconomyKind {
    /// A current ISO 3166 country or territory.
    Country,
    /// A former entity still found in historical series (SU, DD, YU, CS…).
    Historical,
    /// A group of economies or an office: World, EU, income groups, regions…
    Aggregate,
}

/// One registry entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Economy {
    /// ISO 3166 alpha-3, or the registry's aggregate code (`WLD`, `UN.DEV`).
    pub code: String,
    pub iso2: String,
    pub numeric: String,
    pub kind: EconomyKind,
    /// For aggregates: world, political, region, income, unctad, ncses, office…
    pub family: String,
    pub name_en: String,
    pub name_zh: String,
    /// UN M49 region and sub-region (countries only).
    pub region: String,
    pub sub_region: String,
    pub currency: String,
    /// Group memberships with accession year (`OECD` → 1961; 0 when the
    /// source gives membership without a year).
    pub groups: Vec<(String, u16)>,
    /// Last year the entity existed (historical entities only).
    pub ended: Option<u16>,
}

impl Economy {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.name_zh,
            Lang::En => &self.name_en,
        }
    }

    pub fn names(&self) -> Text {
        Text::new(self.name_en.clone(), self.name_zh.clone())
    }

    pub fn is_country(&self) -> bool {
        self.kind == EconomyKind::Country
    }

    /// Accession year to a group (`OECD`, `EU27`, `G7`, `G20`, `BRIC`, `APEC`).
    pub fn member_since(&self, group: &str) -> Option<u16> {
        self.groups
            .iter()
            .find(|(g, _)| g.eq_ignore_ascii_case(group))
            .map(|(_, y)| *y)
    }

    /// Whether the economy was a member of `group` in `year`.
    pub fn member_in(&self, group: &str, year: i32) -> bool {
        self.member_since(group)
            .is_some_and(|y| i32::from(y) <= year)
    }
}

/// Error while parsing the registry file.
#[derive(Debug, thiserror::Error)]
#[error("economy registry, line {line}: {message}")]
pub struct RegistryError {
    pub line: u64,
    pub message: String,
}

/// The set of known economies with name and code lookups.
#[derive(Debug, Clone)]
pub struct Registry {
    economies: Vec<Economy>,
    by_code: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
    by_numeric: HashMap<u32, usize>,
}

/// Columns of `economies.csv`, in order.
pub const REGISTRY_COLUMNS: [&str; 14] = [
    "code",
    "iso2",
    "numeric",
    "kind",
    "family",
    "name_en",
    "name_zh",
    "region",
    "sub_region",
    "currency",
    "groups",
    "ended",
    "official_en",
    "aliases",
];

static BUNDLED: OnceLock<Registry> = OnceLock::new();

impl Registry {
    /// The registry compiled into innoscope.
    pub fn bundled() -> &'static Registry {
        BUNDLED.get_or_init(|| {
            Registry::from_csv(include_str!("../../../data/registry/economies.csv"))
                .expect("bundled economies.csv is validated by the registry tests")
        })
    }

    /// Parse a registry in the `economies.csv` layout.
    pub fn from_csv(text: &str) -> Result<Registry, RegistryError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(text.as_bytes());
        let headers = reader.headers().map_err(|e| RegistryError {
            line: 1,
            message: e.to_string(),
        })?;
        if headers.iter().collect::<Vec<_>>() != REGISTRY_COLUMNS {
            return Err(RegistryError {
                line: 1,
                message: format!("header must be {}", REGISTRY_COLUMNS.join(",")),
            });
        }
        let mut economies = Vec::new();
        let mut aliases = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let line = i as u64 + 2;
            let r = record.map_err(|e| RegistryError {
                line,
                message: e.to_string(),
            })?;
            let err = |message: String| RegistryError { line, message };
            let kind = match &r[3] {
                "country" => EconomyKind::Country,
                "historical" => EconomyKind::Historical,
                "aggregate" => EconomyKind::Aggregate,
                other => return Err(err(format!("unknown kind `{other}`"))),
            };
            let mut groups = Vec::new();
            for part in r[10].split('|').filter(|s| !s.is_empty()) {
                let (g, y) = part
                    .split_once(':')
                    .ok_or_else(|| err(format!("group `{part}` is not GROUP:YEAR")))?;
                let y: u16 = y
                    .parse()
                    .map_err(|_| err(format!("group `{part}`: year is not a number")))?;
                groups.push((g.to_string(), y));
            }
            let ended = if r[11].is_empty() {
                None
            } else {
                Some(
                    r[11]
                        .parse()
                        .map_err(|_| err(format!("ended `{}` is not a year", &r[11])))?,
                )
            };
            let idx = economies.len();
            aliases.push((idx, r[12].to_string()));
            for a in r[13].split('|').filter(|s| !s.is_empty()) {
                aliases.push((idx, a.to_string()));
            }
            economies.push(Economy {
                code: r[0].to_string(),
                iso2: r[1].to_string(),
                numeric: r[2].to_string(),
                kind,
                family: r[4].to_string(),
                name_en: r[5].to_string(),
                name_zh: r[6].to_string(),
                region: r[7].to_string(),
                sub_region: r[8].to_string(),
                currency: r[9].to_string(),
                groups,
                ended,
            });
        }
        let mut by_code = HashMap::new();
        for (i, e) in economies.iter().enumerate() {
            if by_code.insert(e.code.to_ascii_uppercase(), i).is_some() {
                return Err(RegistryError {
                    line: i as u64 + 2,
                    message: format!("duplicate code `{}`", e.code),
                });
            }
        }
        // Alpha-2 codes resolve too, but never shadow an alpha-3 or aggregate code.
        for (i, e) in economies.iter().enumerate() {
            if !e.iso2.is_empty() {
                by_code.entry(e.iso2.to_ascii_uppercase()).or_insert(i);
            }
        }
        let mut by_name = HashMap::new();
        for (i, e) in economies.iter().enumerate() {
            by_name.insert(normalise_name(&e.name_en), i);
            by_name.insert(normalise_name(&e.name_zh), i);
        }
        for (i, alias) in aliases {
            // Curated aliases win over official names only where no entry claims
            // the name already (an alias never steals another entry's own name).
            by_name.entry(normalise_name(&alias)).or_insert(i);
        }
        by_name.remove("");
        let mut by_numeric = HashMap::new();
        for (i, e) in economies.iter().enumerate() {
            // Current countries win over historical entities with the same number.
            if let Ok(n) = e.numeric.parse::<u32>()
                && (e.is_country() || !by_numeric.contains_key(&n))
            {
                by_numeric.insert(n, i);
            }
        }
        Ok(Registry {
            economies,
            by_code,
            by_name,
            by_numeric,
        })
    }

    pub fn all(&self) -> &[Economy] {
        &self.economies
    }

    /// Look up by alpha-3, alpha-2 or aggregate code (case-insensitive).
    pub fn by_code(&self, code: &str) -> Option<&Economy> {
        self.by_code
            .get(&code.trim().to_ascii_uppercase())
            .map(|&i| &self.economies[i])
    }

    /// Look up by ISO 3166 / M49 numeric code (`156`, `0156`).
    pub fn by_numeric(&self, code: &str) -> Option<&Economy> {
        let n: u32 = code.trim().parse().ok()?;
        self.by_numeric.get(&n).map(|&i| &self.economies[i])
    }

    /// Look up a name as it appears in a source, optionally scoped to the
    /// source (`unctad`, `ncses`): scoped names are tried first, then plain
    /// names, then codes.
    pub fn resolve(&self, scope: Option<&str>, name: &str) -> Option<&Economy> {
        if let Some(scope) = scope {
            let key = normalise_name(&format!("{scope}:{name}"));
            if let Some(&i) = self.by_name.get(&key) {
                return Some(&self.economies[i]);
            }
        }
        if let Some(&i) = self.by_name.get(&normalise_name(name)) {
            return Some(&self.economies[i]);
        }
        let trimmed = name.trim();
        if trimmed.len() == 3 && trimmed.chars().all(|c| c.is_ascii_alphabetic()) {
            return self.by_code(trimmed);
        }
        None
    }

    /// Economies whose English or Chinese name contains `query`, or is
    /// close to it (Jaro–Winkler ≥ 0.85 on the normalised names): at most
    /// five, countries first, for "did you mean".
    pub fn suggest(&self, query: &str) -> Vec<&Economy> {
        let q = normalise_name(query);
        if q.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<(f64, &Economy)> = self
            .economies
            .iter()
            .filter_map(|e| {
                let names = [normalise_name(&e.name_en), normalise_name(&e.name_zh)];
                let score = names
                    .iter()
                    .map(|n| {
                        if n.contains(&q) {
                            1.0
                        } else {
                            strsim::jaro_winkler(n, &q)
                        }
                    })
                    .fold(0.0, f64::max);
                (score >= 0.85).then_some((score, e))
            })
            .collect();
        hits.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| b.1.is_country().cmp(&a.1.is_country()))
                .then_with(|| a.1.code.cmp(&b.1.code))
        });
        hits.into_iter().take(5).map(|(_, e)| e).collect()
    }

    /// Countries only (no aggregates, no historical entities).
    pub fn countries(&self) -> impl Iterator<Item = &Economy> {
        self.economies.iter().filter(|e| e.is_country())
    }

    /// English and Chinese display names of a code; the code itself when unknown.
    pub fn names_of(&self, code: &str) -> Text {
        self.by_code(code)
            .map(Economy::names)
            .unwrap_or_else(|| Text::same(code))
    }
}

/// Canonical form of a name for lookups: case-folded, whitespace collapsed,
/// typographic apostrophes straightened, a trailing footnote `*` dropped.
pub fn normalise_name(name: &str) -> String {
    let name = name.trim().trim_end_matches('*').trim();
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    for c in name.chars() {
        let c = match c {
            '\u{2019}' | '\u{2018}' | '`' => '\'',
            c => c,
        };
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.extend(c.to_lowercase());
    }
    out
}
