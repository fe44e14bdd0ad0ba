//! Changes that need the person: an edit that met another device's (keep mine, take theirs, or
//! edit), and one the server refused (with its reason). Nothing leaves this list unseen.

use leptos::prelude::*;
use leptos_meta::Title;
use serde_json::Value;

use crate::offline::pages::status::OfflineCopy;
use crate::offline::types::{ActualEntry, SelfAssessment};
use crate::offline::snapshot::OfflineSnapshot;
use crate::offline::client::Offline;
use crate::sync::protocol::{FieldConflict, Kind, Op, Problem, ProblemKind, Resolution, Values};

#[component]
pub fn SyncPage() -> impl IntoView {
    view! {
        <Title text="Changes to settle" />
        <h1>"Changes to settle"</h1>
        <OfflineCopy render=|snapshot| view! { <Problems snapshot /> } />
    }
}

/// A field's name in words.
fn label(snapshot: &OfflineSnapshot, field: &str) -> String {
    if let Some(id) = field.strip_prefix("competency:") {
        return snapshot.framework.competencies.iter().find(|c| c.id == id).map_or("A competency".into(), |c| c.name.clone());
    }
    if let Some(id) = field.strip_prefix("kpi:") {
        let kpi = snapshot.scorecard.iter().flat_map(|s| s.kras.iter().flat_map(|k| k.kpis.iter())).find(|k| k.kpi.id == id);
        return kpi.map_or("A KPI comment".into(), |k| format!("Comment on {}", k.kpi.spec.name));
    }
    match field {
        "strengths" => "Strengths".into(),
        "development" => "Development wishes".into(),
        "state" => "Request".into(),
        other => other.to_owned(),
    }
}

/// A value in words.
fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Object(_) => {
            let level = value.get("level").and_then(Value::as_u64).unwrap_or(0);
            let evidence = value.get("evidence").and_then(Value::as_str).unwrap_or_default();
            format!("Level {level}: {evidence}")
        }
        other => other.to_string(),
    }
}

/// What a refused change said, line by line.
fn described(snapshot: &OfflineSnapshot, op: &Op) -> Vec<(String, String)> {
    if op.record.kind == Kind::ActualEntry {
        let Some(entry) = ActualEntry::from_values(&op.record.id, &op.set) else { return Vec::new() };
        let kpi = snapshot.scorecard.iter().flat_map(|s| s.kras.iter().flat_map(|k| k.kpis.iter())).find(|k| k.kpi.id == entry.kpi_id);
        let what = format!("{} · {}", kpi.map_or("A KPI", |k| k.kpi.spec.name.as_str()), entry.period_key);
        return vec![(what, format!("{} ({})", entry.value, entry.note))];
    }
    // Every edit names whose record it is; only what was changed is worth showing.
    op.set.iter().filter(|(f, _)| !["person", "manager", "cycle"].contains(&f.as_str())).map(|(f, v)| (label(snapshot, f), shown(v))).collect()
}

#[component]
fn Problems(snapshot: OfflineSnapshot) -> impl IntoView {
    let offline = expect_context::<Offline>();
    move || {
        let problems = offline.replica.with(|r| r.problems.clone());
        if problems.is_empty() {
            return view! { <p class="muted" data-testid="no-problems">"Nothing to settle: every change on this device has reached the server or is on its way."</p> }.into_any();
        }
        problems
            .into_iter()
            .enumerate()
            .map(|(index, problem)| view! { <ProblemCard index problem snapshot=snapshot.clone() /> })
            .collect_view()
            .into_any()
    }
}

#[component]
fn ProblemCard(index: usize, problem: Problem, snapshot: OfflineSnapshot) -> impl IntoView {
    let offline = expect_context::<Offline>();
    match problem.kind {
        ProblemKind::Rejected { reason } => view! {
            <section class="card settle" data-testid="problem">
                <h2>"Not accepted"</h2>
                <p class="form-error">{reason}</p>
                <ul class="plain">{described(&snapshot, &problem.op).into_iter().map(|(what, value)| view! {
                    <li><strong>{what} ": "</strong>{value}</li>
                }).collect_view()}</ul>
                <button on:click=move |_| offline.dismiss(index)>"I have seen this"</button>
            </section>
        }
        .into_any(),
        ProblemKind::Conflict { fields } => {
            let editing = RwSignal::new(false);
            let edited: Vec<(FieldConflict, RwSignal<String>)> = fields.iter().map(|f| (f.clone(), RwSignal::new(shown(&f.mine)))).collect();
            let save_edit = {
                let edited = edited.clone();
                move |_| {
                    let values: Values = edited
                        .iter()
                        .map(|(f, text)| {
                            let value = match &f.mine {
                                Value::Object(_) => SelfAssessment::answer_value(f.mine.get("level").and_then(Value::as_u64).unwrap_or(0) as u8, &text.get_untracked()),
                                _ => Value::String(text.get_untracked()),
                            };
                            (f.field.clone(), value)
                        })
                        .collect();
                    offline.resolve(index, Resolution::Edit(values));
                }
            };
            view! {
                <section class="card settle" data-testid="problem">
                    <h2>"Changed on another device too"</h2>
                    {fields.iter().map(|f| view! {
                        <div class="conflict">
                            <h3>{label(&snapshot, &f.field)}</h3>
                            <p><strong>"Yours: "</strong><span data-testid="mine">{shown(&f.mine)}</span></p>
                            <p><strong>"On the server: "</strong><span data-testid="theirs">{shown(&f.theirs)}</span></p>
                        </div>
                    }).collect_view()}
                    <div class="buttons">
                        <button on:click=move |_| offline.resolve(index, Resolution::KeepMine)>"Keep mine"</button>
                        <button on:click=move |_| offline.resolve(index, Resolution::TakeTheirs)>"Take theirs"</button>
                        <button on:click=move |_| editing.set(true)>"Edit"</button>
                    </div>
                    <Show when=move || editing.get()>
                        {edited.iter().map(|(f, text)| {
                            let text = *text;
                            view! { <label class="field"><span>{label(&snapshot, &f.field)}</span>
                                <textarea rows="3" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea></label> }
                        }).collect_view()}
                        <button class="primary" on:click=save_edit.clone()>"Save this version"</button>
                    </Show>
                </section>
            }
            .into_any()
        }
    }
}
