//! Email's server functions: one's own choices, and the unsubscribe link that works without
//! signing in (its token is signed for one person and one kind of mail).

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::error::AppError;
use crate::mail::types::{MailChoices, MailSettings, UnsubscribeLink};
#[cfg(feature = "ssr")]
use crate::auth;
#[cfg(feature = "ssr")]
use crate::auth::policy::Rule;

/// The signed-in person's email choices.
#[server(client = crate::error::Api, endpoint = "my_mail_settings", input = Json)]
pub async fn my_mail_settings() -> Result<MailChoices, AppError> {
    let ctx = auth::authorize(Rule::SignedIn).await?;
    let user = ctx.user()?;
    let settings = crate::mail::store::settings(&ctx.db, &user.id).await?;
    Ok(MailChoices { settings, email: user.email.clone(), sending: ctx.sends_mail() })
}

/// Saves the signed-in person's own choices (nobody else's: there is no person argument).
#[server(client = crate::error::Api, endpoint = "save_mail_settings", input = Json)]
pub async fn save_mail_settings(settings: MailSettings) -> Result<MailChoices, AppError> {
    let ctx = auth::authorize(Rule::SignedIn).await?;
    let user = ctx.user()?;
    crate::mail::store::save_settings(&ctx.db, &user.id, settings).await?;
    Ok(MailChoices { settings, email: user.email.clone(), sending: ctx.sends_mail() })
}

/// What an unsubscribe link stops, before the person confirms (a link scanner opening the page
/// changes nothing).
#[server(client = crate::error::Api, endpoint = "read_unsubscribe", input = Json)]
pub async fn read_unsubscribe(token: String) -> Result<UnsubscribeLink, AppError> {
    by_link(&token, false).await
}

/// Stops the kind of mail the link names, for the person it names.
#[server(client = crate::error::Api, endpoint = "unsubscribe", input = Json)]
pub async fn unsubscribe(token: String) -> Result<UnsubscribeLink, AppError> {
    by_link(&token, true).await
}

#[cfg(feature = "ssr")]
async fn by_link(token: &str, stop: bool) -> Result<UnsubscribeLink, AppError> {
    let ctx = auth::authorize(Rule::Anyone).await?;
    let (person, kind) = crate::mail::rules::read_unsubscribe_token(&crate::mail::store::signing_key(&ctx.db).await?, token)?;
    let email = crate::org::store::people::get(&ctx.db, &person).await?.email;
    let mut settings = crate::mail::store::settings(&ctx.db, &person).await?;
    if stop {
        settings = settings.set(kind, false);
        crate::mail::store::save_settings(&ctx.db, &person, settings).await?;
    }
    Ok(UnsubscribeLink { kind, email_hint: crate::mail::rules::email_hint(&email), stopped: !settings.wants(kind) })
}
