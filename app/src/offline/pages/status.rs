//! What every page shows of the offline copy: the status line in the header, and the gate that
//! renders an offline page once the device's copy has been read.

use leptos::prelude::*;

use crate::offline::snapshot::OfflineSnapshot;
use crate::offline::client::Offline;

/// Online or offline, how many changes wait, when the last sync was, and what needs the person.
#[component]
pub fn SyncStatusLine() -> impl IntoView {
    let offline = expect_context::<Offline>();
    let view_of = move || {
        let status = offline.status.get();
        if !status.ready || offline.person.with(Option::is_none) {
            return ().into_any();
        }
        let (pending, problems) = offline.replica.with(|r| (r.pending(), r.problems.len()));
        let state = if status.syncing {
            "Syncing…"
        } else if status.online {
            "Online"
        } else {
            "Offline"
        };
        let waiting = match pending {
            0 => "all changes sent".to_owned(),
            1 => "1 change waiting".to_owned(),
            n => format!("{n} changes waiting"),
        };
        let last = status.last_synced.map(|t| format!(" · last synced {t}")).unwrap_or_default();
        view! {
            <div class="sync-status" data-testid="sync-status" data-online=status.online.to_string() data-pending=pending.to_string()
                class:offline=!status.online role="status">
                <span class="dot" aria-hidden="true"></span>
                <span>{state} " · " {waiting} {last}</span>
                {(problems > 0).then(|| view! {
                    <a href="/sync" data-testid="sync-problems">{if problems == 1 { "1 change needs you".to_owned() } else { format!("{problems} changes need you") }}</a>
                })}
                {status.trouble.map(|t| view! { <span class="error">{t}</span> })}
                {(pending > 0 && status.online).then(|| view! {
                    <button class="link-button" on:click=move |_| offline.sync_now()>"Sync now"</button>
                })}
            </div>
        }
        .into_any()
    };
    view! { {view_of} }
}

/// Renders `render` with the device's copy once it has been read (never on the server), and
/// again only when the copy's content changes.
#[component]
pub fn OfflineCopy<V: IntoView + 'static>(render: fn(OfflineSnapshot) -> V) -> impl IntoView {
    let offline = expect_context::<Offline>();
    let ready = Memo::new(move |_| offline.status.with(|s| s.ready));
    let snapshot = Memo::new(move |_| offline.snapshot.get());
    // A page's code arrives in a chunk of its own, so it may hydrate after the copy was opened:
    // it first renders what the server did ("Opening…"), and the copy once it has hydrated.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let page = move || {
        if !hydrated.get() || !ready.get() {
            return view! { <p class="muted" data-testid="opening-copy">"Opening the copy on this device…"</p> }.into_any();
        }
        match snapshot.get() {
            Some(snapshot) => render(snapshot).into_any(),
            None if offline.person.with(Option::is_none) => view! { <p>"Sign in to see this page."</p> }.into_any(),
            None => view! {
                <p class="muted" data-testid="no-copy">"Connect once so this device can keep your plan, the competency framework and your colleagues; after that this page works offline."</p>
            }
            .into_any(),
        }
    };
    view! {
        <crate::ui::layout::SignInFirst />
        {page}
    }
}
