//! Limits at the edges, through the real router: what one offline push may carry and how often,
//! how large a request may be, and the JSON API's documented batch.

mod common;

use app::error::AppError;
use app::limits::{API_ACTUALS_PER_BATCH, BODY_BYTES, SYNC_OPS_PER_PUSH, SYNC_PUSHES_PER_WINDOW};
use app::planning::types::{CycleInput, GoalInput, Kpi, KpiSpec, Kra, PeriodKind, PlanInput};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{Answer, Harness};
use serde_json::{json, Value};

/// A feedback operation from Sam's phone to Chloe, with `extra` fields besides its own.
fn feedback_op(h: &Harness, n: usize, extra: &[(String, Value)]) -> Value {
    let mut set = json!({
        "giver": h.id("sam.taylor"), "receiver": h.id("chloe.dubois"), "situation": "The Q3 demo", "behaviour": "You stayed calm",
        "impact": "We won the deal", "private": false, "request": "", "given_on": "2026-11-24",
    });
    for (name, value) in extra {
        set[name] = value.clone();
    }
    json!({ "id": format!("op-edge-{n:04}"), "device": "phone-sam-1", "record": { "kind": "feedback", "id": format!("feedback-edge-{n:04}") }, "set": set })
}

fn error(answer: &Answer) -> AppError {
    serde_json::from_str(&answer.body).unwrap_or_else(|_| panic!("an AppError: {}", answer.body))
}

/// The feedback these tests pushed (not the demo's).
async fn feedback_rows(h: &Harness) -> Vec<Value> {
    let mut response = h.db.query("SELECT meta, situation FROM feedback WHERE string::starts_with(record::id(id), 'feedback-edge')").await.unwrap();
    response.take(0).unwrap()
}

