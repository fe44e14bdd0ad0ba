//! Rewarding: HR's reward policy, merit proposals, their adjustment, scaling, approval and the
//! payroll file.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::error::AppError;
use crate::model::{MeritView, PolicyInput, RewardPolicy};
#[cfg(feature = "ssr")]
use crate::{
    auth::{self, policy::Rule},
    db,
};

#[server(endpoint = "load_reward_policy", input = Json)]
pub async fn load_reward_policy() -> Result<RewardPolicy, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    db::reward::policy(&ctx.db).await
}

#[server(endpoint = "save_reward_policy", input = Json)]
pub async fn save_reward_policy(input: PolicyInput) -> Result<RewardPolicy, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    db::reward::save_policy(&ctx.db, input).await
}

#[server(endpoint = "import_salaries", input = Json)]
pub async fn import_salaries(csv: String) -> Result<RewardPolicy, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    db::reward::import_salaries(&ctx.db, &csv).await
}

/// Whose proposals the caller sees (their record's readers) and may change (who settles a raise).
#[cfg(feature = "ssr")]
async fn merit_scope(ctx: &auth::Ctx) -> Result<db::reward::MeritScope, AppError> {
    Ok(db::reward::MeritScope {
        sees: ctx.audience(|p| Rule::PersonRecord(p)).await?,
        adjusts: ctx.audience(|p| Rule::SettleOf(p)).await?,
        is_hr: ctx.permits(Rule::HrAdmin),
    })
}

#[server(endpoint = "load_merit", input = Json)]
pub async fn load_merit() -> Result<MeritView, AppError> {
    let ctx = auth::authorize(Rule::ManagerOrHr).await?;
    db::reward::merit(&ctx.db, &merit_scope(&ctx).await?).await
}

#[server(endpoint = "adjust_merit", input = Json)]
pub async fn adjust_merit(person_id: String, raise: f64, reason: String) -> Result<MeritView, AppError> {
    let ctx = auth::authorize(Rule::SettleOf(&person_id)).await?;
    db::reward::adjust(&ctx.db, ctx.user()?, &merit_scope(&ctx).await?, &person_id, raise, reason).await
}

#[server(endpoint = "scale_merit", input = Json)]
pub async fn scale_merit(unit_id: String) -> Result<MeritView, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    db::reward::scale(&ctx.db, ctx.user()?, &merit_scope(&ctx).await?, &unit_id).await
}

#[server(endpoint = "approve_merit", input = Json)]
pub async fn approve_merit(unit_id: String) -> Result<MeritView, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    db::reward::approve(&ctx.db, ctx.user()?, &merit_scope(&ctx).await?, &unit_id).await
}

#[server(endpoint = "export_payroll", input = Json)]
pub async fn export_payroll() -> Result<String, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    db::reward::payroll_csv(&ctx.db).await
}
