//! The Kotter wizard of one change programme: the steps in order, each with its purpose and
//! guidance, the committee's checklist and criteria, actions, evidence and the chair's sign-off;
//! the barriers log at step 5; pulse surveys.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::change::api::{AddChangeEvidence, ClosePulse, CreatePulse, ReopenStep, SaveBarrier, SaveChangeAction, SaveChangeStep, SignOffStep, load_programme};
use crate::change::rules::{KotterStep, STEPS};
use crate::disclosure::{Figure, MIN_GROUP};
use crate::change::pages::charts::StepsProgress;
use crate::ui::form::{FormError, SelectField, TextField, field_error, form_error, reload_after};
use crate::ui::layout::{loaded, signed_in};
use crate::error::AppError;
use crate::change::types::{ActionInput, ActionStatus, Barrier, BarrierInput, BarrierStatus, ChangeAction, ChecklistItem, Named, ProgrammeView, PulseSurvey, StepRecord};
use crate::auth::types::Role;

#[component]
pub fn ProgrammePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let refresh = RwSignal::new(0u32);
    // Outlives the reload after a save, so "Checklist saved" stays beside the button.
    provide_context(ChecklistSaved(RwSignal::new(None)));
    let id = move || params.read().get("id").unwrap_or_default();
    let data = Resource::new(move || (id(), refresh.get()), |(id, _)| async move {
        signed_in(Some(Role::ChangeCommittee)).await?;
        load_programme(id).await
    });
    view! {
        <Title text="Change programme" />
        {loaded(data, move |view: ProgrammeView| {
            let p = view.programme.clone();
            let chosen = move || query.read().get("step").and_then(|s| s.parse::<u8>().ok()).filter(|n| (1..=8).contains(n));
            let current = p.current_step().min(8);
            let selected = Signal::derive(move || chosen().unwrap_or(current));
            let view = StoredValue::new(view);
            view! {
                <h1>{p.name.clone()}</h1>
                <p class="muted">
                    {format!("{} – {} · sponsor {} · chair {} · units: {}", p.starts_on, p.ends_on, p.sponsor.name, p.chair.name,
                        p.scope.iter().map(|u| u.name.as_str()).collect::<Vec<_>>().join(", "))}
                </p>
                <p><A href=format!("/change/{}/adoption", p.id)>"Adoption dashboard →"</A></p>
                <StepsProgress signed=p.signed.clone() />
                <nav aria-label="Kotter's steps">
                    <ol class="kotter-steps">
                        {STEPS.iter().map(|s| {
                            let n = s.number;
                            let signed = p.signed[usize::from(n) - 1];
                            view! {
                                <li class:done=signed class:current=n == current>
                                    <a href=format!("?step={n}") aria-current=move || (selected.get() == n).then_some("step")>
                                        {format!("{n}. {}", s.title)} {signed.then_some(" ✓")}
                                    </a>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                </nav>
                {move || {
                    let n = selected.get();
                    view! { <StepPanel view=view.get_value() step=STEPS[usize::from(n) - 1] refresh /> }
                }}
                <Pulses programme_id=p.id.clone() pulses=view.with_value(|v| v.pulses.clone()) refresh />
            }
        })}
    }
}

#[component]
fn StepPanel(view: ProgrammeView, step: KotterStep, refresh: RwSignal<u32>) -> impl IntoView {
    let n = step.number;
    let id = view.programme.id.clone();
    let record = view.steps.iter().find(|s| s.number == n).cloned();
    let actions: Vec<ChangeAction> = view.actions.iter().filter(|a| a.step == n).cloned().collect();
    let evidence: Vec<_> = view.evidence.iter().filter(|e| e.step == n).cloned().collect();
    view! {
        <section class="card step-panel" data-testid="step-panel">
            <p class="muted">{format!("Step {n} of 8")}</p>
            <h2>{step.title}</h2>
            <p><strong>{step.purpose}</strong></p>
            <p>{step.guidance}</p>
            {record.clone().map(|r| view! { <StepChecklist programme_id=id.clone() step record=r refresh /> })}
        </section>
        <section class="card">
            <h2>"Actions"</h2>
            <ActionList programme_id=id.clone() actions refresh />
            <ActionForm programme_id=id.clone() step=n people=view.people.clone() refresh />
        </section>
        <section class="card">
            <h2>"Evidence"</h2>
            <ul data-testid="evidence">
                {evidence.into_iter().map(|e| view! {
                    <li>{e.note} " " {e.link.map(|l| { let href = l.clone(); view! { <a href=href rel="noopener" target="_blank">{l}</a> } })}
                        <span class="muted">{format!(" — {}, {}", e.added_by, e.added_on)}</span></li>
                }).collect_view()}
            </ul>
            <EvidenceForm programme_id=id.clone() step=n refresh />
        </section>
        {(n == 5).then(|| view! { <Barriers programme_id=id.clone() barriers=view.barriers.clone() people=view.people.clone() refresh /> })}
        {(n == 6).then(|| view! {
            <section class="card"><p>"Set adoption targets and decide the wins the system proposes on the "
                <A href=format!("/change/{}/adoption", id)>"adoption dashboard"</A>"."</p></section>
        })}
        {record.map(|r| view! { <SignOffBox programme_id=id.clone() record=r chair=view.programme.chair.name.clone() is_chair=view.viewer_is_chair refresh /> })}
        <nav class="wizard-nav">
            {(n > 1).then(|| view! { <a class="button" href=format!("?step={}", n - 1)>"← Previous step"</a> })}
            {(n < 8).then(|| view! { <a class="button" href=format!("?step={}", n + 1)>"Next step →"</a> })}
        </nav>
    }
}

/// The step whose checklist was saved last.
#[derive(Clone, Copy)]
struct ChecklistSaved(RwSignal<Option<u8>>);

/// The committee's checklist (seeded with the recommended activities, editable) and the
/// completion criteria; read-only once the step is signed off.
#[component]
fn StepChecklist(programme_id: String, step: KotterStep, record: StepRecord, refresh: RwSignal<u32>) -> impl IntoView {
    let action = ServerAction::<SaveChangeStep>::new();
    reload_after(action, refresh);
    let ChecklistSaved(saved) = expect_context::<ChecklistSaved>();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => saved.set(Some(step.number)),
        Some(Err(_)) => saved.set(None),
        None => {}
    });
    let locked = record.sign_off.is_some();
    let items = RwSignal::new(record.checklist.clone());
    let met: Vec<RwSignal<bool>> = record.criteria_met.iter().map(|m| RwSignal::new(*m)).collect();
    let new_item = RwSignal::new(String::new());
    let submit = {
        let met = met.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let mut checklist = items.get();
            let added = new_item.get();
            if !added.trim().is_empty() {
                checklist.push(ChecklistItem { text: added, done: false });
            }
            action.dispatch(SaveChangeStep {
                programme_id: programme_id.clone(),
                step: step.number,
                checklist,
                criteria_met: met.iter().map(|m| m.get()).collect(),
            });
        }
    };
    view! {
        <form on:submit=submit novalidate data-testid="step-checklist">
            <fieldset disabled=locked>
                <legend>"Checklist"</legend>
                // Keyed without the tick, so ticking a box keeps the row (and the keyboard's focus).
                <For each=move || items.get().into_iter().enumerate() key=|(i, item)| (*i, item.text.clone()) let((i, item))>
                    <div class="check-row">
                        <label class="check">
                            <input type="checkbox" prop:checked=item.done
                                on:change=move |ev| { let on = event_target_checked(&ev); items.update(|list| list[i].done = on); } />
                            " " {item.text.clone()}
                        </label>
                        <button type="button" class="link-button" aria-label=format!("Remove {}", item.text)
                            on:click=move |_| items.update(|list| { list.remove(i); })>"Remove"</button>
                    </div>
                </For>
                <div class="field">
                    <label for=format!("new-item-{}", step.number)>"Add an activity"</label>
                    <input id=format!("new-item-{}", step.number) bind:value=new_item />
                </div>
            </fieldset>
            <fieldset disabled=locked>
                <legend>"Completion criteria"</legend>
                {step.criteria.iter().zip(met).map(|(c, m)| view! {
                    <label class="check"><input type="checkbox" bind:checked=m /> " " {*c}</label>
                }).collect_view()}
            </fieldset>
            <p class="field-error" role="alert">{move || field_error(action, "checklist").get().or_else(|| field_error(action, "criteria").get())}</p>
            <FormError error=form_error(action) />
            {(!locked).then(|| view! {
                <div class="buttons">
                    <button type="submit" class="primary" on:click=move |_| saved.set(None)>"Save checklist"</button>
                    <p class="success" role="status" data-testid="checklist-saved">
                        {move || (saved.get() == Some(step.number)).then_some("Checklist saved.")}
                    </p>
                </div>
            })}
        </form>
    }
}

