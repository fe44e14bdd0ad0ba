//! The facts a person's tasks are worked out from, gathered through each domain's own queries.

use crate::auth::Audience;
use crate::auth::types::SessionUser;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::auth::types::Role;
use crate::home::types::{AppraisalFacts, AskedFeedback, ChangeFacts, OwnFacts, Progress, ReportFacts, TaskFacts, UnitAppraisals, UnitPlans};
use crate::planning::store::{actuals, plans};

/// A person's task list as of `today`, with how they are doing: what their home shows and what
/// their reminders and digest carry.
pub async fn task_list(db: &Db, user: &SessionUser, today: time::Date) -> AppResult<crate::home::types::TaskList> {
    use crate::auth::policy::Rule;
    let reports = Audience::of(db, user, |p| Rule::ManagerOf(p)).await?;
    let appraisers = Audience::of(db, user, |p| Rule::SettleOf(p)).await?;
    let facts = task_facts(db, user, &reports, &appraisers).await?;
    let mut list = crate::home::rules::tasks(&facts, today);
    list.progress = progress(db, user).await?;
    Ok(list)
}

/// `user`'s facts, with their direct reports among `reports` (those the policy lets them manage).
pub async fn task_facts(db: &Db, user: &SessionUser, reports: &Audience, appraisers: &Audience) -> AppResult<TaskFacts> {
    let mut facts = TaskFacts {
        asked: crate::offline::store::docs::open_requests_asked_of(db, &user.id)
            .await?
            .into_iter()
            .map(|(asker_name, message, asked_on)| AskedFeedback { asker_name, message, asked_on })
            .collect(),
        pulses: crate::change::store::programmes::open_pulses(db, user).await?.into_iter().filter(|p| !p.answered).map(|p| (p.title, p.programme)).collect(),
        ..TaskFacts::default()
    };
    facts.change = change_facts(db, user).await?;
    let cycle = match plans::current_cycle(db).await {
        Ok(cycle) => cycle,
        Err(AppError::NotFound(_)) => return Ok(facts),
        Err(e) => return Err(e),
    };
    facts.development = crate::development::store::plan_view(db, &user.id)
        .await?
        .items
        .into_iter()
        .filter(|item| item.status != "done")
        .map(|item| (item.title, item.target_label, item.due_on))
        .collect();
    facts.periods = actuals::cycle_periods(&cycle)?;
    facts.goals = plans::list_goals(db, &cycle.id).await?.into_iter().map(|g| (g.id, g.title)).collect();

    let plan = plans::find_plan(db, &user.id, &cycle.id).await?;
    let recorded = match &plan {
        Some(plan) => plans::of_plan(db, &plan.id).await?.into_iter().map(|a| (a.kpi_id, a.period_key)).collect(),
        None => Default::default(),
    };
    facts.appraisal_cycle = crate::appraisal::store::appraisal_cycle(db).await?;
    let appraisals = match &facts.appraisal_cycle {
        Some(_) => Some(crate::appraisal::store::list(db, user, appraisers).await?),
        None => None,
    };
    let own_line = appraisals.as_ref().and_then(|a| a.own.as_ref());
    let self_assessment_submitted = match own_line {
        Some(line) => line.self_assessment_submitted,
        None => crate::offline::store::docs::self_assessment_of(db, &user.id, &user.id).await?.is_some_and(|s| s.submitted),
    };
    let facts_of = |line: &crate::appraisal::types::AppraisalLine| AppraisalFacts { state: line.state, manager_signed: line.manager_signed };
    facts.own = OwnFacts { plan, recorded, self_assessment_submitted, appraisal: own_line.map(facts_of) };
    let direct: Vec<_> = crate::org::store::people::reporting_line(db, &user.id).await?.into_iter().filter(|m| m.depth == 1 && reports.includes(&m.person.id)).collect();
    let mut check_ins = crate::development::store::last_check_ins(db, &direct.iter().map(|m| m.person.id.clone()).collect::<Vec<_>>()).await?;
    for member in direct {
        let person = member.person;
        facts.reports.push(ReportFacts {
            plan_state: plans::find_plan(db, &person.id, &cycle.id).await?.map(|p| p.state),
            appraisal: appraisals.as_ref().and_then(|a| a.reports.iter().find(|line| line.person_id == person.id)).map(facts_of),
            last_check_in: check_ins.remove(&person.id),
            id: person.id,
            name: person.name,
        });
    }
    if user.has(Role::HrAdmin) {
        facts.unit_plans = unit_plans(db, &cycle.id).await?;
        if let Some(list) = &appraisals {
            facts.unit_appraisals = unit_appraisals(db, appraisers, &list.calibration_units).await?;
            facts.unit_merit = unit_merit(db, user).await?;
        }
    }
    facts.cycle = Some(cycle);
    Ok(facts)
}

/// Each unit's appraisals (with the units below it, as it is calibrated) and whether it is locked.
async fn unit_appraisals(db: &Db, calibrators: &Audience, units: &[(String, String)]) -> AppResult<Vec<UnitAppraisals>> {
    let mut out = Vec::new();
    for (unit_id, unit_name) in units {
        let view = crate::appraisal::store::calibration(db, calibrators, true, unit_id).await?;
        out.push(UnitAppraisals {
            unit_id: unit_id.clone(),
            unit_name: unit_name.clone(),
            appraisals: view.lines.len(),
            rated: view.lines.iter().filter(|l| l.state != crate::appraisal::types::AppraisalState::Preparing).count(),
            locked: view.locked.is_some(),
        });
    }
    Ok(out)
}

