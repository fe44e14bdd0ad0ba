use std::collections::HashMap;

use serde::Deserialize;
use surrealdb::types::RecordId;

use crate::db::{Db, ORG_WRITES, key_of, new_key, record, take_rows};
use crate::org::store::units;
use crate::error::{AppError, AppResult};
use crate::org::people_types::{Colleague, ImportSummary, Person, PersonInput, TeamMember};
use crate::auth::types::{Role, SessionUser};
use crate::org::rules::{Member, check_person_change};
use crate::org::people_csv;

const FIELDS: &str = "id, email, name, job_title, unit, unit.name AS unit_name, manager, \
    manager.name AS manager_name, roles, active, password_hash != NONE AS can_sign_in";

#[derive(Deserialize)]
struct PersonRow {
    id: String,
    email: String,
    name: String,
    job_title: String,
    unit: String,
    unit_name: Option<String>,
    manager: Option<String>,
    manager_name: Option<String>,
    roles: Vec<String>,
    active: bool,
    can_sign_in: bool,
}

impl From<PersonRow> for Person {
    fn from(row: PersonRow) -> Self {
        Person {
            id: key_of(&row.id),
            email: row.email,
            name: row.name,
            job_title: row.job_title,
            unit_id: key_of(&row.unit),
            unit_name: row.unit_name.unwrap_or_default(),
            manager_id: row.manager.as_deref().map(key_of),
            manager_name: row.manager_name,
            roles: row.roles.iter().filter_map(|r| Role::parse_granted(r).ok()).collect(),
            active: row.active,
            can_sign_in: row.can_sign_in,
        }
    }
}

fn person_id(key: &str) -> RecordId {
    RecordId::new("person", key.to_owned())
}

pub async fn list(db: &Db, include_inactive: bool) -> AppResult<Vec<Person>> {
    let filter = if include_inactive { "" } else { "WHERE active = true" };
    let mut response = db.query(format!("SELECT {FIELDS} FROM person {filter} ORDER BY name")).await?;
    Ok(take_rows::<PersonRow>(&mut response, 0)?.into_iter().map(Person::from).collect())
}

pub async fn get(db: &Db, key: &str) -> AppResult<Person> {
    let mut response = db.query(format!("SELECT {FIELDS} FROM ONLY $id")).bind(("id", person_id(key))).await?;
    let row: Option<serde_json::Value> = response.take(0)?;
    match row {
        Some(row) if !row.is_null() => serde_json::from_value::<PersonRow>(row).map(Person::from).map_err(|error| {
            tracing::error!(%error, "unexpected person row");
            AppError::Internal
        }),
        _ => Err(AppError::NotFound("That person".into())),
    }
}

/// What sign-in needs to know of an account.
pub struct Credentials {
    pub key: String,
    pub password_hash: Option<String>,
    pub active: bool,
    pub session_epoch: i64,
}

pub async fn credentials(db: &Db, email: &str) -> AppResult<Option<Credentials>> {
    #[derive(Deserialize)]
    struct Row {
        id: String,
        password_hash: Option<String>,
        active: bool,
        session_epoch: i64,
    }
    let mut response = db
        .query("SELECT id, password_hash, active, session_epoch FROM person WHERE email = $email LIMIT 1")
        .bind(("email", email.trim().to_lowercase()))
        .await?;
    Ok(take_rows::<Row>(&mut response, 0)?
        .pop()
        .map(|r| Credentials { key: key_of(&r.id), password_hash: r.password_hash, active: r.active, session_epoch: r.session_epoch }))
}

