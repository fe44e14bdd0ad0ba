//! An appraisal through the real server: opened when the cycle enters appraisal, rated by the
//! manager only when grounded, the final score as DOMAIN.md's formula gives it, the conversation
//! record signed by both through the sync (its agreed actions becoming development items),
//! calibration with a reason and the lock, HR's report and CSV.

mod common;

use std::collections::BTreeMap;

use app::appraisal::types::Discussion;
use app::auth::types::SessionUser;
use app::sync::protocol::{Kind, Op, Outcome, RecordRef};
use axum::http::StatusCode;
use common::Harness;
use serde_json::{json, Value};

fn body(answer: &common::Answer) -> Value {
    serde_json::from_str(&answer.body).unwrap_or_else(|_| panic!("JSON: {}", answer.body))
}

async fn user(h: &Harness, name: &str) -> SessionUser {
    app::org::store::people::session_user(&h.db, &h.id(name)).await.unwrap().unwrap().0
}

/// Pushes the whole record from a device that has seen revision `seen` of it.
async fn places(h: &Harness, who: Option<&str>) -> Value {
    body(&h.call("my_places", "{}", who).await)
}

async fn push(h: &Harness, name: &str, op: &str, record: &str, d: &Discussion, seen: u64) -> Outcome {
    let set = d.to_values();
    let base = set.keys().map(|k| (k.clone(), seen)).collect::<BTreeMap<_, _>>();
    let op = Op { id: format!("op-{op}-0000"), device: format!("device-{name}").replace('.', "-"), record: RecordRef::new(Kind::Discussion, record), base, set, delete: false };
    let reply = app::offline::store::sync::push(&h.db, &user(h, name).await, vec![op]).await.unwrap();
    reply.outcomes[0].1.clone()
}

/// A rating on an anchor with a KPI as evidence; level 1 and the top level are justified.
fn rating(competency: &Value, level: u64, kpi: &str) -> Value {
    let top = competency["levels"].as_array().unwrap().len() as u64;
    let justification = if level == 1 || level == top { "Ran the whole regional launch alone while the team was short" } else { "" };
    json!({ "competency_id": competency["id"], "level": level, "justification": justification,
            "evidence": { "kind": "kpi", "on": "", "reference": kpi, "note": "See the quarter's numbers" } })
}

