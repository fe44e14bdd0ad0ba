use leptos::prelude::*;
use leptos_meta::Title;

use crate::development::api::load_person_recognition;
use crate::org::api::get_person;
use crate::auth::api::ChangePassword;
use crate::ui::form::{FormError, TextField, field_error, form_error};
use crate::ui::layout::{loaded, signed_in};
use crate::org::people_types::Person;
use crate::development::types::Recognition;
use crate::org::pages::person::PersonFacts;
use crate::development::pages::recognition::RecognitionList;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let me = Resource::new(|| (), |_| async {
        let id = signed_in(None).await?.id;
        Ok((get_person(id.clone()).await?, load_person_recognition(id).await?))
    });
    view! {
        <Title text="My profile" />
        <h1>"My profile"</h1>
        {loaded(me, |(p, recognition): (Person, Recognition)| view! {
            <section class="card"><PersonFacts person=p /></section>
            <section class="card">
                <h2>"Recognition"</h2>
                <RecognitionList people=vec![recognition] />
            </section>
            <section class="card">
                <h2>"Email"</h2>
                <p><a href="/settings/email">"Choose what you receive by email →"</a></p>
            </section>
            <ChangePasswordForm />
        })}
    }
}

#[component]
fn ChangePasswordForm() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let done = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <section class="card">
            <h2>"Change password"</h2>
            <form novalidate on:submit=move |ev| {
                ev.prevent_default();
                action.dispatch(ChangePassword { current_password: current.get(), new_password: new.get() });
            }>
                <TextField label="Current password" name="current_password" kind="password" autocomplete="current-password"
                    value=current error=field_error(action, "current_password") />
                <TextField label="New password" name="new_password" kind="password" autocomplete="new-password"
                    hint="At least 10 characters." value=new error=field_error(action, "new_password") />
                <FormError error=form_error(action) />
                <Show when=done>
                    <p class="success" role="status">"Your password is changed."</p>
                </Show>
                <button type="submit" class="primary" disabled=move || action.pending().get()>"Change password"</button>
            </form>
        </section>
    }
}