#[component]
fn ActionList(programme_id: String, actions: Vec<ChangeAction>, refresh: RwSignal<u32>) -> impl IntoView {
    let action = ServerAction::<SaveChangeAction>::new();
    reload_after(action, refresh);
    if actions.is_empty() {
        return view! { <p class="muted">"No actions for this step yet."</p> }.into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0">
            <table data-testid="actions">
                <thead><tr><th>"Action"</th><th>"Owner"</th><th>"Due"</th><th>"Status"</th></tr></thead>
                <tbody>{actions.into_iter().map(|a| {
                    let programme_id = programme_id.clone();
                    let shown = a.clone();
                    let change = move |ev: leptos::ev::Event| {
                        let status = ActionStatus::ALL.into_iter().find(|s| format!("{s:?}") == event_target_value(&ev)).unwrap_or(a.status);
                        action.dispatch(SaveChangeAction {
                            programme_id: programme_id.clone(),
                            input: ActionInput { id: Some(a.id.clone()), step: a.step, title: a.title.clone(), owner_id: a.owner.id.clone(), due_on: a.due_on.clone(), status },
                        });
                    };
                    view! {
                        <tr>
                            <td>{shown.title.clone()}</td><td>{shown.owner.name.clone()}</td><td>{shown.due_on.clone()}</td>
                            <td><select aria-label=format!("Status of {}", shown.title) on:change=change>
                                {ActionStatus::ALL.into_iter().map(|s| view! { <option value=format!("{s:?}") selected=s == shown.status>{s.label()}</option> }).collect_view()}
                            </select></td>
                        </tr>
                    }
                }).collect_view()}</tbody>
            </table>
        </div>
        <FormError error=form_error(action) />
    }
    .into_any()
}

