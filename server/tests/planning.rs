//! Planning and monitoring through the real router: plan agreement with its audit trail, actuals
//! by CSV and by the JSON API (all or nothing), and the generated scores.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{Answer, Harness};
use serde_json::{json, Value};

fn body(answer: &Answer) -> Value {
    serde_json::from_str(&answer.body).unwrap_or_else(|_| panic!("JSON body: {}", answer.body))
}

async fn push(h: &Harness, token: Option<&str>, payload: &str) -> Answer {
    let mut request = Request::post("/api/v1/actuals").header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    h.request(request.body(Body::from(payload.to_owned())).unwrap()).await
}

/// A plan of one KRA with two KPIs, serving the first goal of the current cycle.
fn plan_input(person: &str, cycle: &str, goal: &str, weights: (f64, f64)) -> String {
    let kpi = |name: &str, weight: f64| {
        json!({
            "id": "", "weight": weight,
            "spec": { "name": name, "measure": "kEUR", "frequency": "quarterly", "data_source": "CRM",
                      "targets": { "direction": "higher_is_better", "baseline": 0.0, "threshold": 10.0, "target": 20.0, "stretch": 30.0, "tolerance": 0.0 } }
        })
    };
    json!({ "input": { "person_id": person, "cycle_id": cycle, "kras": [
        { "id": "", "title": "Grow accounts", "weight": 100.0, "goal_id": goal, "kpis": [kpi("New revenue", weights.0), kpi("Upsell", weights.1)] }
    ] } })
    .to_string()
}

