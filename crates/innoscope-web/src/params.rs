//! Query strings to [`Params`], with the CLI's parameter names: both go
//! through the engine's one parameter schema ([`Params::from_pairs`]).

use innoscope_engine::EngineError;
use innoscope_engine::analysis::{Origin, Params};

use crate::ApiError;

/// Build [`Params`] from query pairs named as on the command line
/// (`base-year`, `min-weight`…). Unknown names, repeated names, values of
/// the wrong type or out of range, and file parameters are 400 errors naming
/// the parameter.
pub fn params_from_query(id: &str, pairs: &[(String, String)]) -> Result<Params, ApiError> {
    let pairs = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    match innoscope_engine::analysis::get(id) {
        Some(a) => Params::for_analysis(a, pairs, Origin::Http),
        None => Params::from_pairs(pairs, Origin::Http),
    }
    .map_err(|e| match e {
        EngineError::BadParam { name, message } => ApiError::BadParam { name, message },
        other => ApiError::bad("query", other.to_string()),
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
    fn the_schema_errors_become_400_errors_naming_the_parameter() {
        let name = |r: Result<Params, ApiError>| match r {
            Err(ApiError::BadParam { name, .. }) => name,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            name(params_from_query("C1", &q(&[("year", "twenty")]))),
            "year"
        );
        assert_eq!(name(params_from_query("C1", &q(&[("top", "0")]))), "top");
        assert_eq!(
            name(params_from_query(
                "C1",
                &q(&[("fields-file", "/etc/passwd")])
            )),
            "fields-file"
        );
        let p =
            params_from_query("C1", &q(&[("year", "2020"), ("economies", "CHN, USA")])).unwrap();
        assert_eq!(p.year, Some(2020));
        assert_eq!(p.economies, Some(vec!["CHN".into(), "USA".into()]));
    }
}
