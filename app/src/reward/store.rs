//! Rewarding in the database: HR's reward policy (salary bands, salaries, merit matrix, budget
//! pools, the consistency rule), merit proposals generated on reading from the final ratings of
//! the cycle under appraisal, managers' adjustments, scaling to budget, HR's approval per unit and
//! the payroll file. The arithmetic is `crate::reward::rules`'s.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;
use serde_json::{json, Value};

use crate::appraisal::store as appraisal;
use crate::db::{Db, json, key_of, record, take_rows};
use crate::org::store::{people, units};
use crate::planning::store::plans as planning;
use crate::csv_export::{CsvExport, figure, text};
use crate::development::rules::DEFAULT_CONSISTENCY_PERIODS;
use crate::auth::Audience;
use crate::error::{AppError, AppResult};
use crate::reward::types::{BudgetPool, MeritLine, MeritView, MissingLine, PolicyInput, RewardPolicy, UnitMerit};
use crate::planning::types::Cycle;
use crate::auth::types::SessionUser;
use crate::reward::rules::{check_adjustment, check_approval, check_policy, generate, num, salaries_from_csv, scale_unit};
use crate::reward::types::{MeritMatrix, SalaryBand};

/// The cycle rewards are for: the one under appraisal, else the current one.
async fn reward_cycle(db: &Db) -> AppResult<Cycle> {
    match appraisal::appraisal_cycle(db).await? {
        Some(cycle) => Ok(cycle),
        None => planning::current_cycle(db).await,
    }
}

async fn bands(db: &Db) -> AppResult<Vec<SalaryBand>> {
    let mut response = db.query("SELECT job_title, min, mid, max FROM salary_band ORDER BY job_title").await?;
    take_rows(&mut response, 0)
}

/// The currency HR set, if any.
async fn currency(db: &Db) -> AppResult<Option<String>> {
    let mut response = db.query("SELECT VALUE currency FROM ONLY reward_settings:current").await?;
    Ok(response.take::<Option<String>>(0)?)
}

async fn matrix_and_rule(db: &Db) -> AppResult<(MeritMatrix, usize)> {
    let mut response = db.query("SELECT matrix, consistency_periods FROM ONLY reward_settings:current").await?;
    let found: Option<Value> = response.take(0)?;
    let found = found.filter(|v| !v.is_null());
    let matrix = found.as_ref().and_then(|v| serde_json::from_value(v["matrix"].clone()).ok()).unwrap_or_else(MeritMatrix::example);
    let periods = found.as_ref().and_then(|v| v["consistency_periods"].as_u64()).map_or(DEFAULT_CONSISTENCY_PERIODS, |n| n as usize);
    Ok((matrix, periods))
}

/// person key → salary
async fn salaries(db: &Db) -> AppResult<HashMap<String, f64>> {
    #[derive(Deserialize)]
    struct Row {
        person: String,
        amount: f64,
    }
    let mut response = db.query("SELECT person, amount FROM salary").await?;
    Ok(take_rows::<Row>(&mut response, 0)?.into_iter().map(|r| (key_of(&r.person), r.amount)).collect())
}

/// unit key → pool for the cycle
async fn pools(db: &Db, cycle: &str) -> AppResult<HashMap<String, f64>> {
    #[derive(Deserialize)]
    struct Row {
        unit: String,
        amount: f64,
    }
    let mut response = db.query("SELECT unit, amount FROM budget_pool WHERE cycle = $cycle").bind(("cycle", record("cycle", cycle))).await?;
    Ok(take_rows::<Row>(&mut response, 0)?.into_iter().map(|r| (key_of(&r.unit), r.amount)).collect())
}

pub async fn policy(db: &Db) -> AppResult<RewardPolicy> {
    let cycle = reward_cycle(db).await?;
    let bands = bands(db).await?;
    let (matrix, consistency_periods) = matrix_and_rule(db).await?;
    let pool_of = pools(db, &cycle.id).await?;
    let everyone = people::list(db, false).await?;
    let salaries = salaries(db).await?;
    let mut titles_without_band: Vec<String> = everyone.iter().map(|p| p.job_title.clone()).filter(|t| !bands.iter().any(|b| b.job_title == *t)).collect();
    titles_without_band.sort();
    titles_without_band.dedup();
    let pools = units::list(db)
        .await?
        .into_iter()
        .map(|u| BudgetPool { amount: pool_of.get(&u.id).copied().unwrap_or(0.0), unit_id: u.id, unit_name: u.name })
        .collect();
    let paid = everyone.iter().filter(|p| salaries.contains_key(&p.id)).count();
    Ok(RewardPolicy { cycle, bands, matrix, pools, consistency_periods, currency: currency(db).await?, titles_without_band, salaries: (paid, everyone.len()) })
}

