//! Change management, pure (no Leptos, no database): Kotter's eight steps with their purpose,
//! guidance, recommended activities and completion criteria; the warnings before a step is signed
//! off; adoption metrics per unit from counts the server gathers; the short-term wins to propose
//! when a unit crosses a target; pulse results and adoption figures only where no group under five
//! can be read (see `disclosure`).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::disclosure::{Figure, Group, Hidden, MIN_GROUP, ancestry, suppress};
use crate::error::FieldError;
use crate::org::types::{Unit, units_in_tree_order};
use crate::planning::rules::parse_date;
use crate::planning::types::{Frequency, PeriodKind};
use crate::change::types::{ActionInput, BarrierInput, ChecklistItem, Metric, Named, ProgrammeInput, PulseResult, PulseSummary, UnitCounts};

/// One of Kotter's steps as the wizard presents it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KotterStep {
    pub number: u8,
    pub title: &'static str,
    pub purpose: &'static str,
    pub guidance: &'static str,
    /// Recommended activities: the starting checklist, which the committee may edit.
    pub activities: &'static [&'static str],
    /// What should be true before the chair signs the step off.
    pub criteria: &'static [&'static str],
}

pub const STEPS: [KotterStep; 8] = [
    KotterStep {
        number: 1,
        title: "Create a sense of urgency",
        purpose: "Help people see why performance management has to change now.",
        guidance: "Show the gap with facts people recognise: how many have targets linked to the organisation's goals, how appraisals are felt today, what the best units already do. Talk about the opportunity, not only the problem.",
        activities: &[
            "Gather facts on today's planning and appraisal (coverage, timeliness, complaints)",
            "Hold listening sessions with employees and managers",
            "Share the case for change with the leadership team",
        ],
        criteria: &["Leaders agree the change is needed now", "The case for change is written down and shared"],
    },
    KotterStep {
        number: 2,
        title: "Build a guiding coalition",
        purpose: "Form a group with enough power, credibility and skill to lead the change.",
        guidance: "Bring together a sponsor from the top, managers people respect, HR, and employees from the units in scope. Agree how the committee decides and how often it meets.",
        activities: &["Name the sponsor and the chair", "Invite members from every unit in scope", "Agree the committee's working rules"],
        criteria: &["Every unit in scope is represented", "The sponsor has committed time"],
    },
    KotterStep {
        number: 3,
        title: "Form a strategic vision",
        purpose: "Say what performance management will look like and how to get there.",
        guidance: "Describe the future in a few sentences anyone can repeat: everyone sees how their targets serve the goals, knows how they are doing, is coached, appraised fairly and rewarded for consistent results.",
        activities: &["Write the vision in under 100 words", "Outline the rollout plan by unit and cycle", "Test the vision with a few employees"],
        criteria: &["The vision fits on one page", "The rollout plan has dates"],
    },
    KotterStep {
        number: 4,
        title: "Enlist a volunteer army",
        purpose: "Communicate the vision so many people want to take part.",
        guidance: "Use every channel, repeatedly; let managers explain it to their teams; find early volunteers in each unit who try the system first and help colleagues.",
        activities: &["Brief every manager", "Recruit champions in each unit", "Answer questions in an open forum"],
        criteria: &["Every manager has been briefed", "Each unit has at least one champion"],
    },
    KotterStep {
        number: 5,
        title: "Enable action by removing barriers",
        purpose: "Clear what stops people from working the new way.",
        guidance: "Log the barriers people name (time, skills, systems, old habits, policies), give each an owner, and remove them visibly. Train managers in holding appraisal conversations.",
        activities: &["Keep the barriers log up to date", "Train managers in coaching and appraisal conversations", "Fix the processes that contradict the vision"],
        criteria: &["No barrier blocking this step is left without an owner", "Manager training has started"],
    },
    KotterStep {
        number: 6,
        title: "Generate short-term wins",
        purpose: "Show results early, so the change earns belief and momentum.",
        guidance: "Pick targets that can be reached within a cycle, recognise the units that reach them, and tell the story with numbers.",
        activities: &["Set adoption targets per metric", "Announce the wins the system proposes", "Recognise the people behind them"],
        criteria: &["At least one win has been announced"],
    },
    KotterStep {
        number: 7,
        title: "Sustain acceleration",
        purpose: "Use the credibility of the wins to change more, faster.",
        guidance: "Extend to the next units, raise the targets, and keep removing the systems and habits that do not fit the vision. Do not declare victory too soon.",
        activities: &["Extend the rollout to the next units", "Raise the targets that were reached", "Review the barriers log again"],
        criteria: &["The next units have started", "Targets were reviewed"],
    },
    KotterStep {
        number: 8,
        title: "Institute the change",
        purpose: "Anchor the new way in the culture so it outlasts the programme.",
        guidance: "Make it how things are done: in induction, in leadership development, in the policies for promotion and reward. Show how the new behaviours improved performance.",
        activities: &["Add the system to induction", "Tie promotion and reward policies to the new appraisal", "Publish the results of the programme"],
        criteria: &["Policies reference the new process", "Adoption stays at target for a full cycle"],
    },
];

/// Why a sign-off deserves a second look: earlier steps not signed off, open actions, criteria
/// not marked met. The chair may still sign off; the warnings are kept with the sign-off.
pub fn sign_off_warnings(earlier_unsigned: &[u8], open_actions: usize, criteria_met: &[bool]) -> Vec<String> {
    let mut warnings = Vec::new();
    if !earlier_unsigned.is_empty() {
        let steps: Vec<String> = earlier_unsigned.iter().map(u8::to_string).collect();
        warnings.push(format!("Earlier step(s) {} are not signed off yet.", steps.join(", ")));
    }
    if open_actions > 0 {
        warnings.push(format!("{open_actions} action(s) of this step are still open."));
    }
    let unmet = criteria_met.iter().filter(|met| !**met).count();
    if unmet > 0 {
        warnings.push(format!("{unmet} completion criterion/criteria not marked as met."));
    }
    warnings
}

/// The checked value, or every problem found.
fn refused_or<T>(errors: Vec<FieldError>, value: T) -> Result<T, Vec<FieldError>> {
    if errors.is_empty() {
        Ok(value)
    } else {
        Err(errors)
    }
}

