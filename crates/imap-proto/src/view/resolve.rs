//! Resolving sequence sets and UID sets against a view (RFC 9051 §9
//! `seq-number`, `seq-range`, `sequence-set`; RFC 5182 `$`).
//!
//! The result is a list of index ranges over the view, sorted and merged,
//! so `1:*` on a million messages is one range and iterating allocates
//! nothing per message.

use std::ops::Range;

use super::uidset::{compact_uids, normalize, set_from_ranges};
use super::{MailboxView, MessageRef, ViewError};
use crate::sequence::{SeqItem, SeqNumber, SequenceSet};

/// Messages named by a sequence set or UID set: ascending, each once
/// (RFC 9051 §9: servers "MAY coalesce overlaps and/or execute the sequence
/// in any order").
#[derive(Debug, Clone)]
pub struct Resolved<'v> {
    view: &'v MailboxView,
    ranges: Vec<Range<usize>>,
}

impl<'v> Resolved<'v> {
    /// The messages, lowest number first.
    #[must_use]
    pub fn iter(&self) -> ResolvedIter<'v> {
        ResolvedIter {
            view: self.view,
            ranges: self.ranges.clone().into_iter(),
            current: 0..0,
        }
    }

    /// How many messages.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ranges.iter().map(ExactSizeIterator::len).sum()
    }

    /// No message at all (a UID set naming none that exist).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// The matched message numbers as a compact set (e.g. `1:4,9`), for
    /// ESEARCH or a MODIFIED code; `None` if empty.
    #[must_use]
    pub fn seq_set(&self) -> Option<SequenceSet> {
        set_from_ranges(self.seq_ranges())
    }

    /// The matched UIDs as a compact set (runs of consecutive UIDs become
    /// ranges), e.g. the source set of COPYUID (RFC 4315 §3); `None` if
    /// empty.
    #[must_use]
    pub fn uid_set(&self) -> Option<SequenceSet> {
        compact_uids(self.iter().map(|m| m.uid))
    }

    /// The matched message numbers as inclusive ranges (e.g. to write a
    /// response set without listing every number).
    pub fn seq_ranges(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.ranges
            .iter()
            .map(|r| (super::seq_u32(r.start + 1), super::seq_u32(r.end)))
    }
}

impl<'v> IntoIterator for &Resolved<'v> {
    type Item = MessageRef<'v>;
    type IntoIter = ResolvedIter<'v>;
    fn into_iter(self) -> ResolvedIter<'v> {
        self.iter()
    }
}

/// Iterator over [`Resolved`] messages.
#[derive(Debug, Clone)]
pub struct ResolvedIter<'v> {
    view: &'v MailboxView,
    ranges: std::vec::IntoIter<Range<usize>>,
    current: Range<usize>,
}

impl<'v> Iterator for ResolvedIter<'v> {
    type Item = MessageRef<'v>;

    #[inline]
    fn next(&mut self) -> Option<MessageRef<'v>> {
        loop {
            if let Some(i) = self.current.next() {
                return self.view.message_at(i);
            }
            self.current = self.ranges.next()?;
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.current.len()
            + self
                .ranges
                .as_slice()
                .iter()
                .map(ExactSizeIterator::len)
                .sum::<usize>();
        (n, Some(n))
    }
}

