//! Change programmes: the eight steps with checklist, criteria, actions, evidence and sign-off;
//! the barriers log; adoption targets and the wins decided; pulse surveys, answered anonymously.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use crate::planning::store::plans::{parse_state, today};
use crate::db::{Db, json, key_of, new_key, record, take_rows};
use crate::org::store::{people, units};
use crate::change::rules::{METRICS, STEPS, answered_already, check_action, check_barrier, check_evidence, check_programme, check_pulse, check_pulse_answer, check_sign_off, check_step_edit, check_targets, pulse_figures};
use crate::change::types::Metric;
use crate::disclosure::{Figure, Hidden};
use crate::error::{AppError, AppResult};
use crate::change::types::{ActionInput, Barrier, BarrierInput, ChangeAction, ChecklistItem, Evidence, Named, OpenPulse, Programme, ProgrammeInput, ProgrammeList, ProgrammeView, PulseGroup, PulseSurvey, SignOff, StepRecord};
use crate::org::people_types::Person;
use crate::auth::types::{Role, SessionUser};
use crate::org::types::Unit;
use crate::planning::rules::iso;

#[derive(Deserialize)]
struct ProgrammeRow {
    id: String,
    name: String,
    scope: Vec<String>,
    sponsor: String,
    chair: String,
    members: Vec<String>,
    starts_on: String,
    ends_on: String,
}

#[derive(Deserialize)]
struct StepRow {
    programme: String,
    number: u8,
    checklist: Vec<ChecklistItem>,
    criteria_met: Vec<bool>,
    sign_off: Option<SignOff>,
}

/// Names of people and units, to show the records that point at them.
struct Names {
    people: Vec<Person>,
    units: HashMap<String, String>,
}

impl Names {
    async fn load(db: &Db) -> AppResult<Names> {
        let people = people::list(db, true).await?;
        let units = units::list(db).await?.into_iter().map(|u| (u.id, u.name)).collect();
        Ok(Names { people, units })
    }

    fn person(&self, id: &str) -> Named {
        let id = key_of(id);
        let name = self.people.iter().find(|p| p.id == id).map_or_else(|| "(removed)".to_owned(), |p| p.name.clone());
        Named { id, name }
    }

    fn unit(&self, id: &str) -> Named {
        let id = key_of(id);
        Named { name: self.units.get(&id).cloned().unwrap_or_else(|| "(removed)".into()), id }
    }

    fn active(&self, having: Option<Role>) -> Vec<Named> {
        let mut list: Vec<Named> = self
            .people
            .iter()
            .filter(|p| p.active && having.is_none_or(|r| p.roles.contains(&r)))
            .map(|p| Named { id: p.id.clone(), name: p.name.clone() })
            .collect();
        list.sort_by(|a, b| a.name.cmp(&b.name));
        list
    }
}

const PROGRAMME_FIELDS: &str = "id, name, scope, sponsor, chair, members, starts_on, ends_on";
const STEP_FIELDS: &str = "programme, number, checklist, criteria_met, sign_off";

fn programme_of(row: ProgrammeRow, steps: &[StepRow], names: &Names) -> Programme {
    let key = key_of(&row.id);
    let signed = (1..=8u8)
        .map(|n| steps.iter().any(|s| key_of(&s.programme) == key && s.number == n && s.sign_off.is_some()))
        .collect();
    Programme {
        id: key,
        name: row.name,
        scope: row.scope.iter().map(|u| names.unit(u)).collect(),
        sponsor: names.person(&row.sponsor),
        chair: names.person(&row.chair),
        members: row.members.iter().map(|m| names.person(m)).collect(),
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        signed,
    }
}

pub async fn list(db: &Db) -> AppResult<ProgrammeList> {
    let names = Names::load(db).await?;
    let mut r = db
        .query(format!("SELECT {PROGRAMME_FIELDS} FROM programme ORDER BY starts_on DESC; SELECT {STEP_FIELDS} FROM change_step"))
        .await?;
    let rows: Vec<ProgrammeRow> = take_rows(&mut r, 0)?;
    let steps: Vec<StepRow> = take_rows(&mut r, 1)?;
    Ok(ProgrammeList {
        programmes: rows.into_iter().map(|row| programme_of(row, &steps, &names)).collect(),
        units: units::list(db).await?,
        people: names.active(None),
        committee: names.active(Some(Role::ChangeCommittee)),
    })
}

