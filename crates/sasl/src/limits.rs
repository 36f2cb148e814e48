//! Limits on what a peer may send.

/// Limits on one SASL exchange. Exceeding one fails the exchange with
/// [`Error::TooLarge`](crate::Error::TooLarge) or
/// [`Error::TooManyRoundTrips`](crate::Error::TooManyRoundTrips).
///
/// ```
/// let mut limits = mailwire_sasl::Limits::default();
/// limits.max_message_len = 4096;
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limits {
    /// Largest decoded message accepted from the peer, in bytes. Default
    /// 8192: room for large OAuth tokens, far above any password exchange.
    pub max_message_len: usize,
    /// Most messages accepted from the peer in one exchange (the initial
    /// response counts). Default 8; the longest legitimate exchange here
    /// (SCRAM with server-final sent as a challenge, LOGIN) needs 3.
    pub max_round_trips: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_message_len: 8192,
            max_round_trips: 8,
        }
    }
}
