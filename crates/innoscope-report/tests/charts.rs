//! The chart renderers, one figure kind at a time, on small hand-made tables:
//! every kind draws, in both languages, with every label in the language
//! asked for, markup escaped, no NaN or infinity in the SVG, the synthetic
//! stamp exactly when the data are generated, bars and bubbles sized by their
//! values, and the same bytes every time.

use innoscope_core::table::NetworkEdge;
use innoscope_core::{Column, Figure, Lang, ResultTable, Text};
use innoscope_report::charts::render;

fn names(t: &mut ResultTable, en: &[&str], zh: &[&str]) {
    t.columns.push(Column::text(
        "economy",
        Text::new("Economy", "经济体"),
        en.iter().map(|s| Some(s.to_ascii_uppercase())).collect(),
    ));
    t.columns.push(Column::text(
        "name_en",
        Text::new("Name", "名称"),
        en.iter().map(|s| Some(s.to_string())).collect(),
    ));
    t.columns.push(Column::text(
        "name_zh",
        Text::new("Name (zh)", "名称"),
        zh.iter().map(|s| Some(s.to_string())).collect(),
    ));
}

fn float(t: &mut ResultTable, name: &str, v: &[f64]) {
    t.columns.push(Column::float(
        name,
        Text::new(name, name),
        None,
        1,
        v.iter().map(|x| Some(*x)).collect(),
    ));
}

const EN: [&str; 3] = ["Alpha & Co", "Beta", "Gamma"];
const ZH: [&str; 3] = ["甲国", "乙国", "丙国"];

fn unit() -> Text {
    Text::new("bn US$", "十亿美元")
}

/// One table per figure kind.
fn tables() -> Vec<ResultTable> {
    let mut out = Vec::new();
    let base = |id: &str| {
        let mut t = ResultTable::new(id, Text::new(format!("{id} title"), format!("{id}标题")));
        names(&mut t, &EN, &ZH);
        t
    };

    let mut t = base("grouped");
    float(&mut t, "a", &[30.0, 10.0, 20.0]);
    float(&mut t, "b", &[5.0, 15.0, 25.0]);
    t.figure = Some(Figure::GroupedBars {
        label: "economy".into(),
        series: vec!["a".into(), "b".into()],
        unit: unit(),
    });
    out.push(t);

    let mut t = base("diverging");
    float(&mut t, "change", &[-40.0, 12.5, 699.0]);
    t.figure = Some(Figure::DivergingBars {
        label: "economy".into(),
        series: vec!["change".into()],
        unit: Text::new("%", "%"),
    });
    out.push(t);

    let mut t = base("bars-line");
    float(&mut t, "gerd", &[600.0, 150.0, 60.0]);
    float(&mut t, "intensity", &[3.1, 2.4, 1.2]);
    t.figure = Some(Figure::BarsWithLine {
        label: "economy".into(),
        bars: "gerd".into(),
        bar_unit: unit(),
        line: "intensity".into(),
        line_unit: Text::new("% of GDP", "占GDP%"),
    });
    out.push(t);

    let mut t = base("rank");
    float(&mut t, "rank_2010", &[1.0, 2.0, 3.0]);
    float(&mut t, "rank_2020", &[2.0, 1.0, 3.0]);
    t.figure = Some(Figure::RankChange {
        label: "economy".into(),
        rank_from: "rank_2010".into(),
        rank_to: "rank_2020".into(),
        from: Text::same("2010"),
        to: Text::same("2020"),
    });
    out.push(t);

    let mut t = base("bubble");
    float(&mut t, "exports", &[120.0, 40.0, 10.0]);
    float(&mut t, "imports", &[50.0, 45.0, 30.0]);
    float(&mut t, "net", &[70.0, -5.0, -20.0]);
    t.columns.push(Column::bool(
        "surplus",
        Text::new("Surplus", "顺差"),
        vec![Some(true), Some(false), Some(false)],
    ));
    t.figure = Some(Figure::Bubble {
        label: "economy".into(),
        x: "exports".into(),
        y: "imports".into(),
        size: "net".into(),
        filled: "surplus".into(),
        unit: unit(),
    });
    out.push(t);

    let mut t = base("stacked");
    float(&mut t, "universities", &[28.0, 17.0, 6.0]);
    float(&mut t, "firms", &[40.0, 3.0, 12.0]);
    t.figure = Some(Figure::StackedBars {
        label: "economy".into(),
        series: vec!["universities".into(), "firms".into()],
        unit: Text::new("entities", "家"),
    });
    out.push(t);

    let mut t = base("heat");
    float(&mut t, "fintech", &[50.0, 0.0, 7.0]);
    float(&mut t, "ai", &[20.0, 9.0, 1.0]);
    t.figure = Some(Figure::HeatMap {
        label: "economy".into(),
        series: vec!["fintech".into(), "ai".into()],
        unit: Text::new("unicorns", "家"),
    });
    out.push(t);

    let mut t = base("ranked");
    float(&mut t, "apps", &[90.0, 60.0, 30.0]);
    t.columns.push(Column::text(
        "home",
        Text::new("Home", "总部"),
        vec![Some("US".into()), Some("JP".into()), Some("US".into())],
    ));
    t.figure = Some(Figure::RankedBars {
        label: "economy".into(),
        value: "apps".into(),
        colour: "home".into(),
        unit: Text::new("applications", "件"),
    });
    out.push(t);

    let mut t = base("network");
    float(&mut t, "weight", &[10.0, 6.0, 4.0]);
    float(&mut t, "x", &[0.1, 0.9, 0.5]);
    float(&mut t, "y", &[0.2, 0.3, 0.9]);
    t.columns.push(Column::int(
        "community",
        Text::new("Community", "社区"),
        None,
        vec![Some(0), Some(0), Some(1)],
    ));
    t.figure = Some(Figure::Network {
        id: "network".into(),
        label: "economy".into(),
        size: "weight".into(),
        x: "x".into(),
        y: "y".into(),
        group: "community".into(),
        edges: vec![
            NetworkEdge {
                source: "ALPHA & CO".into(),
                target: "BETA".into(),
                weight: 5.0,
            },
            NetworkEdge {
                source: "BETA".into(),
                target: "GAMMA".into(),
                weight: 2.0,
            },
        ],
        unit: Text::new("co-applications", "件"),
    });
    out.push(t);
    out
}