impl MailboxView {
    /// Resolves a message sequence set (FETCH, STORE, COPY, MOVE, SEARCH
    /// keys) in the client's current numbering, pending expunges included.
    ///
    /// `*` is the number of messages; ranges go either way (`4:2` = `2:4`).
    /// A number above the count, or `*` in an empty mailbox, is an error the
    /// server answers with a tagged BAD (RFC 9051 §9 `seq-number`). `$` is
    /// the saved SEARCH result (RFC 5182), restricted to messages that still
    /// have numbers.
    pub fn resolve_seq(&self, set: &SequenceSet) -> Result<Resolved<'_>, ViewError> {
        let exists = super::seq_u32(self.announced);
        let items = match set {
            SequenceSet::Saved => return Ok(self.resolve_uid_list(&self.saved)),
            SequenceSet::Items(items) => items,
        };
        let num = |n: SeqNumber| -> Result<u32, ViewError> {
            let v = match n {
                SeqNumber::Value(v) => v.get(),
                SeqNumber::Largest if exists == 0 => return Err(ViewError::EmptyMailbox),
                SeqNumber::Largest => exists,
            };
            if v > exists {
                return Err(ViewError::SeqOutOfRange { number: v, exists });
            }
            Ok(v)
        };
        if exists == 0 {
            // Name the `*` rule rather than the number when both apply.
            let star = items.iter().any(|it| match *it {
                SeqItem::Single(a) => a == SeqNumber::Largest,
                SeqItem::Range(a, b) => a == SeqNumber::Largest || b == SeqNumber::Largest,
            });
            if star {
                return Err(ViewError::EmptyMailbox);
            }
        }
        let mut v = Vec::with_capacity(items.len());
        for it in items.iter() {
            let (a, b) = match *it {
                SeqItem::Single(a) => (num(a)?, num(a)?),
                SeqItem::Range(a, b) => (num(a)?, num(b)?),
            };
            v.push((a.min(b), a.max(b)));
        }
        let ranges = normalize(v)
            .into_iter()
            .map(|(lo, hi)| (lo as usize - 1)..(hi as usize))
            .collect();
        Ok(Resolved { view: self, ranges })
    }

    /// Resolves a UID set (UID FETCH, UID STORE, UID COPY, UID MOVE, UID
    /// EXPUNGE, the UID search key). UIDs with no message are silently
    /// skipped (RFC 9051 §6.4.9: "A non-existent unique identifier is ignored
    /// without any error message generated"; RFC 3501 §6.4.8). `*` is the highest UID the client knows, or UIDNEXT
    /// in an empty mailbox (RFC 9051 §9), so `3291:*` includes the last
    /// message even if its UID is below 3291. `$` is the saved result.
    /// Never fails; messages not yet announced by EXISTS are not included.
    #[must_use]
    pub fn resolve_uid(&self, set: &SequenceSet) -> Resolved<'_> {
        let items = match set {
            SequenceSet::Saved => return self.resolve_uid_list(&self.saved),
            SequenceSet::Items(items) => items,
        };
        let head = self.announced_slots();
        let largest = head.last().map_or(self.uid_next, |s| s.uid);
        let v = items
            .iter()
            .map(|it| match *it {
                SeqItem::Single(a) => {
                    let a = a.resolve(largest);
                    (a, a)
                }
                SeqItem::Range(a, b) => {
                    let (a, b) = (a.resolve(largest), b.resolve(largest));
                    (a.min(b), a.max(b))
                }
            })
            .collect();
        let mut ranges: Vec<Range<usize>> = Vec::new();
        // The ranges ascend: search forward from the last end, galloping,
        // so many small items stay cache-local.
        let mut from = 0;
        for (lo, hi) in normalize(v) {
            let start = from + gallop(head.get(from..).unwrap_or(&[]), |s| s.uid < lo);
            let end = start + gallop(head.get(start..).unwrap_or(&[]), |s| s.uid <= hi);
            push_range(&mut ranges, start..end);
            from = end;
        }
        Resolved { view: self, ranges }
    }

    /// Resolves the `sequence-set` of a command that is a UID command or
    /// not: `uid` selects [`resolve_uid`](Self::resolve_uid).
    pub fn resolve(&self, set: &SequenceSet, uid: bool) -> Result<Resolved<'_>, ViewError> {
        if uid {
            Ok(self.resolve_uid(set))
        } else {
            self.resolve_seq(set)
        }
    }

    /// Sorted UIDs → ranges of the announced messages holding them.
    fn resolve_uid_list(&self, uids: &[u32]) -> Resolved<'_> {
        let head = self.announced_slots();
        let mut ranges: Vec<Range<usize>> = Vec::new();
        let mut from = 0;
        for &u in uids {
            let rest = head.get(from..).unwrap_or(&[]);
            match rest.binary_search_by_key(&u, |s| s.uid) {
                Ok(k) => {
                    let i = from + k;
                    push_range(&mut ranges, i..i + 1);
                    from = i + 1;
                }
                Err(k) => from += k,
            }
        }
        Resolved { view: self, ranges }
    }
}

/// The first index where `pred` turns false (`pred` holds on a prefix),
/// probing 1, 2, 4, ... before a binary search: O(log d) for an answer at
/// distance d.
fn gallop<T>(v: &[T], pred: impl Fn(&T) -> bool) -> usize {
    let mut bound = 1;
    while bound < v.len() && v.get(bound).is_some_and(&pred) {
        bound *= 2;
    }
    let lo = bound / 2;
    let hi = (bound + 1).min(v.len());
    lo + v.get(lo..hi).unwrap_or(&[]).partition_point(&pred)
}

/// Appends `r` (at or after the last range), merging when adjacent.
fn push_range(ranges: &mut Vec<Range<usize>>, r: Range<usize>) {
    if r.is_empty() {
        return;
    }
    match ranges.last_mut() {
        Some(last) if last.end >= r.start => last.end = last.end.max(r.end),
        _ => ranges.push(r),
    }
}

#[cfg(test)]
mod tests {
    use super::gallop;

    #[test]
    fn gallop_matches_partition_point() {
        for n in 0..40usize {
            let v: Vec<usize> = (0..n).collect();
            for cut in 0..=n + 1 {
                assert_eq!(
                    gallop(&v, |&x| x < cut),
                    v.partition_point(|&x| x < cut),
                    "{n} {cut}"
                );
            }
        }
    }
}
