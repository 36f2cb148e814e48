//! SELECT/EXAMINE response data, QRESYNC resynchronization (RFC 7162
//! §3.2.5), VANISHED (EARLIER), and the CONDSTORE UNCHANGEDSINCE test
//! (RFC 7162 §3.1.3).

use std::borrow::Cow;
use std::ops::RangeInclusive;

use super::uidset::{compact_uids, normalize, set_from_ranges};
use super::{MailboxView, MessageRef, Resolved, ViewError};
use crate::code::Code;
use crate::command::SelectParam;
use crate::flag::{Flag, FlagPerm};
use crate::response::{Data, FetchItem, Response, Status, StatusKind};
use crate::sequence::{SeqItem, SeqNumber, SequenceSet};

/// What SELECT/EXAMINE announce besides the view's own numbers.
///
/// `Default` gives the five system flags for FLAGS and PERMANENTFLAGS with
/// `\*` (new keywords allowed), as a read-write SELECT would. For EXAMINE
/// (read-only) use an empty PERMANENTFLAGS list (RFC 9051 §6.3.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectOptions {
    /// The `FLAGS` response: the flags defined in the mailbox.
    pub flags: Vec<Flag<'static>>,
    /// The `[PERMANENTFLAGS ...]` code; `None` leaves it out (RFC 9051
    /// §7.1: then the client assumes every flag can be changed permanently).
    pub permanent_flags: Option<Vec<FlagPerm<'static>>>,
}

impl Default for SelectOptions {
    fn default() -> Self {
        let flags = vec![
            Flag::Answered,
            Flag::Flagged,
            Flag::Deleted,
            Flag::Seen,
            Flag::Draft,
        ];
        let mut perm: Vec<FlagPerm<'static>> = flags.iter().cloned().map(FlagPerm::Flag).collect();
        perm.push(FlagPerm::Any);
        SelectOptions {
            flags,
            permanent_flags: Some(perm),
        }
    }
}

/// The QRESYNC parameter of SELECT/EXAMINE (RFC 7162 §3.2.5), borrowed from
/// a parsed [`SelectParam::QResync`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Qresync<'p> {
    /// The client's last known UIDVALIDITY.
    pub uid_validity: u32,
    /// The client's last known mod-sequence.
    pub mod_seq: u64,
    /// The UIDs the client knows (`None`: `1:<UIDNEXT-1>`).
    pub known_uids: Option<&'p SequenceSet>,
    /// `seq-match-data`: message numbers and their UIDs (RFC 7162 §3.2.5.2).
    pub seq_match: Option<(&'p SequenceSet, &'p SequenceSet)>,
}

impl<'p> Qresync<'p> {
    /// The parameter if `param` is QRESYNC.
    #[must_use]
    pub fn from_param(param: &'p SelectParam<'_>) -> Option<Self> {
        match param {
            SelectParam::QResync {
                uid_validity,
                mod_seq,
                known_uids,
                seq_match,
            } => Some(Qresync {
                uid_validity: uid_validity.get(),
                mod_seq: mod_seq.get(),
                known_uids: known_uids.as_ref(),
                seq_match: seq_match.as_ref().map(|(a, b)| (a, b)),
            }),
            _ => None,
        }
    }
}

/// What the store remembers about expunges, for VANISHED (EARLIER).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExpungeHistory<'h> {
    /// Nothing (or not back to the client's mod-sequence): every UID the
    /// client names that has no message is reported (RFC 7162 §3.2.6: a
    /// server that doesn't remember "MUST behave as if it was requested to
    /// report all expunged messages from the provided UID set").
    Unknown,
    /// The UIDs expunged with a mod-sequence above the client's, any order.
    Since(&'h [u32]),
}

