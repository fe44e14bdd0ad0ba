//! Recognition: kudos to a colleague for a competency they showed, and the recognition of oneself
//! and one's reporting line (the consistency rule and kudos received).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::development::api::{GiveKudos, load_recognition};
use crate::ui::form::{field_error, reload_after};
use crate::ui::layout::{loaded, signed_in};
use crate::development::types::{Recognition, RecognitionView};

#[component]
pub fn RecognitionPage() -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let data = Resource::new(move || refresh.get(), |_| async {
        signed_in(None).await?;
        load_recognition().await
    });
    view! {
        <Title text="Recognition" />
        {loaded(data, move |v: RecognitionView| view! {
            <h1>"Recognition"</h1>
            <p class="muted">{format!("Recognised for consistency: at or above target for {} periods in a row (HR sets the number).", v.periods_needed)}</p>
            <GiveKudos view=v.clone() refresh />
            <section class="card">
                <h2>"You and your team"</h2>
                <RecognitionList people=v.people.clone() />
            </section>
        })}
    }
}

#[component]
fn GiveKudos(view: RecognitionView, refresh: RwSignal<u32>) -> impl IntoView {
    let give = ServerAction::<GiveKudos>::new();
    reload_after(give, refresh);
    let receiver = RwSignal::new(String::new());
    let competency = RwSignal::new(String::new());
    let message = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        give.dispatch(GiveKudos { receiver_id: receiver.get_untracked(), competency_id: competency.get_untracked(), message: message.get_untracked() });
    };
    view! {
        <section class="card">
            <h2>"Give kudos"</h2>
            <form on:submit=submit>
                <label class="field"><span>"To"</span><select aria-label="To" prop:value=receiver on:change=move |ev| receiver.set(event_target_value(&ev))>
                    <option value="">"(pick a colleague)"</option>
                    {view.colleagues.into_iter().map(|c| view! { <option value=c.id>{c.name}</option> }).collect_view()}
                </select></label>
                <label class="field"><span>"For the competency"</span><select aria-label="For the competency" prop:value=competency on:change=move |ev| competency.set(event_target_value(&ev))>
                    <option value="">"(pick a competency)"</option>
                    {view.competencies.into_iter().map(|c| view! { <option value=c.id>{c.name}</option> }).collect_view()}
                </select></label>
                <label class="field"><span>"What they did"</span><textarea rows="2" bind:value=message></textarea></label>
                <button type="submit">"Give kudos"</button>
            </form>
            <p class="field-error" role="alert">{move || ["receiver", "competency", "message"].iter().find_map(|f| field_error(give, *f).get())}</p>
            <h3>"Kudos you gave"</h3>
            <ul data-testid="kudos-given">{view.given.into_iter().map(|k| view! {
                <li>{format!("To {} for {} ({}): {}", k.receiver_name, k.competency_name, k.given_on, k.message)}</li>
            }).collect_view()}</ul>
        </section>
    }
}

/// Each person's recognition: the consistency badge and the kudos received.
#[component]
pub fn RecognitionList(people: Vec<Recognition>) -> impl IntoView {
    view! {
        <ul class="plain-list" data-testid="recognition">
            {people.into_iter().map(|r| view! {
                <li>
                    <strong>{r.person_name.clone()}</strong>
                    {r.consistency.as_ref().map(|s| view! { " " <span class="badge good">{s.describe()}</span> })}
                    {(r.consistency.is_none() && r.kudos.is_empty()).then(|| view! { <span class="muted">" · nothing yet"</span> })}
                    <ul>{r.kudos.iter().take(5).map(|k| view! {
                        <li>{format!("Kudos from {} for {} ({}): {}", k.giver_name, k.competency_name, k.given_on, k.message)}</li>
                    }).collect_view()}</ul>
                </li>
            }).collect_view()}
        </ul>
    }
}
