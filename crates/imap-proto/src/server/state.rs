//! The protocol state (RFC 9051 §3) and the extensions turned on with ENABLE.

use crate::capability::Capability;

/// Where the session is (RFC 9051 §3, RFC 3501 §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum State {
    /// Before LOGIN or AUTHENTICATE (or after the greeting of a server that
    /// did not pre-authenticate).
    NotAuthenticated,
    /// Logged in, no mailbox selected.
    Authenticated,
    /// A mailbox is selected (SELECT or EXAMINE completed with OK).
    Selected {
        /// EXAMINE, or SELECT answered with `[READ-ONLY]`.
        read_only: bool,
    },
    /// LOGOUT, autologout, a `BYE` greeting or a fatal error: nothing more
    /// is read; send what `poll_transmit` still has and close.
    Logout,
}

impl State {
    /// `true` in [`State::Authenticated`] and [`State::Selected`].
    #[must_use]
    pub fn is_authenticated(self) -> bool {
        matches!(self, State::Authenticated | State::Selected { .. })
    }

    /// `true` in [`State::Selected`].
    #[must_use]
    pub fn is_selected(self) -> bool {
        matches!(self, State::Selected { .. })
    }
}

/// The extensions the client turned on with `ENABLE` (RFC 5161). Only
/// extensions the server advertises can be enabled; enabling QRESYNC also
/// enables CONDSTORE (RFC 7162 §3.2.3), and so does the first
/// CONDSTORE-enabling command (RFC 7162 §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct Enabled {
    /// `CONDSTORE` (RFC 7162): MODSEQ in FETCH responses from now on.
    pub condstore: bool,
    /// `QRESYNC` (RFC 7162): VANISHED instead of EXPUNGE, `[CLOSED]`.
    pub qresync: bool,
    /// `UTF8=ACCEPT` (RFC 6855): UTF-8 in quoted strings and mailbox names.
    pub utf8_accept: bool,
    /// `IMAP4rev2` (RFC 9051 §6.3.1): IMAP4rev2 response formats.
    pub imap4rev2: bool,
}

impl Enabled {
    /// Whether quoted strings may carry UTF-8 (UTF8=ACCEPT or IMAP4rev2).
    #[must_use]
    pub fn utf8(&self) -> bool {
        self.utf8_accept || self.imap4rev2
    }

    /// Whether `cap` is enabled.
    ///
    /// ```
    /// use mailwire_imap_proto::capability::Capability;
    /// use mailwire_imap_proto::server::Enabled;
    /// let e = Enabled::default();
    /// assert!(!e.contains(&Capability::CondStore));
    /// ```
    #[must_use]
    pub fn contains(&self, cap: &Capability<'_>) -> bool {
        match cap {
            Capability::CondStore => self.condstore,
            Capability::QResync => self.qresync,
            Capability::Utf8Accept => self.utf8_accept,
            Capability::Imap4Rev2 => self.imap4rev2,
            _ => false,
        }
    }

    /// Turns on `cap` if ENABLE knows it; returns whether it was newly
    /// enabled.
    pub(super) fn enable(&mut self, cap: &Capability<'_>) -> bool {
        let slot = match cap {
            Capability::CondStore => &mut self.condstore,
            Capability::QResync => {
                self.condstore = true;
                &mut self.qresync
            }
            Capability::Utf8Accept => &mut self.utf8_accept,
            Capability::Imap4Rev2 => &mut self.imap4rev2,
            _ => return false,
        };
        let newly = !*slot;
        *slot = true;
        newly
    }
}
