//! Merit pay, pure (no database, no browser), so the raise a manager sees while typing is the one
//! the server checks: compa-ratio, the merit matrix (rating × compa-ratio band → raise range),
//! the budget a unit's proposals must hold, and scaling them pro rata to fit (DOMAIN.md, Rewards).

use std::collections::{HashMap, HashSet};

use crate::appraisal::rules::MIN_REASON;
use crate::error::FieldError;
use crate::reward::types::{BudgetUse, Generated, MeritMatrix, MissingLine, PolicyInput, RaiseRange, SalaryBand, UnitMerit};


impl SalaryBand {
    pub fn check(&self) -> Result<(), FieldError> {
        let title = self.job_title.trim();
        if title.is_empty() {
            return Err(FieldError::new("bands", "Name the job title the band is for."));
        }
        let finite = [self.min, self.mid, self.max].iter().all(|v| v.is_finite());
        if !(finite && self.min > 0.0 && self.min <= self.mid && self.mid <= self.max) {
            return Err(FieldError::new("bands", format!("{title}: the band needs 0 < minimum ≤ midpoint ≤ maximum.")));
        }
        Ok(())
    }
}

/// Pay divided by the band's midpoint (1.0 = paid at the midpoint).
pub fn compa_ratio(salary: f64, band: &SalaryBand) -> f64 {
    salary / band.mid
}


impl RaiseRange {
    pub fn midpoint(&self) -> f64 {
        round2((self.low + self.high) / 2.0)
    }

    pub fn holds(&self, raise: f64) -> bool {
        raise >= self.low - 1e-9 && raise <= self.high + 1e-9
    }

    pub fn label(&self) -> String {
        if self.low == self.high {
            format!("{}%", num(self.low))
        } else {
            format!("{}–{}%", num(self.low), num(self.high))
        }
    }
}


const MAX_RAISE: f64 = 50.0;

impl MeritMatrix {
    /// DOMAIN.md's example: rating 5 gets 6–8 % below 0.9, 4–6 % at 0.9–1.1, 3–4 % above 1.1;
    /// rating 1 gets nothing.
    pub fn example() -> Self {
        let r = |low, high| RaiseRange { low, high };
        Self {
            edges: vec![0.9, 1.1],
            rows: vec![
                (5, vec![r(6.0, 8.0), r(4.0, 6.0), r(3.0, 4.0)]),
                (4, vec![r(4.0, 6.0), r(3.0, 5.0), r(2.0, 3.0)]),
                (3, vec![r(3.0, 4.0), r(2.0, 3.0), r(1.0, 2.0)]),
                (2, vec![r(0.0, 1.0), r(0.0, 1.0), r(0.0, 0.0)]),
                (1, vec![r(0.0, 0.0), r(0.0, 0.0), r(0.0, 0.0)]),
            ],
        }
    }

    /// Which compa-ratio band a ratio falls in (an edge belongs to the band above it, so 0.9 is
    /// "at 0.9–1.1").
    pub fn compa_band(&self, compa: f64) -> usize {
        self.edges.iter().take_while(|edge| compa >= **edge - 1e-9).count()
    }

    pub fn band_labels(&self) -> Vec<String> {
        let n = self.edges.len();
        (0..=n)
            .map(|i| match i {
                0 => format!("below {}", num2(self.edges[0])),
                i if i == n => format!("{} and above", num2(self.edges[n - 1])),
                i => format!("{}–{}", num2(self.edges[i - 1]), num2(self.edges[i])),
            })
            .collect()
    }

    pub fn range(&self, rating: u8, compa: f64) -> Option<RaiseRange> {
        let (_, ranges) = self.rows.iter().find(|(r, _)| *r == rating)?;
        ranges.get(self.compa_band(compa)).copied()
    }

