//! HR's integrations: tokens for systems that push actuals through the JSON API.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::planning::api::{IssueIntegrationToken, RevokeIntegration, list_integrations};
use crate::ui::form::{FormError, TextField, field_error, form_error};
use crate::ui::layout::{loaded, signed_in};
use crate::planning::types::Integration;
use crate::auth::types::Role;

#[component]
pub fn IntegrationsPage() -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let data = Resource::new(move || refresh.get(), |_| async move {
        signed_in(Some(Role::HrAdmin)).await?;
        list_integrations().await
    });
    let issue = ServerAction::<IssueIntegrationToken>::new();
    let revoke = ServerAction::<RevokeIntegration>::new();
    let name = RwSignal::new(String::new());
    Effect::new(move |_| {
        if issue.value().with(|v| matches!(v, Some(Ok(_)))) || revoke.value().with(|v| matches!(v, Some(Ok(_)))) {
            refresh.update(|n| *n += 1);
        }
    });
    view! {
        <Title text="Integrations" />
        <h1>"Integrations"</h1>
        <p>"Other systems (CRM, ERP, ticketing) can send KPI actuals to " <code>"POST /api/v1/actuals"</code>
           " with a token of their own. The API is described in " <a href="/api/v1/openapi.json">"OpenAPI"</a> "."</p>
        {move || issue.value().get().and_then(Result::ok).map(|issued| view! {
            <section class="card success" role="status">
                <p>"Token for " <strong>{issued.integration.name}</strong> " — copy it now, it is shown only once:"</p>
                <p><code data-testid="issued-token">{issued.token}</code></p>
            </section>
        })}
        {loaded(data, move |integrations: Vec<Integration>| view! {
            <section class="card">
                <div class="table-wrap" tabindex="0">
                    <table data-testid="integrations">
                        <thead><tr><th>"System"</th><th>"Issued"</th><th>"Last used"</th><th>"Status"</th><th></th></tr></thead>
                        <tbody>{integrations.into_iter().map(|i| {
                            let id = i.id.clone();
                            view! {
                                <tr>
                                    <td>{i.name}</td><td>{i.created_at}</td><td>{i.last_used_at.unwrap_or_else(|| "never".into())}</td>
                                    <td>{if i.active { "Active" } else { "Revoked" }}</td>
                                    <td>{i.active.then(|| view! {
                                        <button class="link-button danger" on:click=move |_| { revoke.dispatch(RevokeIntegration { id: id.clone() }); }>"Revoke"</button>
                                    })}</td>
                                </tr>
                            }
                        }).collect_view()}</tbody>
                    </table>
                </div>
            </section>
        })}
        <section class="card">
            <h2>"New integration"</h2>
            <form novalidate data-testid="integration-form" on:submit=move |ev| {
                ev.prevent_default();
                issue.dispatch(IssueIntegrationToken { name: name.get() });
            }>
                <TextField label="System name" name="name" value=name error=field_error(issue, "name") hint="e.g. CRM nightly export" />
                <FormError error=form_error(issue) />
                <button type="submit" class="primary">"Issue token"</button>
            </form>
        </section>
    }
}
