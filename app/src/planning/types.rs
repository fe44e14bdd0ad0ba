//! Cycles, goals, plans of KRAs and KPIs, the KPI library, competencies, actuals and scorecards.

use serde::{Deserialize, Serialize};

use crate::planning::scoring::{KpiScore, Rollup, Status, Targets};

/// Where a cycle stands; HR moves it forward one step at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CycleState {
    Planning,
    Active,
    Appraisal,
    Closed,
}

impl CycleState {
    pub fn as_str(self) -> &'static str {
        match self {
            CycleState::Planning => "planning",
            CycleState::Active => "active",
            CycleState::Appraisal => "appraisal",
            CycleState::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CycleState::Planning => "Planning",
            CycleState::Active => "Active",
            CycleState::Appraisal => "Appraisal",
            CycleState::Closed => "Closed",
        }
    }

    /// What moving a cycle into this state does, said before HR confirms it: no move goes back.
    pub fn moving_means(self) -> &'static str {
        match self {
            CycleState::Planning => "The cycle opens for planning.",
            CycleState::Active => "Plans are worked on and actuals recorded; the cycle cannot go back to planning.",
            CycleState::Appraisal => "Every plan freezes and an appraisal opens for everyone with a plan. This cannot be undone.",
            CycleState::Closed => "Ratings, actuals and merit become final and read-only. This cannot be undone.",
        }
    }

    pub fn next(self) -> Option<CycleState> {
        match self {
            CycleState::Planning => Some(CycleState::Active),
            CycleState::Active => Some(CycleState::Appraisal),
            CycleState::Appraisal => Some(CycleState::Closed),
            CycleState::Closed => None,
        }
    }

    /// Plans can be drafted and changed (changes needing agreement again) until appraisal.
    pub fn plans_open(self) -> bool {
        matches!(self, CycleState::Planning | CycleState::Active)
    }

    /// Actuals come in while the cycle runs and during appraisal (for the last period).
    pub fn actuals_open(self) -> bool {
        matches!(self, CycleState::Active | CycleState::Appraisal)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Month,
    Quarter,
}

impl PeriodKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
        }
    }

    pub fn months(self) -> u32 {
        match self {
            PeriodKind::Month => 1,
            PeriodKind::Quarter => 3,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cycle {
    pub id: String,
    pub name: String,
    /// `YYYY-MM-DD`, the first day of a month.
    pub starts_on: String,
    /// `YYYY-MM-DD`, the last day of a month.
    pub ends_on: String,
    pub period_kind: PeriodKind,
    pub state: CycleState,
    /// Older copies on a device have none: read as none set.
    #[serde(default)]
    pub deadlines: Deadlines,
}

/// The dates HR sets for a cycle's milestones; people's tasks are due by them. None is assumed:
/// until HR sets one, its tasks have no due date.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadlines {
    /// Every plan agreed (approved) by this day, `YYYY-MM-DD`.
    pub plans_agreed_by: Option<String>,
    /// A period's actuals recorded within this many days of its end.
    pub actuals_within_days: Option<u32>,
    pub self_assessment_by: Option<String>,
    /// Appraisal conversations held and signed by this day.
    pub conversations_by: Option<String>,
    pub calibration_by: Option<String>,
    /// A manager holds a check-in with each direct report at least this often (days).
    #[serde(default)]
    pub check_in_every_days: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CycleInput {
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub period_kind: PeriodKind,
}

/// A review period inside a cycle, derived from the cycle's dates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Period {
    /// `Q1`… or `M01`…, counted from the cycle's start.
    pub key: String,
    /// e.g. `Q1 (Jul–Sep 2026)`.
    pub label: String,
    pub starts_on: String,
    pub ends_on: String,
}

/// An organisational goal (no unit) or a unit goal cascaded from one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    pub id: String,
    pub cycle_id: String,
    pub title: String,
    pub description: String,
    pub unit_id: Option<String>,
    pub unit_name: Option<String>,
    pub parent_id: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GoalInput {
    pub cycle_id: String,
    pub title: String,
    pub description: String,
    pub unit_id: Option<String>,
    pub parent_id: Option<String>,
}

/// How many plans serve a goal (directly or through the unit goals cascaded from it).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    pub people: usize,
    /// The mean weight, in %, of the KRAs serving the goal in those plans.
    pub mean_weight: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GoalWithCoverage {
    pub goal: Goal,
    pub coverage: Coverage,
    /// Nesting for display: 0 organisational, 1 cascaded once, …
    pub depth: usize,
}

/// The goals page: a cycle's goal tree with coverage, and what the HR form offers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GoalsOverview {
    pub cycle: Cycle,
    pub cycles: Vec<Cycle>,
    pub goals: Vec<GoalWithCoverage>,
    pub units: Vec<(String, String)>,
}

