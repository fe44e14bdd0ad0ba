//! The rules of planning, pure so the browser and the server agree: review periods from a cycle's
//! dates, and what a cycle, a goal, a KPI and a plan must satisfy.

use std::collections::{HashMap, HashSet};

use time::{Date, Month};

use crate::planning::types::{ActualInput, ActualRow, Cycle, CycleInput, CycleState, Deadlines, FieldChange, Goal, GoalInput, Kpi, KpiSpec, KpiTemplate, Kra, Period, PeriodKind, Plan, PlanState, PlanStep};
use crate::org::people_types::CsvRowError;
use crate::error::FieldError;
use crate::offline::types::{Event, Notification};
use crate::planning::scoring::check_weights_total;

/// A cycle runs at most two years.
const MAX_MONTHS: i32 = 24;

/// `YYYY-MM-DD`, or `None`.
pub fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

/// A day written exactly as `YYYY-MM-DD`, as records store it.
pub fn is_iso_date(text: &str) -> bool {
    parse_date(text).is_some_and(|d| iso(d) == text)
}

pub fn iso(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

/// The first day of the month `months` after `date`'s month.
fn add_months(date: Date, months: i32) -> Date {
    let index = date.year() * 12 + i32::from(u8::from(date.month())) - 1 + months;
    let month = Month::try_from((index.rem_euclid(12) + 1) as u8).expect("1..=12");
    Date::from_calendar_date(index.div_euclid(12), month, 1).expect("the first of a month exists")
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

fn month_label(date: Date) -> &'static str {
    MONTHS[usize::from(u8::from(date.month())) - 1]
}

/// The review periods of a cycle, or the field to fix and why.
pub fn periods(starts_on: &str, ends_on: &str, kind: PeriodKind) -> Result<Vec<Period>, FieldError> {
    let start = parse_date(starts_on)
        .filter(|d| d.day() == 1)
        .ok_or_else(|| FieldError::new("starts_on", "Use the first day of a month, as YYYY-MM-DD."))?;
    let end = parse_date(ends_on)
        .filter(|d| d.next_day().is_some_and(|n| n.day() == 1))
        .ok_or_else(|| FieldError::new("ends_on", "Use the last day of a month, as YYYY-MM-DD."))?;
    let months = (end.year() - start.year()) * 12 + i32::from(u8::from(end.month())) - i32::from(u8::from(start.month())) + 1;
    if months < 1 || months > MAX_MONTHS {
        return Err(FieldError::new("ends_on", "The cycle must end after it starts, and last at most 24 months."));
    }
    let step = kind.months() as i32;
    if months % step != 0 {
        return Err(FieldError::new("ends_on", format!("{months} months do not divide into whole quarters; end the cycle on a quarter's last day.")));
    }
    Ok((0..months / step)
        .map(|i| {
            let from = add_months(start, i * step);
            let to = add_months(start, (i + 1) * step).previous_day().expect("a day before");
            let (key, label) = match kind {
                PeriodKind::Quarter => (
                    format!("Q{}", i + 1),
                    format!("Q{} ({}–{} {})", i + 1, month_label(from), month_label(to), to.year()),
                ),
                PeriodKind::Month => (format!("M{:02}", i + 1), format!("{} {}", month_label(from), from.year())),
            };
            Period { key, label, starts_on: iso(from), ends_on: iso(to) }
        })
        .collect())
}

pub fn check_cycle(input: &CycleInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        errors.push(FieldError::new("name", "Give the cycle a name of up to 60 characters, e.g. FY2027."));
    }
    if let Err(e) = periods(&input.starts_on, &input.ends_on, input.period_kind) {
        errors.push(e);
    }
    errors
}

/// Organisational goals have no unit and no parent; a unit goal is cascaded from a goal of the
/// same cycle.
pub fn check_goal(input: &GoalInput, cycle_goals: &[Goal]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let title = input.title.trim();
    if title.is_empty() || title.chars().count() > 160 {
        errors.push(FieldError::new("title", "Write the goal in up to 160 characters."));
    }
    match (&input.unit_id, &input.parent_id) {
        (None, Some(_)) => errors.push(FieldError::new("unit_id", "A cascaded goal belongs to a unit: choose it.")),
        (Some(_), None) => errors.push(FieldError::new("parent_id", "Choose the goal this unit goal serves.")),
        (Some(_), Some(parent)) if !cycle_goals.iter().any(|g| &g.id == parent) => {
            errors.push(FieldError::new("parent_id", "That goal is not in this cycle."))
        }
        _ => {}
    }
    errors
}

/// The goal and the goals above it, organisational goal last.
pub fn goal_path<'a>(goals: &'a [Goal], id: &str) -> Vec<&'a Goal> {
    let mut path = Vec::new();
    let mut cursor = goals.iter().find(|g| g.id == id);
    while let Some(goal) = cursor {
        if path.iter().any(|g: &&Goal| g.id == goal.id) {
            break;
        }
        path.push(goal);
        cursor = goal.parent_id.as_ref().and_then(|p| goals.iter().find(|g| &g.id == p));
    }
    path
}

/// The checks of one KPI's description and numbers; fields are named `{prefix}name` etc.
pub fn check_kpi(spec: &KpiSpec, prefix: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let field = |name: &str| format!("{prefix}{name}");
    if spec.name.trim().is_empty() || spec.name.chars().count() > 120 {
        errors.push(FieldError::new(&field("name"), "Name the KPI in up to 120 characters."));
    }
    if spec.measure.trim().is_empty() || spec.measure.chars().count() > 20 {
        errors.push(FieldError::new(&field("measure"), "Give the unit of measure (%, EUR, days…), up to 20 characters."));
    }
    if let Err(message) = spec.targets.check() {
        errors.push(FieldError::new(&field("targets"), message));
    }
    if spec.data_source.trim().is_empty() {
        errors.push(FieldError::new(&field("data_source"), "Say where the actuals come from (a report, a system, a log)."));
    }
    errors
}

