//! Email's queries: the people's choices, the outbox, the days planned, the signing key.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::db::{Db, take_rows};
use crate::error::{AppError, AppResult};
use crate::mail::types::{Mail, MailSettings, Outgoing};
use crate::offline::store::inbox::stamp;
use crate::offline::types::{Event, Notification};

#[derive(Deserialize)]
struct SettingRow {
    person: String,
    events: bool,
    reminders: bool,
    digest: bool,
}

/// What each person chose to receive; a person without a row receives everything.
pub async fn all_settings(db: &Db) -> AppResult<HashMap<String, MailSettings>> {
    let mut response = db.query("SELECT record::id(person) AS person, events, reminders, digest FROM mail_setting").await?;
    Ok(take_rows::<SettingRow>(&mut response, 0)?
        .into_iter()
        .map(|r| (r.person, MailSettings { events: r.events, reminders: r.reminders, digest: r.digest }))
        .collect())
}

pub async fn settings(db: &Db, person: &str) -> AppResult<MailSettings> {
    let mut response = db
        .query("SELECT record::id(person) AS person, events, reminders, digest FROM mail_setting WHERE person = type::record('person', $person)")
        .bind(("person", person.to_owned()))
        .await?;
    Ok(take_rows::<SettingRow>(&mut response, 0)?
        .into_iter()
        .next()
        .map(|r| MailSettings { events: r.events, reminders: r.reminders, digest: r.digest })
        .unwrap_or_default())
}

pub async fn save_settings(db: &Db, person: &str, settings: MailSettings) -> AppResult<()> {
    db.query(
        "UPSERT type::record('mail_setting', $person) SET person = type::record('person', $person),
             events = $events, reminders = $reminders, digest = $digest RETURN NONE",
    )
    .bind(("person", person.to_owned()))
    .bind(("events", settings.events))
    .bind(("reminders", settings.reminders))
    .bind(("digest", settings.digest))
    .await?
    .check()?;
    Ok(())
}

/// The key that signs unsubscribe links (migration 16 makes it).
pub async fn signing_key(db: &Db) -> AppResult<Vec<u8>> {
    let key: Option<String> = db.query("SELECT VALUE key FROM ONLY mail_secret:current").await?.take(0)?;
    match key {
        Some(key) => Ok(key.into_bytes()),
        None => {
            tracing::error!("mail_secret:current is missing: the unsubscribe links cannot be signed (migration 16 makes it)");
            Err(AppError::Internal)
        }
    }
}

/// The unread notifications made since `since` that ask their person to act.
pub async fn notices_to_act(db: &Db, since: OffsetDateTime) -> AppResult<Vec<Notification>> {
    let events: Vec<&str> = Event::ALL.into_iter().filter(|e| e.to_act()).map(Event::as_str).collect();
    let mut response = db
        .query(
            "SELECT record::id(id) AS id, record::id(person) AS person_id, event, text, link, created_at, read FROM notification
             WHERE read = false AND deleted = false AND created_at >= $since AND event IN $events",
        )
        .bind(("since", stamp(since)))
        .bind(("events", events.into_iter().map(str::to_owned).collect::<Vec<_>>()))
        .await?;
    take_rows(&mut response, 0)
}

/// Queues the mails that are not queued yet (one per `about`, whoever plans it); returns how many
/// were new.
pub async fn enqueue(db: &Db, mails: &[Mail], now: OffsetDateTime) -> AppResult<usize> {
    if mails.is_empty() {
        return Ok(0);
    }
    let rows: Vec<Value> = mails
        .iter()
        .map(|m| json!({ "key": mail_key(&m.about), "person": m.person_id, "kind": m.kind.as_str(), "to": m.to, "subject": m.subject, "body": m.body }))
        .collect();
    let keys: Vec<String> = rows.iter().map(|r| r["key"].as_str().unwrap_or_default().to_owned()).collect();
    let mut response = db
        .query(
            "LET $before = (SELECT VALUE record::id(id) FROM mail WHERE id IN $keys.map(|$k| type::record('mail', $k)));
             FOR $m IN $mails {
                 INSERT IGNORE INTO mail { id: type::record('mail', $m.key), person: type::record('person', $m.person), kind: $m.kind,
                     to: $m.to, subject: $m.subject, body: $m.body, created_at: <datetime> $now, attempts: 0, next_attempt_at: <datetime> $now } RETURN NONE;
             };
             RETURN array::len($keys) - array::len($before);",
        )
        .bind(("keys", keys))
        .bind(("mails", rows))
        .bind(("now", stamp(now)))
        .await?
        .check()?;
    let new: Option<i64> = response.take(2)?;
    Ok(new.unwrap_or(0).max(0) as usize)
}

