//! The selected-mailbox view of one session: UID ↔ sequence number map,
//! pending expunges and flag changes, CONDSTORE/QRESYNC bookkeeping, and
//! sequence-set resolution.
//!
//! A [`MailboxView`] is plain data, one per session with a selected mailbox.
//! The application builds it from its store's snapshot ([`ViewBuilder`]),
//! then tells it about every change to the mailbox — made by other sessions
//! or by this one: [`MailboxView::append`], [`MailboxView::set_flags`],
//! [`MailboxView::expunge`]. The view keeps the *client's* numbering: a
//! message expunged elsewhere keeps its sequence number until the EXPUNGE
//! (or VANISHED) response may be sent, and a new message has no number until
//! EXISTS announces it. [`MailboxView::take_updates`] returns the untagged
//! responses to send now, and only then renumbers.
//!
//! Rules it follows:
//! - EXPUNGE is sent only when the server says it may be (RFC 9051 §7.5.1 /
//!   RFC 3501 §7.4.1: not while no command is in progress, not during FETCH,
//!   STORE or SEARCH), highest number first so each number is the one the
//!   client currently holds; with QRESYNC enabled one `VANISHED` replaces
//!   them (RFC 7162 §3.2.10.2). Messages never announced by EXISTS are never
//!   reported expunged (RFC 7162 §3.2.10.2 "MUST NOT send UIDs for ... messages
//!   that were not announced to the client via EXISTS").
//! - EXISTS may be sent when expunges may not; its count then still includes
//!   the messages whose expunge is pending, since the client counts them.
//! - Flag changes from other sessions become `FETCH (UID n FLAGS (..) MODSEQ
//!   (m))`, with UID and MODSEQ once CONDSTORE is enabled (RFC 7162 §3.1,
//!   §3.2.4), `\Recent` in FLAGS for IMAP4rev1.
//!
//! ```
//! use mailwire_imap_proto::flag::Flag;
//! use mailwire_imap_proto::response::Data;
//! use mailwire_imap_proto::sequence::SequenceSet;
//! use mailwire_imap_proto::view::ViewBuilder;
//!
//! let mut b = ViewBuilder::new(42, 20);
//! for uid in [10, 11, 12] {
//!     b.push(uid, &[Flag::Seen], 1, false).unwrap();
//! }
//! let mut view = b.build();
//! // Another session expunges UID 11 and delivers UID 20.
//! view.expunge(&[11]);
//! view.append(20, &[], 2, true).unwrap();
//! // During FETCH no EXPUNGE may be sent: only EXISTS, old numbering kept.
//! assert_eq!(view.take_updates(false), vec![Data::Exists(4)]);
//! let (set, _) = SequenceSet::parse(b"2:* ").unwrap();
//! let uids: Vec<u32> = view.resolve_seq(&set).unwrap().iter().map(|m| m.uid).collect();
//! assert_eq!(uids, [11, 12, 20]);
//! // At the next NOOP the expunge goes out and the numbers shift.
//! assert_eq!(view.take_updates(true), vec![Data::Expunge(2)]);
//! assert_eq!(view.uid(2), Some(12));
//! ```

mod flags;
mod resolve;
mod select;
mod uidset;

use crate::datetime::DateTime;
use crate::flag::{Flag, FlagFetch};
use crate::message::MessageMeta;
use crate::response::{Data, FetchItem};

use flags::FlagTable;
pub use resolve::{Resolved, ResolvedIter};
pub use select::{ExpungeHistory, Qresync, SelectOptions};
pub use uidset::{compact_sorted, compact_uids, copy_uid_sets};