/// A plan's KRA that serves a goal, for the view down from a goal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServingKra {
    pub person_id: String,
    pub person_name: String,
    pub kra_title: String,
    pub weight: f64,
    pub goal_title: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GoalDetail {
    /// The goal and the goals above it, organisational goal last.
    pub path: Vec<Goal>,
    pub children: Vec<GoalWithCoverage>,
    pub coverage: Coverage,
    /// Only the plans the caller may see (own, their reporting line, everyone for HR).
    pub serving: Vec<ServingKra>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Monthly,
    Quarterly,
    Annually,
}

impl Frequency {
    pub const ALL: [Frequency; 3] = [Frequency::Monthly, Frequency::Quarterly, Frequency::Annually];

    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Monthly => "monthly",
            Frequency::Quarterly => "quarterly",
            Frequency::Annually => "annually",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Frequency::Monthly => "Monthly",
            Frequency::Quarterly => "Quarterly",
            Frequency::Annually => "Annually",
        }
    }

    pub fn parse(text: &str) -> Option<Frequency> {
        Frequency::ALL.into_iter().find(|f| f.as_str() == text.trim())
    }
}

/// What a KPI measures and the numbers it is scored against.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KpiSpec {
    pub name: String,
    /// The unit of measure: `%`, `EUR`, `days`…
    pub measure: String,
    pub targets: Targets,
    pub frequency: Frequency,
    pub data_source: String,
}

/// A KPI template of the library, for a job title.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KpiTemplate {
    /// Empty for a new template.
    pub id: String,
    pub job_title: String,
    pub spec: KpiSpec,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Kpi {
    /// Stable within the plan (actuals refer to it); empty for a KPI not saved yet.
    pub id: String,
    pub spec: KpiSpec,
    /// Share of its KRA, in %; a KRA's KPI weights add to 100.
    pub weight: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Kra {
    pub id: String,
    pub title: String,
    /// Share of the plan, in %; a plan's KRA weights add to 100.
    pub weight: f64,
    /// The goal this KRA serves.
    pub goal_id: String,
    pub kpis: Vec<Kpi>,
}

/// Plan agreement: the manager drafts and sends it, the employee acknowledges (or asks for
/// changes), the manager approves. A change after that starts again from a draft.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanState {
    Draft,
    WithEmployee,
    Acknowledged,
    Approved,
}

impl PlanState {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanState::Draft => "draft",
            PlanState::WithEmployee => "with_employee",
            PlanState::Acknowledged => "acknowledged",
            PlanState::Approved => "approved",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PlanState::Draft => "Draft",
            PlanState::WithEmployee => "Waiting for the employee",
            PlanState::Acknowledged => "Acknowledged, waiting for approval",
            PlanState::Approved => "Agreed",
        }
    }

    /// The state after `step`, or why the step cannot be taken now.
    pub fn after(self, step: PlanStep) -> Result<PlanState, String> {
        match (self, step) {
            (PlanState::Draft, PlanStep::Send) => Ok(PlanState::WithEmployee),
            (PlanState::WithEmployee, PlanStep::Acknowledge) => Ok(PlanState::Acknowledged),
            (PlanState::WithEmployee | PlanState::Acknowledged, PlanStep::RequestChanges) => Ok(PlanState::Draft),
            (PlanState::Acknowledged, PlanStep::Approve) => Ok(PlanState::Approved),
            (state, step) => Err(format!("A plan that is “{}” cannot be {} now.", state.label(), step.past())),
        }
    }
}

