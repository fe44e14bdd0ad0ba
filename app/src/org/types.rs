use serde::{Deserialize, Serialize};

/// A unit of the organisation (division, department, team); units form a tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub id: String,
    /// Short unique code used by CSV files, e.g. `SALES-N`.
    pub code: String,
    pub name: String,
    pub parent_id: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitInput {
    /// `None` creates a new unit.
    pub id: Option<String>,
    pub code: String,
    pub name: String,
    pub parent_id: Option<String>,
}

/// Units in tree order with their depth, for indented lists and pickers.
pub fn units_in_tree_order(units: &[Unit]) -> Vec<(usize, Unit)> {
    fn visit(units: &[Unit], parent: Option<&str>, depth: usize, out: &mut Vec<(usize, Unit)>) {
        let mut children: Vec<&Unit> = units.iter().filter(|u| u.parent_id.as_deref() == parent).collect();
        children.sort_by(|a, b| a.name.cmp(&b.name));
        for unit in children {
            out.push((depth, unit.clone()));
            visit(units, Some(&unit.id), depth + 1, out);
        }
    }
    let mut out = Vec::with_capacity(units.len());
    visit(units, None, 0, &mut out);
    out
}

/// The ids of `root` and every unit below it.
pub fn subtree(units: &[Unit], root: &str) -> std::collections::HashSet<String> {
    let mut within = std::collections::HashSet::from([root.to_owned()]);
    // Parents before children is not guaranteed, so repeat until nothing is added.
    loop {
        let before = within.len();
        for unit in units {
            if unit.parent_id.as_ref().is_some_and(|p| within.contains(p)) {
                within.insert(unit.id.clone());
            }
        }
        if within.len() == before {
            return within;
        }
    }
}

/// Units as `(id, label)` choices for a picker, indented by depth; `exclude` leaves one unit out.
pub fn unit_choices(units: &[Unit], exclude: Option<&str>) -> Vec<(String, String)> {
    units_in_tree_order(units)
        .into_iter()
        .filter(|(_, u)| Some(u.id.as_str()) != exclude)
        .map(|(depth, u)| (u.id, format!("{}{}", "— ".repeat(depth), u.name)))
        .collect()
}

/// Head count of one unit, the only view of people the change committee gets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitHeadcount {
    pub unit: Unit,
    pub active_people: u32,
    pub managers: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgOverview {
    pub units: Vec<UnitHeadcount>,
    pub active_people: u32,
    pub inactive_people: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: &str, name: &str, parent: Option<&str>) -> Unit {
        Unit { id: id.into(), code: id.to_uppercase(), name: name.into(), parent_id: parent.map(Into::into) }
    }

    #[test]
    fn tree_order_puts_children_under_their_parent_alphabetically() {
        let units = vec![
            unit("ops", "Operations", Some("hq")),
            unit("hq", "Head office", None),
            unit("fin", "Finance", Some("hq")),
            unit("ap", "Payables", Some("fin")),
        ];
        let order: Vec<(usize, String)> =
            units_in_tree_order(&units).into_iter().map(|(d, u)| (d, u.id)).collect();
        assert_eq!(
            order,
            vec![(0, "hq".into()), (1, "fin".into()), (2, "ap".into()), (1, "ops".into())]
        );
    }
}

/// Everything a person's home page shows, by the roles they hold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HomeSummary {
    pub user: crate::auth::types::SessionUser,
    pub me: crate::org::people_types::Person,
    /// The reporting line, for managers.
    pub team: Vec<crate::org::people_types::TeamMember>,
    /// Head counts, for HR administrators and change-committee members.
    pub overview: Option<OrgOverview>,
}