/// Errors of the view: a command referring to messages the client cannot
/// name (the server answers BAD), or an application misusing the view.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ViewError {
    /// A message sequence number above the number of messages the client
    /// knows. RFC 9051 §9 (`seq-number`): "The server should respond with a
    /// tagged BAD response to a command that uses a message sequence number
    /// greater than the number of messages in the selected mailbox."
    #[error("message sequence number {number} is greater than the number of messages ({exists})")]
    SeqOutOfRange {
        /// The number used.
        number: u32,
        /// The number of messages in the client's view.
        exists: u32,
    },
    /// `*` as a message sequence number in an empty mailbox (RFC 9051 §9:
    /// the BAD rule "includes `*` if the selected mailbox is empty").
    #[error("* used as a message number in an empty mailbox")]
    EmptyMailbox,
    /// The application added a UID that is 0 or not above every UID the view
    /// already holds (UIDs are strictly ascending, RFC 9051 §2.3.1.1).
    #[error("uid {uid} is not above the highest uid {highest}")]
    UidNotAscending {
        /// The UID given.
        uid: u32,
        /// The highest UID already in the view (0 if none).
        highest: u32,
    },
    /// A QRESYNC parameter holds `*` or `$` where RFC 7162 §4 forbids them.
    #[error("QRESYNC {what} must not contain * or $")]
    QresyncStar {
        /// Which parameter.
        what: &'static str,
    },
    /// The two sets of QRESYNC `seq-match-data` have different sizes
    /// (RFC 7162 §3.2.5.2: they correspond one to one).
    #[error("QRESYNC sequence match sets differ in size ({seqs} numbers, {uids} uids)")]
    SeqMatchLength {
        /// Size of the message number set.
        seqs: u64,
        /// Size of the UID set.
        uids: u64,
    },
}

impl ViewError {
    /// Whether the client caused it (answer the command with a tagged BAD
    /// carrying the error's text), as opposed to the application misusing
    /// the view ([`ViewError::UidNotAscending`]).
    #[must_use]
    pub fn is_client_error(&self) -> bool {
        !matches!(self, ViewError::UidNotAscending { .. })
    }
}

const EXPUNGED: u8 = 1;
const DIRTY: u8 = 2;
const RECENT: u8 = 4;
const DROP: u8 = 8;

/// One message slot. 24 bytes.
#[derive(Debug, Clone, Copy)]
struct Slot {
    uid: u32,
    flags: u32,
    modseq: u64,
    bits: u8,
}

/// One message as the view sees it, numbered in the client's current view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct MessageRef<'v> {
    /// The message sequence number the client currently uses.
    pub seq: u32,
    /// The UID.
    pub uid: u32,
    /// The per-message mod-sequence (0 if the mailbox keeps none).
    pub modseq: u64,
    /// Expunged by some session, but the client has not been told yet (RFC
    /// 2180 §4.1: a FETCH may still return its data, or answer NO).
    pub expunged: bool,
    /// `\Recent` for this session.
    pub recent: bool,
    /// The stored flags (without `\Recent`).
    pub flags: &'v [Flag<'static>],
}

impl<'v> MessageRef<'v> {
    /// The metadata the FETCH renderer and SEARCH evaluator take
    /// ([`crate::render`], [`crate::query`]), with the INTERNALDATE the view
    /// does not keep.
    #[must_use]
    pub fn meta(&self, internal_date: DateTime) -> MessageMeta<'v> {
        MessageMeta {
            seq: self.seq,
            uid: self.uid,
            flags: self.flags,
            recent: self.recent,
            internal_date,
            modseq: self.modseq,
        }
    }
}

/// Builds a [`MailboxView`] from a store snapshot.
#[derive(Debug, Clone)]
pub struct ViewBuilder {
    view: MailboxView,
}

impl ViewBuilder {
    /// Starts a view of a mailbox with this UIDVALIDITY and UIDNEXT.
    #[must_use]
    pub fn new(uid_validity: u32, uid_next: u32) -> Self {
        ViewBuilder {
            view: MailboxView {
                slots: Vec::new(),
                announced: 0,
                pending_expunges: 0,
                dirty: 0,
                flags: FlagTable::default(),
                uid_validity,
                uid_next,
                highest_modseq: 0,
                mod_seq_supported: true,
                imap4rev1: false,
                condstore: false,
                qresync: false,
                saved: Vec::new(),
            },
        }
    }

    /// Reserves room for `n` messages.
    #[must_use]
    pub fn with_capacity(mut self, n: usize) -> Self {
        self.view.slots.reserve(n);
        self
    }

