//! Scorecards from a plan and its actuals, pure (no database), so a score computed in the browser
//! is the server's: each KPI's period scores, its cycle score (the mean of the periods with data),
//! the weighted roll-up to KRA and plan, and progress status as of a day.

use std::collections::HashMap;

use time::Date;

use crate::planning::types::{Actual, Goal, GroupScorecard, Kpi, KpiCard, KpiProgress, KraCard, Period, PeriodAchievements, PeriodResult, Plan, PlanState, PlanSummary, ScorecardLine, StatusCounts};
use crate::planning::rules::{goal_path, parse_date};
use crate::planning::scoring::{RatingBands, Rollup, Status, percent, status, weighted};

/// A KPI's cycle score: the mean of its period scores (without the why, for roll-ups over many).
fn kpi_score(kpi: &Kpi, periods: &[Period], actuals: &[&Actual]) -> (Option<f64>, Option<KpiProgress>) {
    let mut sum = 0.0;
    let mut count = 0usize;
    let mut latest = None;
    for period in periods {
        if let Some(actual) = actuals.iter().find(|a| a.period_key == period.key) {
            sum += kpi.spec.targets.value(actual.value).0;
            count += 1;
            latest = Some((period, actual.value));
        }
    }
    let progress =
        latest.map(|(period, value)| KpiProgress { achievement: Some(kpi.spec.targets.achievement(value)), period: period.key.clone() });
    ((count > 0).then(|| sum / count as f64), progress)
}

/// Status as of `today`: how far the latest actual has come towards target against how much of
/// its period has gone (DOMAIN.md: gap = expected − actual).
pub fn status_of(progress: &KpiProgress, periods: &[Period], today: Date) -> Option<Status> {
    let period = periods.iter().find(|p| p.key == progress.period)?;
    let (elapsed, length) = elapsed(period, today)?;
    Some(status(elapsed, length, progress.achievement?))
}

fn elapsed(period: &Period, today: Date) -> Option<(f64, f64)> {
    let from = parse_date(&period.starts_on)?;
    let to = parse_date(&period.ends_on)?;
    let length = (to - from).whole_days() as f64 + 1.0;
    let gone = ((today - from).whole_days() as f64 + 1.0).clamp(0.0, length);
    Some((gone, length))
}

fn by_kpi<'a>(actuals: &'a [Actual]) -> HashMap<&'a str, Vec<&'a Actual>> {
    let mut map: HashMap<&str, Vec<&Actual>> = HashMap::new();
    for actual in actuals {
        map.entry(actual.kpi_id.as_str()).or_default().push(actual);
    }
    map
}

/// What is stored with a plan: its score and each KPI's latest progress.
pub fn summary(plan: &Plan, periods: &[Period], actuals: &[Actual]) -> PlanSummary {
    let actuals = by_kpi(actuals);
    let mut latest: Vec<PeriodAchievements> = Vec::new();
    let mut no_data = 0;
    let kra_scores: Vec<(f64, Option<f64>)> = plan
        .kras
        .iter()
        .map(|kra| {
            let kpi_scores: Vec<(f64, Option<f64>)> = kra
                .kpis
                .iter()
                .map(|kpi| {
                    let found = actuals.get(kpi.id.as_str()).map(Vec::as_slice).unwrap_or_default();
                    let (score, progress) = kpi_score(kpi, periods, found);
                    match progress.and_then(|p| Some((p.period, p.achievement?))) {
                        Some((period, achievement)) => match latest.iter_mut().find(|l| l.period == period) {
                            Some(group) => group.achievements.push(achievement),
                            None => latest.push(PeriodAchievements { period, achievements: vec![achievement] }),
                        },
                        None => no_data += 1,
                    }
                    (kpi.weight, score)
                })
                .collect();
            (kra.weight, weighted_score(&kpi_scores))
        })
        .collect();
    PlanSummary { score: weighted_score(&kra_scores), latest, no_data }
}

