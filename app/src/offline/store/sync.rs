//! The server side of the offline sync (`crate::sync::protocol`): push applies a batch of operations in one
//! transaction, once each, checking every one against `offline::rules`; pull returns what changed
//! for the person since their cursor; the snapshot is what a phone keeps.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Deserialize;
use serde_json::{json, Value};

use crate::planning::store::actuals;
use crate::planning::store::actuals::{ActualWrites, WRITE_ACTUALS};
use crate::planning::store::{competencies, plans as planning};
use crate::db::{Db, PLAN_WRITES, key_of, record, take_rows};
use crate::error::{AppError, AppResult};
use crate::offline::types::{ActualEntry, FeedbackRequest};
use crate::offline::snapshot::OfflineSnapshot;
use crate::planning::types::ActualSource;
use crate::appraisal::types::{AgreedAction, Discussion};
use crate::development::types::CheckIn;
use crate::auth::types::SessionUser;
use crate::sync::protocol::{Doc, Field, Kind, Op, Outcome, PullReply, PushReply, RecordRef, apply};
use crate::offline::rules::{Facts, check, notices_of, resolve_entry};

use crate::offline::store::docs::{KINDS, Stamp, Stored, columns, load, stored_of, visible};
use crate::offline::store::inbox::{SYNC_WRITES, UPSERT_NOTIFICATIONS, notification_id};

/// What the checks of this batch need: the framework and the person's plans for a
/// self-assessment, their plans and actuals for actuals entered, the people for feedback.
/// `check_in_people`: the people the batch's check-ins are about (a deletion names nobody itself).
async fn facts(db: &Db, actor: &SessionUser, ops: &[Op], requests: HashMap<String, FeedbackRequest>, check_in_people: Vec<String>) -> AppResult<Facts> {
    let has = |kinds: &[Kind]| ops.iter().any(|op| kinds.contains(&op.record.kind));
    let mut facts = Facts {
        actor: actor.id.clone(),
        actor_email: actor.email.to_lowercase(),
        today: planning::today().to_string(),
        requests,
        ..Facts::default()
    };
    if has(&[Kind::CheckIn]) {
        facts.managers = crate::org::store::people::managers_of(db, &check_in_people).await?;
    }
    if has(&[Kind::SelfAssessment, Kind::ActualEntry, Kind::CheckIn]) {
        facts.plans = planning::plans_of_person(db, &actor.id).await?.into_iter().map(|p| (p.cycle_id.clone(), p)).collect();
        facts.cycles = planning::list_cycles(db).await?;
    }
    if has(&[Kind::SelfAssessment]) {
        facts.competencies = competencies::framework(db).await?.competencies;
    }
    if has(&[Kind::ActualEntry]) {
        for plan in facts.plans.values() {
            for actual in planning::of_plan(db, &plan.id).await? {
                facts.actuals.insert((plan.id.clone(), actual.kpi_id, actual.period_key), actual.value);
            }
        }
    }
    if has(&[Kind::Feedback, Kind::FeedbackRequest]) {
        let people: Vec<Value> = db.query("SELECT VALUE id FROM person WHERE active = true").await?.take(0)?;
        facts.active_people = people.iter().filter_map(Value::as_str).map(key_of).collect();
    }
    let discussions: Vec<String> = ops.iter().filter(|op| op.record.kind == Kind::Discussion).map(|op| op.record.id.clone()).collect();
    if !discussions.is_empty() {
        facts.appraisals = crate::appraisal::store::sync_facts(db, &discussions).await?;
    }
    Ok(facts)
}

