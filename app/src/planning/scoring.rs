//! KPI scoring, as `../shared/DOMAIN.md` defines it: pure arithmetic shared by the server and the
//! browser (so a score computed offline is the server's score), each result carrying its "why".

use serde::{Deserialize, Serialize};

/// A score never exceeds 120 % of target.
pub const CAP: f64 = 1.2;

/// Which way a KPI improves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    HigherIsBetter,
    LowerIsBetter,
    /// Keep the actual within `threshold..=target`; outside it the score falls to 0 over
    /// `tolerance` (0: at once).
    WithinRange,
}

impl Direction {
    pub const ALL: [Direction; 3] = [Direction::HigherIsBetter, Direction::LowerIsBetter, Direction::WithinRange];

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::HigherIsBetter => "higher_is_better",
            Direction::LowerIsBetter => "lower_is_better",
            Direction::WithinRange => "within_range",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Direction::HigherIsBetter => "Higher is better",
            Direction::LowerIsBetter => "Lower is better",
            Direction::WithinRange => "Keep within a range",
        }
    }

    pub fn parse(text: &str) -> Option<Direction> {
        Direction::ALL.into_iter().find(|d| d.as_str() == text.trim())
    }
}

/// The numbers a KPI is scored against. For a range KPI the threshold is the low end, the target
/// the high end, and `tolerance` how far outside it the score falls to 0 (0: at once).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Targets {
    pub direction: Direction,
    pub baseline: f64,
    pub threshold: f64,
    pub target: f64,
    pub stretch: f64,
    #[serde(default)]
    pub tolerance: f64,
}

/// Where an actual fell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    BelowThreshold,
    ThresholdToTarget,
    TargetToStretch,
    AtOrBeyondStretch,
    InRange,
    OutOfRange,
}

/// A KPI's score with the inputs and formula behind it; `None` when there is no actual.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KpiScore {
    /// 0.0 ..= CAP (1.0 is on target).
    pub score: f64,
    pub band: Band,
    /// The formula with the numbers put in, e.g. `80% + 20% × (14 − 10) / (20 − 10) = 88%`.
    pub why: String,
}

impl Targets {
    /// What is wrong with the order of the numbers for the direction, if anything.
    pub fn check(&self) -> Result<(), String> {
        let (b, t, g, s, tolerance) = (self.baseline, self.threshold, self.target, self.stretch, self.tolerance);
        if [b, t, g, s, tolerance].iter().any(|v| !v.is_finite()) {
            return Err("Baseline, threshold, target and stretch must be numbers.".into());
        }
        match self.direction {
            Direction::HigherIsBetter if !(b <= t && t < g && g < s) => {
                Err("Higher is better: use baseline ≤ threshold < target < stretch.".into())
            }
            Direction::LowerIsBetter if !(b >= t && t > g && g > s) => {
                Err("Lower is better: use baseline ≥ threshold > target > stretch.".into())
            }
            Direction::WithinRange if !(t < g && tolerance >= 0.0) => {
                Err("Keep within a range: the threshold is the low end, the target the high end, and the tolerance 0 or more.".into())
            }
            _ => Ok(()),
        }
    }

    /// The score of `actual` with its why (`None`: no data, which is never a 0).
    pub fn score(&self, actual: Option<f64>) -> Option<KpiScore> {
        let a = actual.filter(|a| a.is_finite())?;
        let (score, band) = self.value(a);
        Some(KpiScore { score, band, why: self.explain(a, score, band) })
    }

    /// The score and band alone, for roll-ups over many KPIs.
    pub fn value(&self, a: f64) -> (f64, Band) {
        let (t, g, s) = (self.threshold, self.target, self.stretch);
        match self.direction {
            Direction::HigherIsBetter => banded(a, t, g, s, 1.0),
            Direction::LowerIsBetter => banded(a, t, g, s, -1.0),
            Direction::WithinRange => in_range(a, t, g, self.tolerance),
        }
    }

    /// The formula with the numbers put in.
    fn explain(&self, a: f64, score: f64, band: Band) -> String {
        let (t, g, s, tol) = (self.threshold, self.target, self.stretch, self.tolerance);
        let pct = percent(score);
        match band {
            Band::AtOrBeyondStretch => format!("actual {a} reached stretch {s}: capped at {}", percent(CAP)),
            Band::TargetToStretch => format!("100% + 20% × ({a} − {g}) / ({s} − {g}) = {pct}"),
            Band::ThresholdToTarget => format!("80% + 20% × ({a} − {t}) / ({g} − {t}) = {pct}"),
            Band::BelowThreshold => format!("actual {a} has not reached threshold {t}: 0%"),
            Band::InRange => format!("{a} is within {t}–{g}: 100%"),
            Band::OutOfRange => {
                let distance = if a < t { t - a } else { a - g };
                format!("{a} is {} outside {t}–{g} (tolerance {tol}): {pct}", round(distance))
            }
        }
    }

