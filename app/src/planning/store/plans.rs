//! Cycles, goals and their coverage, the KPI library, and plans with their agreement and audit.

use serde::Deserialize;

use crate::db::{Db, PLAN_WRITES, json, key_of, new_key, record, take_rows};
use crate::org::store::people;
use crate::error::{AppError, AppResult};
use crate::planning::types::{Actual, Coverage, Cycle, CycleInput, CycleState, Deadlines, Goal, GoalDetail, GoalInput, GoalWithCoverage, KpiTemplate, Plan, PlanChange, PlanInput, PlanState, PlanStep, ServingKra};
use crate::auth::types::SessionUser;
use crate::planning::rules;
use crate::planning::rules::{check_plan, goal_path, iso, periods};
use crate::planning::scorecard;

pub fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

pub(crate) fn parse_state<T: serde::de::DeserializeOwned>(text: &str) -> AppResult<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).map_err(|error| {
        tracing::error!(%error, text, "unexpected stored state");
        AppError::Internal
    })
}

#[derive(Deserialize)]
struct CycleRow {
    id: String,
    name: String,
    starts_on: String,
    ends_on: String,
    period_kind: String,
    state: String,
    plans_agreed_by: Option<String>,
    actuals_within_days: Option<u32>,
    self_assessment_by: Option<String>,
    conversations_by: Option<String>,
    calibration_by: Option<String>,
    check_in_every_days: Option<u32>,
}

impl CycleRow {
    fn into_cycle(self) -> AppResult<Cycle> {
        Ok(Cycle {
            id: key_of(&self.id),
            name: self.name,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            period_kind: parse_state(&self.period_kind)?,
            state: parse_state(&self.state)?,
            deadlines: Deadlines {
                plans_agreed_by: self.plans_agreed_by,
                actuals_within_days: self.actuals_within_days,
                self_assessment_by: self.self_assessment_by,
                conversations_by: self.conversations_by,
                calibration_by: self.calibration_by,
                check_in_every_days: self.check_in_every_days,
            },
        })
    }
}

const CYCLE_FIELDS: &str =
    "id, name, starts_on, ends_on, period_kind, state, plans_agreed_by, actuals_within_days, self_assessment_by, conversations_by, calibration_by, check_in_every_days";

/// Every cycle, latest first.
pub async fn list_cycles(db: &Db) -> AppResult<Vec<Cycle>> {
    let mut response = db.query(format!("SELECT {CYCLE_FIELDS} FROM cycle ORDER BY starts_on DESC")).await?;
    take_rows::<CycleRow>(&mut response, 0)?.into_iter().map(CycleRow::into_cycle).collect()
}

pub async fn get_cycle(db: &Db, key: &str) -> AppResult<Cycle> {
    let mut response = db.query(format!("SELECT {CYCLE_FIELDS} FROM ONLY $id")).bind(("id", record("cycle", key))).await?;
    match response.take::<Option<serde_json::Value>>(0)? {
        Some(row) if !row.is_null() => serde_json::from_value::<CycleRow>(row).map_err(|_| AppError::Internal)?.into_cycle(),
        _ => Err(AppError::NotFound("That cycle".into())),
    }
}

/// The cycle people work in now: the open one whose dates hold today, else the latest open one,
/// else the latest.
pub async fn current_cycle(db: &Db) -> AppResult<Cycle> {
    let cycles = list_cycles(db).await?;
    let today = iso(today());
    let open = |c: &&Cycle| c.state != CycleState::Closed;
    cycles
        .iter()
        .filter(open)
        .find(|c| c.starts_on <= today && today <= c.ends_on)
        .or_else(|| cycles.iter().find(open))
        .or(cycles.first())
        .cloned()
        .ok_or_else(|| AppError::NotFound("A performance cycle (HR opens one under Cycles)".into()))
}

/// The cycle asked for, or the current one.
pub async fn cycle_or_current(db: &Db, key: Option<&str>) -> AppResult<Cycle> {
    match key.filter(|k| !k.is_empty()) {
        Some(key) => get_cycle(db, key).await,
        None => current_cycle(db).await,
    }
}