    pub fn check(&self) -> Result<(), FieldError> {
        let refuse = |message: String| Err(FieldError::new("matrix", message));
        if self.edges.is_empty() || self.edges.iter().any(|e| !(e.is_finite() && *e > 0.0)) || self.edges.windows(2).any(|w| w[0] >= w[1]) {
            return refuse("The compa-ratio edges must be positive and rising, e.g. 0.9 then 1.1.".into());
        }
        for rating in 1..=5u8 {
            let Some((_, ranges)) = self.rows.iter().find(|(r, _)| *r == rating) else {
                return refuse(format!("Give the raise ranges for rating {rating}."));
            };
            if ranges.len() != self.edges.len() + 1 {
                return refuse(format!("Rating {rating} needs a range for each of the {} compa-ratio bands.", self.edges.len() + 1));
            }
            for (range, band) in ranges.iter().zip(self.band_labels()) {
                if !(range.low >= 0.0 && range.low <= range.high && range.high <= MAX_RAISE) {
                    return refuse(format!("Rating {rating}, compa-ratio {band}: the range needs 0 ≤ low ≤ high ≤ {MAX_RAISE}%."));
                }
            }
        }
        if self.rows.len() != 5 {
            return refuse("The matrix has a row for each rating from 1 to 5, once.".into());
        }
        Ok(())
    }
}


pub fn generate(salary: f64, band: &SalaryBand, rating: u8, matrix: &MeritMatrix) -> Option<Generated> {
    let compa = compa_ratio(salary, band);
    let range = matrix.range(rating, compa)?;
    let band_label = &matrix.band_labels()[matrix.compa_band(compa)];
    let why = format!(
        "compa-ratio {} / {} = {} ({band_label}); rating {rating} → {}, proposed {}%",
        num(salary),
        num(band.mid),
        num2(compa),
        range.label(),
        num(range.midpoint())
    );
    Some(Generated { compa_ratio: compa, range, raise: range.midpoint(), why })
}

/// A manager's raise: inside the range as they like; outside it only with a written reason.
pub fn check_raise(raise: f64, range: &RaiseRange, reason: &str) -> Result<(), String> {
    if !(raise.is_finite() && (0.0..=MAX_RAISE).contains(&raise)) {
        return Err(format!("Enter a raise from 0 to {MAX_RAISE}%."));
    }
    if !range.holds(raise) && reason.trim().chars().count() < MIN_REASON {
        return Err(format!("{}% is outside the matrix range {}: say why (at least {MIN_REASON} characters).", num(raise), range.label()));
    }
    Ok(())
}

/// HR's reward policy as saved, refused at its first problem: every salary band sound and one per
/// job title, the merit matrix whole, each budget pool for a known unit and of 0 or more, the
/// consistency rule over 1 to 24 periods. `matrix` is the one sent or, if none was, the one in
/// force; `units` the keys of every unit. Gives back the bands with their job titles trimmed.
pub fn check_policy(input: &PolicyInput, matrix: &MeritMatrix, units: &HashSet<String>) -> Result<Vec<SalaryBand>, FieldError> {
    let mut titles = HashSet::new();
    for band in &input.bands {
        band.check()?;
        if !titles.insert(band.job_title.trim().to_lowercase()) {
            return Err(FieldError::new("bands", format!("{} has two bands; keep one.", band.job_title.trim())));
        }
    }
    matrix.check()?;
    for (unit, amount) in &input.pools {
        if !units.contains(unit) {
            return Err(FieldError::new("pools", "A budget names a unit that does not exist."));
        }
        if !(amount.is_finite() && *amount >= 0.0) {
            return Err(FieldError::new("pools", "A budget pool is an amount of 0 or more."));
        }
    }
    if !(1..=24).contains(&input.consistency_periods) {
        return Err(FieldError::new("consistency_periods", "Recognise consistency over 1 to 24 periods in a row."));
    }
    check_currency(&input.currency)?;
    Ok(input.bands.iter().map(|b| SalaryBand { job_title: b.job_title.trim().to_owned(), ..b.clone() }).collect())
}