/// The signed-in person with their effective roles and session epoch, or `None` when they are
/// gone or inactive.
pub async fn session_user(db: &Db, key: &str) -> AppResult<Option<(SessionUser, i64)>> {
    let person = match get(db, key).await {
        Ok(p) if p.active => p,
        Ok(_) | Err(AppError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut response = db
        .query(
            "SELECT VALUE id FROM person WHERE manager = $id AND active = true LIMIT 1;
             SELECT VALUE session_epoch FROM ONLY $id;",
        )
        .bind(("id", person_id(key)))
        .await?;
    let reports: Vec<serde_json::Value> = response.take(0)?;
    let epoch: Option<i64> = response.take(1)?;
    let mut roles = vec![Role::Employee];
    if !reports.is_empty() {
        roles.push(Role::Manager);
    }
    roles.extend(person.roles.iter().copied());
    let user = SessionUser { id: person.id, name: person.name, email: person.email, job_title: person.job_title, roles };
    Ok(Some((user, epoch.unwrap_or_default())))
}

/// How deep a reporting line is followed, up or down (far beyond any real organisation).
const MAX_DEPTH: u32 = 64;

/// How many levels `manager` is above `person` in the reporting line (1: their manager), if at all.
pub async fn levels_above(db: &Db, manager: &str, person: &str) -> AppResult<Option<u32>> {
    let mut cursor = person.to_owned();
    for depth in 1..=MAX_DEPTH {
        let mut response = db.query("SELECT VALUE manager FROM ONLY $id").bind(("id", person_id(&cursor))).await?;
        let above: Option<String> = response.take::<Option<serde_json::Value>>(0)?.and_then(|v| v.as_str().map(key_of));
        match above {
            Some(above) if above == manager => return Ok(Some(depth)),
            Some(above) => cursor = above,
            None => return Ok(None),
        }
    }
    Ok(None)
}

/// Whether anyone in `manager`'s reporting line works in `unit` or a unit below it.
pub async fn line_within(db: &Db, manager: &str, unit: &str) -> AppResult<bool> {
    let within = crate::org::types::subtree(&crate::org::store::units::list(db).await?, unit);
    Ok(reporting_line(db, manager).await?.iter().any(|m| within.contains(&m.person.unit_id)))
}

/// The manager now of each person named (none for someone without one, or unknown).
pub async fn managers_of(db: &Db, people: &[String]) -> AppResult<HashMap<String, Option<String>>> {
    let ids: Vec<_> = people.iter().map(|p| person_id(p)).collect();
    let mut response = db.query("SELECT id, manager FROM $ids").bind(("ids", ids)).await?;
    let rows: Vec<serde_json::Value> = response.take(0)?;
    Ok(rows
        .iter()
        .map(|row| (key_of(row["id"].as_str().unwrap_or_default()), row["manager"].as_str().map(key_of)))
        .collect())
}

/// A person's manager and their active direct reports.
pub async fn line_of(db: &Db, person: &str) -> AppResult<(Option<String>, Vec<String>)> {
    let mut response = db
        .query("SELECT VALUE manager FROM ONLY $id; SELECT VALUE id FROM person WHERE manager = $id AND active = true ORDER BY name;")
        .bind(("id", person_id(person)))
        .await?;
    let manager: Option<serde_json::Value> = response.take(0)?;
    let reports: Vec<serde_json::Value> = response.take(1)?;
    Ok((manager.and_then(|m| m.as_str().map(key_of)), reports.iter().filter_map(|r| r.as_str().map(key_of)).collect()))
}

/// Everyone active below `manager`, level by level.
pub async fn reporting_line(db: &Db, manager: &str) -> AppResult<Vec<TeamMember>> {
    let mut team = Vec::new();
    let mut level = vec![person_id(manager)];
    for depth in 1..=MAX_DEPTH {
        let mut response = db
            .query(format!("SELECT {FIELDS} FROM person WHERE manager IN $ids AND active = true ORDER BY name"))
            .bind(("ids", level))
            .await?;
        let people: Vec<Person> = take_rows::<PersonRow>(&mut response, 0)?.into_iter().map(Person::from).collect();
        if people.is_empty() {
            break;
        }
        level = people.iter().map(|p| person_id(&p.id)).collect();
        team.extend(people.into_iter().map(|person| TeamMember { person, depth }));
    }
    Ok(team)
}

/// Everyone, as the organisation's rules see them.
async fn members(db: &Db) -> AppResult<Vec<Member>> {
    #[derive(Deserialize)]
    struct Row {
        id: String,
        email: String,
        manager: Option<String>,
        active: bool,
        roles: Vec<String>,
    }
    let mut response = db.query("SELECT id, email, manager, active, roles FROM person").await?;
    Ok(take_rows::<Row>(&mut response, 0)?
        .into_iter()
        .map(|r| Member {
            key: key_of(&r.id),
            email: r.email,
            manager_key: r.manager.as_deref().map(key_of),
            active: r.active,
            hr_admin: r.roles.iter().any(|role| role == Role::HrAdmin.as_str()),
        })
        .collect())
}

pub async fn save(db: &Db, input: PersonInput) -> AppResult<Person> {
    let _writing = ORG_WRITES.lock().await;
    let members = members(db).await?;
    let units = units::list(db).await?;
    let key = input.id.clone().unwrap_or_else(new_key);
    if input.id.is_some() && !members.iter().any(|p| p.key == key) {
        return Err(AppError::NotFound("That person".into()));
    }
    let unit_ids: Vec<&str> = units.iter().map(|u| u.id.as_str()).collect();
    let email = check_person_change(&key, &input, members, &unit_ids).map_err(AppError::Invalid)?;
    let roles: Vec<String> = input.roles.iter().filter(|r| Role::GRANTED.contains(r)).map(|r| r.as_str().to_owned()).collect();
    db.query(
        "UPSERT $id SET email = $email, name = $name, job_title = $job_title, unit = $unit, \
         manager = $manager, roles = $roles, active = $active",
    )
    .bind(("id", person_id(&key)))
    .bind(("email", email))
    .bind(("name", input.name.trim().to_owned()))
    .bind(("job_title", input.job_title.trim().to_owned()))
    .bind(("unit", RecordId::new("unit", input.unit_id.clone())))
    .bind(("manager", input.manager_id.as_deref().map(person_id)))
    .bind(("roles", roles))
    .bind(("active", input.active))
    .await?
    .check()?;
    get(db, &key).await
}

/// Password writes of this process, one at a time (the conditional write below covers several
/// processes: a conflict there is an error, never two winners).
static PASSWORD_WRITES: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Sets a new password hash and moves the session epoch on (ending older sessions); returns it.
pub async fn set_password_hash(db: &Db, key: &str, hash: String) -> AppResult<i64> {
    let _writing = PASSWORD_WRITES.lock().await;
    let mut response = db
        .query("UPDATE ONLY $id SET password_hash = $hash, session_epoch += 1 RETURN VALUE session_epoch")
        .bind(("id", person_id(key)))
        .bind(("hash", hash))
        .await?;
    let epoch: Option<i64> = response.take(0)?;
    epoch.ok_or_else(|| AppError::NotFound("That person".into()))
}

/// Like `set_password_hash`, but only while the session epoch is still `checked` (no password
/// was set since the caller checked the current one); `None` when it moved on.
pub async fn replace_password_hash(db: &Db, key: &str, checked: i64, hash: String) -> AppResult<Option<i64>> {
    let _writing = PASSWORD_WRITES.lock().await;
    let mut response = db
        .query("UPDATE $id SET password_hash = $hash, session_epoch += 1 WHERE session_epoch = $checked RETURN VALUE session_epoch")
        .bind(("id", person_id(key)))
        .bind(("hash", hash))
        .bind(("checked", checked))
        .await?;
    let epochs: Vec<i64> = response.take(0)?;
    Ok(epochs.into_iter().next())
}

/// The stored password hash and the session epoch it belongs to.
pub async fn password_hash(db: &Db, key: &str) -> AppResult<(Option<String>, i64)> {
    #[derive(Deserialize)]
    struct Row {
        password_hash: Option<String>,
        session_epoch: i64,
    }
    let mut response = db.query("SELECT password_hash, session_epoch FROM $id").bind(("id", person_id(key))).await?;
    let row = take_rows::<Row>(&mut response, 0)?.pop().ok_or_else(|| AppError::NotFound("That person".into()))?;
    Ok((row.password_hash, row.session_epoch))
}

/// Validates the whole file, then writes every row in one transaction, or nothing.
pub async fn import_csv(db: &Db, text: &str) -> AppResult<ImportSummary> {
    let _writing = ORG_WRITES.lock().await;
    let units = units::list(db).await?;
    let members = members(db).await?;
    let plan = people_csv::plan_import(text, &units, &members, new_key).map_err(AppError::CsvRejected)?;
    let rows: Vec<serde_json::Value> = plan
        .iter()
        .map(|r| {
            let p = &r.person;
            serde_json::json!({
                "key": r.key(), "email": p.email, "name": p.name.trim(), "job_title": p.job_title.trim(),
                "unit": p.unit_id, "manager": p.manager_id,
                "roles": p.roles.iter().map(|role| role.as_str()).collect::<Vec<_>>(), "active": p.active,
            })
        })
        .collect();
    // Managers are linked in a second pass, once every person in the file exists.
    db.query(
        "BEGIN TRANSACTION;
         FOR $r IN $rows {
             UPSERT type::record('person', $r.key) SET email = $r.email, name = $r.name,
                 job_title = $r.job_title, unit = type::record('unit', $r.unit), roles = $r.roles,
                 active = $r.active RETURN NONE;
         };
         FOR $r IN $rows {
             UPDATE type::record('person', $r.key)
                 SET manager = IF $r.manager != NONE AND $r.manager != NULL { type::record('person', $r.manager) } ELSE { NONE }
                 RETURN NONE;
         };
         COMMIT TRANSACTION;",
    )
    .bind(("rows", rows))
    .await?
    .check()?;
    let created = plan.iter().filter(|r| r.is_new).count();
    Ok(ImportSummary { created, updated: plan.len() - created })
}

pub async fn export_csv(db: &Db) -> AppResult<String> {
    let people = list(db, true).await?;
    let units = units::list(db).await?;
    Ok(people_csv::export(&people, &units))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::types::UnitInput;

    /// The app's email rule and the schema's ASSERT agree on addresses people really have.
    #[tokio::test]
    async fn unusual_but_valid_emails_are_stored() {
        let db = crate::db::in_memory().await;
        let unit = units::save(&db, UnitInput { id: None, code: "HQ".into(), name: "Head office".into(), parent_id: None })
            .await
            .unwrap();
        for email in ["o'neil+hr@mail.example.co.uk", "ANN.LEE@Example.COM", "x_y-z@sub-domain.example.org"] {
            let input = PersonInput {
                email: email.into(),
                name: "Someone".into(),
                job_title: "Analyst".into(),
                unit_id: unit.id.clone(),
                ..PersonInput::default()
            };
            let saved = save(&db, input).await.unwrap_or_else(|e| panic!("{email}: {e:?}"));
            assert_eq!(saved.email, email.to_lowercase());
        }
    }
}

/// Everyone one may give feedback to or ask it of: active people but oneself, by name.
pub async fn colleagues(db: &Db, me: &str) -> AppResult<Vec<Colleague>> {
    let mut response = db
        .query("SELECT id, name, job_title, unit.name AS unit_name FROM person WHERE active = true AND id != $me ORDER BY name")
        .bind(("me", record("person", me)))
        .await?;
    let mut people: Vec<Colleague> = take_rows(&mut response, 0)?;
    people.iter_mut().for_each(|p| p.id = key_of(&p.id));
    Ok(people)
}