pub async fn create_cycle(db: &Db, input: CycleInput) -> AppResult<Cycle> {
    let errors = rules::check_new_cycle(&input, &list_cycles(db).await?);
    let name = input.name.trim().to_owned();
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let key = new_key();
    // A cycle starts with the final score's weights declared; HR edits them before appraisal.
    let weights = crate::appraisal::types::Weights::default();
    db.query(
        "BEGIN TRANSACTION;
         CREATE $id SET name = $name, starts_on = $starts_on, ends_on = $ends_on, period_kind = $kind, state = 'planning' RETURN NONE;
         CREATE $weights SET kpi = $kpi, competency = $competency RETURN NONE;
         COMMIT TRANSACTION;",
    )
        .bind(("id", record("cycle", &key)))
        .bind(("weights", record("appraisal_weights", &key)))
        .bind(("kpi", weights.kpi))
        .bind(("competency", weights.competency))
        .bind(("name", name))
        .bind(("starts_on", input.starts_on.trim().to_owned()))
        .bind(("ends_on", input.ends_on.trim().to_owned()))
        .bind(("kind", input.period_kind.as_str()))
        .await?
        .check()?;
    get_cycle(db, &key).await
}

/// Sets a cycle's deadlines, once `rules::check_deadlines` has passed them.
pub async fn set_deadlines(db: &Db, key: &str, deadlines: &Deadlines) -> AppResult<Cycle> {
    let cycle = get_cycle(db, key).await?;
    let errors = rules::check_deadlines(&cycle, deadlines);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    db.query(
        "UPDATE $id SET plans_agreed_by = $plans, actuals_within_days = $actuals, self_assessment_by = $self_assessment,
         conversations_by = $conversations, calibration_by = $calibration, check_in_every_days = $check_ins RETURN NONE",
    )
    .bind(("id", record("cycle", key)))
    .bind(("plans", deadlines.plans_agreed_by.clone()))
    .bind(("actuals", deadlines.actuals_within_days))
    .bind(("self_assessment", deadlines.self_assessment_by.clone()))
    .bind(("conversations", deadlines.conversations_by.clone()))
    .bind(("calibration", deadlines.calibration_by.clone()))
    .bind(("check_ins", deadlines.check_in_every_days))
    .await?
    .check()?;
    get_cycle(db, key).await
}

/// Moves a cycle to its next state (planning → active → appraisal → closed); the caller opens
/// the appraisals when it reaches appraisal.
pub async fn advance_cycle(db: &Db, key: &str) -> AppResult<Cycle> {
    let cycle = get_cycle(db, key).await?;
    let next = rules::next_state(&cycle)?;
    db.query("UPDATE $id SET state = $state").bind(("id", record("cycle", key))).bind(("state", next.as_str())).await?.check()?;
    get_cycle(db, key).await
}

#[derive(Deserialize)]
struct GoalRow {
    id: String,
    cycle: String,
    title: String,
    description: String,
    unit: Option<String>,
    unit_name: Option<String>,
    parent: Option<String>,
}

impl From<GoalRow> for Goal {
    fn from(r: GoalRow) -> Self {
        Goal {
            id: key_of(&r.id),
            cycle_id: key_of(&r.cycle),
            title: r.title,
            description: r.description,
            unit_id: r.unit.as_deref().map(key_of),
            unit_name: r.unit_name,
            parent_id: r.parent.as_deref().map(key_of),
        }
    }
}

pub async fn list_goals(db: &Db, cycle: &str) -> AppResult<Vec<Goal>> {
    let mut response = db
        .query("SELECT id, cycle, title, description, unit, unit.name AS unit_name, parent FROM goal WHERE cycle = $cycle ORDER BY title")
        .bind(("cycle", record("cycle", cycle)))
        .await?;
    Ok(take_rows::<GoalRow>(&mut response, 0)?.into_iter().map(Goal::from).collect())
}

pub async fn save_goal(db: &Db, id: Option<String>, input: GoalInput) -> AppResult<Goal> {
    let cycle = get_cycle(db, &input.cycle_id).await?;
    let goals = list_goals(db, &cycle.id).await?;
    if id.as_ref().is_some_and(|id| !goals.iter().any(|g| &g.id == id)) {
        return Err(AppError::NotFound("That goal".into()));
    }
    let units: Vec<String> = match input.unit_id {
        Some(_) => crate::org::store::units::list(db).await?.into_iter().map(|u| u.id).collect(),
        None => Vec::new(),
    };
    let errors = rules::check_goal_in(&input, &goals, id.as_deref(), &units);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let key = id.unwrap_or_else(new_key);
    db.query("UPSERT $id SET cycle = $cycle, title = $title, description = $description, unit = $unit, parent = $parent")
        .bind(("id", record("goal", &key)))
        .bind(("cycle", record("cycle", &cycle.id)))
        .bind(("title", input.title.trim().to_owned()))
        .bind(("description", input.description.trim().to_owned()))
        .bind(("unit", input.unit_id.as_deref().map(|u| record("unit", u))))
        .bind(("parent", input.parent_id.as_deref().map(|p| record("goal", p))))
        .await?
        .check()?;
    list_goals(db, &cycle.id).await?.into_iter().find(|g| g.id == key).ok_or(AppError::Internal)
}

