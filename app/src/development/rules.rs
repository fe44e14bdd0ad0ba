//! Developing and recognising people, pure (no database, no browser): what a development item,
//! a training, its attendance and kudos must be, the consistency rule that recognises sustained
//! results, and the training-effect comparison (Kirkpatrick levels 3–4: attendees before versus
//! after, against colleagues who did not attend).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::appraisal::types::ACTION_KINDS;
use crate::error::FieldError;
use crate::offline::types::{Event, Notification};
use crate::org::people_types::Colleague;
use crate::planning::rules::is_iso_date;
use crate::planning::types::Competency;
use crate::development::types::{CheckIn, DevelopmentItemInput, GroupFigure, ITEM_STATUSES, Streak, Training, TrainingEffect};

/// Evidence that closes a development item says at least this much.
pub const MIN_EVIDENCE: usize = 10;

/// A development item added by hand: what will be done (trimmed, up to 200 characters), its kind,
/// one of the person's `targets` (target, label) and a due date. Gives it back with the title trimmed.
pub fn check_item(input: DevelopmentItemInput, targets: &[(String, String)]) -> Result<DevelopmentItemInput, FieldError> {
    let title = input.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(FieldError::new("title", "Say what will be done, in up to 200 characters."));
    }
    if !ACTION_KINDS.iter().any(|(k, _)| *k == input.kind) {
        return Err(FieldError::new("kind", "Pick the kind: training, stretch assignment, mentoring or reading."));
    }
    if !targets.iter().any(|(t, _)| *t == input.target) {
        return Err(FieldError::new("target", "Pick the KPI or competency this should move."));
    }
    if !is_iso_date(&input.due_on) {
        return Err(FieldError::new("due_on", "Give a due date."));
    }
    Ok(DevelopmentItemInput { title: title.to_owned(), ..input })
}

/// A development item moved on: a known status, and closing it needs evidence of completion.
/// Gives back the evidence trimmed.
pub fn check_progress(status: &str, evidence: &str) -> Result<String, FieldError> {
    if !ITEM_STATUSES.iter().any(|(s, _)| *s == status) {
        return Err(FieldError::new("status", "The status is not started, in progress or done."));
    }
    let evidence = evidence.trim();
    if status == "done" && evidence.chars().count() < MIN_EVIDENCE {
        return Err(FieldError::new("evidence", format!("Say what shows it is done (a certificate, a link, what changed): at least {MIN_EVIDENCE} characters.")));
    }
    Ok(evidence.to_owned())
}

/// A training in the catalogue: a title of 3 to 200 characters and one of the `targets` (target,
/// label), on which its effect is measured. Gives it back with its texts trimmed.
pub fn check_training(training: Training, targets: &[(String, String)]) -> Result<Training, FieldError> {
    let title = training.title.trim();
    if title.chars().count() < 3 || title.chars().count() > 200 {
        return Err(FieldError::new("title", "Give the training a title of 3 to 200 characters."));
    }
    if !targets.iter().any(|(t, _)| *t == training.target) {
        return Err(FieldError::new("target", "Pick the KPI or competency the training should move: its effect is measured on it."));
    }
    Ok(Training { title: title.to_owned(), provider: training.provider.trim().to_owned(), description: training.description.trim().to_owned(), ..training })
}

/// A training session is held on a day.
pub fn check_session_day(held_on: &str) -> Result<(), FieldError> {
    if !is_iso_date(held_on) {
        return Err(FieldError::new("held_on", "Give the day of the session."));
    }
    Ok(())
}

/// Who attended a session: people active in the organisation (`active`), each once. Gives them
/// back sorted.
pub fn check_attendance(attendees: Vec<String>, active: &HashSet<String>) -> Result<Vec<String>, FieldError> {
    if let Some(unknown) = attendees.iter().find(|a| !active.contains(*a)) {
        return Err(FieldError::new("attendees", format!("'{unknown}' is nobody active in the organisation.")));
    }
    let mut unique = attendees;
    unique.sort();
    unique.dedup();
    Ok(unique)
}

