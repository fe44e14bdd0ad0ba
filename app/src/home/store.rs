//! The facts a person's tasks are worked out from, gathered through each domain's own queries.

use crate::auth::Audience;
use crate::auth::types::SessionUser;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::home::types::{AppraisalFacts, AskedFeedback, OwnFacts, ReportFacts, TaskFacts};
use crate::planning::store::{actuals, plans};

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
    let direct = crate::org::store::people::reporting_line(db, &user.id).await?.into_iter().filter(|m| m.depth == 1 && reports.includes(&m.person.id));
    for member in direct {
        let person = member.person;
        facts.reports.push(ReportFacts {
            plan_state: plans::find_plan(db, &person.id, &cycle.id).await?.map(|p| p.state),
            appraisal: appraisals.as_ref().and_then(|a| a.reports.iter().find(|line| line.person_id == person.id)).map(facts_of),
            id: person.id,
            name: person.name,
        });
    }
    facts.cycle = Some(cycle);
    Ok(facts)
}
