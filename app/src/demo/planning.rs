//! The demo organisation's performance years: a KPI library, a competency framework with role
//! profiles, and per year goals cascaded to units, plans and actuals for the periods that have
//! ended, so every scorecard and dashboard has something true to show.

use std::collections::HashMap;

use crate::planning::store::{actuals, competencies, plans as planning};
use crate::org::store::{people, units};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::planning::types::{ActualRow, ActualSource, Competency, Cycle, CycleInput, Frequency, GoalInput, Kpi, KpiSpec, KpiTemplate, Kra, PeriodKind, PlanInput, PlanStep, ProficiencyLevel, RoleProfile};
use crate::planning::rules::parse_date;
use crate::planning::scoring::{Direction, Targets};

/// (job title, KPI name, measure, direction, baseline, threshold, target, stretch, tolerance, frequency, data source)
type Template = (&'static str, &'static str, &'static str, Direction, f64, f64, f64, f64, f64, Frequency, &'static str);

use Direction::{HigherIsBetter as Up, LowerIsBetter as Down, WithinRange as Range};
use Frequency::{Monthly, Quarterly};

const LIBRARY: &[Template] = &[
    ("Account Executive", "New revenue", "kEUR", Up, 0.0, 80.0, 100.0, 130.0, 0.0, Quarterly, "CRM closed-won report"),
    ("Account Executive", "Win rate", "%", Up, 15.0, 20.0, 25.0, 35.0, 0.0, Quarterly, "CRM opportunity report"),
    ("Sales Representative", "Orders booked", "kEUR", Up, 0.0, 40.0, 50.0, 65.0, 0.0, Quarterly, "ERP order book"),
    ("Sales Representative", "Customer visits", "visits", Up, 0.0, 45.0, 60.0, 75.0, 0.0, Quarterly, "CRM activity log"),
    ("Regional Sales Manager", "Regional revenue", "kEUR", Up, 0.0, 400.0, 500.0, 620.0, 0.0, Quarterly, "Finance revenue report"),
    ("Regional Sales Manager", "Team quota attainment", "%", Up, 0.0, 80.0, 100.0, 115.0, 0.0, Quarterly, "CRM quota report"),
    ("Customer Service Agent", "First contact resolution", "%", Up, 50.0, 65.0, 75.0, 85.0, 0.0, Monthly, "Ticketing system"),
    ("Customer Service Agent", "Average handling time", "min", Down, 12.0, 9.0, 7.0, 6.0, 0.0, Monthly, "Telephony statistics"),
    ("Customer Service Team Lead", "Customer satisfaction", "%", Up, 70.0, 80.0, 88.0, 95.0, 0.0, Monthly, "Post-contact survey"),
    ("Customer Service Team Lead", "SLA compliance", "%", Up, 80.0, 90.0, 95.0, 99.0, 0.0, Monthly, "Ticketing system"),
    ("Warehouse Operative", "Picking accuracy", "%", Up, 95.0, 98.0, 99.5, 99.9, 0.0, Monthly, "WMS error log"),
    ("Warehouse Operative", "Lines picked per hour", "lines/h", Up, 40.0, 55.0, 65.0, 75.0, 0.0, Monthly, "WMS productivity report"),
    ("Warehouse Supervisor", "Inventory days of cover", "days", Range, 0.0, 20.0, 30.0, 30.0, 5.0, Monthly, "WMS stock report"),
    ("Dispatcher", "On-time dispatch", "%", Up, 85.0, 92.0, 97.0, 99.0, 0.0, Monthly, "TMS dispatch log"),
    ("Software Engineer", "Change failure rate", "%", Down, 30.0, 20.0, 15.0, 10.0, 0.0, Quarterly, "Deployment tracker"),
    ("Software Engineer", "Deployments per month", "deploys", Up, 2.0, 6.0, 10.0, 16.0, 0.0, Monthly, "CI pipeline"),
    ("Accountant", "Month-end close", "days", Down, 10.0, 7.0, 5.0, 4.0, 0.0, Monthly, "Close checklist"),
];

/// Every plan has this development KRA, serving the capability goal.
const TRAINING: Template = ("", "Training hours completed", "hours", Up, 0.0, 12.0, 16.0, 24.0, 0.0, Quarterly, "Learning records");

