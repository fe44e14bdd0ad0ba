//! What leads a person back to their work, through the server as the app calls it. The inbox:
//! what happens to a person (feedback given them, a plan step, kudos) becomes a notification in
//! their own synced copy, for nobody else; only they mark it read, from any device, offline too
//! (a queued operation like any other). The home: how the person is doing, beside their tasks.

mod common;

use axum::http::StatusCode;
use common::Harness;
use serde_json::{json, Value};

async fn ok(h: &Harness, endpoint: &str, args: Value, cookie: &str) -> Value {
    let answer = h.call(endpoint, &args.to_string(), Some(cookie)).await;
    assert_eq!(answer.status, StatusCode::OK, "{endpoint} {args}: {}", answer.body);
    answer.json()
}

/// The notifications a person's device pulls: (id, field values, each field's revision).
async fn inbox(h: &Harness, cookie: &str) -> Vec<(String, Value, Value)> {
    let pulled = ok(h, "sync_pull", json!({ "cursor": 0 }), cookie).await;
    pulled["docs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["record"]["kind"] == "notification")
        .map(|d| {
            let fields = d["fields"].as_object().unwrap();
            let values = fields.iter().map(|(k, f)| (k.clone(), f["value"].clone())).collect();
            let revs = fields.iter().map(|(k, f)| (k.clone(), f["rev"].clone())).collect();
            (d["record"]["id"].as_str().unwrap().to_owned(), values, revs)
        })
        .collect()
}

/// Pushes one operation; its outcome.
async fn push(h: &Harness, cookie: &str, op: Value) -> Value {
    let reply = ok(h, "sync_push", json!({ "ops": [op] }), cookie).await;
    reply["outcomes"][0][1].clone()
}

fn mark_read(id: &str, rev: &Value, op: &str) -> Value {
    json!({ "id": op, "device": "phone-0001", "record": { "kind": "notification", "id": id }, "base": { "read": rev }, "set": { "read": true } })
}

#[tokio::test]
async fn feedback_given_reaches_the_receivers_inbox_and_only_they_mark_it_read() {
    let h = Harness::new(&[]).await;
    let (sam, chloe) = (h.sign_in("sam.taylor").await, h.sign_in("chloe.dubois").await);
    let (sam_id, chloe_id) = (h.id("sam.taylor"), h.id("chloe.dubois"));
    let before = inbox(&h, &chloe).await.len();

    let feedback = json!({ "giver": sam_id, "receiver": chloe_id, "situation": "The Q3 demo", "behaviour": "You handled the outage calmly",
        "impact": "The client signed", "private": false, "request": "", "given_on": "2026-11-28" });
    let op = json!({ "id": "op-fb-000001", "device": "laptop-0001", "record": { "kind": "feedback", "id": "fb-000000001" }, "set": feedback });
    assert_eq!(push(&h, &sam, op).await["outcome"], "applied");
    // A private note tells nobody.
    let mut note = feedback.clone();
    note["private"] = json!(true);
    let op = json!({ "id": "op-fb-000002", "device": "laptop-0001", "record": { "kind": "feedback", "id": "fb-000000002" }, "set": note });
    assert_eq!(push(&h, &sam, op).await["outcome"], "applied");

    let chloes = inbox(&h, &chloe).await;
    assert_eq!(chloes.len(), before + 1, "one notification: the note is private");
    let (id, notice, revs) = chloes.iter().find(|(_, n, _)| n["event"] == "feedback_received").expect("a notification of the feedback").clone();
    assert_eq!(notice["text"], "Sam Taylor gave you feedback.");
    assert_eq!((notice["link"].as_str(), notice["person"].as_str(), notice["read"].as_bool()), (Some("/feedback"), Some(chloe_id.as_str()), Some(false)));
    // Sam's copy holds none of Chloe's notifications.
    assert!(inbox(&h, &sam).await.iter().all(|(_, n, _)| n["person"] == json!(sam_id)));

    // Nobody but Chloe marks it, nobody makes one, nobody deletes one.
    let refused = push(&h, &sam, mark_read(&id, &revs["read"], "op-mark-00001")).await;
    assert_eq!((refused["outcome"].as_str(), refused["reason"].as_str()), (Some("rejected"), Some("That notification is someone else's.")));
    let forged = json!({ "id": "op-forge-0001", "device": "laptop-0001", "record": { "kind": "notification", "id": "forged-000001" },
        "set": { "person": sam_id, "event": "kudos", "text": "You are promoted", "link": "/", "created_at": "2026-11-28T08:00:00Z", "read": false } });
    assert_eq!(push(&h, &sam, forged).await["reason"], "Notifications are made by the server; a device cannot create one.");
    let delete = json!({ "id": "op-del-00001", "device": "phone-0001", "record": { "kind": "notification", "id": id }, "delete": true });
    assert_eq!(push(&h, &chloe, delete).await["reason"], "A notification cannot be deleted; mark it read instead.");
    let retitle = json!({ "id": "op-text-0001", "device": "phone-0001", "record": { "kind": "notification", "id": id }, "base": { "text": revs["text"] }, "set": { "text": "x" } });
    assert_eq!(push(&h, &chloe, retitle).await["reason"], "Only whether a notification is read can change.");

    // Chloe's phone marks it read (queued offline, pushed later: the same operation).
    assert_eq!(push(&h, &chloe, mark_read(&id, &revs["read"], "op-mark-00002")).await["outcome"], "applied");
    let after = inbox(&h, &chloe).await;
    let (_, read, _) = after.iter().find(|(i, _, _)| *i == id).unwrap();
    assert_eq!(read["read"], true);
    assert_eq!(read["text"], "Sam Taylor gave you feedback.", "nothing else changed");
}

#[tokio::test]
async fn plan_steps_and_kudos_tell_the_other_person() {
    let h = Harness::new(&[]).await;
    let (emma, james, sam) = (h.sign_in("emma.wilson").await, h.sign_in("james.osei").await, h.sign_in("sam.taylor").await);
    let cycle = app::planning::store::plans::current_cycle(&h.db).await.unwrap();
    let emma_id = h.id("emma.wilson");

    // Emma acknowledges the plan James sent her: James is told, with the way to approve it.
    ok(&h, "take_plan_step", json!({ "person_id": emma_id, "cycle_id": cycle.id, "step": "acknowledge", "comment": "" }), &emma).await;
    let told = inbox(&h, &james).await;
    // This year's plan (the demo's history holds last year's acknowledgement too).
    let of_emma = |n: &Value| n["event"] == "plan_acknowledged" && n["link"] == format!("/plans/{emma_id}") && n["text"].as_str().unwrap().contains(&cycle.name);
    let (_, notice, _) = told.iter().find(|(_, n, _)| of_emma(n)).expect("James is told");
    assert_eq!(notice["text"], format!("Emma Wilson acknowledged their plan for {}: approve it to agree it.", cycle.name));
    assert_eq!(notice["link"], format!("/plans/{emma_id}"));
    // James approves: Emma is told.
    ok(&h, "take_plan_step", json!({ "person_id": emma_id, "cycle_id": cycle.id, "step": "approve", "comment": "" }), &james).await;
    let emmas = inbox(&h, &emma).await;
    let (_, approved, _) = emmas.iter().find(|(_, n, _)| n["event"] == "plan_approved").expect("Emma is told");
    assert_eq!(approved["text"], format!("James Osei approved your plan for {}: it is agreed.", cycle.name));
    let sams = inbox(&h, &sam).await;
    assert!(sams.iter().all(|(_, n, _)| n["person"] == json!(h.id("sam.taylor")) && !n["text"].as_str().unwrap().contains("Emma")), "nobody else");

    // Kudos: the receiver hears who gave them, for what.
    let framework = app::planning::store::competencies::framework(&h.db).await.unwrap();
    let competency = &framework.competencies[0];
    ok(&h, "give_kudos", json!({ "receiver_id": emma_id, "competency_id": competency.id, "message": "Walked the new hire through the release." }), &sam).await;
    let emmas = inbox(&h, &emma).await;
    let (_, kudos, _) = emmas.iter().find(|(_, n, _)| n["event"] == "kudos").expect("kudos told");
    assert_eq!(kudos["text"], format!("Sam Taylor gave you kudos for {}: “Walked the new hire through the release.”", competency.name));
    assert_eq!(kudos["link"], "/recognition");
}

#[tokio::test]
async fn the_home_shows_how_the_person_is_doing_beside_their_tasks() {
    let h = Harness::new(&[]).await;
    let (sam, chloe) = (h.sign_in("sam.taylor").await, h.sign_in("chloe.dubois").await);
    let card = ok(&h, "person_scorecard", json!({ "person_id": h.id("sam.taylor"), "cycle_id": null }), &sam).await;
    let before = ok(&h, "my_tasks", json!({}), &sam).await["progress"].clone();
    assert_eq!(before["cycle_name"], card["cycle"]["name"]);
    assert_eq!(before["score"], card["rollup"]["score"], "the scorecard's own score");
    assert_eq!(before["status"], card["status"]);
    assert!(before["needed"].as_u64().unwrap() >= 1);

    // Feedback given today counts toward this month's; a private note does not.
    let today = app::planning::store::plans::today().to_string();
    for (n, private) in [(1, false), (2, true)] {
        let set = json!({ "giver": h.id("chloe.dubois"), "receiver": h.id("sam.taylor"), "situation": "Stand-up", "behaviour": "Clear update",
            "impact": "We unblocked the release", "private": private, "request": "", "given_on": today });
        let op = json!({ "id": format!("op-month-{n:04}"), "device": "phone-0002", "record": { "kind": "feedback", "id": format!("month-{n:06}") }, "set": set });
        assert_eq!(push(&h, &chloe, op).await["outcome"], "applied");
    }
    let after = ok(&h, "my_tasks", json!({}), &sam).await["progress"].clone();
    assert_eq!(after["feedback_this_month"].as_u64().unwrap(), before["feedback_this_month"].as_u64().unwrap() + 1);

    // Someone without a plan in the cycle has no progress to show.
    assert_eq!(ok(&h, "my_tasks", json!({}), &chloe).await["progress"], Value::Null);
    // HR is led to the cycle's deadlines and to the units whose plans lag (Chloé has none).
    let hr = h.sign_in("amina.okafor").await;
    let hrs = ok(&h, "my_tasks", json!({}), &hr).await;
    let whats: Vec<&str> = hrs["tasks"].as_array().unwrap().iter().map(|t| t["what"].as_str().unwrap()).collect();
    assert!(whats.iter().any(|w| w.starts_with("Set the deadlines of ")), "{whats:?}");
    assert!(whats.iter().any(|w| w.contains(" plans agreed")), "{whats:?}");
    let sams = ok(&h, "my_tasks", json!({}), &sam).await;
    assert!(sams["tasks"].as_array().unwrap().iter().all(|t| !t["what"].as_str().unwrap().contains("plans agreed")), "only HR");
}
