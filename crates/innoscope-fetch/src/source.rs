//! The publishers innoscope fetches from: where each documents its
//! endpoint, its default base URL, the store dataset it fills and what
//! `innoscope fetch SOURCE` gets when no series is named.

use std::fmt;

use crate::error::{ErrorKind, FetchError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SourceId {
    /// World Bank Indicators API v2 (JSON, paged).
    Wdi,
    /// OECD Data Explorer, SDMX REST (SDMX-CSV).
    Oecd,
    /// UNCTADstat bulk downloads.
    Unctad,
    /// PatentsView bulk tables of US grants.
    Patentsview,
    /// NCSES Science and Engineering Indicators tables (no API: manual).
    Ncses,
    /// WIPO IP Statistics Data Center (no API, no redistribution: manual).
    Wipo,
}

impl SourceId {
    pub const ALL: [SourceId; 6] = [
        SourceId::Wdi,
        SourceId::Oecd,
        SourceId::Unctad,
        SourceId::Patentsview,
        SourceId::Ncses,
        SourceId::Wipo,
    ];

    /// What `fetch` gets when no source is named: the publishers with an
    /// API whose statistics the report reads (WDI for C1–C6 and F1–F3, the
    /// OECD for K1 without microdata and C1 at constant prices, UNCTADstat
    /// for C6 by category). PatentsView's tables are gigabytes and come only
    /// when named; NCSES and WIPO have no API.
    pub const REPORT: [SourceId; 3] = [SourceId::Wdi, SourceId::Oecd, SourceId::Unctad];

    pub fn name(self) -> &'static str {
        match self {
            SourceId::Wdi => "wdi",
            SourceId::Oecd => "oecd",
            SourceId::Unctad => "unctad",
            SourceId::Patentsview => "patentsview",
            SourceId::Ncses => "ncses",
            SourceId::Wipo => "wipo",
        }
    }

    pub fn parse(s: &str) -> Result<SourceId, FetchError> {
        SourceId::ALL
            .into_iter()
            .find(|x| x.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                FetchError::new(s, ErrorKind::Request, format!("unknown source `{s}`")).hint(
                    format!(
                        "the sources are {}",
                        SourceId::ALL.map(SourceId::name).join(", ")
                    ),
                )
            })
    }

    /// The publisher, as printed in messages.
    pub fn publisher(self) -> &'static str {
        match self {
            SourceId::Wdi => "World Bank, World Development Indicators",
            SourceId::Oecd => "OECD, Main Science and Technology Indicators and Patent Statistics",
            SourceId::Unctad => "UNCTADstat",
            SourceId::Patentsview => "USPTO PatentsView",
            SourceId::Ncses => "NSF NCSES, Science and Engineering Indicators",
            SourceId::Wipo => "WIPO IP Statistics Data Center",
        }
    }

    /// The environment variable that overrides the base URL
    /// (`INNOSCOPE_WDI_BASE_URL`).
    pub fn env_var(self) -> String {
        format!("INNOSCOPE_{}_BASE_URL", self.name().to_ascii_uppercase())
    }

    /// The publisher's public endpoint; `None` for the manual sources.
    pub fn default_base_url(self) -> Option<&'static str> {
        match self {
            SourceId::Wdi => Some("https://api.worldbank.org/v2"),
            SourceId::Oecd => Some("https://sdmx.oecd.org/public/rest"),
            SourceId::Unctad => Some("https://unctadstat-api.unctad.org"),
            SourceId::Patentsview => Some("https://s3.amazonaws.com/data.patentsview.org"),
            SourceId::Ncses | SourceId::Wipo => None,
        }
    }

    /// Where the publisher documents the endpoint and its layout.
    pub fn documented_at(self) -> &'static str {
        match self {
            SourceId::Wdi => {
                "https://datahelpdesk.worldbank.org/knowledgebase/articles/898581 (API basic call structures) and /898599 (indicator queries)"
            }
            SourceId::Oecd => {
                "https://www.oecd.org/en/data/insights/data-explainers/2024/09/api.html (OECD Data API, SDMX REST)"
            }
            SourceId::Unctad => "https://unctadstat.unctad.org/datacentre/ (Bulk download)",
            SourceId::Patentsview => "https://patentsview.org/download/data-download-tables",
            SourceId::Ncses => "https://ncses.nsf.gov/indicators (data tables)",
            SourceId::Wipo => "https://www3.wipo.int/ipstats/ (IP Statistics Data Center)",
        }
    }

    /// The store dataset its files are imported into.
    pub fn dataset(self) -> &'static str {
        match self {
            SourceId::Wdi => "wdi",
            SourceId::Oecd => "oecd",
            SourceId::Unctad => "unctadstat",
            SourceId::Patentsview => "patentsview",
            SourceId::Ncses => "ncses",
            SourceId::Wipo => "wipo",
        }
    }
}

