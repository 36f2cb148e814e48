//! Review tables for the server machine: every command in every state,
//! where EXPUNGE may go out, IDLE's DONE, non-synchronizing literals the
//! server did not advertise, and floods against a client that never reads.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod server_util;

use mailwire_imap_proto::capability::Capability;
use mailwire_imap_proto::response::Data;
use mailwire_imap_proto::server::{BadReason, Config, Event, Server, State};
use server_util::{Harness, plain_config};

const WRONG_STATE: &str = "BAD Command not valid in this state\r\n";

/// Every command, with the states it is valid in: (not authenticated,
/// authenticated, selected), per RFC 9051 §6 and the extension RFCs.
const COMMANDS: &[(&str, [bool; 3])] = &[
    ("CAPABILITY", [true, true, true]),
    ("NOOP", [true, true, true]),
    ("ID NIL", [true, true, true]),
    ("STARTTLS", [true, false, false]),
    ("AUTHENTICATE PLAIN", [true, false, false]),
    ("LOGIN joe secret", [true, false, false]),
    ("ENABLE CONDSTORE", [false, true, false]),
    ("SELECT INBOX", [false, true, true]),
    ("EXAMINE INBOX", [false, true, true]),
    ("CREATE foo", [false, true, true]),
    ("DELETE foo", [false, true, true]),
    ("RENAME foo bar", [false, true, true]),
    ("SUBSCRIBE foo", [false, true, true]),
    ("UNSUBSCRIBE foo", [false, true, true]),
    ("LIST \"\" *", [false, true, true]),
    ("LSUB \"\" *", [false, true, true]),
    ("NAMESPACE", [false, true, true]),
    ("STATUS INBOX (MESSAGES)", [false, true, true]),
    ("APPEND INBOX {3+}\r\nabc", [false, true, true]),
    ("IDLE", [false, true, true]),
    ("COMPRESS DEFLATE", [false, true, true]),
    ("GETQUOTA \"\"", [false, true, true]),
    ("GETQUOTAROOT INBOX", [false, true, true]),
    ("SETQUOTA \"\" (STORAGE 512)", [false, true, true]),
    ("CHECK", [false, false, true]),
    ("CLOSE", [false, false, true]),
    ("UNSELECT", [false, false, true]),
    ("EXPUNGE", [false, false, true]),
    ("UID EXPUNGE 1:3", [false, false, true]),
    ("SEARCH ALL", [false, false, true]),
    ("UID SEARCH ALL", [false, false, true]),
    ("FETCH 1 FLAGS", [false, false, true]),
    ("UID FETCH 1 FLAGS", [false, false, true]),
    ("STORE 1 +FLAGS (\\Seen)", [false, false, true]),
    ("UID STORE 1 +FLAGS (\\Seen)", [false, false, true]),
    ("COPY 1 foo", [false, false, true]),
    ("UID COPY 1 foo", [false, false, true]),
    ("MOVE 1 foo", [false, false, true]),
    ("UID MOVE 1 foo", [false, false, true]),
    ("SORT (DATE) UTF-8 ALL", [false, false, true]),
    ("UID SORT (DATE) UTF-8 ALL", [false, false, true]),
    ("THREAD REFERENCES UTF-8 ALL", [false, false, true]),
    ("UID THREAD REFERENCES UTF-8 ALL", [false, false, true]),
    ("LOGOUT", [true, true, true]),
];

fn config() -> Config {
    let mut c = plain_config();
    c.starttls = true;
    c
}

fn in_state(state: usize) -> Harness {
    let mut h = match state {
        0 => Harness::new(config()),
        1 => Harness::logged_in(config()),
        _ => Harness::selected(config()),
    };
    h.take_wire();
    h.events.clear();
    h
}

