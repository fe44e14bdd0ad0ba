//! Adoption measured from real use of the system, per unit: counted from plans, actuals,
//! self-assessments, feedback, appraisals, development items and training attendance; kept once
//! a day for the trend; shown to the committee as aggregates only.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Deserialize;

use crate::planning::store::plans::{current_cycle, plans_of_cycle, today};
use crate::planning::store::actuals;
use crate::change::store::programmes as change;
use crate::db::{Db, json, key_of, record, take_rows};
use crate::org::store::{people, units};
use crate::change::rules::{METRICS, adoption_figures, kpi_due, proposed_wins, trend_point, value};
use crate::change::types::{Metric, UnitCounts};
use crate::csv_export::{Cell, CsvExport, figure, text};
use crate::disclosure::{Figure, Hidden};
use crate::error::{AppError, AppResult};
use crate::org::types::units_in_tree_order;
use crate::change::types::{AdoptionReport, Named, UnitAdoption, Win, WinDecision};
use crate::auth::types::SessionUser;
use crate::planning::types::PlanState;
use crate::planning::rules::iso;

/// Today's counts per unit (people directly in it), with the cycle and the last ended period.
pub struct Counted {
    pub cycle: String,
    pub last_period: Option<String>,
    pub per_unit: HashMap<String, UnitCounts>,
}

pub async fn count(db: &Db) -> AppResult<Counted> {
    let people = people::list(db, false).await?;
    let unit_of: HashMap<String, String> = people.iter().map(|p| (p.id.clone(), p.unit_id.clone())).collect();
    let mut per_unit: HashMap<String, UnitCounts> = HashMap::new();
    for p in &people {
        per_unit.entry(p.unit_id.clone()).or_default().people += 1;
    }
    let mut tally = |person: &str, add: &dyn Fn(&mut UnitCounts)| {
        if let Some(unit) = unit_of.get(&key_of(person)) {
            add(per_unit.entry(unit.clone()).or_default());
        }
    };

    let mut r = db
        .query("SELECT VALUE receiver FROM feedback WHERE deleted = false AND private = false AND received_at > time::now() - 30d")
        .await?;
    let receivers: Vec<serde_json::Value> = r.take(0)?;
    for receiver in receivers.iter().filter_map(|v| v.as_str()) {
        tally(receiver, &|c| c.feedback_last_month += 1);
    }

    // Appraisals of the cycle under appraisal, and development-plan items.
    let mut r = db
        .query(
            "SELECT VALUE person FROM appraisal WHERE cycle.state = 'appraisal';
             SELECT VALUE person FROM appraisal_discussion WHERE cycle.state = 'appraisal' AND deleted = false AND manager_signed_on != '' AND employee_signed_on != '';
             SELECT person, status FROM development_item;
             SELECT attendees, string::starts_with(training.target, 'kpi:') AS linked FROM training_session;",
        )
        .await?;
    let opened: Vec<serde_json::Value> = r.take(0)?;
    for person in opened.iter().filter_map(|v| v.as_str()) {
        tally(person, &|c| c.appraisals_open += 1);
    }
    let signed: Vec<serde_json::Value> = r.take(1)?;
    for person in signed.iter().filter_map(|v| v.as_str()) {
        tally(person, &|c| c.appraisals_signed += 1);
    }
    #[derive(Deserialize)]
    struct Item {
        person: String,
        status: String,
    }
    for item in take_rows::<Item>(&mut r, 2)? {
        let done = item.status == "done";
        tally(&item.person, &|c| {
            c.development_actions += 1;
            c.development_actions_completed += usize::from(done);
        });
    }

    // Each attendance counts, and whether its training aims at a KPI.
    #[derive(Deserialize)]
    struct Session {
        attendees: Vec<String>,
        linked: bool,
    }
    for session in take_rows::<Session>(&mut r, 3)? {
        for person in &session.attendees {
            tally(person, &|c| {
                c.trainings += 1;
                c.trainings_linked += usize::from(session.linked);
            });
        }
    }

    let cycle = match current_cycle(db).await {
        Ok(cycle) => cycle,
        Err(AppError::NotFound(_)) => return Ok(Counted { cycle: "No cycle yet".into(), last_period: None, per_unit }),
        Err(e) => return Err(e),
    };
    let periods = actuals::cycle_periods(&cycle)?;
    let today = iso(today());
    let last = periods.iter().rposition(|p| p.ends_on < today);
    let mut r = db
        .query(
            "SELECT VALUE person FROM self_assessment WHERE cycle = $cycle AND submitted = true AND deleted = false;
             SELECT plan, kpi FROM actual WHERE period = $period AND plan.cycle = $cycle;",
        )
        .bind(("cycle", record("cycle", &cycle.id)))
        .bind(("period", last.map(|i| periods[i].key.clone()).unwrap_or_default()))
        .await?;
    let submitted: Vec<serde_json::Value> = r.take(0)?;
    for person in submitted.iter().filter_map(|v| v.as_str()) {
        tally(person, &|c| c.self_assessments_submitted += 1);
    }
    #[derive(Deserialize)]
    struct ActualRow {
        plan: String,
        kpi: String,
    }
    let with_actual: HashSet<(String, String)> =
        take_rows::<ActualRow>(&mut r, 1)?.into_iter().map(|a| (key_of(&a.plan), a.kpi)).collect();
    for plan in plans_of_cycle(db, &cycle.id).await?.into_iter().filter(|p| p.state == PlanState::Approved) {
        let kpis: Vec<_> = plan.kras.iter().flat_map(|k| &k.kpis).collect();
        let due = last.map_or(0, |i| kpis.iter().filter(|k| kpi_due(k.spec.frequency, cycle.period_kind, i, periods.len())).count());
        let reported = last.map_or(0, |i| {
            kpis.iter()
                .filter(|k| kpi_due(k.spec.frequency, cycle.period_kind, i, periods.len()) && with_actual.contains(&(plan.id.clone(), k.id.clone())))
                .count()
        });
        tally(&plan.person_id, &|c| {
            c.agreed_plans += 1;
            c.kpis_due += due;
            c.kpis_with_actuals += reported;
        });
    }
    Ok(Counted { cycle: cycle.name, last_period: last.map(|i| periods[i].label.clone()), per_unit })
}

