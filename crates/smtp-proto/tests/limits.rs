//! Every limit at N and N+1.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::server_transcript;
use mailwire_smtp_proto::server::{CloseReason, Config, Event, Server};

fn cfg() -> Config {
    Config::new("mx.example")
}

#[test]
fn command_line_length() {
    let mut c = cfg();
    c.limits.command_line = 100;
    let ok = format!("NOOP {}\r\n", "a".repeat(100 - 7));
    assert_eq!(ok.len(), 100);
    let (out, ..) = server_transcript(c.clone(), ok.as_bytes());
    assert!(
        out.ends_with("220 mx.example ESMTP ready\r\n250 OK\r\n"),
        "{out}"
    );
    let long = format!("NOOP {}\r\nNOOP\r\n", "a".repeat(100 - 6));
    let (out, ..) = server_transcript(c, long.as_bytes());
    assert!(out.ends_with("500 Line too long\r\n250 OK\r\n"), "{out}");
}

#[test]
fn recipients_per_transaction() {
    let mut c = cfg();
    c.limits.recipients = 3;
    let (out, app, _) = server_transcript(
        c,
        b"EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<a@x.y>\r\nRCPT TO:<b@x.y>\r\nRCPT TO:<c@x.y>\r\nRCPT TO:<d@x.y>\r\nDATA\r\nx\r\n.\r\n",
    );
    assert_eq!(out.matches("250 2.1.5").count(), 3, "{out}");
    assert!(out.contains("452 4.5.3"));
    assert_eq!(app.delivered[0].recipients.len(), 3);
}

#[test]
fn errors_before_disconnect() {
    let mut c = cfg();
    c.limits.errors_before_disconnect = 3;
    let (out, _, s) = server_transcript(c.clone(), b"FOO\r\nBAR\r\nNOOP\r\n");
    assert!(!s.is_closed(), "{out}");
    let (out, app, s) = server_transcript(c, b"FOO\r\nBAR\r\nBAZ\r\nNOOP\r\n");
    assert!(s.is_closed());
    assert!(
        out.ends_with("500 Command unrecognized\r\n421 Too many errors, closing\r\n"),
        "{out}"
    );
    let closed = format!(
        "{:?}",
        Event::Closed {
            reason: CloseReason::TooManyErrors
        }
    );
    assert!(app.events.contains(&closed), "{:?}", app.events);
}

#[test]
fn commands_without_progress() {
    let mut c = cfg();
    c.limits.commands_without_progress = 5;
    let five = "NOOP\r\nRSET\r\nVRFY x\r\nHELP\r\nNOOP\r\n";
    let (out, _, s) = server_transcript(c.clone(), five.as_bytes());
    assert!(!s.is_closed(), "{out}");
    let six = format!("{five}NOOP\r\n");
    let (out, _, s) = server_transcript(c, six.as_bytes());
    assert!(s.is_closed());
    assert!(
        out.ends_with("421 Too many commands without progress, closing\r\n"),
        "{out}"
    );
}

#[test]
fn empty_lines_count_as_errors() {
    let mut c = cfg();
    c.limits.errors_before_disconnect = 4;
    let (_, _, s) = server_transcript(c, b"\r\n\r\n\r\n\r\n");
    assert!(s.is_closed());
}

#[test]
fn message_size_data() {
    let mut c = cfg();
    c.limits.message_size = 10;
    let head = "EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<a@x.y>\r\nDATA\r\n";
    let (out, app, _) = server_transcript(c.clone(), format!("{head}12345678\r\n.\r\n").as_bytes());
    assert_eq!(app.delivered.len(), 1, "{out}");
    let (out, app, _) = server_transcript(
        c.clone(),
        format!("{head}123456789\r\n.\r\nNOOP\r\n").as_bytes(),
    );
    assert!(app.delivered.is_empty());
    assert!(
        out.ends_with("552 5.3.4 Message size exceeds fixed maximum\r\n250 2.0.0 OK\r\n"),
        "{out}"
    );
    // SIZE= above the limit is refused at MAIL
    let (out, ..) = server_transcript(
        c,
        b"EHLO c\r\nMAIL FROM:<> SIZE=11\r\nMAIL FROM:<> SIZE=10\r\n",
    );
    assert!(
        out.contains("552 5.3.4") && out.ends_with("250 2.1.0 Sender OK\r\n"),
        "{out}"
    );
}

