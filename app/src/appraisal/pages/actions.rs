//! The list of agreed actions (title, kind, what it should move, due date) that an appraisal
//! conversation and a check-in both end with; each becomes a development-plan item.

use leptos::prelude::*;

use crate::appraisal::types::{ACTION_KINDS, AgreedAction};

/// `targets`: (target, label) the action may name; `list` reads the actions, `save` writes the
/// whole list.
pub fn actions_editor(
    targets: Vec<(String, String)>,
    list: impl Fn() -> Vec<AgreedAction> + Copy + Send + Sync + 'static,
    locked: impl Fn() -> bool + Copy + Send + Sync + 'static,
    save: impl Fn(Vec<AgreedAction>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let title = RwSignal::new(String::new());
    let kind = RwSignal::new("training".to_owned());
    let target = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<&'static str>);
    let target_name = {
        let targets = targets.clone();
        move |id: &str| targets.iter().find(|(t, _)| t == id).map(|(_, n)| n.clone()).unwrap_or_default()
    };
    let add = move |_| {
        if title.get_untracked().trim().is_empty() || crate::planning::rules::parse_date(&due.get_untracked()).is_none() {
            problem.set(Some("Give the action a title and a due date."));
            return;
        }
        problem.set(None);
        let mut actions = list();
        actions.push(AgreedAction { title: title.get_untracked().trim().to_owned(), kind: kind.get_untracked(), target: target.get_untracked(), due_on: due.get_untracked() });
        save(actions);
        title.set(String::new());
    };
    view! {
        <ul data-testid="agreed-actions">
            {move || list().into_iter().enumerate().map(|(i, action)| {
                let kind_label = ACTION_KINDS.iter().find(|(k, _)| *k == action.kind).map_or("", |(_, l)| *l);
                view! {
                    <li>{format!("{} ({kind_label}{}), due {}", action.title, if action.target.is_empty() { String::new() } else { format!(", for {}", target_name(&action.target)) }, action.due_on)}
                        {(!locked()).then(|| view! { " " <button class="link-button" on:click=move |_| {
                            let mut actions = list();
                            actions.remove(i);
                            save(actions);
                        }>"Remove"</button> })}
                    </li>
                }
            }).collect_view()}
        </ul>
        {move || (!locked()).then(|| {
            let targets = targets.clone();
            view! {
                <div class="inline-form">
                    <label>"Action" <input type="text" bind:value=title /></label>
                    <label>"Kind" <select prop:value=kind on:change=move |ev| kind.set(event_target_value(&ev))>
                        {ACTION_KINDS.iter().map(|(k, l)| view! { <option value=*k>{*l}</option> }).collect_view()}
                    </select></label>
                    <label>"For" <select on:change=move |ev| target.set(event_target_value(&ev))>
                        <option value="">"(nothing named)"</option>
                        {targets.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                    </select></label>
                    <label>"Due" <input type="date" bind:value=due /></label>
                    <button on:click=add>"Add action"</button>
                    <p class="field-error" role="alert">{move || problem.get()}</p>
                </div>
            }
        })}
    }
}