/// Everything a plan must satisfy before it is saved: KRA weights add to 100, each KRA serves a
/// goal of the cycle and holds KPIs whose weights add to 100, and KPI names are unique (imports
/// find KPIs by name).
pub fn check_plan(kras: &[Kra], goal_ids: &[String]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if kras.is_empty() {
        errors.push(FieldError::new("kras", "Add at least one KRA."));
        return errors;
    }
    if let Err(message) = check_weights_total(&kras.iter().map(|k| k.weight).collect::<Vec<_>>()) {
        errors.push(FieldError::new("kras", format!("KRA weights: {message}")));
    }
    let mut names = HashSet::new();
    for (i, kra) in kras.iter().enumerate() {
        let field = |name: &str| format!("kra-{i}-{name}");
        if kra.title.trim().is_empty() {
            errors.push(FieldError::new(&field("title"), "Name the key result area."));
        }
        if !(kra.weight > 0.0 && kra.weight <= 100.0) {
            errors.push(FieldError::new(&field("weight"), "Give a weight above 0 and up to 100."));
        }
        if !goal_ids.contains(&kra.goal_id) {
            errors.push(FieldError::new(&field("goal"), "Choose the goal this KRA serves."));
        }
        if kra.kpis.is_empty() {
            errors.push(FieldError::new(&field("kpis"), "Add at least one KPI."));
        } else if let Err(message) = check_weights_total(&kra.kpis.iter().map(|k| k.weight).collect::<Vec<_>>()) {
            errors.push(FieldError::new(&field("kpis"), format!("KPI weights: {message}")));
        }
        for (j, kpi) in kra.kpis.iter().enumerate() {
            let prefix = format!("kra-{i}-kpi-{j}-");
            errors.extend(check_kpi(&kpi.spec, &prefix));
            if !(kpi.weight > 0.0 && kpi.weight <= 100.0) {
                errors.push(FieldError::new(&format!("{prefix}weight"), "Give a weight above 0 and up to 100."));
            }
            if !names.insert(kpi.spec.name.trim().to_lowercase()) {
                errors.push(FieldError::new(&format!("{prefix}name"), "Another KPI of this plan has this name; give each its own."));
            }
        }
    }
    errors
}

/// Gives each KRA and KPI of a plan being saved its id: the one it came with; else, when it is the
/// same as a saved KRA or KPI nobody else claimed, that one's (so saving the same plan twice,
/// ids left empty, changes nothing); else a new key. Titles, KPI names and measures are trimmed.
pub fn settle_ids(before: &[Kra], mut kras: Vec<Kra>, mut new_key: impl FnMut() -> String) -> Vec<Kra> {
    fn same_kpi(a: &Kpi, b: &Kpi) -> bool {
        a.spec == b.spec && a.weight == b.weight
    }
    fn same_kra(a: &Kra, b: &Kra) -> bool {
        a.title == b.title && a.weight == b.weight && a.goal_id == b.goal_id && a.kpis.len() == b.kpis.len() && a.kpis.iter().zip(&b.kpis).all(|(x, y)| same_kpi(x, y))
    }
    for kra in &mut kras {
        kra.title = kra.title.trim().to_owned();
        for kpi in &mut kra.kpis {
            kpi.spec.name = kpi.spec.name.trim().to_owned();
            kpi.spec.measure = kpi.spec.measure.trim().to_owned();
        }
    }
    let mut claimed: HashSet<String> = kras.iter().map(|k| k.id.clone()).filter(|id| !id.is_empty()).collect();
    for kra in kras.iter_mut().filter(|k| k.id.is_empty()) {
        if let Some(saved) = before.iter().find(|b| !claimed.contains(&b.id) && same_kra(b, kra)) {
            claimed.insert(saved.id.clone());
            kra.id = saved.id.clone();
            kra.kpis.iter_mut().zip(&saved.kpis).for_each(|(kpi, s)| kpi.id = s.id.clone());
        }
    }
    let mut claimed_kpis: HashSet<String> = kras.iter().flat_map(|k| &k.kpis).map(|k| k.id.clone()).filter(|id| !id.is_empty()).collect();
    for kra in &mut kras {
        let saved_kpis: &[Kpi] = before.iter().find(|b| b.id == kra.id).map_or(&[], |b| &b.kpis);
        for kpi in kra.kpis.iter_mut().filter(|k| k.id.is_empty()) {
            match saved_kpis.iter().find(|s| !claimed_kpis.contains(&s.id) && same_kpi(s, kpi)) {
                Some(saved) => kpi.id = saved.id.clone(),
                None => kpi.id = new_key(),
            }
            claimed_kpis.insert(kpi.id.clone());
        }
        if kra.id.is_empty() {
            kra.id = new_key();
        }
    }
    kras
}

/// What rows of actuals are checked against: the people (by lower-case email) with their plan in
/// the cycle, if any, the cycle's periods, and the day.
pub struct ActualsContext<'a> {
    pub people: HashMap<String, Option<&'a Plan>>,
    pub periods: &'a [Period],
    pub today: Date,
}

/// An actual ready to store.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedActual {
    pub plan_id: String,
    pub kpi_id: String,
    pub period_key: String,
    pub value: f64,
    pub note: String,
    pub link: Option<String>,
}

