//! The competency framework: each competency's proficiency levels anchored by behaviours (the
//! anchors ratings pick from), and the level each job title is expected to show. HR edits both.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::planning::api::{SaveCompetency, SaveRoleProfile, load_competency_framework};
use crate::ui::form::form_error;
use crate::ui::form::FormError;
use crate::ui::layout::{loaded, signed_in};
use crate::error::AppError;
use crate::planning::types::{Competency, CompetencyFramework, ProficiencyLevel, RoleProfile};
use crate::error::FieldError;
use crate::auth::types::Role;

#[component]
pub fn CompetenciesPage() -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let data = Resource::new(move || refresh.get(), |_| async move {
        let user = signed_in(None).await?;
        Ok::<_, AppError>((user.has(Role::HrAdmin), load_competency_framework().await?))
    });
    view! {
        <Title text="Competencies" />
        <h1>"Competency framework"</h1>
        <p class="muted">"Each level is described by behaviours you can observe. Ratings pick the level whose behaviours fit, with evidence."</p>
        {loaded(data, move |(hr, framework): (bool, CompetencyFramework)| {
            let competencies = framework.competencies.clone();
            view! {
                {framework.competencies.into_iter().map(|c| view! { <CompetencyCard competency=c hr refresh /> }).collect_view()}
                {hr.then(|| view! {
                    <section class="card">
                        <h2>"Add a competency"</h2>
                        <CompetencyForm competency=blank() refresh done=|| () />
                    </section>
                })}
                <section class="card">
                    <h2>"Role profiles"</h2>
                    <p class="muted">"The level each job title is expected to show."</p>
                    <div class="table-wrap" tabindex="0">
                        <table data-testid="role-profiles">
                            <thead><tr><th>"Job title"</th>{competencies.iter().map(|c| view! { <th class="num">{c.name.clone()}</th> }).collect_view()}{hr.then(|| view! { <th></th> })}</tr></thead>
                            <tbody>{framework.profiles.into_iter().map(|p| view! { <ProfileRow profile=p competencies=competencies.clone() hr /> }).collect_view()}</tbody>
                        </table>
                    </div>
                </section>
            }
        })}
    }
}

fn blank() -> Competency {
    let levels = (1..=5).map(|level| ProficiencyLevel { level, name: String::new(), indicators: Vec::new() }).collect();
    Competency { id: String::new(), name: String::new(), description: String::new(), levels }
}

#[component]
fn CompetencyCard(competency: Competency, hr: bool, refresh: RwSignal<u32>) -> impl IntoView {
    let editing = RwSignal::new(false);
    let shown = competency.clone();
    view! {
        <section class="card competency" data-testid="competency">
            <h2>{shown.name}</h2>
            <p class="muted">{shown.description}</p>
            <Show when=move || !editing.get()>
                <ol class="levels">
                    {shown.levels.iter().map(|l| view! {
                        <li>
                            <strong>{l.level} " · " {l.name.clone()}</strong>
                            <ul>{l.indicators.iter().map(|b| view! { <li>{b.clone()}</li> }).collect_view()}</ul>
                        </li>
                    }).collect_view()}
                </ol>
                {hr.then(|| view! { <button on:click=move |_| editing.set(true)>"Edit"</button> })}
            </Show>
            <Show when=move || editing.get()>
                <CompetencyForm competency=competency.clone() refresh done=move || editing.set(false) />
            </Show>
        </section>
    }
}

/// A level as the form holds it: its name, and its behaviours one per line.
#[derive(Clone, Copy)]
struct LevelDraft {
    name: RwSignal<String>,
    behaviours: RwSignal<String>,
}