/// Applies a batch of a person's operations, each once, in one transaction. The batch passed
/// `offline::rules::check_push`; each operation is checked here (`offline::rules::check`).
pub async fn push(db: &Db, actor: &SessionUser, ops: Vec<Op>) -> AppResult<PushReply> {
    if ops.is_empty() {
        return Ok(PushReply::default());
    }
    let _writing = SYNC_WRITES.lock().await;
    // Actuals entered change plan summaries, which forms and imports also write.
    let _plans = match ops.iter().any(|op| op.record.kind == Kind::ActualEntry) {
        true => Some(PLAN_WRITES.lock().await),
        false => None,
    };

    // What was applied before, and the records the batch touches (with the requests it answers).
    let op_ids: Vec<_> = ops.iter().map(|op| record("sync_op", &op.id)).collect();
    let mut response = db
        .query("SELECT id, person, outcome FROM $ids; SELECT VALUE value FROM ONLY sync_counter:current;")
        .bind(("ids", op_ids))
        .await?;
    /// An operation applied before, as its log keeps it.
    #[derive(Deserialize)]
    struct Logged {
        id: String,
        person: String,
        outcome: Outcome,
    }
    let mut logged: HashMap<String, (String, Outcome)> =
        take_rows::<Logged>(&mut response, 0)?.into_iter().map(|l| (key_of(&l.id), (key_of(&l.person), l.outcome))).collect();
    let counter_before: Option<u64> = response.take(1)?;
    let counter_before = counter_before.unwrap_or(0);
    let mut touched: HashSet<RecordRef> = ops.iter().map(|op| op.record.clone()).collect();
    let answered = |op: &Op| op.set.get("request").and_then(Value::as_str).filter(|r| op.record.kind == Kind::Feedback && !r.is_empty()).map(str::to_owned);
    touched.extend(ops.iter().filter_map(answered).map(|r| RecordRef::new(Kind::FeedbackRequest, r)));
    let mut working = load(db, &touched).await?;
    let requests = working
        .values()
        .filter(|s| s.doc.record.kind == Kind::FeedbackRequest && !s.doc.deleted)
        .map(|s| (s.doc.record.id.clone(), FeedbackRequest::from_values(&s.doc.record.id, &s.columns)))
        .collect();
    let person_of = |op: &Op| op.set.get("person").or_else(|| working.get(&op.record)?.columns.get("person")).and_then(Value::as_str).map(str::to_owned);
    let check_in_people = ops.iter().filter(|op| op.record.kind == Kind::CheckIn).filter_map(person_of).collect();
    let mut facts = facts(db, actor, &ops, requests, check_in_people).await?;

    let mut rev = counter_before;
    let mut dirty: HashSet<RecordRef> = HashSet::new();
    let mut new_log: Vec<(String, Outcome)> = Vec::new();
    let mut outcomes = Vec::new();
    let mut entered = Vec::new();
    let mut development = Vec::new();
    // The notifications the batch's changes make for the other people in them, with their revision.
    let mut told = Vec::new();
    let told_at = crate::offline::store::inbox::now();
    for op in &ops {
        if let Some((person, outcome)) = logged.get(&op.id) {
            let outcome = if *person == actor.id { outcome.clone() } else { Outcome::Rejected { reason: "That change id was already used.".into() } };
            outcomes.push((op.id.clone(), outcome));
            continue;
        }
        let before = working.get(&op.record);
        let (after, outcome) = apply(before.map(|s| &s.doc), op, rev + 1);
        let outcome = match outcome {
            Outcome::Rejected { .. } => outcome,
            _ => match check(&facts, op, before.map(|s| &s.doc), &after) {
                Err(reason) => Outcome::Rejected { reason },
                Ok(()) if after.rev == rev + 1 => {
                    rev += 1;
                    let columns = if after.deleted { before.map(|s| s.columns.clone()).unwrap_or_default() } else { after.values() };
                    if op.record.kind == Kind::ActualEntry {
                        // It passed the checks, so it resolves; later entries of the batch see its value.
                        if let Ok(actual) = resolve_entry(&facts, &ActualEntry::from_values(&op.record.id, &columns).unwrap_or_default()) {
                            facts.actuals.insert((actual.plan_id.clone(), actual.kpi_id.clone(), actual.period_key.clone()), actual.value);
                            entered.push(actual);
                        }
                    }
                    if op.record.kind == Kind::Discussion {
                        let was = before.map(|s| Discussion::from_values(&s.columns)).unwrap_or_default();
                        let now = Discussion::from_values(&columns);
                        if now.signed_by_both() && !was.signed_by_both() {
                            development.extend(development_items("appraisal", &op.record.id, &now.person_id, &now.cycle_id, &now.actions));
                        }
                    }
                    if op.record.kind == Kind::CheckIn {
                        let was = before.map(|s| CheckIn::from_values(&s.columns)).unwrap_or_default();
                        let now = CheckIn::from_values(&columns);
                        if !now.completed_on.is_empty() && was.completed_on.is_empty() {
                            development.extend(development_items("check_in", &op.record.id, &now.person_id, &now.cycle_id, &now.actions));
                        }
                    }
                    if !after.deleted {
                        let was = before.filter(|s| !s.doc.deleted).map(|s| &s.columns);
                        for notice in notices_of((&actor.id, &actor.name), &op.record, was, &columns, &told_at) {
                            told.push((notification_id(notice.event, &op.record.id, &notice.person_id), notice, rev));
                        }
                    }
                    if !columns.is_empty() {
                        dirty.insert(op.record.clone());
                        working.insert(op.record.clone(), Stored { columns, doc: after });
                    }
                    if let Some(request) = answered(op) {
                        mark_answered(&mut working, &mut dirty, &request, rev);
                    }
                    outcome
                }
                Ok(()) => outcome, // nothing changed: equal values, or every field in conflict
            },
        };
        new_log.push((op.id.clone(), outcome.clone()));
        logged.insert(op.id.clone(), (actor.id.clone(), outcome.clone()));
        outcomes.push((op.id.clone(), outcome));
    }

    let mut actual_writes = ActualWrites::new(ActualSource::Device, actor.name.clone());
    for plan in facts.plans.values().filter(|p| entered.iter().any(|a| a.plan_id == p.id)) {
        let cycle = facts.cycles.iter().find(|c| c.id == plan.cycle_id).ok_or(AppError::Internal)?;
        actual_writes.add(db, std::slice::from_ref(plan), &actuals::cycle_periods(cycle)?, &entered).await?;
    }
    for (id, notice, at) in told {
        let record = RecordRef::new(Kind::Notification, id);
        let fields = notice.to_values().into_iter().map(|(name, value)| (name, Field { value, rev: at, device: "server".into() })).collect();
        dirty.insert(record.clone());
        working.insert(record.clone(), Stored { columns: notice.to_values(), doc: Doc { record, fields, rev: at, deleted: false } });
    }
    write(db, actor, &working, &dirty, &new_log, actual_writes, development, (counter_before, rev)).await?;
    let docs = working.into_values().filter(|s| visible(&actor.id, s)).map(|s| s.doc).collect();
    Ok(PushReply { outcomes, docs })
}

