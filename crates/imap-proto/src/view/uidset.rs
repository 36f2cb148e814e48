//! Compact UID sets: building `uid-set`s for VANISHED, COPYUID, APPENDUID and
//! MODIFIED from lists of numbers, and normalizing ranges.

use std::num::NonZeroU32;

use crate::primitive::Vec1;
use crate::sequence::{SeqItem, SeqNumber, SequenceSet};

/// Sorts inclusive ranges and merges overlapping or adjacent ones.
pub(crate) fn normalize(mut v: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    v.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(v.len());
    for (lo, hi) in v {
        match out.last_mut() {
            Some(last) if lo <= last.1.saturating_add(1) => {
                if hi > last.1 {
                    last.1 = hi;
                }
            }
            _ => out.push((lo, hi)),
        }
    }
    out
}

/// Builds a set from inclusive ranges, in the order given; `None` if there
/// is none (or every range holds 0 only).
pub(crate) fn set_from_ranges(ranges: impl IntoIterator<Item = (u32, u32)>) -> Option<SequenceSet> {
    let mut items = Vec::new();
    for (lo, hi) in ranges {
        let lo = lo.max(1);
        if hi < lo {
            continue;
        }
        let (Some(a), Some(b)) = (NonZeroU32::new(lo), NonZeroU32::new(hi)) else {
            continue;
        };
        items.push(if a == b {
            SeqItem::Single(SeqNumber::Value(a))
        } else {
            SeqItem::Range(SeqNumber::Value(a), SeqNumber::Value(b))
        });
    }
    Vec1::new(items).map(SequenceSet::Items)
}

/// Runs of consecutive ascending numbers, in input order.
fn runs(numbers: impl IntoIterator<Item = u32>) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for n in numbers {
        match out.last_mut() {
            Some(last) if last.1.checked_add(1) == Some(n) => last.1 = n,
            _ => out.push((n, n)),
        }
    }
    out
}

/// Compacts numbers into a set, keeping their order: runs of consecutive
/// ascending numbers become ranges (`4,5,6,9` → `4:6,9`), so the set expands
/// back to the same sequence (as COPYUID needs, RFC 4315 §3). Zeros are
/// dropped. `None` if nothing is left.
///
/// ```
/// use mailwire_imap_proto::view::compact_uids;
/// let set = compact_uids([4, 5, 6, 9, 3]).unwrap();
/// assert_eq!(set.to_string(), "4:6,9,3");
/// ```
#[must_use]
pub fn compact_uids(uids: impl IntoIterator<Item = u32>) -> Option<SequenceSet> {
    set_from_ranges(runs(uids.into_iter().filter(|&u| u != 0)))
}

/// Compacts numbers into a sorted, duplicate-free set (`9,4,5,5,6` →
/// `4:6,9`), for VANISHED and MODIFIED where order carries no meaning.
///
/// ```
/// use mailwire_imap_proto::view::compact_sorted;
/// assert_eq!(compact_sorted(vec![9, 4, 5, 5, 6]).unwrap().to_string(), "4:6,9");
/// assert!(compact_sorted(Vec::new()).is_none());
/// ```
#[must_use]
pub fn compact_sorted(mut numbers: Vec<u32>) -> Option<SequenceSet> {
    numbers.sort_unstable();
    numbers.dedup();
    compact_uids(numbers)
}

/// The two sets of a `COPYUID` response code (RFC 4315 §3; RFC 9051 §7.1):
/// `pairs` are (source UID, destination UID). The pairs are sorted by source
/// UID and both sets are compacted in that order, so the n-th UID of the
/// source set still corresponds to the n-th UID of the destination set.
/// `None` if `pairs` is empty or holds a 0.
///
/// ```
/// use mailwire_imap_proto::view::copy_uid_sets;
/// let (src, dst) = copy_uid_sets(&[(5, 101), (3, 99), (4, 100), (9, 102)]).unwrap();
/// assert_eq!((src.to_string(), dst.to_string()), ("3:5,9".into(), "99:102".into()));
/// ```
#[must_use]
pub fn copy_uid_sets(pairs: &[(u32, u32)]) -> Option<(SequenceSet, SequenceSet)> {
    if pairs.iter().any(|&(s, d)| s == 0 || d == 0) {
        return None;
    }
    let mut v = pairs.to_vec();
    v.sort_unstable_by_key(|p| p.0);
    let src = compact_uids(v.iter().map(|p| p.0))?;
    let dst = compact_uids(v.iter().map(|p| p.1))?;
    Some((src, dst))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn normalize_merges() {
        assert_eq!(
            normalize(vec![
                (5, 7),
                (1, 2),
                (3, 3),
                (10, 12),
                (11, 20),
                (u32::MAX, u32::MAX)
            ]),
            vec![(1, 3), (5, 7), (10, 20), (u32::MAX, u32::MAX)]
        );
        assert_eq!(normalize(vec![]), vec![]);
    }

    #[test]
    fn compaction() {
        assert_eq!(compact_uids([1, 2, 3]).unwrap().to_string(), "1:3");
        assert_eq!(compact_uids([3, 2, 1]).unwrap().to_string(), "3,2,1");
        assert_eq!(compact_uids([0, 7]).unwrap().to_string(), "7");
        assert!(compact_uids([0]).is_none());
        assert_eq!(
            compact_uids([u32::MAX - 1, u32::MAX]).unwrap().to_string(),
            "4294967294:4294967295"
        );
        assert!(copy_uid_sets(&[]).is_none());
        assert!(copy_uid_sets(&[(0, 1)]).is_none());
        let (s, d) = copy_uid_sets(&[(1, 10), (2, 12)]).unwrap();
        assert_eq!(
            (s.to_string(), d.to_string()),
            ("1:2".into(), "10,12".into())
        );
    }
}
