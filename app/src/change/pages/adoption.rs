//! The adoption dashboard of a change programme: each metric against its target, the trend,
//! a heat table per unit, the steps, proposed wins, and CSV export. Aggregates only, and only
//! those the server lets through (see `disclosure`): a hidden figure says why.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::change::api::{DecideWin, SaveAdoptionTargets, export_adoption, load_adoption};
use crate::change::rules::{METRICS, value};
use crate::change::types::{Metric, UnitCounts};
use crate::disclosure::{Figure, MIN_GROUP};
use crate::change::pages::charts::StepsProgress;
use crate::ui::charts::AdoptionTrend;
use crate::ui::csv::download;
use crate::ui::form::{FormError, field_error, form_error, reload_after};
use crate::ui::layout::{loaded, signed_in};
use crate::change::types::{AdoptionReport, WinDecision};
use crate::auth::types::Role;

#[component]
pub fn AdoptionPage() -> impl IntoView {
    let params = use_params_map();
    let refresh = RwSignal::new(0u32);
    let id = move || params.read().get("id").unwrap_or_default();
    let data = Resource::new(move || (id(), refresh.get()), |(id, _)| async move {
        signed_in(Some(Role::ChangeCommittee)).await?;
        load_adoption(id).await
    });
    view! {
        <Title text="Adoption" />
        {loaded(data, move |r: AdoptionReport| {
            let target = |m: Metric| r.targets.iter().find(|t| t.0 == m).map(|t| t.1);
            view! {
                <h1>"Adoption: " {r.programme.name.clone()}</h1>
                <p class="muted">
                    {format!("Counted today from use of the system, {}; KPI actuals for {}. Aggregates only.", r.cycle,
                        r.last_period.clone().unwrap_or_else(|| "no ended period yet".into()))}
                </p>
                <p><A href=format!("/change/{}", r.programme.id)>"← The programme's steps"</A></p>
                <section class="card">
                    <h2>"Steps"</h2>
                    <StepsProgress signed=r.programme.signed.clone() />
                </section>
                <section class="card">
                    <h2>"All units in scope"</h2>
                    {match r.total.clone() {
                        Figure::Shown(total) => view! {
                            <ul class="metric-cards" data-testid="metric-totals">
                                {METRICS.iter().map(|m| view! { <MetricCard metric=*m counts=total.clone() target=target(*m) /> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Figure::Hidden(why) => view! { <p class="muted" data-testid="total-hidden">{why.sentence("people")}</p> }.into_any(),
                    }}
                </section>
                <section class="card">
                    <h2>"Over time"</h2>
                    <Trend report=r.clone() />
                </section>
                <HeatTable report=r.clone() />
                <Wins report=r.clone() refresh />
                <Targets report=r.clone() refresh />
                <Export programme_id=r.programme.id.clone() />
            }
        })}
    }
}

fn shown(metric: Metric, counts: &UnitCounts) -> String {
    value(metric, counts).map_or_else(|| "—".to_owned(), |v| metric.format(v))
}

#[component]
fn MetricCard(metric: Metric, counts: UnitCounts, target: Option<f64>) -> impl IntoView {
    let v = value(metric, &counts);
    let progress = match (v, target) {
        (Some(v), Some(t)) if t > 0.0 => Some((v / t).min(1.0)),
        _ => None,
    };
    view! {
        <li class="metric-card">
            <p class="metric-label">{metric.label()}</p>
            <p class="metric-value">{shown(metric, &counts)}</p>
            <p class="muted">{match (v, target) {
                (None, _) => "Nothing to measure yet".to_owned(),
                (_, Some(t)) => format!("Target {}", metric.format(t)),
                (_, None) => "No target set".to_owned(),
            }}</p>
            {progress.map(|p| view! { <progress max="1" value=p>{format!("{:.0}%", p * 100.0)}</progress> })}
        </li>
    }
}

#[component]
fn Trend(report: AdoptionReport) -> impl IntoView {
    let days: Vec<String> = report.history.iter().map(|(d, _)| d.clone()).collect();
    let on = |values: &[(Metric, f64)], m: Metric| values.iter().find(|(k, _)| *k == m).map(|(_, v)| *v);
    let series: Vec<(String, Vec<Option<f64>>)> = METRICS
        .iter()
        .filter(|m| m.is_share())
        .filter(|m| report.history.iter().any(|(_, values)| on(values, **m).is_some()))
        .map(|m| (m.label().to_owned(), report.history.iter().map(|(_, values)| on(values, *m)).collect()))
        .collect();
    if series.is_empty() {
        return view! { <p class="muted">"Nothing measured yet."</p> }.into_any();
    }
    view! { <AdoptionTrend series days /> }.into_any()
}

#[component]
fn HeatTable(report: AdoptionReport) -> impl IntoView {
    let targets = report.targets.clone();
    let heat = move |m: Metric, c: &UnitCounts| match (value(m, c), targets.iter().find(|t| t.0 == m)) {
        (None, _) => "heat none",
        (Some(_), None) => "heat",
        (Some(v), Some((_, t))) if v >= *t => "heat met",
        (Some(v), Some((_, t))) if v >= 0.75 * t => "heat near",
        _ => "heat low",
    };
    view! {
        <section class="card">
            <h2>"Per unit"</h2>
            <p class="muted">"Each unit with the units below it. Green: at or above target; amber: within a quarter of it; red: further below."</p>
            <p class="muted">{format!("A unit of fewer than {MIN_GROUP} people is not shown, nor one whose figures would let a smaller group be worked out from the others.")}</p>
            <div class="table-wrap" tabindex="0">
                <table class="heat-table" data-testid="adoption-table">
                    <thead><tr><th>"Unit"</th><th class="num">"People"</th>
                        {METRICS.iter().map(|m| view! { <th class="num">{m.label()}</th> }).collect_view()}</tr></thead>
                    <tbody>{report.units.into_iter().map(|u| {
                        let name = u.unit.name.clone();
                        let row_name = name.clone();
                        let cells = match u.counts {
                            Figure::Shown(counts) => view! {
                                <td class="num">{counts.people}</td>
                                {METRICS.iter().map(|m| view! {
                                    <td class=format!("num {}", heat(*m, &counts)) data-metric=m.key()>{shown(*m, &counts)}</td>
                                }).collect_view()}
                            }.into_any(),
                            Figure::Hidden(why) => view! {
                                <td class="muted" colspan=METRICS.len() + 1 data-hidden="true">{why.sentence("people")}</td>
                            }.into_any(),
                        };
                        view! {
                            <tr data-unit=row_name>
                                <th scope="row" style=format!("padding-left: {}rem", 0.5 + u.depth as f32)>{name}</th>
                                {cells}
                            </tr>
                        }
                    }).collect_view()}</tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn Wins(report: AdoptionReport, refresh: RwSignal<u32>) -> impl IntoView {
    let decide = ServerAction::<DecideWin>::new();
    reload_after(decide, refresh);
    let id = report.programme.id.clone();
    view! {
        <section class="card" data-testid="wins">
            <h2>"Short-term wins"</h2>
            {report.wins.is_empty().then(|| view! { <p class="muted">"When a unit whose figures are shown reaches a target, it is proposed here as a win to announce."</p> })}
            <ul>
                {report.wins.into_iter().map(|w| {
                    let text = format!("{} reached {}: {} (target {})", w.unit.name, w.metric.label().to_lowercase(), w.metric.format(w.value), w.metric.format(w.target));
                    let choose = {
                        let id = id.clone();
                        let unit = w.unit.id.clone();
                        move |decision| DecideWin { programme_id: id.clone(), unit_id: unit.clone(), metric: w.metric, decision }
                    };
                    view! {
                        <li>
                            {text}
                            {match w.decision {
                                Some(WinDecision::Accepted) => view! { <span class="badge">{format!(" Announced {}", w.decided_on.unwrap_or_default())}</span> }.into_any(),
                                Some(WinDecision::Dismissed) => view! { <span class="muted">" Dismissed"</span> }.into_any(),
                                None => {
                                    let accept = choose.clone();
                                    view! {
                                        " "
                                        <button on:click=move |_| { decide.dispatch(accept(WinDecision::Accepted)); }>"Accept as a win"</button>
                                        <button class="link-button" on:click=move |_| { decide.dispatch(choose(WinDecision::Dismissed)); }>"Dismiss"</button>
                                    }.into_any()
                                }
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <FormError error=form_error(decide) />
        </section>
    }
}

#[component]
fn Targets(report: AdoptionReport, refresh: RwSignal<u32>) -> impl IntoView {
    let save = ServerAction::<SaveAdoptionTargets>::new();
    reload_after(save, refresh);
    let fields: Vec<(Metric, RwSignal<String>)> = METRICS
        .iter()
        .map(|m| {
            let current = report.targets.iter().find(|t| t.0 == *m).map(|t| if m.is_share() { format!("{:.0}", t.1 * 100.0) } else { t.1.to_string() });
            (*m, RwSignal::new(current.unwrap_or_default()))
        })
        .collect();
    let id = report.programme.id.clone();
    let submit = {
        let fields = fields.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            save.dispatch(SaveAdoptionTargets { programme_id: id.clone(), targets: fields.iter().map(|(m, v)| (*m, v.get())).collect() });
        }
    };
    view! {
        <section class="card">
            <h2>"Targets"</h2>
            <form on:submit=submit novalidate data-testid="targets-form">
                {fields.into_iter().map(|(m, v)| {
                    let input_id = format!("target-{}", m.key());
                    view! {
                        <div class="field">
                            <label for=input_id.clone()>{m.label()} {if m.is_share() { " (%)" } else { "" }}</label>
                            <input id=input_id inputmode="decimal" bind:value=v />
                            <p class="field-error" role="alert">{field_error(save, format!("target-{}", m.key()))}</p>
                        </div>
                    }
                }).collect_view()}
                <FormError error=form_error(save) />
                <button type="submit" class="primary">"Save targets"</button>
            </form>
        </section>
    }
}

#[component]
fn Export(programme_id: String) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let export = move |_| {
        let id = programme_id.clone();
        leptos::task::spawn_local(async move {
            match export_adoption(id).await {
                Ok(text) => {
                    problem.set(None);
                    download("adoption.csv", &text);
                }
                Err(e) => problem.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <section class="card">
            <button on:click=export data-testid="export-adoption">"Export CSV"</button>
            <FormError error=problem />
        </section>
    }
}
