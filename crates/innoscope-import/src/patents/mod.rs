//! Readers for patent microdata into the canonical model of
//! [`innoscope_core::patent`].
//!
//! Readers stream their input and hand borrowed rows to a [`PatentSink`], so
//! memory stays bounded by the sink. Like the statistics readers, they never
//! drop a row silently: a row that cannot be used becomes a [`Rejection`]
//! (file, line, field, reason), and what a format cannot provide is said in
//! [`PatentSummary::lacks`].

pub mod exports;
pub mod patentsview;
pub mod patstat;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use innoscope_core::patent::{Role, Scheme};
use serde::Serialize;

use crate::error::{ImportError, Rejection};

/// Allocates application and person ids across the files of one dataset.
#[derive(Debug, Default)]
pub struct IdAllocator {
    next_appln: i64,
    persons: HashMap<(String, Option<String>), i64>,
    /// Applications already seen, by (authority, number): a publication
    /// listed twice (A1 and B1 of one application) is one application.
    applns: HashMap<(String, String), i64>,
    /// State shared by the files of a PatentsView dataset.
    pub(crate) patentsview: patentsview::PatentsViewState,
}

impl IdAllocator {
    /// An allocator for one dataset whose PatentsView tables keep only the
    /// patents filed in `years` (all when `None`).
    pub fn with_years(years: Option<(i32, i32)>) -> IdAllocator {
        let mut ids = IdAllocator::default();
        ids.patentsview.years = years;
        ids
    }

    /// A fresh application id.
    pub(crate) fn next_id(&mut self) -> i64 {
        self.next_appln += 1;
        self.next_appln
    }

    /// The person id for a source key (a name, or a source's own person id)
    /// and country; `true` when it is new.
    pub(crate) fn person_keyed(&mut self, key: &str, country: Option<&str>) -> (i64, bool) {
        self.person(key, country)
    }

    pub(crate) fn appln(&mut self, authority: &str, number: Option<&str>) -> (i64, bool) {
        if let Some(n) = number {
            let key = (authority.to_string(), n.to_string());
            if let Some(id) = self.applns.get(&key) {
                return (*id, false);
            }
            self.next_appln += 1;
            self.applns.insert(key, self.next_appln);
            return (self.next_appln, true);
        }
        self.next_appln += 1;
        (self.next_appln, true)
    }

    pub(crate) fn person(&mut self, name: &str, country: Option<&str>) -> (i64, bool) {
        let key = (name.to_string(), country.map(str::to_string));
        let next = self.persons.len() as i64 + 1;
        let mut new = false;
        let id = *self.persons.entry(key).or_insert_with(|| {
            new = true;
            next
        });
        (id, new)
    }
}

/// An application row, borrowed from the reader's buffer.
#[derive(Clone, Copy, Debug, Default)]
pub struct ApplnRow<'a> {
    pub appln_id: i64,
    pub authority: &'a str,
    pub number: Option<&'a str>,
    pub kind: Option<&'a str>,
    pub filing_year: Option<i32>,
    pub priority_year: Option<i32>,
    pub publication_year: Option<i32>,
    pub family_id: Option<i64>,
    pub title: Option<&'a str>,
}

/// A person row.
#[derive(Clone, Copy, Debug)]
pub struct PersonRow<'a> {
    pub person_id: i64,
    pub name: &'a str,
    /// Cleaned two-letter code ([`innoscope_core::patent::clean_country`]).
    pub country: Option<&'a str>,
    /// The code as delivered, when it was not clean (junk, lower case, padded).
    pub country_raw: Option<&'a str>,
    /// The source's own harmonised name and the field it came from.
    pub harmonised: Option<(&'a str, &'static str)>,
    /// The source's sector (PATSTAT `psn_sector`).
    pub sector: Option<&'a str>,
}

/// A person on an application.
#[derive(Clone, Copy, Debug)]
pub struct PartyRow {
    pub appln_id: i64,
    pub person_id: i64,
    pub role: Role,
    pub seq: i32,
}