#[test]
fn message_size_bdat() {
    let mut c = cfg();
    c.limits.message_size = 10;
    let head = "EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<a@x.y>\r\n";
    let (out, app, _) = server_transcript(
        c.clone(),
        format!("{head}BDAT 4\r\n1234BDAT 6 LAST\r\n123456").as_bytes(),
    );
    assert_eq!(app.delivered.len(), 1, "{out}");
    assert_eq!(app.delivered[0].body, b"1234123456");
    let (out, app, _) = server_transcript(
        c,
        format!("{head}BDAT 4\r\n1234BDAT 7 LAST\r\n1234567NOOP\r\n").as_bytes(),
    );
    assert!(app.delivered.is_empty());
    assert!(
        out.ends_with("552 5.3.4 Message size exceeds fixed maximum\r\n250 2.0.0 OK\r\n"),
        "{out}"
    );
}

#[test]
fn data_line_length() {
    let mut c = cfg();
    c.limits.data_line = Some(10);
    let head = "EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<a@x.y>\r\nDATA\r\n";
    let (_, app, _) = server_transcript(c.clone(), format!("{head}12345678\r\n.\r\n").as_bytes());
    assert_eq!(app.delivered.len(), 1);
    let (out, app, _) = server_transcript(c, format!("{head}123456789\r\n.\r\n").as_bytes());
    assert!(app.delivered.is_empty());
    assert!(out.contains("554 5.6.0 Message line too long"), "{out}");
}

#[test]
fn input_buffer_while_decision_pending() {
    let mut c = cfg();
    c.limits.input_buffer = 64;
    let mut s = Server::new(c);
    assert_eq!(s.poll_event(), Some(Event::Connect));
    s.accept().unwrap();
    let _ = s.poll_transmit();
    // EHLO is pending (not answered); 64 bytes of pipelined input are kept...
    let mut input = b"EHLO c\r\n".to_vec();
    input.extend_from_slice(&b"NOOP\r\n".repeat(10)); // 60 bytes behind the EHLO
    s.feed(&input);
    assert!(!s.is_closed());
    // ...one more line is too much
    s.feed(b"NOOP\r\n");
    assert!(s.is_closed());
    assert!(s.poll_transmit().unwrap().starts_with(b"421"));
}

#[test]
fn auth_failures_and_line() {
    let mut c = cfg();
    c.implicit_tls = true;
    c.limits.auth_failures = 2;
    c.limits.auth_line = 10;
    // 8 base64 chars + CRLF = 10 bytes: accepted as a (malformed) LOGIN username line
    let (out, _, s) = server_transcript(c.clone(), b"EHLO c\r\nAUTH LOGIN\r\ndGltMTIz\r\n*\r\n");
    assert!(out.contains("334 UGFzc3dvcmQ6\r\n"), "{out}");
    assert!(out.contains("501 5.0.0 Authentication cancelled"), "{out}");
    assert!(!s.is_closed());
    let (out, _, s) = server_transcript(
        c,
        b"EHLO c\r\nAUTH LOGIN\r\ndGltMTIzNA\r\nAUTH PLAIN\r\n*\r\n",
    );
    assert!(out.contains("500 5.5.6"), "{out}");
    assert!(s.is_closed(), "{out}");
    assert!(
        out.ends_with("421 4.7.0 Too many authentication failures, closing\r\n"),
        "{out}"
    );
}
