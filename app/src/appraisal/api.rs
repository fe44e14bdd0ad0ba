//! Appraisals: the manager's preparation and ratings, the appraisal record, calibration per unit,
//! HR's report. The conversation itself is a synced record (`offline::api`).

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::appraisal::types::Weights;
use crate::error::AppError;
use crate::appraisal::types::{AppraisalList, AppraisalReport, AppraisalView, CalibrationView, Preparation, RatingsInput};
#[cfg(feature = "ssr")]
use crate::auth;
#[cfg(feature = "ssr")]
use crate::auth::policy::Rule;

#[server(client = crate::error::Api, endpoint = "list_appraisals", input = Json)]
pub async fn list_appraisals() -> Result<AppraisalList, AppError> {
    let ctx = auth::authorize(Rule::SignedIn).await?;
    crate::appraisal::store::list(&ctx.db, ctx.user()?, &ctx.audience(|p| Rule::SettleOf(p)).await?).await
}

#[server(client = crate::error::Api, endpoint = "load_appraisal", input = Json)]
pub async fn load_appraisal(person_id: String) -> Result<AppraisalView, AppError> {
    let ctx = auth::authorize(Rule::PersonRecord(&person_id)).await?;
    crate::appraisal::store::view(&ctx.db, ctx.user()?, &person_id, ctx.permits(Rule::RaterOf(&person_id))).await
}

#[server(client = crate::error::Api, endpoint = "prepare_appraisal", input = Json)]
pub async fn prepare_appraisal(person_id: String) -> Result<Preparation, AppError> {
    let ctx = auth::authorize(Rule::RaterOf(&person_id)).await?;
    crate::appraisal::store::preparation(&ctx.db, ctx.user()?, &person_id).await
}

#[server(client = crate::error::Api, endpoint = "save_ratings", input = Json)]
pub async fn save_ratings(person_id: String, input: RatingsInput) -> Result<Preparation, AppError> {
    let ctx = auth::authorize(Rule::RaterOf(&person_id)).await?;
    crate::appraisal::store::save_ratings(&ctx.db, ctx.user()?, &person_id, input).await
}

#[server(client = crate::error::Api, endpoint = "load_calibration", input = Json)]
pub async fn load_calibration(unit_id: String) -> Result<CalibrationView, AppError> {
    let ctx = auth::authorize(Rule::CalibratorOf(&unit_id)).await?;
    crate::appraisal::store::calibration(&ctx.db, &ctx.audience(|p| Rule::SettleOf(p)).await?, ctx.permits(Rule::HrAdmin), &unit_id).await
}

#[server(client = crate::error::Api, endpoint = "calibrate_rating", input = Json)]
pub async fn calibrate_rating(unit_id: String, person_id: String, rating: u8, reason: String) -> Result<CalibrationView, AppError> {
    let ctx = auth::authorize(Rule::SettleOf(&person_id)).await?;
    crate::appraisal::store::calibrate(&ctx.db, ctx.user()?, &unit_id, &person_id, rating, reason).await?;
    crate::appraisal::store::calibration(&ctx.db, &ctx.audience(|p| Rule::SettleOf(p)).await?, ctx.permits(Rule::HrAdmin), &unit_id).await
}

#[server(client = crate::error::Api, endpoint = "lock_calibration", input = Json)]
pub async fn lock_calibration(unit_id: String) -> Result<CalibrationView, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::appraisal::store::lock(&ctx.db, ctx.user()?, &unit_id).await?;
    crate::appraisal::store::calibration(&ctx.db, &ctx.audience(|p| Rule::SettleOf(p)).await?, true, &unit_id).await
}

#[server(client = crate::error::Api, endpoint = "load_appraisal_report", input = Json)]
pub async fn load_appraisal_report() -> Result<AppraisalReport, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::appraisal::store::report(&ctx.db).await
}

#[server(client = crate::error::Api, endpoint = "export_appraisals", input = Json)]
pub async fn export_appraisals() -> Result<String, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::appraisal::store::export_csv(&ctx.db, &ctx.audience(|p| Rule::SettleOf(p)).await?).await
}

#[server(client = crate::error::Api, endpoint = "set_appraisal_weights", input = Json)]
pub async fn set_appraisal_weights(weights: Weights) -> Result<Weights, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::appraisal::store::set_weights(&ctx.db, weights).await
}
