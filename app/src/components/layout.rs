use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::use_location;

use crate::api::session::SignOut;
use crate::app::Auth;
use crate::error::AppError;
use crate::model::{Role, SessionUser};

/// The links a person sees, by role: (path, label, who).
const NAV: &[(&str, &str, Option<Role>)] = &[
    ("/", "Home", None),
    ("/team", "My team", Some(Role::Manager)),
    ("/people", "People", Some(Role::HrAdmin)),
    ("/units", "Units", Some(Role::HrAdmin)),
    ("/organisation", "Organisation", Some(Role::ChangeCommittee)),
    ("/profile", "My profile", None),
];

fn nav_for(user: &SessionUser) -> Vec<(&'static str, &'static str)> {
    NAV.iter()
        .filter(|(path, _, role)| match role {
            None => true,
            // HR administrators see the organisation view too.
            Some(Role::ChangeCommittee) if *path == "/organisation" => {
                user.has(Role::ChangeCommittee) || user.has(Role::HrAdmin)
            }
            Some(role) => user.has(*role),
        })
        .map(|(path, label, _)| (*path, *label))
        .collect()
}

#[component]
pub fn AppHeader() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let sign_out = ServerAction::<SignOut>::new();
    // A full page load after signing out: nothing of the session stays in memory or in history.
    Effect::new(move |_| {
        if let Some(Ok(())) = sign_out.value().get() {
            let _ = window().location().replace("/sign-in");
        }
    });
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
                                                if path == "/" { here == "/" } else { here.starts_with(path) }
                                            };
                                            view! {
                                                <A href=path attr:class=move || if current() { "current" } else { "" }>
                                                    {label}
                                                </A>
                                            }
                                        })
                                        .collect_view()}
                                </nav>
                                <div class="who">
                                    <span class="who-name" data-testid="signed-in-as">{user.name.clone()}</span>
                                    <button
                                        class="link-button"
                                        data-testid="sign-out"
                                        on:click=move |_| {
                                            sign_out.dispatch(SignOut {});
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

/// Shows its children to a signed-in person holding `role` (any person when `None`); sends
/// others to sign in, or tells them they lack access. Children find the `SessionUser` in context.
#[component]
pub fn Protected(#[prop(optional)] role: Option<Role>, children: ChildrenFn) -> impl IntoView {
    let auth = expect_context::<Auth>();
    view! {
        <Suspense fallback=Loading>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    match auth.user.await {
                        Ok(Some(user)) if role.is_none_or(|r| user.has(r)) => {
                            provide_context(user);
                            children().into_any()
                        }
                        Ok(Some(_)) => view! { <Problem error=AppError::Forbidden /> }.into_any(),
                        Ok(None) => view! { <Redirect path="/sign-in" /> }.into_any(),
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
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = axum::http::StatusCode::from_u16(error.status()) {
            response.set_status(status);
        }
    }
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

/// Renders a server call's result, or the problem it ran into.
pub fn show<T, V: IntoView + 'static>(result: Result<T, AppError>, view: impl FnOnce(T) -> V) -> AnyView {
    match result {
        Ok(value) => view(value).into_view().into_any(),
        Err(error) => view! { <Problem error /> }.into_any(),
    }
}
