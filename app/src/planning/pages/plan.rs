//! A person's plan for a cycle: the manager drafts it (from the KPI library or by hand), the
//! employee acknowledges it, the manager approves; every change is in the history below.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::planning::api::{SavePlan, TakePlanStep, load_plan};
use crate::ui::form::FormError;
use crate::ui::layout::{loaded, person_page_data};
use crate::error::AppError;
use crate::planning::pages::kpi_form::{KpiDraft, KpiFields, next_uid, number};
use crate::error::FieldError;
use crate::planning::types::{Goal, KpiTemplate, Kra, Plan, PlanInput, PlanState, PlanStep, PlanView};
use crate::planning::rules::{check_plan, goal_path};

#[component]
pub fn PlanPage() -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let data = person_page_data(refresh, |id| load_plan(id, None));
    view! { {loaded(data, move |view: PlanView| view! { <PlanScreen view refresh /> })} }
}

#[component]
fn PlanScreen(view: PlanView, refresh: RwSignal<u32>) -> impl IntoView {
    let title = format!("Plan · {}", view.person.name);
    let state = view.plan.as_ref().map(|p| p.state);
    view! {
        <Title text=title />
        <div class="page-head">
            <h1>{view.person.name.clone()} " · " {view.cycle.name.clone()}</h1>
            // A scorecard exists once there is a plan to score.
            {view.plan.is_some().then(|| view! { <a class="button" href=format!("/scorecards/{}", view.person.id)>"Scorecard"</a> })}
        </div>
        <p class="muted">{view.person.job_title.clone()} " · " {view.person.unit_name.clone()} " · cycle " {view.cycle.state.label()}</p>
        <p>
            "Plan: "
            <span class="badge" data-testid="plan-state">{state.map(|s| s.label()).unwrap_or("Not drafted yet")}</span>
        </p>
        {view.plan.clone().map(|plan| view! { <Agreement plan view=view.clone() refresh /> })}
        {if view.may_edit {
            view! {
                // Any saved change makes the plan a draft again, to be agreed again: say so first.
                {state.filter(|s| *s != PlanState::Draft).map(|s| view! {
                    <p class="warning" data-testid="plan-redraft-warning">
                        {format!("This plan is {}. Saving a change makes it a draft again: it has to be sent to {} and agreed again.", s.label().to_lowercase(), view.person.name)}
                    </p>
                })}
                <PlanEditor view=view.clone() refresh />
            }.into_any()
        } else {
            match view.plan.clone() {
                Some(plan) => view! { <PlanReadOnly plan goals=view.goals.clone() /> }.into_any(),
                None => view! { <p class="card">"Your manager has not drafted your plan for this cycle yet."</p> }.into_any(),
            }
        }}
        <History changes=view.history.clone() goals=view.goals.clone() />
    }
}

/// The next step of agreement for whoever is looking: the employee acknowledges or asks for
/// changes; the manager sends and approves.
#[component]
fn Agreement(plan: Plan, view: PlanView, refresh: RwSignal<u32>) -> impl IntoView {
    let action = ServerAction::<TakePlanStep>::new();
    let comment = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            refresh.update(|n| *n += 1);
        }
    });
    let (person_id, cycle_id) = (plan.person_id.clone(), plan.cycle_id.clone());
    let take = move |step: PlanStep| {
        action.dispatch(TakePlanStep { person_id: person_id.clone(), cycle_id: cycle_id.clone(), step, comment: comment.get_untracked() });
    };
    let take_ = take.clone();
    let take__ = take.clone();
    let error = Signal::derive(move || action.value().with(|r| r.as_ref().and_then(|r| r.as_ref().err()).map(|e| match e {
        AppError::Invalid(errors) => errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join(" "),
        other => other.to_string(),
    })));
    let manager_may = view.may_edit && !view.is_own;
    view! {
        <section class="card agreement" data-testid="agreement">
            <h2>"Agreement"</h2>
            {plan.comment.clone().map(|c| view! { <p class="muted">"Employee's last comment: " <q>{c}</q></p> })}
            {match (plan.state, view.is_own, manager_may) {
                (PlanState::WithEmployee, true, _) => view! {
                    <p>"Read your plan below. Acknowledge it if it is right, or say what should change."</p>
                    <div class="field">
                        <label for="plan-comment">"Comment (needed when asking for changes)"</label>
                        <textarea id="plan-comment" bind:value=comment rows="2"></textarea>
                    </div>
                    <div class="buttons">
                        <button class="primary" on:click=move |_| take(PlanStep::Acknowledge)>"Acknowledge plan"</button>
                        <button class="button" on:click=move |_| take_(PlanStep::RequestChanges)>"Ask for changes"</button>
                    </div>
                }.into_any(),
                (PlanState::Draft, _, true) => view! {
                    <p>"When the plan is ready, send it to " {view.person.name.clone()} " to acknowledge."</p>
                    <button class="primary" on:click=move |_| take(PlanStep::Send)>"Send to employee"</button>
                }.into_any(),
                (PlanState::Acknowledged, _, true) => view! {
                    <p>{view.person.name.clone()} " has acknowledged the plan. Approve it to agree it."</p>
                    <button class="primary" on:click=move |_| take__(PlanStep::Approve)>"Approve plan"</button>
                }.into_any(),
                (PlanState::Approved, _, _) => view! { <p>"The plan is agreed. Any change needs the employee's acknowledgement and approval again."</p> }.into_any(),
                (state, _, _) => view! { <p class="muted">"Waiting: " {state.label()} "."</p> }.into_any(),
            }}
            <FormError error />
        </section>
    }
}

