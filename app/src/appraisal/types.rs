//! The appraisal of a person in a cycle: the manager's grounded ratings, the KPI part, the
//! final score, the discussion record (synced, so the conversation works offline) and
//! calibration.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::planning::types::{Competency, Cycle, KraCard};
use crate::offline::types::{FeedbackLine, SelfAssessment};
use crate::org::people_types::Person;
use crate::sync::protocol::Values;

/// An appraisal's id, and its discussion record's: one per person per cycle.
pub fn appraisal_id(person_id: &str, cycle_id: &str) -> String {
    crate::offline::types::self_assessment_id(person_id, cycle_id)
}

/// Where an appraisal stands; who may do what follows from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppraisalState {
    /// The manager rates (a draft only they and HR see); the employee does their self-assessment.
    Preparing,
    /// The manager submitted grounded ratings: the conversation can be held; calibration may
    /// adjust the rating.
    Rated,
    /// Both signed the discussion record: it is read-only; the employee may add a comment.
    Signed,
}

impl AppraisalState {
    pub fn label(self) -> &'static str {
        match self {
            AppraisalState::Preparing => "Manager preparing",
            AppraisalState::Rated => "Ready for the conversation",
            AppraisalState::Signed => "Signed by both",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RatingEvidenceKind {
    /// Something that happened on a given day.
    #[default]
    Incident,
    /// A KPI of the person's plan.
    Kpi,
    /// Feedback the person received.
    Feedback,
}

/// What a rating rests on.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RatingEvidence {
    pub kind: RatingEvidenceKind,
    /// `YYYY-MM-DD`, for an incident.
    pub on: String,
    /// The KPI or feedback id.
    pub reference: String,
    pub note: String,
}

/// The manager's rating of one competency: the level whose anchor fits, the evidence, and at the
/// extremes of the scale a justification.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManagerRating {
    pub competency_id: String,
    pub level: u8,
    pub evidence: RatingEvidence,
    pub justification: String,
}

/// The manager's replacement for the generated KPI part (1.0 = 100 %), with the reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KpiOverride {
    pub score: f64,
    pub reason: String,
}

/// What the manager saves while preparing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RatingsInput {
    pub ratings: Vec<ManagerRating>,
    pub kpi_override: Option<KpiOverride>,
    /// 1 low, 2 moderate, 3 high (for the 9-box).
    pub potential: Option<u8>,
    /// Submit: every rating must be grounded; the conversation can then be held.
    pub submit: bool,
}

/// An appraisal with everything its pages show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppraisalView {
    pub id: String,
    pub cycle: Cycle,
    pub person: Person,
    pub state: AppraisalState,
    /// The plan's KRAs with KPI results and their evidence.
    pub kras: Vec<KraCard>,
    pub kpi_generated: Option<Part>,
    pub kpi_override: Option<KpiOverride>,
    pub competencies: Vec<Competency>,
    /// (competency id, level the role expects)
    pub expected: Vec<(String, u8)>,
    pub self_assessment: Option<SelfAssessment>,
    /// Shown to the employee once submitted; to the manager and HR always.
    pub ratings: Vec<ManagerRating>,
    pub potential: Option<u8>,
    pub weights: Weights,
    pub scale: crate::planning::scoring::RatingBands,
    pub final_score: Option<FinalScore>,
    /// Calibration changes to this appraisal, oldest first.
    pub calibration: Vec<CalibrationChange>,
    /// The rating after calibration (the final score's otherwise).
    pub settled_rating: Option<(u8, String)>,
    /// Feedback the person received (not private notes), to cite as evidence.
    pub feedback: Vec<FeedbackLine>,
    pub calibration_locked: bool,
    /// The viewer may rate (the manager, or HR standing in) now.
    pub may_rate: bool,
    /// The viewer is the person appraised.
    pub is_own: bool,
}

impl AppraisalView {
    pub fn expected_level(&self, competency: &Competency) -> u8 {
        expected_level(&self.expected, competency)
    }

    pub fn kpi_ids(&self) -> Vec<String> {
        self.kras.iter().flat_map(|k| k.kpis.iter().map(|c| c.kpi.id.clone())).collect()
    }

    pub fn feedback_ids(&self) -> Vec<String> {
        self.feedback.iter().map(|f| f.feedback.id.clone()).collect()
    }
}

