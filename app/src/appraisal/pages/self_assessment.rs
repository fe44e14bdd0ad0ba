//! The self-assessment for the current cycle, offline-capable: for each competency the person
//! picks the behavioural anchor that fits and cites evidence; they comment on each KPI's result,
//! name strengths and development wishes. Every change is saved on the device at once and synced
//! (`offline`); submitting makes it read-only.

use leptos::prelude::*;
use leptos_meta::Title;
use serde_json::json;

use crate::offline::pages::status::OfflineCopy;
use crate::offline::types::{SelfAssessment, self_assessment_id};
use crate::offline::snapshot::OfflineSnapshot;
use crate::planning::types::{Competency, KpiCard};
use crate::offline::client::Offline;
use crate::planning::scoring::percent;
use crate::sync::protocol::{Kind, RecordRef, Values};
use crate::offline::rules::ready_to_submit;
use crate::ui::form::Confirm;

#[component]
pub fn SelfAssessmentPage() -> impl IntoView {
    view! {
        <Title text="Self-assessment" />
        <h1>"Self-assessment"</h1>
        <OfflineCopy render=|snapshot| view! { <SelfAssessmentForm snapshot /> } />
    }
}

#[component]
fn SelfAssessmentForm(snapshot: OfflineSnapshot) -> impl IntoView {
    let offline = expect_context::<Offline>();
    let person = snapshot.person_id.clone();
    let cycle = snapshot.cycle.id.clone();
    let record = RecordRef::new(Kind::SelfAssessment, self_assessment_id(&person, &cycle));
    let sa = {
        let record = record.clone();
        Memo::new(move |_| offline.replica.with(|r| SelfAssessment::from_values(&r.view(&record).unwrap_or_default())))
    };
    let locked = move || sa.with(|s| s.submitted);
    // Every edit names the person and the cycle, so whichever device reaches the server first
    // creates the record.
    let save = {
        let record = record.clone();
        move |field: String, value: serde_json::Value| {
            let set = Values::from([("person".to_owned(), json!(person.clone())), ("cycle".to_owned(), json!(cycle.clone())), (field, value)]);
            offline.edit(record.clone(), set);
        }
    };
    let expected = snapshot
        .scorecard
        .as_ref()
        .and_then(|s| snapshot.framework.profiles.iter().find(|p| p.job_title == s.person.job_title))
        .map(|p| p.expected.clone())
        .unwrap_or_default();
    let kpis: Vec<KpiCard> = snapshot.scorecard.iter().flat_map(|s| s.kras.iter().flat_map(|k| k.kpis.clone())).collect();
    let competencies = snapshot.framework.competencies.clone();
    let submit_error = RwSignal::new(None::<String>);
    // Submitting is for good: once complete it is confirmed first.
    let asking = RwSignal::new(false);
    let submit = {
        let competencies = competencies.clone();
        move |_| match ready_to_submit(&competencies, &sa.get_untracked()) {
            Ok(()) => {
                submit_error.set(None);
                asking.set(true);
            }
            Err(message) => submit_error.set(Some(message)),
        }
    };
    let confirmed = {
        let save = save.clone();
        move || save("submitted".into(), json!(true))
    };
    let text_field = {
        let save = save.clone();
        move |field: &'static str, label: &'static str, hint: &'static str| {
            let save = save.clone();
            let value = move || sa.with(|s| if field == "strengths" { s.strengths.clone() } else { s.development.clone() });
            view! {
                <label class="field">
                    <span>{label}</span>
                    <textarea rows="3" placeholder=hint prop:value=value disabled=locked
                        on:input=move |ev| save(field.to_owned(), json!(event_target_value(&ev)))></textarea>
                </label>
            }
        }
    };
    view! {
        <p class="muted">{snapshot.cycle.name.clone()} " · " {move || if locked() { "Submitted: your manager sees it now; it can no longer change." } else { "Draft: saved on this device as you type, sent when there is a connection." }}</p>
        <section class="card">
            <h2>"Competencies"</h2>
            <p class="muted">"For each competency pick the level whose behaviours fit what you did, and cite evidence: a dated example, a KPI, feedback you received."</p>
            {competencies.into_iter().map(|c| {
                let level_expected = expected.iter().find(|(id, _)| *id == c.id).map(|(_, l)| *l);
                view! { <CompetencyQuestion competency=c expected=level_expected sa locked save=save.clone() /> }
            }).collect_view()}
        </section>
        <section class="card">
            <h2>"Your KPIs"</h2>
            {if kpis.is_empty() { view! { <p class="muted">"You have no plan in this cycle yet."</p> }.into_any() } else { ().into_any() }}
            {kpis.into_iter().map(|card| {
                let save = save.clone();
                let id = card.kpi.id.clone();
                let field = SelfAssessment::kpi_field(&id);
                let score = card.score.map(percent).unwrap_or_else(|| "no data yet".into());
                view! {
                    <label class="field">
                        <span>{card.kpi.spec.name.clone()} " — " {score} <small class="muted">" " {card.why.clone()}</small></span>
                        <textarea rows="2" placeholder="What explains this result?" prop:value=move || sa.with(|s| s.kpi_comment(&id).to_owned()) disabled=locked
                            on:input=move |ev| save(field.clone(), json!(event_target_value(&ev)))></textarea>
                    </label>
                }
            }).collect_view()}
        </section>
        <section class="card">
            <h2>"Strengths and development"</h2>
            {text_field("strengths", "Strengths", "What went well, and why?")}
            {text_field("development", "Development wishes", "What would you like to learn or do next?")}
        </section>
        <div class="buttons">
            <button class="primary" data-testid="submit-self-assessment" disabled=locked on:click=submit>"Submit self-assessment"</button>
            {move || submit_error.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
        </div>
        <Confirm asking consequence="Your manager sees your self-assessment at once, and it can no longer change." yes="Yes, submit it" on_yes=confirmed />
    }
}