    /// Adds the next message of the snapshot: UIDs must be strictly
    /// ascending. `recent` is this session's `\Recent` (IMAP4rev1).
    pub fn push(
        &mut self,
        uid: u32,
        flags: &[Flag<'_>],
        modseq: u64,
        recent: bool,
    ) -> Result<(), ViewError> {
        self.view.push_slot(uid, flags, modseq, recent)
    }

    /// The mailbox's HIGHESTMODSEQ, if the store knows one above every
    /// message's mod-sequence (expunges raise it too). Defaults to the
    /// highest per-message value.
    #[must_use]
    pub fn highest_modseq(mut self, modseq: u64) -> Self {
        self.view.highest_modseq = self.view.highest_modseq.max(modseq);
        self
    }

    /// The mailbox keeps no mod-sequences: SELECT reports `NOMODSEQ`
    /// (RFC 7162 §3.1.2.2), QRESYNC parameters are ignored (§3.2.5.1) and
    /// expunges are EXPUNGE even with QRESYNC enabled (§3.2.10.2).
    #[must_use]
    pub fn no_mod_seq(mut self) -> Self {
        self.view.mod_seq_supported = false;
        self
    }

    /// The session speaks IMAP4rev1: RECENT responses, `\Recent` in FLAGS,
    /// `[UNSEEN n]` on SELECT. (IMAP4rev2 drops all three, RFC 9051 App. E.)
    #[must_use]
    pub fn imap4rev1(mut self, yes: bool) -> Self {
        self.view.imap4rev1 = yes;
        self
    }

    /// CONDSTORE is enabled (e.g. SELECT ... (CONDSTORE) or ENABLE
    /// CONDSTORE before SELECT).
    #[must_use]
    pub fn condstore(mut self, yes: bool) -> Self {
        self.view.condstore = yes || self.view.qresync;
        self
    }

    /// QRESYNC is enabled (`ENABLE QRESYNC`); implies CONDSTORE.
    #[must_use]
    pub fn qresync(mut self, yes: bool) -> Self {
        self.view.qresync = yes;
        self.view.condstore |= yes;
        self
    }

    /// The view: every message of the snapshot is known to the client (the
    /// SELECT responses announce them).
    #[must_use]
    pub fn build(mut self) -> MailboxView {
        self.view.announced = self.view.slots.len();
        self.view
    }
}

/// The selected mailbox as one session sees it. See the [module
/// documentation](self).
#[derive(Debug, Clone)]
pub struct MailboxView {
    /// Ascending UIDs. `slots[..announced]` are numbered for the client
    /// (seq = index + 1); the rest arrived but were not announced yet.
    slots: Vec<Slot>,
    announced: usize,
    /// Slots in `..announced` with `EXPUNGED`.
    pending_expunges: usize,
    /// Slots in `..announced` with `DIRTY`.
    dirty: usize,
    flags: FlagTable,
    uid_validity: u32,
    uid_next: u32,
    highest_modseq: u64,
    mod_seq_supported: bool,
    imap4rev1: bool,
    condstore: bool,
    qresync: bool,
    /// The SEARCHRES saved result (RFC 5182), as sorted UIDs so expunges
    /// drop out of it by themselves.
    saved: Vec<u32>,
}

impl MailboxView {
    // -- changes -----------------------------------------------------------

