//! Continuous feedback, offline-capable: give feedback in Situation-Behaviour-Impact form (or keep
//! a private note), ask a colleague or one's manager for feedback, answer or decline what others
//! asked, and read what one received and gave. A manager reads what their reports received on
//! `/feedback/:id`.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_meta::Title;
use serde_json::json;

use crate::planning::api::load_competency_framework;
use crate::offline::api::{feedback_about, self_assessment_of};
use crate::ui::layout::{loaded, person_page_data};
use crate::offline::pages::status::OfflineCopy;
use crate::offline::types::{Feedback, FeedbackLine, FeedbackRequest, RequestState, SelfAssessment};
use crate::offline::snapshot::OfflineSnapshot;
use crate::offline::client::{Offline, new_id, today_on_device};
use crate::sync::protocol::{Kind, RecordRef, Values};

#[component]
pub fn FeedbackPage() -> impl IntoView {
    view! {
        <Title text="Feedback" />
        <h1>"Feedback"</h1>
        <OfflineCopy render=|snapshot| view! { <FeedbackBoard snapshot /> } />
    }
}

#[component]
fn FeedbackBoard(snapshot: OfflineSnapshot) -> impl IntoView {
    let offline = expect_context::<Offline>();
    let me = snapshot.person_id.clone();
    let mut names: HashMap<String, String> = snapshot.colleagues.iter().map(|c| (c.id.clone(), c.name.clone())).collect();
    names.insert(me.clone(), "You".into());
    // Stored once, so the name lookup is a `Copy` closure every list can use.
    let names = StoredValue::new(names);
    let name_of = move |id: &str| names.with_value(|n| n.get(id).cloned()).unwrap_or_else(|| "someone who has left".into());
    let feedback = Memo::new(move |_| {
        let mut all: Vec<Feedback> = offline.replica.with(|r| r.view_all(Kind::Feedback).iter().map(|(id, v)| Feedback::from_values(id, v)).collect());
        all.sort_by(|a, b| b.given_on.cmp(&a.given_on));
        all
    });
    let requests = Memo::new(move |_| offline.replica.with(|r| r.view_all(Kind::FeedbackRequest).iter().map(|(id, v)| FeedbackRequest::from_values(id, v)).collect::<Vec<_>>()));

    // Giving feedback (or answering a request).
    let to = RwSignal::new(String::new());
    let situation = RwSignal::new(String::new());
    let behaviour = RwSignal::new(String::new());
    let impact = RwSignal::new(String::new());
    let private = RwSignal::new(false);
    let answering = RwSignal::new(None::<String>);
    let given = RwSignal::new(None::<Result<String, String>>);
    let give = {
        let me = me.clone();
        move |_| {
            let feedback = Feedback {
                id: new_id(),
                giver_id: me.clone(),
                receiver_id: to.get_untracked(),
                situation: situation.get_untracked().trim().to_owned(),
                behaviour: behaviour.get_untracked().trim().to_owned(),
                impact: impact.get_untracked().trim().to_owned(),
                private: private.get_untracked() && answering.get_untracked().is_none(),
                request_id: answering.get_untracked(),
                given_on: today_on_device(),
            };
            if feedback.receiver_id.is_empty() {
                return given.set(Some(Err("Choose who the feedback is for.".into())));
            }
            if [&feedback.situation, &feedback.behaviour, &feedback.impact].iter().any(|t| t.is_empty()) {
                return given.set(Some(Err("Describe the situation, the behaviour and its impact.".into())));
            }
            offline.edit(RecordRef::new(Kind::Feedback, feedback.id.clone()), feedback.to_values());
            [situation, behaviour, impact].iter().for_each(|s| s.set(String::new()));
            private.set(false);
            answering.set(None);
            given.set(Some(Ok("Saved. It is sent as soon as there is a connection.".into())));
        }
    };

    // Asking for feedback.
    let ask_whom = RwSignal::new(String::new());
    let ask_what = RwSignal::new(String::new());
    let asked = RwSignal::new(None::<Result<String, String>>);
    let ask = {
        let me = me.clone();
        move |_| {
            let request = FeedbackRequest {
                id: new_id(),
                asker_id: me.clone(),
                asked_id: ask_whom.get_untracked(),
                message: ask_what.get_untracked().trim().to_owned(),
                state: RequestState::Open,
                asked_on: today_on_device(),
            };
            if request.asked_id.is_empty() || request.message.is_empty() {
                return asked.set(Some(Err("Choose whom to ask and say what you would like feedback on.".into())));
            }
            offline.edit(RecordRef::new(Kind::FeedbackRequest, request.id.clone()), request.to_values());
            ask_what.set(String::new());
            asked.set(Some(Ok("Asked. They see it once this device has synced.".into())));
        }
    };

    let colleagues = snapshot.colleagues.clone();
    let options = move |selected: RwSignal<String>| {
        view! {
            <option value="">"Choose a colleague"</option>
            {colleagues.iter().map(|c| {
                let id = c.id.clone();
                view! { <option value=id.clone() selected=move || selected.get() == id>{format!("{} · {}", c.name, c.job_title)}</option> }
            }).collect_view()}
        }
    };
    let note = |result: RwSignal<Option<Result<String, String>>>| {
        move || result.get().map(|r| match r {
            Ok(m) => view! { <p class="ok" role="status">{m}</p> }.into_any(),
            Err(m) => view! { <p class="form-error" role="alert">{m}</p> }.into_any(),
        })
    };
    let to_me = {
        let me = me.clone();
        move || requests.get().into_iter().filter(|r| r.asked_id == me && r.state == RequestState::Open).collect::<Vec<_>>()
    };
    let mine = {
        let me = me.clone();
        move || requests.get().into_iter().filter(|r| r.asker_id == me).collect::<Vec<_>>()
    };
    let received = {
        let me = me.clone();
        move || feedback.get().into_iter().filter(|f| f.receiver_id == me).collect::<Vec<_>>()
    };
    let gave = {
        let me = me.clone();
        move || feedback.get().into_iter().filter(|f| f.giver_id == me).collect::<Vec<_>>()
    };
    view! {
        <section class="card" data-testid="give-feedback">
            <h2>{move || if answering.get().is_some() { "Answer a request" } else { "Give feedback" }}</h2>
            <p class="muted">"Situation: when and where. Behaviour: what the person did, as you saw it. Impact: what came of it."</p>
            <label class="field"><span>"For"</span>
                <select on:change=move |ev| to.set(event_target_value(&ev)) prop:value=move || to.get()>{options(to)}</select>
            </label>
            <label class="field"><span>"Situation"</span><textarea id="feedback-situation" rows="2" prop:value=move || situation.get() on:input=move |ev| situation.set(event_target_value(&ev))></textarea></label>
            <label class="field"><span>"Behaviour"</span><textarea rows="2" prop:value=move || behaviour.get() on:input=move |ev| behaviour.set(event_target_value(&ev))></textarea></label>
            <label class="field"><span>"Impact"</span><textarea rows="2" prop:value=move || impact.get() on:input=move |ev| impact.set(event_target_value(&ev))></textarea></label>
            <label class="check"><input type="checkbox" prop:checked=move || private.get() disabled=move || answering.get().is_some()
                on:change=move |ev| private.set(event_target_checked(&ev)) />" Private note: only I will see it"</label>
            <div class="buttons"><button class="primary" on:click=give>"Save feedback"</button></div>
            {note(given)}
        </section>
        <section class="card" data-testid="ask-feedback">
            <h2>"Ask for feedback"</h2>
            <label class="field"><span>"Ask"</span><select on:change=move |ev| ask_whom.set(event_target_value(&ev)) prop:value=move || ask_whom.get()>{options.clone()(ask_whom)}</select></label>
            <label class="field"><span>"On what"</span><textarea rows="2" prop:value=move || ask_what.get() on:input=move |ev| ask_what.set(event_target_value(&ev))></textarea></label>
            <div class="buttons"><button on:click=ask>"Ask"</button></div>
            {note(asked)}
        </section>
        <section class="card" data-testid="requests-to-me">
            <h2>"Asked of you"</h2>
            {move || {
                let open = to_me();
                if open.is_empty() { return view! { <p class="muted">"Nobody is waiting for your feedback."</p> }.into_any() }
                view! { <ul class="plain">{open.into_iter().map(|r| {
                    let (answer_id, decline_id, asker) = (r.id.clone(), r.id.clone(), r.asker_id.clone());
                    view! { <li>
                        <strong>{name_of(&r.asker_id)}</strong> " asks: " {r.message.clone()} " "
                        <button class="link-button" on:click=move |_| { answering.set(Some(answer_id.clone())); to.set(asker.clone()); crate::ui::form::focus_on("feedback-situation"); }>"Answer"</button>
                        <button class="link-button" on:click=move |_| offline.edit(RecordRef::new(Kind::FeedbackRequest, decline_id.clone()),
                            Values::from([("state".to_owned(), json!(RequestState::Declined.as_str()))]))>"Decline"</button>
                    </li> }
                }).collect_view()}</ul> }.into_any()
            }}
        </section>
        <section class="card" data-testid="my-requests">
            <h2>"Your requests"</h2>
            {move || {
                let all = mine();
                if all.is_empty() { return view! { <p class="muted">"You have not asked anyone yet."</p> }.into_any() }
                view! { <ul class="plain">{all.into_iter().map(|r| {
                    let id = r.id.clone();
                    let open = r.state == RequestState::Open;
                    view! { <li>
                        <strong>{name_of(&r.asked_id)}</strong> ": " {r.message.clone()} " · " {r.state.as_str()}
                        {open.then(|| view! { " " <button class="link-button" on:click=move |_| offline.delete(RecordRef::new(Kind::FeedbackRequest, id.clone()))>"Withdraw"</button> })}
                    </li> }
                }).collect_view()}</ul> }.into_any()
            }}
        </section>
        <section class="card" data-testid="received">
            <h2>"Received"</h2>
            {move || feedback_list(received(), name_of, true)}
        </section>
        <section class="card" data-testid="given">
            <h2>"Given"</h2>
            {move || feedback_list(gave(), name_of, false)}
        </section>
    }
}