fn spec(t: &Template) -> KpiSpec {
    KpiSpec {
        name: t.1.into(),
        measure: t.2.into(),
        targets: Targets { direction: t.3, baseline: t.4, threshold: t.5, target: t.6, stretch: t.7, tolerance: t.8 },
        frequency: t.9,
        data_source: t.10.into(),
    }
}

/// (unit code or none for organisational, parent index, title)
const GOALS: &[(Option<&str>, Option<usize>, &str)] = &[
    (None, None, "Grow revenue 15% profitably"),
    (None, None, "Delight customers: satisfaction of 90% and more"),
    (None, None, "Run lean, reliable operations"),
    (None, None, "Build capability: everyone learns and grows"),
    (Some("SALES"), Some(0), "Grow sales revenue 15% across both regions"),
    (Some("SALES-N"), Some(4), "North: €6M bookings with a 25% win rate"),
    (Some("SALES-S"), Some(4), "South: €5M bookings and 240 customer visits a quarter"),
    (Some("OPS-CS"), Some(1), "Resolve 75% of contacts at the first touch"),
    (Some("OPS-LOG"), Some(2), "99.5% picking accuracy and 97% on-time dispatch"),
    (Some("TECH"), Some(2), "Ship small changes often, and safely"),
    (Some("FIN"), Some(2), "Close the books in 5 working days"),
];

/// People left without a plan this year, so a manager can try building one from the library.
const WITHOUT_PLAN: &[&str] = &["chloe.dubois", "tariq.aziz"];

