use serde::{Deserialize, Serialize};

/// What the navigation needs beyond a person's roles: which places exist for them now, so no
/// menu item leads to "not found".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Places {
    /// A plan in the current cycle: one's scorecard exists.
    pub has_plan: bool,
    /// A cycle in appraisal: merit proposals exist.
    pub merit_open: bool,
}

/// One thing a person should do: what, why it matters (the goal or KPI it serves), by when, and
/// the page where it is done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub what: String,
    pub why: String,
    /// `YYYY-MM-DD`, or none when HR has set no deadline for it.
    pub due_on: Option<String>,
    pub overdue: bool,
    pub link: String,
}

/// A person's tasks as of `today`: overdue first, then by due date, then those without one;
/// and, below them, how the person is doing.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskList {
    pub today: String,
    pub tasks: Vec<Task>,
    /// None without a plan in the current cycle.
    #[serde(default)]
    pub progress: Option<Progress>,
}

/// How the person is doing, at a glance: their plan's score and rating so far, their KPIs by
/// status, their run toward the consistency award, the feedback they received this month.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub cycle_name: String,
    /// The plan's weighted score so far (1.0 = on target); none before any result.
    pub score: Option<f64>,
    pub rating: Option<String>,
    pub status: crate::planning::types::StatusCounts,
    /// Periods at or above target in a row, of `needed` for the award.
    pub run: usize,
    pub needed: usize,
    pub earned: bool,
    pub feedback_this_month: usize,
}

impl Progress {
    /// "84.2% (2 — Below target)", as the home and the weekly digest say it.
    pub fn score_words(&self) -> String {
        use crate::planning::scoring::percent;
        match (self.score, &self.rating) {
            (Some(score), Some(rating)) => format!("{} ({rating})", percent(score)),
            (Some(score), None) => percent(score),
            _ => "No results yet".into(),
        }
    }

    pub fn run_words(&self) -> String {
        match (self.earned, self.run) {
            (true, _) => format!("Earned: at or above target for {} periods in a row", self.needed),
            (false, 0) => format!("Not started: {} periods in a row at or above target earn it", self.needed),
            (false, run) => format!("{run} of {} periods in a row at or above target", self.needed),
        }
    }

    pub fn feedback_words(&self) -> String {
        match self.feedback_this_month {
            0 => "None yet: ask a colleague".to_owned(),
            1 => "1 piece".to_owned(),
            n => format!("{n} pieces"),
        }
    }

    pub fn status_words(&self) -> String {
        let s = &self.status;
        format!("{} on track, {} at risk, {} behind, {} without results", s.on_track, s.at_risk, s.behind, s.no_data)
    }
}

/// What the task rules read for one person (and, for a manager, their direct reports).
#[derive(Clone, Debug, Default)]
pub struct TaskFacts {
    /// The current cycle: plans and actuals.
    pub cycle: Option<crate::planning::types::Cycle>,
    /// The cycle in appraisal, when there is one (it may be last year's): appraisal work and the
    /// self-assessment go by its deadlines.
    pub appraisal_cycle: Option<crate::planning::types::Cycle>,
    pub periods: Vec<crate::planning::types::Period>,
    /// Goal id → title, for what a KRA serves.
    pub goals: std::collections::HashMap<String, String>,
    pub own: OwnFacts,
    pub reports: Vec<ReportFacts>,
    /// Feedback asked of the person and not yet answered.
    pub asked: Vec<AskedFeedback>,
    /// Development items not done: (title, what it should move, due on).
    pub development: Vec<(String, String, String)>,
    /// Open pulse surveys the person has not answered: (title, programme).
    pub pulses: Vec<(String, String)>,
    /// HR: each unit's plans in the current cycle (none for anyone else).
    pub unit_plans: Vec<UnitPlans>,
    /// HR: each unit's appraisals in the cycle under appraisal and its calibration.
    pub unit_appraisals: Vec<UnitAppraisals>,
    /// HR: each unit's merit proposals once ratings are settled: (unit id, unit name, raises
    /// proposed, approved).
    pub unit_merit: Vec<(String, String, usize, bool)>,
    /// The change programmes the person is on (committee members, chairs, action owners).
    pub change: Vec<ChangeFacts>,
}

/// How far a unit's people are with their plans (people in the unit itself, not below it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnitPlans {
    pub unit_id: String,
    pub unit_name: String,
    pub people: usize,
    pub without_plan: usize,
    /// Plans that exist and are not agreed yet.
    pub not_agreed: usize,
}

/// How far a unit's appraisals are, and whether HR has locked its calibration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnitAppraisals {
    pub unit_id: String,
    pub unit_name: String,
    pub appraisals: usize,
    /// Appraisals whose ratings the manager has submitted.
    pub rated: usize,
    pub locked: bool,
}

/// What a change programme asks of the person.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChangeFacts {
    pub programme_id: String,
    pub programme_name: String,
    pub is_chair: bool,
    /// Actions the person owns that are not done: (Kotter step, title, due on).
    pub actions: Vec<(u8, String, String)>,
    /// The first step not signed off, and whether all its criteria are met.
    pub next_step: Option<(u8, bool)>,
    /// Open pulse surveys and how many answered (none while too few to show).
    pub open_pulses: Vec<(String, Option<usize>)>,
    /// Adoption targets the programme's scope is below: (metric, value, target).
    pub missed_targets: Vec<(crate::change::types::Metric, f64, f64)>,
}

#[derive(Clone, Debug, Default)]
pub struct OwnFacts {
    pub plan: Option<crate::planning::types::Plan>,
    /// (KPI id, period key) of every actual recorded on the plan.
    pub recorded: std::collections::HashSet<(String, String)>,
    /// Of the cycle in appraisal when one's own appraisal is there, else of the current cycle.
    pub self_assessment_submitted: bool,
    pub appraisal: Option<AppraisalFacts>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AppraisalFacts {
    pub state: crate::appraisal::types::AppraisalState,
    pub manager_signed: bool,
}

#[derive(Clone, Debug)]
pub struct ReportFacts {
    pub id: String,
    pub name: String,
    pub plan_state: Option<crate::planning::types::PlanState>,
    pub appraisal: Option<AppraisalFacts>,
    /// The day of the last check-in completed with them (`YYYY-MM-DD`), if any.
    pub last_check_in: Option<String>,
}

#[derive(Clone, Debug)]
pub struct AskedFeedback {
    pub asker_name: String,
    pub message: String,
    pub asked_on: String,
}
