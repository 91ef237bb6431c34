//! Figures: one renderer per [`Figure`] kind. Each figure carries its own
//! title, basis and source lines, so a figure pasted into another document
//! still says what it shows.

use innoscope_core::{Figure, Lang, ResultTable, Text};

use crate::svg::{Doc, PALETTE, text_width, tick_label, ticks};

const W: f64 = 900.0;

/// Render the figure of `table` in `lang`; `None` when the table has none.
pub fn render(table: &ResultTable, lang: Lang) -> Option<String> {
    let fig = table.figure.as_ref()?;
    let labels = labels(table, lang);
    let body = match fig {
        Figure::GroupedBars { series, unit, .. } | Figure::DivergingBars { series, unit, .. } => {
            hbars(table, &labels, series, unit, lang)
        }
        Figure::BarsWithLine {
            bars,
            bar_unit,
            line,
            line_unit,
            ..
        } => bars_line(table, &labels, bars, bar_unit, line, line_unit, lang),
        Figure::RankChange {
            rank_from,
            rank_to,
            from,
            to,
            ..
        } => rank_change(table, &labels, rank_from, rank_to, from, to, lang),
        Figure::Bubble {
            x,
            y,
            size,
            filled,
            unit,
            ..
        } => bubble(table, &labels, x, y, size, filled, unit, lang),
        Figure::Network {
            size,
            x,
            y,
            group,
            edges,
            unit,
            ..
        } => network(table, &labels, size, x, y, group, edges, unit, lang),
        Figure::RankedBars {
            value,
            colour,
            unit,
            ..
        } => ranked_bars(table, &labels, value, colour, unit, lang),
        Figure::StackedBars { series, unit, .. } => {
            stacked_bars(table, &labels, series, unit, lang)
        }
        Figure::HeatMap { series, unit, .. } => heat_map(table, &labels, series, unit, lang),
    };
    Some(if table.synthetic {
        synthetic_mark(&body, lang)
    } else {
        body
    })
}

/// Stamp "synthetic demo data" across a figure built from generated data.
fn synthetic_mark(svg: &str, lang: Lang) -> String {
    let label = match lang {
        Lang::Zh => "合成演示数据 · 非真实统计",
        Lang::En => "SYNTHETIC DEMO DATA · not real statistics",
    };
    // A strip is added below the figure for the stamp, so that it never
    // covers the plot, legend or footer; a dashed frame marks the whole figure.
    let Some(h) = svg
        .split("viewBox=\"0 0 ")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .and_then(|wh| wh.split(' ').nth(1))
        .map(str::to_string)
    else {
        return svg.to_string();
    };
    let Ok(old) = h.parse::<f64>() else {
        return svg.to_string();
    };
    let new = old + 28.0;
    let (w, oh, nh) = (crate::svg::f(W), crate::svg::f(old), crate::svg::f(new));
    let svg = svg
        .replacen(
            &format!("viewBox=\"0 0 {w} {oh}\" width=\"{w}\" height=\"{oh}\""),
            &format!("viewBox=\"0 0 {w} {nh}\" width=\"{w}\" height=\"{nh}\""),
            1,
        )
        .replacen(
            &format!("<rect width=\"{w}\" height=\"{oh}\" fill=\"white\"/>"),
            &format!("<rect width=\"{w}\" height=\"{nh}\" fill=\"white\"/>"),
            1,
        );
    let mark = format!(
        r##"<text x="{x}" y="{y}" font-size="14" font-weight="bold" text-anchor="end" fill="#c0392b">{label}</text>
<rect x="2" y="2" width="{fw}" height="{fh}" fill="none" stroke="#c0392b" stroke-width="3" stroke-dasharray="10 6"/>
"##,
        label = crate::svg::esc(label),
        x = crate::svg::f(W - 16.0),
        y = crate::svg::f(new - 12.0),
        fw = crate::svg::f(W - 4.0),
        fh = crate::svg::f(new - 4.0),
    );
    match svg.rfind("</svg>") {
        Some(i) => format!("{}{mark}{}", &svg[..i], &svg[i..]),
        None => svg,
    }
}