#[component]
fn ActionForm(programme_id: String, step: u8, people: Vec<Named>, refresh: RwSignal<u32>) -> impl IntoView {
    let action = ServerAction::<SaveChangeAction>::new();
    reload_after(action, refresh);
    let title = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let due_on = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch(SaveChangeAction {
            programme_id: programme_id.clone(),
            input: ActionInput { id: None, step, title: title.get(), owner_id: owner.get(), due_on: due_on.get(), status: ActionStatus::Open },
        });
    };
    let err = move |f| field_error(action, f);
    view! {
        <form on:submit=submit novalidate data-testid="action-form" class="inline-form">
            <TextField label="Action" name="title" value=title error=err("title") />
            <SelectField label="Owner" name="owner" value=owner options=Named::options(&people) empty="Choose…" error=err("owner") />
            <TextField label="Due on" name="due_on" value=due_on kind="date" error=err("due_on") />
            <FormError error=form_error(action) />
            <button type="submit">"Add action"</button>
        </form>
    }
}

#[component]
fn EvidenceForm(programme_id: String, step: u8, refresh: RwSignal<u32>) -> impl IntoView {
    let action = ServerAction::<AddChangeEvidence>::new();
    reload_after(action, refresh);
    let note = RwSignal::new(String::new());
    let link = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch(AddChangeEvidence { programme_id: programme_id.clone(), step, note: note.get(), link: link.get() });
    };
    let err = move |f| field_error(action, f);
    view! {
        <form on:submit=submit novalidate data-testid="evidence-form" class="inline-form">
            <TextField label="Evidence note" name="note" value=note error=err("note") />
            <TextField label="Evidence link" name="link" value=link kind="url" error=err("link") hint="Optional: minutes, a survey, a document" />
            <FormError error=form_error(action) />
            <button type="submit">"Add evidence"</button>
        </form>
    }
}