async fn scorecard(h: &Harness, person: &str, cookie: &str) -> Value {
    body(&h.call("person_scorecard", &format!(r#"{{"person_id":"{person}","cycle_id":null}}"#), Some(cookie)).await)
}

async fn cycle_and_goal(h: &Harness, cookie: &str) -> (String, String) {
    let goals = body(&h.call("load_goals", r#"{"cycle_id":null}"#, Some(cookie)).await);
    let cycle = goals["cycle"]["id"].as_str().unwrap().to_owned();
    let goal = goals["goals"][0]["goal"]["id"].as_str().unwrap().to_owned();
    (cycle, goal)
}

#[tokio::test]
async fn a_plan_is_drafted_acknowledged_approved_and_every_change_is_logged() {
    let h = Harness::new(&[]).await;
    let manager = h.sign_in("james.osei").await;
    let chloe = h.id("chloe.dubois");
    let (cycle, goal) = cycle_and_goal(&h, &manager).await;

    // Weights that do not add to 100 are refused with the total, and nothing is stored.
    let refused = h.call("save_plan", &plan_input(&chloe, &cycle, &goal, (60.0, 30.0)), Some(&manager)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("The weights add up to 90; they must add up to 100."), "{}", refused.body);
    let view = body(&h.call("load_plan", &format!(r#"{{"person_id":"{chloe}","cycle_id":null}}"#), Some(&manager)).await);
    assert!(view["plan"].is_null());

    let saved = h.call("save_plan", &plan_input(&chloe, &cycle, &goal, (60.0, 40.0)), Some(&manager)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(body(&saved)["state"], "draft");

    let employee = h.sign_in("chloe.dubois").await;
    let step = |step: &str, comment: &str| json!({ "person_id": chloe, "cycle_id": cycle, "step": step, "comment": comment }).to_string();
    // The employee cannot draft her own plan, nor acknowledge before it is sent.
    assert_eq!(h.call("save_plan", &plan_input(&chloe, &cycle, &goal, (50.0, 50.0)), Some(&employee)).await.status, StatusCode::FORBIDDEN);
    let early = h.call("take_plan_step", &step("acknowledge", ""), Some(&employee)).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", early.body);

    assert_eq!(h.call("take_plan_step", &step("send", ""), Some(&manager)).await.status, StatusCode::OK);
    let no_comment = h.call("take_plan_step", &step("request_changes", " "), Some(&employee)).await;
    assert!(no_comment.body.contains("Say what should change"), "{}", no_comment.body);
    assert_eq!(body(&h.call("take_plan_step", &step("acknowledge", ""), Some(&employee)).await)["state"], "acknowledged");
    assert_eq!(body(&h.call("take_plan_step", &step("approve", ""), Some(&manager)).await)["state"], "approved");

    // A change after approval needs both again.
    let changed = body(&h.call("save_plan", &plan_input(&chloe, &cycle, &goal, (70.0, 30.0)), Some(&manager)).await);
    assert_eq!(changed["state"], "draft");
    let view = body(&h.call("load_plan", &format!(r#"{{"person_id":"{chloe}","cycle_id":null}}"#), Some(&employee)).await);
    let history = view["history"].as_array().unwrap();
    let actions: Vec<&str> = history.iter().map(|c| c["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["changed the plan", "approved the plan", "acknowledged the plan", "sent the plan to the employee", "drafted the plan"]);
    assert_eq!(history[0]["actor_name"], "James Osei");
    assert!(history[0]["before"].as_str().unwrap().contains("60.0") && history[0]["after"].as_str().unwrap().contains("70.0"));
}

#[tokio::test]
async fn actuals_through_the_json_api_are_all_or_nothing_and_generate_scores() {
    let h = Harness::new(&[]).await;
    let hr = h.sign_in("amina.okafor").await;
    let manager = h.sign_in("james.osei").await;
    let chloe = h.id("chloe.dubois");
    let (cycle, goal) = cycle_and_goal(&h, &manager).await;
    assert_eq!(h.call("save_plan", &plan_input(&chloe, &cycle, &goal, (50.0, 50.0)), Some(&manager)).await.status, StatusCode::OK);

    let spec = h.request(Request::get("/api/v1/openapi.json").body(Body::empty()).unwrap()).await;
    assert_eq!(spec.status, StatusCode::OK);
    assert!(body(&spec)["paths"]["/api/v1/actuals"]["post"].is_object());

    let good = json!({ "actuals": [
        { "email": "chloe.dubois@example.com", "kpi": "new revenue", "period": "Q1", "value": 14, "note": "CRM export" },
        { "email": "chloe.dubois@example.com", "kpi": "Upsell", "period": "Q1", "value": 20 },
    ] })
    .to_string();
    assert_eq!(push(&h, None, &good).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(push(&h, Some("los_not-a-real-token"), &good).await.status, StatusCode::UNAUTHORIZED);

    let issued = body(&h.call("issue_integration_token", r#"{"name":"CRM"}"#, Some(&hr)).await);
    let token = issued["token"].as_str().unwrap().to_owned();

    // One bad item: nothing is recorded, and each problem names its item and field.
    let bad = json!({ "actuals": [
        { "email": "chloe.dubois@example.com", "kpi": "New revenue", "period": "Q1", "value": 14 },
        { "email": "nobody@example.com", "kpi": "New revenue", "period": "Q1", "value": 1 },
        { "email": "chloe.dubois@example.com", "kpi": "Profit", "period": "Q9", "value": 1 },
    ] })
    .to_string();
    let rejected = push(&h, Some(&token), &bad).await;
    assert_eq!(rejected.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problems = body(&rejected)["problems"].as_array().unwrap().clone();
    let at: Vec<(u64, &str)> = problems.iter().map(|p| (p["item"].as_u64().unwrap(), p["field"].as_str().unwrap())).collect();
    assert_eq!(at, [(2, "email"), (3, "kpi"), (3, "period")]);
    let before = scorecard(&h, &chloe, &manager).await;
    assert!(before["rollup"].is_null(), "nothing was recorded: {}", before["rollup"]);

    let accepted = push(&h, Some(&token), &good).await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
    assert_eq!(body(&accepted)["recorded"], 2);

    // DOMAIN.md's example: T 10, G 20, a 14 → 88 %; Upsell at target → 100 %; 50/50 → 94 %.
    let after = scorecard(&h, &chloe, &manager).await;
    let revenue = &after["kras"][0]["kpis"][0];
    assert_eq!(revenue["periods"][0]["score"]["why"], "80% + 20% × (14 − 10) / (20 − 10) = 88%");
    assert_eq!(revenue["periods"][0]["actual"]["recorded_by"], "integration: CRM");
    assert_eq!(after["rollup"]["why"], "(100 × 94%) / 100 = 94%");
    assert_eq!(after["rating"]["label"], "Needs improvement");

    // The organisation dashboard reads the stored summary: it agrees.
    let org = body(&h.call("unit_scorecard", r#"{"unit_id":null,"cycle_id":null}"#, Some(&hr)).await);
    let line = org["lines"].as_array().unwrap().iter().find(|l| l["person_id"] == chloe.as_str()).unwrap().clone();
    assert!((line["score"].as_f64().unwrap() - 0.94).abs() < 1e-9);

    // A revoked token is refused.
    let id = issued["integration"]["id"].as_str().unwrap();
    assert_eq!(h.call("revoke_integration", &format!(r#"{{"id":"{id}"}}"#), Some(&hr)).await.status, StatusCode::OK);
    assert_eq!(push(&h, Some(&token), &good).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_csv_of_actuals_is_checked_as_a_whole() {
    let h = Harness::new(&[]).await;
    let hr = h.sign_in("amina.okafor").await;
    let (cycle, _) = cycle_and_goal(&h, &hr).await;
    let sam = h.id("sam.taylor");
    let before = scorecard(&h, &sam, &hr).await["kras"][0]["kpis"][0]["periods"][0]["actual"]["value"].clone();

    let csv = "email,kpi,period,value,note\nsam.taylor@example.com,New revenue,Q1,111,from CRM\nsam.taylor@example.com,Win rate,Q1,not-a-number,\n";
    let rejected = h.call("import_actuals", &json!({ "cycle_id": cycle, "csv": csv }).to_string(), Some(&hr)).await;
    assert_eq!(rejected.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(rejected.body.contains("not-a-number"), "{}", rejected.body);
    assert_eq!(scorecard(&h, &sam, &hr).await["kras"][0]["kpis"][0]["periods"][0]["actual"]["value"], before, "nothing written");

    let csv = "email,kpi,period,value,note\nsam.taylor@example.com,New revenue,Q1,111,from CRM\n";
    let accepted = h.call("import_actuals", &json!({ "cycle_id": cycle, "csv": csv }).to_string(), Some(&hr)).await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
    let kpi = scorecard(&h, &sam, &hr).await["kras"][0]["kpis"][0].clone();
    assert_eq!(kpi["periods"][0]["actual"]["value"], 111.0);
    assert_eq!(kpi["periods"][0]["actual"]["source"], "csv");
}
