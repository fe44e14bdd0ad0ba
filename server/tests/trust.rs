//! The findings of the outside probe (issue 15), each reproduced through the real router and
//! checked on the data that comes back: calibration reaches only one's reporting line and never
//! one's own or one's manager's rating; nobody sees their own potential; saving the rating scale
//! breaks nothing; refusals are clear 4xx, never 500; saving the same plan twice changes nothing;
//! texts keep their limits.

mod common;

use std::collections::{BTreeSet, HashMap};

use axum::http::StatusCode;
use common::{Answer, Harness};
use serde_json::{json, Value};

fn body(answer: &Answer) -> Value {
    serde_json::from_str(&answer.body).unwrap_or_else(|_| panic!("JSON: {}", answer.body))
}

fn unit_id(units: &[app::org::types::Unit], code: &str) -> String {
    units.iter().find(|u| u.code == code).unwrap().id.clone()
}

/// Everyone below `manager`, worked out here from each person's manager (not by the app's code).
fn line_of(managers: &HashMap<String, Option<String>>, manager: &str) -> BTreeSet<String> {
    let mut line = BTreeSet::new();
    loop {
        let before = line.len();
        for (person, above) in managers {
            if above.as_deref().is_some_and(|m| m == manager || line.contains(m)) {
                line.insert(person.clone());
            }
        }
        if line.len() == before {
            return line;
        }
    }
}

/// The person ids of a calibration view's lines.
fn people_in(view: &Value) -> BTreeSet<String> {
    view["lines"].as_array().unwrap_or_else(|| panic!("lines: {view}")).iter().map(|l| l["person_id"].as_str().unwrap().to_owned()).collect()
}

/// The cycle in appraisal with every appraisal's ratings submitted (their KPI part settles a
/// rating) and a potential on each, so there is something to calibrate and to hide.
async fn appraisal_with_ratings(h: &Harness) {
    let hr = h.sign_in("amina.okafor").await;
    let cycle = body(&h.call("current_cycle_id", "{}", Some(&hr)).await)[0].as_str().unwrap().to_owned();
    let advanced = h.call("advance_cycle", &json!({ "id": cycle }).to_string(), Some(&hr)).await;
    assert_eq!(advanced.status, StatusCode::OK, "{}", advanced.body);
    h.db.query("UPDATE appraisal SET submitted_at = time::now(), potential = 3, rated_by = person.manager").await.unwrap().check().unwrap();
}

