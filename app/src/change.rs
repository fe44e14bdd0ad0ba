//! Change management, pure (no Leptos, no database): Kotter's eight steps with their purpose,
//! guidance, recommended activities and completion criteria; the warnings before a step is signed
//! off; adoption metrics per unit from counts the server gathers; the short-term wins to propose
//! when a unit crosses a target; pulse results only for groups large enough to stay anonymous.

use serde::{Deserialize, Serialize};

use crate::model::{Frequency, PeriodKind};

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

    /// A target as the committee types it (% for shares) to the stored value, or what to fix.
    pub fn parse_target(self, text: &str) -> Result<Option<f64>, String> {
        let text = text.trim().trim_end_matches('%').trim();
        if text.is_empty() {
            return Ok(None);
        }
        let number: f64 = text.parse().map_err(|_| format!("{}: give a number, e.g. {}.", self.label(), if self.is_share() { "80" } else { "2" }))?;
        match self.is_share() {
            true if (0.0..=100.0).contains(&number) => Ok(Some(number / 100.0)),
            true => Err(format!("{}: give a percentage from 0 to 100.", self.label())),
            false if number >= 0.0 && number.is_finite() => Ok(Some(number)),
            false => Err(format!("{}: give a number of 0 or more.", self.label())),
        }
    }
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

/// A pulse survey's results are shown only for groups with at least this many answers.
pub const PULSE_MIN_ANSWERS: usize = 5;

/// The summary of answers on a 1–5 scale, or `None` for a group too small to stay anonymous.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PulseSummary {
    pub answers: usize,
    pub mean: f64,
    /// How many answered 1, 2, 3, 4, 5.
    pub distribution: [usize; 5],
    /// Share answering 4 or 5.
    pub favourable: f64,
}

pub fn pulse_summary(answers: &[u8]) -> Option<PulseSummary> {
    let valid: Vec<u8> = answers.iter().copied().filter(|a| (1..=5).contains(a)).collect();
    if valid.len() < PULSE_MIN_ANSWERS {
        return None;
    }
    let mut distribution = [0usize; 5];
    valid.iter().for_each(|a| distribution[usize::from(*a) - 1] += 1);
    let n = valid.len() as f64;
    Some(PulseSummary {
        answers: valid.len(),
        mean: valid.iter().map(|a| f64::from(*a)).sum::<f64>() / n,
        distribution,
        favourable: (distribution[3] + distribution[4]) as f64 / n,
    })
}

/// A survey's results per question, or `None` while fewer than `PULSE_MIN_ANSWERS` people answered.
pub fn pulse_results(questions: usize, responses: &[Vec<u8>]) -> Option<Vec<PulseSummary>> {
    if responses.len() < PULSE_MIN_ANSWERS {
        return None;
    }
    (0..questions)
        .map(|q| pulse_summary(&responses.iter().filter_map(|r| r.get(q).copied()).collect::<Vec<_>>()))
        .collect()
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
        assert!(Metric::AgreedPlans.parse_target("120").unwrap_err().contains("0 to 100"));
        assert!(Metric::FeedbackPerPersonMonth.parse_target("lots").unwrap_err().contains("give a number"));
        assert_eq!(Metric::FeedbackPerPersonMonth.parse_target("2"), Ok(Some(2.0)));
        assert_eq!(Metric::AgreedPlans.format(0.755), "76%");
    }

    #[test]
    fn survey_results_per_question_only_from_five_people() {
        let four = vec![vec![4, 5]; 4];
        assert_eq!(pulse_results(2, &four), None);
        let mut five = four.clone();
        five.push(vec![1, 5]);
        let results = pulse_results(2, &five).unwrap();
        assert_eq!(results[0].distribution, [1, 0, 0, 4, 0]);
        assert_eq!(results[1].favourable, 1.0);
    }

    #[test]
    fn pulse_results_need_five_answers() {
        assert_eq!(pulse_summary(&[5, 4, 4, 2]), None);
        assert_eq!(pulse_summary(&[5, 4, 4, 2, 0, 9]), None, "invalid answers do not count");
        let s = pulse_summary(&[5, 4, 4, 2, 1]).unwrap();
        assert_eq!(s.answers, 5);
        assert_eq!(s.distribution, [1, 1, 0, 2, 1]);
        assert!((s.mean - 3.2).abs() < 1e-9);
        assert!((s.favourable - 0.6).abs() < 1e-9);
    }
}
