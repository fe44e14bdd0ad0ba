//! HR's view of the appraisals of the cycle: completion per unit and per manager, the rating
//! distribution per unit, the weights of the final score, and CSV export.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::appraisal::api::{SetAppraisalWeights, export_appraisals, load_appraisal_report};
use crate::appraisal::types::Weights;
use crate::ui::csv::download;
use crate::ui::form::{field_error, reload_after};
use crate::ui::layout::{loaded, signed_in};
use crate::appraisal::types::{AppraisalReport, CompletionLine};
use crate::auth::types::Role;

#[component]
pub fn AppraisalReportPage() -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let data = Resource::new(move || refresh.get(), |_| async {
        signed_in(Some(Role::HrAdmin)).await?;
        load_appraisal_report().await
    });
    view! {
        <Title text="Appraisal report" />
        {loaded(data, move |r: AppraisalReport| view! {
            <h1>"Appraisals: " {r.cycle.name.clone()}</h1>
            <WeightsForm weights=r.weights refresh />
            <section class="card">
                <h2>"Per unit"</h2>
                <Completion lines=r.units.clone() testid="completion-units" />
            </section>
            <section class="card">
                <h2>"Per manager"</h2>
                <Completion lines=r.managers.clone() testid="completion-managers" />
            </section>
            <Export />
        })}
    }
}

#[component]
fn Completion(lines: Vec<CompletionLine>, testid: &'static str) -> impl IntoView {
    let labels: Vec<String> = lines.first().map(|l| l.distribution.iter().map(|d| d.0.to_string()).collect()).unwrap_or_default();
    view! {
        <div class="table-wrap" tabindex="0">
            <table data-testid=testid>
                <thead><tr><th>"Name"</th><th>"Appraisals"</th><th>"Rated"</th><th>"Signed"</th><th>"Completion"</th>
                    {labels.into_iter().map(|l| view! { <th>{format!("Rating {l}")}</th> }).collect_view()}</tr></thead>
                <tbody>{lines.into_iter().map(|l| view! {
                    <tr>
                        <td>{l.name}</td><td>{l.appraisals}</td><td>{l.rated}</td><td>{l.signed}</td>
                        <td>{format!("{}%", (l.signed * 100).checked_div(l.appraisals).unwrap_or(0))}</td>
                        {l.distribution.into_iter().map(|d| view! { <td>{d.2}</td> }).collect_view()}
                    </tr>
                }).collect_view()}</tbody>
            </table>
        </div>
    }
}

#[component]
fn WeightsForm(weights: Weights, refresh: RwSignal<u32>) -> impl IntoView {
    let set = ServerAction::<SetAppraisalWeights>::new();
    reload_after(set, refresh);
    let kpi = RwSignal::new(weights.kpi.to_string());
    let competency = RwSignal::new(weights.competency.to_string());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let number = |s: RwSignal<String>| s.get_untracked().trim().parse().unwrap_or(f64::NAN);
        set.dispatch(SetAppraisalWeights { weights: Weights { kpi: number(kpi), competency: number(competency) } });
    };
    view! {
        <section class="card">
            <h2>"Weights of the final score"</h2>
            <form on:submit=submit class="inline-form">
                <label>"KPI part (%)" <input type="number" bind:value=kpi /></label>
                <label>"Competency part (%)" <input type="number" bind:value=competency /></label>
                <button type="submit">"Save weights"</button>
            </form>
            <p class="field-error" role="alert">{move || field_error(set, "weights").get()}</p>
        </section>
    }
}

#[component]
fn Export() -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let export = move |_| {
        leptos::task::spawn_local(async move {
            match export_appraisals().await {
                Ok(text) => download("appraisals.csv", &text),
                Err(e) => problem.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <p><button on:click=export>"Export CSV"</button></p>
        <p class="field-error" role="alert">{move || problem.get()}</p>
    }
}