    /// How far an actual has come from the baseline to the target (1.0 = there), for progress
    /// status; a range KPI's is its score.
    pub fn achievement(&self, actual: f64) -> f64 {
        let (b, g) = (self.baseline, self.target);
        match self.direction {
            Direction::HigherIsBetter => (actual - b) / (g - b),
            Direction::LowerIsBetter => (b - actual) / (b - g),
            Direction::WithinRange => in_range(actual, self.threshold, g, self.tolerance).0,
        }
    }
}

/// Threshold/target/stretch bands; `sign` −1 mirrors them for lower-is-better.
fn banded(a: f64, t: f64, g: f64, s: f64, sign: f64) -> (f64, Band) {
    let past = |x: f64, y: f64| sign * (x - y) >= 0.0; // x has reached y in the good direction
    let (score, band) = if past(a, s) {
        (CAP, Band::AtOrBeyondStretch)
    } else if past(a, g) {
        (1.0 + 0.2 * (a - g) / (s - g), Band::TargetToStretch)
    } else if past(a, t) {
        (0.8 + 0.2 * (a - t) / (g - t), Band::ThresholdToTarget)
    } else {
        (0.0, Band::BelowThreshold)
    };
    (score.clamp(0.0, CAP), band)
}

fn in_range(a: f64, low: f64, high: f64, tolerance: f64) -> (f64, Band) {
    if (low..=high).contains(&a) {
        return (1.0, Band::InRange);
    }
    let distance = if a < low { low - a } else { a - high };
    let score = if tolerance > 0.0 { (1.0 - distance / tolerance).max(0.0) } else { 0.0 };
    (score, Band::OutOfRange)
}

/// A weighted roll-up: Σ wᵢ·sᵢ / Σ wᵢ over the items with a score; items without data are left
/// out (and counted), never scored 0. `None` when nothing has a score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rollup {
    pub score: f64,
    pub weight_with_data: f64,
    pub items_without_data: usize,
    /// The formula with the numbers put in, e.g. `(40 × 88% + 60 × 100%) / 100 = 95.2%`.
    pub why: String,
}

pub fn weighted(items: &[(f64, Option<f64>)]) -> Option<Rollup> {
    let scored: Vec<(f64, f64)> = items.iter().filter_map(|(w, s)| s.map(|s| (*w, s))).filter(|(w, _)| *w > 0.0).collect();
    let weight: f64 = scored.iter().map(|(w, _)| w).sum();
    (weight > 0.0).then(|| {
        let score = scored.iter().map(|(w, s)| w * s).sum::<f64>() / weight;
        let terms: Vec<String> = scored.iter().map(|(w, s)| format!("{} × {}", round(*w), percent(*s))).collect();
        let without = items.iter().filter(|(_, s)| s.is_none()).count();
        let mut why = format!("({}) / {} = {}", terms.join(" + "), round(weight), percent(score));
        if without > 0 {
            why.push_str(&format!("; {without} without data left out"));
        }
        Rollup { score, weight_with_data: weight, items_without_data: without, why }
    })
}

/// A score as a percentage for people: `0.952` → `95.2%`.
pub fn percent(score: f64) -> String {
    format!("{}%", (score * 1000.0).round() / 10.0)
}

/// KRA weights must add to 100; the message says by how much they are off.
pub fn check_weights_total(weights: &[f64]) -> Result<(), String> {
    let total: f64 = weights.iter().sum();
    if (total - 100.0).abs() < 1e-9 {
        Ok(())
    } else {
        Err(format!("The weights add up to {}; they must add up to 100.", round(total)))
    }
}

/// One band of the rating scale: scores from `from` (1.0 = 100 %) up to the next band's `from`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RatingBand {
    pub from: f64,
    pub rating: u8,
    pub label: String,
}

/// The rating scale as data, lowest band first. A score takes the band of the highest `from` it
/// reaches.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RatingBands(pub Vec<RatingBand>);