/// The numeric values of `attr` on every `<tag …>` element.
fn attr_values(svg: &str, tag: &str, attr: &str) -> Vec<f64> {
    let key = format!(" {attr}=\"");
    svg.split(&format!("<{tag} "))
        .skip(1)
        .filter_map(|part| {
            let el = format!(" {}", &part[..part.find('>').unwrap_or(part.len())]);
            let rest = &el[el.find(&key)? + key.len()..];
            rest[..rest.find('"')?].parse().ok()
        })
        .collect()
}

#[test]
fn every_figure_kind_draws_in_both_languages() {
    for t in tables() {
        for (lang, names) in [(Lang::En, EN), (Lang::Zh, ZH)] {
            let svg = render(&t, lang).unwrap_or_else(|| panic!("{} draws nothing", t.id));
            assert!(svg.starts_with("<svg"), "{}", t.id);
            assert!(svg.trim_end().ends_with("</svg>"), "{}", t.id);
            for bad in ["NaN", "inf\"", "undefined"] {
                assert!(!svg.contains(bad), "{} {lang:?}: {bad} in the SVG", t.id);
            }
            for n in names {
                let shown = n.replace('&', "&amp;");
                assert!(
                    svg.contains(&shown),
                    "{} {lang:?} lacks the label {n}",
                    t.id
                );
            }
            // Markup in labels is escaped, never raw.
            assert!(!svg.contains("Alpha & Co"), "{}", t.id);
            if lang == Lang::Zh {
                for n in EN {
                    assert!(
                        !svg.contains(n),
                        "{}: English name {n} in the zh figure",
                        t.id
                    );
                }
            }
            // Every coordinate is a finite number.
            for (tag, attr) in [("rect", "width"), ("rect", "x"), ("circle", "r")] {
                for x in attr_values(&svg, tag, attr) {
                    assert!(x.is_finite() && x >= -1e4, "{} {tag} {attr}={x}", t.id);
                }
            }
        }
    }
}

#[test]
fn the_same_table_gives_the_same_bytes() {
    for t in tables() {
        for lang in [Lang::En, Lang::Zh] {
            assert_eq!(render(&t, lang), render(&t.clone(), lang), "{}", t.id);
        }
    }
}

#[test]
fn generated_data_are_stamped_and_real_data_are_not() {
    for mut t in tables() {
        for lang in [Lang::En, Lang::Zh] {
            let stamp = match lang {
                Lang::En => "synthetic",
                Lang::Zh => "合成演示数据",
            };
            t.synthetic = false;
            let real = render(&t, lang).unwrap();
            assert!(!real.to_lowercase().contains(stamp), "{} {lang:?}", t.id);
            t.synthetic = true;
            let generated = render(&t, lang).unwrap();
            assert!(
                generated.to_lowercase().contains(stamp),
                "{} {lang:?}",
                t.id
            );
        }
    }
}

#[test]
fn bars_are_as_long_as_their_values() {
    // Horizontal bars with one series: widths in the ratio of the values.
    let mut t = ResultTable::new("one", Text::same("One series"));
    names(&mut t, &EN, &ZH);
    float(&mut t, "v", &[40.0, 20.0, 10.0]);
    t.figure = Some(Figure::GroupedBars {
        label: "economy".into(),
        series: vec!["v".into()],
        unit: unit(),
    });
    let svg = render(&t, Lang::En).unwrap();
    let mut widths: Vec<f64> = attr_values(&svg, "rect", "width")
        .into_iter()
        .filter(|w| *w > 0.0)
        .collect();
    widths.sort_by(|a, b| b.total_cmp(a));
    // The three data bars are the three widest bars below the frame.
    let bars: Vec<f64> = widths
        .windows(3)
        .map(|w| w.to_vec())
        .find(|w| (w[0] / w[1] - 2.0).abs() < 0.05 && (w[1] / w[2] - 2.0).abs() < 0.05)
        .unwrap_or_else(|| panic!("no bars in ratio 4:2:1 among {widths:?}"));
    assert!(bars[0] > bars[1] && bars[1] > bars[2]);
}

#[test]
fn a_table_without_rows_or_figure_does_not_panic() {
    for mut t in tables() {
        for c in &mut t.columns {
            c.values = match &c.values {
                innoscope_core::Values::Float(_) => innoscope_core::Values::Float(vec![]),
                innoscope_core::Values::Int(_) => innoscope_core::Values::Int(vec![]),
                innoscope_core::Values::Text(_) => innoscope_core::Values::Text(vec![]),
                innoscope_core::Values::Bool(_) => innoscope_core::Values::Bool(vec![]),
            };
        }
        let _ = render(&t, Lang::En);
        t.figure = None;
        assert!(render(&t, Lang::Zh).is_none());
    }
}
