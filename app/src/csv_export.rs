//! The one CSV writer of every export (people, scorecards, appraisals, adoption, payroll), so
//! that no cell can become a formula when the file is opened in a spreadsheet (CSV injection).
//!
//! Text that people typed (a name, a title, a merit reason) is *neutralised* as OWASP advises: a
//! cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a single quote in
//! front, so `=HYPERLINK(…)` arrives as the text `'=HYPERLINK(…)`. A leading quote is doubled
//! the same way, which makes the change reversible: [`restore_text`] gives back exactly what was
//! written, and the people import (whose files are often an edited export) applies it to every
//! cell. Numbers the app computed (a negative raise, `-12.5%`) are written as they are, so they
//! stay numbers; anything passed as a number that is not a plain one is treated as text.

/// The characters that make a spreadsheet read a cell as a formula (OWASP's list).
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];
/// Put in front of a cell so that a spreadsheet reads it as text.
const TEXT_MARK: char = '\'';

/// One cell of an export row.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Text from people or the database: neutralised when it could start a formula.
    Text(String),
    /// A number the app computed and formatted (`-2.5`, `85%`): kept as it is when it is one.
    Figure(String),
}

/// A cell of text.
pub fn text(value: impl Into<String>) -> Cell {
    Cell::Text(value.into())
}

/// A cell of a computed number, already formatted.
pub fn figure(value: impl ToString) -> Cell {
    Cell::Figure(value.to_string())
}

/// A plain decimal number, optionally signed and with a percent sign: what a spreadsheet reads
/// as a number and never as a formula.
fn is_plain_number(value: &str) -> bool {
    let unsigned = value.strip_prefix(['-', '+']).unwrap_or(value);
    let digits = unsigned.strip_suffix('%').unwrap_or(unsigned);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && all_digits(fraction)
}

/// Text as it is written into a cell: with a quote in front when it could start a formula or
/// already starts with a quote.
pub fn neutralise(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(FORMULA_START) || value.starts_with(TEXT_MARK) {
        format!("{TEXT_MARK}{value}").into()
    } else {
        value.into()
    }
}

/// The text a cell of an export held before [`neutralise`]: the quote it added is taken off.
/// A quote in front of anything else was typed by someone and stays.
pub fn restore_text(cell: &str) -> &str {
    match cell.strip_prefix(TEXT_MARK) {
        Some(rest) if rest.starts_with(FORMULA_START) || rest.starts_with(TEXT_MARK) => rest,
        _ => cell,
    }
}

impl Cell {
    fn written(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Cell::Figure(value) if is_plain_number(value) => value.into(),
            Cell::Text(value) | Cell::Figure(value) => neutralise(value),
        }
    }
}

/// A CSV file being written: a header line, then rows as wide as the header.
pub struct CsvExport {
    writer: csv::Writer<Vec<u8>>,
}

impl CsvExport {
    pub fn new<H: AsRef<str>>(header: impl IntoIterator<Item = H>) -> CsvExport {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let header: Vec<String> = header.into_iter().map(|h| neutralise(h.as_ref()).into_owned()).collect();
        writer.write_record(&header).expect("writing to memory");
        CsvExport { writer }
    }

    /// Adds a row; every export builds its rows next to its header, so a row of another width
    /// is a bug in that export (and stops it).
    pub fn row(&mut self, cells: impl IntoIterator<Item = Cell>) {
        let cells: Vec<Cell> = cells.into_iter().collect();
        self.writer.write_record(cells.iter().map(|c| c.written().into_owned())).expect("a row as wide as the header");
    }

    pub fn finish(self) -> String {
        let bytes = self.writer.into_inner().expect("writing to memory");
        String::from_utf8(bytes).expect("CSV of UTF-8 cells")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn one_row(cells: Vec<Cell>) -> String {
        let mut csv = CsvExport::new(["a", "b", "c"]);
        csv.row(cells);
        csv.finish().lines().nth(1).unwrap_or_default().to_owned()
    }

    #[test]
    fn text_that_could_start_a_formula_gets_a_quote_in_front() {
        for (typed, written) in [
            ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"),
            ("\rcmd", "'\rcmd"),
            ("'quoted", "''quoted"),
            ("Ann Lee", "Ann Lee"),
            ("a=b", "a=b"),
            (" =1+1", " =1+1"),
            ("", ""),
        ] {
            assert_eq!(neutralise(typed), written, "{typed:?}");
        }
    }

    #[test]
    fn computed_numbers_stay_numbers_and_anything_else_passed_as_one_is_text() {
        assert_eq!(one_row(vec![figure("-2.5"), figure("-12.5%"), figure(-3)]), "-2.5,-12.5%,-3");
        assert_eq!(one_row(vec![figure("+4"), figure(85.25), figure("0%")]), "+4,85.25,0%");
        // Not plain numbers: neutralised like text, so a mistake cannot open a hole.
        assert_eq!(one_row(vec![figure("-1+1"), figure("-inf"), figure("-1e5")]), "'-1+1,'-inf,'-1e5");
        assert_eq!(one_row(vec![figure("-"), figure("-."), figure("")]), "'-,'-.,");
        // The same characters typed by someone are text.
        assert_eq!(one_row(vec![text("-2.5"), text("+4"), text("85")]), "'-2.5,'+4,85");
    }

    #[test]
    fn cells_are_quoted_as_csv_after_being_neutralised() {
        assert_eq!(
            one_row(vec![text("=HYPERLINK(\"http://x\",\"y\")"), text("\rx"), text("a,b")]),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\"'\rx\",\"a,b\""
        );
    }

    #[test]
    fn the_header_is_written_first() {
        let mut csv = CsvExport::new(["name", "raise"]);
        csv.row([text("Ann"), figure("-1.5")]);
        assert_eq!(csv.finish(), "name,raise\nAnn,-1.5\n");
    }

    #[test]
    fn restoring_takes_off_only_the_quote_neutralising_added() {
        assert_eq!(restore_text("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(restore_text("''quoted"), "'quoted");
        assert_eq!(restore_text("'tis"), "'tis");
        assert_eq!(restore_text("O'Brien"), "O'Brien");
        assert_eq!(restore_text("-2"), "-2");
    }

    proptest! {
        #[test]
        fn restoring_a_neutralised_text_gives_it_back(value in "['=+@\\t\\r -]{0,3}[a-z0-9'=+-]{0,6}") {
            let written = neutralise(&value);
            prop_assert!(!written.starts_with(FORMULA_START));
            prop_assert_eq!(restore_text(&written), value.as_str());
        }
    }
}
