//! The demo organisation seeded into an empty database.

mod activity;
mod history;
mod planning;
pub mod seed;

use std::collections::HashMap;

use crate::auth::types::SessionUser;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::sync::protocol::{Kind, Op, Outcome, RecordRef, Values};

/// The demo's people by their email's name (`sam.taylor`), as signing in makes them.
struct Cast(HashMap<String, SessionUser>);

impl Cast {
    async fn load(db: &Db) -> AppResult<Cast> {
        let mut cast = HashMap::new();
        for p in crate::org::store::people::list(db, false).await? {
            let (user, _) = crate::org::store::people::session_user(db, &p.id).await?.ok_or(AppError::Internal)?;
            cast.insert(p.email.split('@').next().unwrap_or_default().to_owned(), user);
        }
        Ok(Cast(cast))
    }

    fn get(&self, name: &str) -> AppResult<&SessionUser> {
        self.0.get(name).ok_or(AppError::Internal)
    }

    fn by_id(&self, id: &str) -> AppResult<&SessionUser> {
        self.0.values().find(|u| u.id == id).ok_or(AppError::Internal)
    }

    /// Everyone's names, sorted, so what is dealt out by position is the same on every start.
    fn names(&self) -> Vec<&String> {
        let mut names: Vec<&String> = self.0.keys().collect();
        names.sort();
        names
    }
}

/// Sends one edit from the writer's phone, as the page would, having seen the record at revision
/// `seen`; the sync checks it as any other. Gives the revision it was applied at.
async fn push(db: &Db, writer: &SessionUser, kind: Kind, id: &str, set: Values, seen: Option<u64>) -> AppResult<u64> {
    let base = seen.map(|rev| set.keys().map(|k| (k.clone(), rev)).collect()).unwrap_or_default();
    let op = Op { id: format!("demo-op-{id}-{}", seen.unwrap_or(0)), device: "demo-seed-device".into(), record: RecordRef::new(kind, id), base, set, delete: false };
    match crate::offline::store::sync::push(db, writer, vec![op]).await?.outcomes.into_iter().next().map(|(_, o)| o) {
        Some(Outcome::Applied { rev }) => Ok(rev),
        other => {
            tracing::error!("a demo {} was not applied: {other:?}", kind.table());
            Err(AppError::Internal)
        }
    }
}