/// The chair signs off; open actions or unmet criteria are shown first and need a second click.
#[component]
fn SignOffBox(programme_id: String, record: StepRecord, chair: String, is_chair: bool, refresh: RwSignal<u32>) -> impl IntoView {
    let sign = ServerAction::<SignOffStep>::new();
    let reopen = ServerAction::<ReopenStep>::new();
    reload_after(sign, refresh);
    reload_after(reopen, refresh);
    let n = record.number;
    let warnings = move || match sign.value().get() {
        Some(Err(AppError::Invalid(errors))) => errors.into_iter().filter(|e| e.field == "sign_off").map(|e| e.message).collect(),
        _ => Vec::<String>::new(),
    };
    let body = match (record.sign_off, is_chair) {
        (Some(s), _) => {
            let id = programme_id.clone();
            view! {
                <p data-testid="signed-off">{format!("Signed off by {} on {}.", s.by, s.on)}</p>
                {(!s.warnings.is_empty()).then(|| view! { <p class="muted">"Signed off despite: " {s.warnings.join(" ")}</p> })}
                {is_chair.then(|| view! { <button on:click=move |_| { reopen.dispatch(ReopenStep { programme_id: id.clone(), step: n }); }>"Reopen step"</button> })}
            }
            .into_any()
        }
        (None, true) => {
            let first = programme_id.clone();
            view! {
                <Show when=move || !warnings().is_empty() fallback=move || {
                    let id = first.clone();
                    view! { <button class="primary" on:click=move |_| { sign.dispatch(SignOffStep { programme_id: id.clone(), step: n, confirm: false }); }>{format!("Sign off step {n}")}</button> }
                }>
                    <div class="warning" role="alert" data-testid="sign-off-warnings">
                        <p><strong>"Before you sign off:"</strong></p>
                        <ul>{move || warnings().into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
                        {
                            let id = programme_id.clone();
                            view! { <button class="primary" on:click=move |_| { sign.dispatch(SignOffStep { programme_id: id.clone(), step: n, confirm: true }); }>"Sign off anyway"</button> }
                        }
                    </div>
                </Show>
            }
            .into_any()
        }
        (None, false) => view! { <p class="muted">{format!("The chair, {chair}, signs this step off.")}</p> }.into_any(),
    };
    view! {
        <section class="card sign-off">
            <h2>"Sign-off"</h2>
            {body}
            <FormError error=form_error(sign) />
        </section>
    }
}

#[component]
fn Barriers(programme_id: String, barriers: Vec<Barrier>, people: Vec<Named>, refresh: RwSignal<u32>) -> impl IntoView {
    let action = ServerAction::<SaveBarrier>::new();
    reload_after(action, refresh);
    let title = RwSignal::new(String::new());
    let detail = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let blocks = RwSignal::new("5".to_owned());
    let steps: Vec<(String, String)> = STEPS.iter().map(|s| (s.number.to_string(), format!("{}. {}", s.number, s.title))).collect();
    let add = {
        let programme_id = programme_id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            action.dispatch(SaveBarrier {
                programme_id: programme_id.clone(),
                input: BarrierInput {
                    id: None,
                    title: title.get(),
                    detail: detail.get(),
                    owner_id: owner.get(),
                    status: BarrierStatus::Open,
                    step: blocks.get().parse().unwrap_or(5),
                },
            });
        }
    };
    let err = move |f| field_error(action, f);
    view! {
        <section class="card">
            <h2>"Barriers log"</h2>
            <div class="table-wrap" tabindex="0">
                <table data-testid="barriers">
                    <thead><tr><th>"Barrier"</th><th>"Owner"</th><th>"Blocks step"</th><th>"Status"</th></tr></thead>
                    <tbody>{barriers.into_iter().map(|b| {
                        let programme_id = programme_id.clone();
                        let shown = b.clone();
                        let change = move |ev: leptos::ev::Event| {
                            let status = BarrierStatus::ALL.into_iter().find(|s| format!("{s:?}") == event_target_value(&ev)).unwrap_or(b.status);
                            action.dispatch(SaveBarrier {
                                programme_id: programme_id.clone(),
                                input: BarrierInput { id: Some(b.id.clone()), title: b.title.clone(), detail: b.detail.clone(), owner_id: b.owner.id.clone(), status, step: b.step },
                            });
                        };
                        view! {
                            <tr>
                                <td>{shown.title.clone()}<br /><span class="muted">{shown.detail.clone()}</span></td>
                                <td>{shown.owner.name.clone()}</td><td class="num">{shown.step}</td>
                                <td><select aria-label=format!("Status of {}", shown.title) on:change=change>
                                    {BarrierStatus::ALL.into_iter().map(|s| view! { <option value=format!("{s:?}") selected=s == shown.status>{s.label()}</option> }).collect_view()}
                                </select></td>
                            </tr>
                        }
                    }).collect_view()}</tbody>
                </table>
            </div>
            <form on:submit=add novalidate data-testid="barrier-form" class="inline-form">
                <TextField label="Barrier" name="title" value=title error=err("title") />
                <TextField label="Details" name="detail" value=detail />
                <SelectField label="Owner" name="owner" value=owner options=Named::options(&people) empty="Choose…" error=err("owner") />
                <SelectField label="Blocks step" name="step" value=blocks options=steps error=err("step") />
                <FormError error=form_error(action) />
                <button type="submit">"Log barrier"</button>
            </form>
        </section>
    }
}

