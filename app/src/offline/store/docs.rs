//! The records a phone changes offline, as the server stores them: each kind's typed columns,
//! the stamp of every field, and the readers other domains use.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::planning::store::plans as planning;
use crate::db::{Db, key_of, record, take_rows};
use crate::error::{AppError, AppResult};
use crate::offline::types::{ActualEntry, CompetencyAnswer, Feedback, FeedbackLine, FeedbackRequest, KpiComment, Notification, SelfAssessment};
use crate::appraisal::types::{AgreedAction, Discussion};
use crate::development::types::{CHECK_IN_FIELDS, CheckIn};
use crate::sync::protocol::{Doc, Field, Kind, RecordRef, Values};

pub(crate) const KINDS: [Kind; 7] = [Kind::SelfAssessment, Kind::Feedback, Kind::FeedbackRequest, Kind::ActualEntry, Kind::Discussion, Kind::CheckIn, Kind::Notification];

/// Who made a field's last change.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Stamp {
    pub(crate) rev: u64,
    pub(crate) device: String,
}

/// A synced record as stored: its typed columns (kept on a tombstone, so the people it concerns
/// still hear of the deletion), the stamps of its fields, its revision.
#[derive(Clone, Debug)]
pub(crate) struct Stored {
    pub(crate) columns: Values,
    pub(crate) doc: Doc,
}

/// The typed columns of a record of `kind`, from its field values.
pub(crate) fn columns(kind: Kind, id: &str, values: &Values) -> Value {
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
        Kind::Notification => crate::offline::store::inbox::columns(id, &Notification::from_values(id, values)),
    }
}

/// A stored row read into its schema's type: a row that does not match is corrupt data, an error
/// in the log and for the caller, never silently read as empty.
fn typed<T: serde::de::DeserializeOwned>(kind: Kind, row: &Value) -> AppResult<T> {
    T::deserialize(row).map_err(|error| {
        tracing::error!(%error, table = kind.table(), "a synced record does not match its schema");
        AppError::Internal
    })
}

/// The columns every synced row has; links arrive as `table:key`.
#[derive(Deserialize)]
struct Links {
    id: String,
    #[serde(default)]
    person: String,
    #[serde(default)]
    manager: String,
    #[serde(default)]
    cycle: String,
}

#[derive(Deserialize)]
struct SelfAssessmentRow {
    competencies: Vec<AnswerRow>,
    kpi_comments: Vec<CommentRow>,
    strengths: String,
    development: String,
    submitted: bool,
}

#[derive(Deserialize)]
struct AnswerRow {
    competency: String,
    level: u8,
    evidence: String,
}

#[derive(Deserialize)]
struct CommentRow {
    kpi: String,
    comment: String,
}

#[derive(Deserialize)]
struct FeedbackRow {
    giver: String,
    receiver: String,
    situation: String,
    behaviour: String,
    impact: String,
    private: bool,
    request: Option<String>,
    given_on: String,
}

#[derive(Deserialize)]
struct FeedbackRequestRow {
    asker: String,
    asked: String,
    message: String,
    state: String,
    asked_on: String,
}

#[derive(Deserialize)]
struct ActualEntryRow {
    kpi: String,
    period: String,
    value: f64,
    note: String,
    link: String,
    seen: Option<f64>,
    entered_on: String,
}

#[derive(Deserialize)]
struct DiscussionRow {
    step: u8,
    notes: Vec<NoteRow>,
    actions: Vec<AgreedAction>,
    outcome: String,
    disagreement: String,
    manager_signed_on: String,
    employee_signed_on: String,
    employee_comment: String,
}

#[derive(Deserialize)]
struct NotificationRow {
    event: String,
    text: String,
    link: String,
    created_at: String,
    read: bool,
}

#[derive(Deserialize)]
struct NoteRow {
    step: String,
    text: String,
}

