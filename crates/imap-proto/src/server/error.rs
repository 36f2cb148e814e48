//! Errors of the server machine: caller misuse and refused updates.

/// The application called an answer method that does not fit the
/// machine's state (a bug in the caller, not in the peer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum MisuseError {
    /// No command with this id is waiting for the application (it was
    /// already completed, or the machine answers it itself).
    #[error("no such command waiting for an answer")]
    UnknownCommand,
    /// The answer does not fit the outstanding question (e.g.
    /// `accept_login` while a SASL request other than a password check is
    /// outstanding, or `accept_literal` with no literal announced).
    #[error("nothing of this kind to decide")]
    NotPending,
    /// A tagged completion must be OK, NO or BAD.
    #[error("a tagged completion must be OK, NO or BAD")]
    InvalidStatus,
    /// The session is over.
    #[error("the session is closed")]
    Closed,
}

/// Why [`Server::push_update`](super::Server::push_update) refused an update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum UpdateError {
    /// More than `Config::max_queued_updates` updates are waiting; nothing
    /// was queued (coalesce, e.g. one EXISTS for many arrivals).
    #[error("update queue full ({limit} updates)")]
    QueueFull {
        /// The limit.
        limit: usize,
    },
    /// The session is over.
    #[error("the session is closed")]
    Closed,
}
