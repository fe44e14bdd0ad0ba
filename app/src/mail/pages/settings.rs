//! What a person receives by email, chosen by them.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::mail::api::{SaveMailSettings, my_mail_settings};
use crate::mail::types::{MailChoices, MailKind};
use crate::ui::form::{FormError, form_error};
use crate::ui::layout::loaded;

#[component]
pub fn EmailSettingsPage() -> impl IntoView {
    let choices = Resource::new(|| (), |_| my_mail_settings());
    view! {
        <Title text="Email" />
        <h1>"Email"</h1>
        {loaded(choices, |c: MailChoices| view! { <EmailForm choices=c /> })}
    }
}

#[component]
fn EmailForm(choices: MailChoices) -> impl IntoView {
    let save = ServerAction::<SaveMailSettings>::new();
    let chosen = RwSignal::new(choices.settings);
    let saved = move || matches!(save.value().get(), Some(Ok(_)));
    let option = move |kind: MailKind, title: &'static str, what: &'static str| {
        let id = format!("mail-{}", kind.as_str());
        view! {
            <label class="check">
                <input type="checkbox" id=id prop:checked=move || chosen.get().wants(kind)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        chosen.update(|s| *s = s.set(kind, on));
                    } />
                " " <strong>{title}</strong> <span class="muted">" — " {what}</span>
            </label>
        }
    };
    view! {
        <section class="card">
            {(!choices.sending).then(|| view! {
                <p class="notice" data-testid="mail-off">
                    "This server sends no email yet: an administrator starts it with an SMTP server (--smtp-url). Your choices are kept for when it does."
                </p>
            })}
            <p>"Mail goes to " <strong>{choices.email}</strong> ". Every mail links to the page to act on, and has a link to stop that kind of mail."</p>
            <form novalidate on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(SaveMailSettings { settings: chosen.get_untracked() });
            }>
                <fieldset class="field checkbox-group">
                    <legend>"Send me"</legend>
                    {option(MailKind::Event, "When something needs me", "a plan sent to me, feedback asked of me, an appraisal to sign")}
                    {option(MailKind::Reminder, "Reminders", "three days before a task is due, on the day, and once it is missed (at most one mail a day)")}
                    {option(MailKind::Digest, "A weekly digest", "on Mondays: how I am doing and what is due")}
                </fieldset>
                <FormError error=form_error(save) />
                <Show when=saved>
                    <p class="success" role="status">"Saved."</p>
                </Show>
                <button type="submit" class="primary" disabled=move || save.pending().get()>"Save"</button>
            </form>
        </section>
    }
}