/// Field values from a stored row (record links as keys).
pub(crate) fn values_of(kind: Kind, row: &Value) -> AppResult<Values> {
    let links: Links = typed(kind, row)?;
    let (id, person_id, manager_id, cycle_id) = (key_of(&links.id), key_of(&links.person), key_of(&links.manager), key_of(&links.cycle));
    Ok(match kind {
        Kind::SelfAssessment => {
            let r: SelfAssessmentRow = typed(kind, row)?;
            SelfAssessment {
                person_id,
                cycle_id,
                competencies: r.competencies.into_iter().map(|a| CompetencyAnswer { competency_id: a.competency, level: a.level, evidence: a.evidence }).collect(),
                kpi_comments: r.kpi_comments.into_iter().map(|c| KpiComment { kpi_id: c.kpi, comment: c.comment }).collect(),
                strengths: r.strengths,
                development: r.development,
                submitted: r.submitted,
            }
            .to_values()
        }
        Kind::Feedback => {
            let r: FeedbackRow = typed(kind, row)?;
            Feedback {
                id,
                giver_id: key_of(&r.giver),
                receiver_id: key_of(&r.receiver),
                situation: r.situation,
                behaviour: r.behaviour,
                impact: r.impact,
                private: r.private,
                request_id: r.request,
                given_on: r.given_on,
            }
            .to_values()
        }
        Kind::FeedbackRequest => {
            let r: FeedbackRequestRow = typed(kind, row)?;
            Values::from([
                ("asker".into(), json!(key_of(&r.asker))),
                ("asked".into(), json!(key_of(&r.asked))),
                ("message".into(), json!(r.message)),
                ("state".into(), json!(r.state)),
                ("asked_on".into(), json!(r.asked_on)),
            ])
        }
        Kind::ActualEntry => {
            let r: ActualEntryRow = typed(kind, row)?;
            ActualEntry { id, person_id, cycle_id, kpi_id: r.kpi, period_key: r.period, value: r.value, note: r.note, link: r.link, seen: r.seen, entered_on: r.entered_on }
                .to_values()
        }
        Kind::Discussion => {
            let r: DiscussionRow = typed(kind, row)?;
            Discussion {
                person_id,
                manager_id,
                cycle_id,
                step: r.step,
                notes: r.notes.into_iter().map(|n| (n.step, n.text)).collect(),
                actions: r.actions,
                outcome: r.outcome,
                disagreement: r.disagreement,
                manager_signed_on: r.manager_signed_on,
                employee_signed_on: r.employee_signed_on,
                employee_comment: r.employee_comment,
            }
            .to_values()
        }
        Kind::CheckIn => {
            let mut values = Values::new();
            for field in CHECK_IN_FIELDS {
                let value = row.get(field).ok_or_else(|| {
                    tracing::error!(field, "a check-in row lacks a field of its schema");
                    AppError::Internal
                })?;
                values.insert(field.to_string(), value.clone());
            }
            values.insert("person".into(), json!(person_id));
            values.insert("manager".into(), json!(manager_id));
            values.insert("cycle".into(), json!(cycle_id));
            CheckIn::from_values(&values).to_values()
        }
        Kind::Notification => {
            let r: NotificationRow = typed(kind, row)?;
            Values::from([
                ("person".into(), json!(person_id)),
                ("event".into(), json!(r.event)),
                ("text".into(), json!(r.text)),
                ("link".into(), json!(r.link)),
                ("created_at".into(), json!(r.created_at)),
                ("read".into(), json!(r.read)),
            ])
        }
    })
}

pub(crate) fn stored_of(kind: Kind, row: &Value) -> AppResult<Stored> {
    let id = key_of(row.get("id").and_then(Value::as_str).unwrap_or_default());
    let stamps: BTreeMap<String, Stamp> = row.get("meta").cloned().map(serde_json::from_value).transpose().map_err(|_| AppError::Internal)?.unwrap_or_default();
    let columns = values_of(kind, row)?;
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
/// or received (a private note only its giver), requests they made or were asked, their own
/// notifications.
pub(crate) fn visible(actor: &str, stored: &Stored) -> bool {
    let is = |name: &str| stored.columns.get(name).and_then(Value::as_str) == Some(actor);
    match stored.doc.record.kind {
        Kind::SelfAssessment | Kind::ActualEntry => is("person"),
        Kind::Feedback => is("giver") || (is("receiver") && stored.columns.get("private") != Some(&json!(true))),
        Kind::FeedbackRequest => is("asker") || is("asked"),
        Kind::Discussion | Kind::CheckIn => is("person") || is("manager"),
        Kind::Notification => is("person"),
    }
}

pub(crate) async fn load(db: &Db, records: &HashSet<RecordRef>) -> AppResult<HashMap<RecordRef, Stored>> {
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

/// Feedback asked of `person` and not yet answered: (who asked, their message, asked on), oldest
/// first.
pub async fn open_requests_asked_of(db: &Db, person: &str) -> AppResult<Vec<(String, String, String)>> {
    #[derive(Deserialize)]
    struct Row {
        asker_name: String,
        message: String,
        asked_on: String,
    }
    let mut response = db
        .query("SELECT asker.name AS asker_name, message, asked_on FROM feedback_request WHERE asked = $person AND state = 'open' AND deleted = false ORDER BY asked_on")
        .bind(("person", record("person", person)))
        .await?;
    Ok(take_rows::<Row>(&mut response, 0)?.into_iter().map(|r| (r.asker_name, r.message, r.asked_on)).collect())
}

/// How much feedback `person` received (shared, not private notes) on or after `since` (`YYYY-MM-DD`).
pub async fn feedback_received_since(db: &Db, person: &str, since: &str) -> AppResult<usize> {
    let mut response = db
        .query("SELECT VALUE count() FROM feedback WHERE receiver = $person AND private = false AND deleted = false AND given_on >= $since GROUP ALL")
        .bind(("person", record("person", person)))
        .bind(("since", since.to_owned()))
        .await?;
    let counted: Option<usize> = response.take(0)?;
    Ok(counted.unwrap_or(0))
}
