//! Calibration of a unit's ratings: the distribution, the 9-box (performance × potential), an
//! adjustment only with a reason (logged with before and after), and HR's lock.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::appraisal::api::{CalibrateRating, LockCalibration, load_calibration};
use crate::appraisal::rules::{NINE_BOX, POTENTIAL, nine_box};
use crate::ui::charts::DistributionChart;
use crate::ui::form::{Confirm, FormError, field_error, form_error, reload_after};
use crate::ui::layout::{loaded, signed_in};
use crate::appraisal::types::{AppraisalLine, CalibrationView};
use crate::planning::scoring::percent;

#[component]
pub fn CalibrationPage() -> impl IntoView {
    let params = use_params_map();
    let refresh = RwSignal::new(0u32);
    let data = Resource::new(move || (params.read().get("unit").unwrap_or_default(), refresh.get()), |(unit, _)| async move {
        signed_in(None).await?;
        load_calibration(unit).await
    });
    view! {
        <Title text="Calibration" />
        {loaded(data, move |c: CalibrationView| view! { <Calibration view=c refresh /> })}
    }
}

#[component]
fn Calibration(view: CalibrationView, refresh: RwSignal<u32>) -> impl IntoView {
    let adjust = ServerAction::<CalibrateRating>::new();
    let lock = ServerAction::<LockCalibration>::new();
    // Locking is for good: confirmed first.
    let locking = RwSignal::new(false);
    reload_after(adjust, refresh);
    reload_after(lock, refresh);
    let top = view.scale.0.last().map_or(5, |b| b.rating);
    let locked = view.locked.is_some();
    let unit = view.unit_id.clone();
    let person = RwSignal::new(String::new());
    let rating = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let rated: Vec<AppraisalLine> = view.lines.iter().filter(|l| l.settled_rating.is_some()).cloned().collect();
    let submit = {
        let unit = unit.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            adjust.dispatch(CalibrateRating { unit_id: unit.clone(), person_id: person.get_untracked(), rating: rating.get_untracked().parse().unwrap_or(0), reason: reason.get_untracked() });
        }
    };
    view! {
        <h1>"Calibration: " {view.unit_name.clone()}</h1>
        <p class="muted">{view.cycle.name.clone()} " · "
            <span data-testid="calibration-lock">{view.locked.clone().unwrap_or_else(|| "Open: ratings may be adjusted with a reason.".into())}</span></p>
        <section class="card">
            <h2>"Distribution of ratings"</h2>
            <DistributionChart distribution=view.distribution.clone() />
        </section>
        <section class="card">
            <h2>"9-box: performance × potential"</h2>
            <NineBox lines=rated.clone() top />
        </section>
        <section class="card">
            <h2>"Ratings"</h2>
            <div class="table-wrap" tabindex="0">
                <table data-testid="calibration-lines">
                    <thead><tr><th>"Name"</th><th>"Manager"</th><th>"State"</th><th>"Final score"</th><th>"Proposed"</th><th>"Rating"</th><th>"Potential"</th></tr></thead>
                    <tbody>{view.lines.iter().map(|l| view! {
                        <tr>
                            <td>{l.person_name.clone()}</td>
                            <td>{l.manager_name.clone()}</td>
                            <td>{l.state.label()}</td>
                            <td>{l.final_score.map(percent)}</td>
                            <td>{l.proposed_rating}</td>
                            <td>{l.settled_rating}</td>
                            <td>{l.potential.map(|p| POTENTIAL[usize::from(p.clamp(1, 3) - 1)])}</td>
                        </tr>
                    }).collect_view()}</tbody>
                </table>
            </div>
        </section>
        {(!locked && !rated.is_empty()).then(|| view! {
            <section class="card">
                <h2>"Adjust a rating"</h2>
                <form on:submit=submit>
                    <label class="field"><span>"Person"</span>
                        <select on:change=move |ev| person.set(event_target_value(&ev))>
                            <option value="">"Pick a person"</option>
                            {rated.iter().map(|l| view! { <option value=l.person_id.clone()>{format!("{} (now {})", l.person_name, l.settled_rating.unwrap_or_default())}</option> }).collect_view()}
                        </select></label>
                    <label class="field"><span>"New rating"</span>
                        <select on:change=move |ev| rating.set(event_target_value(&ev))>
                            <option value="">"Pick a rating"</option>
                            {view.scale.0.iter().map(|b| view! { <option value=b.rating.to_string()>{format!("{} · {}", b.rating, b.label)}</option> }).collect_view()}
                        </select></label>
                    <p class="field-error" role="alert">{move || field_error(adjust, "rating").get()}</p>
                    <label class="field"><span>"Reason (kept in the log)"</span><textarea rows="2" bind:value=reason></textarea></label>
                    <p class="field-error" role="alert">{move || field_error(adjust, "reason").get()}</p>
                    <FormError error=form_error(adjust) />
                    <button class="primary" type="submit">"Adjust rating"</button>
                </form>
            </section>
        })}
        <section class="card">
            <h2>"Calibration log"</h2>
            {if view.log.is_empty() { view! { <p class="muted">"No rating changed in calibration yet."</p> }.into_any() } else { ().into_any() }}
            <ul data-testid="calibration-log">
                {view.log.iter().map(|c| view! { <li>{format!("{}: {} → {} by {} ({}): {}", c.person_name, c.before, c.after, c.by, &c.at[..c.at.len().min(10)], c.reason)}</li> }).collect_view()}
            </ul>
        </section>
        {(view.may_lock && !locked).then(|| view! {
            <p class="field-error" role="alert">{move || field_error(lock, "lock").get()}</p>
            <Show when=move || !locking.get()>
                <button on:click=move |_| locking.set(true)>"Lock this calibration"</button>
            </Show>
            <Confirm asking=locking consequence="The ratings of this unit and the units below it become final: no one can change them after." yes="Yes, lock it"
                on_yes={ let unit = unit.clone(); move || { lock.dispatch(LockCalibration { unit_id: unit.clone() }); } } />
        })}
    }
}

#[component]
fn NineBox(lines: Vec<AppraisalLine>, top: u8) -> impl IntoView {
    let cell = |potential: usize, performance: usize| {
        lines
            .iter()
            .filter(|l| l.potential.zip(l.settled_rating).is_some_and(|(p, r)| nine_box(r, top, p) == (performance, potential)))
            .map(|l| l.person_name.clone())
            .collect::<Vec<_>>()
    };
    let unplaced = lines.iter().filter(|l| l.potential.is_none()).count();
    view! {
        <table class="nine-box" data-testid="nine-box">
            <thead><tr><th>"Potential ↓ / performance →"</th><th>"Low"</th><th>"Medium"</th><th>"High"</th></tr></thead>
            <tbody>{(0..3).rev().map(|potential| view! {
                <tr>
                    <th>{POTENTIAL[potential]}</th>
                    {(0..3).map(|performance| view! {
                        <td data-label=format!("{} potential · {} performance", POTENTIAL[potential], ["Low", "Medium", "High"][performance])>
                            <strong>{NINE_BOX[potential][performance]}</strong><br />{cell(potential, performance).join(", ")}
                        </td>
                    }).collect_view()}
                </tr>
            }).collect_view()}</tbody>
        </table>
        {(unplaced > 0).then(|| view! { <p class="muted">{format!("{unplaced} without a potential rating are not placed.")}</p> })}
    }
}