/// Saves the whole policy at once, or nothing with the first problem (`check_policy`).
pub async fn save_policy(db: &Db, input: PolicyInput) -> AppResult<RewardPolicy> {
    let cycle = reward_cycle(db).await?;
    let matrix = match &input.matrix {
        Some(matrix) => matrix.clone(),
        None => matrix_and_rule(db).await?.0,
    };
    let known: HashSet<String> = units::list(db).await?.into_iter().map(|u| u.id).collect();
    let bands = check_policy(&input, &matrix, &known)?;
    let bands: Vec<Value> = bands.iter().map(|b| json!({ "job_title": b.job_title, "min": b.min, "mid": b.mid, "max": b.max })).collect();
    let pools: Vec<Value> = input.pools.iter().map(|(unit, amount)| json!({ "key": format!("{}-{unit}", cycle.id), "unit": unit, "amount": amount })).collect();
    db.query(
        "BEGIN TRANSACTION;
         DELETE salary_band;
         FOR $b IN $bands { CREATE type::record('salary_band', $b.job_title) SET job_title = $b.job_title, min = <float> $b.min, mid = <float> $b.mid, max = <float> $b.max RETURN NONE; };
         UPSERT reward_settings:current SET matrix = $matrix, consistency_periods = $periods, currency = $currency RETURN NONE;
         FOR $p IN $pools { UPSERT type::record('budget_pool', $p.key) SET cycle = $cycle, unit = type::record('unit', $p.unit), amount = <float> $p.amount RETURN NONE; };
         COMMIT TRANSACTION;",
    )
    .bind(("bands", bands))
    .bind(("matrix", json(&matrix)?))
    .bind(("periods", input.consistency_periods as i64))
    .bind(("currency", input.currency.trim().to_ascii_uppercase()))
    .bind(("pools", pools))
    .bind(("cycle", record("cycle", &cycle.id)))
    .await?
    .check()?;
    policy(db).await
}

/// Salaries from CSV text with the columns `email,salary`: all stored, or none with every problem.
pub async fn import_salaries(db: &Db, text: &str) -> AppResult<RewardPolicy> {
    let by_email: HashMap<String, String> = people::list(db, false).await?.into_iter().map(|p| (p.email.to_lowercase(), p.id)).collect();
    let salaries = salaries_from_csv(text, &by_email)?;
    let rows: Vec<Value> = salaries.into_iter().map(|(person, amount)| json!({ "person": person, "amount": amount })).collect();
    db.query(
        "BEGIN TRANSACTION;
         FOR $r IN $rows { UPSERT type::record('salary', $r.person) SET person = type::record('person', $r.person), amount = <float> $r.amount RETURN NONE; };
         COMMIT TRANSACTION;",
    )
    .bind(("rows", rows))
    .await?
    .check()?;
    policy(db).await
}

#[derive(Clone, Deserialize)]
struct Adjustment {
    person: String,
    raise: f64,
    reason: String,
    by: String,
}

/// unit key → who approved and when
async fn approvals(db: &Db, cycle: &str) -> AppResult<HashMap<String, String>> {
    #[derive(Deserialize)]
    struct Row {
        unit: String,
        by: String,
        at: String,
    }
    let mut response = db
        .query("SELECT unit, by.name AS by, <string> at AS at FROM merit_approval WHERE cycle = $cycle")
        .bind(("cycle", record("cycle", cycle)))
        .await?;
    Ok(take_rows::<Row>(&mut response, 0)?.into_iter().map(|r| (key_of(&r.unit), format!("Approved by {} on {}", r.by, &r.at[..r.at.len().min(10)]))).collect())
}

/// Whose merit proposals a viewer sees and may adjust, as the policy decides it
/// (`Rule::PersonRecord`, `Rule::SettleOf`); the server function hands it in.
pub struct MeritScope {
    pub sees: Audience,
    pub adjusts: Audience,
    pub is_hr: bool,
}

impl MeritScope {
    /// An HR administrator's scope: everyone's proposals.
    pub async fn of_hr(db: &Db, hr: &SessionUser) -> AppResult<MeritScope> {
        Ok(MeritScope {
            sees: Audience::of(db, hr, |p| crate::auth::policy::Rule::ManagerOf(p)).await?,
            adjusts: Audience::of(db, hr, |p| crate::auth::policy::Rule::SettleOf(p)).await?,
            is_hr: true,
        })
    }
}

