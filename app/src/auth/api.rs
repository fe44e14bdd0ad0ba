use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::error::AppError;
use crate::auth::types::SessionUser;
#[cfg(feature = "ssr")]
use crate::auth;
#[cfg(feature = "ssr")]
use crate::auth::policy::Rule;

#[server(client = crate::error::Api, endpoint = "current_user", input = Json)]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    let ctx = auth::authorize(Rule::Anyone).await?;
    Ok(ctx.user)
}

/// Form-encoded, so the sign-in form also works before the page has hydrated.
#[server(client = crate::error::Api, endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<SessionUser, AppError> {
    let ctx = auth::authorize(Rule::Anyone).await?;
    auth::sign_in(&ctx, &email, password).await
}

#[server(client = crate::error::Api, endpoint = "sign_out", input = Json)]
pub async fn sign_out() -> Result<(), AppError> {
    let ctx = auth::authorize(Rule::Anyone).await?;
    auth::sign_out(&ctx).await
}

#[server(client = crate::error::Api, endpoint = "change_password", input = Json)]
pub async fn change_password(current_password: String, new_password: String) -> Result<(), AppError> {
    let ctx = auth::authorize(Rule::SignedIn).await?;
    auth::change_password(&ctx, current_password, new_password).await
}
