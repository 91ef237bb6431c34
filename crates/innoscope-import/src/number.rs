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

/// Markers used by WDI, NCSES, UNCTAD, OECD and WIPO for "no data".
const MISSING: &[&str] = &[
    "", "..", "...", "na", "n/a", "n.a.", "-", "–", "—", ":", "x", "d", "i", "*", "nan", "null",
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

/// Parse a year cell (`2019`, `2019.0`, `2019-01-01`, `2019Q4` → 2019).
pub fn parse_year(raw: &str) -> Option<i32> {
    let s = raw.trim();
    let digits: String = s.chars().take(4).collect();
    if digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()) {
        let rest = &s[4..];
        // `2000-2022` is a span (a total column), not a year.
        if rest.len() == 5 && rest.starts_with('-') && rest[1..].bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        if rest.is_empty()
            || rest == ".0"
            || rest.starts_with('-')
            || rest.starts_with('Q')
            || rest.starts_with('M')
        {
            return digits.parse().ok().filter(|y| (1800..=2200).contains(y));
        }
    }
    None
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
    }
}
