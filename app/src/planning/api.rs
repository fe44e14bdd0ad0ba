//! Server functions of planning and monitoring: thin, each authorizes and calls `db`.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::error::AppError;
use crate::planning::types::{ActualInput, ActualsImported, Competency, CompetencyFramework, Cycle, CycleInput, Deadlines, Goal, GoalDetail, GoalInput, GoalsOverview, GroupScorecard, Integration, IssuedToken, KpiTemplate, Plan, PlanInput, PlanStep, PlanView, RoleProfile, Scorecard};
use crate::planning::scoring::RatingBands;
#[cfg(feature = "ssr")]
use crate::auth;
#[cfg(feature = "ssr")]
use crate::auth::policy::Rule;
#[cfg(feature = "ssr")]
use crate::planning::store::actuals::Group;
#[cfg(feature = "ssr")]
use crate::auth::types::Role;

#[server(client = crate::error::Api, endpoint = "list_cycles", input = Json)]
pub async fn list_cycles() -> Result<Vec<Cycle>, AppError> {
    let ctx = auth::authorize(Rule::SignedIn).await?;
    crate::planning::store::plans::list_cycles(&ctx.db).await
}

/// The current cycle's id and name.
#[server(client = crate::error::Api, endpoint = "current_cycle_id", input = Json)]
pub async fn current_cycle_id() -> Result<(String, String), AppError> {
    let ctx = auth::authorize(Rule::SignedIn).await?;
    let cycle = crate::planning::store::plans::current_cycle(&ctx.db).await?;
    Ok((cycle.id, cycle.name))
}

#[server(client = crate::error::Api, endpoint = "create_cycle", input = Json)]
pub async fn create_cycle(input: CycleInput) -> Result<Cycle, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::planning::store::plans::create_cycle(&ctx.db, input).await
}

#[server(client = crate::error::Api, endpoint = "advance_cycle", input = Json)]
pub async fn advance_cycle(id: String) -> Result<Cycle, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    let cycle = crate::planning::store::plans::advance_cycle(&ctx.db, &id).await?;
    if cycle.state == crate::planning::types::CycleState::Appraisal {
        crate::appraisal::store::open_for_cycle(&ctx.db, &id).await?;
    }
    Ok(cycle)
}

/// HR sets the dates a cycle's tasks are due by.
#[server(client = crate::error::Api, endpoint = "set_cycle_deadlines", input = Json)]
pub async fn set_cycle_deadlines(id: String, deadlines: Deadlines) -> Result<Cycle, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::planning::store::plans::set_deadlines(&ctx.db, &id, &deadlines).await
}

/// The goal tree of a cycle (the current one when `cycle_id` is empty) with its coverage.
#[server(client = crate::error::Api, endpoint = "load_goals", input = Json)]
pub async fn load_goals(cycle_id: Option<String>) -> Result<GoalsOverview, AppError> {
    let ctx = auth::authorize(Rule::SignedIn).await?;
    let cycle = crate::planning::store::plans::cycle_or_current(&ctx.db, cycle_id.as_deref()).await?;
    Ok(GoalsOverview {
        goals: crate::planning::store::plans::goals_with_coverage(&ctx.db, &cycle.id).await?,
        cycles: crate::planning::store::plans::list_cycles(&ctx.db).await?,
        units: crate::org::types::unit_choices(&crate::org::store::units::list(&ctx.db).await?, None),
        cycle,
    })
}

#[server(client = crate::error::Api, endpoint = "save_goal", input = Json)]
pub async fn save_goal(id: Option<String>, input: GoalInput) -> Result<Goal, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::planning::store::plans::save_goal(&ctx.db, id, input).await
}

#[server(client = crate::error::Api, endpoint = "goal_line_of_sight", input = Json)]
pub async fn goal_line_of_sight(id: String) -> Result<GoalDetail, AppError> {
    let ctx = auth::authorize(Rule::SignedIn).await?;
    crate::planning::store::plans::goal_detail(&ctx.db, &id, &ctx.audience(|p| Rule::PersonRecord(p)).await?).await
}