    /// A new message in the mailbox (delivered, appended, copied or moved in,
    /// by any session). Its UID must be above every UID in the view. It is
    /// announced by the next [`take_updates`](Self::take_updates).
    pub fn append(
        &mut self,
        uid: u32,
        flags: &[Flag<'_>],
        modseq: u64,
        recent: bool,
    ) -> Result<(), ViewError> {
        self.push_slot(uid, flags, modseq, recent)
    }

    fn push_slot(
        &mut self,
        uid: u32,
        flags: &[Flag<'_>],
        modseq: u64,
        recent: bool,
    ) -> Result<(), ViewError> {
        let highest = self.slots.last().map_or(0, |s| s.uid);
        if uid == 0 || uid <= highest {
            return Err(ViewError::UidNotAscending { uid, highest });
        }
        let flags = self.flags.intern(flags);
        let modseq = if self.mod_seq_supported { modseq } else { 0 };
        self.slots.push(Slot {
            uid,
            flags,
            modseq,
            bits: if recent { RECENT } else { 0 },
        });
        self.uid_next = self.uid_next.max(uid.saturating_add(1));
        self.highest_modseq = self.highest_modseq.max(modseq);
        Ok(())
    }

    /// Another session changed the flags of `uid` (now `flags`, with the new
    /// `modseq`). The change is announced by the next
    /// [`take_updates`](Self::take_updates) as an unsolicited FETCH. Returns
    /// `false` if the view doesn't hold `uid` (already expunged: ignored).
    pub fn set_flags(&mut self, uid: u32, flags: &[Flag<'_>], modseq: u64) -> bool {
        self.update_flags(uid, flags, modseq, true)
    }

    /// This session changed the flags of `uid` itself (STORE, or FETCH
    /// setting `\Seen`). With `reported` the server's own response carries
    /// the new FLAGS, so any pending announcement for the message is
    /// dropped; without it (`.SILENT`) a pending change from another session
    /// is still announced later. Returns `false` if the view doesn't hold
    /// `uid`.
    pub fn store_own(&mut self, uid: u32, flags: &[Flag<'_>], modseq: u64, reported: bool) -> bool {
        let found = self.update_flags(uid, flags, modseq, false);
        if found
            && reported
            && let Some(i) = self.index_of(uid)
            && let Some(s) = self.slots.get_mut(i)
            && s.bits & DIRTY != 0
        {
            s.bits &= !DIRTY;
            self.dirty -= 1;
        }
        found
    }

    fn update_flags(&mut self, uid: u32, flags: &[Flag<'_>], modseq: u64, announce: bool) -> bool {
        let Some(i) = self.index_of(uid) else {
            return false;
        };
        let f = self.flags.intern(flags);
        let modseq = if self.mod_seq_supported { modseq } else { 0 };
        self.highest_modseq = self.highest_modseq.max(modseq);
        let announced = i < self.announced;
        let Some(s) = self.slots.get_mut(i) else {
            return false;
        };
        if s.bits & EXPUNGED != 0 {
            return false;
        }
        if s.flags == f && modseq <= s.modseq {
            // Nothing the client could see changed.
            return true;
        }
        s.flags = f;
        s.modseq = s.modseq.max(modseq);
        if announce && announced && s.bits & DIRTY == 0 {
            s.bits |= DIRTY;
            self.dirty += 1;
        }
        true
    }

    /// Messages removed from the mailbox (by any session, including this
    /// one's EXPUNGE, UID EXPUNGE, MOVE or CLOSE). Messages the client
    /// knows keep their number until [`take_updates`](Self::take_updates)
    /// may announce the expunge; messages it never heard of vanish at once.
    /// Unknown UIDs are ignored. Returns how many messages were affected.
    /// O(k log n + unannounced) for k UIDs.
    pub fn expunge(&mut self, uids: &[u32]) -> usize {
        let mut n = 0;
        let mut drop_new = false;
        for &uid in uids {
            let Some(i) = self.index_of(uid) else {
                continue;
            };
            let announced = i < self.announced;
            let Some(s) = self.slots.get_mut(i) else {
                continue;
            };
            if s.bits & (EXPUNGED | DROP) != 0 {
                continue;
            }
            n += 1;
            if announced {
                s.bits |= EXPUNGED;
                self.pending_expunges += 1;
                if s.bits & DIRTY != 0 {
                    s.bits &= !DIRTY;
                    self.dirty -= 1;
                }
            } else {
                s.bits |= DROP;
                drop_new = true;
            }
        }
        if drop_new {
            let tail = self.slots.split_off(self.announced.min(self.slots.len()));
            self.slots
                .extend(tail.into_iter().filter(|s| s.bits & DROP == 0));
        }
        n
    }

    /// Raises HIGHESTMODSEQ (an expunge or another change the view has no
    /// message for got a new mod-sequence).
    pub fn note_modseq(&mut self, modseq: u64) {
        if self.mod_seq_supported {
            self.highest_modseq = self.highest_modseq.max(modseq);
        }
    }

    /// Raises UIDNEXT (the store allocated UIDs, e.g. for messages expunged
    /// before this view heard of them).
    pub fn note_uid_next(&mut self, uid_next: u32) {
        self.uid_next = self.uid_next.max(uid_next);
    }

    /// Clears `\Recent` for this session's view of `uid` (IMAP4rev1 keeps
    /// it for the session's life; a server may still clear it, e.g. on
    /// CLOSE semantics of its own). Returns `false` if unknown.
    pub fn clear_recent(&mut self, uid: u32) -> bool {
        match self.index_of(uid).and_then(|i| self.slots.get_mut(i)) {
            Some(s) => {
                s.bits &= !RECENT;
                true
            }
            None => false,
        }
    }

    // -- options -----------------------------------------------------------

    /// Enables CONDSTORE (a CONDSTORE enabling command, RFC 7162 §3.1).
    /// Returns `true` on the first call: the server must then send
    /// `OK [HIGHESTMODSEQ n]` ([`Self::highest_modseq_response`]) unless the
    /// mailbox reported NOMODSEQ.
    pub fn enable_condstore(&mut self) -> bool {
        let first = !self.condstore;
        self.condstore = true;
        first && self.mod_seq_supported
    }

    /// Enables QRESYNC (`ENABLE QRESYNC`, RFC 7162 §3.2.3): expunges become
    /// VANISHED from now on, unless the mailbox has no mod-sequences.
    pub fn enable_qresync(&mut self) {
        self.qresync = true;
        self.condstore = true;
    }

    /// Whether CONDSTORE is enabled.
    #[must_use]
    pub fn condstore_enabled(&self) -> bool {
        self.condstore
    }

    /// Whether expunges are announced as `VANISHED` (QRESYNC enabled and the
    /// mailbox keeps mod-sequences).
    #[must_use]
    pub fn uses_vanished(&self) -> bool {
        self.qresync && self.mod_seq_supported
    }

    /// Whether the mailbox keeps mod-sequences (else SELECT says NOMODSEQ,
    /// and the server must answer BAD to CHANGEDSINCE, UNCHANGEDSINCE and
    /// MODSEQ, RFC 7162 §3.1.2.2).
    #[must_use]
    pub fn mod_seq_supported(&self) -> bool {
        self.mod_seq_supported
    }

    // -- updates -----------------------------------------------------------

    /// Whether [`take_updates`](Self::take_updates) has anything to say with
    /// the given permission.
    #[must_use]
    pub fn has_updates(&self, expunge_allowed: bool) -> bool {
        (expunge_allowed && self.pending_expunges > 0)
            || self.slots.len() > self.announced
            || self.dirty > 0
    }

    /// The untagged responses to send now, in order, after which the view
    /// uses the new numbering. `expunge_allowed` is the server's verdict
    /// (RFC 9051 §7.5.1: not when no command is in progress, nor during
    /// FETCH, STORE or SEARCH; UID variants allow it).
    ///
    /// Order: EXPUNGEs (highest number first) or one `VANISHED`; then
    /// `EXISTS` and, for IMAP4rev1, `RECENT`; then one FETCH per message
    /// whose flags changed elsewhere, numbered after the expunges.
    #[must_use]
    pub fn take_updates(&mut self, expunge_allowed: bool) -> Vec<Data<'static>> {
        let mut out = Vec::new();
        self.take_updates_into(expunge_allowed, &mut out);
        out
    }

    /// [`take_updates`](Self::take_updates), appending to `out`.
    pub fn take_updates_into(&mut self, expunge_allowed: bool, out: &mut Vec<Data<'static>>) {
        if expunge_allowed && self.pending_expunges > 0 {
            self.flush_expunges(out);
        }
        if self.slots.len() > self.announced {
            self.announced = self.slots.len();
            out.push(Data::Exists(seq_u32(self.announced)));
            if self.imap4rev1 {
                out.push(Data::Recent(self.recent_count()));
            }
        }
        if self.dirty > 0 {
            let end = self.announced.min(self.slots.len());
            for i in 0..end {
                let Some(s) = self.slots.get_mut(i) else {
                    break;
                };
                if s.bits & DIRTY == 0 {
                    continue;
                }
                s.bits &= !DIRTY;
                let s = *s;
                out.push(self.flag_fetch(i, &s));
            }
            self.dirty = 0;
        }
    }

    fn flush_expunges(&mut self, out: &mut Vec<Data<'static>>) {
        let end = self.announced.min(self.slots.len());
        let head = self.slots.get(..end).unwrap_or(&[]);
        if self.uses_vanished() {
            let set = compact_uids(
                head.iter()
                    .filter(|s| s.bits & EXPUNGED != 0)
                    .map(|s| s.uid),
            );
            if let Some(uids) = set {
                out.push(Data::Vanished {
                    earlier: false,
                    uids,
                });
            }
        } else {
            out.extend(
                head.iter()
                    .enumerate()
                    .rev()
                    .filter(|(_, s)| s.bits & EXPUNGED != 0)
                    .map(|(i, _)| Data::Expunge(seq_u32(i + 1))),
            );
        }
        self.slots.retain(|s| s.bits & EXPUNGED == 0);
        self.announced = end - self.pending_expunges;
        self.pending_expunges = 0;
        let slots = &self.slots;
        self.saved
            .retain(|&u| slots.binary_search_by_key(&u, |s| s.uid).is_ok());
    }

    fn flag_fetch(&self, i: usize, s: &Slot) -> Data<'static> {
        let mut items = Vec::with_capacity(3);
        if self.condstore {
            items.push(FetchItem::Uid(s.uid));
        }
        items.push(FetchItem::Flags(self.fetch_flags(s)));
        if self.condstore && self.mod_seq_supported {
            items.push(FetchItem::ModSeq(s.modseq));
        }
        Data::Fetch {
            seq: seq_u32(i + 1),
            items,
        }
    }

    fn fetch_flags(&self, s: &Slot) -> Vec<FlagFetch<'static>> {
        let mut v: Vec<FlagFetch<'static>> = self
            .flags
            .get(s.flags)
            .iter()
            .cloned()
            .map(FlagFetch::Flag)
            .collect();
        if self.imap4rev1 && s.bits & RECENT != 0 {
            v.push(FlagFetch::Recent);
        }
        v
    }

    /// The FLAGS of message `seq` as a FETCH response item would carry them
    /// (with `\Recent` for IMAP4rev1).
    #[must_use]
    pub fn fetch_flags_of(&self, seq: u32) -> Option<Vec<FlagFetch<'static>>> {
        let i = self.seq_index(seq)?;
        self.slots.get(i).map(|s| self.fetch_flags(s))
    }

    // -- lookups -----------------------------------------------------------

    /// The number of messages the client knows (its last EXISTS, minus the
    /// expunges it was told about).
    #[must_use]
    pub fn exists(&self) -> u32 {
        seq_u32(self.announced)
    }

    /// How many announced messages have `\Recent` for this session.
    #[must_use]
    pub fn recent_count(&self) -> u32 {
        let end = self.announced.min(self.slots.len());
        let n = self
            .slots
            .get(..end)
            .unwrap_or(&[])
            .iter()
            .filter(|s| s.bits & RECENT != 0)
            .count();
        seq_u32(n)
    }

    /// How many expunges wait to be announced.
    #[must_use]
    pub fn pending_expunges(&self) -> usize {
        self.pending_expunges
    }

    /// UIDVALIDITY.
    #[must_use]
    pub fn uid_validity(&self) -> u32 {
        self.uid_validity
    }

    /// UIDNEXT as the view knows it.
    #[must_use]
    pub fn uid_next(&self) -> u32 {
        self.uid_next
    }

    /// HIGHESTMODSEQ as the view knows it (0 without mod-sequences).
    #[must_use]
    pub fn highest_modseq(&self) -> u64 {
        if self.mod_seq_supported {
            self.highest_modseq
        } else {
            0
        }
    }

    /// HIGHESTMODSEQ as the client may record it: `Some` only when the
    /// mailbox keeps mod-sequences and nothing is waiting to be announced,
    /// so the client has seen every change up to the value. For the tagged
    /// `OK [HIGHESTMODSEQ n]` of EXPUNGE and UID EXPUNGE with QRESYNC (RFC
    /// 7162 §3.2.7, §3.2.9), after [`take_updates`](Self::take_updates);
    /// never for CLOSE (§3.2.8).
    #[must_use]
    pub fn safe_highest_modseq(&self) -> Option<u64> {
        (self.mod_seq_supported && !self.has_updates(true)).then_some(self.highest_modseq.max(1))
    }

    /// The UID of message `seq` in the client's numbering.
    #[must_use]
    pub fn uid(&self, seq: u32) -> Option<u32> {
        self.seq_index(seq)
            .and_then(|i| self.slots.get(i))
            .map(|s| s.uid)
    }

    /// The client's sequence number of `uid`, if it has one.
    #[must_use]
    pub fn seq(&self, uid: u32) -> Option<u32> {
        self.index_of(uid)
            .filter(|&i| i < self.announced)
            .map(|i| seq_u32(i + 1))
    }

    /// Message `seq` in the client's numbering.
    #[must_use]
    pub fn message(&self, seq: u32) -> Option<MessageRef<'_>> {
        let i = self.seq_index(seq)?;
        self.message_at(i)
    }

