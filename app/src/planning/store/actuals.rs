//! Actuals (by form, CSV or the JSON API), each plan's stored summary, scorecards and the rating
//! scale.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use crate::planning::store::plans;
use crate::planning::store::plans::{cycle_or_current, get_plan, list_goals, plans_of_cycle, today};
use crate::db::{Db, PLAN_WRITES, key_of, record, take_rows};
use crate::org::store::people;
use crate::error::{AppError, AppResult};
use crate::planning::types::{Actual, ActualInput, ActualRow, ActualSource, ActualsImported, Cycle, GroupScorecard, PeriodAchievements, Plan, PlanSummary, Scorecard};
use crate::org::people_types::CsvRowError;
use crate::error::FieldError;
use crate::auth::types::SessionUser;
use crate::planning::rules::{ActualsContext, ResolvedActual, periods, resolve_actuals};
use crate::planning::scorecard;
use crate::planning::scorecard::Member;
use crate::planning::scoring::RatingBands;

/// Every actual of a cycle's plans, by plan key.
pub async fn of_cycle(db: &Db, cycle: &str) -> AppResult<HashMap<String, Vec<Actual>>> {
    #[derive(Deserialize)]
    struct Row {
        plan: String,
        #[serde(flatten)]
        actual: Actual,
    }
    let mut response = db
        .query(
            "SELECT plan, kpi AS kpi_id, period AS period_key, value, note, link, source, recorded_by, \
             time::format(recorded_at, '%Y-%m-%d %H:%M') AS recorded_at FROM actual WHERE plan.cycle = $cycle",
        )
        .bind(("cycle", record("cycle", cycle)))
        .await?;
    let mut by_plan: HashMap<String, Vec<Actual>> = HashMap::new();
    for row in take_rows::<Row>(&mut response, 0)? {
        by_plan.entry(key_of(&row.plan)).or_default().push(row.actual);
    }
    Ok(by_plan)
}

pub fn cycle_periods(cycle: &Cycle) -> AppResult<Vec<crate::planning::types::Period>> {
    periods(&cycle.starts_on, &cycle.ends_on, cycle.period_kind).map_err(|_| AppError::Internal)
}

/// Checks rows of actuals against the cycle's plans and stores them all in one transaction, with
/// each plan's new summary, or stores nothing and returns every problem.
pub async fn import(db: &Db, cycle: &Cycle, rows: Vec<(usize, ActualRow)>, source: ActualSource, recorded_by: String) -> AppResult<ActualsImported> {
    if !cycle.state.actuals_open() {
        return Err(AppError::CsvRejected(vec![CsvRowError {
            row: 0,
            column: "cycle".into(),
            message: format!("{} is in {}: actuals are recorded while a cycle is active or in appraisal.", cycle.name, cycle.state.label().to_lowercase()),
        }]));
    }
    let _writing = PLAN_WRITES.lock().await;
    let plans = plans_of_cycle(db, &cycle.id).await?;
    let periods = cycle_periods(cycle)?;
    let everyone = people::list(db, false).await?;
    let by_person: HashMap<&str, &Plan> = plans.iter().map(|p| (p.person_id.as_str(), p)).collect();
    let context = ActualsContext {
        people: everyone.iter().map(|p| (p.email.clone(), by_person.get(p.id.as_str()).copied())).collect(),
        periods: &periods,
        today: today(),
    };
    let resolved = resolve_actuals(&rows, &context).map_err(AppError::CsvRejected)?;
    store(db, &plans, &periods, resolved, source, recorded_by).await
}

/// What storing resolved actuals writes: each actual with its change-log row, and the new summary
/// of every plan they touch. Bound into a transaction that runs [`WRITE_ACTUALS`].
pub struct ActualWrites {
    rows: Vec<serde_json::Value>,
    summaries: Vec<serde_json::Value>,
    source: ActualSource,
    recorded_by: String,
}

/// Stores `$actual_rows` and `$summaries`, inside the caller's transaction.
pub const WRITE_ACTUALS: &str = "
    FOR $r IN $actual_rows {
        UPSERT type::record('actual', $r.key) SET plan = type::record('plan', $r.plan), kpi = $r.kpi, period = $r.period,
            value = <float> $r.value, note = $r.note, link = $r.link ?? NONE, source = $source, recorded_by = $by RETURN NONE;
        CREATE actual_change SET plan = type::record('plan', $r.plan), kpi = $r.kpi, period = $r.period,
            before = IF $r.before != NONE AND $r.before != NULL { <float> $r.before } ELSE { NONE }, after = <float> $r.value, recorded_by = $by RETURN NONE;
    };
    FOR $s IN $summaries {
        UPDATE type::record('plan_summary', $s.plan) SET score = $s.summary.score, latest = $s.summary.latest, no_data = $s.summary.no_data RETURN NONE;
    };";

