//! Small SVG charts that scale to a phone's width: a rating distribution and a trend of several
//! series. Each carries a text alternative; the sizes are shared with the domains' charts.

use leptos::prelude::*;


pub(crate) const W: f64 = 300.0;
pub(crate) const H: f64 = 120.0;
pub(crate) const PAD: f64 = 24.0;


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
