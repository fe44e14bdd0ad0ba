//! The change programme through the real server: the chair alone signs off, over warnings only
//! when confirmed; adoption moves with real use and proposes a win once; pulse results stay
//! hidden below five answers; the committee's dashboard names no one.

mod common;

use axum::http::StatusCode;
use common::Harness;
use serde_json::{json, Value};

async fn unit(h: &Harness, code: &str) -> String {
    app::org::store::units::list(&h.db).await.unwrap().into_iter().find(|u| u.code == code).unwrap().id
}

fn body(answer: &common::Answer) -> Value {
    serde_json::from_str(&answer.body).unwrap_or_else(|_| panic!("JSON: {}", answer.body))
}

/// Sam's unit's value of a metric on the dashboard.
fn sales_north(report: &Value, metric: &str) -> Value {
    let row = report["units"].as_array().unwrap().iter().find(|u| u["unit"]["name"] == "Sales North").unwrap();
    let counts: app::change::types::UnitCounts = serde_json::from_value(row["counts"]["shown"].clone()).unwrap();
    let metric: app::change::types::Metric = serde_json::from_value(json!(metric)).unwrap();
    json!(app::change::rules::value(metric, &counts))
}

#[tokio::test]
async fn a_programme_is_steered_step_by_step_and_measured_from_real_use() {
    let h = Harness::new(&[]).await;
    let zara = h.sign_in("zara.ahmed").await;
    let david = h.sign_in("david.kim").await;
    let hq = unit(&h, "HQ").await;

    let bad = h.call("create_programme", &json!({ "input": { "name": " ", "scope_unit_ids": [], "sponsor_id": h.id("grace.mwangi"),
        "chair_id": h.id("sam.taylor"), "member_ids": [], "starts_on": "2027-01-01", "ends_on": "2026-01-01" } }).to_string(), Some(&zara)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["name", "scope", "chair", "ends_on"] {
        assert!(bad.body.contains(&format!(r#""field":"{field}""#)), "{field}: {}", bad.body);
    }

    let created = h.call("create_programme", &json!({ "input": { "name": "Rollout 2027", "scope_unit_ids": [hq], "sponsor_id": h.id("grace.mwangi"),
        "chair_id": h.id("zara.ahmed"), "member_ids": [h.id("david.kim")], "starts_on": "2026-11-01", "ends_on": "2027-12-31" } }).to_string(), Some(&zara)).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let programme = body(&created)["id"].as_str().unwrap().to_owned();
    let p = |extra: Value| {
        let mut args = json!({ "programme_id": programme });
        args.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        args.to_string()
    };

    let view = body(&h.call("load_programme", &json!({ "id": programme }).to_string(), Some(&david)).await);
    assert_eq!(view["steps"].as_array().unwrap().len(), 8);
    assert_eq!(view["steps"][0]["checklist"][0]["text"], "Gather facts on today's planning and appraisal (coverage, timeliness, complaints)");
    assert_eq!(view["viewer_is_chair"], false);

    // An open action and unmet criteria: warnings first, the chair alone may sign over them.
    let added = h.call("save_change_action", &p(json!({ "input": { "id": null, "step": 1, "title": "Listening sessions",
        "owner_id": h.id("david.kim"), "due_on": "2026-12-15", "status": "open" } })), Some(&david)).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    assert_eq!(h.call("sign_off_step", &p(json!({ "step": 1, "confirm": true })), Some(&david)).await.status, StatusCode::FORBIDDEN);
    let warned = h.call("sign_off_step", &p(json!({ "step": 1, "confirm": false })), Some(&zara)).await;
    assert_eq!(warned.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(warned.body.contains("1 action(s) of this step are still open"), "{}", warned.body);
    assert!(warned.body.contains("2 completion criterion/criteria not marked as met"), "{}", warned.body);
    let signed = h.call("sign_off_step", &p(json!({ "step": 1, "confirm": true })), Some(&zara)).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
    assert_eq!(body(&signed)["warnings"].as_array().unwrap().len(), 2, "the warnings are kept with the sign-off");
    let locked = h.call("save_change_step", &p(json!({ "step": 1, "checklist": [], "criteria_met": [true, true] })), Some(&david)).await;
    assert_eq!(locked.status, StatusCode::UNPROCESSABLE_ENTITY, "a signed-off step is read-only");
    let view = body(&h.call("load_programme", &json!({ "id": programme }).to_string(), Some(&zara)).await);
    assert_eq!(view["programme"]["signed"][0], true);
    assert_eq!(view["viewer_is_chair"], true);

    // Adoption moves when Sam submits a self-assessment; a target reached proposes a win once.
    let before = body(&h.call("load_adoption", &p(json!({})), Some(&david)).await);
    let cycle = app::planning::store::plans::current_cycle(&h.db).await.unwrap();
    h.db.query("CREATE self_assessment SET person = type::record('person', $sam), cycle = type::record('cycle', $cycle), submitted = true, rev = 1")
        .bind(("sam", h.id("sam.taylor")))
        .bind(("cycle", cycle.id.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();
    let bad_target = h.call("save_adoption_targets", &p(json!({ "targets": [["self_assessments_submitted", "120"]] })), Some(&david)).await;
    assert!(bad_target.body.contains("0 to 100"), "{}", bad_target.body);
    let saved = h.call("save_adoption_targets", &p(json!({ "targets": [["self_assessments_submitted", "10"]] })), Some(&david)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let after = body(&h.call("load_adoption", &p(json!({})), Some(&david)).await);
    let people_in_unit = 6.0;
    assert_eq!(sales_north(&before, "self_assessments_submitted"), json!(0.0));
    assert_eq!(sales_north(&after, "self_assessments_submitted"), json!(1.0 / people_in_unit));
    let proposed: Vec<&Value> = after["wins"].as_array().unwrap().iter().filter(|w| w["decision"].is_null()).collect();
    assert_eq!(proposed.len(), 1, "{proposed:?}");
    assert_eq!(proposed[0]["unit"]["name"], "Sales North");
    let accepted = h.call("decide_win", &p(json!({ "unit_id": proposed[0]["unit"]["id"], "metric": "self_assessments_submitted", "decision": "accepted" })), Some(&david)).await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
    let decided = body(&h.call("load_adoption", &p(json!({})), Some(&david)).await);
    let wins = decided["wins"].as_array().unwrap();
    assert_eq!(wins.len(), 1);
    assert_eq!(wins[0]["decision"], "accepted", "an accepted win is not proposed again");
    assert!(!decided["history"].as_array().unwrap().is_empty(), "today's counts are kept for the trend");

    // Aggregates only: neither Sam's name nor his id is anywhere in the committee's dashboard.
    let dashboard = h.call("load_adoption", &p(json!({})), Some(&david)).await.body;
    assert!(!dashboard.contains("Sam Taylor") && !dashboard.contains(&h.id("sam.taylor")));
    let csv = body(&h.call("export_adoption", &p(json!({})), Some(&david)).await);
    assert!(csv.as_str().unwrap().lines().any(|l| l.starts_with("Sales North,6,")), "{csv}");

    // Pulse: anonymous, once per person, results only from five answers.
    let opened = h.call("create_pulse", &p(json!({ "title": "Readiness", "questions": "I know why we change\n\nI have the time to plan" })), Some(&david)).await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
    let sam = h.sign_in("sam.taylor").await;
    let open = body(&h.call("my_pulses", "{}", Some(&sam)).await);
    let pulse = open[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(open[0]["questions"].as_array().unwrap().len(), 2);
    let incomplete = h.call("answer_pulse", &json!({ "pulse_id": pulse, "scores": [4, 0] }).to_string(), Some(&sam)).await;
    assert!(incomplete.body.contains("I have the time to plan"), "{}", incomplete.body);
    let answer = |scores: Value| json!({ "pulse_id": pulse, "scores": scores }).to_string();
    assert_eq!(h.call("answer_pulse", &answer(json!([4, 2])), Some(&sam)).await.status, StatusCode::OK);
    assert_eq!(h.call("answer_pulse", &answer(json!([5, 5])), Some(&sam)).await.status, StatusCode::UNPROCESSABLE_ENTITY, "once only");
    let pulses = |v: Value| v["pulses"][0].clone();
    let few = pulses(body(&h.call("load_programme", &json!({ "id": programme }).to_string(), Some(&david)).await));
    assert_eq!(few["answers"], json!({ "hidden": "too_few" }), "one answer is not even counted");
    assert_eq!(few["results"], json!({ "hidden": "too_few" }));
    for name in ["chloe.dubois", "ravi.patel", "emma.wilson", "tariq.aziz", "lucas.berg"] {
        let cookie = h.sign_in(name).await;
        assert_eq!(h.call("answer_pulse", &answer(json!([5, 3])), Some(&cookie)).await.status, StatusCode::OK);
    }
    let open = pulses(body(&h.call("load_programme", &json!({ "id": programme }).to_string(), Some(&david)).await));
    assert_eq!(open["answers"], json!({ "shown": 6 }));
    assert_eq!(open["results"], json!({ "hidden": "until_closed" }), "while open, each new answer would show as the change");
    assert_eq!(h.call("close_pulse", &p(json!({ "pulse_id": pulse })), Some(&david)).await.status, StatusCode::OK);
    let five = pulses(body(&h.call("load_programme", &json!({ "id": programme }).to_string(), Some(&david)).await));
    assert_eq!(five["results"]["shown"][0]["distribution"], json!([0, 0, 0, 1, 5]));
    let units: Vec<(String, Value)> = five["by_unit"].as_array().unwrap().iter().map(|u| (u["unit"].as_str().unwrap().to_owned(), u["result"].clone())).collect();
    let result = |unit: &str| units.iter().find(|(name, _)| name == unit).map(|(_, r)| r.clone()).unwrap_or_else(|| panic!("{unit}: {units:?}"));
    assert_eq!(result("Head Office")["shown"]["answers"], 6);
    assert_eq!(result("People & Culture"), json!({ "hidden": "too_few" }), "one answer in People & Culture");
    // Five answers in Sales North, but Head Office less Sales North would be Lucas's answer.
    assert_eq!(result("Sales North"), json!({ "hidden": "complementary" }));
    assert_eq!(result("Sales"), json!({ "hidden": "complementary" }));
}

#[tokio::test]
async fn a_survey_is_open_only_to_the_programme_s_units() {
    let h = Harness::new(&[]).await;
    let zara = h.sign_in("zara.ahmed").await;
    let tech = unit(&h, "TECH").await;
    let created = h.call("create_programme", &json!({ "input": { "name": "Tech pilot", "scope_unit_ids": [tech], "sponsor_id": h.id("david.kim"),
        "chair_id": h.id("zara.ahmed"), "member_ids": [], "starts_on": "2026-11-01", "ends_on": "2027-06-30" } }).to_string(), Some(&zara)).await;
    let programme = body(&created)["id"].as_str().unwrap().to_owned();
    h.call("create_pulse", &json!({ "programme_id": programme, "title": "Pilot", "questions": "Ready?" }).to_string(), Some(&zara)).await;
    let isabel = h.sign_in("isabel.costa").await;
    let pulse = body(&h.call("my_pulses", "{}", Some(&isabel)).await)[0]["id"].as_str().unwrap().to_owned();
    let sam = h.sign_in("sam.taylor").await;
    assert_eq!(body(&h.call("my_pulses", "{}", Some(&sam)).await), json!([]));
    let outside = h.call("answer_pulse", &json!({ "pulse_id": pulse, "scores": [5] }).to_string(), Some(&sam)).await;
    assert_eq!(outside.status, StatusCode::NOT_FOUND);
}
