//! Result-list exports of patent search services: Lens.org, EPO Espacenet,
//! WIPO PATENTSCOPE and Google Patents.
//!
//! One row is one publication; it becomes one application with its parties
//! and classification symbols. Exports name parties inline, so persons get
//! ids per distinct name-and-country within the dataset ([`super::IdAllocator`]).
//! Exports are capped by the services (10,000–50,000 rows), so a file is
//! decoded whole (at most [`MAX_EXPORT_BYTES`]) and then read record by
//! record.
//!
//! What each format lacks is said in the summary, with the analyses that
//! rules out: Lens, PATENTSCOPE and Google Patents give no applicant
//! country (no country counts, pairs or networks); Google Patents gives no
//! classification (no fields, no green patents).

use std::io::Read;
use std::path::Path;

use encoding_rs::{MACINTOSH, WINDOWS_1252};
use innoscope_core::patent::{Role, Scheme, Symbol, clean_country};

use super::{ApplnRow, ClassRow, PartyRow, PatentFormat, PatentSink, PatentSummary, PersonRow};
use crate::error::ImportError;

/// Largest export file read (exports are capped by the services far below this).
pub const MAX_EXPORT_BYTES: u64 = 1 << 30;

/// Recognise an export from its first bytes.
pub fn detect(head: &[u8]) -> Option<PatentFormat> {
    let text = String::from_utf8_lossy(&head[..head.len().min(4096)]);
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or("").replace('"', "");
    if first.starts_with("search URL:") {
        return Some(PatentFormat::GooglePatents);
    }
    let first = first.split('\r').next().unwrap_or("");
    if first.starts_with("#,Jurisdiction,Kind,Publication Number") {
        return Some(PatentFormat::Lens);
    }
    if first.starts_with("Title,Publication number,Publication date,Inventor(s),Applicant(s)") {
        return Some(PatentFormat::Espacenet);
    }
    if first.starts_with("Publication Number,Publication Date,Title,Priority Data,IPC,Applicants") {
        return Some(PatentFormat::Patentscope);
    }
    None
}

/// Decode an export: UTF-8 (with or without BOM) when valid, otherwise the
/// format's documented legacy encoding (Espacenet: Mac Roman; PATENTSCOPE and
/// Lens: ISO-8859-1/Windows-1252). Espacenet's name–country separator, an EN
/// SPACE that arrives as the Mac Roman mojibake `â€‚`, becomes a space.
fn decode(bytes: &[u8], format: PatentFormat, s: &mut PatentSummary) -> String {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(_) => {
            let enc = if format == PatentFormat::Espacenet {
                MACINTOSH
            } else {
                WINDOWS_1252
            };
            s.notes.push(format!(
                "not UTF-8: decoded as {} (the format's usual legacy encoding)",
                enc.name()
            ));
            enc.decode_without_bom_handling(bytes).0.into_owned()
        }
    };
    // CR-only and CRLF line ends become LF, so that line numbers count right.
    text.replace("â€‚", " ")
        .replace('\u{2002}', " ")
        .replace("\r\n", "\n")
        .replace('\r', "\n")
}

/// A symbol as exports write it, without the version and origin suffixes
/// PATENTSCOPE appends (`A47G 21/02 20060101AFI20131022BHKR`,
/// `A47J 37/06 (2006.01)`).
fn strip_symbol_suffix(raw: &str) -> String {
    let t = raw.trim();
    let t = match t.find('/') {
        Some(i) => {
            let end = t[i + 1..]
                .find(|c: char| !c.is_ascii_digit())
                .map_or(t.len(), |j| i + 1 + j);
            &t[..end]
        }
        None => t,
    };
    // Old IPC editions: `6 A 21 D 13/02` (edition, then spaced section,
    // class and subclass) is `A21D 13/02`.
    let tokens: Vec<&str> = t.split_whitespace().collect();
    let spaced = |toks: &[&str]| {
        toks.len() >= 4
            && toks[0].len() == 1
            && toks[0].bytes().all(|b| b.is_ascii_uppercase())
            && toks[1].len() == 2
            && toks[1].bytes().all(|b| b.is_ascii_digit())
            && toks[2].len() == 1
            && toks[2].bytes().all(|b| b.is_ascii_uppercase())
    };
    for skip in [0usize, 1] {
        if tokens.len() > skip
            && (skip == 0 || tokens[0].bytes().all(|b| b.is_ascii_digit()))
            && spaced(&tokens[skip..])
        {
            let rest = &tokens[skip..];
            return format!("{}{}{} {}", rest[0], rest[1], rest[2], rest[3..].join(" "));
        }
    }
    t.to_string()
}