/// For each goal, the KRAs (person, weight) serving it directly or through goals cascaded from it.
fn serving<'a>(goals: &'a [Goal], plans: &'a [Plan]) -> impl Fn(&str) -> Vec<(&'a Plan, &'a crate::planning::types::Kra)> + 'a {
    move |goal: &str| {
        plans
            .iter()
            .flat_map(|p| p.kras.iter().map(move |k| (p, k)))
            .filter(|(_, kra)| goal_path(goals, &kra.goal_id).iter().any(|g| g.id == goal))
            .collect()
    }
}

fn coverage(items: &[(&Plan, &crate::planning::types::Kra)]) -> Coverage {
    let mut weight_per_person: std::collections::HashMap<&str, f64> = Default::default();
    for (plan, kra) in items {
        *weight_per_person.entry(plan.person_id.as_str()).or_default() += kra.weight;
    }
    let people = weight_per_person.len();
    let mean_weight = if people == 0 { 0.0 } else { weight_per_person.values().sum::<f64>() / people as f64 };
    Coverage { people, mean_weight }
}

/// The goal tree of a cycle, organisational goals first with their cascade below each.
pub async fn goals_with_coverage(db: &Db, cycle: &str) -> AppResult<Vec<GoalWithCoverage>> {
    let goals = list_goals(db, cycle).await?;
    let plans = plans_of_cycle(db, cycle).await?;
    let serving = serving(&goals, &plans);
    let mut ordered = Vec::new();
    fn walk<'a>(goals: &'a [Goal], parent: Option<&str>, depth: usize, out: &mut Vec<(&'a Goal, usize)>) {
        for g in goals.iter().filter(|g| g.parent_id.as_deref() == parent) {
            out.push((g, depth));
            walk(goals, Some(&g.id), depth + 1, out);
        }
    }
    walk(&goals, None, 0, &mut ordered);
    Ok(ordered
        .into_iter()
        .map(|(goal, depth)| GoalWithCoverage { goal: goal.clone(), coverage: coverage(&serving(&goal.id)), depth })
        .collect())
}

/// A goal up to its organisational goal and down to the plans serving it; the plans listed are
/// those of the people `readers` reaches (the policy's `Rule::PersonRecord`), the coverage counts all.
pub async fn goal_detail(db: &Db, key: &str, readers: &crate::auth::Audience) -> AppResult<GoalDetail> {
    let cycle = {
        let mut r = db.query("SELECT VALUE cycle FROM ONLY $id").bind(("id", record("goal", key))).await?;
        r.take::<Option<serde_json::Value>>(0)?.and_then(|v| v.as_str().map(key_of)).ok_or_else(|| AppError::NotFound("That goal".into()))?
    };
    let goals = list_goals(db, &cycle).await?;
    let plans = plans_of_cycle(db, &cycle).await?;
    let serving_of = serving(&goals, &plans);
    let items = serving_of(key);
    let children = goals
        .iter()
        .filter(|g| g.parent_id.as_deref() == Some(key))
        .map(|g| GoalWithCoverage { goal: g.clone(), coverage: coverage(&serving_of(&g.id)), depth: 1 })
        .collect();
    let mut serving: Vec<ServingKra> = items
        .iter()
        .filter(|(p, _)| readers.includes(&p.person_id))
        .map(|(p, k)| ServingKra {
            person_id: p.person_id.clone(),
            person_name: p.person_name.clone(),
            kra_title: k.title.clone(),
            weight: k.weight,
            goal_title: goals.iter().find(|g| g.id == k.goal_id).map(|g| g.title.clone()).unwrap_or_default(),
        })
        .collect();
    serving.sort_by(|a, b| a.person_name.cmp(&b.person_name));
    Ok(GoalDetail {
        path: goal_path(&goals, key).into_iter().cloned().collect(),
        children,
        coverage: coverage(&items),
        serving,
    })
}

pub async fn list_templates(db: &Db) -> AppResult<Vec<KpiTemplate>> {
    let mut response = db.query("SELECT id, job_title, spec FROM kpi_template ORDER BY job_title, spec.name").await?;
    let mut templates: Vec<KpiTemplate> = take_rows(&mut response, 0)?;
    templates.iter_mut().for_each(|t| t.id = key_of(&t.id));
    Ok(templates)
}