/// The merit proposals the viewer may see: HR every unit's, a manager their reporting line's.
pub async fn merit(db: &Db, scope: &MeritScope) -> AppResult<MeritView> {
    let Some((cycle, lines, scale)) = appraisal::settled(db).await? else {
        return Err(AppError::NotFound("Final ratings (merit proposals are generated from them once HR moves the cycle to appraisal)".into()));
    };
    let everyone: HashMap<String, crate::org::people_types::Person> = people::list(db, false).await?.into_iter().map(|p| (p.id.clone(), p)).collect();
    let bands = bands(db).await?;
    let (matrix, _) = matrix_and_rule(db).await?;
    let salaries = salaries(db).await?;
    let pool_of = pools(db, &cycle.id).await?;
    let approved = approvals(db, &cycle.id).await?;
    let mut response = db.query("SELECT person, raise, reason, by.name AS by FROM merit_adjustment WHERE cycle = $cycle").bind(("cycle", record("cycle", &cycle.id))).await?;
    let adjustments: HashMap<String, Adjustment> = take_rows::<Adjustment>(&mut response, 0)?.into_iter().map(|a| (key_of(&a.person), a)).collect();

    let mut units: Vec<UnitMerit> = Vec::new();
    let mut missing = Vec::new();
    for line in lines.iter().filter(|l| scope.sees.includes(&l.person_id)) {
        let Some(person) = everyone.get(&line.person_id) else { continue };
        let Some(rating) = line.settled_rating else {
            missing.push(MissingLine { unit_id: line.unit_id.clone(), name: line.person_name.clone(), why: "no final rating yet (the manager has not submitted the ratings)".into() });
            continue;
        };
        let Some(&salary) = salaries.get(&line.person_id) else {
            missing.push(MissingLine { unit_id: line.unit_id.clone(), name: line.person_name.clone(), why: "no salary on record (HR imports salaries on the reward policy page)".into() });
            continue;
        };
        let Some(band) = bands.iter().find(|b| b.job_title == person.job_title) else {
            missing.push(MissingLine { unit_id: line.unit_id.clone(), name: line.person_name.clone(), why: format!("no salary band for {} (HR sets it on the reward policy page)", person.job_title) });
            continue;
        };
        let Some(generated) = generate(salary, band, rating, &matrix) else {
            missing.push(MissingLine { unit_id: line.unit_id.clone(), name: line.person_name.clone(), why: format!("rating {rating} has no row in the merit matrix") });
            continue;
        };
        let adjustment = adjustments.get(&line.person_id);
        let unit_approved = approved.contains_key(&line.unit_id);
        let merit = MeritLine {
            person_id: line.person_id.clone(),
            name: line.person_name.clone(),
            job_title: person.job_title.clone(),
            unit_id: line.unit_id.clone(),
            salary,
            rating,
            rating_label: scale.0.iter().find(|b| b.rating == rating).map(|b| b.label.clone()).unwrap_or_default(),
            raise: adjustment.map_or(generated.raise, |a| a.raise),
            reason: adjustment.map(|a| a.reason.clone()).unwrap_or_default(),
            adjusted_by: adjustment.map(|a| a.by.clone()),
            may_adjust: !unit_approved && scope.adjusts.includes(&line.person_id),
            generated,
        };
        match units.iter_mut().find(|u| u.unit_id == line.unit_id) {
            Some(unit) => unit.lines.push(merit),
            None => units.push(UnitMerit {
                unit_id: line.unit_id.clone(),
                unit_name: line.unit_name.clone(),
                pool: pool_of.get(&line.unit_id).copied().unwrap_or(0.0),
                lines: vec![merit],
                approved: approved.get(&line.unit_id).cloned(),
            }),
        }
    }
    units.sort_by(|a, b| a.unit_name.cmp(&b.unit_name));
    Ok(MeritView { cycle, units, missing, is_hr: scope.is_hr, currency: currency(db).await? })
}

async fn store_adjustments(db: &Db, actor: &SessionUser, cycle: &str, rows: Vec<Value>) -> AppResult<()> {
    db.query(
        "FOR $a IN $rows {
             UPSERT type::record('merit_adjustment', $a.key) SET person = type::record('person', $a.person), cycle = $cycle, raise = <float> $a.raise,
                 reason = $a.reason, by = $by RETURN NONE;
         };",
    )
    .bind(("rows", rows))
    .bind(("cycle", record("cycle", cycle)))
    .bind(("by", record("person", &actor.id)))
    .await?
    .check()?;
    Ok(())
}

fn unit_with<'a>(view: &'a MeritView, person: &str) -> AppResult<(&'a UnitMerit, &'a MeritLine)> {
    view.units
        .iter()
        .find_map(|u| u.lines.iter().find(|l| l.person_id == person).map(|l| (u, l)))
        .ok_or_else(|| AppError::NotFound("A merit proposal for this person".into()))
}

