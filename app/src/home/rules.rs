//! A person's tasks, worked out from the state of their work and their direct reports' (pure;
//! the day is passed in). Each says why it matters and opens the page where it is done.

use time::{Date, Duration};

use crate::appraisal::types::AppraisalState;
use crate::change::rules::kpi_due;
use crate::home::types::{TaskList, Task, TaskFacts};
use crate::planning::rules::{iso, parse_date};
use crate::planning::types::{CycleState, PlanState};

/// How far ahead of its deadline the self-assessment shows while the cycle is still active.
const SELF_ASSESSMENT_AHEAD_DAYS: i64 = 30;
/// How far ahead a check-in shows: a week, or a third of the cadence if that is shorter.
const CHECK_IN_AHEAD_DAYS: i64 = 7;

/// Every task of the person on `today`: overdue first, then by due date, then those without one.
pub fn tasks(f: &TaskFacts, today: Date) -> TaskList {
    let mut tasks = Vec::new();
    if let Some(cycle) = &f.cycle {
        let d = &cycle.deadlines;
        let by = |text: &Option<String>| text.as_deref().and_then(parse_date);
        let task = |what: String, why: String, due: Option<Date>, link: String| Task {
            what,
            why,
            due_on: due.map(iso),
            overdue: due.is_some_and(|due| due < today),
            link,
        };
        let plans_due = by(&d.plans_agreed_by);
        // Appraisal work belongs to the cycle in appraisal, which may be last year's while the
        // current cycle is already planning the next.
        let appraised = f.appraisal_cycle.as_ref().unwrap_or(cycle);
        let conversations_due = by(&appraised.deadlines.conversations_by);

        // The employee's own work.
        if let Some(plan) = &f.own.plan {
            let kpis = plan.kras.iter().map(|k| k.kpis.len()).sum::<usize>();
            if plan.state == PlanState::WithEmployee && cycle.state.plans_open() {
                tasks.push(task(
                    format!("Read and acknowledge your plan for {}", cycle.name),
                    format!("It sets the {kpis} KPIs in {} KRAs your year is measured on.", plan.kras.len()),
                    plans_due,
                    "/plans/me".into(),
                ));
            }
            if plan.state == PlanState::Approved && cycle.state.actuals_open() {
                let count = f.periods.len();
                for (index, period) in f.periods.iter().enumerate().filter(|(_, p)| parse_date(&p.ends_on).is_some_and(|end| end < today)) {
                    let due = d.actuals_within_days.and_then(|days| parse_date(&period.ends_on).map(|end| end + Duration::days(i64::from(days))));
                    for kra in &plan.kras {
                        let goal = f.goals.get(&kra.goal_id).map(|g| format!(", which serves \"{g}\"")).unwrap_or_default();
                        for kpi in kra.kpis.iter().filter(|k| kpi_due(k.spec.frequency, cycle.period_kind, index, count)) {
                            if !f.own.recorded.contains(&(kpi.id.clone(), period.key.clone())) {
                                tasks.push(task(
                                    format!("Record {} for {}", kpi.spec.name, period.label),
                                    format!("{} weighs {}% in \"{}\"{goal}.", kpi.spec.name, kpi.weight, kra.title),
                                    due,
                                    "/results".into(),
                                ));
                            }
                        }
                    }
                }
            }
        }
        let self_assessment_due = by(&appraised.deadlines.self_assessment_by);
        let self_assessment_now = appraised.state == CycleState::Appraisal
            || (appraised.state == CycleState::Active && self_assessment_due.is_some_and(|due| due - Duration::days(SELF_ASSESSMENT_AHEAD_DAYS) <= today));
        let appraised_in_it = f.own.appraisal.is_some() || (f.appraisal_cycle.is_none() && f.own.plan.is_some());
        if appraised_in_it && self_assessment_now && !f.own.self_assessment_submitted {
            tasks.push(task(
                "Complete your self-assessment".into(),
                "Your own view of the year goes into the appraisal conversation beside your manager's ratings.".into(),
                self_assessment_due,
                "/self-assessment".into(),
            ));
        }
        if f.own.appraisal.is_some_and(|a| a.state == AppraisalState::Rated && a.manager_signed) {
            tasks.push(task(
                "Sign your appraisal record".into(),
                "Your manager has signed it; your signature closes the appraisal (you may add a comment after).".into(),
                conversations_due,
                "/appraisals/me/conversation".into(),
            ));
        }

        // A manager's work for each direct report.
        for report in &f.reports {
            let first = report.name.split_whitespace().next().unwrap_or(&report.name);
            let plan_link = format!("/plans/{}", report.id);
            let plan_task = match report.plan_state {
                _ if !cycle.state.plans_open() => None,
                None => Some((format!("Draft {}'s plan", report.name), format!("Without a plan {first} has no KPIs to be measured on."))),
                Some(PlanState::Draft) => Some((format!("Send {}'s plan", report.name), format!("{first} can acknowledge it once it is sent."))),
                Some(PlanState::Acknowledged) => Some((format!("Approve {}'s plan", report.name), format!("{first} acknowledged it; approving agrees it."))),
                Some(PlanState::WithEmployee | PlanState::Approved) => None,
            };
            if let Some((what, why)) = plan_task {
                tasks.push(task(what, why, plans_due, plan_link));
            }
            if let (Some(every), CycleState::Active) = (d.check_in_every_days, cycle.state) {
                let last = report.last_check_in.as_deref().and_then(parse_date);
                if let Some(since) = last.or_else(|| parse_date(&cycle.starts_on)) {
                    let every = i64::from(every);
                    let due = since + Duration::days(every);
                    if due - Duration::days(CHECK_IN_AHEAD_DAYS.min(every / 3)) <= today {
                        let before = match last {
                            Some(last) => format!("The last was on {}. ", iso(last)),
                            None => format!("None yet in {}. ", cycle.name),
                        };
                        tasks.push(task(
                            format!("Hold a check-in with {}", report.name),
                            format!("{before}Coaching every {every} days keeps {first}'s KPIs on track."),
                            Some(due),
                            "/check-ins".into(),
                        ));
                    }
                }
            }
            match report.appraisal {
                Some(a) if a.state == AppraisalState::Preparing => tasks.push(task(
                    format!("Rate {}", report.name),
                    "Ratings grounded in examples come before the appraisal conversation.".into(),
                    conversations_due,
                    format!("/appraisals/{}/prepare", report.id),
                )),
                Some(a) if a.state == AppraisalState::Rated && !a.manager_signed => tasks.push(task(
                    format!("Hold {}'s appraisal conversation and sign it", report.name),
                    format!("{first} signs after you; the appraisal closes then."),
                    conversations_due,
                    format!("/appraisals/{}/conversation", report.id),
                )),
                _ => {}
            }
        }
    }

    // HR: the cycle's milestones, and the units whose plans lag.
    if let Some(cycle) = f.cycle.as_ref().filter(|_| !f.unit_plans.is_empty()) {
        let d = &cycle.deadlines;
        if *d == crate::planning::types::Deadlines::default() {
            tasks.push(Task {
                what: format!("Set the deadlines of {}", cycle.name),
                why: "Until they are set nobody's tasks have a due date, and nobody is reminded.".into(),
                due_on: None,
                overdue: false,
                link: "/cycles".into(),
            });
        }
        let due = d.plans_agreed_by.as_deref().and_then(parse_date);
        if cycle.state.plans_open() {
            for unit in f.unit_plans.iter().filter(|u| u.without_plan + u.not_agreed > 0) {
                let agreed = unit.people - unit.without_plan - unit.not_agreed;
                let missing = match unit.without_plan {
                    0 => String::new(),
                    1 => " 1 has no plan yet.".into(),
                    n => format!(" {n} have no plan yet."),
                };
                tasks.push(Task {
                    what: format!("{}: {agreed} of {} plans agreed", unit.unit_name, unit.people),
                    why: format!("People without an agreed plan have no line of sight to the goals.{missing}"),
                    due_on: due.map(iso),
                    overdue: due.is_some_and(|due| due < today),
                    link: format!("/scorecards?unit={}", unit.unit_id),
                });
            }
        }
    }

    // HR: each unit's calibration to lock (by the appraisal cycle's deadline), then its merit.
    if let Some(appraised) = f.appraisal_cycle.as_ref() {
        let due = appraised.deadlines.calibration_by.as_deref().and_then(parse_date);
        for unit in f.unit_appraisals.iter().filter(|u| !u.locked && u.appraisals > 0) {
            let waiting = match unit.appraisals - unit.rated {
                0 => "every rating is in".to_owned(),
                n => format!("{n} still to be rated by their managers"),
            };
            tasks.push(Task {
                what: format!("Calibrate and lock {}: {} of {} appraisals rated", unit.unit_name, unit.rated, unit.appraisals),
                why: format!("Locking makes the ratings final, and merit follows them; {waiting}."),
                due_on: due.map(iso),
                overdue: due.is_some_and(|due| due < today),
                link: format!("/calibration/{}", unit.unit_id),
            });
        }
    }
    for (_, unit_name, raises, _) in f.unit_merit.iter().filter(|(_, _, raises, approved)| !approved && *raises > 0) {
        tasks.push(Task {
            what: format!("Approve merit for {unit_name}"),
            why: format!("{raises} raises proposed from the settled ratings; payroll receives them once approved."),
            due_on: None,
            overdue: false,
            link: "/merit".into(),
        });
    }

    // Change programmes: actions owned, steps ready to sign off, pulses with answers to close.
    for p in &f.change {
        let link = |step: u8| format!("/change/{}?step={step}", p.programme_id);
        for (step, title, due_on) in &p.actions {
            let step_title = crate::change::rules::STEPS.get(usize::from(step.saturating_sub(1))).map_or("", |s| s.title);
            let due = parse_date(due_on);
            tasks.push(Task {
                what: title.clone(),
                why: format!("An action of step {step}, \"{step_title}\", of {}.", p.programme_name),
                due_on: due.map(iso),
                overdue: due.is_some_and(|due| due < today),
                link: link(*step),
            });
        }
        if let Some((step, true)) = p.next_step.filter(|_| p.is_chair) {
            let step_title = crate::change::rules::STEPS.get(usize::from(step.saturating_sub(1))).map_or("", |s| s.title);
            tasks.push(Task {
                what: format!("Sign off step {step}, \"{step_title}\""),
                why: format!("Its criteria are met; signing it off moves {} on to the next step.", p.programme_name),
                due_on: None,
                overdue: false,
                link: link(step),
            });
        }
        if !p.missed_targets.is_empty() {
            let below: Vec<String> = p.missed_targets.iter().map(|(m, value, target)| format!("{} {} (target {})", m.label(), m.format(*value), m.format(*target))).collect();
            let n = p.missed_targets.len();
            tasks.push(Task {
                what: format!("{}: {n} adoption {} missed", p.programme_name, if n == 1 { "target" } else { "targets" }),
                why: format!("{}. The dashboard shows which units lag.", below.join("; ")),
                due_on: None,
                overdue: false,
                link: format!("/change/{}/adoption", p.programme_id),
            });
        }
        if p.is_chair {
            for (title, answered) in &p.open_pulses {
                if let Some(n) = answered {
                    tasks.push(Task {
                        what: format!("Close the pulse \"{title}\" when it has enough answers"),
                        why: format!("{n} have answered; closing it shows the results by unit to steer {}.", p.programme_name),
                        due_on: None,
                        overdue: false,
                        link: format!("/change/{}", p.programme_id),
                    });
                }
            }
        }
    }

    // Work outside the cycle.
    for asked in &f.asked {
        tasks.push(Task {
            what: format!("Answer {}'s feedback request", asked.asker_name),
            why: format!("Asked on {}: \"{}\"", asked.asked_on, asked.message),
            due_on: None,
            overdue: false,
            link: "/feedback".into(),
        });
    }
    for (title, moves, due_on) in &f.development {
        let overdue = parse_date(due_on).is_some_and(|due| due < today);
        tasks.push(Task { what: title.clone(), why: format!("A development step toward {moves}."), due_on: Some(due_on.clone()), overdue, link: "/development/me".into() });
    }
    for (title, programme) in &f.pulses {
        tasks.push(Task {
            what: format!("Answer the pulse \"{title}\""),
            why: format!("{programme}: answers are anonymous and steer the change."),
            due_on: None,
            overdue: false,
            link: "/pulse".into(),
        });
    }

    // Overdue first, then by due date (a date sorts before none), in the order found otherwise.
    tasks.sort_by(|a, b| b.overdue.cmp(&a.overdue).then_with(|| match (&a.due_on, &b.due_on) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }));
    TaskList { today: iso(today), tasks, progress: None }
}

