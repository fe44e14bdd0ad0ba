//! A person's development plan: items from the appraisal conversation, check-ins and added by
//! hand, each aimed at a KPI or competency, with its action, due date, status and the evidence
//! that closed it; and the gaps (KPIs below target, competencies rated below the role's level)
//! an item can address.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::development::api::{AddDevelopmentItem, UpdateDevelopmentItem, load_development_plan};
use crate::ui::form::{field_error, reload_after};
use crate::ui::layout::{loaded, person_page_data};
use crate::development::types::{DevelopmentItem, DevelopmentItemInput, DevelopmentPlanView, ITEM_SOURCES, ITEM_STATUSES};
use crate::appraisal::types::ACTION_KINDS;

fn label(table: &[(&'static str, &'static str)], key: &str) -> &'static str {
    table.iter().find(|(k, _)| *k == key).map_or("", |(_, l)| *l)
}

#[component]
pub fn DevelopmentPage() -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let data = person_page_data(refresh, load_development_plan);
    view! {
        <Title text="Development plan" />
        {loaded(data, move |v: DevelopmentPlanView| view! { <Plan view=v refresh /> })}
    }
}

#[component]
fn Plan(view: DevelopmentPlanView, refresh: RwSignal<u32>) -> impl IntoView {
    let person = view.person.id.clone();
    let add = ServerAction::<AddDevelopmentItem>::new();
    let update = ServerAction::<UpdateDevelopmentItem>::new();
    reload_after(add, refresh);
    reload_after(update, refresh);
    let title = RwSignal::new(String::new());
    let kind = RwSignal::new("training".to_owned());
    let target = RwSignal::new(view.gaps.first().map(|g| g.target.clone()).unwrap_or_default());
    let due = RwSignal::new(String::new());
    let submit = {
        let person = person.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            add.dispatch(AddDevelopmentItem {
                person_id: person.clone(),
                input: DevelopmentItemInput { title: title.get_untracked(), kind: kind.get_untracked(), target: target.get_untracked(), due_on: due.get_untracked() },
            });
        }
    };
    let done = view.items.iter().filter(|i| i.status == "done").count();
    let total = view.items.len();
    view! {
        <h1>"Development plan: " {view.person.name.clone()}</h1>
        <p class="muted" data-testid="development-progress">{format!("{done} of {total} done")}</p>
        <section class="card">
            <h2>"Gaps to work on"</h2>
            {if view.gaps.is_empty() {
                view! { <p class="muted">"No KPI below target and no competency rated below the role's level this cycle."</p> }.into_any()
            } else {
                view! { <ul data-testid="gaps">{view.gaps.iter().map(|g| view! { <li><strong>{g.label.clone()}</strong> ": " {g.detail.clone()}</li> }).collect_view()}</ul> }.into_any()
            }}
        </section>
        <section class="card">
            <h2>"Actions"</h2>
            <div class="table-wrap" tabindex="0"><table data-testid="development-items">
                <thead><tr><th>"Action"</th><th>"Kind"</th><th>"For"</th><th>"From"</th><th>"Due"</th><th>"Status"</th></tr></thead>
                <tbody>{view.items.into_iter().map(|item| view! { <ItemRow item person=person.clone() update /> }).collect_view()}</tbody>
            </table></div>
            <p class="field-error" role="alert">{move || field_error(update, "evidence").get().or(field_error(update, "status").get())}</p>
        </section>
        {view.may_edit.then(|| view! {
            <section class="card">
                <h2>"Add an action"</h2>
                <form class="inline-form" on:submit=submit>
                    <label>"Action" <input type="text" bind:value=title /></label>
                    <label>"Kind" <select prop:value=kind on:change=move |ev| kind.set(event_target_value(&ev))>
                        {ACTION_KINDS.iter().map(|(k, l)| view! { <option value=*k>{*l}</option> }).collect_view()}
                    </select></label>
                    <label>"For" <select prop:value=target on:change=move |ev| target.set(event_target_value(&ev))>
                        <option value="">"(pick a KPI or competency)"</option>
                        {view.targets.into_iter().map(|(t, l)| view! { <option value=t>{l}</option> }).collect_view()}
                    </select></label>
                    <label>"Due" <input type="date" bind:value=due /></label>
                    <button type="submit">"Add"</button>
                </form>
                <p class="field-error" role="alert">{move || ["title", "kind", "target", "due_on"].iter().find_map(|f| field_error(add, *f).get())}</p>
            </section>
        })}
    }
}

#[component]
fn ItemRow(item: DevelopmentItem, person: String, update: ServerAction<UpdateDevelopmentItem>) -> impl IntoView {
    let status = RwSignal::new(item.status.clone());
    let evidence = RwSignal::new(item.evidence.clone());
    let closed = item.status == "done";
    let id = item.id.clone();
    let save = move |_| {
        update.dispatch(UpdateDevelopmentItem { person_id: person.clone(), item_id: id.clone(), status: status.get_untracked(), evidence: evidence.get_untracked() });
    };
    view! {
        <tr>
            <td>{item.title.clone()}</td>
            <td>{label(&ACTION_KINDS, &item.kind)}</td>
            <td>{item.target_label.clone()}</td>
            <td>{label(&ITEM_SOURCES, &item.source)}</td>
            <td>{item.due_on.clone()}</td>
            <td>{if closed {
                view! { <span>{format!("Done {} · {}", item.completed_on.clone().unwrap_or_default(), item.evidence.clone())}</span> }.into_any()
            } else {
                view! {
                    <div class="inline-form">
                        <select aria-label="Status" prop:value=status on:change=move |ev| status.set(event_target_value(&ev))>
                            {ITEM_STATUSES.iter().map(|(k, l)| view! { <option value=*k>{*l}</option> }).collect_view()}
                        </select>
                        <input type="text" aria-label="Evidence of completion" placeholder="Evidence (needed to close)" bind:value=evidence />
                        <button on:click=save>"Update"</button>
                    </div>
                }.into_any()
            }}</td>
        </tr>
    }
}