fn feedback_list(items: Vec<Feedback>, name_of: impl Fn(&str) -> String, received: bool) -> AnyView {
    if items.is_empty() {
        return view! { <p class="muted">"None yet."</p> }.into_any();
    }
    view! {
        <ul class="plain feedback-list">{items.into_iter().map(|f| {
            let who = if received { format!("From {}", name_of(&f.giver_id)) } else { format!("To {}", name_of(&f.receiver_id)) };
            view! { <li><Sbi feedback=f.clone() heading=who /></li> }
        }).collect_view()}</ul>
    }
    .into_any()
}

#[component]
fn Sbi(feedback: Feedback, heading: String) -> impl IntoView {
    view! {
        <p><strong>{heading}</strong> " · " {feedback.given_on.clone()} {feedback.private.then_some(" · private note")}</p>
        <dl class="sbi">
            <dt>"Situation"</dt><dd>{feedback.situation.clone()}</dd>
            <dt>"Behaviour"</dt><dd>{feedback.behaviour.clone()}</dd>
            <dt>"Impact"</dt><dd>{feedback.impact.clone()}</dd>
        </dl>
    }
}

/// A person's submitted self-assessment and the feedback they received, for their managers (and
/// themselves, and HR).
#[component]
pub fn FeedbackAboutPage() -> impl IntoView {
    let data = person_page_data(RwSignal::new(0), |id: String| async move {
        let sa = self_assessment_of(id.clone()).await?;
        let feedback = feedback_about(id).await?;
        let framework = load_competency_framework().await?;
        let names: HashMap<String, String> = framework.competencies.into_iter().map(|c| (c.id, c.name)).collect();
        Ok::<_, crate::error::AppError>((sa, feedback, names))
    });
    view! {
        <Title text="Self-assessment and feedback" />
        <h1>"Self-assessment and feedback"</h1>
        {loaded(data, |(sa, feedback, names): (Option<SelfAssessment>, Vec<FeedbackLine>, HashMap<String, String>)| view! {
            <section class="card" data-testid="their-self-assessment">
                <h2>"Self-assessment"</h2>
                {match sa {
                    None => view! { <p class="muted">"Not submitted yet."</p> }.into_any(),
                    Some(sa) => view! {
                        <p>{if sa.submitted { "Submitted." } else { "Draft (only you see it)." }}</p>
                        <ul class="plain">{sa.competencies.into_iter().map(|a| view! {
                            <li><strong>{format!("{}: level {}", names.get(&a.competency_id).cloned().unwrap_or_default(), a.level)}</strong> " — " {a.evidence}</li>
                        }).collect_view()}</ul>
                        <p><strong>"Strengths: "</strong>{sa.strengths}</p>
                        <p><strong>"Development wishes: "</strong>{sa.development}</p>
                    }.into_any(),
                }}
            </section>
            <section class="card" data-testid="their-feedback">
                <h2>"Feedback received"</h2>
                {if feedback.is_empty() { view! { <p class="muted">"None yet."</p> }.into_any() } else {
                    view! { <ul class="plain feedback-list">{feedback.into_iter().map(|line| view! {
                        <li><Sbi feedback=line.feedback heading=format!("From {}", line.giver_name) /></li>
                    }).collect_view()}</ul> }.into_any()
                }}
            </section>
        })}
    }
}
