//! SVG building blocks: escaping, text width estimates, axes and palettes.
//! Numbers are written with fixed precision so output is byte-stable.

use std::fmt::Write as _;

/// Font stack with CJK fonts first so Chinese labels render everywhere.
pub const FONT: &str = "'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif";

/// Series colours (colour-blind safe, Okabe–Ito).
pub const PALETTE: [&str; 8] = [
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
];

pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Estimated width in px of `s` at `size` px (CJK full width, Latin ~0.56 em).
pub fn text_width(s: &str, size: f64) -> f64 {
    s.chars()
        .map(|c| {
            if innoscope_core::table::is_wide(c) {
                1.0
            } else if c.is_ascii_uppercase() || c == 'm' || c == 'w' {
                0.68
            } else if c == ' ' || c == '.' || c == ',' || c == 'i' || c == 'l' {
                0.3
            } else {
                0.56
            }
        })
        .sum::<f64>()
        * size
}

/// Fixed-precision coordinate.
pub fn f(x: f64) -> String {
    let s = format!("{x:.1}");
    if s == "-0.0" { "0.0".into() } else { s }
}

/// "Nice" axis ticks covering [lo, hi].
pub fn ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    let (lo, hi) = if (hi - lo).abs() < 1e-12 {
        (lo - 1.0, hi + 1.0)
    } else {
        (lo, hi)
    };
    let raw = (hi - lo) / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let start = (lo / step).floor() * step;
    let mut out = Vec::new();
    let mut v = start;
    while v <= hi + step * 1e-9 {
        out.push((v / step).round() * step);
        v += step;
    }
    if out.last().is_some_and(|l| *l < hi) {
        out.push(out.last().unwrap() + step);
    }
    out
}

/// Tick label: integers without decimals, otherwise up to two.
pub fn tick_label(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else if (v * 10.0 - (v * 10.0).round()).abs() < 1e-9 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// An SVG document under construction.
pub struct Doc {
    pub w: f64,
    pub h: f64,
    body: String,
}

impl Doc {
    pub fn new(w: f64, h: f64) -> Doc {
        Doc {
            w,
            h,
            body: String::new(),
        }
    }

    pub fn raw(&mut self, s: &str) {
        self.body.push_str(s);
        self.body.push('\n');
    }

    pub fn text(&mut self, x: f64, y: f64, size: f64, anchor: &str, fill: &str, s: &str) {
        let _ = writeln!(
            self.body,
            r#"<text x="{}" y="{}" font-size="{}" text-anchor="{anchor}" fill="{fill}">{}</text>"#,
            f(x),
            f(y),
            f(size),
            esc(s)
        );
    }

    /// [`Doc::text`] with a white halo, legible over lines (network labels).
    pub fn text_halo(&mut self, x: f64, y: f64, size: f64, anchor: &str, s: &str) {
        let _ = writeln!(
            self.body,
            r##"<text x="{}" y="{}" font-size="{}" text-anchor="{anchor}" fill="#222" stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">{}</text>"##,
            f(x),
            f(y),
            f(size),
            esc(s)
        );
    }

    pub fn text_rot(&mut self, x: f64, y: f64, size: f64, angle: f64, anchor: &str, s: &str) {
        let _ = writeln!(
            self.body,
            r##"<text x="{0}" y="{1}" font-size="{2}" text-anchor="{anchor}" fill="#333" transform="rotate({3} {0} {1})">{4}</text>"##,
            f(x),
            f(y),
            f(size),
            f(angle),
            esc(s)
        );
    }

    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, width: f64) {
        let _ = writeln!(
            self.body,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{stroke}" stroke-width="{}"/>"#,
            f(x1),
            f(y1),
            f(x2),
            f(y2),
            f(width)
        );
    }

    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str, title: &str) {
        let _ = writeln!(
            self.body,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}"><title>{}</title></rect>"#,
            f(x),
            f(y),
            f(w.max(0.0)),
            f(h.max(0.0)),
            esc(title)
        );
    }

    pub fn circle(&mut self, cx: f64, cy: f64, r: f64, fill: &str, stroke: &str, title: &str) {
        let _ = writeln!(
            self.body,
            r#"<circle cx="{}" cy="{}" r="{}" fill="{fill}" fill-opacity="{}" stroke="{stroke}" stroke-width="1.5"><title>{}</title></circle>"#,
            f(cx),
            f(cy),
            f(r),
            if fill == "none" { "0" } else { "0.55" },
            esc(title)
        );
    }

    pub fn finish(self) -> String {
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" font-family="{font}" role="img">
<rect width="{w}" height="{h}" fill="white"/>
{body}</svg>
"#,
            w = f(self.w),
            h = f(self.h),
            font = FONT.replace('\'', "&apos;"),
            body = self.body
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_cover_the_range() {
        let t = ticks(-3.0, 12.0, 5);
        assert!(t.first().unwrap() <= &-3.0 && t.last().unwrap() >= &12.0);
        assert_eq!(tick_label(2.5), "2.5");
        assert_eq!(tick_label(10.0), "10");
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(esc("R&D <x>"), "R&amp;D &lt;x&gt;");
    }
}