/// A step of plan agreement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStep {
    /// Manager: send the draft to the employee.
    Send,
    /// Employee: I have read it and agree.
    Acknowledge,
    /// Employee: it needs changes (with a comment).
    RequestChanges,
    /// Manager: the plan is agreed.
    Approve,
}

impl PlanStep {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanStep::Send => "send",
            PlanStep::Acknowledge => "acknowledge",
            PlanStep::RequestChanges => "request_changes",
            PlanStep::Approve => "approve",
        }
    }

    fn past(self) -> &'static str {
        match self {
            PlanStep::Send => "sent",
            PlanStep::Acknowledge => "acknowledged",
            PlanStep::RequestChanges => "sent back",
            PlanStep::Approve => "approved",
        }
    }

    /// Whether the employee takes this step (the others are the manager's).
    pub fn by_employee(self) -> bool {
        matches!(self, PlanStep::Acknowledge | PlanStep::RequestChanges)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub id: String,
    pub person_id: String,
    pub person_name: String,
    pub cycle_id: String,
    pub state: PlanState,
    pub kras: Vec<Kra>,
    /// The employee's last comment when asking for changes.
    pub comment: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanInput {
    pub person_id: String,
    pub cycle_id: String,
    pub kras: Vec<Kra>,
}

/// One change to a plan: who, when, and the plan before and after (as JSON).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanChange {
    pub at: String,
    pub actor_name: String,
    pub action: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// One field of a plan as a change left it, for the history: "KRA “Delivery” · weight", 40 % → 50 %.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// Everything the plan page needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanView {
    pub cycle: Cycle,
    pub person: crate::org::people_types::Person,
    /// `None` until a manager starts one.
    pub plan: Option<Plan>,
    /// The goals of the cycle the person's KRAs may serve.
    pub goals: Vec<Goal>,
    /// Library templates for the person's job title first, then the rest.
    pub library: Vec<KpiTemplate>,
    pub may_edit: bool,
    pub is_own: bool,
    pub history: Vec<PlanChange>,
}

/// A competency and what each proficiency level looks like in behaviour.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Competency {
    pub id: String,
    pub name: String,
    pub description: String,
    pub levels: Vec<ProficiencyLevel>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProficiencyLevel {
    pub level: u8,
    pub name: String,
    /// Observable behaviours that anchor this level.
    pub indicators: Vec<String>,
}

/// The level a job title is expected to show in each competency.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoleProfile {
    pub job_title: String,
    /// (competency id, expected level)
    pub expected: Vec<(String, u8)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompetencyFramework {
    pub competencies: Vec<Competency>,
    pub profiles: Vec<RoleProfile>,
}

/// How an actual arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActualSource {
    Form,
    Csv,
    Api,
    /// Entered by the person on their device, offline too, and synced.
    Device,
}

impl ActualSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ActualSource::Form => "form",
            ActualSource::Csv => "csv",
            ActualSource::Api => "api",
            ActualSource::Device => "device",
        }
    }
}

/// A KPI's actual for one review period, with its evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Actual {
    pub kpi_id: String,
    pub period_key: String,
    pub value: f64,
    pub note: String,
    pub link: Option<String>,
    pub source: ActualSource,
    /// The person or integration that recorded it.
    pub recorded_by: String,
    pub recorded_at: String,
}

/// An actual entered in the form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActualInput {
    pub person_id: String,
    pub cycle_id: String,
    pub kpi_id: String,
    pub period_key: String,
    /// As typed; checked on the server.
    pub value: String,
    pub note: String,
    pub link: String,
}