/// When a task is due, as seen on `today` (both `YYYY-MM-DD`): "due today", "due in 3 days",
/// "2 days overdue".
pub fn due_in_words(due_on: &str, today: &str) -> String {
    let (Some(due), Some(today)) = (parse_date(due_on), parse_date(today)) else { return format!("due {due_on}") };
    let days = (due - today).whole_days();
    let plural = |n: i64| if n == 1 { "1 day".to_owned() } else { format!("{n} days") };
    match days {
        0 => "due today".into(),
        1 => "due tomorrow".into(),
        d if d > 1 => format!("due in {} ({due_on})", plural(d)),
        d => format!("{} overdue (due {due_on})", plural(-d)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::home::types::{AppraisalFacts, AskedFeedback, ChangeFacts, ReportFacts, UnitAppraisals, UnitPlans};
    use crate::change::types::Metric;
    use crate::planning::rules::periods;
    use crate::planning::scoring::{Direction, Targets};
    use crate::planning::types::{Cycle, Deadlines, Frequency, Kpi, KpiSpec, Kra, PeriodKind, Plan};

    fn day(text: &str) -> Date {
        parse_date(text).unwrap()
    }

    fn kpi(id: &str, name: &str, frequency: Frequency) -> Kpi {
        let targets = Targets { direction: Direction::HigherIsBetter, baseline: 0.0, threshold: 80.0, target: 90.0, stretch: 100.0, tolerance: 0.0 };
        Kpi { id: id.into(), spec: KpiSpec { name: name.into(), measure: "%".into(), targets, frequency, data_source: "CRM".into() }, weight: 50.0 }
    }

    fn plan(state: PlanState) -> Plan {
        Plan {
            id: "p".into(),
            person_id: "sam".into(),
            person_name: "Sam Taylor".into(),
            cycle_id: "fy".into(),
            state,
            kras: vec![Kra {
                id: "k".into(),
                title: "Results".into(),
                weight: 100.0,
                goal_id: "g".into(),
                kpis: vec![kpi("on-time", "On-time delivery", Frequency::Quarterly), kpi("nps", "Customer NPS", Frequency::Annually)],
            }],
            comment: None,
        }
    }

    fn facts(state: CycleState, deadlines: Deadlines) -> TaskFacts {
        let cycle = Cycle { id: "fy".into(), name: "FY2027".into(), starts_on: "2026-07-01".into(), ends_on: "2027-06-30".into(), period_kind: PeriodKind::Quarter, state, deadlines };
        TaskFacts {
            periods: periods(&cycle.starts_on, &cycle.ends_on, cycle.period_kind).unwrap(),
            goals: [("g".to_owned(), "Deliver on every promise".to_owned())].into(),
            cycle: Some(cycle),
            ..TaskFacts::default()
        }
    }

    fn whats(tasks: &TaskList) -> Vec<&str> {
        tasks.tasks.iter().map(|t| t.what.as_str()).collect()
    }

    #[test]
    fn an_employee_acknowledges_a_plan_sent_to_them_by_the_deadline() {
        let mut f = facts(CycleState::Planning, Deadlines { plans_agreed_by: Some("2026-07-31".into()), ..Deadlines::default() });
        f.own.plan = Some(plan(PlanState::WithEmployee));
        let on_the_day = tasks(&f, day("2026-07-31"));
        assert_eq!(on_the_day.tasks.len(), 1);
        let task = &on_the_day.tasks[0];
        assert_eq!(task.what, "Read and acknowledge your plan for FY2027");
        assert_eq!(task.why, "It sets the 2 KPIs in 1 KRAs your year is measured on.");
        assert_eq!((task.due_on.as_deref(), task.overdue, task.link.as_str()), (Some("2026-07-31"), false, "/plans/me"));
        assert!(tasks(&f, day("2026-08-01")).tasks[0].overdue, "the day after the deadline");
        f.own.plan = Some(plan(PlanState::Acknowledged));
        assert!(tasks(&f, day("2026-08-01")).tasks.is_empty(), "acknowledged: nothing left for the employee");
    }

    #[test]
    fn actuals_are_due_for_ended_periods_by_frequency_within_the_days_hr_set() {
        let mut f = facts(CycleState::Active, Deadlines { actuals_within_days: Some(10), ..Deadlines::default() });
        f.own.plan = Some(plan(PlanState::Approved));
        // Q1 ended on 30 September; Q2 has not ended; the annual NPS is due in Q4 only.
        let early = tasks(&f, day("2026-10-05"));
        assert_eq!(whats(&early), vec!["Record On-time delivery for Q1 (Jul–Sep 2026)"]);
        let task = &early.tasks[0];
        assert_eq!(task.why, "On-time delivery weighs 50% in \"Results\", which serves \"Deliver on every promise\".");
        assert_eq!((task.due_on.as_deref(), task.overdue), (Some("2026-10-10"), false));
        assert!(tasks(&f, day("2026-10-11")).tasks[0].overdue);
        // Recorded: gone. Two quarters later, Q2 and Q3 are owed.
        f.own.recorded.insert(("on-time".into(), "Q1".into()));
        let later = tasks(&f, day("2027-04-02"));
        assert_eq!(whats(&later), vec!["Record On-time delivery for Q2 (Oct–Dec 2026)", "Record On-time delivery for Q3 (Jan–Mar 2027)"]);
        assert_eq!(later.tasks.iter().map(|t| t.overdue).collect::<Vec<_>>(), vec![true, false]);
        // Without a deadline set, the task stands without a due date.
        f.cycle.as_mut().unwrap().deadlines.actuals_within_days = None;
        assert_eq!(tasks(&f, day("2027-04-02")).tasks[0].due_on, None);
    }

    #[test]
    fn the_self_assessment_shows_a_month_ahead_and_the_signature_after_the_manager() {
        let deadlines = Deadlines { self_assessment_by: Some("2027-06-15".into()), conversations_by: Some("2027-07-15".into()), ..Deadlines::default() };
        let mut f = facts(CycleState::Active, deadlines);
        f.own.plan = Some(plan(PlanState::Approved));
        f.own.recorded = ["Q1", "Q2", "Q3"].iter().map(|q| ("on-time".to_owned(), (*q).to_owned())).collect();
        assert!(tasks(&f, day("2027-05-15")).tasks.is_empty(), "31 days ahead: not yet");
        assert_eq!(whats(&tasks(&f, day("2027-05-16"))), vec!["Complete your self-assessment"]);
        f.own.self_assessment_submitted = true;
        assert!(tasks(&f, day("2027-05-16")).tasks.is_empty());

        f.cycle.as_mut().unwrap().state = CycleState::Appraisal;
        f.own.appraisal = Some(AppraisalFacts { state: AppraisalState::Rated, manager_signed: false });
        assert!(whats(&tasks(&f, day("2027-07-01"))).iter().all(|w| !w.starts_with("Sign")), "the manager signs first");
        f.own.appraisal = Some(AppraisalFacts { state: AppraisalState::Rated, manager_signed: true });
        let sign = tasks(&f, day("2027-07-16"));
        let task = sign.tasks.iter().find(|t| t.what == "Sign your appraisal record").unwrap();
        assert_eq!((task.due_on.as_deref(), task.overdue, task.link.as_str()), (Some("2027-07-15"), true, "/appraisals/me/conversation"));
    }

    #[test]
    fn hr_is_led_to_each_unit_to_calibrate_then_to_its_merit() {
        let mut f = facts(CycleState::Closed, Deadlines::default());
        let mut appraised = f.cycle.clone().unwrap();
        appraised.state = CycleState::Appraisal;
        appraised.deadlines.calibration_by = Some("2027-08-15".into());
        f.appraisal_cycle = Some(appraised);
        let unit = |name: &str, appraisals, rated, locked| UnitAppraisals { unit_id: name.to_lowercase(), unit_name: name.into(), appraisals, rated, locked };
        f.unit_appraisals = vec![unit("Sales", 7, 5, false), unit("Finance", 4, 4, false), unit("Support", 3, 3, true), unit("Empty", 0, 0, false)];
        f.unit_merit = vec![("support".into(), "Support".into(), 3, false), ("hq".into(), "HQ".into(), 2, true), ("none".into(), "None".into(), 0, false)];
        let list = tasks(&f, day("2027-08-16"));
        assert_eq!(
            whats(&list),
            vec!["Calibrate and lock Sales: 5 of 7 appraisals rated", "Calibrate and lock Finance: 4 of 4 appraisals rated", "Approve merit for Support"]
        );
        assert!(list.tasks[0].overdue && list.tasks[0].due_on.as_deref() == Some("2027-08-15"));
        assert!(list.tasks[0].why.contains("2 still to be rated") && list.tasks[1].why.contains("every rating is in"));
        assert_eq!((list.tasks[0].link.as_str(), list.tasks[2].link.as_str()), ("/calibration/sales", "/merit"));
        // On the deadline itself: due, not overdue.
        assert!(!tasks(&f, day("2027-08-15")).tasks[0].overdue);
    }

    #[test]
    fn hr_is_led_to_the_deadlines_and_to_the_units_whose_plans_lag() {
        let mut f = facts(CycleState::Planning, Deadlines::default());
        let unit = |name: &str, people, without_plan, not_agreed| UnitPlans { unit_id: name.to_lowercase(), unit_name: name.into(), people, without_plan, not_agreed };
        f.unit_plans = vec![unit("Sales", 7, 2, 1), unit("Finance", 4, 0, 0), unit("Support", 3, 1, 0)];
        let list = tasks(&f, day("2026-07-10"));
        assert_eq!(whats(&list), vec!["Set the deadlines of FY2027", "Sales: 4 of 7 plans agreed", "Support: 2 of 3 plans agreed"]);
        assert_eq!(list.tasks[1].why, "People without an agreed plan have no line of sight to the goals. 2 have no plan yet.");
        assert_eq!((list.tasks[1].link.as_str(), list.tasks[1].due_on.as_deref()), ("/scorecards?unit=sales", None));
        // With the deadline set, the laggards are due by it, and overdue after it.
        f.cycle.as_mut().unwrap().deadlines.plans_agreed_by = Some("2026-07-31".into());
        let late = tasks(&f, day("2026-08-01"));
        assert_eq!(whats(&late), vec!["Sales: 4 of 7 plans agreed", "Support: 2 of 3 plans agreed"]);
        assert!(late.tasks.iter().all(|t| t.overdue && t.due_on.as_deref() == Some("2026-07-31")));
        // Once the cycle is under way plans are closed: no plan tasks; nor for someone not in HR.
        f.cycle.as_mut().unwrap().state = CycleState::Appraisal;
        assert!(tasks(&f, day("2026-08-01")).tasks.is_empty());
        f.unit_plans.clear();
        f.cycle.as_mut().unwrap().deadlines = Deadlines::default();
        assert!(tasks(&f, day("2026-08-01")).tasks.is_empty(), "only HR sets deadlines");
    }

    #[test]
    fn the_committee_is_led_to_its_actions_sign_offs_and_pulses() {
        let mut f = TaskFacts::default();
        let programme = ChangeFacts {
            programme_id: "p1".into(),
            programme_name: "Performance culture".into(),
            is_chair: true,
            actions: vec![(4, "Run the town hall".into(), "2026-11-20".into()), (5, "Fix the HR form".into(), "2026-12-15".into())],
            next_step: Some((4, true)),
            open_pulses: vec![("How clear are the goals?".into(), Some(12)), ("Too few yet".into(), None)],
            missed_targets: vec![],
        };
        f.change = vec![programme.clone()];
        let list = tasks(&f, day("2026-11-28"));
        assert_eq!(
            whats(&list),
            vec!["Run the town hall", "Fix the HR form", "Sign off step 4, \"Enlist a volunteer army\"", "Close the pulse \"How clear are the goals?\" when it has enough answers"]
        );
        assert!(list.tasks[0].overdue && !list.tasks[1].overdue);
        assert_eq!(list.tasks[0].why, "An action of step 4, \"Enlist a volunteer army\", of Performance culture.");
        assert_eq!((list.tasks[0].link.as_str(), list.tasks[2].link.as_str()), ("/change/p1?step=4", "/change/p1?step=4"));
        assert_eq!(list.tasks[3].why, "12 have answered; closing it shows the results by unit to steer Performance culture.");
        // A member who does not chair owns actions only; a step whose criteria are not met waits.
        // Below an adoption target: everyone on the programme is led to the dashboard.
        let missing = ChangeFacts { missed_targets: vec![(Metric::AgreedPlans, 0.62, 0.8), (Metric::FeedbackPerPersonMonth, 0.4, 1.0)], ..programme.clone() };
        f.change = vec![ChangeFacts { is_chair: false, ..missing }];
        let below = tasks(&f, day("2026-11-28"));
        let task = below.tasks.iter().find(|t| t.what.ends_with("2 adoption targets missed")).expect("a task for the missed targets");
        assert_eq!(task.why, "People with an agreed plan 62% (target 80%); Feedback per person per month 0.4 (target 1.0). The dashboard shows which units lag.");
        assert_eq!(task.link, "/change/p1/adoption");
        f.change = vec![ChangeFacts { is_chair: false, ..programme.clone() }];
        assert_eq!(whats(&tasks(&f, day("2026-11-28"))), vec!["Run the town hall", "Fix the HR form"]);
        f.change = vec![ChangeFacts { next_step: Some((4, false)), actions: vec![], open_pulses: vec![], ..programme }];
        assert!(tasks(&f, day("2026-11-28")).tasks.is_empty());
    }

    #[test]
    fn a_manager_moves_each_reports_plan_and_appraisal_on() {
        let deadlines = Deadlines { plans_agreed_by: Some("2026-07-31".into()), conversations_by: Some("2027-07-15".into()), ..Deadlines::default() };
        let mut f = facts(CycleState::Planning, deadlines);
        let report = |id: &str, name: &str, plan_state| ReportFacts { id: id.into(), name: name.into(), plan_state, appraisal: None, last_check_in: None };
        f.reports = vec![
            report("chloe", "Chloé Dubois", None),
            report("emma", "Emma Wilson", Some(PlanState::WithEmployee)),
            report("ravi", "Ravi Patel", Some(PlanState::Draft)),
            report("sam", "Sam Taylor", Some(PlanState::Acknowledged)),
            report("tariq", "Tariq Aziz", Some(PlanState::Approved)),
        ];
        let planning = tasks(&f, day("2026-07-20"));
        assert_eq!(whats(&planning), vec!["Draft Chloé Dubois's plan", "Send Ravi Patel's plan", "Approve Sam Taylor's plan"]);
        assert_eq!(planning.tasks[0].why, "Without a plan Chloé has no KPIs to be measured on.");
        assert_eq!(planning.tasks[0].link, "/plans/chloe");

        f.cycle.as_mut().unwrap().state = CycleState::Appraisal;
        f.reports[3].appraisal = Some(AppraisalFacts { state: AppraisalState::Preparing, manager_signed: false });
        f.reports[4].appraisal = Some(AppraisalFacts { state: AppraisalState::Rated, manager_signed: false });
        let appraising = tasks(&f, day("2027-07-01"));
        assert_eq!(whats(&appraising), vec!["Rate Sam Taylor", "Hold Tariq Aziz's appraisal conversation and sign it"], "plans are closed in appraisal");
        assert_eq!(appraising.tasks[0].link, "/appraisals/sam/prepare");
        assert_eq!(appraising.tasks[1].link, "/appraisals/tariq/conversation");
        f.reports[4].appraisal = Some(AppraisalFacts { state: AppraisalState::Rated, manager_signed: true });
        assert_eq!(tasks(&f, day("2027-07-01")).tasks.len(), 1, "signed: Tariq's turn");
    }

    #[test]
    fn a_manager_holds_check_ins_at_the_cadence_hr_set() {
        let mut f = facts(CycleState::Active, Deadlines { check_in_every_days: Some(30), ..Deadlines::default() });
        let report = |id: &str, name: &str, last: Option<&str>| ReportFacts {
            id: id.into(),
            name: name.into(),
            plan_state: Some(PlanState::Approved),
            appraisal: None,
            last_check_in: last.map(str::to_owned),
        };
        f.reports = vec![report("sam", "Sam Taylor", Some("2026-11-01")), report("ravi", "Ravi Patel", None)];
        // Sam's is due 30 days after the last (1 December), shown from a week before; Ravi has
        // had none, so his was due 30 days after the cycle began.
        assert_eq!(whats(&tasks(&f, day("2026-11-23"))), vec!["Hold a check-in with Ravi Patel"]);
        let week_before = tasks(&f, day("2026-11-24"));
        assert_eq!(whats(&week_before), vec!["Hold a check-in with Ravi Patel", "Hold a check-in with Sam Taylor"]);
        let (ravi, sam) = (&week_before.tasks[0], &week_before.tasks[1]);
        assert_eq!((ravi.due_on.as_deref(), ravi.overdue), (Some("2026-07-31"), true));
        assert_eq!(ravi.why, "None yet in FY2027. Coaching every 30 days keeps Ravi's KPIs on track.");
        assert_eq!((sam.due_on.as_deref(), sam.overdue, sam.link.as_str()), (Some("2026-12-01"), false, "/check-ins"));
        assert_eq!(sam.why, "The last was on 2026-11-01. Coaching every 30 days keeps Sam's KPIs on track.");
        // Held: gone until the next is near. No cadence, or a cycle not under way: no task.
        f.reports[1].last_check_in = Some("2026-11-20".into());
        assert_eq!(whats(&tasks(&f, day("2026-11-24"))), vec!["Hold a check-in with Sam Taylor"]);
        f.cycle.as_mut().unwrap().state = CycleState::Appraisal;
        assert!(tasks(&f, day("2026-11-24")).tasks.is_empty());
        f.cycle.as_mut().unwrap().state = CycleState::Active;
        f.cycle.as_mut().unwrap().deadlines.check_in_every_days = None;
        assert!(tasks(&f, day("2026-11-24")).tasks.is_empty());
    }

    #[test]
    fn appraisal_work_follows_the_cycle_in_appraisal_while_the_next_one_is_planned() {
        let mut f = facts(CycleState::Planning, Deadlines::default());
        let next = f.cycle.clone().unwrap();
        let last_year = Cycle {
            id: "fy26".into(),
            name: "FY2026".into(),
            starts_on: "2025-07-01".into(),
            ends_on: "2026-06-30".into(),
            state: CycleState::Appraisal,
            deadlines: Deadlines { self_assessment_by: Some("2026-07-10".into()), conversations_by: Some("2026-07-31".into()), ..Deadlines::default() },
            ..next
        };
        f.appraisal_cycle = Some(last_year);
        f.own.appraisal = Some(AppraisalFacts { state: AppraisalState::Preparing, manager_signed: false });
        f.reports = vec![ReportFacts {
            id: "sam".into(),
            name: "Sam Taylor".into(),
            plan_state: Some(PlanState::Approved),
            appraisal: Some(AppraisalFacts { state: AppraisalState::Preparing, manager_signed: false }),
            last_check_in: None,
        }];
        let now = tasks(&f, day("2026-07-20"));
        assert_eq!(whats(&now), vec!["Complete your self-assessment", "Rate Sam Taylor"]);
        assert_eq!(now.tasks.iter().map(|t| (t.due_on.clone(), t.overdue)).collect::<Vec<_>>(), vec![(Some("2026-07-10".into()), true), (Some("2026-07-31".into()), false)]);
        // No appraisal of one's own there (no plan that year): no self-assessment asked.
        f.own.appraisal = None;
        f.own.plan = Some(plan(PlanState::Draft));
        assert_eq!(whats(&tasks(&f, day("2026-07-20"))), vec!["Rate Sam Taylor"]);
    }

    #[test]
    fn due_dates_read_as_words() {
        assert_eq!(due_in_words("2026-11-27", "2026-11-27"), "due today");
        assert_eq!(due_in_words("2026-11-28", "2026-11-27"), "due tomorrow");
        assert_eq!(due_in_words("2026-12-01", "2026-11-27"), "due in 4 days (2026-12-01)");
        assert_eq!(due_in_words("2026-11-26", "2026-11-27"), "1 day overdue (due 2026-11-26)");
        assert_eq!(due_in_words("2026-10-10", "2026-11-27"), "48 days overdue (due 2026-10-10)");
    }

    #[test]
    fn overdue_comes_first_then_by_date_then_undated() {
        let mut f = TaskFacts::default();
        f.asked = vec![AskedFeedback { asker_name: "Ravi Patel".into(), message: "How did my demo land?".into(), asked_on: "2026-11-20".into() }];
        f.development = vec![
            ("Finish the SQL course".into(), "Data analysis".into(), "2026-12-15".into()),
            ("Shadow a key-account call".into(), "Customer NPS".into(), "2026-11-01".into()),
            ("Read 'Thinking in Systems'".into(), "Problem solving".into(), "2026-12-01".into()),
        ];
        f.pulses = vec![("Are the new scorecards useful?".into(), "Scorecards for everyone".into())];
        let all = tasks(&f, day("2026-11-27"));
        assert_eq!(
            whats(&all),
            vec!["Shadow a key-account call", "Read 'Thinking in Systems'", "Finish the SQL course", "Answer Ravi Patel's feedback request", "Answer the pulse \"Are the new scorecards useful?\""]
        );
        assert_eq!(all.tasks.iter().map(|t| t.overdue).collect::<Vec<_>>(), vec![true, false, false, false, false]);
        assert_eq!(all.tasks[3].why, "Asked on 2026-11-20: \"How did my demo land?\"");
        assert_eq!(all.today, "2026-11-27");
    }
}
