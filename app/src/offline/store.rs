//! The server side of the offline sync (`crate::sync::protocol`): push applies a batch of operations in one
//! transaction, once each, checking every one against `sync_rules`; pull returns what changed
//! for the person since their cursor.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::planning::store::actuals;
use crate::planning::store::actuals::{ActualWrites, WRITE_ACTUALS};
use crate::planning::store::{competencies, plans as planning};
use crate::db::{Db, PLAN_WRITES, key_of, record, take_rows};
use crate::error::{AppError, AppResult};
use crate::offline::types::{ActualEntry, Colleague, CompetencyAnswer, Feedback, FeedbackLine, FeedbackRequest, KpiComment, OfflineSnapshot, SelfAssessment};
use crate::planning::types::ActualSource;
use crate::appraisal::types::{AgreedAction, Discussion};
use crate::development::types::{CHECK_IN_FIELDS, CheckIn};
use crate::auth::types::SessionUser;
use crate::sync::protocol::{Doc, Field, Kind, Op, Outcome, PullReply, PushReply, RecordRef, Values, apply};
use crate::offline::rules::{Facts, check, resolve_entry};

/// Revisions are stamped one batch at a time, so a pull never sees a later revision before an
/// earlier one has committed (this server is one process; the counter check in the write
/// covers several).
static SYNC_WRITES: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const KINDS: [Kind; 6] = [Kind::SelfAssessment, Kind::Feedback, Kind::FeedbackRequest, Kind::ActualEntry, Kind::Discussion, Kind::CheckIn];

/// Who made a field's last change.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Stamp {
    rev: u64,
    device: String,
}

/// A synced record as stored: its typed columns (kept on a tombstone, so the people it concerns
/// still hear of the deletion), the stamps of its fields, its revision.
#[derive(Clone, Debug)]
struct Stored {
    columns: Values,
    doc: Doc,
}

/// The typed columns of a record of `kind`, from its field values.
fn columns(kind: Kind, id: &str, values: &Values) -> Value {
    match kind {
        Kind::SelfAssessment => {
            let sa = SelfAssessment::from_values(values);
            json!({
                "key": id, "person": sa.person_id, "cycle": sa.cycle_id,
                "competencies": sa.competencies.iter().map(|a| json!({ "competency": a.competency_id, "level": a.level, "evidence": a.evidence })).collect::<Vec<_>>(),
                "kpi_comments": sa.kpi_comments.iter().map(|c| json!({ "kpi": c.kpi_id, "comment": c.comment })).collect::<Vec<_>>(),
                "strengths": sa.strengths, "development": sa.development, "submitted": sa.submitted,
            })
        }
        Kind::Feedback => {
            let f = Feedback::from_values(id, values);
            json!({
                "key": id, "giver": f.giver_id, "receiver": f.receiver_id, "situation": f.situation, "behaviour": f.behaviour,
                "impact": f.impact, "private": f.private, "request": f.request_id, "given_on": f.given_on,
            })
        }
        Kind::FeedbackRequest => {
            let r = FeedbackRequest::from_values(id, values);
            json!({ "key": id, "asker": r.asker_id, "asked": r.asked_id, "message": r.message, "state": r.state.as_str(), "asked_on": r.asked_on })
        }
        Kind::ActualEntry => {
            let e = ActualEntry::from_values(id, values).unwrap_or_default();
            json!({
                "key": id, "person": e.person_id, "cycle": e.cycle_id, "kpi": e.kpi_id, "period": e.period_key, "value": e.value,
                "note": e.note, "link": e.link, "seen": e.seen, "entered_on": e.entered_on,
            })
        }
        Kind::Discussion => {
            let d = Discussion::from_values(values);
            json!({
                "key": id, "person": d.person_id, "manager": d.manager_id, "cycle": d.cycle_id, "step": d.step,
                "notes": d.notes.iter().map(|(step, text)| json!({ "step": step, "text": text })).collect::<Vec<_>>(),
                "actions": d.actions, "outcome": d.outcome, "disagreement": d.disagreement,
                "manager_signed_on": d.manager_signed_on, "employee_signed_on": d.employee_signed_on, "employee_comment": d.employee_comment,
            })
        }
        Kind::CheckIn => {
            let mut row = json!(CheckIn::from_values(values).to_values());
            row["key"] = json!(id);
            row
        }
    }
}