/// A classification row; `symbol` is in PATSTAT's fixed layout.
#[derive(Clone, Copy, Debug)]
pub struct ClassRow<'a> {
    pub appln_id: i64,
    pub scheme: Scheme,
    pub symbol: &'a str,
    pub raw: &'a str,
}

/// Where patent readers deliver rows.
pub trait PatentSink {
    fn appln(&mut self, row: &ApplnRow<'_>) -> Result<(), String>;
    fn person(&mut self, row: &PersonRow<'_>) -> Result<(), String>;
    fn party(&mut self, row: &PartyRow) -> Result<(), String>;
    fn class(&mut self, row: &ClassRow<'_>) -> Result<(), String>;
}

/// Counts per canonical table.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct TableCounts {
    pub appln: u64,
    pub person: u64,
    pub party: u64,
    pub class: u64,
}

impl TableCounts {
    pub fn add(&mut self, o: &TableCounts) {
        self.appln += o.appln;
        self.person += o.person;
        self.party += o.party;
        self.class += o.class;
    }
}

/// What a format lacks and what that means for the analyses, said once per
/// import and printed with every result from the dataset.
#[derive(Clone, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Lack {
    pub what: String,
    /// The consequence, as a clause: "no country counts (C4M), …".
    pub rules_out: String,
    /// The same two in Chinese.
    pub what_zh: String,
    pub rules_out_zh: String,
}

/// What a patent reader found in one file.
#[derive(Clone, Debug, Default, Serialize)]
pub struct PatentSummary {
    pub file: PathBuf,
    pub format: String,
    pub rows_read: u64,
    pub written: TableCounts,
    /// Rejected rows (the first [`MAX_KEPT`]; `rejected_total` counts all).
    pub rejected: Vec<Rejection>,
    pub rejected_total: u64,
    /// Values the source marks as missing (PATSTAT's `9999-12-31`, `9999`),
    /// unknown or junk country codes, and the like, by kind.
    pub missing: std::collections::BTreeMap<String, u64>,
    pub lacks: Vec<Lack>,
    pub notes: Vec<String>,
}

/// How many rejections a summary keeps in full.
pub const MAX_KEPT: usize = 200;

impl PatentSummary {
    pub fn new(file: &Path, format: &str) -> PatentSummary {
        PatentSummary {
            file: file.to_path_buf(),
            format: format.to_string(),
            ..PatentSummary::default()
        }
    }

    pub(crate) fn reject(&mut self, line: u64, field: &str, reason: impl Into<String>) {
        self.rejected_total += 1;
        if self.rejected.len() < MAX_KEPT {
            self.rejected.push(Rejection {
                file: self.file.clone(),
                line,
                field: field.to_string(),
                reason: reason.into(),
            });
        }
    }

    /// Stop the import when nearly every row so far was rejected
    /// ([`crate::error::hopeless`]): the file is not what it claims.
    pub(crate) fn stop_if_hopeless(&self, path: &Path) -> Result<(), ImportError> {
        if crate::error::hopeless(self.rejected_total, self.rows_read) {
            return Err(crate::error::stopped(
                path,
                self.rejected_total,
                self.rows_read,
                self.rejected.first(),
            ));
        }
        Ok(())
    }

    pub(crate) fn missing(&mut self, what: &str) {
        *self.missing.entry(what.to_string()).or_insert(0) += 1;
    }

    pub(crate) fn lack(
        &mut self,
        (what, what_zh): (&str, &str),
        (rules_out, rules_out_zh): (&str, &str),
    ) {
        self.lacks.push(Lack {
            what: what.to_string(),
            rules_out: rules_out.to_string(),
            what_zh: what_zh.to_string(),
            rules_out_zh: rules_out_zh.to_string(),
        });
    }
}

/// The patent formats innoscope reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PatentFormat {
    /// EPO PATSTAT bulk tables (`tls201_appln`, `tls206_person`,
    /// `tls207_pers_appln`, `tls209_appln_ipc`, `tls224_appln_cpc`), CSV.
    Patstat,
    /// PatentsView bulk `g_*` TSV tables (granted US patents).
    PatentsView,
    /// Lens.org CSV export.
    Lens,
    /// EPO Espacenet CSV export.
    Espacenet,
    /// WIPO PATENTSCOPE result export.
    Patentscope,
    /// Google Patents CSV export.
    GooglePatents,
}

