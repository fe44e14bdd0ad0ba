//! The offline sync protocol as a state machine: Sam's phone and laptop and Ana's phone make
//! random edits (self-assessment fields, submission, feedback given, asked for, declined,
//! answered, withdrawn), push with replies lost after commit, push twice, pull, reload, sign out
//! and resolve conflicts, against the real server code (`db::sync`) on SurrealDB in memory. After
//! every run each device syncs until quiet, and then:
//! - every operation ever made reached the server's log, once;
//! - every conflict or rejection is still shown on the device that made it, with a reason;
//! - no applied edit was overwritten by a device that had not seen it (no lost update), and each
//!   field holds its last writer's value;
//! - all devices show exactly what the server holds for their person (replicas converge), and
//!   nobody holds what they may not see;
//! - a batch delivered twice changes nothing the second time and gets the same answers.

use std::collections::{BTreeMap, HashMap, HashSet};

use app::org::store::people;
use app::demo::seed;
use app::db::Db;
use app::offline::types::{Feedback, FeedbackRequest, RequestState, SelfAssessment, self_assessment_id};
use app::auth::types::SessionUser;
use app::sync::protocol::{Kind, Op, Outcome, ProblemKind, RecordRef, Replica, Resolution, Values};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{json, Value};

struct World {
    db: Db,
    people: [SessionUser; 2],
    cycle: String,
    competencies: Vec<String>,
    kpi: String,
}

async fn world() -> World {
    let db = app::db::in_memory().await;
    seed::seed_demo(&db).await.unwrap();
    let everyone = people::list(&db, false).await.unwrap();
    let id = |name: &str| everyone.iter().find(|p| p.email == seed::demo_email(name)).unwrap().id.clone();
    let sam = people::session_user(&db, &id("sam.taylor")).await.unwrap().unwrap().0;
    let ana = people::session_user(&db, &id("chloe.dubois")).await.unwrap().unwrap().0;
    let cycle = app::planning::store::plans::current_cycle(&db).await.unwrap();
    let framework = app::planning::store::competencies::framework(&db).await.unwrap();
    let plan = app::planning::store::plans::get_plan(&db, &sam.id, &cycle.id).await.unwrap();
    World {
        cycle: cycle.id,
        competencies: framework.competencies.iter().map(|c| c.id.clone()).collect(),
        kpi: plan.kras[0].kpis[0].id.clone(),
        people: [sam, ana],
        db,
    }
}

#[derive(Clone, Debug)]
enum Action {
    /// One of Sam's devices edits one self-assessment field.
    Edit { device: usize, field: usize },
    Submit { device: usize },
    Give { device: usize, private: bool },
    Ask { device: usize },
    Decline,
    Answer,
    Withdraw { device: usize },
    Push { device: usize, lose_reply: bool, twice: bool },
    Pull { device: usize },
    Reload { device: usize },
    SignOut { device: usize },
    Resolve { device: usize, keep_mine: bool },
}

const SAM_DEVICES: std::ops::Range<usize> = 0..2;
const ANA: usize = 2;

fn action() -> impl Strategy<Value = Action> {
    let device = 0..3usize;
    let sams = SAM_DEVICES;
    prop_oneof![
        4 => (sams.clone(), 0..5usize).prop_map(|(device, field)| Action::Edit { device, field }),
        1 => sams.clone().prop_map(|device| Action::Submit { device }),
        1 => (device.clone(), any::<bool>()).prop_map(|(device, private)| Action::Give { device, private }),
        1 => sams.clone().prop_map(|device| Action::Ask { device }),
        1 => Just(Action::Decline),
        1 => Just(Action::Answer),
        1 => sams.clone().prop_map(|device| Action::Withdraw { device }),
        4 => (device.clone(), any::<bool>(), any::<bool>()).prop_map(|(device, lose_reply, twice)| Action::Push { device, lose_reply, twice }),
        2 => device.clone().prop_map(|device| Action::Pull { device }),
        1 => device.clone().prop_map(|device| Action::Reload { device }),
        1 => device.clone().prop_map(|device| Action::SignOut { device }),
        1 => (device, any::<bool>()).prop_map(|(device, keep_mine)| Action::Resolve { device, keep_mine }),
    ]
}

