//! The page an unsubscribe link opens, without signing in: it says what stops and for whom, and
//! stops it when the person confirms (mail scanners open links; they do not press buttons).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::mail::api::{Unsubscribe as StopMail, read_unsubscribe};
use crate::mail::types::UnsubscribeLink;
use crate::ui::form::{FormError, form_error};
use crate::error::AppError;
use crate::ui::layout::{Loading, Problem};

#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let link = Resource::new(token, read_unsubscribe);
    view! {
        <Title text="Stop email" />
        <h1>"Stop email"</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match link.await {
                    Ok(u) => view! { <Confirm link=u token=token() /> }.into_any(),
                    // A link cut short or changed: say so, and where to choose instead.
                    Err(AppError::Invalid(problems)) => view! {
                        <section class="card" data-testid="link-refused">
                            {problems.into_iter().map(|p| view! { <p role="alert">{p.message}</p> }).collect_view()}
                            <p><a href="/settings/email">"Choose what you receive"</a></p>
                        </section>
                    }.into_any(),
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Confirm(link: UnsubscribeLink, token: String) -> impl IntoView {
    let stop = ServerAction::<StopMail>::new();
    let (what, already) = (link.kind.label(), link.stopped);
    let ask = format!("Stop {what} to {}?", link.email_hint);
    let done = format!("Done: no more {what} to {}.", link.email_hint);
    let stopped = move || already || matches!(stop.value().get(), Some(Ok(_)));
    view! {
        <section class="card">
            <Show when=stopped fallback=move || {
                let token = token.clone();
                view! {
                    <p>{ask.clone()}</p>
                    <FormError error=form_error(stop) />
                    <button class="primary" disabled=move || stop.pending().get()
                        on:click=move |_| { stop.dispatch(StopMail { token: token.clone() }); }>"Stop these mails"</button>
                }
            }>
                <p class="success" role="status" data-testid="unsubscribed">{done.clone()}</p>
            </Show>
            <p class="muted">"You can choose again at any time: sign in and open " <a href="/settings/email">"Email"</a> " on your profile."</p>
        </section>
    }
}