impl MailboxView {
    /// The untagged responses of a successful SELECT or EXAMINE, in the
    /// order of the RFC 7162 §3.1.2.1 example: `EXISTS`; IMAP4rev1 `RECENT`
    /// and `OK [UNSEEN n]`; `OK [UIDVALIDITY]`, `OK [UIDNEXT]`, `FLAGS`,
    /// `OK [PERMANENTFLAGS]`; with CONDSTORE `OK [HIGHESTMODSEQ]` or
    /// `OK [NOMODSEQ]` (RFC 7162 §3.1.2). The server adds the rest: the
    /// IMAP4rev2 `LIST` (RFC 9051 §6.3.1), `OK [CLOSED]` first when a
    /// mailbox was selected before (RFC 7162 §3.2.11), the QRESYNC data
    /// ([`Self::qresync_responses`]) after, and the tagged
    /// `OK [READ-WRITE]`/`[READ-ONLY]`.
    ///
    /// ```
    /// use mailwire_imap_proto::view::{SelectOptions, ViewBuilder};
    /// let view = ViewBuilder::new(3857529045, 4392).condstore(true).build();
    /// let lines: Vec<String> = view
    ///     .select_responses(&SelectOptions::default())
    ///     .iter()
    ///     .map(|r| {
    ///         let mut e = mailwire_imap_proto::primitive::Encoder::default();
    ///         r.write(&mut e);
    ///         String::from_utf8(e.as_bytes().to_vec()).unwrap()
    ///     })
    ///     .collect();
    /// assert_eq!(lines[0], "* 0 EXISTS\r\n");
    /// assert_eq!(lines[1], "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n");
    /// ```
    #[must_use]
    pub fn select_responses(&self, opts: &SelectOptions) -> Vec<Response<'static>> {
        let mut out = Vec::with_capacity(9);
        out.push(Response::Data(Data::Exists(self.exists())));
        if self.imap4rev1 {
            out.push(Response::Data(Data::Recent(self.recent_count())));
            if let Some(n) = self.first_unseen() {
                out.push(ok(Code::Unseen(n), format!("Message {n} is first unseen")));
            }
        }
        out.push(ok(
            Code::UidValidity(self.uid_validity),
            "UIDs valid".into(),
        ));
        out.push(ok(
            Code::UidNext(self.uid_next),
            "Predicted next UID".into(),
        ));
        out.push(Response::Data(Data::Flags(opts.flags.clone())));
        if let Some(p) = &opts.permanent_flags {
            let text = if p.contains(&FlagPerm::Any) {
                "Flags permitted"
            } else {
                "Limited"
            };
            out.push(ok(Code::PermanentFlags(p.clone()), text.into()));
        }
        if self.condstore {
            out.push(self.highest_modseq_response());
        }
        out
    }

    /// `* OK [HIGHESTMODSEQ n]`, or `* OK [NOMODSEQ]` for a mailbox without
    /// mod-sequences (RFC 7162 §3.1.2). Also what the first CONDSTORE
    /// enabling command with a mailbox selected must send (RFC 7162 §3.1).
    /// The value is at least 1 (`mod-sequence-value` is non-zero).
    #[must_use]
    pub fn highest_modseq_response(&self) -> Response<'static> {
        if self.mod_seq_supported {
            ok(
                Code::HighestModSeq(self.highest_modseq.max(1)),
                "Highest".into(),
            )
        } else {
            ok(
                Code::NoModSeq,
                "Sorry, this mailbox format doesn't support modsequences".into(),
            )
        }
    }

    /// The QRESYNC part of SELECT/EXAMINE (RFC 7162 §3.2.5): `VANISHED
    /// (EARLIER)` for the client's known UIDs that are gone, then one
    /// `FETCH (UID FLAGS MODSEQ)` per known message changed since the
    /// client's mod-sequence. Empty if UIDVALIDITY differs or the mailbox
    /// keeps no mod-sequences (§3.2.5, §3.2.5.1). Sequence match data
    /// (§3.2.5.2) limits VANISHED to UIDs above the last matching pair.
    ///
    /// Errors (the server answers BAD): `*` or `$` in a set, or match sets of
    /// different sizes.
    pub fn qresync_responses(
        &self,
        q: &Qresync<'_>,
        history: ExpungeHistory<'_>,
    ) -> Result<Vec<Data<'static>>, ViewError> {
        let known = match q.known_uids {
            Some(set) => Some(plain_ranges(set, "known-uids")?),
            None => None,
        };
        let seq_match = match q.seq_match {
            Some((s, u)) => Some((
                plain_ranges(s, "known-sequence-set")?,
                plain_ranges(u, "known-uid-set")?,
            )),
            None => None,
        };
        if let Some((s, u)) = &seq_match {
            let (ns, nu) = (count(s), count(u));
            if ns != nu {
                return Err(ViewError::SeqMatchLength { seqs: ns, uids: nu });
            }
        }
        let mut out = Vec::new();
        if q.uid_validity != self.uid_validity || !self.mod_seq_supported {
            return Ok(out);
        }
        let known = match known {
            Some(k) => normalize(k),
            // RFC 7162 §3.2.5.1: "as if the client has specified
            // 1:<maxuid>", maxuid = UIDNEXT - 1; an empty set if that is 0.
            None if self.uid_next > 1 => vec![(1, self.uid_next - 1)],
            None => Vec::new(),
        };
        let min_uid = match &seq_match {
            Some((s, u)) => self.seq_match_floor(s, u),
            None => 1,
        };
        if let Some(uids) = self.vanished_in(&known, min_uid, history) {
            out.push(Data::Vanished {
                earlier: true,
                uids,
            });
        }
        let head = self.announced_slots();
        for &(lo, hi) in &known {
            let start = head.partition_point(|s| s.uid < lo);
            let end = head.partition_point(|s| s.uid <= hi);
            for i in start..end {
                let Some(s) = head.get(i) else { break };
                if s.modseq > q.mod_seq && s.bits & super::EXPUNGED == 0 {
                    out.push(Data::Fetch {
                        seq: super::seq_u32(i + 1),
                        items: vec![
                            FetchItem::Uid(s.uid),
                            FetchItem::Flags(self.fetch_flags(s)),
                            FetchItem::ModSeq(s.modseq),
                        ],
                    });
                }
            }
        }
        Ok(out)
    }

    /// `VANISHED (EARLIER)` for `UID FETCH uid-set (...) (CHANGEDSINCE m
    /// VANISHED)` (RFC 7162 §3.2.6): the UIDs of `uid_set` (`*` as in
    /// [`Self::resolve_uid`]) that have no message and are not above UIDNEXT,
    /// restricted to `history`. Messages whose expunge is still pending are
    /// not included: the coming `VANISHED` reports them. Send it before the
    /// FETCH responses.
    #[must_use]
    pub fn vanished_earlier(
        &self,
        uid_set: &SequenceSet,
        history: ExpungeHistory<'_>,
    ) -> Option<Data<'static>> {
        let SequenceSet::Items(items) = uid_set else {
            return None;
        };
        let largest = self
            .announced_slots()
            .last()
            .map_or(self.uid_next, |s| s.uid);
        let known = normalize(
            items
                .iter()
                .map(|it| {
                    let (a, b) = item_bounds(it, largest);
                    (a.min(b), a.max(b))
                })
                .collect(),
        );
        self.vanished_in(&known, 1, history)
            .map(|uids| Data::Vanished {
                earlier: true,
                uids,
            })
    }

    /// The UIDs in `known` (normalized), at least `min_uid` and below
    /// UIDNEXT, with no message in the view, within `history`.
    fn vanished_in(
        &self,
        known: &[(u32, u32)],
        min_uid: u32,
        history: ExpungeHistory<'_>,
    ) -> Option<SequenceSet> {
        let max_uid = self.uid_next.saturating_sub(1);
        let slots = &self.slots;
        let clipped = known
            .iter()
            .map(|&(lo, hi)| (lo.max(min_uid).max(1), hi.min(max_uid)))
            .filter(|&(lo, hi)| lo <= hi);
        match history {
            ExpungeHistory::Unknown => {
                let mut gaps: Vec<(u32, u32)> = Vec::new();
                for (lo, hi) in clipped {
                    let start = slots.partition_point(|s| s.uid < lo);
                    let mut cur = u64::from(lo);
                    for s in slots.get(start..).unwrap_or(&[]) {
                        if s.uid > hi {
                            break;
                        }
                        if u64::from(s.uid) > cur {
                            gaps.push((narrow(cur), s.uid - 1));
                        }
                        cur = u64::from(s.uid) + 1;
                    }
                    if cur <= u64::from(hi) {
                        gaps.push((narrow(cur), hi));
                    }
                }
                set_from_ranges(gaps)
            }
            ExpungeHistory::Since(uids) => {
                let ranges: Vec<(u32, u32)> = clipped.collect();
                let mut v: Vec<u32> = uids
                    .iter()
                    .copied()
                    .filter(|&u| {
                        let k = ranges.partition_point(|r| r.1 < u);
                        ranges.get(k).is_some_and(|r| r.0 <= u)
                            && slots.binary_search_by_key(&u, |s| s.uid).is_err()
                    })
                    .collect();
                v.sort_unstable();
                v.dedup();
                compact_uids(v)
            }
        }
    }

    /// RFC 7162 §3.2.5.2: walks the (message number, UID) pairs while they
    /// match the mailbox (and ascend); the lowest UID VANISHED may report
    /// is one above the last matching UID.
    fn seq_match_floor(&self, seqs: &[(u32, u32)], uids: &[(u32, u32)]) -> u32 {
        let mut floor = 1;
        let mut last = (0, 0);
        for (s, u) in expand(seqs).zip(expand(uids)) {
            if s <= last.0 || u <= last.1 || self.uid(s) != Some(u) {
                break;
            }
            last = (s, u);
            floor = u.saturating_add(1);
        }
        floor
    }

    /// `[MODIFIED set]` for `STORE`/`UID STORE ... (UNCHANGEDSINCE n)` (RFC
    /// 7162 §3.1.3): the message numbers (or UIDs when `uid`) among
    /// `resolved` whose mod-sequence is above `unchanged_since`. Messages
    /// whose expunge is pending are left out (RFC 7162 §3.1.3 example 11:
    /// the server answers NO for them). Apply the STORE to the messages for
    /// which [`MessageRef::unchanged_since`] holds.
    ///
    /// The store must perform the test again atomically: this view only
    /// knows the mod-sequences it was told about.
    #[must_use]
    pub fn modified_set(
        &self,
        resolved: &Resolved<'_>,
        unchanged_since: u64,
        uid: bool,
    ) -> Option<SequenceSet> {
        compact_uids(
            resolved
                .iter()
                .filter(|m| !m.expunged && m.modseq > unchanged_since)
                .map(|m| if uid { m.uid } else { m.seq }),
        )
    }
}

