use leptos::prelude::*;
use leptos_meta::Title;

use crate::org::api::{export_people, list_people};
use crate::ui::csv::download;
use crate::ui::layout::loaded;
use crate::org::people_types::Person;

#[component]
pub fn PeoplePage() -> impl IntoView {
    let include_inactive = RwSignal::new(false);
    let filter = RwSignal::new(String::new());
    let people = Resource::new(move || include_inactive.get(), list_people);
    let export_error = RwSignal::new(None::<String>);
    let export = move |_| {
        leptos::task::spawn_local(async move {
            match export_people().await {
                Ok(csv) => download("people.csv", &csv),
                Err(e) => export_error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <Title text="People" />
        <div class="page-head">
            <h1>"People"</h1>
            <div class="buttons">
                <a class="button primary" href="/people/new">"Add person"</a>
                <a class="button" href="/people/import">"Import CSV"</a>
                <button class="button" on:click=export data-testid="export">"Export CSV"</button>
            </div>
        </div>
        {move || export_error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        <div class="filters">
            <input type="search" placeholder="Filter by name, email, title or unit" aria-label="Filter people" bind:value=filter />
            <label class="check">
                <input type="checkbox" bind:checked=include_inactive />
                " Show inactive"
            </label>
        </div>
        {loaded(people, move |people| view! { <PeopleTable people filter /> })}
    }
}

#[component]
fn PeopleTable(people: Vec<Person>, filter: RwSignal<String>) -> impl IntoView {
    let total = people.len();
    let rows = move || {
        let needle = filter.get().to_lowercase();
        people
            .iter()
            .filter(|p| {
                needle.is_empty()
                    || [&p.name, &p.email, &p.job_title, &p.unit_name].iter().any(|f| f.to_lowercase().contains(&needle))
            })
            .cloned()
            .map(|p| view! {
                <tr class:inactive=!p.active>
                    <td><a href=format!("/people/{}", p.id)>{p.name}</a></td>
                    <td class="hide-narrow">{p.email}</td>
                    <td>{p.job_title}</td>
                    <td>{p.unit_name}</td>
                    <td class="hide-narrow">{p.manager_name}</td>
                    <td>{if p.active { "Active" } else { "Inactive" }}</td>
                </tr>
            })
            .collect_view()
    };
    view! {
        <p class="muted">{total} " people"</p>
        <div class="table-wrap" tabindex="0">
            <table data-testid="people">
                <thead>
                    <tr>
                        <th>"Name"</th><th class="hide-narrow">"Email"</th><th>"Job title"</th><th>"Unit"</th>
                        <th class="hide-narrow">"Manager"</th><th>"Status"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
