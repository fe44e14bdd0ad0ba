//! The header every signed-in page shows: the navigation by role, the sync status and signing out.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::auth::api::SignOut;
use crate::auth::types::{Role, SessionUser};
use crate::ui::layout::Auth;

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