/// Field values from a stored row (record links as keys).
fn values_of(kind: Kind, row: &Value) -> Values {
    let text = |name: &str| row.get(name).and_then(Value::as_str).unwrap_or_default().to_owned();
    let link = |name: &str| key_of(&text(name));
    let id = link("id");
    match kind {
        Kind::SelfAssessment => {
            #[derive(Deserialize)]
            struct Answer {
                competency: String,
                level: u8,
                evidence: String,
            }
            #[derive(Deserialize)]
            struct Comment {
                kpi: String,
                comment: String,
            }
            let answers: Vec<Answer> = row.get("competencies").cloned().and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default();
            let comments: Vec<Comment> = row.get("kpi_comments").cloned().and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default();
            SelfAssessment {
                person_id: link("person"),
                cycle_id: link("cycle"),
                competencies: answers.into_iter().map(|a| CompetencyAnswer { competency_id: a.competency, level: a.level, evidence: a.evidence }).collect(),
                kpi_comments: comments.into_iter().map(|c| KpiComment { kpi_id: c.kpi, comment: c.comment }).collect(),
                strengths: text("strengths"),
                development: text("development"),
                submitted: row.get("submitted").and_then(Value::as_bool).unwrap_or(false),
            }
            .to_values()
        }
        Kind::Feedback => Feedback {
            id: id.clone(),
            giver_id: link("giver"),
            receiver_id: link("receiver"),
            situation: text("situation"),
            behaviour: text("behaviour"),
            impact: text("impact"),
            private: row.get("private").and_then(Value::as_bool).unwrap_or(false),
            request_id: row.get("request").and_then(Value::as_str).map(str::to_owned),
            given_on: text("given_on"),
        }
        .to_values(),
        Kind::FeedbackRequest => Values::from([
            ("asker".into(), json!(link("asker"))),
            ("asked".into(), json!(link("asked"))),
            ("message".into(), json!(text("message"))),
            ("state".into(), json!(text("state"))),
            ("asked_on".into(), json!(text("asked_on"))),
        ]),
        Kind::ActualEntry => ActualEntry {
            id,
            person_id: link("person"),
            cycle_id: link("cycle"),
            kpi_id: text("kpi"),
            period_key: text("period"),
            value: row.get("value").and_then(Value::as_f64).unwrap_or_default(),
            note: text("note"),
            link: text("link"),
            seen: row.get("seen").and_then(Value::as_f64),
            entered_on: text("entered_on"),
        }
        .to_values(),
        Kind::Discussion => {
            #[derive(Deserialize)]
            struct Note {
                step: String,
                text: String,
            }
            let notes: Vec<Note> = row.get("notes").cloned().and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default();
            let actions: Vec<AgreedAction> = row.get("actions").cloned().and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default();
            Discussion {
                person_id: link("person"),
                manager_id: link("manager"),
                cycle_id: link("cycle"),
                step: row.get("step").and_then(Value::as_u64).unwrap_or(0) as u8,
                notes: notes.into_iter().map(|n| (n.step, n.text)).collect(),
                actions,
                outcome: text("outcome"),
                disagreement: text("disagreement"),
                manager_signed_on: text("manager_signed_on"),
                employee_signed_on: text("employee_signed_on"),
                employee_comment: text("employee_comment"),
            }
            .to_values()
        }
        Kind::CheckIn => {
            let mut values: Values = CHECK_IN_FIELDS.iter().filter_map(|f| Some((f.to_string(), row.get(*f)?.clone()))).collect();
            for link in ["person", "manager", "cycle"] {
                values.insert(link.into(), json!(key_of(&text(link))));
            }
            CheckIn::from_values(&values).to_values()
        }
    }
}

fn stored_of(kind: Kind, row: &Value) -> AppResult<Stored> {
    let id = key_of(row.get("id").and_then(Value::as_str).unwrap_or_default());
    let stamps: BTreeMap<String, Stamp> = row.get("meta").cloned().map(serde_json::from_value).transpose().map_err(|_| AppError::Internal)?.unwrap_or_default();
    let columns = values_of(kind, row);
    let deleted = row.get("deleted").and_then(Value::as_bool).unwrap_or(false);
    let fields = if deleted {
        BTreeMap::new()
    } else {
        stamps
            .into_iter()
            .filter_map(|(name, stamp)| Some((name.clone(), Field { value: columns.get(&name)?.clone(), rev: stamp.rev, device: stamp.device })))
            .collect()
    };
    let rev = row.get("rev").and_then(Value::as_u64).unwrap_or(0);
    Ok(Stored { columns, doc: Doc { record: RecordRef::new(kind, id), fields, rev, deleted } })
}

/// Who may see a stored record on their devices: their own self-assessment, feedback they gave
/// or received (a private note only its giver), requests they made or were asked.
fn visible(actor: &str, stored: &Stored) -> bool {
    let is = |name: &str| stored.columns.get(name).and_then(Value::as_str) == Some(actor);
    match stored.doc.record.kind {
        Kind::SelfAssessment | Kind::ActualEntry => is("person"),
        Kind::Feedback => is("giver") || (is("receiver") && stored.columns.get("private") != Some(&json!(true))),
        Kind::FeedbackRequest => is("asker") || is("asked"),
        Kind::Discussion | Kind::CheckIn => is("person") || is("manager"),
    }
}

