//! A person's scorecard: generated KPI scores per period, rolled up by weight to KRAs and the
//! plan, each with its why, status against time gone, trends, and the form to record actuals.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::planning::api::{RecordActual, person_scorecard};
use crate::planning::pages::charts::{StatusBar, TrendChart};
use crate::ui::csv::download;
use crate::ui::form::{FormError, field_error, form_error};
use crate::ui::layout::{loaded, person_page_data};
use crate::planning::types::{ActualInput, KpiCard, KraCard, Scorecard};
use crate::planning::scoring::percent;

#[component]
pub fn ScorecardPage() -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let data = person_page_data(refresh, |id| person_scorecard(id, None));
    view! { {loaded(data, move |card: Scorecard| view! { <ScorecardView card refresh /> })} }
}

#[component]
fn ScorecardView(card: Scorecard, refresh: RwSignal<u32>) -> impl IntoView {
    let csv = crate::planning::actuals_csv::person(&card);
    let file = format!("scorecard-{}-{}.csv", card.person.name.to_lowercase().replace(' ', "-"), card.cycle.name);
    let score = card.rollup.as_ref().map(|r| percent(r.score)).unwrap_or_else(|| "No data yet".into());
    let rating = card.rating.as_ref().map(|b| format!("{} · {}", b.rating, b.label));
    let why = card.rollup.as_ref().map(|r| r.why.clone());
    let kpis: Vec<(String, String)> = card
        .kras
        .iter()
        .flat_map(|k| k.kpis.iter().map(|c| (c.kpi.id.clone(), format!("{} ({})", c.kpi.spec.name, c.kpi.spec.measure))))
        .collect();
    let periods: Vec<(String, String)> = card.kras.first().and_then(|k| k.kpis.first()).map(|c| c.periods.iter().map(|p| (p.period.key.clone(), p.period.label.clone())).collect()).unwrap_or_default();
    view! {
        <Title text=format!("Scorecard · {}", card.person.name) />
        <div class="page-head">
            <h1>{card.person.name.clone()} " · " {card.cycle.name.clone()}</h1>
            <div class="buttons">
                <a class="button" href=format!("/plans/{}", card.person.id)>"Plan"</a>
                <button class="button" data-testid="export-scorecard" on:click=move |_| download(&file, &csv)>"Export CSV"</button>
            </div>
        </div>
        <section class="card score-summary">
            <p class="big-score"><span data-testid="plan-score">{score}</span></p>
            {rating.map(|r| view! { <p class="rating" data-testid="plan-rating">"Rating " {r}</p> })}
            <p class="muted">"Plan: " {card.plan.state.label()}</p>
            {why.map(|w| view! { <details open><summary>"How this score is worked out"</summary><p class="why" data-testid="plan-why">"Weighted by KRA: " {w}</p></details> })}
            <StatusBar counts=card.status.clone() />
        </section>
        {card.kras.into_iter().map(|kra| view! { <KraSection kra /> }).collect_view()}
        {card.actuals_open.then(|| view! { <ActualForm person_id=card.person.id.clone() cycle_id=card.cycle.id.clone() kpis periods refresh /> })}
    }
}

#[component]
fn KraSection(kra: KraCard) -> impl IntoView {
    let path: Vec<String> = kra.goal_path.iter().rev().cloned().collect();
    view! {
        <section class="card kra" data-testid="kra-card">
            <h2>{kra.kra.title.clone()} <span class="weight">{kra.kra.weight} "%"</span></h2>
            <p class="line-of-sight" data-testid="line-of-sight">"Serves: " {path.join(" › ")}</p>
            <p>
                "KRA score: " <strong>{kra.rollup.as_ref().map(|r| percent(r.score)).unwrap_or_else(|| "no data".into())}</strong>
                {kra.rollup.map(|r| view! { <span class="why">" = " {r.why}</span> })}
            </p>
            {kra.kpis.into_iter().map(|kpi| view! { <KpiSection kpi /> }).collect_view()}
        </section>
    }
}

