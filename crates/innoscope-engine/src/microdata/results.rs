//! The results of the microdata plans as typed rows.
//!
//! A plan's batches are read into [`Rows`] (three shapes of cell: integer,
//! float, text, and null), then decoded into one struct per query
//! ([`ResultRow`]): each column is found by name once, and each cell must
//! have the field's type — a missing column, a null in a field that is not
//! an `Option`, or text where a number belongs is an error naming the
//! column and the row, never a silent 0 or NaN. The workload writes its CSV
//! files from the same structs ([`Rows::of`]), so what the analyses read and
//! what the benchmark compares are one thing.

use std::fmt;

use arrow::array::{Array, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow::datatypes::DataType;

use crate::error::{EngineError, Result};

/// Rows of a result, row-wise, as plain Rust values.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rows {
    pub columns: Vec<String>,
    pub values: Vec<Vec<Cell>>,
}

/// One value of a result.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Int(i64),
    Float(f64),
    Str(String),
    Null,
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Int(i) => write!(f, "{i}"),
            // Rust's shortest representation that round-trips exactly.
            Cell::Float(x) => write!(f, "{x}"),
            Cell::Str(s) => f.write_str(s),
            Cell::Null => Ok(()),
        }
    }
}

impl Cell {
    fn kind(&self) -> &'static str {
        match self {
            Cell::Int(_) => "an integer",
            Cell::Float(_) => "a float",
            Cell::Str(_) => "text",
            Cell::Null => "null",
        }
    }
}

/// Where a cell sits, for the error a bad one gets.
#[derive(Clone, Copy, Debug)]
pub struct At<'a> {
    pub column: &'a str,
    pub row: usize,
}

impl At<'_> {
    fn wrong(&self, want: &str, got: &Cell) -> EngineError {
        EngineError::store(
            "<query>",
            format!(
                "column `{}`, row {}: expected {want}, found {} ({got})",
                self.column,
                self.row + 1,
                got.kind()
            ),
        )
    }
}

/// A field type a cell decodes into, and back.
pub trait FromCell: Sized {
    fn from_cell(cell: &Cell, at: At<'_>) -> Result<Self>;
    fn to_cell(&self) -> Cell;
}

impl FromCell for i64 {
    fn from_cell(cell: &Cell, at: At<'_>) -> Result<Self> {
        match cell {
            Cell::Int(i) => Ok(*i),
            other => Err(at.wrong("an integer", other)),
        }
    }
    fn to_cell(&self) -> Cell {
        Cell::Int(*self)
    }
}

impl FromCell for i32 {
    fn from_cell(cell: &Cell, at: At<'_>) -> Result<Self> {
        match cell {
            Cell::Int(i) => i32::try_from(*i).map_err(|_| at.wrong("a year", cell)),
            other => Err(at.wrong("a year", other)),
        }
    }
    fn to_cell(&self) -> Cell {
        Cell::Int(i64::from(*self))
    }
}

impl FromCell for f64 {
    /// A float; an integer column widens (counts summed as doubles may
    /// come back as integers from an engine that keeps them exact).
    fn from_cell(cell: &Cell, at: At<'_>) -> Result<Self> {
        match cell {
            Cell::Float(x) => Ok(*x),
            Cell::Int(i) => Ok(*i as f64),
            other => Err(at.wrong("a number", other)),
        }
    }
    fn to_cell(&self) -> Cell {
        Cell::Float(*self)
    }
}

impl FromCell for String {
    fn from_cell(cell: &Cell, at: At<'_>) -> Result<Self> {
        match cell {
            Cell::Str(s) => Ok(s.clone()),
            other => Err(at.wrong("text", other)),
        }
    }
    fn to_cell(&self) -> Cell {
        Cell::Str(self.clone())
    }
}

impl<T: FromCell> FromCell for Option<T> {
    fn from_cell(cell: &Cell, at: At<'_>) -> Result<Self> {
        match cell {
            Cell::Null => Ok(None),
            c => T::from_cell(c, at).map(Some),
        }
    }
    fn to_cell(&self) -> Cell {
        self.as_ref().map_or(Cell::Null, T::to_cell)
    }
}

/// A row of one query's result: its columns by name, in order.
pub trait ResultRow: Sized {
    const COLUMNS: &'static [&'static str];
    /// The row from `cells`, whose `COLUMNS[k]` is at `cells[at[k]]`.
    fn from_cells(cells: &[Cell], at: &[usize], row: usize) -> Result<Self>;
    fn to_cells(&self) -> Vec<Cell>;
}

