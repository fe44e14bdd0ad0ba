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

/// A person's tasks as of `today`: overdue first, then by due date, then those without one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskList {
    pub today: String,
    pub tasks: Vec<Task>,
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
}

#[derive(Clone, Debug)]
pub struct AskedFeedback {
    pub asker_name: String,
    pub message: String,
    pub asked_on: String,
}
