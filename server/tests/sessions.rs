//! Sessions, sign-in limits and the cross-site guard, through the real router.

mod common;

use app::error::AppError;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::Harness;
use server::PublicOrigin;

/// A sign-in from `client`, as a trusted reverse proxy forwards it.
async fn sign_in_from(h: &Harness, client: &str, email: &str, password: &str) -> common::Answer {
    let request = Request::post("/api/sign_in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header("sec-fetch-site", "same-origin")
        .header("x-forwarded-for", format!("10.0.0.9, {client}"))
        .body(Body::from(format!("email={}&password={password}", email.replace('@', "%40"))))
        .unwrap();
    h.request(request).await
}

fn error(answer: &common::Answer) -> AppError {
    serde_json::from_str(&answer.body).unwrap_or_else(|_| panic!("an AppError: {}", answer.body))
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site_strict() {
    let h = Harness::new(&[]).await;
    let answer = h.sign_in_answer("sam.taylor@example.com", "demo-password", None).await;
    let cookie = answer.set_cookie().expect("cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain HTTP by default: {cookie}");

    assert!(!answer.headers.contains_key(header::STRICT_TRANSPORT_SECURITY), "no HSTS over plain HTTP");

    let behind_tls = Harness::new(&["--secure-cookies"]).await;
    let answer = behind_tls.sign_in_answer("sam.taylor@example.com", "demo-password", None).await;
    assert!(answer.set_cookie().unwrap().contains("Secure"));
    // Over HTTPS, browsers are told to keep to it: on answers and on pages.
    let page = behind_tls.request(Request::get("/sign-in").body(Body::empty()).unwrap()).await;
    for headers in [&answer.headers, &page.headers] {
        assert_eq!(headers[header::STRICT_TRANSPORT_SECURITY], "max-age=31536000; includeSubDomains");
    }
}

#[tokio::test]
async fn signing_in_rotates_the_session_and_signing_out_ends_it() {
    let h = Harness::new(&[]).await;
    let first = h.sign_in("sam.taylor").await;
    let again = h.sign_in_answer("sam.taylor@example.com", "demo-password", Some(&first)).await;
    let second = again.session_cookie().expect("a new session cookie");
    assert_ne!(first, second, "the session id changes at sign-in");
    let old = h.call("current_user", "{}", Some(&first)).await;
    assert_eq!(old.body, "null", "the session before sign-in no longer opens anything");

    let me = h.call("current_user", "{}", Some(&second)).await;
    assert!(me.body.contains("Sam Taylor"), "{}", me.body);
    assert_eq!(h.call("sign_out", "{}", Some(&second)).await.status, StatusCode::OK);
    assert_eq!(h.call("current_user", "{}", Some(&second)).await.body, "null");
    assert_eq!(h.call("my_team", "{}", Some(&second)).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_idle_session_expires() {
    let h = Harness::new(&["--session-idle-minutes", "0"]).await;
    let cookie = h.sign_in("sam.taylor").await;
    assert_eq!(h.call("current_user", "{}", Some(&cookie)).await.body, "null");
}

#[tokio::test]
async fn a_deactivated_person_is_signed_out() {
    let h = Harness::new(&[]).await;
    let cookie = h.sign_in("ravi.patel").await;
    h.db.query("UPDATE person SET active = false WHERE email = 'ravi.patel@example.com'").await.unwrap().check().unwrap();
    assert_eq!(h.call("current_user", "{}", Some(&cookie)).await.body, "null");
    let again = h.sign_in_answer("ravi.patel@example.com", "demo-password", None).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn unknown_accounts_and_wrong_passwords_get_the_same_answer() {
    let h = Harness::new(&[]).await;
    let wrong = h.sign_in_answer("sam.taylor@example.com", "not-the-password", None).await;
    let unknown = h.sign_in_answer("nobody@example.com", "not-the-password", None).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!((wrong.status, &wrong.body), (unknown.status, &unknown.body));
    assert!(wrong.session_cookie().is_none());
}

#[tokio::test]
async fn repeated_failures_from_one_address_make_it_wait_even_for_the_right_password() {
    let h = Harness::new(&[]).await;
    for _ in 0..3 {
        let answer = h.sign_in_answer("emma.wilson@example.com", "guess", None).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    }
    let waiting = h.sign_in_answer("emma.wilson@example.com", "demo-password", None).await;
    assert_eq!(waiting.status, StatusCode::TOO_MANY_REQUESTS, "{}", waiting.body);
    assert_eq!(error(&waiting), AppError::TooManyAttempts { retry_after_secs: 1 });
    assert_eq!(error(&waiting).to_string(), "Too many failed sign-ins. Try again in 1 second.");
    assert_eq!(waiting.headers[header::RETRY_AFTER], "1");
    // Other accounts are unaffected; once the wait is over, the right password works.
    h.sign_in("sam.taylor").await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    h.sign_in("emma.wilson").await;
}

#[tokio::test]
async fn someone_failing_from_another_address_does_not_lock_the_owner_out() {
    let h = Harness::new(&["--trust-forwarded-for"]).await;
    let mut attacker = Vec::new();
    for _ in 0..10 {
        attacker.push(sign_in_from(&h, "203.0.113.7", "emma.wilson@example.com", "guess").await.status);
    }
    assert_eq!(&attacker[..3], [StatusCode::UNAUTHORIZED; 3]);
    assert_eq!(&attacker[3..], [StatusCode::TOO_MANY_REQUESTS; 7], "the guessing address is slowed down");
    let owner = sign_in_from(&h, "198.51.100.2", "emma.wilson@example.com", "demo-password").await;
    assert_eq!(owner.status, StatusCode::OK, "{}", owner.body);
    assert!(owner.body.contains("Emma Wilson"));
    // Her success does not free the attacker, who still waits.
    let again = sign_in_from(&h, "203.0.113.7", "emma.wilson@example.com", "guess").await;
    assert!(matches!(error(&again), AppError::TooManyAttempts { .. }));
}

#[tokio::test]
async fn cross_site_mutations_are_refused() {
    let h = Harness::new(&["--public-origin", "https://lineofsight.example.com"]).await;
    let cookie = h.sign_in("amina.okafor").await;
    let post = |site: Option<&str>, origin: Option<&str>| {
        let mut request = Request::post("/api/export_people")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::HOST, "lineofsight.example.com")
            .header(header::COOKIE, cookie.clone());
        if let Some(site) = site {
            request = request.header("sec-fetch-site", site);
        }
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        request.body(Body::from("{}")).unwrap()
    };
    assert_eq!(h.request(post(Some("cross-site"), None)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(h.request(post(Some("same-site"), None)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(h.request(post(None, Some("https://evil.example.net"))).await.status, StatusCode::FORBIDDEN);
    assert_eq!(h.request(post(Some("same-origin"), None)).await.status, StatusCode::OK);
    assert_eq!(h.request(post(None, Some("https://lineofsight.example.com"))).await.status, StatusCode::OK);
    assert_eq!(h.request(post(None, Some("https://LineOfSight.example.com:443"))).await.status, StatusCode::OK);
    // The scheme and the port count, and the Host header proves nothing.
    for origin in ["http://lineofsight.example.com", "https://lineofsight.example.com:8443", "null", "https://lineofsight.example.com.evil.net"] {
        assert_eq!(h.request(post(None, Some(origin))).await.status, StatusCode::FORBIDDEN, "{origin}");
    }
    let mut spoofed = post(None, Some("https://evil.example.net"));
    spoofed.headers_mut().insert(header::HOST, "evil.example.net".parse().unwrap());
    assert_eq!(h.request(spoofed).await.status, StatusCode::FORBIDDEN);

    // Without the setting, the origin is http:// and the bound address.
    let local = Harness::new(&["--bind", "127.0.0.1:3999"]).await;
    let cookie = local.sign_in("amina.okafor").await;
    let from = |origin: &str| {
        Request::post("/api/export_people")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, cookie.clone())
            .header(header::ORIGIN, origin)
            .body(Body::from("{}"))
            .unwrap()
    };
    assert_eq!(local.request(from("http://127.0.0.1:3999")).await.status, StatusCode::OK);
    assert_eq!(local.request(from("https://127.0.0.1:3999")).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_public_origin_is_a_scheme_a_host_and_a_port() {
    let origin = PublicOrigin::parse("https://Perf.Example.com").unwrap();
    assert!(origin.matches("https://perf.example.com:443"));
    assert!(!origin.matches("http://perf.example.com"));
    for wrong in ["perf.example.com", "ftp://perf.example.com", "https://perf.example.com/app", "https://user@perf.example.com", "https://"] {
        assert!(PublicOrigin::parse(wrong).unwrap_err().contains("is not an origin"), "{wrong}");
    }
}

#[tokio::test]
async fn pages_are_never_cached_and_unknown_pages_are_404() {
    let h = Harness::new(&[]).await;
    let page = h.request(Request::get("/sign-in").body(Body::empty()).unwrap()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");
    assert!(page.body.contains("Sign in"));
    let missing = h.request(Request::get("/no/such/page").body(Body::empty()).unwrap()).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn pages_send_people_who_are_not_signed_in_to_sign_in() {
    let h = Harness::new(&[]).await;
    let page = |cookie: Option<&str>| {
        let mut request = Request::get("/people").header(header::ACCEPT, "text/html");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        request.body(Body::empty()).unwrap()
    };
    let anonymous = h.request(page(None)).await;
    assert_eq!(anonymous.status, StatusCode::FOUND);
    // …and back to the page after signing in.
    assert_eq!(anonymous.headers[header::LOCATION], "/sign-in?next=/people");
    // A page drawn from the device's copy sends them too (it asks the server who is signed in).
    let copy = h.request(Request::get("/check-ins").header(header::ACCEPT, "text/html").body(Body::empty()).unwrap()).await;
    assert_eq!(copy.status, StatusCode::FOUND);
    assert_eq!(copy.headers[header::LOCATION], "/sign-in?next=/check-ins");

    let hr = h.sign_in("amina.okafor").await;
    let signed_in = h.request(page(Some(&hr))).await;
    assert_eq!(signed_in.status, StatusCode::OK);
    assert!(signed_in.body.contains("Amina Okafor"));

    let employee = h.sign_in("sam.taylor").await;
    assert_eq!(h.request(page(Some(&employee))).await.status, StatusCode::FORBIDDEN);

    h.call("sign_out", "{}", Some(&hr)).await;
    let after = h.request(page(Some(&hr))).await;
    assert_eq!(after.status, StatusCode::FOUND, "the old cookie opens nothing after sign-out");
}

#[tokio::test]
async fn a_person_changes_their_password_and_hr_can_issue_a_temporary_one() {
    let h = Harness::new(&[]).await;
    let cookie = h.sign_in("sam.taylor").await;
    let change = |current: &str, new: &str| serde_json::json!({ "current_password": current, "new_password": new }).to_string();

    let wrong = h.call("change_password", &change("not it", "a-long-new-password"), Some(&cookie)).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("current_password"), "{}", wrong.body);
    let short = h.call("change_password", &change("demo-password", "short"), Some(&cookie)).await;
    assert!(short.body.contains("new_password") && short.body.contains("at least 10"), "{}", short.body);

    let ok = h.call("change_password", &change("demo-password", "a-long-new-password"), Some(&cookie)).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let old = h.sign_in_answer("sam.taylor@example.com", "demo-password", None).await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    let new = h.sign_in_answer("sam.taylor@example.com", "a-long-new-password", None).await;
    assert_eq!(new.status, StatusCode::OK);

    let hr = h.sign_in("amina.okafor").await;
    let issued = h.call("issue_temporary_password", &format!(r#"{{"id":"{}"}}"#, h.id("sam.taylor")), Some(&hr)).await;
    let temporary: String = serde_json::from_str(&issued.body).unwrap();
    assert_eq!(h.sign_in_answer("sam.taylor@example.com", &temporary, None).await.status, StatusCode::OK);
}

/// The latest idle expiry stored for any session.
async fn latest_expiry(h: &Harness) -> i64 {
    let mut response = h.db.query("SELECT VALUE expires_at FROM session").await.unwrap();
    let expiries: Vec<i64> = response.take(0).unwrap();
    expiries.into_iter().max().expect("a stored session")
}

#[tokio::test]
async fn requests_move_the_idle_expiry_on_once_a_refresh_interval() {
    let h = Harness::new(&["--session-refresh-seconds", "1"]).await;
    let cookie = h.sign_in("sam.taylor").await;
    let at_sign_in = latest_expiry(&h).await;
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert!(h.call("current_user", "{}", Some(&cookie)).await.body.contains("Sam Taylor"));
    assert!(latest_expiry(&h).await > at_sign_in, "the timeout counts from the last request");
}

#[tokio::test]
async fn requests_within_the_refresh_interval_write_no_session() {
    let h = Harness::new(&[]).await;
    let cookie = h.sign_in("sam.taylor").await;
    let at_sign_in = latest_expiry(&h).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    for _ in 0..3 {
        let answer = h.call("current_user", "{}", Some(&cookie)).await;
        assert!(answer.body.contains("Sam Taylor"));
        assert_eq!(answer.set_cookie(), None, "nothing to send back: the session did not change");
    }
    assert_eq!(latest_expiry(&h).await, at_sign_in, "no write within a minute of the last");
}

#[tokio::test]
async fn a_password_change_ends_the_other_sessions() {
    let h = Harness::new(&[]).await;
    let phone = h.sign_in("sam.taylor").await;
    let laptop = h.sign_in("sam.taylor").await;
    let change = serde_json::json!({ "current_password": "demo-password", "new_password": "a-long-new-password" });
    let changed = h.call("change_password", &change.to_string(), Some(&laptop)).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let laptop = changed.session_cookie().unwrap_or(laptop);
    assert!(h.call("current_user", "{}", Some(&laptop)).await.body.contains("Sam Taylor"), "this device stays signed in");
    assert_eq!(h.call("current_user", "{}", Some(&phone)).await.body, "null", "the other device is signed out");
}

#[tokio::test]
async fn behind_a_trusted_proxy_failures_count_per_forwarded_address() {
    async fn fail_from(h: &Harness, i: usize, client: &str) -> common::Answer {
        sign_in_from(h, client, &format!("nobody{i}@example.com"), "guess").await
    }
    let proxied = Harness::new(&["--trust-forwarded-for"]).await;
    for i in 0..30 {
        assert_eq!(fail_from(&proxied, i, "203.0.113.7").await.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(fail_from(&proxied, 99, "203.0.113.7").await.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(fail_from(&proxied, 99, "198.51.100.2").await.status, StatusCode::UNAUTHORIZED, "another client is not locked out");

    // Without the setting, the header is ignored: a client cannot pick its address.
    let direct = Harness::new(&[]).await;
    for i in 0..30 {
        fail_from(&direct, i, "203.0.113.7").await;
    }
    assert_eq!(fail_from(&direct, 99, "198.51.100.2").await.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn of_many_password_changes_at_once_exactly_one_is_made() {
    let h = Harness::new(&[]).await;
    let cookie = h.sign_in("sam.taylor").await;
    let new = |i: usize| format!("a-new-password-{i:02}");
    let bodies: Vec<String> = (0..50).map(|i| serde_json::json!({ "current_password": "demo-password", "new_password": new(i) }).to_string()).collect();
    let answers = h.call_at_once("change_password", &bodies, Some(&cookie)).await;
    let made: Vec<usize> = (0..50).filter(|i| answers[*i].status == StatusCode::OK).collect();
    assert_eq!(made.len(), 1, "{:?}", answers.iter().map(|a| (a.status, &a.body)).collect::<Vec<_>>());
    for answer in answers.iter().filter(|a| a.status != StatusCode::OK) {
        // Refused while the winning change was checked (the attempt counts as pending), after it
        // was made, or with the session it ended.
        let refused = match error(answer) {
            AppError::TooManyAttempts { .. } | AppError::Unauthenticated => true,
            other => other.field_message("current_password").as_deref() == Some("Your password was changed a moment ago, so this is no longer your current password."),
        };
        assert!(refused, "{} {}", answer.status, answer.body);
    }
    // The stored password is the one from the call that succeeded; no other is.
    let other = (made[0] + 1) % 50;
    assert_eq!(h.sign_in_answer("sam.taylor@example.com", &new(other), None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(h.sign_in_answer("sam.taylor@example.com", "demo-password", None).await.status, StatusCode::UNAUTHORIZED);
    let signed_in = h.sign_in_answer("sam.taylor@example.com", &new(made[0]), None).await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);
}

#[test]
fn the_session_refresh_is_at_most_half_the_idle_timeout() {
    use clap::Parser;
    let every = |args: &[&str]| server::Config::parse_from(std::iter::once("line-of-sight").chain(args.iter().copied())).session_refresh_every();
    assert_eq!(every(&[]), 60);
    assert_eq!(every(&["--session-idle-minutes", "1"]), 30, "someone working steadily keeps their session");
    assert_eq!(every(&["--session-idle-minutes", "0"]), 0);
    assert_eq!(every(&["--session-refresh-seconds", "10"]), 10);
}