/// A mail's id: a hash of what it is about.
fn mail_key(about: &str) -> String {
    Sha256::digest(about.as_bytes()).iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// The mails due to be tried at `now`, oldest first, that no server is sending.
pub async fn waiting(db: &Db, now: OffsetDateTime, limit: usize) -> AppResult<Vec<Outgoing>> {
    let mut response = db
        .query(
            "SELECT record::id(id) AS id, to, subject, body, attempts, record::id(person) AS person_id, kind, next_attempt_at FROM mail
             WHERE sent_at = NONE AND next_attempt_at <= <datetime> $now AND (claimed_until = NONE OR claimed_until < <datetime> $now)
             ORDER BY next_attempt_at LIMIT $limit",
        )
        .bind(("now", stamp(now)))
        .bind(("limit", limit as i64))
        .await?;
    take_rows(&mut response, 0)
}

/// Takes a mail for this server until `until`; false when another server took it first.
pub async fn claim(db: &Db, id: &str, now: OffsetDateTime, until: OffsetDateTime) -> AppResult<bool> {
    let mut response = db
        .query(
            "UPDATE type::record('mail', $id) SET claimed_until = <datetime> $until
             WHERE sent_at = NONE AND (claimed_until = NONE OR claimed_until < <datetime> $now) RETURN VALUE record::id(id)",
        )
        .bind(("id", id.to_owned()))
        .bind(("now", stamp(now)))
        .bind(("until", stamp(until)))
        .await?;
    let taken: Vec<String> = response.take(0)?;
    Ok(!taken.is_empty())
}

pub async fn mark_sent(db: &Db, id: &str, now: OffsetDateTime) -> AppResult<()> {
    db.query("UPDATE type::record('mail', $id) SET sent_at = <datetime> $now, claimed_until = NONE, last_error = NONE RETURN NONE")
        .bind(("id", id.to_owned()))
        .bind(("now", stamp(now)))
        .await?
        .check()?;
    Ok(())
}

/// Records a failed try and when to try again.
pub async fn mark_failed(db: &Db, id: &str, attempts: u32, next: OffsetDateTime, error: &str) -> AppResult<()> {
    db.query("UPDATE type::record('mail', $id) SET attempts = $attempts, next_attempt_at = <datetime> $next, last_error = $error, claimed_until = NONE RETURN NONE")
        .bind(("id", id.to_owned()))
        .bind(("attempts", i64::from(attempts)))
        .bind(("next", stamp(next)))
        .bind(("error", error.chars().take(500).collect::<String>()))
        .await?
        .check()?;
    Ok(())
}

/// Takes the planning of a day's reminders and digests until `until`; false when it is done or
/// another server has it.
pub async fn claim_day(db: &Db, day: &str, now: OffsetDateTime, until: OffsetDateTime) -> AppResult<bool> {
    let mut response = db
        .query(
            // One statement, one transaction: the look and the claim together.
            "LET $d = type::record('mail_day', $day);
             IF record::exists($d) {
                 UPDATE $d SET claimed_until = <datetime> $until WHERE planned_at = NONE AND (claimed_until = NONE OR claimed_until < <datetime> $now) RETURN VALUE record::id(id)
             } ELSE {
                 CREATE $d SET claimed_until = <datetime> $until RETURN VALUE record::id(id)
             };",
        )
        .bind(("day", day.to_owned()))
        .bind(("now", stamp(now)))
        .bind(("until", stamp(until)))
        .await?
        .check()?;
    let taken: Vec<String> = response.take(1)?;
    Ok(!taken.is_empty())
}

pub async fn mark_day_planned(db: &Db, day: &str, now: OffsetDateTime) -> AppResult<()> {
    db.query("UPDATE type::record('mail_day', $day) SET planned_at = <datetime> $now, claimed_until = NONE RETURN NONE")
        .bind(("day", day.to_owned()))
        .bind(("now", stamp(now)))
        .await?
        .check()?;
    Ok(())
}