impl fmt::Display for SourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether `code` is a World Bank WDI indicator code (`NY.GDP.MKTP.CD`):
/// two letters, a dot, and more — as opposed to the codes innoscope gives
/// series of other publishers (`UNCTAD.ICT.EXP`, `NCSES.PCT.APPL`,
/// `FED.H10.FX`).
pub fn is_wdi_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() > 3 && b[0].is_ascii_uppercase() && b[1].is_ascii_uppercase() && b[2] == b'.'
}

/// The OECD dataflows `fetch oecd` gets (agency, dataflow, file): MSTI for
/// R&D input (C1's constant prices) and the patents with foreign
/// co-inventors by partner economy (K1's open macro basis). The whole flow
/// is asked for (`all`), not a key: a key must list every dimension in
/// order, and a guessed key that the OECD rejects fails the whole fetch,
/// while the analyses pick the series they need by their dimension codes.
pub const OECD_FLOWS: [(&str, &str, &str); 2] = [
    ("OECD.STI.STP", "DSD_MSTI@DF_MSTI", "oecd_msti.csv"),
    (
        "OECD.STI.PIE",
        "DSD_PATENTS@DF_PATENTS_COINVENTOR",
        "oecd_patents_coinventor.csv",
    ),
];

/// The PatentsView bulk tables innoscope reads, in import order.
pub const PATENTSVIEW_TABLES: [&str; 6] = [
    "g_patent",
    "g_application",
    "g_assignee_disambiguated",
    "g_location_disambiguated",
    "g_ipc_at_issue",
    "g_cpc_current",
];

/// UNCTADstat reports innoscope reads: ICT goods trade by economy and
/// category (C6, Fig 20).
pub const UNCTAD_REPORTS: [&str; 1] = ["US.IctGoodsValue"];

/// What to do for the sources without an API.
pub fn manual_steps(source: SourceId) -> Option<&'static str> {
    match source {
        SourceId::Wipo => Some(
            "WIPO publishes no API and does not allow its statistics to be redistributed, so innoscope never downloads or bundles them.\n\
             1. Open https://www3.wipo.int/ipstats/ and choose \"IP Statistics Data Center\".\n\
             2. Indicator: \"1 - Total PCT applications\"; Report type: \"Total count by applicant's origin\"; Years: the range you need; Origin: all.\n\
             3. Export as CSV (keep the preamble lines; innoscope reads them).\n\
             4. Import it: innoscope import --format wipo FILE.csv   (or: innoscope fetch wipo --from DIR, with the CSV in DIR)\n\
             C4 then ranks by applicant's origin, the report's basis.",
        ),
        SourceId::Ncses => Some(
            "NCSES publishes its Science and Engineering Indicators tables as downloads on its site, with no API.\n\
             1. Open https://ncses.nsf.gov/indicators and the report's data tables (e.g. SINV-11 \"Patent Cooperation Treaty applications\", RD-5 \"GERD\", S8-62 \"Venture capital\").\n\
             2. Download each table as CSV.\n\
             3. Import: innoscope import --format ncses FILE.csv  (or: innoscope fetch ncses --from DIR)",
        ),
        SourceId::Unctad => Some(
            "UNCTADstat's ICT goods trade comes from its bulk download (above). The World Investment Report's annex tables (FDI flows and stocks, F2) are spreadsheets on the report's page, named per edition, with no API.\n\
             1. Open https://unctad.org/topic/investment/world-investment-report and the edition's \"Annex tables\".\n\
             2. Save annex table 01 (FDI flows) and 02 (FDI stocks) as CSV.\n\
             3. Import: innoscope import WIR2024_tab01.csv --indicator UNCTAD.FDI.IN  (and --indicator UNCTAD.FDI.OUT for outflows, as the README shows)",
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wdi_codes_are_told_from_the_others() {
        for c in ["NY.GDP.MKTP.CD", "TX.VAL.ICTG.ZS.UN", "GB.XPD.RSDV.GD.ZS"] {
            assert!(is_wdi_code(c), "{c}");
        }
        for c in [
            "UNCTAD.ICT.EXP",
            "NCSES.PCT.APPL",
            "FED.H10.FX",
            "WIPO.PCT",
            "X",
        ] {
            assert!(!is_wdi_code(c), "{c}");
        }
    }

    #[test]
    fn sources_by_name_with_a_hint() {
        assert_eq!(SourceId::parse("WDI").unwrap(), SourceId::Wdi);
        let e = SourceId::parse("imf").unwrap_err().to_string();
        assert!(
            e.contains("unknown source `imf`") && e.contains("wdi, oecd"),
            "{e}"
        );
        assert_eq!(SourceId::Wdi.env_var(), "INNOSCOPE_WDI_BASE_URL");
    }
}