/// Label the discs `(cx, cy, r)` named `labels`, in `order` (the most
/// important first): right, left, above, below, then the diagonals, the
/// first place that overlaps no earlier label and no other disc and stays
/// inside the figure (below `top`), with a white halo. Returns the discs
/// that found no place.
fn place_labels(
    doc: &mut Doc,
    discs: &[(f64, f64, f64)],
    labels: &[String],
    order: &[usize],
    top: f64,
) -> Vec<usize> {
    let hits_disc = |bx: (f64, f64, f64, f64), own: usize| {
        discs.iter().enumerate().any(|(i, &(cx, cy, rad))| {
            let nx = cx.clamp(bx.0, bx.2);
            let ny = cy.clamp(bx.1, bx.3);
            i != own && (nx - cx).powi(2) + (ny - cy).powi(2) < rad * rad
        })
    };
    let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
    let mut unplaced = Vec::new();
    for &r in order {
        let (cx, cy, rad) = discs[r];
        let fs = if rad > 14.0 { 13.0 } else { 11.0 };
        let w = text_width(&labels[r], fs);
        let candidates = [
            (cx + rad + 3.0, cy + fs * 0.35, "start"),
            (cx - rad - 3.0, cy + fs * 0.35, "end"),
            (cx, cy - rad - 4.0, "middle"),
            (cx, cy + rad + fs + 2.0, "middle"),
            // The diagonals, for a disc ringed by others.
            (cx + rad * 0.71 + 3.0, cy - rad * 0.71 - 3.0, "start"),
            (cx - rad * 0.71 - 3.0, cy - rad * 0.71 - 3.0, "end"),
            (cx + rad * 0.71 + 3.0, cy + rad * 0.71 + fs, "start"),
            (cx - rad * 0.71 - 3.0, cy + rad * 0.71 + fs, "end"),
        ];
        let spot = candidates.into_iter().find_map(|(lx, ly, anchor)| {
            let x0 = match anchor {
                "start" => lx,
                "end" => lx - w,
                _ => lx - w / 2.0,
            };
            let bx = (x0, ly - fs, x0 + w, ly + 2.0);
            let inside = bx.0 >= 4.0 && bx.2 <= W - 4.0 && bx.1 >= top;
            let clash = placed
                .iter()
                .any(|p| bx.0 < p.2 && bx.2 > p.0 && bx.1 < p.3 && bx.3 > p.1)
                || hits_disc(bx, r);
            (inside && !clash).then_some((lx, ly, anchor, bx))
        });
        match spot {
            Some((lx, ly, anchor, bx)) => {
                doc.text_halo(lx, ly, fs, anchor, &labels[r]);
                placed.push(bx);
            }
            None => unplaced.push(r),
        }
    }
    unplaced
}

/// At most this many node labels on a network figure.
const NETWORK_LABELS: usize = 20;

/// A network: edges as lines (width by weight), nodes as circles (area by
/// size, colour by community), labels placed greedily so they never overlap
/// (the smallest nodes lose theirs first).
#[allow(clippy::too_many_arguments)]
fn network(
    t: &ResultTable,
    labels: &[String],
    size: &str,
    x: &str,
    y: &str,
    group: &str,
    edges: &[innoscope_core::table::NetworkEdge],
    unit: &Text,
    lang: Lang,
) -> String {
    let n = t.n_rows();
    let sizes = values(t, size);
    let xs = values(t, x);
    let ys = values(t, y);
    let groups = values(t, group);
    let ids: Vec<String> = (0..n)
        .map(|r| {
            t.column("economy")
                .or_else(|| t.column("id"))
                .and_then(|c| c.str_at(r))
                .unwrap_or("")
                .to_string()
        })
        .collect();
    let (left, top, pw, ph) = (70.0, 80.0, W - 140.0, 520.0);
    let foot = footer_height(t, lang);
    let mut doc = Doc::new(W, top + ph + 70.0 + foot);
    let max_size = sizes
        .iter()
        .flatten()
        .copied()
        .fold(0.0, f64::max)
        .max(1e-9);
    let max_w = edges.iter().map(|e| e.weight).fold(0.0, f64::max).max(1e-9);
    let px = |r: usize| left + xs[r].unwrap_or(0.5) * pw;
    let py = |r: usize| top + ys[r].unwrap_or(0.5) * ph;
    let radius = |r: usize| 4.0 + 26.0 * (sizes[r].unwrap_or(0.0).max(0.0) / max_size).sqrt();
    let index = |id: &str| ids.iter().position(|x| x == id);
    for e in edges {
        let (Some(a), Some(b)) = (index(&e.source), index(&e.target)) else {
            continue;
        };
        let wdt = 0.6 + 7.0 * (e.weight / max_w);
        doc.raw(&format!(
            r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#7f8c9a" stroke-opacity="0.55" stroke-width="{}" stroke-linecap="round"><title>{} – {}: {}</title></line>"##,
            crate::svg::f(px(a)),
            crate::svg::f(py(a)),
            crate::svg::f(px(b)),
            crate::svg::f(py(b)),
            crate::svg::f(wdt),
            crate::svg::esc(&labels[a]),
            crate::svg::esc(&labels[b]),
            tick_label(e.weight)
        ));
    }
    // Largest nodes first, so that small ones are drawn on top of them.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|a, b| {
        sizes[*b]
            .unwrap_or(0.0)
            .partial_cmp(&sizes[*a].unwrap_or(0.0))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(ids[*a].cmp(&ids[*b]))
    });
    for &r in &order {
        let g = groups[r].unwrap_or(0.0) as usize;
        // An opaque disc first, so that the edges stop at the node's rim
        // instead of showing through its translucent fill.
        doc.raw(&format!(
            r##"<circle cx="{}" cy="{}" r="{}" fill="#fff"/>"##,
            crate::svg::f(px(r)),
            crate::svg::f(py(r)),
            crate::svg::f(radius(r))
        ));
        doc.circle(
            px(r),
            py(r),
            radius(r),
            PALETTE[g % PALETTE.len()],
            PALETTE[g % PALETTE.len()],
            &format!(
                "{}: {} {}",
                labels[r],
                tick_label(sizes[r].unwrap_or(0.0)),
                unit.get(lang)
            ),
        );
    }
    // Labels: the largest nodes first, at most NETWORK_LABELS of them,
    // where they fit (a dense network stays readable; every node keeps its
    // name in its tooltip and the table).
    let discs: Vec<(f64, f64, f64)> = (0..n).map(|r| (px(r), py(r), radius(r))).collect();
    let first: Vec<usize> = order.iter().copied().take(NETWORK_LABELS).collect();
    place_labels(&mut doc, &discs, labels, &first, top - 20.0);
    let note = match lang {
        Lang::Zh => format!(
            "节点面积 ∝ {0}；连线宽度 ∝ {0}；颜色 = 社区；标注放得下的最大节点（至多{NETWORK_LABELS}个），全部见表",
            unit.get(lang)
        ),
        Lang::En => format!(
            "Node area ∝ {0}; edge width ∝ {0}; colour = community; labels on the largest nodes where they fit (at most {NETWORK_LABELS}), all in the table",
            unit.get(lang)
        ),
    };
    doc.text(20.0, top + ph + 45.0, 11.0, "start", "#555", &note);
    frame(&mut doc, t, lang, top + ph + 70.0);
    doc.finish()
}

