//! The inbox's writes: the notifications the server makes when something happens to a person,
//! stamped with a sync revision so the person's devices pull them like any synced record.

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::db::Db;
use crate::error::AppResult;
use crate::offline::types::{Event, NOTIFICATION_FIELDS, Notification};

/// Revisions are stamped one batch at a time, so a pull never sees a later revision before an
/// earlier one has committed (in one process; the counter check in each write covers several).
pub(crate) static SYNC_WRITES: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Writes the rows in `$notifications` (see [`row`]); part of a transaction that stamps the counter.
pub(crate) const UPSERT_NOTIFICATIONS: &str = "
         FOR $r IN $notifications {
             UPSERT type::record('notification', $r.key) SET person = type::record('person', $r.person), event = $r.event, text = $r.text,
                 link = $r.link, created_at = $r.created_at, read = $r.read, meta = $r.meta, rev = $r.rev, deleted = $r.deleted RETURN NONE;
         };";

/// A notification's typed columns.
pub(crate) fn columns(id: &str, n: &Notification) -> Value {
    json!({ "key": id, "person": n.person_id, "event": n.event.as_str(), "text": n.text, "link": n.link, "created_at": n.created_at, "read": n.read })
}

/// A notification's id: one per event, subject and person, so a thing that happens again (a plan
/// sent back and sent again) renews its notification instead of adding another. Hex, as the
/// ids a device sends (the person's device names it to mark it read).
pub(crate) fn notification_id(event: Event, subject: &str, person: &str) -> String {
    let digest = Sha256::digest(format!("{}/{subject}/{person}", event.as_str()).as_bytes());
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// Now, in RFC 3339 (UTC, whole seconds), as notifications keep it.
pub fn now() -> String {
    stamp(time::OffsetDateTime::now_utc())
}

/// A moment in RFC 3339 (UTC, whole seconds).
pub fn stamp(at: time::OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!("{}T{:02}:{:02}:{:02}Z", at.date(), at.hour(), at.minute(), at.second())
}

/// Forgets every notification. Only the demo's seeding calls it, after last year and before any
/// device has pulled: a year-old happening must not arrive as news.
pub async fn forget_all(db: &Db) -> AppResult<()> {
    db.query("DELETE notification RETURN NONE").await?.check()?;
    Ok(())
}

/// Tells people what happened to them (`subject`: the record it happened to, e.g. a plan).
/// Called once the happening is written; a failure here is logged and does not undo it. Another
/// instance stamping a revision at the same moment fails the counter check: tried again.
pub async fn notify(db: &Db, subject: &str, notices: Vec<Notification>) {
    const ATTEMPTS: usize = 3;
    for attempt in 1..=ATTEMPTS {
        match write(db, subject, &notices).await {
            Ok(()) => return,
            Err(error) if attempt < ATTEMPTS => tracing::warn!(?error, subject, attempt, "notifications not written yet; trying again"),
            Err(error) => tracing::error!(?error, subject, "notifications were not written"),
        }
    }
}

async fn write(db: &Db, subject: &str, notices: &[Notification]) -> AppResult<()> {
    if notices.is_empty() {
        return Ok(());
    }
    let _writing = SYNC_WRITES.lock().await;
    let counter: Option<u64> = db.query("SELECT VALUE value FROM ONLY sync_counter:current").await?.take(0)?;
    let counter_before = counter.unwrap_or(0);
    let rev = counter_before + 1;
    let rows: Vec<Value> = notices.iter().map(|n| row(&notification_id(n.event, subject, &n.person_id), n, rev)).collect();
    db.query(format!(
        "BEGIN TRANSACTION;
         IF ((SELECT VALUE value FROM ONLY sync_counter:current) ?? 0) != $counter_before {{ THROW 'Another server changed the sync state; try again.' }};
         {UPSERT_NOTIFICATIONS}
         UPSERT sync_counter:current SET value = $rev RETURN NONE;
         COMMIT TRANSACTION;"
    ))
    .bind(("notifications", rows))
    .bind(("counter_before", counter_before))
    .bind(("rev", rev))
    .await?
    .check()?;
    Ok(())
}

/// A new notification's row: every field written by the server at `rev`.
fn row(id: &str, n: &Notification, rev: u64) -> Value {
    let mut row = columns(id, n);
    row["meta"] = NOTIFICATION_FIELDS.iter().map(|name| (name.to_string(), json!({ "rev": rev, "device": "server" }))).collect::<serde_json::Map<_, _>>().into();
    row["rev"] = json!(rev);
    row["deleted"] = json!(false);
    row
}
