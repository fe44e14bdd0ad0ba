//! Server functions of the offline sync and of feedback: thin, each authorizes and calls `db`.
//! Every queued operation of a push is checked again in `crate::offline::store::sync::push` (`offline::rules`).

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::error::AppError;
use crate::org::people_types::Colleague;
use crate::offline::types::{FeedbackLine, SelfAssessment};
use crate::offline::snapshot::OfflineSnapshot;
use crate::sync::protocol::{Op, PullReply, PushReply};
#[cfg(feature = "ssr")]
use crate::auth;
#[cfg(feature = "ssr")]
use crate::auth::policy::Rule;

/// Applies a device's queued operations, each once, within the push limits and the person's quota.
#[server(client = crate::error::Api, endpoint = "sync_push", input = Json)]
pub async fn sync_push(ops: Vec<Op>) -> Result<PushReply, AppError> {
    let ctx = auth::authorize(Rule::SignedIn).await?;
    crate::offline::rules::check_push(&ops)?;
    ctx.count_push(ops.len())?;
    crate::offline::store::sync::push(&ctx.db, ctx.user()?, ops).await
}

/// What changed for the signed-in person since `cursor`.
#[server(client = crate::error::Api, endpoint = "sync_pull", input = Json)]
pub async fn sync_pull(cursor: u64) -> Result<PullReply, AppError> {
    let ctx = auth::authorize(Rule::SignedIn).await?;
    crate::offline::store::sync::pull(&ctx.db, ctx.user()?, cursor).await
}

/// The people one may give feedback to or ask for it.
#[server(client = crate::error::Api, endpoint = "list_colleagues", input = Json)]
pub async fn list_colleagues() -> Result<Vec<Colleague>, AppError> {
    let ctx = auth::authorize(Rule::SignedIn).await?;
    crate::org::store::people::colleagues(&ctx.db, &ctx.user()?.id).await
}

/// Feedback a person received, for them, their managers and HR.
#[server(client = crate::error::Api, endpoint = "feedback_about", input = Json)]
pub async fn feedback_about(person_id: String) -> Result<Vec<FeedbackLine>, AppError> {
    let ctx = auth::authorize(Rule::PersonRecord(&person_id)).await?;
    crate::offline::store::docs::feedback_about(&ctx.db, &ctx.user()?.id, &person_id).await
}

/// What the signed-in person's phone keeps to work offline.
#[server(client = crate::error::Api, endpoint = "load_offline_snapshot", input = Json)]
pub async fn load_offline_snapshot() -> Result<OfflineSnapshot, AppError> {
    let ctx = auth::authorize(Rule::SignedIn).await?;
    crate::offline::store::sync::snapshot(&ctx.db, ctx.user()?, &ctx.audience(|p| Rule::RaterOf(p)).await?).await
}

/// A person's self-assessment in the current cycle (others see it once submitted).
#[server(client = crate::error::Api, endpoint = "self_assessment_of", input = Json)]
pub async fn self_assessment_of(person_id: String) -> Result<Option<SelfAssessment>, AppError> {
    let ctx = auth::authorize(Rule::PersonRecord(&person_id)).await?;
    crate::offline::store::docs::self_assessment_of(&ctx.db, &ctx.user()?.id, &person_id).await
}
