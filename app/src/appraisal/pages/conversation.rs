//! The guided appraisal conversation: a wizard both people follow on one screen, a step at a
//! time with talking prompts, resumable, and offline-capable: the record is a synced document
//! (`Kind::Discussion`), so every note, action and signature is kept on the device at once and
//! sent when there is a connection. Read-only once both have signed; the employee may then add
//! a comment.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde_json::json;

use crate::appraisal::rules::STEPS;
use crate::offline::pages::status::OfflineCopy;
use crate::appraisal::pages::actions::actions_editor;
use crate::development::types::{competency_target, kpi_target};
use crate::appraisal::types::{AppraisalView, Discussion};
use crate::offline::snapshot::OfflineSnapshot;
use crate::offline::client::{Offline, today_on_device};
use crate::planning::scoring::percent;
use crate::sync::protocol::{Kind, RecordRef, Values};
use crate::ui::form::Confirm;

#[component]
pub fn ConversationPage() -> impl IntoView {
    view! {
        <Title text="Appraisal conversation" />
        <OfflineCopy render=|snapshot| view! { <Conversation snapshot /> } />
    }
}

#[component]
fn Conversation(snapshot: OfflineSnapshot) -> impl IntoView {
    let params = use_params_map();
    let wanted = params.read_untracked().get("id").unwrap_or_default();
    let person = if wanted == "me" { snapshot.person_id.clone() } else { wanted };
    match snapshot.appraisals.iter().find(|a| a.person.id == person).cloned() {
        Some(appraisal) => view! { <Wizard appraisal me=snapshot.person_id.clone() /> }.into_any(),
        None => {
            // The ratings may have been submitted since this device last synced: ask for the latest.
            let offline = expect_context::<Offline>();
            Effect::new(move |_| {
                if offline.status.get_untracked().online {
                    offline.sync_now();
                }
            });
            view! {
            <h1>"Appraisal conversation"</h1>
            <p class="muted" data-testid="no-conversation">"There is no conversation to hold here yet: it opens once the manager has submitted the ratings. If they just did, connect once so this device gets the latest."</p>
            }
            .into_any()
        }
    }
}

// The step each conversation shows on this device, by record (browser only: a server thread
// renders for everyone).
#[cfg(feature = "hydrate")]
thread_local! {
    static SHOWN_STEP: std::cell::RefCell<std::collections::HashMap<String, usize>> = Default::default();
}

fn shown_step(id: &str) -> Option<usize> {
    #[cfg(feature = "hydrate")]
    return SHOWN_STEP.with(|steps| steps.borrow().get(id).copied());
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = id;
        None
    }
}

fn remember_step(id: &str, step: usize) {
    #[cfg(feature = "hydrate")]
    SHOWN_STEP.with(|steps| steps.borrow_mut().insert(id.to_owned(), step));
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, step);
}

