//! The JSON API for other systems (`/api/v1/...`), authenticated by an integration's bearer token
//! and described by the OpenAPI document it serves.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::error::AppError;
use crate::limits::{API_ACTUALS_PER_BATCH, BODY_BYTES};
use crate::words::bytes_in_words;
use crate::db::Db;
use crate::error::AppResult;
use crate::planning::types::{ActualRow, ActualSource, Integration};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/actuals", post(push_actuals))
        .route("/api/v1/openapi.json", get(|| async { ([("content-type", "application/json")], OPENAPI) }))
        .layer(DefaultBodyLimit::max(BODY_BYTES))
}

const OPENAPI: &str = include_str!("openapi.json");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActualsBatch {
    /// The cycle's name (e.g. FY2027); the current cycle when left out.
    cycle: Option<String>,
    actuals: Vec<ActualRow>,
}

fn problem(status: StatusCode, message: String, problems: serde_json::Value) -> Response {
    (status, Json(json!({ "error": message, "problems": problems }))).into_response()
}

fn from_error(error: AppError) -> Response {
    match error {
        AppError::CsvRejected(rows) => {
            let problems: Vec<_> = rows.iter().map(|r| json!({ "item": r.row, "field": r.column, "message": r.message })).collect();
            problem(StatusCode::UNPROCESSABLE_ENTITY, format!("Nothing was recorded: {} problem(s) found.", rows.len()), json!(problems))
        }
        AppError::Unauthenticated => problem(
            StatusCode::UNAUTHORIZED,
            "Send the integration's token as 'Authorization: Bearer los_…'; HR issues tokens under Integrations.".into(),
            json!([]),
        ),
        other => problem(StatusCode::from_u16(other.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), other.to_string(), json!([])),
    }
}

/// Records a batch of actuals: all of them in one transaction, or none with every problem listed
/// by item (1-based) and field.
async fn push_actuals(State(state): State<AppState>, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Response {
    let integration = match authorize_integration(&state.db, &headers).await {
        Ok(i) => i,
        Err(e) => return from_error(e),
    };
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            let message = format!(
                "Nothing was recorded: the body is larger than {} ({BODY_BYTES} bytes). Send the actuals in smaller batches.",
                bytes_in_words(BODY_BYTES)
            );
            return problem(StatusCode::PAYLOAD_TOO_LARGE, message, json!([]));
        }
        Err(rejection) => return problem(rejection.status(), format!("The body could not be read: {}", rejection.body_text()), json!([])),
    };
    let batch: ActualsBatch = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => {
            let message = format!("The body is not a valid batch: {e}. Send {{\"cycle\": \"FY2027\", \"actuals\": [{{\"email\", \"kpi\", \"period\", \"value\", \"note\", \"link\"}}]}}.");
            return problem(StatusCode::BAD_REQUEST, message, json!([]));
        }
    };
    if batch.actuals.is_empty() || batch.actuals.len() > API_ACTUALS_PER_BATCH {
        let message = format!("Nothing was recorded: send between 1 and {API_ACTUALS_PER_BATCH} actuals in a batch; this one has {}.", batch.actuals.len());
        return problem(StatusCode::UNPROCESSABLE_ENTITY, message, json!([]));
    }
    let cycle = match batch.cycle.as_deref() {
        Some(name) => match crate::planning::store::plans::list_cycles(&state.db).await {
            Ok(cycles) => match cycles.into_iter().find(|c| c.name.eq_ignore_ascii_case(name.trim())) {
                Some(c) => c,
                None => return problem(StatusCode::UNPROCESSABLE_ENTITY, format!("No cycle is named '{name}'."), json!([])),
            },
            Err(e) => return from_error(e),
        },
        None => match crate::planning::store::plans::current_cycle(&state.db).await {
            Ok(c) => c,
            Err(e) => return from_error(e),
        },
    };
    let rows = batch.actuals.into_iter().enumerate().map(|(i, row)| (i + 1, row)).collect();
    match crate::planning::store::actuals::import(&state.db, &cycle, rows, ActualSource::Api, format!("integration: {}", integration.name)).await {
        Ok(done) => (StatusCode::OK, Json(json!({ "recorded": done.recorded, "plans": done.plans, "cycle": cycle.name }))).into_response(),
        Err(e) => from_error(e),
    }
}

/// The integration a JSON API request comes from, by its bearer token; the API's counterpart of
/// `authorize` (integrations may only push actuals).
async fn authorize_integration(db: &Db, headers: &HeaderMap) -> AppResult<Integration> {
    let token = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or(AppError::Unauthenticated)?;
    crate::planning::store::integrations::by_token(db, token).await?.ok_or(AppError::Unauthenticated)
}