pub async fn save_template(db: &Db, template: KpiTemplate) -> AppResult<KpiTemplate> {
    let errors = rules::check_template(&template);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let key = if template.id.is_empty() { new_key() } else { template.id.clone() };
    db.query("UPSERT $id SET job_title = $job_title, spec = $spec")
        .bind(("id", record("kpi_template", &key)))
        .bind(("job_title", template.job_title.trim().to_owned()))
        .bind(("spec", serde_json::to_value(&template.spec).map_err(|_| AppError::Internal)?))
        .await?
        .check()?;
    Ok(KpiTemplate { id: key, ..template })
}

pub async fn delete_template(db: &Db, key: &str) -> AppResult<()> {
    db.query("DELETE $id").bind(("id", record("kpi_template", key))).await?.check()?;
    Ok(())
}

const PLAN_FIELDS: &str = "id, person, person.name AS person_name, cycle, state, kras, comment";

#[derive(Deserialize)]
struct PlanRow {
    id: String,
    person: String,
    person_name: String,
    cycle: String,
    state: String,
    kras: Vec<crate::planning::types::Kra>,
    comment: Option<String>,
}

impl PlanRow {
    fn into_plan(self) -> AppResult<Plan> {
        Ok(Plan {
            id: key_of(&self.id),
            person_id: key_of(&self.person),
            person_name: self.person_name,
            cycle_id: key_of(&self.cycle),
            state: parse_state(&self.state)?,
            kras: self.kras,
            comment: self.comment,
        })
    }
}

pub async fn plans_of_cycle(db: &Db, cycle: &str) -> AppResult<Vec<Plan>> {
    let mut response =
        db.query(format!("SELECT {PLAN_FIELDS} FROM plan WHERE cycle = $cycle")).bind(("cycle", record("cycle", cycle))).await?;
    take_rows::<PlanRow>(&mut response, 0)?.into_iter().map(PlanRow::into_plan).collect()
}

pub async fn plans_of_person(db: &Db, person: &str) -> AppResult<Vec<Plan>> {
    let mut response = db.query(format!("SELECT {PLAN_FIELDS} FROM plan WHERE person = $person")).bind(("person", record("person", person))).await?;
    take_rows::<PlanRow>(&mut response, 0)?.into_iter().map(PlanRow::into_plan).collect()
}

pub async fn find_plan(db: &Db, person: &str, cycle: &str) -> AppResult<Option<Plan>> {
    let mut response = db
        .query(format!("SELECT {PLAN_FIELDS} FROM plan WHERE person = $person AND cycle = $cycle LIMIT 1"))
        .bind(("person", record("person", person)))
        .bind(("cycle", record("cycle", cycle)))
        .await?;
    take_rows::<PlanRow>(&mut response, 0)?.pop().map(PlanRow::into_plan).transpose()
}

pub async fn get_plan(db: &Db, person: &str, cycle: &str) -> AppResult<Plan> {
    find_plan(db, person, cycle).await?.ok_or_else(|| AppError::NotFound("A plan for this person in this cycle".into()))
}

/// Saves a manager's draft: checked as a whole, new KRAs and KPIs get their ids, and the plan goes
/// (back) to draft, needing the employee's acknowledgement and the manager's approval again.
pub async fn save_plan(db: &Db, actor: &SessionUser, input: PlanInput) -> AppResult<Plan> {
    let _writing = PLAN_WRITES.lock().await;
    let cycle = get_cycle(db, &input.cycle_id).await?;
    rules::check_plans_open(&cycle, "kras")?;
    let person = people::get(db, &input.person_id).await?;
    let goals = list_goals(db, &cycle.id).await?;
    let goal_ids: Vec<String> = goals.iter().map(|g| g.id.clone()).collect();
    let errors = check_plan(&input.kras, &goal_ids);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let before = find_plan(db, &person.id, &cycle.id).await?;
    let kras = crate::planning::rules::settle_ids(before.as_ref().map_or(&[], |b| &b.kras), input.kras, new_key);
    if before.as_ref().is_some_and(|b| b.kras == kras) {
        return Ok(before.expect("checked"));
    }
    let key = before.as_ref().map_or_else(new_key, |b| b.id.clone());
    let plan = Plan {
        id: key.clone(),
        person_id: person.id.clone(),
        person_name: person.name.clone(),
        cycle_id: cycle.id.clone(),
        state: PlanState::Draft,
        kras,
        comment: before.as_ref().and_then(|b| b.comment.clone()),
    };
    let periods = periods(&cycle.starts_on, &cycle.ends_on, cycle.period_kind).map_err(|_| AppError::Internal)?;
    let recorded = of_plan(db, &key).await?;
    let summary = scorecard::summary(&plan, &periods, &recorded);
    let action = if before.is_some() { "changed the plan" } else { "drafted the plan" };
    db.query(
        "BEGIN TRANSACTION;
         UPSERT $id SET person = $person, cycle = $cycle, state = 'draft', kras = $kras, comment = $comment;
         UPSERT $summary_id SET person = $person, cycle = $cycle, state = 'draft', score = $summary.score, latest = $summary.latest, no_data = $summary.no_data;
         CREATE plan_change SET plan = $id, actor = $actor, action = $action, before = $before, after = $after;
         COMMIT TRANSACTION;",
    )
    .bind(("id", record("plan", &key)))
    .bind(("summary_id", record("plan_summary", &key)))
    .bind(("person", record("person", &person.id)))
    .bind(("cycle", record("cycle", &cycle.id)))
    .bind(("kras", json(&plan.kras)?))
    .bind(("comment", plan.comment.clone()))
    .bind(("summary", json(&summary)?))
    .bind(("actor", record("person", &actor.id)))
    .bind(("action", action))
    .bind(("before", before.as_ref().map(|b| serde_json::to_string_pretty(&b.kras).unwrap_or_default())))
    .bind(("after", Some(serde_json::to_string_pretty(&plan.kras).unwrap_or_default())))
    .await?
    .check()?;
    Ok(plan)
}

