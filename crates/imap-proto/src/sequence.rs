//! Sequence sets and UID sets, with `*` and the SEARCHRES `$` marker (RFC 9051 §9 sequence-set; RFC 5182).
//!
//! ```
//! use mailwire_imap_proto::sequence::SequenceSet;
//! let (set, used) = SequenceSet::parse(b"1:4,7,9:* ").unwrap();
//! assert_eq!(used, 9);
//! assert!(set.contains(3, 100));
//! assert!(set.contains(100, 100));
//! assert!(!set.contains(5, 100));
//! assert_eq!(set.to_string(), "1:4,7,9:*");
//! ```

use std::fmt;
use std::num::NonZeroU32;

use crate::error::{ParseError, finish};
use crate::primitive::{Encoder, PResult, Vec1, fail, nz_number, peek};

/// `seq-number`: a message number / UID, or `*` (the largest one in use).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SeqNumber {
    /// A non-zero number.
    Value(NonZeroU32),
    /// `*`.
    Largest,
}

impl SeqNumber {
    /// The number, with `*` standing for `largest`.
    #[must_use]
    pub fn resolve(self, largest: u32) -> u32 {
        match self {
            SeqNumber::Value(n) => n.get(),
            SeqNumber::Largest => largest,
        }
    }
}

impl fmt::Display for SeqNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SeqNumber::Value(n) => write!(f, "{n}"),
            SeqNumber::Largest => f.write_str("*"),
        }
    }
}

/// One element of a sequence set: a number or a range `a:b` (in either order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SeqItem {
    /// A single `seq-number`.
    Single(SeqNumber),
    /// `seq-range`: both ends included, in whatever order they were given.
    Range(SeqNumber, SeqNumber),
}

impl SeqItem {
    /// `true` if `n` is in this item, `*` standing for `largest`.
    #[must_use]
    pub fn contains(&self, n: u32, largest: u32) -> bool {
        match self {
            SeqItem::Single(a) => a.resolve(largest) == n,
            SeqItem::Range(a, b) => {
                let (a, b) = (a.resolve(largest), b.resolve(largest));
                let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
                (lo..=hi).contains(&n)
            }
        }
    }
}

impl fmt::Display for SeqItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SeqItem::Single(a) => write!(f, "{a}"),
            SeqItem::Range(a, b) => write!(f, "{a}:{b}"),
        }
    }
}

/// A `sequence-set`, or `$` (`seq-last-command`, RFC 5182: the result saved
/// by the last `SEARCH RETURN (SAVE)`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SequenceSet {
    /// Comma-separated numbers and ranges.
    Items(Vec1<SeqItem>),
    /// `$`.
    Saved,
}

impl SequenceSet {
    /// A set of one number.
    #[must_use]
    pub fn single(n: NonZeroU32) -> Self {
        SequenceSet::Items(Vec1::one(SeqItem::Single(SeqNumber::Value(n))))
    }

    /// A set of one range.
    #[must_use]
    pub fn range(a: SeqNumber, b: SeqNumber) -> Self {
        SequenceSet::Items(Vec1::one(SeqItem::Range(a, b)))
    }

    /// `1:*`.
    #[must_use]
    pub fn all() -> Self {
        SequenceSet::range(SeqNumber::Value(NonZeroU32::MIN), SeqNumber::Largest)
    }

    /// `true` if `n` is in the set (`false` for `$`, which the caller must resolve).
    #[must_use]
    pub fn contains(&self, n: u32, largest: u32) -> bool {
        match self {
            SequenceSet::Items(items) => items.iter().any(|i| i.contains(n, largest)),
            SequenceSet::Saved => false,
        }
    }

    /// Parses a sequence set at the start of `input`; it must be followed by
    /// something that is not part of it (the set's end is not the input's end).
    pub fn parse(input: &[u8]) -> Result<(SequenceSet, usize), ParseError> {
        finish(input, sequence_set(input))
    }

    /// Writes the set.
    pub fn write(&self, enc: &mut Encoder) {
        match self {
            SequenceSet::Saved => enc.raw(b"$"),
            SequenceSet::Items(items) => {
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        enc.raw(b",");
                    }
                    write_number(enc, it);
                }
            }
        }
    }
}

fn write_seq_number(enc: &mut Encoder, n: SeqNumber) {
    match n {
        SeqNumber::Value(v) => enc.number(u64::from(v.get())),
        SeqNumber::Largest => enc.raw(b"*"),
    }
}

