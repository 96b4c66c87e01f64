//! The results page's charts, as pure functions that return SVG text.
//!
//! Every chart is an `<svg role="img">` with a `<title>` and a `<desc>` that say
//! what it shows; the page always puts a table with the same figures beside it,
//! so the chart is never the only way to read a number. Meaning never rests on
//! colour alone: series differ by line pattern and marker shape and are named in
//! a text legend, every bar carries its label and value as text, and strokes and
//! text use `currentColor`, so the charts follow the page's colours, print in
//! black and white and stay visible in the operating system's high-contrast mode.
//!
//! Scores are on 0–100. A missing value (a suppressed or unscored figure) is
//! drawn as nothing at all, never as zero.

use std::fmt::Write;

/// Escapes text for an SVG element or attribute.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
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

/// A chart's accessible name and description, and the id its elements hang on
/// (unique on the page).
pub struct ChartText<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
}

/// One line of a radar chart: a name and one value per axis.
pub struct Series {
    pub label: String,
    pub values: Vec<Option<f64>>,
}

/// Line patterns and marker shapes by series position, so series differ without
/// colour. The first is solid with circles.
const DASHES: [&str; 6] = ["", "6 3", "2 3", "8 3 2 3", "1 5", "10 4"];

fn dash(i: usize) -> &'static str {
    DASHES[i % DASHES.len()]
}

/// A marker of shape `i` (circle, square, triangle, diamond, cross, ring) at
/// (x, y).
fn marker(out: &mut String, i: usize, x: f64, y: f64) {
    let r = 3.5;
    let _ = match i % 6 {
        0 => write!(
            out,
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="{r}" fill="currentColor"/>"#
        ),
        1 => write!(
            out,
            r#"<rect x="{:.1}" y="{:.1}" width="{}" height="{}" fill="currentColor"/>"#,
            x - r,
            y - r,
            2.0 * r,
            2.0 * r
        ),
        2 => write!(
            out,
            r#"<path d="M{x:.1} {:.1} L{:.1} {:.1} L{:.1} {:.1} Z" fill="currentColor"/>"#,
            y - r - 0.5,
            x + r,
            y + r,
            x - r,
            y + r
        ),
        3 => write!(
            out,
            r#"<path d="M{x:.1} {:.1} L{:.1} {y:.1} L{x:.1} {:.1} L{:.1} {y:.1} Z" fill="currentColor"/>"#,
            y - r - 0.5,
            x + r + 0.5,
            y + r + 0.5,
            x - r - 0.5
        ),
        4 => write!(
            out,
            r#"<path d="M{:.1} {:.1} L{:.1} {:.1} M{:.1} {:.1} L{:.1} {:.1}" stroke="currentColor" stroke-width="2"/>"#,
            x - r,
            y - r,
            x + r,
            y + r,
            x - r,
            y + r,
            x + r,
            y - r
        ),
        _ => write!(
            out,
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="{r}" fill="none" stroke="currentColor" stroke-width="1.5"/>"#
        ),
    };
}

fn open(out: &mut String, t: &ChartText<'_>, width: f64, height: f64, class: &str) {
    let id = esc(t.id);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="koers-scan-chart {class}" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{id}-t {id}-d" focusable="false"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        esc(t.title),
        esc(t.desc)
    );
}