    /// The first message without `\Seen` (for `[UNSEEN n]`, IMAP4rev1).
    #[must_use]
    pub fn first_unseen(&self) -> Option<u32> {
        let end = self.announced.min(self.slots.len());
        self.slots
            .get(..end)?
            .iter()
            .position(|s| !self.flags.get(s.flags).contains(&Flag::Seen))
            .map(|i| seq_u32(i + 1))
    }

    /// UIDs of every message the client knows, in sequence order.
    pub fn uids(&self) -> impl Iterator<Item = u32> + '_ {
        let end = self.announced.min(self.slots.len());
        self.slots.get(..end).unwrap_or(&[]).iter().map(|s| s.uid)
    }

    // -- SEARCHRES ---------------------------------------------------------

    /// Saves a SEARCH result for `$` (RFC 5182 §2.1), as UIDs. Expunged
    /// messages leave it as their expunges are announced.
    pub fn save_result_uids(&mut self, uids: impl IntoIterator<Item = u32>) {
        let mut v: Vec<u32> = uids.into_iter().filter(|&u| u != 0).collect();
        v.sort_unstable();
        v.dedup();
        self.saved = v;
    }

    /// Saves a SEARCH result given as message numbers (numbers the client
    /// does not know are skipped).
    pub fn save_result_seqs(&mut self, seqs: impl IntoIterator<Item = u32>) {
        let uids: Vec<u32> = seqs.into_iter().filter_map(|n| self.uid(n)).collect();
        self.save_result_uids(uids);
    }