/// Declares a result row: a struct whose field names are the query's column
/// names, with [`ResultRow`] implemented over them.
macro_rules! result_row {
    ($(#[$m:meta])* pub struct $name:ident { $($(#[$fm:meta])* pub $f:ident : $t:ty,)* }) => {
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq)]
        pub struct $name { $($(#[$fm])* pub $f: $t,)* }

        impl ResultRow for $name {
            const COLUMNS: &'static [&'static str] = &[$(stringify!($f)),*];

            fn from_cells(cells: &[Cell], at: &[usize], row: usize) -> Result<Self> {
                let mut at = at.iter();
                Ok($name {
                    $($f: {
                        let cell = at.next().and_then(|&i| cells.get(i)).unwrap_or(&Cell::Null);
                        FromCell::from_cell(cell, At { column: stringify!($f), row })?
                    },)*
                })
            }

            fn to_cells(&self) -> Vec<Cell> {
                vec![$(FromCell::to_cell(&self.$f)),*]
            }
        }
    };
}

result_row! {
    /// Per year: selected applications, international co-applications and
    /// their share; green applications and their share when a green list
    /// was classified (`Base::totals`).
    pub struct YearTotals {
        pub year: i32,
        pub pct_apps: i64,
        pub intl_apps: i64,
        pub intl_share: f64,
        pub green_apps: Option<i64>,
        pub green_share: Option<f64>,
    }
}

result_row! {
    /// Applications of one economy in one year (`Base::country_counts`).
    pub struct CountryCount {
        pub year: i32,
        pub ctry: String,
        pub apps: i64,
        pub share: f64,
        pub frac_apps: f64,
        pub rank: i64,
    }
}

result_row! {
    /// International co-applications of one economy in one year
    /// (`Base::country_intl`).
    pub struct CountryIntl {
        pub year: i32,
        pub ctry: String,
        pub intl_apps: i64,
        pub share: f64,
        pub top_partner: String,
        pub top_partner_apps: i64,
        pub partners: i64,
    }
}

result_row! {
    /// Co-applications of an unordered pair of economies in one year
    /// (`Base::pairs`).
    pub struct Pair {
        pub year: i32,
        pub ctry_a: String,
        pub ctry_b: String,
        pub apps: i64,
    }
}

result_row! {
    /// Co-applications of a pair in one field and year (`Base::field_pairs`).
    pub struct FieldPair {
        pub field: String,
        pub year: i32,
        pub ctry_a: String,
        pub ctry_b: String,
        pub apps: i64,
    }
}

result_row! {
    /// International co-applications of an economy in one field and year
    /// (`Base::field_countries`).
    pub struct FieldCountry {
        pub field: String,
        pub year: i32,
        pub ctry: String,
        pub apps: i64,
    }
}

result_row! {
    /// Green applications of an economy in one year and their share of its
    /// applications (`Base::green_country`).
    pub struct GreenCountry {
        pub year: i32,
        pub ctry: String,
        pub green_apps: i64,
        pub share: f64,
    }
}

result_row! {
    /// Applications of one category in one year, whole and fractional over
    /// categories (`Base::per_category`).
    pub struct CategoryCount {
        pub year: i32,
        pub category: String,
        pub apps: i64,
        pub frac_apps: f64,
    }
}

result_row! {
    /// The top-N applicants' applications in one year and their share
    /// (`Base::applicant_concentration`).
    pub struct Concentration {
        pub year: i32,
        pub total_apps: i64,
        pub top_apps: i64,
        pub share: f64,
    }
}

result_row! {
    /// A field of one international co-application (`Base::intl_fields`).
    pub struct ApplicationField {
        pub appln_id: i64,
        pub field: String,
    }
}

result_row! {
    /// An applicant of a year's top N (`Base::top_applicants`).
    pub struct TopApplicant {
        /// Null where the source gives no name.
        pub name: Option<String>,
        /// Null where the source gives the applicant no country.
        pub ctry: Option<String>,
        pub apps: i64,
    }
}

result_row! {
    /// A count (`count(*) AS n`).
    pub struct Count {
        pub n: i64,
    }
}

impl CountryCount {
    /// The count under the convention asked: fractional or whole.
    pub fn count(&self, fractional: bool) -> f64 {
        if fractional {
            self.frac_apps
        } else {
            self.apps as f64
        }
    }
}

impl CategoryCount {
    /// The count under the convention asked: fractional over categories or whole.
    pub fn count(&self, fractional: bool) -> f64 {
        if fractional {
            self.frac_apps
        } else {
            self.apps as f64
        }
    }
}

impl Rows {
    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The index of column `name`; an error naming the columns there are
    /// when the plan did not produce it.
    pub fn col(&self, name: &str) -> Result<usize> {
        self.columns.iter().position(|c| c == name).ok_or_else(|| {
            EngineError::store(
                "<query>",
                format!(
                    "no column `{name}` in the result (columns: {})",
                    self.columns.join(", ")
                ),
            )
        })
    }

    /// The rows as `T`s; an error names the column and row of the first
    /// cell that does not fit.
    pub fn decode<T: ResultRow>(&self) -> Result<Vec<T>> {
        let at: Vec<usize> = T::COLUMNS
            .iter()
            .map(|c| self.col(c))
            .collect::<Result<_>>()?;
        self.values
            .iter()
            .enumerate()
            .map(|(i, r)| T::from_cells(r, &at, i))
            .collect()
    }

    /// Typed rows back as rows, with their columns, keeping `columns` only
    /// (in that order) when given.
    pub fn of<T: ResultRow>(items: &[T], columns: Option<&[&str]>) -> Result<Rows> {
        let all = Rows {
            columns: T::COLUMNS.iter().map(|c| c.to_string()).collect(),
            values: items.iter().map(ResultRow::to_cells).collect(),
        };
        let Some(keep) = columns else {
            return Ok(all);
        };
        let idx: Vec<usize> = keep.iter().map(|c| all.col(c)).collect::<Result<_>>()?;
        Ok(Rows {
            columns: keep.iter().map(|c| c.to_string()).collect(),
            values: all
                .values
                .iter()
                .map(|r| idx.iter().map(|&i| r[i].clone()).collect())
                .collect(),
        })
    }

    pub(crate) fn from_batches(batches: &[RecordBatch]) -> Result<Rows> {
        let mut rows = Rows::default();
        if let Some(b) = batches.first() {
            rows.columns = b
                .schema()
                .fields()
                .iter()
                .map(|f| f.name().clone())
                .collect();
        }
        for b in batches {
            let n = b.num_rows();
            let mut cols: Vec<Vec<Cell>> = Vec::new();
            for c in b.columns() {
                // Three shapes of cell: integers, floats, and everything else as text.
                let dt = c.data_type();
                let target = if dt.is_integer() {
                    DataType::Int64
                } else if dt.is_floating() {
                    DataType::Float64
                } else {
                    DataType::Utf8
                };
                let c = arrow::compute::cast(c, &target)?;
                let any = c.as_any();
                let cell = |i: usize, f: &dyn Fn(usize) -> Cell| {
                    if c.is_null(i) { Cell::Null } else { f(i) }
                };
                let cells: Vec<Cell> = if let Some(a) = any.downcast_ref::<Int64Array>() {
                    (0..n)
                        .map(|i| cell(i, &|i| Cell::Int(a.value(i))))
                        .collect()
                } else if let Some(a) = any.downcast_ref::<Float64Array>() {
                    (0..n)
                        .map(|i| cell(i, &|i| Cell::Float(a.value(i))))
                        .collect()
                } else if let Some(a) = any.downcast_ref::<StringArray>() {
                    (0..n)
                        .map(|i| cell(i, &|i| Cell::Str(a.value(i).to_string())))
                        .collect()
                } else {
                    return Err(EngineError::store(
                        "<query>",
                        format!("a column of type {dt} could not be read as text"),
                    ));
                };
                cols.push(cells);
            }
            for i in 0..n {
                rows.values
                    .push(cols.iter().map(|c| c[i].clone()).collect());
            }
        }
        Ok(rows)
    }

    /// CSV with a header line; values are codes, numbers and lower-case
    /// words, quoted only when they need it.
    pub fn to_csv(&self) -> String {
        let mut out = innoscope_core::table::CsvText::new();
        out.record(&self.columns);
        for r in &self.values {
            out.record(r.iter().map(ToString::to_string));
        }
        out.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(columns: &[&str], values: Vec<Vec<Cell>>) -> Rows {
        Rows {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            values,
        }
    }

    #[test]
    fn columns_are_found_by_name_in_any_order() {
        let r = rows(
            &["apps", "ctry", "year", "ctry_b", "ctry_a"],
            vec![vec![
                Cell::Int(7),
                Cell::Str("x".into()),
                Cell::Int(2019),
                Cell::Str("US".into()),
                Cell::Str("CN".into()),
            ]],
        );
        let p: Vec<Pair> = r.decode().unwrap();
        assert_eq!(
            p,
            vec![Pair {
                year: 2019,
                ctry_a: "CN".into(),
                ctry_b: "US".into(),
                apps: 7
            }]
        );
        // And back, in the struct's order or a chosen one.
        let back = Rows::of(&p, None).unwrap();
        assert_eq!(back.to_csv(), "year,ctry_a,ctry_b,apps\n2019,CN,US,7\n");
        let some = Rows::of(&p, Some(&["apps", "year"])).unwrap();
        assert_eq!(some.to_csv(), "apps,year\n7,2019\n");
    }

    #[test]
    fn a_cell_of_the_wrong_type_is_an_error_naming_column_and_row() {
        let r = rows(
            &["year", "total_apps", "top_apps", "share"],
            vec![
                vec![
                    Cell::Int(2018),
                    Cell::Int(9),
                    Cell::Int(3),
                    Cell::Float(0.5),
                ],
                vec![
                    Cell::Int(2019),
                    Cell::Int(9),
                    Cell::Int(3),
                    Cell::Str("half".into()),
                ],
            ],
        );
        let e = r.decode::<Concentration>().unwrap_err().to_string();
        assert!(e.contains("column `share`, row 2"), "{e}");
        assert!(e.contains("expected a number, found text (half)"), "{e}");
    }

    #[test]
    fn a_null_fits_an_option_only() {
        let cols = [
            "year",
            "pct_apps",
            "intl_apps",
            "intl_share",
            "green_apps",
            "green_share",
        ];
        let r = rows(
            &cols,
            vec![vec![
                Cell::Int(2020),
                Cell::Int(10),
                Cell::Int(2),
                Cell::Float(0.2),
                Cell::Null,
                Cell::Null,
            ]],
        );
        let t: Vec<YearTotals> = r.decode().unwrap();
        assert_eq!(t[0].green_apps, None);
        let mut r2 = r.clone();
        r2.values[0][1] = Cell::Null;
        let e = r2.decode::<YearTotals>().unwrap_err().to_string();
        assert!(
            e.contains("column `pct_apps`, row 1: expected an integer, found null"),
            "{e}"
        );
    }

    #[test]
    fn a_missing_column_names_the_columns_there_are() {
        let r = rows(&["year", "n"], vec![]);
        let e = r.decode::<Pair>().unwrap_err().to_string();
        assert!(e.contains("no column `ctry_a`"), "{e}");
        assert!(e.contains("columns: year, n"), "{e}");
    }

    #[test]
    fn a_year_beyond_i32_is_refused() {
        let r = rows(
            &["year", "category", "apps", "frac_apps"],
            vec![vec![
                Cell::Int(i64::MAX),
                Cell::Str("x".into()),
                Cell::Int(1),
                Cell::Int(1),
            ]],
        );
        let e = r.decode::<CategoryCount>().unwrap_err().to_string();
        assert!(e.contains("column `year`, row 1: expected a year"), "{e}");
    }
}
