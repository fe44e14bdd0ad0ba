//! HR's cycles (planning → active → appraisal → closed) and the rating scale scores map onto.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::planning::api::{AdvanceCycle, CreateCycle, SaveRatingScale, SetCycleDeadlines, list_cycles, rating_scale};
use crate::ui::form::{Confirm, FormError, SelectField, TextField, field_error, form_error};
use crate::ui::layout::{loaded, signed_in};
use crate::planning::types::{Cycle, CycleInput, CycleState, Deadlines, PeriodKind};
use crate::auth::types::Role;
use crate::planning::scoring::{RatingBand, RatingBands};

#[component]
pub fn CyclesPage() -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let data = Resource::new(move || refresh.get(), |_| async move {
        signed_in(Some(Role::HrAdmin)).await?;
        Ok((list_cycles().await?, rating_scale().await?))
    });
    view! {
        <Title text="Cycles" />
        <h1>"Cycles and rating scale"</h1>
        {loaded(data, move |(cycles, bands): (Vec<Cycle>, RatingBands)| view! {
            // The latest open cycle's deadlines (the list is latest first).
            {cycles.iter().find(|c| c.state != CycleState::Closed).cloned().map(|cycle| view! { <DeadlinesForm cycle /> })}
            <CycleList cycles refresh />
            <CycleForm refresh />
            <RatingScaleForm bands />
        })}
    }
}

#[component]
fn CycleList(cycles: Vec<Cycle>, refresh: RwSignal<u32>) -> impl IntoView {
    let advance = ServerAction::<AdvanceCycle>::new();
    // Every move is for good, so each is confirmed first (`Confirm`).
    Effect::new(move |_| {
        if let Some(Ok(_)) = advance.value().get() {
            refresh.update(|n| *n += 1);
        }
    });
    view! {
        <section class="card">
            <div class="table-wrap" tabindex="0">
                <table data-testid="cycles">
                    <thead><tr><th>"Cycle"</th><th>"From"</th><th>"To"</th><th>"Periods"</th><th>"State"</th><th></th></tr></thead>
                    <tbody>{cycles.into_iter().map(|c| {
                        let id = c.id.clone();
                        view! {
                            <tr>
                                <td>{c.name.clone()}</td><td>{c.starts_on.clone()}</td><td>{c.ends_on.clone()}</td>
                                <td>{match c.period_kind { PeriodKind::Quarter => "Quarters", PeriodKind::Month => "Months" }}</td>
                                <td data-testid="cycle-state">{c.state.label()}</td>
                                <td>{c.state.next().map(|next| {
                                    let asking = RwSignal::new(false);
                                    let id = id.clone();
                                    view! {
                                        <Show when=move || !asking.get()>
                                            <button class="button" on:click=move |_| asking.set(true)>{format!("Move to {}", next.label().to_lowercase())}</button>
                                        </Show>
                                        <Confirm asking consequence=next.moving_means() yes=format!("Yes, move to {}", next.label().to_lowercase())
                                            on_yes=move || { advance.dispatch(AdvanceCycle { id: id.clone() }); } />
                                    }
                                })}</td>
                            </tr>
                        }
                    }).collect_view()}</tbody>
                </table>
            </div>
            <FormError error=form_error(advance) />
        </section>
    }
}

/// The days people's tasks are due by; an empty field sets none.
#[component]
fn DeadlinesForm(cycle: Cycle) -> impl IntoView {
    let action = ServerAction::<SetCycleDeadlines>::new();
    let d = cycle.deadlines.clone();
    let plans = RwSignal::new(d.plans_agreed_by.unwrap_or_default());
    let actuals = RwSignal::new(d.actuals_within_days.map(|n| n.to_string()).unwrap_or_default());
    let self_assessment = RwSignal::new(d.self_assessment_by.unwrap_or_default());
    let conversations = RwSignal::new(d.conversations_by.unwrap_or_default());
    let calibration = RwSignal::new(d.calibration_by.unwrap_or_default());
    let check_ins = RwSignal::new(d.check_in_every_days.map(|n| n.to_string()).unwrap_or_default());
    let id = cycle.id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let day = |s: RwSignal<String>| Some(s.get().trim().to_owned()).filter(|t| !t.is_empty());
        // Not a whole number: sent as one over the limit, which the rule refuses with the range.
        let days = |s: RwSignal<String>| Some(s.get().trim().to_owned()).filter(|t| !t.is_empty()).map(|t| t.parse::<u32>().unwrap_or(u32::MAX));
        let deadlines = Deadlines {
            plans_agreed_by: day(plans),
            actuals_within_days: days(actuals),
            self_assessment_by: day(self_assessment),
            conversations_by: day(conversations),
            calibration_by: day(calibration),
            check_in_every_days: days(check_ins),
        };
        action.dispatch(SetCycleDeadlines { id: id.clone(), deadlines });
    };
    let err = move |f| field_error(action, f);
    view! {
        <section class="card">
            <h2>{format!("Deadlines of {}", cycle.name)}</h2>
            <p class="muted">"People's tasks are due by these days, and show as overdue after them. Leave a field empty for no deadline."</p>
            <form on:submit=submit novalidate data-testid="deadlines-form">
                <TextField label="Plans agreed by" name="plans_agreed_by" value=plans kind="date" error=err("plans_agreed_by") />
                <TextField label="Actuals due (days after a period ends)" name="actuals_within_days" value=actuals kind="number" error=err("actuals_within_days") hint="e.g. 10" />
                <TextField label="Self-assessment by" name="self_assessment_by" value=self_assessment kind="date" error=err("self_assessment_by") />
                <TextField label="Appraisal conversations by" name="conversations_by" value=conversations kind="date" error=err("conversations_by") />
                <TextField label="Calibration by" name="calibration_by" value=calibration kind="date" error=err("calibration_by") />
                <TextField label="Check-ins every (days)" name="check_in_every_days" value=check_ins kind="number" error=err("check_in_every_days") hint="e.g. 30 for monthly" />
                <FormError error=form_error(action) />
                <Show when=move || matches!(action.value().get(), Some(Ok(_)))><p class="success" role="status">"Deadlines saved."</p></Show>
                <button type="submit" class="primary" disabled=move || action.pending().get()>"Save deadlines"</button>
            </form>
        </section>
    }
}

