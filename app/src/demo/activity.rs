//! This year's activity in the demo, from people's own hands: feedback given and asked for,
//! check-ins held, kudos, development items, training sessions, and the committee's rollout
//! programme at step 4 with its pulse survey. Everything goes through the store functions and sync
//! checks the pages use. The adoption trend is counted after each stage of the story (plans and
//! actuals, feedback, check-ins, kudos and development, the rollout), each count dated a week
//! after the one before: the counts are real, their days are the story's.

use crate::change::store::{adoption, programmes};
use crate::change::types::{ActionInput, ActionStatus, BarrierInput, BarrierStatus, ChecklistItem, Metric, ProgrammeInput};
use crate::db::Db;
use crate::demo::planning::LearningSession;
use crate::development::store as development;
use crate::development::types::DevelopmentItemInput;
use crate::error::{AppError, AppResult};
use crate::offline::types::{Feedback, FeedbackRequest, RequestState};
use crate::development::types::CheckIn;
use crate::org::store::units;
use crate::planning::rules::iso;
use crate::planning::store::{competencies, plans as planning};
use crate::demo::{Cast, push};
use crate::sync::protocol::Kind;

/// (giver, receiver, days ago, situation, behaviour, impact, private note)
const FEEDBACK: &[(&str, &str, i64, &str, &str, &str, bool)] = &[
    ("james.osei", "sam.taylor", 6, "Quarterly review with Nordhavn Foods", "You opened with their delivery problems before our offer and proposed a phased rollout", "They signed the first phase that week; the account is now our third largest in the North", false),
    ("lina.yusuf", "sam.taylor", 12, "Joint pitch to the Baltic retail group", "You prepared the pricing scenarios the night before and let me lead the parts I know best", "We answered every question on the spot and they asked for a second meeting", false),
    ("fatima.zahra", "ben.carter", 9, "The telephony outage", "You wrote a holding answer for the whole team within ten minutes", "Nobody improvised, and complaints that day were half of the last outage's", false),
    ("carlos.mendes", "mei.tanaka", 15, "Your first month on the billing queue", "You kept a list of every question you could not answer and closed it with the specialists each Friday", "Your first-contact resolution reached the team's average in four weeks", false),
    ("peter.kamau", "olga.ivanova", 20, "The quarterly stock count", "You re-planned the count around the late delivery instead of postponing it", "We closed the count on time and found the cause of the picking errors", false),
    ("oliver.grant", "priya.nair", 4, "The last month-end close", "You had the accruals reconciled before the first day of close", "We closed in five days for the first time this year", false),
    ("david.kim", "isabel.costa", 11, "The release of the new order portal", "You split the release into four small deployments with a rollback plan for each", "No incident, and customer service had nothing to escalate", false),
    ("kofi.mensah", "diego.ramirez", 18, "The trade fair in Seville", "You booked follow-up visits with every lead before the fair ended", "Eleven of the fourteen leads are in the pipeline now", false),
    ("maria.santos", "james.osei", 7, "The North's forecast meeting", "You showed the deals at risk first and what you are doing about each", "We agreed the support you need in one meeting instead of three", false),
    ("wei.chen", "fatima.zahra", 13, "The new ticket system's launch", "You trained the team in small groups and kept the old queue open for a week", "Handling time went back to normal in ten days", false),
    ("aisha.bello", "jonas.lind", 5, "A difficult call with a long-standing customer", "You stayed calm, summarised the customer's three complaints and agreed what happens next", "The customer wrote to thank the team the next day", false),
    ("sam.taylor", "ravi.patel", 3, "Handing over the Lindqvist account", "You walked me through every open order and the people behind them", "The customer did not notice the change, and the renewal went through", false),
    ("james.osei", "ravi.patel", 10, "Pipeline review", "Three deals have had no next step for a month", "Discuss in the next check-in: the quarter's bookings depend on them", true),
    ("amina.okafor", "lucas.berg", 16, "The managers' briefing on the new cycle", "You answered each question with the example from their own unit", "Every manager had plans drafted within the week", false),
];