impl ActualWrites {
    pub fn new(source: ActualSource, recorded_by: String) -> Self {
        Self { rows: Vec::new(), summaries: Vec::new(), source, recorded_by }
    }

    /// Adds the rows and summaries for actuals on plans of one cycle; the caller holds
    /// `PLAN_WRITES` until they are written.
    pub async fn add(&mut self, db: &Db, plans: &[Plan], periods: &[crate::planning::types::Period], resolved: &[ResolvedActual]) -> AppResult<()> {
        let (source, recorded_by) = (self.source, self.recorded_by.clone());
        let touched: HashSet<&str> = resolved.iter().map(|r| r.plan_id.as_str()).collect();
        for plan in plans.iter().filter(|p| touched.contains(p.id.as_str())) {
            let mut actuals = plans::of_plan(db, &plan.id).await?;
            for r in resolved.iter().filter(|r| r.plan_id == plan.id) {
                let previous = actuals.iter().position(|a| a.kpi_id == r.kpi_id && a.period_key == r.period_key);
                let before = previous.map(|i| actuals.remove(i).value);
                actuals.push(Actual {
                    kpi_id: r.kpi_id.clone(),
                    period_key: r.period_key.clone(),
                    value: r.value,
                    note: r.note.clone(),
                    link: r.link.clone(),
                    source,
                    recorded_by: recorded_by.clone(),
                    recorded_at: String::new(),
                });
                self.rows.push(serde_json::json!({
                    // One record per plan, KPI and period: keys are letters and digits, so `_` joins them safely.
                    "key": format!("{}_{}_{}", r.plan_id, r.kpi_id, r.period_key),
                    "plan": r.plan_id, "kpi": r.kpi_id, "period": r.period_key, "value": r.value,
                    "note": r.note, "link": r.link, "before": before,
                }));
            }
            self.summaries.push(serde_json::json!({ "plan": plan.id, "summary": scorecard::summary(plan, periods, &actuals) }));
        }
        Ok(())
    }

