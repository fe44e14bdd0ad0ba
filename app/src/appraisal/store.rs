//! Appraisals in the database: opened when a cycle enters appraisal, rated by the manager,
//! discussed (the record is synced, `offline::store`), calibrated per unit, reported per unit and
//! manager. Scores are worked out on reading by `crate::appraisal::rules`.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::planning::store::{actuals, competencies, plans as planning};
use crate::db::{Db, json, key_of, record, take_rows};
use crate::org::store::{people, units};
use crate::appraisal::rules as rules;
use crate::appraisal::types::{CalibrationChange, Part, Weights};
use crate::auth::Audience;
use crate::csv_export::{CsvExport, figure, text};
use crate::error::{AppError, AppResult};
use crate::appraisal::types::{AppraisalLine, AppraisalList, AppraisalReport, AppraisalState, AppraisalView, CalibrationView, CompletionLine, KpiOverride, ManagerRating, Preparation, RatingEvidence, RatingsInput, appraisal_id, expected_level};
use crate::planning::types::{CompetencyFramework, Cycle, CycleState};
use crate::auth::types::{Role, SessionUser};
use crate::planning::scoring::{RatingBands, percent};
use crate::offline::rules::AppraisalFacts;

/// The cycle whose appraisals are open: the latest in appraisal.
pub async fn appraisal_cycle(db: &Db) -> AppResult<Option<Cycle>> {
    Ok(planning::list_cycles(db).await?.into_iter().find(|c| c.state == CycleState::Appraisal))
}

async fn cycle_under_appraisal(db: &Db) -> AppResult<Cycle> {
    appraisal_cycle(db).await?.ok_or_else(|| AppError::NotFound("An appraisal (HR opens them by moving a cycle to appraisal)".into()))
}

/// Opens an appraisal for everyone with a plan in the cycle (kept if already open).
pub async fn open_for_cycle(db: &Db, cycle: &str) -> AppResult<usize> {
    let mut response = db.query("SELECT VALUE person FROM plan WHERE cycle = $cycle").bind(("cycle", record("cycle", cycle))).await?;
    let people: Vec<String> = response.take::<Vec<Value>>(0)?.iter().filter_map(Value::as_str).map(key_of).collect();
    let rows: Vec<Value> = people.iter().map(|p| serde_json::json!({ "key": appraisal_id(p, cycle), "person": p })).collect();
    db.query(
        "FOR $r IN $rows {
             UPSERT type::record('appraisal', $r.key) SET person = type::record('person', $r.person), cycle = $cycle RETURN NONE;
         };",
    )
    .bind(("rows", rows))
    .bind(("cycle", record("cycle", cycle)))
    .await?
    .check()?;
    Ok(people.len())
}

/// A rating as stored (the competency by key).
#[derive(Clone, Debug, Serialize, Deserialize)]
struct RatingRow {
    competency: String,
    level: u8,
    evidence: RatingEvidence,
    justification: String,
}

impl From<RatingRow> for ManagerRating {
    fn from(r: RatingRow) -> Self {
        ManagerRating { competency_id: r.competency, level: r.level, evidence: r.evidence, justification: r.justification }
    }
}

const ROW_FIELDS: &str = "id, person, person.name AS person_name, person.job_title AS job_title, person.unit AS unit, person.unit.name AS unit_name,
    person.manager AS manager, person.manager.name AS manager_name, ratings, kpi_override, potential, rated_by, submitted_at, calibrated";

#[derive(Clone, Debug, Deserialize)]
struct Row {
    id: String,
    person: String,
    person_name: String,
    job_title: String,
    unit: String,
    unit_name: String,
    manager: Option<String>,
    manager_name: Option<String>,
    #[serde(default)]
    ratings: Vec<RatingRow>,
    kpi_override: Option<KpiOverride>,
    potential: Option<u8>,
    rated_by: Option<String>,
    submitted_at: Option<Value>,
    calibrated: Option<u8>,
}

