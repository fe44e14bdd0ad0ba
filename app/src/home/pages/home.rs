use leptos::prelude::*;
use leptos_meta::Title;

use crate::home::api::my_tasks;
use crate::home::rules::due_in_words;
use crate::error::AppError;
use crate::home::types::{Progress, TaskList};
use crate::org::api::home;
use crate::ui::layout::loaded;
use crate::auth::types::Role;
use crate::org::types::HomeSummary;
use crate::org::types::OrgOverview;
use crate::org::people_types::{Person, TeamMember};
use crate::org::pages::organisation::HeadcountTable;

/// One home for everyone: what to do first, then a section for each role the person holds.
#[component]
pub fn HomePage() -> impl IntoView {
    // The tasks draw on every domain: if they fail, the rest of the home still shows.
    let summary = Resource::new(|| (), |_| async { Ok((home().await?, my_tasks().await)) });
    view! {
        <Title text="Home" />
        {loaded(summary, |(s, tasks): (HomeSummary, Result<TaskList, AppError>)| {
            let first_name = s.user.name.split_whitespace().next().unwrap_or_default().to_owned();
            let manager = s.user.has(Role::Manager);
            let hr = s.user.has(Role::HrAdmin);
            let committee = s.user.has(Role::ChangeCommittee);
            view! {
                <h1>"Hello, " {first_name}</h1>
                {match tasks {
                    Ok(mut tasks) => {
                        let progress = tasks.progress.take();
                        view! { <Tasks tasks /> {progress.map(|progress| view! { <ProgressCard progress /> })} }.into_any()
                    }
                    Err(error) => view! {
                        <section class="card" data-testid="tasks"><h2>"To do"</h2><p role="alert">{format!("Your tasks could not be loaded: {error}")}</p></section>
                    }.into_any(),
                }}
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

/// The person's tasks, overdue first; each opens the page where it is done.
#[component]
fn Tasks(tasks: TaskList) -> impl IntoView {
    let overdue = tasks.tasks.iter().filter(|t| t.overdue).count();
    let today = tasks.today.clone();
    view! {
        <section class="card" data-testid="tasks" aria-labelledby="tasks-title">
            <h2 id="tasks-title">
                "To do"
                {(!tasks.tasks.is_empty()).then(|| format!(" ({})", tasks.tasks.len()))}
            </h2>
            {(overdue > 0).then(|| view! { <p class="overdue-note">{format!("{overdue} overdue")}</p> })}
            {if tasks.tasks.is_empty() {
                view! { <p class="muted" data-testid="no-tasks">"Nothing to do right now. New tasks appear here as your cycle moves on."</p> }.into_any()
            } else {
                view! {
                    <ul class="task-list">
                        {tasks.tasks.into_iter().map(|t| {
                            let due = t.due_on.as_deref().map(|d| due_in_words(d, &today));
                            view! {
                                <li class="task" class:overdue=t.overdue data-testid="task">
                                    <a class="task-what" href=t.link>{t.what}</a>
                                    {due.map(|d| view! { <span class="task-due">{d}</span> })}
                                    <p class="task-why">{t.why}</p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// How the person is doing, at a glance, each figure opening where it comes from.
#[component]
fn ProgressCard(progress: Progress) -> impl IntoView {
    let (score, status, run, feedback) = (progress.score_words(), progress.status_words(), progress.run_words(), progress.feedback_words());
    view! {
        <section class="card" data-testid="progress" aria-labelledby="progress-title">
            <h2 id="progress-title">"How you are doing in " {progress.cycle_name}</h2>
            <dl class="facts">
                <dt>"Score so far"</dt>
                <dd data-testid="progress-score"><a href="/scorecards/me">{score}</a></dd>
                <dt>"KPIs"</dt>
                <dd data-testid="progress-status">
                    {status}
                </dd>
                <dt>"Consistency award"</dt>
                <dd data-testid="progress-run"><a href="/recognition">{run}</a></dd>
                <dt>"Feedback received this month"</dt>
                <dd data-testid="progress-feedback"><a href="/feedback">{feedback}</a></dd>
            </dl>
        </section>
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
