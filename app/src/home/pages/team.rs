use leptos::prelude::*;
use leptos_meta::Title;

use crate::development::api::load_recognition;
use crate::org::api::my_team;
use crate::planning::api::team_scorecard;
use crate::ui::layout::{loaded, signed_in};
use crate::planning::pages::scorecard_list::GroupScorecardView;
use crate::planning::types::GroupScorecard;
use crate::development::types::Recognition;
use crate::auth::types::Role;
use crate::org::people_types::TeamMember;
use crate::development::pages::recognition::RecognitionList;

#[component]
pub fn TeamPage() -> impl IntoView {
    let team = Resource::new(|| (), |_| async {
        signed_in(Some(Role::Manager)).await?;
        Ok((my_team().await?, team_scorecard(None).await?, load_recognition().await?.people))
    });
    view! {
        <Title text="My team" />
        <h1>"My team"</h1>
        <p class="muted">"Everyone in your reporting line, direct reports first."</p>
        {loaded(team, |(team, card, recognition): (Vec<TeamMember>, GroupScorecard, Vec<Recognition>)| view! {
                    <GroupScorecardView card />
                    <section class="card">
                        <h2>"Recognition"</h2>
                        <RecognitionList people=recognition.into_iter().skip(1).collect() />
                    </section>
                    <div class="table-wrap" tabindex="0">
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
