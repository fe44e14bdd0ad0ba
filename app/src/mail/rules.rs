//! Email's rules: which mail a person gets and when, what it says, how long a failed send waits,
//! and the signed unsubscribe link. Pure: the outbox passes the clock in.

use time::{Date, Weekday};

use crate::home::types::{Task, TaskList};
use crate::mail::types::{Mail, MailKind, MailSettings};
use crate::offline::types::Notification;
use crate::planning::rules::{iso, parse_date};

/// Days before a due date that the first reminder goes.
pub const REMIND_BEFORE_DAYS: i64 = 3;
/// Once a task is overdue: a reminder the day after, then one a week.
pub const REMIND_OVERDUE_EVERY_DAYS: i64 = 7;
/// The hour (UTC) from which a day's reminders and digests go: not in the middle of the night.
pub const PLAN_FROM_HOUR: u8 = 7;
/// The longest wait between two tries of a failing mail.
pub const LONGEST_RETRY_MINUTES: i64 = 6 * 60;

/// Where the mail's links lead: the app's public origin and this mail's unsubscribe page.
pub struct Links<'a> {
    pub origin: &'a str,
    pub unsubscribe: &'a str,
}

/// Whether a task due on `due` is reminded of on `today`: three days before, on the day, the day
/// after it was missed, and a week after each of those while it stays undone.
pub fn reminds_on(due: Date, today: Date) -> bool {
    let days = (today - due).whole_days();
    days == -REMIND_BEFORE_DAYS || days == 0 || (days >= 1 && (days - 1) % REMIND_OVERDUE_EVERY_DAYS == 0)
}

/// Whether a day's reminders and digests may be planned at `hour` (UTC).
pub fn planning_hour(hour: u8) -> bool {
    hour >= PLAN_FROM_HOUR
}

/// The wait before the next try of a mail that failed `attempts` times: a minute, doubling, at
/// most six hours. A mail is never dropped: an SMTP server down for a day loses nothing.
pub fn retry_after(attempts: u32) -> time::Duration {
    let minutes = 1i64.checked_shl(attempts.saturating_sub(1).min(20)).unwrap_or(i64::MAX).min(LONGEST_RETRY_MINUTES);
    time::Duration::minutes(minutes)
}

/// The mail for a notification the person must act on and has not read yet; none for news.
pub fn event_mail(n: &Notification, to: &str, settings: MailSettings, links: &Links) -> Option<Mail> {
    if !n.event.to_act() || n.read || !settings.events {
        return None;
    }
    let link = n.safe_link()?;
    let body = format!("{}\n\nOpen it: {}{link}\n{}", n.text, links.origin, footer(MailKind::Event, links));
    Some(Mail {
        person_id: n.person_id.clone(),
        to: to.to_owned(),
        kind: MailKind::Event,
        about: format!("event/{}/{}", n.id, n.created_at),
        subject: one_line(&n.text, 120),
        body,
    })
}

/// The mail a person gets today about their tasks, if any: Monday's weekly digest (how they are
/// doing and what is due), or on another day a reminder when a task's due date is three days off,
/// today, or missed (see [`reminds_on`]). Never more than one a day: the digest carries the tasks.
pub fn daily_mail(person_id: &str, to: &str, settings: MailSettings, list: &TaskList, today: Date, links: &Links) -> Option<Mail> {
    let digest_day = today.weekday() == Weekday::Monday;
    if settings.digest && digest_day {
        return digest_mail(person_id, to, list, today, links);
    }
    if !settings.reminders {
        return None;
    }
    let due = |t: &Task| t.due_on.as_deref().and_then(parse_date);
    let reminded: Vec<&Task> = list.tasks.iter().filter(|t| due(t).is_some_and(|d| reminds_on(d, today))).collect();
    let first = reminded.first()?;
    let subject = match reminded.len() {
        1 if first.overdue => format!("Overdue: {}", first.what),
        1 => format!("Due {}: {}", when(due(first), today), first.what),
        n => format!("{n} tasks due soon or overdue"),
    };
    let body = format!(
        "Your tasks in Line of Sight, as of {}:\n\n{}\nOpen your tasks: {}/\n{}",
        iso(today),
        task_lines(&list.tasks, today, links.origin),
        links.origin,
        footer(MailKind::Reminder, links)
    );
    Some(Mail { person_id: person_id.to_owned(), to: to.to_owned(), kind: MailKind::Reminder, about: format!("daily/{person_id}/{}", iso(today)), subject: one_line(&subject, 120), body })
}