/// Row labels: the economy name in the language.
fn labels(t: &ResultTable, lang: Lang) -> Vec<String> {
    let col = match lang {
        Lang::Zh => "name_zh",
        Lang::En => "name_en",
    };
    // Names in the language, else the figure's own label column (years,
    // field numbers), formatted as in the table.
    let figure_label = t.figure.as_ref().map(|f| match f {
        Figure::GroupedBars { label, .. }
        | Figure::DivergingBars { label, .. }
        | Figure::BarsWithLine { label, .. }
        | Figure::RankChange { label, .. }
        | Figure::Bubble { label, .. }
        | Figure::Network { label, .. }
        | Figure::RankedBars { label, .. }
        | Figure::StackedBars { label, .. }
        | Figure::HeatMap { label, .. } => label.as_str(),
    });
    let c = t
        .column(col)
        .or_else(|| figure_label.and_then(|l| t.column(l)))
        .or_else(|| t.column("economy"));
    (0..t.n_rows())
        .map(|r| c.map(|c| c.cell(r)).unwrap_or_default())
        .collect()
}

fn values(t: &ResultTable, col: &str) -> Vec<Option<f64>> {
    let c = t.column(col);
    (0..t.n_rows())
        .map(|r| c.and_then(|c| c.f64_at(r)))
        .collect()
}

fn col_label(t: &ResultTable, col: &str, lang: Lang) -> String {
    t.column(col)
        .map(|c| c.label.get(lang).to_string())
        .unwrap_or_else(|| col.to_string())
}

/// Title at the top; basis and sources at the bottom. Returns the y where the plot may start.
fn frame(doc: &mut Doc, t: &ResultTable, lang: Lang, footer_top: f64) {
    doc.text(
        20.0,
        30.0,
        18.0,
        "start",
        "#111",
        // The analysis id (C2, K2) tells readers what to run; the part
        // after it (`K2.medical`) is a machine name and stays out.
        &format!(
            "{}  {}",
            t.id.split('.').next().unwrap_or(&t.id),
            t.title.get(lang)
        ),
    );
    let mut y = footer_top;
    for (k, v) in &t.basis {
        for line in wrap(&basis_line(k, v, lang), W - 40.0, 11.0) {
            doc.text(20.0, y, 11.0, "start", "#555", &line);
            y += 15.0;
        }
    }
    for s in &t.sources {
        for line in wrap(&source_line(s, lang), W - 40.0, 11.0) {
            doc.text(20.0, y, 11.0, "start", "#555", &line);
            y += 15.0;
        }
    }
}

/// A figure's basis line ("Counting basis: …"), in the figure's language.
fn basis_line(k: &Text, v: &Text, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{}: {}", k.en, v.en),
        Lang::Zh => format!("{}：{}", k.zh, v.zh),
    }
}

/// A figure's source line, in the figure's language.
fn source_line(s: &innoscope_core::SourceNote, lang: Lang) -> String {
    match lang {
        Lang::En => format!("Source: {} ({}, {})", s.source, s.licence, s.vintage),
        Lang::Zh => format!(
            "来源：{}（{}，{}）",
            s.source_in(lang),
            s.licence_in(lang),
            s.vintage_in(lang)
        ),
    }
}

fn footer_height(t: &ResultTable, lang: Lang) -> f64 {
    let mut n = 0;
    for (k, v) in &t.basis {
        n += wrap(&basis_line(k, v, lang), W - 40.0, 11.0).len();
    }
    for s in &t.sources {
        n += wrap(&source_line(s, lang), W - 40.0, 11.0).len();
    }
    n as f64 * 15.0 + 20.0
}

/// Greedy wrap by estimated width (CJK text may break anywhere).
pub fn wrap(s: &str, width: f64, size: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in s.split_inclusive(' ') {
        let pieces: Vec<String> = if text_width(word, size) > width {
            word.chars().map(|c| c.to_string()).collect()
        } else {
            vec![word.to_string()]
        };
        for p in pieces {
            if text_width(&cur, size) + text_width(&p, size) > width && !cur.is_empty() {
                lines.push(cur.trim_end().to_string());
                cur.clear();
            }
            cur.push_str(&p);
        }
    }
    if !cur.trim().is_empty() {
        lines.push(cur.trim_end().to_string());
    }
    lines
}

fn legend(doc: &mut Doc, x: f64, y: f64, items: &[(String, &str)]) {
    let mut cx = x;
    for (label, color) in items {
        doc.rect(cx, y - 10.0, 12.0, 12.0, color, label);
        doc.text(cx + 16.0, y, 12.0, "start", "#333", label);
        cx += 32.0 + text_width(label, 12.0);
    }
}