#[tokio::test]
async fn calibration_reaches_ones_reporting_line_only() {
    let h = Harness::new(&[]).await;
    appraisal_with_ratings(&h).await;
    let units = app::org::store::units::list(&h.db).await.unwrap();
    let everyone = app::org::store::people::list(&h.db, false).await.unwrap();
    let managers: HashMap<String, Option<String>> = everyone.iter().map(|p| (p.id.clone(), p.manager_id.clone())).collect();
    let mut appraised = h.db.query("SELECT VALUE record::id(person) FROM appraisal WHERE cycle.state = 'appraisal'").await.unwrap();
    let appraised: BTreeSet<String> = appraised.take::<Vec<String>>(0).unwrap().into_iter().collect();
    let (hq, sales, sales_n, sales_s, pc) = (unit_id(&units, "HQ"), unit_id(&units, "SALES"), unit_id(&units, "SALES-N"), unit_id(&units, "SALES-S"), unit_id(&units, "PC"));
    let load = |unit: &str| json!({ "unit_id": unit }).to_string();
    let change = |unit: &str, person: &str| {
        json!({ "unit_id": unit, "person_id": person, "rating": 2, "reason": "Against the unit's peers this overstates the year" }).to_string()
    };

    // A first-line manager, asking for the root unit and its parent: their own reports only.
    let james = h.sign_in("james.osei").await;
    let james_line: BTreeSet<String> = line_of(&managers, &h.id("james.osei")).intersection(&appraised).cloned().collect();
    assert_eq!(james_line.len(), 3, "Sam, Ravi and Emma have plans");
    for unit in [&hq, &sales, &sales_n] {
        let view = h.call("load_calibration", &load(unit), Some(&james)).await;
        assert_eq!(view.status, StatusCode::OK, "{}", view.body);
        let view = body(&view);
        assert_eq!(people_in(&view), james_line, "James calibrating {unit}");
        let counted: u64 = view["distribution"].as_array().unwrap().iter().map(|d| d[2].as_u64().unwrap()).sum();
        let rated = view["lines"].as_array().unwrap().iter().filter(|l| !l["settled_rating"].is_null()).count() as u64;
        assert_eq!(counted, rated, "the distribution counts only what James may see: {}", view["distribution"]);
    }
    assert_eq!(h.call("load_calibration", &load(&sales_s), Some(&james)).await.status, StatusCode::FORBIDDEN, "nobody of his in Sales South");
    // Never his own rating, never his manager's, never someone outside his line.
    for (unit, person) in [(&hq, h.id("james.osei")), (&sales, h.id("maria.santos")), (&hq, h.id("lina.yusuf")), (&sales_n, h.id("james.osei"))] {
        let refused = h.call("calibrate_rating", &change(unit, &person), Some(&james)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "James calibrating {person}: {}", refused.body);
    }
    let mut untouched = h.db.query("SELECT VALUE calibrated FROM appraisal WHERE calibrated != NONE AND cycle.state = 'appraisal'").await.unwrap();
    assert!(untouched.take::<Vec<Value>>(0).unwrap().is_empty(), "no refused calibration changed a rating");
    let done = h.call("calibrate_rating", &change(&hq, &h.id("sam.taylor")), Some(&james)).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(people_in(&body(&done)), james_line, "the answer to a change shows no more either");

    // A manager of managers sees their whole line, and not themselves.
    let maria = h.sign_in("maria.santos").await;
    let maria_line: BTreeSet<String> = line_of(&managers, &h.id("maria.santos")).intersection(&appraised).cloned().collect();
    assert_eq!(people_in(&body(&h.call("load_calibration", &load(&hq), Some(&maria)).await)), maria_line);
    assert!(maria_line.contains(&h.id("james.osei")) && maria_line.contains(&h.id("lina.yusuf")));
    assert_eq!(h.call("calibrate_rating", &change(&hq, &h.id("maria.santos")), Some(&maria)).await.status, StatusCode::FORBIDDEN);

    // HR calibrates anyone but themselves, and does not see their own line.
    let amina = h.sign_in("amina.okafor").await;
    let all_but_amina: BTreeSet<String> = appraised.iter().filter(|p| **p != h.id("amina.okafor")).cloned().collect();
    assert_eq!(people_in(&body(&h.call("load_calibration", &load(&hq), Some(&amina)).await)), all_but_amina);
    assert_eq!(h.call("calibrate_rating", &change(&pc, &h.id("amina.okafor")), Some(&amina)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(h.call("calibrate_rating", &change(&sales_s, &h.id("lina.yusuf")), Some(&amina)).await.status, StatusCode::OK);
    let lucas = h.sign_in("lucas.berg").await;
    assert_eq!(h.call("calibrate_rating", &change(&hq, &h.id("ravi.patel")), Some(&lucas)).await.status, StatusCode::OK, "HR outside their own line");

    // The appraisals page offers a manager the units of their own line only.
    let list = body(&h.call("list_appraisals", "{}", Some(&james)).await);
    let offered: Vec<&str> = list["calibration_units"].as_array().unwrap().iter().map(|u| u[0].as_str().unwrap()).collect();
    assert_eq!(offered, [sales_n.as_str()]);
}

#[tokio::test]
async fn nobody_sees_their_own_potential() {
    let h = Harness::new(&[]).await;
    appraisal_with_ratings(&h).await;
    let sam = h.sign_in("sam.taylor").await;
    let list = body(&h.call("list_appraisals", "{}", Some(&sam)).await);
    assert_eq!(list["own"]["person_id"], h.id("sam.taylor"));
    assert_eq!(list["own"]["potential"], Value::Null, "{}", list["own"]);
    let own = body(&h.call("load_appraisal", &json!({ "person_id": h.id("sam.taylor") }).to_string(), Some(&sam)).await);
    assert_eq!(own["potential"], Value::Null);
    // A manager sees their report's and not their own.
    let james = h.sign_in("james.osei").await;
    let list = body(&h.call("list_appraisals", "{}", Some(&james)).await);
    assert_eq!(list["own"]["potential"], Value::Null);
    assert!(list["reports"].as_array().unwrap().iter().all(|r| r["potential"] == 3), "{}", list["reports"]);
}

#[tokio::test]
async fn only_the_direct_manager_or_hr_rates() {
    let h = Harness::new(&[]).await;
    let hr = h.sign_in("amina.okafor").await;
    let cycle = body(&h.call("current_cycle_id", "{}", Some(&hr)).await)[0].as_str().unwrap().to_owned();
    assert_eq!(h.call("advance_cycle", &json!({ "id": cycle }).to_string(), Some(&hr)).await.status, StatusCode::OK);
    let sam = json!({ "person_id": h.id("sam.taylor") }).to_string();
    let maria = h.sign_in("maria.santos").await;
    // The indirect manager reads the appraisal but may not rate it: a 403, as the gate says.
    let view = body(&h.call("load_appraisal", &sam, Some(&maria)).await);
    assert_eq!(view["may_rate"], false);
    assert_eq!(h.call("prepare_appraisal", &sam, Some(&maria)).await.status, StatusCode::FORBIDDEN);
    let ratings = json!({ "person_id": h.id("sam.taylor"), "input": { "ratings": [], "kpi_override": null, "potential": 2, "submit": false } }).to_string();
    assert_eq!(h.call("save_ratings", &ratings, Some(&maria)).await.status, StatusCode::FORBIDDEN);
    let james = h.sign_in("james.osei").await;
    assert_eq!(body(&h.call("load_appraisal", &sam, Some(&james)).await)["may_rate"], true);
    assert_eq!(h.call("save_ratings", &ratings, Some(&james)).await.status, StatusCode::OK);
    // Nobody rates themselves, HR included.
    let own = json!({ "person_id": h.id("amina.okafor") }).to_string();
    assert_eq!(h.call("prepare_appraisal", &own, Some(&hr)).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn saving_the_rating_scale_unchanged_breaks_nothing() {
    let h = Harness::new(&[]).await;
    let hr = h.sign_in("amina.okafor").await;
    let sam = h.sign_in("sam.taylor").await;
    let bands = body(&h.call("rating_scale", "{}", Some(&hr)).await);
    assert_eq!(bands.as_array().unwrap().len(), 5, "the example scale of DOMAIN.md, stored by migration: {bands}");
    let saved = h.call("save_rating_scale", &json!({ "bands": bands }).to_string(), Some(&hr)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(body(&saved), bands);
    let me = json!({ "person_id": h.id("sam.taylor") }).to_string();
    for (endpoint, args, who) in [
        ("rating_scale", "{}".to_owned(), &hr),
        ("person_scorecard", json!({ "person_id": h.id("sam.taylor"), "cycle_id": null }).to_string(), &sam),
        ("load_development_plan", me.clone(), &sam),
        ("load_offline_snapshot", "{}".to_owned(), &sam),
    ] {
        let answer = h.call(endpoint, &args, Some(who)).await;
        assert_eq!(answer.status, StatusCode::OK, "{endpoint} after saving the scale: {}", answer.body);
    }
    let card = body(&h.call("person_scorecard", &json!({ "person_id": h.id("sam.taylor"), "cycle_id": null }).to_string(), Some(&sam)).await);
    assert!(card["rating"]["label"].is_string(), "the scorecard maps onto the saved scale: {}", card["rating"]);
    // A changed scale is what scores map by from then on.
    let mut changed = bands.clone();
    changed[2]["label"] = json!("Solid");
    assert_eq!(h.call("save_rating_scale", &json!({ "bands": changed }).to_string(), Some(&hr)).await.status, StatusCode::OK);
    assert_eq!(body(&h.call("rating_scale", "{}", Some(&sam)).await)[2]["label"], "Solid");
}

#[tokio::test]
async fn refusals_are_clear_and_never_500() {
    let h = Harness::new(&[]).await;
    let hr = h.sign_in("amina.okafor").await;
    let framework = body(&h.call("load_competency_framework", "{}", Some(&hr)).await);
    let existing = framework["competencies"][0].clone();
    let mut copy = existing.clone();
    copy["id"] = json!("");
    // The same name as another competency, and a name over the database's 80 characters.
    let duplicate = h.call("save_competency", &json!({ "competency": copy }).to_string(), Some(&hr)).await;
    assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", duplicate.body);
    assert!(duplicate.body.contains(r#""field":"name""#) && duplicate.body.contains("Another competency is called"), "{}", duplicate.body);
    copy["name"] = json!("x".repeat(200));
    let long = h.call("save_competency", &json!({ "competency": copy }).to_string(), Some(&hr)).await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", long.body);
    assert!(long.body.contains("Keep the name to 80 characters (it has 200)."), "{}", long.body);

    // Fifty HR administrators locking one unit at once: one lock, the rest told it is locked.
    appraisal_with_ratings(&h).await;
    let units = app::org::store::units::list(&h.db).await.unwrap();
    let args = json!({ "unit_id": unit_id(&units, "SALES-N") }).to_string();
    let answers = futures_join_all((0..50).map(|_| h.call("lock_calibration", &args, Some(&hr)))).await;
    let statuses: Vec<StatusCode> = answers.iter().map(|a| a.status).collect();
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == StatusCode::OK || *s == StatusCode::UNPROCESSABLE_ENTITY), "{statuses:?}");
    let mut locks = h.db.query("SELECT VALUE id FROM calibration_lock WHERE cycle.state = 'appraisal'").await.unwrap();
    assert_eq!(locks.take::<Vec<Value>>(0).unwrap().len(), 1);
}

/// Runs the futures at once on this task (the harness calls are not `Send`-bound to a runtime).
async fn futures_join_all<F: std::future::Future>(futures: impl Iterator<Item = F>) -> Vec<F::Output> {
    let mut pending: Vec<std::pin::Pin<Box<F>>> = futures.map(Box::pin).collect();
    let mut done: Vec<Option<F::Output>> = pending.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        for (i, f) in pending.iter_mut().enumerate() {
            if done[i].is_none() {
                if let std::task::Poll::Ready(out) = f.as_mut().poll(cx) {
                    done[i] = Some(out);
                }
            }
        }
        if done.iter().all(Option::is_some) { std::task::Poll::Ready(()) } else { std::task::Poll::Pending }
    })
    .await;
    done.into_iter().map(Option::unwrap).collect()
}

/// How many entries a plan's history has.
async fn history(h: &Harness, plan: &str) -> usize {
    let mut r = h.db.query("SELECT VALUE id FROM plan_change WHERE plan = type::record('plan', $p)").bind(("p", plan.to_owned())).await.unwrap();
    r.take::<Vec<Value>>(0).unwrap().len()
}

#[tokio::test]
async fn saving_the_same_plan_again_changes_nothing() {
    let h = Harness::new(&[]).await;
    let james = h.sign_in("james.osei").await;
    let sam = h.id("sam.taylor");
    let view = body(&h.call("load_plan", &json!({ "person_id": sam, "cycle_id": null }).to_string(), Some(&james)).await);
    let plan = view["plan"].clone();
    assert_eq!(plan["state"], "approved");
    let plan_id = plan["id"].as_str().unwrap().to_owned();
    let entries = history(&h, &plan_id).await;
    // The plan as the page holds it, every id left empty, sent fifty times at once.
    let mut kras = plan["kras"].clone();
    for kra in kras.as_array_mut().unwrap() {
        kra["id"] = json!("");
        for kpi in kra["kpis"].as_array_mut().unwrap() {
            kpi["id"] = json!("");
        }
    }
    let args = json!({ "input": { "person_id": sam, "cycle_id": plan["cycle_id"], "kras": kras } }).to_string();
    let answers = futures_join_all((0..50).map(|_| h.call("save_plan", &args, Some(&james)))).await;
    assert!(answers.iter().all(|a| a.status == StatusCode::OK), "{}", answers[0].body);
    assert_eq!(history(&h, &plan_id).await, entries, "no history entry for an unchanged plan");
    let after = body(&h.call("load_plan", &json!({ "person_id": sam, "cycle_id": null }).to_string(), Some(&james)).await);
    assert_eq!(after["plan"]["state"], "approved", "an approved plan saved unchanged stays approved");
    assert_eq!(after["plan"]["kras"], plan["kras"], "the same ids");
}

#[tokio::test]
async fn texts_keep_their_limits() {
    let h = Harness::new(&[]).await;
    let hr = h.sign_in("amina.okafor").await;
    let units = app::org::store::units::list(&h.db).await.unwrap();
    let unit = |name: String| json!({ "input": { "id": null, "code": "NEW", "name": name, "parent_id": unit_id(&units, "HQ") } }).to_string();
    for (name, message) in [
        ("u".repeat(100_000), "Keep the name to 4000 characters (it has 100000)."),
        ("u".repeat(200), "Keep the unit's name to 120 characters (it has 200)."),
        ("Ops\u{0}".to_owned(), "Remove the hidden character U+0000 from the name."),
        ("Ops\u{202E}gnp".to_owned(), "Remove the hidden character U+202E from the name."),
    ] {
        let refused = h.call("save_unit", &unit(name), Some(&hr)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
        let error = body(&refused);
        assert_eq!(error["Invalid"][0]["field"], "name", "{error}");
        assert_eq!(error["Invalid"][0]["message"], message);
    }
    let person = |name: String| {
        json!({ "input": { "id": null, "email": "new.person@example.com", "name": name, "job_title": "Analyst", "unit_id": unit_id(&units, "FIN"),
                "manager_id": h.id("oliver.grant"), "roles": [], "active": true } })
        .to_string()
    };
    let refused = h.call("save_person", &person("p".repeat(10_000)), Some(&hr)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("Keep the name to 4000 characters"), "{}", refused.body);
    let refused = h.call("save_person", &person("p".repeat(121)), Some(&hr)).await;
    assert!(refused.body.contains("Keep the name to 120 characters (it has 121)."), "{}", refused.body);
    // The same rules hold for a file: the row is named.
    let csv = "email,name,job_title,unit_code,manager_email,roles,active\nnew.person@example.com,Pat\u{202E},Analyst,FIN,oliver.grant@example.com,,true\n";
    let refused = h.call("import_people", &json!({ "csv": csv }).to_string(), Some(&hr)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("U+202E"), "{}", refused.body);
    let mut stored = h.db.query("SELECT VALUE name FROM person WHERE email = 'new.person@example.com'").await.unwrap();
    assert!(stored.take::<Vec<Value>>(0).unwrap().is_empty(), "nothing was stored");
    let ok = h.call("save_person", &person("Pat Okoro".into()), Some(&hr)).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
}
