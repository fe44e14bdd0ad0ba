//! Pulse surveys open to the signed-in person, answered anonymously on a 1–5 scale.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::change::api::{AnswerPulse, my_pulses};
use crate::disclosure::MIN_GROUP;
use crate::ui::form::{FormError, field_error, form_error, reload_after};
use crate::ui::layout::{loaded, signed_in};
use crate::change::types::OpenPulse;

const SCALE: [&str; 5] = ["1 Not at all", "2 A little", "3 Partly", "4 Mostly", "5 Fully"];

#[component]
pub fn PulsePage() -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let data = Resource::new(move || refresh.get(), |_| async move {
        signed_in(None).await?;
        my_pulses().await
    });
    view! {
        <Title text="Pulse surveys" />
        <h1>"Pulse surveys"</h1>
        <p class="muted">{format!("Your answers are anonymous: they are stored without your name, and results are shown only once a survey closes, for groups of at least {MIN_GROUP} people, and never where a smaller group could be worked out.")}</p>
        {loaded(data, move |pulses: Vec<OpenPulse>| {
            if pulses.is_empty() {
                return view! { <p>"No survey is open for you right now."</p> }.into_any();
            }
            pulses.into_iter().map(|p| view! { <PulseForm pulse=p refresh /> }).collect_view().into_any()
        })}
    }
}

#[component]
fn PulseForm(pulse: OpenPulse, refresh: RwSignal<u32>) -> impl IntoView {
    let action = ServerAction::<AnswerPulse>::new();
    reload_after(action, refresh);
    if pulse.answered {
        return view! {
            <section class="card" data-testid="pulse-answered">
                <h2>{pulse.title}</h2>
                <p class="success">"Thank you. Your answers were recorded anonymously."</p>
            </section>
        }
        .into_any();
    }
    let scores: Vec<RwSignal<u8>> = pulse.questions.iter().map(|_| RwSignal::new(0)).collect();
    let submit = {
        let scores = scores.clone();
        let id = pulse.id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            action.dispatch(AnswerPulse { pulse_id: id.clone(), scores: scores.iter().map(|s| s.get()).collect() });
        }
    };
    view! {
        <section class="card" data-testid="pulse-survey">
            <h2>{pulse.title.clone()}</h2>
            <p class="muted">{pulse.programme.clone()}</p>
            <form on:submit=submit novalidate>
                {pulse.questions.iter().zip(scores).enumerate().map(|(i, (q, score))| view! {
                    <fieldset class="field scale">
                        <legend>{q.clone()}</legend>
                        {SCALE.iter().enumerate().map(|(k, label)| {
                            let n = k as u8 + 1;
                            view! {
                                <label class="check">
                                    <input type="radio" name=format!("{}-q{i}", pulse.id) value=n.to_string()
                                        prop:checked=move || score.get() == n on:change=move |_| score.set(n) />
                                    " " {*label}
                                </label>
                            }
                        }).collect_view()}
                        <p class="field-error" role="alert">{field_error(action, format!("q{i}"))}</p>
                    </fieldset>
                }).collect_view()}
                <p class="field-error" role="alert">{field_error(action, "scores")}</p>
                <FormError error=form_error(action) />
                <button type="submit" class="primary">"Send answers"</button>
            </form>
        </section>
    }
    .into_any()
}
