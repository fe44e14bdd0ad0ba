//! The competency framework: each competency's proficiency levels anchored by behaviours (the
//! anchors ratings pick from), and the level each job title is expected to show.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::planning::load_competency_framework;
use crate::components::layout::{loaded, signed_in};
use crate::model::CompetencyFramework;

#[component]
pub fn CompetenciesPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| async move {
        signed_in(None).await?;
        load_competency_framework().await
    });
    view! {
        <Title text="Competencies" />
        <h1>"Competency framework"</h1>
        <p class="muted">"Each level is described by behaviours you can observe. Ratings pick the level whose behaviours fit, with evidence."</p>
        {loaded(data, |framework: CompetencyFramework| {
            let competencies = framework.competencies.clone();
            view! {
                {framework.competencies.into_iter().map(|c| view! {
                    <section class="card competency" data-testid="competency">
                        <h2>{c.name}</h2>
                        <p class="muted">{c.description}</p>
                        <ol class="levels">
                            {c.levels.into_iter().map(|l| view! {
                                <li>
                                    <strong>{l.level} " · " {l.name}</strong>
                                    <ul>{l.indicators.into_iter().map(|b| view! { <li>{b}</li> }).collect_view()}</ul>
                                </li>
                            }).collect_view()}
                        </ol>
                    </section>
                }).collect_view()}
                <section class="card">
                    <h2>"Role profiles"</h2>
                    <div class="table-wrap">
                        <table data-testid="role-profiles">
                            <thead><tr><th>"Job title"</th>{competencies.iter().map(|c| view! { <th class="num">{c.name.clone()}</th> }).collect_view()}</tr></thead>
                            <tbody>{framework.profiles.into_iter().map(|p| view! {
                                <tr>
                                    <td>{p.job_title.clone()}</td>
                                    {competencies.iter().map(|c| {
                                        let level = p.expected.iter().find(|(id, _)| *id == c.id).map(|(_, l)| l.to_string()).unwrap_or_else(|| "—".into());
                                        view! { <td class="num">{level}</td> }
                                    }).collect_view()}
                                </tr>
                            }).collect_view()}</tbody>
                        </table>
                    </div>
                </section>
            }
        })}
    }
}