struct Device {
    person: usize,
    replica: Replica,
}

/// One run: the devices, every operation made (by id) and the ids of problems the person settled.
struct Run<'w> {
    world: &'w World,
    devices: Vec<Device>,
    made: HashMap<String, Op>,
    settled: HashSet<String>,
    next: u64,
}

impl<'w> Run<'w> {
    fn fresh(&mut self, what: &str) -> String {
        self.next += 1;
        format!("{what}-{:06}", self.next)
    }

    fn person(&self, device: usize) -> &'w SessionUser {
        &self.world.people[self.devices[device].person]
    }

    fn queue(&mut self, device: usize, record: RecordRef, set: Values) {
        let id = self.fresh("op");
        let op = self.devices[device].replica.edit(record, set, id).clone();
        self.made.insert(op.id.clone(), op);
    }

    fn self_assessment(&self) -> RecordRef {
        RecordRef::new(Kind::SelfAssessment, self_assessment_id(&self.world.people[0].id, &self.world.cycle))
    }

    fn sa_fields(&self, extra: Values) -> Values {
        let mut set = Values::from([("person".into(), json!(self.world.people[0].id)), ("cycle".into(), json!(self.world.cycle))]);
        set.extend(extra);
        set
    }

    async fn act(&mut self, action: &Action) -> Result<(), TestCaseError> {
        let w = self.world;
        match *action {
            Action::Edit { device, field } => {
                let value = self.fresh("v");
                let (name, value) = match field {
                    0 => ("strengths".to_owned(), json!(value)),
                    1 => ("development".to_owned(), json!(value)),
                    2 | 3 => (SelfAssessment::competency_field(&w.competencies[field - 2]), SelfAssessment::answer_value((self.next % 4) as u8 + 1, &value)),
                    _ => (SelfAssessment::kpi_field(&w.kpi), json!(value)),
                };
                let set = self.sa_fields(Values::from([(name, value)]));
                self.queue(device, self.self_assessment(), set);
            }
            Action::Submit { device } => {
                let mut answers = Values::from([("submitted".to_owned(), json!(true))]);
                for competency in &w.competencies {
                    let evidence = self.fresh("v");
                    answers.insert(SelfAssessment::competency_field(competency), SelfAssessment::answer_value(3, &evidence));
                }
                let set = self.sa_fields(answers);
                self.queue(device, self.self_assessment(), set);
            }
            Action::Give { device, private } => {
                let giver = self.person(device);
                let receiver = &w.people[1 - self.devices[device].person];
                let id = self.fresh("fb");
                let feedback = Feedback { id: id.clone(), giver_id: giver.id.clone(), receiver_id: receiver.id.clone(), situation: "Q3 review".into(), behaviour: "Prepared".into(), impact: "Fast decision".into(), private, request_id: None, given_on: "2026-11-24".into() };
                self.queue(device, RecordRef::new(Kind::Feedback, id), feedback.to_values());
            }
            Action::Ask { device } => {
                let id = self.fresh("rq");
                let request = FeedbackRequest { id: id.clone(), asker_id: w.people[0].id.clone(), asked_id: w.people[1].id.clone(), message: "My demo?".into(), state: RequestState::Open, asked_on: "2026-11-24".into() };
                self.queue(device, RecordRef::new(Kind::FeedbackRequest, id), request.to_values());
            }
            Action::Decline | Action::Answer => {
                let open = self.devices[ANA].replica.view_all(Kind::FeedbackRequest).into_iter().find(|(_, v)| v.get("state") == Some(&json!("open")));
                let Some((id, _)) = open else { return Ok(()) };
                if matches!(action, Action::Decline) {
                    self.queue(ANA, RecordRef::new(Kind::FeedbackRequest, id), Values::from([("state".to_owned(), json!("declined"))]));
                } else {
                    let fb = self.fresh("fb");
                    let answer = Feedback { id: fb.clone(), giver_id: w.people[1].id.clone(), receiver_id: w.people[0].id.clone(), situation: "Demo".into(), behaviour: "Clear".into(), impact: "Signed".into(), private: false, request_id: Some(id), given_on: "2026-11-24".into() };
                    self.queue(ANA, RecordRef::new(Kind::Feedback, fb), answer.to_values());
                }
            }
            Action::Withdraw { device } => {
                let Some(id) = self.devices[device].replica.view_all(Kind::FeedbackRequest).into_keys().next() else { return Ok(()) };
                let op_id = self.fresh("op");
                let replica = &mut self.devices[device].replica;
                replica.delete(RecordRef::new(Kind::FeedbackRequest, id), op_id);
                self.made.insert(replica.outbox.last().unwrap().id.clone(), replica.outbox.last().unwrap().clone());
            }
            Action::Push { device, lose_reply, twice } => self.push(device, lose_reply, twice).await?,
            Action::Pull { device } => self.pull(device).await?,

            Action::Reload { device } => {
                let stored = serde_json::to_string(&self.devices[device].replica).unwrap();
                self.devices[device].replica = serde_json::from_str(&stored).unwrap();
            }
            Action::SignOut { device } => {
                // Signing out first sends what waits; with problems still to settle it is refused.
                self.push(device, false, false).await?;
                if self.devices[device].replica.problems.is_empty() {
                    let id = self.fresh("device");
                    self.devices[device].replica = Replica::new(id);
                }
            }
            Action::Resolve { device, keep_mine } => {
                let Some(problem) = self.devices[device].replica.problems.first() else { return Ok(()) };
                self.settled.insert(problem.op.id.clone());
                let id = self.fresh("op");
                let replica = &mut self.devices[device].replica;
                let queued = replica.outbox.len();
                replica.resolve(0, if keep_mine { Resolution::KeepMine } else { Resolution::TakeTheirs }, id);
                if let Some(op) = replica.outbox.get(queued) {
                    self.made.insert(op.id.clone(), op.clone());
                }
            }
        }
        Ok(())
    }

    async fn push(&mut self, device: usize, lose_reply: bool, twice: bool) -> Result<(), TestCaseError> {
        let w = self.world;
        let user = self.person(device);
        let batch = self.devices[device].replica.outbox.clone();
        let reply = app::offline::store::sync::push(&w.db, user, batch.clone()).await.map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        if twice {
            let state = server_state(w).await;
            let again = app::offline::store::sync::push(&w.db, user, batch).await.map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            prop_assert_eq!(&again.outcomes, &reply.outcomes, "a repeated batch gets the same answers");
            prop_assert_eq!(server_state(w).await, state, "and changes nothing");
        }
        if !lose_reply {
            self.devices[device].replica.pushed(reply);
        }
        Ok(())
    }

    async fn pull(&mut self, device: usize) -> Result<(), TestCaseError> {
        let cursor = self.devices[device].replica.cursor;
        let reply = app::offline::store::sync::pull(&self.world.db, self.person(device), cursor).await.map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        self.devices[device].replica.pulled(reply);
        Ok(())
    }
}