pub async fn get(db: &Db, key: &str) -> AppResult<Programme> {
    let names = Names::load(db).await?;
    let (row, steps) = programme_row(db, key).await?;
    Ok(programme_of(row, &steps, &names))
}

async fn programme_row(db: &Db, key: &str) -> AppResult<(ProgrammeRow, Vec<StepRow>)> {
    let mut r = db
        .query(format!(
            "SELECT {PROGRAMME_FIELDS} FROM programme WHERE id = $p; SELECT {STEP_FIELDS} FROM change_step WHERE programme = $p ORDER BY number"
        ))
        .bind(("p", record("programme", key)))
        .await?;
    let row = take_rows::<ProgrammeRow>(&mut r, 0)?.pop().ok_or_else(|| AppError::NotFound("That change programme".into()))?;
    Ok((row, take_rows(&mut r, 1)?))
}

/// The chair of a programme (a person key), for the sign-off rule.
pub async fn chair_of(db: &Db, programme: &str) -> AppResult<Option<String>> {
    let mut r = db.query("SELECT VALUE chair FROM programme WHERE id = $p").bind(("p", record("programme", programme))).await?;
    let chair: Vec<serde_json::Value> = r.take(0)?;
    Ok(chair.first().and_then(|c| c.as_str()).map(key_of))
}

/// Creates a programme with its eight steps, each starting from Kotter's recommended activities.
pub async fn create(db: &Db, input: ProgrammeInput) -> AppResult<Programme> {
    let names = Names::load(db).await?;
    let units: Vec<String> = names.units.keys().cloned().collect();
    let members: Vec<Named> = input.member_ids.iter().map(|m| Named { id: m.clone(), name: names.person(m).name }).collect();
    let input = check_programme(input, &units, &names.active(None), &names.active(Some(Role::ChangeCommittee)), &members).map_err(AppError::Invalid)?;
    let key = new_key();
    let steps: Vec<serde_json::Value> = STEPS
        .iter()
        .map(|s| {
            serde_json::json!({
                "number": s.number,
                "checklist": s.activities.iter().map(|a| ChecklistItem { text: (*a).to_owned(), done: false }).collect::<Vec<_>>(),
                "criteria_met": vec![false; s.criteria.len()],
            })
        })
        .collect();
    db.query(
        "BEGIN TRANSACTION;
         CREATE $p SET name = $name, scope = $scope, sponsor = $sponsor, chair = $chair, members = $members,
             starts_on = $starts_on, ends_on = $ends_on;
         FOR $s IN $steps {
             CREATE type::record('change_step', string::concat($key, '_', <string> $s.number)) SET programme = $p,
                 number = $s.number, checklist = $s.checklist, criteria_met = $s.criteria_met;
         };
         COMMIT TRANSACTION;",
    )
    .bind(("p", record("programme", &key)))
    .bind(("key", key.clone()))
    .bind(("name", input.name))
    .bind(("scope", input.scope_unit_ids.iter().map(|u| record("unit", u)).collect::<Vec<_>>()))
    .bind(("sponsor", record("person", &input.sponsor_id)))
    .bind(("chair", record("person", &input.chair_id)))
    .bind(("members", input.member_ids.iter().map(|m| record("person", m)).collect::<Vec<_>>()))
    .bind(("starts_on", input.starts_on))
    .bind(("ends_on", input.ends_on))
    .bind(("steps", steps))
    .await?
    .check()?;
    get(db, &key).await
}

#[derive(Deserialize)]
struct ActionRow {
    id: String,
    step: u8,
    title: String,
    owner: String,
    due_on: String,
    status: String,
}

#[derive(Deserialize)]
struct EvidenceRow {
    id: String,
    step: u8,
    note: String,
    link: Option<String>,
    added_by: String,
    added_on: String,
}

#[derive(Deserialize)]
struct BarrierRow {
    id: String,
    title: String,
    detail: String,
    owner: String,
    status: String,
    step: u8,
}

#[derive(Deserialize)]
struct PulseRow {
    id: String,
    title: String,
    questions: Vec<String>,
    open: bool,
}

