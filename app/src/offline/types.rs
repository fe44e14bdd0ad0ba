//! What a person changes from a phone, offline too: their self-assessment, feedback given and
//! feedback asked for. Each is synced as a set of named fields (`sync::Values`); these types are
//! the typed reading of those fields, for pages and for the database.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::sync::protocol::Values;

/// A self-assessment's record id: one per person per cycle, so two devices that start it
/// offline start the same record.
pub fn self_assessment_id(person_id: &str, cycle_id: &str) -> String {
    format!("{cycle_id}-{person_id}")
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SelfAssessment {
    pub person_id: String,
    pub cycle_id: String,
    /// The behavioural anchor picked per competency, with evidence.
    pub competencies: Vec<CompetencyAnswer>,
    /// A comment on each KPI's result.
    pub kpi_comments: Vec<KpiComment>,
    pub strengths: String,
    pub development: String,
    pub submitted: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompetencyAnswer {
    pub competency_id: String,
    pub level: u8,
    pub evidence: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KpiComment {
    pub kpi_id: String,
    pub comment: String,
}

const COMPETENCY: &str = "competency:";
const KPI: &str = "kpi:";

/// A self-assessment's fields besides `competency:{id}` and `kpi:{id}`.
pub const SELF_ASSESSMENT_FIELDS: [&str; 5] = ["person", "cycle", "strengths", "development", "submitted"];
pub const FEEDBACK_FIELDS: [&str; 8] = ["giver", "receiver", "situation", "behaviour", "impact", "private", "request", "given_on"];
pub const FEEDBACK_REQUEST_FIELDS: [&str; 5] = ["asker", "asked", "message", "state", "asked_on"];
pub const NOTIFICATION_FIELDS: [&str; 6] = ["person", "event", "text", "link", "created_at", "read"];
pub const ACTUAL_ENTRY_FIELDS: [&str; 9] = ["person", "cycle", "kpi", "period", "value", "note", "link", "seen", "entered_on"];

fn text(values: &Values, name: &str) -> String {
    values.get(name).and_then(Value::as_str).unwrap_or_default().to_owned()
}

impl SelfAssessment {
    /// Whether a self-assessment has a field so named (an answer or comment names its id).
    pub fn has_field(name: &str) -> bool {
        SELF_ASSESSMENT_FIELDS.contains(&name) || [COMPETENCY, KPI].iter().any(|prefix| name.strip_prefix(prefix).is_some_and(|id| !id.is_empty()))
    }

    pub fn competency_field(competency_id: &str) -> String {
        format!("{COMPETENCY}{competency_id}")
    }

    pub fn kpi_field(kpi_id: &str) -> String {
        format!("{KPI}{kpi_id}")
    }

    pub fn answer_value(level: u8, evidence: &str) -> Value {
        json!({ "level": level, "evidence": evidence })
    }

    pub fn from_values(values: &Values) -> Self {
        let mut competencies = Vec::new();
        let mut kpi_comments = Vec::new();
        for (name, value) in values {
            if let Some(id) = name.strip_prefix(COMPETENCY) {
                let level = value.get("level").and_then(Value::as_u64).unwrap_or(0);
                let evidence = value.get("evidence").and_then(Value::as_str).unwrap_or_default();
                competencies.push(CompetencyAnswer { competency_id: id.to_owned(), level: level.min(u8::MAX as u64) as u8, evidence: evidence.to_owned() });
            } else if let Some(id) = name.strip_prefix(KPI) {
                kpi_comments.push(KpiComment { kpi_id: id.to_owned(), comment: value.as_str().unwrap_or_default().to_owned() });
            }
        }
        Self {
            person_id: text(values, "person"),
            cycle_id: text(values, "cycle"),
            competencies,
            kpi_comments,
            strengths: text(values, "strengths"),
            development: text(values, "development"),
            submitted: values.get("submitted").and_then(Value::as_bool).unwrap_or(false),
        }
    }

    pub fn to_values(&self) -> Values {
        let mut values = Values::from([
            ("person".to_owned(), json!(self.person_id)),
            ("cycle".to_owned(), json!(self.cycle_id)),
            ("strengths".to_owned(), json!(self.strengths)),
            ("development".to_owned(), json!(self.development)),
            ("submitted".to_owned(), json!(self.submitted)),
        ]);
        for answer in &self.competencies {
            values.insert(Self::competency_field(&answer.competency_id), Self::answer_value(answer.level, &answer.evidence));
        }
        for comment in &self.kpi_comments {
            values.insert(Self::kpi_field(&comment.kpi_id), json!(comment.comment));
        }
        values
    }

    pub fn answer(&self, competency_id: &str) -> Option<&CompetencyAnswer> {
        self.competencies.iter().find(|a| a.competency_id == competency_id)
    }

    pub fn kpi_comment(&self, kpi_id: &str) -> &str {
        self.kpi_comments.iter().find(|c| c.kpi_id == kpi_id).map_or("", |c| c.comment.as_str())
    }
}

/// Feedback in Situation-Behaviour-Impact form. Once given it does not change.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    pub id: String,
    pub giver_id: String,
    pub receiver_id: String,
    pub situation: String,
    pub behaviour: String,
    pub impact: String,
    /// A note the giver keeps to themselves (e.g. a manager's note for the appraisal).
    pub private: bool,
    /// The request it answers, if any.
    pub request_id: Option<String>,
    /// `YYYY-MM-DD`, the day it was written on the device.
    pub given_on: String,
}

impl Feedback {
    pub fn from_values(id: &str, values: &Values) -> Self {
        Self {
            id: id.to_owned(),
            giver_id: text(values, "giver"),
            receiver_id: text(values, "receiver"),
            situation: text(values, "situation"),
            behaviour: text(values, "behaviour"),
            impact: text(values, "impact"),
            private: values.get("private").and_then(Value::as_bool).unwrap_or(false),
            request_id: values.get("request").and_then(Value::as_str).filter(|r| !r.is_empty()).map(str::to_owned),
            given_on: text(values, "given_on"),
        }
    }

    pub fn to_values(&self) -> Values {
        Values::from([
            ("giver".to_owned(), json!(self.giver_id)),
            ("receiver".to_owned(), json!(self.receiver_id)),
            ("situation".to_owned(), json!(self.situation)),
            ("behaviour".to_owned(), json!(self.behaviour)),
            ("impact".to_owned(), json!(self.impact)),
            ("private".to_owned(), json!(self.private)),
            ("request".to_owned(), json!(self.request_id.clone().unwrap_or_default())),
            ("given_on".to_owned(), json!(self.given_on)),
        ])
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    Open,
    Answered,
    Declined,
}

impl RequestState {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestState::Open => "open",
            RequestState::Answered => "answered",
            RequestState::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [RequestState::Open, RequestState::Answered, RequestState::Declined].into_iter().find(|r| r.as_str() == s)
    }
}

/// A person asking a colleague or their manager for feedback on themselves.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackRequest {
    pub id: String,
    pub asker_id: String,
    pub asked_id: String,
    /// What the asker wants feedback on.
    pub message: String,
    pub state: RequestState,
    pub asked_on: String,
}

impl FeedbackRequest {
    pub fn from_values(id: &str, values: &Values) -> Self {
        Self {
            id: id.to_owned(),
            asker_id: text(values, "asker"),
            asked_id: text(values, "asked"),
            message: text(values, "message"),
            state: RequestState::parse(&text(values, "state")).unwrap_or(RequestState::Open),
            asked_on: text(values, "asked_on"),
        }
    }

    pub fn to_values(&self) -> Values {
        Values::from([
            ("asker".to_owned(), json!(self.asker_id)),
            ("asked".to_owned(), json!(self.asked_id)),
            ("message".to_owned(), json!(self.message)),
            ("state".to_owned(), json!(self.state.as_str())),
            ("asked_on".to_owned(), json!(self.asked_on)),
        ])
    }
}

/// An actual a person enters for one of their own KPIs, on the phone and offline too. It carries
/// the value the device showed for that KPI and period when it was entered, so an entry made on
/// stale data does not silently replace a value recorded since.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ActualEntry {
    pub id: String,
    pub person_id: String,
    pub cycle_id: String,
    pub kpi_id: String,
    pub period_key: String,
    pub value: f64,
    pub note: String,
    pub link: String,
    /// The value shown for this KPI and period when the entry was made; `None` if there was none.
    pub seen: Option<f64>,
    /// `YYYY-MM-DD`, the day it was entered on the device.
    pub entered_on: String,
}