fn weighted_score(items: &[(f64, Option<f64>)]) -> Option<f64> {
    let (sum, weight) = items
        .iter()
        .filter_map(|(w, s)| s.map(|s| (*w, s)))
        .filter(|(w, _)| *w > 0.0)
        .fold((0.0, 0.0), |(sum, weight), (w, s)| (sum + w * s, weight + w));
    (weight > 0.0).then(|| sum / weight)
}

/// A KPI's score in each period that has an actual.
pub fn kpi_period_scores<'a>(kpi: &Kpi, periods: &'a [Period], actuals: &[Actual]) -> Vec<(&'a Period, f64)> {
    periods
        .iter()
        .filter_map(|period| {
            let actual = actuals.iter().find(|a| a.kpi_id == kpi.id && a.period_key == period.key)?;
            Some((period, kpi.spec.targets.value(actual.value).0))
        })
        .collect()
}

/// The plan's weighted score in each period, from the KPIs with an actual in it (`None`: no
/// actual at all that period).
pub fn plan_period_scores<'a>(plan: &Plan, periods: &'a [Period], actuals: &[Actual]) -> Vec<(&'a Period, Option<f64>)> {
    let actuals = by_kpi(actuals);
    periods
        .iter()
        .map(|period| {
            let kras: Vec<(f64, Option<f64>)> = plan
                .kras
                .iter()
                .map(|kra| {
                    let kpis: Vec<(f64, Option<f64>)> = kra
                        .kpis
                        .iter()
                        .map(|kpi| {
                            let actual = actuals.get(kpi.id.as_str()).and_then(|found| found.iter().find(|a| a.period_key == period.key));
                            (kpi.weight, actual.map(|a| kpi.spec.targets.value(a.value).0))
                        })
                        .collect();
                    (kra.weight, weighted_score(&kpis))
                })
                .collect();
            (period, weighted_score(&kras))
        })
        .collect()
}

/// A KPI's card: every period with its actual and score, the cycle score and status, with why.
pub fn kpi_card(kpi: &Kpi, periods: &[Period], actuals: &[Actual], today: Date) -> KpiCard {
    let mine: Vec<&Actual> = actuals.iter().filter(|a| a.kpi_id == kpi.id).collect();
    let results: Vec<PeriodResult> = periods
        .iter()
        .map(|period| {
            let actual = mine.iter().find(|a| a.period_key == period.key).map(|a| (*a).clone());
            let score = kpi.spec.targets.score(actual.as_ref().map(|a| a.value));
            PeriodResult { period: period.clone(), actual, score }
        })
        .collect();
    let (score, latest) = kpi_score(kpi, periods, &mine);
    let scored: Vec<String> =
        results.iter().filter_map(|r| r.score.as_ref().map(|s| format!("{} {}", r.period.key, percent(s.score)))).collect();
    let why = match (scored.len(), score) {
        (0, _) | (_, None) => "No actuals yet: no score (never counted as 0).".to_owned(),
        (1, Some(s)) => format!("one period so far: {} = {}", scored[0], percent(s)),
        (_, Some(s)) => format!("mean of {} = {}", scored.join(", "), percent(s)),
    };
    let status = latest.as_ref().and_then(|p| status_of(p, periods, today));
    let latest_period = latest.as_ref().and_then(|p| periods.iter().find(|x| x.key == p.period));
    let status_why = match (&latest, latest_period.and_then(|p| elapsed(p, today))) {
        (Some(p), Some((gone, length))) => format!(
            "latest actual {} of the way from baseline to target with {} of its period gone",
            percent(p.achievement.unwrap_or_default()),
            percent(gone / length)
        ),
        _ => "no actuals yet".to_owned(),
    };
    KpiCard { kpi: kpi.clone(), periods: results, score, why, status, status_why }
}