/// Everything synced as the server holds it (to see that a repeat changes nothing).
async fn server_state(w: &World) -> Vec<Value> {
    let mut r = w
        .db
        .query("SELECT * FROM self_assessment, feedback, feedback_request, notification ORDER BY id; SELECT * FROM sync_op ORDER BY id; SELECT * FROM sync_counter;")
        .await
        .unwrap();
    let mut out: Vec<Value> = r.take(0).unwrap();
    out.extend(r.take::<Vec<Value>>(1).unwrap());
    out.extend(r.take::<Vec<Value>>(2).unwrap());
    out
}

fn visible_values(replica: &Replica) -> BTreeMap<String, Values> {
    replica.docs.iter().filter(|(_, d)| !d.deleted).map(|(k, d)| (k.clone(), d.values())).collect()
}

async fn check_run(w: &World, actions: &[Action]) -> Result<(), TestCaseError> {
    w.db.query("DELETE self_assessment; DELETE feedback; DELETE feedback_request; DELETE notification; DELETE sync_op; DELETE sync_counter;").await.unwrap().check().unwrap();
    let devices = vec![Device { person: 0, replica: Replica::new("phone-sam") }, Device { person: 0, replica: Replica::new("laptop-sam") }, Device { person: 1, replica: Replica::new("phone-ana") }];
    let mut run = Run { world: w, devices, made: HashMap::new(), settled: HashSet::new(), next: 0 };
    for action in actions {
        run.act(action).await?;
    }
    // Quiet: every device sends what waits, then every device hears everything.
    for device in 0..run.devices.len() {
        run.push(device, false, false).await?;
        prop_assert!(run.devices[device].replica.outbox.is_empty());
    }
    for device in 0..run.devices.len() {
        run.pull(device).await?;
    }

    // Every operation reached the log; conflicts and rejections are still shown, with reasons.
    let mut r = w.db.query("SELECT id, outcome FROM sync_op").await.unwrap();
    let log: HashMap<String, Outcome> = r
        .take::<Vec<Value>>(0)
        .unwrap()
        .into_iter()
        .map(|row| (app::db::key_of(row["id"].as_str().unwrap()), serde_json::from_value(row["outcome"].clone()).unwrap()))
        .collect();
    let shown: HashMap<&str, &ProblemKind> = run.devices.iter().flat_map(|d| d.replica.problems.iter().map(|p| (p.op.id.as_str(), &p.kind))).collect();
    for (id, op) in &run.made {
        let outcome = log.get(id);
        prop_assert!(outcome.is_some(), "operation {} ({:?}) never reached the server", id, op.record);
        match outcome.unwrap() {
            Outcome::Applied { .. } => {}
            Outcome::Rejected { reason } => {
                prop_assert!(!reason.is_empty());
                prop_assert!(run.settled.contains(id) || shown.contains_key(id.as_str()), "rejection of {} not shown", id);
            }
            Outcome::Conflict { .. } => prop_assert!(run.settled.contains(id) || shown.contains_key(id.as_str()), "conflict of {} not shown", id),
        }
    }

    // No lost update: each write of a self-assessment field was made by a device that had seen
    // the write before it (or made it); the field holds the last writer's value.
    let server = app::offline::store::sync::pull(&w.db, &w.people[0], 0).await.unwrap();
    let sa = server.docs.iter().find(|d| d.record == run.self_assessment());
    let mut writes: BTreeMap<&str, Vec<(u64, &Op)>> = BTreeMap::new();
    for (id, op) in &run.made {
        let (rev, conflicts) = match &log[id] {
            Outcome::Applied { rev } => (*rev, Vec::new()),
            Outcome::Conflict { rev, fields } => (*rev, fields.iter().map(|f| f.field.as_str()).collect()),
            Outcome::Rejected { .. } => continue,
        };
        for name in op.set.keys().filter(|n| n.as_str() != "person" && n.as_str() != "cycle" && n.as_str() != "submitted" && !conflicts.contains(&n.as_str())) {
            if op.record.kind == Kind::SelfAssessment {
                writes.entry(name.as_str()).or_default().push((rev, op));
            }
        }
    }
    for (name, mut chain) in writes {
        chain.sort_by_key(|(rev, _)| *rev);
        // Values are unique, but keeping one's own value after a conflict repeats it: an op that
        // changed nothing reports the revision of the write before it.
        chain.dedup_by_key(|(rev, _)| *rev);
        for pair in chain.windows(2) {
            let ((before_rev, before), (_, after)) = (pair[0], pair[1]);
            let saw = after.device == before.device || after.base.get(name).is_some_and(|b| *b >= before_rev) || after.set[name] == before.set[name];
            prop_assert!(saw, "{}: {} overwrote {} without having seen it", name, after.id, before.id);
        }
        let (_, last) = chain.last().unwrap();
        prop_assert_eq!(sa.map(|d| d.values()[name].clone()), Some(last.set[name].clone()), "{} holds its last writer's value", name);
    }

    // Replicas converge on what the server holds for their person, and hold nothing else.
    for device in &run.devices {
        let person = &w.people[device.person];
        let truth = app::offline::store::sync::pull(&w.db, person, 0).await.unwrap();
        let truth: BTreeMap<String, Values> = truth.docs.iter().filter(|d| !d.deleted).map(|d| (d.record.key(), d.values())).collect();
        prop_assert_eq!(visible_values(&device.replica), truth, "device {} has converged", device.replica.device);
        for doc in device.replica.docs.values().filter(|d| d.record.kind == Kind::Feedback && !d.deleted) {
            let values = doc.values();
            let private_of_other = values["private"] == json!(true) && values["giver"] != json!(person.id);
            prop_assert!(!private_of_other, "a private note reached someone else");
        }
    }
    Ok(())
}

