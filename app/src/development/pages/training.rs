//! The training catalogue (each training aimed at the KPI or competency it should move), its
//! sessions and attendance (HR records them), and the training-effect report: attendees before
//! and after against colleagues who did not attend, with the number of people behind each figure.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::development::api::{AddTrainingSession, RecordAttendance, SaveTraining, load_training, load_training_catalogue};
use crate::ui::form::{field_error, reload_after};
use crate::ui::layout::{loaded, signed_in};
use crate::development::types::GroupFigure;
use crate::development::types::TrainingEffect;
use crate::development::types::{Training, TrainingCatalogue, TrainingEffectReport, TrainingSession, TrainingView};
use crate::planning::scoring::percent;

#[component]
pub fn TrainingPage() -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let data = Resource::new(move || refresh.get(), |_| async {
        signed_in(None).await?;
        load_training_catalogue().await
    });
    view! {
        <Title text="Training" />
        {loaded(data, move |c: TrainingCatalogue| view! {
            <h1>"Training"</h1>
            <div class="table-wrap" tabindex="0"><table data-testid="trainings">
                <thead><tr><th>"Training"</th><th>"Provider"</th><th>"Should move"</th><th>"Sessions"</th><th>"Attended"</th></tr></thead>
                <tbody>{c.trainings.iter().map(|t| view! {
                    <tr><td><a href=format!("/training/{}", t.training.id)>{t.training.title.clone()}</a></td><td>{t.training.provider.clone()}</td>
                        <td>{t.training.target_label.clone()}</td><td>{t.sessions}</td><td>{t.attendees}</td></tr>
                }).collect_view()}</tbody>
            </table></div>
            {c.may_edit.then(|| view! { <NewTraining targets=c.targets.clone() refresh /> })}
        })}
    }
}

#[component]
fn NewTraining(targets: Vec<(String, String)>, refresh: RwSignal<u32>) -> impl IntoView {
    let save = ServerAction::<SaveTraining>::new();
    reload_after(save, refresh);
    let (title, provider, description, target) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SaveTraining {
            training: Training { id: String::new(), title: title.get_untracked(), provider: provider.get_untracked(), description: description.get_untracked(), target: target.get_untracked(), target_label: String::new() },
        });
    };
    view! {
        <section class="card">
            <h2>"Add a training"</h2>
            <form on:submit=submit>
                <label class="field"><span>"Title"</span><input type="text" bind:value=title /></label>
                <label class="field"><span>"Provider"</span><input type="text" bind:value=provider /></label>
                <label class="field"><span>"Description"</span><textarea rows="2" bind:value=description></textarea></label>
                <label class="field"><span>"Should move"</span><select prop:value=target on:change=move |ev| target.set(event_target_value(&ev))>
                    <option value="">"(pick a KPI or competency)"</option>
                    {targets.into_iter().map(|(t, l)| view! { <option value=t>{l}</option> }).collect_view()}
                </select></label>
                <button type="submit">"Add training"</button>
            </form>
            <p class="field-error" role="alert">{move || field_error(save, "title").get().or(field_error(save, "target").get())}</p>
        </section>
    }
}

#[component]
pub fn TrainingDetailPage() -> impl IntoView {
    let params = use_params_map();
    let refresh = RwSignal::new(0u32);
    let data = Resource::new(move || (params.read().get("id").unwrap_or_default(), refresh.get()), |(id, _)| async move {
        signed_in(None).await?;
        load_training(id).await
    });
    view! {
        <Title text="Training" />
        {loaded(data, move |v: TrainingView| view! { <Detail view=v refresh /> })}
    }
}