#[component]
fn Wizard(appraisal: AppraisalView, me: String) -> impl IntoView {
    let offline = expect_context::<Offline>();
    let a = StoredValue::new(appraisal);
    let (id, person_id, manager_id, cycle_id, name) =
        a.with_value(|a| (a.id.clone(), a.person.id.clone(), a.person.manager_id.clone().unwrap_or_default(), a.cycle.id.clone(), a.person.name.clone()));
    let shown = StoredValue::new(id.clone());
    let record = RecordRef::new(Kind::Discussion, id);
    let discussion = {
        let record = record.clone();
        Memo::new(move |_| offline.replica.with(|r| Discussion::from_values(&r.view(&record).unwrap_or_default())))
    };
    let is_manager = me == manager_id;
    let is_employee = me == person_id;
    // Every edit names the person, manager and cycle, so whichever device reaches the server
    // first creates the record.
    let save = StoredValue::new({
        let record = record.clone();
        move |set: Values| {
            let mut values = Values::from([("person".to_owned(), json!(person_id)), ("manager".to_owned(), json!(manager_id)), ("cycle".to_owned(), json!(cycle_id))]);
            values.extend(set);
            offline.edit(record.clone(), values);
        }
    });
    let edit = move |field: String, value: serde_json::Value| save.with_value(|s| s(Values::from([(field, value)])));
    let locked = move || discussion.with(|d| !d.manager_signed_on.is_empty());
    // Resume where the conversation was left, or on the step this device showed last (the page
    // redraws when a sync brings a newer copy, which must not jump to another step).
    let current = RwSignal::new(shown.with_value(|id| shown_step(id)).unwrap_or(usize::from(discussion.get_untracked().step)).min(STEPS.len() - 1));
    let go = move |to: usize| {
        current.set(to);
        shown.with_value(|id| remember_step(id, to));
        if !locked() && to > usize::from(discussion.get_untracked().step) {
            edit("step".into(), json!(to));
        }
    };
    // A new step takes the focus to its title, so a keyboard or screen reader starts there.
    Effect::new(move |previous: Option<usize>| {
        let now = current.get();
        if previous.is_some_and(|p| p != now) {
            crate::ui::form::focus_on("conversation-step-title");
        }
        now
    });
    view! {
        <h1>"Appraisal conversation: " {name}</h1>
        <p class="muted">{a.with_value(|a| a.cycle.name.clone())} " · "
            {move || discussion.with(|d| if d.signed_by_both() { "Signed by both: read-only." } else if !d.manager_signed_on.is_empty() { "Signed by the manager; waiting for the employee." } else { "Saved on this device as you go, sent when there is a connection." })}
        </p>
        <ol class="wizard-steps" data-testid="conversation-steps">
            {STEPS.iter().enumerate().map(|(i, step)| view! {
                <li class:current=move || current.get() == i class:done=move || i < usize::from(discussion.with(|d| d.step))>
                    <button class="link-button" aria-current=move || (current.get() == i).then_some("step") on:click=move |_| go(i)>{step.title}</button>
                </li>
            }).collect_view()}
        </ol>
        <p data-testid="conversation-progress" aria-live="polite">{move || format!("Step {} of {}: {}", current.get() + 1, STEPS.len(), STEPS[current.get()].title)}</p>
        {move || {
            let i = current.get();
            let step = &STEPS[i];
            view! {
                <section class="card" data-testid="conversation-step">
                    <h2 id="conversation-step-title" tabindex="-1">{step.title}</h2>
                    <ul class="prompts">{step.prompts.iter().map(|p| view! { <li>{*p}</li> }).collect_view()}</ul>
                    {step_content(step.key, a, discussion, locked, edit)}
                    {(step.key == "sign_off").then(|| sign_off(a, discussion, is_manager, is_employee, edit))}
                    {(step.key != "sign_off").then(|| {
                        let field = Discussion::note_field(step.key);
                        view! {
                            <label class="field"><span>"Notes"</span>
                                <textarea rows="3" data-testid="step-note" disabled=locked prop:value=move || discussion.with(|d| d.note(step.key).to_owned())
                                    on:input=move |ev| edit(field.clone(), json!(event_target_value(&ev)))></textarea></label>
                        }
                    })}
                </section>
            }
        }}
        <div class="buttons">
            <button disabled=move || current.get() == 0 on:click=move |_| go(current.get().saturating_sub(1))>"Back"</button>
            <button class="primary" disabled=move || current.get() + 1 == STEPS.len() on:click=move |_| go(current.get() + 1)>"Next"</button>
        </div>
    }
}