/// A new programme, checked against what the database holds: the unit keys, the active people,
/// the active change committee, and each proposed member with the name they are known by.
/// Returns the input trimmed, with the chair first among the members if not already one.
pub fn check_programme(
    mut input: ProgrammeInput,
    units: &[String],
    active: &[Named],
    committee: &[Named],
    members: &[Named],
) -> Result<ProgrammeInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    input.name = input.name.trim().to_owned();
    if input.name.is_empty() || input.name.chars().count() > 120 {
        errors.push(FieldError::new("name", "Give the programme a name of up to 120 characters."));
    }
    if input.scope_unit_ids.is_empty() {
        errors.push(FieldError::new("scope", "Pick at least one unit the programme covers."));
    } else if input.scope_unit_ids.iter().any(|u| !units.contains(u)) {
        errors.push(FieldError::new("scope", "Pick units from the list."));
    }
    if !active.iter().any(|p| p.id == input.sponsor_id) {
        errors.push(FieldError::new("sponsor", "Pick the sponsor from the list of active people."));
    }
    if !committee.iter().any(|p| p.id == input.chair_id) {
        errors.push(FieldError::new("chair", "The chair must be an active member of the change committee."));
    }
    if let Some(m) = members.iter().find(|m| !committee.iter().any(|p| p.id == m.id)) {
        errors.push(FieldError::new("members", format!("{} is not on the change committee; HR grants that role first.", m.name)));
    }
    let starts = parse_date(&input.starts_on);
    if starts.is_none() {
        errors.push(FieldError::new("starts_on", "Give the start date (YYYY-MM-DD)."));
    }
    match parse_date(&input.ends_on) {
        None => errors.push(FieldError::new("ends_on", "Give the end date (YYYY-MM-DD).")),
        Some(end) if starts.is_some_and(|s| end <= s) => errors.push(FieldError::new("ends_on", "The end date must come after the start.")),
        _ => {}
    }
    input.starts_on = input.starts_on.trim().to_owned();
    input.ends_on = input.ends_on.trim().to_owned();
    if !input.member_ids.contains(&input.chair_id) {
        input.member_ids.insert(0, input.chair_id.clone());
    }
    refused_or(errors, input)
}

/// A step's checklist and criteria as the committee saves them: not once the step is signed off,
/// and with as many criteria as the step has (`criteria`). Returns the checklist trimmed, without
/// empty activities.
pub fn check_step_edit(signed_off: bool, criteria: usize, checklist: Vec<ChecklistItem>, criteria_met: &[bool]) -> Result<Vec<ChecklistItem>, FieldError> {
    if signed_off {
        return Err(FieldError::new("checklist", "This step is signed off. The chair reopens it before it changes."));
    }
    if criteria_met.len() != criteria {
        return Err(FieldError::new("criteria", "The step's criteria changed meanwhile; reload the page."));
    }
    Ok(checklist.into_iter().map(|i| ChecklistItem { text: i.text.trim().to_owned(), done: i.done }).filter(|i| !i.text.is_empty()).collect())
}

/// Whether the chair may sign a step off now: not twice, and over warnings only with `confirm`.
/// Returns the warnings to keep with the sign-off.
pub fn check_sign_off(signed_off: bool, earlier_unsigned: &[u8], open_actions: usize, criteria_met: &[bool], confirm: bool) -> Result<Vec<String>, Vec<FieldError>> {
    if signed_off {
        return Err(vec![FieldError::new("sign_off", "This step is already signed off.")]);
    }
    let warnings = sign_off_warnings(earlier_unsigned, open_actions, criteria_met);
    if !warnings.is_empty() && !confirm {
        return Err(warnings.into_iter().map(|w| FieldError::new("sign_off", w)).collect());
    }
    Ok(warnings)
}

fn check_step(step: u8, errors: &mut Vec<FieldError>) {
    if !(1..=8).contains(&step) {
        errors.push(FieldError::new("step", "Pick one of the eight steps."));
    }
}

fn check_owner(owner: &str, active: &[Named], errors: &mut Vec<FieldError>) {
    if !active.iter().any(|p| p.id == owner) {
        errors.push(FieldError::new("owner", "Pick the owner from the list of active people."));
    }
}

/// An action of a step, owned by one of the `active` people. Returns it with the title trimmed.
pub fn check_action(mut input: ActionInput, active: &[Named]) -> Result<ActionInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    check_step(input.step, &mut errors);
    input.title = input.title.trim().to_owned();
    if input.title.is_empty() {
        errors.push(FieldError::new("title", "Say what is to be done."));
    }
    check_owner(&input.owner_id, active, &mut errors);
    if parse_date(&input.due_on).is_none() {
        errors.push(FieldError::new("due_on", "Give the due date (YYYY-MM-DD)."));
    }
    refused_or(errors, input)
}

/// Evidence for a step: a note, a web link, or both. Returns the note trimmed and the link if any.
pub fn check_evidence(step: u8, note: &str, link: &str) -> Result<(String, Option<String>), Vec<FieldError>> {
    let mut errors = Vec::new();
    check_step(step, &mut errors);
    let (note, link) = (note.trim(), link.trim());
    if note.is_empty() && link.is_empty() {
        errors.push(FieldError::new("note", "Write a note or give a link."));
    }
    if !(link.is_empty() || link.starts_with("https://") || link.starts_with("http://")) {
        errors.push(FieldError::new("link", "Give a web address starting with https://."));
    }
    refused_or(errors, (note.to_owned(), (!link.is_empty()).then(|| link.to_owned())))
}

/// A barrier in the log, owned by one of the `active` people. Returns it with title and detail
/// trimmed.
pub fn check_barrier(mut input: BarrierInput, active: &[Named]) -> Result<BarrierInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    check_step(input.step, &mut errors);
    input.title = input.title.trim().to_owned();
    input.detail = input.detail.trim().to_owned();
    if input.title.is_empty() {
        errors.push(FieldError::new("title", "Name the barrier."));
    }
    check_owner(&input.owner_id, active, &mut errors);
    refused_or(errors, input)
}


pub const METRICS: [Metric; 7] = [
    Metric::AgreedPlans,
    Metric::KpisWithActuals,
    Metric::SelfAssessmentsSubmitted,
    Metric::AppraisalsSigned,
    Metric::FeedbackPerPersonMonth,
    Metric::DevelopmentActionsCompleted,
    Metric::TrainingsLinkedToKpi,
];