/// Salaries from CSV text with the columns `email,salary`, each for an active person found by
/// email (`by_email`: lower-case email → person key): all of them as (person, salary), or every
/// problem at once.
pub fn salaries_from_csv(text: &str, by_email: &HashMap<String, String>) -> Result<Vec<(String, f64)>, FieldError> {
    let refuse = |message: String| FieldError::new("csv", message);
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|_| refuse("Start with the header line: email,salary".into()))?.clone();
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(email_at), Some(salary_at)) = (column("email"), column("salary")) else {
        return Err(refuse("The header line needs the columns email and salary.".into()));
    };
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let line = n + 2;
        let Ok(record) = record else {
            problems.push(format!("line {line}: not a CSV row"));
            continue;
        };
        let email = record.get(email_at).unwrap_or_default().to_lowercase();
        let Some(person) = by_email.get(&email) else {
            problems.push(format!("line {line}: nobody active has the email '{email}'"));
            continue;
        };
        match record.get(salary_at).unwrap_or_default().replace(',', "").parse::<f64>() {
            Ok(amount) if amount.is_finite() && amount > 0.0 => rows.push((person.clone(), amount)),
            _ => problems.push(format!("line {line}: the salary must be a positive number")),
        }
    }
    if !problems.is_empty() {
        return Err(refuse(format!("Nothing was saved. Fix: {}.", problems.join("; "))));
    }
    if rows.is_empty() {
        return Err(refuse("There are no salaries below the header line.".into()));
    }
    Ok(rows)
}

/// A manager's raise for one person of `unit`: refused once the unit's proposals are approved,
/// else as `check_raise` says. Gives back the reason trimmed.
pub fn check_adjustment(unit: &UnitMerit, range: &RaiseRange, raise: f64, reason: &str) -> Result<String, FieldError> {
    if unit.approved.is_some() {
        return Err(FieldError::new("raise", format!("{}'s proposals are approved: they no longer change.", unit.unit_name)));
    }
    check_raise(raise, range, reason).map_err(|message| FieldError::new("raise", message))?;
    Ok(reason.trim().to_owned())
}

/// A unit's raises scaled pro rata to its budget: refused once approved or while they fit it.
/// Gives each proposal's scaled raise and its reason (the manager's, then the factor).
pub fn scale_unit(unit: &UnitMerit) -> Result<Vec<(f64, String)>, FieldError> {
    if unit.approved.is_some() {
        return Err(FieldError::new("unit", "These proposals are approved: they no longer change."));
    }
    let proposals: Vec<(f64, f64)> = unit.lines.iter().map(|l| (l.salary, l.raise)).collect();
    let (factor, scaled) = scale_to_pool(unit.pool, &proposals);
    if factor >= 1.0 {
        return Err(FieldError::new("unit", "The proposals are within budget: nothing to scale."));
    }
    let scaled_by = format!("Scaled pro rata to the unit's budget (× {}).", num(factor));
    Ok(unit
        .lines
        .iter()
        .zip(scaled)
        .map(|(l, raise)| (raise, if l.reason.is_empty() { scaled_by.clone() } else { format!("{} {scaled_by}", l.reason) }))
        .collect())
}

/// HR's approval of a unit's proposals: once, when everyone in the unit has a proposal (`missing`
/// lists who has none, of every unit), and only within budget.
pub fn check_approval(unit: &UnitMerit, missing: &[MissingLine], currency: Option<&str>) -> Result<(), FieldError> {
    if unit.approved.is_some() {
        return Err(FieldError::new("unit", "These proposals are approved already."));
    }
    let waiting: Vec<&str> = missing.iter().filter(|m| m.unit_id == unit.unit_id).map(|m| m.name.as_str()).collect();
    if !waiting.is_empty() {
        return Err(FieldError::new("unit", format!("{} in this unit have no proposal yet ({}): approve once everyone has one.", waiting.len(), waiting.join(", "))));
    }
    let budget = unit.budget();
    if budget.over() {
        return Err(FieldError::new("unit", format!("{} Scale the proposals or lower some before approving.", budget.message(currency))));
    }
    Ok(())
}


