//! The offline sync protocol, pure (no database, no browser), so the server and the phone run the
//! same rules and a property test can drive both.
//!
//! A device never changes a record in place: every edit becomes an [`Op`] with a client-made id
//! (also its idempotency key), queued in the device's outbox and shown at once. A push sends the
//! outbox; the server applies each operation field by field ([`apply`]) and stamps a revision. A
//! field another device changed since this device last saw it is not overwritten: the operation
//! comes back as a conflict carrying both values, for the person to resolve. A pull returns every
//! record changed since the device's cursor, deletions as tombstones.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::limits::{SYNC_FIELDS_PER_OP, SYNC_FIELD_NAME_BYTES, SYNC_VALUE_BYTES};
use crate::words::bytes_in_words;

/// Whether records of a kind have a field so named.
pub type HasField = fn(Kind, &str) -> bool;

/// The kinds of record a person may change from a phone, offline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    SelfAssessment,
    Feedback,
    FeedbackRequest,
    /// A KPI actual entered by the person; once sent it is kept as entered.
    ActualEntry,
    /// The record of an appraisal conversation, written by the person and their manager.
    Discussion,
    /// A check-in with its GROW coaching note, written by the person and their manager.
    CheckIn,
    /// Something that happened to the person, made by the server; their devices mark it read.
    Notification,
}

impl Kind {
    pub fn table(self) -> &'static str {
        match self {
            Kind::SelfAssessment => "self_assessment",
            Kind::Feedback => "feedback",
            Kind::FeedbackRequest => "feedback_request",
            Kind::ActualEntry => "actual_entry",
            Kind::Discussion => "appraisal_discussion",
            Kind::CheckIn => "check_in",
            Kind::Notification => "notification",
        }
    }

    /// The record, as the subject of a sentence.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::SelfAssessment => "A self-assessment",
            Kind::Feedback => "Feedback",
            Kind::FeedbackRequest => "A request for feedback",
            Kind::ActualEntry => "An actual",
            Kind::Discussion => "The record of an appraisal conversation",
            Kind::CheckIn => "A check-in",
            Kind::Notification => "A notification",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RecordRef {
    pub kind: Kind,
    pub id: String,
}

impl RecordRef {
    pub fn new(kind: Kind, id: impl Into<String>) -> Self {
        Self { kind, id: id.into() }
    }

    /// A string key for maps that must serialise to JSON objects.
    pub fn key(&self) -> String {
        format!("{}/{}", self.kind.table(), self.id)
    }
}

pub type Values = BTreeMap<String, Value>;

/// A field as the server holds it: the value, the revision that wrote it and the device it came
/// from (a device's later edit of its own value is no conflict).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub value: Value,
    pub rev: u64,
    pub device: String,
}

/// A record as the server last had it: its fields, or a tombstone once deleted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Doc {
    pub record: RecordRef,
    pub fields: BTreeMap<String, Field>,
    /// The highest revision of any change to it (the deletion included).
    pub rev: u64,
    pub deleted: bool,
}

impl Doc {
    pub fn values(&self) -> Values {
        self.fields.iter().map(|(name, field)| (name.clone(), field.value.clone())).collect()
    }
}

/// One edit made on a device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Op {
    /// Made on the device; the server applies an id once and answers repeats from its log.
    pub id: String,
    pub device: String,
    pub record: RecordRef,
    /// The revision of each changed field as this device last saw it (absent: never seen).
    #[serde(default)]
    pub base: BTreeMap<String, u64>,
    #[serde(default)]
    pub set: Values,
    #[serde(default)]
    pub delete: bool,
}