impl PatentFormat {
    pub const ALL: [PatentFormat; 6] = [
        PatentFormat::Patstat,
        PatentFormat::PatentsView,
        PatentFormat::Lens,
        PatentFormat::Espacenet,
        PatentFormat::Patentscope,
        PatentFormat::GooglePatents,
    ];

    pub fn name(self) -> &'static str {
        match self {
            PatentFormat::Patstat => "patstat",
            PatentFormat::PatentsView => "patentsview",
            PatentFormat::Lens => "lens",
            PatentFormat::Espacenet => "espacenet",
            PatentFormat::Patentscope => "patentscope",
            PatentFormat::GooglePatents => "google-patents",
        }
    }

    pub fn from_name(s: &str) -> Option<PatentFormat> {
        PatentFormat::ALL.into_iter().find(|f| f.name() == s)
    }

    pub fn describe(self) -> &'static str {
        match self {
            PatentFormat::Patstat => {
                "EPO PATSTAT bulk tables tls201/206/207/209/224 (CSV, split parts allowed)"
            }
            PatentFormat::PatentsView => {
                "PatentsView bulk tables g_patent, g_application, g_assignee/inventor/location_disambiguated, g_ipc_at_issue, g_cpc_current (TSV)"
            }
            PatentFormat::Lens => "Lens.org CSV export (2015 and 2017+ layouts)",
            PatentFormat::Espacenet => "EPO Espacenet CSV export (any encoding, `NAME [CC]`)",
            PatentFormat::Patentscope => "WIPO PATENTSCOPE result list export",
            PatentFormat::GooglePatents => "Google Patents CSV export",
        }
    }

    /// Recognise a patent format from a file name and its first bytes.
    pub fn detect(path: &Path, head: &[u8]) -> Option<PatentFormat> {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        if patstat::PatstatTable::from_file_name(&name).is_some() {
            return Some(PatentFormat::Patstat);
        }
        if patentsview::PatentsViewTable::from_file_name(&name).is_some() {
            return Some(PatentFormat::PatentsView);
        }
        exports::detect(head)
    }
}

/// Read one patent file into `sink`. For PATSTAT the table is taken from the
/// file name (`tls201_appln.csv`, `tls207_pers_appln_part03.csv`).
pub fn read_patent_file(
    path: &Path,
    reader: &mut dyn std::io::Read,
    format: PatentFormat,
    ids: &mut IdAllocator,
    sink: &mut dyn PatentSink,
) -> Result<PatentSummary, ImportError> {
    // Every patent layout is line-based: a line is at most MAX_LINE bytes.
    let mut capped = crate::input::LineCap::new(reader, crate::input::MAX_LINE);
    let reader: &mut dyn std::io::Read = &mut capped;
    match format {
        PatentFormat::Patstat => {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_ascii_lowercase();
            let table = patstat::PatstatTable::from_file_name(&name).ok_or_else(|| {
                ImportError::new(path, "not a PATSTAT table file name").hint(
                    "name the files as PATSTAT delivers them: tls201_appln*.csv, tls206_person*.csv, tls207_pers_appln*.csv, tls209_appln_ipc*.csv, tls224_appln_cpc*.csv",
                )
            })?;
            patstat::read_csv(path, reader, table, sink)
        }
        PatentFormat::PatentsView => {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let table = patentsview::PatentsViewTable::from_file_name(name).ok_or_else(|| {
                ImportError::new(path, "not a PatentsView table file name").hint(
                    "name the files as PatentsView delivers them: g_patent.tsv, g_application.tsv, g_assignee_disambiguated.tsv, g_inventor_disambiguated.tsv, g_location_disambiguated.tsv, g_ipc_at_issue.tsv, g_cpc_current.tsv",
                )
            })?;
            patentsview::read(path, reader, table, ids, sink)
        }
        other => exports::read(path, reader, other, ids, sink),
    }
}