/// The answer's situation, behaviour and impact.
type Answer = (&'static str, &'static str, &'static str);

/// (asker, asked, days ago, what about, the answer if given two days later)
const REQUESTS: &[(&str, &str, i64, &str, Option<Answer>)] = &[
    ("isabel.costa", "david.kim", 14, "How I ran the order portal release: what should I repeat next time?", Some((
        "The order portal release",
        "You planned each step with the people it affected and wrote down how to undo it",
        "Repeat that; next time, tell customer service the day before instead of the morning of",
    ))),
    ("lina.yusuf", "kofi.mensah", 4, "The Baltic retail negotiation: what could I have done differently?", None),
    ("diego.ramirez", "sofia.rossi", 2, "My follow-ups after the Seville fair: were they useful to you?", None),
];

/// (manager, person, days ago, goal, reality, options, will, completed)
const CHECK_INS: &[(&str, &str, i64, &str, &str, &str, &str, bool)] = &[
    ("james.osei", "sam.taylor", 20, "Reach the quarter's new-revenue target", "At 80 % with five weeks left; two proposals waiting for the client's budget", "Offer a phased start; bring in the product specialist for the technical questions", "Send both phased proposals by Friday; James joins the Nordhavn call", true),
    ("james.osei", "ravi.patel", 25, "Book 50 kEUR of orders this quarter", "38 kEUR booked; visits are on plan but orders are small", "Visit fewer, larger accounts; bundle the service contract", "Ravi lists his ten largest accounts and plans a visit to each", true),
    ("fatima.zahra", "ben.carter", 14, "Resolve 75 % of contacts at the first touch", "72 %; billing questions are the ones passed on", "Shadow the billing specialist; use the new answer library", "Two shadowing sessions this month; Fatima checks the rate in four weeks", true),
    ("kofi.mensah", "lina.yusuf", 30, "Raise the win rate to 25 %", "22 %; deals lost on price after long cycles", "Qualify harder early; involve Kofi in pricing sooner", "Use the qualification checklist on every new opportunity", true),
    ("peter.kamau", "olga.ivanova", 35, "Keep 20–30 days of stock cover", "34 days on slow movers", "Agree reorder points with purchasing", "Olga proposes new reorder points for the slow movers", true),
    ("david.kim", "isabel.costa", 8, "Ten deployments a month, safely", "", "", "", false),
];

/// (giver, receiver, competency, message)
const KUDOS: &[(&str, &str, &str, &str)] = &[
    ("james.osei", "sam.taylor", "Customer focus", "Turned the Nordhavn complaint into a phased rollout they signed."),
    ("ben.carter", "aisha.bello", "Collaboration", "Covered my queue during the outage without being asked."),
    ("sam.taylor", "lina.yusuf", "Collaboration", "Shared her Baltic pricing model with the whole North team."),
    ("david.kim", "ahmed.hassan", "Problem solving", "Found the cause of the nightly import failures in an afternoon."),
    ("maria.santos", "kofi.mensah", "Ownership", "Took over the South's forecast while the planner was away."),
    ("grace.mwangi", "amina.okafor", "Communication", "Her briefing made the new cycle clear to every manager."),
    ("olga.ivanova", "yusuf.demir", "Ownership", "Re-labelled the whole returns aisle on his own initiative."),
    ("fatima.zahra", "carlos.mendes", "Leading people", "Coached two new agents to the team's average in a month."),
];

/// Sessions of the catalogue's trainings this year: (training, days ago, place, attendees).
const SESSIONS: &[(&str, i64, &str, &[&str])] = &[
    ("Consultative selling", 54, "Head Office, room 2", &["sam.taylor", "lina.yusuf", "ravi.patel", "diego.ramirez"]),
    ("Coaching conversations for managers", 76, "Online", &["james.osei", "kofi.mensah", "fatima.zahra", "peter.kamau", "olga.ivanova", "carlos.mendes"]),
];

/// Seeds this year's activity; `today` is the day the demo is seeded.
pub async fn seed(db: &Db, today: time::Date, learning: &LearningSession<'_>) -> AppResult<()> {
    let cast = Cast::load(db).await?;
    let ago = |days: i64| iso(today - time::Duration::days(days));
    let cycle = planning::current_cycle(db).await?;
    // Where the story stood four weeks ago: plans and the actuals of the periods that have ended.
    adoption::record_day(db, today - time::Duration::days(28), &adoption::count(db).await?).await?;

    for (n, (asker, asked, days, message, answered)) in REQUESTS.iter().enumerate() {
        let request = FeedbackRequest { id: format!("demo-request-{n:03}"), asker_id: cast.get(asker)?.id.clone(), asked_id: cast.get(asked)?.id.clone(), message: message.to_string(), state: RequestState::Open, asked_on: ago(*days) };
        push(db, cast.get(asker)?, Kind::FeedbackRequest, &request.id, request.to_values(), None).await?;
        if let Some((situation, behaviour, impact)) = answered {
            let answer = Feedback {
                id: format!("demo-answer-{n:03}"),
                giver_id: request.asked_id.clone(),
                receiver_id: request.asker_id.clone(),
                situation: situation.to_string(),
                behaviour: behaviour.to_string(),
                impact: impact.to_string(),
                private: false,
                request_id: Some(request.id.clone()),
                given_on: ago(days - 2),
            };
            push(db, cast.get(asked)?, Kind::Feedback, &answer.id, answer.to_values(), None).await?;
        }
    }
    for (n, (giver, receiver, days, situation, behaviour, impact, private)) in FEEDBACK.iter().enumerate() {
        let feedback = Feedback {
            id: format!("demo-feedback-{n:03}"),
            giver_id: cast.get(giver)?.id.clone(),
            receiver_id: cast.get(receiver)?.id.clone(),
            situation: situation.to_string(),
            behaviour: behaviour.to_string(),
            impact: impact.to_string(),
            private: *private,
            request_id: None,
            given_on: ago(*days),
        };
        push(db, cast.get(giver)?, Kind::Feedback, &feedback.id, feedback.to_values(), None).await?;
    }
    adoption::record_day(db, today - time::Duration::days(21), &adoption::count(db).await?).await?;

    for (n, (manager, person, days, goal, reality, options, will, completed)) in CHECK_INS.iter().enumerate() {
        let check_in = CheckIn {
            person_id: cast.get(person)?.id.clone(),
            manager_id: cast.get(manager)?.id.clone(),
            cycle_id: cycle.id.clone(),
            held_on: ago(*days),
            goal: goal.to_string(),
            reality: reality.to_string(),
            options: options.to_string(),
            will: will.to_string(),
            actions: Vec::new(),
            completed_on: if *completed { ago(*days) } else { String::new() },
        };
        push(db, cast.get(manager)?, Kind::CheckIn, &format!("demo-check-in-{n:03}"), check_in.to_values(), None).await?;
    }
    adoption::record_day(db, today - time::Duration::days(14), &adoption::count(db).await?).await?;

    let framework = competencies::framework(db).await?.competencies;
    for (giver, receiver, competency, message) in KUDOS {
        let competency = framework.iter().find(|c| c.name == *competency).ok_or(AppError::Internal)?;
        development::give_kudos(db, cast.get(giver)?, &cast.get(receiver)?.id, &competency.id, message.to_string()).await?;
    }
    development_items(db, &cast, today).await?;
    adoption::record_day(db, today - time::Duration::days(7), &adoption::count(db).await?).await?;

    sessions(db, &cast, today, learning).await?;
    rollout(db, &cast, today).await?;
    adoption::record_day(db, today, &adoption::count(db).await?).await?;
    Ok(())
}

/// A development item of this year for a few people, aimed at what last year's appraisal showed
/// lagging; last year's agreed actions are closed with evidence by every other person.
async fn development_items(db: &Db, cast: &Cast, today: time::Date) -> AppResult<()> {
    let due = |days: i64| iso(today + time::Duration::days(days));
    let planned = [
        ("sam.taylor", "Negotiation masterclass before the next renewals", "training", 60),
        ("ben.carter", "Shadow the billing specialist twice a month", "mentoring", 21),
        ("isabel.costa", "Write the team's rollback playbook", "stretch", 45),
        ("olga.ivanova", "Read 'The Goal' and present three ideas to the team", "reading", -5),
    ];
    for (name, title, kind, days) in planned {
        let person = &cast.get(name)?.id;
        let view = development::plan_view(db, person).await?;
        let target = view.gaps.first().map(|g| g.target.clone()).or_else(|| view.targets.first().map(|t| t.0.clone())).ok_or(AppError::Internal)?;
        development::add_item(db, person, DevelopmentItemInput { title: title.into(), kind: kind.into(), target, due_on: due(days) }).await?;
    }
    for name in cast.names().into_iter().step_by(2) {
        let person = &cast.get(name)?.id;
        for item in development::plan_view(db, person).await?.items.into_iter().filter(|i| i.source == "appraisal") {
            development::update_item(db, person, &item.id, "done".into(), "Done; the manager saw the result in a check-in.".into()).await?;
        }
    }
    Ok(())
}

/// The sessions of the catalogue's trainings, with who attended: last year's learning-planning
/// session and this year's.
async fn sessions(db: &Db, cast: &Cast, today: time::Date, learning: &LearningSession<'_>) -> AppResult<()> {
    let hr = cast.get("amina.okafor")?;
    let readers = crate::auth::Audience::of(db, hr, |p| crate::auth::policy::Rule::PersonRecord(p)).await?;
    let catalogue = development::catalogue(db, true).await?;
    let this_year = SESSIONS.iter().map(|(title, days, place, attendees)| (*title, iso(today - time::Duration::days(*days)), *place, *attendees));
    for (title, held_on, place, attendees) in std::iter::once((learning.training, learning.held_on.to_owned(), learning.place, learning.attendees)).chain(this_year) {
        let training = &catalogue.trainings.iter().find(|t| t.training.title == title).ok_or(AppError::Internal)?.training;
        // Not as an editor: the effect report each answer would carry is not needed here.
        let view = development::add_session(db, false, &readers, &training.id, held_on.clone(), place.to_string()).await?;
        let session = view.sessions.iter().find(|s| s.held_on == held_on).ok_or(AppError::Internal)?;
        let ids = attendees.iter().map(|a| cast.get(a).map(|u| u.id.clone())).collect::<AppResult<Vec<_>>>()?;
        development::set_attendance(db, false, &readers, &session.id, ids).await?;
    }
    Ok(())
}

/// The committee's rollout of Line of Sight: steps 1 to 3 signed off, step 4 under way with its
/// actions, evidence and a barrier, adoption targets, and a closed pulse survey most answered.
async fn rollout(db: &Db, cast: &Cast, today: time::Date) -> AppResult<()> {
    let day = |days: i64| iso(today + time::Duration::days(days));
    let cycle = planning::current_cycle(db).await?;
    let root = units::list(db).await?.into_iter().find(|u| u.parent_id.is_none()).ok_or(AppError::Internal)?;
    let chair = cast.get("zara.ahmed")?;
    let programme = programmes::create(db, ProgrammeInput {
        name: "Line of Sight rollout".into(),
        scope_unit_ids: vec![root.id],
        sponsor_id: cast.get("grace.mwangi")?.id.clone(),
        chair_id: chair.id.clone(),
        member_ids: ["amina.okafor", "david.kim", "zara.ahmed"].iter().map(|m| cast.get(m).map(|u| u.id.clone())).collect::<AppResult<_>>()?,
        starts_on: cycle.starts_on.clone(),
        ends_on: cycle.ends_on.clone(),
    })
    .await?;
    let id = programme.id;
    // (step, action, owner, due in days, status)
    let actions: &[(u8, &str, &str, i64, ActionStatus)] = &[
        (1, "Share last year's appraisal survey results with the leadership team", "amina.okafor", -120, ActionStatus::Done),
        (2, "Name a change champion in every unit", "zara.ahmed", -100, ActionStatus::Done),
        (3, "Write the vision: every person sees how their targets serve the goals", "grace.mwangi", -80, ActionStatus::Done),
        (4, "Record a three-minute video from the CEO on why goals matter", "grace.mwangi", 10, ActionStatus::Open),
        (4, "Hold a question-and-answer hour in each unit", "amina.okafor", -5, ActionStatus::InProgress),
        (4, "Publish the rollout questions and answers on the intranet", "david.kim", -20, ActionStatus::Done),
    ];
    for (step, title, owner, due, status) in actions {
        programmes::save_action(db, &id, ActionInput { id: None, step: *step, title: title.to_string(), owner_id: cast.get(owner)?.id.clone(), due_on: day(*due), status: *status }).await?;
    }
    let evidence: &[(u8, &str, &str)] = &[
        (1, "Leadership agreed the case for change: only 40 % of plans were linked to a goal last year.", "https://intranet.example.com/rollout/case-for-change"),
        (2, "Champions named in every unit; first meeting held.", ""),
        (3, "Vision and strategy approved by the leadership team.", "https://intranet.example.com/rollout/vision"),
        (4, "Questions and answers published; 212 views in the first week.", "https://intranet.example.com/rollout/faq"),
    ];
    for (step, note, link) in evidence {
        programmes::add_evidence(db, chair, &id, *step, note.to_string(), link.to_string()).await?;
    }
    for step in crate::change::rules::STEPS.iter().take(4) {
        let all = step.number < 4;
        let checklist = step.activities.iter().enumerate().map(|(i, a)| ChecklistItem { text: a.to_string(), done: all || i == 0 }).collect();
        let criteria = step.criteria.iter().enumerate().map(|(i, _)| all || i == 0).collect();
        programmes::save_step(db, &id, step.number, checklist, criteria).await?;
        if all {
            programmes::sign_off(db, chair, &id, step.number, false).await?;
        }
    }
    programmes::save_barrier(db, &id, BarrierInput {
        id: None,
        title: "Warehouse shifts have no time for briefings".into(),
        detail: "The night shift misses every session held in office hours.".into(),
        owner_id: cast.get("amina.okafor")?.id.clone(),
        status: BarrierStatus::BeingRemoved,
        step: 4,
    })
    .await?;
    programmes::save_targets(db, &id, vec![
        (Metric::AgreedPlans, "95".into()),
        (Metric::KpisWithActuals, "90".into()),
        (Metric::FeedbackPerPersonMonth, "1".into()),
        (Metric::DevelopmentActionsCompleted, "50".into()),
    ])
    .await?;

    // Last month's pulse: most people answered, so its results show; then the committee closed it.
    let last_month = (today - time::Duration::days(today.day().into())).month();
    programmes::create_pulse(db, &id, format!("Rollout pulse: {last_month}"), "I know how my targets serve the organisation's goals\nMy manager and I talk about my progress often enough\nThe appraisal will be fair".into()).await?;
    let mut pulse = None;
    for (n, name) in cast.names().iter().enumerate().filter(|(n, _)| n % 6 != 5) {
        let person = cast.get(name)?;
        let open = programmes::open_pulses(db, person).await?;
        let Some(found) = open.into_iter().find(|p| !p.answered) else { continue };
        let scores = vec![[4, 3, 5, 4, 2][n % 5], [3, 4, 4, 2, 5][n % 5], [3, 3, 4, 4, 2][n % 5]];
        programmes::answer_pulse(db, person, &found.id, scores).await?;
        pulse = Some(found.id);
    }
    programmes::close_pulse(db, &id, &pulse.ok_or(AppError::Internal)?).await?;
    Ok(())
}