impl BudgetUse {
    /// (salary, raise %) of each proposal.
    pub fn of(pool: f64, proposals: &[(f64, f64)]) -> Self {
        Self { pool, spend: round2(proposals.iter().map(|(salary, raise)| salary * raise / 100.0).sum()) }
    }

    pub fn over(&self) -> bool {
        self.spend > self.pool + 0.005
    }

    pub fn remaining(&self) -> f64 {
        round2(self.pool - self.spend)
    }

    pub fn message(&self, currency: Option<&str>) -> String {
        let money = |x: f64| money_in(x, currency);
        if self.over() {
            format!("Over budget by {}: proposals cost {} of a pool of {}.", money(-self.remaining()), money(self.spend), money(self.pool))
        } else {
            format!("Within budget: {} of {} ({} left).", money(self.spend), money(self.pool), money(self.remaining()))
        }
    }
}

/// Raises scaled by one factor so their cost fits the pool; each is rounded down to 0.01 % so
/// the rounding never tips the total back over. Raises already within budget stay as they are.
pub fn scale_to_pool(pool: f64, proposals: &[(f64, f64)]) -> (f64, Vec<f64>) {
    let budget = BudgetUse::of(pool, proposals);
    if !budget.over() || budget.spend <= 0.0 {
        return (1.0, proposals.iter().map(|(_, raise)| *raise).collect());
    }
    let factor = pool.max(0.0) / budget.spend;
    (factor, proposals.iter().map(|(_, raise)| ((raise * factor * 100.0) + 1e-9).floor() / 100.0).collect())
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A number as people write it: no trailing zeros.
pub fn num(x: f64) -> String {
    let text = format!("{:.2}", round2(x));
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn num2(x: f64) -> String {
    format!("{x:.2}")
}

/// The organisation's currency as its ISO 4217 code: three letters, kept in capitals.
pub fn check_currency(code: &str) -> Result<String, FieldError> {
    let code = code.trim().to_ascii_uppercase();
    if code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(code)
    } else {
        Err(FieldError::new("currency", "Give the currency as its three-letter code, such as EUR, USD or GBP."))
    }
}

/// An amount in the organisation's currency ("EUR 12,500"); the bare amount until one is set.
pub fn money_in(x: f64, currency: Option<&str>) -> String {
    match currency {
        Some(code) => format!("{code} {}", money(x)),
        None => money(x),
    }
}

/// An amount with thousands separated.
pub fn money(x: f64) -> String {
    let cents = (x * 100.0).round() as i64;
    let (whole, frac) = (cents.abs() / 100, cents.abs() % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if cents < 0 { "-" } else { "" };
    if frac == 0 {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reward::types::MeritLine;
    use proptest::prelude::*;

    fn band() -> SalaryBand {
        SalaryBand { job_title: "Sales Representative".into(), min: 40_000.0, mid: 50_000.0, max: 60_000.0 }
    }

    #[test]
    fn merit_comes_from_the_matrix_cell_of_rating_and_compa_ratio() {
        let m = MeritMatrix::example();
        m.check().unwrap();
        // 44,000 / 50,000 = 0.88: below 0.9, rating 5 → 6–8 %, proposed 7 %.
        let low_paid = generate(44_000.0, &band(), 5, &m).unwrap();
        assert_eq!((low_paid.range, low_paid.raise), (RaiseRange { low: 6.0, high: 8.0 }, 7.0));
        assert_eq!(low_paid.why, "compa-ratio 44000 / 50000 = 0.88 (below 0.90); rating 5 → 6–8%, proposed 7%");
        // Exactly 0.9 is within 0.9–1.1: 4–6 %.
        assert_eq!(generate(45_000.0, &band(), 5, &m).unwrap().range, RaiseRange { low: 4.0, high: 6.0 });
        // 1.2 is above 1.1: 3–4 %, proposed 3.5 %.
        assert_eq!(generate(60_000.0, &band(), 5, &m).unwrap().raise, 3.5);
        // Rating 1 gets nothing wherever pay is.
        assert_eq!(generate(40_000.0, &band(), 1, &m).unwrap().raise, 0.0);
        assert!(generate(40_000.0, &band(), 6, &m).is_none());
    }

    #[test]
    fn a_raise_outside_the_range_needs_a_reason() {
        let range = RaiseRange { low: 4.0, high: 6.0 };
        assert!(check_raise(6.0, &range, "").is_ok());
        assert_eq!(check_raise(7.5, &range, "").unwrap_err(), "7.5% is outside the matrix range 4–6%: say why (at least 15 characters).");
        assert!(check_raise(7.5, &range, "Retention risk: competing offer").is_ok());
        assert!(check_raise(-1.0, &range, "Retention risk: competing offer").is_err());
    }

    #[test]
    fn budget_is_salary_times_raise_against_the_pool_and_scales_pro_rata() {
        // 50,000 × 6 % + 40,000 × 5 % = 3,000 + 2,000 = 5,000 against a pool of 4,000.
        let proposals = [(50_000.0, 6.0), (40_000.0, 5.0)];
        let budget = BudgetUse::of(4_000.0, &proposals);
        assert!(budget.over());
        assert_eq!(budget.message(None), "Over budget by 1,000: proposals cost 5,000 of a pool of 4,000.");
        let (factor, scaled) = scale_to_pool(4_000.0, &proposals);
        assert_eq!(factor, 0.8);
        assert_eq!(scaled, vec![4.8, 4.0]);
        assert!(!BudgetUse::of(4_000.0, &[(50_000.0, 4.8), (40_000.0, 4.0)]).over());
        // Within budget: nothing changes.
        assert_eq!(scale_to_pool(10_000.0, &proposals), (1.0, vec![6.0, 5.0]));
    }

    #[test]
    fn a_matrix_with_a_gap_or_a_falling_range_is_refused() {
        let mut m = MeritMatrix::example();
        m.rows.retain(|(r, _)| *r != 3);
        assert_eq!(m.check().unwrap_err(), FieldError::new("matrix", "Give the raise ranges for rating 3."));
        let mut m = MeritMatrix::example();
        m.rows[0].1[0] = RaiseRange { low: 8.0, high: 6.0 };
        assert!(m.check().unwrap_err().message.starts_with("Rating 5, compa-ratio below 0.90"));
        let mut m = MeritMatrix::example();
        m.edges = vec![1.1, 0.9];
        assert!(m.check().is_err());
        assert!(SalaryBand { mid: 30_000.0, ..band() }.check().is_err());
    }

    fn policy() -> PolicyInput {
        PolicyInput { bands: vec![SalaryBand { job_title: " Sales Representative ".into(), ..band() }], matrix: None, pools: vec![("sales".into(), 4_000.0)], consistency_periods: 3, currency: "eur".into() }
    }

    fn units() -> HashSet<String> {
        HashSet::from(["sales".to_owned()])
    }

    #[test]
    fn a_sound_policy_is_saved_with_its_job_titles_trimmed() {
        let bands = check_policy(&policy(), &MeritMatrix::example(), &units()).unwrap();
        assert_eq!(bands, vec![band()]);
    }

    #[test]
    fn a_policy_is_refused_at_its_first_problem() {
        let m = MeritMatrix::example();
        let refused = |input: &PolicyInput, matrix: &MeritMatrix| check_policy(input, matrix, &units()).unwrap_err();
        // A band whose midpoint is below its minimum.
        let mut input = policy();
        input.bands[0].mid = 30_000.0;
        assert_eq!(refused(&input, &m), FieldError::new("bands", "Sales Representative: the band needs 0 < minimum ≤ midpoint ≤ maximum."));
        // Two bands for one job title, whatever the case.
        let mut input = policy();
        input.bands.push(SalaryBand { job_title: "sales representative".into(), ..band() });
        assert_eq!(refused(&input, &m), FieldError::new("bands", "sales representative has two bands; keep one."));
        // A matrix missing a rating.
        let mut gap = MeritMatrix::example();
        gap.rows.retain(|(r, _)| *r != 2);
        assert_eq!(refused(&policy(), &gap), FieldError::new("matrix", "Give the raise ranges for rating 2."));
        // A pool for a unit that does not exist, and a negative one.
        let mut input = policy();
        input.pools.push(("gone".into(), 1_000.0));
        assert_eq!(refused(&input, &m), FieldError::new("pools", "A budget names a unit that does not exist."));
        let mut input = policy();
        input.pools[0].1 = -1.0;
        assert_eq!(refused(&input, &m), FieldError::new("pools", "A budget pool is an amount of 0 or more."));
        // Consistency over 0 or 25 periods.
        for periods in [0, 25] {
            let input = PolicyInput { consistency_periods: periods, ..policy() };
            assert_eq!(refused(&input, &m), FieldError::new("consistency_periods", "Recognise consistency over 1 to 24 periods in a row."));
        }
    }

    fn emails() -> HashMap<String, String> {
        HashMap::from([("ana@example.com".to_owned(), "ana".to_owned()), ("ben@example.com".to_owned(), "ben".to_owned())])
    }

    #[test]
    fn salaries_are_read_by_email_with_thousands_separators() {
        let text = "Email,Salary\nANA@example.com,\"52,000\"\nben@example.com,48000.50\n";
        assert_eq!(salaries_from_csv(text, &emails()).unwrap(), vec![("ana".to_owned(), 52_000.0), ("ben".to_owned(), 48_000.5)]);
    }

    #[test]
    fn a_salary_file_with_problems_is_refused_whole_naming_every_line() {
        let refused = |text: &str| salaries_from_csv(text, &emails()).unwrap_err();
        assert_eq!(refused("email,pay\nana@example.com,52000\n"), FieldError::new("csv", "The header line needs the columns email and salary."));
        assert_eq!(
            refused("email,salary\nana@example.com,52000\nzoe@example.com,40000\nben@example.com,-5\n"),
            FieldError::new("csv", "Nothing was saved. Fix: line 3: nobody active has the email 'zoe@example.com'; line 4: the salary must be a positive number.")
        );
        assert_eq!(refused("email,salary\n"), FieldError::new("csv", "There are no salaries below the header line."));
    }

    /// A unit with Ana (50,000 at 6 %, the manager's reason given) and Ben (40,000 at 5 %)
    /// against a pool of 4,000.
    fn unit() -> UnitMerit {
        let m = MeritMatrix::example();
        let line = |person: &str, salary: f64, raise: f64, reason: &str| MeritLine {
            person_id: person.into(),
            name: person.into(),
            job_title: band().job_title,
            unit_id: "sales".into(),
            salary,
            rating: 4,
            rating_label: String::new(),
            generated: generate(salary, &band(), 4, &m).unwrap(),
            raise,
            reason: reason.into(),
            adjusted_by: None,
            may_adjust: true,
        };
        UnitMerit {
            unit_id: "sales".into(),
            unit_name: "Sales".into(),
            pool: 4_000.0,
            lines: vec![line("ana", 50_000.0, 6.0, "Retention risk: competing offer"), line("ben", 40_000.0, 5.0, "")],
            approved: None,
        }
    }

    fn approved() -> UnitMerit {
        UnitMerit { approved: Some("Approved by Hana on 2026-03-01".into()), ..unit() }
    }

    #[test]
    fn an_adjustment_follows_check_raise_until_the_unit_is_approved() {
        let range = RaiseRange { low: 3.0, high: 5.0 };
        assert_eq!(check_adjustment(&unit(), &range, 4.0, "  ").unwrap(), "");
        assert_eq!(check_adjustment(&unit(), &range, 7.0, " Retention risk: competing offer ").unwrap(), "Retention risk: competing offer");
        assert_eq!(
            check_adjustment(&unit(), &range, 7.0, "").unwrap_err(),
            FieldError::new("raise", "7% is outside the matrix range 3–5%: say why (at least 15 characters).")
        );
        assert_eq!(check_adjustment(&unit(), &range, 51.0, "").unwrap_err(), FieldError::new("raise", "Enter a raise from 0 to 50%."));
        assert_eq!(check_adjustment(&approved(), &range, 4.0, "").unwrap_err(), FieldError::new("raise", "Sales's proposals are approved: they no longer change."));
    }

    #[test]
    fn scaling_gives_each_raise_times_the_factor_with_its_reason() {
        // 5,000 against 4,000: × 0.8, so 6 % → 4.8 % and 5 % → 4 %.
        assert_eq!(
            scale_unit(&unit()).unwrap(),
            vec![
                (4.8, "Retention risk: competing offer Scaled pro rata to the unit's budget (× 0.8).".to_owned()),
                (4.0, "Scaled pro rata to the unit's budget (× 0.8).".to_owned()),
            ]
        );
        let within = UnitMerit { pool: 5_000.0, ..unit() };
        assert_eq!(scale_unit(&within).unwrap_err(), FieldError::new("unit", "The proposals are within budget: nothing to scale."));
        assert_eq!(scale_unit(&approved()).unwrap_err(), FieldError::new("unit", "These proposals are approved: they no longer change."));
    }

    #[test]
    fn approval_needs_everyone_proposed_and_the_budget_held_once() {
        let within = UnitMerit { pool: 5_000.0, ..unit() };
        let elsewhere = MissingLine { unit_id: "support".into(), name: "Cleo".into(), why: "no salary on record".into() };
        assert_eq!(check_approval(&within, std::slice::from_ref(&elsewhere), None), Ok(()));
        let waiting = [elsewhere, MissingLine { unit_id: "sales".into(), name: "Dan".into(), why: "no final rating yet".into() }];
        assert_eq!(
            check_approval(&within, &waiting, None).unwrap_err(),
            FieldError::new("unit", "1 in this unit have no proposal yet (Dan): approve once everyone has one.")
        );
        assert_eq!(
            check_approval(&unit(), &[], None).unwrap_err(),
            FieldError::new("unit", "Over budget by 1,000: proposals cost 5,000 of a pool of 4,000. Scale the proposals or lower some before approving.")
        );
        assert_eq!(check_approval(&approved(), &[], None).unwrap_err(), FieldError::new("unit", "These proposals are approved already."));
    }

    proptest! {
        #[test]
        fn scaled_raises_always_fit_the_pool(
            proposals in prop::collection::vec((20_000.0f64..200_000.0, 0.0f64..12.0), 1..30),
            share in 0.0f64..1.0,
        ) {
            let cost = BudgetUse::of(0.0, &proposals).spend;
            let pool = (cost * share * 100.0).round() / 100.0;
            let (_, scaled) = scale_to_pool(pool, &proposals);
            let after: Vec<(f64, f64)> = proposals.iter().map(|p| p.0).zip(scaled.iter().copied()).collect();
            prop_assert!(!BudgetUse::of(pool, &after).over());
            for ((_, before), now) in proposals.iter().zip(&scaled) {
                prop_assert!(now <= before);
            }
        }
    }

    #[test]
    fn amounts_say_their_currency_once_it_is_set() {
        assert_eq!(check_currency(" eur ").unwrap(), "EUR");
        for bad in ["", "EU", "EURO", "E1R", "€"] {
            assert_eq!(check_currency(bad).unwrap_err().field, "currency", "{bad:?}");
        }
        assert_eq!(money_in(12500.0, Some("EUR")), "EUR 12,500");
        assert_eq!(money_in(-1234.5, Some("USD")), "USD -1,234.50");
        assert_eq!(money_in(12500.0, None), "12,500");
        let over = BudgetUse::of(1000.0, &[(50000.0, 3.0)]);
        assert_eq!(over.message(Some("GBP")), "Over budget by GBP 500: proposals cost GBP 1,500 of a pool of GBP 1,000.");
    }
}
