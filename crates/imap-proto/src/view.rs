//! The selected-mailbox view of one session: UID ↔ sequence number map,
//! pending expunges and flag changes, CONDSTORE/QRESYNC bookkeeping, and
//! sequence-set resolution.
