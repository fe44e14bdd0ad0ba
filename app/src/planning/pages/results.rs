//! Recording one's own results on the phone, offline too: enter a KPI's actual for a period with
//! its evidence; the entry is kept on the device, shown at once as waiting, and applied to the plan
//! by the sync (`offline::rules::resolve_entry` checks it here first, and again on the server).

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_meta::Title;

use crate::ui::form::{FormError, SelectField, TextField};
use crate::offline::pages::status::OfflineCopy;
use crate::planning::types::{Actual, ActualSource, Period, Scorecard};
use crate::offline::types::ActualEntry;
use crate::offline::snapshot::OfflineSnapshot;
use crate::offline::client::{Offline, new_id, today_on_device};
use crate::planning::rules::parse_date;
use crate::planning::scorecard::kpi_card;
use crate::planning::scoring::percent;
use crate::sync::protocol::{Kind, RecordRef};
use crate::offline::rules::{Facts, resolve_entry};

#[component]
pub fn ResultsPage() -> impl IntoView {
    view! {
        <Title text="Record results" />
        <h1>"Record results"</h1>
        <OfflineCopy render=|snapshot| view! { <Results snapshot /> } />
    }
}

/// The actuals as the person should see them: the server's, from the device's copy, with the
/// entries still waiting to be sent laid over them (the last entry for a period wins).
fn actuals_shown(card: &Scorecard, waiting: &[ActualEntry]) -> Vec<Actual> {
    let mut actuals: Vec<Actual> = card.kras.iter().flat_map(|k| &k.kpis).flat_map(|k| k.periods.iter().filter_map(|p| p.actual.clone())).collect();
    for entry in waiting {
        actuals.retain(|a| !(a.kpi_id == entry.kpi_id && a.period_key == entry.period_key));
        actuals.push(Actual {
            kpi_id: entry.kpi_id.clone(),
            period_key: entry.period_key.clone(),
            value: entry.value,
            note: entry.note.clone(),
            link: Some(entry.link.clone()).filter(|l| !l.is_empty()),
            source: ActualSource::Device,
            recorded_by: card.person.name.clone(),
            recorded_at: String::new(),
        });
    }
    actuals
}

/// What the rules need to check an entry on the device: the person's plan in the copy's cycle
/// and the values they see.
fn facts_on_device(card: &Scorecard, actuals: &[Actual], today: String) -> Facts {
    Facts {
        actor: card.person.id.clone(),
        actor_email: card.person.email.to_lowercase(),
        today,
        cycles: vec![card.cycle.clone()],
        plans: HashMap::from([(card.cycle.id.clone(), card.plan.clone())]),
        actuals: actuals.iter().map(|a| ((card.plan.id.clone(), a.kpi_id.clone(), a.period_key.clone()), a.value)).collect(),
        ..Facts::default()
    }
}

#[component]
fn Results(snapshot: OfflineSnapshot) -> impl IntoView {
    let Some(card) = snapshot.scorecard else {
        return view! {
            <p class="muted" data-testid="no-plan">"You have no plan in " {snapshot.cycle.name} " yet: your manager drafts it with you."</p>
        }
        .into_any();
    };
    let offline = expect_context::<Offline>();
    let waiting = Memo::new(move |_| {
        offline.replica.with(|r| {
            r.outbox
                .iter()
                .filter(|op| op.record.kind == Kind::ActualEntry && !op.delete)
                .filter_map(|op| ActualEntry::from_values(&op.record.id, &op.set))
                .collect::<Vec<_>>()
        })
    });
    let periods: Vec<Period> = card.kras.iter().flat_map(|k| &k.kpis).next().map(|k| k.periods.iter().map(|p| p.period.clone()).collect()).unwrap_or_default();
    let card = StoredValue::new(card);
    let periods = StoredValue::new(periods);
    let kpis = move || {
        let today = parse_date(&today_on_device());
        let waiting = waiting.get();
        let shown = card.with_value(|c| actuals_shown(c, &waiting));
        card.with_value(|c| {
            c.kras
                .iter()
                .flat_map(|k| &k.kpis)
                .map(|k| {
                    let now = periods.with_value(|p| today.map(|today| kpi_card(&k.kpi, p, &shown, today)));
                    let now = now.unwrap_or_else(|| k.clone());
                    let rows = now.periods.iter().filter(|p| p.actual.is_some()).map(|p| {
                        let is_waiting = waiting.iter().any(|e| e.kpi_id == k.kpi.id && e.period_key == p.period.key);
                        view! {
                            <tr data-testid="result-row">
                                <td>{p.period.label.clone()}</td>
                                <td class="num" data-testid="result-value">{p.actual.as_ref().map(|a| a.value.to_string())}</td>
                                <td class="num">{p.score.as_ref().map(|s| percent(s.score))}</td>
                                <td>{is_waiting.then(|| view! { <span class="badge" data-testid="waiting">"Waiting to sync"</span> })}</td>
                            </tr>
                        }
                    }).collect_view();
                    view! {
                        <article class="kpi-card" data-testid="result-kpi">
                            <h3>{k.kpi.spec.name.clone()} " (" {k.kpi.spec.measure.clone()} ")"</h3>
                            <p>"Score: " <strong data-testid="result-score">{now.score.map(percent).unwrap_or_else(|| "no data".into())}</strong>
                                " — " <span class="why">{now.why.clone()}</span></p>
                            <div class="table-wrap" tabindex="0"><table class="periods">
                                <thead><tr><th>"Period"</th><th class="num">"Actual"</th><th class="num">"Score"</th><th></th></tr></thead>
                                <tbody>{rows}</tbody>
                            </table></div>
                        </article>
                    }
                })
                .collect_view()
        })
    };
    let open = card.with_value(|c| c.actuals_open);
    view! {
        <p class="muted">{card.with_value(|c| format!("{} · your KPIs and the actuals recorded so far. What you enter here is kept on this device and sent when there is a connection.", c.cycle.name))}</p>
        {open.then(|| view! { <EntryForm card periods waiting /> })}
        <section class="card">{kpis}</section>
    }
    .into_any()
}