/// A plan's KRA cards, its roll-up and the count of KPIs by status.
pub fn plan_cards(plan: &Plan, periods: &[Period], actuals: &[Actual], goals: &[Goal], today: Date) -> (Vec<KraCard>, Option<Rollup>, StatusCounts) {
    let mut counts = StatusCounts::default();
    let cards: Vec<KraCard> = plan
        .kras
        .iter()
        .map(|kra| {
            let kpis: Vec<KpiCard> = kra.kpis.iter().map(|k| kpi_card(k, periods, actuals, today)).collect();
            kpis.iter().for_each(|k| counts.add(k.status));
            let rollup = weighted(&kpis.iter().map(|k| (k.kpi.weight, k.score)).collect::<Vec<_>>());
            let goal_path = goal_path(goals, &kra.goal_id).into_iter().map(|g| g.title.clone()).collect();
            KraCard { kra: kra.clone(), goal_path, rollup, kpis }
        })
        .collect();
    let rollup = weighted(&cards.iter().map(|c| (c.kra.weight, c.rollup.as_ref().map(|r| r.score))).collect::<Vec<_>>());
    (cards, rollup, counts)
}

/// A person for a group scorecard, with their plan's state and stored summary if they have one.
pub struct Member {
    pub person_id: String,
    pub person_name: String,
    pub unit_name: String,
    pub plan: Option<(PlanState, PlanSummary)>,
}