/// Keeps a day's counts of every unit (replacing earlier ones of that day), for the trend.
pub async fn record_day(db: &Db, day: time::Date, counted: &Counted) -> AppResult<()> {
    let day = iso(day);
    let rows: Vec<serde_json::Value> = counted
        .per_unit
        .iter()
        .map(|(unit, counts)| Ok(serde_json::json!({ "key": format!("{day}_{unit}"), "unit": unit, "counts": json(counts)? })))
        .collect::<AppResult<_>>()?;
    db.query(
        "FOR $r IN $rows {
             UPSERT type::record('adoption_snapshot', $r.key) SET day = $day, unit = type::record('unit', $r.unit), counts = $r.counts RETURN NONE;
         };",
    )
    .bind(("rows", rows))
    .bind(("day", day))
    .await?
    .check()?;
    Ok(())
}

/// Counts today and keeps them: the server does this hourly, so the trend has a point per day
/// even when nobody opens the dashboard.
pub async fn record_today(db: &Db) -> AppResult<()> {
    record_day(db, today(), &count(db).await?).await
}

/// The dashboard of a programme: its units in tree order, each with the units below it, the whole
/// scope's trend, targets, and the wins proposed and decided. Figures no one may see (a group under
/// five, or one that would give a smaller group away) are left out here, on the server; the trend
/// keeps a day only when that day's figures pass the same rule.
pub async fn report(db: &Db, programme: &str) -> AppResult<AdoptionReport> {
    let programme = change::get(db, programme).await?;
    let counted = count(db).await?;
    record_day(db, today(), &counted).await?;
    let all_units = units::list(db).await?;
    let scope_ids: Vec<String> = programme.scope.iter().map(|u| u.id.clone()).collect();
    let scope: HashSet<String> = scope_ids.iter().flat_map(|u| crate::org::types::subtree(&all_units, u)).collect();
    let (mut figures, total) = adoption_figures(&all_units, &counted.per_unit, &scope_ids);
    let rows: Vec<UnitAdoption> = units_in_tree_order(&all_units)
        .into_iter()
        .filter(|(_, u)| scope.contains(&u.id))
        .map(|(depth, u)| UnitAdoption {
            counts: figures.remove(&u.id).unwrap_or(Figure::Hidden(Hidden::TooFew)),
            unit: Named { id: u.id, name: u.name },
            depth,
        })
        .collect();

    #[derive(Deserialize)]
    struct SnapshotRow {
        day: String,
        unit: String,
        counts: UnitCounts,
    }
    #[derive(Deserialize)]
    struct WinRow {
        unit: String,
        metric: String,
        value: f64,
        target: f64,
        decision: String,
        decided_on: String,
    }
    // Every unit's snapshots, not only the scope's: each day is judged as one table, like today.
    let mut r = db
        .query(
            "SELECT day, unit, counts FROM adoption_snapshot WHERE day >= $since ORDER BY day;
             SELECT unit, metric, value, target, decision, decided_on FROM change_win WHERE programme = $p ORDER BY decided_on DESC;",
        )
        .bind(("since", iso(today() - time::Duration::days(365))))
        .bind(("p", record("programme", &programme.id)))
        .await?;
    let mut days: BTreeMap<String, HashMap<String, UnitCounts>> = BTreeMap::new();
    for s in take_rows::<SnapshotRow>(&mut r, 0)? {
        days.entry(s.day).or_default().insert(key_of(&s.unit), s.counts);
    }
    let history = days
        .into_iter()
        .filter_map(|(day, direct)| adoption_figures(&all_units, &direct, &scope_ids).1.shown().map(|c| (day, trend_point(c))))
        .collect();
    // A win tells a unit's figure: only units whose figures are shown have one.
    let shown: Vec<(String, UnitCounts)> = rows.iter().filter_map(|r| r.counts.shown().map(|c| (r.unit.id.clone(), c.clone()))).collect();
    let name_of = |id: &str| rows.iter().find(|r| r.unit.id == id).map(|r| r.unit.name.clone());
    let mut wins: Vec<Win> = Vec::new();
    for w in take_rows::<WinRow>(&mut r, 1)? {
        let unit = key_of(&w.unit);
        let Ok(metric) = crate::planning::store::plans::parse_state::<Metric>(&w.metric) else { continue };
        let Some(name) = name_of(&unit).filter(|_| shown.iter().any(|(u, _)| *u == unit)) else { continue };
        wins.push(Win {
            unit: Named { id: unit, name },
            metric,
            value: w.value,
            target: w.target,
            decision: Some(crate::planning::store::plans::parse_state(&w.decision)?),
            decided_on: Some(w.decided_on),
        });
    }
    let targets = change::targets_of(db, &programme.id).await?;
    let decided: Vec<(String, Metric)> = wins.iter().map(|w| (w.unit.id.clone(), w.metric)).collect();
    let proposed = proposed_wins(&shown, &targets, &decided).into_iter().map(|p| Win {
        unit: Named { name: name_of(&p.unit_id).unwrap_or_default(), id: p.unit_id },
        metric: p.metric,
        value: p.value,
        target: p.target,
        decision: None,
        decided_on: None,
    });
    let wins = proposed.chain(wins).collect();
    Ok(AdoptionReport { programme, cycle: counted.cycle, last_period: counted.last_period, units: rows, total, targets, history, wins })
}