/// The actions agreed in a signed conversation or a completed check-in, as development-plan items.
/// A check-in's are keyed apart (devices pick check-in ids, so one could equal an appraisal's).
fn development_items(source: &str, record: &str, person: &str, cycle: &str, actions: &[AgreedAction]) -> Vec<Value> {
    let key = |n: usize| if source == "check_in" { format!("ci_{record}_{n}") } else { format!("{record}-{n}") };
    actions
        .iter()
        .enumerate()
        .map(|(n, a)| json!({ "key": key(n), "source": source, "person": person, "cycle": cycle, "title": a.title, "kind": a.kind, "target": a.target, "due_on": a.due_on }))
        .collect()
}

/// Feedback given in answer to a request marks the request answered (a server change, stamped
/// like any other so the asker's devices hear of it).
fn mark_answered(working: &mut HashMap<RecordRef, Stored>, dirty: &mut HashSet<RecordRef>, request: &str, rev: u64) {
    let key = RecordRef::new(Kind::FeedbackRequest, request);
    if let Some(stored) = working.get_mut(&key).filter(|s| !s.doc.deleted) {
        let answered = json!(crate::offline::types::RequestState::Answered.as_str());
        stored.doc.fields.insert("state".into(), Field { value: answered.clone(), rev, device: "server".into() });
        stored.doc.rev = rev;
        stored.columns.insert("state".into(), answered);
        dirty.insert(key);
    }
}

