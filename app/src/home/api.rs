use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::error::AppError;
use crate::home::types::{Places, TaskList};
#[cfg(feature = "ssr")]
use crate::auth;
#[cfg(feature = "ssr")]
use crate::auth::policy::Rule;

/// The places that exist for the signed-in person now; nothing for someone signed out.
#[server(client = crate::error::Api, endpoint = "my_places", input = Json)]
pub async fn my_places() -> Result<Places, AppError> {
    let ctx = auth::authorize(Rule::Anyone).await?;
    let Some(user) = ctx.user.as_ref() else { return Ok(Places::default()) };
    let has_plan = match crate::planning::store::plans::current_cycle(&ctx.db).await {
        Ok(cycle) => crate::planning::store::plans::find_plan(&ctx.db, &user.id, &cycle.id).await?.is_some(),
        Err(AppError::NotFound(_)) => false,
        Err(e) => return Err(e),
    };
    let merit_open = crate::appraisal::store::appraisal_cycle(&ctx.db).await?.is_some();
    Ok(Places { has_plan, merit_open })
}

/// The signed-in person's tasks today, with their direct reports' for a manager, and how they are doing.
#[server(client = crate::error::Api, endpoint = "my_tasks", input = Json)]
pub async fn my_tasks() -> Result<TaskList, AppError> {
    let ctx = auth::authorize(Rule::SignedIn).await?;
    crate::home::store::task_list(&ctx.db, ctx.user()?, crate::planning::store::plans::today()).await
}
