//! Limits on every size a peer controls.

/// Size limits, with safe defaults. Every limit counts empty units too.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Maximum command line, CRLF included (RFC 2449 section 4: 255).
    pub max_command_line: usize,
    /// Maximum response status or capability line, CRLF included
    /// (RFC 2449 section 4: 512).
    pub max_response_line: usize,
    /// Maximum AUTH continuation line (client response or server
    /// challenge), CRLF included. RFC 5034 lifts the 255-octet limit there.
    pub max_auth_line: usize,
    /// Maximum SASL exchange round trips before the server gives up.
    pub max_auth_steps: usize,
    /// Bad commands (unknown, malformed, too long, out of state) tolerated
    /// before the server answers a final `-ERR` and closes.
    pub max_bad_commands: usize,
    /// Failed authentication attempts tolerated before the server closes.
    pub max_auth_failures: usize,
    /// Octets of input the server buffers ahead (pipelined commands) while
    /// the application has not answered; beyond it the server closes.
    pub max_buffered_input: usize,
    /// Maximum lines in a CAPA response (client side).
    pub max_capabilities: usize,
    /// Maximum entries in a LIST or UIDL listing (client side).
    pub max_listing_entries: usize,
    /// Maximum octets of one line inside a multi-line message body
    /// (client side, for RETR/TOP); 0 means unlimited.
    pub max_body_line: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_command_line: 255,
            max_response_line: 512,
            max_auth_line: 12 * 1024,
            max_auth_steps: 16,
            max_bad_commands: 10,
            max_auth_failures: 3,
            max_buffered_input: 64 * 1024,
            max_capabilities: 128,
            max_listing_entries: 1_000_000,
            max_body_line: 0,
        }
    }
}