async fn load(db: &Db, records: &HashSet<RecordRef>) -> AppResult<HashMap<RecordRef, Stored>> {
    let mut found = HashMap::new();
    for kind in KINDS {
        let ids: Vec<_> = records.iter().filter(|r| r.kind == kind).map(|r| record(kind.table(), &r.id)).collect();
        if ids.is_empty() {
            continue;
        }
        let mut response = db.query("SELECT * FROM $ids").bind(("ids", ids)).await?;
        for row in take_rows::<Value>(&mut response, 0)? {
            let stored = stored_of(kind, &row)?;
            found.insert(stored.doc.record.clone(), stored);
        }
    }
    Ok(found)
}

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
            for actual in actuals::of_plan(db, &plan.id).await? {
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
/// `sync_rules::check_push`; each operation is checked here (`sync_rules::check`).
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
    let mut logged: HashMap<String, (String, Outcome)> = HashMap::new();
    for row in take_rows::<Value>(&mut response, 0)? {
        let id = key_of(row["id"].as_str().unwrap_or_default());
        let outcome = serde_json::from_value(row["outcome"].clone()).map_err(|_| AppError::Internal)?;
        logged.insert(id, (key_of(row["person"].as_str().unwrap_or_default()), outcome));
    }
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
        .bind(db.query(format!("{RECORDS}{WRITE_ACTUALS}{LOG}")))
        .bind(("self_assessments", rows(Kind::SelfAssessment)))
        .bind(("feedback", rows(Kind::Feedback)))
        .bind(("requests", rows(Kind::FeedbackRequest)))
        .bind(("actual_entries", rows(Kind::ActualEntry)))
        .bind(("discussions", rows(Kind::Discussion)))
        .bind(("check_ins", rows(Kind::CheckIn)))
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
             SELECT * FROM check_in WHERE (person = $me OR manager = $me) AND rev > $cursor;",
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

/// Feedback a person received that others may read (never private notes, except to their
/// giver), newest first, with names.
pub async fn feedback_about(db: &Db, viewer: &str, person: &str) -> AppResult<Vec<FeedbackLine>> {
    let mut response = db
        .query(
            "SELECT *, giver.name AS giver_name, receiver.name AS receiver_name FROM feedback
             WHERE receiver = $person AND deleted = false AND (private = false OR giver = $viewer) ORDER BY received_at DESC;",
        )
        .bind(("person", record("person", person)))
        .bind(("viewer", record("person", viewer)))
        .await?;
    take_rows::<Value>(&mut response, 0)?
        .into_iter()
        .map(|row| {
            let stored = stored_of(Kind::Feedback, &row)?;
            let name = |field: &str| row.get(field).and_then(Value::as_str).unwrap_or_default().to_owned();
            Ok(FeedbackLine { feedback: Feedback::from_values(&stored.doc.record.id, &stored.columns), giver_name: name("giver_name"), receiver_name: name("receiver_name") })
        })
        .collect()
}

/// Everyone one may give feedback to or ask it of: active people but oneself, by name.
pub async fn colleagues(db: &Db, me: &str) -> AppResult<Vec<Colleague>> {
    let mut response = db
        .query("SELECT id, name, job_title, unit.name AS unit_name FROM person WHERE active = true AND id != $me ORDER BY name")
        .bind(("me", record("person", me)))
        .await?;
    let mut people: Vec<Colleague> = take_rows(&mut response, 0)?;
    people.iter_mut().for_each(|p| p.id = key_of(&p.id));
    Ok(people)
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
    Ok(OfflineSnapshot {
        person_id: actor.id.clone(),
        manager_id,
        reports,
        framework: competencies::framework(db).await?,
        colleagues: colleagues(db, &actor.id).await?,
        appraisals: crate::appraisal::store::for_devices(db, actor, raters).await?,
        cycle,
        scorecard,
    })
}

/// A person's self-assessment in the current cycle: for others (their managers, HR) only once
/// submitted; a draft is the person's own.
pub async fn self_assessment_of(db: &Db, viewer: &str, person: &str) -> AppResult<Option<SelfAssessment>> {
    let cycle = planning::current_cycle(db).await?;
    self_assessment_in(db, viewer, person, &cycle.id).await
}

/// A person's self-assessment in a cycle, on the same terms.
pub async fn self_assessment_in(db: &Db, viewer: &str, person: &str, cycle: &str) -> AppResult<Option<SelfAssessment>> {
    let id = RecordRef::new(Kind::SelfAssessment, crate::offline::types::self_assessment_id(person, cycle));
    let found = load(db, &HashSet::from([id.clone()])).await?;
    Ok(found
        .get(&id)
        .map(|stored| SelfAssessment::from_values(&stored.columns))
        .filter(|sa| sa.submitted || viewer == person))
}
