use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use crate::auth::api::{SignIn, current_user};
use crate::auth::policy::page_after_sign_in;
use crate::ui::form::form_error;

#[component]
pub fn SignInPage() -> impl IntoView {
    // Its own resource, not the header's: boundaries sharing a resource can stall server rendering.
    let signed_in = Resource::new(|| (), |_| current_user());
    let sign_in = ServerAction::<SignIn>::new();
    let error = form_error(sign_in);
    // Back to the page that sent the person here (a link from a mail or a bookmark), else home.
    let query = use_query_map();
    let next = move || page_after_sign_in(query.read_untracked().get("next").as_deref());
    // A full page load after signing in, so every page starts from the new session.
    Effect::new(move |_| {
        if let Some(Ok(_)) = sign_in.value().get() {
            let _ = window().location().assign(&next());
        }
    });
    view! {
        <Title text="Sign in" />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                matches!(signed_in.await, Ok(Some(_))).then(|| view! { <Redirect path=next() /> })
            })}
        </Transition>
        <section class="sign-in card">
            <h1>"Sign in"</h1>
            <p class="muted">"See how your work connects to the organisation's goals."</p>
            <ActionForm action=sign_in attr:data-testid="sign-in-form">
                <div class="field">
                    <label for="email">"Work email"</label>
                    <input id="email" name="email" type="email" autocomplete="username" required />
                </div>
                <div class="field">
                    <label for="password">"Password"</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required />
                </div>
                <Show when=move || error.get().is_some()>
                    <p class="form-error" role="alert" data-testid="sign-in-error">
                        {move || error.get()}
                    </p>
                </Show>
                <button type="submit" class="primary" disabled=move || sign_in.pending().get()>
                    {move || if sign_in.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </ActionForm>
        </section>
    }
}