/// A year read from a date cell: four digits, or the two of `m/d/yy`
/// (which must be resolved against the century).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DateYear {
    Empty,
    Year(i32),
    TwoDigit(i32),
    /// Digits that make no date (`99999`).
    Bad,
}

fn date_year(date: &str) -> DateYear {
    let d = date.trim();
    if d.is_empty() || d == "0" || d == "NA" {
        return DateYear::Empty;
    }
    let digits: Vec<&str> = d
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    // Day and month must be possible in any of the exports' orders
    // (dd/mm/yyyy, m/d/yy, yyyy-mm-dd, dd.mm.yyyy): neither above 31, one of
    // them 12 or below.
    if digits.len() == 3 {
        let others: Vec<u32> = digits
            .iter()
            .enumerate()
            .filter(|(i, p)| p.len() <= 2 && (*i < 2 || digits[0].len() == 4))
            .filter_map(|(_, p)| p.parse().ok())
            .collect();
        if others.len() == 2
            && (others.iter().any(|&v| v == 0 || v > 31) || others.iter().all(|&v| v > 12))
        {
            return DateYear::Bad;
        }
    }
    if digits.len() == 3 && digits[2].len() == 2 && !digits.iter().any(|p| p.len() == 4) {
        return match digits[2].parse() {
            Ok(yy) => DateYear::TwoDigit(yy),
            Err(_) => DateYear::Bad,
        };
    }
    match year_of(d) {
        Some(y) => DateYear::Year(y),
        None => DateYear::Bad,
    }
}

/// The current year (UTC), for resolving two-digit years and flagging
/// dates in the future.
fn this_year() -> i32 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    1970 + (secs as f64 / (365.2425 * 86_400.0)) as i32
}

/// Resolve two-digit years: a publication is not in the future, and a
/// filing does not follow its publication (`1/5/39` filed, `3/2/41`
/// published: 1939 and 1941, not 2039). Years after `now` are unknown.
fn resolve_years(
    filing: DateYear,
    publication: DateYear,
    now: i32,
) -> (Option<i32>, Option<i32>, bool) {
    let century = |yy: i32, not_after: i32| {
        let y = 2000 + yy;
        if y > not_after { y - 100 } else { y }
    };
    let publication = match publication {
        DateYear::Year(y) => Some(y),
        DateYear::TwoDigit(yy) => Some(century(yy, now)),
        _ => None,
    };
    let filing = match filing {
        DateYear::Year(y) => Some(y),
        DateYear::TwoDigit(yy) => Some(century(yy, publication.unwrap_or(now).min(now))),
        _ => None,
    };
    let future = filing.is_some_and(|y| y > now) || publication.is_some_and(|y| y > now);
    (
        filing.filter(|y| *y <= now),
        publication.filter(|y| *y <= now),
        future,
    )
}

/// A four-digit year anywhere in a date (`2015-02-11`, `24/08/2001`,
/// `21.08.2009`, `20011105`), or the two-digit year of `m/d/yy` dates.
fn year_of(date: &str) -> Option<i32> {
    let d = date.trim();
    if d.is_empty() || d == "0" || d == "NA" {
        return None;
    }
    let digits: Vec<&str> = d
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    if digits.len() == 1 && digits[0].len() == 8 {
        return digits[0][..4]
            .parse()
            .ok()
            .filter(|y| (1800..=2200).contains(y));
    }
    if let Some(y) = digits.iter().find(|p| p.len() == 4) {
        return y.parse().ok().filter(|y| (1800..=2200).contains(y));
    }
    if digits.len() == 3 && digits[2].len() == 2 {
        let yy: i32 = digits[2].parse().ok()?;
        // Two-digit years: exports of this layout date from 2015–2017.
        return Some(if yy <= 40 { 2000 + yy } else { 1900 + yy });
    }
    None
}

