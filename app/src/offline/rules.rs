//! Who may make each offline operation, and what a record must look like after it. Pure: the
//! server gathers the facts, asks here for every queued operation of every push (a person's
//! rights may have changed while the phone was offline), and rejects with the reason given.

use std::collections::{HashMap, HashSet};

use crate::offline::types::{
    ACTUAL_ENTRY_FIELDS, ActualEntry, Event, FEEDBACK_FIELDS, FEEDBACK_REQUEST_FIELDS, Feedback, FeedbackRequest, NOTIFICATION_FIELDS, Notification, RequestState, SelfAssessment,
    self_assessment_id,
};
use crate::planning::types::{ActualRow, Competency, Cycle, CycleState, Plan};
use crate::appraisal::types::{ACTION_KINDS, AgreedAction, AppraisalState, Discussion};
use crate::development::types::{CHECK_IN_FIELDS, CheckIn};
use crate::error::AppError;
use crate::limits::SYNC_OPS_PER_PUSH;
use crate::planning::rules::{ActualsContext, ResolvedActual, parse_date, periods, resolve_actuals};
use crate::sync::protocol::{Doc, Kind, Op, RecordRef, Values};

/// Whether a record of this kind has a field so named: each kind declares its fields once,
/// beside its typed reading; the protocol checks every operation against this list.
pub fn has_field(kind: Kind, name: &str) -> bool {
match kind {
        Kind::SelfAssessment => SelfAssessment::has_field(name),
        Kind::Feedback => FEEDBACK_FIELDS.contains(&name),
        Kind::FeedbackRequest => FEEDBACK_REQUEST_FIELDS.contains(&name),
        Kind::ActualEntry => ACTUAL_ENTRY_FIELDS.contains(&name),
        Kind::Discussion => Discussion::has_field(name),
        Kind::CheckIn => CHECK_IN_FIELDS.contains(&name),
        Kind::Notification => NOTIFICATION_FIELDS.contains(&name),
    }
}


/// What the server knows when it checks a push.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub actor: String,
    /// The actor's email, lower case (how actuals are matched to their plan).
    pub actor_email: String,
    /// `YYYY-MM-DD` on the server.
    pub today: String,
    pub cycles: Vec<Cycle>,
    pub competencies: Vec<Competency>,
    /// The actor's plans, per cycle id.
    pub plans: HashMap<String, Plan>,
    /// The actuals now stored on the actor's plans: (plan id, KPI id, period key) → value.
    pub actuals: HashMap<(String, String, String), f64>,
    pub active_people: HashSet<String>,
    /// Feedback requests the batch refers to, by id.
    pub requests: HashMap<String, FeedbackRequest>,
    /// The appraisals whose discussion records the batch writes, by id.
    pub appraisals: HashMap<String, AppraisalFacts>,
    /// The manager now of each person a check-in of the batch names.
    pub managers: HashMap<String, Option<String>>,
}

/// What a discussion record's checks need of its appraisal.
#[derive(Clone, Debug)]
pub struct AppraisalFacts {
    pub person_id: String,
    pub cycle_id: String,
    /// The person's manager now.
    pub manager_id: Option<String>,
    pub state: AppraisalState,
    /// The cycle is still in appraisal.
    pub open: bool,
}

const LONG_TEXT: usize = 4000;

/// What a whole push must be, before any of it is looked at: at most `SYNC_OPS_PER_PUSH`
/// operations, with ids a device makes (UUIDs: letters, digits and dashes).
pub fn check_push(ops: &[Op]) -> Result<(), AppError> {
    if ops.len() > SYNC_OPS_PER_PUSH {
        return Err(AppError::invalid("ops", format!("Send at most {SYNC_OPS_PER_PUSH} changes at a time; this push has {}.", ops.len())));
    }
    let well_formed = |id: &str| (8..=64).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    match ops.iter().position(|op| !well_formed(&op.id) || !well_formed(&op.record.id) || !well_formed(&op.device)) {
        Some(at) => Err(AppError::invalid("ops", format!("Change {} of this push has a malformed id.", at + 1))),
        None => Ok(()),
    }
}

/// Checks an operation against the record before it and as it would be after it.
pub fn check(facts: &Facts, op: &Op, before: Option<&Doc>, after: &Doc) -> Result<(), String> {
    op.check_shape(has_field)?;
    let before = before.filter(|d| !d.deleted).map(Doc::values);
    match op.record.kind {
        Kind::SelfAssessment => check_self_assessment(facts, op, before.as_ref(), &after.values()),
        Kind::Feedback => check_feedback(facts, op, before.as_ref(), &after.values()),
        Kind::FeedbackRequest => check_request(facts, op, before.as_ref(), &after.values()),
        Kind::ActualEntry => check_actual(facts, op, before.as_ref(), &after.values()),
        Kind::Discussion => check_discussion(facts, op, before.as_ref(), &after.values()),
        Kind::CheckIn => check_check_in(facts, op, before.as_ref(), &after.values()),
        Kind::Notification => check_notification(facts, op, before.as_ref()),
    }
}

/// A device only marks its person's notifications read or unread: the server makes them.
fn check_notification(facts: &Facts, op: &Op, before: Option<&Values>) -> Result<(), String> {
    let before = before.ok_or("Notifications are made by the server; a device cannot create one.")?;
    if op.delete {
        return Err("A notification cannot be deleted; mark it read instead.".into());
    }
    if Notification::from_values(&op.record.id, before).person_id != facts.actor {
        return Err("That notification is someone else's.".into());
    }
    if op.set.keys().any(|name| name != "read") || !op.set.get("read").is_some_and(serde_json::Value::is_boolean) {
        return Err("Only whether a notification is read can change.".into());
    }
    Ok(())
}

/// A quotation in a notification: the first 80 characters of what someone wrote.
fn quoted(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(80) {
        Some((at, _)) => format!("“{}…”", text[..at].trim_end()),
        None => format!("“{text}”"),
    }
}

