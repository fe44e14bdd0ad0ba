use leptos::prelude::*;
use leptos_meta::Title;

use crate::org::api::home;
use crate::ui::layout::loaded;
use crate::auth::types::Role;
use crate::org::types::HomeSummary;
use crate::org::types::OrgOverview;
use crate::org::people_types::{Person, TeamMember};
use crate::org::pages::organisation::HeadcountTable;

/// One home for everyone: a section for each role the person holds.
#[component]
pub fn HomePage() -> impl IntoView {
    let summary = Resource::new(|| (), |_| home());
    view! {
        <Title text="Home" />
        {loaded(summary, |s: HomeSummary| {
            let first_name = s.user.name.split_whitespace().next().unwrap_or_default().to_owned();
            let manager = s.user.has(Role::Manager);
            let hr = s.user.has(Role::HrAdmin);
            let committee = s.user.has(Role::ChangeCommittee);
            view! {
                <h1>"Hello, " {first_name}</h1>
                <div class="home-grid">
                    <EmployeeHome me=s.me />
                    {manager.then(|| view! { <ManagerHome team=s.team /> })}
                    {s.overview.clone().filter(|_| hr).map(|o| view! { <HrHome overview=o /> })}
                    {s.overview.filter(|_| committee).map(|o| view! { <CommitteeHome overview=o /> })}
                </div>
            }
        })}
    }
}

#[component]
fn EmployeeHome(me: Person) -> impl IntoView {
    view! {
        <section class="card" data-testid="home-employee">
            <h2>"Your work"</h2>
            <dl class="facts">
                <dt>"Job title"</dt>
                <dd>{me.job_title}</dd>
                <dt>"Unit"</dt>
                <dd>{me.unit_name}</dd>
                <dt>"Manager"</dt>
                <dd>{me.manager_name.unwrap_or_else(|| "No manager (top of the organisation)".into())}</dd>
            </dl>
            <p class="muted">
                "Your performance plan, KPI scorecard and self-assessment appear here once HR opens a performance cycle."
            </p>
        </section>
    }
}

#[component]
fn ManagerHome(team: Vec<TeamMember>) -> impl IntoView {
    let direct: Vec<TeamMember> = team.iter().filter(|m| m.depth == 1).cloned().collect();
    let indirect = team.len() - direct.len();
    view! {
        <section class="card" data-testid="home-manager">
            <h2>"Your team"</h2>
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
        </section>
    }
}

#[component]
fn HrHome(overview: OrgOverview) -> impl IntoView {
    view! {
        <section class="card" data-testid="home-hr">
            <h2>"HR administration"</h2>
            <p>
                {overview.active_people} " active people in " {overview.units.len()} " units"
                {(overview.inactive_people > 0).then(|| format!(" ({} inactive)", overview.inactive_people))}
            </p>
            <ul class="actions">
                <li><a href="/people">"Manage people"</a></li>
                <li><a href="/people/import">"Import people from CSV"</a></li>
                <li><a href="/units">"Organise units"</a></li>
            </ul>
        </section>
    }
}

#[component]
fn CommitteeHome(overview: OrgOverview) -> impl IntoView {
    view! {
        <section class="card" data-testid="home-committee">
            <h2>"Change committee"</h2>
            <p class="muted">"The organisation the rollout covers, as head counts (never individual records)."</p>
            <HeadcountTable overview />
            <a href="/organisation">"Organisation overview"</a> " · " <a href="/change">"Change programmes"</a>
        </section>
    }
}
