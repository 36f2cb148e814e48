//! Limits on everything a peer controls, with safe defaults.

/// Server-side limits. Every field counts empty units too (an empty line or a
/// NOOP is a command).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Maximum command line length including CRLF (RFC 5321 §4.5.3.1.4 says
    /// at least 512; ESMTP parameters add to it). Default 2048.
    pub command_line: usize,
    /// Maximum message size in octets (DATA after unstuffing, or the sum of
    /// BDAT chunks); advertised as `SIZE`. Default 25 MiB.
    pub message_size: u64,
    /// Maximum data line length including CRLF, or `None` for no limit
    /// (RFC 5321 §4.5.3.1.6 says 1000). Default `None`: lines are streamed,
    /// so long lines cost no memory.
    pub data_line: Option<usize>,
    /// Maximum recipients per transaction (§4.5.3.1.8 says at least 100). Default 100.
    pub recipients: usize,
    /// Protocol errors (5xx for syntax or sequence) before the server answers
    /// 421 and closes. Default 10.
    pub errors_before_disconnect: usize,
    /// Commands in a row that make no progress (NOOP, RSET, VRFY, EXPN, HELP,
    /// repeated EHLO/HELO, rejected MAIL/RCPT) before 421. Default 25.
    pub commands_without_progress: usize,
    /// Maximum length of one SASL response line including CRLF (RFC 4954
    /// §4 says at least 12288). Default 12288.
    pub auth_line: usize,
    /// Maximum SASL round trips in one AUTH exchange. Default 8.
    pub auth_steps: usize,
    /// Failed AUTH attempts before 421. Default 3.
    pub auth_failures: usize,
    /// Maximum unprocessed input kept while the application has a decision
    /// outstanding (pipelined commands). Beyond it the server answers 421.
    /// Default 256 KiB.
    pub input_buffer: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            command_line: 2048,
            message_size: 25 * 1024 * 1024,
            data_line: None,
            recipients: 100,
            errors_before_disconnect: 10,
            commands_without_progress: 25,
            auth_line: 12288,
            auth_steps: 8,
            auth_failures: 3,
            input_buffer: 256 * 1024,
        }
    }
}
