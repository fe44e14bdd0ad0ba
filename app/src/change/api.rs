//! The change committee's programme, its adoption dashboard, and pulse surveys.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::change::types::Metric;
use crate::error::AppError;
use crate::change::types::{ActionInput, AdoptionReport, BarrierInput, ChecklistItem, OpenPulse, Programme, ProgrammeInput, ProgrammeList, ProgrammeView, SignOff, StepRecord, WinDecision};
#[cfg(feature = "ssr")]
use crate::auth;
#[cfg(feature = "ssr")]
use crate::auth::policy::Rule;

#[server(client = crate::error::Api, endpoint = "list_programmes", input = Json)]
pub async fn list_programmes() -> Result<ProgrammeList, AppError> {
    let ctx = auth::authorize(Rule::Committee).await?;
    crate::change::store::programmes::list(&ctx.db).await
}

#[server(client = crate::error::Api, endpoint = "create_programme", input = Json)]
pub async fn create_programme(input: ProgrammeInput) -> Result<Programme, AppError> {
    let ctx = auth::authorize(Rule::Committee).await?;
    crate::change::store::programmes::create(&ctx.db, input).await
}

#[server(client = crate::error::Api, endpoint = "load_programme", input = Json)]
pub async fn load_programme(id: String) -> Result<ProgrammeView, AppError> {
    let ctx = auth::authorize(Rule::Committee).await?;
    crate::change::store::programmes::view(&ctx.db, &id, ctx.user()?).await
}

#[server(client = crate::error::Api, endpoint = "save_change_step", input = Json)]
pub async fn save_change_step(programme_id: String, step: u8, checklist: Vec<ChecklistItem>, criteria_met: Vec<bool>) -> Result<StepRecord, AppError> {
    let ctx = auth::authorize(Rule::Committee).await?;
    crate::change::store::programmes::save_step(&ctx.db, &programme_id, step, checklist, criteria_met).await
}

#[server(client = crate::error::Api, endpoint = "save_change_action", input = Json)]
pub async fn save_change_action(programme_id: String, input: ActionInput) -> Result<String, AppError> {
    let ctx = auth::authorize(Rule::Committee).await?;
    crate::change::store::programmes::save_action(&ctx.db, &programme_id, input).await
}

#[server(client = crate::error::Api, endpoint = "add_change_evidence", input = Json)]
pub async fn add_change_evidence(programme_id: String, step: u8, note: String, link: String) -> Result<(), AppError> {
    let ctx = auth::authorize(Rule::Committee).await?;
    crate::change::store::programmes::add_evidence(&ctx.db, ctx.user()?, &programme_id, step, note, link).await
}

/// Without `confirm`, a step with open actions or unmet criteria comes back with the warnings.
#[server(client = crate::error::Api, endpoint = "sign_off_step", input = Json)]
pub async fn sign_off_step(programme_id: String, step: u8, confirm: bool) -> Result<SignOff, AppError> {
    let ctx = auth::authorize(Rule::ChairOf(&chair(&programme_id).await?)).await?;
    crate::change::store::programmes::sign_off(&ctx.db, ctx.user()?, &programme_id, step, confirm).await
}

#[server(client = crate::error::Api, endpoint = "reopen_step", input = Json)]
pub async fn reopen_step(programme_id: String, step: u8) -> Result<(), AppError> {
    let ctx = auth::authorize(Rule::ChairOf(&chair(&programme_id).await?)).await?;
    crate::change::store::programmes::reopen(&ctx.db, &programme_id, step).await
}

#[server(client = crate::error::Api, endpoint = "save_barrier", input = Json)]
pub async fn save_barrier(programme_id: String, input: BarrierInput) -> Result<String, AppError> {
    let ctx = auth::authorize(Rule::Committee).await?;
    crate::change::store::programmes::save_barrier(&ctx.db, &programme_id, input).await
}

#[server(client = crate::error::Api, endpoint = "save_adoption_targets", input = Json)]
pub async fn save_adoption_targets(programme_id: String, targets: Vec<(Metric, String)>) -> Result<Vec<(Metric, f64)>, AppError> {
    let ctx = auth::authorize(Rule::Committee).await?;
    crate::change::store::programmes::save_targets(&ctx.db, &programme_id, targets).await
}

#[server(client = crate::error::Api, endpoint = "decide_win", input = Json)]
pub async fn decide_win(programme_id: String, unit_id: String, metric: Metric, decision: WinDecision) -> Result<(), AppError> {
    let ctx = auth::authorize(Rule::Committee).await?;
    crate::change::store::adoption::decide_win(&ctx.db, ctx.user()?, &programme_id, &unit_id, metric, decision).await
}

#[server(client = crate::error::Api, endpoint = "load_adoption", input = Json)]
pub async fn load_adoption(programme_id: String) -> Result<AdoptionReport, AppError> {
    let ctx = auth::authorize(Rule::Committee).await?;
    crate::change::store::adoption::report(&ctx.db, &programme_id).await
}

#[server(client = crate::error::Api, endpoint = "export_adoption", input = Json)]
pub async fn export_adoption(programme_id: String) -> Result<String, AppError> {
    let ctx = auth::authorize(Rule::Committee).await?;
    crate::change::store::adoption::export_csv(&ctx.db, &programme_id).await
}

#[server(client = crate::error::Api, endpoint = "create_pulse", input = Json)]
pub async fn create_pulse(programme_id: String, title: String, questions: String) -> Result<(), AppError> {
    let ctx = auth::authorize(Rule::Committee).await?;
    crate::change::store::programmes::create_pulse(&ctx.db, &programme_id, title, questions).await
}

#[server(client = crate::error::Api, endpoint = "close_pulse", input = Json)]
pub async fn close_pulse(programme_id: String, pulse_id: String) -> Result<(), AppError> {
    let ctx = auth::authorize(Rule::Committee).await?;
    crate::change::store::programmes::close_pulse(&ctx.db, &programme_id, &pulse_id).await
}

/// Surveys open to the caller (whoever is in a programme's scope answers, anonymously).
#[server(client = crate::error::Api, endpoint = "my_pulses", input = Json)]
pub async fn my_pulses() -> Result<Vec<OpenPulse>, AppError> {
    let ctx = auth::authorize(Rule::SignedIn).await?;
    crate::change::store::programmes::open_pulses(&ctx.db, ctx.user()?).await
}

#[server(client = crate::error::Api, endpoint = "answer_pulse", input = Json)]
pub async fn answer_pulse(pulse_id: String, scores: Vec<u8>) -> Result<(), AppError> {
    let ctx = auth::authorize(Rule::SignedIn).await?;
    crate::change::store::programmes::answer_pulse(&ctx.db, ctx.user()?, &pulse_id, scores).await
}

/// The chair of a programme, for `Rule::ChairOf` (empty when it has none or does not exist).
#[cfg(feature = "ssr")]
async fn chair(programme: &str) -> Result<String, AppError> {
    Ok(crate::change::store::programmes::chair_of(&auth::database()?, programme).await?.unwrap_or_default())
}
