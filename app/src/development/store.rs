//! Developing people in the database: development plans (items from appraisals, check-ins and by
//! hand), the training catalogue with sessions, attendance and the effect report, peer kudos and
//! the recognition worked out by the consistency rule. Check-ins themselves are synced records
//! (`offline::store`).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Deserialize;
use serde_json::Value;

use crate::planning::store::{actuals, competencies, plans as planning};
use crate::appraisal::store as appraisal;
use crate::db::{Db, key_of, new_key, record, take_rows};
use crate::org::store::people;
use crate::development::rules::{MIN_GROUP, Measure, Observation, before_and_after, check_attendance, check_item, check_kudos, check_progress, check_session_day, check_training, consistency, current_run, kudos_notice, training_effect};
use crate::error::{AppError, AppResult};
use crate::development::types::{DevelopmentItem, DevelopmentItemInput, DevelopmentPlanView, Gap, Kudos, Recognition, RecognitionView, Training, TrainingCatalogue, TrainingEffectReport, TrainingLine, TrainingSession, TrainingView, competency_target, kpi_target};
use crate::appraisal::types::expected_level;
use crate::planning::types::CycleState;
use crate::auth::types::SessionUser;
use crate::planning::scorecard::{kpi_period_scores, plan_period_scores};
use crate::planning::scoring::percent;

/// What an item or a training may target: every KPI name in plans and the library, every
/// competency, as (target, label).
async fn all_targets(db: &Db) -> AppResult<Vec<(String, String)>> {
    let mut response = db.query("SELECT VALUE spec.name FROM kpi_template; SELECT VALUE kras.*.kpis.*.spec.name FROM plan;").await?;
    let mut names: Vec<String> = response.take::<Vec<String>>(0)?;
    for plan in response.take::<Vec<Value>>(1)? {
        collect_strings(&plan, &mut names);
    }
    names.sort();
    names.dedup();
    let framework = competencies::framework(db).await?;
    Ok(names
        .into_iter()
        .map(|n| (kpi_target(&n), format!("KPI: {n}")))
        .chain(framework.competencies.iter().map(|c| (competency_target(&c.id), format!("Competency: {}", c.name))))
        .collect())
}

fn collect_strings(value: &Value, into: &mut Vec<String>) {
    match value {
        Value::String(s) => into.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| collect_strings(v, into)),
        _ => {}
    }
}

fn label_of(targets: &[(String, String)], target: &str) -> String {
    targets.iter().find(|(t, _)| t == target).map(|(_, l)| l.clone()).unwrap_or_default()
}

