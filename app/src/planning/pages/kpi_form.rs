//! Editing a KPI's description and numbers, for plans and the KPI library alike. Numbers are kept
//! as typed and checked (by the shared rules) before saving.

use leptos::prelude::*;

use crate::error::FieldError;
use crate::planning::types::{Frequency, Kpi, KpiSpec};
use crate::planning::scoring::{Direction, Targets};

/// One KPI being edited; numbers are kept as typed and checked before saving.
#[derive(Clone)]
pub struct KpiDraft {
    pub uid: usize,
    pub id: String,
    pub name: RwSignal<String>,
    pub measure: RwSignal<String>,
    pub direction: RwSignal<String>,
    pub baseline: RwSignal<String>,
    pub threshold: RwSignal<String>,
    pub target: RwSignal<String>,
    pub stretch: RwSignal<String>,
    pub tolerance: RwSignal<String>,
    pub frequency: RwSignal<String>,
    pub data_source: RwSignal<String>,
    pub weight: RwSignal<String>,
}

pub fn next_uid() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

pub fn number(text: &RwSignal<String>) -> f64 {
    text.get_untracked().trim().replace(',', ".").parse().unwrap_or(f64::NAN)
}

impl KpiDraft {
    pub fn new(id: String, spec: &KpiSpec, weight: f64) -> Self {
        let text = |v: f64| RwSignal::new(v.to_string());
        KpiDraft {
            uid: next_uid(),
            id,
            name: RwSignal::new(spec.name.clone()),
            measure: RwSignal::new(spec.measure.clone()),
            direction: RwSignal::new(spec.targets.direction.as_str().to_owned()),
            baseline: text(spec.targets.baseline),
            threshold: text(spec.targets.threshold),
            target: text(spec.targets.target),
            stretch: text(spec.targets.stretch),
            tolerance: text(spec.targets.tolerance),
            frequency: RwSignal::new(spec.frequency.as_str().to_owned()),
            data_source: RwSignal::new(spec.data_source.clone()),
            weight: text(weight),
        }
    }

    pub fn blank() -> Self {
        let targets = Targets { direction: Direction::HigherIsBetter, baseline: 0.0, threshold: 0.0, target: 0.0, stretch: 0.0, tolerance: 0.0 };
        let spec = KpiSpec { name: String::new(), measure: String::new(), targets, frequency: Frequency::Quarterly, data_source: String::new() };
        let draft = KpiDraft::new(String::new(), &spec, 0.0);
        [draft.threshold, draft.target, draft.stretch, draft.weight].iter().for_each(|s| s.set(String::new()));
        draft
    }

    pub fn to_spec(&self) -> KpiSpec {
        let direction = Direction::parse(&self.direction.get_untracked()).unwrap_or(Direction::HigherIsBetter);
        let mut targets = Targets {
            direction,
            baseline: number(&self.baseline),
            threshold: number(&self.threshold),
            target: number(&self.target),
            stretch: number(&self.stretch),
            tolerance: number(&self.tolerance),
        };
        if direction != Direction::WithinRange {
            targets.tolerance = 0.0;
        } else {
            // A range has no stretch beyond its high end.
            targets.stretch = targets.target;
        }
        KpiSpec {
            name: self.name.get_untracked(),
            measure: self.measure.get_untracked(),
            targets,
            frequency: Frequency::parse(&self.frequency.get_untracked()).unwrap_or(Frequency::Quarterly),
            data_source: self.data_source.get_untracked(),
        }
    }

    pub fn to_kpi(&self) -> Kpi {
        Kpi { id: self.id.clone(), spec: self.to_spec(), weight: number(&self.weight) }
    }
}

/// The inputs of a KPI's description and numbers; errors are looked up as `{prefix}{field}`.
#[component]
pub fn KpiFields(kpi: KpiDraft, #[prop(into)] prefix: Signal<String>, errors: RwSignal<Vec<FieldError>>) -> impl IntoView {
    let error = move |name: &'static str| {
        Signal::derive(move || {
            let field = format!("{}{name}", prefix.get());
            errors.with(|e| e.iter().find(|x| x.field == field).map(|x| x.message.clone()))
        })
    };
    let direction = kpi.direction;
    let frequency = kpi.frequency;
    let is_range = move || direction.get() == Direction::WithinRange.as_str();
    view! {
        <label>"KPI"
            <input bind:value=kpi.name data-testid="kpi-name" />
            <span class="field-error" role="alert">{error("name")}</span>
        </label>
        <div class="row">
            <label>"Unit of measure" <input bind:value=kpi.measure data-testid="kpi-measure" />
                <span class="field-error" role="alert">{error("measure")}</span>
            </label>
            <label>"Direction"
                <select on:change=move |ev| direction.set(event_target_value(&ev)) prop:value=move || direction.get()>
                    {Direction::ALL.into_iter().map(|d| view! { <option value=d.as_str() selected=direction.get_untracked() == d.as_str()>{d.label()}</option> }).collect_view()}
                </select>
            </label>
            <label>"Frequency"
                <select on:change=move |ev| frequency.set(event_target_value(&ev)) prop:value=move || frequency.get()>
                    {Frequency::ALL.into_iter().map(|f| view! { <option value=f.as_str() selected=frequency.get_untracked() == f.as_str()>{f.label()}</option> }).collect_view()}
                </select>
            </label>
        </div>
        <div class="row numbers">
            <label>"Baseline" <input type="number" step="any" bind:value=kpi.baseline /></label>
            <label>{move || if is_range() { "Low end" } else { "Threshold" }} <input type="number" step="any" bind:value=kpi.threshold data-testid="kpi-threshold" /></label>
            <label>{move || if is_range() { "High end" } else { "Target" }} <input type="number" step="any" bind:value=kpi.target data-testid="kpi-target" /></label>
            <Show when=move || !is_range() fallback=move || view! {
                <label>"Tolerance" <input type="number" step="any" bind:value=kpi.tolerance /></label>
            }>
                <label>"Stretch" <input type="number" step="any" bind:value=kpi.stretch data-testid="kpi-stretch" /></label>
            </Show>
        </div>
        <p class="field-error" role="alert">{error("targets")}</p>
        <label>"Data source" <input bind:value=kpi.data_source data-testid="kpi-source" /></label>
        <p class="field-error" role="alert">{error("data_source")}</p>
    }
}
