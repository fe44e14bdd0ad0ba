//! Small SVG charts that scale to a phone's width: a KPI's trend per period, a rating
//! distribution and status counts. Each carries a text alternative.

use leptos::prelude::*;

use crate::planning::types::StatusCounts;
use crate::planning::scoring::Targets;

const W: f64 = 300.0;
const H: f64 = 120.0;
const PAD: f64 = 24.0;

/// A KPI's actuals per period as a line, with its threshold and target as guide lines.
#[component]
pub fn TrendChart(points: Vec<(String, Option<f64>)>, targets: Targets, measure: String) -> impl IntoView {
    let values: Vec<f64> = points.iter().filter_map(|p| p.1).collect();
    let guides = [targets.threshold, targets.target];
    let lo = values.iter().chain(&guides).chain([&targets.baseline]).copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().chain(&guides).chain([&targets.stretch]).copied().fold(f64::NEG_INFINITY, f64::max);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let y = move |v: f64| H - PAD - (v - lo) / span * (H - 2.0 * PAD);
    let step = if points.len() > 1 { (W - 2.0 * PAD) / (points.len() - 1) as f64 } else { 0.0 };
    let x = move |i: usize| PAD + i as f64 * step;
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
            <text class="guide-label" x=W - PAD + 2.0 y=y(targets.target) + 3.0>"target"</text>
            <polyline class="series" points=line.join(" ") />
            {points.iter().enumerate().map(|(i, (period, v))| view! {
                <text class="axis" x=x(i) y=H - 6.0 text-anchor="middle">{period.clone()}</text>
                {v.map(|v| view! { <circle class="point" cx=x(i) cy=y(v) r="3.5"><title>{format!("{period}: {v}")}</title></circle> })}
            }).collect_view()}
        </svg>
    }
}

/// People per rating, as horizontal bars.
#[component]
pub fn DistributionChart(distribution: Vec<(u8, String, usize)>) -> impl IntoView {
    let max = distribution.iter().map(|d| d.2).max().unwrap_or(0).max(1) as f64;
    let row_h = 22.0;
    let height = row_h * distribution.len() as f64 + 4.0;
    let label = distribution.iter().map(|(r, l, n)| format!("{r} {l}: {n}")).collect::<Vec<_>>().join("; ");
    view! {
        <svg class="chart distribution" viewBox=format!("0 0 {W} {height}") role="img" aria-label=format!("Rating distribution: {label}")>
            {distribution.into_iter().enumerate().map(|(i, (rating, name, n))| {
                let top = 2.0 + i as f64 * row_h;
                let width = (W - 150.0) * n as f64 / max;
                view! {
                    <text class="axis" x="0" y=top + 14.0>{format!("{rating} {name}")}</text>
                    <rect class=format!("bar rating-{rating}") x="120" y=top + 3.0 width=width.max(1.0) height=row_h - 8.0 />
                    <text class="value" x=124.0 + width y=top + 14.0>{n}</text>
                }
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

/// A change programme's eight steps as a row of segments: signed off, current, to come.
#[component]
pub fn StepsProgress(signed: Vec<bool>) -> impl IntoView {
    let current = signed.iter().position(|s| !s);
    let done = signed.iter().filter(|s| **s).count();
    view! {
        <div class="steps-progress" role="img" aria-label=format!("{done} of 8 steps signed off") data-testid="steps-progress">
            {signed.iter().enumerate().map(|(i, s)| {
                let class = if *s { "segment done" } else if Some(i) == current { "segment current" } else { "segment" };
                view! { <span class=class title=format!("Step {}: {}", i + 1, crate::change::rules::STEPS[i].title)>{i + 1}</span> }
            }).collect_view()}
        </div>
    }
}

/// Adoption shares of the whole scope per day, a line per metric, with a legend.
#[component]
pub fn AdoptionTrend(series: Vec<(String, Vec<Option<f64>>)>, days: Vec<String>) -> impl IntoView {
    let n = days.len();
    let step = if n > 1 { (W - 2.0 * PAD) / (n - 1) as f64 } else { 0.0 };
    let x = move |i: usize| PAD + i as f64 * step;
    let y = move |v: f64| H - PAD - v.clamp(0.0, 1.0) * (H - 2.0 * PAD);
    let label = series
        .iter()
        .map(|(name, values)| {
            let last = values.iter().rev().flatten().next().map_or("no data".to_owned(), |v| format!("{:.0}%", v * 100.0));
            format!("{name}: {last}")
        })
        .collect::<Vec<_>>()
        .join("; ");
    view! {
        <figure class="trend-figure">
            <svg class="chart adoption-trend" viewBox=format!("0 0 {W} {H}") role="img" aria-label=format!("Adoption over {n} day(s), latest: {label}")>
                <line class="guide" x1=PAD x2=W - PAD y1=y(1.0) y2=y(1.0) />
                <text class="axis" x="0" y=y(1.0) + 3.0>"100%"</text>
                <text class="axis" x="0" y=y(0.0) + 3.0>"0%"</text>
                {days.first().map(|d| view! { <text class="axis" x=PAD y=H - 6.0>{d.clone()}</text> })}
                {(n > 1).then(|| days.last().map(|d| view! { <text class="axis" x=W - PAD y=H - 6.0 text-anchor="end">{d.clone()}</text> }))}
                {series.iter().enumerate().map(|(s, (_, values))| {
                    let points: Vec<String> = values.iter().enumerate().filter_map(|(i, v)| v.map(|v| format!("{:.1},{:.1}", x(i), y(v)))).collect();
                    let dots = values.iter().enumerate().filter_map(|(i, v)| v.map(|v| view! { <circle class=format!("point series-{s}") cx=x(i) cy=y(v) r="2.5" /> })).collect_view();
                    view! { <polyline class=format!("series series-{s}") points=points.join(" ") /> {dots} }
                }).collect_view()}
            </svg>
            <figcaption>
                <ul class="legend">
                    {series.into_iter().enumerate().map(|(s, (name, _))| view! { <li><span class=format!("swatch series-{s}")></span>{name}</li> }).collect_view()}
                </ul>
            </figcaption>
        </figure>
    }
}
