//! Rewarding: HR's reward policy (salary bands, merit matrix, budget pools) and the merit
//! proposals generated from final ratings.

use serde::{Deserialize, Serialize};

use crate::planning::types::Cycle;

/// A unit's merit budget for a cycle.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BudgetPool {
    pub unit_id: String,
    pub unit_name: String,
    pub amount: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RewardPolicy {
    pub cycle: Cycle,
    pub bands: Vec<SalaryBand>,
    pub matrix: MeritMatrix,
    /// Every unit, with its pool (0 when none is set).
    pub pools: Vec<BudgetPool>,
    /// The consistency rule's N: periods in a row at or above target.
    pub consistency_periods: usize,
    /// The organisation's currency (ISO 4217 code); none until HR sets it.
    pub currency: Option<String>,
    /// Job titles people hold that have no band yet.
    pub titles_without_band: Vec<String>,
    /// How many people have a salary on record, of how many.
    pub salaries: (usize, usize),
}

/// A person's merit proposal as a manager or HR sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeritLine {
    pub person_id: String,
    pub name: String,
    pub job_title: String,
    pub unit_id: String,
    pub salary: f64,
    pub rating: u8,
    pub rating_label: String,
    pub generated: Generated,
    /// The raise proposed now: the manager's, or the generated one.
    pub raise: f64,
    pub reason: String,
    pub adjusted_by: Option<String>,
    pub may_adjust: bool,
}

/// Why someone has no proposal yet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MissingLine {
    pub unit_id: String,
    pub name: String,
    pub why: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitMerit {
    pub unit_id: String,
    pub unit_name: String,
    pub pool: f64,
    pub lines: Vec<MeritLine>,
    /// Who approved it and when; nothing changes after.
    pub approved: Option<String>,
}

impl UnitMerit {
    pub fn budget(&self) -> BudgetUse {
        BudgetUse::of(self.pool, &self.lines.iter().map(|l| (l.salary, l.raise)).collect::<Vec<_>>())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeritView {
    pub cycle: Cycle,
    pub units: Vec<UnitMerit>,
    pub missing: Vec<MissingLine>,
    pub is_hr: bool,
    /// Salaries and budgets are in it; none until HR sets it.
    pub currency: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PolicyInput {
    pub bands: Vec<SalaryBand>,
    pub matrix: Option<MeritMatrix>,
    pub pools: Vec<(String, f64)>,
    pub consistency_periods: usize,
    /// ISO 4217 code, e.g. EUR.
    #[serde(default)]
    pub currency: String,
}

/// What a unit's proposals cost against its pool.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BudgetUse {
    pub pool: f64,
    pub spend: f64,
}

/// What the matrix gives a person before anyone adjusts it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Generated {
    pub compa_ratio: f64,
    pub range: RaiseRange,
    /// The middle of the range.
    pub raise: f64,
    pub why: String,
}

/// The raise ranges per final rating, one per compa-ratio band: the bands are cut at `edges`
/// (ascending), so two edges make three bands (below, within, above).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeritMatrix {
    pub edges: Vec<f64>,
    /// (rating, a range per compa-ratio band), ratings 1 to 5.
    pub rows: Vec<(u8, Vec<RaiseRange>)>,
}

/// A job title's salary band: pay is compared with its midpoint.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SalaryBand {
    pub job_title: String,
    pub min: f64,
    pub mid: f64,
    pub max: f64,
}

/// A raise range in percent of salary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RaiseRange {
    pub low: f64,
    pub high: f64,
}

