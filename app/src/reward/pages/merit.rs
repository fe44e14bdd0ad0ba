//! Merit proposals: generated from each person's final rating and the merit matrix, adjusted by
//! their manager (outside the range only with a reason), checked live against the unit's budget,
//! scaled pro rata and approved by HR, then exported for payroll.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::reward::api::{AdjustMerit, ApproveMerit, ScaleMerit, export_payroll, load_merit};
use crate::ui::csv::download;
use crate::ui::form::{Confirm, field_error, form_error, reload_after};
use crate::ui::layout::{loaded, signed_in};
use crate::reward::types::{MeritLine, MeritView, UnitMerit};
use crate::reward::rules::{check_raise, money_in, num};
use crate::reward::types::BudgetUse;

#[component]
pub fn MeritPage() -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let data = Resource::new(move || refresh.get(), |_| async {
        signed_in(None).await?;
        load_merit().await
    });
    view! {
        <Title text="Merit proposals" />
        {loaded(data, move |v: MeritView| view! {
            <h1>"Merit proposals: " {v.cycle.name.clone()}</h1>
            <p class="muted">"Generated from the final rating and the merit matrix; the middle of the range is proposed. A raise outside the range needs a reason."</p>
            {v.units.iter().cloned().map(|u| view! { <Unit unit=u is_hr=v.is_hr currency=v.currency.clone() refresh /> }).collect_view()}
            {(!v.missing.is_empty()).then(|| view! {
                <section class="card">
                    <h2>"Without a proposal yet"</h2>
                    <ul data-testid="merit-missing">{v.missing.iter().map(|m| view! { <li>{format!("{}: {}", m.name, m.why)}</li> }).collect_view()}</ul>
                </section>
            })}
            {v.is_hr.then(|| view! { <Export /> })}
        })}
    }
}

#[component]
fn Unit(unit: UnitMerit, is_hr: bool, currency: Option<String>, refresh: RwSignal<u32>) -> impl IntoView {
    let adjust = ServerAction::<AdjustMerit>::new();
    let scale = ServerAction::<ScaleMerit>::new();
    let approve = ServerAction::<ApproveMerit>::new();
    reload_after(adjust, refresh);
    reload_after(scale, refresh);
    reload_after(approve, refresh);
    // The raises as typed, so the budget is checked while the manager types.
    let raises: Vec<(f64, RwSignal<String>)> = unit.lines.iter().map(|l| (l.salary, RwSignal::new(num(l.raise)))).collect();
    let raises = StoredValue::new(raises);
    let pool = unit.pool;
    let budget = move || {
        BudgetUse::of(pool, &raises.with_value(|r| r.iter().map(|(salary, raise)| (*salary, raise.get().trim().parse().unwrap_or(0.0))).collect::<Vec<_>>()))
    };
    let unit_id = unit.unit_id.clone();
    let approved = unit.approved.is_some();
    // Approving is for good: confirmed first.
    let approving = RwSignal::new(false);
    view! {
        <section class="card" data-testid="merit-unit">
            <h2>{unit.unit_name.clone()}</h2>
            {unit.approved.clone().map(|a| view! { <p class="badge good">{a}</p> })}
            <p data-testid="budget" role="status" class:error=move || budget().over()>{let currency = currency.clone(); move || budget().message(currency.as_deref())}</p>
            <div class="table-wrap" tabindex="0"><table data-testid="merit-lines">
                <thead><tr><th>"Person"</th><th>"Rating"</th><th>"Salary"</th><th>"Compa-ratio"</th><th>"Matrix range"</th><th>"Raise %"</th><th>"Reason (needed outside the range)"</th><th></th></tr></thead>
                <tbody>{unit.lines.into_iter().enumerate().map(|(i, line)| {
                    let raise = raises.with_value(|r| r[i].1);
                    view! { <Line line raise adjust currency=currency.clone() /> }
                }).collect_view()}</tbody>
            </table></div>
            // A refused raise is said on its line (by the same rule); here only what is not about one.
            <p class="field-error" role="alert">{move || form_error(adjust).get()}</p>
            {(is_hr && !approved).then(|| {
                let (scale_unit, approve_unit) = (unit_id.clone(), unit_id.clone());
                view! {
                    <div class="buttons">
                        <button on:click=move |_| { scale.dispatch(ScaleMerit { unit_id: scale_unit.clone() }); }>"Scale to budget"</button>
                        <button class="primary" on:click=move |_| approving.set(true)>"Approve"</button>
                    </div>
                    <Confirm asking=approving consequence="The unit's raises become final and go to payroll's export; they cannot be changed after." yes="Yes, approve"
                        on_yes=move || { approve.dispatch(ApproveMerit { unit_id: approve_unit.clone() }); } />
                    <p class="field-error" role="alert">{move || field_error(scale, "unit").get().or(field_error(approve, "unit").get())}</p>
                }
            })}
        </section>
    }
}

