//! `C:`/`S:` transcripts: RFC 5321 Appendix D, RFC 2033, RFC 3030, RFC 2920.
//! `C:` lines are fed to the server machine (CRLF appended) and the reply
//! codes it produces must equal the `S:` replies, in order. Texts differ
//! (they are the server's own); codes and reply boundaries must match.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mailwire_smtp_proto::client::{self, Client, Envelope};
use mailwire_smtp_proto::path::{Domain, ForwardPath, Host, Mailbox, ReversePath};
use mailwire_smtp_proto::server::{Config, Event, Server};
use mailwire_smtp_proto::{Reply, ReplyCode};

fn expected_codes(script: &str) -> Vec<u16> {
    script
        .lines()
        .filter_map(|l| l.strip_prefix("S: "))
        .filter(|s| s.as_bytes().get(3) != Some(&b'-'))
        .map(|s| s[..3].parse().unwrap())
        .collect()
}

fn run_server(script: &str) -> (Vec<u16>, usize) {
    let mut config = Config::new("foo.example");
    config.lmtp = script.starts_with("# lmtp");
    let mut s = Server::new(config);
    let mut out = Vec::new();
    let mut delivered = 0;
    let mut input = Vec::new();
    for line in script.lines() {
        if let Some(c) = line.strip_prefix("C:") {
            input.extend_from_slice(c.strip_prefix(' ').unwrap_or(c).as_bytes());
            input.extend_from_slice(b"\r\n");
        }
    }
    // The BDAT transcript's data lines are part of the 86 octets.
    let mut pos = 0;
    loop {
        while let Some(ev) = s.poll_event() {
            match ev {
                Event::RcptTo { to, .. } => {
                    let lp = to
                        .mailbox()
                        .map(|m| m.local_part().to_string())
                        .unwrap_or_default();
                    if lp == "Green" || lp == "jones" {
                        s.reject(Reply::from_code(550, Some((5, 1, 1)), "No such user here"))
                            .unwrap();
                    } else {
                        s.accept().unwrap();
                    }
                }
                Event::MessageEnd { recipients, .. } => {
                    delivered += 1;
                    if s.with_protocol().lmtp {
                        let replies = recipients
                            .iter()
                            .map(|r| {
                                if r.to_string() == "<green@foo.edu>" {
                                    Reply::from_code(452, None, "over quota")
                                } else {
                                    Reply::new(ReplyCode::OK, "OK")
                                }
                            })
                            .collect();
                        s.lmtp_results(replies).unwrap();
                    } else {
                        s.accept().unwrap();
                    }
                }
                Event::Connect | Event::Helo { .. } | Event::MailFrom { .. } => s.accept().unwrap(),
                _ => {}
            }
        }
        while let Some(b) = s.poll_transmit() {
            out.extend_from_slice(&b);
        }
        if pos >= input.len() {
            break;
        }
        // feed one line at a time, as a non-pipelining client would
        let end = input[pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(input.len(), |i| pos + i + 1);
        s.feed(&input[pos..end]);
        pos = end;
    }
    let mut codes = Vec::new();
    let mut rest = &out[..];
    while !rest.is_empty() {
        let (r, n) = Reply::parse(rest).unwrap();
        codes.push(r.code().get());
        rest = &rest[n..];
    }
    (codes, delivered)
}

fn check(name: &str, script: &str, messages: usize) {
    let (codes, delivered) = run_server(script);
    assert_eq!(codes, expected_codes(script), "{name}");
    assert_eq!(delivered, messages, "{name}");
}

#[test]
fn appendix_d1_typical() {
    check("D.1", include_str!("transcripts/d1_typical.txt"), 1);
}

#[test]
fn appendix_d2_aborted() {
    check("D.2", include_str!("transcripts/d2_aborted.txt"), 0);
}

#[test]
fn appendix_d3_relayed() {
    check("D.3", include_str!("transcripts/d3_relayed.txt"), 1);
}

#[test]
fn appendix_d4_verify() {
    check("D.4", include_str!("transcripts/d4_verify.txt"), 1);
}

#[test]
fn rfc2033_lmtp() {
    check("LMTP", include_str!("transcripts/lmtp_rfc2033.txt"), 1);
}

#[test]
fn rfc3030_bdat() {
    check("BDAT", include_str!("transcripts/bdat_rfc3030.txt"), 1);
}

#[test]
fn rfc2920_pipelining() {
    check(
        "PIPELINING",
        include_str!("transcripts/pipelining_rfc2920.txt"),
        1,
    );
}

/// The client side of D.1: fed the `S:` replies, it must write the `C:`
/// commands (its body is dot-stuffed, so `...etc` goes out as `....etc`).
#[test]
fn appendix_d1_client_side() {
    let script = include_str!("transcripts/d1_typical.txt");
    let mut cc = client::Config::new(Host::Domain(Domain::parse("bar.com").unwrap().into_owned()));
    cc.tls = client::TlsMode::Disabled;
    cc.declare_size = false;
    let mut c = Client::new(cc);
    let mb = |s: &str| Mailbox::parse(s).unwrap().into_owned();
    c.send(
        Envelope::new(
            ReversePath::Mailbox(mb("Smith@bar.com")),
            ["Jones@foo.com", "Green@foo.com", "Brown@foo.com"]
                .map(|s| ForwardPath::Mailbox(mb(s))),
        ),
        &b"Blah blah blah...\r\n...etc. etc. etc.\r\n"[..],
    );
    c.quit().unwrap();
    let mut written = Vec::new();
    let mut reply = String::new();
    for line in script.lines() {
        if let Some(s) = line.strip_prefix("S: ") {
            reply.push_str(s);
            reply.push_str("\r\n");
            if s.as_bytes().get(3) != Some(&b'-') {
                c.feed(reply.as_bytes());
                reply.clear();
                while let Some(b) = c.poll_transmit() {
                    written.extend_from_slice(&b);
                }
            }
        }
    }
    let expected: String = script
        .lines()
        .filter_map(|l| l.strip_prefix("C: "))
        .map(|l| {
            if l.starts_with('.') && l.len() > 1 {
                format!(".{l}\r\n")
            } else {
                format!("{l}\r\n")
            }
        })
        .collect();
    assert_eq!(String::from_utf8(written).unwrap(), expected);
    assert!(c.is_closed());
}