/// Earliest year among 8-digit dates or ISO dates in a priority field.
fn earliest_priority(field: &str) -> Option<i32> {
    field
        .split([' ', ';', ',', '[', ']'])
        .filter_map(|tok| {
            let t = tok.trim();
            let compact = t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit());
            let iso = t.len() >= 10 && t.as_bytes().get(4) == Some(&b'-');
            if compact || iso {
                t[..4].parse::<i32>().ok()
            } else {
                None
            }
        })
        .filter(|y| (1800..=2200).contains(y))
        .min()
}

/// `NAME [CC]` → (`NAME`, Some(`CC`)).
fn name_country(s: &str) -> (String, Option<String>) {
    let t = s.trim();
    if let Some(open) = t.rfind('[')
        && t.ends_with(']')
    {
        let code = &t[open + 1..t.len() - 1];
        if let Some(c) = clean_country(code) {
            return (t[..open].trim().to_string(), Some(c));
        }
    }
    (t.to_string(), None)
}

struct Row<'a> {
    authority: String,
    number: Option<String>,
    kind: Option<String>,
    filing_year: Option<i32>,
    priority_year: Option<i32>,
    publication_year: Option<i32>,
    title: Option<&'a str>,
    applicants: Vec<(String, Option<String>)>,
    inventors: Vec<(String, Option<String>)>,
    classes: Vec<(Scheme, String)>,
}

fn split_list<'a>(field: &'a str, sep: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    field
        .split(sep)
        .map(str::trim)
        .filter(|p| !p.is_empty() && *p != "NA")
}

fn leading_office(s: &str) -> String {
    s.trim()
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .take(2)
        .collect::<String>()
        .to_ascii_uppercase()
}

