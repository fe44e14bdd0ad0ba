//! The phone's side of offline work: the signed-in person's copy (`sync::Replica` and the
//! `OfflineSnapshot`) kept in local storage under versioned, per-person keys, edits queued and
//! shown at once, and the sync loop (at start, on the browser's `online` event, shortly after an
//! edit, with back-off after failures). Local state is read after hydration only; the server
//! renders these pages without it.

use leptos::prelude::*;

use crate::offline::snapshot::OfflineSnapshot;
use crate::sync::protocol::{RecordRef, Replica, Resolution, Values};

/// How the copy on this device stands, for the status line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SyncStatus {
    /// The local copy has been read (after hydration).
    pub ready: bool,
    pub online: bool,
    pub syncing: bool,
    /// Local time of the last complete sync.
    pub last_synced: Option<String>,
    /// Why the last sync or save did not work, in words for the person.
    pub trouble: Option<String>,
    pub failures: u32,
}

/// The offline copy of the signed-in person, shared by every page.
#[derive(Clone, Copy)]
pub struct Offline {
    pub person: RwSignal<Option<String>>,
    pub replica: RwSignal<Replica>,
    pub snapshot: RwSignal<Option<OfflineSnapshot>>,
    pub status: RwSignal<SyncStatus>,
}

impl Offline {
    pub fn provide() -> Self {
        let offline = Offline {
            person: RwSignal::new(None),
            replica: RwSignal::new(Replica::default()),
            snapshot: RwSignal::new(None),
            status: RwSignal::new(SyncStatus::default()),
        };
        provide_context(offline);
        offline
    }

    /// Queues an edit (typing amends the last unsent one), shows it at once, saves the copy and
    /// syncs shortly.
    pub fn edit(self, record: RecordRef, set: Values) {
        let id = new_id();
        self.replica.update(|r| r.edit_or_amend(record, set, id));
        self.changed();
    }

    pub fn delete(self, record: RecordRef) {
        let id = new_id();
        self.replica.update(|r| r.delete(record, id));
        self.changed();
    }

    pub fn resolve(self, index: usize, resolution: Resolution) {
        let id = new_id();
        self.replica.update(|r| r.resolve(index, resolution, id));
        self.changed();
    }

    /// The person has seen a refused change.
    pub fn dismiss(self, index: usize) {
        self.replica.update(|r| {
            if index < r.problems.len() {
                r.problems.remove(index);
            }
        });
        self.changed();
    }

    fn changed(self) {
        self.save();
        #[cfg(feature = "hydrate")]
        browser::schedule(self, std::time::Duration::from_millis(1200));
    }

    pub fn sync_now(self) {
        #[cfg(feature = "hydrate")]
        browser::schedule(self, std::time::Duration::ZERO);
    }

    fn save(self) {
        #[cfg(feature = "hydrate")]
        if let Some(person) = self.person.get_untracked() {
            let saved = self.replica.with_untracked(|r| browser::store(&browser::key(&person, "replica"), r));
            self.note_storage(saved);
        }
    }

    #[cfg(feature = "hydrate")]
    fn note_storage(self, saved: Result<(), String>) {
        self.status.update(|s| match saved {
            Ok(()) => {
                if s.trouble.as_deref() == Some(STORAGE_FULL) {
                    s.trouble = None;
                }
            }
            Err(_) => s.trouble = Some(STORAGE_FULL.into()),
        });
    }
}

#[cfg(feature = "hydrate")]
const STORAGE_FULL: &str =
    "This phone's storage for Line of Sight is full. Your changes are kept while this page stays open and are sent as soon as there is a connection; free some space to keep them across a reload.";

/// A new id for an operation or a record: a random UUID from the browser.
pub fn new_id() -> String {
    #[cfg(feature = "hydrate")]
    if let Some(crypto) = window().crypto().ok() {
        return crypto.random_uuid();
    }
    String::new()
}

