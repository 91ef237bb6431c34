//! PatentsView bulk downloads: the `g_*` tab-separated tables of granted US
//! patents.
//!
//! | file | gives |
//! | --- | --- |
//! | `g_location_disambiguated.tsv` | location → country (read first) |
//! | `g_application.tsv` | patent → filing year |
//! | `g_patent.tsv` | the applications: grant year, title, kind |
//! | `g_assignee_disambiguated.tsv` | applicants (organisation or person) with country via location |
//! | `g_inventor_disambiguated.tsv` | inventors with country via location |
//! | `g_ipc_at_issue.tsv` | IPC symbols (from their parts) |
//! | `g_cpc_current.tsv` | CPC symbols |
//!
//! The files of one dataset share state ([`PatentsViewState`], kept in the
//! import's [`super::IdAllocator`]): location countries, patent ids,
//! filing years. Memory grows with the number of patents (about 50 bytes
//! each), not with the file sizes. The import orders the files as above
//! whatever order they are given in ([`PatentsViewTable::rank`]).
//!
//! With `years` set (`import --years A:B`, `fetch patentsview --years A:B`)
//! only the patents filed in those years are written (granted in them, for
//! a patent without a filing date), and the rows of the other patents in
//! the later tables are skipped and counted, not rejected.
//!
//! Authority is `US` throughout; a patent's publication year is its grant
//! year. PatentsView has no PCT flag: PCT-only counting rules out nothing
//! but finds nothing, so use `--authority US` or `any`.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use innoscope_core::patent::{Role, Scheme, Symbol, clean_country};

use super::IdAllocator;
use super::{ApplnRow, ClassRow, PartyRow, PatentSink, PatentSummary, PersonRow};
use crate::error::ImportError;

/// The PatentsView tables innoscope reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PatentsViewTable {
    Location,
    Application,
    Patent,
    Assignee,
    Inventor,
    Ipc,
    Cpc,
}

impl PatentsViewTable {
    pub const ALL: [PatentsViewTable; 7] = [
        PatentsViewTable::Location,
        PatentsViewTable::Application,
        PatentsViewTable::Patent,
        PatentsViewTable::Assignee,
        PatentsViewTable::Inventor,
        PatentsViewTable::Ipc,
        PatentsViewTable::Cpc,
    ];

    pub fn file_stem(self) -> &'static str {
        match self {
            PatentsViewTable::Location => "g_location_disambiguated",
            PatentsViewTable::Application => "g_application",
            PatentsViewTable::Patent => "g_patent",
            PatentsViewTable::Assignee => "g_assignee_disambiguated",
            PatentsViewTable::Inventor => "g_inventor_disambiguated",
            PatentsViewTable::Ipc => "g_ipc_at_issue",
            PatentsViewTable::Cpc => "g_cpc_current",
        }
    }

    /// The table of a file name (`g_patent.tsv`, `g_patent.tsv.zip` is not
    /// read here: unzip first or pass the zip to the store import).
    pub fn from_file_name(name: &str) -> Option<PatentsViewTable> {
        let n = name.to_ascii_lowercase();
        let stem = n.split('.').next().unwrap_or("");
        PatentsViewTable::ALL
            .into_iter()
            .find(|t| stem == t.file_stem())
    }

    /// Reading order within a dataset.
    pub fn rank(self) -> usize {
        self as usize
    }
}

/// State shared by the files of one PatentsView dataset.
#[derive(Debug, Default)]
pub struct PatentsViewState {
    location_country: HashMap<String, String>,
    filing_year: HashMap<String, i32>,
    /// Patent number → application id, or [`LEFT_OUT`].
    patent_ids: HashMap<String, i64>,
    /// Keep only the patents filed in these years (granted in them, for a
    /// patent without a filing date), with their parties and symbols.
    pub(crate) years: Option<(i32, i32)>,
}

/// The application id of a patent left out by the years asked.
const LEFT_OUT: i64 = i64::MIN;

fn col(header: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    header.iter().position(|h| {
        names
            .iter()
            .any(|n| h.trim().trim_start_matches('\u{feff}') == *n)
    })
}

fn year_of(date: &str) -> Option<i32> {
    let y: i32 = date.trim().get(..4)?.parse().ok()?;
    (1700..=2200).contains(&y).then_some(y)
}

/// The application id of a patent read from `g_patent.tsv`; a row naming
/// another patent is rejected, and one of a patent left out by the years
/// asked is counted in `left_out` and skipped.
fn known_patent(
    ids: &IdAllocator,
    s: &mut PatentSummary,
    left_out: &mut u64,
    line: u64,
    pid: &str,
) -> Option<i64> {
    match ids.patentsview.patent_ids.get(pid).copied() {
        Some(LEFT_OUT) => {
            *left_out += 1;
            None
        }
        Some(id) => Some(id),
        None => {
            s.reject(
                line,
                "patent_id",
                format!("patent `{pid}` is not in g_patent.tsv"),
            );
            None
        }
    }
}

