use leptos::prelude::*;
use leptos_meta::Title;

use crate::org::api::organisation_overview;
use crate::ui::layout::loaded;
use crate::org::types::{OrgOverview, Unit, units_in_tree_order};

#[component]
pub fn OrganisationPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| organisation_overview());
    view! {
        <Title text="Organisation" />
        <h1>"Organisation"</h1>
        {loaded(overview, |o: OrgOverview| view! {
            <p>{o.active_people} " active people, " {o.inactive_people} " inactive"</p>
            <HeadcountTable overview=o />
        })}
    }
}

/// Units in tree order with their head counts.
#[component]
pub fn HeadcountTable(overview: OrgOverview) -> impl IntoView {
    let units: Vec<Unit> = overview.units.iter().map(|h| h.unit.clone()).collect();
    let rows = units_in_tree_order(&units)
        .into_iter()
        .map(|(depth, unit)| {
            let counts = overview.units.iter().find(|h| h.unit.id == unit.id).map(|h| (h.active_people, h.managers)).unwrap_or_default();
            view! {
                <tr>
                    <td style=format!("padding-left: {}rem", 0.5 + depth as f32 * 1.25)>{unit.name}</td>
                    <td class="num">{counts.0}</td>
                    <td class="num">{counts.1}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0">
            <table data-testid="headcount">
                <thead>
                    <tr>
                        <th>"Unit"</th>
                        <th class="num">"People"</th>
                        <th class="num">"Managers"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