/// A person's development plan: their items, newest due last, and the gaps they could address.
pub async fn plan_view(db: &Db, person: &str) -> AppResult<DevelopmentPlanView> {
    let person = people::get(db, person).await?;
    let cycle = planning::current_cycle(db).await?;
    #[derive(Deserialize)]
    struct Row {
        id: String,
        source: String,
        title: String,
        kind: String,
        target: String,
        due_on: String,
        status: String,
        #[serde(default)]
        evidence: String,
        completed_on: Option<String>,
    }
    let mut response = db
        .query("SELECT id, source, title, kind, target, due_on, status, evidence, completed_on FROM development_item WHERE person = $person ORDER BY due_on")
        .bind(("person", record("person", &person.id)))
        .await?;
    let rows: Vec<Row> = take_rows(&mut response, 0)?;
    let everything = all_targets(db).await?;
    let items = rows
        .into_iter()
        .map(|r| DevelopmentItem {
            id: key_of(&r.id),
            target_label: label_of(&everything, &r.target),
            source: r.source,
            title: r.title,
            kind: r.kind,
            target: r.target,
            due_on: r.due_on,
            status: r.status,
            evidence: r.evidence,
            completed_on: r.completed_on,
        })
        .collect();

    let mut gaps = Vec::new();
    let mut targets: Vec<(String, String)> = Vec::new();
    match actuals::scorecard(db, &person.id, Some(&cycle.id)).await {
        Ok(card) => {
            for kpi in card.kras.iter().flat_map(|k| &k.kpis) {
                let target = kpi_target(&kpi.kpi.spec.name);
                targets.push((target.clone(), format!("KPI: {}", kpi.kpi.spec.name)));
                if let Some(score) = kpi.score.filter(|s| *s < 1.0) {
                    gaps.push(Gap { target, label: format!("KPI: {}", kpi.kpi.spec.name), detail: format!("scores {} this cycle, below target (100%)", percent(score)) });
                }
            }
        }
        Err(AppError::NotFound(_)) => {}
        Err(other) => return Err(other),
    }
    let framework = competencies::framework(db).await?;
    let expected = framework.profiles.iter().find(|p| p.job_title == person.job_title).map(|p| p.expected.clone()).unwrap_or_default();
    // The latest submitted rating of each competency.
    let mut latest: BTreeMap<String, u8> = BTreeMap::new();
    for (_, _, _, competency, level) in appraisal::submitted_ratings(db, Some(&person.id)).await? {
        latest.insert(competency, level);
    }
    for competency in &framework.competencies {
        let target = competency_target(&competency.id);
        targets.push((target.clone(), format!("Competency: {}", competency.name)));
        let wanted = expected_level(&expected, competency);
        if let Some(&level) = latest.get(&competency.id).filter(|l| **l < wanted) {
            gaps.push(Gap { target, label: format!("Competency: {}", competency.name), detail: format!("rated {level} in the appraisal; the role expects {wanted}") });
        }
    }
    Ok(DevelopmentPlanView { person, cycle, items, gaps, targets, may_edit: true })
}

pub async fn add_item(db: &Db, person: &str, input: DevelopmentItemInput) -> AppResult<DevelopmentPlanView> {
    let view = plan_view(db, person).await?;
    let input = check_item(input, &view.targets)?;
    db.query(
        "CREATE type::record('development_item', $key) SET person = $person, cycle = $cycle, source = 'plan', title = $title, kind = $kind,
             target = $target, due_on = $due_on RETURN NONE",
    )
    .bind(("key", new_key()))
    .bind(("person", record("person", person)))
    .bind(("cycle", record("cycle", &view.cycle.id)))
    .bind(("title", input.title))
    .bind(("kind", input.kind))
    .bind(("target", input.target))
    .bind(("due_on", input.due_on))
    .await?
    .check()?;
    plan_view(db, person).await
}

/// Moves an item on; closing it needs evidence of completion.
pub async fn update_item(db: &Db, person: &str, item: &str, status: String, evidence: String) -> AppResult<DevelopmentPlanView> {
    let mut response = db
        .query("SELECT VALUE person FROM ONLY $id")
        .bind(("id", record("development_item", item)))
        .await?;
    let owner: Option<String> = response.take::<Option<Value>>(0)?.and_then(|v| v.as_str().map(key_of));
    if owner.as_deref() != Some(person) {
        return Err(AppError::NotFound("That development item".into()));
    }
    let evidence = check_progress(&status, &evidence)?;
    let completed = (status == "done").then(|| planning::today().to_string());
    db.query("UPDATE $id SET status = $status, evidence = $evidence, completed_on = $completed ?? NONE RETURN NONE")
        .bind(("id", record("development_item", item)))
        .bind(("status", status))
        .bind(("evidence", evidence))
        .bind(("completed", completed))
        .await?
        .check()?;
    plan_view(db, person).await
}

#[derive(Deserialize)]
struct TrainingRow {
    id: String,
    title: String,
    provider: String,
    description: String,
    target: String,
}

#[derive(Deserialize)]
struct SessionRow {
    id: String,
    training: String,
    held_on: String,
    place: String,
    #[serde(default)]
    attendees: Vec<String>,
}

