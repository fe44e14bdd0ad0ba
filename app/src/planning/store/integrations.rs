//! Integrations: other systems that push actuals through the JSON API, each with its own token.
//! Only a hash of a token is stored; the token itself is shown once, when issued.

use rand::distributions::{Alphanumeric, DistString};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use surrealdb::types::RecordId;

use crate::db::{Db, key_of, new_key, take_rows};
use crate::error::{AppError, AppResult};
use crate::planning::competency_rules::check_integration_name;
use crate::planning::types::{Integration, IssuedToken};
use crate::auth::types::SessionUser;

const TOKEN_PREFIX: &str = "los_";

fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn record(key: &str) -> RecordId {
    RecordId::new("integration", key.to_owned())
}

#[derive(Deserialize)]
struct Row {
    id: String,
    name: String,
    created_at: String,
    last_used_at: Option<String>,
    active: bool,
}

impl From<Row> for Integration {
    fn from(r: Row) -> Self {
        Integration { id: key_of(&r.id), name: r.name, created_at: r.created_at, last_used_at: r.last_used_at, active: r.active }
    }
}

const FIELDS: &str = "id, name, active, time::format(created_at, '%Y-%m-%d %H:%M') AS created_at, \
    IF last_used_at { time::format(last_used_at, '%Y-%m-%d %H:%M') } ELSE { NONE } AS last_used_at";

pub async fn list(db: &Db) -> AppResult<Vec<Integration>> {
    let mut response = db.query(format!("SELECT {FIELDS} FROM integration ORDER BY name")).await?;
    Ok(take_rows::<Row>(&mut response, 0)?.into_iter().map(Integration::from).collect())
}

pub async fn issue(db: &Db, by: &SessionUser, name: &str) -> AppResult<IssuedToken> {
    let name = check_integration_name(name)?;
    let token = format!("{TOKEN_PREFIX}{}", Alphanumeric.sample_string(&mut rand::thread_rng(), 40));
    let key = new_key();
    db.query("CREATE $id SET name = $name, token_hash = $hash, created_by = $by")
        .bind(("id", record(&key)))
        .bind(("name", name.to_owned()))
        .bind(("hash", hash(&token)))
        .bind(("by", RecordId::new("person", by.id.clone())))
        .await?
        .check()?;
    let integration = list(db).await?.into_iter().find(|i| i.id == key).ok_or(AppError::Internal)?;
    Ok(IssuedToken { integration, token })
}

pub async fn revoke(db: &Db, key: &str) -> AppResult<()> {
    let mut response = db.query("UPDATE $id SET active = false RETURN VALUE id").bind(("id", record(key))).await?;
    let updated: Vec<serde_json::Value> = response.take(0)?;
    if updated.is_empty() {
        return Err(AppError::NotFound("That integration".into()));
    }
    Ok(())
}

/// The active integration a bearer token belongs to, marking it used.
pub async fn by_token(db: &Db, token: &str) -> AppResult<Option<Integration>> {
    if !token.starts_with(TOKEN_PREFIX) {
        return Ok(None);
    }
    let mut response = db
        .query(format!(
            "UPDATE integration SET last_used_at = time::now() WHERE token_hash = $hash AND active = true RETURN {FIELDS}"
        ))
        .bind(("hash", hash(token)))
        .await?;
    Ok(take_rows::<Row>(&mut response, 0)?.pop().map(Integration::from))
}