#[derive(Deserialize)]
struct AnswerRow {
    pulse: String,
    unit: String,
    scores: Vec<u8>,
}

/// Everything of a programme the wizard shows; pulse results only from groups of five.
pub async fn view(db: &Db, key: &str, viewer: &SessionUser) -> AppResult<ProgrammeView> {
    let names = Names::load(db).await?;
    let (row, step_rows) = programme_row(db, key).await?;
    let mut r = db
        .query(
            "SELECT id, step, title, owner, due_on, status FROM change_action WHERE programme = $p ORDER BY due_on;
             SELECT id, step, note, link, added_by, added_on FROM change_evidence WHERE programme = $p ORDER BY added_on;
             SELECT id, title, detail, owner, status, step FROM barrier WHERE programme = $p ORDER BY step;
             SELECT id, title, questions, open, created_at FROM pulse WHERE programme = $p ORDER BY created_at DESC;
             SELECT pulse, unit, scores FROM pulse_answer WHERE pulse.programme = $p;",
        )
        .bind(("p", record("programme", key)))
        .await?;
    let actions = take_rows::<ActionRow>(&mut r, 0)?
        .into_iter()
        .map(|a| {
            Ok(ChangeAction { id: key_of(&a.id), step: a.step, title: a.title, owner: names.person(&a.owner), due_on: a.due_on, status: parse_state(&a.status)? })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let evidence = take_rows::<EvidenceRow>(&mut r, 1)?
        .into_iter()
        .map(|e| Evidence { id: key_of(&e.id), step: e.step, note: e.note, link: e.link, added_by: names.person(&e.added_by).name, added_on: e.added_on })
        .collect();
    let barriers = take_rows::<BarrierRow>(&mut r, 2)?
        .into_iter()
        .map(|b| {
            Ok(Barrier { id: key_of(&b.id), title: b.title, detail: b.detail, owner: names.person(&b.owner), status: parse_state(&b.status)?, step: b.step })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let surveys: Vec<PulseRow> = take_rows(&mut r, 3)?;
    let answers: Vec<AnswerRow> = take_rows(&mut r, 4)?;
    let all_units = units::list(db).await?;
    let scope: Vec<String> = row.scope.iter().map(|u| key_of(u)).collect();
    let pulses = surveys.into_iter().map(|s| pulse_survey(s, &answers, &all_units, &scope)).collect();
    let steps = step_rows
        .iter()
        .map(|s| StepRecord { number: s.number, checklist: s.checklist.clone(), criteria_met: s.criteria_met.clone(), sign_off: s.sign_off.clone() })
        .collect();
    let programme = programme_of(row, &step_rows, &names);
    Ok(ProgrammeView {
        viewer_is_chair: programme.chair.id == viewer.id,
        programme,
        steps,
        actions,
        evidence,
        barriers,
        pulses,
        people: names.active(None),
    })
}

/// A survey's figures: the whole scope, then each unit in it in tree order with the units below
/// it (an answer from a unit no longer in scope counts in the whole only). Results wait for the
/// survey to close; until then only how many answered, if five or more.
fn pulse_survey(s: PulseRow, answers: &[AnswerRow], all_units: &[Unit], scope: &[String]) -> PulseSurvey {
    let id = key_of(&s.id);
    let within: HashSet<String> = scope.iter().flat_map(|u| crate::org::types::subtree(all_units, u)).collect();
    let rows: Vec<(usize, Unit)> = crate::org::types::units_in_tree_order(all_units).into_iter().filter(|(_, u)| within.contains(&u.id)).collect();
    let group_of: HashMap<&str, usize> = rows.iter().enumerate().map(|(i, (_, u))| (u.id.as_str(), i + 1)).collect();
    let parents: Vec<Option<usize>> = std::iter::once(None)
        .chain(rows.iter().map(|(_, u)| Some(u.parent_id.as_deref().and_then(|p| group_of.get(p).copied()).unwrap_or(0))))
        .collect();
    let mut own = vec![Vec::new(); parents.len()];
    for a in answers.iter().filter(|a| key_of(&a.pulse) == id) {
        own[group_of.get(key_of(&a.unit).as_str()).copied().unwrap_or(0)].push(a.scores.clone());
    }
    let mut figures = pulse_figures(s.questions.len(), &parents, &own).into_iter();
    let whole = figures.next().unwrap_or(Figure::Hidden(Hidden::TooFew));
    let top = rows.iter().map(|(depth, _)| *depth).min().unwrap_or(0);
    let by_unit = match s.open {
        true => Vec::new(),
        false => rows.iter().zip(figures).map(|((depth, u), result)| PulseGroup { unit: u.name.clone(), depth: depth - top, result }).collect(),
    };
    let results = match whole.clone() {
        Figure::Shown(_) if s.open => Figure::Hidden(Hidden::UntilClosed),
        figure => figure.map(|w| w.questions),
    };
    PulseSurvey { answers: whole.map(|w| w.answers), results, by_unit, id, title: s.title, questions: s.questions, open: s.open }
}

async fn step_row(db: &Db, programme: &str, number: u8) -> AppResult<StepRow> {
    let mut r = db
        .query(format!("SELECT {STEP_FIELDS} FROM change_step WHERE programme = $p AND number = $n"))
        .bind(("p", record("programme", programme)))
        .bind(("n", i64::from(number)))
        .await?;
    take_rows::<StepRow>(&mut r, 0)?.pop().ok_or_else(|| AppError::NotFound("That step of the programme".into()))
}

/// Saves a step's checklist (the committee adds, removes and ticks activities) and which
/// completion criteria are met. A signed-off step is read-only until the chair reopens it.
pub async fn save_step(db: &Db, programme: &str, number: u8, checklist: Vec<ChecklistItem>, criteria_met: Vec<bool>) -> AppResult<StepRecord> {
    let step = step_row(db, programme, number).await?;
    let checklist = check_step_edit(step.sign_off.is_some(), step.criteria_met.len(), checklist, &criteria_met).map_err(|e| AppError::Invalid(vec![e]))?;
    db.query("UPDATE change_step SET checklist = $checklist, criteria_met = $criteria WHERE programme = $p AND number = $n")
        .bind(("p", record("programme", programme)))
        .bind(("n", i64::from(number)))
        .bind(("checklist", json(&checklist)?))
        .bind(("criteria", json(&criteria_met)?))
        .await?
        .check()?;
    Ok(StepRecord { number, checklist, criteria_met, sign_off: None })
}

/// The chair signs a step off. With open actions, unmet criteria or earlier steps open, the
/// warnings come back first and the sign-off needs `confirm`; they are kept with it.
pub async fn sign_off(db: &Db, chair: &SessionUser, programme: &str, number: u8, confirm: bool) -> AppResult<SignOff> {
    let (_, steps) = programme_row(db, programme).await?;
    let step = steps.iter().find(|s| s.number == number).ok_or_else(|| AppError::NotFound("That step of the programme".into()))?;
    let mut r = db
        .query("SELECT VALUE count() FROM change_action WHERE programme = $p AND step = $n AND status != 'done' GROUP ALL")
        .bind(("p", record("programme", programme)))
        .bind(("n", i64::from(number)))
        .await?;
    let open: Option<usize> = r.take::<Vec<usize>>(0)?.pop();
    let earlier: Vec<u8> = steps.iter().filter(|s| s.number < number && s.sign_off.is_none()).map(|s| s.number).collect();
    let warnings = check_sign_off(step.sign_off.is_some(), &earlier, open.unwrap_or(0), &step.criteria_met, confirm).map_err(AppError::Invalid)?;
    let sign_off = SignOff { by: chair.name.clone(), on: iso(today()), warnings };
    db.query("UPDATE change_step SET sign_off = $s WHERE programme = $p AND number = $n")
        .bind(("p", record("programme", programme)))
        .bind(("n", i64::from(number)))
        .bind(("s", json(&sign_off)?))
        .await?
        .check()?;
    Ok(sign_off)
}

pub async fn reopen(db: &Db, programme: &str, number: u8) -> AppResult<()> {
    step_row(db, programme, number).await?;
    db.query("UPDATE change_step SET sign_off = NONE WHERE programme = $p AND number = $n")
        .bind(("p", record("programme", programme)))
        .bind(("n", i64::from(number)))
        .await?
        .check()?;
    Ok(())
}

/// The key to write an action or barrier under: a new one, or the given one when it is a record
/// of this programme.
async fn key_in_programme(db: &Db, table: &str, programme: &str, id: Option<String>) -> AppResult<String> {
    let Some(key) = id else { return Ok(new_key()) };
    let mut r = db.query("SELECT VALUE programme FROM $id").bind(("id", record(table, &key))).await?;
    let owner: Vec<serde_json::Value> = r.take(0)?;
    match owner.first().and_then(|v| v.as_str()) {
        Some(p) if key_of(p) == programme => Ok(key),
        _ => Err(AppError::NotFound("That record of the programme".into())),
    }
}

pub async fn save_action(db: &Db, programme: &str, input: ActionInput) -> AppResult<String> {
    programme_row(db, programme).await?;
    let input = check_action(input, &Names::load(db).await?.active(None)).map_err(AppError::Invalid)?;
    let key = key_in_programme(db, "change_action", programme, input.id).await?;
    db.query("UPSERT $id SET programme = $p, step = $step, title = $title, owner = $owner, due_on = $due_on, status = $status")
        .bind(("id", record("change_action", &key)))
        .bind(("p", record("programme", programme)))
        .bind(("step", i64::from(input.step)))
        .bind(("title", input.title))
        .bind(("owner", record("person", &input.owner_id)))
        .bind(("due_on", input.due_on))
        .bind(("status", json(&input.status)?))
        .await?
        .check()?;
    Ok(key)
}

pub async fn add_evidence(db: &Db, by: &SessionUser, programme: &str, step: u8, note: String, link: String) -> AppResult<()> {
    programme_row(db, programme).await?;
    let (note, link) = check_evidence(step, &note, &link).map_err(AppError::Invalid)?;
    db.query("CREATE change_evidence SET programme = $p, step = $step, note = $note, link = $link, added_by = $by, added_on = $on")
        .bind(("p", record("programme", programme)))
        .bind(("step", i64::from(step)))
        .bind(("note", note))
        .bind(("link", link))
        .bind(("by", record("person", &by.id)))
        .bind(("on", iso(today())))
        .await?
        .check()?;
    Ok(())
}

pub async fn save_barrier(db: &Db, programme: &str, input: BarrierInput) -> AppResult<String> {
    programme_row(db, programme).await?;
    let input = check_barrier(input, &Names::load(db).await?.active(None)).map_err(AppError::Invalid)?;
    let key = key_in_programme(db, "barrier", programme, input.id).await?;
    db.query("UPSERT $id SET programme = $p, step = $step, title = $title, detail = $detail, owner = $owner, status = $status")
        .bind(("id", record("barrier", &key)))
        .bind(("p", record("programme", programme)))
        .bind(("step", i64::from(input.step)))
        .bind(("title", input.title))
        .bind(("detail", input.detail))
        .bind(("owner", record("person", &input.owner_id)))
        .bind(("status", json(&input.status)?))
        .await?
        .check()?;
    Ok(key)
}

/// Sets the programme's targets, typed as people read them (% for shares); an empty one is removed.
pub async fn save_targets(db: &Db, programme: &str, targets: Vec<(Metric, String)>) -> AppResult<Vec<(Metric, f64)>> {
    programme_row(db, programme).await?;
    let parsed = check_targets(targets).map_err(AppError::Invalid)?;
    let rows: Vec<serde_json::Value> = parsed.iter().map(|(m, v)| serde_json::json!({ "metric": m.key(), "target": v })).collect();
    db.query(
        "BEGIN TRANSACTION;
         FOR $t IN $rows {
             IF $t.target = NONE { DELETE adoption_target WHERE programme = $p AND metric = $t.metric; }
             ELSE { UPSERT type::record('adoption_target', [$key, $t.metric]) SET programme = $p, metric = $t.metric, target = <float> $t.target; };
         };
         COMMIT TRANSACTION;",
    )
    .bind(("p", record("programme", programme)))
    .bind(("key", programme.to_owned()))
    .bind(("rows", rows))
    .await?
    .check()?;
    targets_of(db, programme).await
}

pub async fn targets_of(db: &Db, programme: &str) -> AppResult<Vec<(Metric, f64)>> {
    #[derive(Deserialize)]
    struct Row {
        metric: String,
        target: f64,
    }
    let mut r = db.query("SELECT metric, target FROM adoption_target WHERE programme = $p").bind(("p", record("programme", programme))).await?;
    let rows: Vec<Row> = take_rows(&mut r, 0)?;
    let mut targets: Vec<(Metric, f64)> = rows.into_iter().filter_map(|r| Some((parse_state(&r.metric).ok()?, r.target))).collect();
    targets.sort_by_key(|(m, _)| METRICS.iter().position(|x| x == m));
    Ok(targets)
}

/// A pulse survey of 1 to 10 questions, one per line, each answered on a 1–5 scale.
pub async fn create_pulse(db: &Db, programme: &str, title: String, questions: String) -> AppResult<()> {
    programme_row(db, programme).await?;
    let (title, questions) = check_pulse(&title, &questions).map_err(AppError::Invalid)?;
    db.query("CREATE pulse SET programme = $p, title = $title, questions = $questions")
        .bind(("p", record("programme", programme)))
        .bind(("title", title))
        .bind(("questions", questions))
        .await?
        .check()?;
    Ok(())
}

pub async fn close_pulse(db: &Db, programme: &str, pulse: &str) -> AppResult<()> {
    let mut r = db
        .query("UPDATE $s SET open = false WHERE programme = $p RETURN VALUE id")
        .bind(("s", record("pulse", pulse)))
        .bind(("p", record("programme", programme)))
        .await?;
    let updated: Vec<serde_json::Value> = r.take(0)?;
    if updated.is_empty() {
        return Err(AppError::NotFound("That survey".into()));
    }
    Ok(())
}

/// Surveys open to a person: those of programmes whose scope holds their unit.
pub async fn open_pulses(db: &Db, person: &SessionUser) -> AppResult<Vec<OpenPulse>> {
    let me = people::get(db, &person.id).await?;
    let list = list(db).await?;
    let mut r = db
        .query(
            "SELECT id, programme, title, questions, open FROM pulse WHERE open = true ORDER BY created_at DESC;
             SELECT VALUE pulse FROM pulse_taken WHERE person = $me;",
        )
        .bind(("me", record("person", &person.id)))
        .await?;
    #[derive(Deserialize)]
    struct Row {
        id: String,
        programme: String,
        title: String,
        questions: Vec<String>,
    }
    let rows: Vec<Row> = take_rows(&mut r, 0)?;
    let taken: Vec<String> = r.take::<Vec<serde_json::Value>>(1)?.iter().filter_map(|v| v.as_str().map(key_of)).collect();
    let mut open = Vec::new();
    for row in rows {
        let Some(programme) = list.programmes.iter().find(|p| p.id == key_of(&row.programme)) else { continue };
        if programme.scope.iter().any(|u| crate::org::types::subtree(&list.units, &u.id).contains(&me.unit_id)) {
            let id = key_of(&row.id);
            open.push(OpenPulse { answered: taken.contains(&id), id, programme: programme.name.clone(), title: row.title, questions: row.questions });
        }
    }
    Ok(open)
}

/// Records an answer without the person: their unit goes with the scores, their name only to a
/// separate list of who has answered, so nobody answers twice.
pub async fn answer_pulse(db: &Db, person: &SessionUser, pulse: &str, scores: Vec<u8>) -> AppResult<()> {
    let survey = open_pulses(db, person)
        .await?
        .into_iter()
        .find(|p| p.id == pulse)
        .ok_or_else(|| AppError::NotFound("An open survey for you".into()))?;
    check_pulse_answer(&survey.questions, survey.answered, &scores).map_err(AppError::Invalid)?;
    let me = people::get(db, &person.id).await?;
    db.query(
        "BEGIN TRANSACTION;
         CREATE pulse_taken SET pulse = $s, person = $me;
         CREATE pulse_answer SET pulse = $s, unit = $unit, scores = $scores;
         COMMIT TRANSACTION;",
    )
    .bind(("s", record("pulse", pulse)))
    .bind(("me", record("person", &person.id)))
    .bind(("unit", record("unit", &me.unit_id)))
    .bind(("scores", scores.iter().map(|s| i64::from(*s)).collect::<Vec<_>>()))
    .await?
    .check()
    .map_err(|e| {
        // Two answers at once from one person: the unique index lets one through.
        tracing::warn!(error = %e, "pulse answer refused");
        AppError::Invalid(vec![answered_already()])
    })?;
    Ok(())
}