impl RatingBands {
    /// DOMAIN.md's example: <80 % → 1, 80–95 → 2, 95–105 → 3, 105–115 → 4, ≥115 → 5 (a new
    /// database starts with it: migration 0010).
    #[cfg(test)]
    pub fn example() -> Self {
        let band = |from: f64, rating: u8, label: &str| RatingBand { from, rating, label: label.to_owned() };
        RatingBands(vec![
            band(0.0, 1, "Unsatisfactory"),
            band(0.80, 2, "Needs improvement"),
            band(0.95, 3, "Meets expectations"),
            band(1.05, 4, "Exceeds expectations"),
            band(1.15, 5, "Outstanding"),
        ])
    }

    pub fn band(&self, score: f64) -> Option<&RatingBand> {
        self.0.iter().rev().find(|b| score >= b.from)
    }

    pub fn rating(&self, score: f64) -> Option<u8> {
        self.band(score).map(|b| b.rating)
    }

    /// What is wrong with a scale HR entered, if anything: it starts at 0 %, rises, and its
    /// ratings run 1, 2, 3… with a label each.
    pub fn check(&self) -> Result<(), String> {
        let bands = &self.0;
        if !(3..=10).contains(&bands.len()) {
            return Err("Use 3 to 10 bands.".into());
        }
        if bands[0].from != 0.0 {
            return Err("The first band starts at 0%.".into());
        }
        for (i, band) in bands.iter().enumerate() {
            if !band.from.is_finite() || (i > 0 && band.from <= bands[i - 1].from) {
                return Err(format!("Band {} must start above band {}.", i + 1, i));
            }
            if band.rating as usize != i + 1 {
                return Err(format!("Band {} must give rating {}.", i + 1, i + 1));
            }
            if band.label.trim().is_empty() {
                return Err(format!("Band {} needs a label.", i + 1));
            }
        }
        Ok(())
    }
}

/// Progress within a period against time elapsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    OnTrack,
    Behind,
    AtRisk,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::OnTrack => "On track",
            Status::Behind => "Behind",
            Status::AtRisk => "At risk",
        }
    }
}

/// `elapsed` and `length` in any one unit (days); `progress` the share of the target reached.
pub fn status(elapsed: f64, length: f64, progress: f64) -> Status {
    let expected = (elapsed / length).clamp(0.0, 1.0);
    let gap = expected - progress;
    if gap <= 0.165 {
        Status::OnTrack
    } else if gap <= 0.33 {
        Status::Behind
    } else {
        Status::AtRisk
    }
}

