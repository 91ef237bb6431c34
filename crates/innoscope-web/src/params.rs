//! Query strings to [`Params`], with the CLI's parameter names.

use innoscope_engine::analysis::Params;
use serde_json::{Map, Value};

use crate::ApiError;

/// How a parameter's text becomes a value.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    Int,
    Float,
    Bool,
    Text,
    /// Comma-separated texts.
    Texts,
    /// Comma-separated integers.
    Ints,
    /// Comma-separated numbers.
    Floats,
}

/// The parameters accepted over HTTP, by their CLI names. File parameters
/// (`fields-file`, `groups-file`, `name-rules`) are refused: a server does
/// not read files a client names (`mapping-file` and `kb-dir` likewise).
pub(crate) const PARAMS: [(&str, Kind); 37] = [
    ("year", Kind::Int),
    ("base-year", Kind::Int),
    ("economies", Kind::Texts),
    ("preset", Kind::Text),
    ("top", Kind::Int),
    ("source", Kind::Text),
    ("indicator", Kind::Text),
    ("price-basis", Kind::Text),
    ("currency", Kind::Text),
    ("fx-year", Kind::Int),
    ("fx-source", Kind::Text),
    ("level-tiers", Kind::Floats),
    ("intensity-tiers", Kind::Floats),
    ("years", Kind::Ints),
    ("min-gerd", Kind::Float),
    ("role", Kind::Text),
    ("authority", Kind::Text),
    ("year-basis", Kind::Text),
    ("fractional", Kind::Bool),
    ("min-weight", Kind::Int),
    ("green", Kind::Text),
    ("seed", Kind::Int),
    ("threshold", Kind::Float),
    ("max-nodes", Kind::Int),
    ("fields-file", Kind::Text),
    ("groups-file", Kind::Text),
    ("name-rules", Kind::Text),
    ("cutoffs", Kind::Ints),
    ("as-of", Kind::Text),
    ("stages", Kind::Texts),
    ("section", Kind::Text),
    ("field", Kind::Text),
    ("actor-type", Kind::Text),
    ("mode", Kind::Text),
    ("query", Kind::Text),
    ("mapping-file", Kind::Text),
    ("kb-dir", Kind::Text),
];

fn value(name: &str, kind: Kind, text: &str) -> Result<Value, ApiError> {
    let t = text.trim();
    let int = |s: &str| {
        s.trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| ApiError::bad(name, format!("`{s}` is not a whole number")))
    };
    let float = |s: &str| {
        s.trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .map(Value::from)
            .ok_or_else(|| ApiError::bad(name, format!("`{s}` is not a number")))
    };
    let list = |f: &dyn Fn(&str) -> Result<Value, ApiError>| -> Result<Value, ApiError> {
        t.split(',')
            .filter(|x| !x.trim().is_empty())
            .map(f)
            .collect::<Result<Vec<_>, _>>()
            .map(Value::from)
    };
    Ok(match kind {
        Kind::Int => int(t)?,
        Kind::Float => float(t)?,
        Kind::Bool => match t {
            "true" | "1" | "yes" | "" => Value::Bool(true),
            "false" | "0" | "no" => Value::Bool(false),
            o => return Err(ApiError::bad(name, format!("`{o}` is not true or false"))),
        },
        Kind::Text => {
            if t.is_empty() {
                return Err(ApiError::bad(name, "empty value"));
            }
            Value::from(t)
        }
        Kind::Texts => list(&|s: &str| Ok(Value::from(s.trim())))?,
        Kind::Ints => list(&int)?,
        Kind::Floats => list(&float)?,
    })
}

/// Build [`Params`] from query pairs named as on the command line
/// (`base-year`, `min-weight`…). Unknown names, repeated names, values of
/// the wrong type and file parameters are 400 errors naming the parameter.
pub fn params_from_query(pairs: &[(String, String)]) -> Result<Params, ApiError> {
    let mut obj = Map::new();
    for (k, v) in pairs {
        let name = k.trim();
        let Some((_, kind)) = PARAMS.iter().find(|(n, _)| *n == name) else {
            return Err(ApiError::bad(
                name,
                "unknown parameter; GET /api/analyses lists each analysis' parameters",
            ));
        };
        if matches!(
            name,
            "fields-file" | "groups-file" | "name-rules" | "mapping-file" | "kb-dir"
        ) {
            return Err(ApiError::bad(
                name,
                "file parameters are not accepted over HTTP; use the command line",
            ));
        }
        let key = name.replace('-', "_");
        if obj.contains_key(&key) {
            return Err(ApiError::bad(name, "given more than once"));
        }
        obj.insert(key, value(name, *kind, v)?);
    }
    serde_json::from_value::<Params>(Value::Object(obj)).map_err(|e| {
        // The only type errors left are enumerations (price-basis).
        ApiError::bad("query", e.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn names_and_types_as_on_the_command_line() {
        let p = params_from_query(&q(&[
            ("year", "2020"),
            ("base-year", "2010"),
            ("economies", "CHN, USA"),
            ("fractional", "true"),
            ("threshold", "0.95"),
            ("years", "2009,2020"),
        ]))
        .unwrap();
        assert_eq!(p.year, Some(2020));
        assert_eq!(p.base_year, Some(2010));
        assert_eq!(p.economies, Some(vec!["CHN".into(), "USA".into()]));
        assert_eq!(p.fractional, Some(true));
        assert_eq!(p.threshold, Some(0.95));
        assert_eq!(p.years, Some(vec![2009, 2020]));
    }

    #[test]
    fn bad_parameters_are_named() {
        let name = |r: Result<Params, ApiError>| match r {
            Err(ApiError::BadParam { name, .. }) => name,
            other => panic!("{other:?}"),
        };
        assert_eq!(name(params_from_query(&q(&[("year", "twenty")]))), "year");
        assert_eq!(
            name(params_from_query(&q(&[("min-weight", "5.5")]))),
            "min-weight"
        );
        assert_eq!(name(params_from_query(&q(&[("colour", "red")]))), "colour");
        assert_eq!(
            name(params_from_query(&q(&[("fields-file", "/etc/passwd")]))),
            "fields-file"
        );
        assert_eq!(name(params_from_query(&q(&[("kb-dir", "/etc")]))), "kb-dir");
        assert_eq!(
            name(params_from_query(&q(&[("top", "5"), ("top", "6")]))),
            "top"
        );
        assert_eq!(
            name(params_from_query(&q(&[("threshold", "NaN")]))),
            "threshold"
        );
    }
}
