//! Check-ins between a manager and a report, each with a coaching note in GROW form (Goal,
//! Reality, Options, Will) and the next steps agreed. A check-in is a synced record
//! (`Kind::CheckIn`): written on either person's phone, offline too, and seen by both. The
//! manager completes it; its next steps then join the person's development plan.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;
use serde_json::json;

use crate::appraisal::pages::actions::actions_editor;
use crate::offline::pages::status::OfflineCopy;
use crate::development::types::{CheckIn, GROW, competency_target};
use crate::development::rules::open_check_in_of_day;
use crate::offline::snapshot::OfflineSnapshot;
use crate::offline::client::{Offline, new_id, today_on_device};
use crate::sync::protocol::{Kind, RecordRef, Values};

#[component]
pub fn CheckInsPage() -> impl IntoView {
    view! {
        <Title text="Check-ins" />
        <OfflineCopy render=|snapshot| view! { <CheckIns snapshot /> } />
    }
}

#[component]
fn CheckIns(snapshot: OfflineSnapshot) -> impl IntoView {
    let offline = expect_context::<Offline>();
    let me = snapshot.person_id.clone();
    let names: BTreeMap<String, String> = snapshot.colleagues.iter().map(|c| (c.id.clone(), c.name.clone())).collect();
    let names = StoredValue::new(names);
    let name = move |id: &str| names.with_value(|n| n.get(id).cloned().unwrap_or_else(|| "you".to_owned()));
    let snapshot = StoredValue::new(snapshot);
    let open = RwSignal::new(None::<String>);
    let check_ins = Memo::new(move |_| {
        let mut all: Vec<(String, CheckIn)> = offline.replica.with(|r| r.view_all(Kind::CheckIn)).into_iter().map(|(id, v)| (id, CheckIn::from_values(&v))).collect();
        all.sort_by(|a, b| b.1.held_on.cmp(&a.1.held_on));
        all
    });
    // A check-in with a report (as their manager), or with one's own manager.
    let partners: Vec<(String, String)> = snapshot.with_value(|s| {
        s.reports.iter().map(|r| (r.clone(), format!("{} (reports to you)", name(r)))).chain(s.manager_id.iter().map(|m| (m.clone(), format!("{} (your manager)", name(m))))).collect()
    });
    let partner = RwSignal::new(partners.first().map(|p| p.0.clone()).unwrap_or_default());
    let start = {
        let me = me.clone();
        move |_| {
            let with = partner.get_untracked();
            if with.is_empty() {
                return;
            }
            let (person, manager) = snapshot.with_value(|s| if s.reports.contains(&with) { (with.clone(), me.clone()) } else { (me.clone(), with.clone()) });
            let today = today_on_device();
            if let Some(id) = check_ins.with_untracked(|all| open_check_in_of_day(all, &person, &manager, &today).map(str::to_owned)) {
                open.set(Some(id));
                return;
            }
            let id = new_id();
            let record = RecordRef::new(Kind::CheckIn, id.clone());
            let values = CheckIn { person_id: person, manager_id: manager, cycle_id: snapshot.with_value(|s| s.cycle.id.clone()), held_on: today, ..CheckIn::default() };
            offline.edit(record, values.to_values());
            open.set(Some(id));
        }
    };
    let me = StoredValue::new(me);
    view! {
        <h1>"Check-ins"</h1>
        <p class="muted">"Regular conversations between a manager and a report, with a coaching note both can see. Kept on this device and sent when there is a connection."</p>
        {(!partners.is_empty()).then(|| view! {
            <div class="inline-form card">
                <label>"Check in with" <select data-testid="check-in-with" prop:value=partner on:change=move |ev| partner.set(event_target_value(&ev))>
                    {partners.into_iter().map(|(id, label)| view! { <option value=id>{label}</option> }).collect_view()}
                </select></label>
                <button class="primary" on:click=start>"Start a check-in"</button>
            </div>
        })}
        <ul class="plain-list" data-testid="check-ins">
            {move || check_ins.get().into_iter().map(|(id, c)| {
                let other = if c.person_id == me.get_value() { name(&c.manager_id) } else { name(&c.person_id) };
                let state = if c.completed_on.is_empty() { "open" } else { "completed" };
                let goal = if c.goal.is_empty() { String::new() } else { format!(" · {}", c.goal) };
                view! {
                    <li><button class="link-button" on:click=move |_| open.set(Some(id.clone()))>{format!("{} with {other}{goal}", c.held_on)}</button>
                        " " <span class="muted">{state}</span></li>
                }
            }).collect_view()}
        </ul>
        {move || open.get().map(|id| view! { <Editor id me=me.get_value() snapshot=snapshot.get_value() /> })}
    }
}

