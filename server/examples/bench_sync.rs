//! Benchmarks of issue 4: a push of 500 queued operations applied and acknowledged on the
//! embedded, durable SurrealKV database (goal ≤ 1 s), and the local footprint of a typical
//! employee's offline copy (goal ≤ 200 KB). Run: `scripts/bench-offline`.

use std::time::{Duration, Instant};

use app::org::store::people;
use app::demo::seed;
use app::offline::store::sync;
use app::db::DbSettings;
use app::offline::types::{Feedback, SelfAssessment, self_assessment_id};
use app::sync::protocol::{Kind, Op, RecordRef, Replica, Values};
use serde_json::json;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("los-bench-sync-{}", std::process::id()));
    let settings = DbSettings { url: format!("surrealkv://{}", dir.display()), namespace: "bench".into(), database: "bench".into(), user: None, password: None };
    let db = app::db::connect(&settings).await.unwrap();
    app::db::migrate(&db).await.unwrap();
    seed::seed_demo(&db).await.unwrap();
    let everyone = people::list(&db, false).await.unwrap();
    let id = |name: &str| everyone.iter().find(|p| p.email == seed::demo_email(name)).unwrap().id.clone();
    let sam = people::session_user(&db, &id("sam.taylor")).await.unwrap().unwrap().0;
    let cycle = app::planning::store::plans::current_cycle(&db).await.unwrap();
    let framework = app::planning::store::competencies::framework(&db).await.unwrap();
    let colleagues: Vec<String> = everyone.iter().map(|p| p.id.clone()).filter(|p| *p != sam.id).collect();
    let sa = RecordRef::new(Kind::SelfAssessment, self_assessment_id(&sam.id, &cycle.id));

    // 500 operations as a phone queues them offline: self-assessment edits and feedback given.
    let batch = |run: usize| -> Vec<Op> {
        let mut replica = Replica::new(format!("bench-device-{run}"));
        for n in 0..500 {
            let op_id = format!("bench-{run}-op-{n:04}");
            if n % 5 == 0 {
                let competency = &framework.competencies[n / 5 % framework.competencies.len()];
                let set = Values::from([
                    ("person".to_owned(), json!(sam.id)),
                    ("cycle".to_owned(), json!(cycle.id)),
                    (SelfAssessment::competency_field(&competency.id), SelfAssessment::answer_value(3, &format!("Evidence, draft {n}"))),
                ]);
                replica.edit(sa.clone(), set, op_id);
            } else {
                let feedback = Feedback {
                    id: format!("bench-{run}-feedback-{n:04}"),
                    giver_id: sam.id.clone(),
                    receiver_id: colleagues[n % colleagues.len()].clone(),
                    situation: "The quarterly review meeting".into(),
                    behaviour: "Brought the numbers and a proposal".into(),
                    impact: "We decided in the meeting".into(),
                    private: false,
                    request_id: None,
                    given_on: "2026-11-24".into(),
                };
                replica.edit(RecordRef::new(Kind::Feedback, feedback.id.clone()), feedback.to_values(), op_id);
            }
        }
        replica.outbox
    };
    let mut times = Vec::new();
    for run in 0..5 {
        let ops = batch(run);
        let start = Instant::now();
        let reply = sync::push(&db, &sam, ops).await.unwrap();
        times.push(start.elapsed());
        assert_eq!(reply.outcomes.len(), 500);
    }
    println!("push of 500 operations on embedded SurrealKV: median {:?}, max {:?} (goal ≤ 1 s)", median(times.clone()), times.iter().max().unwrap());
    let ops = batch(0);
    let start = Instant::now();
    sync::push(&db, &sam, ops).await.unwrap();
    println!("the same 500 again (all answered from the log): {:?}", start.elapsed());

    // A typical employee's copy: Ravi (a plan with KPIs and actuals), her self-assessment filled
    // in, 20 pieces of feedback given and received, and the framework and colleagues.
    let chloe = people::session_user(&db, &id("ravi.patel")).await.unwrap().unwrap().0;
    let mut replica = Replica::new("chloe-phone");
    let mut values = Values::from([("person".to_owned(), json!(chloe.id)), ("cycle".to_owned(), json!(cycle.id))]);
    for c in &framework.competencies {
        values.insert(SelfAssessment::competency_field(&c.id), SelfAssessment::answer_value(3, &"Led the customer workshop in March and wrote up the actions. ".repeat(3)));
    }
    values.insert("strengths".into(), json!("Listening to customers and turning it into proposals.".repeat(3)));
    values.insert("development".into(), json!("Negotiation; forecasting accuracy.".repeat(3)));
    replica.edit(RecordRef::new(Kind::SelfAssessment, self_assessment_id(&chloe.id, &cycle.id)), values, "chloe-op-sa".into());
    for n in 0..10 {
        let feedback = Feedback {
            id: format!("chloe-feedback-{n}"),
            giver_id: chloe.id.clone(),
            receiver_id: colleagues[n].clone(),
            situation: "Tuesday's client call with the regional buyer".into(),
            behaviour: "You summarised the options before the client asked and kept to time".into(),
            impact: "The client decided on the call and thanked us for the clarity".into(),
            private: false,
            request_id: None,
            given_on: "2026-11-24".into(),
        };
        replica.edit(RecordRef::new(Kind::Feedback, feedback.id.clone()), feedback.to_values(), format!("chloe-op-fb-{n}"));
    }
    let given = replica.outbox.clone();
    replica.pushed(sync::push(&db, &chloe, given).await.unwrap());
    for n in 0..10 {
        let ravi = people::session_user(&db, &id(["chloe.dubois", "james.osei"][n % 2])).await.unwrap().unwrap().0;
        let feedback = Feedback { id: format!("to-chloe-{n}"), giver_id: ravi.id.clone(), receiver_id: chloe.id.clone(), situation: "The Q2 pipeline review".into(), behaviour: "You challenged two deals with data".into(), impact: "We cut the forecast risk before the board meeting".into(), private: false, request_id: None, given_on: "2026-11-24".into() };
        let op = Op { id: format!("to-chloe-op-{n}"), device: "other-device".into(), record: RecordRef::new(Kind::Feedback, feedback.id.clone()), base: Default::default(), set: feedback.to_values(), delete: false };
        sync::push(&db, &ravi, vec![op]).await.unwrap();
    }
    replica.pulled(sync::pull(&db, &chloe, 0).await.unwrap());
    let raters = app::auth::Audience::of(&db, &chloe, |p| app::auth::policy::Rule::RaterOf(p)).await.unwrap();
    let snapshot = sync::snapshot(&db, &chloe, &raters).await.unwrap();
    // Local storage keeps JSON text, as the browser stores it.
    let replica_bytes = serde_json::to_string(&replica).unwrap().len();
    let snapshot_bytes = serde_json::to_string(&snapshot).unwrap().len();
    println!(
        "local footprint of a typical employee (Ravi Patel, {} KPIs, {} synced records: his self-assessment and the feedback he gave and received, including the push benchmark's): {} KB (synced records {} KB, snapshot {} KB: plan and scores, framework, {} colleagues) (goal ≤ 200 KB)",
        snapshot.scorecard.as_ref().map_or(0, |s| s.kras.iter().map(|k| k.kpis.len()).sum::<usize>()),
        replica.docs.len(),
        (replica_bytes + snapshot_bytes) / 1024,
        replica_bytes / 1024,
        snapshot_bytes / 1024,
        snapshot.colleagues.len()
    );
    drop(db);
    let _ = std::fs::remove_dir_all(dir);
}