/// The notifications a change a device made tells the other people in it (never the actor, who
/// knows): feedback received, feedback asked of them, a check-in completed, an appraisal
/// conversation to sign or signed. `before`/`after`: the record's values around the change (a
/// deletion tells nobody). Ids are left to the store: one per event, record and person.
pub fn notices_of(actor: (&str, &str), record: &RecordRef, before: Option<&Values>, after: &Values, created_at: &str) -> Vec<Notification> {
    let (me, name) = actor;
    let notice = |person: &str, event: Event, text: String, link: String| Notification::new(person, event, text, link, created_at);
    let mut out = Vec::new();
    match record.kind {
        Kind::Feedback if before.is_none() => {
            let f = Feedback::from_values(&record.id, after);
            if !f.private && f.receiver_id != me {
                let text = match f.request_id {
                    Some(_) => format!("{name} answered your request for feedback."),
                    None => format!("{name} gave you feedback."),
                };
                out.push(notice(&f.receiver_id, Event::FeedbackReceived, text, "/feedback".into()));
            }
        }
        Kind::FeedbackRequest if before.is_none() => {
            let r = FeedbackRequest::from_values(&record.id, after);
            if r.asked_id != me {
                out.push(notice(&r.asked_id, Event::FeedbackAsked, format!("{name} asked you for feedback: {}", quoted(&r.message)), "/feedback".into()));
            }
        }
        Kind::CheckIn => {
            let (was, now) = (CheckIn::from_values(&before.cloned().unwrap_or_default()), CheckIn::from_values(after));
            if was.completed_on.is_empty() && !now.completed_on.is_empty() {
                let other = if me == now.manager_id { &now.person_id } else { &now.manager_id };
                let actions = match now.actions.len() {
                    0 => String::new(),
                    1 => "; its agreed action is in the development plan".into(),
                    n => format!("; its {n} agreed actions are in the development plan"),
                };
                let text = format!("{name} completed the check-in of {}{actions}.", now.held_on);
                out.push(notice(other, Event::CheckInCompleted, text, "/check-ins".into()));
            }
        }
        Kind::Discussion => {
            let (was, now) = (Discussion::from_values(&before.cloned().unwrap_or_default()), Discussion::from_values(after));
            if was.manager_signed_on.is_empty() && !now.manager_signed_on.is_empty() && now.employee_signed_on.is_empty() && me == now.manager_id {
                let text = format!("{name} signed the record of your appraisal conversation: read it, and sign it or say where you disagree.");
                out.push(notice(&now.person_id, Event::AppraisalToSign, text, "/appraisals/me/conversation".into()));
            }
            if was.employee_signed_on.is_empty() && !now.employee_signed_on.is_empty() && me == now.person_id {
                let text = match now.outcome != "disagreed" {
                    true => format!("{name} signed the record of their appraisal conversation."),
                    false => format!("{name} signed the record of their appraisal conversation and noted a disagreement."),
                };
                out.push(notice(&now.manager_id, Event::AppraisalSigned, text, format!("/appraisals/{}/conversation", now.person_id)));
            }
        }
        _ => {}
    }
    out.retain(|n| !n.person_id.is_empty() && n.person_id != me);
    out
}

fn too_long(what: &str, text: &str) -> Result<(), String> {
    if text.chars().count() > LONG_TEXT {
        return Err(format!("{what} is too long: keep it under {LONG_TEXT} characters."));
    }
    Ok(())
}

fn check_self_assessment(facts: &Facts, op: &Op, before: Option<&Values>, after: &Values) -> Result<(), String> {
    if before.is_some_and(|b| SelfAssessment::from_values(b).submitted) {
        return Err("This self-assessment was submitted; it can no longer change.".into());
    }
    if op.delete {
        return Err("A self-assessment cannot be deleted; change it, or leave it as a draft.".into());
    }
    let sa = SelfAssessment::from_values(after);
    if sa.person_id != facts.actor || op.record.id != self_assessment_id(&facts.actor, &sa.cycle_id) {
        return Err("Only the person themselves writes their self-assessment.".into());
    }
    let cycle = facts.cycles.iter().find(|c| c.id == sa.cycle_id).ok_or("That cycle does not exist any more.")?;
    if !matches!(cycle.state, CycleState::Active | CycleState::Appraisal) {
        return Err(format!("{} is in {}: its self-assessment cannot change now.", cycle.name, cycle.state.label().to_lowercase()));
    }
    for answer in &sa.competencies {
        let competency = facts.competencies.iter().find(|c| c.id == answer.competency_id).ok_or("A competency you rated is no longer in the framework.")?;
        let top = competency.levels.iter().map(|l| l.level).max().unwrap_or(0);
        // Level 0: evidence written before a level is picked (a draft may hold it).
        if answer.level > top {
            return Err(format!("Pick a level from 1 to {top} for {}.", competency.name));
        }
        too_long(&format!("The evidence for {}", competency.name), &answer.evidence)?;
    }
    let plan = facts.plans.get(&sa.cycle_id);
    for comment in &sa.kpi_comments {
        if !plan.is_some_and(|p| p.kras.iter().flat_map(|k| &k.kpis).any(|k| k.id == comment.kpi_id)) {
            return Err("A KPI you commented on is no longer in your plan.".into());
        }
        too_long("A KPI comment", &comment.comment)?;
    }
    too_long("Strengths", &sa.strengths)?;
    too_long("Development wishes", &sa.development)?;
    if sa.submitted {
        ready_to_submit(&facts.competencies, &sa)?;
    }
    Ok(())
}

/// A self-assessment is submitted with a level and evidence for every competency (the form
/// asks the same before it queues the submission).
pub fn ready_to_submit(competencies: &[Competency], sa: &SelfAssessment) -> Result<(), String> {
    let missing: Vec<&str> = competencies
        .iter()
        .filter(|c| sa.answer(&c.id).is_none_or(|a| a.level == 0 || a.evidence.trim().is_empty()))
        .map(|c| c.name.as_str())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("Before you submit, pick a level and give evidence for: {}.", missing.join(", ")))
    }
}

fn check_feedback(facts: &Facts, op: &Op, before: Option<&Values>, after: &Values) -> Result<(), String> {
    if before.is_some() || op.delete {
        return Err("Feedback once given cannot be changed or withdrawn.".into());
    }
    let feedback = Feedback::from_values(&op.record.id, after);
    if feedback.giver_id != facts.actor {
        return Err("Feedback is given in your own name only.".into());
    }
    if feedback.receiver_id == facts.actor {
        return Err("Feedback goes to someone else; for notes on yourself use the self-assessment.".into());
    }
    if !facts.active_people.contains(&feedback.receiver_id) {
        return Err("The person this feedback is for no longer works here.".into());
    }
    for (part, text) in [("situation", &feedback.situation), ("behaviour", &feedback.behaviour), ("impact", &feedback.impact)] {
        if text.trim().is_empty() {
            return Err(format!("Describe the {part}: feedback needs situation, behaviour and impact."));
        }
        too_long(&format!("The {part}"), text)?;
    }
    if let Some(request_id) = &feedback.request_id {
        let request = facts.requests.get(request_id).ok_or("The request this answers was withdrawn.")?;
        if request.asked_id != facts.actor || request.asker_id != feedback.receiver_id {
            return Err("That request was not addressed to you.".into());
        }
        if feedback.private {
            return Err("An answer to a request is shared with the person who asked; it cannot be private.".into());
        }
    }
    Ok(())
}

