//! The appraisal, pure: the final score by HR's weights with its why, the rules that ground a
//! manager's ratings, the rater-bias indices, calibration changes, the 9-box and the steps of
//! the guided appraisal conversation. Shared by the server (reports, checks) and the browser
//! (the preparation view recomputes as the manager rates).

use std::collections::HashMap;

use crate::planning::types::Competency;
use crate::appraisal::types::{AppraisalState, BiasIndex, BiasReport, CalibrationChange, RatingPattern, DISCUSSION_FIELDS, Discussion, FinalScore, KpiOverride, ManagerRating, NOTE, Part, RatingEvidence, RatingEvidenceKind, RatingsInput, Weights};
use crate::error::FieldError;
use crate::offline::types::{Event, Notification};
use crate::planning::scoring::{RatingBands, percent, weighted};


impl Default for Weights {
    fn default() -> Self {
        Weights { kpi: 60.0, competency: 40.0 }
    }
}

impl Weights {
    pub fn check(&self) -> Result<(), FieldError> {
        if !(0.0..=100.0).contains(&self.kpi) || !(0.0..=100.0).contains(&self.competency) {
            return Err(FieldError::new("weights", "Each weight is between 0 and 100."));
        }
        crate::planning::scoring::check_weights_total(&[self.kpi, self.competency]).map_err(|m| FieldError::new("weights", m))
    }
}


/// A competency counts as its rated level against the level the role expects, capped like a KPI
/// at stretch: meeting the expectation is 100 %.
pub const COMPETENCY_CAP: f64 = 1.2;

/// The competency part: the mean over rated competencies of level ÷ expected level (capped).
/// `expected` gives the role's level for a competency (the middle of its scale when the role
/// names none).
pub fn competency_part(competencies: &[Competency], ratings: &[ManagerRating], expected: impl Fn(&Competency) -> u8) -> Option<Part> {
    let terms: Vec<(String, f64)> = competencies
        .iter()
        .filter_map(|c| {
            let rating = ratings.iter().find(|r| r.competency_id == c.id && r.level > 0)?;
            let expected = expected(c).max(1);
            let raw = f64::from(rating.level) / f64::from(expected);
            let capped = raw.min(COMPETENCY_CAP);
            let note = if raw > COMPETENCY_CAP { " (capped)" } else { "" };
            Some((format!("{} {}/{} = {}{note}", c.name, rating.level, expected, percent(capped)), capped))
        })
        .collect();
    if terms.is_empty() {
        return None;
    }
    let score = terms.iter().map(|(_, s)| s).sum::<f64>() / terms.len() as f64;
    let why = format!("mean of level ÷ expected level: ({}) / {} = {}", terms.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>().join(" + "), terms.len(), percent(score));
    Some(Part { score, why })
}

/// The KPI part: the plan's generated score, unless the manager overrode it with a reason.
pub fn kpi_part(generated: Option<&Part>, override_: Option<&KpiOverride>) -> Option<Part> {
    match (override_, generated) {
        (Some(o), Some(g)) => Some(Part { score: o.score, why: format!("{} set by the manager instead of the generated {} ({}): {}", percent(o.score), percent(g.score), g.why, o.reason) }),
        (Some(o), None) => Some(Part { score: o.score, why: format!("{} set by the manager (no generated score): {}", percent(o.score), o.reason) }),
        (None, g) => g.cloned(),
    }
}


/// Final score = (w_kpi × KPI part + w_competency × competency part) / (sum of the weights of the
/// parts present), mapped onto the rating scale by the band table.
pub fn final_score(weights: Weights, kpi: Option<&Part>, competency: Option<&Part>, bands: &RatingBands) -> Option<FinalScore> {
    let rollup = weighted(&[(weights.kpi, kpi.map(|p| p.score)), (weights.competency, competency.map(|p| p.score))])?;
    let band = bands.band(rollup.score)?;
    let missing = match (kpi, competency) {
        (None, _) => "; the KPI part has no data yet and is left out",
        (_, None) => "; no competency is rated yet, so that part is left out",
        _ => "",
    };
    let why = format!(
        "(KPI weight × KPI part + competency weight × competency part) / weights: {}{missing} → rating {} · {} (from {})",
        rollup.why.split(';').next().unwrap_or_default(),
        band.rating,
        band.label,
        percent(band.from)
    );
    Some(FinalScore { score: rollup.score, rating: band.rating, label: band.label.clone(), why })
}

/// The fewest characters a justification or reason may have: a sentence, not a shrug.
pub const MIN_REASON: usize = 15;