impl Row {
    fn ratings(&self) -> Vec<ManagerRating> {
        self.ratings.iter().cloned().map(ManagerRating::from).collect()
    }

    fn submitted(&self) -> bool {
        self.submitted_at.as_ref().is_some_and(|v| !v.is_null())
    }
}

/// Everything a cycle's appraisal lines are worked out from.
struct CycleData {
    cycle: Cycle,
    rows: Vec<Row>,
    /// person key → the plan's generated score
    kpi_scores: HashMap<String, f64>,
    submitted_self: HashSet<String>,
    /// appraisal key → both signed
    signed: HashSet<String>,
    /// appraisal key → the manager signed
    manager_signed: HashSet<String>,
    framework: CompetencyFramework,
    weights: Weights,
    bands: RatingBands,
}

async fn cycle_data(db: &Db, cycle: Cycle) -> AppResult<CycleData> {
    let mut response = db
        .query(format!(
            "SELECT {ROW_FIELDS} FROM appraisal WHERE cycle = $cycle ORDER BY person_name;
             SELECT person, score FROM plan_summary WHERE cycle = $cycle;
             SELECT VALUE person FROM self_assessment WHERE cycle = $cycle AND submitted = true AND deleted = false;
             SELECT VALUE id FROM appraisal_discussion WHERE cycle = $cycle AND manager_signed_on != '' AND employee_signed_on != '';
             SELECT VALUE id FROM appraisal_discussion WHERE cycle = $cycle AND manager_signed_on != '';"
        ))
        .bind(("cycle", record("cycle", &cycle.id)))
        .await?;
    let rows: Vec<Row> = take_rows(&mut response, 0)?;
    #[derive(Deserialize)]
    struct Summary {
        person: String,
        score: Option<f64>,
    }
    let kpi_scores = take_rows::<Summary>(&mut response, 1)?.into_iter().filter_map(|s| Some((key_of(&s.person), s.score?))).collect();
    let keys = |values: Vec<Value>| values.iter().filter_map(Value::as_str).map(key_of).collect::<HashSet<_>>();
    let submitted_self = keys(response.take(2)?);
    let signed = keys(response.take(3)?);
    let manager_signed = keys(response.take(4)?);
    Ok(CycleData {
        weights: weights(db, &cycle.id).await?,
        cycle,
        rows,
        kpi_scores,
        submitted_self,
        signed,
        manager_signed,
        framework: competencies::framework(db).await?,
        bands: actuals::rating_scale(db).await?,
    })
}

impl CycleData {
    fn expected(&self, job_title: &str) -> Vec<(String, u8)> {
        self.framework.profiles.iter().find(|p| p.job_title == job_title).map(|p| p.expected.clone()).unwrap_or_default()
    }

    fn state(&self, row: &Row) -> AppraisalState {
        if self.signed.contains(&key_of(&row.id)) {
            AppraisalState::Signed
        } else if row.submitted() {
            AppraisalState::Rated
        } else {
            AppraisalState::Preparing
        }
    }

    fn competency_part(&self, row: &Row) -> Option<Part> {
        let expected = self.expected(&row.job_title);
        rules::competency_part(&self.framework.competencies, &row.ratings(), |c| expected_level(&expected, c))
    }

    /// The final score from the generated KPI part (or the manager's override).
    fn final_score(&self, row: &Row, generated: Option<&Part>) -> Option<crate::appraisal::types::FinalScore> {
        let kpi = rules::kpi_part(generated, row.kpi_override.as_ref());
        rules::final_score(self.weights, kpi.as_ref(), self.competency_part(row).as_ref(), &self.bands)
    }