/// The weekly digest: how the person is doing (score, KPI status, the consistency run, feedback
/// this month) and every task with its due date. None with nothing to tell.
fn digest_mail(person_id: &str, to: &str, list: &TaskList, today: Date, links: &Links) -> Option<Mail> {
    if list.progress.is_none() && list.tasks.is_empty() {
        return None;
    }
    let mut body = format!("How you are doing, week of {}\n\n", iso(today));
    if let Some(p) = &list.progress {
        body.push_str(&format!(
            "{}\n  Score so far: {}\n  KPIs: {}\n  Consistency award: {}\n  Feedback received this month: {}\n  Your scorecard: {}/scorecards/me\n\n",
            p.cycle_name,
            p.score_words(),
            p.status_words(),
            p.run_words(),
            p.feedback_words(),
            links.origin
        ));
    }
    if list.tasks.is_empty() {
        body.push_str("Nothing is waiting for you.\n");
    } else {
        body.push_str(&format!("What is waiting for you:\n\n{}", task_lines(&list.tasks, today, links.origin)));
    }
    body.push_str(&footer(MailKind::Digest, links));
    let overdue = list.tasks.iter().filter(|t| t.overdue).count();
    let subject = match (list.tasks.len(), overdue) {
        (0, _) => "Your week: how you are doing".to_owned(),
        (n, 0) => format!("Your week: how you are doing, {n} {} to do", if n == 1 { "task" } else { "tasks" }),
        (n, o) => format!("Your week: how you are doing, {n} {} to do ({o} overdue)", if n == 1 { "task" } else { "tasks" }),
    };
    Some(Mail { person_id: person_id.to_owned(), to: to.to_owned(), kind: MailKind::Digest, about: format!("daily/{person_id}/{}", iso(today)), subject, body })
}

/// Each task: what, why, when, and the link to the place to act (overdue first, as listed).
fn task_lines(tasks: &[Task], today: Date, origin: &str) -> String {
    tasks
        .iter()
        .map(|t| {
            let due = t.due_on.as_deref().and_then(parse_date);
            let state = match due {
                Some(_) if t.overdue => format!("OVERDUE since {}", when(due, today)),
                Some(_) => format!("due {}", when(due, today)),
                None => "no due date".to_owned(),
            };
            format!("- {} ({state})\n  Why: {}\n  {origin}{}\n\n", t.what, t.why, t.link)
        })
        .collect()
}

/// "today", "tomorrow", or the date.
fn when(due: Option<Date>, today: Date) -> String {
    match due {
        Some(d) if d == today => "today".to_owned(),
        Some(d) if d == today.next_day().unwrap_or(today) => "tomorrow".to_owned(),
        Some(d) => iso(d),
        None => "no date".to_owned(),
    }
}

fn footer(kind: MailKind, links: &Links) -> String {
    format!(
        "\n--\nYou get {} from Line of Sight. Stop them (no sign-in needed): {}\nChoose what you receive: {}/settings/email\n",
        kind.label(),
        links.unsubscribe,
        links.origin
    )
}

/// A subject line: the first line, cut at `max` characters with an ellipsis.
fn one_line(text: &str, max: usize) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    if line.chars().count() <= max {
        line.to_owned()
    } else {
        format!("{}…", line.chars().take(max - 1).collect::<String>())
    }
}

/// "s…@example.com": enough for the owner to recognise, little for whoever holds a forwarded link.
pub fn email_hint(email: &str) -> String {
    match email.split_once('@') {
        Some((name, domain)) => format!("{}…@{domain}", name.chars().next().unwrap_or('?')),
        None => "…".to_owned(),
    }
}

/// The token of an unsubscribe link: the person, the kind, and a signature with the database's
/// key, so the link works without signing in and cannot be made for anyone else.
#[cfg(feature = "ssr")]
pub fn unsubscribe_token(key: &[u8], person_id: &str, kind: MailKind) -> String {
    format!("{person_id}.{}.{}", kind.as_str(), signature(key, person_id, kind))
}