#[component]
fn PlanReadOnly(plan: Plan, goals: Vec<Goal>) -> impl IntoView {
    view! {
        <div data-testid="plan-read-only">
            {plan.kras.into_iter().map(|kra| {
                let path: Vec<String> = goal_path(&goals, &kra.goal_id).into_iter().rev().map(|g| g.title.clone()).collect();
                view! {
                    <section class="card kra">
                        <h2>{kra.title.clone()} <span class="weight">{kra.weight} "%"</span></h2>
                        <p class="line-of-sight">"Serves: " {path.join(" › ")}</p>
                        <div class="table-wrap" tabindex="0">
                            <table>
                                <thead><tr><th>"KPI"</th><th class="num">"Weight"</th><th>"Direction"</th><th class="num">"Threshold"</th><th class="num">"Target"</th><th class="num">"Stretch"</th><th class="hide-narrow">"Source"</th></tr></thead>
                                <tbody>
                                    {kra.kpis.into_iter().map(|k| view! {
                                        <tr>
                                            <td>{k.spec.name.clone()} " (" {k.spec.measure.clone()} ")"</td>
                                            <td class="num">{k.weight} "%"</td>
                                            <td>{k.spec.targets.direction.label()}</td>
                                            <td class="num">{k.spec.targets.threshold}</td>
                                            <td class="num">{k.spec.targets.target}</td>
                                            <td class="num">{k.spec.targets.stretch}</td>
                                            <td class="hide-narrow">{k.spec.data_source.clone()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    </section>
                }
            }).collect_view()}
        </div>
    }
}

#[component]
fn History(changes: Vec<crate::planning::types::PlanChange>, goals: Vec<Goal>) -> impl IntoView {
    let goal_name = move |id: &str| goals.iter().find(|g| g.id == id).map_or_else(|| "—".to_owned(), |g| g.title.clone());
    (!changes.is_empty()).then(|| view! {
        <details class="card history" data-testid="plan-history">
            <summary>"History (" {changes.len()} " changes)"</summary>
            <ol>
                {changes.into_iter().map(|c| {
                    let fields = crate::planning::rules::history_changes(c.before.as_deref(), c.after.as_deref(), &goal_name);
                    view! {
                        <li>
                            <p><strong>{c.actor_name}</strong> " " {c.action} " · " <time>{c.at}</time></p>
                            <ul class="changes">
                                {fields.into_iter().map(|f| view! {
                                    <li>{f.field} ": " <del>{f.before}</del> " → " <ins>{f.after}</ins></li>
                                }).collect_view()}
                            </ul>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </details>
    })
}

#[derive(Clone)]
struct KraDraft {
    uid: usize,
    id: String,
    title: RwSignal<String>,
    weight: RwSignal<String>,
    goal: RwSignal<String>,
    kpis: RwSignal<Vec<KpiDraft>>,
}

impl KraDraft {
    fn from(kra: &Kra) -> Self {
        KraDraft {
            uid: next_uid(),
            id: kra.id.clone(),
            title: RwSignal::new(kra.title.clone()),
            weight: RwSignal::new(kra.weight.to_string()),
            goal: RwSignal::new(kra.goal_id.clone()),
            kpis: RwSignal::new(kra.kpis.iter().map(|k| KpiDraft::new(k.id.clone(), &k.spec, k.weight)).collect()),
        }
    }

    fn blank() -> Self {
        KraDraft {
            uid: next_uid(),
            id: String::new(),
            title: RwSignal::new(String::new()),
            weight: RwSignal::new(String::new()),
            goal: RwSignal::new(String::new()),
            kpis: RwSignal::new(vec![KpiDraft::blank()]),
        }
    }

    fn to_kra(&self) -> Kra {
        Kra {
            id: self.id.clone(),
            title: self.title.get_untracked(),
            weight: number(&self.weight),
            goal_id: self.goal.get_untracked(),
            kpis: self.kpis.get_untracked().iter().map(KpiDraft::to_kpi).collect(),
        }
    }
}

#[component]
fn PlanEditor(view: PlanView, refresh: RwSignal<u32>) -> impl IntoView {
    let kras = RwSignal::new(match &view.plan {
        Some(plan) => plan.kras.iter().map(KraDraft::from).collect::<Vec<_>>(),
        None => vec![KraDraft::blank()],
    });
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let action = ServerAction::<SavePlan>::new();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => refresh.update(|n| *n += 1),
        Some(Err(AppError::Invalid(e))) => errors.set(e),
        _ => {}
    });
    let goal_ids: Vec<String> = view.goals.iter().map(|g| g.id.clone()).collect();
    let (person_id, cycle_id) = (view.person.id.clone(), view.cycle.id.clone());
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let plan: Vec<Kra> = kras.get_untracked().iter().map(KraDraft::to_kra).collect();
        // The same checks as the server's, at once and without a round trip.
        let problems = check_plan(&plan, &goal_ids);
        errors.set(problems.clone());
        if problems.is_empty() {
            action.dispatch(SavePlan { input: PlanInput { person_id: person_id.clone(), cycle_id: cycle_id.clone(), kras: plan } });
        }
    };
    let total = move || {
        kras.with(|list| list.iter().map(|k| k.weight.get().trim().replace(',', ".").parse::<f64>().unwrap_or(0.0)).sum::<f64>())
    };
    let goals: Vec<(String, String)> = {
        let ordered = &view.goals;
        ordered
            .iter()
            .map(|g| {
                let depth = goal_path(ordered, &g.id).len().saturating_sub(1);
                let unit = g.unit_name.clone().map(|u| format!(" ({u})")).unwrap_or_default();
                (g.id.clone(), format!("{}{}{}", "— ".repeat(depth), g.title, unit))
            })
            .collect()
    };
    let library = view.library.clone();
    let job_title = view.person.job_title.clone();
    let field_error = move |field: String| Signal::derive(move || errors.with(|e| e.iter().find(|x| x.field == field).map(|x| x.message.clone())));
    let saved = move || matches!(action.value().get(), Some(Ok(_)));
    let weights_class = move || if (total() - 100.0).abs() > 1e-9 { "weights-total invalid" } else { "weights-total" };
    view! {
        <form class="plan-editor" on:submit=save novalidate data-testid="plan-editor">
            <h2>"Key result areas"</h2>
            <p class="muted">"Each KRA serves a goal and holds weighted KPIs. KRA weights add up to 100, and so do the KPI weights within each KRA."</p>
            <p class=weights_class data-testid="weights-total">
                "KRA weights: " {move || total()} " / 100"
            </p>
            <p class="field-error" role="alert" data-testid="kras-error">{field_error("kras".into())}</p>
            <For each=move || kras.get() key=|k| k.uid let:kra>
                <KraEditor kra kras goals=goals.clone() library=library.clone() job_title=job_title.clone() errors />
            </For>
            <div class="buttons">
                <button type="button" class="button" on:click=move |_| kras.update(|k| k.push(KraDraft::blank()))>"Add KRA"</button>
                <button type="submit" class="primary" disabled=move || action.pending().get()>"Save plan"</button>
            </div>
            <FormError error=crate::ui::form::form_error(action) />
            <Show when=saved><p class="success" role="status">"Saved as a draft. Send it to the employee when it is ready."</p></Show>
            <Show when=move || !errors.with(Vec::is_empty)>
                <p class="form-error" role="alert">"The plan was not saved: fix the fields marked above."</p>
            </Show>
        </form>
    }
}

#[component]
fn KraEditor(
    kra: KraDraft,
    kras: RwSignal<Vec<KraDraft>>,
    goals: Vec<(String, String)>,
    library: Vec<KpiTemplate>,
    job_title: String,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let uid = kra.uid;
    let index = move || kras.with(|l| l.iter().position(|k| k.uid == uid).unwrap_or(0));
    let error = move |name: &'static str| {
        Signal::derive(move || {
            let field = format!("kra-{}-{name}", index());
            errors.with(|e| e.iter().find(|x| x.field == field).map(|x| x.message.clone()))
        })
    };
    let kpis = kra.kpis;
    let chosen = RwSignal::new(String::new());
    let templates = library.clone();
    let add_from_library = move |_| {
        if let Some(t) = templates.iter().find(|t| t.id == chosen.get_untracked()) {
            kpis.update(|k| k.push(KpiDraft::new(String::new(), &t.spec, 0.0)));
            chosen.set(String::new());
        }
    };
    let kpi_total = move || kpis.with(|list| list.iter().map(|k| k.weight.get().trim().parse::<f64>().unwrap_or(0.0)).sum::<f64>());
    let goal = kra.goal;
    view! {
        <fieldset class="card kra-editor" data-testid="kra-editor">
            <legend>{move || format!("KRA {}", index() + 1)}</legend>
            <div class="row">
                <label class="grow">"Title"
                    <input bind:value=kra.title data-testid="kra-title" aria-invalid=move || error("title").get().is_some().to_string() />
                    <span class="field-error" role="alert">{error("title")}</span>
                </label>
                <label class="narrow">"Weight %"
                    <input type="number" step="any" inputmode="decimal" bind:value=kra.weight data-testid="kra-weight" />
                    <span class="field-error" role="alert">{error("weight")}</span>
                </label>
            </div>
            <label>"Serves goal"
                <select data-testid="kra-goal" on:change=move |ev| goal.set(event_target_value(&ev)) prop:value=move || goal.get()>
                    <option value="">"Choose the goal it serves"</option>
                    {goals.into_iter().map(|(id, label)| {
                        let selected = goal.get_untracked() == id;
                        view! { <option value=id selected=selected>{label}</option> }
                    }).collect_view()}
                </select>
                <span class="field-error" role="alert">{error("goal")}</span>
            </label>
            <h3>"KPIs " <small class="muted">{move || format!("(weights {} / 100)", kpi_total())}</small></h3>
            <p class="field-error" role="alert">{error("kpis")}</p>
            <For each=move || kpis.get() key=|k| k.uid let:kpi>
                <KpiEditor kpi kpis kra_index=Signal::derive(index) errors />
            </For>
            <div class="row library-pick">
                <label class="grow">"Add from the KPI library"
                    <select data-testid="library-pick" on:change=move |ev| chosen.set(event_target_value(&ev)) prop:value=move || chosen.get()>
                        <option value="">"Choose a KPI template"</option>
                        {library.into_iter().map(|t| {
                            let mine = t.job_title == job_title;
                            view! { <option value=t.id.clone()>{format!("{}{} · {}", if mine { "★ " } else { "" }, t.spec.name, t.job_title)}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <button type="button" class="button" data-testid="add-from-library" on:click=add_from_library>"Add"</button>
                <button type="button" class="button" on:click=move |_| kpis.update(|k| k.push(KpiDraft::blank()))>"Add blank KPI"</button>
            </div>
            <button type="button" class="link-button danger" on:click=move |_| kras.update(|k| k.retain(|x| x.uid != uid))>"Remove this KRA"</button>
        </fieldset>
    }
}

#[component]
fn KpiEditor(kpi: KpiDraft, kpis: RwSignal<Vec<KpiDraft>>, kra_index: Signal<usize>, errors: RwSignal<Vec<FieldError>>) -> impl IntoView {
    let uid = kpi.uid;
    let index = move || kpis.with(|l| l.iter().position(|k| k.uid == uid).unwrap_or(0));
    let prefix = Signal::derive(move || format!("kra-{}-kpi-{}-", kra_index.get(), index()));
    let weight_error = Signal::derive(move || {
        let field = format!("{}weight", prefix.get());
        errors.with(|e| e.iter().find(|x| x.field == field).map(|x| x.message.clone()))
    });
    view! {
        <div class="kpi-editor" data-testid="kpi-editor">
            <KpiFields kpi=kpi.clone() prefix errors />
            <label class="narrow">"Weight in this KRA %"
                <input type="number" step="any" inputmode="decimal" bind:value=kpi.weight data-testid="kpi-weight" />
                <span class="field-error" role="alert">{weight_error}</span>
            </label>
            <button type="button" class="link-button danger" on:click=move |_| kpis.update(|k| k.retain(|x| x.uid != uid))>"Remove KPI"</button>
        </div>
    }
}