/// Read one PatentsView table.
pub fn read(
    path: &Path,
    reader: &mut dyn Read,
    table: PatentsViewTable,
    ids: &mut IdAllocator,
    sink: &mut dyn PatentSink,
) -> Result<PatentSummary, ImportError> {
    let mut s = PatentSummary::new(path, "patentsview");
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .has_headers(true)
        .flexible(true)
        .quoting(true)
        .buffer_capacity(1 << 20)
        .from_reader(reader);
    let header = rdr
        .headers()
        .map_err(|e| ImportError::new(path, format!("cannot read the header: {e}")).at_line(1))?
        .clone();
    let need = |names: &[&str]| {
        col(&header, names).ok_or_else(|| {
            ImportError::new(
                path,
                format!(
                    "column `{}` is missing from a {} file",
                    names[0],
                    table.file_stem()
                ),
            )
            .at_line(1)
            .field(names[0].to_string())
            .hint("PatentsView bulk files are tab-separated with a header line")
        })
    };
    let patent = if table == PatentsViewTable::Location {
        None
    } else {
        Some(need(&["patent_id"])?)
    };
    match table {
        PatentsViewTable::Assignee => s.lack(
            (
                "PCT flag (grants at the USPTO only)",
                "PCT 标识（仅含美国专利商标局授权专利）",
            ),
            (
                "PCT-only counting finds nothing; use --authority US or any",
                "仅统计 PCT 申请时结果为空；请用 --authority US 或 any",
            ),
        ),
        PatentsViewTable::Patent => s.lack(
            ("applications that were not granted", "未授权的申请"),
            (
                "counts cover granted US patents only",
                "统计仅覆盖美国授权专利",
            ),
        ),
        _ => {}
    }
    let cols: Vec<Option<usize>> = match table {
        PatentsViewTable::Location => vec![
            Some(need(&["location_id"])?),
            Some(need(&["disambig_country", "country"])?),
        ],
        PatentsViewTable::Application => vec![Some(need(&["filing_date"])?)],
        PatentsViewTable::Patent => vec![
            Some(need(&["patent_date"])?),
            col(&header, &["patent_title"]),
            col(&header, &["wipo_kind", "patent_type"]),
        ],
        PatentsViewTable::Assignee => vec![
            col(&header, &["assignee_sequence"]),
            col(&header, &["assignee_id"]),
            col(
                &header,
                &["disambig_assignee_organization", "assignee_organization"],
            ),
            col(&header, &["disambig_assignee_individual_name_first"]),
            col(&header, &["disambig_assignee_individual_name_last"]),
            col(&header, &["location_id"]),
        ],
        PatentsViewTable::Inventor => vec![
            col(&header, &["inventor_sequence"]),
            col(&header, &["inventor_id"]),
            None,
            col(&header, &["disambig_inventor_name_first"]),
            col(&header, &["disambig_inventor_name_last"]),
            col(&header, &["location_id"]),
        ],
        PatentsViewTable::Ipc => vec![
            Some(need(&["section"])?),
            Some(need(&["ipc_class"])?),
            Some(need(&["subclass"])?),
            col(&header, &["main_group"]),
            col(&header, &["subgroup"]),
        ],
        PatentsViewTable::Cpc => vec![
            col(&header, &["cpc_subclass"]),
            col(&header, &["cpc_group"]),
        ],
    };
    let mut left_out = 0u64;
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            ImportError::new(path, format!("malformed TSV: {e}"))
                .at_line(e.position().map(|p| p.line()).unwrap_or(0))
        })?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        s.rows_read += 1;
        s.stop_if_hopeless(path)?;
        let get = |i: Option<usize>| i.and_then(|i| rec.get(i)).unwrap_or("").trim();
        let pid = get(patent);
        if table != PatentsViewTable::Location && pid.is_empty() {
            s.reject(line, "patent_id", "empty");
            continue;
        }
        let result = match table {
            PatentsViewTable::Location => {
                if let Some(c) = clean_country(get(cols[1])) {
                    ids.patentsview
                        .location_country
                        .insert(get(cols[0]).to_string(), c);
                } else {
                    s.missing("location without a country code");
                }
                Ok(())
            }
            PatentsViewTable::Application => {
                match year_of(get(cols[0])) {
                    Some(y) => {
                        ids.patentsview.filing_year.insert(pid.to_string(), y);
                    }
                    None => s.missing("filing date missing or unreadable"),
                }
                Ok(())
            }
            PatentsViewTable::Patent => {
                if ids.patentsview.patent_ids.contains_key(pid) {
                    s.reject(line, "patent_id", format!("patent `{pid}` listed twice"));
                    continue;
                }
                let filing_year = ids.patentsview.filing_year.get(pid).copied();
                if let Some((a, b)) = ids.patentsview.years
                    && !filing_year
                        .or(year_of(get(cols[0])))
                        .is_some_and(|y| (a..=b).contains(&y))
                {
                    ids.patentsview.patent_ids.insert(pid.to_string(), LEFT_OUT);
                    left_out += 1;
                    continue;
                }
                let appln_id = ids.next_id();
                ids.patentsview.patent_ids.insert(pid.to_string(), appln_id);
                if filing_year.is_none() {
                    s.missing("no filing year (g_application.tsv not read or no row)");
                }
                let title = get(cols[1]);
                let kind = get(cols[2]);
                let r = sink.appln(&ApplnRow {
                    appln_id,
                    authority: "US",
                    number: Some(pid),
                    kind: (!kind.is_empty()).then_some(kind),
                    filing_year,
                    priority_year: None,
                    publication_year: year_of(get(cols[0])),
                    family_id: None,
                    title: (!title.is_empty()).then_some(title),
                });
                if r.is_ok() {
                    s.written.appln += 1;
                }
                r
            }
            PatentsViewTable::Assignee | PatentsViewTable::Inventor => {
                let Some(appln_id) = known_patent(ids, &mut s, &mut left_out, line, pid) else {
                    continue;
                };
                let org = get(cols[2]);
                let name = if org.is_empty() {
                    format!("{}, {}", get(cols[4]), get(cols[3]))
                        .trim_matches([',', ' '])
                        .to_string()
                } else {
                    org.to_string()
                };
                if name.is_empty() {
                    s.reject(line, "name", "no organisation or person name");
                    continue;
                }
                let country = ids.patentsview.location_country.get(get(cols[5])).cloned();
                if country.is_none() {
                    s.missing("party without a located country");
                }
                let key = format!("pv:{}", get(cols[1]));
                let key = if get(cols[1]).is_empty() {
                    name.clone()
                } else {
                    key
                };
                let (person_id, new) = ids.person_keyed(&key, country.as_deref());
                if new {
                    sink.person(&PersonRow {
                        person_id,
                        name: &name,
                        country: country.as_deref(),
                        country_raw: None,
                        harmonised: None,
                        sector: None,
                    })
                    .map_err(|e| ImportError::new(path, e).at_line(line))?;
                    s.written.person += 1;
                }
                let role = if table == PatentsViewTable::Assignee {
                    Role::Applicant
                } else {
                    Role::Inventor
                };
                let seq = get(cols[0]).parse::<i32>().map(|x| x + 1).unwrap_or(1);
                let r = sink.party(&PartyRow {
                    appln_id,
                    person_id,
                    role,
                    seq,
                });
                if r.is_ok() {
                    s.written.party += 1;
                }
                r
            }
            PatentsViewTable::Ipc | PatentsViewTable::Cpc => {
                let Some(appln_id) = known_patent(ids, &mut s, &mut left_out, line, pid) else {
                    continue;
                };
                let (raw, scheme) = if table == PatentsViewTable::Ipc {
                    // Parts: section `A`, class `61` (or `A61`), subclass `K` (or `A61K`).
                    let (sec, cls, sub) = (get(cols[0]), get(cols[1]), get(cols[2]));
                    let head = if sub.len() == 4 {
                        sub.to_string()
                    } else if cls.len() == 3 {
                        format!("{cls}{sub}")
                    } else {
                        format!("{sec}{cls}{sub}")
                    };
                    let (main, subg) = (get(cols[3]), get(cols[4]));
                    let raw = if main.is_empty() {
                        head
                    } else {
                        format!(
                            "{head} {main}/{}",
                            if subg.is_empty() { "00" } else { subg }
                        )
                    };
                    (raw, Scheme::Ipc)
                } else {
                    let group = get(cols[1]);
                    let raw = if group.contains('/') {
                        group.to_string()
                    } else {
                        get(cols[0]).to_string()
                    };
                    (raw, Scheme::Cpc)
                };
                match Symbol::parse(&raw) {
                    Ok(sym) => {
                        let r = sink.class(&ClassRow {
                            appln_id,
                            scheme,
                            symbol: sym.fixed(),
                            raw: &raw,
                        });
                        if r.is_ok() {
                            s.written.class += 1;
                        }
                        r
                    }
                    Err(e) => {
                        s.reject(line, scheme.as_str(), e.to_string());
                        continue;
                    }
                }
            }
        };
        if let Err(e) = result {
            s.reject(line, "", e);
        }
    }
    if let Some((a, b)) = ids.patentsview.years
        && left_out > 0
    {
        let what = match (table, left_out) {
            (PatentsViewTable::Patent, 1) => "patent",
            (PatentsViewTable::Patent, _) => "patents",
            (_, 1) => "row of a patent",
            _ => "rows of patents",
        };
        s.notes.push(format!(
            "{left_out} {what} filed outside {a}–{b} left out (--years {a}:{b})"
        ));
    }
    Ok(s)
}
