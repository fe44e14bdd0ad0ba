//! The change programme the committee steers with Kotter's steps, and what it measures.

use serde::{Deserialize, Serialize};

use crate::disclosure::Figure;

/// A person or unit as a list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub id: String,
    pub name: String,
}

impl Named {
    /// `(value, label)` options for a drop-down or a set of checkboxes.
    pub fn options(list: &[Named]) -> Vec<(String, String)> {
        list.iter().map(|n| (n.id.clone(), n.name.clone())).collect()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgrammeInput {
    pub name: String,
    pub scope_unit_ids: Vec<String>,
    pub sponsor_id: String,
    pub chair_id: String,
    pub member_ids: Vec<String>,
    pub starts_on: String,
    pub ends_on: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Programme {
    pub id: String,
    pub name: String,
    pub scope: Vec<Named>,
    pub sponsor: Named,
    pub chair: Named,
    pub members: Vec<Named>,
    pub starts_on: String,
    pub ends_on: String,
    /// Per step (1–8), whether the chair has signed it off.
    pub signed: Vec<bool>,
}

impl Programme {
    /// Where the programme stands: the first step not signed off (9 when all are).
    pub fn current_step(&self) -> u8 {
        self.signed.iter().position(|s| !s).map_or(9, |i| i as u8 + 1)
    }
}

/// What the programmes page lists and its form picks from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgrammeList {
    pub programmes: Vec<Programme>,
    pub units: Vec<crate::org::types::Unit>,
    pub people: Vec<Named>,
    /// Who holds the change committee role: chair and members come from here.
    pub committee: Vec<Named>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ChecklistItem {
    pub text: String,
    pub done: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOff {
    pub by: String,
    pub on: String,
    /// The warnings the chair saw and signed off over.
    pub warnings: Vec<String>,
}

/// One Kotter step of a programme: the committee's checklist, which criteria are met, sign-off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    pub number: u8,
    pub checklist: Vec<ChecklistItem>,
    pub criteria_met: Vec<bool>,
    pub sign_off: Option<SignOff>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Open,
    InProgress,
    Done,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 3] = [ActionStatus::Open, ActionStatus::InProgress, ActionStatus::Done];

    pub fn label(self) -> &'static str {
        match self {
            ActionStatus::Open => "Open",
            ActionStatus::InProgress => "In progress",
            ActionStatus::Done => "Done",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeAction {
    pub id: String,
    pub step: u8,
    pub title: String,
    pub owner: Named,
    pub due_on: String,
    pub status: ActionStatus,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionInput {
    /// `None` adds an action.
    pub id: Option<String>,
    pub step: u8,
    pub title: String,
    pub owner_id: String,
    pub due_on: String,
    pub status: ActionStatus,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub id: String,
    pub step: u8,
    pub note: String,
    pub link: Option<String>,
    pub added_by: String,
    pub added_on: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BarrierStatus {
    Open,
    BeingRemoved,
    Removed,
}

impl BarrierStatus {
    pub const ALL: [BarrierStatus; 3] = [BarrierStatus::Open, BarrierStatus::BeingRemoved, BarrierStatus::Removed];

    pub fn label(self) -> &'static str {
        match self {
            BarrierStatus::Open => "Open",
            BarrierStatus::BeingRemoved => "Being removed",
            BarrierStatus::Removed => "Removed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Barrier {
    pub id: String,
    pub title: String,
    pub detail: String,
    pub owner: Named,
    pub status: BarrierStatus,
    /// The step it blocks.
    pub step: u8,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BarrierInput {
    pub id: Option<String>,
    pub title: String,
    pub detail: String,
    pub owner_id: String,
    pub status: BarrierStatus,
    pub step: u8,
}

/// A pulse survey as the committee sees it: no figure of a group under five, nor one that would
/// give a smaller group away; results once the survey is closed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PulseSurvey {
    pub id: String,
    pub title: String,
    pub questions: Vec<String>,
    pub open: bool,
    /// How many in the programme's scope answered.
    pub answers: Figure<usize>,
    /// The whole scope's results per question.
    pub results: Figure<Vec<PulseSummary>>,
    /// Once closed, each unit in scope in tree order (with the units below it); empty while open.
    pub by_unit: Vec<PulseGroup>,
}

/// One unit's results of a survey, with the units below it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PulseGroup {
    pub unit: String,
    pub depth: usize,
    pub result: Figure<PulseResult>,
}

/// Everything the wizard shows of one programme.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgrammeView {
    pub programme: Programme,
    pub steps: Vec<StepRecord>,
    pub actions: Vec<ChangeAction>,
    pub evidence: Vec<Evidence>,
    pub barriers: Vec<Barrier>,
    pub pulses: Vec<PulseSurvey>,
    /// Who may own an action or a barrier.
    pub people: Vec<Named>,
    pub viewer_is_chair: bool,
}

/// A survey open to the signed-in person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpenPulse {
    pub id: String,
    pub programme: String,
    pub title: String,
    pub questions: Vec<String>,
    pub answered: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WinDecision {
    Accepted,
    Dismissed,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Win {
    pub unit: Named,
    pub metric: Metric,
    pub value: f64,
    pub target: f64,
    /// `None`: proposed, waiting for the committee.
    pub decision: Option<WinDecision>,
    pub decided_on: Option<String>,
}

/// One unit's row of the adoption heat table: the unit with the units below it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitAdoption {
    pub unit: Named,
    pub depth: usize,
    pub counts: Figure<UnitCounts>,
}

/// The adoption dashboard of a programme: aggregates only, never a person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdoptionReport {
    pub programme: Programme,
    pub cycle: String,
    /// The review period the KPI metric counts actuals for, if one has ended.
    pub last_period: Option<String>,
    pub units: Vec<UnitAdoption>,
    pub total: Figure<UnitCounts>,
    pub targets: Vec<(Metric, f64)>,
    /// The whole scope's values per day, oldest first: rounded, without counts, and only the days
    /// whose figures could be shown.
    pub history: Vec<(String, Vec<(Metric, f64)>)>,
    /// Wins of units whose figures are shown.
    pub wins: Vec<Win>,
}

/// The adoption metrics, computed from real use of the system.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    AgreedPlans,
    KpisWithActuals,
    SelfAssessmentsSubmitted,
    AppraisalsSigned,
    FeedbackPerPersonMonth,
    DevelopmentActionsCompleted,
    TrainingsLinkedToKpi,
}

/// One group's results of a survey: how many answered, and per question (empty with no answers).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PulseResult {
    pub answers: usize,
    pub questions: Vec<PulseSummary>,
}

/// The summary of one question's answers on a 1–5 scale.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PulseSummary {
    pub answers: usize,
    pub mean: f64,
    /// How many answered 1, 2, 3, 4, 5.
    pub distribution: [usize; 5],
    /// Share answering 4 or 5.
    pub favourable: f64,
}

/// What the server counts for one unit (and the units below it).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UnitCounts {
    pub people: usize,
    pub agreed_plans: usize,
    pub kpis_due: usize,
    pub kpis_with_actuals: usize,
    pub self_assessments_submitted: usize,
    pub appraisals_open: usize,
    pub appraisals_signed: usize,
    /// Feedback given to people of the unit in the last 30 days.
    pub feedback_last_month: usize,
    pub development_actions: usize,
    pub development_actions_completed: usize,
    pub trainings: usize,
    pub trainings_linked: usize,
}