#[component]
fn CompetencyForm(competency: Competency, refresh: RwSignal<u32>, done: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let action = ServerAction::<SaveCompetency>::new();
    let id = competency.id.clone();
    let name = RwSignal::new(competency.name.clone());
    let description = RwSignal::new(competency.description.clone());
    let levels: Vec<LevelDraft> = competency
        .levels
        .iter()
        .map(|l| LevelDraft { name: RwSignal::new(l.name.clone()), behaviours: RwSignal::new(l.indicators.join("\n")) })
        .collect();
    let count = RwSignal::new(levels.len().clamp(4, 5));
    let levels = {
        let mut all = levels;
        all.resize_with(5, || LevelDraft { name: RwSignal::new(String::new()), behaviours: RwSignal::new(String::new()) });
        all
    };
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let fresh = id.is_empty();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => {
            errors.set(Vec::new());
            if fresh {
                name.set(String::new());
                description.set(String::new());
            }
            done();
            refresh.update(|n| *n += 1);
        }
        Some(Err(AppError::Invalid(e))) => errors.set(e),
        _ => {}
    });
    let error = move |field: String| move || errors.with(|e| e.iter().find(|x| x.field == field).map(|x| x.message.clone()));
    let submit = {
        let levels = levels.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let levels = levels
                .iter()
                .take(count.get_untracked())
                .enumerate()
                .map(|(i, l)| ProficiencyLevel {
                    level: i as u8 + 1,
                    name: l.name.get_untracked(),
                    indicators: l.behaviours.get_untracked().lines().map(str::to_owned).collect(),
                })
                .collect();
            action.dispatch(SaveCompetency { competency: Competency { id: id.clone(), name: name.get_untracked(), description: description.get_untracked(), levels } });
        }
    };
    view! {
        <form on:submit=submit novalidate data-testid="competency-form">
            <label class="field"><span>"Competency"</span><input bind:value=name /></label>
            <p class="field-error" role="alert">{error("name".into())}</p>
            <label class="field"><span>"Description"</span><textarea rows="2" prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))></textarea></label>
            {levels.into_iter().enumerate().map(|(i, l)| {
                let n = i + 1;
                view! {
                    <Show when=move || n <= count.get()>
                        <fieldset class="competency-question">
                            <legend>{format!("Level {n}")}</legend>
                            <label class="field"><span>{format!("Level {n} name")}</span><input bind:value=l.name /></label>
                            <label class="field"><span>{format!("Level {n} behaviours, one per line")}</span>
                                <textarea rows="3" prop:value=move || l.behaviours.get() on:input=move |ev| l.behaviours.set(event_target_value(&ev))></textarea></label>
                            <p class="field-error" role="alert">{error(format!("level-{n}"))}</p>
                        </fieldset>
                    </Show>
                }
            }).collect_view()}
            <p class="field-error" role="alert">{error("levels".into())}</p>
            <div class="buttons">
                <button type="button" on:click=move |_| count.update(|c| *c = if *c == 5 { 4 } else { 5 })>
                    {move || if count.get() == 5 { "Use 4 levels" } else { "Use 5 levels" }}
                </button>
                <button type="submit" class="primary" disabled=move || action.pending().get()>"Save competency"</button>
            </div>
            <FormError error=form_error(action) />
        </form>
    }
}

#[component]
fn ProfileRow(profile: RoleProfile, competencies: Vec<Competency>, hr: bool) -> impl IntoView {
    let action = ServerAction::<SaveRoleProfile>::new();
    let chosen: Vec<(String, RwSignal<String>)> = competencies
        .iter()
        .map(|c| {
            let level = profile.expected.iter().find(|(id, _)| *id == c.id).map(|(_, l)| l.to_string()).unwrap_or_default();
            (c.id.clone(), RwSignal::new(level))
        })
        .collect();
    let job_title = profile.job_title.clone();
    let save = {
        let chosen = chosen.clone();
        move |_| {
            let expected = chosen.iter().filter_map(|(id, level)| Some((id.clone(), level.get_untracked().parse().ok()?))).collect();
            action.dispatch(SaveRoleProfile { profile: RoleProfile { job_title: job_title.clone(), expected } });
        }
    };
    let saved = move || matches!(action.value().get(), Some(Ok(_)));
    view! {
        <tr data-testid="role-profile">
            <td>{profile.job_title.clone()}</td>
            {competencies.iter().zip(chosen).map(|(c, (_, level))| {
                if !hr {
                    let shown = level.get_untracked();
                    return view! { <td class="num">{if shown.is_empty() { "—".to_owned() } else { shown }}</td> }.into_any();
                }
                let top = c.levels.len();
                view! {
                    <td class="num"><select aria-label=format!("{} for {}", c.name, profile.job_title) prop:value=move || level.get()
                        on:change=move |ev| level.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        {(1..=top).map(|n| view! { <option value=n.to_string() selected=move || level.get() == n.to_string()>{n}</option> }).collect_view()}
                    </select></td>
                }.into_any()
            }).collect_view()}
            {hr.then(|| view! {
                <td>
                    <button on:click=save.clone()>"Save"</button>
                    {move || saved().then_some(" Saved")}
                    {move || action.value().get().and_then(|r| r.err()).map(|e| view! { <span class="form-error">{e.field_message("expected").unwrap_or_else(|| e.to_string())}</span> })}
                </td>
            })}
        </tr>
    }
}