async fn trainings(db: &Db) -> AppResult<(Vec<Training>, Vec<SessionRow>, Vec<(String, String)>)> {
    let mut response = db
        .query("SELECT id, title, provider, description, target FROM training ORDER BY title; SELECT * FROM training_session ORDER BY held_on;")
        .await?;
    let rows: Vec<TrainingRow> = take_rows(&mut response, 0)?;
    let sessions: Vec<SessionRow> = take_rows(&mut response, 1)?;
    let targets = all_targets(db).await?;
    let trainings = rows
        .into_iter()
        .map(|r| Training { id: key_of(&r.id), target_label: label_of(&targets, &r.target), title: r.title, provider: r.provider, description: r.description, target: r.target })
        .collect();
    Ok((trainings, sessions, targets))
}

/// `may_edit`: the policy lets the viewer keep the catalogue (HR), who alone also sees the
/// training-effect reports.
pub async fn catalogue(db: &Db, may_edit: bool) -> AppResult<TrainingCatalogue> {
    let (trainings, sessions, targets) = trainings(db).await?;
    let lines = trainings
        .into_iter()
        .map(|t| {
            let mine: Vec<&SessionRow> = sessions.iter().filter(|s| key_of(&s.training) == t.id).collect();
            let attendees: HashSet<&String> = mine.iter().flat_map(|s| &s.attendees).collect();
            TrainingLine { sessions: mine.len(), attendees: attendees.len(), training: t }
        })
        .collect();
    Ok(TrainingCatalogue { trainings: lines, targets, may_edit })
}

pub async fn save_training(db: &Db, may_edit: bool, training: Training) -> AppResult<TrainingCatalogue> {
    let training = check_training(training, &all_targets(db).await?)?;
    let key = if training.id.is_empty() { new_key() } else { training.id };
    db.query("UPSERT type::record('training', $key) SET title = $title, provider = $provider, description = $description, target = $target RETURN NONE")
        .bind(("key", key))
        .bind(("title", training.title))
        .bind(("provider", training.provider))
        .bind(("description", training.description))
        .bind(("target", training.target))
        .await?
        .check()?;
    catalogue(db, may_edit).await
}

/// `readers`: whose records the viewer reads (the policy's `Rule::PersonRecord`).
pub async fn training_view(db: &Db, may_edit: bool, readers: &crate::auth::Audience, id: &str) -> AppResult<TrainingView> {
    let (trainings, sessions, _) = trainings(db).await?;
    let training = trainings.into_iter().find(|t| t.id == id).ok_or_else(|| AppError::NotFound("That training".into()))?;
    let people = crate::org::store::people::colleagues(db, "").await?;
    let name = |p: &str| people.iter().find(|c| c.id == p).map(|c| c.name.clone()).unwrap_or_default();
    let mut sessions: Vec<TrainingSession> = sessions
        .into_iter()
        .filter(|s| key_of(&s.training) == id)
        .map(|s| {
            let attendees = s.attendees.iter().map(|a| key_of(a)).map(|a| (name(&a), a)).map(|(n, a)| (a, n)).collect();
            TrainingSession { id: key_of(&s.id), training_id: id.to_owned(), held_on: s.held_on, place: s.place, attendees }
        })
        .collect();
    let effect = if may_edit { Some(effect_report(db, &training, &sessions).await?) } else { None };
    // Who attended is part of each person's record: shown only of the people `readers` reaches.
    sessions.iter_mut().for_each(|s| s.attendees.retain(|(person, _)| readers.includes(person)));
    Ok(TrainingView { training, sessions, people, effect, may_edit })
}

