//! Statistical disclosure control: which figures about groups of people may be shown. Every
//! aggregate the change committee sees (pulse results and their counts of answers, adoption
//! figures per unit and for a programme's scope, each day of the adoption trend) goes through
//! [`suppress`], so that no group of fewer than [`MIN_GROUP`] people can be read, neither directly
//! nor by subtracting shown groups from a shown total.
//!
//! A table is a tree of groups: each group holds its own members and the groups below it (a unit
//! with its sub-units; a survey's whole scope with its units). Knowing a shown group's figure and
//! the figures of shown groups inside it gives the figure of the people left over. In a tree the
//! finest such leftovers are the *residuals*: a shown group's members that are in no shown group
//! below it. Every group that can be worked out is a union of residuals, so the rule is exact:
//! every shown group's residual is empty or holds at least `MIN_GROUP` people. Primary suppression
//! hides the groups under `MIN_GROUP`; complementary suppression then hides further groups below a
//! total whose residual is too small (the smallest first) until it holds `MIN_GROUP`. In a flat
//! table this is the statistics offices' rule: no hidden part alone, and the hidden parts together
//! at least `MIN_GROUP`. Parts always suffice, so a total of five or more stays shown.

use std::cmp::Reverse;

use serde::{Deserialize, Serialize};

/// The smallest group whose figures may be shown (DOMAIN.md, "Privacy of small groups").
pub const MIN_GROUP: usize = 5;

/// Why a figure is not shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hidden {
    /// Fewer than `MIN_GROUP` people or answers.
    TooFew,
    /// Large enough, but shown with the others it would give away a smaller group's figures.
    Complementary,
    /// A survey still open: each new answer would show as the change since the last look.
    UntilClosed,
}

impl Hidden {
    /// The reason as the pages give it; `members` says what is counted ("people", "answers").
    pub fn reason(self, members: &str) -> String {
        match self {
            Hidden::TooFew => format!("fewer than {MIN_GROUP} {members} — hidden to protect anonymity"),
            Hidden::Complementary => "hidden so that a smaller group cannot be worked out".to_owned(),
            Hidden::UntilClosed => "shown when the survey closes, so that no single answer can be read from the change".to_owned(),
        }
    }

    /// The reason on its own line: capitalised, with a full stop.
    pub fn sentence(self, members: &str) -> String {
        let reason = self.reason(members);
        let mut chars = reason.chars();
        chars.next().map(|first| first.to_uppercase().chain(chars).collect::<String>() + ".").unwrap_or_default()
    }
}

/// A group's figures, or why they are withheld (the figures themselves never leave the server).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Figure<T> {
    Shown(T),
    Hidden(Hidden),
}

