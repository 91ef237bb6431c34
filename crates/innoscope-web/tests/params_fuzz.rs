//! The HTTP parameter parser under arbitrary query strings: for every
//! analysis, any names and values either parse or give a 400 naming a
//! parameter; nothing panics. `INNOSCOPE_FUZZ_CASES` sets the number of
//! cases (`bench/fuzz.sh` runs a million).

use innoscope_engine::analysis::param::PARAMS;
use innoscope_web::ApiError;
use innoscope_web::params_from_query;
use proptest::prelude::*;

fn cases(default: u32) -> u32 {
    std::env::var("INNOSCOPE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A parameter name: mostly the schema's, sometimes anything.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (0..PARAMS.len()).prop_map(|i| PARAMS[i].name.to_string()),
        1 => "[a-z_-]{0,12}",
        1 => any::<String>(),
    ]
}

/// A value: numbers at and beyond the bounds, lists, text, any bytes.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|v| v.to_string()),
        prop::sample::select(vec![
            "0",
            "-1",
            "1",
            "1899",
            "1900",
            "2100",
            "2101",
            "500",
            "501",
            "latest",
            "NaN",
            "inf",
            "1e309",
            "",
            " ",
            ",",
            "CHN,USA",
            "whole",
            "fractional",
            "any",
            "WO",
            "../x",
        ])
        .prop_map(str::to_string),
        any::<f64>().prop_map(|v| v.to_string()),
        "[ -~]{0,24}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(512), ..ProptestConfig::default() })]

    #[test]
    fn any_query_parses_or_names_a_parameter(
        a in 0usize..64,
        pairs in proptest::collection::vec((name(), value()), 0..6),
    ) {
        let list = innoscope_engine::analysis::list();
        let id = list[a % list.len()].id;
        match params_from_query(id, &pairs) {
            Ok(_) => {}
            Err(ApiError::BadParam { name, message }) => {
                prop_assert!(!name.is_empty() && !message.is_empty());
            }
            Err(other) => prop_assert!(false, "{id} {pairs:?}: {other:?}"),
        }
    }
}
