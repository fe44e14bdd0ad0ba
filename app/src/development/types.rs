//! Developing people: check-ins with GROW coaching notes (synced, so they work offline),
//! development plans, the training catalogue with its effect, and recognition.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::appraisal::types::AgreedAction;
use crate::org::people_types::Colleague;
use crate::planning::types::{Competency, Cycle};
use crate::org::people_types::Person;
use crate::sync::protocol::Values;

/// A check-in between a manager and a report, with a coaching note in GROW form. Its fields, by
/// name: `person`, `manager`, `cycle`, `held_on`, `goal`, `reality`, `options`, `will`,
/// `actions` (the next steps agreed), `completed_on` (set by the manager: the note is then
/// read-only and its next steps join the development plan).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CheckIn {
    pub person_id: String,
    pub manager_id: String,
    pub cycle_id: String,
    /// `YYYY-MM-DD`
    pub held_on: String,
    pub goal: String,
    pub reality: String,
    pub options: String,
    pub will: String,
    pub actions: Vec<AgreedAction>,
    pub completed_on: String,
}

/// The GROW parts of a check-in: (field, title, prompt).
pub const GROW: [(&str, &str, &str); 4] = [
    ("goal", "Goal", "What do you want to achieve by the next check-in? Which KPI or competency does it move?"),
    ("reality", "Reality", "Where are things now? What has been tried, what got in the way, what do the numbers say?"),
    ("options", "Options", "What could you do? What else? What would someone you admire do?"),
    ("will", "Will", "What will you do, by when, and how will we both know it is done?"),
];

pub const CHECK_IN_FIELDS: [&str; 10] = ["person", "manager", "cycle", "held_on", "goal", "reality", "options", "will", "actions", "completed_on"];

fn text(values: &Values, name: &str) -> String {
    values.get(name).and_then(Value::as_str).unwrap_or_default().to_owned()
}

impl CheckIn {
    pub fn part(&self, field: &str) -> &str {
        match field {
            "goal" => &self.goal,
            "reality" => &self.reality,
            "options" => &self.options,
            "will" => &self.will,
            _ => "",
        }
    }

    pub fn from_values(values: &Values) -> Self {
        Self {
            person_id: text(values, "person"),
            manager_id: text(values, "manager"),
            cycle_id: text(values, "cycle"),
            held_on: text(values, "held_on"),
            goal: text(values, "goal"),
            reality: text(values, "reality"),
            options: text(values, "options"),
            will: text(values, "will"),
            actions: values.get("actions").cloned().and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default(),
            completed_on: text(values, "completed_on"),
        }
    }

    pub fn to_values(&self) -> Values {
        Values::from([
            ("person".to_owned(), json!(self.person_id)),
            ("manager".to_owned(), json!(self.manager_id)),
            ("cycle".to_owned(), json!(self.cycle_id)),
            ("held_on".to_owned(), json!(self.held_on)),
            ("goal".to_owned(), json!(self.goal)),
            ("reality".to_owned(), json!(self.reality)),
            ("options".to_owned(), json!(self.options)),
            ("will".to_owned(), json!(self.will)),
            ("actions".to_owned(), json!(self.actions)),
            ("completed_on".to_owned(), json!(self.completed_on)),
        ])
    }
}

/// Where a development item came from.
pub const ITEM_SOURCES: [(&str, &str); 3] = [("appraisal", "Appraisal conversation"), ("check_in", "Check-in"), ("plan", "Added to the plan")];

pub const ITEM_STATUSES: [(&str, &str); 3] = [("open", "Not started"), ("in_progress", "In progress"), ("done", "Done")];

/// An item of a person's development plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DevelopmentItem {
    pub id: String,
    pub source: String,
    pub title: String,
    /// training, stretch, mentoring, reading
    pub kind: String,
    /// The KPI (by name) or competency (by id) it should move: `kpi:{name}` or `competency:{id}`.
    pub target: String,
    pub target_label: String,
    pub due_on: String,
    pub status: String,
    /// What shows it was done (a certificate, a link, what changed): required to close it.
    pub evidence: String,
    pub completed_on: Option<String>,
}

