//! K2: co-patenting networks of technology fields (Figs 9-10).

use super::microdata_ctx::*;
use super::prelude::*;
use innoscope_core::network::Network;
use std::collections::BTreeSet;

const K2_MIN_WEIGHT: i64 = 5;

pub(super) const K2: Analysis = Analysis {
    id: "K2",
    name: "field-networks",
    title: w("Field co-patenting networks", "技术领域国际合作网络"),
    chapter: "cooperation",
    params: &[
        reference_year(MICRO_YEAR_RULE),
        use_h(
            "min-weight",
            D::Int(K2_MIN_WEIGHT),
            w(
                "keep pairs with more than this many co-applications",
                "保留合作申请数多于此值的经济体对",
            ),
        ),
        use_h(
            "fields-file",
            FIELDS_RULE,
            w("technology fields file", "技术领域文件"),
        ),
        use_h(
            "seed",
            D::Int(SEED as i64),
            w(
                "seed of the layout and communities",
                "布局与社区发现的随机种子",
            ),
        ),
    ],
    own: &[],
    shared: COUNTING,
    placements: &[at("3.2", "k2")],
    numbers: &[
        ("K2.medical", Numbering::Figure(9)),
        ("K2.wireless", Numbering::Figure(10)),
    ],
    year_shift: YearShift::Year,
    series: &[],
    run: |e, p| Box::pin(k2(e, p)),
};

/// K2: the co-application network of each technology field in the
/// reference year, with pairs above the threshold; the hub.
pub async fn k2(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    let ctx = open(engine, params).await?;
    let (year, _) = ctx.years(params, MICRO_YEAR)?;
    let min = params.min_weight.unwrap_or(K2_MIN_WEIGHT);
    let fields = network_fields(params)?;
    // Every table is of the reference year: the base holds it alone.
    let base = ctx
        .md
        .prepare_years(&ctx.counting, &[&fields], &Years::Only(vec![year]))
        .await?;
    let fp = base.field_pairs(&fields, min).await?;
    let nodes = base.field_countries().await?;
    let mut out = Vec::new();
    for cat in &fields.categories {
        let edges: Vec<(String, String, f64)> = fp
            .iter()
            .filter(|r| r.year == year && r.field == cat.id)
            .map(|r| (a3(&r.ctry_a), a3(&r.ctry_b), r.apps as f64))
            .collect();
        let in_net: BTreeSet<&String> = edges.iter().flat_map(|(a, b, _)| [a, b]).collect();
        let node_list: Vec<(String, Text, f64)> = nodes
            .iter()
            .filter(|r| r.year == year && r.field == cat.id)
            .map(|r| (a3(&r.ctry), r.apps as f64))
            .filter(|(c, _)| in_net.contains(c))
            .map(|(c, w)| (c.clone(), Registry::bundled().names_of(&c), w))
            .collect();
        let net = Network::build(
            &format!("K2.{}", cat.id),
            Text::new(
                format!(
                    "{} co-patenting network, {year} (pairs with more than {min})",
                    cat.name.en
                ),
                format!(
                    "{year}年{}领域国际合作网络（合作申请量大于{min}件的经济体对）",
                    cat.name.zh
                ),
            ),
            ctx.counting.describe(),
            node_list,
            edges,
            params.seed.unwrap_or(SEED),
        );
        let mut t = network_table(
            &ctx,
            &net,
            &format!("K2.{}", cat.id),
            Text::new("co-applications in the field", "该领域合作申请量"),
        );
        let prefixes: Vec<String> = fields
            .rules
            .iter()
            .filter(|(_, i)| fields.categories[*i].id == cat.id)
            .map(|(p, _)| p.display())
            .collect();
        t.basis.push((
            Text::new("Field", "技术领域"),
            Text::new(
                format!(
                    "{}: applications with a symbol starting {}",
                    cat.name.en,
                    prefixes.join(", ")
                ),
                format!(
                    "{}：含以 {} 开头的分类号的申请",
                    cat.name.zh,
                    prefixes.join("、")
                ),
            ),
        ));
        t.basis.push((
            Text::new("Threshold", "阈值"),
            Text::new(
                format!("pairs with more than {min} co-applications"),
                format!("合作申请量大于{min}件的经济体对"),
            ),
        ));
        match net.hub() {
            Some(h) => {
                t.findings.push(Text::new(
                    format!(
                        "{} is the hub of the {} network (weighted degree {}, {} partners).",
                        h.label.en, cat.name.en, h.degree, h.partners
                    ),
                    format!(
                        "{}是{}领域合作网络的枢纽（加权度{}，{}个合作伙伴）。",
                        h.label.zh, cat.name.zh, h.degree, h.partners
                    ),
                ));
                let biggest = net.edges.iter().max_by(|a, b| {
                    a.weight
                        .partial_cmp(&b.weight)
                        .unwrap_or(std::cmp::Ordering::Equal)
                });
                if let Some(b) = biggest {
                    let (x, y) = (&net.nodes[b.source], &net.nodes[b.target]);
                    t.findings.push(Text::new(
                        format!(
                            "{} economies and {} links; the strongest tie is {}–{} ({}).",
                            net.nodes.len(),
                            net.edges.len(),
                            x.label.en,
                            y.label.en,
                            b.weight
                        ),
                        format!(
                            "网络含{}个经济体、{}条连线；最强的合作关系为{}—{}（{}件）。",
                            net.nodes.len(),
                            net.edges.len(),
                            x.label.zh,
                            y.label.zh,
                            b.weight
                        ),
                    ));
                }
            }
            None => t.findings.push(Text::new(
                format!(
                    "No pair of economies has more than {min} co-applications in {} in {year}.",
                    cat.name.en
                ),
                format!(
                    "{year}年{}领域没有合作申请量超过{min}件的经济体对。",
                    cat.name.zh
                ),
            )),
        }
        t.params = params_map(params, &ctx.counting);
        out.push(t);
    }
    Ok(out)
}
