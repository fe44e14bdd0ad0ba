//! HR's reward policy: salary bands per job title, salaries (CSV), the merit matrix (rating ×
//! compa-ratio band → raise range), a budget pool per unit, and the consistency rule's N.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::reward::api::{ImportSalaries, SaveRewardPolicy, load_reward_policy};
use crate::ui::form::{field_error, reload_after};
use crate::ui::layout::{loaded, signed_in};
use crate::reward::types::{PolicyInput, RewardPolicy};
use crate::auth::types::Role;
use crate::reward::rules::num;
use crate::reward::types::RaiseRange;
use crate::reward::types::{MeritMatrix, SalaryBand};

#[component]
pub fn RewardsPage() -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let data = Resource::new(move || refresh.get(), |_| async {
        signed_in(Some(Role::HrAdmin)).await?;
        load_reward_policy().await
    });
    view! {
        <Title text="Reward policy" />
        {loaded(data, move |p: RewardPolicy| view! { <Policy policy=p refresh /> })}
    }
}

/// A band's row as typed: job title, minimum, midpoint, maximum.
type BandRow = (String, RwSignal<String>, RwSignal<String>, RwSignal<String>);
/// A matrix row as typed: the rating and each compa-ratio band's low and high.
type MatrixRow = (u8, Vec<(RwSignal<String>, RwSignal<String>)>);

fn parse(text: &str) -> f64 {
    text.trim().replace(',', "").parse().unwrap_or(f64::NAN)
}