/// Read one export file.
pub fn read(
    path: &Path,
    reader: &mut dyn Read,
    format: PatentFormat,
    ids: &mut super::IdAllocator,
    sink: &mut dyn PatentSink,
) -> Result<PatentSummary, ImportError> {
    let mut s = PatentSummary::new(path, format.name());
    let mut bytes = Vec::new();
    reader
        .take(MAX_EXPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ImportError::new(path, format!("cannot read: {e}")))?;
    if bytes.len() as u64 > MAX_EXPORT_BYTES {
        return Err(
            ImportError::new(path, "file larger than 1 GiB: not a search-service export")
                .hint("bulk data (PATSTAT) is imported with --format patstat"),
        );
    }
    let text = decode(&bytes, format, &mut s);
    let mut body = text.as_str();
    let mut offset = 0;
    if format == PatentFormat::GooglePatents {
        // Line 1 is `search URL:,…`; the header is on line 2.
        if let Some(i) = body.find(['\n', '\r']) {
            body = body[i..].trim_start_matches(['\r', '\n']);
            offset = 1;
        }
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(body.as_bytes());
    let header = rdr
        .headers()
        .map_err(|e| {
            ImportError::new(path, format!("cannot read the header: {e}")).at_line(1 + offset)
        })?
        .clone();
    let col = |name: &str| header.iter().position(|h| h.trim() == name);
    let need = |name: &str| {
        col(name).ok_or_else(|| {
            ImportError::new(
                path,
                format!("column `{name}` is missing: not a {} export", format.name()),
            )
            .at_line(1 + offset)
            .field(name.to_string())
        })
    };
    match format {
        PatentFormat::Lens => {
            s.lack(
                ("applicant country", "申请人国家"),
                (
                    "no country counts (C4M), international co-applications or pairs (K1), field networks (K2) or green counts by economy (I5); Jurisdiction is the filing office, not the applicant's country",
                    "无法计算各经济体申请量（C4M）、国际合作申请及国家对（K1）、领域合作网络（K2）和分经济体绿色专利（I5）；Jurisdiction 为受理局而非申请人所在国",
                ),
            );
        }
        PatentFormat::Patentscope => {
            s.lack(
                ("applicant country", "申请人国家"),
                (
                    "no country counts (C4M), international co-applications or pairs (K1), field networks (K2) or green counts by economy (I5); Priority Data gives the priority office only",
                    "无法计算各经济体申请量（C4M）、国际合作申请及国家对（K1）、领域合作网络（K2）和分经济体绿色专利（I5）；Priority Data 仅给出优先权受理局",
                ),
            );
            s.lack(
                ("CPC symbols", "CPC 分类号"),
                (
                    "no green counts by EPO Y02/Y04S (use --green wipo or envtech)",
                    "无法按 EPO Y02/Y04S 统计绿色专利（可用 --green wipo 或 envtech）",
                ),
            );
        }
        PatentFormat::GooglePatents => {
            s.lack(
                ("applicant country", "申请人国家"),
                (
                    "no country counts (C4M), co-applications (K1), networks (K2) or green counts by economy (I5)",
                    "无法计算各经济体申请量（C4M）、合作申请（K1）、合作网络（K2）和分经济体绿色专利（I5）",
                ),
            );
            s.lack(
                ("classification symbols", "分类号"),
                (
                    "no technology fields (I4), field networks (K2) or green patents (I5)",
                    "无法计算技术领域（I4）、领域合作网络（K2）和绿色专利（I5）",
                ),
            );
        }
        PatentFormat::Espacenet => {
            s.lack(
                (
                    "applicant country for some rows (those without `[CC]`)",
                    "部分记录的申请人国家（无 `[CC]` 的记录）",
                ),
                (
                    "those applicants count as of unknown country",
                    "这些申请人计为国家未知",
                ),
            );
        }
        PatentFormat::Patstat | PatentFormat::PatentsView => {
            return Err(ImportError::new(
                path,
                "bulk tables are not read as exports",
            ));
        }
    }
    let cols: Vec<Option<usize>> = match format {
        PatentFormat::Lens => vec![
            Some(need("Jurisdiction")?),
            col("Application Number"),
            col("Kind"),
            col("Application Date"),
            col("Priority Numbers"),
            col("Publication Year").or(col("Publication Date")),
            col("Title"),
            Some(need("Applicants")?),
            col("Inventors"),
            col("IPCR Classifications"),
            col("CPC Classifications"),
        ],
        PatentFormat::Espacenet => vec![
            Some(need("Publication number")?),
            col("Application number"),
            None,
            col("Date of application"),
            col("Priority number(s)"),
            col("Publication date"),
            col("Title"),
            Some(need("Applicant(s)")?),
            col("Inventor(s)"),
            col("International classification"),
            col("Cooperative Patent Classification"),
        ],
        PatentFormat::Patentscope => vec![
            Some(need("Publication Number")?),
            None,
            None,
            None,
            col("Priority Data"),
            col("Publication Date"),
            col("Title"),
            Some(need("Applicants")?),
            col("Inventors"),
            col("IPC"),
            None,
        ],
        PatentFormat::GooglePatents => vec![
            Some(need("id")?),
            None,
            None,
            col("filing/creation date"),
            col("priority date"),
            col("publication date"),
            col("title"),
            Some(need("assignee")?),
            col("inventor/author"),
            None,
            None,
        ],
        PatentFormat::Patstat | PatentFormat::PatentsView => unreachable!("returned above"),
    };
    let sep = match format {
        PatentFormat::Lens => ";;",
        PatentFormat::Espacenet => ";",
        PatentFormat::Patentscope => ";",
        _ => ",",
    };
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            ImportError::new(path, format!("malformed CSV: {e}"))
                .at_line(e.position().map(|p| p.line()).unwrap_or(0) + offset)
        })?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0) + offset;
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        s.rows_read += 1;
        s.stop_if_hopeless(path)?;
        if rec.len() != header.len() {
            s.reject(
                line,
                "",
                format!(
                    "expected {} fields, found {} (a truncated or malformed line: the file may have been cut)",
                    header.len(),
                    rec.len()
                ),
            );
            continue;
        }
        if rec
            .iter()
            .zip(header.iter())
            .all(|(a, b)| a.trim().eq_ignore_ascii_case(b.trim()))
        {
            s.reject(
                line,
                "",
                "the header line appears again here (two exports joined into one file?)",
            );
            continue;
        }
        let get = |i: usize| cols[i].and_then(|c| rec.get(c)).unwrap_or("").trim();
        let first = get(0);
        if first.is_empty() {
            s.reject(
                line,
                header.get(cols[0].unwrap_or(0)).unwrap_or(""),
                "empty",
            );
            continue;
        }
        let (authority, kind, number) = match format {
            PatentFormat::Lens => (
                first.to_ascii_uppercase(),
                Some(get(2).to_string()).filter(|k| !k.is_empty()),
                Some(get(1).to_string()).filter(|k| !k.is_empty()),
            ),
            PatentFormat::Espacenet => {
                // `CA2731260 (A1); CA2731260 (C)`: the first publication.
                let pubno = first.split(';').next().unwrap_or("").trim();
                let (num, kind) = match pubno.split_once('(') {
                    Some((n, k)) => (n.trim(), Some(k.trim_end_matches(')').trim().to_string())),
                    None => (pubno, None),
                };
                let appno = Some(get(1).to_string()).filter(|k| !k.is_empty());
                (leading_office(num), kind, appno.or(Some(num.to_string())))
            }
            PatentFormat::Patentscope => (leading_office(first), None, Some(first.to_string())),
            PatentFormat::GooglePatents => {
                // `US7730338B2`: office, number, kind (`B2`, `A`).
                let kind_at = first
                    .char_indices()
                    .skip(2)
                    .filter(|(_, c)| c.is_ascii_alphabetic())
                    .map(|(i, _)| i)
                    .last();
                let (number, kind) = match kind_at {
                    Some(i) => (&first[..i], Some(first[i..].to_string())),
                    None => (first, None),
                };
                (leading_office(first), kind, Some(number.to_string()))
            }
            PatentFormat::Patstat | PatentFormat::PatentsView => unreachable!("returned above"),
        };
        if authority.len() != 2 {
            s.reject(
                line,
                "publication number",
                format!("no office code in `{first}`"),
            );
            continue;
        }
        let parties = |field: &str| -> Vec<(String, Option<String>)> {
            split_list(field, sep)
                .map(|p| {
                    if format == PatentFormat::Espacenet {
                        name_country(p)
                    } else {
                        (p.to_string(), None)
                    }
                })
                .filter(|(n, _)| !n.is_empty())
                .collect()
        };
        let mut classes = Vec::new();
        for (i, scheme) in [(9, Scheme::Ipc), (10, Scheme::Cpc)] {
            for sym in split_list(get(i), sep) {
                classes.push((scheme, sym.to_string()));
            }
        }
        let assignee_sep = if format == PatentFormat::GooglePatents {
            "\u{0}"
        } else {
            sep
        };
        let applicants: Vec<(String, Option<String>)> = if format == PatentFormat::GooglePatents {
            // Google's assignee column holds one name (with commas inside: `Foo, Inc.`).
            split_list(get(7), assignee_sep)
                .map(|p| (p.to_string(), None))
                .collect()
        } else {
            parties(get(7))
        };
        let (filed, published) = (date_year(get(3)), date_year(get(5)));
        if filed == DateYear::Bad || published == DateYear::Bad {
            let (field, v) = if filed == DateYear::Bad {
                (
                    header.get(cols[3].unwrap_or(0)).unwrap_or("filing date"),
                    get(3),
                )
            } else {
                (
                    header
                        .get(cols[5].unwrap_or(0))
                        .unwrap_or("publication date"),
                    get(5),
                )
            };
            s.reject(line, field, format!("`{v}` is not a date"));
            continue;
        }
        let (filing_year, publication_year, future) = resolve_years(filed, published, this_year());
        if future {
            s.missing("date after the import date (kept as unknown)");
        }
        let row = Row {
            authority,
            number,
            kind,
            filing_year,
            priority_year: earliest_priority(get(4)).or_else(|| {
                (format == PatentFormat::GooglePatents)
                    .then(|| year_of(get(4)))
                    .flatten()
            }),
            publication_year,
            title: Some(get(6)).filter(|t| !t.is_empty()),
            applicants,
            inventors: parties(get(8)),
            classes,
        };
        if row.filing_year.is_none() {
            s.missing("filing year missing");
        }
        emit(&mut s, line, ids, sink, row);
    }
    Ok(s)
}