/// A manager's raise for one person: within the matrix range freely, outside it with a reason.
/// The caller has passed `Rule::SettleOf(person)`.
pub async fn adjust(db: &Db, actor: &SessionUser, scope: &MeritScope, person: &str, raise: f64, reason: String) -> AppResult<MeritView> {
    let view = merit(db, scope).await?;
    let (unit, line) = unit_with(&view, person)?;
    let reason = check_adjustment(unit, &line.generated.range, raise, &reason)?;
    let row = json!({ "key": crate::appraisal::types::appraisal_id(person, &view.cycle.id), "person": person, "raise": raise, "reason": reason });
    store_adjustments(db, actor, &view.cycle.id, vec![row]).await?;
    merit(db, scope).await
}

/// Scales a unit's raises by one factor so they fit its pool.
pub async fn scale(db: &Db, actor: &SessionUser, scope: &MeritScope, unit: &str) -> AppResult<MeritView> {
    let view = merit(db, scope).await?;
    let found = view.units.iter().find(|u| u.unit_id == unit).ok_or_else(|| AppError::NotFound("Merit proposals for this unit".into()))?;
    let scaled = scale_unit(found)?;
    let rows = found
        .lines
        .iter()
        .zip(scaled)
        .map(|(l, (raise, reason))| json!({ "key": crate::appraisal::types::appraisal_id(&l.person_id, &view.cycle.id), "person": l.person_id, "raise": raise, "reason": reason }))
        .collect();
    store_adjustments(db, actor, &view.cycle.id, rows).await?;
    merit(db, scope).await
}

/// HR approves a unit's proposals as they stand, if they hold the budget; they are then frozen.
pub async fn approve(db: &Db, actor: &SessionUser, scope: &MeritScope, unit: &str) -> AppResult<MeritView> {
    let view = merit(db, scope).await?;
    let found = view.units.iter().find(|u| u.unit_id == unit).ok_or_else(|| AppError::NotFound("Merit proposals for this unit".into()))?;
    check_approval(found, &view.missing, view.currency.as_deref())?;
    let lines: Vec<Value> = found
        .lines
        .iter()
        .map(|l| json!({ "person": l.person_id, "salary": l.salary, "raise": l.raise, "rating": l.rating, "reason": l.reason }))
        .collect();
    db.query("CREATE type::record('merit_approval', $key) SET cycle = $cycle, unit = $unit, by = $by, lines = $lines RETURN NONE")
        .bind(("key", format!("{}-{unit}", view.cycle.id)))
        .bind(("cycle", record("cycle", &view.cycle.id)))
        .bind(("unit", record("unit", unit)))
        .bind(("by", record("person", &actor.id)))
        .bind(("lines", lines))
        .await?
        .check()?;
    merit(db, scope).await
}

/// The approved raises as payroll takes them.
pub async fn payroll_csv(db: &Db) -> AppResult<String> {
    // The cycle whose merit is being settled, as the merit page shows it; once it is closed, the
    // latest cycle with approvals (the file is still wanted then), never last year's meanwhile.
    let cycle = match appraisal::appraisal_cycle(db).await? {
        Some(settling) => settling,
        None => {
            let mut response = db.query("SELECT VALUE cycle FROM merit_approval ORDER BY at DESC LIMIT 1").await?;
            let latest: Vec<Value> = response.take(0)?;
            match latest.first().and_then(Value::as_str) {
                Some(id) => planning::get_cycle(db, &key_of(id)).await?,
                None => planning::current_cycle(db).await?,
            }
        }
    };
    #[derive(Deserialize)]
    struct Line {
        person: String,
        salary: f64,
        rating: u8,
        raise: f64,
        reason: String,
    }
    #[derive(Deserialize)]
    struct Approval {
        unit: String,
        lines: Vec<Line>,
    }
    let mut response = db
        .query("SELECT unit.name AS unit, lines FROM merit_approval WHERE cycle = $cycle ORDER BY unit")
        .bind(("cycle", record("cycle", &cycle.id)))
        .await?;
    let approvals: Vec<Approval> = take_rows(&mut response, 0)?;
    let everyone: HashMap<String, crate::org::people_types::Person> = people::list(db, true).await?.into_iter().map(|p| (p.id.clone(), p)).collect();
    let mut csv = CsvExport::new(["email", "name", "unit", "cycle", "current_salary", "rating", "raise_percent", "new_salary", "reason"]);
    for approval in approvals {
        for l in approval.lines {
            let Some(person) = everyone.get(&key_of(&l.person)) else { continue };
            let new_salary = (l.salary * (1.0 + l.raise / 100.0) * 100.0).round() / 100.0;
            csv.row([
                text(&person.email),
                text(&person.name),
                text(&approval.unit),
                text(&cycle.name),
                figure(format!("{:.2}", l.salary)),
                figure(l.rating),
                figure(num(l.raise)),
                figure(format!("{new_salary:.2}")),
                text(&l.reason),
            ]);
        }
    }
    Ok(csv.finish())
}
