//! Server-side sessions kept in SurrealDB, so they survive restarts and are shared by every
//! server instance that talks to the same database.

use async_trait::async_trait;
use surrealdb::types::RecordId;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

use crate::db::Db;

#[derive(Clone, Debug)]
pub struct SurrealSessionStore {
    db: Db,
}

impl SurrealSessionStore {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

fn record_id(id: &Id) -> RecordId {
    RecordId::new("session", format!("{:032x}", id.0 as u128))
}

fn backend(error: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

impl SurrealSessionStore {
    /// Writes a session with `CREATE` (fails when the id exists) or `UPDATE` (does nothing when the
    /// session was deleted meanwhile, so a request still in flight at sign-out cannot revive it).
    async fn write(&self, statement: &str, record: &Record) -> surrealdb::Result<()> {
        let data = serde_json::to_string(record).expect("a session record serialises");
        self.db
            .query(format!("{statement} $id CONTENT {{ data: $data, expires_at: $expires_at }} RETURN NONE"))
            .bind(("id", record_id(&record.id)))
            .bind(("data", data))
            .bind(("expires_at", record.expiry_date.unix_timestamp()))
            .await?
            .check()?;
        Ok(())
    }
}

#[async_trait]
impl SessionStore for SurrealSessionStore {
    /// A colliding random id is replaced, never shared.
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        loop {
            match self.write("CREATE", record).await {
                Err(error) if error.to_string().contains("already exists") => record.id = Id::default(),
                result => return result.map_err(backend),
            }
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.write("UPDATE", record).await.map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let mut response = self
            .db
            .query("SELECT VALUE data FROM ONLY $id WHERE expires_at > $now")
            .bind(("id", record_id(id)))
            .bind(("now", time::OffsetDateTime::now_utc().unix_timestamp()))
            .await
            .map_err(backend)?;
        let data: Option<String> = response.take(0).map_err(backend)?;
        data.map(|d| serde_json::from_str(&d).map_err(|e| session_store::Error::Decode(e.to_string())))
            .transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.db
            .query("DELETE $id")
            .bind(("id", record_id(id)))
            .await
            .and_then(|r| r.check())
            .map_err(backend)?;
        Ok(())
    }
}

#[async_trait]
impl ExpiredDeletion for SurrealSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        self.db
            .query("DELETE session WHERE expires_at <= $now")
            .bind(("now", time::OffsetDateTime::now_utc().unix_timestamp()))
            .await
            .and_then(|r| r.check())
            .map_err(backend)?;
        Ok(())
    }
}
