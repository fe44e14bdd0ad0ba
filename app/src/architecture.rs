//! The house rules, checked on the source: no module imports from a module that imports it back;
//! within a domain, pages → server functions → store → rules → types; the kernel never reaches
//! into a domain; and one domain uses another only in the directions declared below.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The kernel every domain builds on.
const KERNEL: &[&str] = &["auth", "csv_export", "db", "disclosure", "error", "limits", "org", "state", "sync", "ui", "words"];

/// Which domains each domain may use, and why. A new direction is a decision: add it here.
const DECLARED: &[(&str, &[&str], &str)] = &[
    ("planning", &["appraisal", "offline"], "a cycle reaching appraisal opens the appraisals; results are entered on the offline copy"),
    ("appraisal", &["planning", "development", "offline"], "scores come from plans; agreed actions become development items; self-assessments and feedback are synced records"),
    ("development", &["planning", "appraisal", "offline"], "gaps come from appraisal ratings and KPIs; check-ins and feedback are synced records"),
    ("reward", &["planning", "appraisal", "development"], "raises follow appraisal results and the consistency award"),
    ("change", &["planning"], "adoption is measured on plans, actuals and goals"),
    ("offline", &["planning", "appraisal", "development"], "the phone's copy holds each domain's records and checks them with each domain's facts"),
    ("home", &["planning", "development", "offline", "appraisal", "change", "reward"], "the home, team and header show every domain (tasks from plans, actuals, appraisals, calibration, feedback, development, pulses and merit; merit once a cycle is in appraisal)"),
    ("mail", &["home", "offline", "planning"], "mail carries each person's tasks, progress and notifications to them while they are away"),
    ("demo", &["planning", "appraisal", "development", "reward", "change", "offline"], "the demo organisation fills every domain, through each domain's own store and the sync's checks"),
];

/// The layer of a module within its domain, lowest first.
fn layer(module: &[String]) -> Option<usize> {
    const LAYERS: &[&[&str]] = &[
        &["types", "people_types", "scoring"],
        &["rules", "scorecard", "actuals_csv", "people_csv", "protocol", "policy", "password", "limiter"],
        &["store", "session_store", "guard"],
        &["api", "v1", "outbox"],
        &["pages", "client"],
    ];
    let part = module.get(1)?;
    LAYERS.iter().position(|names| names.contains(&part.as_str()))
}

/// Module path (`planning::store::plans`) of each source file.
fn modules(src: &Path) -> BTreeMap<String, String> {
    fn walk(dir: &Path, src: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, src, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(src).unwrap().with_extension("");
                let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
                if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
                    parts.pop();
                }
                out.insert(parts.join("::"), std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(src, src, &mut out);
    out
}

/// The source without comments and string literals, so neither is read as a path.
fn code_only(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                out.push('"');
                while let Some(c) = chars.next() {
                    if c == '\\' {
                        chars.next();
                    } else if c == '"' {
                        break;
                    }
                }
                out.push('"');
            }
            '\'' => {
                // A char literal ('"' or '\''), not a lifetime.
                let rest: String = chars.clone().take(3).collect();
                if rest.starts_with("\\") || rest.chars().nth(1) == Some('\'') {
                    while let Some(c) = chars.next() {
                        if c == '\\' {
                            chars.next();
                        } else if c == '\'' {
                            break;
                        }
                    }
                    out.push_str("' '");
                } else {
                    out.push('\'');
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Every path a `use` tree names: `crate::a::{b, c::{d}}` gives `crate::a::b` and `crate::a::c::d`.
fn use_paths(tree: &str) -> Vec<Vec<String>> {
    fn expand(prefix: &[String], tree: &str, out: &mut Vec<Vec<String>>) {
        let tree = tree.trim();
        if tree.is_empty() {
            return;
        }
        if let Some(open) = tree.find('{') {
            let mut base = prefix.to_vec();
            base.extend(tree[..open].split("::").map(str::trim).filter(|s| !s.is_empty()).map(String::from));
            let inner = &tree[open + 1..tree.rfind('}').unwrap()];
            let (mut depth, mut start) = (0, 0);
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        expand(&base, &inner[start..i], out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            expand(&base, &inner[start..], out);
        } else {
            let path = tree.split(" as ").next().unwrap();
            let mut full = prefix.to_vec();
            full.extend(path.split("::").map(str::trim).filter(|s| !s.is_empty() && *s != "*").map(String::from));
            out.push(full);
        }
    }
    let mut out = Vec::new();
    expand(&[], tree, &mut out);
    out
}

/// The modules a file uses: `use` trees and paths in code starting at `crate`, `super` or `self`.
fn imports(module: &str, source: &str, known: &BTreeMap<String, String>) -> BTreeSet<String> {
    let code = code_only(source);
    let here: Vec<String> = if module.is_empty() { Vec::new() } else { module.split("::").map(String::from).collect() };
    // Within an inline module (tests), `super` is the file's own module.
    let inline_from = code.find("mod tests {").unwrap_or(code.len());
    let absolute = |at: usize, path: &[String]| -> Option<Vec<String>> {
        let mut base = match path.first()?.as_str() {
            "crate" => return Some(path[1..].to_vec()),
            "self" => here.clone(),
            "super" if at >= inline_from => here.clone(),
            "super" => here[..here.len().saturating_sub(1)].to_vec(),
            _ => return None,
        };
        let mut rest = &path[1..];
        while rest.first().is_some_and(|s| s == "super") {
            base.pop();
            rest = &rest[1..];
        }
        base.extend(rest.iter().cloned());
        Some(base)
    };
    let resolve = |path: Vec<String>| -> Option<String> {
        (1..=path.len()).rev().map(|n| path[..n].join("::")).find(|m| known.contains_key(m))
    };
    let mut found = BTreeSet::new();
    for (at, _) in code.match_indices("use ") {
        if at > 0 && (code.as_bytes()[at - 1].is_ascii_alphanumeric() || code.as_bytes()[at - 1] == b'_') {
            continue;
        }
        let end = code[at..].find(';').map_or(code.len(), |e| at + e);
        for path in use_paths(&code[at + 4..end]) {
            if let Some(m) = absolute(at, &path).and_then(resolve) {
                found.insert(m);
            }
        }
    }
    for start in ["crate::", "super::"] {
        for (at, _) in code.match_indices(start) {
            if at > 0 && (code.as_bytes()[at - 1].is_ascii_alphanumeric() || matches!(code.as_bytes()[at - 1], b'_' | b':')) {
                continue;
            }
            let path: Vec<String> = code[at..]
                .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .next()
                .unwrap()
                .split("::")
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
            if let Some(m) = absolute(at, &path).and_then(resolve) {
                found.insert(m);
            }
        }
    }
    found.remove(module);
    found
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let known = modules(&src);
    known.iter().map(|(m, source)| (m.clone(), imports(m, source, &known))).collect()
}

fn domain(module: &str) -> &str {
    module.split("::").next().unwrap_or("")
}

/// The strongly connected groups of more than one module (Tarjan).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        found: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a str) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            for w in self.graph.get(v).into_iter().flatten() {
                if !self.index.contains_key(w.as_str()) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w.as_str()]);
                    self.low.insert(v, low);
                } else if self.stack.contains(&w.as_str()) {
                    let low = self.low[v].min(self.index[w.as_str()]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let at = self.stack.iter().position(|x| *x == v).unwrap();
                let group: Vec<String> = self.stack.split_off(at).into_iter().map(String::from).collect();
                if group.len() > 1 {
                    self.found.push(group);
                }
            }
        }
    }
    let mut walk = Walk { graph, index: BTreeMap::new(), low: BTreeMap::new(), stack: Vec::new(), found: Vec::new() };
    for v in graph.keys() {
        if !walk.index.contains_key(v.as_str()) {
            walk.visit(v);
        }
    }
    walk.found
}

