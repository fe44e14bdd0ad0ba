use serde::Deserialize;
use surrealdb::types::RecordId;

use crate::db::{Db, ORG_WRITES, key_of, new_key, take_rows};
use crate::error::{AppError, AppResult};
use crate::error::FieldError;
use crate::org::types::{Unit, UnitInput};

#[derive(Deserialize)]
struct UnitRow {
    id: String,
    code: String,
    name: String,
    parent: Option<String>,
}

impl From<UnitRow> for Unit {
    fn from(row: UnitRow) -> Self {
        Unit { id: key_of(&row.id), code: row.code, name: row.name, parent_id: row.parent.as_deref().map(key_of) }
    }
}

pub async fn list(db: &Db) -> AppResult<Vec<Unit>> {
    let mut response = db.query("SELECT id, code, name, parent FROM unit ORDER BY name").await?;
    Ok(take_rows::<UnitRow>(&mut response, 0)?.into_iter().map(Unit::from).collect())
}

/// Normalises a unit code: trimmed and upper case; letters, digits and dashes.
pub fn normalise_code(code: &str) -> Result<String, String> {
    let code = code.trim().to_uppercase();
    if code.is_empty() || code.len() > 32 {
        return Err("Give a code of 1 to 32 characters, e.g. SALES-N.".into());
    }
    if !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err("Use only letters, digits, '-' and '_' in the code.".into());
    }
    Ok(code)
}

pub async fn save(db: &Db, input: UnitInput) -> AppResult<Unit> {
    let _writing = ORG_WRITES.lock().await;
    let units = list(db).await?;
    let mut errors = Vec::new();
    let code = normalise_code(&input.code).map_err(|m| errors.push(FieldError::new("code", m))).ok();
    let name = input.name.trim().to_owned();
    if name.is_empty() {
        errors.push(FieldError::new("name", "Give the unit a name."));
    }
    errors.extend(crate::limits::check_text("name", "the unit's name", &name, crate::limits::NAME).err());
    if let Some(code) = &code {
        if units.iter().any(|u| &u.code == code && Some(&u.id) != input.id.as_ref()) {
            errors.push(FieldError::new("code", format!("Another unit already uses the code {code}.")));
        }
    }
    if let Some(id) = &input.id {
        if !units.iter().any(|u| &u.id == id) {
            return Err(AppError::NotFound("That unit".into()));
        }
    }
    if let Some(parent) = &input.parent_id {
        if !units.iter().any(|u| &u.id == parent) {
            errors.push(FieldError::new("parent_id", "Pick a parent unit from the list."));
        } else if let Some(id) = &input.id {
            // Walking up from the new parent must not reach the unit itself.
            let mut cursor = Some(parent.clone());
            while let Some(current) = cursor {
                if &current == id {
                    errors.push(FieldError::new("parent_id", "A unit cannot sit under itself or one of its own sub-units."));
                    break;
                }
                cursor = units.iter().find(|u| u.id == current).and_then(|u| u.parent_id.clone());
            }
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let key = input.id.unwrap_or_else(new_key);
    db.query("UPSERT $id SET code = $code, name = $name, parent = $parent")
        .bind(("id", RecordId::new("unit", key.clone())))
        .bind(("code", code.clone().unwrap_or_default()))
        .bind(("name", name.clone()))
        .bind(("parent", input.parent_id.clone().map(|p| RecordId::new("unit", p))))
        .await?
        .check()?;
    Ok(Unit { id: key, code: code.unwrap_or_default(), name, parent_id: input.parent_id })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(code: &str, name: &str, parent: Option<&str>) -> UnitInput {
        UnitInput { id: None, code: code.into(), name: name.into(), parent_id: parent.map(Into::into) }
    }

    #[tokio::test]
    async fn units_form_a_tree_without_loops_or_duplicate_codes() {
        let db = crate::db::in_memory().await;
        let hq = save(&db, input("hq", "Head office", None)).await.unwrap();
        assert_eq!(hq.code, "HQ");
        let sales = save(&db, input("SALES", "Sales", Some(&hq.id))).await.unwrap();

        let duplicate = save(&db, input("SALES", "Sales again", None)).await.unwrap_err();
        assert!(duplicate.field_message("code").unwrap().contains("already uses"));

        let looped = save(&db, UnitInput { id: Some(hq.id.clone()), parent_id: Some(sales.id.clone()), ..input("HQ", "Head office", None) })
            .await
            .unwrap_err();
        assert!(looped.field_message("parent_id").is_some());

        let units = list(&db).await.unwrap();
        assert_eq!(units.len(), 2);
        assert_eq!(units.iter().find(|u| u.code == "SALES").unwrap().parent_id.as_deref(), Some(hq.id.as_str()));
    }
}