    fn line(&self, row: &Row) -> AppraisalLine {
        let person = key_of(&row.person);
        let generated = self.kpi_scores.get(&person).map(|&score| Part { score, why: String::new() });
        let state = self.state(row);
        // The proposed rating counts once the manager has submitted.
        let proposed = self.final_score(row, generated.as_ref()).filter(|_| state != AppraisalState::Preparing);
        AppraisalLine {
            id: key_of(&row.id),
            person_id: person.clone(),
            person_name: row.person_name.clone(),
            unit_id: key_of(&row.unit),
            unit_name: row.unit_name.clone(),
            manager_name: row.manager_name.clone(),
            state,
            manager_signed: self.manager_signed.contains(&key_of(&row.id)),
            self_assessment_submitted: self.submitted_self.contains(&person),
            final_score: proposed.as_ref().map(|f| f.score),
            proposed_rating: proposed.as_ref().map(|f| f.rating),
            settled_rating: row.calibrated.or(proposed.as_ref().map(|f| f.rating)),
            potential: row.potential,
        }
    }

    fn lines(&self) -> Vec<AppraisalLine> {
        self.rows.iter().map(|r| self.line(r)).collect()
    }
}

/// The weights HR declared for the cycle (each cycle is created with its own).
pub async fn weights(db: &Db, cycle: &str) -> AppResult<Weights> {
    let mut response = db.query("SELECT kpi, competency FROM $id").bind(("id", record("appraisal_weights", cycle))).await?;
    take_rows::<Weights>(&mut response, 0)?.pop().ok_or_else(|| {
        tracing::error!(cycle, "a cycle has no appraisal weights");
        AppError::Internal
    })
}

pub async fn set_weights(db: &Db, weights: Weights) -> AppResult<Weights> {
    let cycle = cycle_under_appraisal(db).await?;
    weights.check().map_err(AppError::from)?;
    db.query("UPSERT $id SET kpi = $kpi, competency = $competency RETURN NONE")
        .bind(("id", record("appraisal_weights", &cycle.id)))
        .bind(("kpi", weights.kpi))
        .bind(("competency", weights.competency))
        .await?
        .check()?;
    Ok(weights)
}

/// The locks of a cycle's calibrations: unit key → who locked it and when.
async fn locks(db: &Db, cycle: &str) -> AppResult<HashMap<String, String>> {
    #[derive(Deserialize)]
    struct Lock {
        unit: String,
        by: String,
        at: String,
    }
    let mut response = db
        .query("SELECT unit, locked_by.name AS by, <string> at AS at FROM calibration_lock WHERE cycle = $cycle")
        .bind(("cycle", record("cycle", cycle)))
        .await?;
    Ok(take_rows::<Lock>(&mut response, 0)?.into_iter().map(|l| (key_of(&l.unit), format!("Locked by {} on {}", l.by, &l.at[..l.at.len().min(10)]))).collect())
}


async fn calibration_log(db: &Db, ids: Vec<String>) -> AppResult<Vec<CalibrationChange>> {
    #[derive(Deserialize)]
    struct Entry {
        appraisal: String,
        person_name: String,
        before: String,
        after: String,
        reason: String,
        by: String,
        at: String,
    }
    let ids: Vec<_> = ids.iter().map(|id| record("appraisal", id)).collect();
    let mut response = db
        .query(
            "SELECT appraisal, appraisal.person.name AS person_name, before, after, reason, actor.name AS by, <string> at AS at
             FROM appraisal_log WHERE action = 'calibrated' AND appraisal IN $ids ORDER BY at",
        )
        .bind(("ids", ids))
        .await?;
    Ok(take_rows::<Entry>(&mut response, 0)?
        .into_iter()
        .map(|e| CalibrationChange {
            appraisal_id: key_of(&e.appraisal),
            person_name: e.person_name,
            before: e.before.parse().unwrap_or_default(),
            after: e.after.parse().unwrap_or_default(),
            reason: e.reason,
            by: e.by,
            at: e.at,
        })
        .collect())
}

/// A person's appraisal in the cycle under appraisal, as `viewer` may see it (the caller has
/// passed `Rule::PersonRecord`): ratings reach the employee once submitted. `rater`: the policy
/// lets the viewer rate this person (`Rule::RaterOf`).
pub async fn view(db: &Db, viewer: &SessionUser, person: &str, rater: bool) -> AppResult<AppraisalView> {
    let data = cycle_data(db, cycle_under_appraisal(db).await?).await?;
    view_in(db, viewer, &data, person, rater).await
}