/// The person and kind an unsubscribe token names, if its signature is this database's.
#[cfg(feature = "ssr")]
pub fn read_unsubscribe_token(key: &[u8], token: &str) -> Result<(String, MailKind), crate::error::FieldError> {
    let broken = || crate::error::FieldError::new("token", "This unsubscribe link is not complete or was changed: open the link from the mail as it is, or choose what you receive on your profile.");
    let mut parts = token.rsplitn(3, '.');
    let (Some(mac), Some(kind), Some(person)) = (parts.next(), parts.next(), parts.next()) else { return Err(broken()) };
    let kind = MailKind::parse(kind).ok_or_else(broken)?;
    let valid = person.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') && !person.is_empty();
    // Compared in constant time: the signature is the secret part.
    use hmac::Mac;
    let expected = mac_of(key, person, kind);
    let given = (0..mac.len()).step_by(2).map(|i| mac.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok())).collect::<Option<Vec<u8>>>();
    match given {
        Some(given) if valid && given.len() == SIGNATURE_BYTES && expected.verify_truncated_left(&given).is_ok() => Ok((person.to_owned(), kind)),
        _ => Err(broken()),
    }
}

#[cfg(feature = "ssr")]
const SIGNATURE_BYTES: usize = 16;

#[cfg(feature = "ssr")]
fn mac_of(key: &[u8], person_id: &str, kind: MailKind) -> hmac::Hmac<sha2::Sha256> {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(format!("unsubscribe/{person_id}/{}", kind.as_str()).as_bytes());
    mac
}