#[tokio::test]
async fn made_up_and_oversized_fields_are_refused_and_never_reach_the_colleague() {
    let h = Harness::new(&[]).await;
    let sam = h.sign_in("sam.taylor").await;
    let chloe = h.sign_in("chloe.dubois").await;
    let made_up: Vec<(String, Value)> = (0..10_000).map(|i| (format!("x{i}"), json!(i))).collect();
    let one_made_up = [("x1".to_owned(), json!(1))];
    let huge = [("situation".to_owned(), json!("s".repeat(70_000)))];
    let ops = json!({ "ops": [feedback_op(&h, 1, &made_up), feedback_op(&h, 2, &one_made_up), feedback_op(&h, 3, &huge), feedback_op(&h, 4, &[])] });
    let pushed = h.call("sync_push", &ops.to_string(), Some(&sam)).await;
    assert_eq!(pushed.status, StatusCode::OK, "{}", pushed.body);
    let outcomes: Vec<Value> = pushed.json()["outcomes"].as_array().unwrap().iter().map(|o| o[1].clone()).collect();
    assert_eq!(outcomes[0], json!({ "outcome": "rejected", "reason": "This change sets 10008 fields; at most 100 are sent at once." }));
    assert_eq!(outcomes[1], json!({ "outcome": "rejected", "reason": "Feedback has no field 'x1'." }));
    assert_eq!(outcomes[2], json!({ "outcome": "rejected", "reason": "'situation' is too large to send (69 KB); the limit is 64 KB." }));
    assert_eq!(outcomes[3]["outcome"], "applied", "the good change of the same push is kept");

    // Only the good feedback is stored, with its own eight fields.
    let stored = feedback_rows(&h).await;
    assert_eq!(stored.len(), 1, "{stored:?}");
    let fields: Vec<&str> = stored[0]["meta"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(fields, ["behaviour", "given_on", "giver", "impact", "private", "receiver", "request", "situation"]);
    let pulled = h.call("sync_pull", r#"{"cursor":0}"#, Some(&chloe)).await.json();
    let of = |kind: &str| pulled["docs"].as_array().unwrap().iter().filter(|d| d["record"]["kind"] == kind).cloned().collect::<Vec<_>>();
    let docs = of("feedback");
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["record"]["id"], "feedback-edge-0004");
    assert_eq!(docs[0]["fields"].as_object().unwrap().len(), 8);
    assert_eq!(of("notification").len(), 1, "told of the good feedback only");
}

#[tokio::test]
async fn a_push_carries_a_bounded_number_of_changes_and_writes_nothing_when_over() {
    let h = Harness::new(&[]).await;
    let sam = h.sign_in("sam.taylor").await;
    let ops: Vec<Value> = (0..=SYNC_OPS_PER_PUSH).map(|n| feedback_op(&h, n, &[])).collect();
    let over = h.call("sync_push", &json!({ "ops": ops }).to_string(), Some(&sam)).await;
    assert_eq!(over.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error(&over).field_message("ops").unwrap(), "Send at most 500 changes at a time; this push has 501.");
    assert!(feedback_rows(&h).await.is_empty(), "nothing of the push was applied");
}

#[tokio::test]
async fn each_persons_pushes_are_limited_per_minute_with_the_wait_given() {
    let h = Harness::new(&[]).await;
    let sam = h.sign_in("sam.taylor").await;
    for i in 0..SYNC_PUSHES_PER_WINDOW {
        assert_eq!(h.call("sync_push", r#"{"ops":[]}"#, Some(&sam)).await.status, StatusCode::OK, "push {i}");
    }
    let refused = h.call("sync_push", &json!({ "ops": [feedback_op(&h, 1, &[])] }).to_string(), Some(&sam)).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = refused.headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let message = error(&refused).to_string();
    assert!(message.starts_with("Many changes were sent in the last minute: yours are kept on this device and sent in "), "{message}");
    assert!(feedback_rows(&h).await.is_empty(), "the refused push wrote nothing");
    // Another person is not held up.
    let chloe = h.sign_in("chloe.dubois").await;
    assert_eq!(h.call("sync_push", r#"{"ops":[]}"#, Some(&chloe)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_server_function_body_over_the_limit_is_a_clear_413() {
    let h = Harness::new(&[]).await;
    let hr = h.sign_in("amina.okafor").await;
    let csv = json!({ "csv": "x".repeat(BODY_BYTES) }).to_string();
    let read_to_the_limit = h.call("import_people", &csv, Some(&hr)).await;
    let mut declared = Request::post("/api/import_people")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, csv.len())
        .header("sec-fetch-site", "same-origin")
        .header(header::COOKIE, &hr)
        .body(Body::from(csv))
        .unwrap();
    declared.headers_mut().insert(header::ACCEPT, "application/json".parse().unwrap());
    let refused_at_once = h.request(declared).await;
    for answer in [read_to_the_limit, refused_at_once] {
        assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(error(&answer), AppError::TooLarge { limit_bytes: BODY_BYTES });
        assert_eq!(error(&answer).to_string(), "This is too large to send: the limit is 8 MB.");
    }
    // Above the old 2 MB but under the limit, the function runs and says what is wrong.
    let sam = h.sign_in("sam.taylor").await;
    let big = json!({ "ops": [feedback_op(&h, 1, &[("impact".to_owned(), json!("i".repeat(3 << 20)))])] }).to_string();
    let pushed = h.call("sync_push", &big, Some(&sam)).await;
    assert_eq!(pushed.status, StatusCode::OK, "{}", &pushed.body[..200.min(pushed.body.len())]);
    assert_eq!(pushed.json()["outcomes"][0][1]["reason"], "'impact' is too large to send (3.1 MB); the limit is 64 KB.");
}

/// A server function called as the app's pages call it, asking for refusals in the body.
async fn call_from_page(h: &Harness, endpoint: &str, json: &str, cookie: Option<&str>, site: &str) -> Answer {
    let mut request = Request::post(format!("/api/{endpoint}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json")
        .header("sec-fetch-site", site)
        .header(app::error::REFUSALS_IN_BODY, "1");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    h.request(request.body(Body::from(json.to_owned())).unwrap()).await
}

#[tokio::test]
async fn the_pages_get_refusals_as_answers_that_carry_their_status() {
    let h = Harness::new(&[]).await;
    let sam = h.sign_in("sam.taylor").await;
    let meant = |answer: &Answer| answer.headers.get(app::error::REFUSAL_STATUS).map(|v| v.to_str().unwrap().to_owned());

    let signed_out = call_from_page(&h, "sync_push", r#"{"ops":[]}"#, None, "same-origin").await;
    let too_long = call_from_page(&h, "sync_push", &json!({ "ops": [], "x": "x".repeat(100_000) }).to_string(), Some(&sam), "same-origin").await;
    let ops: Vec<Value> = (0..=SYNC_OPS_PER_PUSH).map(|n| feedback_op(&h, n, &[])).collect();
    let too_many = call_from_page(&h, "sync_push", &json!({ "ops": ops }).to_string(), Some(&sam), "same-origin").await;
    let cross_site = call_from_page(&h, "sync_push", r#"{"ops":[]}"#, Some(&sam), "cross-site").await;
    for (answer, status) in [(&signed_out, "401"), (&too_long, "422"), (&too_many, "422"), (&cross_site, "403")] {
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        assert_eq!(meant(answer).as_deref(), Some(status), "{}", answer.body);
    }
    assert_eq!(error(&signed_out), AppError::Unauthenticated);
    assert_eq!(error(&too_many).field_message("ops").unwrap(), "Send at most 500 changes at a time; this push has 501.");
    assert!(feedback_rows(&h).await.is_empty(), "a refusal is still a refusal");

    let fine = call_from_page(&h, "sync_push", r#"{"ops":[]}"#, Some(&sam), "same-origin").await;
    assert_eq!((fine.status, meant(&fine)), (StatusCode::OK, None));
    // Any other client sees the status itself.
    assert_eq!(h.call("sync_push", r#"{"ops":[]}"#, None).await.status, StatusCode::UNAUTHORIZED);
}

async fn push_actuals(h: &Harness, token: &str, payload: String) -> Answer {
    let request = Request::post("/api/v1/actuals")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from(payload))
        .unwrap();
    h.request(request).await
}

async fn actuals_recorded(h: &Harness) -> usize {
    let mut response = h.db.query("SELECT VALUE id FROM actual").await.unwrap();
    let ids: Vec<Value> = response.take(0).unwrap();
    ids.len()
}

/// A two-year monthly cycle in the past (every period started) with plans of 20 KPIs for 21
/// people: 21 × 20 × 24 = 10,080 distinct actuals to record.
async fn load_cycle(h: &Harness) -> Vec<(String, String, String)> {
    let db = &h.db;
    let hr = h.user("amina.okafor").await;
    let cycle = app::planning::store::plans::create_cycle(db, CycleInput { name: "Load FY".into(), starts_on: "2024-01-01".into(), ends_on: "2025-12-31".into(), period_kind: PeriodKind::Month })
        .await
        .unwrap();
    let goal = GoalInput { cycle_id: cycle.id.clone(), title: "Grow".into(), description: String::new(), unit_id: None, parent_id: None };
    let goal = app::planning::store::plans::save_goal(db, None, goal).await.unwrap();
    let template = &app::planning::store::plans::plans_of_person(db, &h.id("sam.taylor")).await.unwrap()[0].kras[0].kpis[0].spec;
    let kpis: Vec<Kpi> = (1..=20).map(|n| Kpi { id: String::new(), spec: KpiSpec { name: format!("Measure {n:02}"), ..template.clone() }, weight: 5.0 }).collect();
    let people = app::org::store::people::list(db, false).await.unwrap();
    let mut items = Vec::new();
    for person in people.iter().take(21) {
        let kras = vec![Kra { id: String::new(), title: "Grow accounts".into(), weight: 100.0, goal_id: goal.id.clone(), kpis: kpis.clone() }];
        app::planning::store::plans::save_plan(db, &hr, PlanInput { person_id: person.id.clone(), cycle_id: cycle.id.clone(), kras }).await.unwrap();
        for kpi in &kpis {
            items.extend((1..=24).map(|m| (person.email.clone(), kpi.spec.name.clone(), format!("M{m:02}"))));
        }
    }
    app::planning::store::plans::advance_cycle(db, &cycle.id).await.unwrap();
    items
}

#[tokio::test]
async fn the_documented_batch_maximum_fits_and_more_is_refused_with_nothing_recorded() {
    let h = Harness::new(&[]).await;
    let hr = h.sign_in("amina.okafor").await;
    let token = h.call("issue_integration_token", r#"{"name":"CRM"}"#, Some(&hr)).await.json()["token"].as_str().unwrap().to_owned();
    let items = load_cycle(&h).await;
    let seeded = actuals_recorded(&h).await;
    // A realistic item: the evidence noted and linked.
    let item = |(email, kpi, period): &(String, String, String), note: &str| {
        json!({ "email": email, "kpi": kpi, "period": period, "value": 14250.5, "note": note,
                "link": format!("https://crm.example.com/reports/00O5e000008XyZ?kpi={}&period={period}", kpi.replace(' ', "+")) })
    };
    let batch = |count: usize, note: &str| json!({ "cycle": "Load FY", "actuals": items[..count].iter().map(|i| item(i, note)).collect::<Vec<_>>() }).to_string();

    let one_too_many = push_actuals(&h, &token, batch(API_ACTUALS_PER_BATCH + 1, "CRM export")).await;
    assert_eq!(one_too_many.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(one_too_many.json()["error"], "Nothing was recorded: send between 1 and 10000 actuals in a batch; this one has 10001.");
    let long_notes = batch(API_ACTUALS_PER_BATCH, &"n".repeat(900));
    assert!(long_notes.len() > BODY_BYTES);
    let too_large = push_actuals(&h, &token, long_notes).await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(too_large.json()["error"], "Nothing was recorded: the body is larger than 8 MB (8388608 bytes). Send the actuals in smaller batches.");
    assert_eq!(actuals_recorded(&h).await, seeded, "nothing was recorded on refusal");

    // The documented maximum of realistic items is read and checked whole, item by item (its
    // last item names a KPI no plan has, so nothing is written: recording 10,000 actuals takes
    // minutes in a debug build; planning.rs records batches).
    let mut at_most: Value = serde_json::from_str(&batch(API_ACTUALS_PER_BATCH, "Closed-won opportunities, CRM export of the month's last day")).unwrap();
    at_most["actuals"][API_ACTUALS_PER_BATCH - 1]["kpi"] = json!("Profit");
    let at_most = at_most.to_string();
    assert!(at_most.len() > 2 * 1024 * 1024, "larger than the old limit: {} bytes", at_most.len());
    let checked = push_actuals(&h, &token, at_most).await;
    assert_eq!(checked.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", &checked.body[..300.min(checked.body.len())]);
    let problems = checked.json()["problems"].clone();
    assert_eq!(problems.as_array().unwrap().len(), 1, "{problems}");
    assert_eq!((&problems[0]["item"], &problems[0]["field"]), (&json!(API_ACTUALS_PER_BATCH), &json!("kpi")));
    assert_eq!(actuals_recorded(&h).await, seeded);

    let spec = h.request(Request::get("/api/v1/openapi.json").body(Body::empty()).unwrap()).await.json();
    let post = &spec["paths"]["/api/v1/actuals"]["post"];
    assert!(post["responses"]["413"]["description"].as_str().unwrap().contains("8 MiB"));
    assert_eq!(spec["components"]["schemas"]["Batch"]["properties"]["actuals"]["maxItems"], API_ACTUALS_PER_BATCH);
}
