use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};
use serde::{Deserialize, Serialize};

use crate::org::api::{IssueTemporaryPassword, SavePerson, get_person, list_people, list_units};
use crate::ui::form::{FormError, SelectField, TextField, field_error, form_error};
use crate::ui::layout::{loaded, signed_in};
use crate::error::AppError;
use crate::org::types::unit_choices;
use crate::org::people_types::{Person, PersonInput};
use crate::auth::types::Role;

#[component]
pub fn PersonPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        |id| async move {
            let user = signed_in(None).await?;
            let person = get_person(id).await?;
            // Only HR edits people; others see the record.
            let editor = if user.has(Role::HrAdmin) { Some(editor_choices(Some(&person.id)).await?) } else { None };
            Ok((person, editor))
        },
    );
    view! {
        {loaded(data, |(p, editor): (Person, Option<EditorChoices>)| view! {
            <Title text=p.name.clone() />
            <h1>{p.name.clone()}</h1>
            <section class="card"><PersonFacts person=p.clone() /></section>
            {editor.map(|choices| view! {
                <TemporaryPassword person=p.clone() />
                <PersonForm initial=PersonInput::from(&p) choices />
            })}
        })}
    }
}

#[component]
pub fn NewPersonPage() -> impl IntoView {
    let choices = Resource::new(|| (), |_| async {
        signed_in(Some(Role::HrAdmin)).await?;
        editor_choices(None).await
    });
    view! {
        <Title text="Add person" />
        <h1>"Add person"</h1>
        {loaded(choices, |choices| view! { <PersonForm initial=PersonInput::default() choices /> })}
    }
}

/// What the person form's pickers offer.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EditorChoices {
    units: Vec<(String, String)>,
    managers: Vec<(String, String)>,
}

/// Units, and the active people who could be the manager of `person` (not themselves).
async fn editor_choices(person: Option<&str>) -> Result<EditorChoices, AppError> {
    let units = list_units().await?;
    let people = list_people(false).await?;
    Ok(EditorChoices {
        units: unit_choices(&units, None),
        managers: people
            .into_iter()
            .filter(|p| Some(p.id.as_str()) != person)
            .map(|p| (p.id, format!("{} · {}", p.name, p.job_title)))
            .collect(),
    })
}

#[component]
pub fn PersonFacts(person: Person) -> impl IntoView {
    let roles = if person.roles.is_empty() {
        "—".to_owned()
    } else {
        person.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join(", ")
    };
    view! {
        <dl class="facts" data-testid="person-facts">
            <dt>"Email"</dt><dd>{person.email}</dd>
            <dt>"Job title"</dt><dd>{person.job_title}</dd>
            <dt>"Unit"</dt><dd>{person.unit_name}</dd>
            <dt>"Manager"</dt><dd>{person.manager_name.unwrap_or_else(|| "—".into())}</dd>
            <dt>"Granted roles"</dt><dd>{roles}</dd>
            <dt>"Status"</dt><dd>{if person.active { "Active" } else { "Inactive (history kept)" }}</dd>
        </dl>
    }
}

#[component]
fn TemporaryPassword(person: Person) -> impl IntoView {
    let action = ServerAction::<IssueTemporaryPassword>::new();
    let id = person.id.clone();
    view! {
        <section class="card">
            <h2>"Sign-in"</h2>
            <p class="muted">
                {if person.can_sign_in { "This person can sign in." } else { "This person has no password yet." }}
                " A temporary password replaces any current one; hand it over in person and ask them to change it on their profile."
            </p>
            {move || match action.value().get() {
                Some(Ok(password)) => view! {
                    <p class="success" role="status">"Temporary password: " <code data-testid="temporary-password">{password}</code></p>
                }.into_any(),
                Some(Err(e)) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                None => ().into_any(),
            }}
            <button class="button" on:click=move |_| { action.dispatch(IssueTemporaryPassword { id: id.clone() }); }>
                "Issue temporary password"
            </button>
        </section>
    }
}

#[component]
fn PersonForm(initial: PersonInput, choices: EditorChoices) -> impl IntoView {
    let action = ServerAction::<SavePerson>::new();
    let id = initial.id.clone();
    let email = RwSignal::new(initial.email);
    let name = RwSignal::new(initial.name);
    let job_title = RwSignal::new(initial.job_title);
    let unit_id = RwSignal::new(initial.unit_id);
    let manager_id = RwSignal::new(initial.manager_id.unwrap_or_default());
    let hr_admin = RwSignal::new(initial.roles.contains(&Role::HrAdmin));
    let committee = RwSignal::new(initial.roles.contains(&Role::ChangeCommittee));
    let active = RwSignal::new(initial.active);
    let is_new = id.is_none();

    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(saved)) = action.value().get() {
            if is_new {
                navigate(&format!("/people/{}", saved.id), Default::default());
            }
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut roles = Vec::new();
        if hr_admin.get() { roles.push(Role::HrAdmin); }
        if committee.get() { roles.push(Role::ChangeCommittee); }
        let manager = manager_id.get();
        action.dispatch(SavePerson {
            input: PersonInput {
                id: id.clone(),
                email: email.get(),
                name: name.get(),
                job_title: job_title.get(),
                unit_id: unit_id.get(),
                manager_id: (!manager.is_empty()).then_some(manager),
                roles,
                active: active.get(),
            },
        });
    };
    let err = move |field| field_error(action, field);
    view! {
        <section class="card">
            <h2>{if is_new { "Details" } else { "Edit" }}</h2>
            <form on:submit=submit data-testid="person-form" novalidate>
                <TextField label="Name" name="name" value=name error=err("name") autocomplete="off" />
                <TextField label="Work email" name="email" kind="email" value=email error=err("email") autocomplete="off" />
                <TextField label="Job title" name="job_title" value=job_title error=err("job_title") />
                <SelectField label="Unit" name="unit_id" value=unit_id options=choices.units empty="Choose a unit" error=err("unit_id") />
                <SelectField label="Manager" name="manager_id" value=manager_id options=choices.managers empty="No manager" error=err("manager_id") />
                <fieldset class="field">
                    <legend>"Granted roles"</legend>
                    <label class="check"><input type="checkbox" bind:checked=hr_admin /> " HR administrator"</label>
                    <label class="check"><input type="checkbox" bind:checked=committee /> " Change committee member"</label>
                    <p class="hint">"Everyone is an employee; managers are those with reports."</p>
                </fieldset>
                <div class="field" class:invalid=move || err("active").get().is_some()>
                    <label class="check"><input type="checkbox" name="active" bind:checked=active /> " Active"</label>
                    <p class="hint">"An inactive person cannot sign in; their history is kept."</p>
                    <p class="field-error" role="alert">{move || err("active").get()}</p>
                </div>
                <FormError error=form_error(action) />
                <Show when=move || !is_new && matches!(action.value().get(), Some(Ok(_)))>
                    <p class="success" role="status">"Saved."</p>
                </Show>
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    {if is_new { "Add person" } else { "Save changes" }}
                </button>
            </form>
        </section>
    }
}
