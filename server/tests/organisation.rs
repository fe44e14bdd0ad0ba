//! HR's organisation calls end to end through the server: CSV import all-or-nothing, export.

mod common;

use axum::http::StatusCode;
use common::Harness;

fn csv_json(csv: &str) -> String {
    serde_json::json!({ "csv": csv }).to_string()
}

#[tokio::test]
async fn a_csv_with_one_bad_row_writes_nothing_and_names_the_row() {
    let h = Harness::new(&[]).await;
    let hr = h.sign_in("amina.okafor").await;
    let before = app::org::store::people::list(&h.db, true).await.unwrap().len();
    let csv = "email,name,job_title,unit_code,manager_email,roles,active\n\
               new.one@example.com,New One,Analyst,FIN,oliver.grant@example.com,,yes\n\
               new.two@example.com,New Two,Analyst,NOPE,oliver.grant@example.com,,yes\n";
    let answer = h.call("import_people", &csv_json(csv), Some(&hr)).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.body);
    assert!(answer.body.contains(r#""row":3"#) && answer.body.contains("unit_code"), "{}", answer.body);
    assert_eq!(app::org::store::people::list(&h.db, true).await.unwrap().len(), before, "nothing was written");

    let good = csv.replace("NOPE", "FIN");
    let answer = h.call("import_people", &csv_json(&good), Some(&hr)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body, r#"{"created":2,"updated":0}"#);
    let people = app::org::store::people::list(&h.db, true).await.unwrap();
    let two = people.iter().find(|p| p.email == "new.two@example.com").unwrap();
    assert_eq!(two.manager_name.as_deref(), Some("Oliver Grant"));
    assert_eq!(two.unit_name, "Finance");
}

#[tokio::test]
async fn an_export_can_be_imported_back_without_changes() {
    let h = Harness::new(&[]).await;
    let hr = h.sign_in("amina.okafor").await;
    let export = h.call("export_people", "{}", Some(&hr)).await;
    let csv: String = serde_json::from_str(&export.body).unwrap();
    assert!(csv.starts_with("email,name,job_title,unit_code,manager_email,roles,active\n"));
    assert_eq!(csv.lines().count(), 41);
    let answer = h.call("import_people", &csv_json(&csv), Some(&hr)).await;
    assert_eq!(answer.body, r#"{"created":0,"updated":40}"#);
}

#[tokio::test]
async fn deactivating_keeps_the_person_and_their_history() {
    let h = Harness::new(&[]).await;
    let hr = h.sign_in("amina.okafor").await;
    let id = h.id("ravi.patel");
    let person = h.call("get_person", &format!(r#"{{"id":"{id}"}}"#), Some(&hr)).await;
    let mut input: serde_json::Value = serde_json::from_str(&person.body).unwrap();
    input["active"] = false.into();
    let input = serde_json::json!({ "input": {
        "id": id, "email": input["email"], "name": input["name"], "job_title": input["job_title"],
        "unit_id": input["unit_id"], "manager_id": input["manager_id"], "roles": [], "active": false
    }});
    let saved = h.call("save_person", &input.to_string(), Some(&hr)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let all = app::org::store::people::list(&h.db, true).await.unwrap();
    assert!(all.iter().any(|p| p.id == id && !p.active), "still there, inactive");

    // A manager with active reports cannot be deactivated until they are handed over.
    let james = h.id("james.osei");
    let p: serde_json::Value = serde_json::from_str(&h.call("get_person", &format!(r#"{{"id":"{james}"}}"#), Some(&hr)).await.body).unwrap();
    let input = serde_json::json!({ "input": {
        "id": james, "email": p["email"], "name": p["name"], "job_title": p["job_title"],
        "unit_id": p["unit_id"], "manager_id": p["manager_id"], "roles": ["change_committee"], "active": false
    }});
    let refused = h.call("save_person", &input.to_string(), Some(&hr)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("still manages"), "{}", refused.body);
}
