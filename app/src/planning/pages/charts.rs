//! The charts of scorecards: a KPI's trend against its targets, the status of many KPIs.

use leptos::prelude::*;

use crate::planning::scoring::Targets;
use crate::planning::types::StatusCounts;
use crate::ui::charts::{H, PAD, W};

/// A KPI's actuals per period as a line, with its threshold and target as guide lines.
#[component]
pub fn TrendChart(points: Vec<(String, Option<f64>)>, targets: Targets, measure: String) -> impl IntoView {
    let values: Vec<f64> = points.iter().filter_map(|p| p.1).collect();
    let guides = [targets.threshold, targets.target];
    let lo = values.iter().chain(&guides).chain([&targets.baseline]).copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().chain(&guides).chain([&targets.stretch]).copied().fold(f64::NEG_INFINITY, f64::max);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let y = move |v: f64| H - PAD - (v - lo) / span * (H - 2.0 * PAD);
    // One period alone sits in the middle, not against the edge.
    let step = if points.len() > 1 { (W - 2.0 * PAD) / (points.len() - 1) as f64 } else { 0.0 };
    let x = move |i: usize| if step == 0.0 { W / 2.0 } else { PAD + i as f64 * step };
    let line: Vec<String> =
        points.iter().enumerate().filter_map(|(i, p)| p.1.map(|v| format!("{:.1},{:.1}", x(i), y(v)))).collect();
    let described: Vec<String> = points
        .iter()
        .map(|(label, v)| format!("{label}: {}", v.map_or("no data".to_owned(), |v| format!("{v} {measure}"))))
        .collect();
    let label = format!("Trend: {}. Threshold {}, target {}.", described.join("; "), targets.threshold, targets.target);
    view! {
        <svg class="chart trend" viewBox=format!("0 0 {W} {H}") role="img" aria-label=label preserveAspectRatio="xMidYMid meet">
            <line class="guide threshold" x1=PAD x2=W - PAD y1=y(targets.threshold) y2=y(targets.threshold) />
            <line class="guide target" x1=PAD x2=W - PAD y1=y(targets.target) y2=y(targets.target) />
            // Inside the frame, above its line, so a narrow screen never cuts it off.
            <text class="guide-label" x=W - PAD y=y(targets.target) - 4.0 text-anchor="end">"target"</text>
            <polyline class="series" points=line.join(" ") />
            {points.iter().enumerate().map(|(i, (period, v))| view! {
                <text class="axis" x=x(i) y=H - 6.0 text-anchor="middle">{period.clone()}</text>
                {v.map(|v| view! { <circle class="point" cx=x(i) cy=y(v) r="3.5"><title>{format!("{period}: {v}")}</title></circle> })}
            }).collect_view()}
        </svg>
    }
}

/// KPIs on track, behind, at risk and without data, as one stacked bar with a legend.
#[component]
pub fn StatusBar(counts: StatusCounts) -> impl IntoView {
    let parts = [
        ("on-track", "On track", counts.on_track),
        ("behind", "Behind", counts.behind),
        ("at-risk", "At risk", counts.at_risk),
        ("no-data", "No data", counts.no_data),
    ];
    let total = parts.iter().map(|p| p.2).sum::<usize>().max(1) as f64;
    let mut left = 0.0;
    let label = parts.iter().map(|(_, l, n)| format!("{l}: {n}")).collect::<Vec<_>>().join(", ");
    view! {
        <div class="status-bar" data-testid="status-counts">
            <svg class="chart status" viewBox=format!("0 0 {W} 16") role="img" aria-label=format!("KPI status: {label}") preserveAspectRatio="none">
                {parts.iter().map(|(class, _, n)| {
                    let width = W * *n as f64 / total;
                    let x = left;
                    left += width;
                    view! { <rect class=format!("status {class}") x=x y="0" width=width height="16" /> }
                }).collect_view()}
            </svg>
            <ul class="legend">
                {parts.into_iter().map(|(class, l, n)| view! { <li><span class=format!("swatch {class}")></span>{l} ": " {n}</li> }).collect_view()}
            </ul>
        </div>
    }
}
