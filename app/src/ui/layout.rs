use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::auth::api::current_user;
use crate::error::AppError;
use crate::auth::types::{Role, SessionUser};

/// Who is signed in, for the header. Signing in and out reload the page, so it is read once.
#[derive(Clone, Copy)]
pub struct Auth {
    pub user: Resource<Result<Option<SessionUser>, AppError>>,
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

/// The sign-in page's address that leads back to the page open now.
fn sign_in_leading_here() -> String {
    let location = leptos_router::hooks::use_location();
    let (path, search) = (location.pathname.get_untracked(), location.search.get_untracked());
    let search = search.trim_start_matches('?');
    let here = if search.is_empty() { path } else { format!("{path}?{search}") };
    crate::auth::policy::sign_in_leading_to(&here)
}

/// Sends someone signed out to sign in (and back here after) from a page that draws on the
/// device's copy rather than on a server call. Its own resource: boundaries sharing one can stall
/// server rendering. Offline the check fails and the page stays: the copy is the device's.
#[component]
pub fn SignInFirst() -> impl IntoView {
    let user = Resource::new(|| (), |_| current_user());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                matches!(user.await, Ok(None)).then(|| view! { <Redirect path=sign_in_leading_here() /> })
            })}
        </Transition>
    }
}

/// A full-page explanation of an error, with the matching HTTP status when rendered on the server.
#[component]
pub fn Problem(error: AppError) -> impl IntoView {
    if error == AppError::Unauthenticated {
        return view! { <Redirect path=sign_in_leading_here() /> }.into_any();
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