async fn write(
    db: &Db,
    actor: &SessionUser,
    working: &HashMap<RecordRef, Stored>,
    dirty: &HashSet<RecordRef>,
    log: &[(String, Outcome)],
    actual_writes: ActualWrites,
    development: Vec<Value>,
    (counter_before, counter): (u64, u64),
) -> AppResult<()> {
    let rows = |kind: Kind| -> Vec<Value> {
        working
            .values()
            .filter(|s| s.doc.record.kind == kind && dirty.contains(&s.doc.record))
            .map(|s| {
                let mut row = columns(kind, &s.doc.record.id, &s.columns);
                let meta: BTreeMap<&String, Stamp> = s.doc.fields.iter().map(|(name, f)| (name, Stamp { rev: f.rev, device: f.device.clone() })).collect();
                row["meta"] = json!(meta);
                row["rev"] = json!(s.doc.rev);
                row["deleted"] = json!(s.doc.deleted);
                row
            })
            .collect()
    };
    let log: Vec<Value> = log.iter().map(|(id, outcome)| json!({ "id": id, "outcome": outcome })).collect();
    // The synced records, the actuals they enter, the log and the counter: all or nothing.
    const RECORDS: &str = "BEGIN TRANSACTION;
         IF ((SELECT VALUE value FROM ONLY sync_counter:current) ?? 0) != $counter_before { THROW 'Another server changed the sync state; try again.' };
         FOR $r IN $self_assessments {
             UPSERT type::record('self_assessment', $r.key) SET person = type::record('person', $r.person), cycle = type::record('cycle', $r.cycle),
                 competencies = $r.competencies, kpi_comments = $r.kpi_comments, strengths = $r.strengths, development = $r.development,
                 submitted = $r.submitted, submitted_at = IF $r.submitted { submitted_at ?? time::now() } ELSE { NONE },
                 meta = $r.meta, rev = $r.rev, deleted = $r.deleted RETURN NONE;
         };
         FOR $r IN $feedback {
             UPSERT type::record('feedback', $r.key) SET giver = type::record('person', $r.giver), receiver = type::record('person', $r.receiver),
                 situation = $r.situation, behaviour = $r.behaviour, impact = $r.impact, private = $r.private, request = $r.request ?? NONE,
                 given_on = $r.given_on, meta = $r.meta, rev = $r.rev, deleted = $r.deleted RETURN NONE;
         };
         FOR $r IN $requests {
             UPSERT type::record('feedback_request', $r.key) SET asker = type::record('person', $r.asker), asked = type::record('person', $r.asked),
                 message = $r.message, state = $r.state, asked_on = $r.asked_on, meta = $r.meta, rev = $r.rev, deleted = $r.deleted RETURN NONE;
         };
         FOR $r IN $actual_entries {
             UPSERT type::record('actual_entry', $r.key) SET person = type::record('person', $r.person), cycle = type::record('cycle', $r.cycle),
                 kpi = $r.kpi, period = $r.period, value = <float> $r.value, note = $r.note, link = $r.link,
                 seen = IF $r.seen != NONE AND $r.seen != NULL { <float> $r.seen } ELSE { NONE }, entered_on = $r.entered_on,
                 meta = $r.meta, rev = $r.rev, deleted = $r.deleted RETURN NONE;
         };
         FOR $r IN $discussions {
             UPSERT type::record('appraisal_discussion', $r.key) SET person = type::record('person', $r.person),
                 manager = type::record('person', $r.manager), cycle = type::record('cycle', $r.cycle), step = $r.step, notes = $r.notes,
                 actions = $r.actions, outcome = $r.outcome, disagreement = $r.disagreement, manager_signed_on = $r.manager_signed_on,
                 employee_signed_on = $r.employee_signed_on, employee_comment = $r.employee_comment,
                 meta = $r.meta, rev = $r.rev, deleted = $r.deleted RETURN NONE;
         };
         FOR $r IN $check_ins {
             UPSERT type::record('check_in', $r.key) SET person = type::record('person', $r.person), manager = type::record('person', $r.manager),
                 cycle = type::record('cycle', $r.cycle), held_on = $r.held_on, goal = $r.goal, reality = $r.reality, options = $r.options,
                 will = $r.will, actions = $r.actions, completed_on = $r.completed_on, meta = $r.meta, rev = $r.rev, deleted = $r.deleted RETURN NONE;
         };
         FOR $i IN $development {
             CREATE type::record('development_item', $i.key) SET person = type::record('person', $i.person), cycle = type::record('cycle', $i.cycle),
                 source = $i.source, title = $i.title, kind = $i.kind, target = $i.target, due_on = $i.due_on RETURN NONE;
         };";
    const LOG: &str = "
         FOR $o IN $log { CREATE type::record('sync_op', $o.id) SET person = $me, outcome = $o.outcome RETURN NONE; };
         UPSERT sync_counter:current SET value = $counter RETURN NONE;
         COMMIT TRANSACTION;";
    actual_writes
        .bind(db.query(format!("{RECORDS}{UPSERT_NOTIFICATIONS}{WRITE_ACTUALS}{LOG}")))
        .bind(("self_assessments", rows(Kind::SelfAssessment)))
        .bind(("feedback", rows(Kind::Feedback)))
        .bind(("requests", rows(Kind::FeedbackRequest)))
        .bind(("actual_entries", rows(Kind::ActualEntry)))
        .bind(("discussions", rows(Kind::Discussion)))
        .bind(("check_ins", rows(Kind::CheckIn)))
        .bind(("notifications", rows(Kind::Notification)))
        .bind(("development", development))
        .bind(("log", log))
        .bind(("me", record("person", &actor.id)))
        .bind(("counter_before", counter_before))
        .bind(("counter", counter))
        .await?
        .check()?;
    Ok(())
}