#[test]
fn the_sync_protocol_loses_nothing_converges_and_is_idempotent() {
    let _ = tracing_subscriber::fmt().with_test_writer().try_init();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let w = runtime.block_on(world());
    let cases = std::env::var("SYNC_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(1000);
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    runner
        .run(&proptest::collection::vec(action(), 1..20), |actions| runtime.block_on(check_run(&w, &actions)))
        .unwrap();
}

#[tokio::test]
async fn a_queued_edit_after_submission_is_rejected_with_the_reason() {
    let w = world().await;
    let mut phone = Replica::new("phone-sam");
    let mut laptop = Replica::new("laptop-sam");
    let record = RecordRef::new(Kind::SelfAssessment, self_assessment_id(&w.people[0].id, &w.cycle));
    let base = || Values::from([("person".to_owned(), json!(w.people[0].id)), ("cycle".to_owned(), json!(w.cycle))]);
    // The laptop edits offline; meanwhile the phone submits.
    let mut late = base();
    late.insert("strengths".into(), json!("Written on the train"));
    laptop.edit(record.clone(), late, "op-laptop-1".into());
    let mut submit = base();
    submit.insert("submitted".into(), json!(true));
    for c in &w.competencies {
        submit.insert(SelfAssessment::competency_field(c), SelfAssessment::answer_value(3, "Q2 customer review"));
    }
    phone.edit(record.clone(), submit, "op-phone-1".into());
    phone.pushed(app::offline::store::sync::push(&w.db, &w.people[0], phone.outbox.clone()).await.unwrap());
    assert!(phone.problems.is_empty(), "{:?}", phone.problems);
    laptop.pushed(app::offline::store::sync::push(&w.db, &w.people[0], laptop.outbox.clone()).await.unwrap());
    assert_eq!(laptop.problems[0].kind, ProblemKind::Rejected { reason: "This self-assessment was submitted; it can no longer change.".into() });
    // Ana cannot write Sam's self-assessment even with a well-formed operation.
    let forged = app::offline::store::sync::push(&w.db, &w.people[1], vec![Op { id: "op-ana-1".into(), ..laptop.problems[0].op.clone() }]).await.unwrap();
    assert!(matches!(&forged.outcomes[0].1, Outcome::Rejected { .. }));
    assert!(forged.docs.is_empty(), "and learns nothing of it");
}

#[tokio::test]
async fn private_notes_stay_with_their_giver_and_answers_close_requests() {
    let w = world().await;
    let [sam, chloe] = &w.people;
    let manager = people::session_user(&w.db, &people::list(&w.db, false).await.unwrap().iter().find(|p| p.email == seed::demo_email("james.osei")).unwrap().id)
        .await
        .unwrap()
        .unwrap()
        .0;
    let note = Feedback { id: "note-0001".into(), giver_id: sam.id.clone(), receiver_id: chloe.id.clone(), situation: "Stand-up".into(), behaviour: "Quiet".into(), impact: "Unclear".into(), private: true, request_id: None, given_on: "2026-11-24".into() };
    let op = |id: &str, record: RecordRef, set: Values| Op { id: id.into(), device: "device-test".into(), record, base: Default::default(), set, delete: false };
    let first = app::offline::store::sync::push(&w.db, sam, vec![op("op-note-0001", RecordRef::new(Kind::Feedback, "note-0001"), note.to_values())]).await.unwrap();
    let Outcome::Applied { rev: first } = first.outcomes[0].1 else { panic!("{first:?}") };
    // Chloé asks Sam; Sam answers.
    let request = FeedbackRequest { id: "ask-0001".into(), asker_id: chloe.id.clone(), asked_id: sam.id.clone(), message: "My demo?".into(), state: RequestState::Open, asked_on: "2026-11-24".into() };
    app::offline::store::sync::push(&w.db, chloe, vec![op("op-ask-0001", RecordRef::new(Kind::FeedbackRequest, "ask-0001"), request.to_values())]).await.unwrap();
    let answer = Feedback { id: "answer-0001".into(), private: false, request_id: Some("ask-0001".into()), situation: "Demo".into(), ..note.clone() };
    let reply = app::offline::store::sync::push(&w.db, sam, vec![op("op-answer-0001", RecordRef::new(Kind::Feedback, "answer-0001"), answer.to_values())]).await.unwrap();
    assert_eq!(reply.outcomes[0].1, Outcome::Applied { rev: first + 2 });
    // Chloé is told of the answer; Sam of the request; nobody of the private note.
    let told = |docs: &[app::sync::protocol::Doc]| docs.iter().filter(|d| d.record.kind == Kind::Notification).map(|d| d.values()["text"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
    let chloes = app::offline::store::sync::pull(&w.db, chloe, first).await.unwrap();
    assert_eq!(told(&chloes.docs), [format!("{} answered your request for feedback.", sam.name)]);
    let sams = app::offline::store::sync::pull(&w.db, sam, first).await.unwrap();
    assert_eq!(told(&sams.docs), [format!("{} asked you for feedback: “My demo?”", chloe.name)]);

    let keys = |docs: &[app::sync::protocol::Doc]| docs.iter().map(|d| d.record.id.clone()).collect::<HashSet<_>>();
    let sams = app::offline::store::sync::pull(&w.db, sam, 0).await.unwrap();
    assert!(keys(&sams.docs).contains("note-0001"), "the giver keeps the note");
    let chloes = app::offline::store::sync::pull(&w.db, chloe, 0).await.unwrap();
    assert!(!keys(&chloes.docs).contains("note-0001"), "the receiver never sees a private note");
    let request_now = chloes.docs.iter().find(|d| d.record.id == "ask-0001").unwrap();
    assert_eq!(request_now.values()["state"], json!("answered"), "the asker hears the request was answered");
    let seen_by_manager = app::offline::store::docs::feedback_about(&w.db, &manager.id, &chloe.id).await.unwrap();
    assert_eq!(seen_by_manager.iter().map(|l| l.feedback.id.as_str()).collect::<Vec<_>>(), ["answer-0001"], "managers read what was shared");
    let seen_by_sam = app::offline::store::docs::feedback_about(&w.db, &sam.id, &chloe.id).await.unwrap();
    assert_eq!(seen_by_sam.len(), 2, "the giver of a note sees it");
}

#[tokio::test]
async fn actuals_entered_on_a_device_land_on_the_plan_and_never_over_a_value_unseen() {
    let w = world().await;
    let [sam, chloe] = &w.people;
    let scorecard = || app::planning::store::actuals::scorecard(&w.db, &sam.id, Some(&w.cycle));
    let q1 = |card: &app::planning::types::Scorecard| card.kras[0].kpis[0].periods[0].actual.clone();
    let before = q1(&scorecard().await.unwrap()).map(|a| a.value);
    let entry = |id: &str, value: f64, seen: Option<f64>| app::offline::types::ActualEntry {
        id: id.into(),
        person_id: sam.id.clone(),
        cycle_id: w.cycle.clone(),
        kpi_id: w.kpi.clone(),
        period_key: "Q1".into(),
        value,
        note: "CRM report".into(),
        link: String::new(),
        seen,
        entered_on: "2026-11-24".into(),
    };
    let op = |id: &str, e: app::offline::types::ActualEntry| Op { id: id.into(), device: "device-test".into(), record: RecordRef::new(Kind::ActualEntry, e.id.clone()), base: Default::default(), set: e.to_values(), delete: false };
    let first = vec![op("op-actual-0001", entry("entry-0001", 42.0, before))];
    let reply = app::offline::store::sync::push(&w.db, sam, first.clone()).await.unwrap();
    assert!(matches!(reply.outcomes[0].1, Outcome::Applied { .. }), "{:?}", reply.outcomes);
    let card = scorecard().await.unwrap();
    let actual = q1(&card).unwrap();
    assert_eq!((actual.value, actual.source, actual.recorded_by.as_str()), (42.0, app::planning::types::ActualSource::Device, sam.name.as_str()));
    // The dashboard's stored summary moved in the same write.
    let mut r = w.db.query("SELECT VALUE score FROM ONLY type::record('plan_summary', $plan)").bind(("plan", card.plan.id.clone())).await.unwrap();
    let stored: Option<f64> = r.take(0).unwrap();
    assert_eq!(stored, card.rollup.as_ref().map(|r| r.score));

    // The manager records 50 from the scorecard; Sam's phone, which still shows 42, is refused.
    let manager = people::session_user(&w.db, &people::list(&w.db, false).await.unwrap().iter().find(|p| p.email == seed::demo_email("james.osei")).unwrap().id)
        .await
        .unwrap()
        .unwrap()
        .0;
    let input = app::planning::types::ActualInput { person_id: sam.id.clone(), cycle_id: w.cycle.clone(), kpi_id: w.kpi.clone(), period_key: "Q1".into(), value: "50".into(), note: "Checked".into(), link: String::new() };
    app::planning::store::actuals::record_one(&w.db, &manager, input).await.unwrap();
    let stale = app::offline::store::sync::push(&w.db, sam, vec![op("op-actual-0002", entry("entry-0002", 44.0, Some(42.0)))]).await.unwrap();
    match &stale.outcomes[0].1 {
        Outcome::Rejected { reason } => assert!(reason.contains("was recorded as 50; your 44 was not saved"), "{reason}"),
        other => panic!("expected a rejection, got {other:?}"),
    }
    assert_eq!(q1(&scorecard().await.unwrap()).unwrap().value, 50.0);

    // Two entries for one period in one batch: the second saw the first.
    let batch = vec![op("op-actual-0003", entry("entry-0003", 51.0, Some(50.0))), op("op-actual-0004", entry("entry-0004", 52.0, Some(51.0)))];
    let reply = app::offline::store::sync::push(&w.db, sam, batch).await.unwrap();
    assert!(reply.outcomes.iter().all(|(_, o)| matches!(o, Outcome::Applied { .. })), "{:?}", reply.outcomes);
    // A batch delivered again changes nothing.
    let again = app::offline::store::sync::push(&w.db, sam, first).await.unwrap();
    assert!(matches!(again.outcomes[0].1, Outcome::Applied { .. }));
    assert_eq!(q1(&scorecard().await.unwrap()).unwrap().value, 52.0);
    let mut r = w.db.query("SELECT VALUE after FROM actual_change WHERE plan = type::record('plan', $plan) ORDER BY at").bind(("plan", card.plan.id.clone())).await.unwrap();
    let changes: Vec<f64> = r.take(0).unwrap();
    assert!(changes.ends_with(&[42.0, 50.0, 51.0, 52.0]), "{changes:?}");

    // The entries reach Sam's devices, nobody else's.
    let ids = |docs: &[app::sync::protocol::Doc]| docs.iter().filter(|d| d.record.kind == Kind::ActualEntry).count();
    assert_eq!(ids(&app::offline::store::sync::pull(&w.db, sam, 0).await.unwrap().docs), 3);
    assert_eq!(ids(&app::offline::store::sync::pull(&w.db, chloe, 0).await.unwrap().docs), 0);
}