#[test]
fn the_reader_sees_imports_through_use_trees_and_paths() {
    assert_eq!(use_paths("crate::a::{b, c::{d, e as f}}"), vec![vec!["crate", "a", "b"], vec!["crate", "a", "c", "d"], vec!["crate", "a", "c", "e"]]);
    let known: BTreeMap<String, String> = ["a", "a::b", "c", "d", "e"].iter().map(|m| (m.to_string(), String::new())).collect();
    let source = "use crate::a::b::{X, Y};\n// crate::c is only mentioned\nfn f() { crate::d::g(\"crate::e\") }\n";
    assert_eq!(imports("z", source, &known), BTreeSet::from(["a::b".to_string(), "d".to_string()]));
    assert_eq!(imports("a::b", "use super::Thing;", &known), BTreeSet::from(["a".to_string()]));
    assert_eq!(cycles(&BTreeMap::from([("x".into(), BTreeSet::from(["y".into()])), ("y".into(), BTreeSet::from(["x".into()]))])).len(), 1);
}

#[test]
fn no_module_imports_a_module_that_imports_it_back() {
    let found = cycles(&graph());
    assert!(found.is_empty(), "modules importing each other in a cycle: {found:?}");
}

#[test]
fn within_a_domain_pages_call_server_functions_call_the_store_calls_rules_reads_types() {
    let mut upward = Vec::new();
    for (from, uses) in graph() {
        let from_parts: Vec<String> = from.split("::").map(String::from).collect();
        for to in uses {
            let to_parts: Vec<String> = to.split("::").map(String::from).collect();
            if domain(&from) == domain(&to) {
                if let (Some(a), Some(b)) = (layer(&from_parts), layer(&to_parts)) {
                    if b > a {
                        upward.push(format!("{from} -> {to}"));
                    }
                }
            }
        }
    }
    assert!(upward.is_empty(), "a lower layer uses a higher one: {upward:#?}");
}

#[test]
fn the_kernel_never_reaches_into_a_domain_and_domains_only_in_declared_directions() {
    let mut wrong = Vec::new();
    for (from, uses) in graph() {
        let (a, shell) = (domain(&from), from == "app" || from.is_empty());
        for to in uses {
            let b = domain(&to);
            if a == b || KERNEL.contains(&b) || shell {
                continue;
            }
            if KERNEL.contains(&a) {
                wrong.push(format!("kernel {from} -> {to}"));
            } else if !DECLARED.iter().any(|(d, allowed, _)| *d == a && allowed.contains(&b)) {
                wrong.push(format!("undeclared {from} -> {to}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
