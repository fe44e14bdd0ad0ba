use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy, LazyRoute, SsrMode};

use crate::auth::api::current_user;
use crate::home::pages::header::AppHeader;
use crate::ui::layout::{Auth, NotFound};
use crate::change::pages::{adoption, change, programme, pulse};
use crate::appraisal::pages::{appraisals, calibration, conversation, preparation, report as appraisal_report, self_assessment};
use crate::development::pages::{check_ins, development, feedback, recognition, training};
use crate::reward::pages::{merit, rewards};
use crate::planning::pages::{competencies, cycles, goals, integrations, library, plan, results, scorecard, scorecards};
use crate::home::pages::{home, inbox, profile, team};
use crate::mail::pages::{settings as email_settings, unsubscribe};
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

// The pages are lazy routes in three groups, each group's code a chunk of the browser bundle
// loaded when one of its pages is first opened (and precached by the service worker for offline
// use): signing in, what every employee opens, and the rest (managers', HR's, the committee's).
// Few groups on purpose: every split point multiplies the chunks of code the groups share, and a
// phone on a slow network pays a round trip per file (seventeen groups made 740 files, and a
// signed-in page fetched three hundred of them).
macro_rules! lazy_pages {
    ($($group:ident / $pages:ident { $($route:ident => $page:path,)* })*) => {$(
        mod $group {
            use super::*;

            #[derive(Clone, Copy)]
            pub enum $pages { $($route,)* }

            #[lazy($group)]
            pub fn show(page: $pages) -> AnyView {
                mark_interactive();
                match page { $($pages::$route => untrack($page).into_any(),)* }
            }
        }

        $(
            struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    $group::show($group::$pages::$route).await
                }

                // Hydration waits for this: the group's chunk is loaded before the page hydrates.
                async fn preload() {
                    #[cfg(feature = "hydrate")]
                    $group::__preload_show().await;
                }
            }
        )*
    )*};
}

