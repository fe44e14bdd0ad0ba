//! HR's scorecards: the organisation's, or a unit's with the units below it; and the import of
//! actuals from a CSV file.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::org::api::list_units;
use crate::planning::api::{ImportActuals, current_cycle_id, unit_scorecard};
use crate::ui::csv::{CsvFileInput, CsvProblems};
use crate::ui::layout::{loaded, signed_in};
use crate::planning::pages::scorecard_list::GroupScorecardView;
use crate::error::AppError;
use crate::org::types::unit_choices;
use crate::planning::types::GroupScorecard;
use crate::auth::types::Role;

#[component]
pub fn ScorecardsPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(move || query.read().get("unit").unwrap_or_default(), |unit| async move {
        signed_in(Some(Role::HrAdmin)).await?;
        let units = unit_choices(&list_units().await?, None);
        Ok((unit_scorecard(Some(unit.clone()), None).await?, units, unit))
    });
    view! {
        <Title text="Scorecards" />
        <div class="page-head">
            <h1>"Scorecards"</h1>
            <a class="button" href="/scorecards/import">"Import actuals"</a>
        </div>
        {loaded(data, |(card, units, unit): (GroupScorecard, Vec<(String, String)>, String)| {
            // An event handler, not an inline `onchange`: the Content-Security-Policy runs no inline script.
            let navigate = use_navigate();
            let show = move |ev: leptos::ev::Event| navigate(&format!("/scorecards?unit={}", event_target_value(&ev)), Default::default());
            view! {
            <form class="filters" method="get" action="/scorecards">
                <label>"Show "
                    <select name="unit" data-testid="unit-filter" on:change=show>
                        <option value="" selected=unit.is_empty()>"The whole organisation"</option>
                        {units.into_iter().map(|(id, label)| {
                            let selected = id == unit;
                            view! { <option value=id selected=selected>{label}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <noscript><button type="submit">"Show"</button></noscript>
            </form>
            <GroupScorecardView card />
            }
        })}
    }
}

#[component]
pub fn ImportActualsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| async move {
        signed_in(Some(Role::HrAdmin)).await?;
        current_cycle_id().await
    });
    view! {
        <Title text="Import actuals" />
        <h1>"Import actuals"</h1>
        {loaded(data, |(cycle_id, cycle_name): (String, String)| view! { <ImportActuals cycle_id cycle_name /> })}
    }
}

#[component]
fn ImportActuals(cycle_id: String, cycle_name: String) -> impl IntoView {
    let action = ServerAction::<ImportActuals>::new();
    let file_text = RwSignal::new(None::<String>);
    view! {
        <section class="card">
            <p>"Actuals for " <strong>{cycle_name}</strong> ", one per line, with these columns:"</p>
            <p><code>"email,kpi,period,value,note,link"</code></p>
            <ul class="muted">
                <li>"email: the person's work email; kpi: the KPI's name in their plan; period: Q1, Q2… (or M01, M02… for monthly cycles)."</li>
                <li>"note and link are optional evidence. A value for a KPI and period already recorded replaces it."</li>
                <li>"The whole file is checked first; if any row has a problem, nothing is imported."</li>
            </ul>
            <form on:submit=move |ev| {
                ev.prevent_default();
                if let Some(csv) = file_text.get() {
                    action.dispatch(ImportActuals { cycle_id: cycle_id.clone(), csv });
                }
            }>
                <CsvFileInput text=file_text />
                <button type="submit" class="primary" disabled=move || file_text.get().is_none() || action.pending().get()>"Import"</button>
            </form>
        </section>
        {move || action.value().get().map(|result| match result {
            Ok(done) => view! {
                <section class="card success" data-testid="import-done" role="status">
                    <p>"Imported " {done.recorded} " actuals for " {done.plans} " plans. Their scores are updated."</p>
                    <a href="/scorecards">"See the scorecards"</a>
                </section>
            }.into_any(),
            Err(AppError::CsvRejected(errors)) => view! { <CsvProblems errors /> }.into_any(),
            Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
        })}
    }
}
