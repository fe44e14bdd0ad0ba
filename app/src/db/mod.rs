//! The database handle, the connection and the versioned schema migrations.


use surrealdb::engine::any::Any;
use surrealdb::opt::auth::Root;
use surrealdb::Surreal;

/// One database session shared by every request. Shared, not cloned: each clone of a `Surreal`
/// is a new database session, copied in the background on a bounded channel, and over `ws://` a
/// copy that does not arrive leaves a session without sign-in or namespace ("Method not allowed").
pub type Db = std::sync::Arc<Surreal<Any>>;

/// Organisation writes validate against what is stored, then write; one at a time, so two HR
/// administrators cannot each pass the checks and together break them (this server is one process).
pub(crate) static ORG_WRITES: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Plan and actual writes read the plan's actuals to store its summary; one at a time, so two
/// writers cannot each store a summary that misses the other's actuals.
pub(crate) static PLAN_WRITES: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Where the data lives: `surrealkv://data/line-of-sight.db` (embedded file), `mem://` (tests),
/// or `ws://host:port` (a SurrealDB server or cluster, with root credentials).
#[derive(Clone, Debug)]
pub struct DbSettings {
    pub url: String,
    pub namespace: String,
    pub database: String,
    pub user: Option<String>,
    pub password: Option<String>,
}

pub async fn connect(settings: &DbSettings) -> Result<Db, String> {
    let db = surrealdb::engine::any::connect(settings.url.as_str())
        .await
        .map_err(|e| format!("cannot open the database at {}: {e}", settings.url))?;
    if let (Some(user), Some(password)) = (&settings.user, &settings.password) {
        db.signin(Root { username: user.clone(), password: password.clone() })
            .await
            .map_err(|e| format!("cannot sign in to the database at {} as {user}: {e}", settings.url))?;
    }
    db.use_ns(settings.namespace.as_str())
        .use_db(settings.database.as_str())
        .await
        .map_err(|e| format!("cannot use namespace {} / database {}: {e}", settings.namespace, settings.database))?;
    Ok(std::sync::Arc::new(db))
}

/// A fresh in-memory database with the schema applied, for tests.
pub async fn in_memory() -> Db {
    let db = empty_in_memory().await;
    migrate(&db).await.expect("migrations apply");
    db
}

async fn empty_in_memory() -> Db {
    let settings = DbSettings {
        url: "mem://".into(),
        namespace: "test".into(),
        database: "test".into(),
        user: None,
        password: None,
    };
    connect(&settings).await.expect("in-memory database")
}

/// The schema, one file per version; a version once released is never edited, only followed.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "organisation", include_str!("../../migrations/0001_organisation.surql")),
    (2, "sessions", include_str!("../../migrations/0002_sessions.surql")),
    (3, "planning", include_str!("../../migrations/0003_planning.surql")),
    (4, "plan_summary_by_period", include_str!("../../migrations/0004_plan_summary_by_period.surql")),
    (5, "offline", include_str!("../../migrations/0005_offline.surql")),
    (6, "actual_entry", include_str!("../../migrations/0006_actual_entry.surql")),
    (7, "change", include_str!("../../migrations/0007_change.surql")),
    (8, "appraisal", include_str!("../../migrations/0008_appraisal.surql")),
    (9, "develop_reward", include_str!("../../migrations/0009_develop_reward.surql")),
    (10, "trust", include_str!("../../migrations/0010_trust.surql")),
    (11, "appraisal_weights", include_str!("../../migrations/0011_appraisal_weights.surql")),
    (12, "currency", include_str!("../../migrations/0012_currency.surql")),
    (13, "deadlines", include_str!("../../migrations/0013_deadlines.surql")),
    (14, "notifications", include_str!("../../migrations/0014_notifications.surql")),
    (15, "check_in_cadence", include_str!("../../migrations/0015_check_in_cadence.surql")),
    (16, "mail", include_str!("../../migrations/0016_mail.surql")),
];

/// Applies the migrations this database has not seen yet, each in its own transaction.
pub async fn migrate(db: &Db) -> Result<Vec<i64>, String> {
    apply(db, MIGRATIONS).await
}

async fn apply(db: &Db, migrations: &[(i64, &str, &str)]) -> Result<Vec<i64>, String> {
    db.query(
        "DEFINE TABLE IF NOT EXISTS migration SCHEMAFULL;
         DEFINE FIELD IF NOT EXISTS version ON migration TYPE int;
         DEFINE FIELD IF NOT EXISTS name ON migration TYPE string;
         DEFINE FIELD IF NOT EXISTS applied_at ON migration TYPE datetime;
         DEFINE INDEX IF NOT EXISTS migration_version ON migration FIELDS version UNIQUE;",
    )
    .await
    .and_then(|r| r.check())
    .map_err(|e| format!("cannot prepare the migrations table: {e}"))?;

    let mut response = db
        .query("SELECT VALUE version FROM migration ORDER BY version")
        .await
        .map_err(|e| format!("cannot read applied migrations: {e}"))?;
    let applied: Vec<i64> = response.take(0).map_err(|e| format!("cannot read applied migrations: {e}"))?;
    let known = migrations.last().map_or(0, |m| m.0);
    if let Some(newer) = applied.iter().find(|v| **v > known) {
        return Err(format!(
            "the database has schema version {newer}, newer than this build knows ({known}); run a newer build"
        ));
    }

    let mut newly = Vec::new();
    for (version, name, sql) in migrations.iter().filter(|m| !applied.contains(&m.0)) {
        let script = format!(
            "BEGIN TRANSACTION;\n{sql}\nCREATE migration SET version = $version, name = $name, applied_at = time::now();\nCOMMIT TRANSACTION;"
        );
        db.query(script)
            .bind(("version", *version))
            .bind(("name", name.to_string()))
            .await
            .and_then(|r| r.check())
            .map_err(|e| format!("migration {version} ({name}) failed, nothing of it was applied: {e}"))?;
        newly.push(*version);
    }
    Ok(newly)
}