/// One step of plan agreement; who may take it is decided by the caller's rule.
pub async fn plan_step(db: &Db, actor: &SessionUser, person: &str, cycle: &str, step: PlanStep, comment: String) -> AppResult<Plan> {
    let _writing = PLAN_WRITES.lock().await;
    let cycle = get_cycle(db, cycle).await?;
    let plan = get_plan(db, person, &cycle.id).await?;
    rules::check_plans_open(&cycle, "step")?;
    let next = rules::check_plan_step(plan.state, step, &comment)?;
    let comment = comment.trim().to_owned();
    let new_comment = if step == PlanStep::RequestChanges { Some(comment) } else { plan.comment.clone() };
    // Whom to tell, read before the write: nothing after it may fail a step that is done.
    let (manager, _) = crate::org::store::people::line_of(db, person).await?;
    db.query(
        "BEGIN TRANSACTION;
         UPDATE $id SET state = $state, comment = $comment;
         UPDATE $summary_id SET state = $state;
         CREATE plan_change SET plan = $id, actor = $actor, action = $action, before = $before, after = $after;
         COMMIT TRANSACTION;",
    )
    .bind(("id", record("plan", &plan.id)))
    .bind(("summary_id", record("plan_summary", &plan.id)))
    .bind(("state", next.as_str()))
    .bind(("comment", new_comment.clone()))
    .bind(("actor", record("person", &actor.id)))
    .bind(("action", step_action(step)))
    .bind(("before", Some(format!("state: {}", plan.state.label()))))
    .bind(("after", Some(match &new_comment {
        Some(c) if step == PlanStep::RequestChanges => format!("state: {}; comment: {c}", next.label()),
        _ => format!("state: {}", next.label()),
    })))
    .await?
    .check()?;
    drop(_writing);
    let at = crate::offline::store::inbox::now();
    let notice = rules::plan_step_notice(step, (&actor.id, &actor.name), person, manager.as_deref(), &cycle, new_comment.as_deref().unwrap_or_default(), &at);
    crate::offline::store::inbox::notify(db, &plan.id, notice.into_iter().collect()).await;
    Ok(Plan { state: next, comment: new_comment, ..plan })
}

fn step_action(step: PlanStep) -> &'static str {
    match step {
        PlanStep::Send => "sent the plan to the employee",
        PlanStep::Acknowledge => "acknowledged the plan",
        PlanStep::RequestChanges => "asked for changes",
        PlanStep::Approve => "approved the plan",
    }
}

pub async fn plan_history(db: &Db, plan: &str) -> AppResult<Vec<PlanChange>> {
    let mut response = db
        .query(
            "SELECT time::format(at, '%Y-%m-%d %H:%M:%S') AS at, at AS moment, actor.name AS actor_name, action, before, after \
             FROM plan_change WHERE plan = $plan ORDER BY moment DESC",
        )
        .bind(("plan", record("plan", plan)))
        .await?;
    take_rows(&mut response, 0)
}

/// The actuals recorded against a plan.
pub async fn of_plan(db: &Db, plan: &str) -> AppResult<Vec<Actual>> {
    let mut response = db
        .query(
            "SELECT kpi AS kpi_id, period AS period_key, value, note, link, source, recorded_by, \
             time::format(recorded_at, '%Y-%m-%d %H:%M') AS recorded_at FROM actual WHERE plan = $plan",
        )
        .bind(("plan", record("plan", plan)))
        .await?;
    take_rows(&mut response, 0)
}