fn write_number(enc: &mut Encoder, it: &SeqItem) {
    match *it {
        SeqItem::Single(a) => write_seq_number(enc, a),
        SeqItem::Range(a, b) => {
            write_seq_number(enc, a);
            enc.raw(b":");
            write_seq_number(enc, b);
        }
    }
}

impl fmt::Display for SequenceSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SequenceSet::Saved => f.write_str("$"),
            SequenceSet::Items(items) => {
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{it}")?;
                }
                Ok(())
            }
        }
    }
}

/// `seq-number`.
pub fn seq_number(input: &[u8]) -> PResult<'_, SeqNumber> {
    match peek(input)? {
        (_, b'*') => Ok((&input[1..], SeqNumber::Largest)),
        (_, b'0'..=b'9') => {
            let (r, n) = nz_number(input)?;
            Ok((r, SeqNumber::Value(n)))
        }
        _ => fail(input, "sequence number"),
    }
}

fn seq_item(input: &[u8]) -> PResult<'_, SeqItem> {
    let (r, a) = seq_number(input)?;
    match peek(r)? {
        (_, b':') => {
            let (r, b) = seq_number(&r[1..])?;
            Ok((r, SeqItem::Range(a, b)))
        }
        _ => Ok((r, SeqItem::Single(a))),
    }
}

/// The most items a parsed sequence set may have.
pub const MAX_SEQUENCE_ITEMS: usize = 100_000;

/// `sequence-set` / `$`.
pub fn sequence_set(input: &[u8]) -> PResult<'_, SequenceSet> {
    if let (_, b'$') = peek(input)? {
        return Ok((&input[1..], SequenceSet::Saved));
    }
    let (mut r, first) = match seq_item(input) {
        Err(nom::Err::Error(_)) => return fail(input, "sequence set"),
        other => other?,
    };
    let mut items = vec![first];
    while let (_, b',') = peek(r)? {
        if items.len() >= MAX_SEQUENCE_ITEMS {
            return Err(nom::Err::Failure(crate::error::NomError::limit(
                r,
                "too many sequence set items",
            )));
        }
        let (r2, it) = seq_item(&r[1..])?;
        items.push(it);
        r = r2;
    }
    match Vec1::new(items) {
        Some(v) => Ok((r, SequenceSet::Items(v))),
        None => fail(input, "sequence set"),
    }
}

/// `uid-set` (RFC 4315, RFC 9051 `uid-set`): like a sequence set but no `*`
/// and no `$`; used in response codes (APPENDUID, COPYUID) and VANISHED.
pub fn uid_set(input: &[u8]) -> PResult<'_, Vec1<SeqItem>> {
    let (r, s) = sequence_set(input)?;
    match s {
        SequenceSet::Items(items)
            if items.iter().all(|i| match i {
                SeqItem::Single(a) => *a != SeqNumber::Largest,
                SeqItem::Range(a, b) => *a != SeqNumber::Largest && *b != SeqNumber::Largest,
            }) =>
        {
            Ok((r, items))
        }
        _ => fail(input, "uid set without * or $"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn parse_and_write() {
        for s in ["1", "*", "1:*", "2,4:7,9,12:*", "*:4", "$", "4294967295"] {
            let input = format!("{s} ");
            let (set, n) = SequenceSet::parse(input.as_bytes()).unwrap();
            assert_eq!(n, s.len());
            assert_eq!(set.to_string(), s);
            let mut e = Encoder::default();
            set.write(&mut e);
            assert_eq!(e.as_bytes(), s.as_bytes());
        }
    }

    #[test]
    fn errors_and_prefixes() {
        assert!(SequenceSet::parse(b"0 ").is_err());
        assert!(SequenceSet::parse(b"1: ").is_err());
        assert!(
            SequenceSet::parse(b"x")
                .unwrap_err()
                .to_string()
                .contains("sequence set")
        );
        assert!(SequenceSet::parse(b"1:").unwrap_err().is_incomplete());
        assert!(SequenceSet::parse(b"1,").unwrap_err().is_incomplete());
        assert!(SequenceSet::parse(b"12").unwrap_err().is_incomplete());
    }

    #[test]
    fn membership() {
        let (s, _) = SequenceSet::parse(b"*:4,1 ").unwrap();
        assert!(s.contains(4, 10) && s.contains(10, 10) && s.contains(1, 10));
        assert!(!s.contains(2, 10));
        assert!(uid_set(b"1:* ").is_err());
        assert!(uid_set(b"1:3,5 ").is_ok());
    }
}
