//! Server sequencing (RFC 5321 §4.1.4) and extension checks, plus client
//! STARTTLS and 421 handling.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{host, server_transcript};
use mailwire_smtp_proto::client::{self, Client, ClientError, Event as ClientEvent};
use mailwire_smtp_proto::server::{Config, ReceivedInfo, WithProtocol, received_header};

fn t(input: &str) -> String {
    server_transcript(Config::new("mx.example"), input.as_bytes()).0
}

fn codes(out: &str) -> Vec<&str> {
    out.lines()
        .filter(|l| l.as_bytes().get(3) != Some(&b'-'))
        .map(|l| &l[..3])
        .collect()
}

#[test]
fn sequencing() {
    assert_eq!(codes(&t("MAIL FROM:<>\r\n")), ["220", "503"]);
    assert_eq!(
        codes(&t("EHLO c\r\nRCPT TO:<a@b.c>\r\n")),
        ["220", "250", "503"]
    );
    assert_eq!(codes(&t("EHLO c\r\nDATA\r\n")), ["220", "250", "503"]);
    assert_eq!(
        codes(&t("EHLO c\r\nMAIL FROM:<>\r\nMAIL FROM:<>\r\n")),
        ["220", "250", "250", "503"]
    );
    assert_eq!(
        codes(&t("EHLO c\r\nMAIL FROM:<>\r\nDATA\r\n")),
        ["220", "250", "250", "554"]
    );
    assert_eq!(
        codes(&t("EHLO c\r\nMAIL FROM:<>\r\nRSET\r\nRCPT TO:<a@b.c>\r\n")),
        ["220", "250", "250", "250", "503"]
    );
    // EHLO resets the transaction
    assert_eq!(
        codes(&t(
            "EHLO c\r\nMAIL FROM:<>\r\nEHLO c\r\nRCPT TO:<a@b.c>\r\n"
        )),
        ["220", "250", "250", "250", "503"]
    );
    assert_eq!(codes(&t("EHLO c\r\nLHLO c\r\n")), ["220", "250", "500"]);
    assert_eq!(
        codes(&t("EHLO c\r\nEXPN x\r\nHELP\r\nVRFY x\r\n")),
        ["220", "250", "502", "214", "252"]
    );
}

#[test]
fn extension_checks() {
    let out = t(
        "EHLO c\r\nMAIL FROM:<j\u{f6}rg@b.c>\r\nMAIL FROM:<j\u{f6}rg@b.c> SMTPUTF8\r\nRCPT TO:<\u{e9}@x.y>\r\n",
    );
    assert_eq!(codes(&out), ["220", "250", "553", "250", "250"]);
    let out = t(
        "EHLO c\r\nMAIL FROM:<> X-UNKNOWN=1\r\nMAIL FROM:<> BODY=BINARYMIME\r\nRCPT TO:<a@b.c>\r\nDATA\r\n",
    );
    assert_eq!(codes(&out), ["220", "250", "555", "250", "250", "503"]);
    // HELO sessions have no ESMTP parameters and no enhanced codes
    let out = t("HELO c\r\nMAIL FROM:<> SIZE=10\r\nMAIL FROM:<>\r\n");
    assert_eq!(codes(&out), ["220", "250", "555", "250"]);
    assert!(out.ends_with("250 Sender OK\r\n"), "{out}");
    // REQUIRETLS needs TLS
    assert_eq!(
        codes(&t("EHLO c\r\nMAIL FROM:<> REQUIRETLS\r\n")),
        ["220", "250", "555"]
    );
    // DSN parameters are accepted and typed
    let (out, app, _) = server_transcript(
        Config::new("mx.example"),
        b"EHLO c\r\nMAIL FROM:<> RET=HDRS ENVID=a+2Bb\r\nRCPT TO:<a@b.c> NOTIFY=NEVER ORCPT=rfc822;a@b.c\r\n",
    );
    assert_eq!(codes(&out), ["220", "250", "250", "250"]);
    assert!(
        app.events.iter().any(|e| e.contains("EnvId(\"a+b\")")),
        "{:?}",
        app.events
    );
}