/// Each unit's merit proposals and whether HR approved them; none before ratings are settled.
async fn unit_merit(db: &Db, user: &SessionUser) -> AppResult<Vec<(String, String, usize, bool)>> {
    let scope = crate::reward::store::MeritScope::of_hr(db, user).await?;
    match crate::reward::store::merit(db, &scope).await {
        Ok(view) => Ok(view.units.into_iter().map(|u| (u.unit_id, u.unit_name, u.lines.len(), u.approved.is_some())).collect()),
        Err(AppError::NotFound(_)) => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

/// The programme's adoption targets its whole scope is below, as the dashboard shows it (nothing
/// while the figures are too few to show).
async fn missed_targets(db: &Db, programme: &str) -> AppResult<Vec<(crate::change::types::Metric, f64, f64)>> {
    let report = match crate::change::store::adoption::report(db, programme).await {
        Ok(report) => report,
        Err(AppError::NotFound(_)) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let Some(counts) = report.total.shown() else { return Ok(Vec::new()) };
    Ok(report
        .targets
        .iter()
        .filter_map(|(metric, target)| crate::change::rules::value(*metric, counts).filter(|v| metric.rounded(*v) < *target).map(|v| (*metric, v, *target)))
        .collect())
}

/// Each unit's people and how far their plans in `cycle` are, units with people only.
async fn unit_plans(db: &Db, cycle: &str) -> AppResult<Vec<UnitPlans>> {
    let states: std::collections::HashMap<String, crate::planning::types::PlanState> =
        plans::plans_of_cycle(db, cycle).await?.into_iter().map(|p| (p.person_id, p.state)).collect();
    let mut units: Vec<UnitPlans> = Vec::new();
    for person in crate::org::store::people::list(db, false).await? {
        let at = match units.iter().position(|u| u.unit_id == person.unit_id) {
            Some(at) => at,
            None => {
                units.push(UnitPlans { unit_id: person.unit_id.clone(), unit_name: person.unit_name.clone(), ..UnitPlans::default() });
                units.len() - 1
            }
        };
        let unit = &mut units[at];
        unit.people += 1;
        match states.get(&person.id) {
            None => unit.without_plan += 1,
            Some(crate::planning::types::PlanState::Approved) => {}
            Some(_) => unit.not_agreed += 1,
        }
    }
    units.sort_by(|a, b| a.unit_name.cmp(&b.unit_name));
    Ok(units)
}

/// What the change programmes the person is on ask of them (committee members see every one).
async fn change_facts(db: &Db, user: &SessionUser) -> AppResult<Vec<ChangeFacts>> {
    let mut out = Vec::new();
    for programme in crate::change::store::programmes::list(db).await?.programmes {
        let is_chair = programme.chair.id == user.id;
        let on_it = is_chair || programme.members.iter().any(|m| m.id == user.id) || user.has(Role::ChangeCommittee);
        if !on_it {
            continue;
        }
        let view = crate::change::store::programmes::view(db, &programme.id, user).await?;
        let next_step = programme.signed.iter().position(|signed| !signed).map(|at| {
            let number = at as u8 + 1;
            let met = view.steps.iter().find(|s| s.number == number).is_some_and(|s| !s.criteria_met.is_empty() && s.criteria_met.iter().all(|m| *m));
            (number, met)
        });
        out.push(ChangeFacts {
            programme_id: programme.id.clone(),
            programme_name: programme.name.clone(),
            is_chair,
            actions: view
                .actions
                .iter()
                .filter(|a| a.owner.id == user.id && a.status != crate::change::types::ActionStatus::Done)
                .map(|a| (a.step, a.title.clone(), a.due_on.clone()))
                .collect(),
            next_step,
            open_pulses: view.pulses.iter().filter(|p| p.open).map(|p| (p.title.clone(), p.answers.shown().copied())).collect(),
            missed_targets: missed_targets(db, &programme.id).await?,
        });
    }
    Ok(out)
}

/// How the person is doing in the current cycle; none without a cycle or a plan in it.
pub async fn progress(db: &Db, user: &SessionUser) -> AppResult<Option<Progress>> {
    let card = match crate::planning::store::actuals::scorecard(db, &user.id, None).await {
        Ok(card) => card,
        Err(AppError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    let recognition = crate::development::store::recognition_of(db, &user.id).await?;
    let month_start = plans::today().replace_day(1).map_err(|_| AppError::Internal)?;
    Ok(Some(Progress {
        cycle_name: card.cycle.name,
        score: card.rollup.map(|r| r.score),
        rating: card.rating.map(|r| r.label),
        status: card.status,
        run: recognition.current_run,
        needed: crate::development::store::consistency_periods(db).await?,
        earned: recognition.consistency.is_some(),
        feedback_this_month: crate::offline::store::docs::feedback_received_since(db, &user.id, &month_start.to_string()).await?,
    }))
}
