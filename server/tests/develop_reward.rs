//! Developing and rewarding through the real server: a check-in synced from the manager's device
//! whose next steps join the development plan, items closed only with evidence, and merit pay
//! from final ratings and the matrix to HR's approval and the payroll file.

mod common;

use app::appraisal::types::AgreedAction;
use app::development::types::CheckIn;
use app::sync::protocol::{Kind, Op, Outcome, RecordRef};
use axum::http::StatusCode;
use common::Harness;
use serde_json::{json, Value};

async fn push(h: &Harness, name: &str, op: &str, c: &CheckIn) -> Outcome {
    push_to(h, name, op, "check-in-0001", c.to_values(), false).await
}

async fn push_to(h: &Harness, name: &str, op: &str, record: &str, set: app::sync::protocol::Values, delete: bool) -> Outcome {
    let op = Op { id: format!("op-{op}-0000"), device: format!("device-{name}").replace('.', "-"), record: RecordRef::new(Kind::CheckIn, record), base: Default::default(), set, delete };
    let reply = app::offline::store::sync::push(&h.db, &h.user(name).await, vec![op]).await.unwrap();
    reply.outcomes[0].1.clone()
}

#[tokio::test]
async fn a_completed_check_in_feeds_the_development_plan() {
    let h = Harness::new(&[]).await;
    let mei = h.sign_in("mei.tanaka").await;
    let cycle = h.call("current_cycle_id", "{}", Some(&mei)).await.json()[0].as_str().unwrap().to_owned();
    let mut c = CheckIn { person_id: h.id("mei.tanaka"), manager_id: h.id("fatima.zahra"), cycle_id: cycle, held_on: "2026-11-24".into(), ..CheckIn::default() };
    c.goal = "First-contact resolution to target".into();
    c.will = "Shadow Carlos twice".into();
    c.actions = vec![AgreedAction { title: "Shadow Carlos".into(), kind: "mentoring".into(), target: "kpi:First contact resolution".into(), due_on: "2027-01-15".into() }];
    // Someone else's manager cannot write it; the employee may, but not complete it.
    assert!(matches!(push(&h, "james.osei", "other", &c).await, Outcome::Rejected { .. }));
    let completed = CheckIn { completed_on: "2026-11-24".into(), ..c.clone() };
    assert!(matches!(push(&h, "mei.tanaka", "early", &completed).await, Outcome::Rejected { .. }));
    assert!(matches!(push(&h, "fatima.zahra", "done", &completed).await, Outcome::Applied { .. }));
    assert!(matches!(push(&h, "mei.tanaka", "late", &CheckIn { reality: "later".into(), ..completed.clone() }).await, Outcome::Rejected { .. }));
    // Both see it on their devices.
    let this_one = RecordRef::new(Kind::CheckIn, "check-in-0001");
    for name in ["mei.tanaka", "fatima.zahra"] {
        let pulled = app::offline::store::sync::pull(&h.db, &h.user(name).await, 0).await.unwrap();
        assert!(pulled.docs.iter().any(|d| d.record == this_one), "{name} sees the check-in");
    }
    // Another manager sees only the check-ins he holds himself (the demo's with his reports).
    let james = h.user("james.osei").await;
    for d in app::offline::store::sync::pull(&h.db, &james, 0).await.unwrap().docs.iter().filter(|d| d.record.kind == Kind::CheckIn) {
        let c = CheckIn::from_values(&d.values());
        assert!(c.manager_id == james.id || c.person_id == james.id, "James pulled {:?}", d.record);
    }
    // An open check-in started by mistake is removed by the manager, not by the employee.
    assert!(matches!(push_to(&h, "fatima.zahra", "second", "check-in-0002", c.to_values(), false).await, Outcome::Applied { .. }));
    assert!(matches!(push_to(&h, "mei.tanaka", "remove", "check-in-0002", Default::default(), true).await, Outcome::Rejected { .. }));
    assert!(matches!(push_to(&h, "fatima.zahra", "removal", "check-in-0002", Default::default(), true).await, Outcome::Applied { .. }));

    let me = json!({ "person_id": h.id("mei.tanaka") }).to_string();
    let plan = h.call("load_development_plan", &me, Some(&mei)).await.json();
    let item = plan["items"].as_array().unwrap().iter().find(|i| i["title"] == "Shadow Carlos").expect("the next step is in the plan").clone();
    assert_eq!((item["source"].as_str(), item["target_label"].as_str()), (Some("check_in"), Some("KPI: First contact resolution")));
    let close = |evidence: &str| json!({ "person_id": h.id("mei.tanaka"), "item_id": item["id"], "status": "done", "evidence": evidence }).to_string();
    let refused = h.call("update_development_item", &close(""), Some(&mei)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("evidence"), "{}", refused.body);
    let done = h.call("update_development_item", &close("Shadowed Carlos on 3 and 10 December"), Some(&mei)).await.json();
    assert_eq!(done["items"][0]["status"], "done");
    // An item added by hand must name what it should move.
    let add = |target: &str| json!({ "person_id": h.id("mei.tanaka"), "input": { "title": "Billing module course", "kind": "training", "target": target, "due_on": "2027-02-01" } }).to_string();
    assert!(h.call("add_development_item", &add(""), Some(&mei)).await.body.contains(r#""field":"target""#));
    let added = h.call("add_development_item", &add("kpi:First contact resolution"), Some(&mei)).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
}

/// Submits grounded level-3 ratings for a report, so they have a final rating.
async fn rate(h: &Harness, manager: &str, person: &str) {
    let args = json!({ "person_id": h.id(person) }).to_string();
    let prep = h.call("prepare_appraisal", &args, Some(manager)).await.json();
    let kpi = prep["appraisal"]["kras"][0]["kpis"][0]["kpi"]["id"].clone();
    let ratings: Vec<Value> = prep["appraisal"]["competencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| json!({ "competency_id": c["id"], "level": 3, "justification": "", "evidence": { "kind": "kpi", "on": "", "reference": kpi, "note": "The quarter's numbers" } }))
        .collect();
    let input = json!({ "person_id": h.id(person), "input": { "ratings": ratings, "kpi_override": null, "potential": 2, "submit": true } }).to_string();
    let saved = h.call("save_ratings", &input, Some(manager)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
}

#[tokio::test]
async fn merit_from_final_ratings_to_payroll() {
    let h = Harness::new(&[]).await;
    let hr = h.sign_in("amina.okafor").await;
    let james = h.sign_in("james.osei").await;
    let cycle = h.call("current_cycle_id", "{}", Some(&hr)).await.json()[0].as_str().unwrap().to_owned();
    assert_eq!(h.call("load_merit", "{}", Some(&james)).await.status, StatusCode::NOT_FOUND, "no final ratings before appraisal");
    assert_eq!(h.call("advance_cycle", &json!({ "id": cycle }).to_string(), Some(&hr)).await.status, StatusCode::OK);
    // Last year's raises were approved in the demo; this year's file waits for this year's.
    let nothing_yet = h.call("export_payroll", "{}", Some(&hr)).await.json();
    assert_eq!(nothing_yet.as_str().unwrap().lines().count(), 1, "the header only: {nothing_yet}");
    rate(&h, &james, "sam.taylor").await;

    // James sees his line only: Sam's proposal, the others waiting for a rating.
    let merit = h.call("load_merit", "{}", Some(&james)).await.json();
    let units = merit["units"].as_array().unwrap();
    assert_eq!(units.len(), 1);
    let line = units[0]["lines"][0].clone();
    assert_eq!(line["name"], "Sam Taylor");
    // Sam is an Account Executive: the demo band's midpoint is 45,000.
    let (salary, mid) = (line["salary"].as_f64().unwrap(), 45_000.0);
    assert!((line["generated"]["compa_ratio"].as_f64().unwrap() - salary / mid).abs() < 1e-9);
    let rating = line["rating"].as_u64().unwrap() as u8;
    let range = app::reward::types::MeritMatrix::example().range(rating, salary / mid).unwrap();
    assert_eq!((line["generated"]["range"]["low"].as_f64(), line["generated"]["range"]["high"].as_f64()), (Some(range.low), Some(range.high)));
    assert_eq!(line["raise"].as_f64(), Some(range.midpoint()));
    assert!(merit["missing"].as_array().unwrap().iter().any(|m| m["why"].as_str().unwrap().starts_with("no final rating yet")));
    assert!(merit["units"].as_array().unwrap().iter().all(|u| u["unit_name"] == "Sales North"));

    // Over the range only with a reason.
    let adjust = |raise: f64, reason: &str| json!({ "person_id": h.id("sam.taylor"), "raise": raise, "reason": reason }).to_string();
    let refused = h.call("adjust_merit", &adjust(range.high + 5.0, ""), Some(&james)).await;
    assert!(refused.body.contains("outside the matrix range"), "{}", refused.body);
    let sam = h.sign_in("sam.taylor").await;
    assert_eq!(h.call("adjust_merit", &adjust(1.0, ""), Some(&sam)).await.status, StatusCode::FORBIDDEN, "not for oneself");
    let adjusted = h.call("adjust_merit", &adjust(range.high + 5.0, "Carried the region's biggest renewal alone"), Some(&james)).await.json();
    assert_eq!(adjusted["units"][0]["lines"][0]["adjusted_by"], "James Osei");

    // Approval waits until everyone in the unit has a proposal.
    let unit = units[0]["unit_id"].as_str().unwrap().to_owned();
    let unit_args = json!({ "unit_id": unit }).to_string();
    let refused = h.call("approve_merit", &unit_args, Some(&hr)).await;
    assert!(refused.body.contains("have no proposal yet"), "{}", refused.body);
    rate(&h, &james, "ravi.patel").await;
    rate(&h, &james, "emma.wilson").await;
    // James is in the unit too; his own manager rates him.
    rate(&h, &h.sign_in("maria.santos").await, "james.osei").await;

    // HR shrinks the unit's pool: approval is refused over budget, scaling brings it within.
    let mut policy = h.call("load_reward_policy", "{}", Some(&hr)).await.json();
    let pools: Vec<Value> = policy["pools"].as_array().unwrap().iter().map(|p| json!([p["unit_id"], if p["unit_id"] == unit.as_str() { json!(100.0) } else { p["amount"].clone() }])).collect();
    assert_eq!(policy["currency"], "EUR", "the demo's currency");
    let (bands, matrix) = (policy["bands"].take(), policy["matrix"].take());
    let input = |currency: &str| json!({ "input": { "bands": bands, "matrix": matrix, "pools": pools, "consistency_periods": 3, "currency": currency } }).to_string();
    // A currency is its three-letter code; anything else is refused, and nothing is saved.
    let wrong = h.call("save_reward_policy", &input("euro"), Some(&hr)).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", wrong.body);
    assert!(wrong.body.contains("three-letter code"), "{}", wrong.body);
    let saved = h.call("save_reward_policy", &input("EUR"), Some(&hr)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let refused = h.call("approve_merit", &unit_args, Some(&hr)).await;
    assert!(refused.body.contains("Over budget by EUR "), "{}", refused.body);
    let scaled = h.call("scale_merit", &unit_args, Some(&hr)).await.json();
    let hr_unit = scaled["units"].as_array().unwrap().iter().find(|u| u["unit_id"] == unit.as_str()).unwrap().clone();
    let sam_line = hr_unit["lines"].as_array().unwrap().iter().find(|l| l["name"] == "Sam Taylor").unwrap().clone();
    let raise = sam_line["raise"].as_f64().unwrap();
    assert!(salary * raise / 100.0 <= 100.0 + 1e-6, "scaled within the pool: {raise}%");
    assert!(sam_line["reason"].as_str().unwrap().contains("Scaled pro rata"));
    assert_eq!(h.call("approve_merit", &unit_args, Some(&hr)).await.status, StatusCode::OK);
    assert_eq!(h.call("adjust_merit", &adjust(range.low, ""), Some(&james)).await.status, StatusCode::UNPROCESSABLE_ENTITY, "approved: frozen");

    let csv = h.call("export_payroll", "{}", Some(&hr)).await.json();
    let csv = csv.as_str().unwrap();
    assert!(csv.starts_with("email,name,unit,cycle,current_salary,rating,raise_percent,new_salary,reason\n"), "{csv}");
    assert!(csv.lines().any(|l| l.starts_with("sam.taylor@example.com,Sam Taylor,Sales North,") && l.contains(&app::reward::rules::num(raise))), "{csv}");
    // Once the cycle closes, its file is still the one exported.
    assert_eq!(h.call("advance_cycle", &json!({ "id": cycle }).to_string(), Some(&hr)).await.status, StatusCode::OK);
    assert_eq!(h.call("export_payroll", "{}", Some(&hr)).await.json().as_str().unwrap(), csv);
}
