//! The change committee's programmes: where each stands, and a new one.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::change::api::{CreateProgramme, list_programmes};
use crate::change::rules::STEPS;
use crate::change::pages::charts::StepsProgress;
use crate::ui::form::{CheckboxGroup, FormError, SelectField, TextField, field_error, form_error};
use crate::ui::layout::{loaded, signed_in};
use crate::org::types::units_in_tree_order;
use crate::change::types::{Named, ProgrammeInput, ProgrammeList};
use crate::auth::types::Role;

#[component]
pub fn ChangePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| async move {
        signed_in(Some(Role::ChangeCommittee)).await?;
        list_programmes().await
    });
    view! {
        <Title text="Change programmes" />
        <h1>"Change programmes"</h1>
        <p class="muted">"The rollout of performance management, led through Kotter's eight steps and measured by how people use the system."</p>
        {loaded(data, |list: ProgrammeList| {
            let programmes = list.programmes.clone();
            view! {
            <section class="card">
                <h2>"Programmes"</h2>
                {list.programmes.is_empty().then(|| view! { <p class="muted">"No programme yet. Start one below."</p> })}
                <ul class="programme-list" data-testid="programmes">
                    {programmes.into_iter().map(|p| {
                        let step = p.current_step();
                        let stands = if step > 8 { "All eight steps signed off".to_owned() } else { format!("Step {step}: {}", STEPS[usize::from(step) - 1].title) };
                        view! {
                            <li>
                                <A href=format!("/change/{}", p.id)>{p.name.clone()}</A>
                                <span class="muted">{format!(" {} – {} · chair {}", p.starts_on, p.ends_on, p.chair.name)}</span>
                                <p>{stands}</p>
                                <StepsProgress signed=p.signed.clone() />
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
            <ProgrammeForm list />
        }})}
    }
}

#[component]
fn ProgrammeForm(list: ProgrammeList) -> impl IntoView {
    let action = ServerAction::<CreateProgramme>::new();
    let name = RwSignal::new(String::new());
    let scope = RwSignal::new(Vec::<String>::new());
    let sponsor = RwSignal::new(String::new());
    let chair = RwSignal::new(String::new());
    let members = RwSignal::new(Vec::<String>::new());
    let starts_on = RwSignal::new(String::new());
    let ends_on = RwSignal::new(String::new());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(p)) = action.value().get() {
            navigate(&format!("/change/{}", p.id), Default::default());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch(CreateProgramme {
            input: ProgrammeInput {
                name: name.get(),
                scope_unit_ids: scope.get(),
                sponsor_id: sponsor.get(),
                chair_id: chair.get(),
                member_ids: members.get(),
                starts_on: starts_on.get(),
                ends_on: ends_on.get(),
            },
        });
    };
    let err = move |f| field_error(action, f);
    let units = units_in_tree_order(&list.units)
        .into_iter()
        .map(|(depth, u)| (u.id, format!("{}{}", "· ".repeat(depth), u.name)))
        .collect();
    view! {
        <section class="card">
            <h2>"New programme"</h2>
            <form on:submit=submit novalidate data-testid="programme-form">
                <TextField label="Name" name="name" value=name error=err("name") hint="e.g. Performance management rollout 2027" />
                <CheckboxGroup label="Units it covers" name="scope" value=scope options=units error=err("scope") />
                <SelectField label="Sponsor" name="sponsor" value=sponsor options=Named::options(&list.people) empty="Choose…" error=err("sponsor") />
                <SelectField label="Chair" name="chair" value=chair options=Named::options(&list.committee) empty="Choose…" error=err("chair") />
                <CheckboxGroup label="Committee members" name="members" value=members options=Named::options(&list.committee) error=err("members") />
                <TextField label="Starts on" name="starts_on" value=starts_on kind="date" error=err("starts_on") />
                <TextField label="Ends on" name="ends_on" value=ends_on kind="date" error=err("ends_on") />
                <FormError error=form_error(action) />
                <button type="submit" class="primary" disabled=move || action.pending().get()>"Create programme"</button>
            </form>
        </section>
    }
}