/// Where a plan of this year stopped on its way to agreement.
#[derive(Clone, Copy)]
enum Stopped {
    Drafting,
    WithEmployee,
    /// The employee asked for changes, saying why.
    ChangesAsked(&'static str),
    AwaitingApproval,
}

/// The plans of this year that are not agreed yet; everyone else's is.
const PLAN_STATES: &[(&str, Stopped)] = &[
    ("carlos.mendes", Stopped::Drafting),
    ("emma.wilson", Stopped::WithEmployee),
    ("jonas.lind", Stopped::ChangesAsked("The handling-time target leaves no room for the new ticket system's first month.")),
    ("ahmed.hassan", Stopped::AwaitingApproval),
];

const LEVEL_NAMES: [&str; 5] = ["Foundation", "Developing", "Proficient", "Advanced", "Expert"];

/// (name, description, two behaviours per level 1..=5)
const COMPETENCIES: &[(&str, &str, [[&str; 2]; 5])] = &[
    ("Customer focus", "Understands what customers need and acts on it.", [
        ["Answers customer requests when asked", "Passes on complaints without following them up"],
        ["Confirms what the customer asked for before acting", "Follows up on own open customer issues"],
        ["Resolves most customer issues in one contact", "Uses customer feedback to change how they work"],
        ["Anticipates customer needs before they are raised", "Improves a process because of recurring complaints"],
        ["Shapes the team's service standards from customer insight", "Is sought out by customers and colleagues for difficult cases"],
    ]),
    ("Collaboration", "Works with others across the team and units towards shared goals.", [
        ["Shares information when asked", "Works mainly on own tasks"],
        ["Offers help to teammates with deadlines", "Keeps others informed of changes that affect them"],
        ["Builds working relationships across units", "Resolves disagreements directly and respectfully"],
        ["Brings people from several units together to solve a problem", "Credits others' contributions in public"],
        ["Creates lasting cross-unit ways of working", "Is a trusted broker in conflicts between teams"],
    ]),
    ("Ownership", "Takes responsibility for results and follows through.", [
        ["Completes assigned tasks with reminders", "Escalates problems without proposing options"],
        ["Meets most deadlines without reminders", "Says early when something will be late"],
        ["Delivers agreed results reliably", "Proposes solutions when raising a problem"],
        ["Takes on problems outside own remit and fixes them", "Learns from mistakes and shares the lesson"],
        ["Sets the standard of accountability in the unit", "Turns setbacks into improvements for the organisation"],
    ]),
    ("Problem solving", "Finds the cause of problems and chooses good solutions.", [
        ["Follows a known procedure to fix a problem", "Asks for help when the procedure does not fit"],
        ["Gathers the facts before acting", "Tries more than one option"],
        ["Finds root causes with data", "Weighs options by cost, risk and benefit"],
        ["Solves complex problems that span teams", "Prevents problems by fixing their causes"],
        ["Solves problems nobody has solved before", "Teaches others structured problem solving"],
    ]),
    ("Communication", "Gets messages across clearly, in writing and in person.", [
        ["Communicates basic information accurately", "Needs help to structure written work"],
        ["Writes clear emails and updates", "Listens and checks understanding"],
        ["Adapts the message to the audience", "Presents own work confidently"],
        ["Communicates difficult messages with tact", "Persuades with evidence"],
        ["Represents the organisation to external audiences", "Coaches others in communicating"],
    ]),
    ("Leading people", "Sets direction, develops people and holds regular, honest conversations.", [
        ["Shares the team's goals with the team", "Gives feedback when asked"],
        ["Holds regular one-to-ones", "Gives timely, specific feedback"],
        ["Agrees clear plans with each report and coaches towards them", "Addresses under-performance early and fairly"],
        ["Develops successors and stretches people with new challenges", "Builds a team that performs without them"],
        ["Builds leaders across the organisation", "Shapes the culture of performance and learning"],
    ]),
];

fn weights(n: usize) -> Vec<f64> {
    // Whole weights that add to 100: the first takes the remainder.
    let each = (100 / n) as f64;
    let mut w = vec![each; n];
    w[0] += 100.0 - each * n as f64;
    w
}

/// Each person's usual KPI score (1.0 = on target), dealt round the organisation so that ratings
/// fall roughly normally around "meets expectations" (the bands: under 80 % a 1, under 95 % a 2,
/// under 105 % a 3, under 115 % a 4, then a 5).
const USUAL_SCORES: [f64; 20] = [1.0, 0.9, 1.08, 0.97, 1.12, 0.86, 1.02, 0.7, 1.0, 0.93, 1.18, 0.99, 1.06, 0.88, 1.03, 0.96, 1.1, 0.91, 1.01, 1.2];
/// How much a period's result strays from the usual.
const WOBBLE: [f64; 5] = [0.0, 0.02, -0.02, 0.01, -0.01];
/// Last year everyone did a little less well: the product is judged by performance improving.
const LAST_YEAR: f64 = 0.03;
/// What the learning-planning training added to its attendees' training hours afterwards.
const LEARNING_EFFECT: f64 = 0.15;

/// The score a person reaches on one KPI in one period. Someone usually below threshold misses
/// every other KPI outright (a KPI below threshold scores 0 %).
fn period_score(person: usize, kpi: usize, period: usize, last_year: bool) -> f64 {
    let usual = USUAL_SCORES[person % USUAL_SCORES.len()] - if last_year { LAST_YEAR } else { 0.0 };
    if usual < 0.8 {
        return if (kpi + period) % 2 == 0 { 0.85 } else { 0.0 };
    }
    usual + WOBBLE[(person + kpi * 3 + period) % WOBBLE.len()]
}

/// The actual that scores `score` on these targets: `Targets::value` turned round, to two
/// decimals.
fn actual_scoring(t: &Targets, score: f64) -> f64 {
    let value = match t.direction {
        Direction::WithinRange if score >= 1.0 => (t.threshold + t.target) / 2.0,
        Direction::WithinRange => t.target + (1.0 - score).min(1.0) * t.tolerance,
        _ if score < 0.8 => t.threshold - (t.target - t.threshold) * 0.5,
        _ if score < 1.0 => t.threshold + (t.target - t.threshold) * (score - 0.8) / 0.2,
        _ => t.target + (t.stretch - t.target) * ((score - 1.0) / 0.2).min(1.0),
    };
    (value * 100.0).round() / 100.0
}

/// The templates, the competency framework and the role profiles: the same every year.
pub async fn seed_library(db: &Db) -> AppResult<()> {
    for t in LIBRARY {
        planning::save_template(db, KpiTemplate { id: String::new(), job_title: t.0.into(), spec: spec(t) }).await?;
    }
    let mut competency_ids: Vec<(String, String)> = Vec::new();
    for (name, description, levels) in COMPETENCIES {
        let saved = competencies::save(db, Competency {
            id: String::new(),
            name: name.to_string(),
            description: description.to_string(),
            levels: levels
                .iter()
                .enumerate()
                .map(|(i, behaviours)| ProficiencyLevel {
                    level: i as u8 + 1,
                    name: LEVEL_NAMES[i].into(),
                    indicators: behaviours.iter().map(|b| b.to_string()).collect(),
                })
                .collect(),
        })
        .await?;
        competency_ids.push((saved.name, saved.id));
    }
    let everyone = people::list(db, false).await?;
    let mut titles: Vec<&str> = everyone.iter().map(|p| p.job_title.as_str()).collect();
    titles.sort_unstable();
    titles.dedup();
    for title in titles {
        let senior = ["Chief", "Director"].iter().any(|w| title.contains(w));
        let leads = senior || ["Manager", "Lead", "Supervisor"].iter().any(|w| title.contains(w));
        let expected = competency_ids
            .iter()
            .filter(|(name, _)| name != "Leading people" || leads)
            .map(|(name, id)| (id.clone(), if senior || (leads && name == "Leading people") { 4 } else { 3 }))
            .collect();
        competencies::save_profile(db, RoleProfile { job_title: title.into(), expected }).await?;
    }
    Ok(())
}

/// A fiscal year (July to June) starting in `start_year`.
pub fn fiscal_year(start_year: i32) -> CycleInput {
    CycleInput {
        name: format!("FY{}", start_year + 1),
        starts_on: format!("{start_year}-07-01"),
        ends_on: format!("{}-06-30", start_year + 1),
        period_kind: PeriodKind::Quarter,
    }
}

/// Last year's session of the learning-planning training, and who went: their training hours
/// rose after it.
pub struct LearningSession<'a> {
    pub training: &'a str,
    pub held_on: &'a str,
    pub place: &'a str,
    pub attendees: &'a [&'a str],
}

