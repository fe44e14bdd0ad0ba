use leptos::prelude::*;
use leptos_meta::Title;

use crate::org::api::{SaveUnit, list_units};
use crate::ui::form::{FormError, SelectField, TextField, field_error, form_error};
use crate::ui::layout::{loaded, signed_in};
use crate::org::types::{Unit, UnitInput, unit_choices, units_in_tree_order};
use crate::auth::types::Role;

#[component]
pub fn UnitsPage() -> impl IntoView {
    let action = ServerAction::<SaveUnit>::new();
    let units = Resource::new(
        move || action.version().get(),
        |_| async {
            signed_in(Some(Role::HrAdmin)).await?;
            list_units().await
        },
    );
    let editing = RwSignal::new(UnitInput::default());
    view! {
        <Title text="Units" />
        <h1>"Units"</h1>
        {loaded(units, move |units: Vec<Unit>| {
            let tree = units_in_tree_order(&units)
                .into_iter()
                .map(|(depth, unit)| {
                    let edit = UnitInput {
                        id: Some(unit.id.clone()),
                        code: unit.code.clone(),
                        name: unit.name.clone(),
                        parent_id: unit.parent_id.clone(),
                    };
                    view! {
                        <li style=format!("margin-left: {}rem", depth as f32 * 1.25)>
                            <span>{unit.name}</span> " " <code>{unit.code}</code> " "
                            <button class="link-button" on:click=move |_| editing.set(edit.clone())>"Edit"</button>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="two-col">
                    <section class="card">
                        <h2>"Organisation tree"</h2>
                        <ul class="tree" data-testid="units">{tree}</ul>
                    </section>
                    {move || view! { <UnitForm input=editing.get() units=units.clone() action editing /> }}
                </div>
            }
        })}
    }
}

#[component]
fn UnitForm(input: UnitInput, units: Vec<Unit>, action: ServerAction<SaveUnit>, editing: RwSignal<UnitInput>) -> impl IntoView {
    let id = input.id.clone();
    let code = RwSignal::new(input.code);
    let name = RwSignal::new(input.name);
    let parent = RwSignal::new(input.parent_id.unwrap_or_default());
    let parents = unit_choices(&units, id.as_deref());
    let is_new = id.is_none();
    let err = move |field| field_error(action, field);
    view! {
        <section class="card">
            <h2>{if is_new { "Add a unit" } else { "Edit unit" }}</h2>
            <form data-testid="unit-form" novalidate on:submit=move |ev| {
                ev.prevent_default();
                let p = parent.get();
                action.dispatch(SaveUnit { input: UnitInput { id: id.clone(), code: code.get(), name: name.get(), parent_id: (!p.is_empty()).then_some(p) } });
            }>
                <TextField label="Name" name="unit_name" value=name error=err("name") />
                <TextField label="Code" name="unit_code" value=code error=err("code") hint="Short and unique, used in CSV files, e.g. SALES-N." />
                <SelectField label="Part of" name="parent_id" value=parent options=parents empty="Top level" error=err("parent_id") />
                <FormError error=form_error(action) />
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    {if is_new { "Add unit" } else { "Save unit" }}
                </button>
                {(!is_new).then(|| view! {
                    <button type="button" class="button" on:click=move |_| editing.set(UnitInput::default())>"Cancel"</button>
                })}
            </form>
        </section>
    }
}
