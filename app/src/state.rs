use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::auth::limiter::{PushQuota, SignInLimiter};
use crate::db::Db;

/// What the server shares with every request; server functions reach it through `authorize`.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub limiter: Arc<SignInLimiter>,
    /// Pushes of offline changes per person.
    pub sync_quota: Arc<PushQuota>,
    /// Whether the client's address comes from X-Forwarded-For (behind a trusted reverse proxy).
    pub trust_forwarded_for: bool,
    /// Whether email goes out (an SMTP server is set); off by default.
    pub mail_sending: bool,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