#[test]
fn every_command_in_every_state() {
    let names = ["not authenticated", "authenticated", "selected"];
    for (line, valid) in COMMANDS {
        for (state, &ok) in valid.iter().enumerate() {
            let mut h = in_state(state);
            h.feed(format!("t {line}\r\n").as_bytes());
            let wire = h.take_wire();
            let what = format!("{line:?} in {}: {wire:?} {:?}", names[state], h.events);
            if ok {
                assert!(!wire.contains(WRONG_STATE), "{what}");
                assert!(!wire.starts_with("t BAD"), "{what}");
                assert!(
                    !h.events
                        .iter()
                        .any(|e| matches!(e, Event::BadCommand { .. })),
                    "{what}"
                );
            } else {
                assert_eq!(wire, format!("t {WRONG_STATE}"), "{what}");
                assert!(
                    matches!(
                        &h.events[..],
                        [Event::BadCommand {
                            tag: Some(t),
                            reason: BadReason::WrongState { .. }
                        }] if t == "t"
                    ),
                    "{what}"
                );
                // The state did not change and the next command is read.
                h.feed(b"n NOOP\r\n");
                assert_eq!(h.take_wire(), "n OK NOOP completed\r\n", "{what}");
            }
        }
        // After logout nothing is read.
        let mut h = in_state(2);
        h.feed(b"z LOGOUT\r\n");
        assert_eq!(h.server.state(), State::Logout);
        h.take_wire();
        h.events.clear();
        h.feed(format!("t {line}\r\n").as_bytes());
        assert_eq!(h.take_wire(), "", "{line} after LOGOUT");
        assert!(h.events.is_empty(), "{line} after LOGOUT: {:?}", h.events);
    }
}

/// Runs `line` in the selected state with an EXPUNGE pushed before the
/// command and one pushed while it is in progress; returns the wire.
fn expunge_during(line: &str, relay_noop: bool) -> String {
    let mut c = config();
    c.relay_noop = relay_noop;
    let mut h = Harness::selected(c);
    h.server.push_update(Data::Expunge(3)).unwrap();
    h.drain();
    // No command in progress: held.
    assert_eq!(h.take_wire(), "", "{line}: EXPUNGE with no command");
    h.feed(format!("t {line}\r\n").as_bytes());
    if line == "IDLE" {
        h.server.push_update(Data::Expunge(2)).unwrap();
        h.feed(b"done\r\n");
        return h.take_wire();
    }
    if let Some(i) = h
        .events
        .iter()
        .position(|e| matches!(e, Event::Command { .. }))
    {
        let Event::Command { id, .. } = h.events.remove(i) else {
            unreachable!()
        };
        h.server.push_update(Data::Expunge(2)).unwrap();
        h.server.ok(id, "done").unwrap();
        h.drain();
    }
    h.take_wire()
}

#[test]
fn expunge_only_where_rfc_3501_7_4_1_allows_it() {
    for line in [
        "FETCH 1 FLAGS",
        "STORE 1 +FLAGS (\\Seen)",
        "SEARCH ALL",
        "SORT (DATE) UTF-8 ALL",
        "THREAD REFERENCES UTF-8 ALL",
    ] {
        let wire = expunge_during(line, false);
        assert_eq!(wire, "t OK done\r\n", "{line}");
    }
    for line in [
        "UID FETCH 1 FLAGS",
        "UID STORE 1 +FLAGS (\\Seen)",
        "UID SEARCH ALL",
        "CHECK",
        "EXPUNGE",
        "COPY 1 foo",
    ] {
        let wire = expunge_during(line, false);
        assert_eq!(
            wire, "* 3 EXPUNGE\r\n* 2 EXPUNGE\r\nt OK done\r\n",
            "{line}"
        );
    }
    // NOOP, answered by the machine or relayed.
    assert_eq!(
        expunge_during("NOOP", false),
        "* 3 EXPUNGE\r\nt OK NOOP completed\r\n"
    );
    assert_eq!(
        expunge_during("NOOP", true),
        "* 3 EXPUNGE\r\n* 2 EXPUNGE\r\nt OK done\r\n"
    );
    // IDLE: at once, and DONE is case-insensitive.
    assert_eq!(
        expunge_during("IDLE", false),
        "+ idling\r\n* 3 EXPUNGE\r\n* 2 EXPUNGE\r\nt OK IDLE terminated\r\n"
    );
}

#[test]
fn expunge_is_not_sent_with_a_refused_command() {
    let mut h = Harness::selected(config());
    h.server.push_update(Data::Expunge(3)).unwrap();
    // Wrong state, syntax error, bad tag: no EXPUNGE slips out.
    h.feed(b"a LOGIN x y\r\nb FETCH\r\n+ NOOP\r\n");
    let wire = h.take_wire();
    assert!(!wire.contains("EXPUNGE"), "{wire}");
    assert_eq!(h.server.queued_updates(), 1);
}

