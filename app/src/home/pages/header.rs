//! The header every signed-in page shows: the navigation by role, the sync status and signing out.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::auth::api::SignOut;
use crate::auth::types::{Role, SessionUser};
use crate::home::api::my_places;
use crate::home::types::Places;
use crate::ui::layout::Auth;

/// The navigation's groups, in the order of the performance cycle.
const GROUPS: &[&str] = &["Plan", "Monitor", "Develop", "Appraise", "Reward", "Change", "Admin"];

/// Who sees a place: by role, and only while the place exists for them.
type Shown = fn(&SessionUser, &Places) -> bool;

/// The places of the main navigation: path, label, group ("" for the top), who sees it.
const NAV: &[(&str, &str, &str, Shown)] = &[
    ("/", "Home", "", |_, _| true),
    ("/plans/me", "My plan", "Plan", |_, _| true),
    ("/goals", "Goals", "Plan", |_, _| true),
    ("/competencies", "Competencies", "Plan", |_, _| true),
    ("/scorecards/me", "My scorecard", "Monitor", |_, p| p.has_plan),
    ("/results", "Record results", "Monitor", |_, _| true),
    ("/check-ins", "Check-ins", "Monitor", |_, _| true),
    ("/team", "My team", "Monitor", |u, _| u.has(Role::Manager)),
    ("/scorecards", "Scorecards", "Monitor", |u, _| u.has(Role::HrAdmin)),
    ("/feedback", "Feedback", "Develop", |_, _| true),
    ("/development/me", "Development", "Develop", |_, _| true),
    ("/training", "Training", "Develop", |_, _| true),
    ("/recognition", "Recognition", "Develop", |_, _| true),
    ("/self-assessment", "Self-assessment", "Appraise", |_, _| true),
    ("/appraisals", "Appraisals", "Appraise", |_, _| true),
    ("/merit", "Merit", "Reward", |u, p| p.merit_open && (u.has(Role::Manager) || u.has(Role::HrAdmin))),
    ("/rewards", "Reward policy", "Reward", |u, _| u.has(Role::HrAdmin)),
    ("/change", "Change programme", "Change", |u, _| u.has(Role::ChangeCommittee)),
    ("/organisation", "Organisation", "Change", |u, _| u.has(Role::ChangeCommittee) || u.has(Role::HrAdmin)),
    ("/pulse", "Pulse surveys", "Change", |_, _| true),
    ("/people", "People", "Admin", |u, _| u.has(Role::HrAdmin)),
    ("/units", "Units", "Admin", |u, _| u.has(Role::HrAdmin)),
    ("/cycles", "Cycles", "Admin", |u, _| u.has(Role::HrAdmin)),
    ("/library", "KPI library", "Admin", |u, _| u.has(Role::HrAdmin)),
    ("/integrations", "Integrations", "Admin", |u, _| u.has(Role::HrAdmin)),
    ("/profile", "My profile", "Admin", |_, _| true),
];

/// The few places a phone's bottom bar holds, by the person's main role (the rest are under
/// "More"): what that role opens most.
fn bar_for(user: &SessionUser) -> &'static [&'static str] {
    if user.has(Role::HrAdmin) {
        &["/", "/people", "/cycles", "/scorecards"]
    } else if user.has(Role::ChangeCommittee) {
        &["/", "/change", "/organisation", "/pulse"]
    } else if user.has(Role::Manager) {
        &["/", "/team", "/appraisals", "/feedback"]
    } else {
        &["/", "/plans/me", "/results", "/feedback"]
    }
}

fn nav_for(user: &SessionUser, places: &Places) -> Vec<(&'static str, &'static str, &'static str)> {
    NAV.iter().filter(|(.., shown)| shown(user, places)).map(|(path, label, group, _)| (*path, *label, *group)).collect()
}

/// Whether the page at `here` is the place at `path` (or below it).
fn is_current(path: &str, here: &str) -> bool {
    // "/scorecards" is HR's list; "/scorecards/me" is one's own.
    if path == "/" || path == "/scorecards" || path == "/feedback" { here == path } else { here.starts_with(path) }
}

/// A link of the navigation, marked when it is the current place.
fn nav_link(path: &'static str, label: &'static str, here: Memo<String>) -> impl IntoView {
    view! {
        <A href=path attr:class=move || if is_current(path, &here.get()) { "current" } else { "" }>
            {label}
        </A>
    }
}

/// The way to the inbox, with how many notifications on this device are unread (none before the
/// copy is read: the server renders it without).
#[component]
fn InboxLink() -> impl IntoView {
    let offline = expect_context::<crate::offline::client::Offline>();
    let unread = Memo::new(move |_| {
        if !offline.status.with(|s| s.ready) {
            return 0;
        }
        offline.replica.with(|r| r.view_all(crate::sync::protocol::Kind::Notification).values().filter(|v| v.get("read") != Some(&serde_json::json!(true))).count())
    });
    let label = move || match unread.get() {
        0 => "Inbox".to_owned(),
        1 => "Inbox, 1 unread".to_owned(),
        n => format!("Inbox, {n} unread"),
    };
    view! {
        <A href="/inbox" attr:class="inbox-link" attr:data-testid="inbox-link" attr:aria-label=label>
            "Inbox"
            {move || (unread.get() > 0).then(|| view! { <span class="unread-count" data-testid="unread-count" aria-hidden="true">{unread.get()}</span> })}
        </A>
    }
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
    let here = Memo::new(move |_| location.pathname.get());
    let places = Resource::new(|| (), |_| my_places());
    // On a phone the "More" sheet closes once a place in it is opened.
    Effect::new(move |_| {
        here.track();
        if let Some(sheet) = document().get_element_by_id("nav-more") {
            use leptos::wasm_bindgen::JsCast;
            if let Ok(sheet) = sheet.dyn_into::<leptos::web_sys::HtmlElement>() {
                if sheet.matches(":popover-open").unwrap_or(false) {
                    let _ = sheet.hide_popover();
                }
            }
        }
    });
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
                            let links = nav_for(&user, &places.await.unwrap_or_default());
                            let bar = bar_for(&user);
                            let in_bar = links.iter().filter(|(path, ..)| bar.contains(path)).map(|(path, label, _)| nav_link(path, label, here)).collect_view();
                            let top = links.iter().filter(|(.., group)| group.is_empty()).map(|(path, label, _)| view! { <li>{nav_link(path, label, here)}</li> }).collect_view();
                            let groups = GROUPS
                                .iter()
                                .filter_map(|group| {
                                    let items: Vec<_> = links.iter().filter(|(.., g)| g == group).map(|(path, label, _)| view! { <li>{nav_link(path, label, here)}</li> }).collect();
                                    (!items.is_empty()).then(|| view! {
                                        <li class="nav-group">
                                            <span class="nav-group-name">{*group}</span>
                                            <ul>{items}</ul>
                                        </li>
                                    })
                                })
                                .collect_view();
                            view! {
                                <nav class="app-nav" aria-label="Main">
                                    <div class="nav-bar">
                                        {in_bar}
                                        <button class="nav-more" popovertarget="nav-more" aria-haspopup="true">"More"</button>
                                    </div>
                                    <div id="nav-more" class="nav-sheet" popover="auto" data-testid="nav-more">
                                        <ul>{top} {groups}</ul>
                                    </div>
                                </nav>
                                <crate::offline::pages::status::SyncStatusLine />
                                <div class="who">
                                    <InboxLink />
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
