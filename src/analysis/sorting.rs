//! One stable sort for the whole engine, written once for every element type.
//!
//! The standard library's sorts are generic: each element type and comparator gets its own
//! copy of driftsort (some 3.5 KB of WebAssembly each), and the engine sorts some thirty kinds
//! of rows. Here only the small [`permute`] step is generic: the sort itself orders positions
//! (`usize`) through a comparator behind a `dyn` reference, a natural merge sort compiled
//! once. It is stable (elements that compare equal keep their order), as `slice::sort_by` is,
//! and costs two `Vec<usize>` of the slice's length. The engine sorts rows for the page
//! and lists of report numbers (made of sorted runs, which the sort finds and merges), never
//! per report.
//!
//! For the same reason, sets and maps are built with [`set_of`] and [`map_of`], one insert at a
//! time: `collect()` into a `BTreeSet` or `BTreeMap` sorts its items first, with another copy of
//! the standard sort for each type.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `items` by `compare`, keeping the order of equal elements (as `slice::sort_by`).
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let order = sorted_positions(items.len(), &mut |a, b| compare(&items[a], &items[b]));
    permute(items, order);
}

/// Sorts `items` by the key of each, keeping the order of equal keys (as `slice::sort_by_key`).
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in their natural order, keeping the order of equal elements (as `slice::sort`).
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// The items as a set (what `collect()` gives, without sorting them first).
pub fn set_of<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    set.extend(items);
    set
}

/// The pairs as a map, the last value of a key kept (what `collect()` gives, without sorting
/// them first).
pub fn map_of<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    map.extend(pairs);
    map
}

/// The positions `0..len` in the order `compare` sorts them, equal ones in their own order: a
/// natural merge sort. The runs already in order are found first (lists of report numbers
/// are a few sorted runs end to end), then neighbouring runs are merged, pass after pass,
/// from one buffer into the other, until one is left.
fn sorted_positions(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    // Where each run ends (the next one starts where an element is less than the one before).
    let mut ends: Vec<usize> = Vec::new();
    for position in 1..len {
        if compare(position - 1, position) == Ordering::Greater {
            ends.push(position);
        }
    }
    ends.push(len);
    let mut merged = vec![0; len];
    while ends.len() > 1 {
        let mut start = 0;
        let mut merged_ends = Vec::with_capacity(ends.len().div_ceil(2));
        for pair in ends.chunks(2) {
            let (middle, end) = (pair[0], pair[pair.len() - 1]);
            merge(
                &order[start..middle],
                &order[middle..end],
                &mut merged[start..end],
                compare,
            );
            merged_ends.push(end);
            start = end;
        }
        std::mem::swap(&mut order, &mut merged);
        ends = merged_ends;
    }
    order
}

/// Merges two sorted runs into `out`, the left one first where elements compare equal.
fn merge(
    left: &[usize],
    right: &[usize],
    out: &mut [usize],
    compare: &mut dyn FnMut(usize, usize) -> Ordering,
) {
    if let (Some(&last), Some(&first)) = (left.last(), right.first()) {
        if compare(last, first) != Ordering::Greater {
            // Already in order: the runs follow each other (sorted input costs one comparison).
            out[..left.len()].copy_from_slice(left);
            out[left.len()..].copy_from_slice(right);
            return;
        }
    }
    let (mut l, mut r) = (0, 0);
    for slot in out {
        let take_left = match (left.get(l), right.get(r)) {
            (Some(&a), Some(&b)) => compare(a, b) != Ordering::Greater,
            (left_one, _) => left_one.is_some(),
        };
        if take_left {
            *slot = left[l];
            l += 1;
        } else {
            *slot = right[r];
            r += 1;
        }
    }
}

/// Puts `items` in the given order: position `k` receives the element that was at `order[k]`.
/// Follows each cycle of the permutation with swaps, marking the positions done in `order`.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..items.len() {
        let mut current = start;
        while order[current] != start {
            let next = order[current];
            items.swap(current, next);
            order[current] = current;
            current = next;
        }
        order[current] = current;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_stable_sort() {
        let mut seed = 7u64;
        for len in [0, 1, 2, 3, 5, 8, 13, 64, 100, 257] {
            let items: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((seed >> 59) as u8, i)
                })
                .collect();
            let mut expected = items.clone();
            expected.sort_by_key(|item| item.0);
            let mut ours = items.clone();
            sort_by_key(&mut ours, |item| item.0);
            assert_eq!(ours, expected, "length {len}");
            let mut reversed = items;
            sort_by(&mut reversed, |a, b| b.0.cmp(&a.0));
            expected.sort_by_key(|item| std::cmp::Reverse(item.0));
            assert_eq!(reversed, expected, "length {len}, descending");
        }
    }

    #[test]
    fn sorts_runs_already_in_order() {
        // Sorted runs end to end (as the lists of report numbers come), a sorted list, a
        // reversed one.
        let runs: Vec<usize> = (0..7)
            .flat_map(|run| (0..50).map(move |i| i * 7 + run))
            .collect();
        let sorted: Vec<usize> = (0..300).collect();
        let reversed: Vec<usize> = (0..300).rev().collect();
        for items in [runs, sorted, reversed] {
            let mut ours = items.clone();
            sort(&mut ours);
            let mut expected = items;
            expected.sort();
            assert_eq!(ours, expected);
        }
    }

    #[test]
    fn sorts_in_natural_order() {
        let mut words = vec!["pear", "apple", "fig", "apple"];
        sort(&mut words);
        assert_eq!(words, ["apple", "apple", "fig", "pear"]);
    }
}