/// Checks every row (numbered by the caller: a CSV line, an API item) and resolves each to a plan's
/// KPI and period; either all pass or every problem is returned.
pub fn resolve_actuals(rows: &[(usize, ActualRow)], context: &ActualsContext) -> Result<Vec<ResolvedActual>, Vec<CsvRowError>> {
    let mut errors = Vec::new();
    let mut resolved = Vec::new();
    let mut seen: HashMap<(String, String, String), usize> = HashMap::new();
    let periods: Vec<&str> = context.periods.iter().map(|p| p.key.as_str()).collect();
    for (row, input) in rows {
        let mut fail = |column: &str, message: String| errors.push(CsvRowError { row: *row, column: column.to_owned(), message });
        let email = input.email.trim().to_lowercase();
        let plan = match context.people.get(&email) {
            None => {
                fail("email", format!("No active person has the email '{}'.", input.email.trim()));
                continue;
            }
            Some(None) => {
                fail("email", format!("{email} has no plan in this cycle yet."));
                continue;
            }
            Some(Some(plan)) => *plan,
        };
        let wanted = input.kpi.trim().to_lowercase();
        let kpi = plan.kras.iter().flat_map(|k| &k.kpis).find(|k| k.spec.name.trim().to_lowercase() == wanted);
        let period = context.periods.iter().find(|p| p.key.eq_ignore_ascii_case(input.period.trim()));
        match kpi {
            None => {
                let names: Vec<&str> = plan.kras.iter().flat_map(|k| &k.kpis).map(|k| k.spec.name.as_str()).collect();
                fail("kpi", format!("{email}'s plan has no KPI '{}'; it has: {}.", input.kpi.trim(), names.join(", ")));
            }
            Some(_) if !input.value.is_finite() => fail("value", "The value must be a number.".into()),
            Some(_) => {}
        }
        match period {
            None => fail("period", format!("'{}' is not a period of this cycle; use one of {}.", input.period.trim(), periods.join(", "))),
            Some(p) if parse_date(&p.starts_on).is_some_and(|d| d > context.today) => {
                fail("period", format!("{} starts on {}; record actuals once it has started.", p.key, p.starts_on))
            }
            Some(_) => {}
        }
        let link = input.link.as_deref().map(str::trim).filter(|l| !l.is_empty());
        if link.is_some_and(|l| !(l.starts_with("https://") || l.starts_with("http://"))) {
            fail("link", "A link starts with https:// or http://.".into());
        }
        if let Err(e) = crate::limits::check_text("note", "the note", &input.note, 2000) {
            fail("note", e.message);
        }
        let (Some(kpi), Some(period)) = (kpi, period) else { continue };
        let key = (plan.id.clone(), kpi.id.clone(), period.key.clone());
        if let Some(first) = seen.insert(key, *row) {
            fail("period", format!("This KPI and period already appear in row {first}."));
            continue;
        }
        resolved.push(ResolvedActual {
            plan_id: plan.id.clone(),
            kpi_id: kpi.id.clone(),
            period_key: period.key.clone(),
            value: input.value,
            note: input.note.trim().to_owned(),
            link: link.map(str::to_owned),
        });
    }
    if errors.is_empty() {
        Ok(resolved)
    } else {
        Err(errors)
    }
}

/// A new cycle: its own checks, and a name no other cycle has.
pub fn check_new_cycle(input: &CycleInput, cycles: &[Cycle]) -> Vec<FieldError> {
    let mut errors = check_cycle(input);
    let name = input.name.trim();
    if cycles.iter().any(|c| c.name.eq_ignore_ascii_case(name)) {
        errors.push(FieldError::new("name", "Another cycle has this name."));
    }
    errors
}

/// Months after a cycle's end a deadline may fall (appraisals and calibration follow the year).
const DEADLINE_MONTHS_AFTER: i32 = 6;
/// The most days after a period's end its actuals may be due.
const MAX_ACTUALS_DAYS: u32 = 60;
/// The cadence of check-ins: from weekly to quarterly.
const CHECK_IN_DAYS: std::ops::RangeInclusive<u32> = 7..=92;

/// A cycle's deadlines: each a day from the cycle's start to six months after its end, in the
/// order the year runs (plans agreed, then the self-assessment, the conversations, calibration).
pub fn check_deadlines(cycle: &Cycle, deadlines: &Deadlines) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let (Some(starts), Some(ends)) = (parse_date(&cycle.starts_on), parse_date(&cycle.ends_on)) else {
        return vec![FieldError::new("cycle", "This cycle's dates cannot be read.")];
    };
    let latest = add_months(ends, DEADLINE_MONTHS_AFTER + 1).previous_day().expect("a day before");
    let dated = [
        ("plans_agreed_by", "Plans agreed by", &deadlines.plans_agreed_by),
        ("self_assessment_by", "Self-assessment by", &deadlines.self_assessment_by),
        ("conversations_by", "Conversations by", &deadlines.conversations_by),
        ("calibration_by", "Calibration by", &deadlines.calibration_by),
    ];
    let mut before: Option<(&str, Date)> = None;
    for (field, label, text) in dated {
        let Some(text) = text.as_deref() else { continue };
        let Some(day) = parse_date(text).filter(|d| iso(*d) == text) else {
            errors.push(FieldError::new(field, format!("{label}: give a day as YYYY-MM-DD.")));
            continue;
        };
        if day < starts || day > latest {
            errors.push(FieldError::new(field, format!("{label} falls between the cycle's start ({}) and {}.", iso(starts), iso(latest))));
        } else if let Some((earlier, earlier_day)) = before.filter(|(_, d)| day < *d) {
            errors.push(FieldError::new(field, format!("{label} comes after {} ({}).", earlier.to_lowercase(), iso(earlier_day))));
        }
        before = Some((label, day));
    }
    if deadlines.actuals_within_days.is_some_and(|days| days > MAX_ACTUALS_DAYS) {
        errors.push(FieldError::new("actuals_within_days", format!("Give a whole number of days from 0 to {MAX_ACTUALS_DAYS}.")));
    }
    if deadlines.check_in_every_days.is_some_and(|days| !CHECK_IN_DAYS.contains(&days)) {
        let (least, most) = (CHECK_IN_DAYS.start(), CHECK_IN_DAYS.end());
        errors.push(FieldError::new("check_in_every_days", format!("Give a whole number of days from {least} (weekly) to {most} (quarterly).")));
    }
    errors
}

/// The state a cycle moves to next.
pub fn next_state(cycle: &Cycle) -> Result<CycleState, FieldError> {
    cycle.state.next().ok_or_else(|| FieldError::new("state", "A closed cycle stays closed."))
}