pub async fn add_session(db: &Db, may_edit: bool, readers: &crate::auth::Audience, training: &str, held_on: String, place: String) -> AppResult<TrainingView> {
    check_session_day(&held_on)?;
    training_view(db, may_edit, readers, training).await?;
    db.query("CREATE type::record('training_session', $key) SET training = $training, held_on = $held_on, place = $place RETURN NONE")
        .bind(("key", new_key()))
        .bind(("training", record("training", training)))
        .bind(("held_on", held_on))
        .bind(("place", place.trim().to_owned()))
        .await?
        .check()?;
    training_view(db, may_edit, readers, training).await
}

/// Records who attended a session (the whole list, replacing the one before).
pub async fn set_attendance(db: &Db, may_edit: bool, readers: &crate::auth::Audience, session: &str, attendees: Vec<String>) -> AppResult<TrainingView> {
    let mut response = db.query("SELECT VALUE training FROM ONLY $id").bind(("id", record("training_session", session))).await?;
    let training = response.take::<Option<Value>>(0)?.and_then(|v| v.as_str().map(key_of)).ok_or_else(|| AppError::NotFound("That session".into()))?;
    let known: HashSet<String> = crate::org::store::people::colleagues(db, "").await?.into_iter().map(|c| c.id).collect();
    let unique = check_attendance(attendees, &known)?;
    let ids: Vec<_> = unique.iter().map(|a| record("person", a)).collect();
    db.query("UPDATE $id SET attendees = $attendees RETURN NONE").bind(("id", record("training_session", session))).bind(("attendees", ids)).await?.check()?;
    training_view(db, may_edit, readers, &training).await
}

/// Every person's measures of what a training targets: the KPI's period scores (a KPI of that
/// name in any plan) or the competency's manager ratings, per cycle.
async fn measures(db: &Db, target: &str) -> AppResult<HashMap<String, Vec<Measure>>> {
    let mut by_person: HashMap<String, Vec<Measure>> = HashMap::new();
    if let Some(name) = target.strip_prefix("kpi:") {
        for cycle in planning::list_cycles(db).await?.into_iter().filter(|c| c.state != CycleState::Planning) {
            let periods = actuals::cycle_periods(&cycle)?;
            let all_actuals = actuals::of_cycle(db, &cycle.id).await?;
            for plan in planning::plans_of_cycle(db, &cycle.id).await? {
                let found = all_actuals.get(&plan.id).map(Vec::as_slice).unwrap_or_default();
                for kpi in plan.kras.iter().flat_map(|k| &k.kpis).filter(|k| k.spec.name == name) {
                    let scores = kpi_period_scores(kpi, &periods, found);
                    by_person
                        .entry(plan.person_id.clone())
                        .or_default()
                        .extend(scores.into_iter().map(|(p, value)| Measure { starts_on: p.starts_on.clone(), ends_on: p.ends_on.clone(), value }));
                }
            }
        }
    } else if let Some(competency) = target.strip_prefix("competency:") {
        for (person, starts_on, ends_on, _, level) in appraisal::submitted_ratings(db, None).await?.into_iter().filter(|r| r.3 == competency) {
            by_person.entry(person).or_default().push(Measure { starts_on, ends_on, value: f64::from(level) });
        }
    }
    Ok(by_person)
}

/// Per session: its attendees against everyone measured on the same KPI or competency who never
/// attended this training, over the same windows.
async fn effect_report(db: &Db, training: &Training, sessions: &[TrainingSession]) -> AppResult<TrainingEffectReport> {
    let kpi = training.target.starts_with("kpi:");
    let window = if kpi { 2 } else { 1 };
    let measures = measures(db, &training.target).await?;
    let ever: HashSet<&String> = sessions.iter().flat_map(|s| s.attendees.iter().map(|(id, _)| id)).collect();
    let per_session = sessions
        .iter()
        .map(|session| {
            let attended: HashSet<&String> = session.attendees.iter().map(|(id, _)| id).collect();
            let observations: Vec<Observation> = measures
                .iter()
                .filter(|(person, _)| attended.contains(person) || !ever.contains(person))
                .map(|(person, series)| {
                    let (before, after) = before_and_after(series, &session.held_on, window);
                    Observation { attended: attended.contains(person), before, after }
                })
                .collect();
            (session.held_on.clone(), training_effect(&observations, MIN_GROUP))
        })
        .collect();
    let (measure, unit) = if kpi { ("KPI score", "periods") } else { ("competency rating (manager's, 1–5)", "cycles") };
    Ok(TrainingEffectReport {
        measure: measure.into(),
        window,
        min_group: MIN_GROUP,
        sessions: per_session,
        method: format!(
            "For each session: the mean {measure} over the {window} {unit} that ended before it and the {window} that began after it, for those who attended \
             and for colleagues measured on the same {} who never attended this training. Only people measured on both sides count; a group of fewer than \
             {MIN_GROUP} is not shown. The effect is the attendees' change less the others'.",
            if kpi { "KPI" } else { "competency" }
        ),
    })
}