/// The scorecard of a group: a line per person, the rating distribution and status counts.
pub fn group(title: String, cycle: crate::planning::types::Cycle, periods: &[Period], members: Vec<Member>, bands: &RatingBands, today: Date) -> GroupScorecard {
    let mut status = StatusCounts::default();
    let mut distribution: Vec<(u8, String, usize)> = bands.0.iter().map(|b| (b.rating, b.label.clone(), 0)).collect();
    let mut scores = Vec::new();
    let mut with_agreed_plan = 0;
    // Time gone in each period is the same for everyone: work it out once.
    let gone: HashMap<&str, (f64, f64)> = periods.iter().filter_map(|p| Some((p.key.as_str(), elapsed(p, today)?))).collect();
    let count_status = |counts: &mut StatusCounts, summary: &PlanSummary| {
        for group in &summary.latest {
            let gone = gone.get(group.period.as_str());
            for achievement in &group.achievements {
                counts.add(gone.map(|(elapsed, length)| crate::planning::scoring::status(*elapsed, *length, *achievement)));
            }
        }
        counts.no_data += summary.no_data as usize;
    };
    let lines = members
        .into_iter()
        .map(|m| {
            let mut counts = StatusCounts::default();
            let (plan_state, score) = match &m.plan {
                Some((state, summary)) => {
                    count_status(&mut counts, summary);
                    (Some(*state), summary.score)
                }
                None => (None, None),
            };
            if plan_state == Some(PlanState::Approved) {
                with_agreed_plan += 1;
            }
            let rating = score.and_then(|s| bands.rating(s));
            if let Some(slot) = rating.and_then(|r| distribution.iter_mut().find(|d| d.0 == r)) {
                slot.2 += 1;
            }
            scores.extend(score);
            status.merge(&counts);
            ScorecardLine { person_id: m.person_id, person_name: m.person_name, unit_name: m.unit_name, plan_state, score, rating, status: counts }
        })
        .collect();
    let mean_score = (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64);
    GroupScorecard { title, cycle, lines, distribution, status, mean_score, with_agreed_plan }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planning::types::{ActualSource, Cycle, CycleState, Frequency, KpiSpec, Kra, PeriodKind};
    use crate::planning::rules::periods;
    use crate::planning::scoring::{Direction, Targets};

    fn kpi(id: &str, weight: f64, direction: Direction, t: f64, g: f64, s: f64) -> Kpi {
        let targets = Targets { direction, baseline: t, threshold: t, target: g, stretch: s, tolerance: 0.0 };
        Kpi { id: id.into(), spec: KpiSpec { name: id.into(), measure: "x".into(), targets, frequency: Frequency::Quarterly, data_source: "d".into() }, weight }
    }

    fn actual(kpi: &str, period: &str, value: f64) -> Actual {
        Actual { kpi_id: kpi.into(), period_key: period.into(), value, note: String::new(), link: None, source: ActualSource::Form, recorded_by: "t".into(), recorded_at: String::new() }
    }

    fn plan() -> Plan {
        Plan {
            id: "p".into(),
            person_id: "sam".into(),
            person_name: "Sam".into(),
            cycle_id: "c".into(),
            state: PlanState::Approved,
            comment: None,
            kras: vec![
                Kra { id: "k1".into(), title: "Sales".into(), weight: 60.0, goal_id: "g".into(), kpis: vec![
                    kpi("revenue", 50.0, Direction::HigherIsBetter, 10.0, 20.0, 30.0),
                    kpi("deals", 50.0, Direction::HigherIsBetter, 4.0, 8.0, 12.0),
                ] },
                Kra { id: "k2".into(), title: "Service".into(), weight: 40.0, goal_id: "g".into(), kpis: vec![
                    kpi("days", 100.0, Direction::LowerIsBetter, 20.0, 10.0, 5.0),
                ] },
            ],
        }
    }

    #[test]
    fn a_worked_scorecard() {
        let periods = periods("2026-07-01", "2027-06-30", PeriodKind::Quarter).unwrap();
        // revenue: Q1 14 → 88 %, Q2 20 → 100 %: mean 94 %. deals: Q1 8 → 100 %. days: no data.
        let actuals = vec![actual("revenue", "Q1", 14.0), actual("revenue", "Q2", 20.0), actual("deals", "Q1", 8.0)];
        let today = parse_date("2026-11-15").unwrap();
        let (cards, rollup, counts) = plan_cards(&plan(), &periods, &actuals, &[], today);
        let revenue = &cards[0].kpis[0];
        assert!((revenue.score.unwrap() - 0.94).abs() < 1e-9);
        assert_eq!(revenue.why, "mean of Q1 88%, Q2 100% = 94%");
        assert_eq!(revenue.periods[0].score.as_ref().unwrap().why, "80% + 20% × (14 − 10) / (20 − 10) = 88%");
        assert_eq!(cards[0].rollup.as_ref().unwrap().why, "(50 × 94% + 50 × 100%) / 100 = 97%");
        // The service KRA has no data: left out of the plan score, not counted as 0.
        assert!(cards[1].rollup.is_none());
        let rollup = rollup.unwrap();
        assert!((rollup.score - 0.97).abs() < 1e-9);
        assert_eq!(rollup.why, "(60 × 97%) / 60 = 97%; 1 without data left out");
        // Revenue's latest (Q2, 100 % of target) is on track; deals' latest is Q1 (over, at target).
        assert_eq!(revenue.status, Some(Status::OnTrack));
        assert_eq!(counts, StatusCounts { on_track: 2, behind: 0, at_risk: 0, no_data: 1 });
        // The stored summary gives the same score.
        let stored = summary(&plan(), &periods, &actuals);
        assert!((stored.score.unwrap() - rollup.score).abs() < 1e-12);
        assert_eq!(stored.no_data, 1);
        assert_eq!(stored.latest, [
            PeriodAchievements { period: "Q2".into(), achievements: vec![1.0] },
            PeriodAchievements { period: "Q1".into(), achievements: vec![1.0] },
        ]);
        let cycle = Cycle { id: "c".into(), name: "FY".into(), starts_on: "2026-07-01".into(), ends_on: "2027-06-30".into(), period_kind: PeriodKind::Quarter, state: CycleState::Active, deadlines: Default::default() };
        let sam = Member { person_id: "sam".into(), person_name: "Sam".into(), unit_name: "U".into(), plan: Some((PlanState::Approved, stored)) };
        let dashboard = group("Sam".into(), cycle, &periods, vec![sam], &RatingBands::example(), today);
        assert_eq!(dashboard.status, counts, "the dashboard counts what the scorecard shows");
    }

    #[test]
    fn period_scores_roll_up_each_period_alone() {
        let periods = periods("2026-07-01", "2027-06-30", PeriodKind::Quarter).unwrap();
        let actuals = vec![actual("revenue", "Q1", 14.0), actual("revenue", "Q2", 20.0), actual("deals", "Q1", 8.0)];
        let scores: Vec<(String, Option<f64>)> = plan_period_scores(&plan(), &periods, &actuals).into_iter().map(|(p, s)| (p.key.clone(), s)).collect();
        // Q1: revenue 88 % and deals 100 % weigh 50/50 in the sales KRA = 94 %; Q2: revenue alone 100 %.
        assert!((scores[0].1.unwrap() - 0.94).abs() < 1e-9);
        assert!((scores[1].1.unwrap() - 1.0).abs() < 1e-9);
        assert_eq!((scores[2].1, scores[3].1), (None, None), "no actual: no score");
        let revenue = &plan().kras[0].kpis[0];
        let kpi: Vec<(&str, f64)> = kpi_period_scores(revenue, &periods, &actuals).into_iter().map(|(p, s)| (p.key.as_str(), s)).collect();
        assert_eq!(kpi.len(), 2);
        assert!((kpi[0].1 - 0.88).abs() < 1e-9 && kpi[1].0 == "Q2");
    }

    #[test]
    fn status_compares_progress_with_time_gone() {
        let periods = periods("2026-07-01", "2027-06-30", PeriodKind::Quarter).unwrap();
        let p = |achievement| KpiProgress { achievement: Some(achievement), period: "Q2".into() }; // Oct–Dec
        let mid = parse_date("2026-11-15").unwrap(); // 46 of 92 days: half the quarter
        assert_eq!(status_of(&p(0.40), &periods, mid), Some(Status::OnTrack));
        assert_eq!(status_of(&p(0.25), &periods, mid), Some(Status::Behind));
        assert_eq!(status_of(&p(0.10), &periods, mid), Some(Status::AtRisk));
        let after = parse_date("2027-02-01").unwrap();
        assert_eq!(status_of(&p(0.80), &periods, after), Some(Status::Behind), "a finished period expects all of it");
        assert_eq!(status_of(&KpiProgress { achievement: None, ..p(0.0) }, &periods, mid), None);
    }

    #[test]
    fn group_distribution_and_counts() {
        let cycle = Cycle { id: "c".into(), name: "FY".into(), starts_on: "2026-07-01".into(), ends_on: "2027-06-30".into(), period_kind: PeriodKind::Quarter, state: CycleState::Active, deadlines: Default::default() };
        let member = |name: &str, plan: Option<(PlanState, PlanSummary)>| Member { person_id: name.into(), person_name: name.into(), unit_name: "U".into(), plan };
        let summary = |score| PlanSummary { score, ..Default::default() };
        let periods = periods(&cycle.starts_on, &cycle.ends_on, cycle.period_kind).unwrap();
        let g = group("Team".into(), cycle, &periods, vec![
            member("a", Some((PlanState::Approved, summary(Some(1.0))))),
            member("b", Some((PlanState::Draft, summary(Some(0.5))))),
            member("c", Some((PlanState::Approved, summary(None)))),
            member("d", None),
        ], &RatingBands::example(), parse_date("2026-11-15").unwrap());
        assert_eq!(g.distribution.iter().map(|d| d.2).collect::<Vec<_>>(), [1, 0, 1, 0, 0]);
        assert_eq!(g.with_agreed_plan, 2);
        assert!((g.mean_score.unwrap() - 0.75).abs() < 1e-12);
        assert_eq!(g.lines[3].plan_state, None);
    }
}