#[component]
fn CycleForm(refresh: RwSignal<u32>) -> impl IntoView {
    let action = ServerAction::<CreateCycle>::new();
    let name = RwSignal::new(String::new());
    let starts_on = RwSignal::new(String::new());
    let ends_on = RwSignal::new(String::new());
    let kind = RwSignal::new("quarter".to_owned());
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            refresh.update(|n| *n += 1);
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let period_kind = if kind.get() == "month" { PeriodKind::Month } else { PeriodKind::Quarter };
        action.dispatch(CreateCycle { input: CycleInput { name: name.get(), starts_on: starts_on.get(), ends_on: ends_on.get(), period_kind } });
    };
    let err = move |f| field_error(action, f);
    view! {
        <section class="card">
            <h2>"New cycle"</h2>
            <form on:submit=submit novalidate data-testid="cycle-form">
                <TextField label="Name" name="name" value=name error=err("name") hint="e.g. FY2028" />
                <TextField label="Starts on" name="starts_on" value=starts_on kind="date" error=err("starts_on") hint="The first day of a month" />
                <TextField label="Ends on" name="ends_on" value=ends_on kind="date" error=err("ends_on") hint="The last day of a month" />
                <SelectField label="Review periods" name="period_kind" value=kind options=vec![("quarter".into(), "Quarters".into()), ("month".into(), "Months".into())] />
                <FormError error=form_error(action) />
                <button type="submit" class="primary" disabled=move || action.pending().get()>"Create cycle"</button>
            </form>
        </section>
    }
}

#[component]
fn RatingScaleForm(bands: RatingBands) -> impl IntoView {
    let action = ServerAction::<SaveRatingScale>::new();
    let rows: Vec<(RwSignal<String>, RwSignal<String>)> =
        bands.0.iter().map(|b| (RwSignal::new((b.from * 100.0).to_string()), RwSignal::new(b.label.clone()))).collect();
    let submit = {
        let rows = rows.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let bands = rows
                .iter()
                .enumerate()
                .map(|(i, (from, label))| RatingBand {
                    from: from.get().trim().parse::<f64>().map(|v| v / 100.0).unwrap_or(f64::NAN),
                    rating: i as u8 + 1,
                    label: label.get(),
                })
                .collect();
            action.dispatch(SaveRatingScale { bands: RatingBands(bands) });
        }
    };
    view! {
        <section class="card">
            <h2>"Rating scale"</h2>
            <p class="muted">"A plan's score (100% = on target) takes the rating of the highest band it reaches. The first band starts at 0%."</p>
            <form on:submit=submit novalidate data-testid="rating-scale">
                <div class="table-wrap" tabindex="0">
                    <table>
                        <thead><tr><th>"Rating"</th><th>"From score %"</th><th>"Label"</th></tr></thead>
                        <tbody>{rows.into_iter().enumerate().map(|(i, (from, label))| view! {
                            <tr>
                                <td class="num">{i + 1}</td>
                                <td><input type="number" step="any" bind:value=from aria-label=format!("Band {} starts at %", i + 1) /></td>
                                <td><input bind:value=label aria-label=format!("Band {} label", i + 1) /></td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table>
                </div>
                <p class="field-error" role="alert">{move || field_error(action, "bands").get()}</p>
                <FormError error=form_error(action) />
                <Show when=move || matches!(action.value().get(), Some(Ok(_)))><p class="success" role="status">"Saved. Scorecards use the new bands at once."</p></Show>
                <button type="submit" class="primary">"Save rating scale"</button>
            </form>
        </section>
    }
}
