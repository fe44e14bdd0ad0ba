use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::org::{get_person, my_team, organisation_overview};
use crate::components::layout::{show, Loading, Protected};
use crate::model::{Role, SessionUser};
use crate::routes::organisation::HeadcountTable;

/// One home for everyone: a section for each role the person holds.
#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="Home" />
        <Protected>
            <Home />
        </Protected>
    }
}

#[component]
fn Home() -> impl IntoView {
    let user = expect_context::<SessionUser>();
    let first_name = user.name.split_whitespace().next().unwrap_or_default().to_owned();
    view! {
        <h1>"Hello, " {first_name}</h1>
        <div class="home-grid">
            <EmployeeHome user=user.clone() />
            {user.has(Role::Manager).then(|| view! { <ManagerHome /> })}
            {user.has(Role::HrAdmin).then(|| view! { <HrHome /> })}
            {user.has(Role::ChangeCommittee).then(|| view! { <CommitteeHome /> })}
        </div>
    }
}

#[component]
fn EmployeeHome(user: SessionUser) -> impl IntoView {
    let me = Resource::new(move || user.id.clone(), get_person);
    view! {
        <section class="card" data-testid="home-employee">
            <h2>"Your work"</h2>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    show(me.await, |p| view! {
                        <dl class="facts">
                            <dt>"Job title"</dt>
                            <dd>{p.job_title}</dd>
                            <dt>"Unit"</dt>
                            <dd>{p.unit_name}</dd>
                            <dt>"Manager"</dt>
                            <dd>{p.manager_name.unwrap_or_else(|| "No manager (top of the organisation)".into())}</dd>
                        </dl>
                    })
                })}
            </Suspense>
            <p class="muted">
                "Your performance plan, KPI scorecard and self-assessment appear here once HR opens a performance cycle."
            </p>
        </section>
    }
}

#[component]
fn ManagerHome() -> impl IntoView {
    let team = Resource::new(|| (), |_| my_team());
    view! {
        <section class="card" data-testid="home-manager">
            <h2>"Your team"</h2>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    show(team.await, |team| {
                        let direct: Vec<_> = team.iter().filter(|m| m.depth == 1).cloned().collect();
                        let indirect = team.len() - direct.len();
                        view! {
                            <p>
                                {direct.len()} " direct report(s)"
                                {(indirect > 0).then(|| format!(", {indirect} more below them"))}
                            </p>
                            <ul class="people-list">
                                {direct
                                    .into_iter()
                                    .map(|m| view! {
                                        <li>
                                            <a href=format!("/people/{}", m.person.id)>{m.person.name}</a>
                                            <span class="muted">" · " {m.person.job_title}</span>
                                        </li>
                                    })
                                    .collect_view()}
                            </ul>
                            <a href="/team">"Whole reporting line"</a>
                        }
                    })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn HrHome() -> impl IntoView {
    let overview = Resource::new(|| (), |_| organisation_overview());
    view! {
        <section class="card" data-testid="home-hr">
            <h2>"HR administration"</h2>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    show(overview.await, |o| view! {
                        <p>
                            {o.active_people} " active people in " {o.units.len()} " units"
                            {(o.inactive_people > 0).then(|| format!(" ({} inactive)", o.inactive_people))}
                        </p>
                    })
                })}
            </Suspense>
            <ul class="actions">
                <li><a href="/people">"Manage people"</a></li>
                <li><a href="/people/import">"Import people from CSV"</a></li>
                <li><a href="/units">"Organise units"</a></li>
            </ul>
        </section>
    }
}

#[component]
fn CommitteeHome() -> impl IntoView {
    let overview = Resource::new(|| (), |_| organisation_overview());
    view! {
        <section class="card" data-testid="home-committee">
            <h2>"Change committee"</h2>
            <p class="muted">"The organisation the rollout covers, as head counts (never individual records)."</p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move { show(overview.await, |o| view! { <HeadcountTable overview=o /> }) })}
            </Suspense>
            <a href="/organisation">"Organisation overview"</a>
        </section>
    }
}