pub async fn give_kudos(db: &Db, giver: &SessionUser, receiver: &str, competency: &str, message: String) -> AppResult<Vec<Kudos>> {
    let colleagues = crate::org::store::people::colleagues(db, &giver.id).await?;
    let framework = competencies::framework(db).await?;
    let message = check_kudos(&giver.id, receiver, &colleagues, &framework.competencies, competency, &message)?;
    let key = new_key();
    db.query("CREATE type::record('kudos', $key) SET giver = $giver, receiver = $receiver, competency = $competency, message = $message, given_on = $today RETURN NONE")
        .bind(("key", key.clone()))
        .bind(("giver", record("person", &giver.id)))
        .bind(("receiver", record("person", receiver)))
        .bind(("competency", record("competency", competency)))
        .bind(("message", message.clone()))
        .bind(("today", planning::today().to_string()))
        .await?
        .check()?;
    let competency_name = framework.competencies.iter().find(|c| c.id == competency).map(|c| c.name.as_str()).unwrap_or_default();
    let notice = kudos_notice(&giver.name, receiver, competency_name, &message, &crate::offline::store::inbox::now());
    crate::offline::store::inbox::notify(db, &key, vec![notice]).await;
    kudos_of(db, std::slice::from_ref(&giver.id), true).await
}

/// Kudos received by the people named (or given by them, with `given`), newest first.
async fn kudos_of(db: &Db, people: &[String], given: bool) -> AppResult<Vec<Kudos>> {
    #[derive(Deserialize)]
    struct Row {
        id: String,
        giver_name: String,
        receiver: String,
        receiver_name: String,
        competency_name: String,
        message: String,
        given_on: String,
    }
    let ids: Vec<_> = people.iter().map(|p| record("person", p)).collect();
    let field = if given { "giver" } else { "receiver" };
    let mut response = db
        .query(format!(
            "SELECT id, giver.name AS giver_name, receiver, receiver.name AS receiver_name, competency.name AS competency_name, message, given_on, at
             FROM kudos WHERE {field} IN $ids ORDER BY at DESC LIMIT 200"
        ))
        .bind(("ids", ids))
        .await?;
    Ok(take_rows::<Row>(&mut response, 0)?
        .into_iter()
        .map(|r| Kudos {
            id: key_of(&r.id),
            giver_name: r.giver_name,
            receiver_id: key_of(&r.receiver),
            receiver_name: r.receiver_name,
            competency_name: r.competency_name,
            message: r.message,
            given_on: r.given_on,
        })
        .collect())
}

/// How many periods in a row at or above target earn recognition (HR's rule).
/// The day of the last check-in completed with each of `people` who has had one.
pub async fn last_check_ins(db: &Db, people: &[String]) -> AppResult<HashMap<String, String>> {
    #[derive(Deserialize)]
    struct Row {
        person: String,
        completed_on: String,
    }
    let ids: Vec<_> = people.iter().map(|p| record("person", p)).collect();
    let mut response = db
        .query("SELECT person, completed_on FROM check_in WHERE person IN $ids AND completed_on != '' AND deleted = false")
        .bind(("ids", ids))
        .await?;
    let mut last: HashMap<String, String> = HashMap::new();
    for row in take_rows::<Row>(&mut response, 0)? {
        let at = last.entry(key_of(&row.person)).or_default();
        if row.completed_on > *at {
            *at = row.completed_on;
        }
    }
    Ok(last)
}