#[component]
fn Policy(policy: RewardPolicy, refresh: RwSignal<u32>) -> impl IntoView {
    let save = ServerAction::<SaveRewardPolicy>::new();
    let import = ServerAction::<ImportSalaries>::new();
    reload_after(save, refresh);
    reload_after(import, refresh);
    let band_rows = |b: &SalaryBand| (b.job_title.clone(), RwSignal::new(num(b.min)), RwSignal::new(num(b.mid)), RwSignal::new(num(b.max)));
    let mut bands: Vec<BandRow> = policy.bands.iter().map(band_rows).collect();
    // Every title without a band gets an empty row to fill in.
    bands.extend(policy.titles_without_band.iter().map(|t| (t.clone(), RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()))));
    let edges: Vec<RwSignal<String>> = policy.matrix.edges.iter().map(|e| RwSignal::new(format!("{e}"))).collect();
    let cells: Vec<MatrixRow> =
        policy.matrix.rows.iter().map(|(r, ranges)| (*r, ranges.iter().map(|x| (RwSignal::new(num(x.low)), RwSignal::new(num(x.high)))).collect())).collect();
    let pools: Vec<(String, String, RwSignal<String>)> = policy.pools.iter().map(|p| (p.unit_id.clone(), p.unit_name.clone(), RwSignal::new(num(p.amount)))).collect();
    let periods = RwSignal::new(policy.consistency_periods.to_string());
    let currency = RwSignal::new(policy.currency.clone().unwrap_or_default());
    // Amounts are labelled with the currency once HR has set it.
    let in_currency = policy.currency.as_ref().map_or_else(String::new, |c| format!(" ({c})"));
    let labels = policy.matrix.band_labels();
    let (bands, edges, cells, pools) = (StoredValue::new(bands), StoredValue::new(edges), StoredValue::new(cells), StoredValue::new(pools));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let bands = bands.with_value(|b| {
            b.iter()
                .filter(|(_, min, mid, max)| ![min, mid, max].iter().all(|s| s.get_untracked().trim().is_empty()))
                .map(|(t, min, mid, max)| SalaryBand { job_title: t.clone(), min: parse(&min.get_untracked()), mid: parse(&mid.get_untracked()), max: parse(&max.get_untracked()) })
                .collect()
        });
        let matrix = MeritMatrix {
            edges: edges.with_value(|e| e.iter().map(|s| parse(&s.get_untracked())).collect()),
            rows: cells.with_value(|c| c.iter().map(|(r, ranges)| (*r, ranges.iter().map(|(l, h)| RaiseRange { low: parse(&l.get_untracked()), high: parse(&h.get_untracked()) }).collect())).collect()),
        };
        let pools = pools.with_value(|p| p.iter().map(|(id, _, amount)| (id.clone(), parse(&amount.get_untracked()))).collect());
        save.dispatch(SaveRewardPolicy { input: PolicyInput { bands, matrix: Some(matrix), pools, consistency_periods: periods.get_untracked().trim().parse().unwrap_or(0), currency: currency.get_untracked() } });
    };
    let csv = RwSignal::new(String::new());
    view! {
        <h1>"Reward policy: " {policy.cycle.name.clone()}</h1>
        <form on:submit=submit>
            <section class="card">
                <h2>"Currency"</h2>
                {policy.currency.is_none().then(|| view! { <p class="warning" data-testid="currency-missing">"No currency is set yet: salaries, bands and budgets show as bare amounts until you set it."</p> })}
                <label class="field"><span>"Salaries, bands and budgets are in (three-letter code, such as EUR, USD or GBP)"</span>
                    <input type="text" maxlength="3" autocapitalize="characters" aria-describedby="field-currency-error" bind:value=currency /></label>
                <p class="field-error" role="alert" id="field-currency-error">{move || field_error(save, "currency").get()}</p>
            </section>
            <section class="card">
                <h2>"Merit matrix"</h2>
                <p class="muted">"Raise range (% of salary) by final rating and compa-ratio (salary ÷ band midpoint)."</p>
                <div class="inline-form">"Compa-ratio cut at "
                    {edges.get_value().into_iter().enumerate().map(|(i, e)| view! { <label>{format!("edge {}", i + 1)} <input type="text" inputmode="decimal" size="4" bind:value=e /></label> }).collect_view()}
                </div>
                <div class="table-wrap" tabindex="0"><table data-testid="merit-matrix">
                    <thead><tr><th>"Rating"</th>{labels.into_iter().map(|l| view! { <th>{l}</th> }).collect_view()}</tr></thead>
                    <tbody>{cells.get_value().into_iter().map(|(r, ranges)| view! {
                        <tr><td>{r}</td>{ranges.into_iter().enumerate().map(|(i, (low, high))| view! {
                            <td><input type="text" inputmode="decimal" size="3" aria-label=format!("Rating {r} band {} low", i + 1) bind:value=low />
                                "–" <input type="text" inputmode="decimal" size="3" aria-label=format!("Rating {r} band {} high", i + 1) bind:value=high /> "%"</td>
                        }).collect_view()}</tr>
                    }).collect_view()}</tbody>
                </table></div>
                <p class="field-error" role="alert">{move || field_error(save, "matrix").get()}</p>
            </section>
            <section class="card">
                <h2>"Budget pools"</h2>
                <div class="table-wrap" tabindex="0"><table data-testid="budget-pools">
                    <thead><tr><th>"Unit"</th><th>{format!("Merit budget{in_currency}")}</th></tr></thead>
                    <tbody>{pools.get_value().into_iter().map(|(_, name, amount)| view! {
                        <tr><td>{name.clone()}</td><td><input type="text" inputmode="decimal" aria-label=format!("Budget for {name}") bind:value=amount /></td></tr>
                    }).collect_view()}</tbody>
                </table></div>
                <p class="field-error" role="alert">{move || field_error(save, "pools").get()}</p>
            </section>
            <section class="card">
                <h2>"Salary bands"</h2>
                <div class="table-wrap" tabindex="0"><table data-testid="salary-bands">
                    <thead><tr><th>"Job title"</th><th>{format!("Minimum{in_currency}")}</th><th>"Midpoint"</th><th>"Maximum"</th></tr></thead>
                    <tbody>{bands.get_value().into_iter().map(|(title, min, mid, max)| view! {
                        <tr><td>{title.clone()}</td>
                            <td><input type="text" inputmode="decimal" aria-label=format!("{title} minimum") bind:value=min /></td>
                            <td><input type="text" inputmode="decimal" aria-label=format!("{title} midpoint") bind:value=mid /></td>
                            <td><input type="text" inputmode="decimal" aria-label=format!("{title} maximum") bind:value=max /></td></tr>
                    }).collect_view()}</tbody>
                </table></div>
                <p class="field-error" role="alert">{move || field_error(save, "bands").get()}</p>
            </section>
            <section class="card">
                <h2>"Recognition"</h2>
                <label class="field"><span>"Periods in a row at or above target that earn recognition"</span><input type="number" min="1" max="24" bind:value=periods /></label>
                <p class="field-error" role="alert">{move || field_error(save, "consistency_periods").get()}</p>
            </section>
            <button type="submit" class="primary">"Save policy"</button>
        </form>
        <section class="card">
            <h2>"Salaries"</h2>
            <p data-testid="salary-count">{format!("{} of {} people have a salary on record.", policy.salaries.0, policy.salaries.1)}</p>
            <label class="field"><span>"Paste CSV with the columns email,salary"</span><textarea rows="4" bind:value=csv></textarea></label>
            <button on:click=move |_| { import.dispatch(ImportSalaries { csv: csv.get_untracked() }); }>"Import salaries"</button>
            <p class="field-error" role="alert">{move || field_error(import, "csv").get()}</p>
        </section>
    }
}