#[cfg(feature = "ssr")]
fn signature(key: &[u8], person_id: &str, kind: MailKind) -> String {
    use hmac::Mac;
    mac_of(key, person_id, kind).finalize().into_bytes().iter().take(SIGNATURE_BYTES).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::home::types::Progress;
    use crate::offline::types::Event;
    use time::macros::date;

    const LINKS: Links = Links { origin: "https://perf.example.com", unsubscribe: "https://perf.example.com/unsubscribe/t" };

    fn task(what: &str, due: Option<&str>, overdue: bool) -> Task {
        Task { what: what.into(), why: "Serves: On-time delivery".into(), due_on: due.map(str::to_owned), overdue, link: "/plans/me".into() }
    }

    #[test]
    fn reminders_go_three_days_before_on_the_day_and_weekly_once_missed() {
        let due = date!(2026 - 12 - 10);
        let days: Vec<i64> = (-10..=30).filter(|d| reminds_on(due, due + time::Duration::days(*d))).collect();
        assert_eq!(days, vec![-3, 0, 1, 8, 15, 22, 29]);
    }

    #[test]
    fn a_day_brings_one_mail_at_most_and_monday_brings_the_digest() {
        let settings = MailSettings::default();
        let list = TaskList { today: "x".into(), tasks: vec![task("Acknowledge your plan", Some("2026-12-10"), false), task("Self-assessment", Some("2026-12-07"), false)], progress: None };
        // Thursday 3 December: four days before the self-assessment, seven before the plan.
        let thursday = date!(2026 - 12 - 03);
        assert!(daily_mail("p", "p@x.org", settings, &list, thursday, &LINKS).is_none(), "nothing due in 3 days, today or missed");
        let friday = date!(2026 - 12 - 04);
        let mail = daily_mail("p", "p@x.org", settings, &list, friday, &LINKS).unwrap();
        assert_eq!((mail.kind, mail.subject.as_str()), (MailKind::Reminder, "Due 2026-12-07: Self-assessment"));
        assert!(mail.body.contains("https://perf.example.com/plans/me") && mail.body.contains("Why: Serves: On-time delivery"));
        assert!(mail.body.contains("Stop them (no sign-in needed): https://perf.example.com/unsubscribe/t"));
        // Monday the 7th: the self-assessment is due today, and it is digest day: one mail, the digest.
        let monday = date!(2026 - 12 - 07);
        let mail = daily_mail("p", "p@x.org", settings, &list, monday, &LINKS).unwrap();
        assert_eq!(mail.kind, MailKind::Digest);
        assert_eq!(mail.about, "daily/p/2026-12-07");
        assert!(mail.body.contains("Self-assessment (due today)"));
        // Without the digest, Monday's reminder: the self-assessment due today, the plan in three days.
        let mail = daily_mail("p", "p@x.org", settings.set(MailKind::Digest, false), &list, monday, &LINKS).unwrap();
        assert_eq!((mail.kind, mail.subject.as_str()), (MailKind::Reminder, "2 tasks due soon or overdue"));
        let tuesday = date!(2026 - 12 - 08);
        assert!(daily_mail("p", "p@x.org", settings, &list, tuesday, &LINKS).is_some(), "the day after the self-assessment was missed");
        let wednesday = date!(2026 - 12 - 09);
        assert!(daily_mail("p", "p@x.org", settings, &list, wednesday, &LINKS).is_none());
        // Neither: nothing.
        assert!(daily_mail("p", "p@x.org", settings.set(MailKind::Digest, false).set(MailKind::Reminder, false), &list, monday, &LINKS).is_none());
    }

    #[test]
    fn an_overdue_task_is_named_so() {
        let list = TaskList { today: "x".into(), tasks: vec![task("Sign your appraisal", Some("2026-12-01"), true)], progress: None };
        let mail = daily_mail("p", "p@x.org", MailSettings::default(), &list, date!(2026 - 12 - 02), &LINKS).unwrap();
        assert_eq!(mail.subject, "Overdue: Sign your appraisal");
        assert!(mail.body.contains("OVERDUE since 2026-12-01"));
    }

    #[test]
    fn the_digest_tells_how_the_person_is_doing() {
        let progress = Progress { cycle_name: "FY2026".into(), score: Some(0.982), rating: Some("3 — Meets".into()), run: 2, needed: 3, feedback_this_month: 1, ..Progress::default() };
        let list = TaskList { today: "x".into(), tasks: vec![], progress: Some(progress) };
        let mail = daily_mail("p", "p@x.org", MailSettings::default(), &list, date!(2026 - 12 - 07), &LINKS).unwrap();
        assert_eq!(mail.subject, "Your week: how you are doing");
        assert!(mail.body.contains("Score so far: 98.2% (3 — Meets)"), "{}", mail.body);
        assert!(mail.body.contains("2 of 3 periods in a row"));
        assert!(mail.body.contains("Nothing is waiting for you."));
        // Nothing to tell: no digest.
        let empty = TaskList::default();
        assert!(daily_mail("p", "p@x.org", MailSettings::default(), &empty, date!(2026 - 12 - 07), &LINKS).is_none());
    }

    #[test]
    fn only_what_needs_the_person_is_mailed_at_once() {
        let mut n = Notification::new("p", Event::FeedbackAsked, "James asks for your feedback".into(), "/feedback".into(), "2026-12-07T08:00:00Z");
        n.id = "n1".into();
        let mail = event_mail(&n, "p@x.org", MailSettings::default(), &LINKS).unwrap();
        assert_eq!(mail.subject, "James asks for your feedback");
        assert!(mail.body.contains("Open it: https://perf.example.com/feedback"));
        assert_eq!(mail.about, "event/n1/2026-12-07T08:00:00Z");
        assert!(event_mail(&Notification { read: true, ..n.clone() }, "p@x.org", MailSettings::default(), &LINKS).is_none(), "already read");
        assert!(event_mail(&n, "p@x.org", MailSettings::default().set(MailKind::Event, false), &LINKS).is_none(), "turned off");
        assert!(event_mail(&Notification { event: Event::Kudos, ..n.clone() }, "p@x.org", MailSettings::default(), &LINKS).is_none(), "news, not a task");
        assert!(event_mail(&Notification { link: "//evil.example".into(), ..n }, "p@x.org", MailSettings::default(), &LINKS).is_none(), "never a link elsewhere");
    }

    #[test]
    fn a_failing_mail_waits_longer_each_time_up_to_six_hours() {
        let minutes: Vec<i64> = [1, 2, 3, 4, 9, 10, 100].into_iter().map(|a| retry_after(a).whole_minutes()).collect();
        assert_eq!(minutes, vec![1, 2, 4, 8, 256, 360, 360]);
        assert!(!planning_hour(6) && planning_hour(7));
    }

    #[test]
    fn an_unsubscribe_link_names_one_person_and_one_kind_and_cannot_be_forged() {
        let key = b"0123456789abcdef0123456789abcdef";
        let token = unsubscribe_token(key, "p1", MailKind::Reminder);
        assert_eq!(read_unsubscribe_token(key, &token).unwrap(), ("p1".to_owned(), MailKind::Reminder));
        // Another kind, another person, another key, a cut signature: refused, naming the token.
        let forged = [
            token.replace(".reminder.", ".digest."),
            token.replacen("p1", "p2", 1),
            unsubscribe_token(b"another key of the same length!!", "p1", MailKind::Reminder),
            token[..token.len() - 2].to_owned(),
            "p1.reminder".to_owned(),
            String::new(),
        ];
        for t in forged {
            assert_eq!(read_unsubscribe_token(key, &t).unwrap_err().field, "token", "{t}");
        }
        assert_eq!(email_hint("sam.taylor@example.com"), "s…@example.com");
    }
}