#[test]
fn idle_done_in_any_case_and_anything_else_ends_it_with_bad() {
    for done in ["DONE", "done", "Done", "dOnE"] {
        let mut h = Harness::selected(config());
        h.feed(b"i IDLE\r\n");
        assert_eq!(h.take_wire(), "+ idling\r\n");
        h.feed(format!("{done}\r\n").as_bytes());
        assert_eq!(h.take_wire(), "i OK IDLE terminated\r\n", "{done}");
    }
    for other in ["DONE ", "DONEX", "x NOOP", ""] {
        let mut h = Harness::selected(config());
        h.feed(b"i IDLE\r\n");
        h.take_wire();
        h.events.clear();
        h.feed(format!("{other}\r\nn NOOP\r\n").as_bytes());
        assert_eq!(
            h.take_wire(),
            "i BAD Expected DONE\r\nn OK NOOP completed\r\n",
            "{other:?}"
        );
        assert!(
            h.events.iter().any(|e| matches!(e, Event::IdleDone { .. })),
            "{other:?}"
        );
    }
    // A literal in place of DONE: refused without a continuation.
    let mut h = Harness::selected(config());
    h.feed(b"i IDLE\r\n");
    h.take_wire();
    h.feed(b"x {5}\r\n");
    assert_eq!(h.take_wire(), "i BAD Expected DONE\r\n");
}

#[test]
fn non_sync_literal_without_literal_plus_advertised() {
    // Neither LITERAL+ nor LITERAL- (nor IMAP4rev2): {n+} is refused, its
    // octets are skipped, and the next command is read.
    let mut c = plain_config();
    c.capabilities = vec![Capability::Imap4Rev1, Capability::Idle];
    let mut h = Harness::logged_in(c);
    h.feed(b"a APPEND INBOX {3+}\r\nabc\r\nb NOOP\r\n");
    let wire = h.take_wire();
    assert!(wire.starts_with("a BAD [TOOBIG]"), "{wire}");
    assert!(wire.ends_with("b OK NOOP completed\r\n"), "{wire}");
    assert!(!h.events.iter().any(|e| matches!(e, Event::Command { .. })));
}

#[test]
fn literal_minus_at_4096_and_4097() {
    let mut c = plain_config();
    c.capabilities = vec![Capability::Imap4Rev1, Capability::LiteralMinus];
    let mut h = Harness::logged_in(c);
    let mut cmd = b"a APPEND INBOX {4096+}\r\n".to_vec();
    cmd.extend_from_slice(&[b'x'; 4096]);
    cmd.extend_from_slice(b"\r\n");
    h.feed(&cmd);
    assert_eq!(h.take_wire(), "");
    let (id, _) = h.command();
    h.server.ok(id, "APPEND completed").unwrap();
    h.drain();
    assert_eq!(h.take_wire(), "a OK APPEND completed\r\n");
    // RFC 7888 §4: above 4096 the server answers BAD and skips the octets.
    let mut cmd = b"b APPEND INBOX {4097+}\r\n".to_vec();
    cmd.extend_from_slice(&[b'x'; 4097]);
    cmd.extend_from_slice(b"\r\nc NOOP\r\n");
    h.feed(&cmd);
    let wire = h.take_wire();
    assert!(wire.starts_with("b BAD [TOOBIG]"), "{wire}");
    assert!(wire.ends_with("c OK NOOP completed\r\n"), "{wire}");
    assert!(!h.events.iter().any(|e| matches!(e, Event::Command { .. })));
}

#[test]
fn zero_length_literal_flood_to_a_client_that_never_reads_is_bounded() {
    let mut c = plain_config();
    c.max_pending_output = 4096;
    c.max_buffered_input = 64 * 1024;
    c.auto_literal_limit = Some(0);
    let mut server = Server::new(c);
    let _ = server.poll_transmit();
    // Synchronizing {0}: each one is answered with "+ ..." by the machine.
    let chunk = b"a NOOP {0}\r\n".repeat(1000);
    let mut fed = 0;
    while !server.is_closed() && fed < 10_000_000 {
        server.feed(&chunk);
        fed += chunk.len();
    }
    assert!(server.is_closed(), "fed {fed}");
    let mut out = Vec::new();
    while let Some(b) = server.poll_transmit() {
        out.extend_from_slice(&b);
    }
    assert!(out.len() < 4096 + 200, "{}", out.len());
    assert!(out.ends_with(b"* BYE Too much pipelined input\r\n"));
}

