//! Rewarding: HR's reward policy, merit proposals, their adjustment, scaling, approval and the
//! payroll file.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::error::AppError;
use crate::reward::types::{MeritView, PolicyInput, RewardPolicy};
#[cfg(feature = "ssr")]
use crate::auth;
#[cfg(feature = "ssr")]
use crate::auth::policy::Rule;

#[server(client = crate::error::Api, endpoint = "load_reward_policy", input = Json)]
pub async fn load_reward_policy() -> Result<RewardPolicy, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::reward::store::policy(&ctx.db).await
}

#[server(client = crate::error::Api, endpoint = "save_reward_policy", input = Json)]
pub async fn save_reward_policy(input: PolicyInput) -> Result<RewardPolicy, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::reward::store::save_policy(&ctx.db, input).await
}

#[server(client = crate::error::Api, endpoint = "import_salaries", input = Json)]
pub async fn import_salaries(csv: String) -> Result<RewardPolicy, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::reward::store::import_salaries(&ctx.db, &csv).await
}

/// Whose proposals the caller sees and may change (who settles a raise).
#[cfg(feature = "ssr")]
async fn merit_scope(ctx: &auth::Ctx) -> Result<crate::reward::store::MeritScope, AppError> {
    Ok(crate::reward::store::MeritScope {
        // A manager's line, everyone for HR (their own read-only): who may stand in as the manager.
        sees: ctx.audience(|p| Rule::ManagerOf(p)).await?,
        adjusts: ctx.audience(|p| Rule::SettleOf(p)).await?,
        is_hr: ctx.permits(Rule::HrAdmin),
    })
}

#[server(client = crate::error::Api, endpoint = "load_merit", input = Json)]
pub async fn load_merit() -> Result<MeritView, AppError> {
    let ctx = auth::authorize(Rule::ManagerOrHr).await?;
    crate::reward::store::merit(&ctx.db, &merit_scope(&ctx).await?).await
}

#[server(client = crate::error::Api, endpoint = "adjust_merit", input = Json)]
pub async fn adjust_merit(person_id: String, raise: f64, reason: String) -> Result<MeritView, AppError> {
    let ctx = auth::authorize(Rule::SettleOf(&person_id)).await?;
    crate::reward::store::adjust(&ctx.db, ctx.user()?, &merit_scope(&ctx).await?, &person_id, raise, reason).await
}

#[server(client = crate::error::Api, endpoint = "scale_merit", input = Json)]
pub async fn scale_merit(unit_id: String) -> Result<MeritView, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::reward::store::scale(&ctx.db, ctx.user()?, &merit_scope(&ctx).await?, &unit_id).await
}

#[server(client = crate::error::Api, endpoint = "approve_merit", input = Json)]
pub async fn approve_merit(unit_id: String) -> Result<MeritView, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::reward::store::approve(&ctx.db, ctx.user()?, &merit_scope(&ctx).await?, &unit_id).await
}

#[server(client = crate::error::Api, endpoint = "export_payroll", input = Json)]
pub async fn export_payroll() -> Result<String, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::reward::store::payroll_csv(&ctx.db).await
}