impl Metric {
    pub fn label(self) -> &'static str {
        match self {
            Metric::AgreedPlans => "People with an agreed plan",
            Metric::KpisWithActuals => "KPIs with an actual for the last period",
            Metric::SelfAssessmentsSubmitted => "Self-assessments submitted",
            Metric::AppraisalsSigned => "Appraisal conversations held and signed",
            Metric::FeedbackPerPersonMonth => "Feedback per person per month",
            Metric::DevelopmentActionsCompleted => "Development actions completed",
            Metric::TrainingsLinkedToKpi => "Trainings linked to a KPI",
        }
    }

    /// The stored name (as serde writes it).
    pub fn key(self) -> &'static str {
        match self {
            Metric::AgreedPlans => "agreed_plans",
            Metric::KpisWithActuals => "kpis_with_actuals",
            Metric::SelfAssessmentsSubmitted => "self_assessments_submitted",
            Metric::AppraisalsSigned => "appraisals_signed",
            Metric::FeedbackPerPersonMonth => "feedback_per_person_month",
            Metric::DevelopmentActionsCompleted => "development_actions_completed",
            Metric::TrainingsLinkedToKpi => "trainings_linked_to_kpi",
        }
    }

    /// Shares are 0..1 and shown as %; the feedback rate is a count.
    pub fn is_share(self) -> bool {
        self != Metric::FeedbackPerPersonMonth
    }

    /// A value as people read it: `75%` for a share, `1.5` for the feedback rate.
    pub fn format(self, value: f64) -> String {
        if self.is_share() {
            format!("{:.0}%", value * 100.0)
        } else {
            format!("{value:.1}")
        }
    }

    /// A value to the precision the page shows (a whole percent, a tenth).
    pub fn rounded(self, value: f64) -> f64 {
        let scale = if self.is_share() { 100.0 } else { 10.0 };
        (value * scale).round() / scale
    }

    /// A target as the committee types it (% for shares) to the stored value, or what to fix in
    /// the metric's field (`target-{key}`).
    pub fn parse_target(self, text: &str) -> Result<Option<f64>, FieldError> {
        let refuse = |message: String| FieldError::new(&format!("target-{}", self.key()), message);
        let text = text.trim().trim_end_matches('%').trim();
        if text.is_empty() {
            return Ok(None);
        }
        let number: f64 =
            text.parse().map_err(|_| refuse(format!("{}: give a number, e.g. {}.", self.label(), if self.is_share() { "80" } else { "2" })))?;
        match self.is_share() {
            true if (0.0..=100.0).contains(&number) => Ok(Some(number / 100.0)),
            true => Err(refuse(format!("{}: give a percentage from 0 to 100.", self.label()))),
            false if number >= 0.0 && number.is_finite() => Ok(Some(number)),
            false => Err(refuse(format!("{}: give a number of 0 or more.", self.label()))),
        }
    }
}

/// The programme's targets as typed, each to its stored value (`None`: no target), or what to
/// fix in each.
pub fn check_targets(targets: Vec<(Metric, String)>) -> Result<Vec<(Metric, Option<f64>)>, Vec<FieldError>> {
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    for (metric, text) in targets {
        match metric.parse_target(&text) {
            Ok(value) => parsed.push((metric, value)),
            Err(error) => errors.push(error),
        }
    }
    refused_or(errors, parsed)
}


impl std::ops::AddAssign<&UnitCounts> for UnitCounts {
    fn add_assign(&mut self, o: &UnitCounts) {
        self.people += o.people;
        self.agreed_plans += o.agreed_plans;
        self.kpis_due += o.kpis_due;
        self.kpis_with_actuals += o.kpis_with_actuals;
        self.self_assessments_submitted += o.self_assessments_submitted;
        self.appraisals_open += o.appraisals_open;
        self.appraisals_signed += o.appraisals_signed;
        self.feedback_last_month += o.feedback_last_month;
        self.development_actions += o.development_actions;
        self.development_actions_completed += o.development_actions_completed;
        self.trainings += o.trainings;
        self.trainings_linked += o.trainings_linked;
    }
}

/// Whether a KPI reported at `frequency` owes an actual for period `index` (0-based) of a cycle
/// of `count` periods of `kind`: monthly and quarterly KPIs every quarter of a quarterly cycle,
/// quarterly KPIs every third month of a monthly cycle, annual KPIs in the last period.
pub fn kpi_due(frequency: Frequency, kind: PeriodKind, index: usize, count: usize) -> bool {
    let last = index + 1 == count;
    match (frequency, kind) {
        (Frequency::Annually, _) => last,
        (Frequency::Quarterly, PeriodKind::Month) => (index + 1).is_multiple_of(3) || last,
        _ => true,
    }
}

fn share(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// A metric's value for a unit; `None` when there is nothing to measure yet (no people, no KPIs
/// due, no actions), never a misleading 0.
pub fn value(metric: Metric, c: &UnitCounts) -> Option<f64> {
    match metric {
        Metric::AgreedPlans => share(c.agreed_plans, c.people),
        Metric::KpisWithActuals => share(c.kpis_with_actuals, c.kpis_due),
        Metric::SelfAssessmentsSubmitted => share(c.self_assessments_submitted, c.people),
        Metric::AppraisalsSigned => share(c.appraisals_signed, c.appraisals_open),
        Metric::FeedbackPerPersonMonth => share(c.feedback_last_month, c.people),
        Metric::DevelopmentActionsCompleted => share(c.development_actions_completed, c.development_actions),
        Metric::TrainingsLinkedToKpi => share(c.trainings_linked, c.trainings),
    }
}

/// A short-term win to propose: a unit that has reached a target it had not reached before.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProposedWin {
    pub unit_id: String,
    pub metric: Metric,
    pub value: f64,
    pub target: f64,
}

/// The wins to propose now: units at or above target whose win for that metric has not been
/// proposed before (accepted or dismissed, it is not proposed again).
pub fn proposed_wins(
    units: &[(String, UnitCounts)],
    targets: &[(Metric, f64)],
    already: &[(String, Metric)],
) -> Vec<ProposedWin> {
    let mut wins = Vec::new();
    for (unit_id, counts) in units {
        for &(metric, target) in targets {
            let Some(value) = value(metric, counts) else { continue };
            let known = already.iter().any(|(u, m)| u == unit_id && *m == metric);
            if value >= target && !known {
                wins.push(ProposedWin { unit_id: unit_id.clone(), metric, value, target });
            }
        }
    }
    wins
}


