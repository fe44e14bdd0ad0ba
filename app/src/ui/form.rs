use leptos::prelude::*;

use leptos::server_fn::ServerFn;

use crate::error::AppError;

/// The message for `field` from the last result of a form's action, if it names that field.
pub fn field_error<S>(action: ServerAction<S>, field: impl Into<String>) -> Signal<Option<String>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    let field = field.into();
    Signal::derive(move || {
        action.value().with(|r| r.as_ref().and_then(|r| r.as_ref().err()).and_then(|e| e.field_message(&field)))
    })
}

/// Moves `refresh` on whenever the action succeeds, so the page loads its data again.
pub fn reload_after<S>(action: ServerAction<S>, refresh: RwSignal<u32>)
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    Effect::new(move |_| {
        if action.value().with(|v| matches!(v, Some(Ok(_)))) {
            refresh.update(|n| *n += 1);
        }
    });
}

/// Moves the keyboard focus (and with it the view) to the element with this id once it is drawn:
/// after a step changes or a control fills a form elsewhere on the page.
pub fn focus_on(id: &'static str) {
    request_animation_frame(move || {
        if let Some(element) = document().get_element_by_id(id) {
            use leptos::wasm_bindgen::JsCast;
            if let Ok(element) = element.dyn_into::<leptos::web_sys::HtmlElement>() {
                let _ = element.focus();
            }
        }
    });
}

/// The error of the last result that is not about one field (shown above the form's buttons).
pub fn form_error<S>(action: ServerAction<S>) -> Signal<Option<String>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    Signal::derive(move || {
        action.value().with(|r| match r {
            Some(Err(AppError::Invalid(_))) | Some(Err(AppError::CsvRejected(_))) | None | Some(Ok(_)) => None,
            Some(Err(e)) => Some(e.to_string()),
        })
    })
}

/// The frame of every form control: its label, an optional hint, and its error right below it.
/// The control inside uses `field-{name}` as id and `field-{name}-error` for aria-describedby.
#[component]
fn Field(
    label: &'static str,
    name: &'static str,
    error: Signal<Option<String>>,
    hint: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=format!("field-{name}")>{label}</label>
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            {children()}
            <p class="field-error" id=format!("field-{name}-error") role="alert">
                {move || error.get()}
            </p>
        </div>
    }
}

#[component]
pub fn TextField(
    label: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into, optional)] error: Signal<Option<String>>,
    #[prop(optional)] kind: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    view! {
        <Field label name error hint>
            <input
                id=format!("field-{name}")
                name=name
                type=kind.unwrap_or("text")
                autocomplete=autocomplete
                bind:value=value
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=format!("field-{name}-error")
            />
        </Field>
    }
}

/// A drop-down of `(value, label)` options; the empty value stands for "none". The options are
/// plain data: load them before rendering the field (reading resources inside fields can stall
/// server rendering).
#[component]
pub fn SelectField(
    label: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    options: Vec<(String, String)>,
    #[prop(optional)] empty: Option<&'static str>,
    #[prop(into, optional)] error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <Field label name error hint=None>
            <select
                id=format!("field-{name}")
                name=name
                on:change=move |ev| value.set(event_target_value(&ev))
                prop:value=move || value.get()
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=format!("field-{name}-error")
            >
                {empty.map(|text| view! { <option value="">{text}</option> })}
                {options
                    .into_iter()
                    .map(|(v, text)| {
                        let selected = value.get_untracked() == v;
                        view! { <option value=v selected=selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </Field>
    }
}

/// The message under a form for errors that are not about one field.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || error.get().is_some()>
            <p class="form-error" role="alert" data-testid="form-error">
                {move || error.get()}
            </p>
        </Show>
    }
}

/// The question before an action that cannot be undone, shown while `asking` holds (the page asks
/// once its own checks pass): what will happen, then "Yes, …" (which takes the focus, so Enter
/// confirms) or "Cancel".
#[component]
pub fn Confirm(asking: RwSignal<bool>, #[prop(into)] consequence: String, #[prop(into)] yes: String, #[prop(into)] on_yes: Callback<()>) -> impl IntoView {
    let yes_button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if asking.get() {
            request_animation_frame(move || {
                if let Some(button) = yes_button.get_untracked() {
                    let _ = button.focus();
                }
            });
        }
    });
    view! {
        <Show when=move || asking.get()>
            <div class="confirm" role="group" aria-label="Confirm" data-testid="confirm">
                <p class="warning">{consequence.clone()}</p>
                <div class="buttons">
                    <button class="primary" node_ref=yes_button on:click=move |_| { asking.set(false); on_yes.run(()); }>{yes.clone()}</button>
                    <button on:click=move |_| asking.set(false)>"Cancel"</button>
                </div>
            </div>
        </Show>
    }
}

/// A set of checkboxes choosing several of `(value, label)` options, framed like a field.
#[component]
pub fn CheckboxGroup(
    label: &'static str,
    name: &'static str,
    value: RwSignal<Vec<String>>,
    options: Vec<(String, String)>,
    #[prop(into, optional)] error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <fieldset class="field checkbox-group" class:invalid=move || error.get().is_some() aria-describedby=format!("field-{name}-error")>
            <legend>{label}</legend>
            {options.into_iter().map(|(v, text)| {
                let id = v.clone();
                let checked = {
                    let id = id.clone();
                    move || value.with(|chosen| chosen.contains(&id))
                };
                let toggle = move |ev: leptos::ev::Event| {
                    let on = event_target_checked(&ev);
                    value.update(|chosen| {
                        chosen.retain(|c| *c != id);
                        if on {
                            chosen.push(id.clone());
                        }
                    });
                };
                view! { <label class="check"><input type="checkbox" name=name value=v prop:checked=checked on:change=toggle /> " " {text}</label> }
            }).collect_view()}
            <p class="field-error" id=format!("field-{name}-error") role="alert">{move || error.get()}</p>
        </fieldset>
    }
}
