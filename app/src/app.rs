use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::auth::api::current_user;
use crate::home::pages::header::AppHeader;
use crate::ui::layout::{Auth, NotFound};
use crate::change::pages::{adoption, change, programme, pulse};
use crate::appraisal::pages::{appraisals, calibration, conversation, preparation, report as appraisal_report, self_assessment};
use crate::development::pages::{check_ins, development, feedback, recognition, training};
use crate::reward::pages::{merit, rewards};
use crate::planning::pages::{competencies, cycles, goals, integrations, library, plan, results, scorecard, scorecards};
use crate::home::pages::{home, profile, team};
use crate::org::pages::{import, organisation, people, person, units};
use crate::auth::pages::sign_in;
use crate::offline::pages::sync;

/// The name of the browser bundle in `/pkg` (`line_of_sight.js`, `_bg.wasm`, `.css`).
pub const OUTPUT_NAME: &str = "line_of_sight";

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#1f4e79" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The document title for a page's `<Title text=…/>`; every title passes through here.
///
/// On the server leptos_meta writes the formatted title into `<title>` as it is, without escaping
/// (unlike every other text it renders), so a goal or a person's name holding `</title><script>`
/// would become markup: the server escapes it here. The browser sets `document.title`, which is
/// text, so it takes the title unescaped.
pub fn page_title(page: String) -> String {
    let title = if page.is_empty() { "Line of Sight".to_owned() } else { format!("{page} · Line of Sight") };
    #[cfg(feature = "ssr")]
    let title = html_escape::encode_text(&title).into_owned();
    title
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let user = Resource::new(|| (), |_| current_user());
    provide_context(Auth { user });
    crate::offline::client::start(crate::offline::client::Offline::provide(), user);

    // Tests (and people on slow phones) can tell when the page has become interactive.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Stylesheet id="leptos" href=format!("/pkg/{OUTPUT_NAME}.css") />
        <Title formatter=page_title />
        // Pages render whole before the first byte, so a redirect, 403 or 404 gets its real status.
        <Router>
            <AppHeader />
            <main id="main">
                <Routes fallback=NotFound>
                    <Route path=path!("/sign-in") view=sign_in::SignInPage ssr=SsrMode::Async />
                    <Route path=path!("/") view=home::HomePage ssr=SsrMode::Async />
                    <Route path=path!("/profile") view=profile::ProfilePage ssr=SsrMode::Async />
                    <Route path=path!("/team") view=team::TeamPage ssr=SsrMode::Async />
                    <Route path=path!("/people") view=people::PeoplePage ssr=SsrMode::Async />
                    <Route path=path!("/people/import") view=import::ImportPage ssr=SsrMode::Async />
                    <Route path=path!("/people/new") view=person::NewPersonPage ssr=SsrMode::Async />
                    <Route path=path!("/people/:id") view=person::PersonPage ssr=SsrMode::Async />
                    <Route path=path!("/units") view=units::UnitsPage ssr=SsrMode::Async />
                    <Route path=path!("/organisation") view=organisation::OrganisationPage ssr=SsrMode::Async />
                    <Route path=path!("/plans/:id") view=plan::PlanPage ssr=SsrMode::Async />
                    <Route path=path!("/scorecards") view=scorecards::ScorecardsPage ssr=SsrMode::Async />
                    <Route path=path!("/scorecards/import") view=scorecards::ImportActualsPage ssr=SsrMode::Async />
                    <Route path=path!("/scorecards/:id") view=scorecard::ScorecardPage ssr=SsrMode::Async />
                    <Route path=path!("/change") view=change::ChangePage ssr=SsrMode::Async />
                    <Route path=path!("/change/:id") view=programme::ProgrammePage ssr=SsrMode::Async />
                    <Route path=path!("/change/:id/adoption") view=adoption::AdoptionPage ssr=SsrMode::Async />
                    <Route path=path!("/pulse") view=pulse::PulsePage ssr=SsrMode::Async />
                    <Route path=path!("/appraisals") view=appraisals::AppraisalsPage ssr=SsrMode::Async />
                    <Route path=path!("/appraisals/report") view=appraisal_report::AppraisalReportPage ssr=SsrMode::Async />
                    <Route path=path!("/appraisals/:id/prepare") view=preparation::PreparationPage ssr=SsrMode::Async />
                    <Route path=path!("/appraisals/:id/conversation") view=conversation::ConversationPage ssr=SsrMode::Async />
                    <Route path=path!("/calibration/:unit") view=calibration::CalibrationPage ssr=SsrMode::Async />
                    <Route path=path!("/check-ins") view=check_ins::CheckInsPage ssr=SsrMode::Async />
                    <Route path=path!("/development/:id") view=development::DevelopmentPage ssr=SsrMode::Async />
                    <Route path=path!("/training") view=training::TrainingPage ssr=SsrMode::Async />
                    <Route path=path!("/training/:id") view=training::TrainingDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/recognition") view=recognition::RecognitionPage ssr=SsrMode::Async />
                    <Route path=path!("/merit") view=merit::MeritPage ssr=SsrMode::Async />
                    <Route path=path!("/rewards") view=rewards::RewardsPage ssr=SsrMode::Async />
                    <Route path=path!("/goals") view=goals::GoalsPage ssr=SsrMode::Async />
                    <Route path=path!("/goals/:id") view=goals::GoalPage ssr=SsrMode::Async />
                    <Route path=path!("/cycles") view=cycles::CyclesPage ssr=SsrMode::Async />
                    <Route path=path!("/library") view=library::LibraryPage ssr=SsrMode::Async />
                    <Route path=path!("/competencies") view=competencies::CompetenciesPage ssr=SsrMode::Async />
                    <Route path=path!("/integrations") view=integrations::IntegrationsPage ssr=SsrMode::Async />
                    <Route path=path!("/self-assessment") view=self_assessment::SelfAssessmentPage ssr=SsrMode::Async />
                    <Route path=path!("/results") view=results::ResultsPage ssr=SsrMode::Async />
                    <Route path=path!("/feedback") view=feedback::FeedbackPage ssr=SsrMode::Async />
                    <Route path=path!("/feedback/:id") view=feedback::FeedbackAboutPage ssr=SsrMode::Async />
                    <Route path=path!("/sync") view=sync::SyncPage ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::page_title;

    #[test]
    fn titles_are_escaped_for_the_server_rendered_head() {
        assert_eq!(
            page_title("Grow</title><script>alert(1)</script> & more".into()),
            "Grow&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; more · Line of Sight"
        );
        assert_eq!(page_title(String::new()), "Line of Sight");
    }
}