/// The legend of a multi-series figure (one palette colour per series
/// column, in order) above the plot at `x0`; returns its items.
fn series_legend<'a>(
    doc: &mut Doc,
    t: &ResultTable,
    series: &[String],
    lang: Lang,
    x0: f64,
) -> Vec<(String, &'a str)> {
    let items: Vec<(String, &str)> = series
        .iter()
        .enumerate()
        .map(|(i, s)| (col_label(t, s, lang), PALETTE[i % PALETTE.len()]))
        .collect();
    legend(doc, x0, 56.0, &items);
    items
}

/// The left edge of a plot whose rows carry `labels` (right-aligned in the
/// gutter before it).
fn plot_x0(labels: &[String]) -> f64 {
    let gutter = labels
        .iter()
        .map(|l| text_width(l, 12.0))
        .fold(60.0, f64::max)
        + 16.0;
    20.0 + gutter
}

/// Start a horizontal-bar chart whose rows fill `plot_h` below `top`: the
/// document sized for them and the footer, the series legend (returned) and
/// the value axis.
#[allow(clippy::too_many_arguments)]
fn hbar_doc(
    t: &ResultTable,
    series: &[String],
    unit: &Text,
    lang: Lang,
    tk: &[f64],
    sx: &dyn Fn(f64) -> f64,
    (x0, x1): (f64, f64),
    (top, plot_h): (f64, f64),
) -> (Doc, Vec<(String, &'static str)>) {
    let foot = footer_height(t, lang);
    let mut doc = Doc::new(W, top + plot_h + 50.0 + foot);
    let items = series_legend(&mut doc, t, series, lang, x0);
    x_axis(
        &mut doc,
        tk,
        sx,
        (x0, x1),
        (top, top + plot_h),
        unit.get(lang),
    );
    (doc, items)
}

/// Vertical grid lines with tick labels below a horizontal-bar plot, and
/// the unit centred under them.
fn x_axis(
    doc: &mut Doc,
    ticks: &[f64],
    sx: &dyn Fn(f64) -> f64,
    (x0, x1): (f64, f64),
    (top, bottom): (f64, f64),
    unit: &str,
) {
    for v in ticks {
        doc.line(sx(*v), top, sx(*v), bottom, "#e5e5e5", 1.0);
        doc.text(
            sx(*v),
            bottom + 16.0,
            11.0,
            "middle",
            "#555",
            &tick_label(*v),
        );
    }
    doc.text((x0 + x1) / 2.0, bottom + 34.0, 12.0, "middle", "#333", unit);
}

/// A row's label, right-aligned just left of the plot at `x0`, centred on
/// the row from `y` of height `h`.
fn row_label(doc: &mut Doc, x0: f64, y: f64, h: f64, label: &str) {
    doc.text(x0 - 8.0, y + h / 2.0 + 4.0, 12.0, "end", "#222", label);
}

/// Horizontal bars, one group per row, one bar per series, around zero.
fn hbars(t: &ResultTable, labels: &[String], series: &[String], unit: &Text, lang: Lang) -> String {
    let n = t.n_rows();
    let data: Vec<Vec<Option<f64>>> = series.iter().map(|s| values(t, s)).collect();
    let all: Vec<f64> = data.iter().flatten().flatten().copied().collect();
    let (lo, hi) = axis_range(&all);
    let clipped = all.iter().any(|v| *v < lo || *v > hi);
    let tk = ticks(lo, hi, 6);
    let (lo, hi) = (tk[0], *tk.last().unwrap());
    let (x0, x1) = (plot_x0(labels), W - 30.0);
    let group_h = 8.0 + 13.0 * series.len() as f64;
    let top = 80.0;
    let plot_h = group_h * n as f64;
    let sx = |v: f64| x0 + (v - lo) / (hi - lo) * (x1 - x0);
    let (mut doc, _) = hbar_doc(t, series, unit, lang, &tk, &sx, (x0, x1), (top, plot_h));
    for r in 0..n {
        let gy = top + r as f64 * group_h;
        row_label(&mut doc, x0, gy, group_h, &labels[r]);
        for (i, d) in data.iter().enumerate() {
            if let Some(v) = d[r] {
                let shown = v.clamp(lo, hi);
                let (a, b) = (sx(0.0), sx(shown));
                let y = gy + 4.0 + 13.0 * i as f64;
                doc.rect(
                    a.min(b),
                    y,
                    (b - a).abs(),
                    11.0,
                    PALETTE[i % PALETTE.len()],
                    &format!(
                        "{}: {} {}",
                        labels[r],
                        tick_label((v * 100.0).round() / 100.0),
                        unit.get(lang)
                    ),
                );
                if shown != v {
                    // Cut at the axis: a break in the bar, the value inside.
                    let side = if v > 0.0 { -1.0 } else { 1.0 };
                    let cut = b + side * 14.0;
                    doc.raw(&format!(
                        r##"<path d="M{} {} l6 -13 M{} {} l6 -13" stroke="#fff" stroke-width="2.5"/>"##,
                        crate::svg::f(cut - 3.0),
                        crate::svg::f(y + 12.0),
                        crate::svg::f(cut + 2.0),
                        crate::svg::f(y + 12.0)
                    ));
                    let text_x = b + side * 22.0;
                    let anchor = if v > 0.0 { "end" } else { "start" };
                    let value = format!(
                        "{}{}",
                        if v > 0.0 { "+" } else { "" },
                        tick_label(v.round())
                    );
                    doc.text_halo(text_x, y + 9.5, 10.0, anchor, &value);
                }
            }
        }
    }
    doc.line(sx(0.0), top, sx(0.0), top + plot_h, "#333", 1.0);
    if clipped {
        let note = match lang {
            Lang::En => "bars beyond the axis are cut, their values printed in them",
            Lang::Zh => "超出坐标轴的条形被截断，数值标在条内",
        };
        doc.text(x1, top - 10.0, 11.0, "end", "#555", note);
    }
    frame(&mut doc, t, lang, top + plot_h + 58.0);
    doc.finish()
}

/// The range a bar axis spans: all values and zero, except values that
/// dwarf the rest (more than three times the next largest on their side,
/// at most two per side), which are cut at the edge so that the others
/// stay readable.
fn axis_range(all: &[f64]) -> (f64, f64) {
    let bound = |mut side: Vec<f64>| -> f64 {
        side.sort_by(|a, b| b.total_cmp(a));
        let mut k = 0;
        while k < 2 && side.len() > k + 2 && side[k] > 3.0 * side[k + 1] && side[k + 1] > 0.0 {
            k += 1;
        }
        match side.get(k) {
            Some(v) if k > 0 => v * 1.15,
            Some(v) => *v,
            None => 0.0,
        }
    };
    let hi = bound(all.iter().copied().filter(|v| *v > 0.0).collect());
    let lo = -bound(all.iter().map(|v| -v).filter(|v| *v > 0.0).collect());
    (lo, hi)
}

/// Horizontal stacked bars: one bar per row, one segment per series, with
/// the row's total at the end of the bar.
fn stacked_bars(
    t: &ResultTable,
    labels: &[String],
    series: &[String],
    unit: &Text,
    lang: Lang,
) -> String {
    let n = t.n_rows();
    let data: Vec<Vec<f64>> = series
        .iter()
        .map(|s| {
            values(t, s)
                .into_iter()
                .map(|v| v.unwrap_or(0.0).max(0.0))
                .collect()
        })
        .collect();
    let totals: Vec<f64> = (0..n).map(|r| data.iter().map(|d| d[r]).sum()).collect();
    let tk = ticks(0.0, totals.iter().copied().fold(0.0, f64::max), 6);
    let hi = *tk.last().unwrap_or(&1.0);
    let (x0, x1) = (plot_x0(labels), W - 60.0);
    let row_h = 26.0;
    let top = 80.0;
    let plot_h = row_h * n as f64;
    let sx = |v: f64| x0 + v / hi.max(f64::MIN_POSITIVE) * (x1 - x0);
    let (mut doc, items) = hbar_doc(t, series, unit, lang, &tk, &sx, (x0, x1), (top, plot_h));
    for r in 0..n {
        let y = top + r as f64 * row_h;
        row_label(&mut doc, x0, y, row_h, &labels[r]);
        let mut acc = 0.0;
        for (i, d) in data.iter().enumerate() {
            let v = d[r];
            if v > 0.0 {
                doc.rect(
                    sx(acc),
                    y + 4.0,
                    sx(acc + v) - sx(acc),
                    row_h - 8.0,
                    PALETTE[i % PALETTE.len()],
                    &format!(
                        "{}: {} {} {}",
                        labels[r],
                        items[i].0,
                        tick_label(v),
                        unit.get(lang)
                    ),
                );
            }
            acc += v;
        }
        doc.text(
            sx(acc) + 6.0,
            y + row_h / 2.0 + 4.0,
            11.0,
            "start",
            "#333",
            &tick_label(acc),
        );
    }
    frame(&mut doc, t, lang, top + plot_h + 58.0);
    doc.finish()
}

/// A heat map: rows × series columns, cells shaded from white to blue by
/// value, with the value printed in each cell.
fn heat_map(
    t: &ResultTable,
    labels: &[String],
    series: &[String],
    unit: &Text,
    lang: Lang,
) -> String {
    let n = t.n_rows();
    let data: Vec<Vec<Option<f64>>> = series.iter().map(|s| values(t, s)).collect();
    let max = data
        .iter()
        .flatten()
        .flatten()
        .copied()
        .fold(0.0f64, f64::max);
    let x0 = plot_x0(labels);
    let cols = series.len().max(1) as f64;
    let cell_w = ((W - 30.0 - x0) / cols).min(110.0);
    let cell_h = 28.0;
    let top = 110.0;
    let plot_h = cell_h * n as f64;
    let foot = footer_height(t, lang);
    let mut doc = Doc::new(W, top + plot_h + 40.0 + foot);
    for (i, s) in series.iter().enumerate() {
        let cx = x0 + cell_w * (i as f64 + 0.5);
        for (k, line) in wrap(&col_label(t, s, lang), cell_w - 4.0, 11.0)
            .iter()
            .take(3)
            .enumerate()
        {
            doc.text(
                cx,
                top - 36.0 + 13.0 * k as f64,
                11.0,
                "middle",
                "#222",
                line,
            );
        }
    }
    // Shade: white → #0072B2 by value / max (square root, so small counts show).
    let shade = |v: f64| {
        let a = if max > 0.0 { (v / max).sqrt() } else { 0.0 };
        let mix = |from: f64, to: f64| (from + (to - from) * a).round() as u8;
        format!(
            "#{:02X}{:02X}{:02X}",
            mix(255.0, 0.0),
            mix(255.0, 114.0),
            mix(255.0, 178.0)
        )
    };
    for r in 0..n {
        let y = top + r as f64 * cell_h;
        row_label(&mut doc, x0, y, cell_h, &labels[r]);
        for (i, d) in data.iter().enumerate() {
            let x = x0 + cell_w * i as f64;
            let v = d[r].unwrap_or(0.0);
            doc.rect(
                x + 1.0,
                y + 1.0,
                cell_w - 2.0,
                cell_h - 2.0,
                &shade(v),
                &format!(
                    "{} × {}: {} {}",
                    labels[r],
                    col_label(t, &series[i], lang),
                    tick_label(v),
                    unit.get(lang)
                ),
            );
            let ink = if max > 0.0 && (v / max).sqrt() > 0.55 {
                "#fff"
            } else {
                "#222"
            };
            doc.text(
                x + cell_w / 2.0,
                y + cell_h / 2.0 + 4.0,
                11.0,
                "middle",
                ink,
                &tick_label(v),
            );
        }
    }
    frame(&mut doc, t, lang, top + plot_h + 30.0);
    doc.finish()
}

/// Ranked horizontal bars, one per row, coloured by a category with a legend.
fn ranked_bars(
    t: &ResultTable,
    labels: &[String],
    value: &str,
    colour: &str,
    unit: &Text,
    lang: Lang,
) -> String {
    let n = t.n_rows();
    let vals = values(t, value);
    let hi = vals.iter().flatten().copied().fold(0.0f64, f64::max);
    let tk = ticks(0.0, hi.max(1.0), 6);
    let hi = *tk.last().unwrap();
    let cat_col = format!("{colour}_{}", lang.code());
    let cats: Vec<String> = (0..n)
        .map(|r| {
            t.column(&cat_col)
                .or_else(|| t.column(colour))
                .map(|c| c.cell(r))
                .unwrap_or_default()
        })
        .collect();
    // The first seven categories (in rank order) get colours of their own;
    // the rest, and unknown values, share a grey "other".
    let unknown = match lang {
        Lang::Zh => "未知",
        Lang::En => "unknown",
    };
    let other = match lang {
        Lang::Zh => "其他",
        Lang::En => "other",
    };
    let mut order: Vec<String> = Vec::new();
    for c in &cats {
        if c != unknown && !order.contains(c) && order.len() < 7 {
            order.push(c.clone());
        }
    }
    let cats: Vec<String> = cats
        .into_iter()
        .map(|c| {
            if order.contains(&c) {
                c
            } else {
                other.to_string()
            }
        })
        .collect();
    if cats.iter().any(|c| c == other) {
        order.push(other.to_string());
    }
    let color_of = |c: &str| match order.iter().position(|o| o == c) {
        Some(i) if c != other => PALETTE[i],
        _ => "#9e9e9e",
    };
    let (x0, x1) = (plot_x0(labels), W - 70.0);
    let bar_h = 20.0;
    // Legend rows, wrapped to the width.
    let items: Vec<(String, &str)> = order.iter().map(|c| (c.to_string(), color_of(c))).collect();
    let mut rows: Vec<Vec<(String, &str)>> = vec![Vec::new()];
    let mut w = 0.0;
    for it in items {
        let iw = 32.0 + text_width(&it.0, 12.0);
        if w + iw > W - 40.0 && !rows.last().unwrap().is_empty() {
            rows.push(Vec::new());
            w = 0.0;
        }
        w += iw;
        rows.last_mut().unwrap().push(it);
    }
    let top = 70.0 + 20.0 * rows.len() as f64;
    let plot_h = bar_h * n as f64;
    let foot = footer_height(t, lang);
    let mut doc = Doc::new(W, top + plot_h + 50.0 + foot);
    for (i, row) in rows.iter().enumerate() {
        legend(&mut doc, 20.0, 56.0 + 20.0 * i as f64, row);
    }
    let sx = |v: f64| x0 + v / hi * (x1 - x0);
    x_axis(
        &mut doc,
        &tk,
        &sx,
        (x0, x1),
        (top, top + plot_h),
        unit.get(lang),
    );
    for r in 0..n {
        let y = top + r as f64 * bar_h;
        row_label(&mut doc, x0, y, bar_h, &labels[r]);
        if let Some(v) = vals[r] {
            let tip = format!(
                "{}: {} {} ({})",
                labels[r],
                tick_label(v),
                unit.get(lang),
                cats[r]
            );
            doc.rect(
                x0,
                y + 3.0,
                sx(v) - x0,
                bar_h - 6.0,
                color_of(&cats[r]),
                &tip,
            );
            doc.text(
                sx(v) + 4.0,
                y + bar_h / 2.0 + 4.0,
                11.0,
                "start",
                "#333",
                &tick_label(v),
            );
        }
    }
    doc.line(x0, top, x0, top + plot_h, "#333", 1.0);
    frame(&mut doc, t, lang, top + plot_h + 58.0);
    doc.finish()
}

/// Vertical bars (left axis) with a line (right axis).
fn bars_line(
    t: &ResultTable,
    labels: &[String],
    bars: &str,
    bar_unit: &Text,
    line: &str,
    line_unit: &Text,
    lang: Lang,
) -> String {
    let n = t.n_rows().max(1);
    let b = values(t, bars);
    let l = values(t, line);
    let bt = ticks(0.0, b.iter().flatten().copied().fold(0.0, f64::max), 5);
    let lt = ticks(0.0, l.iter().flatten().copied().fold(0.0, f64::max), 5);
    let (bmax, lmax) = (*bt.last().unwrap(), *lt.last().unwrap());
    let (x0, x1, top, plot_h) = (80.0, W - 70.0, 80.0, 300.0);
    let label_h = labels
        .iter()
        .map(|s| text_width(s, 12.0))
        .fold(0.0, f64::max)
        * 0.71
        + 20.0;
    let foot = footer_height(t, lang);
    let mut doc = Doc::new(W, top + plot_h + label_h + 20.0 + foot);
    let slot = (x1 - x0) / n as f64;
    let yb = |v: f64| top + plot_h - v / bmax * plot_h;
    let yl = |v: f64| top + plot_h - v / lmax * plot_h;
    legend(
        &mut doc,
        x0,
        56.0,
        &[
            (
                format!("{} ({})", col_label(t, bars, lang), bar_unit.get(lang)),
                PALETTE[0],
            ),
            (
                format!("{} ({})", col_label(t, line, lang), line_unit.get(lang)),
                PALETTE[3],
            ),
        ],
    );
    for v in &bt {
        doc.line(x0, yb(*v), x1, yb(*v), "#e5e5e5", 1.0);
        doc.text(x0 - 6.0, yb(*v) + 4.0, 11.0, "end", "#555", &tick_label(*v));
    }
    for v in &lt {
        doc.text(
            x1 + 6.0,
            yl(*v) + 4.0,
            11.0,
            "start",
            PALETTE[3],
            &tick_label(*v),
        );
    }
    let mut pts = Vec::new();
    for r in 0..t.n_rows() {
        let cx = x0 + slot * (r as f64 + 0.5);
        if let Some(v) = b[r] {
            doc.rect(
                cx - slot * 0.3,
                yb(v),
                slot * 0.6,
                yb(0.0) - yb(v),
                PALETTE[0],
                &format!("{}: {:.1} {}", labels[r], v, bar_unit.get(lang)),
            );
        }
        if let Some(v) = l[r] {
            pts.push(format!("{},{}", crate::svg::f(cx), crate::svg::f(yl(v))));
            doc.circle(
                cx,
                yl(v),
                3.5,
                PALETTE[3],
                PALETTE[3],
                &format!("{}: {:.2} {}", labels[r], v, line_unit.get(lang)),
            );
        }
        doc.text_rot(
            cx + 4.0,
            top + plot_h + 14.0,
            12.0,
            -45.0,
            "end",
            &labels[r],
        );
    }
    doc.raw(&format!(
        r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>"#,
        pts.join(" "),
        PALETTE[3]
    ));
    doc.line(x0, yb(0.0), x1, yb(0.0), "#333", 1.0);
    frame(&mut doc, t, lang, top + plot_h + label_h + 28.0);
    doc.finish()
}

/// Slope chart of ranks from one period to another.
fn rank_change(
    t: &ResultTable,
    labels: &[String],
    from_col: &str,
    to_col: &str,
    from: &Text,
    to: &Text,
    lang: Lang,
) -> String {
    let rf = values(t, from_col);
    let rt = values(t, to_col);
    let n = t.n_rows();
    let max_rank = rf
        .iter()
        .chain(rt.iter())
        .flatten()
        .copied()
        .fold(1.0, f64::max);
    let (top, row_h) = (90.0, 22.0);
    let plot_h = row_h * (max_rank - 1.0);
    let (xa, xb) = (330.0, 570.0);
    let foot = footer_height(t, lang);
    let mut doc = Doc::new(W, top + plot_h + 50.0 + foot);
    let y = |rank: f64| top + (rank - 1.0) * row_h;
    doc.text(xa, 66.0, 14.0, "middle", "#111", from.get(lang));
    doc.text(xb, 66.0, 14.0, "middle", "#111", to.get(lang));
    for r in 0..n {
        let (Some(a), Some(b)) = (rf[r], rt[r]) else {
            continue;
        };
        let color = if b < a {
            "#009E73"
        } else if b > a {
            "#D55E00"
        } else {
            "#888888"
        };
        doc.line(xa, y(a), xb, y(b), color, 2.0);
        doc.circle(
            xa,
            y(a),
            4.0,
            color,
            color,
            &format!("{}: {}", labels[r], a),
        );
        doc.circle(
            xb,
            y(b),
            4.0,
            color,
            color,
            &format!("{}: {}", labels[r], b),
        );
        doc.text(
            xa - 10.0,
            y(a) + 4.0,
            12.0,
            "end",
            "#222",
            &format!("{} {}", labels[r], a),
        );
        doc.text(
            xb + 10.0,
            y(b) + 4.0,
            12.0,
            "start",
            "#222",
            &format!("{} {}", b, labels[r]),
        );
    }
    frame(&mut doc, t, lang, top + plot_h + 40.0);
    doc.finish()
}

/// Bubble chart: position by two values, area by |size|, filled when positive.
#[allow(clippy::too_many_arguments)]
fn bubble(
    t: &ResultTable,
    labels: &[String],
    xc: &str,
    yc: &str,
    size: &str,
    filled: &str,
    unit: &Text,
    lang: Lang,
) -> String {
    let xs = values(t, xc);
    let ys = values(t, yc);
    let ss = values(t, size);
    let fill_col = t.column(filled);
    // Padding so the largest bubbles stay inside the plot.
    let xt = ticks(
        0.0,
        xs.iter().flatten().copied().fold(0.0, f64::max) * 1.12,
        6,
    );
    let yt = ticks(
        0.0,
        ys.iter().flatten().copied().fold(0.0, f64::max) * 1.12,
        6,
    );
    let (xmax, ymax) = (*xt.last().unwrap(), *yt.last().unwrap());
    let smax = ss.iter().flatten().map(|v| v.abs()).fold(1e-9, f64::max);
    let (x0, x1, top, plot_h) = (80.0, W - 40.0, 70.0, 420.0);
    let foot = footer_height(t, lang);
    let mut doc = Doc::new(W, top + plot_h + 60.0 + foot);
    let sx = |v: f64| x0 + v / xmax * (x1 - x0);
    let sy = |v: f64| top + plot_h - v / ymax * plot_h;
    for v in &xt {
        doc.line(sx(*v), top, sx(*v), top + plot_h, "#eeeeee", 1.0);
        doc.text(
            sx(*v),
            top + plot_h + 16.0,
            11.0,
            "middle",
            "#555",
            &tick_label(*v),
        );
    }
    for v in &yt {
        doc.line(x0, sy(*v), x1, sy(*v), "#eeeeee", 1.0);
        doc.text(x0 - 6.0, sy(*v) + 4.0, 11.0, "end", "#555", &tick_label(*v));
    }
    doc.text(
        (x0 + x1) / 2.0,
        top + plot_h + 36.0,
        12.0,
        "middle",
        "#333",
        &format!("{} ({})", col_label(t, xc, lang), unit.get(lang)),
    );
    doc.text_rot(
        24.0,
        top + plot_h / 2.0,
        12.0,
        -90.0,
        "middle",
        &format!("{} ({})", col_label(t, yc, lang), unit.get(lang)),
    );
    let m = xmax.min(ymax);
    doc.line(sx(0.0), sy(0.0), sx(m), sy(m), "#bbbbbb", 1.0);
    // Draw large bubbles first so small ones stay visible.
    let mut order: Vec<usize> = (0..t.n_rows()).collect();
    order.sort_by(|a, b| {
        ss[*b]
            .map(f64::abs)
            .unwrap_or(0.0)
            .total_cmp(&ss[*a].map(f64::abs).unwrap_or(0.0))
            .then(a.cmp(b))
    });
    // Each bubble's disc (unset ones stay off the plot), in drawing order.
    let mut discs = vec![(-1e9, -1e9, 0.0); t.n_rows()];
    let mut drawn = Vec::new();
    for r in order {
        let (Some(x), Some(y)) = (xs[r], ys[r]) else {
            continue;
        };
        let s = ss[r].unwrap_or(0.0);
        let radius = 4.0 + 36.0 * (s.abs() / smax).sqrt();
        let pos = fill_col.and_then(|c| c.bool_at(r)).unwrap_or(s > 0.0);
        let (fill, stroke) = if pos {
            (PALETTE[0], PALETTE[0])
        } else {
            ("none", PALETTE[3])
        };
        let (cx, cy) = (sx(x), sy(y));
        doc.circle(
            cx,
            cy,
            radius,
            fill,
            stroke,
            &format!(
                "{}: {:.1} / {:.1}, {:+.1} {}",
                labels[r],
                x,
                y,
                s,
                unit.get(lang)
            ),
        );
        discs[r] = (cx, cy, radius);
        drawn.push(r);
    }
    // Every bubble is named: where it fits, else to its right.
    for r in place_labels(&mut doc, &discs, labels, &drawn, top) {
        let (cx, cy, rad) = discs[r];
        doc.text_halo(cx + rad + 3.0, cy + 4.0, 11.0, "start", &labels[r]);
    }
    let note = match lang {
        Lang::Zh => "气泡面积=净出口绝对值；实心=顺差，空心=逆差",
        Lang::En => "bubble area = |net balance|; filled = surplus, hollow = deficit",
    };
    doc.text(W - 30.0, 56.0, 12.0, "end", "#333", note);
    frame(&mut doc, t, lang, top + plot_h + 62.0);
    doc.finish()
}

#[cfg(test)]
mod axis_tests {
    use super::axis_range;

    #[test]
    fn values_that_dwarf_the_rest_are_cut_and_ordinary_ones_are_not() {
        // F2 2020: Luxembourg +699 %, Hong Kong +83 %, then 27 %, 23 %…
        let (lo, hi) = axis_range(&[699.0, 83.0, 27.0, 23.0, 6.0, -83.0, -56.0]);
        assert_eq!(lo, -83.0);
        assert!((hi - 27.0 * 1.15).abs() < 1e-9);
        // Nothing stands out: the full range.
        assert_eq!(axis_range(&[5.0, 4.0, 3.0, -2.0]), (-2.0, 5.0));
        // Two values are too few to call one an outlier.
        assert_eq!(axis_range(&[100.0, 1.0]), (0.0, 100.0));
    }
}