    /// Empties the saved result (RFC 5182 §2.1: a failed SEARCH with SAVE,
    /// or selecting a mailbox, resets it).
    pub fn clear_saved_result(&mut self) {
        self.saved.clear();
    }

    /// The saved result, as sorted UIDs.
    #[must_use]
    pub fn saved_uids(&self) -> &[u32] {
        &self.saved
    }

    // -- internals ---------------------------------------------------------

    fn index_of(&self, uid: u32) -> Option<usize> {
        self.slots.binary_search_by_key(&uid, |s| s.uid).ok()
    }

    fn seq_index(&self, seq: u32) -> Option<usize> {
        let i = (seq as usize).checked_sub(1)?;
        (i < self.announced).then_some(i)
    }

    fn announced_slots(&self) -> &[Slot] {
        self.slots.get(..self.announced).unwrap_or(&[])
    }

    #[inline]
    fn message_at(&self, i: usize) -> Option<MessageRef<'_>> {
        let s = self.slots.get(i)?;
        Some(MessageRef {
            seq: seq_u32(i + 1),
            uid: s.uid,
            modseq: s.modseq,
            expunged: s.bits & EXPUNGED != 0,
            recent: s.bits & RECENT != 0,
            flags: self.flags.get(s.flags),
        })
    }

    /// Checks the internal invariants; for tests and fuzzing.
    #[doc(hidden)]
    #[must_use]
    pub fn invariants_hold(&self) -> bool {
        let ascending = self.slots.windows(2).all(|w| match w {
            [a, b] => a.uid < b.uid,
            _ => true,
        });
        let head = self.announced_slots();
        let tail = self.slots.get(self.announced..).unwrap_or(&[]);
        ascending
            && self.announced <= self.slots.len()
            && head.iter().filter(|s| s.bits & EXPUNGED != 0).count() == self.pending_expunges
            && head.iter().filter(|s| s.bits & DIRTY != 0).count() == self.dirty
            && tail.iter().all(|s| s.bits & (EXPUNGED | DIRTY | DROP) == 0)
            && head
                .iter()
                .all(|s| s.bits & (EXPUNGED | DIRTY) != (EXPUNGED | DIRTY))
            && self
                .slots
                .last()
                .is_none_or(|s| s.uid < self.uid_next || s.uid == u32::MAX)
            && self.saved.windows(2).all(|w| matches!(w, [a, b] if a < b))
    }
}

/// Sequence numbers fit in `u32` (a view never holds more than `u32::MAX`
/// messages, since UIDs are distinct `u32`s).
fn seq_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