fn check_request(facts: &Facts, op: &Op, before: Option<&Values>, after: &Values) -> Result<(), String> {
    let Some(before) = before else {
        if op.delete {
            return Ok(()); // withdrawn before it ever reached the server
        }
        let request = FeedbackRequest::from_values(&op.record.id, after);
        if request.asker_id != facts.actor {
            return Err("You can only ask for feedback on yourself.".into());
        }
        if request.asked_id == facts.actor || !facts.active_people.contains(&request.asked_id) {
            return Err("Ask a colleague or your manager who works here.".into());
        }
        if request.message.trim().is_empty() {
            return Err("Say what you would like feedback on.".into());
        }
        if request.state != RequestState::Open {
            return Err("A new request is open.".into());
        }
        return too_long("The request", &request.message);
    };
    let was = FeedbackRequest::from_values(&op.record.id, before);
    if op.delete {
        return if was.asker_id == facts.actor { Ok(()) } else { Err("Only the person who asked can withdraw a request.".into()) };
    }
    let now = FeedbackRequest::from_values(&op.record.id, after);
    let only_state = now.asker_id == was.asker_id && now.asked_id == was.asked_id && now.message == was.message;
    if was.asked_id == facts.actor && only_state && was.state == RequestState::Open && now.state == RequestState::Declined {
        return Ok(());
    }
    Err("A request can only be declined by the person asked, or withdrawn by the person who asked.".into())
}

fn check_actual(facts: &Facts, op: &Op, before: Option<&Values>, after: &Values) -> Result<(), String> {
    if before.is_some() || op.delete {
        return Err("An actual once sent stays as entered; to correct it, enter the right value for the period again.".into());
    }
    let entry = ActualEntry::from_values(&op.record.id, after).ok_or("The actual must be a number.")?;
    resolve_entry(facts, &entry).map(|_| ())
}

fn check_discussion(facts: &Facts, op: &Op, before: Option<&Values>, after: &Values) -> Result<(), String> {
    if op.delete {
        return Err("The record of an appraisal conversation is kept; it cannot be deleted.".into());
    }
    let appraisal = facts.appraisals.get(&op.record.id).ok_or("There is no open appraisal for this conversation.")?;
    let now = Discussion::from_values(after);
    let was = before.map(Discussion::from_values).unwrap_or_default();
    if now.person_id != appraisal.person_id || now.cycle_id != appraisal.cycle_id || Some(&now.manager_id) != appraisal.manager_id.as_ref() {
        return Err("This record names another appraisal, or a manager who is no longer the person's.".into());
    }
    let is_manager = appraisal.manager_id.as_deref() == Some(facts.actor.as_str());
    let is_employee = appraisal.person_id == facts.actor;
    if !is_manager && !is_employee {
        return Err("Only the person appraised and their manager write the record of their conversation.".into());
    }
    if !appraisal.open {
        return Err("The appraisal period of this cycle has ended: the record no longer changes.".into());
    }
    if appraisal.state == AppraisalState::Preparing {
        return Err("The conversation is held once the manager has submitted the ratings.".into());
    }
    // Missing fields read as empty, so a device that sends every field changes nothing it left blank.
    let content = |d: &Discussion| (d.step, d.notes.iter().filter(|(_, n)| !n.is_empty()).cloned().collect::<Vec<_>>(), d.actions.clone(), d.outcome.clone(), d.disagreement.clone());
    let content_changed = content(&was) != content(&now);
    let manager_signs = was.manager_signed_on != now.manager_signed_on;
    let employee_signs = was.employee_signed_on != now.employee_signed_on;
    let comments = was.employee_comment != now.employee_comment;
    if was.signed_by_both() {
        return match (content_changed || manager_signs || employee_signs, comments) {
            (false, true) if is_employee && was.employee_comment.is_empty() => too_long("The comment", &now.employee_comment),
            (false, true) if is_employee => Err("Your comment was added already; it stays as written.".into()),
            _ => Err("Both have signed: the record is read-only. The employee may add a comment.".into()),
        };
    }
    if comments {
        return Err("The employee's comment is added after both have signed.".into());
    }
    if content_changed && !was.manager_signed_on.is_empty() {
        return Err("The manager has signed: the record no longer changes. Sign it, or ask your manager to talk it through again before you do.".into());
    }
    if manager_signs {
        if !is_manager || !was.manager_signed_on.is_empty() || crate::planning::rules::parse_date(&now.manager_signed_on).is_none() {
            return Err("Only the manager signs as manager, once, with the day.".into());
        }
        match now.outcome.as_str() {
            "agreed" => {}
            "disagreed" if !now.disagreement.trim().is_empty() => {}
            "disagreed" => return Err("Record the employee's view of the rating before signing.".into()),
            _ => return Err("Record whether the rating is agreed before signing.".into()),
        }
    }
    if employee_signs {
        if !is_employee || !was.employee_signed_on.is_empty() || crate::planning::rules::parse_date(&now.employee_signed_on).is_none() {
            return Err("Only the employee signs as employee, once, with the day.".into());
        }
        if now.manager_signed_on.is_empty() {
            return Err("Your manager signs the record first; you then confirm it.".into());
        }
    }
    if !["", "agreed", "disagreed"].contains(&now.outcome.as_str()) {
        return Err("The outcome is agreed or disagreed.".into());
    }
    check_actions(&now.actions)?;
    for (_, note) in &now.notes {
        too_long("A note", note)?;
    }
    too_long("The disagreement", &now.disagreement)
}

fn check_actions(actions: &[AgreedAction]) -> Result<(), String> {
    if actions.len() > 20 {
        return Err("Agree at most 20 actions.".into());
    }
    for action in actions {
        if action.title.trim().is_empty() || !ACTION_KINDS.iter().any(|(k, _)| *k == action.kind) || !crate::planning::rules::is_iso_date(&action.due_on) {
            return Err("Each agreed action needs a title, a kind (training, stretch assignment, mentoring, reading) and a due date.".into());
        }
        // It becomes a development item, whose title is at most 200 characters.
        if action.title.chars().count() > 200 {
            return Err("Keep each action's title under 200 characters.".into());
        }
    }
    Ok(())
}

