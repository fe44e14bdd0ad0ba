//! The records a phone changes offline, as the server stores them: each kind's typed columns,
//! the stamp of every field, and the readers other domains use.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::planning::store::plans as planning;
use crate::db::{Db, key_of, record, take_rows};
use crate::error::{AppError, AppResult};
use crate::offline::types::{ActualEntry, CompetencyAnswer, Feedback, FeedbackLine, FeedbackRequest, KpiComment, SelfAssessment};
use crate::appraisal::types::{AgreedAction, Discussion};
use crate::development::types::{CHECK_IN_FIELDS, CheckIn};
use crate::sync::protocol::{Doc, Field, Kind, RecordRef, Values};

pub(crate) const KINDS: [Kind; 6] = [Kind::SelfAssessment, Kind::Feedback, Kind::FeedbackRequest, Kind::ActualEntry, Kind::Discussion, Kind::CheckIn];

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
    }
}

/// Field values from a stored row (record links as keys).
pub(crate) fn values_of(kind: Kind, row: &Value) -> Values {
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

pub(crate) fn stored_of(kind: Kind, row: &Value) -> AppResult<Stored> {
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
pub(crate) fn visible(actor: &str, stored: &Stored) -> bool {
    let is = |name: &str| stored.columns.get(name).and_then(Value::as_str) == Some(actor);
    match stored.doc.record.kind {
        Kind::SelfAssessment | Kind::ActualEntry => is("person"),
        Kind::Feedback => is("giver") || (is("receiver") && stored.columns.get("private") != Some(&json!(true))),
        Kind::FeedbackRequest => is("asker") || is("asked"),
        Kind::Discussion | Kind::CheckIn => is("person") || is("manager"),
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
