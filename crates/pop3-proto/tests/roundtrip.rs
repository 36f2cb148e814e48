//! Property tests: write → parse round trips for commands, responses and
//! capabilities; stuff → unstuff for message content.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mailwire_pop3_proto::capability::{Capability, Expire};
use mailwire_pop3_proto::multiline::{Stuffer, Unstuffer};
use mailwire_pop3_proto::{Command, Response, ResponseCode, Secret, Status};
use proptest::prelude::*;

fn word() -> impl Strategy<Value = String> {
    "[!-~]{1,40}"
}

fn msg() -> impl Strategy<Value = u32> {
    1..=u32::MAX
}

fn command() -> impl Strategy<Value = Command<'static>> {
    prop_oneof![
        word().prop_map(|n| Command::User { name: n.into() }),
        "[!-~][ -~]{0,60}".prop_map(|p| Command::Pass {
            password: Secret::from(p)
        }),
        (word(), "[0-9a-f]{32}").prop_map(|(n, d)| Command::Apop {
            name: n.into(),
            digest: d.into()
        }),
        Just(Command::Stat),
        proptest::option::of(msg()).prop_map(|m| Command::List { msg: m }),
        msg().prop_map(|m| Command::Retr { msg: m }),
        msg().prop_map(|m| Command::Dele { msg: m }),
        Just(Command::Noop),
        Just(Command::Rset),
        Just(Command::Quit),
        (msg(), any::<u32>()).prop_map(|(m, l)| Command::Top { msg: m, lines: l }),
        proptest::option::of(msg()).prop_map(|m| Command::Uidl { msg: m }),
        Just(Command::Capa),
        Just(Command::Stls),
        Just(Command::Utf8),
        (
            "[A-Z0-9_-]{1,20}",
            proptest::option::of(proptest::collection::vec(any::<u8>(), 0..100))
        )
            .prop_map(|(m, ir)| Command::Auth {
                mechanism: m.into(),
                initial_response: ir.map(Secret::new),
            }),
    ]
}

fn code() -> impl Strategy<Value = Option<ResponseCode<'static>>> {
    proptest::option::of(prop_oneof![
        Just(ResponseCode::InUse),
        Just(ResponseCode::LoginDelay),
        Just(ResponseCode::SysTemp),
        Just(ResponseCode::SysPerm),
        Just(ResponseCode::Auth),
        Just(ResponseCode::Utf8),
        "X-[A-Z]{1,8}(/[A-Z]{1,8}){0,2}".prop_map(|s| ResponseCode::Other(s.into())),
    ])
}

fn response() -> impl Strategy<Value = Response<'static>> {
    (any::<bool>(), code(), "([!-Z\\\\-~][ -~]{0,80})?").prop_map(|(ok, code, text)| Response {
        status: if ok { Status::Ok } else { Status::Err },
        code,
        text: text.into(),
    })
}

fn capability() -> impl Strategy<Value = Capability> {
    prop_oneof![
        Just(Capability::Top),
        Just(Capability::User),
        proptest::collection::vec("[A-Z0-9-]{1,20}", 0..4).prop_map(Capability::Sasl),
        Just(Capability::RespCodes),
        (any::<u32>(), any::<bool>()).prop_map(|(s, u)| Capability::LoginDelay {
            seconds: s,
            per_user: u
        }),
        Just(Capability::Pipelining),
        (proptest::option::of(any::<u32>()), any::<bool>()).prop_map(|(d, u)| Capability::Expire {
            policy: d.map_or(Expire::Never, Expire::Days),
            per_user: u
        }),
        Just(Capability::Uidl),
        "[!-~]{1,20}( [!-~]{1,20}){0,3}".prop_map(Capability::Implementation),
        Just(Capability::Stls),
        any::<bool>().prop_map(|u| Capability::Utf8 { user: u }),
        (
            "X-[A-Z]{1,10}",
            proptest::collection::vec("[!-~]{1,10}", 0..3)
        )
            .prop_map(|(tag, params)| Capability::Other { tag, params }),
    ]
}

/// What a message looks like on the wire after the stuffer: bare LF as
/// CRLF, and a final line end.
fn normalised(content: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    for (i, &b) in content.iter().enumerate() {
        if b == b'\n' && (i == 0 || content[i - 1] != b'\r') {
            v.push(b'\r');
        }
        v.push(b);
    }
    if !v.is_empty() && !v.ends_with(b"\r\n") {
        if v.ends_with(b"\r") {
            v.push(b'\n');
        } else {
            v.extend_from_slice(b"\r\n");
        }
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn command_round_trip(cmd in command()) {
        let mut wire = Vec::new();
        cmd.write_to(&mut wire);
        let (parsed, used) = Command::parse(&wire).unwrap();
        prop_assert_eq!(used, wire.len());
        prop_assert_eq!(parsed.into_owned(), cmd);
    }

    #[test]
    fn response_round_trip(r in response()) {
        let mut wire = Vec::new();
        r.write_to(&mut wire);
        let (parsed, used) = Response::parse(&wire).unwrap();
        prop_assert_eq!(used, wire.len());
        prop_assert_eq!(parsed.into_owned(), r);
    }

    #[test]
    fn capability_round_trip(c in capability()) {
        let line = c.to_string();
        prop_assert_eq!(Capability::parse(line.as_bytes()).unwrap(), c);
    }

    #[test]
    fn stuff_unstuff(content in proptest::collection::vec(prop_oneof![Just(b'.'), Just(b'\r'), Just(b'\n'), any::<u8>()], 0..300),
                     cut in any::<usize>()) {
        let mut s = Stuffer::new();
        let mut wire = Vec::new();
        let cut = cut % (content.len() + 1);
        s.write(&content[..cut], &mut wire);
        s.write(&content[cut..], &mut wire);
        s.finish(&mut wire);
        wire.extend_from_slice(b"+OK next");
        let mut u = Unstuffer::new();
        let mut out = Vec::new();
        let used = u.decode(&wire, &mut out);
        prop_assert_eq!(&wire[used.unwrap()..], b"+OK next");
        prop_assert_eq!(out, normalised(&content));
    }

    #[test]
    fn parsers_never_panic(input in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = Command::parse(&input);
        let _ = Response::parse(&input);
        let _ = Capability::parse(&input);
        let mut out = Vec::new();
        let _ = Unstuffer::new().decode(&input, &mut out);
    }
}
