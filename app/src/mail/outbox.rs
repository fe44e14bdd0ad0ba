//! The background job that sends the mail: each tick it queues the mail for what needs people now
//! (unread notifications to act on), once a day their reminders or weekly digest, then tries what
//! is due through the SMTP server. The queue is in the database, so a restart or an SMTP server
//! that is down loses nothing; each mail is one row, so nothing is planned or sent twice.

use std::collections::HashMap;
use std::time::Duration;

use lettre::message::header::{ContentTransferEncoding, ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Body, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use time::OffsetDateTime;

use crate::db::Db;
use crate::error::AppResult;
use crate::mail::rules::{self, Links};
use crate::mail::store;
use crate::mail::types::{Mail, MailKind, Outgoing};
use crate::org::store::people;
use crate::planning::rules::iso;

/// How long a server keeps a mail it is sending from the others.
const CLAIM_MINUTES: i64 = 5;
/// How long a server keeps the planning of a day from the others.
const PLAN_CLAIM_MINUTES: i64 = 30;
/// Notifications older than this are not mailed (the person has seen the inbox by then, or the
/// mail would arrive stale).
const EVENT_WINDOW_HOURS: i64 = 24;
/// Mails tried per tick.
const BATCH: usize = 50;

/// The SMTP server and the sender's address, and the app's address for links.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    origin: String,
}

impl Mailer {
    /// `smtp_url`: `smtp://host:25` (plain, a relay on a trusted network),
    /// `smtp://user:password@host:587?tls=required` (STARTTLS), or `smtps://user:password@host:465`
    /// (TLS from the start). `from`: "Line of Sight <perf@example.com>". `origin`: where people
    /// open the app, for the links.
    pub fn new(smtp_url: &str, from: &str, origin: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| format!("--smtp-url '{}' cannot be used: {e} (write smtp://host:port, smtp://user:password@host:587?tls=required or smtps://user:password@host:465)", redacted(smtp_url)))?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        let from = from.parse::<Mailbox>().map_err(|e| format!("--mail-from '{from}' is not an address: {e} (write it as perf@example.com or \"Line of Sight <perf@example.com>\")"))?;
        Ok(Self { transport, from, origin: origin.trim_end_matches('/').to_owned() })
    }

    async fn send(&self, mail: &Outgoing, unsubscribe: &str) -> Result<(), String> {
        let to = mail.to.parse::<Mailbox>().map_err(|e| format!("the address {} cannot be used: {e}", mail.to))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            // The same id however often it is tried: a receiving server can tell a repeat.
            .message_id(Some(format!("<{}@line-of-sight>", mail.id)))
            .header(ListUnsubscribe(format!("<{unsubscribe}>")))
            .header(ContentType::TEXT_PLAIN)
            // Quoted-printable: readable as it is, whatever the characters.
            .body(Body::new_with_encoding(mail.body.clone(), ContentTransferEncoding::QuotedPrintable).map_err(|_| "the mail's text cannot be encoded".to_owned())?)
            .map_err(|e| format!("the mail cannot be built: {e}"))?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| e.to_string())
    }
}

/// The URL without its password, for messages.
fn redacted(url: &str) -> String {
    match url.split_once("://").and_then(|(scheme, rest)| Some((scheme, rest.rsplit_once('@')?.1))) {
        Some((scheme, host)) => format!("{scheme}://…@{host}"),
        None => url.to_owned(),
    }
}

/// The List-Unsubscribe header: mail programs show their own "unsubscribe" button for it.
#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(text: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(text.to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// What one tick did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tick {
    pub queued: usize,
    pub sent: usize,
    pub failed: usize,
}

/// One round at `now` (the clock is passed in, so tests can run a fortnight in a second).
pub async fn tick(db: &Db, mailer: &Mailer, now: OffsetDateTime) -> AppResult<Tick> {
    let key = store::signing_key(db).await?;
    let unsubscribe = |person: &str, kind: MailKind| format!("{}/unsubscribe/{}", mailer.origin, rules::unsubscribe_token(&key, person, kind));
    let settings = store::all_settings(db).await?;
    let people: HashMap<String, String> = people::list(db, false).await?.into_iter().map(|p| (p.id, p.email)).collect();
    let choice = |person: &str| settings.get(person).copied().unwrap_or_default();

    let mut mails: Vec<Mail> = Vec::new();
    for notice in store::notices_to_act(db, now - time::Duration::hours(EVENT_WINDOW_HOURS)).await? {
        let Some(to) = people.get(&notice.person_id) else { continue };
        let link = unsubscribe(&notice.person_id, MailKind::Event);
        mails.extend(rules::event_mail(&notice, to, choice(&notice.person_id), &Links { origin: &mailer.origin, unsubscribe: &link }));
    }
    let today = iso(now.date());
    // One server plans the day (another, claiming at the same moment, may fail: it is theirs).
    let plan_today = rules::planning_hour(now.hour())
        && store::claim_day(db, &today, now, now + time::Duration::minutes(PLAN_CLAIM_MINUTES)).await.unwrap_or_else(|error| {
            tracing::debug!(%error, "the day's planning is another server's");
            false
        });
    if plan_today {
        for (person, to) in &people {
            let chosen = choice(person);
            if !(chosen.reminders || chosen.digest) {
                continue;
            }
            let Some((user, _)) = people::session_user(db, person).await? else { continue };
            let list = crate::home::store::task_list(db, &user, now.date()).await?;
            let kind = if chosen.digest && now.weekday() == time::Weekday::Monday { MailKind::Digest } else { MailKind::Reminder };
            let link = unsubscribe(person, kind);
            mails.extend(rules::daily_mail(person, to, chosen, &list, now.date(), &Links { origin: &mailer.origin, unsubscribe: &link }));
        }
    }
    let queued = store::enqueue(db, &mails, now).await?;
    if plan_today {
        store::mark_day_planned(db, &today, now).await?;
    }

    let mut done = Tick { queued, ..Tick::default() };
    for mail in store::waiting(db, now, BATCH).await? {
        // Another server claiming it at the same moment may make this claim fail: it is theirs.
        match store::claim(db, &mail.id, now, now + time::Duration::minutes(CLAIM_MINUTES)).await {
            Ok(true) => {}
            Ok(false) => continue,
            Err(error) => {
                tracing::debug!(%error, mail = %mail.id, "not claimed");
                continue;
            }
        }
        let kind = MailKind::parse(&mail.kind).unwrap_or(MailKind::Event);
        match mailer.send(&mail, &unsubscribe(&mail.person_id, kind)).await {
            Ok(()) => {
                store::mark_sent(db, &mail.id, now).await?;
                done.sent += 1;
            }
            Err(error) => {
                let attempts = mail.attempts + 1;
                tracing::warn!(%error, mail = %mail.id, attempts, "a mail was not sent; it will be tried again");
                store::mark_failed(db, &mail.id, attempts, now + rules::retry_after(attempts), &error).await?;
                done.failed += 1;
            }
        }
    }
    Ok(done)
}

/// Ticks every `every` until the server stops.
pub async fn run(db: Db, mailer: Mailer, every: Duration) {
    loop {
        match tick(&db, &mailer, OffsetDateTime::now_utc()).await {
            Ok(done) if done != Tick::default() => tracing::info!(?done, "mail"),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "the mail job could not run; trying again later"),
        }
        tokio::time::sleep(every).await;
    }
}