async fn view_in(db: &Db, viewer: &SessionUser, data: &CycleData, person: &str, rater: bool) -> AppResult<AppraisalView> {
    let id = appraisal_id(person, &data.cycle.id);
    let row = data.rows.iter().find(|r| key_of(&r.id) == id).cloned().ok_or_else(|| AppError::NotFound("An appraisal for this person in the cycle under appraisal".into()))?;
    let person_record = people::get(db, person).await?;
    let (kras, generated) = match actuals::scorecard(db, person, Some(&data.cycle.id)).await {
        Ok(card) => (card.kras, card.rollup.map(|r| Part { score: r.score, why: r.why })),
        Err(AppError::NotFound(_)) => (Vec::new(), None),
        Err(other) => return Err(other),
    };
    let state = data.state(&row);
    let is_own = viewer.id == person;
    let calibration = calibration_log(db, vec![id.clone()]).await?;
    let all_units = units::list(db).await?;
    let calibration_locked = rules::locked_for(&all_units, &locks(db, &data.cycle.id).await?, &key_of(&row.unit));
    let may_rate = rater && state != AppraisalState::Signed && !calibration_locked;
    let hidden = is_own && state == AppraisalState::Preparing;
    let final_score = data.final_score(&row, generated.as_ref()).filter(|_| !hidden);
    let settled = row.calibrated.or(final_score.as_ref().filter(|_| state != AppraisalState::Preparing).map(|f| f.rating));
    Ok(AppraisalView {
        id,
        cycle: data.cycle.clone(),
        state,
        kras,
        kpi_generated: generated,
        kpi_override: row.kpi_override.clone().filter(|_| !hidden),
        competencies: data.framework.competencies.clone(),
        expected: data.expected(&person_record.job_title),
        self_assessment: crate::offline::store::docs::self_assessment_in(db, &viewer.id, person, &data.cycle.id).await?,
        ratings: if hidden { Vec::new() } else { row.ratings() },
        potential: row.potential.filter(|_| !is_own),
        weights: data.weights,
        scale: data.bands.clone(),
        final_score,
        calibration,
        settled_rating: settled.map(|r| (r, data.bands.0.iter().find(|b| b.rating == r).map(|b| b.label.clone()).unwrap_or_default())),
        feedback: crate::offline::store::docs::feedback_about(db, person, person).await?,
        calibration_locked,
        may_rate,
        is_own,
        person: person_record,
    })
}

/// The manager's preparation: the appraisal and the bias report of the ratings they have given
/// in this cycle against everyone's.
/// The caller has passed `Rule::RaterOf`.
pub async fn preparation(db: &Db, viewer: &SessionUser, person: &str) -> AppResult<Preparation> {
    let data = cycle_data(db, cycle_under_appraisal(db).await?).await?;
    let appraisal = view_in(db, viewer, &data, person, true).await?;
    let levels = |r: &Row| r.ratings.iter().filter(|x| x.level > 0).map(|x| f64::from(x.level)).collect::<Vec<f64>>();
    // This person's ratings are the ones on the page: it adds them as they are entered.
    let others: Vec<&Row> = data.rows.iter().filter(|r| key_of(&r.person) != person).collect();
    let organisation: Vec<Vec<f64>> = others.iter().map(|r| levels(r)).filter(|l| !l.is_empty()).collect();
    let rated_by_me: Vec<Vec<f64>> = others.iter().filter(|r| r.rated_by.as_deref().map(key_of).as_deref() == Some(viewer.id.as_str())).map(|r| levels(r)).filter(|l| !l.is_empty()).collect();
    Ok(Preparation { appraisal, rated_by_me, organisation: rules::rating_pattern(&organisation) })
}

