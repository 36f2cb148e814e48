//! The inputs of the side-by-side benches (`benches/smtp.rs`), shared with
//! the callgrind probe (`examples/perf_probe.rs`) so both measure the same bytes.
#![allow(dead_code)]

pub(crate) const COMMANDS: &[&[u8]] = &[
    b"EHLO client.example.org\r\n",
    b"MAIL FROM:<alice.smith@example.org> SIZE=123456 BODY=8BITMIME\r\n",
    b"RCPT TO:<bob@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob@example.net\r\n",
    b"RCPT TO:<carol.jones@mail.example.net>\r\n",
    b"DATA\r\n",
    b"BDAT 65536 LAST\r\n",
    b"AUTH PLAIN AHRpbQB0YW5zdGFhZg==\r\n",
    b"NOOP\r\n",
    b"RSET\r\n",
    b"QUIT\r\n",
];

pub(crate) const EHLO: &[u8] = b"250-mx.example.com Hello client.example.org [192.0.2.1]\r\n\
250-SIZE 52428800\r\n\
250-8BITMIME\r\n\
250-PIPELINING\r\n\
250-AUTH PLAIN LOGIN XOAUTH2\r\n\
250-CHUNKING\r\n\
250-BINARYMIME\r\n\
250-ENHANCEDSTATUSCODES\r\n\
250-DSN\r\n\
250-SMTPUTF8\r\n\
250-STARTTLS\r\n\
250 HELP\r\n";

pub(crate) fn message(size: usize) -> Vec<u8> {
    let mut m = Vec::with_capacity(size + 100);
    let mut i = 0u32;
    while m.len() < size {
        if i.is_multiple_of(50) {
            m.extend_from_slice(b"..a dot-stuffed line of text\r\n");
        } else {
            m.extend_from_slice(
                b"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod t\r\n",
            );
        }
        i += 1;
    }
    m.extend_from_slice(b".\r\n");
    m
}