#[tokio::test]
async fn an_appraisal_from_opening_to_calibration() {
    let h = Harness::new(&[]).await;
    let hr = h.sign_in("amina.okafor").await;
    let james = h.sign_in("james.osei").await;
    let sam = h.sign_in("sam.taylor").await;
    let sam_id = h.id("sam.taylor");
    let person = json!({ "person_id": sam_id }).to_string();

    // Before the cycle is in appraisal there is nothing to prepare.
    assert_eq!(h.call("prepare_appraisal", &person, Some(&james)).await.status, StatusCode::NOT_FOUND);
    let cycle = body(&h.call("current_cycle_id", "{}", Some(&hr)).await)[0].as_str().unwrap().to_owned();
    // The navigation offers only places that exist: one's scorecard with a plan, merit in appraisal.
    assert_eq!(places(&h, Some(&sam)).await, json!({ "has_plan": true, "merit_open": false }));
    assert_eq!(places(&h, Some(&hr)).await, json!({ "has_plan": false, "merit_open": false }), "the HR director has no plan in the demo");
    assert_eq!(places(&h, None).await, json!({ "has_plan": false, "merit_open": false }), "signed out: nothing");
    let advanced = h.call("advance_cycle", &json!({ "id": cycle }).to_string(), Some(&hr)).await;
    assert_eq!(advanced.status, StatusCode::OK, "{}", advanced.body);
    assert_eq!(places(&h, Some(&james)).await["merit_open"], true);
    let list = body(&h.call("list_appraisals", "{}", Some(&james)).await);
    assert_eq!(list["reports"].as_array().unwrap().len(), 3, "an appraisal for each of James's direct reports with a plan");

    // Preparing: the employee does not see the draft ratings.
    let prep = body(&h.call("prepare_appraisal", &person, Some(&james)).await);
    let a = &prep["appraisal"];
    assert_eq!(a["state"], "preparing");
    let competencies = a["competencies"].as_array().unwrap().clone();
    let kpi = a["kras"][0]["kpis"][0]["kpi"]["id"].as_str().unwrap().to_owned();
    let generated = a["kpi_generated"]["score"].as_f64().unwrap();

    // Submitting ungrounded ratings names each problem.
    let bare = json!({ "person_id": sam_id, "input": { "ratings": [], "kpi_override": null, "potential": 2, "submit": true } }).to_string();
    let refused = h.call("save_ratings", &bare, Some(&james)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains(&format!("rating-{}", competencies[0]["id"].as_str().unwrap())), "{}", refused.body);
    let top = competencies[0]["levels"].as_array().unwrap().len() as u64;
    let mut unjustified = rating(&competencies[0], top, &kpi);
    unjustified["justification"] = json!("");
    let mut ratings: Vec<Value> = competencies.iter().skip(1).map(|c| rating(c, 3, &kpi)).collect();
    ratings.insert(0, unjustified);
    let input = |ratings: &Vec<Value>, kpi_override: Value, submit: bool| json!({ "person_id": sam_id, "input": { "ratings": ratings, "kpi_override": kpi_override, "potential": 3, "submit": submit } }).to_string();
    let refused = h.call("save_ratings", &input(&ratings, Value::Null, true), Some(&james)).await;
    assert!(refused.body.contains(&format!("justification-{}", competencies[0]["id"].as_str().unwrap())), "{}", refused.body);

    // A draft saves; Sam sees no ratings yet.
    ratings[0] = rating(&competencies[0], top, &kpi);
    assert_eq!(h.call("save_ratings", &input(&ratings, Value::Null, false), Some(&james)).await.status, StatusCode::OK);
    let own = body(&h.call("load_appraisal", &person, Some(&sam)).await);
    assert_eq!(own["ratings"], json!([]));
    assert_eq!(own["final_score"], Value::Null);

    // An override needs a reason; with one it is kept in the audit trail.
    let short = json!({ "score": 1.0, "reason": "no" });
    assert!(h.call("save_ratings", &input(&ratings, short, true), Some(&james)).await.body.contains("kpi_override"));
    let reasoned = json!({ "score": 1.0, "reason": "Two deals slipped into January at the client's request" });
    let saved = h.call("save_ratings", &input(&ratings, reasoned, true), Some(&james)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let prep = body(&saved);
    let a = &prep["appraisal"];
    assert_eq!(a["state"], "rated");
    let mut trail = h.db.query("SELECT action, before, after, reason FROM appraisal_log WHERE appraisal = type::record('appraisal', $id) ORDER BY at").bind(("id", a["id"].as_str().unwrap().to_owned())).await.unwrap();
    let trail: Vec<Value> = trail.take(0).unwrap();
    assert_eq!(trail[0]["action"], "kpi_override");
    assert_eq!(trail[0]["after"], "100%");
    assert_eq!(trail[0]["reason"], "Two deals slipped into January at the client's request");
    assert_eq!(trail[1]["action"], "ratings_submitted");

    // The final score is DOMAIN.md's: (w_kpi × KPI part + w_comp × competency part) / 100, the
    // competency part the mean of level ÷ expected level (capped at 120 %).
    let expected: Vec<(String, u64)> = serde_json::from_value(a["expected"].clone()).unwrap();
    let comp: f64 = competencies
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let level = if i == 0 { top } else { 3 } as f64;
            let wanted = expected.iter().find(|(id, _)| id == c["id"].as_str().unwrap()).map_or(3, |(_, l)| *l) as f64;
            (level / wanted).min(1.2)
        })
        .sum::<f64>()
        / competencies.len() as f64;
    let score = (60.0 * 1.0 + 40.0 * comp) / 100.0;
    assert!((a["final_score"]["score"].as_f64().unwrap() - score).abs() < 1e-9);
    assert!(a["final_score"]["why"].as_str().unwrap().starts_with("(KPI weight × KPI part + competency weight × competency part) / weights: (60 × 100% + 40 × "));
    assert!(a["kpi_generated"]["score"].as_f64().unwrap() == generated);
    // The bias report is worked out on the page from the ratings being entered, James's ratings
    // of his other reports (none) and the organisation's sums, which name no one.
    assert_eq!(prep["rated_by_me"], serde_json::json!([]));
    let mut figures: Vec<&String> = prep["organisation"].as_object().unwrap().keys().collect();
    figures.sort();
    assert_eq!(figures, ["halo_people", "halo_sum", "ratings", "sum", "sum_of_squares"]);

    // The conversation: James records the outcome and signs; Sam signs; the action lands in the plan.
    let record = a["id"].as_str().unwrap().to_owned();
    let mut d = Discussion { person_id: sam_id.clone(), manager_id: h.id("james.osei"), cycle_id: cycle.clone(), step: 8, outcome: "agreed".into(), ..Discussion::default() };
    d.actions = vec![app::appraisal::types::AgreedAction { title: "Negotiation course".into(), kind: "training".into(), target: kpi.clone(), due_on: "2027-03-31".into() }];
    d.manager_signed_on = "2026-11-24".into();
    assert!(matches!(push(&h, "sam.taylor", "early", &record, &Discussion { employee_signed_on: "2026-11-24".into(), manager_signed_on: String::new(), ..d.clone() }, 0).await, Outcome::Rejected { .. }));
    let Outcome::Applied { rev } = push(&h, "james.osei", "manager", &record, &d, 0).await else { panic!("the manager signs") };
    d.employee_signed_on = "2026-11-25".into();
    let signed = push(&h, "sam.taylor", "employee", &record, &d, rev).await;
    assert!(matches!(signed, Outcome::Applied { .. }), "{signed:?}");
    // Sam's items agreed in this cycle's conversation (the demo has last year's and his plan's too).
    let mut items = h.db.query("SELECT title, kind, due_on, source FROM development_item WHERE source = 'appraisal' AND cycle = type::record('cycle', $cycle)").bind(("cycle", cycle.clone())).await.unwrap();
    let items: Vec<Value> = items.take(0).unwrap();
    assert_eq!(items, vec![json!({ "title": "Negotiation course", "kind": "training", "due_on": "2027-03-31", "source": "appraisal" })]);
    assert_eq!(body(&h.call("load_appraisal", &person, Some(&sam)).await)["state"], "signed");
    assert_eq!(h.call("save_ratings", &input(&ratings, Value::Null, true), Some(&james)).await.status, StatusCode::UNPROCESSABLE_ENTITY, "signed: read-only");

    // Calibration: James may calibrate his unit, Sam may not; a change needs a reason and is logged.
    let unit = app::org::store::units::list(&h.db).await.unwrap().into_iter().find(|u| u.code == "SALES-N").unwrap().id;
    let unit_args = json!({ "unit_id": unit }).to_string();
    assert_eq!(h.call("load_calibration", &unit_args, Some(&sam)).await.status, StatusCode::FORBIDDEN);
    let view = body(&h.call("load_calibration", &unit_args, Some(&james)).await);
    let line = view["lines"].as_array().unwrap().iter().find(|l| l["person_id"] == sam_id.as_str()).unwrap().clone();
    let before = line["settled_rating"].as_u64().unwrap();
    let after = if before > 1 { before - 1 } else { 2 };
    let change = |reason: &str| json!({ "unit_id": unit, "person_id": sam_id, "rating": after, "reason": reason }).to_string();
    assert!(h.call("calibrate_rating", &change("lower"), Some(&hr)).await.body.contains(r#""field":"reason""#));
    let calibrated = body(&h.call("calibrate_rating", &change("Against the unit's peers the override overstates Q2"), Some(&hr)).await);
    assert_eq!(calibrated["log"][0]["before"], before);
    assert_eq!(calibrated["log"][0]["after"], after);
    assert_eq!(calibrated["log"][0]["by"], "Amina Okafor");
    assert_eq!(body(&h.call("load_appraisal", &person, Some(&sam)).await)["settled_rating"][0], after);
    // HR locks once every rating is in: not yet (James has two more to rate).
    assert!(h.call("lock_calibration", &unit_args, Some(&hr)).await.body.contains("has not submitted ratings yet"));
    assert_eq!(h.call("lock_calibration", &unit_args, Some(&james)).await.status, StatusCode::FORBIDDEN);

    // HR's report and CSV.
    let report = body(&h.call("load_appraisal_report", "{}", Some(&hr)).await);
    let north = report["units"].as_array().unwrap().iter().find(|u| u["name"] == "Sales North").unwrap().clone();
    assert_eq!((north["rated"].as_u64(), north["signed"].as_u64()), (Some(1), Some(1)));
    let csv = body(&h.call("export_appraisals", "{}", Some(&hr)).await);
    let csv = csv.as_str().unwrap();
    assert!(csv.starts_with("person,unit,manager,state,self_assessment,final_score,proposed_rating,final_rating,potential\n"));
    assert!(csv.lines().any(|l| l.starts_with("Sam Taylor,Sales North,James Osei,Signed by both,") && l.ends_with(&format!(",{after},High"))), "{csv}");
}
