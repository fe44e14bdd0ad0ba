//! How far a programme has come through Kotter's eight steps.

use leptos::prelude::*;

/// A change programme's eight steps as a row of segments: signed off, current, to come.
#[component]
pub fn StepsProgress(signed: Vec<bool>) -> impl IntoView {
    let current = signed.iter().position(|s| !s);
    let done = signed.iter().filter(|s| **s).count();
    view! {
        <div class="steps-progress" role="img" aria-label=format!("{done} of 8 steps signed off") data-testid="steps-progress">
            {signed.iter().enumerate().map(|(i, s)| {
                let class = if *s { "segment done" } else if Some(i) == current { "segment current" } else { "segment" };
                view! { <span class=class title=format!("Step {}: {}", i + 1, crate::change::rules::STEPS[i].title)>{i + 1}</span> }
            }).collect_view()}
        </div>
    }
}