    pub fn bind(self, query: surrealdb::method::Query<'_, surrealdb::engine::any::Any>) -> surrealdb::method::Query<'_, surrealdb::engine::any::Any> {
        query
            .bind(("actual_rows", self.rows))
            .bind(("summaries", self.summaries))
            .bind(("source", self.source.as_str()))
            .bind(("by", self.recorded_by))
    }
}

/// Writes resolved actuals, their change log and the summaries of the plans they touch.
async fn store(
    db: &Db,
    plans: &[Plan],
    periods: &[crate::planning::types::Period],
    resolved: Vec<ResolvedActual>,
    source: ActualSource,
    recorded_by: String,
) -> AppResult<ActualsImported> {
    let mut writes = ActualWrites::new(source, recorded_by);
    writes.add(db, plans, periods, &resolved).await?;
    let plans = resolved.iter().map(|r| r.plan_id.as_str()).collect::<HashSet<_>>().len();
    writes.bind(db.query(format!("BEGIN TRANSACTION; {WRITE_ACTUALS} COMMIT TRANSACTION;"))).await?.check()?;
    Ok(ActualsImported { recorded: resolved.len(), plans })
}

/// One actual from the scorecard's form; the row problems become field messages.
pub async fn record_one(db: &Db, by: &SessionUser, input: ActualInput) -> AppResult<ActualsImported> {
    let cycle = cycle_or_current(db, Some(&input.cycle_id)).await?;
    let plan = get_plan(db, &input.person_id, &cycle.id).await?;
    let (value, kpi) = crate::planning::rules::check_actual_input(&input, &plan).map_err(AppError::Invalid)?;
    let person = people::get(db, &plan.person_id).await?;
    let link = input.link.trim();
    let row = ActualRow {
        email: person.email,
        kpi: kpi.spec.name.clone(),
        period: input.period_key,
        value,
        note: input.note,
        link: (!link.is_empty()).then(|| link.to_owned()),
    };
    import(db, &cycle, vec![(1, row)], ActualSource::Form, by.name.clone()).await.map_err(|error| match error {
        AppError::CsvRejected(rows) => AppError::Invalid(rows.into_iter().map(|r| FieldError::new(&r.column, r.message)).collect()),
        other => other,
    })
}

/// HR's rating scale (migration 0010 stores the example of DOMAIN.md where none was kept).
pub async fn rating_scale(db: &Db) -> AppResult<RatingBands> {
    #[derive(serde::Deserialize)]
    struct Scale {
        bands: Vec<crate::planning::scoring::RatingBand>,
    }
    // Rows, not `SELECT VALUE bands FROM ONLY`: an array value would read as many rows.
    let mut response = db.query("SELECT bands FROM rating_scale:current").await?;
    let scale: Option<Scale> = crate::db::take_rows(&mut response, 0)?.into_iter().next();
    scale.map(|s| RatingBands(s.bands)).ok_or_else(|| {
        tracing::error!("the rating scale rating_scale:current is missing");
        AppError::Internal
    })
}

pub async fn save_rating_scale(db: &Db, bands: RatingBands) -> AppResult<RatingBands> {
    bands.check().map_err(|m| AppError::invalid("bands", m))?;
    let bands = RatingBands(bands.0.into_iter().map(|b| crate::planning::scoring::RatingBand { label: b.label.trim().to_owned(), ..b }).collect());
    db.query("UPSERT rating_scale:current SET bands = $bands")
        .bind(("bands", serde_json::to_value(&bands.0).map_err(|_| AppError::Internal)?))
        .await?
        .check()?;
    Ok(bands)
}

/// A person's scorecard in a cycle, with everything behind each score.
pub async fn scorecard(db: &Db, person: &str, cycle: Option<&str>) -> AppResult<Scorecard> {
    let cycle = cycle_or_current(db, cycle).await?;
    let person = people::get(db, person).await?;
    let plan = get_plan(db, &person.id, &cycle.id).await?;
    let periods = cycle_periods(&cycle)?;
    let actuals = plans::of_plan(db, &plan.id).await?;
    let goals = list_goals(db, &cycle.id).await?;
    let bands = rating_scale(db).await?;
    let (kras, rollup, status) = scorecard::plan_cards(&plan, &periods, &actuals, &goals, today());
    let rating = rollup.as_ref().and_then(|r| bands.band(r.score).cloned());
    Ok(Scorecard { actuals_open: cycle.state.actuals_open(), cycle, person, plan, kras, rollup, rating, status })
}

/// Which people a group scorecard covers.
pub enum Group<'a> {
    /// Everyone in a manager's reporting line.
    Team(&'a str),
    /// A unit and the units below it.
    Unit(&'a str),
    Organisation,
}

pub async fn group_scorecard(db: &Db, group: Group<'_>, cycle: Option<&str>) -> AppResult<GroupScorecard> {
    let cycle = cycle_or_current(db, cycle).await?;
    #[derive(Deserialize)]
    struct PersonRow {
        id: String,
        name: String,
        unit: String,
    }
    // Not `#[serde(flatten)]` into a PlanSummary: flattening buffers every row, and there are
    // as many rows as people.
    #[derive(Deserialize)]
    struct PlanRow {
        person: String,
        state: String,
        score: Option<f64>,
        latest: Vec<PeriodAchievements>,
        no_data: u32,
    }
    let mut response = db
        .query(
            "SELECT id, name, unit FROM person WHERE active = true ORDER BY name;
             SELECT person, state, score, latest, no_data FROM plan_summary WHERE cycle = $cycle;",
        )
        .bind(("cycle", record("cycle", &cycle.id)))
        .await?;
    let everyone: Vec<PersonRow> = take_rows(&mut response, 0)?;
    let plans: Vec<PlanRow> = take_rows(&mut response, 1)?;
    let units = crate::org::store::units::list(db).await?;
    let unit_names: HashMap<&str, &str> = units.iter().map(|u| (u.id.as_str(), u.name.as_str())).collect();
    let (title, members): (String, Option<HashSet<String>>) = match group {
        Group::Team(manager) => {
            let team = people::reporting_line(db, manager).await?;
            ("My team".into(), Some(team.into_iter().map(|m| m.person.id).collect()))
        }
        Group::Unit(unit) => {
            let name = units.iter().find(|u| u.id == unit).map(|u| u.name.clone()).ok_or_else(|| AppError::NotFound("That unit".into()))?;
            let within = crate::org::types::subtree(&units, unit);
            let ids = everyone.iter().filter(|p| within.contains(&key_of(&p.unit))).map(|p| key_of(&p.id)).collect();
            (name, Some(ids))
        }
        Group::Organisation => ("Organisation".into(), None),
    };
    let mut plans: HashMap<String, PlanRow> = plans.into_iter().map(|p| (key_of(&p.person), p)).collect();
    let mut rows = Vec::new();
    for p in everyone {
        let id = key_of(&p.id);
        if members.as_ref().is_some_and(|m| !m.contains(&id)) {
            continue;
        }
        let plan = match plans.remove(&id) {
            Some(row) => {
                let summary = PlanSummary { score: row.score, latest: row.latest, no_data: row.no_data };
                Some((crate::planning::store::plans::parse_state(&row.state)?, summary))
            }
            None => None,
        };
        let unit_name = unit_names.get(key_of(&p.unit).as_str()).copied().unwrap_or_default().to_owned();
        rows.push(Member { person_id: id, person_name: p.name, unit_name, plan });
    }
    let bands = rating_scale(db).await?;
    let periods = cycle_periods(&cycle)?;
    Ok(scorecard::group(title, cycle, &periods, rows, &bands, today()))
}