#[component]
fn Pulses(programme_id: String, pulses: Vec<PulseSurvey>, refresh: RwSignal<u32>) -> impl IntoView {
    let create = ServerAction::<CreatePulse>::new();
    let close = ServerAction::<ClosePulse>::new();
    reload_after(create, refresh);
    reload_after(close, refresh);
    let title = RwSignal::new(String::new());
    let questions = RwSignal::new(String::new());
    let submit = {
        let programme_id = programme_id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            create.dispatch(CreatePulse { programme_id: programme_id.clone(), title: title.get(), questions: questions.get() });
        }
    };
    view! {
        <section class="card" data-testid="pulses">
            <h2>"Pulse surveys"</h2>
            <p class="muted">{format!("Anonymous: people in the programme's units answer each question from 1 (not at all) to 5 (fully). Results show when the survey closes, and only for groups of at least {MIN_GROUP} answers, never where a smaller group could be worked out from the others.")}</p>
            {pulses.into_iter().map(|s| {
                let programme_id = programme_id.clone();
                let pulse_id = s.id.clone();
                view! {
                    <article class="pulse" data-testid="pulse">
                        <h3>{s.title.clone()} <span class="muted">{if s.open { " · open" } else { " · closed" }}</span></h3>
                        <p data-testid="pulse-answers">{match s.answers {
                            Figure::Shown(n) => format!("{n} answer(s)"),
                            Figure::Hidden(why) => format!("Answers: {}", why.reason("answers")),
                        }}</p>
                        {match s.results.clone() {
                            Figure::Hidden(why) => view! {
                                <p class="muted" data-testid="pulse-results-hidden">{format!("Results: {}", why.reason("answers"))}</p>
                            }.into_any(),
                            Figure::Shown(results) => view! { <PulseResults questions=s.questions.clone() results /> }.into_any(),
                        }}
                        {(!s.by_unit.is_empty()).then(|| view! {
                            <h4>"Per unit, with the units below it"</h4>
                            <ul class="pulse-units" data-testid="pulse-units">{s.by_unit.iter().map(|g| {
                                let unit = g.unit.clone();
                                let label = format!("{}{unit}", "— ".repeat(g.depth));
                                match g.result.clone() {
                                    Figure::Shown(r) => view! {
                                        <li data-unit=unit>
                                            {format!("{label}: {} answer(s)", r.answers)}
                                            <PulseResults questions=s.questions.clone() results=r.questions />
                                        </li>
                                    }.into_any(),
                                    Figure::Hidden(why) => view! {
                                        <li class="muted" data-unit=unit data-hidden="true">{format!("{label}: {}", why.reason("answers"))}</li>
                                    }.into_any(),
                                }
                            }).collect_view()}</ul>
                        })}
                        {s.open.then(|| view! { <button on:click=move |_| { close.dispatch(ClosePulse { programme_id: programme_id.clone(), pulse_id: pulse_id.clone() }); }>"Close survey"</button> })}
                    </article>
                }
            }).collect_view()}
            <form on:submit=submit novalidate data-testid="pulse-form">
                <TextField label="Survey title" name="pulse_title" value=title error=field_error(create, "pulse_title") />
                <div class="field" class:invalid=move || field_error(create, "questions").get().is_some()>
                    <label for="field-questions">"Questions, one per line"</label>
                    <textarea id="field-questions" rows="4" bind:value=questions aria-describedby="field-questions-error"></textarea>
                    <p class="field-error" id="field-questions-error" role="alert">{move || field_error(create, "questions").get()}</p>
                </div>
                <FormError error=form_error(create) />
                <button type="submit">"Open survey"</button>
            </form>
        </section>
    }
}

#[component]
fn PulseResults(questions: Vec<String>, results: Vec<crate::change::types::PulseSummary>) -> impl IntoView {
    view! {
        <div class="table-wrap" tabindex="0">
            <table data-testid="pulse-results">
                <thead><tr><th>"Question"</th><th class="num">"Mean"</th><th class="num">"Favourable (4–5)"</th><th>"1 · 2 · 3 · 4 · 5"</th></tr></thead>
                <tbody>{questions.into_iter().zip(results).map(|(q, r)| view! {
                    <tr><td>{q}</td><td class="num">{format!("{:.1}", r.mean)}</td><td class="num">{format!("{:.0}%", r.favourable * 100.0)}</td>
                        <td>{r.distribution.iter().map(usize::to_string).collect::<Vec<_>>().join(" · ")}</td></tr>
                }).collect_view()}</tbody>
            </table>
        </div>
    }
}