/// What a grounded rating needs: an anchor picked, evidence cited (a dated incident, a KPI of
/// the plan, or feedback the person received), and at the extremes of the scale a written
/// justification. Each problem names its field (`rating-{competency}` …).
pub fn check_ratings(competencies: &[Competency], ratings: &[ManagerRating], kpi_ids: &[String], feedback_ids: &[String]) -> Result<(), Vec<FieldError>> {
    let mut problems = Vec::new();
    for c in competencies {
        let field = |what: &str| format!("{what}-{}", c.id);
        let Some(r) = ratings.iter().find(|r| r.competency_id == c.id && r.level > 0) else {
            problems.push(FieldError::new(&field("rating"), format!("Pick the level whose behaviours fit for {}.", c.name)));
            continue;
        };
        let top = c.levels.iter().map(|l| l.level).max().unwrap_or(5);
        if r.level > top {
            problems.push(FieldError::new(&field("rating"), format!("Pick a level from 1 to {top} for {}.", c.name)));
            continue;
        }
        if let Err(message) = check_evidence(&r.evidence, kpi_ids, feedback_ids) {
            problems.push(FieldError::new(&field("evidence"), format!("{}: {message}", c.name)));
        }
        if (r.level == 1 || r.level == top) && r.justification.trim().chars().count() < MIN_REASON {
            problems.push(FieldError::new(
                &field("justification"),
                format!("Level {} is at the end of the scale for {}: write why, in a sentence or more, what sets it apart.", r.level, c.name),
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn check_evidence(e: &RatingEvidence, kpi_ids: &[String], feedback_ids: &[String]) -> Result<(), String> {
    match e.kind {
        RatingEvidenceKind::Incident => {
            if crate::planning::rules::parse_date(&e.on).is_none() {
                return Err("give the date of the incident.".into());
            }
            if e.note.trim().is_empty() {
                return Err("describe what happened.".into());
            }
        }
        RatingEvidenceKind::Kpi if !kpi_ids.contains(&e.reference) => return Err("pick one of the KPIs of the plan.".into()),
        RatingEvidenceKind::Feedback if !feedback_ids.contains(&e.reference) => return Err("pick feedback the person received.".into()),
        _ => {}
    }
    Ok(())
}

/// An override of the generated KPI part needs a score in range and a reason.
pub fn check_override(o: &KpiOverride) -> Result<(), FieldError> {
    let refuse = |m: &str| Err(FieldError::new("kpi_override", m));
    if !(0.0..=1.2).contains(&o.score) {
        return refuse("Set the KPI part between 0% and 120%.");
    }
    if o.reason.trim().chars().count() < MIN_REASON {
        return refuse("Say why the generated KPI score does not tell the whole story (a sentence or more).");
    }
    Ok(())
}

/// What a manager may send as ratings before any is grounded: only while they may rate, levels
/// within each competency's scale, evidence within the text limit, potential low to high.
/// `may_rate`: not signed and not locked; `state` says which of the two stops it.
pub fn check_ratings_input(may_rate: bool, state: AppraisalState, competencies: &[Competency], input: &RatingsInput) -> Result<(), FieldError> {
    if !may_rate {
        return Err(FieldError::new(
            "ratings",
            match state {
                AppraisalState::Signed => "Both have signed this appraisal: its ratings no longer change (calibration may still adjust the rating).",
                _ => "The calibration of this unit is locked: ratings no longer change.",
            },
        ));
    }
    for r in &input.ratings {
        let competency = competencies
            .iter()
            .find(|c| c.id == r.competency_id)
            .ok_or_else(|| FieldError::new("ratings", "That competency is no longer in the framework; reload the page."))?;
        let top = competency.levels.iter().map(|l| l.level).max().unwrap_or(5);
        if r.level > top {
            return Err(FieldError::new(&format!("rating-{}", competency.id), format!("Pick a level from 1 to {top} for {}.", competency.name)));
        }
        if [&r.evidence.note, &r.justification].iter().any(|text| text.chars().count() > 4000) {
            return Err(FieldError::new(&format!("evidence-{}", competency.id), "Keep evidence and justification under 4000 characters."));
        }
    }
    if input.potential.is_some_and(|p| !(1..=3).contains(&p)) {
        return Err(FieldError::new("potential", "Potential is low, moderate or high."));
    }
    Ok(())
}

// ---- Rater bias ----

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// Population standard deviation.
fn spread(values: &[f64]) -> Option<f64> {
    let m = mean(values)?;
    Some((values.iter().map(|v| (v - m).powi(2)).sum::<f64>() / values.len() as f64).sqrt())
}

/// The fewest ratings a rater must have given before their pattern is judged.
pub const MIN_RATINGS: usize = 4;
/// A difference in mean level this large reads as leniency or severity.
pub const LENIENCY_LIMIT: f64 = 0.5;
/// Ratings spread less than this (in levels) crowd the middle.
pub const SPREAD_LIMIT: f64 = 0.5;
/// Competency ratings of one person spread less than this suggest one impression coloured all.
pub const HALO_LIMIT: f64 = 0.3;



fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// The organisation's figures the rater is compared with; `people` holds, per person rated, the
/// levels given across competencies.
pub fn rating_pattern(people: &[Vec<f64>]) -> RatingPattern {
    people.iter().fold(RatingPattern::default(), |pattern, levels| with_person(&pattern, levels))
}

/// The pattern with one more person's levels.
pub fn with_person(pattern: &RatingPattern, levels: &[f64]) -> RatingPattern {
    let spread_of_person = (levels.len() >= 2).then(|| spread(levels)).flatten();
    RatingPattern {
        ratings: pattern.ratings + levels.len(),
        sum: pattern.sum + levels.iter().sum::<f64>(),
        sum_of_squares: pattern.sum_of_squares + levels.iter().map(|v| v * v).sum::<f64>(),
        halo_sum: pattern.halo_sum + spread_of_person.unwrap_or(0.0),
        halo_people: pattern.halo_people + usize::from(spread_of_person.is_some()),
    }
}

impl RatingPattern {
    pub fn mean(&self) -> Option<f64> {
        (self.ratings > 0).then(|| self.sum / self.ratings as f64)
    }

    /// Population standard deviation.
    pub fn spread(&self) -> Option<f64> {
        let m = self.mean()?;
        Some((self.sum_of_squares / self.ratings as f64 - m * m).max(0.0).sqrt())
    }

    pub fn halo(&self) -> Option<f64> {
        (self.halo_people > 0).then(|| self.halo_sum / self.halo_people as f64)
    }
}

/// Mean, over the people rated, of the spread of each person's competency levels.
fn halo(people: &[Vec<f64>]) -> Option<f64> {
    mean(&people.iter().filter(|p| p.len() >= 2).filter_map(|p| spread(p)).collect::<Vec<_>>())
}

/// The rater-bias indices of DOMAIN.md: `rater` holds, per person rated, the levels given across
/// competencies; `organisation` the same for every rater (the rater included).
pub fn bias_report(rater: &[Vec<f64>], organisation: &[Vec<f64>]) -> BiasReport {
    bias_against(rater, &rating_pattern(organisation))
}

/// The rater-bias indices against the organisation's figures.
pub fn bias_against(rater: &[Vec<f64>], organisation: &RatingPattern) -> BiasReport {
    let all_rater: Vec<f64> = rater.iter().flatten().copied().collect();
    let mut report = BiasReport { ratings: all_rater.len(), people: rater.len(), organisation_ratings: organisation.ratings, leniency: None, central_tendency: None, halo: None, note: None };
    if all_rater.len() < MIN_RATINGS {
        report.note = Some(format!("Too few ratings to judge a pattern yet: {} given, {MINIMUM} needed.", all_rater.len(), MINIMUM = MIN_RATINGS));
        return report;
    }
    let (Some(m), Some(sd)) = (mean(&all_rater), spread(&all_rater)) else { return report };
    let (Some(om), Some(osd)) = (organisation.mean(), organisation.spread()) else {
        report.note = Some("No other ratings in the organisation yet to compare yours with.".into());
        return report;
    };
    let diff = m - om;
    let leniency_text = if diff >= LENIENCY_LIMIT {
        format!("Your ratings average {:.2}, {:.2} above the organisation's {:.2}: you may be rating leniently. Check each rating against its anchor and evidence.", m, diff, om)
    } else if diff <= -LENIENCY_LIMIT {
        format!("Your ratings average {:.2}, {:.2} below the organisation's {:.2}: you may be rating severely. Check each rating against its anchor and evidence.", m, -diff, om)
    } else {
        format!("Your ratings average {:.2} against the organisation's {:.2}: in line.", m, om)
    };
    report.leniency = Some(BiasIndex { value: round2(m), organisation: round2(om), flagged: diff.abs() >= LENIENCY_LIMIT, explanation: leniency_text });
    let crowded = sd < SPREAD_LIMIT;
    let spread_text = if crowded {
        format!("Your ratings spread only {:.2} levels (the organisation's {:.2}): most sit in the same place. Real performance differs; make sure the strongest and weakest are told apart.", sd, osd)
    } else {
        format!("Your ratings spread {:.2} levels (the organisation's {:.2}): you tell people apart.", sd, osd)
    };
    report.central_tendency = Some(BiasIndex { value: round2(sd), organisation: round2(osd), flagged: crowded, explanation: spread_text });
    if let (Some(h), Some(oh)) = (halo(rater), organisation.halo()) {
        let flagged = h < HALO_LIMIT;
        let text = if flagged {
            format!("Each person's competencies differ by only {:.2} levels on average (the organisation's {:.2}): one overall impression may be colouring every competency (halo). Rate each against its own anchor.{}", h, oh, if diff.abs() >= LENIENCY_LIMIT { " High or low ratings across the board also narrow this spread, so read it with the leniency above." } else { "" })
        } else {
            format!("Each person's competencies differ by {:.2} levels on average (the organisation's {:.2}): you rate them separately.", h, oh)
        };
        report.halo = Some(BiasIndex { value: round2(h), organisation: round2(oh), flagged, explanation: text });
    }
    report
}

// ---- Calibration ----


/// Checks a calibration change: the calibration is not locked, the rating is on the scale and
/// differs, and a reason says why. Returns the change to log.
/// `before`: the settled rating, none until the manager has submitted (`person` names them).
/// What a calibration change tells the manager who rated the person (they hold the conversation
/// on the settled rating). The person is not told: a calibration discussion is not theirs to see
/// until it is shared in that conversation.
pub fn calibration_notice(actor: (&str, &str), person: (&str, &str), manager: Option<&str>, (before, after): (u8, u8), reason: &str, at: &str) -> Option<Notification> {
    let manager = manager.filter(|m| *m != actor.0)?;
    let said: String = reason.trim().chars().take(120).collect();
    let text = format!("{} calibrated {}'s rating from {before} to {after}: “{said}”. Hold the conversation on the new rating.", actor.1, person.1);
    Some(Notification::new(manager, Event::RatingCalibrated, text, format!("/appraisals/{}/conversation", person.0), at))
}

pub fn calibrate(locked: bool, scale: &RatingBands, person: &str, before: Option<u8>, after: u8, reason: &str) -> Result<(u8, u8), FieldError> {
    let rating = |m: String| Err(FieldError::new("rating", m));
    let Some(before) = before else {
        return rating(format!("{person}'s manager has not submitted ratings yet: there is nothing to calibrate."));
    };
    if locked {
        return rating("This calibration is locked: HR locked it, so ratings no longer change.".into());
    }
    let top = scale.0.last().map_or(0, |b| b.rating);
    if !(1..=top).contains(&after) {
        return rating(format!("Pick a rating from 1 to {top}."));
    }
    if after == before {
        return rating(format!("The rating is {before} already; pick a different one."));
    }
    if reason.trim().chars().count() < MIN_REASON {
        return Err(FieldError::new("reason", "Give the reason for the change (a sentence or more): it is kept in the calibration log."));
    }
    Ok((before, after))
}

/// Whether a unit's calibration is locked (its own, or one of a unit above it).
pub fn locked_for(all_units: &[crate::org::types::Unit], locks: &HashMap<String, String>, unit: &str) -> bool {
    locks.keys().any(|locked| crate::org::types::subtree(all_units, locked).contains(unit))
}

/// What locks a unit's calibration, said for people: its own lock or one of a unit above it.
pub fn lock_of(locks: &HashMap<String, String>, all_units: &[crate::org::types::Unit], unit: &str) -> Option<String> {
    locks.get(unit).cloned().or_else(|| locked_for(all_units, locks, unit).then(|| "Locked with a unit above it".to_owned()))
}

/// A unit's calibration locks once: not when it (or a unit above it) is locked already
/// (`locked` says by whom), nor while someone's manager has not submitted (`waiting`).
pub fn check_lock(locked: Option<&str>, waiting: Option<&str>) -> Result<(), FieldError> {
    if let Some(locked) = locked {
        return Err(FieldError::new("lock", format!("{locked}.")));
    }
    if let Some(person) = waiting {
        return Err(FieldError::new("lock", format!("{person}'s manager has not submitted ratings yet; lock once every rating is in.")));
    }
    Ok(())
}

/// Two HR administrators locking at once: the second is told, rather than failing.
pub fn locked_meanwhile() -> FieldError {
    FieldError::new("lock", "Another HR administrator has just locked this calibration.")
}

/// The rating people end up with: the latest calibrated one, else the proposed one.
pub fn settled_rating(proposed: Option<u8>, log: &[CalibrationChange]) -> Option<u8> {
    log.last().map(|c| c.after).or(proposed)
}

/// Ratings counted per point of the scale, lowest first: (rating, label, count).
pub fn distribution(ratings: impl IntoIterator<Item = u8>, scale: &RatingBands) -> Vec<(u8, String, usize)> {
    let mut counts: Vec<(u8, String, usize)> = scale.0.iter().map(|b| (b.rating, b.label.clone(), 0)).collect();
    for r in ratings {
        if let Some(slot) = counts.iter_mut().find(|c| c.0 == r) {
            slot.2 += 1;
        }
    }
    counts
}

/// Potential, rated by the manager: 1 low, 2 moderate, 3 high.
pub const POTENTIAL: [&str; 3] = ["Low", "Moderate", "High"];

/// The 9-box cell: performance third (0 low … 2 high) from the rating on its scale, potential
/// third from the potential rating.
pub fn nine_box(rating: u8, scale_top: u8, potential: u8) -> (usize, usize) {
    let top = f64::from(scale_top.max(1));
    let performance = (((f64::from(rating) - 1.0) / (top - 1.0).max(1.0)) * 3.0).floor().clamp(0.0, 2.0) as usize;
    (performance, usize::from(potential.clamp(1, 3) - 1))
}

/// The names of the 9-box cells: [potential][performance].
pub const NINE_BOX: [[&str; 3]; 3] = [
    ["Talent risk", "Effective", "Trusted professional"],
    ["Inconsistent", "Core player", "High performer"],
    ["Rough diamond", "Future star", "Star"],
];

// ---- The guided conversation ----

pub struct Step {
    pub key: &'static str,
    pub title: &'static str,
    pub prompts: &'static [&'static str],
}

/// The appraisal conversation, in the order good practice holds it.
pub const STEPS: [Step; 9] = [
    Step { key: "opening", title: "Open and set the tone", prompts: &[
        "Thank them for the year's work and say what the meeting is for: a fair look back and a plan forward.",
        "Agree the time you have, and that both views count.",
        "Say that the rating comes at the end, after the evidence.",
    ] },
    Step { key: "employee_view", title: "The employee's view first", prompts: &[
        "Ask: how do you feel the year went? What are you proudest of, what was hardest?",
        "Listen without interrupting; sum up what you heard before you give your view.",
    ] },
    Step { key: "kpi_results", title: "KPI results and their evidence", prompts: &[
        "Go through each KPI: target, actual and where the number comes from.",
        "Ask what helped and what got in the way; separate what was in their control from what was not.",
    ] },
    Step { key: "competencies", title: "Competencies where you differ", prompts: &[
        "Start where your rating and theirs differ (highlighted below).",
        "For each, compare the behaviours of the anchor with the evidence you both cite.",
        "If the evidence warrants it, change your view and say so.",
    ] },
    Step { key: "strengths", title: "Strengths", prompts: &[
        "Name two or three strengths, each with a concrete example.",
        "Ask how they could use them more next cycle.",
    ] },
    Step { key: "development", title: "Development needs and agreed actions", prompts: &[
        "Pick the one or two gaps that matter most for the role.",
        "Agree concrete actions (training, a stretch assignment, mentoring, reading) with a due date.",
        "The actions become items of their development plan once you both sign.",
    ] },
    Step { key: "goals", title: "Goals for next cycle", prompts: &[
        "Link next cycle's goals to the unit's goals.",
        "Note what they want to achieve and the support they need.",
    ] },
    Step { key: "outcome", title: "The rating", prompts: &[
        "Show the proposed rating and the why behind it.",
        "Ask whether they agree. If not, record their view in their words: a disagreement is recorded, not argued away.",
    ] },
    Step { key: "sign_off", title: "Sign-off", prompts: &[
        "Read the record together.",
        "Both sign: a signature confirms the conversation took place and the record is accurate, not necessarily agreement.",
        "The employee may add a comment after signing.",
    ] },
];

impl Discussion {
    /// Whether the record has a field so named (a note names a step of the conversation).
    pub fn has_field(name: &str) -> bool {
        DISCUSSION_FIELDS.contains(&name) || name.strip_prefix(NOTE).is_some_and(|step| STEPS.iter().any(|s| s.key == step))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planning::types::ProficiencyLevel;

    fn competency(id: &str, top: u8) -> Competency {
        let levels = (1..=top).map(|level| ProficiencyLevel { level, name: format!("L{level}"), indicators: vec!["x".into()] }).collect();
        Competency { id: id.into(), name: id.into(), description: String::new(), levels }
    }

    #[test]
    fn ratings_are_sent_only_while_open_within_each_scale() {
        let framework = [competency("teamwork", 4)];
        let rating = |level: u8, note: &str| ManagerRating {
            competency_id: "teamwork".into(),
            level,
            evidence: RatingEvidence { kind: RatingEvidenceKind::Incident, reference: String::new(), on: "2027-03-02".into(), note: note.into() },
            justification: String::new(),
        };
        let input = |ratings: Vec<ManagerRating>, potential: Option<u8>| RatingsInput { ratings, kpi_override: None, potential, submit: false };
        let open = |i: &RatingsInput| check_ratings_input(true, AppraisalState::Preparing, &framework, i);
        assert_eq!(open(&input(vec![rating(4, "Ran the handover")], Some(3))), Ok(()));
        assert_eq!(open(&input(vec![rating(5, "")], None)).unwrap_err(), FieldError::new("rating-teamwork", "Pick a level from 1 to 4 for teamwork."));
        assert_eq!(open(&input(vec![rating(3, &"e".repeat(4001))], None)).unwrap_err().field, "evidence-teamwork");
        assert_eq!(open(&input(vec![], Some(4))).unwrap_err(), FieldError::new("potential", "Potential is low, moderate or high."));
        let gone = ManagerRating { competency_id: "retired".into(), ..rating(3, "") };
        assert_eq!(open(&input(vec![gone], None)).unwrap_err().message, "That competency is no longer in the framework; reload the page.");
        let signed = check_ratings_input(false, AppraisalState::Signed, &framework, &input(vec![], None)).unwrap_err();
        assert!(signed.field == "ratings" && signed.message.starts_with("Both have signed"));
        let locked = check_ratings_input(false, AppraisalState::Rated, &framework, &input(vec![], None)).unwrap_err();
        assert_eq!(locked.message, "The calibration of this unit is locked: ratings no longer change.");
    }

    #[test]
    fn an_override_needs_a_score_in_range_and_a_reason() {
        let o = |score: f64, reason: &str| KpiOverride { score, reason: reason.into() };
        assert_eq!(check_override(&o(0.9, "Two deals slipped to July for reasons outside her control")), Ok(()));
        assert_eq!(check_override(&o(1.3, "Two deals slipped to July for reasons outside her control")).unwrap_err(), FieldError::new("kpi_override", "Set the KPI part between 0% and 120%."));
        assert_eq!(check_override(&o(0.9, "meh")).unwrap_err().field, "kpi_override");
    }

    #[test]
    fn a_calibration_locks_once_every_rating_is_in() {
        assert_eq!(check_lock(None, None), Ok(()));
        assert_eq!(check_lock(Some("Locked by Hana on 2027-07-02"), None).unwrap_err(), FieldError::new("lock", "Locked by Hana on 2027-07-02."));
        assert_eq!(
            check_lock(None, Some("Sam")).unwrap_err(),
            FieldError::new("lock", "Sam's manager has not submitted ratings yet; lock once every rating is in.")
        );
        assert_eq!(locked_meanwhile().field, "lock");
    }

    fn rating(id: &str, level: u8) -> ManagerRating {
        ManagerRating { competency_id: id.into(), level, evidence: RatingEvidence { kind: RatingEvidenceKind::Kpi, on: String::new(), reference: "k1".into(), note: String::new() }, justification: String::new() }
    }

    #[test]
    fn the_final_score_weighs_the_kpi_and_competency_parts_and_maps_to_the_band_table() {
        // KPI part 88 % (DOMAIN.md's example score); competencies: Teamwork 3 of expected 3 (100 %),
        // Customer focus 4 of expected 3 (133 %, capped at 120 %), Planning 2 of expected 4 (50 %).
        let cs = [competency("Teamwork", 5), competency("Customer focus", 5), competency("Planning", 5)];
        let ratings = [rating("Teamwork", 3), rating("Customer focus", 4), rating("Planning", 2)];
        let expected = |c: &Competency| if c.id == "Planning" { 4 } else { 3 };
        let comp = competency_part(&cs, &ratings, expected).unwrap();
        assert!((comp.score - (1.0 + 1.2 + 0.5) / 3.0).abs() < 1e-9);
        assert_eq!(comp.why, "mean of level ÷ expected level: (Teamwork 3/3 = 100% + Customer focus 4/3 = 120% (capped) + Planning 2/4 = 50%) / 3 = 90%");
        let kpi = Part { score: 0.88, why: "(100 × 88%) / 100 = 88%".into() };
        let f = final_score(Weights { kpi: 60.0, competency: 40.0 }, Some(&kpi), Some(&comp), &RatingBands::example()).unwrap();
        // (60 × 88 % + 40 × 90 %) / 100 = 88.8 % → band 80–95 → rating 2.
        assert!((f.score - 0.888).abs() < 1e-9);
        assert_eq!((f.rating, f.label.as_str()), (2, "Needs improvement"));
        assert_eq!(f.why, "(KPI weight × KPI part + competency weight × competency part) / weights: (60 × 88% + 40 × 90%) / 100 = 88.8% → rating 2 · Needs improvement (from 80%)");
        // An override with its reason replaces the generated part; the why keeps both.
        let o = KpiOverride { score: 1.0, reason: "Two deals moved to Q1 by the client".into() };
        let overridden = kpi_part(Some(&kpi), Some(&o)).unwrap();
        assert_eq!(overridden.why, "100% set by the manager instead of the generated 88% ((100 × 88%) / 100 = 88%): Two deals moved to Q1 by the client");
        let f = final_score(Weights::default(), Some(&overridden), Some(&comp), &RatingBands::example()).unwrap();
        assert!((f.score - 0.96).abs() < 1e-9);
        assert_eq!(f.rating, 3);
        // Without KPI data the competency part stands alone, and the why says so.
        let f = final_score(Weights::default(), None, Some(&comp), &RatingBands::example()).unwrap();
        assert!((f.score - 0.9).abs() < 1e-9);
        assert!(f.why.contains("the KPI part has no data yet"));
        assert!(final_score(Weights::default(), None, None, &RatingBands::example()).is_none());
        assert_eq!(Weights { kpi: 70.0, competency: 40.0 }.check().unwrap_err(), FieldError::new("weights", "The weights add up to 110; they must add up to 100."));
    }

    #[test]
    fn ratings_must_be_grounded_and_extremes_justified() {
        let cs = [competency("teamwork", 5), competency("focus", 4)];
        let kpis = vec!["k1".to_string()];
        let mut ratings = vec![rating("teamwork", 5)];
        let problems = check_ratings(&cs, &ratings, &kpis, &[]).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["justification-teamwork", "rating-focus"]);
        ratings[0].justification = "Rebuilt the rota for three teams during the outage".into();
        ratings.push(rating("focus", 3));
        ratings[1].evidence = RatingEvidence { kind: RatingEvidenceKind::Incident, on: "2026-13-01".into(), reference: String::new(), note: "x".into() };
        let problems = check_ratings(&cs, &ratings, &kpis, &[]).unwrap_err();
        assert_eq!(problems[0].message, "focus: give the date of the incident.");
        ratings[1].evidence.on = "2026-10-03".into();
        assert!(check_ratings(&cs, &ratings, &kpis, &[]).is_ok());
        ratings[1].evidence = RatingEvidence { kind: RatingEvidenceKind::Feedback, on: String::new(), reference: "f9".into(), note: String::new() };
        assert_eq!(check_ratings(&cs, &ratings, &kpis, &["f1".into()]).unwrap_err()[0].message, "focus: pick feedback the person received.");
        assert!(check_override(&KpiOverride { score: 0.9, reason: "short".into() }).is_err());
    }

    #[test]
    fn bias_indices_on_a_worked_example() {
        // The rater gives everyone 4s and 5s, each person nearly the same across competencies.
        let rater = vec![vec![4.0, 4.0, 5.0], vec![5.0, 5.0, 5.0]];
        // The rest of the organisation rates around 3 with a real spread.
        let mut org = rater.clone();
        org.extend([vec![2.0, 3.0, 4.0], vec![3.0, 1.0, 3.0], vec![2.0, 3.0, 4.0]]);
        let r = bias_report(&rater, &org);
        // Rater mean 28/6 = 4.667; organisation mean (28 + 9 + 7 + 9) / 15 = 53/15 = 3.533.
        let leniency = r.leniency.unwrap();
        assert_eq!((leniency.value, leniency.organisation, leniency.flagged), (4.67, 3.53, true));
        assert!(leniency.explanation.starts_with("Your ratings average 4.67, 1.13 above the organisation's 3.53: you may be rating leniently."));
        // Spread of {4,4,5,5,5,5}: mean 4.667, variance (2 × 0.444 + 4 × 0.111) / 6 = 0.222, sd 0.471.
        let ct = r.central_tendency.unwrap();
        assert_eq!((ct.value, ct.flagged), (0.47, true));
        // Within-person spreads: {4,4,5} → 0.471, {5,5,5} → 0 → mean 0.236: halo, read with leniency.
        let halo = r.halo.unwrap();
        assert_eq!((halo.value, halo.flagged), (0.24, true));
        assert!(halo.explanation.contains("read it with the leniency above"));
        // Too few ratings: no judgement, said plainly.
        let few = bias_report(&[vec![3.0, 3.0]], &org);
        assert!(few.leniency.is_none());
        assert_eq!(few.note.unwrap(), "Too few ratings to judge a pattern yet: 2 given, 4 needed.");
    }

    #[test]
    fn calibration_changes_need_a_reason_and_stop_at_the_lock() {
        let scale = RatingBands::example();
        assert_eq!(calibrate(false, &scale, "Sam", Some(4), 3, "Sales target met only with the regional bonus deal"), Ok((4, 3)));
        let refused = calibrate(false, &scale, "Sam", Some(4), 3, "too high").unwrap_err();
        assert!(refused.field == "reason" && refused.message.starts_with("Give the reason"));
        assert_eq!(calibrate(false, &scale, "Sam", Some(4), 4, "Sales target met only with the bonus deal").unwrap_err(), FieldError::new("rating", "The rating is 4 already; pick a different one."));
        assert_eq!(calibrate(false, &scale, "Sam", Some(4), 6, "Sales target met only with the bonus deal").unwrap_err(), FieldError::new("rating", "Pick a rating from 1 to 5."));
        let locked = calibrate(true, &scale, "Sam", Some(4), 3, "Sales target met only with the bonus deal").unwrap_err();
        assert!(locked.field == "rating" && locked.message.contains("locked"));
        assert_eq!(
            calibrate(false, &scale, "Sam", None, 3, "Sales target met only with the bonus deal").unwrap_err(),
            FieldError::new("rating", "Sam's manager has not submitted ratings yet: there is nothing to calibrate.")
        );
        // The log keeps before and after; the settled rating is the last change's.
        let change = |before, after| CalibrationChange { appraisal_id: "a".into(), person_name: "Sam".into(), before, after, reason: "r".into(), by: "HR".into(), at: "t".into() };
        assert_eq!(settled_rating(Some(4), &[]), Some(4));
        assert_eq!(settled_rating(Some(4), &[change(4, 3), change(3, 2)]), Some(2));
        assert_eq!(distribution([3, 3, 5], &scale).iter().map(|d| d.2).collect::<Vec<_>>(), [0, 0, 2, 0, 1]);
        assert_eq!(nine_box(5, 5, 3), (2, 2));
        assert_eq!(nine_box(3, 5, 2), (1, 1));
        assert_eq!(nine_box(1, 5, 1), (0, 0));
        assert_eq!(nine_box(2, 5, 1), (0, 0));
        assert_eq!(nine_box(4, 5, 1), (2, 0));
        // The rater hears of the change; a manager calibrating their own report is not told.
        let told = calibration_notice(("hr", "Hana"), ("sam", "Sam"), Some("mia"), (4, 3), " Bonus deal ", "2026-11-28T08:00:00Z").unwrap();
        assert_eq!((told.person_id.as_str(), told.event, told.link.as_str()), ("mia", Event::RatingCalibrated, "/appraisals/sam/conversation"));
        assert_eq!(told.text, "Hana calibrated Sam's rating from 4 to 3: “Bonus deal”. Hold the conversation on the new rating.");
        assert_eq!(calibration_notice(("mia", "Mia"), ("sam", "Sam"), Some("mia"), (4, 3), "r", ""), None);
        assert_eq!(calibration_notice(("hr", "Hana"), ("sam", "Sam"), None, (4, 3), "r", ""), None);
    }

    #[test]
    fn the_organisation_pattern_takes_one_more_person_exactly() {
        let others = vec![vec![3.0, 4.0, 2.0], vec![5.0, 5.0], vec![1.0]];
        let on_the_page = vec![4.0, 4.0, 5.0, 3.0];
        let mut everyone = others.clone();
        everyone.push(on_the_page.clone());
        let rater = vec![vec![4.0, 5.0, 4.0], on_the_page.clone()];
        let whole = bias_report(&rater, &everyone);
        let merged = bias_against(&rater, &with_person(&rating_pattern(&others), &on_the_page));
        assert_eq!(whole, merged);
        assert_eq!(rating_pattern(&everyone).ratings, 10);
        // With no one else rated yet, the rater's own ratings are the organisation's.
        let alone = bias_against(&[on_the_page.clone()], &with_person(&RatingPattern::default(), &on_the_page));
        assert_eq!(alone.leniency.map(|l| (l.value, l.organisation, l.flagged)), Some((4.0, 4.0, false)));
    }
}