/// One row of an actuals import (CSV or JSON API), identified the way people and systems know
/// them: the person's email, the KPI's name in their plan, the period's key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActualRow {
    pub email: String,
    pub kpi: String,
    pub period: String,
    pub value: f64,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub link: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActualsImported {
    pub recorded: usize,
    pub plans: usize,
}

/// One period of a KPI on a scorecard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeriodResult {
    pub period: Period,
    pub actual: Option<Actual>,
    pub score: Option<KpiScore>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KpiCard {
    pub kpi: Kpi,
    pub periods: Vec<PeriodResult>,
    /// The mean of the period scores with data; `None`: no data yet.
    pub score: Option<f64>,
    pub why: String,
    pub status: Option<Status>,
    pub status_why: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KraCard {
    pub kra: Kra,
    /// The goal it serves and the goals above it, organisational goal last.
    pub goal_path: Vec<String>,
    pub rollup: Option<Rollup>,
    pub kpis: Vec<KpiCard>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts {
    pub on_track: usize,
    pub behind: usize,
    pub at_risk: usize,
    pub no_data: usize,
}

impl StatusCounts {
    pub fn add(&mut self, status: Option<Status>) {
        match status {
            Some(Status::OnTrack) => self.on_track += 1,
            Some(Status::Behind) => self.behind += 1,
            Some(Status::AtRisk) => self.at_risk += 1,
            None => self.no_data += 1,
        }
    }

    pub fn merge(&mut self, other: &StatusCounts) {
        self.on_track += other.on_track;
        self.behind += other.behind;
        self.at_risk += other.at_risk;
        self.no_data += other.no_data;
    }
}

/// A person's scorecard for a cycle, every number with its why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    pub cycle: Cycle,
    pub person: crate::org::people_types::Person,
    pub plan: Plan,
    pub kras: Vec<KraCard>,
    pub rollup: Option<Rollup>,
    pub rating: Option<crate::planning::scoring::RatingBand>,
    pub status: StatusCounts,
    /// Whether actuals can be recorded now (the cycle is active or in appraisal).
    pub actuals_open: bool,
}

/// A person's line on a team, unit or organisation scorecard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScorecardLine {
    pub person_id: String,
    pub person_name: String,
    pub unit_name: String,
    pub plan_state: Option<PlanState>,
    pub score: Option<f64>,
    pub rating: Option<u8>,
    pub status: StatusCounts,
}

/// The scorecard of a group of people: team, unit (with the units below it) or organisation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupScorecard {
    pub title: String,
    pub cycle: Cycle,
    pub lines: Vec<ScorecardLine>,
    /// People per rating, lowest rating first: (rating, label, count).
    pub distribution: Vec<(u8, String, usize)>,
    pub status: StatusCounts,
    pub mean_score: Option<f64>,
    pub with_agreed_plan: usize,
}

/// A plan's stored summary: its score and each KPI's latest progress (status is worked out on
/// reading, since it depends on the day). Progress is grouped by period because dashboards read
/// every summary of a cycle: one small array per plan reads far faster than an object per KPI.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlanSummary {
    // Left out rather than null when missing: the schema's `option<float>` takes NONE, not NULL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// The achievements of the KPIs whose latest actual is in each period.
    pub latest: Vec<PeriodAchievements>,
    /// How many KPIs have no actual yet.
    pub no_data: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeriodAchievements {
    pub period: String,
    pub achievements: Vec<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KpiProgress {
    /// `None`: no actual yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achievement: Option<f64>,
    /// The key of the latest period with an actual (empty without one).
    pub period: String,
}

/// An external system allowed to push actuals through the JSON API.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Integration {
    pub id: String,
    pub name: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub active: bool,
}

/// A new integration and its token, shown once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IssuedToken {
    pub integration: Integration,
    pub token: String,
}