#[component]
fn KpiSection(kpi: KpiCard) -> impl IntoView {
    let t = kpi.kpi.spec.targets;
    let points: Vec<(String, Option<f64>)> = kpi.periods.iter().map(|p| (p.period.key.clone(), p.actual.as_ref().map(|a| a.value))).collect();
    let status_class = kpi.status.map(|s| format!("badge status-{:?}", s).to_lowercase()).unwrap_or_else(|| "badge".into());
    view! {
        <article class="kpi-card" data-testid="kpi-card">
            <header>
                <h3>{kpi.kpi.spec.name.clone()} <span class="weight">{kpi.kpi.weight} "%"</span></h3>
                <span class=status_class title=kpi.status_why.clone() data-testid="kpi-status">
                    {kpi.status.map(|s| s.label()).unwrap_or("No data")}
                </span>
            </header>
            <p class="muted">
                {t.direction.label()} " · threshold " {t.threshold} " · target " {t.target} " · stretch " {t.stretch} " " {kpi.kpi.spec.measure.clone()}
                " · " {kpi.kpi.spec.data_source.clone()}
            </p>
            <p>"Score: " <strong data-testid="kpi-score">{kpi.score.map(percent).unwrap_or_else(|| "no data".into())}</strong>
                " — " <span class="why" data-testid="kpi-why">{kpi.why.clone()}</span></p>
            <p class="muted small">"Status: " {kpi.status_why.clone()}</p>
            <TrendChart points targets=t measure=kpi.kpi.spec.measure.clone() />
            <div class="table-wrap" tabindex="0">
                <table class="periods">
                    <thead><tr><th>"Period"</th><th class="num">"Actual"</th><th class="num">"Score"</th><th>"Why"</th><th class="hide-narrow">"Evidence"</th></tr></thead>
                    <tbody>
                        {kpi.periods.into_iter().map(|p| view! {
                            <tr>
                                <td>{p.period.label.clone()}</td>
                                <td class="num">{p.actual.as_ref().map(|a| a.value.to_string()).unwrap_or_else(|| "—".into())}</td>
                                <td class="num">{p.score.as_ref().map(|s| percent(s.score)).unwrap_or_else(|| "—".into())}</td>
                                <td class="why">{p.score.as_ref().map(|s| s.why.clone())}</td>
                                <td class="hide-narrow">{p.actual.map(|a| view! {
                                    {a.note.clone()}
                                    {a.link.clone().map(|l| view! { " " <a href=l.clone() rel="noopener noreferrer" target="_blank">"link"</a> })}
                                    <span class="muted small">" · " {a.recorded_by.clone()} " (" {a.source.as_str()} ")"</span>
                                })}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </article>
    }
}

#[component]
fn ActualForm(person_id: String, cycle_id: String, kpis: Vec<(String, String)>, periods: Vec<(String, String)>, refresh: RwSignal<u32>) -> impl IntoView {
    let action = ServerAction::<RecordActual>::new();
    let kpi_id = RwSignal::new(kpis.first().map(|k| k.0.clone()).unwrap_or_default());
    let period_key = RwSignal::new(periods.first().map(|p| p.0.clone()).unwrap_or_default());
    let value = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let link = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            value.set(String::new());
            note.set(String::new());
            link.set(String::new());
            refresh.update(|n| *n += 1);
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch(RecordActual {
            input: ActualInput {
                person_id: person_id.clone(),
                cycle_id: cycle_id.clone(),
                kpi_id: kpi_id.get(),
                period_key: period_key.get(),
                value: value.get(),
                note: note.get(),
                link: link.get(),
            },
        });
    };
    let err = move |field| field_error(action, field);
    view! {
        <section class="card">
            <h2>"Record an actual"</h2>
            <p class="muted">"A new value for a KPI and period replaces the old one; both stay in the log."</p>
            <form on:submit=submit novalidate data-testid="record-actual">
                <crate::ui::form::SelectField label="KPI" name="kpi_id" value=kpi_id options=kpis error=err("kpi_id") />
                <crate::ui::form::SelectField label="Period" name="period" value=period_key options=periods error=err("period") />
                <crate::ui::form::TextField label="Actual" name="value" value=value kind="text" error=err("value") hint="A number, e.g. 112.5" />
                <crate::ui::form::TextField label="Evidence note" name="note" value=note error=err("note") hint="Where the number comes from" />
                <crate::ui::form::TextField label="Evidence link (optional)" name="link" value=link kind="url" error=err("link") />
                <FormError error=form_error(action) />
                <button type="submit" class="primary" disabled=move || action.pending().get()>"Record actual"</button>
            </form>
        </section>
    }
}
