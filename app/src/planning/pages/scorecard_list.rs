//! The scorecard of a group of people (team, unit, organisation), with its charts and CSV export.

use leptos::prelude::*;

use crate::planning::pages::charts::StatusBar;
use crate::ui::charts::DistributionChart;
use crate::ui::csv::download;
use crate::planning::types::GroupScorecard;
use crate::planning::scoring::percent;

#[component]
pub fn GroupScorecardView(card: GroupScorecard) -> impl IntoView {
    let csv = crate::planning::actuals_csv::group(&card);
    let file = format!("scorecard-{}-{}.csv", card.title.to_lowercase().replace(' ', "-"), card.cycle.name);
    let with_plan = card.lines.iter().filter(|l| l.plan_state.is_some()).count();
    view! {
        <section class="card" data-testid="group-scorecard">
            <div class="page-head">
                <h2>{card.title.clone()} " · " {card.cycle.name.clone()}</h2>
                <button class="button" data-testid="export-scorecard" on:click=move |_| download(&file, &csv)>"Export CSV"</button>
            </div>
            <div class="stats">
                <p><strong>{card.lines.len()}</strong>" people"</p>
                <p><strong>{with_plan}</strong>" with a plan"</p>
                <p><strong>{card.with_agreed_plan}</strong>" agreed"</p>
                <p><strong data-testid="mean-score">{card.mean_score.map(percent).unwrap_or_else(|| "—".into())}</strong>" mean score"</p>
            </div>
            <div class="chart-grid">
                <div><h3>"Ratings"</h3><DistributionChart distribution=card.distribution.clone() /></div>
                <div><h3>"KPI status"</h3><StatusBar counts=card.status.clone() /></div>
            </div>
            <div class="table-wrap" tabindex="0">
                <table data-testid="scorecard-lines">
                    <thead>
                        <tr><th>"Name"</th><th class="hide-narrow">"Unit"</th><th>"Plan"</th><th class="num">"Score"</th><th class="num">"Rating"</th><th class="hide-narrow">"On track / behind / at risk"</th></tr>
                    </thead>
                    <tbody>
                        {card.lines.into_iter().map(|l| view! {
                            <tr>
                                <td>
                                    {match l.plan_state {
                                        Some(_) => view! { <a href=format!("/scorecards/{}", l.person_id)>{l.person_name}</a> }.into_any(),
                                        None => l.person_name.into_any(),
                                    }}
                                </td>
                                <td class="hide-narrow">{l.unit_name}</td>
                                <td>
                                    <a href=format!("/plans/{}", l.person_id)>
                                        {l.plan_state.map(|s| s.label()).unwrap_or("No plan yet")}
                                    </a>
                                </td>
                                <td class="num">{l.score.map(percent).unwrap_or_else(|| "—".into())}</td>
                                <td class="num">{l.rating.map(|r| r.to_string()).unwrap_or_else(|| "—".into())}</td>
                                <td class="hide-narrow">{format!("{} / {} / {}", l.status.on_track, l.status.behind, l.status.at_risk)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
