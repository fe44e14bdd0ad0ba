//! The competency framework: competencies with behaviourally anchored levels, and role profiles.

use serde::Deserialize;
use surrealdb::types::RecordId;

use crate::db::{Db, key_of, new_key, take_rows};
use crate::error::{AppError, AppResult};
use crate::planning::types::{Competency, CompetencyFramework, ProficiencyLevel, RoleProfile};
use crate::error::FieldError;

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

/// What a competency must have: a name, and 4 or 5 levels numbered from 1, each named and anchored
/// by at least one observable behaviour.
pub fn check(competency: &Competency) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if competency.name.trim().is_empty() {
        errors.push(FieldError::new("name", "Name the competency."));
    }
    errors.extend(crate::limits::check_text("name", "the name", &competency.name, crate::limits::COMPETENCY_NAME).err());
    if !(4..=5).contains(&competency.levels.len()) {
        errors.push(FieldError::new("levels", "Describe 4 or 5 proficiency levels."));
    }
    for (i, level) in competency.levels.iter().enumerate() {
        if usize::from(level.level) != i + 1 {
            errors.push(FieldError::new("levels", format!("Number the levels 1, 2, 3… (level {} is out of order).", i + 1)));
        }
        if level.name.trim().is_empty() || level.indicators.iter().all(|b| b.trim().is_empty()) {
            errors.push(FieldError::new(&format!("level-{}", i + 1), "Name the level and describe at least one behaviour that shows it."));
        }
    }
    errors
}

pub async fn save(db: &Db, competency: Competency) -> AppResult<Competency> {
    let mut errors = check(&competency);
    let key = if competency.id.is_empty() { new_key() } else { competency.id.clone() };
    let name = competency.name.trim().to_lowercase();
    if framework(db).await?.competencies.iter().any(|c| c.id != key && c.name.to_lowercase() == name) {
        errors.push(FieldError::new("name", format!("Another competency is called {}: give this one its own name.", competency.name.trim())));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
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
    if profile.job_title.trim().is_empty() {
        return Err(AppError::invalid("job_title", "Say which job title the profile is for."));
    }
    let known = framework(db).await?.competencies;
    if let Some((id, level)) = profile.expected.iter().find(|(id, level)| {
        !known.iter().any(|c| &c.id == id && usize::from(*level) <= c.levels.len() && *level >= 1)
    }) {
        return Err(AppError::invalid("expected", format!("Level {level} of competency '{id}' does not exist.")));
    }
    let expected: Vec<serde_json::Value> =
        profile.expected.iter().map(|(id, level)| serde_json::json!({ "competency": id, "level": level })).collect();
    let job_title = profile.job_title.trim().to_owned();
    db.query("UPSERT $id SET job_title = $job_title, expected = $expected")
    .bind(("id", RecordId::new("role_profile", job_title.clone())))
    .bind(("job_title", job_title))
    .bind(("expected", expected))
    .await?
    .check()?;
    Ok(profile)
}
