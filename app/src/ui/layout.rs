use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::use_location;

use crate::auth::api::{SignOut, current_user};
use crate::app::Auth;
use crate::error::AppError;
use crate::auth::types::{Role, SessionUser};

/// The links of the main navigation and who sees each.
const NAV: &[(&str, &str, fn(&SessionUser) -> bool)] = &[
    ("/", "Home", |_| true),
    ("/plans/me", "My plan", |_| true),
    ("/scorecards/me", "My scorecard", |_| true),
    ("/results", "Record results", |_| true),
    ("/self-assessment", "Self-assessment", |_| true),
    ("/feedback", "Feedback", |_| true),
    ("/appraisals", "Appraisals", |_| true),
    ("/check-ins", "Check-ins", |_| true),
    ("/development/me", "Development", |_| true),
    ("/training", "Training", |_| true),
    ("/recognition", "Recognition", |_| true),
    ("/merit", "Merit", |u| u.has(Role::Manager) || u.has(Role::HrAdmin)),
    ("/rewards", "Reward policy", |u| u.has(Role::HrAdmin)),
    ("/goals", "Goals", |_| true),
    ("/team", "My team", |u| u.has(Role::Manager)),
    ("/scorecards", "Scorecards", |u| u.has(Role::HrAdmin)),
    ("/cycles", "Cycles", |u| u.has(Role::HrAdmin)),
    ("/library", "KPI library", |u| u.has(Role::HrAdmin)),
    ("/integrations", "Integrations", |u| u.has(Role::HrAdmin)),
    ("/competencies", "Competencies", |_| true),
    ("/people", "People", |u| u.has(Role::HrAdmin)),
    ("/units", "Units", |u| u.has(Role::HrAdmin)),
    ("/organisation", "Organisation", |u| u.has(Role::ChangeCommittee) || u.has(Role::HrAdmin)),
    ("/change", "Change programme", |u| u.has(Role::ChangeCommittee)),
    ("/pulse", "Pulse surveys", |_| true),
    ("/profile", "My profile", |_| true),
];

fn nav_for(user: &SessionUser) -> Vec<(&'static str, &'static str)> {
    NAV.iter().filter(|(_, _, shown)| shown(user)).map(|(path, label, _)| (*path, *label)).collect()
}

#[component]
pub fn AppHeader() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let sign_out = ServerAction::<SignOut>::new();
    // A full page load after signing out: nothing of the session stays in memory or in history.
    Effect::new(move |_| {
        if let Some(Ok(())) = sign_out.value().get() {
            leptos::task::spawn_local(async {
                crate::offline::client::wipe_for_sign_out().await;
                let _ = window().location().replace("/sign-in");
            });
        }
    });
    let offline = expect_context::<crate::offline::client::Offline>();
    // Queued changes leave the device with the person: say so before they are lost.
    let confirm_sign_out = move || {
        let waiting = offline.replica.with_untracked(|r| r.pending());
        waiting == 0
            || window()
                .confirm_with_message(&format!(
                    "{waiting} change(s) on this device have not reached the server yet. Sign out anyway and lose them?"
                ))
                .unwrap_or(false)
    };
    let location = use_location();
    view! {
        <header class="app-header">
            <a class="brand" href="/">
                <img src="/favicon.svg" alt="" width="28" height="28" />
                <span>"Line of Sight"</span>
            </a>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match auth.user.await {
                        Ok(Some(user)) => {
                            let links = nav_for(&user);
                            view! {
                                <nav class="app-nav" aria-label="Main">
                                    {links
                                        .into_iter()
                                        .map(|(path, label)| {
                                            let current = move || {
                                                let here = location.pathname.get();
                                                // "/scorecards" is HR's list; "/scorecards/me" is one's own.
                                                if path == "/" || path == "/scorecards" || path == "/feedback" { here == path } else { here.starts_with(path) }
                                            };
                                            view! {
                                                <A href=path attr:class=move || if current() { "current" } else { "" }>
                                                    {label}
                                                </A>
                                            }
                                        })
                                        .collect_view()}
                                </nav>
                                <crate::offline::pages::status::SyncStatusLine />
                                <div class="who">
                                    <span class="who-name" data-testid="signed-in-as">{user.name.clone()}</span>
                                    <button
                                        class="link-button"
                                        data-testid="sign-out"
                                        on:click=move |_| {
                                            if confirm_sign_out() {
                                                sign_out.dispatch(SignOut {});
                                            }
                                        }
                                    >
                                        "Sign out"
                                    </button>
                                </div>
                            }
                                .into_any()
                        }
                        _ => ().into_any(),
                    }
                })}
            </Transition>
        </header>
    }
}

/// The signed-in person, or the error a page shows instead (sign in, or no access). The server
/// checks every call again; this only decides what a page offers.
pub async fn signed_in(role: Option<Role>) -> Result<SessionUser, AppError> {
    match current_user().await? {
        None => Err(AppError::Unauthenticated),
        Some(user) if role.is_some_and(|r| !user.has(r)) => Err(AppError::Forbidden),
        Some(user) => Ok(user),
    }
}

/// The data of a page about one person (`…/:id`, where `me` is the signed-in person), loaded
/// again whenever `refresh` moves on.
pub fn person_page_data<T, Fut>(
    refresh: RwSignal<u32>,
    load: impl Fn(String) -> Fut + Copy + Send + Sync + 'static,
) -> Resource<Result<T, AppError>>
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    Fut: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
{
    let params = leptos_router::hooks::use_params_map();
    Resource::new(
        move || (params.read().get("id").unwrap_or_default(), refresh.get()),
        move |(id, _)| async move {
            let user = signed_in(None).await?;
            load(if id == "me" { user.id } else { id }).await
        },
    )
}

/// A page's data once loaded, or the problem it ran into. Each page loads everything it needs in
/// one resource created outside this boundary: Leptos 0.8's server rendering can stall when
/// resources are created inside, or shared between, nested Suspense boundaries.
pub fn loaded<T, V>(
    resource: Resource<Result<T, AppError>>,
    view: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=Loading>
            {move || {
                let view = view.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(value) => view(value).into_view().into_any(),
                        Err(error) => view! { <Problem error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" aria-live="polite">"Loading…"</p> }
}

/// A full-page explanation of an error, with the matching HTTP status when rendered on the server.
#[component]
pub fn Problem(error: AppError) -> impl IntoView {
    if error == AppError::Unauthenticated {
        return view! { <Redirect path="/sign-in" /> }.into_any();
    }
    #[cfg(feature = "ssr")]
    crate::error::set_status(&error);
    let (title, advice) = match &error {
        AppError::Forbidden => ("No access", "This page is for other roles. If you need it, ask your HR administrator."),
        AppError::NotFound(_) => ("Not found", "It may have been moved or removed. Check the address or go back home."),
        AppError::Transport(_) => ("Cannot reach Line of Sight", "Check your connection and try again."),
        _ => ("Something went wrong", "Please try again. If it keeps happening, tell your HR administrator."),
    };
    view! {
        <Title text=title />
        <section class="problem" data-testid="problem">
            <h1>{title}</h1>
            <p>{error.to_string()}</p>
            <p class="muted">{advice}</p>
            <p>
                <a href="/">"Go to your home page"</a>
            </p>
        </section>
    }
    .into_any()
}

#[component]
pub fn NotFound() -> impl IntoView {
    view! { <Problem error=AppError::NotFound("This page".into()) /> }
}