/// A record id from its table and key.
pub(crate) fn record(table: &str, key: &str) -> surrealdb::types::RecordId {
    surrealdb::types::RecordId::new(table, key.to_owned())
}

/// The key of a record id as the browser sees it: `person:abc` becomes `abc`.
pub fn key_of(id: &str) -> String {
    let key = id.split_once(':').map_or(id, |(_, key)| key);
    // SurrealDB escapes keys that are not plain identifiers: `⟨a-b⟩` or `` `a-b` ``.
    key.trim_start_matches(['⟨', '`']).trim_end_matches(['⟩', '`']).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn migrations_apply_once_and_record_their_versions() {
        let db = in_memory().await;
        assert_eq!(migrate(&db).await.unwrap(), Vec::<i64>::new(), "a second run applies nothing");
        let mut r = db.query("SELECT VALUE version FROM migration ORDER BY version").await.unwrap();
        let versions: Vec<i64> = r.take(0).unwrap();
        assert_eq!(versions, MIGRATIONS.iter().map(|m| m.0).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn a_database_newer_than_the_build_is_refused() {
        let db = in_memory().await;
        db.query("CREATE migration SET version = 999, name = 'future', applied_at = time::now()")
            .await
            .unwrap();
        let error = migrate(&db).await.unwrap_err();
        assert!(error.contains("newer than this build"), "{error}");
    }

    #[tokio::test]
    async fn plan_summaries_of_version_3_are_grouped_by_period() {
        let db = empty_in_memory().await;
        apply(&db, &MIGRATIONS[..3]).await.unwrap();
        db.query(
            "CREATE plan_summary:a SET person = person:a, cycle = cycle:c, state = 'approved', score = 0.9,
                 progress = [{ period: 'Q2', achievement: 0.5 }, { period: 'Q1', achievement: 1.0 }, { period: '' }, { period: 'Q2', achievement: 0.75 }];
             CREATE plan_summary:b SET person = person:b, cycle = cycle:c, state = 'draft';",
        )
        .await
        .unwrap()
        .check()
        .unwrap();
        assert_eq!(migrate(&db).await.unwrap(), MIGRATIONS[3..].iter().map(|m| m.0).collect::<Vec<_>>());
        let mut r = db.query("SELECT score, latest, no_data FROM plan_summary ORDER BY id").await.unwrap();
        let rows: Vec<serde_json::Value> = r.take(0).unwrap();
        assert_eq!(
            rows,
            vec![
                serde_json::json!({ "score": 0.9, "no_data": 1, "latest": [
                    { "period": "Q2", "achievements": [0.5, 0.75] },
                    { "period": "Q1", "achievements": [1.0] },
                ] }),
                serde_json::json!({ "score": null, "latest": [], "no_data": 0 }),
            ]
        );
    }

    #[tokio::test]
    async fn cycles_of_version_10_get_their_starting_weights() {
        let db = empty_in_memory().await;
        apply(&db, &MIGRATIONS[..10]).await.unwrap();
        db.query(
            "CREATE cycle:fy SET name = 'FY', starts_on = '2026-07-01', ends_on = '2027-06-30', period_kind = 'quarter', state = 'appraisal';
             CREATE cycle:set SET name = 'Set', starts_on = '2025-07-01', ends_on = '2026-06-30', period_kind = 'quarter', state = 'closed';
             CREATE appraisal_weights:set SET kpi = 70.0, competency = 30.0;",
        )
        .await
        .unwrap()
        .check()
        .unwrap();
        migrate(&db).await.unwrap();
        let mut r = db.query("SELECT record::id(id) AS cycle, kpi, competency FROM appraisal_weights ORDER BY cycle").await.unwrap();
        let rows: Vec<serde_json::Value> = r.take(0).unwrap();
        assert_eq!(
            rows,
            vec![
                serde_json::json!({ "cycle": "fy", "kpi": 60.0, "competency": 40.0 }),
                serde_json::json!({ "cycle": "set", "kpi": 70.0, "competency": 30.0 }),
            ]
        );
    }

    #[test]
    fn keys_drop_the_table_and_brackets() {
        assert_eq!(key_of("person:abc"), "abc");
        assert_eq!(key_of("session:⟨a-b⟩"), "a-b");
        assert_eq!(key_of("sync_op:`op-1`"), "op-1");
        assert_eq!(key_of("abc"), "abc");
    }
}

/// Rows of statement `index` as plain serde types (record ids arrive as `table:key` strings).
pub(crate) fn take_rows<T: serde::de::DeserializeOwned>(
    response: &mut surrealdb::IndexedResults,
    index: usize,
) -> crate::error::AppResult<Vec<T>> {
    let rows: Vec<serde_json::Value> = response.take(index)?;
    rows.into_iter()
        .map(|row| {
            serde_json::from_value(row).map_err(|error| {
                tracing::error!(%error, "unexpected row shape");
                crate::error::AppError::Internal
            })
        })
        .collect()
}

/// A serde value for a query parameter.
pub(crate) fn json(value: &impl serde::Serialize) -> crate::error::AppResult<serde_json::Value> {
    serde_json::to_value(value).map_err(|_| crate::error::AppError::Internal)
}

/// A new random record key (letters and digits, so it needs no escaping anywhere).
pub fn new_key() -> String {
    use rand::distributions::{Alphanumeric, DistString};
    Alphanumeric.sample_string(&mut rand::thread_rng(), 20).to_lowercase()
}