/// Kudos: to one of the giver's active `colleagues`, never to themself, for a competency of the
/// framework, saying what they did in 10 to 500 characters. Gives back the message trimmed.
pub fn check_kudos(giver: &str, receiver: &str, colleagues: &[Colleague], competencies: &[Competency], competency: &str, message: &str) -> Result<String, FieldError> {
    if receiver == giver {
        return Err(FieldError::new("receiver", "Kudos go to a colleague, not to yourself."));
    }
    if !colleagues.iter().any(|c| c.id == receiver) {
        return Err(FieldError::new("receiver", "Pick an active colleague."));
    }
    if !competencies.iter().any(|c| c.id == competency) {
        return Err(FieldError::new("competency", "Pick the competency they showed."));
    }
    let message = message.trim();
    if message.chars().count() < 10 || message.chars().count() > 500 {
        return Err(FieldError::new("message", "Say what they did, in 10 to 500 characters."));
    }
    Ok(message.to_owned())
}

/// What kudos tell the person who receives them (the message cut at 120 characters).
pub fn kudos_notice(giver_name: &str, receiver: &str, competency_name: &str, message: &str, at: &str) -> Notification {
    let said: String = message.chars().take(120).collect();
    let cut = if message.chars().count() > 120 { "…" } else { "" };
    Notification::new(receiver, Event::Kudos, format!("{giver_name} gave you kudos for {competency_name}: “{said}{cut}”"), "/recognition".into(), at)
}

/// Consecutive periods at or above target that earn recognition, unless HR sets another.
pub const DEFAULT_CONSISTENCY_PERIODS: usize = 3;


impl Streak {
    pub fn describe(&self) -> String {
        format!("At or above target for {} consecutive periods ({} to {})", self.periods, self.from, self.to)
    }
}

/// The longest run of at least `needed` consecutive periods at or above target (the latest of
/// equal runs), from a person's period scores in time order. A period without data breaks the
/// run: consistency is shown, never assumed.
pub fn consistency(scores: &[(String, Option<f64>)], needed: usize) -> Option<Streak> {
    let mut best: Option<(usize, usize)> = None; // (start, length)
    let mut start = 0;
    for (i, (_, score)) in scores.iter().enumerate() {
        if score.is_some_and(|s| s >= 1.0 - 1e-9) {
            let length = i + 1 - start;
            if best.is_none_or(|(_, l)| length >= l) {
                best = Some((start, length));
            }
        } else {
            start = i + 1;
        }
    }
    let (start, length) = best.filter(|(_, l)| *l >= needed.max(1))?;
    Some(Streak { periods: length, from: scores[start].0.clone(), to: scores[start + length - 1].0.clone() })
}

/// The run of periods at or above target that ends with the latest result: how far a person is
/// toward the consistency award (a period ended without a result ends the run).
pub fn current_run(scores: &[(String, Option<f64>)]) -> usize {
    scores.iter().rev().take_while(|(_, score)| score.is_some_and(|s| s >= 1.0 - 1e-9)).count()
}

/// Fewer people than this and a figure is withheld: it would say more about one person than
/// about the training.
pub const MIN_GROUP: usize = 5;

/// One person's measure before and after the session date (a mean over the window).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub attended: bool,
    pub before: Option<f64>,
    pub after: Option<f64>,
}


impl GroupFigure {
    pub fn people(&self) -> usize {
        match self {
            GroupFigure::Shown { people, .. } | GroupFigure::Withheld { people } => *people,
        }
    }

    pub fn change(&self) -> Option<f64> {
        match self {
            GroupFigure::Shown { before, after, .. } => Some(after - before),
            GroupFigure::Withheld { .. } => None,
        }
    }
}


/// Compares attendees with comparable colleagues who did not attend. Only people measured both
/// before and after count; a group below `min_group` is withheld, and so is the effect.
pub fn training_effect(observations: &[Observation], min_group: usize) -> TrainingEffect {
    let group = |attended: bool| {
        let pairs: Vec<(f64, f64)> = observations.iter().filter(|o| o.attended == attended).filter_map(|o| Some((o.before?, o.after?))).collect();
        let people = pairs.len();
        if people < min_group.max(1) {
            return GroupFigure::Withheld { people };
        }
        let mean = |f: fn(&(f64, f64)) -> f64| pairs.iter().map(f).sum::<f64>() / people as f64;
        GroupFigure::Shown { people, before: mean(|p| p.0), after: mean(|p| p.1) }
    };
    let (attendees, others) = (group(true), group(false));
    let effect = attendees.change().zip(others.change()).map(|(a, o)| a - o);
    TrainingEffect { attendees, others, effect }
}

/// A measure taken over a span of days (a KPI's period score, a rating in a cycle).
#[derive(Clone, Debug, PartialEq)]
pub struct Measure {
    pub starts_on: String,
    pub ends_on: String,
    pub value: f64,
}

