//! Parsing numeric cells as statistics publishers write them.

/// The outcome of reading one numeric cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Value(f64),
    /// Empty, or a publisher's "not available" marker.
    Missing,
    /// Not a number and not a known marker.
    Invalid,
}

/// Markers used by WDI, NCSES, UNCTAD, OECD, WIPO and the Federal Reserve
/// (`ND`) for "no data".
const MISSING: &[&str] = &[
    "", "..", "...", "na", "n/a", "n.a.", "-", "–", "—", ":", "x", "d", "i", "*", "nan", "null",
    "nd",
];

/// Parse a numeric cell: plain numbers, exponents, and thousands separators
/// (`3,730`); missing markers give [`Cell::Missing`].
pub fn parse_cell(raw: &str) -> Cell {
    let s = raw.trim();
    if MISSING.iter().any(|m| s.eq_ignore_ascii_case(m)) {
        return Cell::Missing;
    }
    if let Ok(v) = s.parse::<f64>() {
        return if v.is_finite() {
            Cell::Value(v)
        } else {
            Cell::Invalid
        };
    }
    if is_grouped(s)
        && let Ok(v) = s.replace(',', "").parse::<f64>()
    {
        return Cell::Value(v);
    }
    Cell::Invalid
}

/// `1,234` or `-12,345,678.9`: digits grouped by three with commas.
fn is_grouped(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let int = s.split('.').next().unwrap_or("");
    let mut groups = int.split(',');
    let first = groups.next().unwrap_or("");
    if first.is_empty() || first.len() > 3 || !first.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let mut any = false;
    for g in groups {
        any = true;
        if g.len() != 3 || !g.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    any
}

/// Parse a year cell: `2019`, `2019.0` or a calendar date `2019-01-01`
/// (which must exist: `1971-13-45` is refused). Sub-annual periods
/// (`2019-Q1`, `2019Q4`, `2019-M03`, `2019-03`) are not years: innoscope's
/// series are annual, and reading a quarter as its year would be wrong
/// ([`sub_annual`] tells them apart for the message). A span `2000-2022` is
/// a total column, not a year.
pub fn parse_year(raw: &str) -> Option<i32> {
    let s = raw.trim();
    if s.len() < 4 || !s.is_char_boundary(4) {
        return None;
    }
    let (y, rest) = s.split_at(4);
    if !y.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = y.parse().ok().filter(|y| (1800..=2200).contains(y))?;
    let b = rest.as_bytes();
    match rest {
        "" | ".0" => Some(year),
        _ if b.len() == 6 && b[0] == b'-' && b[3] == b'-' => {
            let (m, d) = (
                rest[1..3].parse::<u32>().ok()?,
                rest[4..6].parse::<u32>().ok()?,
            );
            ((1..=12).contains(&m) && d >= 1 && d <= days_in_month(year, m)).then_some(year)
        }
        _ => None,
    }
}

/// Whether a period cell is quarterly or monthly (`2019-Q1`, `2019Q4`,
/// `2019-M03`, `2019-03`), for the message that refuses it.
pub fn sub_annual(raw: &str) -> bool {
    let s = raw.trim();
    if s.len() < 6 || !s.is_char_boundary(4) || !s[..4].bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let rest = s[4..].trim_start_matches('-');
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    match rest.as_bytes().first() {
        Some(b'Q') | Some(b'q') | Some(b'M') | Some(b'm') | Some(b'S') | Some(b'W') => {
            digits(&rest[1..])
        }
        _ => rest.len() == 2 && digits(rest) && s.as_bytes()[4] == b'-',
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_markers_and_text() {
        assert_eq!(parse_cell(" 1.5e3 "), Cell::Value(1500.0));
        assert_eq!(parse_cell("3,730"), Cell::Value(3730.0));
        assert_eq!(parse_cell("na"), Cell::Missing);
        assert_eq!(parse_cell(".."), Cell::Missing);
        assert_eq!(parse_cell("n/a"), Cell::Missing);
        assert_eq!(parse_cell("ND"), Cell::Missing);
        assert_eq!(parse_cell("abc"), Cell::Invalid);
        assert_eq!(parse_cell("1,23"), Cell::Invalid);
        assert_eq!(parse_cell("inf"), Cell::Invalid);
    }

    #[test]
    fn years() {
        assert_eq!(parse_year("2019"), Some(2019));
        assert_eq!(parse_year("2019-01-01"), Some(2019));
        assert_eq!(parse_year("2000-2022"), None);
        assert_eq!(parse_year("x2019"), None);
        assert_eq!(parse_year("12345"), None);
        // Dates must exist; sub-annual periods are not years.
        assert_eq!(parse_year("2020-02-29"), Some(2020));
        assert_eq!(parse_year("2019-02-29"), None);
        assert_eq!(parse_year("1971-13-45"), None);
        for p in ["2019-Q1", "2019Q4", "2019-M03", "2019-03"] {
            assert_eq!(parse_year(p), None, "{p}");
            assert!(sub_annual(p), "{p}");
        }
        assert!(!sub_annual("2019") && !sub_annual("2000-2022"));
    }
}
