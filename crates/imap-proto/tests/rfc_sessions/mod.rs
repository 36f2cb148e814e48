//! Pieces of the RFC 3501 §8 / RFC 9051 §8 sample sessions shared by the
//! transcript tests (`transcripts`, `server_transcripts`,
//! `client_transcripts`).
#![allow(dead_code, clippy::unwrap_used)]

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Dir {
    /// A client command.
    C,
    /// A client line inside AUTHENTICATE or IDLE (a SASL response after `+`, or DONE).
    A,
    /// A server response.
    S,
}

/// `{LIT:...:LIT}` in a line becomes a literal with the right length.
pub(crate) fn unit(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("{LIT:") {
        out.extend_from_slice(&rest.as_bytes()[..i]);
        let end = rest[i..].find(":LIT}").unwrap() + i;
        let body = &rest[i + 5..end];
        out.extend_from_slice(format!("{{{}}}\r\n", body.len()).as_bytes());
        out.extend_from_slice(body.as_bytes());
        rest = &rest[end + 5..];
    }
    out.extend_from_slice(rest.as_bytes());
    out.extend_from_slice(b"\r\n");
    out
}

/// The header of message 12 in the sample sessions (`BODY[HEADER]`).
pub(crate) const HEADER_342: &str = "Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\r\n\
From: Terry Gray <gray@cac.washington.edu>\r\n\
Subject: IMAP4rev1 WG mtg summary and minutes\r\n\
To: imap@cac.washington.edu\r\n\
cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>\r\n\
Message-Id: <B27397-0100000@cac.washington.edu>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\r\n";

/// The RFC's `FETCH 12 FULL` answer, without its CRLF.
pub(crate) const FETCH_FULL: &str = "* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" \
RFC822.SIZE 4286 ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \
\"IMAP4rev1 WG mtg summary and minutes\" \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((NIL NIL \"imap\" \"cac.washington.edu\")) \
((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL \
\"<B27397-0100000@cac.washington.edu>\") \
BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92))";