/// Saves the manager's ratings; submitting (and every change after) needs each rating grounded.
/// The caller has passed `Rule::RaterOf`.
pub async fn save_ratings(db: &Db, actor: &SessionUser, person: &str, input: RatingsInput) -> AppResult<Preparation> {
    let current = view(db, actor, person, true).await?;
    rules::check_ratings_input(current.may_rate, current.state, &current.competencies, &input).map_err(AppError::from)?;
    if let Some(o) = &input.kpi_override {
        rules::check_override(o).map_err(AppError::from)?;
    }
    let submit = input.submit || current.state == AppraisalState::Rated;
    if submit {
        rules::check_ratings(&current.competencies, &input.ratings, &current.kpi_ids(), &current.feedback_ids()).map_err(AppError::Invalid)?;
    }
    let mut log = Vec::new();
    if input.kpi_override != current.kpi_override {
        let shown = |o: &Option<KpiOverride>| o.as_ref().map_or_else(|| "generated".to_owned(), |o| percent(o.score));
        let reason = input.kpi_override.as_ref().map_or_else(|| "Back to the generated score".to_owned(), |o| o.reason.clone());
        log.push(serde_json::json!({ "action": "kpi_override", "before": shown(&current.kpi_override), "after": shown(&input.kpi_override), "reason": reason }));
    }
    if input.submit && current.state == AppraisalState::Preparing {
        log.push(serde_json::json!({ "action": "ratings_submitted", "before": null, "after": null, "reason": "" }));
    }
    let ratings: Vec<RatingRow> = input
        .ratings
        .iter()
        .map(|r| RatingRow { competency: r.competency_id.clone(), level: r.level, evidence: r.evidence.clone(), justification: r.justification.trim().to_owned() })
        .collect();
    db.query(
        "BEGIN TRANSACTION;
         UPDATE $id SET ratings = $ratings, kpi_override = $override ?? NONE, potential = $potential ?? NONE, rated_by = $me,
             submitted_at = IF $submit { submitted_at ?? time::now() } ELSE { submitted_at } RETURN NONE;
         FOR $l IN $log {
             CREATE appraisal_log SET appraisal = $id, actor = $me, action = $l.action, before = $l.before ?? NONE, after = $l.after ?? NONE, reason = $l.reason RETURN NONE;
         };
         COMMIT TRANSACTION;",
    )
    .bind(("id", record("appraisal", &current.id)))
    .bind(("ratings", json(&ratings)?))
    .bind(("override", json(&input.kpi_override)?))
    .bind(("potential", input.potential.map(i64::from)))
    .bind(("me", record("person", &actor.id)))
    .bind(("submit", submit))
    .bind(("log", log))
    .await?
    .check()?;
    preparation(db, actor, person).await
}

/// What the sync checks of a discussion record need of its appraisal.
pub async fn sync_facts(db: &Db, ids: &[String]) -> AppResult<HashMap<String, AppraisalFacts>> {
    #[derive(Deserialize)]
    struct Fact {
        id: String,
        person: String,
        cycle: String,
        manager: Option<String>,
        submitted_at: Option<Value>,
        cycle_state: String,
    }
    let ids: Vec<_> = ids.iter().map(|id| record("appraisal", id)).collect();
    let mut response = db
        .query("SELECT id, person, cycle, person.manager AS manager, submitted_at, cycle.state AS cycle_state FROM $ids")
        .bind(("ids", ids))
        .await?;
    Ok(take_rows::<Fact>(&mut response, 0)?
        .into_iter()
        .map(|f| {
            let state = if f.submitted_at.is_some_and(|v| !v.is_null()) { AppraisalState::Rated } else { AppraisalState::Preparing };
            let facts = AppraisalFacts { person_id: key_of(&f.person), cycle_id: key_of(&f.cycle), manager_id: f.manager.as_deref().map(key_of), state, open: f.cycle_state == "appraisal" };
            (key_of(&f.id), facts)
        })
        .collect())
}