/// A year's goals cascaded to units, a plan for everyone with KPIs in the library, and actuals for
/// the periods that have ended. Last year every plan was agreed; this year plans stand in every
/// state, and some people have none yet.
pub async fn seed_year(db: &Db, cycle: &Cycle, last_year: bool, learning: &LearningSession<'_>) -> AppResult<()> {
    let today = planning::today();
    let unit_ids: HashMap<String, String> = units::list(db).await?.into_iter().map(|u| (u.code.clone(), u.id)).collect();
    let mut goal_ids: Vec<String> = Vec::new();
    for (unit, parent, title) in GOALS {
        let goal = planning::save_goal(db, None, GoalInput {
            cycle_id: cycle.id.clone(),
            title: title.to_string(),
            description: String::new(),
            unit_id: unit.map(|u| unit_ids[u].clone()),
            parent_id: parent.map(|p| goal_ids[p].clone()),
        })
        .await?;
        goal_ids.push(goal.id);
    }
    let goals = planning::list_goals(db, &cycle.id).await?;

    let periods = crate::planning::rules::periods(&cycle.starts_on, &cycle.ends_on, cycle.period_kind).map_err(|_| AppError::Internal)?;
    let ended: Vec<_> = periods.iter().filter(|p| parse_date(&p.ends_on).is_some_and(|d| d < today)).collect();
    let recorded: Vec<_> = if ended.is_empty() { periods.iter().take(1).collect() } else { ended };
    let capability = goal_ids[3].clone();
    let mut rows = Vec::new();
    let units = units::list(db).await?;
    let everyone = people::list(db, false).await?;
    for (n, person) in everyone.iter().enumerate() {
        let templates: Vec<&Template> = LIBRARY.iter().filter(|t| t.0 == person.job_title).collect();
        let name = person.email.split('@').next().unwrap_or_default();
        let Some(manager) = person.manager_id.as_deref() else { continue };
        if templates.is_empty() || (!last_year && WITHOUT_PLAN.contains(&name)) {
            continue;
        }
        // The KRA serves the goal of the person's unit, or of the nearest unit above with one.
        let mut unit = Some(person.unit_id.clone());
        let mut goal = None;
        while let (Some(u), None) = (unit.clone(), goal.clone()) {
            goal = goals.iter().find(|g| g.unit_id.as_deref() == Some(u.as_str())).map(|g| g.id.clone());
            unit = units.iter().find(|x| x.id == u).and_then(|x| x.parent_id.clone());
        }
        let results_weights = weights(templates.len());
        let kras = vec![
            Kra {
                id: String::new(),
                title: "Results".into(),
                weight: 70.0,
                goal_id: goal.unwrap_or_else(|| goal_ids[0].clone()),
                kpis: templates.iter().zip(&results_weights).map(|(t, w)| Kpi { id: String::new(), spec: spec(t), weight: *w }).collect(),
            },
            Kra {
                id: String::new(),
                title: "Learning and development".into(),
                weight: 30.0,
                goal_id: capability.clone(),
                kpis: vec![Kpi { id: String::new(), spec: spec(&TRAINING), weight: 100.0 }],
            },
        ];
        let (manager_user, _) = people::session_user(db, manager).await?.ok_or(AppError::Internal)?;
        let (employee_user, _) = people::session_user(db, &person.id).await?.ok_or(AppError::Internal)?;
        let plan = planning::save_plan(db, &manager_user, PlanInput { person_id: person.id.clone(), cycle_id: cycle.id.clone(), kras }).await?;
        let state = if last_year { None } else { PLAN_STATES.iter().find(|(who, _)| *who == name).map(|(_, state)| *state) };
        let step = |actor, step, comment: &str| planning::plan_step(db, actor, &person.id, &cycle.id, step, comment.to_owned());
        match state {
            Some(Stopped::Drafting) => continue,
            Some(Stopped::WithEmployee) => {
                step(&manager_user, PlanStep::Send, "").await?;
                continue;
            }
            Some(Stopped::ChangesAsked(comment)) => {
                step(&manager_user, PlanStep::Send, "").await?;
                step(&employee_user, PlanStep::RequestChanges, comment).await?;
                continue;
            }
            Some(Stopped::AwaitingApproval) => {
                step(&manager_user, PlanStep::Send, "").await?;
                step(&employee_user, PlanStep::Acknowledge, "").await?;
                continue;
            }
            None => {
                step(&manager_user, PlanStep::Send, "").await?;
                step(&employee_user, PlanStep::Acknowledge, "").await?;
                step(&manager_user, PlanStep::Approve, "").await?;
            }
        }
        let learned = learning.attendees.contains(&name);
        for (k, kpi) in plan.kras.iter().flat_map(|k| &k.kpis).enumerate() {
            for (p, period) in recorded.iter().enumerate() {
                let mut score = period_score(n, k, p, last_year);
                if learned && kpi.spec.name == TRAINING.1 && period.starts_on.as_str() > learning.held_on {
                    score += LEARNING_EFFECT;
                }
                rows.push((rows.len() + 1, ActualRow {
                    email: person.email.clone(),
                    kpi: kpi.spec.name.clone(),
                    period: period.key.clone(),
                    value: actual_scoring(&kpi.spec.targets, score),
                    note: format!("From the {}.", kpi.spec.data_source),
                    link: None,
                }));
            }
        }
    }
    actuals::import(db, cycle, rows, ActualSource::Csv, "Demo data".into()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_demo_actual_scores_what_was_meant() {
        for t in LIBRARY.iter().chain([&TRAINING]) {
            for score in [0.0, 0.85, 0.9, 0.95, 1.0, 1.04, 1.12, 1.2] {
                let (got, _) = spec(t).targets.value(actual_scoring(&spec(t).targets, score));
                // Inside its range a KPI scores 100 %, never more.
                let meant = if t.3 == Range { score.min(1.0) } else { score };
                assert!((got - meant).abs() < 0.01, "{} at {score}: {got}", t.1);
            }
        }
    }

    #[test]
    fn usual_ratings_fall_around_meets_expectations() {
        // A bell on the rating scale, with "meets expectations" the most common.
        let mut count = [0; 5];
        for usual in USUAL_SCORES {
            count[usize::from(crate::planning::scoring::RatingBands::example().rating(usual).unwrap()) - 1] += 1;
        }
        assert_eq!(count, [1, 5, 8, 4, 2]);
    }
}