/// A check-in is written by a person and their manager now; the manager completes it (a goal
/// and what the person will do are needed), after which it is read-only.
fn check_check_in(facts: &Facts, op: &Op, before: Option<&Values>, after: &Values) -> Result<(), String> {
    let was = before.map(CheckIn::from_values);
    let now = if op.delete { was.clone().unwrap_or_default() } else { CheckIn::from_values(after) };
    if let Some(was) = &was {
        if (&was.person_id, &was.manager_id, &was.cycle_id) != (&now.person_id, &now.manager_id, &now.cycle_id) {
            return Err("A check-in stays between the two people and the cycle it was started for.".into());
        }
        if !was.completed_on.is_empty() {
            return Err("This check-in was completed: it is read-only.".into());
        }
    }
    let current_manager = facts.managers.get(&now.person_id).cloned().flatten();
    if current_manager.as_deref() != Some(now.manager_id.as_str()) || now.manager_id.is_empty() {
        return Err("A check-in is held by a person and their manager; this person reports to someone else now.".into());
    }
    let is_manager = facts.actor == now.manager_id;
    if !is_manager && facts.actor != now.person_id {
        return Err("Only the person and their manager write their check-ins.".into());
    }
    if op.delete {
        return if is_manager { Ok(()) } else { Err("Only the manager removes a check-in.".into()) };
    }
    if !facts.cycles.iter().any(|c| c.id == now.cycle_id) {
        return Err("That cycle does not exist any more.".into());
    }
    if !crate::planning::rules::is_iso_date(&now.held_on) {
        return Err("Give the day of the check-in.".into());
    }
    if !now.completed_on.is_empty() {
        if !is_manager || crate::planning::rules::parse_date(&now.completed_on).is_none() {
            return Err("The manager completes the check-in, with the day.".into());
        }
        if now.goal.trim().is_empty() || now.will.trim().is_empty() {
            return Err("Before completing, write at least the Goal and the Will: what is wanted and what will be done.".into());
        }
    }
    for (field, title, _) in crate::development::types::GROW {
        too_long(title, now.part(field))?;
    }
    check_actions(&now.actions)
}