impl MessageRef<'_> {
    /// Whether `STORE ... (UNCHANGEDSINCE n)` may change this message (RFC
    /// 7162 §3.1.3): not expunged and its mod-sequence is at most `n`. With
    /// `n` = 0 this is always `false` for a mailbox with mod-sequences.
    #[must_use]
    pub fn unchanged_since(&self, n: u64) -> bool {
        !self.expunged && self.modseq <= n && self.modseq != 0
    }
}

fn ok(code: Code<'static>, text: String) -> Response<'static> {
    Response::Status(Status {
        tag: None,
        kind: StatusKind::Ok,
        code: Some(code),
        text: Cow::Owned(text.into_bytes()),
    })
}

fn item_bounds(it: &SeqItem, largest: u32) -> (u32, u32) {
    match *it {
        SeqItem::Single(a) => {
            let a = a.resolve(largest);
            (a, a)
        }
        SeqItem::Range(a, b) => (a.resolve(largest), b.resolve(largest)),
    }
}

/// The items of a set without `*` or `$`, as ascending inclusive ranges in
/// the given order.
fn plain_ranges(set: &SequenceSet, what: &'static str) -> Result<Vec<(u32, u32)>, ViewError> {
    let SequenceSet::Items(items) = set else {
        return Err(ViewError::QresyncStar { what });
    };
    items
        .iter()
        .map(|it| match *it {
            SeqItem::Single(SeqNumber::Value(a)) => Ok((a.get(), a.get())),
            SeqItem::Range(SeqNumber::Value(a), SeqNumber::Value(b)) => {
                Ok((a.get().min(b.get()), a.get().max(b.get())))
            }
            _ => Err(ViewError::QresyncStar { what }),
        })
        .collect()
}

fn count(ranges: &[(u32, u32)]) -> u64 {
    ranges.iter().map(|&(lo, hi)| u64::from(hi - lo) + 1).sum()
}

fn expand(ranges: &[(u32, u32)]) -> impl Iterator<Item = u32> + '_ {
    ranges
        .iter()
        .flat_map(|&(lo, hi)| RangeInclusive::new(lo, hi))
}

fn narrow(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
