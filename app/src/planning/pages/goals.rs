//! Goals and the line of sight: organisational goals cascaded to unit goals, how many people's
//! plans serve each, and from a goal down to the KRAs that serve it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::planning::api::{SaveGoal, goal_line_of_sight, load_goals};
use crate::ui::form::{FormError, SelectField, TextField, field_error, form_error};
use crate::ui::layout::{loaded, signed_in};
use crate::planning::types::{Coverage, GoalDetail, GoalInput, GoalsOverview};
use crate::auth::types::Role;

fn coverage_text(c: &Coverage) -> String {
    if c.people == 0 {
        "No plan serves it yet".into()
    } else {
        format!("{} {} · mean weight {}%", c.people, if c.people == 1 { "person" } else { "people" }, (c.mean_weight * 10.0).round() / 10.0)
    }
}

#[component]
pub fn GoalsPage() -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let data = Resource::new(move || refresh.get(), |_| async move {
        let user = signed_in(None).await?;
        Ok((load_goals(None).await?, user.has(Role::HrAdmin)))
    });
    view! {
        <Title text="Goals" />
        {loaded(data, move |(overview, hr): (GoalsOverview, bool)| view! {
            <h1>"Goals · " {overview.cycle.name.clone()}</h1>
            <p class="muted">"Organisational goals and the unit goals cascaded from them. Coverage counts the plans whose KRAs serve a goal, directly or through a goal below it."</p>
            <section class="card">
                <ul class="goal-tree" data-testid="goal-tree">
                    {overview.goals.iter().map(|g| view! {
                        <li class=format!("depth-{}", g.depth.min(3))>
                            <a href=format!("/goals/{}", g.goal.id)>{g.goal.title.clone()}</a>
                            {g.goal.unit_name.clone().map(|u| view! { <span class="muted">" · " {u}</span> })}
                            <span class="coverage" data-testid="coverage">{coverage_text(&g.coverage)}</span>
                        </li>
                    }).collect_view()}
                </ul>
                {overview.goals.is_empty().then(|| view! { <p>"No goals in this cycle yet."</p> })}
            </section>
            {hr.then(|| view! { <GoalForm overview=overview.clone() refresh /> })}
        })}
    }
}

#[component]
fn GoalForm(overview: GoalsOverview, refresh: RwSignal<u32>) -> impl IntoView {
    let action = ServerAction::<SaveGoal>::new();
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let unit_id = RwSignal::new(String::new());
    let parent_id = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            title.set(String::new());
            description.set(String::new());
            refresh.update(|n| *n += 1);
        }
    });
    let cycle_id = overview.cycle.id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let some = |s: String| (!s.is_empty()).then_some(s);
        action.dispatch(SaveGoal {
            id: None,
            input: GoalInput {
                cycle_id: cycle_id.clone(),
                title: title.get(),
                description: description.get(),
                unit_id: some(unit_id.get()),
                parent_id: some(parent_id.get()),
            },
        });
    };
    let parents: Vec<(String, String)> =
        overview.goals.iter().map(|g| (g.goal.id.clone(), format!("{}{}", "— ".repeat(g.depth), g.goal.title))).collect();
    let err = move |f| field_error(action, f);
    view! {
        <section class="card">
            <h2>"Add a goal"</h2>
            <p class="muted">"Leave unit and parent empty for an organisational goal; a unit goal names the goal it serves."</p>
            <form on:submit=submit novalidate data-testid="goal-form">
                <TextField label="Goal" name="title" value=title error=err("title") />
                <TextField label="Description" name="description" value=description />
                <SelectField label="Unit" name="unit_id" value=unit_id options=overview.units empty="Whole organisation" error=err("unit_id") />
                <SelectField label="Serves goal" name="parent_id" value=parent_id options=parents empty="None (organisational goal)" error=err("parent_id") />
                <FormError error=form_error(action) />
                <button type="submit" class="primary" disabled=move || action.pending().get()>"Add goal"</button>
            </form>
        </section>
    }
}

#[component]
pub fn GoalPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(move || params.read().get("id").unwrap_or_default(), |id| async move {
        signed_in(None).await?;
        goal_line_of_sight(id).await
    });
    view! {
        {loaded(data, |detail: GoalDetail| {
            let goal = detail.path.first().cloned();
            view! {
                <Title text=goal.as_ref().map(|g| g.title.clone()).unwrap_or_default() />
                <h1>{goal.as_ref().map(|g| g.title.clone())}</h1>
                <nav class="line-of-sight" aria-label="Goals above" data-testid="goal-path">
                    {detail.path.iter().rev().map(|g| view! { <a href=format!("/goals/{}", g.id)>{g.title.clone()}</a> " › " }).collect_view()}
                </nav>
                {goal.and_then(|g| (!g.description.is_empty()).then(|| view! { <p>{g.description}</p> }))}
                <p data-testid="goal-coverage">"Coverage: " {coverage_text(&detail.coverage)}</p>
                {(!detail.children.is_empty()).then(|| view! {
                    <section class="card">
                        <h2>"Cascaded to"</h2>
                        <ul>{detail.children.iter().map(|c| view! {
                            <li><a href=format!("/goals/{}", c.goal.id)>{c.goal.title.clone()}</a>
                                {c.goal.unit_name.clone().map(|u| view! { <span class="muted">" · " {u}</span> })}
                                " — " {coverage_text(&c.coverage)}</li>
                        }).collect_view()}</ul>
                    </section>
                })}
                <section class="card">
                    <h2>"Plans serving this goal"</h2>
                    <p class="muted">"Those you may see: your own, your reporting line's, or everyone's for HR."</p>
                    <div class="table-wrap" tabindex="0">
                        <table data-testid="serving">
                            <thead><tr><th>"Person"</th><th>"KRA"</th><th class="num">"Weight"</th><th class="hide-narrow">"Through"</th></tr></thead>
                            <tbody>{detail.serving.into_iter().map(|s| view! {
                                <tr>
                                    <td><a href=format!("/plans/{}", s.person_id)>{s.person_name}</a></td>
                                    <td>{s.kra_title}</td>
                                    <td class="num">{s.weight} "%"</td>
                                    <td class="hide-narrow">{s.goal_title}</td>
                                </tr>
                            }).collect_view()}</tbody>
                        </table>
                    </div>
                </section>
            }
        })}
    }
}
