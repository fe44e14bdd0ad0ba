//! The competency framework: competencies with behaviourally anchored levels, and role profiles.

use serde::Deserialize;
use surrealdb::types::RecordId;

use crate::db::{Db, key_of, new_key, take_rows};
use crate::error::{AppError, AppResult};
use crate::planning::competency_rules::{check_competency, check_role_profile};
use crate::planning::types::{Competency, CompetencyFramework, ProficiencyLevel, RoleProfile};

pub async fn framework(db: &Db) -> AppResult<CompetencyFramework> {
    #[derive(Deserialize)]
    struct Expected {
        competency: String,
        level: u8,
    }
    #[derive(Deserialize)]
    struct ProfileRow {
        job_title: String,
        expected: Vec<Expected>,
    }
    let mut response = db
        .query(
            "SELECT id, name, description, levels FROM competency ORDER BY name;
             SELECT job_title, expected FROM role_profile ORDER BY job_title;",
        )
        .await?;
    let mut competencies: Vec<Competency> = take_rows(&mut response, 0)?;
    competencies.iter_mut().for_each(|c| c.id = key_of(&c.id));
    let profiles = take_rows::<ProfileRow>(&mut response, 1)?
        .into_iter()
        .map(|p| RoleProfile {
            job_title: p.job_title,
            expected: p.expected.into_iter().map(|e| (key_of(&e.competency), e.level)).collect(),
        })
        .collect();
    Ok(CompetencyFramework { competencies, profiles })
}

pub async fn save(db: &Db, competency: Competency) -> AppResult<Competency> {
    check_competency(&competency, &framework(db).await?.competencies).map_err(AppError::Invalid)?;
    let key = if competency.id.is_empty() { new_key() } else { competency.id.clone() };
    let levels: Vec<ProficiencyLevel> = competency
        .levels
        .into_iter()
        .map(|l| ProficiencyLevel {
            level: l.level,
            name: l.name.trim().to_owned(),
            indicators: l.indicators.into_iter().map(|b| b.trim().to_owned()).filter(|b| !b.is_empty()).collect(),
        })
        .collect();
    db.query("UPSERT $id SET name = $name, description = $description, levels = $levels")
        .bind(("id", RecordId::new("competency", key.clone())))
        .bind(("name", competency.name.trim().to_owned()))
        .bind(("description", competency.description.trim().to_owned()))
        .bind(("levels", serde_json::to_value(&levels).map_err(|_| AppError::Internal)?))
        .await?
        .check()?;
    Ok(Competency { id: key, name: competency.name.trim().to_owned(), description: competency.description.trim().to_owned(), levels })
}

pub async fn save_profile(db: &Db, profile: RoleProfile) -> AppResult<RoleProfile> {
    let job_title = check_role_profile(&profile, &framework(db).await?.competencies)?;
    let expected: Vec<serde_json::Value> =
        profile.expected.iter().map(|(id, level)| serde_json::json!({ "competency": id, "level": level })).collect();
    db.query("UPSERT $id SET job_title = $job_title, expected = $expected")
    .bind(("id", RecordId::new("role_profile", job_title.clone())))
    .bind(("job_title", job_title))
    .bind(("expected", expected))
    .await?
    .check()?;
    Ok(profile)
}
