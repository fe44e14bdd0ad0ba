use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::org::my_team;
use crate::api::planning::team_scorecard;
use crate::components::layout::{loaded, signed_in};
use crate::components::scorecards::GroupScorecardView;
use crate::model::{GroupScorecard, Role, TeamMember};

#[component]
pub fn TeamPage() -> impl IntoView {
    let team = Resource::new(|| (), |_| async {
        signed_in(Some(Role::Manager)).await?;
        Ok((my_team().await?, team_scorecard(None).await?))
    });
    view! {
        <Title text="My team" />
        <h1>"My team"</h1>
        <p class="muted">"Everyone in your reporting line, direct reports first."</p>
        {loaded(team, |(team, card): (Vec<TeamMember>, GroupScorecard)| view! {
                    <GroupScorecardView card />
                    <div class="table-wrap">
                        <table data-testid="team">
                            <thead>
                                <tr><th>"Name"</th><th>"Job title"</th><th>"Unit"</th><th>"Reports to"</th><th>"Reviews"</th></tr>
                            </thead>
                            <tbody>
                                {team.into_iter().map(|m| view! {
                                    <tr class={if m.depth > 1 { "indirect" } else { "" }}>
                                        <td><a href=format!("/people/{}", m.person.id)>{m.person.name}</a></td>
                                        <td>{m.person.job_title}</td>
                                        <td>{m.person.unit_name}</td>
                                        <td>{m.person.manager_name}</td>
                                        <td><a href=format!("/feedback/{}", m.person.id)>"Self-assessment and feedback"</a></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
        })}
    }
}