/// A goal saved into its cycle: its own checks; an edited goal (`id`) never serves itself or a
/// goal cascaded from it; its unit is one of `units`.
pub fn check_goal_in(input: &GoalInput, cycle_goals: &[Goal], id: Option<&str>, units: &[String]) -> Vec<FieldError> {
    let mut errors = check_goal(input, cycle_goals);
    if let Some(id) = id {
        if input.parent_id.as_ref().is_some_and(|p| goal_path(cycle_goals, p).iter().any(|g| g.id == id)) {
            errors.push(FieldError::new("parent_id", "A goal cannot serve itself or a goal cascaded from it."));
        }
    }
    if input.unit_id.as_ref().is_some_and(|unit| !units.contains(unit)) {
        errors.push(FieldError::new("unit_id", "Choose a unit from the list."));
    }
    errors
}

/// A KPI of the library: the KPI's checks and the job title it is for.
pub fn check_template(template: &KpiTemplate) -> Vec<FieldError> {
    let mut errors = check_kpi(&template.spec, "");
    if template.job_title.trim().is_empty() {
        errors.push(FieldError::new("job_title", "Say which job title this KPI is for."));
    }
    errors
}

/// Plans change only while their cycle is in planning or active; `field` is the control refused.
pub fn check_plans_open(cycle: &Cycle, field: &str) -> Result<(), FieldError> {
    if cycle.state.plans_open() {
        return Ok(());
    }
    Err(FieldError::new(field, format!("{} is in {}: plans can no longer change.", cycle.name, cycle.state.label().to_lowercase())))
}

/// Whom a step of plan agreement tells, and what: the employee when their manager sends or
/// approves the plan, their manager when they acknowledge it or ask for changes. `manager`: the
/// employee's manager now (none: nobody to tell).
pub fn plan_step_notice(step: PlanStep, actor: (&str, &str), person: &str, manager: Option<&str>, cycle: &Cycle, comment: &str, at: &str) -> Option<Notification> {
    let (me, name) = actor;
    let (to, event, text, link) = match step {
        PlanStep::Send => (person, Event::PlanSent, format!("{name} sent you your plan for {}: read it, then acknowledge it or ask for changes.", cycle.name), "/plans/me".to_owned()),
        PlanStep::Approve => (person, Event::PlanApproved, format!("{name} approved your plan for {}: it is agreed.", cycle.name), "/plans/me".to_owned()),
        PlanStep::Acknowledge => (manager?, Event::PlanAcknowledged, format!("{name} acknowledged their plan for {}: approve it to agree it.", cycle.name), format!("/plans/{person}")),
        PlanStep::RequestChanges => {
            let said: String = comment.trim().chars().take(120).collect();
            (manager?, Event::PlanChangesAsked, format!("{name} asked for changes to their plan for {}: “{said}”", cycle.name), format!("/plans/{person}"))
        }
    };
    (to != me).then(|| Notification::new(to, event, text, link, at))
}

/// One step of plan agreement from `state`; asking for changes says what should change.
pub fn check_plan_step(state: PlanState, step: PlanStep, comment: &str) -> Result<PlanState, FieldError> {
    let next = state.after(step).map_err(|m| FieldError::new("step", m))?;
    if step == PlanStep::RequestChanges && comment.trim().is_empty() {
        return Err(FieldError::new("comment", "Say what should change, so your manager can act on it."));
    }
    Ok(next)
}

/// An actual from the scorecard's form: a KPI of the plan, a number, and evidence (a note or a
/// link). Gives the value and the KPI.
pub fn check_actual_input<'a>(input: &ActualInput, plan: &'a Plan) -> Result<(f64, &'a Kpi), Vec<FieldError>> {
    let Some(kpi) = plan.kras.iter().flat_map(|k| &k.kpis).find(|k| k.id == input.kpi_id) else {
        return Err(vec![FieldError::new("kpi_id", "Choose a KPI of this plan.")]);
    };
    let mut errors = Vec::new();
    let value = input.value.trim().replace(',', ".").parse::<f64>().ok().filter(|v| v.is_finite());
    if value.is_none() {
        errors.push(FieldError::new("value", "Enter a number, e.g. 12.5."));
    }
    if input.note.trim().is_empty() && input.link.trim().is_empty() {
        errors.push(FieldError::new("note", "Add the evidence: a note on where the number comes from, or a link."));
    }
    match value {
        Some(value) if errors.is_empty() => Ok((value, kpi)),
        _ => Err(errors),
    }
}

/// A plan change of the history, field by field. `before`/`after` are what the log keeps: the
/// KRAs as JSON for an edit, "state: …; comment: …" for a step of agreement. `goal_name` names a
/// goal by its id.
pub fn history_changes(before: Option<&str>, after: Option<&str>, goal_name: &dyn Fn(&str) -> String) -> Vec<FieldChange> {
    let kras = |text: Option<&str>| text.map_or(Some(Vec::new()), |t| serde_json::from_str::<Vec<Kra>>(t).ok());
    match (kras(before), kras(after)) {
        (Some(b), Some(a)) => kra_changes(&b, &a, goal_name),
        _ => labelled_changes(before.unwrap_or(""), after.unwrap_or("")),
    }
}

fn change(field: String, before: impl Into<String>, after: impl Into<String>) -> FieldChange {
    FieldChange { field, before: before.into(), after: after.into() }
}