/// The appraisals a person's devices keep for the conversation: their own and their direct
/// reports', once the ratings are submitted. `raters`: whom the policy lets the person rate.
pub async fn for_devices(db: &Db, actor: &SessionUser, raters: &Audience) -> AppResult<Vec<AppraisalView>> {
    let Some(cycle) = appraisal_cycle(db).await? else { return Ok(Vec::new()) };
    let data = cycle_data(db, cycle).await?;
    let mut views = Vec::new();
    for row in data.rows.iter().filter(|r| r.submitted()) {
        let person = key_of(&row.person);
        if person == actor.id || row.manager.as_deref().map(key_of).as_deref() == Some(actor.id.as_str()) {
            views.push(view_in(db, actor, &data, &person, raters.includes(&person)).await?);
        }
    }
    Ok(views)
}

/// The units of the people a person may calibrate.
fn calibration_units(lines: &[AppraisalLine], calibrators: &Audience) -> Vec<(String, String)> {
    let mut units: Vec<(String, String)> =
        lines.iter().filter(|l| calibrators.includes(&l.person_id)).map(|l| (l.unit_id.clone(), l.unit_name.clone())).collect();
    units.sort_by(|a, b| a.1.cmp(&b.1));
    units.dedup();
    units
}

/// `calibrators`: whose ratings the policy lets the viewer settle (`Rule::SettleOf`).
pub async fn list(db: &Db, viewer: &SessionUser, calibrators: &Audience) -> AppResult<AppraisalList> {
    let is_hr = viewer.has(Role::HrAdmin);
    let Some(cycle) = appraisal_cycle(db).await? else {
        return Ok(AppraisalList { cycle: None, own: None, reports: Vec::new(), is_hr, calibration_units: Vec::new(), weights: Weights::default() });
    };
    let data = cycle_data(db, cycle).await?;
    let lines = data.lines();
    let mut own = None;
    let mut reports = Vec::new();
    for (row, line) in data.rows.iter().zip(lines.iter()) {
        if line.person_id == viewer.id {
            // The employee sees their rating once the manager has submitted it, never their
            // potential (DOMAIN.md: not until it is shared).
            own = Some(AppraisalLine { potential: None, ..line.clone() });
        } else if row.manager.as_deref().map(key_of).as_deref() == Some(viewer.id.as_str()) {
            reports.push(line.clone());
        }
    }
    Ok(AppraisalList {
        calibration_units: calibration_units(&lines, calibrators),
        cycle: Some(data.cycle),
        own,
        reports,
        is_hr,
        weights: data.weights,
    })
}

/// The calibration of a unit and the units below it, as `calibrators` (whose ratings the policy
/// lets the viewer settle) may see it: only their lines, and the distribution of those.
pub async fn calibration(db: &Db, calibrators: &Audience, may_lock: bool, unit: &str) -> AppResult<CalibrationView> {
    let data = cycle_data(db, cycle_under_appraisal(db).await?).await?;
    let all_units = units::list(db).await?;
    let unit_name = all_units.iter().find(|u| u.id == unit).map(|u| u.name.clone()).ok_or_else(|| AppError::NotFound("That unit".into()))?;
    let lines: Vec<AppraisalLine> = unit_lines(&data, &all_units, unit).into_iter().filter(|l| calibrators.includes(&l.person_id)).collect();
    let log = calibration_log(db, lines.iter().map(|l| l.id.clone()).collect()).await?;
    let locked = rules::lock_of(&locks(db, &data.cycle.id).await?, &all_units, unit);
    Ok(CalibrationView {
        distribution: rules::distribution(lines.iter().filter_map(|l| l.settled_rating), &data.bands),
        cycle: data.cycle,
        unit_id: unit.to_owned(),
        unit_name,
        lines,
        log,
        locked,
        may_lock,
        scale: data.bands,
    })
}

/// Everyone's appraisal lines in a unit and the units below it.
fn unit_lines(data: &CycleData, all_units: &[crate::org::types::Unit], unit: &str) -> Vec<AppraisalLine> {
    let within = crate::org::types::subtree(all_units, unit);
    data.lines().into_iter().filter(|l| within.contains(&l.unit_id)).collect()
}

