use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::org::ImportPeople;
use crate::components::layout::{loaded, signed_in};
use crate::error::AppError;
use crate::model::Role;

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
    let read_error = RwSignal::new(None::<String>);
    let on_file = move |ev: leptos::ev::Event| {
        let _ = &ev;
        file_text.set(None);
        read_error.set(None);
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let input: web_sys::HtmlInputElement = ev.target().expect("input").unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                leptos::task::spawn_local(async move {
                    match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                        Ok(text) => file_text.set(text.as_string()),
                        Err(_) => read_error.set(Some("The file cannot be read. Save it as CSV (UTF-8) and try again.".into())),
                    }
                });
            }
        }
    };
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
                <div class="field">
                    <label for="csv-file">"CSV file"</label>
                    <input id="csv-file" type="file" accept=".csv,text/csv" on:change=on_file data-testid="csv-file" />
                    <p class="field-error" role="alert">{move || read_error.get()}</p>
                </div>
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
            Err(AppError::CsvRejected(errors)) => view! {
                <section class="card problem-list" data-testid="import-errors" role="alert">
                    <h2>"Nothing was imported"</h2>
                    <p>"Fix these rows in the file and upload it again:"</p>
                    <div class="table-wrap">
                        <table>
                            <thead><tr><th>"Row"</th><th>"Column"</th><th>"Problem"</th></tr></thead>
                            <tbody>
                                {errors.into_iter().map(|e| view! {
                                    <tr><td class="num">{e.row}</td><td><code>{e.column}</code></td><td>{e.message}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </section>
            }.into_any(),
            Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
        })}
    }
}