/// Today on the device, `YYYY-MM-DD` (when something was written, which may be offline).
pub fn today_on_device() -> String {
    #[cfg(feature = "hydrate")]
    {
        let now = js_sys::Date::new_0();
        return format!("{:04}-{:02}-{:02}", now.get_full_year(), now.get_month() + 1, now.get_date());
    }
    #[cfg(not(feature = "hydrate"))]
    String::new()
}

/// Starts the offline copy for whoever the server says is signed in (after hydration only), and
/// wipes what a signed-out or expired session left behind.
pub fn start(offline: Offline, user: Resource<Result<Option<crate::auth::types::SessionUser>, crate::error::AppError>>) {
    #[cfg(feature = "hydrate")]
    Effect::new(move |started: Option<bool>| {
        if started == Some(true) {
            return true;
        }
        match user.get() {
            Some(Ok(Some(user))) => {
                browser::open(offline, &user.id);
                true
            }
            Some(Ok(None)) => {
                browser::wipe_signed_out();
                offline.status.update(|s| s.ready = true);
                true
            }
            _ => false,
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (offline, user);
}

/// Before signing out: everything of this person's leaves the device (queued changes too, which
/// the sign-out button has warned about).
pub async fn wipe_for_sign_out() {
    #[cfg(feature = "hydrate")]
    browser::wipe_everything().await;
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::pin::pin;
    use std::time::Duration;

    use futures::channel::oneshot;
    use futures::future::{select, AbortHandle, Abortable, Either};
    use gloo_storage::{errors::StorageError, LocalStorage, Storage};
    use leptos::prelude::*;
    use leptos::task::spawn_local;
    use wasm_bindgen::prelude::*;

    use super::{Offline, SyncStatus};

    /// Where things are kept; the version changes when their shape does.
    const PREFIX: &str = "los:v1:";

    pub fn key(person: &str, what: &str) -> String {
        format!("{PREFIX}{person}:{what}")
    }
    use crate::offline::api::{load_offline_snapshot, sync_pull, sync_push};
    use crate::error::AppError;
    use crate::limits;
    use crate::sync::protocol::Replica;

    /// The name of the service worker's cache of pages (`public/sw.js`).
    const PAGES_CACHE_PREFIX: &str = "los-pages";

    pub fn store<T: serde::Serialize>(key: &str, value: &T) -> Result<(), String> {
        LocalStorage::set(key, value).map_err(|e| match e {
            StorageError::JsError(js) => js.name,
            other => other.to_string(),
        })
    }

    pub fn open(offline: Offline, person: &str) {
        let person = person.to_owned();
        spawn_local(async move {
            let (replica, snapshot) = read_copy(person.clone()).await;
            offline.person.set(Some(person));
            offline.replica.set(replica);
            offline.snapshot.set(snapshot);
            offline.status.set(SyncStatus { ready: true, online: window().navigator().on_line(), ..SyncStatus::default() });
            listen(offline);
            register_service_worker();
            schedule(offline, Duration::ZERO);
        });
    }

    // Reading and syncing the copy are chunks of the bundle of their own (`#[lazy]`): the copy's
    // types and their serde code are not needed before the page is interactive. The service
    // worker keeps these chunks from its install on, so they load offline too.
    #[lazy]
    fn read_copy(person: String) -> (Replica, Option<crate::offline::snapshot::OfflineSnapshot>) {
        let replica = LocalStorage::get(key(&person, "replica")).unwrap_or_else(|_| Replica::new(super::new_id()));
        (replica, LocalStorage::get(key(&person, "snapshot")).ok())
    }

    fn listen(offline: Offline) {
        let online = Closure::<dyn Fn()>::new(move || {
            // A request sent as the connection dropped may never be answered: start afresh.
            if let Some(running) = RUNNING.with(|r| r.take()) {
                running.abort();
            }
            offline.status.update(|s| {
                s.online = true;
                s.failures = 0;
            });
            schedule(offline, Duration::ZERO);
        });
        let offline_event = Closure::<dyn Fn()>::new(move || offline.status.update(|s| s.online = false));
        let _ = window().add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
        let _ = window().add_event_listener_with_callback("offline", offline_event.as_ref().unchecked_ref());
        // They live as long as the page.
        online.forget();
        offline_event.forget();
    }

    fn register_service_worker() {
        let _ = window().navigator().service_worker().register("/sw.js");
    }

    thread_local! {
        static TIMER: std::cell::Cell<Option<TimeoutHandle>> = const { std::cell::Cell::new(None) };
        /// Abandons the sync under way.
        static RUNNING: std::cell::Cell<Option<AbortHandle>> = const { std::cell::Cell::new(None) };
        /// When this page last pushed (`Date.now()`, ms), to keep pushes `SYNC_PUSH_INTERVAL` apart.
        static LAST_PUSH: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
    }

    /// How long a sync may wait for the server before it counts as failed and backs off.
    const DEADLINE: Duration = Duration::from_secs(30);

    async fn sleep(delay: Duration) {
        let (done, waited) = oneshot::channel();
        set_timeout(move || { let _ = done.send(()); }, delay);
        let _ = waited.await;
    }

    /// Syncs after `delay`, replacing a sync already waiting.
    pub fn schedule(offline: Offline, delay: Duration) {
        if let Some(waiting) = TIMER.with(|t| t.take()) {
            waiting.clear();
        }
        let handle = set_timeout_with_handle(move || spawn_local(sync(offline)), delay);
        TIMER.with(|t| t.set(handle.ok()));
    }

    async fn sync(offline: Offline) {
        if offline.status.get_untracked().syncing || offline.person.get_untracked().is_none() {
            return;
        }
        offline.status.update(|s| s.syncing = true);
        let (running, registration) = AbortHandle::new_pair();
        RUNNING.with(|r| r.set(Some(running)));
        let answered = async {
            match select(pin!(sync_once(offline)), pin!(sleep(DEADLINE))).await {
                Either::Left((result, _)) => result,
                Either::Right(_) => Err(AppError::Transport(format!("no answer from the server within {} s", DEADLINE.as_secs()))),
            }
        };
        let finished = Abortable::new(answered, registration).await;
        RUNNING.with(|r| r.take());
        offline.status.update(|s| s.syncing = false);
        let Ok(result) = finished else {
            // Abandoned because the connection came back: that starts a new sync.
            schedule(offline, Duration::ZERO);
            return;
        };
        // An edit made, or the connection back, while this sync ran asked for a sync that found
        // this one running: run again rather than leave the edit waiting for the next trigger.
        if result.is_ok() && offline.replica.with_untracked(|r| r.pending() > 0) {
            schedule(offline, Duration::ZERO);
        }
        match result {
            // The browser may have gone offline while the last request was still answered.
            Ok(()) => offline.status.update(|s| {
                s.online = window().navigator().on_line();
                s.failures = 0;
                s.last_synced = Some(String::from(js_sys::Date::new_0().to_locale_time_string("en-GB")));
                if s.trouble.as_deref() != Some(super::STORAGE_FULL) {
                    s.trouble = None;
                }
            }),
            Err(AppError::Unauthenticated) => session_ended(offline),
            // The person's devices sent much at once: wait as long as the server asks; nothing is lost.
            Err(error @ AppError::TooManyChanges { retry_after_secs }) => {
                offline.status.update(|s| s.trouble = Some(error.to_string()));
                schedule(offline, Duration::from_secs(retry_after_secs));
            }
            Err(error) => {
                let failures = offline.status.get_untracked().failures + 1;
                offline.status.update(|s| {
                    s.failures = failures;
                    match &error {
                        AppError::Transport(_) => s.online = false,
                        other => s.trouble = Some(format!("Sync did not complete: {other}")),
                    }
                });
                // Back off: 2 s, 4 s, 8 s … up to a minute.
                schedule(offline, Duration::from_secs(2u64.pow(failures.min(5))).min(Duration::from_secs(60)));
            }
        }
    }

    #[lazy]
    async fn sync_once(offline: Offline) -> Result<(), AppError> {
        let person = offline.person.get_untracked().unwrap_or_default();
        loop {
            // Within the push limits; an edit the server would refuse becomes a problem here.
            let batch = offline.replica.try_update(|r| r.batch(limits::SYNC_OPS_PER_PUSH, limits::SYNC_PUSH_BYTES, crate::offline::rules::has_field)).unwrap_or_default();
            if batch.is_empty() {
                break;
            }
            let since = js_sys::Date::now() - LAST_PUSH.with(|t| t.get());
            let interval = limits::SYNC_PUSH_INTERVAL.as_millis() as f64;
            if since < interval {
                sleep(Duration::from_millis((interval - since) as u64)).await;
            }
            LAST_PUSH.with(|t| t.set(js_sys::Date::now()));
            let reply = sync_push(batch).await?;
            offline.replica.update(|r| r.pushed(reply));
            offline.save();
        }
        let cursor = offline.replica.with_untracked(|r| r.cursor);
        let reply = sync_pull(cursor).await?;
        offline.replica.update(|r| r.pulled(reply));
        offline.save();
        let snapshot = load_offline_snapshot().await?;
        let saved = store(&key(&person, "snapshot"), &snapshot);
        offline.note_storage(saved);
        offline.snapshot.set(Some(snapshot));
        Ok(())
    }

    /// The session ended (timed out, or the password changed): what came from the server leaves
    /// the device; queued changes stay, for this person only, until they sign in again.
    fn session_ended(offline: Offline) {
        let Some(person) = offline.person.get_untracked() else { return };
        LocalStorage::delete(key(&person, "snapshot"));
        offline.snapshot.set(None);
        offline.replica.update(|r| r.docs.clear());
        offline.save();
        let waiting = offline.replica.with_untracked(|r| r.pending());
        offline.status.update(|s| {
            s.trouble = Some(if waiting > 0 {
                format!("Your session has ended. Sign in again to send the {waiting} change(s) waiting on this device.")
            } else {
                "Your session has ended. Sign in again.".into()
            })
        });
    }

    /// Signed out (or never signed in) on this device: nothing synced from the server stays;
    /// only changes still waiting for their person are kept.
    pub fn wipe_signed_out() {
        for stored in keys() {
            if stored.ends_with(":snapshot") {
                LocalStorage::delete(&stored);
            } else if stored.ends_with(":replica") {
                match LocalStorage::get::<Replica>(&stored) {
                    Ok(mut replica) if replica.pending() > 0 => {
                        replica.docs.clear();
                        let _ = store(&stored, &replica);
                    }
                    _ => LocalStorage::delete(&stored),
                }
            }
        }
        spawn_local(delete_page_caches());
    }

    pub async fn wipe_everything() {
        keys().iter().for_each(LocalStorage::delete);
        delete_page_caches().await;
    }

    fn keys() -> Vec<String> {
        let storage = LocalStorage::raw();
        let count = storage.length().unwrap_or(0);
        (0..count).filter_map(|i| storage.key(i).ok().flatten()).filter(|k| k.starts_with(PREFIX)).collect()
    }

    /// Pages the service worker kept show the person's data: they go at sign-out.
    async fn delete_page_caches() {
        use wasm_bindgen_futures::JsFuture;
        let Ok(caches) = window().caches() else { return };
        let Ok(names) = JsFuture::from(caches.keys()).await else { return };
        let names: js_sys::Array = names.unchecked_into();
        for name in names.iter().filter_map(|n| n.as_string()).filter(|n| n.starts_with(PAGES_CACHE_PREFIX)) {
            let _ = JsFuture::from(caches.delete(&name)).await;
        }
    }
}