/// The level a role expects of a competency, the middle of its scale when the role names none.
pub fn expected_level(expected: &[(String, u8)], competency: &Competency) -> u8 {
    expected
        .iter()
        .find(|(id, _)| *id == competency.id)
        .map(|(_, l)| *l)
        .unwrap_or_else(|| (competency.levels.len() as u8).div_ceil(2))
}

/// The manager's preparation view: the appraisal and the rater-bias report of their ratings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Preparation {
    pub appraisal: AppraisalView,
    /// The levels this rater has given the other people they rate in the cycle, per person: the
    /// page adds the ratings being entered, so the bias report reads before anything is saved.
    pub rated_by_me: Vec<Vec<f64>>,
    /// The organisation's saved ratings but this person's, as sums only (no one's ratings).
    pub organisation: RatingPattern,
}

/// What a rater's pattern is compared with: the organisation's ratings as running sums, which
/// name no one and take one more person's ratings exactly (`rules::with_person`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RatingPattern {
    pub ratings: usize,
    pub sum: f64,
    pub sum_of_squares: f64,
    /// The spreads of each person's competency levels (people with two or more), summed.
    pub halo_sum: f64,
    pub halo_people: usize,
}

/// A line of the appraisals list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppraisalLine {
    pub id: String,
    pub person_id: String,
    pub person_name: String,
    pub unit_id: String,
    pub unit_name: String,
    pub manager_name: Option<String>,
    pub state: AppraisalState,
    /// The manager signed the discussion record: the employee's turn.
    pub manager_signed: bool,
    pub self_assessment_submitted: bool,
    pub final_score: Option<f64>,
    pub proposed_rating: Option<u8>,
    pub settled_rating: Option<u8>,
    pub potential: Option<u8>,
}

/// The appraisals a viewer deals with in the cycle under appraisal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppraisalList {
    pub cycle: Option<Cycle>,
    pub own: Option<AppraisalLine>,
    pub reports: Vec<AppraisalLine>,
    pub is_hr: bool,
    /// Units the viewer may calibrate: (id, name).
    pub calibration_units: Vec<(String, String)>,
    pub weights: Weights,
}

/// A unit's calibration: its appraisals, distribution, 9-box and log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalibrationView {
    pub cycle: Cycle,
    pub unit_id: String,
    pub unit_name: String,
    pub lines: Vec<AppraisalLine>,
    pub distribution: Vec<(u8, String, usize)>,
    pub log: Vec<CalibrationChange>,
    pub locked: Option<String>,
    pub may_lock: bool,
    pub scale: crate::planning::scoring::RatingBands,
}

/// Completion and ratings per unit and per manager.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompletionLine {
    pub name: String,
    pub appraisals: usize,
    pub rated: usize,
    pub signed: usize,
    pub distribution: Vec<(u8, String, usize)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppraisalReport {
    pub cycle: Cycle,
    pub units: Vec<CompletionLine>,
    pub managers: Vec<CompletionLine>,
    pub weights: Weights,
}

/// An action agreed in the conversation; it becomes a development-plan item once both sign.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AgreedAction {
    pub title: String,
    /// training, stretch assignment, mentoring, reading
    pub kind: String,
    /// The competency or KPI it should move (its id; empty: none named).
    pub target: String,
    /// `YYYY-MM-DD`
    pub due_on: String,
}

pub const ACTION_KINDS: [(&str, &str); 4] = [("training", "Training"), ("stretch", "Stretch assignment"), ("mentoring", "Mentoring"), ("reading", "Reading")];

/// The record of the appraisal conversation, kept on the devices of both people and synced, so
/// the meeting can go on without a connection. Its fields, by name: `person`, `manager`,
/// `cycle`, `step` (the furthest step reached), `note:{step}`, `actions`, `outcome` (`agreed` or
/// `disagreed`), `disagreement`, `manager_signed_on`, `employee_signed_on`, `employee_comment`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Discussion {
    pub person_id: String,
    pub manager_id: String,
    pub cycle_id: String,
    pub step: u8,
    /// (step key, note)
    pub notes: Vec<(String, String)>,
    pub actions: Vec<AgreedAction>,
    pub outcome: String,
    pub disagreement: String,
    pub manager_signed_on: String,
    pub employee_signed_on: String,
    pub employee_comment: String,
}

pub(crate) const NOTE: &str = "note:";

/// The fields of a discussion a person may write, besides notes.
pub const DISCUSSION_FIELDS: [&str; 10] =
    ["person", "manager", "cycle", "step", "actions", "outcome", "disagreement", "manager_signed_on", "employee_signed_on", "employee_comment"];