#[server(client = crate::error::Api, endpoint = "list_kpi_templates", input = Json)]
pub async fn list_kpi_templates() -> Result<Vec<KpiTemplate>, AppError> {
    let ctx = auth::authorize(Rule::SignedIn).await?;
    crate::planning::store::plans::list_templates(&ctx.db).await
}

#[server(client = crate::error::Api, endpoint = "save_kpi_template", input = Json)]
pub async fn save_kpi_template(template: KpiTemplate) -> Result<KpiTemplate, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::planning::store::plans::save_template(&ctx.db, template).await
}

#[server(client = crate::error::Api, endpoint = "delete_kpi_template", input = Json)]
pub async fn delete_kpi_template(id: String) -> Result<(), AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::planning::store::plans::delete_template(&ctx.db, &id).await
}

/// A person's plan in a cycle with what the plan page offers the caller.
#[server(client = crate::error::Api, endpoint = "load_plan", input = Json)]
pub async fn load_plan(person_id: String, cycle_id: Option<String>) -> Result<PlanView, AppError> {
    let ctx = auth::authorize(Rule::PersonRecord(&person_id)).await?;
    let user = ctx.user()?.clone();
    let cycle = crate::planning::store::plans::cycle_or_current(&ctx.db, cycle_id.as_deref()).await?;
    let person = crate::org::store::people::get(&ctx.db, &person_id).await?;
    let plan = crate::planning::store::plans::find_plan(&ctx.db, &person_id, &cycle.id).await?;
    let mut library = crate::planning::store::plans::list_templates(&ctx.db).await?;
    library.sort_by_key(|t| t.job_title != person.job_title);
    let is_own = user.id == person_id;
    let may_edit = cycle.state.plans_open() && (!is_own || user.has(Role::HrAdmin));
    let history = match &plan {
        Some(p) => crate::planning::store::plans::plan_history(&ctx.db, &p.id).await?,
        None => Vec::new(),
    };
    Ok(PlanView { goals: crate::planning::store::plans::list_goals(&ctx.db, &cycle.id).await?, cycle, person, plan, library, may_edit, is_own, history })
}

#[server(client = crate::error::Api, endpoint = "save_plan", input = Json)]
pub async fn save_plan(input: PlanInput) -> Result<Plan, AppError> {
    let ctx = auth::authorize(Rule::ManagerOf(&input.person_id)).await?;
    let user = ctx.user()?.clone();
    crate::planning::store::plans::save_plan(&ctx.db, &user, input).await
}

/// Sending and approving are the manager's; acknowledging and asking for changes the employee's.
#[server(client = crate::error::Api, endpoint = "take_plan_step", input = Json)]
pub async fn take_plan_step(person_id: String, cycle_id: String, step: PlanStep, comment: String) -> Result<Plan, AppError> {
    let rule = if step.by_employee() { Rule::OwnRecordOnly(&person_id) } else { Rule::ManagerOf(&person_id) };
    let ctx = auth::authorize(rule).await?;
    let user = ctx.user()?.clone();
    crate::planning::store::plans::plan_step(&ctx.db, &user, &person_id, &cycle_id, step, comment).await
}

#[server(client = crate::error::Api, endpoint = "person_scorecard", input = Json)]
pub async fn person_scorecard(person_id: String, cycle_id: Option<String>) -> Result<Scorecard, AppError> {
    let ctx = auth::authorize(Rule::PersonRecord(&person_id)).await?;
    crate::planning::store::actuals::scorecard(&ctx.db, &person_id, cycle_id.as_deref()).await
}

