//! The manager's preparation of an appraisal: the self-assessment and the manager's ratings side
//! by side with the gaps marked, each rating on a behavioural anchor with evidence (extremes
//! justified), the KPI part (overridden only with a reason), potential, the final score as it
//! stands with its why, and the rater-bias report before submitting.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::appraisal::api::{SaveRatings, prepare_appraisal};
use crate::appraisal::rules::{POTENTIAL, bias_against, competency_part, final_score, kpi_part, with_person};
use crate::appraisal::types::{BiasIndex, BiasReport};
use crate::ui::form::{FormError, field_error, form_error, reload_after};
use crate::ui::layout::{loaded, person_page_data};
use crate::appraisal::types::{AppraisalState, AppraisalView, KpiOverride, ManagerRating, Preparation, RatingEvidence, RatingEvidenceKind, RatingsInput};
use crate::planning::types::Competency;
use crate::planning::scoring::percent;

#[component]
pub fn PreparationPage() -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let data = person_page_data(refresh, prepare_appraisal);
    // The action outlives each drawing of the page: a submission made while the reload after a
    // draft is on its way still reloads the page once it lands.
    let save = ServerAction::<SaveRatings>::new();
    reload_after(save, refresh);
    view! {
        <Title text="Prepare the appraisal" />
        {loaded(data, move |p: Preparation| view! { <PreparationView preparation=p save /> })}
    }
}

fn blank(competency: &Competency) -> ManagerRating {
    ManagerRating { competency_id: competency.id.clone(), level: 0, evidence: RatingEvidence::default(), justification: String::new() }
}