impl Op {
    /// What every operation must look like, whoever sends it: only fields its kind has, at most
    /// `SYNC_FIELDS_PER_OP` of them, each value within `SYNC_VALUE_BYTES`, a base only for the
    /// fields it sets. The server refuses anything else; a phone keeps such an edit back (`batch`).
    /// `has_field` is the offline copy's list of each kind's fields, which the protocol does not know.
    pub fn check_shape(&self, has_field: HasField) -> Result<(), String> {
        let kind = self.record.kind;
        if self.set.len() > SYNC_FIELDS_PER_OP {
            return Err(format!("This change sets {} fields; at most {SYNC_FIELDS_PER_OP} are sent at once.", self.set.len()));
        }
        for (name, value) in &self.set {
            if name.len() > SYNC_FIELD_NAME_BYTES || !has_field(kind, name) {
                return Err(format!("{} has no field '{}'.", kind.noun(), shortened(name)));
            }
            let size = json_len(value);
            if size > SYNC_VALUE_BYTES {
                return Err(format!("'{name}' is too large to send ({}); the limit is {}.", bytes_in_words(size), bytes_in_words(SYNC_VALUE_BYTES)));
            }
        }
        if let Some(name) = self.base.keys().find(|name| !self.set.contains_key(*name)) {
            return Err(format!("This change gives a revision for '{}', a field it does not set.", shortened(name)));
        }
        Ok(())
    }
}

/// A name from a device as a message quotes it: never more than 40 characters.
fn shortened(name: &str) -> String {
    match name.char_indices().nth(40) {
        Some((end, _)) => format!("{}…", &name[..end]),
        None => name.to_owned(),
    }
}

/// The length of a value's JSON, without building it.
fn json_len(value: &impl Serialize) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    // Writing to a counter fails only for a value serde cannot write, which no deserialised value is.
    serde_json::to_writer(&mut count, value).map_or(usize::MAX, |()| count.0)
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldConflict {
    pub field: String,
    pub mine: Value,
    pub theirs: Value,
}

/// What the server did with an operation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Applied { rev: u64 },
    /// The fields listed were changed elsewhere since the device saw them and were left as they
    /// are; the operation's other fields were applied.
    Conflict { rev: u64, fields: Vec<FieldConflict> },
    /// Not applied at all, for the reason given (not allowed any more, or invalid).
    Rejected { reason: String },
}

/// Applies one operation to the server's copy of its record, stamping `rev` on what it writes.
/// Returns the record as it is afterwards. Authorization and validation are the caller's.
pub fn apply(doc: Option<&Doc>, op: &Op, rev: u64) -> (Doc, Outcome) {
    let mut next = doc.cloned().unwrap_or_else(|| Doc { record: op.record.clone(), fields: BTreeMap::new(), rev: 0, deleted: false });
    if next.deleted {
        return (next, Outcome::Rejected { reason: "It was deleted in the meantime.".into() });
    }
    if op.delete {
        next.fields.clear();
        next.deleted = true;
        next.rev = rev;
        return (next, Outcome::Applied { rev });
    }
    let mut conflicts = Vec::new();
    let mut changed = false;
    for (name, value) in &op.set {
        match next.fields.get(name) {
            Some(current) if current.value == *value => {}
            Some(current) if current.device != op.device && current.rev > op.base.get(name).copied().unwrap_or(0) => {
                conflicts.push(FieldConflict { field: name.clone(), mine: value.clone(), theirs: current.value.clone() });
            }
            _ => {
                next.fields.insert(name.clone(), Field { value: value.clone(), rev, device: op.device.clone() });
                changed = true;
            }
        }
    }
    if changed {
        next.rev = rev;
    }
    let outcome = if conflicts.is_empty() { Outcome::Applied { rev: next.rev } } else { Outcome::Conflict { rev: next.rev, fields: conflicts } };
    (next, outcome)
}

/// What a push returns: each operation's outcome and the records it touched as they now are.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PushReply {
    pub outcomes: Vec<(String, Outcome)>,
    pub docs: Vec<Doc>,
}

/// What a pull returns: every record visible to the person changed after the cursor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PullReply {
    pub docs: Vec<Doc>,
    pub cursor: u64,
}

/// Something the person has to see: an edit that met another device's, or one the server refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub op: Op,
    pub kind: ProblemKind,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum ProblemKind {
    Conflict { fields: Vec<FieldConflict> },
    Rejected { reason: String },
}

