//! What adding an analysis takes: the whole of a new analysis with a
//! parameter of its own is the `const` entry and function below (one file);
//! putting `&NEW` into `registry::ANALYSES` (one line) is what makes the CLI,
//! the report, the API and OpenAPI list it, as the tests of those crates
//! check for every entry. Here the entry is exercised directly.

use innoscope_core::{Column, ResultTable, Text};
use innoscope_engine::analysis::param::{Kind, Origin, ParamDef, w};
use innoscope_engine::analysis::registry::{
    ANALYSES, Analysis, AnalysisSpec, DefaultValue as D, YearShift, use_, use_h,
};
use innoscope_engine::analysis::{self, Params};
use innoscope_engine::{Engine, EngineError, EngineOptions};

const REPEAT: i64 = 3;
const YEAR: i64 = 2020;

/// A trivial analysis: one table of `repeat` rows, each the reference year.
const NEW: Analysis = Analysis {
    id: "X1",
    name: "echo-year",
    title: w("The reference year, repeated", "参考年份（重复）"),
    chapter: "test",
    params: &[
        use_("year", D::Int(YEAR)),
        use_h("repeat", D::Int(REPEAT), w("rows written", "写入的行数")),
    ],
    own: &[ParamDef {
        name: "repeat",
        kind: Kind::Int { min: 1, max: 9 },
        help: w("Rows written (X1)", "写入的行数（X1）"),
        value_name: None,
        primary: false,
    }],
    shared: &[],
    placements: &[],
    numbers: &[],
    year_shift: YearShift::Year,
    series: &[],
    run: |_engine, p| {
        Box::pin(async move {
            let n = p.own::<i64>("repeat").unwrap_or(REPEAT) as usize;
            let year = i64::from(p.year.unwrap_or(YEAR as i32));
            let mut t = ResultTable::new("X1", Text::new("Years", "年份"));
            t.columns.push(Column::int(
                "year",
                Text::new("Year", "年份"),
                None,
                vec![Some(year); n],
            ));
            Ok(vec![t])
        })
    },
};

#[tokio::test]
async fn a_new_analysis_is_one_entry_and_its_own_parameter_is_checked_on_every_path() {
    // Documented from the entry: the default is the constant the code reads.
    let spec = AnalysisSpec::from(&NEW);
    let repeat = spec.params.iter().find(|p| p.name == "repeat").unwrap();
    assert_eq!(repeat.default, "3");
    assert_eq!(repeat.help, "rows written");

    // Parsed and checked by the schema, for the command line and HTTP alike.
    for origin in [Origin::CommandLine, Origin::Http] {
        let p = Params::for_analysis(&NEW, [("repeat", "5"), ("year", "2019")], origin).unwrap();
        assert_eq!(p.own::<i64>("repeat"), Some(5));
        assert_eq!(p.year, Some(2019));
        match Params::for_analysis(&NEW, [("repeat", "0")], origin) {
            Err(EngineError::BadParam { name, message }) => {
                assert_eq!(name, "repeat");
                assert!(message.contains("1..=9"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }
    // Another analysis does not take it.
    assert!(matches!(
        Params::from_pairs([("repeat", "5")], Origin::Http),
        Err(EngineError::BadParam { .. })
    ));

    // And it runs.
    let engine = Engine::open(None, &EngineOptions::default()).await.unwrap();
    let p = Params::for_analysis(&NEW, [("repeat", "2")], Origin::Http).unwrap();
    let tables = (NEW.run)(&engine, &p).await.unwrap();
    assert_eq!(tables[0].n_rows(), 2);
    assert_eq!(tables[0].column("year").unwrap().f64_at(1), Some(2020.0));
}

#[test]
fn every_registered_analysis_is_found_by_id_and_name_and_listed_in_order() {
    let ids: Vec<&str> = analysis::list().iter().map(|s| s.id).collect();
    assert_eq!(ids, ANALYSES.iter().map(|a| a.id).collect::<Vec<_>>());
    for a in ANALYSES {
        assert_eq!(analysis::get(a.id).unwrap().id, a.id);
        assert_eq!(analysis::get(&a.name.to_uppercase()).unwrap().id, a.id);
    }
    assert!(analysis::get("X1").is_none());
}

#[test]
fn the_counting_defaults_are_those_of_the_engine() {
    // The entries document "applicants", "pct", "filing" and whole counting;
    // the engine's Counting::default must agree.
    let k1 = analysis::find("K1").unwrap();
    let d = |n: &str| {
        k1.params
            .iter()
            .find(|p| p.name == n)
            .unwrap()
            .default
            .clone()
    };
    let c = innoscope_engine::microdata::Counting::default();
    assert_eq!(d("role"), format!("{:?}", c.role).to_lowercase());
    assert_eq!(d("authority"), format!("{:?}", c.authority).to_lowercase());
    assert_eq!(d("year-basis"), format!("{:?}", c.year).to_lowercase());
    assert_eq!(d("fractional"), c.fractional.to_string());
}