#[server(client = crate::error::Api, endpoint = "record_actual", input = Json)]
pub async fn record_actual(input: ActualInput) -> Result<ActualsImported, AppError> {
    let ctx = auth::authorize(Rule::PersonRecord(&input.person_id)).await?;
    let user = ctx.user()?.clone();
    crate::planning::store::actuals::record_one(&ctx.db, &user, input).await
}

#[server(client = crate::error::Api, endpoint = "import_actuals", input = Json)]
pub async fn import_actuals(cycle_id: String, csv: String) -> Result<ActualsImported, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    let user = ctx.user()?.clone();
    let cycle = crate::planning::store::plans::get_cycle(&ctx.db, &cycle_id).await?;
    let rows = crate::planning::actuals_csv::parse(&csv).map_err(AppError::CsvRejected)?;
    crate::planning::store::actuals::import(&ctx.db, &cycle, rows, crate::planning::types::ActualSource::Csv, user.name).await
}

/// The scorecard of the caller's reporting line.
#[server(client = crate::error::Api, endpoint = "team_scorecard", input = Json)]
pub async fn team_scorecard(cycle_id: Option<String>) -> Result<GroupScorecard, AppError> {
    let ctx = auth::authorize(Rule::SignedIn).await?;
    let user = ctx.user()?.clone();
    crate::planning::store::actuals::group_scorecard(&ctx.db, Group::Team(&user.id), cycle_id.as_deref()).await
}

/// A unit's scorecard (with the units below it), or the organisation's without a unit.
#[server(client = crate::error::Api, endpoint = "unit_scorecard", input = Json)]
pub async fn unit_scorecard(unit_id: Option<String>, cycle_id: Option<String>) -> Result<GroupScorecard, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    let group = match unit_id.as_deref().filter(|u| !u.is_empty()) {
        Some(unit) => Group::Unit(unit),
        None => Group::Organisation,
    };
    crate::planning::store::actuals::group_scorecard(&ctx.db, group, cycle_id.as_deref()).await
}

#[server(client = crate::error::Api, endpoint = "rating_scale", input = Json)]
pub async fn rating_scale() -> Result<RatingBands, AppError> {
    let ctx = auth::authorize(Rule::SignedIn).await?;
    crate::planning::store::actuals::rating_scale(&ctx.db).await
}

#[server(client = crate::error::Api, endpoint = "save_rating_scale", input = Json)]
pub async fn save_rating_scale(bands: RatingBands) -> Result<RatingBands, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::planning::store::actuals::save_rating_scale(&ctx.db, bands).await
}

#[server(client = crate::error::Api, endpoint = "load_competency_framework", input = Json)]
pub async fn load_competency_framework() -> Result<CompetencyFramework, AppError> {
    let ctx = auth::authorize(Rule::SignedIn).await?;
    crate::planning::store::competencies::framework(&ctx.db).await
}

#[server(client = crate::error::Api, endpoint = "save_competency", input = Json)]
pub async fn save_competency(competency: Competency) -> Result<Competency, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::planning::store::competencies::save(&ctx.db, competency).await
}

#[server(client = crate::error::Api, endpoint = "save_role_profile", input = Json)]
pub async fn save_role_profile(profile: RoleProfile) -> Result<RoleProfile, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::planning::store::competencies::save_profile(&ctx.db, profile).await
}

#[server(client = crate::error::Api, endpoint = "list_integrations", input = Json)]
pub async fn list_integrations() -> Result<Vec<Integration>, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::planning::store::integrations::list(&ctx.db).await
}

#[server(client = crate::error::Api, endpoint = "issue_integration_token", input = Json)]
pub async fn issue_integration_token(name: String) -> Result<IssuedToken, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    let user = ctx.user()?.clone();
    crate::planning::store::integrations::issue(&ctx.db, &user, &name).await
}

#[server(client = crate::error::Api, endpoint = "revoke_integration", input = Json)]
pub async fn revoke_integration(id: String) -> Result<(), AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::planning::store::integrations::revoke(&ctx.db, &id).await
}