fn number(n: f64) -> String {
    let text = format!("{n:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Whether two items are the same one: by id once saved, by name before.
fn same(id_a: &str, id_b: &str, name_a: &str, name_b: &str) -> bool {
    if !id_a.is_empty() && !id_b.is_empty() { id_a == id_b } else { name_a == name_b }
}

fn kra_changes(before: &[Kra], after: &[Kra], goal_name: &dyn Fn(&str) -> String) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let summary = |k: &Kra| format!("weight {} %, {} KPI(s)", number(k.weight), k.kpis.len());
    for old in before {
        if !after.iter().any(|new| same(&old.id, &new.id, &old.title, &new.title)) {
            out.push(change(format!("KRA “{}”", old.title), summary(old), "removed"));
        }
    }
    for new in after {
        let Some(old) = before.iter().find(|old| same(&old.id, &new.id, &old.title, &new.title)) else {
            out.push(change(format!("KRA “{}”", new.title), "—", format!("added: {}", summary(new))));
            continue;
        };
        let kra = format!("KRA “{}”", new.title);
        if old.title != new.title {
            out.push(change(format!("{kra} · title"), old.title.clone(), new.title.clone()));
        }
        if old.weight != new.weight {
            out.push(change(format!("{kra} · weight"), format!("{} %", number(old.weight)), format!("{} %", number(new.weight))));
        }
        if old.goal_id != new.goal_id {
            out.push(change(format!("{kra} · goal"), goal_name(&old.goal_id), goal_name(&new.goal_id)));
        }
        for gone in &old.kpis {
            if !new.kpis.iter().any(|k| same(&gone.id, &k.id, &gone.spec.name, &k.spec.name)) {
                out.push(change(format!("{kra} · KPI “{}”", gone.spec.name), format!("weight {} %", number(gone.weight)), "removed"));
            }
        }
        for kpi in &new.kpis {
            let label = format!("{kra} · KPI “{}”", kpi.spec.name);
            match old.kpis.iter().find(|k| same(&k.id, &kpi.id, &k.spec.name, &kpi.spec.name)) {
                None => out.push(change(label, "—", format!("added: weight {} %, target {} {}", number(kpi.weight), number(kpi.spec.targets.target), kpi.spec.measure))),
                Some(was) => out.extend(kpi_changes(&label, was, kpi)),
            }
        }
    }
    out
}

fn kpi_changes(label: &str, was: &Kpi, now: &Kpi) -> Vec<FieldChange> {
    let (a, b) = (&was.spec, &now.spec);
    let (ta, tb) = (&a.targets, &b.targets);
    let fields: [(&str, String, String); 11] = [
        ("name", a.name.clone(), b.name.clone()),
        ("weight", format!("{} %", number(was.weight)), format!("{} %", number(now.weight))),
        ("measure", a.measure.clone(), b.measure.clone()),
        ("direction", format!("{:?}", ta.direction), format!("{:?}", tb.direction)),
        ("baseline", number(ta.baseline), number(tb.baseline)),
        ("threshold", number(ta.threshold), number(tb.threshold)),
        ("target", number(ta.target), number(tb.target)),
        ("stretch", number(ta.stretch), number(tb.stretch)),
        ("tolerance", number(ta.tolerance), number(tb.tolerance)),
        ("frequency", a.frequency.label().to_owned(), b.frequency.label().to_owned()),
        ("data source", a.data_source.clone(), b.data_source.clone()),
    ];
    fields.into_iter().filter(|(_, x, y)| x != y).map(|(field, x, y)| change(format!("{label} · {field}"), x, y)).collect()
}

/// "state: Sent; comment: …" on each side, field by field.
fn labelled_changes(before: &str, after: &str) -> Vec<FieldChange> {
    let pairs = |text: &str| -> Vec<(String, String)> {
        text.split("; ").filter_map(|part| part.split_once(": ")).map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned())).collect()
    };
    let (old, new) = (pairs(before), pairs(after));
    let mut fields: Vec<String> = old.iter().chain(&new).map(|(k, _)| k.clone()).collect();
    fields.dedup();
    let value = |list: &[(String, String)], key: &str| list.iter().find(|(k, _)| k == key).map_or("—".to_owned(), |(_, v)| v.clone());
    let mut out: Vec<FieldChange> = Vec::new();
    for field in fields {
        if out.iter().any(|c| c.field == field) {
            continue;
        }
        let (b, a) = (value(&old, &field), value(&new, &field));
        if b != a {
            out.push(change(field, b, a));
        }
    }
    if out.is_empty() && before != after {
        out.push(change("plan".to_owned(), before, after));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planning::types::Frequency;
    use crate::planning::scoring::{Direction, Targets};

    #[test]
    fn quarters_and_months_of_a_fiscal_year() {
        let q = periods("2026-07-01", "2027-06-30", PeriodKind::Quarter).unwrap();
        assert_eq!(q.len(), 4);
        assert_eq!((q[0].key.as_str(), q[0].label.as_str()), ("Q1", "Q1 (Jul–Sep 2026)"));
        assert_eq!((q[1].starts_on.as_str(), q[1].ends_on.as_str()), ("2026-10-01", "2026-12-31"));
        assert_eq!(q[3].label, "Q4 (Apr–Jun 2027)");
        let m = periods("2027-01-01", "2027-12-31", PeriodKind::Month).unwrap();
        assert_eq!(m.len(), 12);
        assert_eq!((m[1].key.as_str(), m[1].ends_on.as_str(), m[1].label.as_str()), ("M02", "2027-02-28", "Feb 2027"));
    }

    #[test]
    fn cycle_dates_are_explained() {
        assert_eq!(periods("2026-07-02", "2027-06-30", PeriodKind::Quarter).unwrap_err().field, "starts_on");
        assert_eq!(periods("2026-07-01", "2027-06-29", PeriodKind::Quarter).unwrap_err().field, "ends_on");
        let e = periods("2026-07-01", "2027-04-30", PeriodKind::Quarter).unwrap_err();
        assert!(e.message.contains("10 months"), "{}", e.message);
        assert!(periods("2027-07-01", "2026-06-30", PeriodKind::Month).is_err());
        let input = CycleInput { name: " ".into(), starts_on: "x".into(), ends_on: "2027-06-30".into(), period_kind: PeriodKind::Month };
        let fields: Vec<_> = check_cycle(&input).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "starts_on"]);
    }

    fn kpi(name: &str, weight: f64) -> Kpi {
        let targets = Targets { direction: Direction::HigherIsBetter, baseline: 0.0, threshold: 10.0, target: 20.0, stretch: 30.0, tolerance: 0.0 };
        Kpi {
            id: String::new(),
            spec: KpiSpec { name: name.into(), measure: "%".into(), targets, frequency: Frequency::Quarterly, data_source: "CRM".into() },
            weight,
        }
    }

    fn kra(weight: f64, kpis: Vec<Kpi>) -> Kra {
        Kra { id: String::new(), title: "Grow sales".into(), weight, goal_id: "g1".into(), kpis }
    }

    #[test]
    fn plans_need_weights_of_100_goals_and_unique_kpis() {
        let goals = vec!["g1".to_owned()];
        assert!(check_plan(&[kra(60.0, vec![kpi("A", 100.0)]), kra(40.0, vec![kpi("B", 50.0), kpi("C", 50.0)])], &goals).is_empty());
        let errors = check_plan(&[kra(60.0, vec![kpi("A", 70.0)]), kra(30.0, vec![kpi("a", 100.0)])], &goals);
        let show: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.message.as_str())).collect();
        assert_eq!(show, [
            ("kras", "KRA weights: The weights add up to 90; they must add up to 100."),
            ("kra-0-kpis", "KPI weights: The weights add up to 70; they must add up to 100."),
            ("kra-1-kpi-0-name", "Another KPI of this plan has this name; give each its own."),
        ]);
        let mut off_goal = kra(100.0, vec![kpi("A", 100.0)]);
        off_goal.goal_id = "elsewhere".into();
        assert_eq!(check_plan(&[off_goal], &goals)[0].field, "kra-0-goal");
        assert_eq!(check_plan(&[], &goals)[0].message, "Add at least one KRA.");
    }

    #[test]
    fn actual_rows_resolve_or_say_what_to_fix() {
        let mut k = kpi("Revenue", 100.0);
        k.id = "rev".into();
        let plan = Plan {
            id: "p1".into(),
            person_id: "sam".into(),
            person_name: "Sam".into(),
            cycle_id: "c".into(),
            state: crate::planning::types::PlanState::Approved,
            comment: None,
            kras: vec![kra(100.0, vec![k])],
        };
        let periods = periods("2026-07-01", "2027-06-30", PeriodKind::Quarter).unwrap();
        let context = ActualsContext {
            people: HashMap::from([("sam@x.com".to_owned(), Some(&plan)), ("new@x.com".to_owned(), None)]),
            periods: &periods,
            today: parse_date("2026-11-24").unwrap(),
        };
        let row = |email: &str, kpi: &str, period: &str, value: f64| ActualRow {
            email: email.into(), kpi: kpi.into(), period: period.into(), value, note: String::new(), link: None,
        };
        let ok = resolve_actuals(&[(2, row("SAM@x.com", "revenue", "q2", 12.0))], &context).unwrap();
        assert_eq!((ok[0].plan_id.as_str(), ok[0].kpi_id.as_str(), ok[0].period_key.as_str()), ("p1", "rev", "Q2"));
        let errors = resolve_actuals(&[
            (2, row("who@x.com", "Revenue", "Q1", 1.0)),
            (3, row("new@x.com", "Revenue", "Q1", 1.0)),
            (4, row("sam@x.com", "Profit", "Q9", 1.0)),
            (5, row("sam@x.com", "Revenue", "Q3", 1.0)),
            (6, row("sam@x.com", "Revenue", "Q1", 1.0)),
            (7, row("sam@x.com", "Revenue", "Q1", 2.0)),
        ], &context).unwrap_err();
        let show: Vec<(usize, &str)> = errors.iter().map(|e| (e.row, e.column.as_str())).collect();
        assert_eq!(show, [(2, "email"), (3, "email"), (4, "kpi"), (4, "period"), (5, "period"), (7, "period")]);
        assert_eq!(errors[2].message, "sam@x.com's plan has no KPI 'Profit'; it has: Revenue.");
        assert_eq!(errors[4].message, "Q3 starts on 2027-01-01; record actuals once it has started.");
        assert_eq!(errors[5].message, "This KPI and period already appear in row 6.");
    }

    #[test]
    fn goals_cascade_within_their_cycle() {
        let org = Goal { id: "g1".into(), cycle_id: "c".into(), title: "Grow".into(), description: String::new(), unit_id: None, unit_name: None, parent_id: None };
        let unit = Goal { id: "g2".into(), unit_id: Some("u".into()), parent_id: Some("g1".into()), ..org.clone() };
        let goals = vec![org, unit];
        assert_eq!(goal_path(&goals, "g2").iter().map(|g| g.id.as_str()).collect::<Vec<_>>(), ["g2", "g1"]);
        let input = GoalInput { cycle_id: "c".into(), title: "Sell".into(), description: String::new(), unit_id: Some("u".into()), parent_id: None };
        assert_eq!(check_goal(&input, &goals)[0].field, "parent_id");
        let input = GoalInput { parent_id: Some("g1".into()), ..input };
        assert!(check_goal(&input, &goals).is_empty());
        let units = ["u".to_owned()];
        assert!(check_goal_in(&input, &goals, None, &units).is_empty());
        assert_eq!(check_goal_in(&input, &goals, None, &[])[0], FieldError::new("unit_id", "Choose a unit from the list."));
        // Editing g1 to serve g2, which is cascaded from g1.
        let loop_back = GoalInput { unit_id: None, parent_id: Some("g2".into()), ..input };
        assert!(check_goal_in(&loop_back, &goals, Some("g1"), &units).contains(&FieldError::new("parent_id", "A goal cannot serve itself or a goal cascaded from it.")));
    }

    #[test]
    fn deadlines_fall_in_the_year_in_its_order() {
        let fy = cycle("FY2027", CycleState::Active);
        let day = |d: &str| Some(d.to_owned());
        let fine = Deadlines {
            plans_agreed_by: day("2026-07-31"),
            actuals_within_days: Some(10),
            self_assessment_by: day("2027-06-15"),
            conversations_by: day("2027-07-15"),
            calibration_by: day("2027-12-31"),
            check_in_every_days: None,
        };
        assert!(check_deadlines(&fy, &fine).is_empty());
        assert!(check_deadlines(&fy, &Deadlines::default()).is_empty(), "none set is allowed");
        let fields = |d: Deadlines| check_deadlines(&fy, &d).into_iter().map(|e| (e.field, e.message)).collect::<Vec<_>>();
        assert_eq!(
            fields(Deadlines { plans_agreed_by: day("2026-06-30"), calibration_by: day("2028-01-01"), ..fine.clone() }),
            vec![
                ("plans_agreed_by".to_owned(), "Plans agreed by falls between the cycle's start (2026-07-01) and 2027-12-31.".to_owned()),
                ("calibration_by".to_owned(), "Calibration by falls between the cycle's start (2026-07-01) and 2027-12-31.".to_owned()),
            ]
        );
        assert_eq!(
            fields(Deadlines { conversations_by: day("2027-06-14"), ..fine.clone() }),
            vec![("conversations_by".to_owned(), "Conversations by comes after self-assessment by (2027-06-15).".to_owned())]
        );
        // A gap in the order is no gap in the check: calibration before the self-assessment.
        assert_eq!(
            fields(Deadlines { conversations_by: None, calibration_by: day("2027-06-01"), ..fine.clone() })[0].0,
            "calibration_by"
        );
        assert_eq!(fields(Deadlines { self_assessment_by: day("2027-6-15"), ..fine.clone() })[0].1, "Self-assessment by: give a day as YYYY-MM-DD.");
        assert_eq!(fields(Deadlines { actuals_within_days: Some(61), ..fine.clone() })[0].0, "actuals_within_days");
        assert!(fields(Deadlines { check_in_every_days: Some(30), ..fine.clone() }).is_empty());
        assert_eq!(
            fields(Deadlines { check_in_every_days: Some(6), ..fine.clone() }),
            [("check_in_every_days".to_owned(), "Give a whole number of days from 7 (weekly) to 92 (quarterly).".to_owned())]
        );
        assert_eq!(fields(Deadlines { check_in_every_days: Some(93), ..fine })[0].0, "check_in_every_days");
    }

    fn cycle(name: &str, state: CycleState) -> Cycle {
        Cycle { id: "c".into(), name: name.into(), starts_on: "2026-07-01".into(), ends_on: "2027-06-30".into(), period_kind: PeriodKind::Quarter, state, deadlines: Default::default() }
    }

    #[test]
    fn each_step_of_plan_agreement_tells_the_other_side() {
        let fy = cycle("FY2027", CycleState::Active);
        let told = |step, actor, comment| plan_step_notice(step, actor, "sam", Some("mia"), &fy, comment, "2026-11-28T08:00:00Z");
        let sent = told(PlanStep::Send, ("mia", "Mia"), "").unwrap();
        assert_eq!((sent.person_id.as_str(), sent.event, sent.link.as_str()), ("sam", Event::PlanSent, "/plans/me"));
        assert_eq!(sent.text, "Mia sent you your plan for FY2027: read it, then acknowledge it or ask for changes.");
        let acknowledged = told(PlanStep::Acknowledge, ("sam", "Sam"), "").unwrap();
        assert_eq!((acknowledged.person_id.as_str(), acknowledged.event, acknowledged.link.as_str()), ("mia", Event::PlanAcknowledged, "/plans/sam"));
        let changes = told(PlanStep::RequestChanges, ("sam", "Sam"), "  Lower the Q3 target  ").unwrap();
        assert_eq!(changes.text, "Sam asked for changes to their plan for FY2027: “Lower the Q3 target”");
        assert_eq!(told(PlanStep::Approve, ("mia", "Mia"), "").unwrap().event, Event::PlanApproved);
        // Nobody to tell: no manager, or the actor would tell themselves (a manager's own plan step).
        assert_eq!(plan_step_notice(PlanStep::Acknowledge, ("sam", "Sam"), "sam", None, &fy, "", ""), None);
        assert_eq!(plan_step_notice(PlanStep::Send, ("sam", "Sam"), "sam", Some("mia"), &fy, "", ""), None);
    }

    #[test]
    fn a_new_cycle_has_its_own_name_and_moves_forward_until_closed() {
        let input = CycleInput { name: " fy2027 ".into(), starts_on: "2026-07-01".into(), ends_on: "2027-06-30".into(), period_kind: PeriodKind::Quarter };
        assert!(check_new_cycle(&input, &[cycle("FY2026", CycleState::Closed)]).is_empty());
        assert_eq!(check_new_cycle(&input, &[cycle("FY2027", CycleState::Planning)]), [FieldError::new("name", "Another cycle has this name.")]);
        assert_eq!(next_state(&cycle("FY2027", CycleState::Active)), Ok(CycleState::Appraisal));
        assert_eq!(next_state(&cycle("FY2027", CycleState::Closed)).unwrap_err(), FieldError::new("state", "A closed cycle stays closed."));
    }

    #[test]
    fn plans_change_only_while_their_cycle_is_open_and_each_step_follows_the_last() {
        assert_eq!(check_plans_open(&cycle("FY2027", CycleState::Active), "kras"), Ok(()));
        assert_eq!(
            check_plans_open(&cycle("FY2027", CycleState::Appraisal), "step").unwrap_err(),
            FieldError::new("step", "FY2027 is in appraisal: plans can no longer change.")
        );
        assert_eq!(check_plan_step(PlanState::Draft, PlanStep::Send, ""), Ok(PlanState::WithEmployee));
        assert_eq!(check_plan_step(PlanState::Draft, PlanStep::Approve, "").unwrap_err().field, "step");
        assert_eq!(
            check_plan_step(PlanState::WithEmployee, PlanStep::RequestChanges, "  ").unwrap_err(),
            FieldError::new("comment", "Say what should change, so your manager can act on it.")
        );
        assert!(check_plan_step(PlanState::WithEmployee, PlanStep::RequestChanges, "Lower the Q1 target").is_ok());
    }

    #[test]
    fn a_library_kpi_names_its_job_title() {
        let template = KpiTemplate { id: String::new(), job_title: " ".into(), spec: kpi("Win rate", 100.0).spec };
        assert_eq!(check_template(&template), [FieldError::new("job_title", "Say which job title this KPI is for.")]);
        assert!(check_template(&KpiTemplate { job_title: "Account manager".into(), ..template }).is_empty());
    }

    #[test]
    fn an_actual_from_the_form_is_a_number_with_evidence_for_a_kpi_of_the_plan() {
        let mut k = kpi("Win rate", 100.0);
        k.id = "k1".into();
        let plan = Plan { id: "p".into(), person_id: "sam".into(), person_name: "Sam".into(), cycle_id: "c".into(), state: PlanState::Approved, kras: vec![kra(100.0, vec![k])], comment: None };
        let input = ActualInput { person_id: "sam".into(), cycle_id: "c".into(), kpi_id: "k1".into(), period_key: "Q1".into(), value: " 12,5 ".into(), note: "CRM export".into(), link: String::new() };
        let (value, found) = check_actual_input(&input, &plan).unwrap();
        assert_eq!((value, found.id.as_str()), (12.5, "k1"));
        let fields = |i: &ActualInput| check_actual_input(i, &plan).unwrap_err().into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(fields(&ActualInput { value: "a lot".into(), note: String::new(), ..input.clone() }), ["value", "note"]);
        assert_eq!(fields(&ActualInput { value: "inf".into(), ..input.clone() }), ["value"]);
        assert!(check_actual_input(&ActualInput { note: String::new(), link: "https://crm/report".into(), ..input.clone() }, &plan).is_ok());
        assert_eq!(check_actual_input(&ActualInput { kpi_id: "k9".into(), value: "x".into(), ..input }, &plan).unwrap_err(), [FieldError::new("kpi_id", "Choose a KPI of this plan.")]);
    }

    #[test]
    fn saving_the_same_plan_twice_keeps_every_id() {
        let mut keys = (1..).map(|n| format!("k{n}"));
        let first = settle_ids(&[], vec![kra(60.0, vec![kpi("A", 100.0)]), kra(40.0, vec![kpi("B", 50.0), kpi(" C ", 50.0)])], || keys.next().unwrap());
        let ids: Vec<_> = first.iter().map(|k| (k.id.clone(), k.kpis.iter().map(|p| p.id.clone()).collect::<Vec<_>>())).collect();
        assert_eq!(ids, [("k2".into(), vec!["k1".to_owned()]), ("k5".into(), vec!["k3".to_owned(), "k4".to_owned()])]);
        assert_eq!(first[1].kpis[1].spec.name, "C");
        // The same content again, ids left empty: nothing changes, no key is drawn.
        let again = settle_ids(&first, vec![kra(60.0, vec![kpi("A", 100.0)]), kra(40.0, vec![kpi("B", 50.0), kpi("C", 50.0)])], || unreachable!());
        assert_eq!(again, first);
        // A second KRA like one kept by id is new; a KPI added to a kept KRA gets a new key.
        let mut kept = first[0].clone();
        kept.kpis.push(kpi("A", 100.0));
        let mut keys = (10..).map(|n| format!("k{n}"));
        let changed = settle_ids(&first, vec![kept, kra(60.0, vec![kpi("A", 100.0)])], || keys.next().unwrap());
        assert_eq!(changed[0].id, "k2");
        assert_eq!(changed[0].kpis.iter().map(|k| k.id.as_str()).collect::<Vec<_>>(), ["k1", "k10"]);
        assert_eq!(changed[1].id, "k12");
    }

    #[test]
    fn history_says_what_changed_field_by_field() {
        let kpi = |id: &str, name: &str, weight: f64, target: f64| Kpi {
            id: id.into(),
            weight,
            spec: KpiSpec { name: name.into(), measure: "%".into(), targets: Targets { direction: Direction::HigherIsBetter, baseline: 0.0, threshold: 80.0, target, stretch: 100.0, tolerance: 0.0 }, frequency: Frequency::Monthly, data_source: "TMS".into() },
        };
        let kra = |id: &str, title: &str, weight: f64, kpis: Vec<Kpi>| Kra { id: id.into(), title: title.into(), weight, goal_id: "g1".into(), kpis };
        let before = vec![kra("k1", "Delivery", 60.0, vec![kpi("p1", "On time", 100.0, 95.0)]), kra("k2", "Safety", 40.0, vec![kpi("p2", "Incidents", 100.0, 0.0)])];
        let mut after = before.clone();
        after[0].weight = 70.0;
        after[0].kpis[0].spec.targets.target = 97.5;
        after.remove(1);
        after.push(kra("k3", "Customers", 30.0, vec![kpi("p3", "NPS", 100.0, 40.0)]));
        let goal = |id: &str| format!("goal {id}");
        let json = |k: &Vec<Kra>| serde_json::to_string_pretty(k).unwrap();
        let changes = history_changes(Some(&json(&before)), Some(&json(&after)), &goal);
        let lines: Vec<String> = changes.iter().map(|c| format!("{}: {} → {}", c.field, c.before, c.after)).collect();
        assert_eq!(lines, [
            "KRA “Safety”: weight 40 %, 1 KPI(s) → removed",
            "KRA “Delivery” · weight: 60 % → 70 %",
            "KRA “Delivery” · KPI “On time” · target: 95 → 97.5",
            "KRA “Customers”: — → added: weight 30 %, 1 KPI(s)",
        ]);
        // the first draft: everything added
        assert_eq!(history_changes(None, Some(&json(&before)), &goal).len(), 2);
        // a step of agreement
        let step = history_changes(Some("state: With the employee"), Some("state: Draft; comment: Lower the target"), &goal);
        assert_eq!(step, vec![
            FieldChange { field: "state".into(), before: "With the employee".into(), after: "Draft".into() },
            FieldChange { field: "comment".into(), before: "—".into(), after: "Lower the target".into() },
        ]);
    }
}