/// An entered actual as it is stored on the plan, or why it cannot be: the same checks as a
/// form or an import (`planning::resolve_actuals`), on the person's own plan, and refused if the
/// value the device showed has been replaced since (nobody's number is overwritten unseen).
pub fn resolve_entry(facts: &Facts, entry: &ActualEntry) -> Result<ResolvedActual, String> {
    if entry.person_id != facts.actor {
        return Err("From your device you record actuals on your own plan only.".into());
    }
    let cycle = facts.cycles.iter().find(|c| c.id == entry.cycle_id).ok_or("That cycle does not exist any more.")?;
    if !cycle.state.actuals_open() {
        return Err(format!("{} is in {}: actuals are recorded while a cycle is active or in appraisal.", cycle.name, cycle.state.label().to_lowercase()));
    }
    let plan = facts.plans.get(&cycle.id).ok_or_else(|| format!("You have no plan in {} yet.", cycle.name))?;
    let kpi = plan.kras.iter().flat_map(|k| &k.kpis).find(|k| k.id == entry.kpi_id).ok_or("That KPI is no longer in your plan.")?;
    if entry.note.trim().is_empty() && entry.link.trim().is_empty() {
        return Err("Add the evidence: a note on where the number comes from, or a link.".into());
    }
    let periods = periods(&cycle.starts_on, &cycle.ends_on, cycle.period_kind).map_err(|e| e.message)?;
    let today = parse_date(&facts.today).ok_or("The server's date is unreadable.")?;
    let row = ActualRow {
        email: facts.actor_email.clone(),
        kpi: kpi.spec.name.clone(),
        period: entry.period_key.clone(),
        value: entry.value,
        note: entry.note.clone(),
        link: Some(entry.link.clone()).filter(|l| !l.trim().is_empty()),
    };
    let context = ActualsContext { people: HashMap::from([(facts.actor_email.clone(), Some(plan))]), periods: &periods, today };
    let resolved = resolve_actuals(&[(1, row)], &context)
        .map_err(|problems| problems.into_iter().map(|p| p.message).collect::<Vec<_>>().join(" "))?
        .remove(0);
    let now = facts.actuals.get(&(resolved.plan_id.clone(), resolved.kpi_id.clone(), resolved.period_key.clone())).copied();
    if now != entry.seen {
        let recorded = now.map_or_else(|| "removed".to_owned(), |v| format!("recorded as {v}"));
        return Err(format!(
            "Since your device last synced, {} for {} was {recorded}; your {} was not saved. Check which is right and enter it again if yours is.",
            kpi.spec.name, resolved.period_key, entry.value
        ));
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planning::types::{Frequency, Kpi, KpiSpec, Kra, PeriodKind, PlanState, ProficiencyLevel};
    use crate::planning::scoring::{Direction, Targets};
    use crate::sync::protocol::{RecordRef, apply};
    use serde_json::json;
    use std::collections::BTreeMap;

    #[test]
    fn each_kind_declares_its_fields_and_their_families() {
        let op = |kind: Kind, set: &[(&str, serde_json::Value)]| crate::sync::protocol::Op {
            id: "1".into(),
            device: "phone".into(),
            record: RecordRef::new(kind, "r"),
            base: BTreeMap::new(),
            set: set.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
            delete: false,
        };
        // A self-assessment's answers, a conversation's notes per step.
        let sa = op(Kind::SelfAssessment, &[("competency:teamwork", json!({})), ("kpi:k1", json!("")), ("strengths", json!(""))]);
        assert_eq!(sa.check_shape(has_field), Ok(()));
        assert_eq!(op(Kind::Discussion, &[("note:opening", json!(""))]).check_shape(has_field), Ok(()));
        assert!(op(Kind::Discussion, &[("note:lunch", json!(""))]).check_shape(has_field).is_err());
        assert_eq!(op(Kind::Feedback, &[("x1", json!(1))]).check_shape(has_field).unwrap_err(), "Feedback has no field 'x1'.");
        assert_eq!(op(Kind::SelfAssessment, &[("salary", json!(1))]).check_shape(has_field).unwrap_err(), "A self-assessment has no field 'salary'.");
    }

    fn facts(actor: &str) -> Facts {
        let levels = (1..=4).map(|level| ProficiencyLevel { level, name: format!("L{level}"), indicators: vec!["x".into()] }).collect();
        Facts {
            actor: actor.into(),
            cycles: vec![Cycle { id: "fy".into(), name: "FY2027".into(), starts_on: "2026-07-01".into(), ends_on: "2027-06-30".into(), period_kind: PeriodKind::Quarter, state: CycleState::Active, deadlines: Default::default() }],
            competencies: vec![Competency { id: "teamwork".into(), name: "Teamwork".into(), description: String::new(), levels }],
            plans: HashMap::from([("fy".to_string(), plan(actor))]),
            active_people: ["sam", "ana"].into_iter().map(String::from).collect(),
            actor_email: format!("{actor}@example.com"),
            today: "2026-11-24".into(),
            ..Facts::default()
        }
    }

    fn plan(person: &str) -> Plan {
        let targets = Targets { direction: Direction::HigherIsBetter, baseline: 0.0, threshold: 10.0, target: 20.0, stretch: 30.0, tolerance: 0.0 };
        let spec = KpiSpec { name: "Deals closed".into(), measure: "deals".into(), targets, frequency: Frequency::Quarterly, data_source: "CRM".into() };
        let kra = Kra { id: "r1".into(), title: "Grow sales".into(), weight: 100.0, goal_id: "g1".into(), kpis: vec![Kpi { id: "k1".into(), spec, weight: 100.0 }] };
        Plan { id: format!("plan-{person}"), person_id: person.into(), person_name: person.into(), cycle_id: "fy".into(), state: PlanState::Approved, kras: vec![kra], comment: None }
    }

    fn op(kind: Kind, id: &str, set: Values) -> Op {
        Op { id: "op".into(), device: "phone".into(), record: RecordRef::new(kind, id), base: BTreeMap::new(), set, delete: false }
    }

    fn run(facts: &Facts, before: Option<&Doc>, op: &Op) -> Result<Doc, String> {
        let (after, _) = apply(before, op, 9);
        check(facts, op, before, &after).map(|()| after)
    }

    fn sa(extra: &[(&str, serde_json::Value)]) -> Values {
        let mut v = Values::from([("person".into(), json!("sam")), ("cycle".into(), json!("fy"))]);
        v.extend(extra.iter().map(|(k, val)| (k.to_string(), val.clone())));
        v
    }

    #[test]
    fn a_self_assessment_is_the_persons_own_and_locks_on_submission() {
        let f = facts("sam");
        let id = self_assessment_id("sam", "fy");
        let draft = run(&f, None, &op(Kind::SelfAssessment, &id, sa(&[("competency:teamwork", json!({ "level": 3, "evidence": "" }))]))).unwrap();
        let early = run(&f, Some(&draft), &op(Kind::SelfAssessment, &id, sa(&[("submitted", json!(true))])));
        assert_eq!(early.unwrap_err(), "Before you submit, pick a level and give evidence for: Teamwork.");
        let too_high = run(&f, Some(&draft), &op(Kind::SelfAssessment, &id, sa(&[("competency:teamwork", json!({ "level": 5, "evidence": "e" }))])));
        assert_eq!(too_high.unwrap_err(), "Pick a level from 1 to 4 for Teamwork.");
        let done = op(Kind::SelfAssessment, &id, sa(&[("competency:teamwork", json!({ "level": 3, "evidence": "Led the handover" })), ("submitted", json!(true))]));
        let submitted = run(&f, Some(&draft), &done).unwrap();
        let late = run(&f, Some(&submitted), &op(Kind::SelfAssessment, &id, sa(&[("strengths", json!("more"))])));
        assert_eq!(late.unwrap_err(), "This self-assessment was submitted; it can no longer change.");
        // Someone else cannot write Sam's.
        assert!(run(&facts("ana"), None, &op(Kind::SelfAssessment, &id, sa(&[]))).is_err());
        // Nor a KPI outside the plan, nor an unknown field.
        assert!(run(&f, None, &op(Kind::SelfAssessment, &id, sa(&[("kpi:other", json!("c"))]))).is_err());
        assert!(run(&f, None, &op(Kind::SelfAssessment, &id, sa(&[("salary", json!(1))]))).is_err());
        let mut closed = f.clone();
        closed.cycles[0].state = CycleState::Closed;
        assert_eq!(run(&closed, None, &op(Kind::SelfAssessment, &id, sa(&[]))).unwrap_err(), "FY2027 is in closed: its self-assessment cannot change now.");
    }

    fn feedback(from: &str, to: &str, request: &str) -> Values {
        Feedback { id: "f".into(), giver_id: from.into(), receiver_id: to.into(), situation: "Demo".into(), behaviour: "Calm".into(), impact: "Won".into(), private: false, request_id: Some(request.into()).filter(|r: &String| !r.is_empty()), given_on: "2026-11-24".into() }.to_values()
    }

    #[test]
    fn feedback_is_given_once_in_ones_own_name_to_someone_else() {
        let f = facts("sam");
        let given = run(&f, None, &op(Kind::Feedback, "f", feedback("sam", "ana", ""))).unwrap();
        assert!(run(&f, Some(&given), &op(Kind::Feedback, "f", feedback("sam", "ana", ""))).is_err(), "immutable");
        assert!(run(&f, None, &op(Kind::Feedback, "g", feedback("ana", "sam", ""))).is_err(), "not in another's name");
        assert!(run(&f, None, &op(Kind::Feedback, "g", feedback("sam", "sam", ""))).is_err(), "not to oneself");
        assert!(run(&f, None, &op(Kind::Feedback, "g", feedback("sam", "gone", ""))).is_err(), "not to someone who left");
        let mut empty = feedback("sam", "ana", "");
        empty.insert("impact".into(), json!(" "));
        assert_eq!(run(&f, None, &op(Kind::Feedback, "g", empty)).unwrap_err(), "Describe the impact: feedback needs situation, behaviour and impact.");
    }

    #[test]
    fn made_up_fields_are_refused_for_every_kind() {
        let f = facts("sam");
        let with = |mut values: Values| {
            values.insert("x1".into(), json!(1));
            values
        };
        let request = FeedbackRequest { id: "r".into(), asker_id: "sam".into(), asked_id: "ana".into(), message: "My demo?".into(), state: RequestState::Open, asked_on: "2026-11-24".into() };
        let cases = [
            (Kind::Feedback, with(feedback("sam", "ana", "")), "Feedback has no field 'x1'."),
            (Kind::FeedbackRequest, with(request.to_values()), "A request for feedback has no field 'x1'."),
            (Kind::ActualEntry, with(entry("sam", "Q2", 14.0, None).to_values()), "An actual has no field 'x1'."),
            (Kind::SelfAssessment, with(sa(&[])), "A self-assessment has no field 'x1'."),
            (Kind::Discussion, with(talk(|_| {})), "The record of an appraisal conversation has no field 'x1'."),
            (Kind::CheckIn, with(check_in(|_| {})), "A check-in has no field 'x1'."),
        ];
        for (kind, values, reason) in cases {
            let mut without = values.clone();
            without.remove("x1");
            let id = if kind == Kind::SelfAssessment { self_assessment_id("sam", "fy") } else { "rec-1".into() };
            assert_eq!(run(&f, None, &op(kind, &id, values)).unwrap_err(), reason);
            if kind == Kind::Feedback || kind == Kind::ActualEntry {
                assert!(run(&f, None, &op(kind, &id, without)).is_ok(), "{kind:?} without it is fine");
            }
        }
    }

    #[test]
    fn a_push_has_a_bounded_number_of_well_made_changes() {
        let change = |n: usize| Op { device: "phone-0001".into(), ..op(Kind::Feedback, &format!("feedback-{n:04}"), Values::new()) };
        let ok: Vec<Op> = (0..SYNC_OPS_PER_PUSH).map(|n| Op { id: format!("op-{n:06}"), ..change(n) }).collect();
        assert_eq!(check_push(&ok), Ok(()));
        let mut over = ok.clone();
        over.push(Op { id: "op-extra-1".into(), ..change(0) });
        assert_eq!(check_push(&over).unwrap_err().field_message("ops").unwrap(), "Send at most 500 changes at a time; this push has 501.");
        let mut bad = ok[..3].to_vec();
        bad[2].record.id = "../x".into();
        assert_eq!(check_push(&bad).unwrap_err().field_message("ops").unwrap(), "Change 3 of this push has a malformed id.");
    }

    #[test]
    fn requests_are_asked_declined_by_the_asked_and_withdrawn_by_the_asker() {
        let request = FeedbackRequest { id: "r".into(), asker_id: "ana".into(), asked_id: "sam".into(), message: "My demo?".into(), state: RequestState::Open, asked_on: "2026-11-24".into() };
        let asked = run(&facts("ana"), None, &op(Kind::FeedbackRequest, "r", request.to_values())).unwrap();
        let mut decline = request.to_values();
        decline.insert("state".into(), json!("declined"));
        assert!(run(&facts("ana"), Some(&asked), &op(Kind::FeedbackRequest, "r", decline.clone())).is_err(), "the asker does not decline");
        assert!(run(&facts("sam"), Some(&asked), &op(Kind::FeedbackRequest, "r", decline)).is_ok());
        let withdraw = Op { delete: true, set: Values::new(), ..op(Kind::FeedbackRequest, "r", Values::new()) };
        assert!(run(&facts("sam"), Some(&asked), &withdraw).is_err());
        assert!(run(&facts("ana"), Some(&asked), &withdraw).is_ok());
        // Sam answers Ana's request; nobody else can, and not privately.
        let mut f = facts("sam");
        f.requests.insert("r".into(), request);
        assert!(run(&f, None, &op(Kind::Feedback, "g", feedback("sam", "ana", "r"))).is_ok());
        let mut private = feedback("sam", "ana", "r");
        private.insert("private".into(), json!(true));
        assert!(run(&f, None, &op(Kind::Feedback, "g", private)).is_err());
        let mut other = facts("ana");
        other.requests = f.requests.clone();
        assert!(run(&other, None, &op(Kind::Feedback, "g", feedback("ana", "sam", "r"))).is_err());
    }

    fn entry(person: &str, period: &str, value: f64, seen: Option<f64>) -> ActualEntry {
        ActualEntry { id: "e".into(), person_id: person.into(), cycle_id: "fy".into(), kpi_id: "k1".into(), period_key: period.into(), value, note: "CRM report".into(), link: String::new(), seen, entered_on: "2026-11-24".into() }
    }

    #[test]
    fn an_actual_is_entered_on_ones_own_plan_with_evidence_and_never_over_a_value_unseen() {
        let mut f = facts("sam");
        assert!(run(&f, None, &op(Kind::ActualEntry, "e", entry("sam", "Q2", 14.0, None).to_values())).is_ok());
        let resolved = resolve_entry(&f, &entry("sam", "Q2", 14.0, None)).unwrap();
        assert_eq!((resolved.plan_id.as_str(), resolved.kpi_id.as_str(), resolved.period_key.as_str(), resolved.value), ("plan-sam", "k1", "Q2", 14.0));
        // Ana's entry on Sam's plan, a period not started, a missing note.
        assert_eq!(resolve_entry(&facts("ana"), &entry("sam", "Q2", 1.0, None)).unwrap_err(), "From your device you record actuals on your own plan only.");
        assert!(resolve_entry(&f, &entry("sam", "Q3", 1.0, None)).unwrap_err().contains("Q3 starts on 2027-01-01"));
        let mut bare = entry("sam", "Q2", 1.0, None);
        bare.note = " ".into();
        assert_eq!(resolve_entry(&f, &bare).unwrap_err(), "Add the evidence: a note on where the number comes from, or a link.");
        // Someone recorded 12 while the phone still showed nothing: the entry is refused, with both numbers.
        f.actuals.insert(("plan-sam".into(), "k1".into(), "Q2".into()), 12.0);
        assert_eq!(
            resolve_entry(&f, &entry("sam", "Q2", 14.0, None)).unwrap_err(),
            "Since your device last synced, Deals closed for Q2 was recorded as 12; your 14 was not saved. Check which is right and enter it again if yours is."
        );
        assert!(resolve_entry(&f, &entry("sam", "Q2", 14.0, Some(12.0))).is_ok());
        // Once sent it stays as entered; not a number is refused.
        let sent = run(&f, None, &op(Kind::ActualEntry, "e", entry("sam", "Q2", 14.0, Some(12.0)).to_values())).unwrap();
        assert!(run(&f, Some(&sent), &op(Kind::ActualEntry, "e", entry("sam", "Q2", 15.0, Some(12.0)).to_values())).is_err());
        let mut text = entry("sam", "Q2", 1.0, None).to_values();
        text.insert("value".into(), json!("lots"));
        assert_eq!(run(&f, None, &op(Kind::ActualEntry, "e2", text)).unwrap_err(), "The actual must be a number.");
    }

    fn discussion_facts(actor: &str, state: AppraisalState) -> Facts {
        let mut f = facts(actor);
        f.appraisals.insert("fy-sam".into(), AppraisalFacts { person_id: "sam".into(), cycle_id: "fy".into(), manager_id: Some("james".into()), state, open: true });
        f
    }

    fn talk(change: impl Fn(&mut Discussion)) -> Values {
        let mut d = Discussion { person_id: "sam".into(), manager_id: "james".into(), cycle_id: "fy".into(), ..Discussion::default() };
        change(&mut d);
        d.to_values()
    }

    #[test]
    fn a_discussion_is_written_by_both_signed_manager_first_then_read_only_but_for_the_comment() {
        let manager = discussion_facts("james", AppraisalState::Rated);
        let employee = discussion_facts("sam", AppraisalState::Rated);
        let step = |n: u8| talk(move |d| d.step = n);
        assert_eq!(
            run(&discussion_facts("james", AppraisalState::Preparing), None, &op(Kind::Discussion, "fy-sam", step(1))).unwrap_err(),
            "The conversation is held once the manager has submitted the ratings."
        );
        assert!(run(&discussion_facts("ana", AppraisalState::Rated), None, &op(Kind::Discussion, "fy-sam", step(1))).is_err(), "a third person");
        let held = run(&manager, None, &op(Kind::Discussion, "fy-sam", talk(|d| { d.step = 8; d.notes = vec![("opening".into(), "Relaxed".into())]; }))).unwrap();
        // Signing needs the outcome; the employee does not sign first.
        let sign = talk(|d| { d.step = 8; d.notes = vec![("opening".into(), "Relaxed".into())]; d.manager_signed_on = "2026-11-24".into(); });
        assert_eq!(run(&manager, Some(&held), &op(Kind::Discussion, "fy-sam", sign)).unwrap_err(), "Record whether the rating is agreed before signing.");
        let early = talk(|d| { d.step = 8; d.employee_signed_on = "2026-11-24".into(); });
        assert_eq!(run(&employee, Some(&held), &op(Kind::Discussion, "fy-sam", early)).unwrap_err(), "Your manager signs the record first; you then confirm it.");
        let signed_by_manager = talk(|d| {
            d.step = 8;
            d.notes = vec![("opening".into(), "Relaxed".into())];
            d.outcome = "disagreed".into();
            d.disagreement = "I think the Q3 dip was the supplier's".into();
            d.manager_signed_on = "2026-11-24".into();
        });
        let signed = run(&manager, Some(&held), &op(Kind::Discussion, "fy-sam", signed_by_manager.clone())).unwrap();
        let mut edit = signed_by_manager.clone();
        edit.insert("disagreement".into(), json!("Changed my mind"));
        assert!(run(&employee, Some(&signed), &op(Kind::Discussion, "fy-sam", edit)).unwrap_err().starts_with("The manager has signed"));
        let mut both = signed_by_manager.clone();
        both.insert("employee_signed_on".into(), json!("2026-11-25"));
        assert!(run(&manager, Some(&signed), &op(Kind::Discussion, "fy-sam", both.clone())).is_err(), "the manager does not sign for the employee");
        let done = run(&employee, Some(&signed), &op(Kind::Discussion, "fy-sam", both.clone())).unwrap();
        let mut comment = both.clone();
        comment.insert("employee_comment".into(), json!("Thanks for listening."));
        assert!(run(&manager, Some(&done), &op(Kind::Discussion, "fy-sam", comment.clone())).is_err());
        let commented = run(&employee, Some(&done), &op(Kind::Discussion, "fy-sam", comment)).unwrap();
        let mut again = both;
        again.insert("employee_comment".into(), json!("Another"));
        assert_eq!(run(&employee, Some(&commented), &op(Kind::Discussion, "fy-sam", again)).unwrap_err(), "Your comment was added already; it stays as written.");
    }

    fn check_in(change: impl Fn(&mut CheckIn)) -> Values {
        let mut c = CheckIn { person_id: "sam".into(), manager_id: "james".into(), cycle_id: "fy".into(), held_on: "2026-11-24".into(), ..CheckIn::default() };
        change(&mut c);
        c.to_values()
    }

    #[test]
    fn a_check_in_is_written_by_the_pair_completed_by_the_manager_then_read_only() {
        let with_manager = |actor: &str| Facts { managers: HashMap::from([("sam".to_string(), Some("james".to_string()))]), ..facts(actor) };
        let (manager, employee) = (with_manager("james"), with_manager("sam"));
        let started = run(&employee, None, &op(Kind::CheckIn, "c1", check_in(|c| c.goal = "Close 3 renewals".into()))).unwrap();
        assert!(run(&with_manager("ana"), None, &op(Kind::CheckIn, "c2", check_in(|_| {}))).is_err(), "a third person");
        let elsewhere = Facts { managers: HashMap::from([("sam".to_string(), Some("ana".to_string()))]), ..facts("james") };
        assert!(run(&elsewhere, None, &op(Kind::CheckIn, "c2", check_in(|_| {}))).unwrap_err().contains("reports to someone else"));
        let early = check_in(|c| { c.goal = "Close 3 renewals".into(); c.completed_on = "2026-11-24".into(); });
        assert!(run(&manager, Some(&started), &op(Kind::CheckIn, "c1", early)).unwrap_err().starts_with("Before completing"));
        let complete = check_in(|c| {
            c.goal = "Close 3 renewals".into();
            c.will = "Call the two at risk this week".into();
            c.actions = vec![AgreedAction { title: "Negotiation course".into(), kind: "training".into(), target: String::new(), due_on: "2027-01-31".into() }];
            c.completed_on = "2026-11-24".into();
        });
        assert_eq!(run(&employee, Some(&started), &op(Kind::CheckIn, "c1", complete.clone())).unwrap_err(), "The manager completes the check-in, with the day.");
        let mut bad_action = complete.clone();
        bad_action.insert("actions".into(), json!([{ "title": "", "kind": "training", "target": "", "due_on": "2027-01-31" }]));
        assert!(run(&manager, Some(&started), &op(Kind::CheckIn, "c1", bad_action)).is_err());
        let done = run(&manager, Some(&started), &op(Kind::CheckIn, "c1", complete)).unwrap();
        let edit = check_in(|c| c.reality = "later".into());
        assert_eq!(run(&employee, Some(&done), &op(Kind::CheckIn, "c1", edit)).unwrap_err(), "This check-in was completed: it is read-only.");
        let delete = Op { delete: true, set: Values::new(), ..op(Kind::CheckIn, "c1", Values::new()) };
        assert!(run(&employee, Some(&started), &delete).is_err());
        assert!(run(&manager, Some(&started), &delete).is_ok());
        assert!(run(&employee, None, &op(Kind::CheckIn, "c3", Values::from([("salary".to_string(), json!(1))]))).is_err());
        // Days are written as records store them; action titles fit a development item.
        assert_eq!(run(&employee, None, &op(Kind::CheckIn, "c4", check_in(|c| c.held_on = "2026-1-5".into()))).unwrap_err(), "Give the day of the check-in.");
        let long = check_in(|c| c.actions = vec![AgreedAction { title: "x".repeat(201), kind: "reading".into(), target: String::new(), due_on: "2027-01-31".into() }]);
        assert_eq!(run(&manager, None, &op(Kind::CheckIn, "c5", long)).unwrap_err(), "Keep each action's title under 200 characters.");
    }

    #[test]
    fn a_notification_is_only_marked_read_by_its_person() {
        let mine = Notification { id: "n1".into(), person_id: "sam".into(), event: Event::Kudos, text: "Ana gave you kudos.".into(), link: "/recognition".into(), created_at: "2026-11-28T08:00:00Z".into(), read: false };
        let (stored, _) = apply(None, &Op { device: "server".into(), ..op(Kind::Notification, "n1", mine.to_values()) }, 3);
        let seen = |read: bool, rev: u64| Op { base: BTreeMap::from([("read".to_owned(), rev)]), ..op(Kind::Notification, "n1", Values::from([("read".into(), json!(read))])) };
        let read = run(&facts("sam"), Some(&stored), &seen(true, 3)).unwrap();
        assert!(Notification::from_values("n1", &read.values()).read);
        assert!(!Notification::from_values("n1", &run(&facts("sam"), Some(&read), &seen(false, 9)).unwrap().values()).read, "unread again");
        let refused = |actor: &str, before: Option<&Doc>, op: Op| run(&facts(actor), before, &op).unwrap_err();
        assert_eq!(refused("ana", Some(&stored), op(Kind::Notification, "n1", Values::from([("read".into(), json!(true))]))), "That notification is someone else's.");
        assert_eq!(refused("sam", None, op(Kind::Notification, "n2", mine.to_values())), "Notifications are made by the server; a device cannot create one.");
        assert_eq!(refused("sam", Some(&stored), op(Kind::Notification, "n1", Values::from([("text".into(), json!("Promoted!"))]))), "Only whether a notification is read can change.");
        assert_eq!(refused("sam", Some(&stored), op(Kind::Notification, "n1", Values::from([("read".into(), json!("yes"))]))), "Only whether a notification is read can change.");
        let delete = Op { delete: true, ..op(Kind::Notification, "n1", Values::new()) };
        assert_eq!(refused("sam", Some(&stored), delete), "A notification cannot be deleted; mark it read instead.");
    }

    #[test]
    fn a_change_tells_the_other_people_in_it_what_to_do() {
        let at = "2026-11-28T08:00:00Z";
        let told = |actor: (&str, &str), kind: Kind, before: Option<&Values>, after: &Values| notices_of(actor, &RecordRef::new(kind, "r1"), before, after, at);
        // Feedback: the receiver hears, unless it is the giver's private note; an answer says so.
        let given = told(("sam", "Sam"), Kind::Feedback, None, &feedback("sam", "ana", ""));
        assert_eq!((given[0].person_id.as_str(), given[0].event, given[0].text.as_str(), given[0].link.as_str()), ("ana", Event::FeedbackReceived, "Sam gave you feedback.", "/feedback"));
        assert_eq!(told(("sam", "Sam"), Kind::Feedback, None, &feedback("sam", "ana", "q1"))[0].text, "Sam answered your request for feedback.");
        let mut note = feedback("sam", "ana", "");
        note.insert("private".into(), json!(true));
        assert!(told(("sam", "Sam"), Kind::Feedback, None, &note).is_empty());
        // A request: the asked hears, with the message quoted and cut at 80 characters.
        let asked = FeedbackRequest { id: "r1".into(), asker_id: "sam".into(), asked_id: "ana".into(), message: "x".repeat(100), state: RequestState::Open, asked_on: "2026-11-28".into() };
        let heard = told(("sam", "Sam"), Kind::FeedbackRequest, None, &asked.to_values());
        assert_eq!((heard[0].person_id.as_str(), heard[0].event), ("ana", Event::FeedbackAsked));
        assert_eq!(heard[0].text, format!("Sam asked you for feedback: “{}…”", "x".repeat(80)));
        // Declining a request is no new request.
        let declined = FeedbackRequest { state: RequestState::Declined, ..asked.clone() };
        assert!(told(("ana", "Ana"), Kind::FeedbackRequest, Some(&asked.to_values()), &declined.to_values()).is_empty());
        // A check-in completed by the manager tells the person, and the other way round.
        let open = CheckIn { person_id: "sam".into(), manager_id: "mia".into(), cycle_id: "fy".into(), held_on: "2026-11-27".into(), ..CheckIn::default() };
        let done = CheckIn { completed_on: "2026-11-28".into(), actions: vec![AgreedAction { title: "Shadow a demo".into(), kind: "stretch".into(), target: String::new(), due_on: String::new() }], ..open.clone() };
        let by_manager = told(("mia", "Mia"), Kind::CheckIn, Some(&open.to_values()), &done.to_values());
        assert_eq!((by_manager[0].person_id.as_str(), by_manager[0].text.as_str()), ("sam", "Mia completed the check-in of 2026-11-27; its agreed action is in the development plan."));
        assert_eq!(told(("sam", "Sam"), Kind::CheckIn, Some(&open.to_values()), &done.to_values())[0].person_id, "mia");
        assert!(told(("mia", "Mia"), Kind::CheckIn, Some(&done.to_values()), &done.to_values()).is_empty(), "only when it is completed");
        // The appraisal record: signed by the manager, the person is asked to sign; then the manager hears.
        let held = Discussion { person_id: "sam".into(), manager_id: "mia".into(), cycle_id: "fy".into(), outcome: "agreed".into(), ..Discussion::default() };
        let manager_signed = Discussion { manager_signed_on: "2026-11-28".into(), ..held.clone() };
        let to_sign = told(("mia", "Mia"), Kind::Discussion, Some(&held.to_values()), &manager_signed.to_values());
        assert_eq!((to_sign[0].person_id.as_str(), to_sign[0].event, to_sign[0].link.as_str()), ("sam", Event::AppraisalToSign, "/appraisals/me/conversation"));
        let both = Discussion { employee_signed_on: "2026-11-28".into(), outcome: "disagreed".into(), ..manager_signed.clone() };
        let signed = told(("sam", "Sam"), Kind::Discussion, Some(&manager_signed.to_values()), &both.to_values());
        assert_eq!((signed[0].person_id.as_str(), signed[0].event, signed[0].link.as_str()), ("mia", Event::AppraisalSigned, "/appraisals/sam/conversation"));
        assert_eq!(signed[0].text, "Sam signed the record of their appraisal conversation and noted a disagreement.");
        // Nobody is told of their own change, nor of a change to a self-assessment.
        assert!(told(("sam", "Sam"), Kind::SelfAssessment, None, &sa(&[])).is_empty());
        assert!(given.iter().chain(&heard).chain(&by_manager).chain(&to_sign).chain(&signed).all(|n| n.id.is_empty() && !n.read && n.created_at == at));
    }
}
