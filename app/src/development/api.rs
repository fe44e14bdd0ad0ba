//! Developing people: development plans, the training catalogue and its effect, kudos and
//! recognition. Check-ins are synced records (`offline::api`).

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::error::AppError;
use crate::development::types::{DevelopmentItemInput, DevelopmentPlanView, Kudos, Recognition, RecognitionView, Training, TrainingCatalogue, TrainingView};
#[cfg(feature = "ssr")]
use crate::auth;
#[cfg(feature = "ssr")]
use crate::auth::policy::Rule;

#[server(client = crate::error::Api, endpoint = "load_development_plan", input = Json)]
pub async fn load_development_plan(person_id: String) -> Result<DevelopmentPlanView, AppError> {
    let ctx = auth::authorize(Rule::PersonRecord(&person_id)).await?;
    crate::development::store::plan_view(&ctx.db, &person_id).await
}

#[server(client = crate::error::Api, endpoint = "add_development_item", input = Json)]
pub async fn add_development_item(person_id: String, input: DevelopmentItemInput) -> Result<DevelopmentPlanView, AppError> {
    let ctx = auth::authorize(Rule::PersonRecord(&person_id)).await?;
    crate::development::store::add_item(&ctx.db, &person_id, input).await
}

#[server(client = crate::error::Api, endpoint = "update_development_item", input = Json)]
pub async fn update_development_item(person_id: String, item_id: String, status: String, evidence: String) -> Result<DevelopmentPlanView, AppError> {
    let ctx = auth::authorize(Rule::PersonRecord(&person_id)).await?;
    crate::development::store::update_item(&ctx.db, &person_id, &item_id, status, evidence).await
}

#[server(client = crate::error::Api, endpoint = "load_training_catalogue", input = Json)]
pub async fn load_training_catalogue() -> Result<TrainingCatalogue, AppError> {
    let ctx = auth::authorize(Rule::SignedIn).await?;
    crate::development::store::catalogue(&ctx.db, ctx.permits(Rule::HrAdmin)).await
}

#[server(client = crate::error::Api, endpoint = "save_training", input = Json)]
pub async fn save_training(training: Training) -> Result<TrainingCatalogue, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::development::store::save_training(&ctx.db, ctx.permits(Rule::HrAdmin), training).await
}

/// A training with its sessions and effect report (aggregates of at least `MIN_GROUP` people).
#[server(client = crate::error::Api, endpoint = "load_training", input = Json)]
pub async fn load_training(training_id: String) -> Result<TrainingView, AppError> {
    let ctx = auth::authorize(Rule::SignedIn).await?;
    crate::development::store::training_view(&ctx.db, ctx.permits(Rule::HrAdmin), &ctx.audience(|p| Rule::PersonRecord(p)).await?, &training_id).await
}

#[server(client = crate::error::Api, endpoint = "add_training_session", input = Json)]
pub async fn add_training_session(training_id: String, held_on: String, place: String) -> Result<TrainingView, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::development::store::add_session(&ctx.db, ctx.permits(Rule::HrAdmin), &ctx.audience(|p| Rule::PersonRecord(p)).await?, &training_id, held_on, place).await
}

#[server(client = crate::error::Api, endpoint = "record_attendance", input = Json)]
pub async fn record_attendance(session_id: String, attendees: Vec<String>) -> Result<TrainingView, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::development::store::set_attendance(&ctx.db, ctx.permits(Rule::HrAdmin), &ctx.audience(|p| Rule::PersonRecord(p)).await?, &session_id, attendees).await
}

#[server(client = crate::error::Api, endpoint = "give_kudos", input = Json)]
pub async fn give_kudos(receiver_id: String, competency_id: String, message: String) -> Result<Vec<Kudos>, AppError> {
    let ctx = auth::authorize(Rule::SignedIn).await?;
    crate::development::store::give_kudos(&ctx.db, ctx.user()?, &receiver_id, &competency_id, message).await
}

#[server(client = crate::error::Api, endpoint = "load_recognition", input = Json)]
pub async fn load_recognition() -> Result<RecognitionView, AppError> {
    let ctx = auth::authorize(Rule::SignedIn).await?;
    crate::development::store::recognition_view(&ctx.db, ctx.user()?).await
}

#[server(client = crate::error::Api, endpoint = "load_person_recognition", input = Json)]
pub async fn load_person_recognition(person_id: String) -> Result<Recognition, AppError> {
    let ctx = auth::authorize(Rule::PersonRecord(&person_id)).await?;
    crate::development::store::recognition_of(&ctx.db, &person_id).await
}