#[test]
fn updates_to_a_client_that_never_reads_are_bounded() {
    let mut c = config();
    c.max_pending_output = 4096;
    c.max_queued_updates = 100;
    let mut h = Harness::selected(c);
    let mut pushed = 0;
    while h.server.push_update(Data::Exists(pushed + 1)).is_ok() {
        pushed += 1;
        assert!(pushed < 100_000);
    }
    // What is buffered for the wire stays near max_pending_output; the rest
    // waits in the bounded queue and leaves once the client reads.
    assert_eq!(h.server.queued_updates(), 100);
    let first = h.server.poll_transmit().unwrap().len();
    assert!(first < 4096 + 100, "{first}");
    let mut total = first;
    while let Some(b) = h.server.poll_transmit() {
        total += b.len();
    }
    let expected: usize = (1..=pushed)
        .map(|n| format!("* {n} EXISTS\r\n").len())
        .sum();
    assert_eq!(total, expected);
    assert_eq!(h.server.queued_updates(), 0);
}

#[test]
fn starttls_pipelined_gets_only_its_own_reply() {
    let mut h = Harness::new(config());
    h.take_wire();
    h.feed(b"a STARTTLS\r\nb NOOP\r\nc LOGIN joe secret\r\n");
    assert_eq!(h.take_wire(), "a OK Begin TLS negotiation now\r\n");
    h.server.tls_established().unwrap();
    h.feed(b"");
    assert_eq!(h.take_wire(), "");
    assert!(!h.events.iter().any(|e| matches!(e, Event::Login { .. })));
}

#[test]
fn search_nesting_limit_at_n_and_n_plus_1() {
    use mailwire_imap_proto::search::MAX_SEARCH_DEPTH;
    let n = MAX_SEARCH_DEPTH;
    let mut h = Harness::selected(config());
    for (depth, ok) in [(n, true), (n + 1, false)] {
        for form in ["paren", "not", "or"] {
            let keys = match form {
                "paren" => format!("{}ALL{}", "(".repeat(depth), ")".repeat(depth)),
                "not" => format!("{}ALL", "NOT ".repeat(depth)),
                _ => format!("{}ALL{}", "OR ALL ".repeat(depth), ""),
            };
            h.feed(format!("t SEARCH {keys}\r\n").as_bytes());
            let wire = h.take_wire();
            let what = format!("{form} at depth {depth}: {wire:?}");
            if ok {
                assert_eq!(wire, "", "{what}");
                let (id, _) = h.command();
                h.server.ok(id, "done").unwrap();
                h.drain();
                assert_eq!(h.take_wire(), "t OK done\r\n", "{what}");
            } else {
                assert!(wire.starts_with("t BAD "), "{what}");
                assert!(
                    !h.events.iter().any(|e| matches!(e, Event::Command { .. })),
                    "{what}"
                );
            }
            h.events.clear();
        }
    }
    // Far beyond the limit: still one BAD, no stack overflow, session goes on.
    let deep = "(".repeat(100_000);
    h.feed(format!("u SEARCH {deep}\r\nn NOOP\r\n").as_bytes());
    let wire = h.take_wire();
    assert!(wire.starts_with("u BAD "), "{wire}");
    assert!(wire.ends_with("n OK NOOP completed\r\n"), "{wire}");
}

