//! HR's KPI library: templates per job title that managers copy into plans.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::planning::api::{DeleteKpiTemplate, SaveKpiTemplate, list_kpi_templates};
use crate::ui::form::{FormError, form_error};
use crate::planning::pages::kpi_form::{KpiDraft, KpiFields};
use crate::ui::layout::{loaded, signed_in};
use crate::error::AppError;
use crate::error::FieldError;
use crate::planning::types::KpiTemplate;
use crate::auth::types::Role;

#[component]
pub fn LibraryPage() -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let data = Resource::new(move || refresh.get(), |_| async move {
        signed_in(Some(Role::HrAdmin)).await?;
        list_kpi_templates().await
    });
    view! {
        <Title text="KPI library" />
        <h1>"KPI library"</h1>
        <p class="muted">"Templates per job title. Managers copy them into plans and adjust the numbers; a plan keeps its copy when a template changes."</p>
        {loaded(data, move |templates: Vec<KpiTemplate>| view! {
            <TemplateList templates refresh />
            <TemplateForm refresh />
        })}
    }
}

#[component]
fn TemplateList(templates: Vec<KpiTemplate>, refresh: RwSignal<u32>) -> impl IntoView {
    let delete = ServerAction::<DeleteKpiTemplate>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            refresh.update(|n| *n += 1);
        }
    });
    view! {
        <section class="card">
            <div class="table-wrap" tabindex="0">
                <table data-testid="library">
                    <thead><tr><th>"Job title"</th><th>"KPI"</th><th>"Direction"</th><th class="num">"Threshold"</th><th class="num">"Target"</th><th class="num">"Stretch"</th><th class="hide-narrow">"Source"</th><th></th></tr></thead>
                    <tbody>{templates.into_iter().map(|t| {
                        let id = t.id.clone();
                        let targets = t.spec.targets;
                        view! {
                            <tr>
                                <td>{t.job_title.clone()}</td>
                                <td>{t.spec.name.clone()} " (" {t.spec.measure.clone()} ")"</td>
                                <td>{targets.direction.label()}</td>
                                <td class="num">{targets.threshold}</td>
                                <td class="num">{targets.target}</td>
                                <td class="num">{targets.stretch}</td>
                                <td class="hide-narrow">{t.spec.data_source.clone()}</td>
                                <td><button class="link-button danger" on:click=move |_| { delete.dispatch(DeleteKpiTemplate { id: id.clone() }); }>"Remove"</button></td>
                            </tr>
                        }
                    }).collect_view()}</tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn TemplateForm(refresh: RwSignal<u32>) -> impl IntoView {
    let action = ServerAction::<SaveKpiTemplate>::new();
    let job_title = RwSignal::new(String::new());
    let kpi = KpiDraft::blank();
    let errors = RwSignal::new(Vec::<FieldError>::new());
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => {
            errors.set(Vec::new());
            refresh.update(|n| *n += 1);
        }
        Some(Err(AppError::Invalid(e))) => errors.set(e),
        _ => {}
    });
    let draft = kpi.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch(SaveKpiTemplate { template: KpiTemplate { id: String::new(), job_title: job_title.get(), spec: draft.to_spec() } });
    };
    let job_error = move || errors.with(|e| e.iter().find(|x| x.field == "job_title").map(|x| x.message.clone()));
    view! {
        <section class="card">
            <h2>"Add a template"</h2>
            <form on:submit=submit novalidate data-testid="template-form">
                <label>"Job title" <input bind:value=job_title data-testid="template-job-title" /></label>
                <p class="field-error" role="alert">{job_error}</p>
                <KpiFields kpi prefix="" errors />
                <FormError error=form_error(action) />
                <button type="submit" class="primary" disabled=move || action.pending().get()>"Add template"</button>
            </form>
        </section>
    }
}