impl ActualEntry {
    /// `None` when the value is not a number (only a tampered device sends that).
    pub fn from_values(id: &str, values: &Values) -> Option<Self> {
        Some(Self {
            id: id.to_owned(),
            person_id: text(values, "person"),
            cycle_id: text(values, "cycle"),
            kpi_id: text(values, "kpi"),
            period_key: text(values, "period"),
            value: values.get("value").and_then(Value::as_f64)?,
            note: text(values, "note"),
            link: text(values, "link"),
            seen: values.get("seen").and_then(Value::as_f64),
            entered_on: text(values, "entered_on"),
        })
    }

    pub fn to_values(&self) -> Values {
        Values::from([
            ("person".to_owned(), json!(self.person_id)),
            ("cycle".to_owned(), json!(self.cycle_id)),
            ("kpi".to_owned(), json!(self.kpi_id)),
            ("period".to_owned(), json!(self.period_key)),
            ("value".to_owned(), json!(self.value)),
            ("note".to_owned(), json!(self.note)),
            ("link".to_owned(), json!(self.link)),
            ("seen".to_owned(), json!(self.seen)),
            ("entered_on".to_owned(), json!(self.entered_on)),
        ])
    }
}

/// What happened to a person that they may act on, in their inbox. The server makes it when the
/// thing happens; the person's devices keep it offline and may only mark it read (or unread).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub id: String,
    pub person_id: String,
    pub event: Event,
    /// One sentence: who did what, and what to do now.
    pub text: String,
    /// The page to act on (a path of this app).
    pub link: String,
    /// RFC 3339, when it happened on the server (orders the inbox).
    pub created_at: String,
    pub read: bool,
}