/// RFC 9051 §6.4.1: "No untagged EXPUNGE responses are sent" during CLOSE
/// (UNSELECT likewise): queued and pushed EXPUNGEs are dropped with the
/// mailbox, other updates still go out; a failed CLOSE keeps them queued.
#[test]
fn no_expunge_during_close_or_unselect() {
    for line in ["CLOSE", "UNSELECT"] {
        let mut h = Harness::selected(config());
        h.server.push_update(Data::Expunge(2)).unwrap();
        h.server
            .push_update(Data::Capability(vec![Capability::Imap4Rev1]))
            .unwrap();
        h.feed(format!("c {line}\r\n").as_bytes());
        let (id, _) = h.command();
        assert!(!h.server.expunge_allowed(), "{line}");
        h.server.push_update(Data::Expunge(1)).unwrap();
        h.drain();
        assert_eq!(h.take_wire(), "", "{line}");
        h.server.ok(id, "done").unwrap();
        h.drain();
        assert_eq!(
            h.take_wire(),
            "* CAPABILITY IMAP4rev1\r\nc OK done\r\n",
            "{line}"
        );
        assert_eq!(h.server.state(), State::Authenticated);
        assert_eq!(h.server.queued_updates(), 0);

        // A failed CLOSE: still selected, the EXPUNGE waits for the next
        // command that allows it.
        let mut h = Harness::selected(config());
        h.server.push_update(Data::Expunge(2)).unwrap();
        h.feed(format!("c {line}\r\n").as_bytes());
        let (id, _) = h.command();
        h.server.no(id, "cannot").unwrap();
        h.drain();
        assert_eq!(h.take_wire(), "c NO cannot\r\n", "{line}");
        assert!(h.server.state().is_selected());
        h.feed(b"n NOOP\r\n");
        assert_eq!(h.take_wire(), "* 2 EXPUNGE\r\nn OK NOOP completed\r\n");
    }
}

/// What an unauthenticated client can make the server hold is bounded by
/// `max_input_not_authenticated` (at N and N+1), whatever the literal policy.
#[test]
fn input_before_authentication_is_bounded() {
    let mut c = plain_config();
    c.max_input_not_authenticated = 1000;
    c.auto_literal_limit = Some(1 << 20);
    // Synchronizing: N accepted, N+1 refused before any byte is read.
    let mut h = Harness::new(c.clone());
    h.take_wire();
    // The unit counts whole: 19 octets of line, then the literal.
    h.feed(b"a LOGIN joe {981}\r\n");
    assert_eq!(h.take_wire(), "+ Ready for literal data\r\n");
    h.feed(&[b'x'; 981]);
    h.feed(b"\r\n");
    let id = h.login_id();
    h.server.reject_login(id).unwrap();
    h.drain();
    h.take_wire();
    h.feed(b"b LOGIN joe {982}\r\n");
    assert_eq!(h.take_wire(), "b NO [TOOBIG] Literal too large\r\n");
    // Also when the application decides.
    let mut c2 = c.clone();
    c2.auto_literal_limit = None;
    let mut h2 = Harness::new(c2);
    h2.feed(b"b LOGIN joe {1001}\r\n");
    assert!(
        h2.take_wire()
            .ends_with("b NO [TOOBIG] Literal too large\r\n")
    );
    assert!(
        !h2.events
            .iter()
            .any(|e| matches!(e, Event::LiteralAnnounced { .. }))
    );
    // Non-synchronizing (LITERAL+ advertised): N+1 refused and skipped.
    h.feed(b"c LOGIN joe {1001+}\r\n");
    h.feed(&[b'x'; 1001]);
    h.feed(b"\r\nd NOOP\r\n");
    let wire = h.take_wire();
    assert!(wire.starts_with("c BAD [TOOBIG]"), "{wire}");
    assert!(wire.ends_with("d OK NOOP completed\r\n"), "{wire}");
    assert!(!h.server.is_closed());
    // Pipelined input while LOGIN waits for the application: BYE above N.
    let mut h = Harness::new(c.clone());
    h.feed(b"e LOGIN joe secret\r\n");
    let id = h.login_id();
    h.take_wire();
    let filler = format!("f NOOP{}\r\n", " ".repeat(1000 - 8));
    assert_eq!(filler.len(), 1000);
    h.feed(filler.as_bytes());
    assert!(!h.server.is_closed());
    h.feed(b" ");
    assert!(h.server.is_closed());
    assert!(
        h.take_wire()
            .ends_with("* BYE Too much pipelined input\r\n")
    );
    // Once authenticated the usual limits apply.
    let mut h = Harness::new(c);
    h.feed(b"e LOGIN joe secret\r\n");
    let id2 = h.login_id();
    h.server.accept_login(id2).unwrap();
    h.drain();
    h.take_wire();
    h.feed(b"g APPEND INBOX {5000+}\r\n");
    h.feed(&[b'x'; 5000]);
    h.feed(b"\r\n");
    assert_eq!(h.take_wire(), "");
    let _ = h.command();
    let _ = id;
}