#[component]
fn Editor(id: String, me: String, snapshot: OfflineSnapshot) -> impl IntoView {
    let offline = expect_context::<Offline>();
    let record = RecordRef::new(Kind::CheckIn, id);
    let check_in = {
        let record = record.clone();
        Memo::new(move |_| offline.replica.with(|r| CheckIn::from_values(&r.view(&record).unwrap_or_default())))
    };
    let save = StoredValue::new({
        let record = record.clone();
        move |set: Values| {
            let c = check_in.get_untracked();
            let mut values = Values::from([("person".to_owned(), json!(c.person_id)), ("manager".to_owned(), json!(c.manager_id)), ("cycle".to_owned(), json!(c.cycle_id))]);
            values.extend(set);
            offline.edit(record.clone(), values);
        }
    });
    let edit = move |field: &str, value: serde_json::Value| save.with_value(|s| s(Values::from([(field.to_owned(), value)])));
    let locked = move || check_in.with(|c| !c.completed_on.is_empty());
    let is_manager = check_in.with_untracked(|c| c.manager_id == me);
    let problem = RwSignal::new(None::<&'static str>);
    let complete = move |_| {
        let c = check_in.get_untracked();
        if c.goal.trim().is_empty() || c.will.trim().is_empty() {
            problem.set(Some("Write at least the Goal and the Will before completing."));
            return;
        }
        problem.set(None);
        edit("completed_on", json!(today_on_device()));
    };
    // Next steps may name a KPI of the person's plan (one's own, or a report's) or a competency.
    let person = check_in.with_untracked(|c| c.person_id.clone());
    let own_kpis = snapshot.scorecard.iter().filter(|s| s.person.id == person).flat_map(|s| s.kras.iter().flat_map(|k| k.kpis.iter().map(|c| c.kpi.spec.name.clone())));
    let report_kpis = snapshot.report_kpis.iter().filter(|(report, _)| *report == person).flat_map(|(_, kpis)| kpis.iter().cloned());
    let targets: Vec<(String, String)> = own_kpis
        .chain(report_kpis)
        .map(|name| (crate::development::types::kpi_target(&name), name))
        .chain(snapshot.framework.competencies.iter().map(|c| (competency_target(&c.id), c.name.clone())))
        .collect();
    view! {
        <section class="card" data-testid="check-in">
            <h2>"Check-in"</h2>
            <p class="muted">{move || if locked() { format!("Completed on {}: read-only. Its next steps are in the development plan.", check_in.with(|c| c.completed_on.clone())) } else { "Both of you can write here; the manager completes it.".to_owned() }}</p>
            <label class="field"><span>"Held on"</span>
                <input type="date" disabled=locked prop:value=move || check_in.with(|c| c.held_on.clone()) on:change=move |ev| edit("held_on", json!(event_target_value(&ev))) /></label>
            {GROW.iter().map(|(field, title, prompt)| view! {
                <label class="field"><span>{*title}</span>
                    <small class="muted">{*prompt}</small>
                    <textarea rows="3" disabled=locked prop:value=move || check_in.with(|c| c.part(field).to_owned())
                        on:input=move |ev| edit(field, json!(event_target_value(&ev)))></textarea></label>
            }).collect_view()}
            <h3>"Next steps"</h3>
            {actions_editor(targets, move || check_in.with(|c| c.actions.clone()), locked, move |list| edit("actions", json!(list)))}
            {(is_manager).then(|| view! {
                <p><button class="primary" disabled=locked on:click=complete>"Complete check-in"</button></p>
                <p class="field-error" role="alert">{move || problem.get()}</p>
            })}
        </section>
    }
}