/// The mean of the last `width` measures that ended on or before `on`, and of the first `width`
/// that started after it (`YYYY-MM-DD` dates compare as text). A measure spanning the date
/// belongs to neither side.
pub fn before_and_after(measures: &[Measure], on: &str, width: usize) -> (Option<f64>, Option<f64>) {
    let mut sorted: Vec<&Measure> = measures.iter().collect();
    sorted.sort_by(|a, b| a.starts_on.cmp(&b.starts_on));
    let before: Vec<f64> = sorted.iter().filter(|m| m.ends_on.as_str() <= on).map(|m| m.value).collect();
    let after: Vec<f64> = sorted.iter().filter(|m| m.starts_on.as_str() > on).map(|m| m.value).collect();
    let mean = |values: &[f64]| (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64);
    (mean(&before[before.len().saturating_sub(width)..]), mean(&after[..after.len().min(width)]))
}

/// The check-in to open when a pair starts one: theirs of the same day if it is still open (a
/// second tap, or the other person's device, must not make a twin), else none and a new one.
pub fn open_check_in_of_day<'a>(check_ins: &'a [(String, CheckIn)], person: &str, manager: &str, day: &str) -> Option<&'a str> {
    check_ins
        .iter()
        .find(|(_, c)| c.person_id == person && c.manager_id == manager && c.held_on == day && c.completed_on.is_empty())
        .map(|(id, _)| id.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets() -> Vec<(String, String)> {
        vec![("kpi:Revenue".into(), "KPI: Revenue".into()), ("competency:coaching".into(), "Competency: Coaching".into())]
    }

    fn item() -> DevelopmentItemInput {
        DevelopmentItemInput { title: "  Negotiation course  ".into(), kind: "training".into(), target: "kpi:Revenue".into(), due_on: "2026-06-30".into() }
    }

    #[test]
    fn a_development_item_is_added_with_its_title_trimmed() {
        assert_eq!(check_item(item(), &targets()).unwrap(), DevelopmentItemInput { title: "Negotiation course".into(), ..item() });
    }

    #[test]
    fn a_development_item_needs_a_title_a_kind_a_target_and_a_due_date() {
        let refused = |input: DevelopmentItemInput| check_item(input, &targets()).unwrap_err();
        assert_eq!(refused(DevelopmentItemInput { title: "   ".into(), ..item() }), FieldError::new("title", "Say what will be done, in up to 200 characters."));
        assert_eq!(refused(DevelopmentItemInput { title: "x".repeat(201), ..item() }), FieldError::new("title", "Say what will be done, in up to 200 characters."));
        assert_eq!(refused(DevelopmentItemInput { kind: "holiday".into(), ..item() }), FieldError::new("kind", "Pick the kind: training, stretch assignment, mentoring or reading."));
        assert_eq!(refused(DevelopmentItemInput { target: "kpi:Churn".into(), ..item() }), FieldError::new("target", "Pick the KPI or competency this should move."));
        assert_eq!(refused(DevelopmentItemInput { due_on: "30/06/2026".into(), ..item() }), FieldError::new("due_on", "Give a due date."));
    }

    #[test]
    fn a_development_item_is_closed_only_with_evidence() {
        assert_eq!(check_progress("in_progress", "  ").unwrap(), "");
        assert_eq!(check_progress("done", " Certificate no. 4411 ").unwrap(), "Certificate no. 4411");
        assert_eq!(
            check_progress("done", "  finished  ").unwrap_err(),
            FieldError::new("evidence", "Say what shows it is done (a certificate, a link, what changed): at least 10 characters.")
        );
        assert_eq!(check_progress("dropped", "").unwrap_err(), FieldError::new("status", "The status is not started, in progress or done."));
    }

    fn training() -> Training {
        Training { id: String::new(), title: " Coaching skills ".into(), provider: " Acme Learning ".into(), description: " Two days. ".into(), target: "competency:coaching".into(), target_label: String::new() }
    }

    #[test]
    fn a_training_needs_a_title_and_a_target_to_measure_its_effect_on() {
        let saved = check_training(training(), &targets()).unwrap();
        assert_eq!((saved.title.as_str(), saved.provider.as_str(), saved.description.as_str()), ("Coaching skills", "Acme Learning", "Two days."));
        assert_eq!(check_training(Training { title: " AB ".into(), ..training() }, &targets()).unwrap_err(), FieldError::new("title", "Give the training a title of 3 to 200 characters."));
        assert_eq!(
            check_training(Training { target: String::new(), ..training() }, &targets()).unwrap_err(),
            FieldError::new("target", "Pick the KPI or competency the training should move: its effect is measured on it.")
        );
    }

    #[test]
    fn a_session_is_held_on_a_day() {
        assert_eq!(check_session_day("2026-10-15"), Ok(()));
        assert_eq!(check_session_day("2026-02-30").unwrap_err(), FieldError::new("held_on", "Give the day of the session."));
        assert_eq!(check_session_day("").unwrap_err(), FieldError::new("held_on", "Give the day of the session."));
    }

    #[test]
    fn attendance_lists_active_people_once() {
        let active = HashSet::from(["ana".to_owned(), "ben".to_owned()]);
        assert_eq!(check_attendance(vec!["ben".into(), "ana".into(), "ben".into()], &active).unwrap(), vec!["ana".to_owned(), "ben".to_owned()]);
        assert_eq!(check_attendance(vec![], &active).unwrap(), Vec::<String>::new());
        assert_eq!(
            check_attendance(vec!["ana".into(), "zoe".into()], &active).unwrap_err(),
            FieldError::new("attendees", "'zoe' is nobody active in the organisation.")
        );
    }

    #[test]
    fn kudos_go_to_a_colleague_for_a_competency_with_a_message() {
        let colleagues = [Colleague { id: "ben".into(), name: "Ben".into(), job_title: "Engineer".into(), unit_name: None }];
        let competencies = [Competency { id: "coaching".into(), name: "Coaching".into(), description: String::new(), levels: vec![] }];
        let kudos = |receiver: &str, competency: &str, message: &str| check_kudos("ana", receiver, &colleagues, &competencies, competency, message);
        assert_eq!(kudos("ben", "coaching", "  Walked the new hire through the release.  ").unwrap(), "Walked the new hire through the release.");
        assert_eq!(kudos("ana", "coaching", "Great work all week.").unwrap_err(), FieldError::new("receiver", "Kudos go to a colleague, not to yourself."));
        assert_eq!(kudos("zoe", "coaching", "Great work all week.").unwrap_err(), FieldError::new("receiver", "Pick an active colleague."));
        assert_eq!(kudos("ben", "negotiation", "Great work all week.").unwrap_err(), FieldError::new("competency", "Pick the competency they showed."));
        assert_eq!(kudos("ben", "coaching", " Thanks!   ").unwrap_err(), FieldError::new("message", "Say what they did, in 10 to 500 characters."));
        assert_eq!(kudos("ben", "coaching", &"x".repeat(501)).unwrap_err(), FieldError::new("message", "Say what they did, in 10 to 500 characters."));
        let told = kudos_notice("Ana", "ben", "Coaching", "Walked the new hire through the release.", "2026-11-28T08:00:00Z");
        assert_eq!((told.person_id.as_str(), told.event, told.link.as_str()), ("ben", Event::Kudos, "/recognition"));
        assert_eq!(told.text, "Ana gave you kudos for Coaching: “Walked the new hire through the release.”");
        assert_eq!(kudos_notice("Ana", "ben", "Coaching", &"y".repeat(130), "").text, format!("Ana gave you kudos for Coaching: “{}…”", "y".repeat(120)));
    }

    fn quarters(scores: &[Option<f64>]) -> Vec<(String, Option<f64>)> {
        scores.iter().enumerate().map(|(i, s)| (format!("Q{}", i + 1), *s)).collect()
    }

    #[test]
    fn consistency_needs_n_consecutive_periods_at_or_above_target() {
        // Q2–Q4 at or above target (100 % counts), Q1 below.
        let scores = quarters(&[Some(0.9), Some(1.0), Some(1.1), Some(1.05)]);
        let streak = consistency(&scores, 3).unwrap();
        assert_eq!(streak, Streak { periods: 3, from: "Q2".into(), to: "Q4".into() });
        assert_eq!(streak.describe(), "At or above target for 3 consecutive periods (Q2 to Q4)");
        assert_eq!(consistency(&scores, 4), None);
        // A period without data breaks the run, as does one below target.
        assert_eq!(consistency(&quarters(&[Some(1.2), None, Some(1.2), Some(1.2)]), 3), None);
        assert_eq!(consistency(&quarters(&[Some(1.2), Some(1.2), Some(0.99), Some(1.2), Some(1.2)]), 3), None);
        // The longest run wins; of equal runs the latest.
        let two_runs = quarters(&[Some(1.0), Some(1.0), Some(0.5), Some(1.0), Some(1.0)]);
        assert_eq!(consistency(&two_runs, 2).unwrap().from, "Q4");
        assert_eq!(consistency(&[], 3), None);
        // Toward the award: the run ending with the latest result.
        assert_eq!(current_run(&two_runs), 2);
        assert_eq!(current_run(&quarters(&[Some(1.2), Some(1.2), Some(0.99)])), 0);
        assert_eq!(current_run(&quarters(&[Some(1.2), None])), 0, "an ended period without a result");
        assert_eq!(current_run(&[]), 0);
    }

    fn people(attended: bool, n: usize, before: f64, after: f64) -> Vec<Observation> {
        (0..n).map(|i| Observation { attended, before: Some(before + i as f64 * 0.01), after: Some(after + i as f64 * 0.01) }).collect()
    }

    #[test]
    fn the_training_effect_is_the_attendees_change_less_the_others() {
        // Attendees rise from 0.80 to 0.95 (+0.15), the others from 0.82 to 0.87 (+0.05): effect +0.10.
        let mut all = people(true, 6, 0.80, 0.95);
        all.extend(people(false, 8, 0.82, 0.87));
        // Someone measured only before does not count.
        all.push(Observation { attended: true, before: Some(0.1), after: None });
        let effect = training_effect(&all, MIN_GROUP);
        let GroupFigure::Shown { people, before, after } = effect.attendees else { panic!("shown") };
        assert_eq!(people, 6);
        assert!((before - 0.825).abs() < 1e-9 && (after - 0.975).abs() < 1e-9);
        assert_eq!(effect.others.people(), 8);
        assert!((effect.effect.unwrap() - 0.10).abs() < 1e-9);
    }

    #[test]
    fn a_group_too_small_is_withheld_and_so_is_the_effect() {
        let mut all = people(true, 4, 0.80, 0.95);
        all.extend(people(false, 8, 0.82, 0.87));
        let effect = training_effect(&all, MIN_GROUP);
        assert_eq!(effect.attendees, GroupFigure::Withheld { people: 4 });
        assert_eq!(effect.effect, None);
        assert!(matches!(effect.others, GroupFigure::Shown { people: 8, .. }));
    }

    #[test]
    fn the_windows_take_the_last_periods_before_and_the_first_after_the_session() {
        let m = |s: &str, e: &str, v| Measure { starts_on: s.into(), ends_on: e.into(), value: v };
        let measures = [
            m("2026-01-01", "2026-03-31", 0.5),
            m("2026-04-01", "2026-06-30", 0.7),
            m("2026-07-01", "2026-09-30", 0.8),
            // The session is on 2026-10-15: this quarter spans it.
            m("2026-10-01", "2026-12-31", 2.0),
            m("2027-01-01", "2027-03-31", 1.0),
            m("2027-04-01", "2027-06-30", 1.2),
            m("2027-07-01", "2027-09-30", 9.0),
        ];
        let (before, after) = before_and_after(&measures, "2026-10-15", 2);
        assert!((before.unwrap() - 0.75).abs() < 1e-9);
        assert!((after.unwrap() - 1.1).abs() < 1e-9);
        assert_eq!(before_and_after(&measures[..3], "2026-10-15", 2).1, None);
    }

    #[test]
    fn starting_a_check_in_twice_the_same_day_opens_the_first() {
        let check_in = |person: &str, day: &str, completed: &str| CheckIn { person_id: person.into(), manager_id: "boss".into(), held_on: day.into(), completed_on: completed.into(), ..CheckIn::default() };
        let list = vec![
            ("a".to_owned(), check_in("sam", "2026-11-20", "")),
            ("b".to_owned(), check_in("sam", "2026-11-28", "2026-11-28")),
            ("c".to_owned(), check_in("sam", "2026-11-28", "")),
            ("d".to_owned(), check_in("ravi", "2026-11-28", "")),
        ];
        assert_eq!(open_check_in_of_day(&list, "sam", "boss", "2026-11-28"), Some("c"));
        assert_eq!(open_check_in_of_day(&list, "ravi", "boss", "2026-11-28"), Some("d"));
        // another day, another manager, or only a completed one: a new check-in
        assert_eq!(open_check_in_of_day(&list, "sam", "boss", "2026-11-29"), None);
        assert_eq!(open_check_in_of_day(&list, "sam", "other", "2026-11-28"), None);
        assert_eq!(open_check_in_of_day(&list[..2], "sam", "boss", "2026-11-28"), None);
    }
}
