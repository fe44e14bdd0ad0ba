//! Appraisals of the cycle under appraisal: one's own, one's direct reports' (to prepare and
//! hold the conversation), and the units one may calibrate.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::appraisal::api::list_appraisals;
use crate::ui::layout::{loaded, signed_in};
use crate::appraisal::types::{AppraisalLine, AppraisalList, AppraisalState};

#[component]
pub fn AppraisalsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| async {
        signed_in(None).await?;
        list_appraisals().await
    });
    view! {
        <Title text="Appraisals" />
        <h1>"Appraisals"</h1>
        {loaded(data, |list: AppraisalList| match list.cycle.clone() {
            None => view! { <p class="muted" data-testid="no-appraisals">"No cycle is in appraisal. Appraisals open when HR moves a cycle to appraisal under Cycles."</p> }.into_any(),
            Some(cycle) => view! {
                <p class="muted">{format!("{}: final score = {}% KPI part + {}% competency part.", cycle.name, list.weights.kpi, list.weights.competency)}</p>
                {list.own.clone().map(|own| view! {
                    <section class="card" data-testid="own-appraisal">
                        <h2>"Your appraisal"</h2>
                        <p>{own.state.label()}</p>
                        {if own.state == AppraisalState::Preparing {
                            view! { <p><a href="/self-assessment">"Your self-assessment"</a> " — your manager sees it once you submit it."</p> }.into_any()
                        } else {
                            view! { <p><a href="/appraisals/me/conversation">"Your appraisal conversation"</a></p> }.into_any()
                        }}
                    </section>
                })}
                {(!list.reports.is_empty()).then(|| view! {
                    <section class="card">
                        <h2>"Your direct reports"</h2>
                        <div class="table-wrap" tabindex="0">
                            <table data-testid="report-appraisals">
                                <thead><tr><th>"Name"</th><th>"Self-assessment"</th><th>"State"</th><th>"Final score"</th><th>"Rating"</th><th></th></tr></thead>
                                <tbody>{list.reports.iter().cloned().map(report_row).collect_view()}</tbody>
                            </table>
                        </div>
                    </section>
                })}
                {(!list.calibration_units.is_empty()).then(|| view! {
                    <section class="card">
                        <h2>"Calibration"</h2>
                        <ul>
                            {list.calibration_units.iter().map(|(id, name)| view! { <li><a href=format!("/calibration/{id}")>{name.clone()}</a></li> }).collect_view()}
                        </ul>
                    </section>
                })}
                {list.is_hr.then(|| view! { <p><a href="/appraisals/report">"Completion and ratings per unit and manager, weights, CSV"</a></p> })}
            }.into_any(),
        })}
    }
}

fn report_row(line: AppraisalLine) -> impl IntoView {
    let id = line.person_id.clone();
    let action = match line.state {
        AppraisalState::Preparing => view! { <a href=format!("/appraisals/{id}/prepare")>"Prepare"</a> }.into_any(),
        _ => view! {
            <a href=format!("/appraisals/{id}/prepare")>"Ratings"</a> " · "
            <a href=format!("/appraisals/{id}/conversation")>"Conversation"</a>
        }
        .into_any(),
    };
    view! {
        <tr>
            <td>{line.person_name}</td>
            <td>{if line.self_assessment_submitted { "Submitted" } else { "Not yet" }}</td>
            <td>{line.state.label()}</td>
            <td>{line.final_score.map(crate::planning::scoring::percent).unwrap_or_default()}</td>
            <td>{line.settled_rating.map(|r| r.to_string()).unwrap_or_default()}</td>
            <td>{action}</td>
        </tr>
    }
}