/// What a notification tells of.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    #[default]
    PlanSent,
    PlanAcknowledged,
    PlanChangesAsked,
    PlanApproved,
    FeedbackReceived,
    FeedbackAsked,
    CheckInCompleted,
    AppraisalToSign,
    AppraisalSigned,
    RatingCalibrated,
    Kudos,
}

impl Event {
    pub const ALL: [Event; 11] = [
        Event::PlanSent,
        Event::PlanAcknowledged,
        Event::PlanChangesAsked,
        Event::PlanApproved,
        Event::FeedbackReceived,
        Event::FeedbackAsked,
        Event::CheckInCompleted,
        Event::AppraisalToSign,
        Event::AppraisalSigned,
        Event::RatingCalibrated,
        Event::Kudos,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Event::PlanSent => "plan_sent",
            Event::PlanAcknowledged => "plan_acknowledged",
            Event::PlanChangesAsked => "plan_changes_asked",
            Event::PlanApproved => "plan_approved",
            Event::FeedbackReceived => "feedback_received",
            Event::FeedbackAsked => "feedback_asked",
            Event::CheckInCompleted => "check_in_completed",
            Event::AppraisalToSign => "appraisal_to_sign",
            Event::AppraisalSigned => "appraisal_signed",
            Event::RatingCalibrated => "rating_calibrated",
            Event::Kudos => "kudos",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// Whether the person must do something about it (the rest is news).
    pub fn to_act(self) -> bool {
        matches!(self, Event::PlanSent | Event::PlanAcknowledged | Event::PlanChangesAsked | Event::FeedbackAsked | Event::AppraisalToSign)
    }
}

impl Notification {
    /// A new, unread notification; its id is the store's to make.
    pub fn new(person: &str, event: Event, text: String, link: String, at: &str) -> Self {
        Self { id: String::new(), person_id: person.to_owned(), event, text, link, created_at: at.to_owned(), read: false }
    }

    pub fn from_values(id: &str, values: &Values) -> Self {
        Self {
            id: id.to_owned(),
            person_id: text(values, "person"),
            event: Event::parse(&text(values, "event")).unwrap_or_default(),
            text: text(values, "text"),
            link: text(values, "link"),
            created_at: text(values, "created_at"),
            read: values.get("read").and_then(Value::as_bool).unwrap_or(false),
        }
    }