/// Marks the page interactive once it has hydrated (effects run after), so tests, and people on
/// slow phones, can tell: the page's code arrives after the shell's, so the mark is the page's.
fn mark_interactive() {
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

lazy_pages! {
    // signing in: the first page anyone opens, kept small
    sign_in_pages / SignInPages {
        SignInRoute => sign_in::SignInPage,
    }
    // what every employee opens: the home, the plan, results and scorecard, the self-assessment, feedback and check-ins, development, goals
    employee_pages / EmployeePages {
        HomeRoute => home::HomePage,
        InboxRoute => inbox::InboxPage,
        ProfileRoute => profile::ProfilePage,
        PlanRoute => plan::PlanPage,
        ScorecardRoute => scorecard::ScorecardPage,
        ResultsRoute => results::ResultsPage,
        SelfAssessmentRoute => self_assessment::SelfAssessmentPage,
        FeedbackRoute => feedback::FeedbackPage,
        FeedbackAboutRoute => feedback::FeedbackAboutPage,
        CheckInsRoute => check_ins::CheckInsPage,
        DevelopmentRoute => development::DevelopmentPage,
        TrainingRoute => training::TrainingPage,
        TrainingDetailRoute => training::TrainingDetailPage,
        RecognitionRoute => recognition::RecognitionPage,
        GoalsRoute => goals::GoalsPage,
        GoalRoute => goals::GoalPage,
        PulseRoute => pulse::PulsePage,
        SyncRoute => sync::SyncPage,
        EmailSettingsRoute => email_settings::EmailSettingsPage,
        UnsubscribeRoute => unsubscribe::UnsubscribePage,
    }
    // the appraisal, the team, merit and reward, the change programme, HR's administration
    manager_pages / ManagerPages {
        TeamRoute => team::TeamPage,
        AppraisalsRoute => appraisals::AppraisalsPage,
        AppraisalReportRoute => appraisal_report::AppraisalReportPage,
        PreparationRoute => preparation::PreparationPage,
        ConversationRoute => conversation::ConversationPage,
        CalibrationRoute => calibration::CalibrationPage,
        MeritRoute => merit::MeritPage,
        RewardsRoute => rewards::RewardsPage,
        ChangeRoute => change::ChangePage,
        ProgrammeRoute => programme::ProgrammePage,
        AdoptionRoute => adoption::AdoptionPage,
        PeopleRoute => people::PeoplePage,
        ImportRoute => import::ImportPage,
        NewPersonRoute => person::NewPersonPage,
        PersonRoute => person::PersonPage,
        UnitsRoute => units::UnitsPage,
        OrganisationRoute => organisation::OrganisationPage,
        ScorecardsRoute => scorecards::ScorecardsPage,
        ImportActualsRoute => scorecards::ImportActualsPage,
        CyclesRoute => cycles::CyclesPage,
        LibraryRoute => library::LibraryPage,
        CompetenciesRoute => competencies::CompetenciesPage,
        IntegrationsRoute => integrations::IntegrationsPage,
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let user = Resource::new(|| (), |_| current_user());
    provide_context(Auth { user });
    crate::offline::client::start(crate::offline::client::Offline::provide(), user);

    view! {
        <Stylesheet id="leptos" href=format!("/pkg/{OUTPUT_NAME}.css") />
        <Title formatter=page_title />
        // Pages render whole before the first byte, so a redirect, 403 or 404 gets its real status.
        // The router would take "#main" as a navigation: the focus is moved by hand.
        <a class="skip-link" href="#main" on:click=move |ev| { ev.prevent_default(); crate::ui::form::focus_on("main"); }>"Skip to content"</a>
        <Router>
            <AppHeader />
            <main id="main" tabindex="-1">
                <Routes fallback=|| { mark_interactive(); NotFound() }>
                    <Route path=path!("/sign-in") view={Lazy::<SignInRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/") view={Lazy::<HomeRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/inbox") view={Lazy::<InboxRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/profile") view={Lazy::<ProfileRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/settings/email") view={Lazy::<EmailSettingsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/unsubscribe/:token") view={Lazy::<UnsubscribeRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/team") view={Lazy::<TeamRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/people") view={Lazy::<PeopleRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/people/import") view={Lazy::<ImportRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/people/new") view={Lazy::<NewPersonRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/people/:id") view={Lazy::<PersonRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/units") view={Lazy::<UnitsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/organisation") view={Lazy::<OrganisationRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/plans/:id") view={Lazy::<PlanRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/scorecards") view={Lazy::<ScorecardsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/scorecards/import") view={Lazy::<ImportActualsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/scorecards/:id") view={Lazy::<ScorecardRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/change") view={Lazy::<ChangeRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/change/:id") view={Lazy::<ProgrammeRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/change/:id/adoption") view={Lazy::<AdoptionRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/pulse") view={Lazy::<PulseRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/appraisals") view={Lazy::<AppraisalsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/appraisals/report") view={Lazy::<AppraisalReportRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/appraisals/:id/prepare") view={Lazy::<PreparationRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/appraisals/:id/conversation") view={Lazy::<ConversationRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/calibration/:unit") view={Lazy::<CalibrationRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/check-ins") view={Lazy::<CheckInsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/development/:id") view={Lazy::<DevelopmentRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/training") view={Lazy::<TrainingRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/training/:id") view={Lazy::<TrainingDetailRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/recognition") view={Lazy::<RecognitionRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/merit") view={Lazy::<MeritRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/rewards") view={Lazy::<RewardsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/goals") view={Lazy::<GoalsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/goals/:id") view={Lazy::<GoalRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/cycles") view={Lazy::<CyclesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/library") view={Lazy::<LibraryRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/competencies") view={Lazy::<CompetenciesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/integrations") view={Lazy::<IntegrationsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/self-assessment") view={Lazy::<SelfAssessmentRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/results") view={Lazy::<ResultsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/feedback") view={Lazy::<FeedbackRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/feedback/:id") view={Lazy::<FeedbackAboutRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/sync") view={Lazy::<SyncRoute>::new()} ssr=SsrMode::Async />
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