#[component]
fn PreparationView(preparation: Preparation, save: ServerAction<SaveRatings>) -> impl IntoView {
    let Preparation { appraisal: a, rated_by_me, organisation } = preparation;
    let a = StoredValue::new(a);
    let (person_id, competencies, may_rate, state) = a.with_value(|a| (a.person.id.clone(), a.competencies.clone(), a.may_rate, a.state));
    let ratings = RwSignal::new(a.with_value(|a| {
        a.competencies.iter().map(|c| a.ratings.iter().find(|r| r.competency_id == c.id).cloned().unwrap_or_else(|| blank(c))).collect::<Vec<_>>()
    }));
    let overriding = RwSignal::new(a.with_value(|a| a.kpi_override.is_some()));
    let override_percent = RwSignal::new(a.with_value(|a| a.kpi_override.as_ref().map(|o| format!("{}", (o.score * 1000.0).round() / 10.0)).unwrap_or_default()));
    let override_reason = RwSignal::new(a.with_value(|a| a.kpi_override.as_ref().map(|o| o.reason.clone()).unwrap_or_default()));
    let potential = RwSignal::new(a.with_value(|a| a.potential.map(|p| p.to_string()).unwrap_or_default()));
    let kpi_override = move || {
        overriding.get().then(|| KpiOverride { score: override_percent.get().trim().parse::<f64>().map(|p| p / 100.0).unwrap_or(-1.0), reason: override_reason.get() })
    };
    // The final score as it stands, worked out here with the same rules as the server.
    let preview = Memo::new(move |_| {
        a.with_value(|a| {
            let kpi = kpi_part(a.kpi_generated.as_ref(), kpi_override().as_ref());
            let comp = competency_part(&a.competencies, &ratings.get(), |c| a.expected_level(c));
            final_score(a.weights, kpi.as_ref(), comp.as_ref(), &a.scale).map(|f| (f, comp.map(|c| c.why)))
        })
    });
    let send = {
        let person_id = person_id.clone();
        move |submit: bool| {
            let input = RatingsInput {
                ratings: ratings.get_untracked(),
                kpi_override: kpi_override(),
                potential: potential.get_untracked().parse().ok(),
                submit,
            };
            save.dispatch(SaveRatings { person_id: person_id.clone(), input });
        }
    };
    let send_draft = send.clone();
    let (name, cycle_name) = a.with_value(|a| (a.person.name.clone(), a.cycle.name.clone()));
    view! {
        <h1>"Prepare the appraisal of " {name.clone()}</h1>
        <p class="muted" data-testid="appraisal-state">{format!("{cycle_name} · {}", state.label())}</p>
        {(state != AppraisalState::Preparing).then(|| view! {
            <p><a href=format!("/appraisals/{person_id}/conversation")>"Hold the appraisal conversation →"</a></p>
        })}
        {(!may_rate).then(|| view! { <p class="notice">"You can read these ratings; they can no longer change here."</p> })}
        <section class="card">
            <h2>"KPI results"</h2>
            {a.with_value(|a| a.kras.iter().flat_map(|k| k.kpis.clone()).map(|card| view! {
                <p><strong>{card.kpi.spec.name.clone()}</strong> ": " {card.score.map(percent).unwrap_or_else(|| "no data".into())} <small class="muted">" " {card.why.clone()}</small></p>
            }).collect_view())}
            <p data-testid="kpi-generated">"Generated KPI part: " {a.with_value(|a| a.kpi_generated.as_ref().map(|p| format!("{} — {}", percent(p.score), p.why)).unwrap_or_else(|| "no data yet".into()))}</p>
            <label class="checkbox"><input type="checkbox" prop:checked=overriding disabled=!may_rate on:change=move |ev| overriding.set(event_target_checked(&ev)) />
                " Override the generated KPI part (with a reason, kept in the audit trail)"</label>
            {move || overriding.get().then(|| view! {
                <div class="field"><label for="field-override">"KPI part (%)"</label>
                    <input id="field-override" type="number" step="0.1" min="0" max="120" bind:value=override_percent /></div>
                <div class="field"><label for="field-override-reason">"Reason for the override"</label>
                    <textarea id="field-override-reason" rows="2" bind:value=override_reason></textarea></div>
            })}
            <p class="field-error" role="alert">{move || field_error(save, "kpi_override").get()}</p>
        </section>
        <section class="card">
            <h2>"Competencies: self-assessment and your rating"</h2>
            {a.with_value(|a| a.self_assessment.is_none()).then(|| view! { <p class="notice">"The self-assessment has not been submitted yet."</p> })}
            {competencies.into_iter().enumerate().map(|(i, c)| view! { <CompetencyRating index=i competency=c appraisal=a ratings may_rate save /> }).collect_view()}
        </section>
        <section class="card">
            <h2>"Potential"</h2>
            <p class="muted">"For the 9-box in calibration: how far could they grow in the next two years?"</p>
            <select aria-label="Potential" prop:value=potential disabled=!may_rate on:change=move |ev| potential.set(event_target_value(&ev))>
                <option value="">"Not rated"</option>
                {POTENTIAL.iter().enumerate().map(|(i, p)| view! { <option value=(i + 1).to_string()>{*p}</option> }).collect_view()}
            </select>
        </section>
        <section class="card" data-testid="final-score">
            <h2>"Final score as it stands"</h2>
            {move || match preview.get() {
                Some((f, comp_why)) => view! {
                    <p class="big" data-testid="final-rating">{format!("{} → rating {} · {}", percent(f.score), f.rating, f.label)}</p>
                    <p data-testid="final-why">{f.why.clone()}</p>
                    {comp_why.map(|w| view! { <p class="muted" data-testid="competency-why">"Competency part: " {w}</p> })}
                }.into_any(),
                None => view! { <p class="muted">"Rate the competencies to see the final score."</p> }.into_any(),
            }}
        </section>
        <BiasSection bias=Signal::derive(move || {
            // The pattern with the ratings on this page as they stand, saved or not: in the
            // rater's figures and in the organisation's, which include the rater's (DOMAIN.md).
            let mut mine = rated_by_me.clone();
            let here: Vec<f64> = ratings.with(|r| r.iter().filter(|x| x.level > 0).map(|x| f64::from(x.level)).collect());
            let everyone = if here.is_empty() { organisation } else { with_person(&organisation, &here) };
            if !here.is_empty() {
                mine.push(here);
            }
            (!mine.is_empty() || everyone.ratings > 0).then(|| bias_against(&mine, &everyone))
        }) />
        {may_rate.then(|| view! {
            <FormError error=form_error(save) />
            <p class="field-error" role="alert">{move || field_error(save, "ratings").get()}</p>
            <p role="status" data-testid="ratings-saved">{move || (!save.pending().get() && save.value().with(|v| matches!(v, Some(Ok(_))))).then_some("Saved.")}</p>
            <div class="buttons">
                {(state == AppraisalState::Preparing).then(|| view! { <button disabled=move || save.pending().get() on:click=move |_| send_draft(false)>"Save draft"</button> })}
                <button class="primary" disabled=move || save.pending().get() on:click=move |_| send(true)>{if state == AppraisalState::Preparing { "Submit ratings" } else { "Save changes" }}</button>
            </div>
        })}
    }
}