#[component]
fn CompetencyQuestion(
    competency: Competency,
    expected: Option<u8>,
    sa: Memo<SelfAssessment>,
    locked: impl Fn() -> bool + Copy + Send + Sync + 'static,
    save: impl Fn(String, serde_json::Value) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let id = competency.id.clone();
    let field = SelfAssessment::competency_field(&id);
    let answer = {
        let id = id.clone();
        Memo::new(move |_| sa.with(|s| s.answer(&id).map(|a| (a.level, a.evidence.clone())).unwrap_or((0, String::new()))))
    };
    let name = competency.name.clone();
    view! {
        <fieldset class="competency-question" data-testid="competency-question">
            <legend>{competency.name.clone()}</legend>
            <p class="muted">{competency.description.clone()} {expected.map(|l| format!(" Expected for your role: level {l}."))}</p>
            {competency.levels.into_iter().map(|level| {
                let save = save.clone();
                let field = field.clone();
                let n = level.level;
                view! {
                    <label class="anchor">
                        <input type="radio" name=format!("level-{id}") value=n.to_string() disabled=locked
                            prop:checked=move || answer.get().0 == n
                            on:change=move |_| save(field.clone(), SelfAssessment::answer_value(n, &answer.get().1)) />
                        <span><strong>{format!("Level {n} · {}", level.name)}</strong> " — " {level.indicators.join("; ")}</span>
                    </label>
                }
            }).collect_view()}
            <label class="field">
                <span>{format!("Evidence for {name}")}</span>
                <textarea rows="2" placeholder="When, what you did, what came of it" disabled=locked prop:value=move || answer.get().1
                    on:input=move |ev| save(field.clone(), SelfAssessment::answer_value(answer.get().0, &event_target_value(&ev)))></textarea>
            </label>
        </fieldset>
    }
}
