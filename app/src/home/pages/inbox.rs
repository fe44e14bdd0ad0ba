//! The inbox: what happened to the person that they may act on, newest first, each with a link to
//! the place to act. Notifications are part of the device's copy, so the inbox opens and marks
//! read offline too; the marks reach the server with the next sync.

use leptos::prelude::*;
use leptos_meta::Title;
use serde_json::json;

use crate::offline::client::Offline;
use crate::offline::types::Notification;
use crate::sync::protocol::{Kind, RecordRef, Values};

/// The person's notifications on this device, newest first.
pub fn notifications(offline: Offline) -> Vec<Notification> {
    let mut all: Vec<Notification> = offline.replica.with(|r| r.view_all(Kind::Notification).iter().map(|(id, v)| Notification::from_values(id, v)).collect());
    all.sort_by(|a, b| b.created_at.cmp(&a.created_at).then_with(|| a.id.cmp(&b.id)));
    all
}

/// Marks a notification read or unread on this device (queued for the server).
pub fn mark(offline: Offline, id: &str, read: bool) {
    offline.edit(RecordRef::new(Kind::Notification, id), Values::from([("read".to_owned(), json!(read))]));
}

/// "2026-11-28T08:05:00Z" as "2026-11-28 08:05 UTC".
fn when(created_at: &str) -> String {
    match created_at.split_once('T') {
        Some((day, time)) => format!("{day} {} UTC", time.get(..5).unwrap_or(time)),
        None => created_at.to_owned(),
    }
}

#[component]
pub fn InboxPage() -> impl IntoView {
    let offline = expect_context::<Offline>();
    // The copy is read after hydration; until then the page shows what the server rendered.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let all = Memo::new(move |_| notifications(offline));
    let unread = Memo::new(move |_| all.with(|all| all.iter().filter(|n| !n.read).count()));
    let page = move || {
        if !hydrated.get() || !offline.status.with(|s| s.ready) {
            return view! { <p class="muted" data-testid="opening-copy">"Opening the copy on this device…"</p> }.into_any();
        }
        if offline.person.with(Option::is_none) {
            return view! { <p>"Sign in to see this page."</p> }.into_any();
        }
        let list = all.get();
        if list.is_empty() {
            return view! {
                <p class="muted" data-testid="inbox-empty">
                    "Nothing yet. When your plan is sent to you, someone gives you feedback or asks for it, a check-in is completed or your appraisal is ready to sign, it appears here, offline too."
                </p>
            }
            .into_any();
        }
        let count = unread.get();
        let items = list
            .into_iter()
            .map(|n| {
                let (id, read) = (n.id.clone(), n.read);
                let open_id = id.clone();
                let link = n.safe_link().map(str::to_owned);
                view! {
                    <li class="notice" class:unread=!read data-testid="notice" data-read=read.to_string()>
                        <p class="notice-text">{(!read).then(|| view! { <span class="notice-new">"New"</span> " " })}{n.text.clone()}</p>
                        <p class="notice-meta">
                            <time datetime=n.created_at.clone()>{when(&n.created_at)}</time>
                            {n.event.to_act().then_some(" · for you to act")}
                        </p>
                        <p class="notice-actions">
                            {link.map(|href| view! { <a href=href on:click=move |_| if !read { mark(offline, &open_id, true) }>"Open"</a> })}
                            <button class="link-button" on:click=move |_| mark(offline, &id, !read)>
                                {if read { "Mark unread" } else { "Mark read" }}
                            </button>
                        </p>
                    </li>
                }
            })
            .collect_view();
        view! {
            <p data-testid="unread-summary" role="status">
                {match count { 0 => "All read.".to_owned(), 1 => "1 unread.".to_owned(), n => format!("{n} unread.") }}
                {(count > 0).then(|| view! {
                    " "
                    <button class="link-button" data-testid="mark-all-read" on:click=move |_| {
                        for n in all.get_untracked().into_iter().filter(|n| !n.read) {
                            mark(offline, &n.id, true);
                        }
                    }>"Mark all read"</button>
                })}
            </p>
            <ul class="notice-list">{items}</ul>
        }
        .into_any()
    };
    view! {
        <Title text="Inbox" />
        <h1>"Inbox"</h1>
        <crate::ui::layout::SignInFirst />
        {page}
    }
}