/// A new pulse survey: a title and 1 to 10 questions, one per line. Returns the title trimmed
/// and the questions, trimmed, without empty lines.
pub fn check_pulse(title: &str, questions: &str) -> Result<(String, Vec<String>), Vec<FieldError>> {
    let title = title.trim();
    let questions: Vec<String> = questions.lines().map(str::trim).filter(|q| !q.is_empty()).map(str::to_owned).collect();
    let mut errors = Vec::new();
    if title.is_empty() {
        errors.push(FieldError::new("pulse_title", "Give the survey a title."));
    }
    if questions.is_empty() || questions.len() > 10 {
        errors.push(FieldError::new("questions", "Write 1 to 10 questions, one per line."));
    }
    refused_or(errors, (title.to_owned(), questions))
}

/// A person answers a pulse survey once.
pub fn answered_already() -> FieldError {
    FieldError::new("scores", "You have already answered this survey.")
}

/// A person's answer to a survey's questions: once (`answered`: they have already), and a score
/// of 1 to 5 for each question (field `q{i}`), no more scores than questions.
pub fn check_pulse_answer(questions: &[String], answered: bool, scores: &[u8]) -> Result<(), Vec<FieldError>> {
    if answered {
        return Err(vec![answered_already()]);
    }
    let mut errors: Vec<FieldError> = questions
        .iter()
        .enumerate()
        .filter(|(i, _)| !scores.get(*i).is_some_and(|s| (1..=5).contains(s)))
        .map(|(i, q)| FieldError::new(&format!("q{i}"), format!("Pick 1 to 5 for \u{201c}{q}\u{201d}.")))
        .collect();
    if scores.len() > questions.len() {
        errors.push(FieldError::new("scores", "Answer each question once."));
    }
    refused_or(errors, ())
}

/// A summary of answers already checked to be 1–5; `None` without any.
fn pulse_summary(answers: &[u8]) -> Option<PulseSummary> {
    if answers.is_empty() {
        return None;
    }
    let mut distribution = [0usize; 5];
    answers.iter().for_each(|a| distribution[usize::from(*a) - 1] += 1);
    let n = answers.len() as f64;
    Some(PulseSummary {
        answers: answers.len(),
        mean: answers.iter().map(|a| f64::from(*a)).sum::<f64>() / n,
        distribution,
        favourable: (distribution[3] + distribution[4]) as f64 / n,
    })
}


/// A survey's results per group, each group with those below it (`parents[i]`: the group that
/// group `i` is part of; `answers[i]`: the answers of its own members). Only complete answers
/// (each question 1–5) count. Groups are hidden by [`suppress`]; a group without answers shows as
/// too few too, so that the list does not tell who took part.
pub fn pulse_figures(questions: usize, parents: &[Option<usize>], answers: &[Vec<Vec<u8>>]) -> Vec<Figure<PulseResult>> {
    let complete = |a: &&Vec<u8>| a.len() == questions && a.iter().all(|s| (1..=5).contains(s));
    let own: Vec<Vec<&Vec<u8>>> = answers.iter().map(|list| list.iter().filter(complete).collect()).collect();
    let groups: Vec<Group> = parents.iter().zip(&own).map(|(parent, own)| Group { parent: *parent, own: own.len() }).collect();
    let mut within: Vec<Vec<&Vec<u8>>> = vec![Vec::new(); groups.len()];
    for (g, list) in own.iter().enumerate() {
        for a in ancestry(&groups, g) {
            within[a].extend(list);
        }
    }
    suppress(&groups)
        .into_iter()
        .zip(within)
        .map(|(hidden, list)| match hidden {
            Some(why) => Figure::Hidden(why),
            None if list.is_empty() => Figure::Hidden(Hidden::TooFew),
            None => Figure::Shown(PulseResult {
                answers: list.len(),
                questions: (0..questions).filter_map(|q| pulse_summary(&list.iter().map(|a| a[q]).collect::<Vec<_>>())).collect(),
            }),
        })
        .collect()
}

/// The adoption figures of every unit (each with the units below it) and of a programme's
/// scope, from the counts of people directly in each unit. One table for the whole organisation,
/// so that every programme's dashboard hides the same units and no two can be subtracted from
/// each other. The scope's total is shown only when each unit at its top is: then it adds nothing
/// the table does not show (two scopes' totals would otherwise differ by a hidden unit).
pub fn adoption_figures(units: &[Unit], direct: &HashMap<String, UnitCounts>, scope: &[String]) -> (HashMap<String, Figure<UnitCounts>>, Figure<UnitCounts>) {
    // In tree order, so that of two equal units the same one is hidden every time.
    let units: Vec<Unit> = units_in_tree_order(units).into_iter().map(|(_, u)| u).collect();
    let index: HashMap<&str, usize> = units.iter().enumerate().map(|(i, u)| (u.id.as_str(), i)).collect();
    let none = UnitCounts::default();
    let own = |u: &Unit| direct.get(&u.id).unwrap_or(&none);
    let groups: Vec<Group> =
        units.iter().map(|u| Group { parent: u.parent_id.as_deref().and_then(|p| index.get(p).copied()), own: own(u).people }).collect();
    let mut sums = vec![UnitCounts::default(); units.len()];
    for (g, unit) in units.iter().enumerate() {
        for a in ancestry(&groups, g) {
            sums[a] += own(unit);
        }
    }
    let hidden = suppress(&groups);
    let figure = |g: usize| hidden[g].map_or_else(|| Figure::Shown(sums[g].clone()), Figure::Hidden);
    let tops: Vec<usize> = scope
        .iter()
        .filter_map(|id| index.get(id.as_str()).copied())
        .filter(|g| !ancestry(&groups, *g).iter().skip(1).any(|a| scope.contains(&units[*a].id)))
        .collect();
    let mut whole = UnitCounts::default();
    tops.iter().for_each(|g| whole += &sums[*g]);
    let total = match tops.iter().find_map(|g| hidden[*g]) {
        _ if (1..MIN_GROUP).contains(&whole.people) => Figure::Hidden(Hidden::TooFew),
        Some(_) if tops.len() > 1 => Figure::Hidden(Hidden::Complementary),
        Some(why) => Figure::Hidden(why),
        None => Figure::Shown(whole),
    };
    (units.iter().enumerate().map(|(g, u)| (u.id.clone(), figure(g))).collect(), total)
}