#[component]
fn Detail(view: TrainingView, refresh: RwSignal<u32>) -> impl IntoView {
    let add = ServerAction::<AddTrainingSession>::new();
    reload_after(add, refresh);
    let (held_on, place) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let training_id = view.training.id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        add.dispatch(AddTrainingSession { training_id: training_id.clone(), held_on: held_on.get_untracked(), place: place.get_untracked() });
    };
    let people = StoredValue::new(view.people.clone());
    view! {
        <h1>{view.training.title.clone()}</h1>
        <p>{view.training.description.clone()}</p>
        <p class="muted">{format!("{} · should move {}", view.training.provider, view.training.target_label)}</p>
        {match view.effect.clone() {
            Some(report) => view! { <EffectReport report /> }.into_any(),
            None => view! { <p class="muted">"HR sees the effect of this training on what it should move."</p> }.into_any(),
        }}
        <section class="card">
            <h2>"Sessions"</h2>
            {view.sessions.into_iter().map(|s| view! { <Session session=s may_edit=view.may_edit people refresh /> }).collect_view()}
            {view.may_edit.then(|| view! {
                <form class="inline-form" on:submit=submit>
                    <label>"Date" <input type="date" bind:value=held_on /></label>
                    <label>"Place" <input type="text" bind:value=place /></label>
                    <button type="submit">"Add session"</button>
                </form>
                <p class="field-error" role="alert">{move || field_error(add, "held_on").get()}</p>
            })}
        </section>
    }
}

#[component]
fn Session(session: TrainingSession, may_edit: bool, people: StoredValue<Vec<crate::org::people_types::Colleague>>, refresh: RwSignal<u32>) -> impl IntoView {
    let record = ServerAction::<RecordAttendance>::new();
    reload_after(record, refresh);
    let chosen = RwSignal::new(session.attendees.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>());
    let id = session.id.clone();
    let names: Vec<String> = session.attendees.iter().map(|(_, n)| n.clone()).collect();
    view! {
        <div class="session">
            <h3>{format!("{} {}", session.held_on, session.place)}</h3>
            <p>{if names.is_empty() { "No attendance recorded yet.".to_owned() } else { format!("Attended ({}): {}", names.len(), names.join(", ")) }}</p>
            {may_edit.then(|| view! {
                <details><summary>"Record attendance"</summary>
                    <div class="checkbox-list">{people.get_value().into_iter().map(|p| {
                        let pid = p.id.clone();
                        let checked = chosen.with_untracked(|c| c.contains(&pid));
                        view! { <label><input type="checkbox" prop:checked=checked on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            let pid = pid.clone();
                            chosen.update(|c| { c.retain(|x| *x != pid); if on { c.push(pid); } });
                        } /> {p.name}</label> }
                    }).collect_view()}</div>
                    <button on:click=move |_| { record.dispatch(RecordAttendance { session_id: id.clone(), attendees: chosen.get_untracked() }); }>"Save attendance"</button>
                </details>
            })}
        </div>
    }
}

fn figure(f: &GroupFigure, kpi: bool) -> String {
    let show = |x: f64| if kpi { percent(x) } else { format!("{x:.2}") };
    match f {
        GroupFigure::Shown { people, before, after } => format!("{} → {} (N = {people})", show(*before), show(*after)),
        GroupFigure::Withheld { people } => format!("too few people to show (N = {people})"),
    }
}

#[component]
fn EffectReport(report: TrainingEffectReport) -> impl IntoView {
    let kpi = report.measure == "KPI score";
    let effect = move |e: &TrainingEffect| match e.effect {
        Some(d) if kpi => format!("{:+.1} points", d * 100.0),
        Some(d) => format!("{d:+.2} levels"),
        None => "not shown: a group is too small".to_owned(),
    };
    view! {
        <section class="card">
            <h2>"Training effect"</h2>
            <p class="muted">{report.method.clone()}</p>
            {if report.sessions.is_empty() {
                view! { <p>"No sessions yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0"><table data-testid="training-effect">
                        <thead><tr><th>"Session"</th><th>"Attendees"</th><th>"Did not attend"</th><th>"Effect"</th></tr></thead>
                        <tbody>{report.sessions.iter().map(|(on, e)| view! {
                            <tr><td>{on.clone()}</td><td>{figure(&e.attendees, kpi)}</td><td>{figure(&e.others, kpi)}</td><td>{effect(e)}</td></tr>
                        }).collect_view()}</tbody>
                    </table></div>
                }.into_any()
            }}
        </section>
    }
}
