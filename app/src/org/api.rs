use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::error::AppError;
use crate::org::types::HomeSummary;
use crate::org::people_types::{ImportSummary, Person, PersonInput, TeamMember};
use crate::org::types::{OrgOverview, Unit, UnitInput};
#[cfg(feature = "ssr")]
use crate::auth;
#[cfg(feature = "ssr")]
use crate::auth::password;
#[cfg(feature = "ssr")]
use crate::auth::policy::Rule;

#[server(client = crate::error::Api, endpoint = "list_units", input = Json)]
pub async fn list_units() -> Result<Vec<Unit>, AppError> {
    let ctx = auth::authorize(Rule::SignedIn).await?;
    crate::org::store::units::list(&ctx.db).await
}

#[server(client = crate::error::Api, endpoint = "save_unit", input = Json)]
pub async fn save_unit(input: UnitInput) -> Result<Unit, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::org::store::units::save(&ctx.db, input).await
}

#[server(client = crate::error::Api, endpoint = "list_people", input = Json)]
pub async fn list_people(include_inactive: bool) -> Result<Vec<Person>, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::org::store::people::list(&ctx.db, include_inactive).await
}

#[server(client = crate::error::Api, endpoint = "get_person", input = Json)]
pub async fn get_person(id: String) -> Result<Person, AppError> {
    let ctx = auth::authorize(Rule::PersonRecord(&id)).await?;
    crate::org::store::people::get(&ctx.db, &id).await
}

#[server(client = crate::error::Api, endpoint = "save_person", input = Json)]
pub async fn save_person(input: PersonInput) -> Result<Person, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::org::store::people::save(&ctx.db, input).await
}

/// Issues a temporary password for a person, shown once to HR to hand over.
#[server(client = crate::error::Api, endpoint = "issue_temporary_password", input = Json)]
pub async fn issue_temporary_password(id: String) -> Result<String, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::org::store::people::get(&ctx.db, &id).await?;
    let temporary = password::temporary();
    crate::org::store::people::set_password_hash(&ctx.db, &id, password::hash(temporary.clone()).await?).await?;
    Ok(temporary)
}

#[server(client = crate::error::Api, endpoint = "import_people", input = Json)]
pub async fn import_people(csv: String) -> Result<ImportSummary, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::org::store::people::import_csv(&ctx.db, &csv).await
}

#[server(client = crate::error::Api, endpoint = "export_people", input = Json)]
pub async fn export_people() -> Result<String, AppError> {
    let ctx = auth::authorize(Rule::HrAdmin).await?;
    crate::org::store::people::export_csv(&ctx.db).await
}

/// The caller's reporting line (empty for someone without reports).
#[server(client = crate::error::Api, endpoint = "my_team", input = Json)]
pub async fn my_team() -> Result<Vec<TeamMember>, AppError> {
    let ctx = auth::authorize(Rule::SignedIn).await?;
    crate::org::store::people::reporting_line(&ctx.db, &ctx.user()?.id).await
}

#[server(client = crate::error::Api, endpoint = "organisation_overview", input = Json)]
pub async fn organisation_overview() -> Result<OrgOverview, AppError> {
    let ctx = auth::authorize(Rule::HrOrCommittee).await?;
    crate::org::store::overview::overview(&ctx.db).await
}

#[server(client = crate::error::Api, endpoint = "home", input = Json)]
pub async fn home() -> Result<HomeSummary, AppError> {
    let ctx = auth::authorize(Rule::SignedIn).await?;
    let user = ctx.user()?.clone();
    crate::org::store::overview::home(&ctx.db, user, ctx.permits(Rule::HrOrCommittee)).await
}