fn step_content(
    key: &'static str,
    a: StoredValue<AppraisalView>,
    discussion: Memo<Discussion>,
    locked: impl Fn() -> bool + Copy + Send + Sync + 'static,
    edit: impl Fn(String, serde_json::Value) + Copy + Send + Sync + 'static,
) -> AnyView {
    match key {
        "employee_view" => a.with_value(|a| match &a.self_assessment {
            Some(s) => view! { <p><strong>"Their strengths: "</strong>{s.strengths.clone()}</p><p><strong>"Their development wishes: "</strong>{s.development.clone()}</p> }.into_any(),
            None => view! { <p class="muted">"No self-assessment was submitted: ask for their view now."</p> }.into_any(),
        }),
        "kpi_results" => a.with_value(|a| {
            let comment = |kpi: &str| a.self_assessment.as_ref().map(|s| s.kpi_comment(kpi).to_owned()).unwrap_or_default();
            view! {
                <ul data-testid="kpi-results">{a.kras.iter().flat_map(|k| k.kpis.iter()).map(|c| view! {
                    <li><strong>{c.kpi.spec.name.clone()}</strong> ": " {c.score.map(percent).unwrap_or_else(|| "no data".into())}
                        <small class="muted">" " {c.why.clone()} " · source: " {c.kpi.spec.data_source.clone()}</small>
                        {let said = comment(&c.kpi.id); (!said.is_empty()).then(|| view! { <br /><em>"They said: " {said}</em> })}</li>
                }).collect_view()}</ul>
            }
            .into_any()
        }),
        "competencies" => a.with_value(|a| {
            // Where self and manager differ first; a level not given is no gap (and not a 0).
            let given = |level: u8| (level > 0).then_some(level);
            let mut lines: Vec<(String, Option<u8>, Option<u8>, u8)> = a
                .competencies
                .iter()
                .map(|c| {
                    let own = a.self_assessment.as_ref().and_then(|s| s.answer(&c.id)).and_then(|x| given(x.level));
                    let mine = a.ratings.iter().find(|r| r.competency_id == c.id).and_then(|r| given(r.level));
                    (c.name.clone(), own, mine, a.expected_level(c))
                })
                .collect();
            let differ = |own: Option<u8>, mine: Option<u8>| own.zip(mine).is_some_and(|(o, m)| o != m);
            lines.sort_by_key(|(_, own, mine, _)| !differ(*own, *mine));
            let shown = |level: Option<u8>| level.map_or_else(|| "not given".to_owned(), |l| l.to_string());
            view! {
                <div class="table-wrap" tabindex="0">
                    <table data-testid="competency-gaps"><thead><tr><th>"Competency"</th><th>"Self"</th><th>"Manager"</th><th>"Expected"</th></tr></thead>
                    <tbody>{lines.into_iter().map(|(name, own, mine, expected)| view! {
                        <tr class:gap=differ(own, mine)><td>{name}</td><td>{shown(own)}</td><td>{shown(mine)}</td><td>{expected}</td></tr>
                    }).collect_view()}</tbody></table>
                </div>
            }
            .into_any()
        }),
        "development" => {
            let targets: Vec<(String, String)> = a.with_value(|a| {
                a.competencies
                    .iter()
                    .map(|c| (competency_target(&c.id), c.name.clone()))
                    .chain(a.kras.iter().flat_map(|k| k.kpis.iter().map(|c| (kpi_target(&c.kpi.spec.name), c.kpi.spec.name.clone()))))
                    .collect()
            });
            actions_editor(targets, move || discussion.with(|d| d.actions.clone()), locked, move |list| edit("actions".into(), json!(list))).into_any()
        }
        "outcome" => view! {
            {a.with_value(outcome_summary)}
            <fieldset disabled=locked>
                <label><input type="radio" name="outcome" prop:checked=move || discussion.with(|d| d.outcome == "agreed") on:change=move |_| edit("outcome".into(), json!("agreed")) />" The rating is agreed"</label>
                <label><input type="radio" name="outcome" prop:checked=move || discussion.with(|d| d.outcome == "disagreed") on:change=move |_| edit("outcome".into(), json!("disagreed")) />" The employee disagrees"</label>
                {move || discussion.with(|d| d.outcome == "disagreed").then(|| view! {
                    <label class="field"><span>"The employee's view, in their words"</span>
                        <textarea rows="3" prop:value=move || discussion.with(|d| d.disagreement.clone()) on:input=move |ev| edit("disagreement".into(), json!(event_target_value(&ev)))></textarea></label>
                })}
            </fieldset>
        }
        .into_any(),
        _ => ().into_any(),
    }
}