#[test]
fn auth_rules() {
    let mut c = Config::new("mx.example");
    c.auth_required = true;
    let (out, ..) = server_transcript(
        c.clone(),
        b"EHLO c\r\nMAIL FROM:<>\r\nAUTH PLAIN AHRpbQB0YW5zdGFhZg==\r\n",
    );
    // 530 before AUTH; PLAIN is not offered without TLS: 538
    assert_eq!(codes(&out), ["220", "250", "530", "538"]);
    c.implicit_tls = true;
    let (out, app, _) = server_transcript(
        c,
        b"EHLO c\r\nAUTH FOO\r\nAUTH PLAIN !!\r\nAUTH PLAIN =\r\nAUTH PLAIN AHRpbQB0YW5zdGFhZg==\r\nAUTH PLAIN\r\nMAIL FROM:<>\r\n",
    );
    assert_eq!(
        codes(&out),
        ["220", "250", "504", "501", "501", "235", "503", "250"],
        "{out}"
    );
    assert_eq!(app.identity.as_deref(), Some("tim"));
}

#[test]
fn ehlo_after_auth_does_not_offer_auth() {
    let mut c = Config::new("mx.example");
    c.implicit_tls = true;
    let (out, ..) = server_transcript(
        c,
        b"EHLO c\r\nAUTH PLAIN AHRpbQB0YW5zdGFhZg==\r\nEHLO c\r\n",
    );
    let second = out.rsplit("235").next().unwrap();
    assert!(!second.contains("AUTH"), "{second}");
}

#[test]
fn received_header_keywords() {
    let kw = |lmtp, esmtp, tls, auth, utf8| {
        WithProtocol {
            lmtp,
            esmtp,
            tls,
            auth,
            utf8,
        }
        .keyword()
    };
    assert_eq!(kw(false, false, false, false, false), "SMTP");
    assert_eq!(kw(false, true, false, false, false), "ESMTP");
    assert_eq!(kw(false, true, false, true, false), "ESMTPA");
    assert_eq!(kw(false, true, true, false, false), "ESMTPS");
    assert_eq!(kw(false, true, true, true, false), "ESMTPSA");
    assert_eq!(kw(true, true, false, false, false), "LMTP");
    assert_eq!(kw(true, true, true, true, false), "LMTPSA");
    assert_eq!(kw(false, true, true, true, true), "UTF8SMTPSA");
    let h = received_header(&ReceivedInfo {
        helo: "evil)\r\nX-Injected: 1",
        remote_host: Some("host.example"),
        remote_ip: Some("2001:db8::1".parse().unwrap()),
        by: "mx.example",
        with: WithProtocol {
            esmtp: true,
            ..Default::default()
        },
        id: None,
        for_recipient: None,
        date: "Mon, 2 Jan 2023 10:00:00 +0000",
    });
    assert_eq!(
        h,
        "Received: from evilX-Injected: 1 (host.example [IPv6:2001:db8::1])\r\n\tby mx.example with ESMTP;\r\n\tMon, 2 Jan 2023 10:00:00 +0000\r\n"
    );
}

#[test]
fn client_unread_bytes_after_starttls_220_is_an_error() {
    let mut cc = client::Config::new(host("c.example"));
    cc.tls = client::TlsMode::Required;
    let mut c = Client::new(cc);
    c.feed(b"220 mx\r\n");
    let _ = c.poll_transmit();
    c.feed(b"250-mx\r\n250 STARTTLS\r\n");
    assert_eq!(c.poll_transmit().unwrap(), &b"STARTTLS\r\n"[..]);
    c.feed(b"220 go ahead\r\n250 injected\r\n");
    let ev: Vec<_> = std::iter::from_fn(|| c.poll_event()).collect();
    assert!(
        ev.contains(&ClientEvent::Error(ClientError::DataAfterStartTls)),
        "{ev:?}"
    );
    assert!(c.is_closed() && !c.wants_tls_upgrade());
    assert!(c.poll_transmit().is_none());

    // the same bytes in two writes: still an error (nothing may arrive before the handshake)
    let mut cc = client::Config::new(host("c.example"));
    cc.tls = client::TlsMode::Required;
    let mut c = Client::new(cc);
    c.feed(b"220 mx\r\n250-mx\r\n250 STARTTLS\r\n220 go ahead\r\n");
    assert!(c.wants_tls_upgrade() || c.poll_transmit().is_some());
    c.feed(b"250 injected\r\n");
    assert!(c.is_closed());
}

#[test]
fn client_handles_421_anywhere() {
    let mut c = Client::new(client::Config::new(host("c.example")));
    c.feed(b"421 4.3.2 shutting down\r\n");
    let ev: Vec<_> = std::iter::from_fn(|| c.poll_event()).collect();
    assert!(
        matches!(ev[0], ClientEvent::Error(ClientError::ServiceClosing(_))),
        "{ev:?}"
    );
    assert!(c.is_closed());
}