#[component]
fn EntryForm(card: StoredValue<Scorecard>, periods: StoredValue<Vec<Period>>, waiting: Memo<Vec<ActualEntry>>) -> impl IntoView {
    let offline = expect_context::<Offline>();
    let today = today_on_device();
    let kpi_options: Vec<(String, String)> =
        card.with_value(|c| c.kras.iter().flat_map(|k| &k.kpis).map(|k| (k.kpi.id.clone(), format!("{} ({})", k.kpi.spec.name, k.kpi.spec.measure))).collect());
    // Periods that have started; the latest is the likeliest.
    let period_options: Vec<(String, String)> =
        periods.with_value(|p| p.iter().filter(|p| p.starts_on <= today).map(|p| (p.key.clone(), p.label.clone())).collect());
    let kpi_id = RwSignal::new(kpi_options.first().map(|k| k.0.clone()).unwrap_or_default());
    let period_key = RwSignal::new(period_options.last().map(|p| p.0.clone()).unwrap_or_default());
    let value = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let link = RwSignal::new(String::new());
    let value_error = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        error.set(None);
        let Some(number) = value.get_untracked().trim().replace(',', ".").parse::<f64>().ok().filter(|v| v.is_finite()) else {
            value_error.set(Some("Enter a number, e.g. 12.5.".into()));
            return;
        };
        value_error.set(None);
        let shown = card.with_value(|c| actuals_shown(c, &waiting.get_untracked()));
        let (kpi, period) = (kpi_id.get_untracked(), period_key.get_untracked());
        let entry = ActualEntry {
            id: new_id(),
            person_id: card.with_value(|c| c.person.id.clone()),
            cycle_id: card.with_value(|c| c.cycle.id.clone()),
            seen: shown.iter().find(|a| a.kpi_id == kpi && a.period_key == period).map(|a| a.value),
            kpi_id: kpi,
            period_key: period,
            value: number,
            note: note.get_untracked().trim().to_owned(),
            link: link.get_untracked().trim().to_owned(),
            entered_on: today_on_device(),
        };
        match card.with_value(|c| resolve_entry(&facts_on_device(c, &shown, today_on_device()), &entry)) {
            Ok(_) => {
                offline.edit(RecordRef::new(Kind::ActualEntry, entry.id.clone()), entry.to_values());
                value.set(String::new());
                note.set(String::new());
                link.set(String::new());
                saved.set(true);
            }
            Err(message) => error.set(Some(message)),
        }
    };
    view! {
        <section class="card">
            <h2>"Enter an actual"</h2>
            <form on:submit=submit novalidate data-testid="enter-actual">
                <SelectField label="KPI" name="kpi_id" value=kpi_id options=kpi_options />
                <SelectField label="Period" name="period" value=period_key options=period_options />
                <TextField label="Actual" name="value" value=value error=value_error hint="A number, e.g. 112.5" />
                <TextField label="Evidence note" name="note" value=note hint="Where the number comes from" />
                <TextField label="Evidence link (optional)" name="link" value=link kind="url" />
                <FormError error=error />
                <Show when=move || saved.get()>
                    <p class="ok" role="status" data-testid="entry-saved">"Saved on this device; it is sent with your other changes."</p>
                </Show>
                <button type="submit" class="primary">"Save actual"</button>
            </form>
        </section>
    }
}