/// The dashboard as CSV: a row per unit in scope (with the units below it) and one for the whole
/// scope, a column per metric; hidden figures are not in it.
pub async fn export_csv(db: &Db, programme: &str) -> AppResult<String> {
    let report = report(db, programme).await?;
    let mut csv = CsvExport::new(["unit", "people"].into_iter().chain(METRICS.iter().map(|m| m.label())));
    // A hidden row says why where the people would be, and leaves the metrics empty.
    let row = |name: &str, counts: &Figure<UnitCounts>| -> Vec<Cell> {
        let shown = counts.shown();
        let people = match counts {
            Figure::Shown(c) => figure(c.people),
            Figure::Hidden(why) => text(why.reason("people")),
        };
        [text(name), people]
            .into_iter()
            .chain(METRICS.iter().map(|m| figure(shown.and_then(|c| value(*m, c)).map(|v| m.format(v)).unwrap_or_default())))
            .collect()
    };
    for unit in &report.units {
        csv.row(row(&unit.unit.name, &unit.counts));
    }
    csv.row(row("All units in scope", &report.total));
    Ok(csv.finish())
}

/// The committee accepts a proposed win (to announce) or dismisses it; either way it is not
/// proposed again. Only a win the dashboard proposes now can be decided.
pub async fn decide_win(db: &Db, by: &SessionUser, programme: &str, unit: &str, metric: Metric, decision: WinDecision) -> AppResult<()> {
    let report = report(db, programme).await?;
    let win = report
        .wins
        .iter()
        .find(|w| w.unit.id == unit && w.metric == metric && w.decision.is_none())
        .ok_or_else(|| AppError::NotFound("That proposed win".into()))?;
    db.query(
        "CREATE change_win SET programme = $p, unit = $unit, metric = $metric, value = $value, target = $target,
             decision = $decision, decided_by = $by, decided_on = $on",
    )
    .bind(("p", record("programme", programme)))
    .bind(("unit", record("unit", unit)))
    .bind(("metric", metric.key()))
    .bind(("value", win.value))
    .bind(("target", win.target))
    .bind(("decision", json(&decision)?))
    .bind(("by", record("person", &by.id)))
    .bind(("on", iso(today())))
    .await?
    .check()?;
    Ok(())
}