/// A gap the plan can address: a KPI below target, or a competency rated below the role's level.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    pub target: String,
    pub label: String,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DevelopmentPlanView {
    pub person: Person,
    pub cycle: Cycle,
    pub items: Vec<DevelopmentItem>,
    pub gaps: Vec<Gap>,
    /// Everything an item may target: the person's KPIs and the framework's competencies.
    pub targets: Vec<(String, String)>,
    pub may_edit: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DevelopmentItemInput {
    pub title: String,
    pub kind: String,
    pub target: String,
    pub due_on: String,
}

/// A development item's target as stored.
pub fn kpi_target(name: &str) -> String {
    format!("kpi:{name}")
}

pub fn competency_target(id: &str) -> String {
    format!("competency:{id}")
}

/// A course in the catalogue, tied to what it should move.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Training {
    pub id: String,
    pub title: String,
    pub provider: String,
    pub description: String,
    /// `kpi:{name}` or `competency:{id}`
    pub target: String,
    #[serde(default)]
    pub target_label: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainingSession {
    pub id: String,
    pub training_id: String,
    /// `YYYY-MM-DD`
    pub held_on: String,
    pub place: String,
    /// (person id, name) of those who attended.
    pub attendees: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainingLine {
    pub training: Training,
    pub sessions: usize,
    pub attendees: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainingCatalogue {
    pub trainings: Vec<TrainingLine>,
    /// What a training may target: KPIs of the library and plans (by name), competencies.
    pub targets: Vec<(String, String)>,
    pub may_edit: bool,
}

/// A training with its sessions and the effect report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainingView {
    pub training: Training,
    pub sessions: Vec<TrainingSession>,
    pub people: Vec<Colleague>,
    /// HR's only: comparisons of small groups could be taken apart to single people.
    pub effect: Option<TrainingEffectReport>,
    pub may_edit: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainingEffectReport {
    /// What is compared: "KPI score" or "competency rating".
    pub measure: String,
    /// How many periods (or cycles) either side of the session are averaged.
    pub window: usize,
    pub min_group: usize,
    /// Each session's date with its comparison.
    pub sessions: Vec<(String, TrainingEffect)>,
    /// What the figures rest on, in words.
    pub method: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Kudos {
    pub id: String,
    pub giver_name: String,
    pub receiver_id: String,
    pub receiver_name: String,
    pub competency_name: String,
    pub message: String,
    pub given_on: String,
}

/// What the profile and the team page show of a person's recognition.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Recognition {
    pub person_id: String,
    pub person_name: String,
    /// Earned under HR's consistency rule, if at all.
    pub consistency: Option<Streak>,
    /// Periods at or above target in a row up to the latest result (toward the award).
    #[serde(default)]
    pub current_run: usize,
    pub kudos: Vec<Kudos>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecognitionView {
    pub people: Vec<Recognition>,
    /// Kudos the viewer gave, newest first.
    pub given: Vec<Kudos>,
    /// The rule's N.
    pub periods_needed: usize,
    pub competencies: Vec<Competency>,
    pub colleagues: Vec<Colleague>,
}

/// A run of periods at or above target (score ≥ 100 %).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Streak {
    pub periods: usize,
    /// The labels of its first and last period.
    pub from: String,
    pub to: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainingEffect {
    pub attendees: GroupFigure,
    pub others: GroupFigure,
    /// The attendees' change less the others' (difference in differences), when both are shown.
    pub effect: Option<f64>,
}

/// A group's means before and after, and how many people are behind them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum GroupFigure {
    Shown { people: usize, before: f64, after: f64 },
    /// Too few people with a measure on both sides.
    Withheld { people: usize },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_in_round_trips_through_its_fields() {
        let c = CheckIn {
            person_id: "mei".into(),
            manager_id: "fatima".into(),
            cycle_id: "fy".into(),
            held_on: "2026-11-24".into(),
            goal: "First-contact resolution to 80%".into(),
            reality: "At 72%".into(),
            options: "Shadow Carlos".into(),
            will: "Two shadowing sessions".into(),
            actions: vec![AgreedAction { title: "Shadow Carlos".into(), kind: "mentoring".into(), target: "kpi:First-contact resolution".into(), due_on: "2026-12-15".into() }],
            completed_on: String::new(),
        };
        assert_eq!(CheckIn::from_values(&c.to_values()), c);
        assert_eq!(c.to_values().len(), CHECK_IN_FIELDS.len());
    }
}