#[component]
fn CompetencyRating(index: usize, competency: Competency, appraisal: StoredValue<AppraisalView>, ratings: RwSignal<Vec<ManagerRating>>, may_rate: bool, save: ServerAction<SaveRatings>) -> impl IntoView {
    let id = competency.id.clone();
    let expected = appraisal.with_value(|a| a.expected_level(&competency));
    let own = appraisal.with_value(|a| a.self_assessment.as_ref().and_then(|s| s.answer(&id).cloned()));
    let (kpis, feedback) = appraisal.with_value(|a| {
        (
            a.kras.iter().flat_map(|k| k.kpis.iter().map(|c| (c.kpi.id.clone(), c.kpi.spec.name.clone()))).collect::<Vec<_>>(),
            a.feedback.iter().map(|f| (f.feedback.id.clone(), format!("{} ({}, {})", f.feedback.behaviour, f.giver_name, f.feedback.given_on))).collect::<Vec<_>>(),
        )
    });
    let rating = move || ratings.with(|r| r[index].clone());
    let set = move |change: &dyn Fn(&mut ManagerRating)| ratings.update(|r| change(&mut r[index]));
    let top = competency.levels.iter().map(|l| l.level).max().unwrap_or(5);
    let own_level = own.as_ref().map(|o| o.level).unwrap_or(0);
    let gap = move || {
        let mine = rating().level;
        (own_level > 0 && mine > 0 && own_level != mine).then(|| format!("Gap: self {own_level}, you {mine}"))
    };
    let error = |what: &str| field_error(save, format!("{what}-{id}"));
    let (rating_error, evidence_error, justification_error) = (error("rating"), error("evidence"), error("justification"));
    let name = competency.name.clone();
    view! {
        <fieldset class="competency-question" data-testid="competency-rating" class:has-gap=move || gap().is_some()>
            <legend>{competency.name.clone()}</legend>
            <p class="muted">{format!("Expected for the role: level {expected}.")}</p>
            <p data-testid="self-rating">{match own {
                Some(o) if o.level > 0 => format!("Self-assessment: level {} — {}", o.level, o.evidence),
                _ => "Self-assessment: not given".to_owned(),
            }}</p>
            {move || gap().map(|g| view! { <p class="gap" data-testid="gap">{g}</p> })}
            {competency.levels.iter().map(|level| {
                let n = level.level;
                view! {
                    <label class="anchor">
                        <input type="radio" name=format!("manager-level-{}", competency.id) disabled=!may_rate prop:checked=move || rating().level == n
                            on:change=move |_| set(&|r| r.level = n) />
                        <span><strong>{format!("Level {n} · {}", level.name)}</strong> " — " {level.indicators.join("; ")}</span>
                    </label>
                }
            }).collect_view()}
            <p class="field-error" role="alert">{move || rating_error.get()}</p>
            <div class="field">
                <label for=format!("evidence-kind-{}", competency.id)>{format!("Evidence for {name}")}</label>
                <select id=format!("evidence-kind-{}", competency.id) disabled=!may_rate
                    prop:value=move || match rating().evidence.kind { RatingEvidenceKind::Incident => "incident", RatingEvidenceKind::Kpi => "kpi", RatingEvidenceKind::Feedback => "feedback" }
                    on:change=move |ev| {
                        let kind = match event_target_value(&ev).as_str() { "kpi" => RatingEvidenceKind::Kpi, "feedback" => RatingEvidenceKind::Feedback, _ => RatingEvidenceKind::Incident };
                        set(&|r| { r.evidence.kind = kind; r.evidence.reference.clear(); });
                    }>
                    <option value="incident">"A dated incident"</option>
                    <option value="kpi">"A KPI result"</option>
                    <option value="feedback">"Feedback received"</option>
                </select>
            </div>
            {move || match rating().evidence.kind {
                RatingEvidenceKind::Incident => view! {
                    <div class="field"><label>"Date"
                        <input type="date" disabled=!may_rate prop:value=move || rating().evidence.on on:change=move |ev| { let v = event_target_value(&ev); set(&|r| r.evidence.on = v.clone()) } /></label></div>
                }.into_any(),
                RatingEvidenceKind::Kpi => reference_select("KPI", kpis.clone(), rating().evidence.reference, may_rate, set).into_any(),
                RatingEvidenceKind::Feedback => reference_select("Feedback", feedback.clone(), rating().evidence.reference, may_rate, set).into_any(),
            }}
            <div class="field"><label>"What happened, what it shows"
                <textarea rows="2" disabled=!may_rate prop:value=move || rating().evidence.note on:input=move |ev| { let v = event_target_value(&ev); set(&|r| r.evidence.note = v.clone()) }></textarea></label></div>
            <p class="field-error" role="alert">{move || evidence_error.get()}</p>
            <div class="field"><label>{format!("Justification (needed at level 1 and level {top})")}
                <textarea rows="2" disabled=!may_rate prop:value=move || rating().justification on:input=move |ev| { let v = event_target_value(&ev); set(&|r| r.justification = v.clone()) }></textarea></label></div>
            <p class="field-error" role="alert">{move || justification_error.get()}</p>
        </fieldset>
    }
}