fn outcome_summary(a: &AppraisalView) -> AnyView {
    match &a.final_score {
        Some(f) => view! {
            <p class="big" data-testid="conversation-rating">{format!("Proposed: {} → rating {} · {}", percent(f.score), f.rating, f.label)}</p>
            <p class="muted" data-testid="conversation-why">{f.why.clone()}</p>
            {a.calibration.last().map(|c| view! { <p data-testid="calibrated">{format!("Calibrated from {} to {}: {}", c.before, c.after, c.reason)}</p> })}
        }
        .into_any(),
        None => view! { <p class="muted">"No final score yet."</p> }.into_any(),
    }
}

fn sign_off(
    a: StoredValue<AppraisalView>,
    discussion: Memo<Discussion>,
    is_manager: bool,
    is_employee: bool,
    edit: impl Fn(String, serde_json::Value) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let problem = RwSignal::new(None::<&'static str>);
    // A signature cannot be taken back: it is confirmed first.
    let signing = RwSignal::new(false);
    let sign_as_manager = move |_| {
        let d = discussion.get_untracked();
        let ready = d.outcome == "agreed" || (d.outcome == "disagreed" && !d.disagreement.trim().is_empty());
        if !ready {
            problem.set(Some("Record at the rating step whether the rating is agreed (or the employee's view) before signing."));
            return;
        }
        problem.set(None);
        signing.set(true);
    };
    let comment = RwSignal::new(String::new());
    view! {
        {a.with_value(outcome_summary)}
        <dl class="signatures" data-testid="signatures">
            <dt>"Manager"</dt><dd>{move || discussion.with(|d| if d.manager_signed_on.is_empty() { "Not signed".to_owned() } else { format!("Signed on {}", d.manager_signed_on) })}</dd>
            <dt>"Employee"</dt><dd>{move || discussion.with(|d| if d.employee_signed_on.is_empty() { "Not signed".to_owned() } else { format!("Signed on {}", d.employee_signed_on) })}</dd>
        </dl>
        {move || {
            let d = discussion.get();
            if is_manager && d.manager_signed_on.is_empty() {
                view! { <button class="primary" on:click=sign_as_manager>"Sign as manager"</button> }.into_any()
            } else if is_employee && !d.manager_signed_on.is_empty() && d.employee_signed_on.is_empty() {
                view! { <button class="primary" on:click=move |_| signing.set(true)>"Sign as employee"</button> }.into_any()
            } else if is_employee && d.employee_signed_on.is_empty() {
                view! { <p class="muted">"Your manager signs first; then you confirm the record here."</p> }.into_any()
            } else if d.signed_by_both() && !d.employee_comment.is_empty() {
                view! { <p data-testid="employee-comment"><strong>"Employee's comment: "</strong>{d.employee_comment.clone()}</p> }.into_any()
            } else if d.signed_by_both() && is_employee {
                view! {
                    <label class="field"><span>"Your comment (optional, added once)"</span><textarea rows="3" bind:value=comment></textarea></label>
                    <button on:click=move |_| if !comment.get_untracked().trim().is_empty() { edit("employee_comment".into(), json!(comment.get_untracked().trim())) }>"Add comment"</button>
                }.into_any()
            } else {
                ().into_any()
            }
        }}
        <p class="field-error" role="alert">{move || problem.get()}</p>
        <Confirm
            asking=signing
            consequence="Your signature confirms the conversation took place and the record is accurate. It cannot be taken back."
            yes="Yes, sign"
            on_yes=move || {
                // Whoever confirms signs their own line: the manager first, then the employee.
                let field = if is_manager { "manager_signed_on" } else { "employee_signed_on" };
                edit(field.into(), json!(today_on_device()));
            }
        />
    }
}