/// How the person settles a problem.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Resolution {
    KeepMine,
    TakeTheirs,
    /// New values for the conflicting fields.
    Edit(Values),
}

/// A device's copy: what it last heard from the server, its queued edits and its problems. The
/// browser keeps it in local storage; the view it shows is `docs` with the outbox laid on top.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Replica {
    pub device: String,
    pub cursor: u64,
    pub docs: BTreeMap<String, Doc>,
    pub outbox: Vec<Op>,
    /// Queued operations sent at least once: the server may have applied them, so they are never
    /// amended, only answered.
    #[serde(default)]
    pub sent: BTreeSet<String>,
    pub problems: Vec<Problem>,
}

impl Replica {
    pub fn new(device: impl Into<String>) -> Self {
        Self { device: device.into(), ..Self::default() }
    }

    /// Queues an edit of some fields of a record; `id` must be new (a UUID).
    pub fn edit(&mut self, record: RecordRef, set: Values, id: String) -> &Op {
        let doc = self.docs.get(&record.key());
        let base = set.keys().filter_map(|name| Some((name.clone(), doc?.fields.get(name)?.rev))).collect();
        self.outbox.push(Op { id, device: self.device.clone(), record, base, set, delete: false });
        self.outbox.last().expect("just pushed")
    }

    /// Like `edit`, but while someone is still typing: the last queued operation, if it changes
    /// the same fields of the same record and was never sent, takes the new values instead.
    pub fn edit_or_amend(&mut self, record: RecordRef, set: Values, id: String) {
        match self.outbox.last_mut() {
            Some(last) if last.record == record && !last.delete && !self.sent.contains(&last.id) && last.set.keys().eq(set.keys()) => last.set = set,
            _ => {
                self.edit(record, set, id);
            }
        }
    }

    /// The next operations to push, marked as sent: at most `max_ops`, and no more than
    /// `max_bytes` of JSON unless one alone is larger. An edit the server would refuse for its
    /// shape (`Op::check_shape`) is not sent: it becomes a problem at once, with the same reason.
    pub fn batch(&mut self, max_ops: usize, max_bytes: usize, has_field: HasField) -> Vec<Op> {
        for op in std::mem::take(&mut self.outbox) {
            match op.check_shape(has_field) {
                // One sent already may have been applied: the server answers it from its log.
                Err(reason) if !self.sent.contains(&op.id) => self.problems.push(Problem { op, kind: ProblemKind::Rejected { reason } }),
                _ => self.outbox.push(op),
            }
        }
        let mut bytes = 0;
        let mut batch = Vec::new();
        for op in self.outbox.iter().take(max_ops) {
            bytes += json_len(op) + 1;
            if !batch.is_empty() && bytes > max_bytes {
                break;
            }
            batch.push(op.clone());
        }
        self.sent.extend(batch.iter().map(|op| op.id.clone()));
        batch
    }

    pub fn pending(&self) -> usize {
        self.outbox.len()
    }

    pub fn delete(&mut self, record: RecordRef, id: String) {
        self.outbox.push(Op { id, device: self.device.clone(), record, base: BTreeMap::new(), set: Values::new(), delete: true });
    }

    /// The record as the person should see it: the server's copy with the queued edits applied.
    pub fn view(&self, record: &RecordRef) -> Option<Values> {
        let mut values = self.docs.get(&record.key()).filter(|d| !d.deleted).map(Doc::values);
        for op in self.outbox.iter().filter(|op| op.record == *record) {
            if op.delete {
                values = None;
            } else {
                values.get_or_insert_with(Values::new).extend(op.set.clone());
            }
        }
        values
    }

    /// Every record of a kind as the person should see it, by id.
    pub fn view_all(&self, kind: Kind) -> BTreeMap<String, Values> {
        let mut ids: Vec<&RecordRef> = self.docs.values().map(|d| &d.record).chain(self.outbox.iter().map(|op| &op.record)).collect();
        ids.retain(|r| r.kind == kind);
        ids.into_iter().filter_map(|r| Some((r.id.clone(), self.view(r)?))).collect()
    }