/// Adjusts a rating in the calibration of `unit`, with the reason; logged with before and after.
/// The caller has passed `Rule::SettleOf(person)`.
pub async fn calibrate(db: &Db, actor: &SessionUser, unit: &str, person: &str, rating: u8, reason: String) -> AppResult<()> {
    let data = cycle_data(db, cycle_under_appraisal(db).await?).await?;
    let id = appraisal_id(person, &data.cycle.id);
    let all_units = units::list(db).await?;
    let line = unit_lines(&data, &all_units, unit).into_iter().find(|l| l.id == id);
    let line = line.ok_or_else(|| AppError::NotFound("That person's appraisal in this unit".into()))?;
    let locked = rules::locked_for(&all_units, &locks(db, &data.cycle.id).await?, &line.unit_id);
    let (before, after) = rules::calibrate(locked, &data.bands, &line.person_name, line.settled_rating, rating, &reason).map_err(AppError::from)?;
    // Whom to tell, read before the write: nothing after it may fail a change that is made.
    let (manager, _) = crate::org::store::people::line_of(db, person).await?;
    db.query(
        "BEGIN TRANSACTION;
         UPDATE $id SET calibrated = $after RETURN NONE;
         CREATE appraisal_log SET appraisal = $id, actor = $me, action = 'calibrated', before = $before, after = $after_text, reason = $reason RETURN NONE;
         COMMIT TRANSACTION;",
    )
    .bind(("id", record("appraisal", &id)))
    .bind(("after", i64::from(after)))
    .bind(("after_text", after.to_string()))
    .bind(("before", before.to_string()))
    .bind(("reason", reason.trim().to_owned()))
    .bind(("me", record("person", &actor.id)))
    .await?
    .check()?;
    let at = crate::offline::store::inbox::now();
    let notice = rules::calibration_notice((&actor.id, &actor.name), (person, &line.person_name), manager.as_deref(), (before, after), &reason, &at);
    crate::offline::store::inbox::notify(db, &format!("{id}-{before}-{after}"), notice.into_iter().collect()).await;
    Ok(())
}

/// Locks a unit's calibration (HR) once every rating in it, the locker's own included, is in.
pub async fn lock(db: &Db, actor: &SessionUser, unit: &str) -> AppResult<()> {
    let data = cycle_data(db, cycle_under_appraisal(db).await?).await?;
    let all_units = units::list(db).await?;
    if !all_units.iter().any(|u| u.id == unit) {
        return Err(AppError::NotFound("That unit".into()));
    }
    let locked = rules::lock_of(&locks(db, &data.cycle.id).await?, &all_units, unit);
    let lines = unit_lines(&data, &all_units, unit);
    let waiting = lines.iter().find(|l| l.state == AppraisalState::Preparing).map(|l| l.person_name.as_str());
    rules::check_lock(locked.as_deref(), waiting).map_err(AppError::from)?;
    // Two HR administrators locking at once: the second finds it locked rather than failing.
    let mut response = db
        .query("INSERT IGNORE INTO calibration_lock { id: $id, cycle: $cycle, unit: $unit, locked_by: $me } RETURN id")
        .bind(("id", record("calibration_lock", &format!("{}-{unit}", data.cycle.id))))
        .bind(("cycle", record("cycle", &data.cycle.id)))
        .bind(("unit", record("unit", unit)))
        .bind(("me", record("person", &actor.id)))
        .await?;
    let created: Vec<Value> = response.take(0)?;
    if created.is_empty() {
        return Err(rules::locked_meanwhile().into());
    }
    Ok(())
}

