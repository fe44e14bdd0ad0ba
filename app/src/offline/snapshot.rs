//! What a phone keeps to work offline, besides the synced records: drawn from every domain.

use serde::{Deserialize, Serialize};

use crate::appraisal::types::AppraisalView;
use crate::org::people_types::Colleague;
use crate::planning::types::{CompetencyFramework, Cycle, Scorecard};

/// What a phone keeps, besides the synced records, to work offline: the current cycle, the
/// competency framework with its anchors, the person's scorecard (their plan's KPIs and scores)
/// and the colleagues they may give feedback to or ask.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OfflineSnapshot {
    pub person_id: String,
    pub cycle: Cycle,
    pub framework: CompetencyFramework,
    pub scorecard: Option<Scorecard>,
    pub colleagues: Vec<Colleague>,
    /// The appraisal conversations the person takes part in (their own, their reports').
    #[serde(default)]
    pub appraisals: Vec<AppraisalView>,
    /// Whom the person holds check-ins with: their manager and their direct reports.
    #[serde(default)]
    pub manager_id: Option<String>,
    #[serde(default)]
    pub reports: Vec<String>,
    /// The KPIs of each direct report's plan in the cycle, by name, so the next step of a
    /// check-in with them can aim at one.
    #[serde(default)]
    pub report_kpis: Vec<(String, Vec<String>)>,
}