fn round(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn higher(t: f64, g: f64, s: f64) -> Targets {
        Targets { direction: Direction::HigherIsBetter, baseline: t, threshold: t, target: g, stretch: s, tolerance: 0.0 }
    }

    fn lower(t: f64, g: f64, s: f64) -> Targets {
        Targets { direction: Direction::LowerIsBetter, baseline: t, threshold: t, target: g, stretch: s, tolerance: 0.0 }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn the_worked_examples() {
        // DOMAIN.md: T = 10, G = 20, a = 14 → 88 %.
        let k = higher(10.0, 20.0, 30.0);
        let s = k.score(Some(14.0)).unwrap();
        assert!(close(s.score, 0.88));
        assert_eq!(s.band, Band::ThresholdToTarget);
        assert_eq!(s.why, "80% + 20% × (14 − 10) / (20 − 10) = 88%");
        let table = [(9.0, 0.0), (10.0, 0.8), (20.0, 1.0), (25.0, 1.1), (30.0, 1.2), (99.0, 1.2)];
        for (a, want) in table {
            assert!(close(k.score(Some(a)).unwrap().score, want), "actual {a}");
        }
        // Lower is better mirrors: threshold 20 days, target 10, stretch 5.
        let l = lower(20.0, 10.0, 5.0);
        for (a, want) in [(21.0, 0.0), (20.0, 0.8), (16.0, 0.88), (10.0, 1.0), (7.5, 1.1), (5.0, 1.2), (1.0, 1.2)] {
            assert!(close(l.score(Some(a)).unwrap().score, want), "actual {a}");
        }
        let r = Targets { direction: Direction::WithinRange, baseline: 0.0, threshold: 40.0, target: 60.0, stretch: 60.0, tolerance: 10.0 };
        assert_eq!(r.score(Some(50.0)).unwrap().band, Band::InRange);
        assert!(close(r.score(Some(65.0)).unwrap().score, 0.5));
        assert!(close(r.score(Some(20.0)).unwrap().score, 0.0));
    }

    #[test]
    fn no_actual_is_no_data_never_zero() {
        assert_eq!(higher(10.0, 20.0, 30.0).score(None), None);
        assert_eq!(higher(10.0, 20.0, 30.0).score(Some(f64::NAN)), None);
        let r = weighted(&[(60.0, Some(1.0)), (40.0, None)]).unwrap();
        assert!(close(r.score, 1.0));
        assert_eq!(r.items_without_data, 1);
        assert_eq!(r.why, "(60 × 100%) / 60 = 100%; 1 without data left out");
        let r = weighted(&[(40.0, Some(0.88)), (60.0, Some(1.0))]).unwrap();
        assert_eq!(r.why, "(40 × 88% + 60 × 100%) / 100 = 95.2%");
        assert_eq!(weighted(&[(100.0, None)]), None);
    }

    #[test]
    fn weights_ratings_and_status() {
        assert!(check_weights_total(&[40.0, 35.0, 25.0]).is_ok());
        assert_eq!(check_weights_total(&[40.0, 35.0]).unwrap_err(), "The weights add up to 75; they must add up to 100.");
        let bands = RatingBands::example();
        for (a, r) in [(0.5, 1), (0.8, 2), (0.949, 2), (0.95, 3), (1.1, 4), (1.15, 5), (1.2, 5)] {
            assert_eq!(bands.rating(a), Some(r), "achievement {a}");
        }
        assert_eq!(bands.band(1.0).unwrap().label, "Meets expectations");
        assert!(bands.check().is_ok());
        let mut broken = bands.clone();
        broken.0[2].from = 0.5;
        assert_eq!(broken.check().unwrap_err(), "Band 3 must start above band 2.");
        assert_eq!(status(50.0, 100.0, 0.40), Status::OnTrack);
        assert_eq!(status(50.0, 100.0, 0.30), Status::Behind);
        assert_eq!(status(50.0, 100.0, 0.10), Status::AtRisk);
    }

    #[test]
    fn targets_must_be_ordered_for_their_direction() {
        assert!(higher(10.0, 20.0, 30.0).check().is_ok());
        assert!(higher(20.0, 10.0, 30.0).check().is_err());
        assert!(lower(20.0, 10.0, 5.0).check().is_ok());
        assert!(lower(5.0, 10.0, 20.0).check().unwrap_err().contains("Lower is better"));
        // Achievement runs from the baseline (0) to the target (1) either way.
        let k = Targets { baseline: 0.0, ..higher(10.0, 20.0, 30.0) };
        assert!(close(k.achievement(15.0), 0.75));
        let l = Targets { baseline: 30.0, ..lower(20.0, 10.0, 5.0) };
        assert!(close(l.achievement(20.0), 0.5));
    }

    fn ordered_higher() -> impl Strategy<Value = Targets> {
        (-1e6..1e6f64, 0.01..1e4f64, 0.01..1e4f64).prop_map(|(t, d1, d2)| higher(t, t + d1, t + d1 + d2))
    }

    proptest! {
        #[test]
        fn scores_stay_between_zero_and_the_cap(k in ordered_higher(), a in -1e7..1e7f64) {
            let s = k.score(Some(a)).unwrap().score;
            prop_assert!((0.0..=CAP).contains(&s));
        }

        #[test]
        fn a_better_actual_never_scores_less(k in ordered_higher(), a in -1e7..1e7f64, up in 0.0..1e6f64) {
            let mirrored = lower(-k.threshold, -k.target, -k.stretch);
            prop_assert!(k.score(Some(a + up)).unwrap().score >= k.score(Some(a)).unwrap().score - 1e-12);
            prop_assert!(mirrored.score(Some(-a - up)).unwrap().score >= mirrored.score(Some(-a)).unwrap().score - 1e-12);
        }

        #[test]
        fn weights_are_normalised(items in prop::collection::vec((0.1..100.0f64, 0.0..CAP), 1..12), factor in 0.01..100.0f64) {
            let with: Vec<(f64, Option<f64>)> = items.iter().map(|(w, s)| (*w, Some(*s))).collect();
            let scaled: Vec<(f64, Option<f64>)> = items.iter().map(|(w, s)| (w * factor, Some(*s))).collect();
            let (a, b) = (weighted(&with).unwrap().score, weighted(&scaled).unwrap().score);
            prop_assert!((a - b).abs() < 1e-9);
            prop_assert!((0.0..=CAP + 1e-12).contains(&a));
        }
    }
}