/// Completion and rating distribution per unit and per manager.
pub async fn report(db: &Db) -> AppResult<AppraisalReport> {
    let data = cycle_data(db, cycle_under_appraisal(db).await?).await?;
    let lines = data.lines();
    let group = |key: &dyn Fn(&AppraisalLine) -> String| {
        let mut names: Vec<String> = lines.iter().map(key).collect();
        names.sort();
        names.dedup();
        names
            .into_iter()
            .map(|name| {
                let of: Vec<&AppraisalLine> = lines.iter().filter(|l| key(l) == name).collect();
                CompletionLine {
                    appraisals: of.len(),
                    rated: of.iter().filter(|l| l.state != AppraisalState::Preparing).count(),
                    signed: of.iter().filter(|l| l.state == AppraisalState::Signed).count(),
                    distribution: rules::distribution(of.iter().filter_map(|l| l.settled_rating), &data.bands),
                    name,
                }
            })
            .collect::<Vec<_>>()
    };
    Ok(AppraisalReport {
        units: group(&|l| l.unit_name.clone()),
        managers: group(&|l| l.manager_name.clone().unwrap_or_else(|| "(no manager)".into())),
        weights: data.weights,
        cycle: data.cycle,
    })
}

/// One line per appraisal, for HR's files.
/// `calibrators`: whose potential the policy lets the viewer see (`Rule::SettleOf`: never their own).
pub async fn export_csv(db: &Db, calibrators: &Audience) -> AppResult<String> {
    let data = cycle_data(db, cycle_under_appraisal(db).await?).await?;
    let mut csv = CsvExport::new(["person", "unit", "manager", "state", "self_assessment", "final_score", "proposed_rating", "final_rating", "potential"]);
    for l in data.lines() {
        let number = |n: Option<u8>| figure(n.map(|n| n.to_string()).unwrap_or_default());
        csv.row([
            text(l.person_name),
            text(l.unit_name),
            text(l.manager_name.unwrap_or_default()),
            text(l.state.label()),
            text(if l.self_assessment_submitted { "submitted" } else { "not submitted" }),
            figure(l.final_score.map(percent).unwrap_or_default()),
            number(l.proposed_rating),
            number(l.settled_rating),
            text(l.potential.filter(|_| calibrators.includes(&l.person_id)).map(|p| rules::POTENTIAL[usize::from(p.clamp(1, 3) - 1)]).unwrap_or_default()),
        ]);
    }
    Ok(csv.finish())
}

/// The appraisal lines of the cycle under appraisal with the rating scale: what merit pay is
/// generated from.
pub async fn settled(db: &Db) -> AppResult<Option<(Cycle, Vec<AppraisalLine>, RatingBands)>> {
    let Some(cycle) = appraisal_cycle(db).await? else { return Ok(None) };
    let data = cycle_data(db, cycle).await?;
    Ok(Some((data.cycle.clone(), data.lines(), data.bands.clone())))
}

/// Submitted manager ratings: (person, cycle starts, cycle ends, competency, level), oldest
/// cycle first.
pub async fn submitted_ratings(db: &Db, person: Option<&str>) -> AppResult<Vec<(String, String, String, String, u8)>> {
    #[derive(Deserialize)]
    struct Rated {
        person: String,
        starts_on: String,
        ends_on: String,
        #[serde(default)]
        ratings: Vec<RatingRow>,
    }
    let filter = if person.is_some() { "AND person = $person" } else { "" };
    let mut response = db
        .query(format!(
            "SELECT person, cycle.starts_on AS starts_on, cycle.ends_on AS ends_on, ratings FROM appraisal
             WHERE submitted_at != NONE {filter} ORDER BY starts_on"
        ))
        .bind(("person", record("person", person.unwrap_or_default())))
        .await?;
    Ok(take_rows::<Rated>(&mut response, 0)?
        .into_iter()
        .flat_map(|r| {
            let person = key_of(&r.person);
            r.ratings
                .into_iter()
                .filter(|x| x.level > 0)
                .map(move |x| (person.clone(), r.starts_on.clone(), r.ends_on.clone(), x.competency, x.level))
                .collect::<Vec<_>>()
        })
        .collect())
}
