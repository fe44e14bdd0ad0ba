//! Last year in the demo, settled: every appraisal rated, held and signed by both, two ratings
//! calibrated with their reasons, calibration locked, each unit's merit approved within its pool,
//! and the cycle closed. All of it goes through the same store functions and sync checks a person's
//! clicks go through.

use crate::appraisal::store as appraisal;
use crate::appraisal::types::{AgreedAction, Discussion, ManagerRating, RatingEvidence, RatingEvidenceKind, RatingsInput};
use crate::db::Db;
use crate::demo::{Cast, push};
use crate::error::{AppError, AppResult};
use crate::org::store::{people, units};
use crate::planning::store::plans as planning;
use crate::planning::types::{Cycle, Deadlines};
use crate::reward::store::{self as reward, MeritScope};
use crate::sync::protocol::Kind;

/// Two calibrations HR made last year: (person, rating moved by, reason).
const CALIBRATED: &[(&str, i8, &str)] = &[
    ("ravi.patel", 1, "Carried the North region's two largest renewals while a colleague was on leave; the KPIs undercount it."),
    ("isabel.costa", -1, "Against the unit's peers the deployment figures include a one-off migration done by the whole team."),
];

/// The development action agreed in each conversation, by how the person was rated against the
/// role: (title, kind).
const AGREED: [(&str, &str); 3] = [
    ("Pair with a senior colleague on the hardest cases each week", "mentoring"),
    ("Lead one cross-unit improvement this year", "stretch"),
    ("Take the next course on the competency that lagged", "training"),
];

/// Takes last year's cycle, planned and recorded, through appraisal to closed.
pub async fn settle(db: &Db, cycle: &Cycle) -> AppResult<()> {
    let year_end = crate::planning::rules::parse_date(&cycle.ends_on).ok_or(AppError::Internal)?;
    let day = |after: i64| crate::planning::rules::iso(year_end + time::Duration::days(after));
    planning::set_deadlines(db, &cycle.id, &Deadlines {
        plans_agreed_by: Some(crate::planning::rules::iso(year_end - time::Duration::days(300))),
        actuals_within_days: Some(10),
        self_assessment_by: Some(day(-10)),
        conversations_by: Some(day(20)),
        calibration_by: Some(day(30)),
        check_in_every_days: Some(30),
    })
    .await?;
    planning::advance_cycle(db, &cycle.id).await?;
    appraisal::open_for_cycle(db, &cycle.id).await?;

    let everyone = people::list(db, false).await?;
    let cast = Cast::load(db).await?;
    let hr = cast.get("amina.okafor")?;

    for plan in planning::plans_of_cycle(db, &cycle.id).await? {
        let person = everyone.iter().find(|p| p.id == plan.person_id).ok_or(AppError::Internal)?;
        let manager = cast.by_id(person.manager_id.as_deref().ok_or(AppError::Internal)?)?;
        let view = appraisal::preparation(db, manager, &person.id).await?.appraisal;
        // The KPI part sets how the competencies were rated: a person well past their targets
        // shows more of each competency than the role expects, one short of them less.
        let kpi = view.kpi_generated.as_ref().map_or(1.0, |p| p.score);
        let evidence = view.kpi_ids().into_iter().next().ok_or(AppError::Internal)?;
        let mut lagging = None;
        let ratings: Vec<ManagerRating> = view
            .competencies
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let expected = view.expected_level(c) as i8;
                let shift = match kpi {
                    k if k < 0.8 => -1,
                    k if k < 0.95 => -((i % 2) as i8),
                    k if k < 1.05 => 0,
                    k if k < 1.15 => (i % 3 == 0) as i8,
                    _ => 1,
                };
                let level = (expected + shift).clamp(1, 5) as u8;
                if shift < 0 {
                    lagging.get_or_insert(c.id.clone());
                }
                ManagerRating {
                    competency_id: c.id.clone(),
                    level,
                    evidence: RatingEvidence { kind: RatingEvidenceKind::Kpi, on: String::new(), reference: evidence.clone(), note: "The year's results on this KPI".into() },
                    justification: format!("{} shows it every quarter; see the KPI results and the check-in notes.", person.name),
                }
            })
            .collect();
        let potential = Some(if kpi >= 1.05 { 3 } else if kpi >= 0.9 { 2 } else { 1 });
        appraisal::save_ratings(db, manager, &person.id, RatingsInput { ratings, kpi_override: None, potential, submit: true }).await?;

        // The conversation, recorded and signed by the manager, then by the person.
        let (title, kind) = AGREED[if lagging.is_some() { 2 } else if kpi >= 1.05 { 1 } else { 0 }];
        let mut record = Discussion {
            person_id: person.id.clone(),
            manager_id: manager.id.clone(),
            cycle_id: cycle.id.clone(),
            step: 8,
            outcome: "agreed".into(),
            actions: vec![AgreedAction { title: title.into(), kind: kind.into(), target: lagging.unwrap_or_default(), due_on: day(180) }],
            manager_signed_on: day(8),
            ..Discussion::default()
        };
        let rev = push(db, manager, Kind::Discussion, &view.id, record.to_values(), None).await?;
        record.employee_signed_on = day(9);
        push(db, cast.by_id(&person.id)?, Kind::Discussion, &view.id, record.to_values(), Some(rev)).await?;
    }

    // Calibration, then the lock over the whole organisation.
    let all_units = units::list(db).await?;
    let root = all_units.iter().find(|u| u.parent_id.is_none()).ok_or(AppError::Internal)?;
    for (name, by, reason) in CALIBRATED {
        let person = everyone.iter().find(|p| p.email.starts_with(&format!("{name}@"))).ok_or(AppError::Internal)?;
        let view = appraisal::view(db, hr, &person.id, true).await?;
        let (rating, _) = view.settled_rating.ok_or(AppError::Internal)?;
        let after = (rating as i8 + by).clamp(1, 5) as u8;
        appraisal::calibrate(db, hr, &person.unit_id, &person.id, after, reason.to_string()).await?;
    }
    appraisal::lock(db, hr, &root.id).await?;

    // Merit: each unit approved, scaled to its pool first where the proposals exceed it.
    let scope = MeritScope::of_hr(db, hr).await?;
    for unit in reward::merit(db, &scope).await?.units {
        if unit.budget().over() {
            reward::scale(db, hr, &scope, &unit.unit_id).await?;
        }
        reward::approve(db, hr, &scope, &unit.unit_id).await?;
    }
    planning::advance_cycle(db, &cycle.id).await?;
    Ok(())
}
