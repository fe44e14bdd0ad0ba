use std::collections::{HashMap, HashSet};

use crate::org::store::{people, units};
use crate::db::Db;
use crate::error::AppResult;
use crate::auth::types::{Role, SessionUser};
use crate::org::types::HomeSummary;
use crate::org::types::{OrgOverview, UnitHeadcount};

/// Head counts per unit: what the change committee may see of the people.
pub async fn overview(db: &Db) -> AppResult<OrgOverview> {
    let everyone = people::list(db, true).await?;
    let managers: HashSet<&str> =
        everyone.iter().filter(|p| p.active).filter_map(|p| p.manager_id.as_deref()).collect();
    let mut per_unit: HashMap<&str, (u32, u32)> = HashMap::new();
    for p in everyone.iter().filter(|p| p.active) {
        let entry = per_unit.entry(p.unit_id.as_str()).or_default();
        entry.0 += 1;
        if managers.contains(p.id.as_str()) {
            entry.1 += 1;
        }
    }
    let units = units::list(db).await?;
    let active = everyone.iter().filter(|p| p.active).count() as u32;
    Ok(OrgOverview {
        units: units
            .into_iter()
            .map(|unit| {
                let (active_people, managers) = per_unit.get(unit.id.as_str()).copied().unwrap_or_default();
                UnitHeadcount { unit, active_people, managers }
            })
            .collect(),
        active_people: active,
        inactive_people: everyone.len() as u32 - active,
    })
}

/// The home page of `user`: their record, their team if they manage, head counts if the policy
/// lets them see those (`with_overview`).
pub async fn home(db: &Db, user: SessionUser, with_overview: bool) -> AppResult<HomeSummary> {
    let me = people::get(db, &user.id).await?;
    let team = if user.has(Role::Manager) { people::reporting_line(db, &user.id).await? } else { Vec::new() };
    let overview = if with_overview { Some(overview(db).await?) } else { None };
    Ok(HomeSummary { user, me, team, overview })
}
