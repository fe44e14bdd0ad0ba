//! CSV in the browser: choosing a file to import, listing an import's problems, downloading.

use leptos::prelude::*;

use crate::org::people_types::CsvRowError;

/// A file picker that reads the chosen CSV file's text into `text`.
#[component]
pub fn CsvFileInput(text: RwSignal<Option<String>>) -> impl IntoView {
    let read_error = RwSignal::new(None::<String>);
    let on_file = move |ev: leptos::ev::Event| {
        let _ = &ev;
        text.set(None);
        read_error.set(None);
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let input: web_sys::HtmlInputElement = ev.target().expect("input").unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                leptos::task::spawn_local(async move {
                    match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                        Ok(content) => text.set(content.as_string()),
                        Err(_) => read_error.set(Some("The file cannot be read. Save it as CSV (UTF-8) and try again.".into())),
                    }
                });
            }
        }
    };
    view! {
        <div class="field">
            <label for="csv-file">"CSV file"</label>
            <input id="csv-file" type="file" accept=".csv,text/csv" on:change=on_file data-testid="csv-file" />
            <p class="field-error" role="alert">{move || read_error.get()}</p>
        </div>
    }
}

/// Why an import wrote nothing, row by row.
#[component]
pub fn CsvProblems(errors: Vec<CsvRowError>) -> impl IntoView {
    view! {
        <section class="card problem-list" data-testid="import-errors" role="alert">
            <h2>"Nothing was imported"</h2>
            <p>"Fix these rows in the file and upload it again:"</p>
            <div class="table-wrap" tabindex="0">
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
    }
}

/// Saves text as a file in the browser.
#[allow(unused_variables)]
pub fn download(file_name: &str, text: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("text/csv;charset=utf-8");
        let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
        let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
        if let Ok(anchor) = document().create_element("a") {
            let anchor: web_sys::HtmlAnchorElement = anchor.unchecked_into();
            anchor.set_href(&url);
            anchor.set_download(file_name);
            anchor.click();
        }
        let _ = web_sys::Url::revoke_object_url(&url);
    }
}