/// A day of the trend: the scope's values, rounded as the page shows them and without the counts
/// behind them, so that the difference between two days is no exact count of what changed (in
/// which a person joining or leaving would show).
pub fn trend_point(counts: &UnitCounts) -> Vec<(Metric, f64)> {
    METRICS.iter().filter_map(|m| value(*m, counts).map(|v| (*m, m.rounded(v)))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_steps_in_order_each_with_activities_and_criteria() {
        assert_eq!(STEPS.iter().map(|s| s.number).collect::<Vec<_>>(), (1..=8).collect::<Vec<_>>());
        assert!(STEPS.iter().all(|s| !s.activities.is_empty() && !s.criteria.is_empty() && !s.guidance.is_empty()));
        assert_eq!(STEPS[5].title, "Generate short-term wins");
    }

    #[test]
    fn sign_off_warns_of_open_actions_and_unmet_criteria() {
        assert!(sign_off_warnings(&[], 0, &[true, true]).is_empty());
        assert_eq!(
            sign_off_warnings(&[2, 3], 2, &[true, false]),
            vec![
                "Earlier step(s) 2, 3 are not signed off yet.".to_string(),
                "2 action(s) of this step are still open.".to_string(),
                "1 completion criterion/criteria not marked as met.".to_string(),
            ]
        );
    }

    #[test]
    fn metrics_are_shares_or_rates_and_nothing_to_measure_is_no_value() {
        let c = UnitCounts { people: 8, agreed_plans: 6, kpis_due: 20, kpis_with_actuals: 15, self_assessments_submitted: 2, feedback_last_month: 12, ..Default::default() };
        assert_eq!(value(Metric::AgreedPlans, &c), Some(0.75));
        assert_eq!(value(Metric::KpisWithActuals, &c), Some(0.75));
        assert_eq!(value(Metric::SelfAssessmentsSubmitted, &c), Some(0.25));
        assert_eq!(value(Metric::FeedbackPerPersonMonth, &c), Some(1.5));
        assert_eq!(value(Metric::DevelopmentActionsCompleted, &c), None, "no actions yet is not 0 %");
        assert_eq!(value(Metric::AppraisalsSigned, &c), None, "no appraisal open yet is not 0 %");
        assert_eq!(value(Metric::AgreedPlans, &UnitCounts::default()), None);
    }

    #[test]
    fn metric_keys_are_what_serde_stores() {
        for m in METRICS {
            assert_eq!(serde_json::to_value(m).unwrap(), serde_json::json!(m.key()));
        }
    }

    #[test]
    fn kpis_owe_actuals_at_their_own_frequency() {
        use Frequency::*;
        assert!(kpi_due(Monthly, PeriodKind::Quarter, 0, 4));
        assert!(!kpi_due(Annually, PeriodKind::Quarter, 2, 4));
        assert!(kpi_due(Annually, PeriodKind::Quarter, 3, 4));
        assert_eq!((0..12).filter(|i| kpi_due(Quarterly, PeriodKind::Month, *i, 12)).collect::<Vec<_>>(), vec![2, 5, 8, 11]);
    }

    #[test]
    fn counts_add_up_across_units() {
        let mut total = UnitCounts::default();
        total += &UnitCounts { people: 3, agreed_plans: 1, ..Default::default() };
        total += &UnitCounts { people: 1, agreed_plans: 1, ..Default::default() };
        assert_eq!(value(Metric::AgreedPlans, &total), Some(0.5));
    }

    #[test]
    fn a_unit_crossing_a_target_is_proposed_once() {
        let units = vec![
            ("north".to_string(), UnitCounts { people: 4, agreed_plans: 4, ..Default::default() }),
            ("south".to_string(), UnitCounts { people: 4, agreed_plans: 2, ..Default::default() }),
        ];
        let targets = [(Metric::AgreedPlans, 0.9)];
        let wins = proposed_wins(&units, &targets, &[]);
        assert_eq!(wins, vec![ProposedWin { unit_id: "north".into(), metric: Metric::AgreedPlans, value: 1.0, target: 0.9 }]);
        assert!(proposed_wins(&units, &targets, &[("north".into(), Metric::AgreedPlans)]).is_empty(), "decided wins are not proposed again");
    }

    #[test]
    fn targets_are_typed_as_people_read_them() {
        assert_eq!(Metric::AgreedPlans.parse_target("80%"), Ok(Some(0.8)));
        assert_eq!(Metric::AgreedPlans.parse_target(" "), Ok(None));
        assert!(Metric::AgreedPlans.parse_target("120").unwrap_err().message.contains("0 to 100"));
        assert!(Metric::FeedbackPerPersonMonth.parse_target("lots").unwrap_err().message.contains("give a number"));
        assert_eq!(Metric::FeedbackPerPersonMonth.parse_target("2"), Ok(Some(2.0)));
        assert_eq!(Metric::AgreedPlans.format(0.755), "76%");
    }

    fn named(id: &str, name: &str) -> Named {
        Named { id: id.into(), name: name.into() }
    }

    fn refusal(field: &str, message: &str) -> FieldError {
        FieldError::new(field, message)
    }

    /// Zara chairs the committee, Grace sponsors, Sam is active but not on the committee.
    fn programme_input() -> ProgrammeInput {
        ProgrammeInput {
            name: "  Rollout 2027 ".into(),
            scope_unit_ids: vec!["hq".into()],
            sponsor_id: "grace".into(),
            chair_id: "zara".into(),
            member_ids: vec!["david".into()],
            starts_on: " 2026-11-01".into(),
            ends_on: "2027-12-31 ".into(),
        }
    }

    fn check_rollout(input: ProgrammeInput, members: &[Named]) -> Result<ProgrammeInput, Vec<FieldError>> {
        let active = [named("grace", "Grace Mwangi"), named("zara", "Zara Ahmed"), named("david", "David Kim"), named("sam", "Sam Taylor")];
        let committee = [named("zara", "Zara Ahmed"), named("david", "David Kim")];
        check_programme(input, &["hq".into(), "sales".into()], &active, &committee, members)
    }

    #[test]
    fn a_programme_is_set_up_trimmed_with_its_chair_among_the_members() {
        let checked = check_rollout(programme_input(), &[named("david", "David Kim")]).unwrap();
        assert_eq!(checked.name, "Rollout 2027");
        assert_eq!((checked.starts_on.as_str(), checked.ends_on.as_str()), ("2026-11-01", "2027-12-31"));
        assert_eq!(checked.member_ids, vec!["zara".to_string(), "david".into()], "the chair comes first");
        let with_chair = ProgrammeInput { member_ids: vec!["david".into(), "zara".into()], ..programme_input() };
        assert_eq!(check_rollout(with_chair, &[named("david", "David Kim"), named("zara", "Zara Ahmed")]).unwrap().member_ids, vec!["david".to_string(), "zara".into()]);
    }

    #[test]
    fn a_programme_is_refused_field_by_field() {
        let bad = ProgrammeInput {
            name: " ".into(),
            scope_unit_ids: vec![],
            sponsor_id: "nobody".into(),
            chair_id: "sam".into(),
            member_ids: vec!["sam".into()],
            starts_on: "2027-01-01".into(),
            ends_on: "2026-01-01".into(),
        };
        assert_eq!(
            check_rollout(bad, &[named("sam", "Sam Taylor")]),
            Err(vec![
                refusal("name", "Give the programme a name of up to 120 characters."),
                refusal("scope", "Pick at least one unit the programme covers."),
                refusal("sponsor", "Pick the sponsor from the list of active people."),
                refusal("chair", "The chair must be an active member of the change committee."),
                refusal("members", "Sam Taylor is not on the change committee; HR grants that role first."),
                refusal("ends_on", "The end date must come after the start."),
            ])
        );
        let undated = ProgrammeInput { name: "x".repeat(121), scope_unit_ids: vec!["north".into()], starts_on: "soon".into(), ends_on: "".into(), ..programme_input() };
        assert_eq!(
            check_rollout(undated, &[named("david", "David Kim")]),
            Err(vec![
                refusal("name", "Give the programme a name of up to 120 characters."),
                refusal("scope", "Pick units from the list."),
                refusal("starts_on", "Give the start date (YYYY-MM-DD)."),
                refusal("ends_on", "Give the end date (YYYY-MM-DD)."),
            ])
        );
        let same_day = ProgrammeInput { starts_on: "2027-01-01".into(), ends_on: "2027-01-01".into(), ..programme_input() };
        assert_eq!(check_rollout(same_day, &[named("david", "David Kim")]), Err(vec![refusal("ends_on", "The end date must come after the start.")]));
    }

    #[test]
    fn a_step_s_checklist_is_trimmed_and_locked_once_signed_off() {
        let checklist = vec![ChecklistItem { text: " Brief every manager ".into(), done: true }, ChecklistItem { text: "  ".into(), done: false }];
        assert_eq!(check_step_edit(false, 2, checklist.clone(), &[true, false]), Ok(vec![ChecklistItem { text: "Brief every manager".into(), done: true }]));
        assert_eq!(
            check_step_edit(true, 2, checklist.clone(), &[true, true]),
            Err(refusal("checklist", "This step is signed off. The chair reopens it before it changes."))
        );
        assert_eq!(check_step_edit(false, 2, checklist, &[true]), Err(refusal("criteria", "The step's criteria changed meanwhile; reload the page.")));
    }

    #[test]
    fn the_chair_signs_a_step_off_once_and_over_warnings_only_when_confirmed() {
        assert_eq!(check_sign_off(false, &[], 0, &[true], false), Ok(vec![]));
        assert_eq!(check_sign_off(true, &[], 0, &[true], true), Err(vec![refusal("sign_off", "This step is already signed off.")]));
        assert_eq!(
            check_sign_off(false, &[1], 1, &[false, false], false),
            Err(vec![
                refusal("sign_off", "Earlier step(s) 1 are not signed off yet."),
                refusal("sign_off", "1 action(s) of this step are still open."),
                refusal("sign_off", "2 completion criterion/criteria not marked as met."),
            ])
        );
        assert_eq!(check_sign_off(false, &[], 1, &[true], true), Ok(vec!["1 action(s) of this step are still open.".to_string()]), "kept with the sign-off");
    }

    fn action(step: u8, title: &str, owner: &str, due_on: &str) -> ActionInput {
        ActionInput { id: None, step, title: title.into(), owner_id: owner.into(), due_on: due_on.into(), status: crate::change::types::ActionStatus::Open }
    }

    #[test]
    fn an_action_has_a_step_a_title_an_active_owner_and_a_due_date() {
        let active = [named("david", "David Kim")];
        assert_eq!(check_action(action(1, " Listening sessions ", "david", "2026-12-15"), &active), Ok(action(1, "Listening sessions", "david", "2026-12-15")));
        assert_eq!(
            check_action(action(9, " ", "sam", "next week"), &active),
            Err(vec![
                refusal("step", "Pick one of the eight steps."),
                refusal("title", "Say what is to be done."),
                refusal("owner", "Pick the owner from the list of active people."),
                refusal("due_on", "Give the due date (YYYY-MM-DD)."),
            ])
        );
        assert_eq!(check_action(action(0, "Brief", "david", "2026-12-15"), &active), Err(vec![refusal("step", "Pick one of the eight steps.")]));
    }

    #[test]
    fn evidence_is_a_note_or_a_web_link() {
        assert_eq!(check_evidence(2, " Sponsor agreed ", " "), Ok(("Sponsor agreed".into(), None)));
        assert_eq!(check_evidence(2, "", " https://intranet/case "), Ok((String::new(), Some("https://intranet/case".into()))));
        assert_eq!(check_evidence(2, "", "http://old"), Ok((String::new(), Some("http://old".into()))));
        assert_eq!(
            check_evidence(0, " ", ""),
            Err(vec![refusal("step", "Pick one of the eight steps."), refusal("note", "Write a note or give a link.")])
        );
        assert_eq!(check_evidence(3, "See the file", "intranet/case"), Err(vec![refusal("link", "Give a web address starting with https://.")]));
    }

    fn barrier(step: u8, title: &str, detail: &str, owner: &str) -> BarrierInput {
        BarrierInput { id: None, step, title: title.into(), detail: detail.into(), owner_id: owner.into(), status: crate::change::types::BarrierStatus::Open }
    }

    #[test]
    fn a_barrier_has_a_step_a_name_and_an_active_owner() {
        let active = [named("david", "David Kim")];
        assert_eq!(check_barrier(barrier(5, " No time ", " Quarter end ", "david"), &active), Ok(barrier(5, "No time", "Quarter end", "david")));
        assert_eq!(
            check_barrier(barrier(9, "", "", "sam"), &active),
            Err(vec![
                refusal("step", "Pick one of the eight steps."),
                refusal("title", "Name the barrier."),
                refusal("owner", "Pick the owner from the list of active people."),
            ])
        );
    }

    #[test]
    fn targets_are_refused_in_the_field_of_their_metric() {
        let typed = vec![(Metric::AgreedPlans, "80%".to_string()), (Metric::FeedbackPerPersonMonth, "".into())];
        assert_eq!(check_targets(typed), Ok(vec![(Metric::AgreedPlans, Some(0.8)), (Metric::FeedbackPerPersonMonth, None)]));
        assert_eq!(
            check_targets(vec![(Metric::AgreedPlans, "120".into()), (Metric::KpisWithActuals, "90".into()), (Metric::FeedbackPerPersonMonth, "-1".into())]),
            Err(vec![
                refusal("target-agreed_plans", "People with an agreed plan: give a percentage from 0 to 100."),
                refusal("target-feedback_per_person_month", "Feedback per person per month: give a number of 0 or more."),
            ])
        );
        assert_eq!(
            Metric::AppraisalsSigned.parse_target("most"),
            Err(refusal("target-appraisals_signed", "Appraisal conversations held and signed: give a number, e.g. 80."))
        );
    }

    #[test]
    fn a_pulse_survey_has_a_title_and_one_to_ten_questions() {
        assert_eq!(
            check_pulse(" Pulse 1 ", "I know my targets\n\n  My manager coaches me \n"),
            Ok(("Pulse 1".into(), vec!["I know my targets".to_string(), "My manager coaches me".into()]))
        );
        assert_eq!(
            check_pulse(" ", " \n "),
            Err(vec![refusal("pulse_title", "Give the survey a title."), refusal("questions", "Write 1 to 10 questions, one per line.")])
        );
        let eleven = (1..=11).map(|i| format!("Question {i}")).collect::<Vec<_>>().join("\n");
        assert_eq!(check_pulse("Pulse", &eleven), Err(vec![refusal("questions", "Write 1 to 10 questions, one per line.")]));
    }

    #[test]
    fn a_pulse_is_answered_once_with_1_to_5_for_each_question() {
        let questions = ["I know my targets".to_string(), "My manager coaches me".into()];
        assert_eq!(check_pulse_answer(&questions, false, &[4, 5]), Ok(()));
        assert_eq!(check_pulse_answer(&questions, true, &[4, 5]), Err(vec![refusal("scores", "You have already answered this survey.")]));
        assert_eq!(answered_already(), refusal("scores", "You have already answered this survey."));
        assert_eq!(
            check_pulse_answer(&questions, false, &[0]),
            Err(vec![
                refusal("q0", "Pick 1 to 5 for \u{201c}I know my targets\u{201d}."),
                refusal("q1", "Pick 1 to 5 for \u{201c}My manager coaches me\u{201d}."),
            ])
        );
        assert_eq!(
            check_pulse_answer(&questions, false, &[3, 6, 2]),
            Err(vec![refusal("q1", "Pick 1 to 5 for \u{201c}My manager coaches me\u{201d}."), refusal("scores", "Answer each question once.")])
        );
    }

    /// The whole (0) > Sales (1) > North (2), South (3); People & Culture (4).
    const PARENTS: [Option<usize>; 5] = [None, Some(0), Some(1), Some(1), Some(0)];

    fn shown(figure: &Figure<PulseResult>) -> &PulseResult {
        figure.shown().unwrap_or_else(|| panic!("shown: {figure:?}"))
    }

    #[test]
    fn survey_results_per_unit_with_its_sub_units_and_per_question() {
        let answers = vec![vec![], vec![vec![1, 5]], vec![vec![4, 5]; 7], vec![vec![3, 4]; 5], vec![vec![2, 2]; 5]];
        let figures = pulse_figures(2, &PARENTS, &answers);
        let whole = shown(&figures[0]);
        assert_eq!(whole.answers, 18);
        assert_eq!(whole.questions[0].distribution, [1, 5, 5, 7, 0]);
        assert!((whole.questions[1].favourable - 13.0 / 18.0).abs() < 1e-9);
        let sales = shown(&figures[1]);
        assert_eq!(sales.answers, 13, "Sales counts its sub-units");
        assert!((sales.questions[0].mean - 44.0 / 13.0).abs() < 1e-9);
        // Sales less North and South would be the one answer directly in Sales: the smaller goes.
        assert_eq!(shown(&figures[2]).answers, 7);
        assert_eq!(figures[3], Figure::Hidden(Hidden::Complementary));
        assert_eq!(shown(&figures[4]).answers, 5);
    }

    #[test]
    fn a_lone_answer_is_never_shown_nor_counted_nor_worked_out() {
        // The finding: the whole less the units shown was one person's answers.
        let answers = vec![vec![], vec![], vec![vec![4, 4]; 6], vec![vec![3, 3]; 5], vec![vec![1, 5]]];
        let figures = pulse_figures(2, &PARENTS, &answers);
        assert_eq!(figures[4], Figure::Hidden(Hidden::TooFew));
        // The whole less Sales would be that one too, and Sales is North and South exactly: Sales
        // and its smaller sub-unit go, and the whole less North is six answers.
        assert_eq!(figures[1], Figure::Hidden(Hidden::Complementary));
        assert_eq!(figures[3], Figure::Hidden(Hidden::Complementary));
        assert_eq!(shown(&figures[0]).answers - shown(&figures[2]).answers, 6);
    }

    #[test]
    fn incomplete_answers_do_not_count_and_no_answers_shows_nothing() {
        let answers = vec![vec![vec![5, 4], vec![5], vec![0, 3], vec![4, 6], vec![2, 2], vec![3, 3], vec![1, 1]], vec![], vec![], vec![], vec![]];
        assert_eq!(pulse_figures(2, &PARENTS, &answers)[0], Figure::Hidden(Hidden::TooFew), "four complete answers");
        let figures = pulse_figures(2, &PARENTS, &[vec![vec![5, 4]; 5], vec![], vec![], vec![], vec![]]);
        assert_eq!(shown(&figures[0]).answers, 5);
        assert_eq!(figures[1], Figure::Hidden(Hidden::TooFew), "no answers: not shown, so the list does not tell who took part");
        let one = pulse_figures(1, &[None], &[vec![vec![5], vec![4], vec![4], vec![2], vec![1]]]);
        let s = &shown(&one[0]).questions[0];
        assert_eq!(s.distribution, [1, 1, 0, 2, 1]);
        assert!((s.mean - 3.2).abs() < 1e-9);
        assert!((s.favourable - 0.6).abs() < 1e-9);
    }

    /// A random survey: a tree of groups (each parent before its child), each with its own answers
    /// to one question.
    fn survey() -> impl proptest::strategy::Strategy<Value = (Vec<Option<usize>>, Vec<Vec<Vec<u8>>>)> {
        use proptest::prelude::*;
        prop::collection::vec((any::<prop::sample::Index>(), prop::collection::vec(1u8..=5, 0..9)), 1..8).prop_map(|rows| {
            let parents = (0..rows.len()).map(|i| (i > 0).then(|| rows[i].0.index(i))).collect();
            (parents, rows.into_iter().map(|(_, scores)| scores.into_iter().map(|s| vec![s]).collect()).collect())
        })
    }

    proptest::proptest! {
        /// What the committee could do with the figures: take a shown group and subtract any shown
        /// groups inside it. What is left is nobody's answer, or the answers of five or more.
        #[test]
        fn no_answer_of_a_group_under_five_is_left_by_subtracting_shown_groups((parents, answers) in survey()) {
            let figures = pulse_figures(1, &parents, &answers);
            let inside = |a: usize, b: usize| ancestry(&parents.iter().map(|p| Group { parent: *p, own: 0 }).collect::<Vec<_>>(), a).contains(&b);
            let distribution = |g: usize| figures[g].shown().map(|r| r.questions.first().map_or([0; 5], |q| q.distribution));
            for total in 0..parents.len() {
                let Some(whole) = distribution(total) else { continue };
                let parts: Vec<usize> = (0..parents.len()).filter(|g| *g != total && inside(*g, total) && figures[*g].shown().is_some()).collect();
                for mask in 0u32..(1 << parts.len()) {
                    let picked: Vec<usize> = (0..parts.len()).filter(|k| mask & (1 << k) != 0).map(|k| parts[k]).collect();
                    if picked.iter().any(|a| picked.iter().any(|b| a != b && inside(*a, *b))) {
                        continue;
                    }
                    let mut left = whole;
                    for g in &picked {
                        let part = distribution(*g).unwrap_or_default();
                        (0..5).for_each(|k| left[k] -= part[k]);
                    }
                    let people: usize = left.iter().sum();
                    proptest::prop_assert!(people == 0 || people >= MIN_GROUP, "{left:?} left of group {total} less {picked:?}: {figures:?}");
                }
            }
            for (g, figure) in figures.iter().enumerate() {
                if let Some(shown) = figure.shown() {
                    proptest::prop_assert!(shown.answers >= MIN_GROUP, "group {g}: {shown:?}");
                }
            }
        }
    }

    fn unit(id: &str, parent: Option<&str>) -> Unit {
        Unit { id: id.into(), code: id.to_uppercase(), name: id.into(), parent_id: parent.map(Into::into) }
    }

    fn people(n: usize, agreed: usize) -> UnitCounts {
        UnitCounts { people: n, agreed_plans: agreed, ..Default::default() }
    }

    #[test]
    fn adoption_per_unit_with_its_sub_units_and_one_person_units_hidden() {
        let units = vec![unit("hq", None), unit("sales", Some("hq")), unit("north", Some("sales")), unit("south", Some("sales")), unit("tech", Some("hq"))];
        let direct: HashMap<String, UnitCounts> =
            [("hq", people(3, 1)), ("sales", people(1, 1)), ("north", people(6, 3)), ("south", people(5, 5)), ("tech", people(4, 0))]
                .into_iter()
                .map(|(u, c)| (u.to_owned(), c))
                .collect();
        let (figures, total) = adoption_figures(&units, &direct, &["hq".into()]);
        assert_eq!(figures["hq"], Figure::Shown(people(19, 10)));
        assert_eq!(total, figures["hq"], "one unit at the top: the total is that unit");
        assert_eq!(figures["sales"], Figure::Shown(people(12, 9)));
        assert_eq!(figures["north"], Figure::Shown(people(6, 3)));
        assert_eq!(figures["south"], Figure::Hidden(Hidden::Complementary), "Sales less North and South would be its director");
        assert_eq!(figures["tech"], Figure::Hidden(Hidden::TooFew));
        // 19 − 12 = 7: the three directly in head office and Technology's four together.

        let (_, sales) = adoption_figures(&units, &direct, &["sales".into(), "north".into()]);
        assert_eq!(sales, figures["sales"], "a unit inside another in scope is counted once");
        let (_, two) = adoption_figures(&units, &direct, &["north".into(), "tech".into()]);
        assert_eq!(two, Figure::Hidden(Hidden::Complementary), "North + Technology less North would be Technology");
        let (_, two) = adoption_figures(&units, &direct, &["north".into(), "sales".into(), "hq".into()]);
        assert_eq!(two, figures["hq"]);
        let (_, small) = adoption_figures(&units, &direct, &["tech".into()]);
        assert_eq!(small, Figure::Hidden(Hidden::TooFew));
    }

    #[test]
    fn a_trend_day_has_rounded_values_and_no_counts() {
        let point = trend_point(&UnitCounts { people: 41, agreed_plans: 31, feedback_last_month: 50, ..Default::default() });
        assert_eq!(point, vec![(Metric::AgreedPlans, 0.76), (Metric::SelfAssessmentsSubmitted, 0.0), (Metric::FeedbackPerPersonMonth, 1.2)]);
    }
}