fn text(values: &Values, name: &str) -> String {
    values.get(name).and_then(Value::as_str).unwrap_or_default().to_owned()
}

impl Discussion {
    pub fn note_field(step: &str) -> String {
        format!("{NOTE}{step}")
    }

    pub fn note(&self, step: &str) -> &str {
        self.notes.iter().find(|(s, _)| s == step).map_or("", |(_, n)| n.as_str())
    }

    pub fn signed_by_both(&self) -> bool {
        !self.manager_signed_on.is_empty() && !self.employee_signed_on.is_empty()
    }

    pub fn from_values(values: &Values) -> Self {
        Self {
            person_id: text(values, "person"),
            manager_id: text(values, "manager"),
            cycle_id: text(values, "cycle"),
            step: values.get("step").and_then(Value::as_u64).unwrap_or(0).min(u8::MAX as u64) as u8,
            notes: values.iter().filter_map(|(k, v)| Some((k.strip_prefix(NOTE)?.to_owned(), v.as_str().unwrap_or_default().to_owned()))).collect(),
            actions: values.get("actions").cloned().and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default(),
            outcome: text(values, "outcome"),
            disagreement: text(values, "disagreement"),
            manager_signed_on: text(values, "manager_signed_on"),
            employee_signed_on: text(values, "employee_signed_on"),
            employee_comment: text(values, "employee_comment"),
        }
    }

    pub fn to_values(&self) -> Values {
        let mut values = Values::from([
            ("person".to_owned(), json!(self.person_id)),
            ("manager".to_owned(), json!(self.manager_id)),
            ("cycle".to_owned(), json!(self.cycle_id)),
            ("step".to_owned(), json!(self.step)),
            ("actions".to_owned(), json!(self.actions)),
            ("outcome".to_owned(), json!(self.outcome)),
            ("disagreement".to_owned(), json!(self.disagreement)),
            ("manager_signed_on".to_owned(), json!(self.manager_signed_on)),
            ("employee_signed_on".to_owned(), json!(self.employee_signed_on)),
            ("employee_comment".to_owned(), json!(self.employee_comment)),
        ]);
        for (step, note) in &self.notes {
            values.insert(Self::note_field(step), json!(note));
        }
        values
    }
}

/// How much each part counts in the final score, in percent; HR declares them per cycle.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Weights {
    pub kpi: f64,
    pub competency: f64,
}

/// One part of the final score with how it was worked out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Part {
    pub score: f64,
    pub why: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FinalScore {
    pub score: f64,
    pub rating: u8,
    pub label: String,
    /// The formula with the numbers put in, then the band it falls in.
    pub why: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BiasIndex {
    /// The rater's figure.
    pub value: f64,
    /// The same figure across the organisation.
    pub organisation: f64,
    pub flagged: bool,
    /// What it means, in plain words.
    pub explanation: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BiasReport {
    pub ratings: usize,
    pub people: usize,
    pub organisation_ratings: usize,
    /// Rater mean − organisation mean.
    pub leniency: Option<BiasIndex>,
    /// Standard deviation of all the rater's ratings.
    pub central_tendency: Option<BiasIndex>,
    /// Mean, over the people rated, of the spread of each person's competency ratings.
    pub halo: Option<BiasIndex>,
    /// Said when there is too little to judge.
    pub note: Option<String>,
}

/// One change made in calibration, kept with what it was before.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalibrationChange {
    pub appraisal_id: String,
    pub person_name: String,
    pub before: u8,
    pub after: u8,
    pub reason: String,
    pub by: String,
    /// RFC 3339.
    pub at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_discussion_round_trips_through_its_fields() {
        let d = Discussion {
            person_id: "sam".into(),
            manager_id: "james".into(),
            cycle_id: "fy".into(),
            step: 4,
            notes: vec![("opening".into(), "Friendly".into())],
            actions: vec![AgreedAction { title: "Negotiation course".into(), kind: "training".into(), target: "k1".into(), due_on: "2027-03-31".into() }],
            outcome: "agreed".into(),
            disagreement: String::new(),
            manager_signed_on: "2026-11-24".into(),
            employee_signed_on: String::new(),
            employee_comment: String::new(),
        };
        assert_eq!(Discussion::from_values(&d.to_values()), d);
        assert!(d.to_values().keys().all(|name| Discussion::has_field(name)));
        assert!(!Discussion::has_field("note:elsewhere") && !Discussion::has_field("salary"));
    }
}