impl<T> Figure<T> {
    pub fn shown(&self) -> Option<&T> {
        match self {
            Figure::Shown(value) => Some(value),
            Figure::Hidden(_) => None,
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Figure<U> {
        match self {
            Figure::Shown(value) => Figure::Shown(f(value)),
            Figure::Hidden(why) => Figure::Hidden(why),
        }
    }
}

/// One group of a table: the group it is part of (an index into the same list) and how many
/// people (or answers) belong to it directly, not through a group below it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Group {
    pub parent: Option<usize>,
    pub own: usize,
}

/// Each group's ancestors, itself first. Panics when the parents do not form a tree.
pub fn ancestry(groups: &[Group], index: usize) -> Vec<usize> {
    let mut chain = vec![index];
    let mut at = index;
    while let Some(parent) = groups[at].parent {
        assert!(chain.len() <= groups.len(), "groups must form a tree");
        chain.push(parent);
        at = parent;
    }
    chain
}

/// Per group, why its figures are hidden, or `None` when they may be shown. Each group's figure
/// is that of its own members and of every group below it.
pub fn suppress(groups: &[Group]) -> Vec<Option<Hidden>> {
    let n = groups.len();
    let chains: Vec<Vec<usize>> = (0..n).map(|g| ancestry(groups, g)).collect();
    let mut size = vec![0usize; n];
    for (g, chain) in chains.iter().enumerate() {
        chain.iter().for_each(|a| size[*a] += groups[g].own);
    }
    let mut children = vec![Vec::new(); n];
    (0..n).for_each(|g| {
        if let Some(p) = groups[g].parent {
            children[p].push(g);
        }
    });
    // Deepest first, so that a total's residual is fixed after those of the groups inside it.
    let mut deepest_first: Vec<usize> = (0..n).collect();
    deepest_first.sort_by_key(|g| Reverse(chains[*g].len()));

    let mut hidden: Vec<Option<Hidden>> = size.iter().map(|s| (1..MIN_GROUP).contains(s).then_some(Hidden::TooFew)).collect();
    loop {
        // A hidden group's members count towards the residual of the shown group above it.
        let mut residual = vec![0usize; n];
        for &g in &deepest_first {
            residual[g] = groups[g].own + children[g].iter().filter(|c| hidden[**c].is_some()).map(|c| residual[*c]).sum::<usize>();
        }
        let Some(&total) = deepest_first.iter().find(|g| hidden[**g].is_none() && (1..MIN_GROUP).contains(&residual[**g])) else {
            return hidden;
        };
        let parts = shown_below(total, &children, &hidden);
        // Smallest first, the later one of equals. A part that adds nobody to the residual (all
        // its people are in shown groups below it) only opens those groups, so it comes after the
        // parts that add someone; an empty part never helps.
        let smallest = |pick: &dyn Fn(usize) -> bool| parts.iter().copied().filter(|p| pick(*p)).min_by_key(|p| (size[*p], Reverse(*p)));
        // There is always one: with every part hidden, the residual is the whole group, and a
        // shown group holds five or more. So the total itself never has to go.
        let next = smallest(&|p| residual[p] > 0).or_else(|| smallest(&|p| size[p] > 0)).expect("a part to hide");
        hidden[next] = Some(Hidden::Complementary);
    }
}

/// The highest shown groups below `total`: those whose figures can be subtracted from it.
fn shown_below(total: usize, children: &[Vec<usize>], hidden: &[Option<Hidden>]) -> Vec<usize> {
    let mut parts = Vec::new();
    let mut open = children[total].clone();
    while let Some(g) = open.pop() {
        match hidden[g] {
            None => parts.push(g),
            Some(_) => open.extend(&children[g]),
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn flat(total_own: usize, parts: &[usize]) -> Vec<Group> {
        std::iter::once(Group { parent: None, own: total_own }).chain(parts.iter().map(|own| Group { parent: Some(0), own: *own })).collect()
    }

    const TOO_FEW: Option<Hidden> = Some(Hidden::TooFew);
    const SECOND: Option<Hidden> = Some(Hidden::Complementary);

    #[test]
    fn groups_of_five_or_more_are_shown_and_nothing_is_hidden_for_nothing() {
        assert_eq!(suppress(&flat(0, &[5, 9, 12])), vec![None; 4]);
        assert_eq!(suppress(&flat(0, &[0, 5])), vec![None; 3], "an empty group shows no one");
    }

    #[test]
    fn one_small_group_takes_the_smallest_other_with_it() {
        // The finding: 30 answers in all, 1 in People & Culture; 30 − 29 would be that one person.
        assert_eq!(suppress(&flat(0, &[1, 8, 6, 15])), vec![None, TOO_FEW, None, SECOND, None]);
        // Equal sizes: the later one goes.
        assert_eq!(suppress(&flat(0, &[2, 6, 6])), vec![None, TOO_FEW, None, SECOND]);
    }

    #[test]
    fn small_groups_together_of_five_or_more_protect_each_other() {
        assert_eq!(suppress(&flat(0, &[3, 2, 7])), vec![None, TOO_FEW, TOO_FEW, None]);
        // 1 + 2 is still under five: the smallest shown part is added.
        assert_eq!(suppress(&flat(0, &[1, 2, 9, 7])), vec![None, TOO_FEW, TOO_FEW, None, SECOND]);
        // Two people directly in the total count as a hidden group of their own.
        assert_eq!(suppress(&flat(2, &[3, 6])), vec![None, TOO_FEW, None]);
    }

    #[test]
    fn parts_go_before_the_total() {
        assert_eq!(suppress(&flat(1, &[5])), vec![None, SECOND], "the one directly in the total");
        assert_eq!(suppress(&flat(2, &[1, 1])), vec![TOO_FEW, TOO_FEW, TOO_FEW], "four in all");
        assert_eq!(suppress(&flat(3, &[1, 1])), vec![None, TOO_FEW, TOO_FEW], "the total less nothing is five");
    }

    #[test]
    fn hierarchies_protect_the_people_directly_in_a_parent_unit() {
        // Head office (2 directly) > Finance 4, Sales (1: its director) > North 6, South 5;
        // Operations (1) > Customer Service 6, Logistics 6; Technology 5.
        let groups = vec![
            Group { parent: None, own: 2 },
            Group { parent: Some(0), own: 4 },
            Group { parent: Some(0), own: 1 },
            Group { parent: Some(2), own: 6 },
            Group { parent: Some(2), own: 5 },
            Group { parent: Some(0), own: 1 },
            Group { parent: Some(5), own: 6 },
            Group { parent: Some(5), own: 6 },
            Group { parent: Some(0), own: 5 },
        ];
        let hidden = suppress(&groups);
        // Sales 12 − North 6 − South 5 would be the director; Operations likewise.
        assert_eq!(hidden, vec![None, TOO_FEW, None, None, SECOND, None, None, SECOND, None]);
    }

    #[test]
    fn a_hidden_unit_passes_its_people_to_the_total_above() {
        // Whole > A (3 directly, B 1 below), C 6: A and B are too small, and together four, so the
        // whole less C would be A; C goes too.
        let groups = vec![
            Group { parent: None, own: 0 },
            Group { parent: Some(0), own: 3 },
            Group { parent: Some(1), own: 1 },
            Group { parent: Some(0), own: 6 },
        ];
        assert_eq!(suppress(&groups), vec![None, TOO_FEW, TOO_FEW, SECOND]);
        // A (1 directly, B 5 below): A less B would be its one person, so B goes, and A stays.
        let groups = vec![
            Group { parent: None, own: 0 },
            Group { parent: Some(0), own: 1 },
            Group { parent: Some(1), own: 5 },
            Group { parent: Some(0), own: 7 },
        ];
        assert_eq!(suppress(&groups), vec![None, None, SECOND, None]);
    }

    #[test]
    fn a_part_whose_people_are_all_shown_below_opens_them() {
        // Whole (1 directly) > A (nobody directly) > B 5, C 6: hiding A adds nobody, so A goes
        // and then the smaller of B and C.
        let groups = vec![
            Group { parent: None, own: 1 },
            Group { parent: Some(0), own: 0 },
            Group { parent: Some(1), own: 5 },
            Group { parent: Some(1), own: 6 },
        ];
        assert_eq!(suppress(&groups), vec![None, SECOND, SECOND, None]);
    }

    /// A random tree: each group's parent comes before it.
    fn tree() -> impl Strategy<Value = Vec<Group>> {
        prop::collection::vec((any::<prop::sample::Index>(), 0usize..9), 1..9).prop_map(|rows| {
            rows.iter()
                .enumerate()
                .map(|(i, (parent, own))| Group { parent: (i > 0).then(|| parent.index(i)), own: *own })
                .collect()
        })
    }

    /// Who can be worked out: a shown group less any shown groups inside it that do not overlap.
    fn derivable(groups: &[Group], hidden: &[Option<Hidden>]) -> Vec<usize> {
        let n = groups.len();
        let chains: Vec<Vec<usize>> = (0..n).map(|g| ancestry(groups, g)).collect();
        let inside = |a: usize, b: usize| chains[a].contains(&b);
        let size = |g: usize| (0..n).filter(|m| inside(*m, g)).map(|m| groups[m].own).sum::<usize>();
        let mut sizes = Vec::new();
        for total in (0..n).filter(|g| hidden[*g].is_none()) {
            let below: Vec<usize> = (0..n).filter(|g| *g != total && hidden[*g].is_none() && inside(*g, total)).collect();
            for mask in 0u32..(1 << below.len()) {
                let picked: Vec<usize> = (0..below.len()).filter(|i| mask & (1 << i) != 0).map(|i| below[i]).collect();
                let overlapping = picked.iter().any(|a| picked.iter().any(|b| a != b && inside(*a, *b)));
                if !overlapping {
                    sizes.push(size(total) - picked.iter().map(|g| size(*g)).sum::<usize>());
                }
            }
        }
        sizes
    }

    proptest! {
        #[test]
        fn no_group_under_five_can_be_read_or_worked_out(groups in tree()) {
            let hidden = suppress(&groups);
            for left in derivable(&groups, &hidden) {
                prop_assert!(left == 0 || left >= MIN_GROUP, "{left} people worked out of {groups:?} with {hidden:?}");
            }
        }

        /// The rule as the statistics offices state it, on one total and its parts: no hidden part
        /// alone, and the hidden parts together at least five, unless the total is hidden.
        #[test]
        fn hidden_parts_of_a_shown_total_are_two_or_more_and_five_or_more_together(parts in prop::collection::vec(0usize..12, 1..8)) {
            let groups = flat(0, &parts);
            let hidden = suppress(&groups);
            let hidden_parts: Vec<usize> = (1..groups.len()).filter(|g| hidden[*g].is_some()).collect();
            for g in 1..groups.len() {
                prop_assert_eq!(hidden[g].is_some() || groups[g].own == 0 || groups[g].own >= MIN_GROUP, true);
            }
            if hidden[0].is_none() && !hidden_parts.is_empty() {
                let people: usize = hidden_parts.iter().map(|g| groups[*g].own).sum();
                prop_assert!(hidden_parts.len() >= 2 && people >= MIN_GROUP, "{parts:?}: {hidden:?}");
            }
        }
    }
}