    pub fn to_values(&self) -> Values {
        Values::from([
            ("person".to_owned(), json!(self.person_id)),
            ("event".to_owned(), json!(self.event.as_str())),
            ("text".to_owned(), json!(self.text)),
            ("link".to_owned(), json!(self.link)),
            ("created_at".to_owned(), json!(self.created_at)),
            ("read".to_owned(), json!(self.read)),
        ])
    }

    /// The link, if it stays within this app (a notification never sends anyone elsewhere).
    pub fn safe_link(&self) -> Option<&str> {
        let inside = self.link == "/" || (self.link.starts_with('/') && !self.link.starts_with("//") && !self.link.contains('\\'));
        inside.then_some(self.link.as_str())
    }
}

/// Feedback with the names of the people in it, as pages list it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackLine {
    pub feedback: Feedback,
    pub giver_name: String,
    pub receiver_name: String,
}



#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_self_assessment_round_trips_through_its_fields() {
        let sa = SelfAssessment {
            person_id: "sam".into(),
            cycle_id: "fy".into(),
            competencies: vec![CompetencyAnswer { competency_id: "teamwork".into(), level: 3, evidence: "Ran the Q2 handover".into() }],
            kpi_comments: vec![KpiComment { kpi_id: "k1".into(), comment: "Two deals slipped".into() }],
            strengths: "Clients".into(),
            development: "Forecasting".into(),
            submitted: false,
        };
        assert_eq!(SelfAssessment::from_values(&sa.to_values()), sa);
        let fb = Feedback { id: "f".into(), giver_id: "a".into(), receiver_id: "b".into(), situation: "s".into(), behaviour: "b".into(), impact: "i".into(), private: true, request_id: Some("r".into()), given_on: "2026-11-24".into() };
        assert_eq!(Feedback::from_values("f", &fb.to_values()), fb);
        let entry = ActualEntry { id: "e".into(), person_id: "a".into(), cycle_id: "fy".into(), kpi_id: "k1".into(), period_key: "Q2".into(), value: 12.5, note: "CRM".into(), link: String::new(), seen: None, entered_on: "2026-11-24".into() };
        assert_eq!(ActualEntry::from_values("e", &entry.to_values()), Some(entry.clone()));
        // Each kind's fields are the ones it declares.
        assert!(sa.to_values().keys().all(|name| SelfAssessment::has_field(name)));
        assert!(!SelfAssessment::has_field("salary") && !SelfAssessment::has_field("competency:"));
        assert!(fb.to_values().keys().map(String::as_str).eq(sorted(&FEEDBACK_FIELDS)));
        assert!(entry.to_values().keys().map(String::as_str).eq(sorted(&ACTUAL_ENTRY_FIELDS)));
        let request = FeedbackRequest { id: "r".into(), asker_id: "a".into(), asked_id: "b".into(), message: "m".into(), state: RequestState::Open, asked_on: "2026-11-24".into() };
        assert!(request.to_values().keys().map(String::as_str).eq(sorted(&FEEDBACK_REQUEST_FIELDS)));
        let notice = Notification { id: "n".into(), person_id: "b".into(), event: Event::Kudos, text: "t".into(), link: "/recognition".into(), created_at: "2026-11-28T08:00:00Z".into(), read: true };
        assert_eq!(Notification::from_values("n", &notice.to_values()), notice);
        assert!(notice.to_values().keys().map(String::as_str).eq(sorted(&NOTIFICATION_FIELDS)));
        assert!(Event::ALL.iter().all(|e| Event::parse(e.as_str()) == Some(*e)));
    }

    #[test]
    fn a_notification_links_only_within_the_app() {
        let with = |link: &str| Notification { link: link.into(), ..Notification::default() };
        assert_eq!(with("/plans/me").safe_link(), Some("/plans/me"));
        assert_eq!(with("/").safe_link(), Some("/"));
        for outside in ["//evil.example/x", "https://evil.example", "javascript:alert(1)", "/\\evil.example", ""] {
            assert_eq!(with(outside).safe_link(), None, "{outside}");
        }
    }

    fn sorted<'a>(names: &[&'a str]) -> Vec<&'a str> {
        let mut names = names.to_vec();
        names.sort();
        names
    }
}