pub async fn consistency_periods(db: &Db) -> AppResult<usize> {
    let mut response = db.query("SELECT VALUE consistency_periods FROM ONLY reward_settings:current").await?;
    let n: Option<i64> = response.take(0)?;
    Ok(n.map_or(crate::development::rules::DEFAULT_CONSISTENCY_PERIODS, |n| n.max(1) as usize))
}

/// The recognition of the people named: the consistency rule over their plans' period scores in
/// every cycle, and the kudos they received.
pub async fn recognition(db: &Db, people: &[(String, String)]) -> AppResult<Vec<Recognition>> {
    let needed = consistency_periods(db).await?;
    let wanted: HashSet<&String> = people.iter().map(|(id, _)| id).collect();
    let mut series: HashMap<String, Vec<(String, String, Option<f64>)>> = HashMap::new();
    for cycle in planning::list_cycles(db).await?.into_iter().filter(|c| c.state != CycleState::Planning) {
        let periods = actuals::cycle_periods(&cycle)?;
        let today = planning::today().to_string();
        let all_actuals = actuals::of_cycle(db, &cycle.id).await?;
        for plan in planning::plans_of_cycle(db, &cycle.id).await?.into_iter().filter(|p| wanted.contains(&p.person_id)) {
            let found = all_actuals.get(&plan.id).map(Vec::as_slice).unwrap_or_default();
            // Periods still running do not break a run: their results are not in yet.
            let scores = plan_period_scores(&plan, &periods, found).into_iter().filter(|(p, score)| score.is_some() || p.ends_on < today);
            series
                .entry(plan.person_id.clone())
                .or_default()
                .extend(scores.map(|(p, score)| (p.starts_on.clone(), format!("{} {}", cycle.name, p.label), score)));
        }
    }
    let kudos = kudos_of(db, &people.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>(), false).await?;
    Ok(people
        .iter()
        .map(|(id, name)| {
            let mut mine = series.remove(id).unwrap_or_default();
            mine.sort_by(|a, b| a.0.cmp(&b.0));
            let scores: Vec<(String, Option<f64>)> = mine.into_iter().map(|(_, label, score)| (label, score)).collect();
            Recognition {
                person_id: id.clone(),
                person_name: name.clone(),
                consistency: consistency(&scores, needed),
                current_run: current_run(&scores),
                kudos: kudos.iter().filter(|k| k.receiver_id == *id).cloned().collect(),
            }
        })
        .collect())
}

/// The recognition page: the viewer's own, their reporting line's, and what they need to give kudos.
pub async fn recognition_view(db: &Db, viewer: &SessionUser) -> AppResult<RecognitionView> {
    let mut people = vec![(viewer.id.clone(), viewer.name.clone())];
    people.extend(people::reporting_line(db, &viewer.id).await?.into_iter().map(|m| (m.person.id, m.person.name)));
    Ok(RecognitionView {
        people: recognition(db, &people).await?,
        given: kudos_of(db, std::slice::from_ref(&viewer.id), true).await?,
        periods_needed: consistency_periods(db).await?,
        competencies: competencies::framework(db).await?.competencies,
        colleagues: crate::org::store::people::colleagues(db, &viewer.id).await?,
    })
}

/// One person's recognition, for their profile.
pub async fn recognition_of(db: &Db, person: &str) -> AppResult<Recognition> {
    let found = people::get(db, person).await?;
    Ok(recognition(db, &[(found.id, found.name)]).await?.pop().unwrap_or_default())
}
