//! KPI scoring, as `../shared/DOMAIN.md` defines it: pure arithmetic shared by the server and the
//! browser (so a score computed offline is the server's score), each result carrying its "why".

use serde::{Deserialize, Serialize};

/// A score never exceeds 120 % of target.
pub const CAP: f64 = 1.2;

/// Which way a KPI improves.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    HigherIsBetter,
    LowerIsBetter,
    /// Keep the actual within `threshold..=target`; outside it the score falls to 0 over
    /// `tolerance` (0: at once).
    WithinRange { tolerance: f64 },
}

/// The numbers a KPI is scored against.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Targets {
    pub direction: Direction,
    pub baseline: f64,
    pub threshold: f64,
    pub target: f64,
    pub stretch: f64,
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
        let (b, t, g, s) = (self.baseline, self.threshold, self.target, self.stretch);
        if [b, t, g, s].iter().any(|v| !v.is_finite()) {
            return Err("Baseline, threshold, target and stretch must be numbers.".into());
        }
        match self.direction {
            Direction::HigherIsBetter if !(b <= t && t < g && g < s) => {
                Err("Higher is better: use baseline ≤ threshold < target < stretch.".into())
            }
            Direction::LowerIsBetter if !(b >= t && t > g && g > s) => {
                Err("Lower is better: use baseline ≥ threshold > target > stretch.".into())
            }
            Direction::WithinRange { tolerance } if !(t < g && tolerance >= 0.0 && tolerance.is_finite()) => {
                Err("Keep within a range: the threshold is the low end, the target the high end, and the tolerance 0 or more.".into())
            }
            _ => Ok(()),
        }
    }

    /// The score of `actual` (`None`: no data, which is never a 0).
    pub fn score(&self, actual: Option<f64>) -> Option<KpiScore> {
        let a = actual.filter(|a| a.is_finite())?;
        let (t, g, s) = (self.threshold, self.target, self.stretch);
        Some(match self.direction {
            Direction::HigherIsBetter => banded(a, t, g, s, 1.0),
            Direction::LowerIsBetter => banded(a, t, g, s, -1.0),
            Direction::WithinRange { tolerance } => in_range(a, t, g, tolerance),
        })
    }
}

/// Threshold/target/stretch bands; `sign` −1 mirrors them for lower-is-better.
fn banded(a: f64, t: f64, g: f64, s: f64, sign: f64) -> KpiScore {
    let past = |x: f64, y: f64| sign * (x - y) >= 0.0; // x has reached y in the good direction
    let pct = |v: f64| format!("{}%", round(v * 100.0));
    let (score, band, why) = if past(a, s) {
        (CAP, Band::AtOrBeyondStretch, format!("actual {a} reached stretch {s}: capped at {}", pct(CAP)))
    } else if past(a, g) {
        let v = 1.0 + 0.2 * (a - g) / (s - g);
        (v, Band::TargetToStretch, format!("100% + 20% × ({a} − {g}) / ({s} − {g}) = {}", pct(v)))
    } else if past(a, t) {
        let v = 0.8 + 0.2 * (a - t) / (g - t);
        (v, Band::ThresholdToTarget, format!("80% + 20% × ({a} − {t}) / ({g} − {t}) = {}", pct(v)))
    } else {
        (0.0, Band::BelowThreshold, format!("actual {a} has not reached threshold {t}: 0%"))
    };
    KpiScore { score: score.clamp(0.0, CAP), band, why }
}

fn in_range(a: f64, low: f64, high: f64, tolerance: f64) -> KpiScore {
    if (low..=high).contains(&a) {
        return KpiScore { score: 1.0, band: Band::InRange, why: format!("{a} is within {low}–{high}: 100%") };
    }
    let distance = if a < low { low - a } else { a - high };
    let score = if tolerance > 0.0 { (1.0 - distance / tolerance).max(0.0) } else { 0.0 };
    let why = format!("{a} is {distance} outside {low}–{high} (tolerance {tolerance}): {}%", round(score * 100.0));
    KpiScore { score, band: Band::OutOfRange, why }
}

/// A weighted roll-up: Σ wᵢ·sᵢ / Σ wᵢ over the items with a score; items without data are left
/// out (and counted), never scored 0. `None` when nothing has a score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rollup {
    pub score: f64,
    pub weight_with_data: f64,
    pub items_without_data: usize,
}

pub fn weighted(items: &[(f64, Option<f64>)]) -> Option<Rollup> {
    let scored: Vec<(f64, f64)> = items.iter().filter_map(|(w, s)| s.map(|s| (*w, s))).filter(|(w, _)| *w > 0.0).collect();
    let weight: f64 = scored.iter().map(|(w, _)| w).sum();
    (weight > 0.0).then(|| Rollup {
        score: scored.iter().map(|(w, s)| w * s).sum::<f64>() / weight,
        weight_with_data: weight,
        items_without_data: items.iter().filter(|(_, s)| s.is_none()).count(),
    })
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

/// The rating scale as data: each band's lower bound (achievement, 1.0 = 100 %) and its rating,
/// lowest first. An achievement takes the rating of the highest band it reaches.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RatingBands(pub Vec<(f64, u8)>);

impl RatingBands {
    /// DOMAIN.md's example: <80 % → 1, 80–95 → 2, 95–105 → 3, 105–115 → 4, ≥115 → 5.
    pub fn example() -> Self {
        RatingBands(vec![(0.0, 1), (0.80, 2), (0.95, 3), (1.05, 4), (1.15, 5)])
    }

    pub fn rating(&self, achievement: f64) -> Option<u8> {
        self.0.iter().rev().find(|(from, _)| achievement >= *from).map(|(_, r)| *r)
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
        Targets { direction: Direction::HigherIsBetter, baseline: t, threshold: t, target: g, stretch: s }
    }

    fn lower(t: f64, g: f64, s: f64) -> Targets {
        Targets { direction: Direction::LowerIsBetter, baseline: t, threshold: t, target: g, stretch: s }
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
        let r = Targets { direction: Direction::WithinRange { tolerance: 10.0 }, baseline: 0.0, threshold: 40.0, target: 60.0, stretch: 60.0 };
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