fn reference_select(what: &'static str, options: Vec<(String, String)>, current: String, may_rate: bool, set: impl Fn(&dyn Fn(&mut ManagerRating)) + Copy + Send + Sync + 'static) -> impl IntoView {
    view! {
        <div class="field"><label>{what}
            <select disabled=!may_rate on:change=move |ev| { let v = event_target_value(&ev); set(&|r| r.evidence.reference = v.clone()) }>
                <option value="">{format!("Pick the {}", what.to_lowercase())}</option>
                {options.into_iter().map(|(id, label)| { let selected = id == current; view! { <option value=id selected=selected>{label}</option> } }).collect_view()}
            </select></label></div>
    }
}

#[component]
fn BiasSection(bias: Signal<Option<BiasReport>>) -> impl IntoView {
    let index = |title: &'static str, i: Option<BiasIndex>| {
        i.map(|i| view! {
            <li class:flagged=i.flagged>
                <strong>{title} {if i.flagged { " — check" } else { " — fine" }}</strong>
                <span class="muted">{format!(" (yours {}, organisation {})", i.value, i.organisation)}</span>
                <p>{i.explanation}</p>
            </li>
        })
    };
    view! {
        <section class="card" data-testid="bias-report">
            <h2>"Your rating pattern"</h2>
            <p class="muted">"Across every competency rating you have given in this cycle, against the whole organisation's. Read it before you submit."</p>
            {move || match bias.get() {
                None => view! { <p class="muted">"Rate a competency below: your pattern shows here as you rate."</p> }.into_any(),
                Some(b) => view! {
                    <p>{format!("{} ratings of {} {} by you; {} in the organisation.", b.ratings, b.people, if b.people == 1 { "person" } else { "people" }, b.organisation_ratings)}</p>
                    {b.note.map(|n| view! { <p class="notice">{n}</p> })}
                    <ul class="bias">
                        {index("Leniency or severity", b.leniency)}
                        {index("Central tendency", b.central_tendency)}
                        {index("Halo", b.halo)}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}
