//! Actuals to and from CSV: the import file, and the export of scorecards (shared by the browser,
//! which downloads what it shows).

use crate::csv_export::{Cell, CsvExport, figure, text};
use crate::planning::types::{ActualRow, GroupScorecard, Scorecard};
use crate::org::people_types::CsvRowError;
use crate::org::people_csv::{headers, reader};
use crate::planning::scoring::percent;

pub const REQUIRED: [&str; 4] = ["email", "kpi", "period", "value"];
pub const OPTIONAL: [&str; 2] = ["note", "link"];

/// Reads every row, numbered by its line; rows that cannot be read are all reported.
pub fn parse(text: &str) -> Result<Vec<(usize, ActualRow)>, Vec<CsvRowError>> {
    let mut reader = reader(text);
    let headers = headers(&mut reader, &REQUIRED, &OPTIONAL)?;
    let at = |name: &str| headers.iter().position(|h| h == name);
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                errors.push(CsvRowError { row: line, column: String::new(), message: format!("This line cannot be read: {e}") });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let field = |name: &str| at(name).and_then(|i| record.get(i)).unwrap_or("").to_owned();
        let value = match field("value").replace(',', ".").parse::<f64>() {
            Ok(v) if v.is_finite() => v,
            _ => {
                errors.push(CsvRowError { row: line, column: "value".into(), message: format!("'{}' is not a number.", field("value")) });
                continue;
            }
        };
        let link = field("link");
        rows.push((line, ActualRow {
            email: field("email"),
            kpi: field("kpi"),
            period: field("period"),
            value,
            note: field("note"),
            link: (!link.is_empty()).then_some(link),
        }));
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(CsvRowError { row: 2, column: String::new(), message: "The file has a header but no rows.".into() });
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

fn opt_percent(score: Option<f64>) -> Cell {
    figure(score.map(percent).unwrap_or_default())
}

/// A person's scorecard: one row per KPI and period, with the scores and their why.
pub fn person(card: &Scorecard) -> String {
    let mut csv = CsvExport::new([
        "kra", "kra_weight", "kpi", "kpi_weight", "measure", "threshold", "target", "stretch", "period", "actual", "period_score", "why", "kpi_score", "kra_score",
    ]);
    for kra in &card.kras {
        for kpi in &kra.kpis {
            for p in &kpi.periods {
                csv.row([
                    text(&kra.kra.title),
                    figure(kra.kra.weight),
                    text(&kpi.kpi.spec.name),
                    figure(kpi.kpi.weight),
                    text(&kpi.kpi.spec.measure),
                    figure(kpi.kpi.spec.targets.threshold),
                    figure(kpi.kpi.spec.targets.target),
                    figure(kpi.kpi.spec.targets.stretch),
                    text(&p.period.key),
                    figure(p.actual.as_ref().map(|a| a.value.to_string()).unwrap_or_default()),
                    opt_percent(p.score.as_ref().map(|s| s.score)),
                    text(p.score.as_ref().map(|s| s.why.clone()).unwrap_or_default()),
                    opt_percent(kpi.score),
                    opt_percent(kra.rollup.as_ref().map(|r| r.score)),
                ]);
            }
        }
    }
    csv.finish()
}

/// A team, unit or organisation scorecard: one row per person.
pub fn group(card: &GroupScorecard) -> String {
    let mut csv = CsvExport::new(["person", "unit", "plan", "score", "rating", "on_track", "behind", "at_risk", "no_data"]);
    for l in &card.lines {
        csv.row([
            text(&l.person_name),
            text(&l.unit_name),
            text(l.plan_state.map(|s| s.label()).unwrap_or("No plan")),
            opt_percent(l.score),
            figure(l.rating.map(|r| r.to_string()).unwrap_or_default()),
            figure(l.status.on_track),
            figure(l.status.behind),
            figure(l.status.at_risk),
            figure(l.status.no_data),
        ]);
    }
    csv.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_read_and_bad_ones_named() {
        let ok = parse("email,kpi,period,value,note\nsam@x.com,Revenue,Q1,\"12,5\",from CRM\n").unwrap();
        assert_eq!(ok[0].0, 2);
        assert_eq!(ok[0].1.value, 12.5);
        assert_eq!(ok[0].1.note, "from CRM");
        let errors = parse("email,kpi,period,value\na,b,Q1,lots\n").unwrap_err();
        assert_eq!((errors[0].row, errors[0].column.as_str()), (2, "value"));
        let errors = parse("email,kpi,value,colour\n").unwrap_err();
        let columns: Vec<_> = errors.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(columns, ["period", "colour"]);
    }
}