    /// Takes in the server's answer to a push of (part of) the outbox.
    pub fn pushed(&mut self, reply: PushReply) {
        for (id, outcome) in reply.outcomes {
            let Some(at) = self.outbox.iter().position(|op| op.id == id) else { continue };
            let op = self.outbox.remove(at);
            self.sent.remove(&id);
            match outcome {
                Outcome::Applied { .. } => {}
                Outcome::Conflict { fields, .. } => self.problems.push(Problem { op, kind: ProblemKind::Conflict { fields } }),
                Outcome::Rejected { reason } => self.problems.push(Problem { op, kind: ProblemKind::Rejected { reason } }),
            }
        }
        self.take_docs(reply.docs);
    }

    /// Takes in a pull.
    pub fn pulled(&mut self, reply: PullReply) {
        self.take_docs(reply.docs);
        self.cursor = self.cursor.max(reply.cursor);
    }

    fn take_docs(&mut self, docs: Vec<Doc>) {
        for doc in docs {
            let key = doc.record.key();
            if self.docs.get(&key).is_none_or(|mine| mine.rev <= doc.rev) {
                self.docs.insert(key, doc);
            }
        }
    }

    /// Settles problem `index`; keeping or editing one's own values queues them again, now based
    /// on the other device's revision, so they apply.
    pub fn resolve(&mut self, index: usize, resolution: Resolution, id: String) {
        if index >= self.problems.len() {
            return;
        }
        let problem = self.problems.remove(index);
        let ProblemKind::Conflict { fields } = problem.kind else { return };
        let set: Values = match resolution {
            Resolution::TakeTheirs => return,
            Resolution::KeepMine => fields.into_iter().map(|f| (f.field, f.mine)).collect(),
            Resolution::Edit(values) => values,
        };
        self.edit(problem.op.record, set, id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn values(pairs: &[(&str, Value)]) -> Values {
        pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
    }

    /// The fields these tests' records have (the offline copy keeps the real lists).
    fn fields(kind: Kind, name: &str) -> bool {
        match kind {
            Kind::Feedback => ["situation", "behaviour", "impact"].contains(&name),
            Kind::SelfAssessment => ["strengths", "development"].contains(&name),
            _ => false,
        }
    }

    fn record() -> RecordRef {
        RecordRef::new(Kind::SelfAssessment, "sam_fy")
    }

    /// Pushes a device's whole outbox to a server copy, as the real server does op by op.
    fn push(server: &mut Option<Doc>, rev: &mut u64, device: &mut Replica) {
        let mut outcomes = Vec::new();
        for op in device.outbox.clone() {
            *rev += 1;
            let (doc, outcome) = apply(server.as_ref(), &op, *rev);
            *server = Some(doc);
            outcomes.push((op.id.clone(), outcome));
        }
        device.pushed(PushReply { outcomes, docs: server.iter().cloned().collect() });
    }

    #[test]
    fn edits_of_different_fields_merge() {
        let (mut server, mut rev) = (None, 0);
        let mut phone = Replica::new("phone");
        let mut laptop = Replica::new("laptop");
        phone.edit(record(), values(&[("strengths", json!("Closing deals"))]), "1".into());
        laptop.edit(record(), values(&[("development", json!("Negotiation course"))]), "2".into());
        push(&mut server, &mut rev, &mut phone);
        push(&mut server, &mut rev, &mut laptop);
        assert!(laptop.problems.is_empty());
        let merged = server.unwrap().values();
        assert_eq!(merged, values(&[("strengths", json!("Closing deals")), ("development", json!("Negotiation course"))]));
    }

    #[test]
    fn the_same_field_edited_on_two_devices_is_a_conflict_with_both_values() {
        let (mut server, mut rev) = (None, 0);
        let mut phone = Replica::new("phone");
        let mut laptop = Replica::new("laptop");
        phone.edit(record(), values(&[("strengths", json!("A")), ("development", json!("D"))]), "1".into());
        laptop.edit(record(), values(&[("strengths", json!("B"))]), "2".into());
        push(&mut server, &mut rev, &mut phone);
        push(&mut server, &mut rev, &mut laptop);
        let conflict = FieldConflict { field: "strengths".into(), mine: json!("B"), theirs: json!("A") };
        assert_eq!(laptop.problems[0].kind, ProblemKind::Conflict { fields: vec![conflict] });
        // The laptop now shows the server's value; keeping its own re-queues it on top.
        assert_eq!(laptop.view(&record()).unwrap()["strengths"], json!("A"));
        laptop.resolve(0, Resolution::KeepMine, "3".into());
        push(&mut server, &mut rev, &mut laptop);
        assert!(laptop.problems.is_empty());
        assert_eq!(server.unwrap().values()["strengths"], json!("B"));
    }

    #[test]
    fn a_device_may_overwrite_its_own_unseen_value() {
        // The phone's first push lands but its reply is lost; its next edit builds on it.
        let mut rev = 1;
        let mut phone = Replica::new("phone");
        let first = phone.edit(record(), values(&[("strengths", json!("A"))]), "1".into()).clone();
        let (doc, _) = apply(None, &first, rev);
        let second = phone.edit(record(), values(&[("strengths", json!("AB"))]), "2".into()).clone();
        rev += 1;
        let (doc, outcome) = apply(Some(&doc), &second, rev);
        assert_eq!(outcome, Outcome::Applied { rev: 2 });
        assert_eq!(doc.values()["strengths"], json!("AB"));
    }

    #[test]
    fn equal_values_are_no_conflict_and_no_new_revision() {
        let op = |device: &str, id: &str| Op { id: id.into(), device: device.into(), record: record(), base: BTreeMap::new(), set: values(&[("strengths", json!("A"))]), delete: false };
        let (doc, _) = apply(None, &op("phone", "1"), 1);
        let (doc, outcome) = apply(Some(&doc), &op("laptop", "2"), 2);
        assert_eq!(outcome, Outcome::Applied { rev: 1 });
        assert_eq!(doc.rev, 1);
    }

    #[test]
    fn deletions_leave_a_tombstone_and_later_edits_are_refused() {
        let record = RecordRef::new(Kind::FeedbackRequest, "r1");
        let mut phone = Replica::new("phone");
        phone.edit(record.clone(), values(&[("message", json!("How did the demo go?"))]), "1".into());
        let (doc, _) = apply(None, &phone.outbox[0], 1);
        phone.delete(record.clone(), "2".into());
        assert_eq!(phone.view(&record), None, "the deletion shows at once");
        let (doc, _) = apply(Some(&doc), &phone.outbox[1], 2);
        assert!(doc.deleted && doc.fields.is_empty());
        let late = Op { id: "3".into(), device: "laptop".into(), record, base: BTreeMap::new(), set: values(&[("message", json!("x"))]), delete: false };
        assert!(matches!(apply(Some(&doc), &late, 3).1, Outcome::Rejected { .. }));
    }

    #[test]
    fn typing_amends_the_unsent_edit_but_never_a_sent_one() {
        let mut phone = Replica::new("phone");
        phone.edit_or_amend(record(), values(&[("strengths", json!("C"))]), "1".into());
        phone.edit_or_amend(record(), values(&[("strengths", json!("Cl"))]), "2".into());
        assert_eq!(phone.outbox.len(), 1);
        assert_eq!(phone.outbox[0].set["strengths"], json!("Cl"));
        let batch = phone.batch(10, 1 << 20, fields);
        assert_eq!(batch.len(), 1);
        // The reply is lost: the server may hold "Cl" under id 1, so more typing is a new edit.
        phone.edit_or_amend(record(), values(&[("strengths", json!("Clo"))]), "3".into());
        assert_eq!(phone.outbox.len(), 2);
        // Another field is another edit.
        phone.edit_or_amend(record(), values(&[("development", json!("D"))]), "4".into());
        assert_eq!(phone.pending(), 3);
        phone.pushed(PushReply { outcomes: vec![("1".into(), Outcome::Applied { rev: 1 })], docs: vec![] });
        assert!(phone.sent.is_empty());
    }

    #[test]
    fn an_operation_has_only_its_kinds_fields_within_the_limits() {
        let feedback = |set: Values| Op { id: "1".into(), device: "phone".into(), record: RecordRef::new(Kind::Feedback, "f"), base: BTreeMap::new(), set, delete: false };
        assert_eq!(feedback(values(&[("situation", json!("Demo"))])).check_shape(fields), Ok(()));
        assert_eq!(feedback(values(&[("x1", json!(1))])).check_shape(fields).unwrap_err(), "Feedback has no field 'x1'.");
        let long = "y".repeat(200);
        assert_eq!(feedback(values(&[(long.as_str(), json!(1))])).check_shape(fields).unwrap_err(), format!("Feedback has no field '{}…'.", "y".repeat(40)));
        let many: Values = (0..=SYNC_FIELDS_PER_OP).map(|i| (format!("note:{i}"), json!(""))).collect();
        assert_eq!(feedback(many).check_shape(fields).unwrap_err(), "This change sets 101 fields; at most 100 are sent at once.");
        let big = feedback(values(&[("situation", json!("z".repeat(SYNC_VALUE_BYTES)))]));
        assert_eq!(big.check_shape(fields).unwrap_err(), "'situation' is too large to send (65 KB); the limit is 64 KB.");
        let mut unset_base = feedback(values(&[("impact", json!("Won"))]));
        unset_base.base.insert("behaviour".into(), 3);
        assert!(unset_base.check_shape(fields).unwrap_err().contains("'behaviour', a field it does not set"));
    }

    #[test]
    fn a_batch_keeps_within_its_size_and_keeps_back_what_would_be_refused() {
        let mut phone = Replica::new("phone");
        let text = "t".repeat(1000);
        for i in 0..5 {
            phone.edit(record(), values(&[("strengths", json!(text))]), format!("op-{i}"));
        }
        phone.edit(record(), values(&[("salary", json!(1))]), "op-bad".into());
        // Each edit is a little over 1 KB: two fit in 2.5 KB.
        let first = phone.batch(10, 2500, fields);
        assert_eq!(first.iter().map(|op| op.id.as_str()).collect::<Vec<_>>(), ["op-0", "op-1"]);
        assert_eq!(phone.problems.len(), 1, "the edit with an unknown field is never sent");
        assert_eq!(phone.problems[0].kind, ProblemKind::Rejected { reason: "A self-assessment has no field 'salary'.".into() });
        assert_eq!(phone.pending(), 5);
        // One larger than the budget goes alone; the count limit holds too.
        assert_eq!(phone.batch(10, 10, fields).len(), 1);
        assert_eq!(phone.batch(3, 1 << 20, fields).len(), 3);
    }

    #[test]
    fn the_view_lays_queued_edits_over_the_server_copy_and_survives_a_reload() {
        let mut phone = Replica::new("phone");
        phone.pulled(PullReply {
            docs: vec![Doc { record: record(), fields: BTreeMap::from([("strengths".into(), Field { value: json!("A"), rev: 4, device: "laptop".into() })]), rev: 4, deleted: false }],
            cursor: 4,
        });
        let op = phone.edit(record(), values(&[("development", json!("D"))]), "1".into());
        assert_eq!(op.base, BTreeMap::new(), "a field never seen has no base");
        phone.edit(record(), values(&[("strengths", json!("A2"))]), "2".into());
        assert_eq!(phone.outbox[1].base, BTreeMap::from([("strengths".to_string(), 4)]));
        let reloaded: Replica = serde_json::from_str(&serde_json::to_string(&phone).unwrap()).unwrap();
        assert_eq!(reloaded.view(&record()), Some(values(&[("strengths", json!("A2")), ("development", json!("D"))])));
        assert_eq!(reloaded.view_all(Kind::SelfAssessment).len(), 1);
    }
}
