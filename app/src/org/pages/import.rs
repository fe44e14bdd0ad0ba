use leptos::prelude::*;
use leptos_meta::Title;

use crate::org::api::ImportPeople;
use crate::ui::csv::{CsvFileInput, CsvProblems};
use crate::ui::layout::{loaded, signed_in};
use crate::error::AppError;
use crate::auth::types::Role;

#[component]
pub fn ImportPage() -> impl IntoView {
    let hr = Resource::new(|| (), |_| signed_in(Some(Role::HrAdmin)));
    view! {
        <Title text="Import people" />
        {loaded(hr, |_| view! { <Import /> })}
    }
}

#[component]
fn Import() -> impl IntoView {
    let action = ServerAction::<ImportPeople>::new();
    let file_text = RwSignal::new(None::<String>);
    view! {
        <h1>"Import people"</h1>
        <section class="card">
            <p>"Upload a CSV file with one person per line and these columns:"</p>
            <p><code>"email,name,job_title,unit_code,manager_email,roles,active"</code></p>
            <ul class="muted">
                <li>"People are matched by email: new emails are added, known ones updated."</li>
                <li>"unit_code is a unit's code (see Units); manager_email may be someone in the file or already here."</li>
                <li>"roles: hr_admin and/or change_committee, separated by ';'. active: yes or no (empty means yes)."</li>
                <li>"The whole file is checked first; if any row has a problem, nothing is imported."</li>
            </ul>
            <form on:submit=move |ev| {
                ev.prevent_default();
                if let Some(csv) = file_text.get() {
                    action.dispatch(ImportPeople { csv });
                }
            }>
                <CsvFileInput text=file_text />
                <button type="submit" class="primary" disabled=move || file_text.get().is_none() || action.pending().get()>
                    {move || if action.pending().get() { "Importing…" } else { "Import" }}
                </button>
            </form>
        </section>
        {move || action.value().get().map(|result| match result {
            Ok(summary) => view! {
                <section class="card success" data-testid="import-done" role="status">
                    <p>"Imported: " {summary.created} " added, " {summary.updated} " updated."</p>
                    <a href="/people">"See the people list"</a>
                </section>
            }.into_any(),
            Err(AppError::CsvRejected(errors)) => view! { <CsvProblems errors /> }.into_any(),
            Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
        })}
    }
}
