use serde::Deserialize;
use surrealdb::types::RecordId;

use crate::db::{Db, ORG_WRITES, key_of, new_key, take_rows};
use crate::error::{AppError, AppResult};
use crate::org::rules::check_unit;
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

pub async fn save(db: &Db, input: UnitInput) -> AppResult<Unit> {
    let _writing = ORG_WRITES.lock().await;
    let units = list(db).await?;
    if let Some(id) = &input.id {
        if !units.iter().any(|u| &u.id == id) {
            return Err(AppError::NotFound("That unit".into()));
        }
    }
    let key = input.id.clone().unwrap_or_else(new_key);
    let unit = check_unit(&key, &input, &units).map_err(AppError::Invalid)?;
    db.query("UPSERT $id SET code = $code, name = $name, parent = $parent")
        .bind(("id", RecordId::new("unit", unit.id.clone())))
        .bind(("code", unit.code.clone()))
        .bind(("name", unit.name.clone()))
        .bind(("parent", unit.parent_id.clone().map(|p| RecordId::new("unit", p))))
        .await?
        .check()?;
    Ok(unit)
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