fn emit(
    s: &mut PatentSummary,
    line: u64,
    ids: &mut super::IdAllocator,
    sink: &mut dyn PatentSink,
    row: Row<'_>,
) {
    let (appln_id, new) = ids.appln(&row.authority, row.number.as_deref());
    if !new {
        s.missing("publication of an application already read (merged)");
        return;
    }
    let res = sink.appln(&ApplnRow {
        appln_id,
        authority: &row.authority,
        number: row.number.as_deref(),
        kind: row.kind.as_deref(),
        filing_year: row.filing_year,
        priority_year: row.priority_year,
        publication_year: row.publication_year,
        family_id: None,
        title: row.title,
    });
    if let Err(e) = res {
        s.reject(line, "", e);
        return;
    }
    s.written.appln += 1;
    for (role, list) in [
        (Role::Applicant, &row.applicants),
        (Role::Inventor, &row.inventors),
    ] {
        for (seq, (name, country)) in list.iter().enumerate() {
            let (person_id, new) = ids.person(name, country.as_deref());
            if new {
                if country.is_none() {
                    s.missing("person without country");
                }
                if let Err(e) = sink.person(&PersonRow {
                    person_id,
                    name,
                    country: country.as_deref(),
                    country_raw: None,
                    harmonised: None,
                    sector: None,
                }) {
                    s.reject(line, role.as_str(), e);
                    continue;
                }
                s.written.person += 1;
            }
            if let Err(e) = sink.party(&PartyRow {
                appln_id,
                person_id,
                role,
                seq: seq as i32 + 1,
            }) {
                s.reject(line, role.as_str(), e);
                continue;
            }
            s.written.party += 1;
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for (scheme, raw) in &row.classes {
        match Symbol::parse(&strip_symbol_suffix(raw)) {
            Ok(sym) => {
                if !seen.insert((*scheme, sym.fixed().to_string())) {
                    continue;
                }
                if let Err(e) = sink.class(&ClassRow {
                    appln_id,
                    scheme: *scheme,
                    symbol: sym.fixed(),
                    raw,
                }) {
                    s.reject(line, scheme.as_str(), e);
                    continue;
                }
                s.written.class += 1;
            }
            Err(e) => s.reject(line, scheme.as_str(), format!("{e} (symbol skipped)")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_and_names() {
        assert_eq!(year_of("24/08/2001"), Some(2001));
        assert_eq!(year_of("20011105"), Some(2001));
        assert_eq!(year_of("4/2/15"), Some(2015));
        assert_eq!(year_of("21.08.2009"), Some(2009));
        assert_eq!(year_of("0"), None);
        // Two-digit years against the publication and the import date.
        let two = |f: &str, p: &str, now| resolve_years(date_year(f), date_year(p), now);
        assert_eq!(
            two("1/5/39", "3/2/41", 2026),
            (Some(1939), Some(1941), false)
        );
        assert_eq!(
            two("4/2/15", "8/9/16", 2026),
            (Some(2015), Some(2016), false)
        );
        assert_eq!(two("4/2/99", "", 2026), (Some(1999), None, false));
        assert_eq!(two("2031-01-01", "", 2026), (None, None, true));
        assert_eq!(date_year("99999"), DateYear::Bad);
        assert_eq!(date_year("45/13/2001"), DateYear::Bad);
        assert_eq!(date_year("13/13/2001"), DateYear::Bad);
        assert_eq!(date_year("2001-00-10"), DateYear::Bad);
        assert_eq!(date_year("24/08/2001"), DateYear::Year(2001));
        assert_eq!(date_year("8/24/01"), DateYear::TwoDigit(1));
        assert_eq!(date_year("2015-02-11"), DateYear::Year(2015));
        assert_eq!(
            earliest_priority(
                "[200402236U 2004-10-01T23:59:59.000Z ES, 2005070132 2005-09-23T23:59:59.000Z ES]"
            ),
            Some(2004)
        );
        assert_eq!(earliest_priority("US 201314042670 A 20130930"), Some(2013));
        assert_eq!(
            name_country("ELWHA LLC [US]"),
            ("ELWHA LLC".to_string(), Some("US".to_string()))
        );
        assert_eq!(name_country("ACME"), ("ACME".to_string(), None));
        assert_eq!(
            strip_symbol_suffix("A47G 21/02 20060101AFI20131022BHKR"),
            "A47G 21/02"
        );
        assert_eq!(strip_symbol_suffix("A47J 37/06 (2006.01)"), "A47J 37/06");
        assert_eq!(strip_symbol_suffix("H04W"), "H04W");
        assert_eq!(strip_symbol_suffix("6 A 21 D 13/02"), "A21D 13/02");
    }
}