/// A radar chart: one axis per dimension (`axes`), one closed line per series.
/// An axis where a series has no value breaks that series' line there.
pub fn radar(t: &ChartText<'_>, axes: &[String], series: &[Series]) -> String {
    let n = axes.len();
    // Wide enough for axis labels of about twenty-five characters either side.
    let size = 640.0_f64;
    let (cx, cy, radius) = (size / 2.0, 200.0, 130.0);
    let legend_h = 22.0 * series.len() as f64;
    let height = 400.0 + legend_h;
    let mut out = String::new();
    open(&mut out, t, size, height, "koers-scan-radar");
    if n < 3 {
        // A radar needs three axes; fewer is a bar chart's job (the table is there).
        out.push_str("</svg>");
        return out;
    }
    let point = |axis: usize, v: f64| {
        let angle = std::f64::consts::TAU * axis as f64 / n as f64 - std::f64::consts::FRAC_PI_2;
        let r = radius * v.clamp(0.0, 100.0) / 100.0;
        (cx + r * angle.cos(), cy + r * angle.sin())
    };
    // Rings at 25, 50, 75, 100 with their values.
    out.push_str(r#"<g class="koers-scan-chart__grid" fill="none" stroke="currentColor" stroke-opacity="0.35">"#);
    for ring in [25.0, 50.0, 75.0, 100.0] {
        let mut d = String::new();
        for a in 0..n {
            let (x, y) = point(a, ring);
            let _ = write!(d, "{}{x:.1} {y:.1} ", if a == 0 { "M" } else { "L" });
        }
        d.push('Z');
        let _ = write!(out, r#"<path d="{d}"/>"#);
    }
    for a in 0..n {
        let (x, y) = point(a, 100.0);
        let _ = write!(
            out,
            r#"<line x1="{cx:.1}" y1="{cy:.1}" x2="{x:.1}" y2="{y:.1}"/>"#
        );
    }
    out.push_str("</g>");
    out.push_str(r#"<g class="koers-scan-chart__text" fill="currentColor" font-size="11">"#);
    for ring in [25, 50, 75, 100] {
        let (x, y) = point(0, f64::from(ring));
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}">{ring}</text>"#,
            x + 3.0,
            y + 4.0
        );
    }
    for (a, label) in axes.iter().enumerate() {
        let (x, y) = point(a, 112.0);
        let anchor = if (x - cx).abs() < 8.0 {
            "middle"
        } else if x > cx {
            "start"
        } else {
            "end"
        };
        let _ = write!(
            out,
            r#"<text x="{x:.1}" y="{:.1}" text-anchor="{anchor}" font-size="12">{}</text>"#,
            y + 4.0,
            esc(label)
        );
    }
    out.push_str("</g>");
    for (i, s) in series.iter().enumerate() {
        let mut d = String::new();
        let mut pen_down = false;
        let complete = s.values.len() == n && s.values.iter().all(Option::is_some);
        for a in 0..n {
            match s.values.get(a).copied().flatten() {
                Some(v) => {
                    let (x, y) = point(a, v);
                    let _ = write!(d, "{}{x:.1} {y:.1} ", if pen_down { "L" } else { "M" });
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        if complete {
            d.push('Z');
        }
        let dasharray = match dash(i) {
            "" => String::new(),
            p => format!(r#" stroke-dasharray="{p}""#),
        };
        let _ = write!(
            out,
            r#"<g class="koers-scan-chart__series"><path d="{d}" fill="none" stroke="currentColor" stroke-width="2"{dasharray}/>"#
        );
        for a in 0..n {
            if let Some(v) = s.values.get(a).copied().flatten() {
                let (x, y) = point(a, v);
                marker(&mut out, i, x, y);
            }
        }
        out.push_str("</g>");
    }
    legend(&mut out, series.iter().map(|s| s.label.as_str()), 400.0);
    out.push_str("</svg>");
    out
}

/// The legend below a chart: a line sample with its marker, then the name.
fn legend<'a>(out: &mut String, labels: impl Iterator<Item = &'a str>, top: f64) {
    out.push_str(r#"<g class="koers-scan-chart__legend" fill="currentColor" font-size="12">"#);
    for (i, label) in labels.enumerate() {
        let y = top + 22.0 * i as f64 + 6.0;
        let dasharray = match dash(i) {
            "" => String::new(),
            p => format!(r#" stroke-dasharray="{p}""#),
        };
        let _ = write!(
            out,
            r#"<line x1="20" y1="{y:.1}" x2="56" y2="{y:.1}" stroke="currentColor" stroke-width="2"{dasharray}/>"#
        );
        marker(out, i, 38.0, y);
        let _ = write!(
            out,
            r#"<text x="64" y="{:.1}">{}</text>"#,
            y + 4.0,
            esc(label)
        );
    }
    out.push_str("</g>");
}

/// One group of horizontal bars (a dimension) and its bars (the organisation
/// score, then each visible perspective).
pub struct BarGroup {
    pub label: String,
    pub bars: Vec<Bar>,
}

pub struct Bar {
    pub label: String,
    /// 0–100; `None` draws no bar and writes `missing` instead.
    pub value: Option<f64>,
    /// The value as the page writes it (locale's decimal mark).
    pub value_text: String,
    /// A 95 % interval, drawn as a whisker.
    pub interval: Option<(f64, f64)>,
    /// The first bar of a group (the organisation score) is drawn solid, the
    /// others outlined.
    pub emphasised: bool,
}

/// Horizontal bars on a 0–100 axis, grouped; each bar is labelled with its name
/// and value in text.
pub fn bars(t: &ChartText<'_>, groups: &[BarGroup], missing: &str) -> String {
    let (label_w, plot_w, row_h, group_gap) = (170.0_f64, 300.0_f64, 20.0_f64, 26.0_f64);
    let width = label_w + plot_w + 60.0;
    let rows: usize = groups.iter().map(|g| g.bars.len()).sum();
    let height = 30.0 + rows as f64 * row_h + groups.len() as f64 * group_gap;
    let x_of = |v: f64| label_w + plot_w * v.clamp(0.0, 100.0) / 100.0;
    let mut out = String::new();
    open(&mut out, t, width, height, "koers-scan-bars");
    // Axis ticks.
    out.push_str(r#"<g fill="currentColor" stroke="currentColor" font-size="11">"#);
    for tick in [0, 25, 50, 75, 100] {
        let x = x_of(f64::from(tick));
        let _ = write!(
            out,
            r#"<line x1="{x:.1}" y1="16" x2="{x:.1}" y2="{:.1}" stroke-opacity="0.3"/><text x="{x:.1}" y="12" text-anchor="middle" stroke="none">{tick}</text>"#,
            height - 4.0
        );
    }
    out.push_str("</g>");
    let mut y = 24.0;
    for g in groups {
        let _ = write!(
            out,
            r#"<text x="0" y="{:.1}" fill="currentColor" font-size="13" font-weight="bold">{}</text>"#,
            y + 14.0,
            esc(&g.label)
        );
        y += group_gap - 4.0;
        for b in &g.bars {
            let _ = write!(
                out,
                r#"<text x="12" y="{:.1}" fill="currentColor" font-size="12">{}</text>"#,
                y + 13.0,
                esc(&b.label)
            );
            match b.value {
                Some(v) => {
                    let w = x_of(v) - label_w;
                    let fill = if b.emphasised {
                        r#"fill="currentColor""#
                    } else {
                        r#"fill="none" stroke="currentColor" stroke-width="1.5""#
                    };
                    let _ = write!(
                        out,
                        r#"<rect x="{label_w:.1}" y="{:.1}" width="{w:.1}" height="{:.1}" {fill}/>"#,
                        y + 3.0,
                        row_h - 7.0
                    );
                    if let Some((lo, hi)) = b.interval {
                        let (x1, x2, ym) = (x_of(lo), x_of(hi), y + row_h / 2.0 - 0.5);
                        let _ = write!(
                            out,
                            r#"<path d="M{x1:.1} {ym:.1} L{x2:.1} {ym:.1} M{x1:.1} {:.1} L{x1:.1} {:.1} M{x2:.1} {:.1} L{x2:.1} {:.1}" stroke="currentColor" stroke-width="1.2" class="koers-scan-chart__ci"/>"#,
                            ym - 4.0,
                            ym + 4.0,
                            ym - 4.0,
                            ym + 4.0
                        );
                    }
                    let text_x = x_of(b.interval.map_or(v, |(_, hi)| hi.max(v))) + 6.0;
                    let _ = write!(
                        out,
                        r#"<text x="{text_x:.1}" y="{:.1}" fill="currentColor" font-size="12">{}</text>"#,
                        y + 13.0,
                        esc(&b.value_text)
                    );
                }
                None => {
                    let _ = write!(
                        out,
                        r#"<text x="{:.1}" y="{:.1}" fill="currentColor" font-size="12" font-style="italic">{}</text>"#,
                        label_w + 4.0,
                        y + 13.0,
                        esc(missing)
                    );
                }
            }
            y += row_h;
        }
        y += 4.0;
    }
    out.push_str("</svg>");
    out
}

/// A benchmark strip on 0–100: the peers' P25–P75 band as a box, their median
/// as a line, and the organisation's own score as a marked triangle with its
/// label. Labels are text, so nothing rests on colour.
pub struct Strip<'a> {
    pub p25: f64,
    pub median: f64,
    pub p75: f64,
    pub own: Option<f64>,
    pub own_label: &'a str,
    pub median_label: &'a str,
}

pub fn strip(t: &ChartText<'_>, s: &Strip<'_>) -> String {
    let (left, plot_w) = (10.0_f64, 400.0_f64);
    let width = left * 2.0 + plot_w;
    let x_of = |v: f64| left + plot_w * v.clamp(0.0, 100.0) / 100.0;
    let mut out = String::new();
    open(&mut out, t, width, 70.0, "koers-scan-strip");
    let _ = write!(
        out,
        r#"<line x1="{left}" y1="30" x2="{:.1}" y2="30" stroke="currentColor" stroke-opacity="0.5"/>"#,
        left + plot_w
    );
    out.push_str(r#"<g fill="currentColor" font-size="10">"#);
    for tick in [0, 25, 50, 75, 100] {
        let x = x_of(f64::from(tick));
        let anchor = match tick {
            0 => "start",
            100 => "end",
            _ => "middle",
        };
        let _ = write!(
            out,
            r#"<line x1="{x:.1}" y1="27" x2="{x:.1}" y2="33" stroke="currentColor"/><text x="{x:.1}" y="66" text-anchor="{anchor}">{tick}</text>"#
        );
    }
    out.push_str("</g>");
    let (x25, x75, xm) = (x_of(s.p25), x_of(s.p75), x_of(s.median));
    let _ = write!(
        out,
        r##"<rect x="{x25:.1}" y="20" width="{:.1}" height="20" fill="currentColor" fill-opacity="0.2" stroke="currentColor" stroke-dasharray="3 2"/><line x1="{xm:.1}" y1="16" x2="{xm:.1}" y2="44" stroke="currentColor" stroke-width="2.5"/><text x="{xm:.1}" y="12" text-anchor="middle" fill="currentColor" font-size="10">{}</text>"##,
        (x75 - x25).max(1.0),
        esc(s.median_label)
    );
    if let Some(own) = s.own {
        let x = x_of(own);
        let _ = write!(
            out,
            r#"<path d="M{x:.1} 42 L{:.1} 54 L{:.1} 54 Z" fill="currentColor"/><text x="{:.1}" y="54" fill="currentColor" font-size="10" font-weight="bold" text-anchor="{}">{}</text>"#,
            x - 6.0,
            x + 6.0,
            if own > 80.0 { x - 9.0 } else { x + 9.0 },
            if own > 80.0 { "end" } else { "start" },
            esc(s.own_label)
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text() -> ChartText<'static> {
        ChartText {
            id: "c1",
            title: "Scores <&>",
            desc: "Per dimensie",
        }
    }

    #[test]
    fn radar_names_itself_and_escapes_labels() {
        let svg = radar(
            &text(),
            &["A".into(), "B & C".into(), "D".into()],
            &[Series {
                label: "Bestuur".into(),
                values: vec![Some(50.0), None, Some(80.0)],
            }],
        );
        assert!(svg.contains(r#"<title id="c1-t">Scores &lt;&amp;&gt;</title>"#));
        assert!(svg.contains("B &amp; C"));
        assert!(svg.contains(">Bestuur</text>"));
        // The missing value breaks the line; it is not drawn at the centre.
        let series = svg.split("koers-scan-chart__series").nth(1).unwrap_or("");
        let path = series.split("/>").next().unwrap_or("");
        assert!(path.contains("M") && !path.contains('Z'), "{path}");
        assert_eq!(path.matches('M').count(), 2, "{path}");
    }

    #[test]
    fn missing_bar_says_so_in_words() {
        let svg = bars(
            &text(),
            &[BarGroup {
                label: "Strategie".into(),
                bars: vec![Bar {
                    label: "Medewerkers".into(),
                    value: None,
                    value_text: String::new(),
                    interval: None,
                    emphasised: false,
                }],
            }],
            "te weinig antwoorden",
        );
        assert!(svg.contains("te weinig antwoorden"));
        assert!(!svg.contains("<rect x=\"170.0\""));
    }

    #[test]
    fn strip_marks_own_score_with_text() {
        let svg = strip(
            &text(),
            &Strip {
                p25: 30.0,
                median: 45.0,
                p75: 60.0,
                own: Some(52.0),
                own_label: "u: 52",
                median_label: "mediaan",
            },
        );
        assert!(svg.contains("u: 52"));
        assert!(svg.contains("mediaan"));
    }
}