/// Everything visible to the person that changed after `cursor`, deletions included.
pub async fn pull(db: &Db, actor: &SessionUser, cursor: u64) -> AppResult<PullReply> {
    let mut response = db
        .query(
            "SELECT VALUE value FROM ONLY sync_counter:current;
             SELECT * FROM self_assessment WHERE person = $me AND rev > $cursor;
             SELECT * FROM feedback WHERE (giver = $me OR receiver = $me) AND rev > $cursor;
             SELECT * FROM feedback_request WHERE (asker = $me OR asked = $me) AND rev > $cursor;
             SELECT * FROM actual_entry WHERE person = $me AND rev > $cursor;
             SELECT * FROM appraisal_discussion WHERE (person = $me OR manager = $me) AND rev > $cursor;
             SELECT * FROM check_in WHERE (person = $me OR manager = $me) AND rev > $cursor;
             SELECT * FROM notification WHERE person = $me AND rev > $cursor;",
        )
        .bind(("me", record("person", &actor.id)))
        .bind(("cursor", cursor))
        .await?;
    let counter: Option<u64> = response.take(0)?;
    let mut docs = Vec::new();
    for (index, kind) in KINDS.into_iter().enumerate() {
        for row in take_rows::<Value>(&mut response, index + 1)? {
            let stored = stored_of(kind, &row)?;
            if visible(&actor.id, &stored) {
                docs.push(stored.doc);
            }
        }
    }
    Ok(PullReply { docs, cursor: counter.unwrap_or(0) })
}



/// What a phone keeps to work offline for the signed-in person.
/// `raters`: whom the policy lets the person rate (`Rule::RaterOf`).
pub async fn snapshot(db: &Db, actor: &SessionUser, raters: &crate::auth::Audience) -> AppResult<OfflineSnapshot> {
    let cycle = planning::current_cycle(db).await?;
    let scorecard = match crate::planning::store::actuals::scorecard(db, &actor.id, Some(&cycle.id)).await {
        Ok(scorecard) => Some(scorecard),
        Err(AppError::NotFound(_)) => None,
        Err(other) => return Err(other),
    };
    let (manager_id, reports) = crate::org::store::people::line_of(db, &actor.id).await?;
    let mut report_kpis = Vec::new();
    for report in &reports {
        if let Some(plan) = planning::find_plan(db, report, &cycle.id).await? {
            report_kpis.push((report.clone(), plan.kras.iter().flat_map(|k| k.kpis.iter().map(|k| k.spec.name.clone())).collect()));
        }
    }
    Ok(OfflineSnapshot {
        person_id: actor.id.clone(),
        manager_id,
        reports,
        report_kpis,
        framework: competencies::framework(db).await?,
        colleagues: crate::org::store::people::colleagues(db, &actor.id).await?,
        appraisals: crate::appraisal::store::for_devices(db, actor, raters).await?,
        cycle,
        scorecard,
    })
}