#[component]
fn Line(line: MeritLine, raise: RwSignal<String>, adjust: ServerAction<AdjustMerit>, currency: Option<String>) -> impl IntoView {
    let reason = RwSignal::new(line.reason.clone());
    let range = line.generated.range;
    // Said before sending, by the same rule the server applies.
    let problem = move || {
        let value: f64 = raise.get().trim().parse().unwrap_or(f64::NAN);
        check_raise(value, &range, &reason.get()).err()
    };
    let person = line.person_id.clone();
    let save = move |_| {
        let value: f64 = raise.get_untracked().trim().parse().unwrap_or(f64::NAN);
        adjust.dispatch(AdjustMerit { person_id: person.clone(), raise: value, reason: reason.get_untracked() });
    };
    let outside = move || raise.get().trim().parse::<f64>().is_ok_and(|v| !range.holds(v));
    view! {
        <tr>
            <td>{line.name.clone()}<br /><small class="muted">{line.job_title.clone()}</small></td>
            <td>{format!("{} {}", line.rating, line.rating_label)}</td>
            <td>{money_in(line.salary, currency.as_deref())}</td>
            <td title=line.generated.why.clone()>{format!("{:.2}", line.generated.compa_ratio)}</td>
            <td>{range.label()}</td>
            <td><input type="text" inputmode="decimal" size="4" aria-label=format!("Raise for {}", line.name) disabled=!line.may_adjust bind:value=raise />
                {move || outside().then(|| view! { <small class="warning">" outside range"</small> })}</td>
            <td><input type="text" aria-label=format!("Reason for {}", line.name) disabled=!line.may_adjust bind:value=reason />
                {line.adjusted_by.clone().map(|by| view! { <br /><small class="muted">{format!("set by {by}")}</small> })}</td>
            <td>{line.may_adjust.then(|| view! { <button on:click=save>"Save"</button> })}
                <small class="field-error">{problem}</small></td>
        </tr>
    }
}

#[component]
fn Export() -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let export = move |_| {
        done.set(None);
        problem.set(None);
        leptos::task::spawn_local(async move {
            match export_payroll().await {
                // The header alone: nothing approved, so nothing to download.
                Ok(text) if text.lines().count() <= 1 => problem.set(Some("No approved raises to export yet: HR approves each unit's proposals first.".into())),
                Ok(text) => {
                    download("merit-payroll.csv", &text);
                    done.set(Some(format!("Downloaded merit-payroll.csv: {} approved raise(s).", text.lines().count() - 1)));
                }
                Err(e) => problem.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <div class="buttons">
            <button on:click=export>"Export approved raises for payroll (CSV)"</button>
            <p class="success" role="status" data-testid="export-done">{move || done.get()}</p>
        </div>
        <p class="field-error" role="alert" data-testid="export-problem">{move || problem.get()}</p>
    }
}
