//! Email through a real SMTP server on loopback (Python's aiosmtpd, writing each mail it accepts
//! to a maildir; scripts/test installs it). The clock is passed to the mail job, so a fortnight
//! runs in seconds: the mail for what needs a person, the reminders' cadence, the weekly digest,
//! the unsubscribe link that works without signing in, and an SMTP server that stops and starts
//! again losing no mail and sending none twice, with two servers sending from one queue.

mod common;

use std::collections::{BTreeMap, HashSet};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use app::mail::outbox::{Mailer, tick};
use app::mail::rules::reminds_on;
use app::planning::rules::parse_date;
use axum::http::StatusCode;
use common::Harness;
use serde_json::json;
use time::{OffsetDateTime, Time, Weekday};

const ORIGIN: &str = "https://perf.example.com";

/// aiosmtpd on a free port, delivering into `dir` (a maildir).
struct Sink {
    child: Option<Child>,
    dir: PathBuf,
}

impl Sink {
    fn start(dir: &Path, port: u16) -> Sink {
        let python = std::env::var("LOS_PYTHON").unwrap_or_else(|_| "python3".into());
        let child = Command::new(&python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {python} -m aiosmtpd ({e}): scripts/test installs it (pip install aiosmtpd)"));
        let mut sink = Sink { child: Some(child), dir: dir.to_owned() };
        for _ in 0..100 {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return sink;
            }
            if let Some(status) = sink.child.as_mut().unwrap().try_wait().unwrap() {
                panic!("aiosmtpd stopped at once ({status}): is it installed? scripts/test installs it (pip install aiosmtpd)");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("aiosmtpd did not listen on port {port}");
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Every mail received so far, in the order the files were written.
    fn mails(&self) -> Vec<String> {
        let mut files: Vec<(std::time::SystemTime, PathBuf)> = ["new", "cur"]
            .iter()
            .filter_map(|d| std::fs::read_dir(self.dir.join(d)).ok())
            .flatten()
            .map(|e| e.unwrap().path())
            .map(|p| (std::fs::metadata(&p).unwrap().modified().unwrap(), p))
            .collect();
        files.sort();
        files.into_iter().map(|(_, p)| std::fs::read_to_string(p).unwrap()).collect()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.stop();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A header's value (unfolded), from a mail's text.
fn header(mail: &str, name: &str) -> String {
    let head = mail.split("\n\n").next().unwrap_or_default().replace("\r\n", "\n").replace("\n ", " ").replace("\n\t", " ");
    head.lines()
        .find_map(|l| l.split_once(':').filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim().to_owned()))
        .unwrap_or_default()
}

/// The body, with quoted-printable soft line breaks and `=3D` undone (lettre encodes long lines).
fn body(mail: &str) -> String {
    let text = mail.replace("\r\n", "\n");
    let body = text.split_once("\n\n").map(|(_, b)| b).unwrap_or_default();
    if header(mail, "Content-Transfer-Encoding").eq_ignore_ascii_case("quoted-printable") {
        let joined = body.replace("=\n", "");
        let mut out = Vec::new();
        let bytes = joined.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'=' && i + 2 < bytes.len() && u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16).is_ok() {
                out.push(u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap(), 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    } else {
        body.to_owned()
    }
}

fn to(mail: &str) -> String {
    header(mail, "To")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_reaches_people_on_cadence_and_nothing_is_lost_or_sent_twice() {
    let port = free_port();
    let url = format!("smtp://127.0.0.1:{port}");
    let h = Harness::new(&["--smtp-url", &url, "--mail-from", "Line of Sight <perf@example.com>", "--public-origin", ORIGIN]).await;
    let dir = std::env::temp_dir().join(format!("los-mail-{port}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut sink = Sink::start(&dir, port);
    let mailer = Mailer::new(&url, "Line of Sight <perf@example.com>", ORIGIN).unwrap();
    // A second server on the same database, sending from the same queue.
    let other = Mailer::new(&url, "Line of Sight <perf@example.com>", ORIGIN).unwrap();

    // The fortnight starts today at 08:00 UTC (the demo's notifications were made just now), and
    // holds two Mondays.
    let first = OffsetDateTime::now_utc().date();
    let start = first.with_time(Time::from_hms(8, 0, 0).unwrap()).assume_utc();
    let first_monday = i64::from((7 - first.weekday().number_days_from_monday()) % 7);
    // HR's deadline for agreed plans: five days in (Emma's plan waits for her acknowledgement).
    let cycle = app::planning::store::plans::current_cycle(&h.db).await.unwrap();
    let due = first + time::Duration::days(5);
    let deadlines = app::planning::types::Deadlines { plans_agreed_by: Some(due.to_string()), ..Default::default() };
    app::planning::store::plans::set_deadlines(&h.db, &cycle.id, &deadlines).await.unwrap();
    let emma = h.user("emma.wilson").await;
    let tasks = app::home::store::task_list(&h.db, &emma, first).await.unwrap();
    assert!(tasks.tasks.iter().any(|t| t.what.starts_with("Read and acknowledge your plan") && t.due_on.as_deref() == Some(due.to_string().as_str())), "{tasks:?}");

    // Sam turns every kind off on the email page but the digest, whose link he uses below.
    let sam_cookie = h.sign_in("sam.taylor").await;
    let saved = h.call("save_mail_settings", &json!({ "settings": { "events": false, "reminders": false, "digest": true } }).to_string(), Some(&sam_cookie)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.json()["sending"], true);

    let mut by_day: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    let mut seen = 0;
    for day in 0..14i64 {
        let morning = start + time::Duration::days(day);
        if day == 2 {
            // Three days before Emma's due date, the SMTP server is down all morning: the mail waits in the queue.
            sink.stop();
            let failed = tick(&h.db, &mailer, morning).await.unwrap();
            assert!(failed.failed > 0 && failed.sent == 0, "{failed:?}");
            let waiting: Vec<i64> = h.db.query("SELECT VALUE attempts FROM mail WHERE sent_at = NONE").await.unwrap().take(0).unwrap();
            assert!(!waiting.is_empty() && waiting.iter().all(|a| *a == 1), "{waiting:?}");
            // Too early for the next try (a minute later): nothing is tried.
            let early = tick(&h.db, &mailer, morning + time::Duration::seconds(30)).await.unwrap();
            assert_eq!(early.failed + early.sent, 0, "{early:?}");
            sink = Sink::start(&dir, port);
        }
        // Two servers tick at the same moment, then again in the afternoon: one mail each, once.
        let later = if day == 2 { morning + time::Duration::minutes(2) } else { morning };
        // (One of them may meet the other's write and leave the rest to its next tick.)
        let (a, b) = tokio::join!(tick(&h.db, &mailer, later), tick(&h.db, &other, later));
        assert!(a.is_ok() || b.is_ok(), "{a:?} {b:?}");
        tick(&h.db, &mailer, morning + time::Duration::hours(6)).await.unwrap();
        let mails = sink.mails();
        by_day.insert(day, mails[seen..].to_vec());
        seen = mails.len();
    }
    let all: Vec<String> = by_day.values().flatten().cloned().collect();

    // Nothing twice: each mail's id arrives once, and every queued mail was sent.
    let ids: Vec<String> = all.iter().map(|m| header(m, "Message-ID")).collect();
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len(), "a mail arrived twice");
    let unsent: Vec<String> = h.db.query("SELECT VALUE subject FROM mail WHERE sent_at = NONE").await.unwrap().take(0).unwrap();
    assert!(unsent.is_empty(), "{unsent:?}");
    let queued: Vec<String> = h.db.query("SELECT VALUE record::id(id) FROM mail").await.unwrap().take(0).unwrap();
    assert_eq!(queued.len(), ids.len());

    // The event mail: Emma's plan waits for her, with the link to it and to stop such mail.
    let emma_mail = |m: &&String| to(m).contains(&emma.email);
    let event = all.iter().filter(emma_mail).find(|m| body(m).contains("Open it: ")).expect("Emma is told her plan is sent to her");
    assert!(body(event).contains(&format!("Open it: {ORIGIN}/plans/")), "{}", body(event));
    assert!(header(event, "List-Unsubscribe").starts_with(&format!("<{ORIGIN}/unsubscribe/")));

    // Emma's reminders follow the cadence: a mail on each day one of her tasks reaches a
    // reminder point (three days before, the day, the day after, weekly after) or on a Monday
    // (the digest), at most one a day, and none on other days.
    for (day, mails) in &by_day {
        let date = first + time::Duration::days(*day);
        let daily: Vec<&String> = mails.iter().filter(emma_mail).filter(|m| !body(m).contains("Open it: ")).collect();
        let list = app::home::store::task_list(&h.db, &emma, date).await.unwrap();
        let pointed = list.tasks.iter().any(|t| t.due_on.as_deref().and_then(parse_date).is_some_and(|d| reminds_on(d, date)));
        let expected = usize::from(pointed || date.weekday() == Weekday::Monday);
        assert_eq!(daily.len(), expected, "Emma's mails on {date}: {:?}", daily.iter().map(|m| header(m, "Subject")).collect::<Vec<_>>());
        if let Some(mail) = daily.first() {
            if date.weekday() == Weekday::Monday {
                assert!(header(mail, "Subject").starts_with("Your week"), "{}", header(mail, "Subject"));
            }
            let offset = (date - due).whole_days();
            if [-3, 0, 1, 8].contains(&offset) {
                assert!(body(mail).contains("Read and acknowledge your plan"), "{}", body(mail));
                assert!(body(mail).contains(&format!("{ORIGIN}/plans/me")));
            }
        }
    }
    for offset in [-3i64, 0, 1, 8] {
        let day = (due - first).whole_days() + offset;
        assert!(by_day[&day].iter().any(|m| emma_mail(&m)), "a reminder {offset} days from the due date");
    }

    // The digest: how Sam is doing, on Monday; he stops it with its link, without signing in.
    let sam = h.user("sam.taylor").await;
    let digest = by_day[&first_monday].iter().find(|m| to(m).contains(&sam.email)).expect("Sam's digest");
    assert!(header(digest, "Subject").starts_with("Your week: how you are doing"));
    assert!(body(digest).contains("Score so far:") && body(digest).contains("Consistency award:"), "{}", body(digest));
    let link = header(digest, "List-Unsubscribe").trim_matches(['<', '>']).to_owned();
    let path = link.strip_prefix(ORIGIN).unwrap().to_owned();
    let token = path.strip_prefix("/unsubscribe/").unwrap().to_owned();
    let page = h.page(None, &path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Stop the weekly digest to s…@"), "{}", page.body);
    // Tampered with: refused, naming the link; nothing changes.
    let forged = h.call("unsubscribe", &json!({ "token": token.replace(".digest.", ".reminder.") }).to_string(), None).await;
    assert_eq!(forged.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", forged.body);
    assert!(forged.body.contains("token"));
    let stopped = h.call("unsubscribe", &json!({ "token": token }).to_string(), None).await;
    assert_eq!(stopped.status, StatusCode::OK, "{}", stopped.body);
    assert_eq!(stopped.json()["stopped"], true);
    let settings = h.call("my_mail_settings", "{}", Some(&sam_cookie)).await.json();
    assert_eq!(settings["settings"], json!({ "events": false, "reminders": false, "digest": false }));
    // Sam received only that digest: the mail he turned off never came.
    let to_sam: Vec<String> = all.iter().filter(|m| to(m).contains(&sam.email)).map(|m| header(m, "Subject")).collect();
    assert_eq!(to_sam.len(), 2, "the two Mondays' digests, nothing else: {to_sam:?}");
    // Unsubscribed from everything: the next Monday brings Sam nothing.
    let next = start + time::Duration::days(first_monday + 14);
    tick(&h.db, &mailer, next).await.unwrap();
    let after = sink.mails();
    assert!(after[seen..].iter().all(|m| !to(m).contains(&sam.email)), "nothing for Sam after unsubscribing");
    assert!(after[seen..].iter().any(|m| to(m).contains(&emma.email)), "Emma still gets hers");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn without_an_smtp_server_no_mail_goes_and_the_page_says_so() {
    let h = Harness::new(&[]).await;
    let cookie = h.sign_in("emma.wilson").await;
    let choices = h.call("my_mail_settings", "{}", Some(&cookie)).await.json();
    assert_eq!(choices["sending"], false);
    assert_eq!(choices["settings"], json!({ "events": true, "reminders": true, "digest": true }));
    let page = h.page(Some(&cookie), "/settings/email").await;
    assert!(page.body.contains("This server sends no email yet"), "{}", page.body);
    // Choices are one's own: there is no argument naming anyone else.
    let saved = h.call("save_mail_settings", &json!({ "settings": { "events": true, "reminders": false, "digest": true }, "person_id": h.id("sam.taylor") }).to_string(), Some(&cookie)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let sam = h.sign_in("sam.taylor").await;
    assert_eq!(h.call("my_mail_settings", "{}", Some(&sam)).await.json()["settings"]["reminders"], true);
    assert_eq!(h.call("my_mail_settings", "{}", Some(&cookie)).await.json()["settings"]["reminders"], false);
    // Signed out: refused.
    assert_eq!(h.call("my_mail_settings", "{}", None).await.status, StatusCode::UNAUTHORIZED);
}
