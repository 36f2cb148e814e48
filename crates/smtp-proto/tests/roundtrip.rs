//! proptest round trips: commands, replies, EHLO capability sets.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::borrow::Cow;

use mailwire_smtp_proto::capability::{Capabilities, Capability, EhloReply};
use mailwire_smtp_proto::command::InitialResponse;
use mailwire_smtp_proto::param::{
    Body, ByMode, MailParam, MailParams, Notify, RcptParam, RcptParams, Ret,
};
use mailwire_smtp_proto::path::{AddressLiteral, Domain, ForwardPath, Host, Mailbox, ReversePath};
use mailwire_smtp_proto::{Command, EnhancedCode, Reply, ReplyCode};
use proptest::prelude::*;

fn domain() -> impl Strategy<Value = String> {
    proptest::collection::vec("[a-z]([a-z0-9-]{0,6}[a-z0-9])?", 1..4).prop_map(|v| v.join("."))
}

fn host() -> impl Strategy<Value = Host<'static>> {
    prop_oneof![
        4 => domain().prop_map(|d| Host::Domain(Domain::parse(&d).unwrap().into_owned())),
        1 => any::<[u8; 4]>().prop_map(|a| Host::Literal(AddressLiteral::Ipv4(a.into()))),
        1 => any::<[u16; 8]>().prop_map(|a| Host::Literal(AddressLiteral::Ipv6(a.into()))),
    ]
}

fn local_part() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec("[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]{1,8}", 1..3)
            .prop_map(|v| v.join(".")),
        "[ a-zA-Z0-9.@,]{0,10}".prop_map(|s| format!("\"{s}\"")),
        "[a-z]{1,5}".prop_map(|s| format!("{s}\u{e9}")),
    ]
}

fn mailbox() -> impl Strategy<Value = Mailbox<'static>> {
    (local_part(), host())
        .prop_map(|(l, h)| Mailbox::parse(&format!("{l}@{h}")).unwrap().into_owned())
}

fn xtext_value() -> impl Strategy<Value = String> {
    "[!-~ ]{1,20}"
}

fn mail_param() -> impl Strategy<Value = MailParam<'static>> {
    prop_oneof![
        any::<u64>().prop_map(MailParam::Size),
        prop_oneof![
            Just(Body::SevenBit),
            Just(Body::EightBitMime),
            Just(Body::BinaryMime)
        ]
        .prop_map(MailParam::Body),
        Just(MailParam::SmtpUtf8),
        prop::option::of(xtext_value()).prop_map(|v| MailParam::Auth(v.map(Cow::Owned))),
        prop_oneof![Just(Ret::Full), Just(Ret::Headers)].prop_map(MailParam::Ret),
        xtext_value().prop_map(|v| MailParam::EnvId(Cow::Owned(v))),
        Just(MailParam::RequireTls),
        (-9i8..=9).prop_map(MailParam::MtPriority),
        (0u32..999_999_999).prop_map(MailParam::HoldFor),
        (-999_999_999i64..999_999_999, any::<bool>(), any::<bool>()).prop_map(
            |(time, r, trace)| MailParam::By {
                time,
                mode: if r { ByMode::Return } else { ByMode::Notify },
                trace
            }
        ),
        ("X-[A-Z]{1,6}", prop::option::of("[a-z0-9]{1,6}")).prop_map(|(k, v)| MailParam::Unknown {
            keyword: Cow::Owned(k),
            value: v.map(Cow::Owned)
        }),
    ]
}

fn keyword_of(p: &str) -> String {
    p.split('=').next().unwrap().to_ascii_uppercase()
}

fn mail_params() -> impl Strategy<Value = MailParams<'static>> {
    proptest::collection::vec(mail_param(), 0..5).prop_map(|v| {
        let mut seen = Vec::new();
        MailParams::from_params(v.into_iter().filter(|p| {
            let k = keyword_of(&p.to_string());
            let fresh = !seen.contains(&k);
            seen.push(k);
            fresh
        }))
        .unwrap()
    })
}

fn rcpt_params() -> impl Strategy<Value = RcptParams<'static>> {
    (
        prop::option::of((any::<bool>(), any::<bool>(), any::<bool>())),
        prop::option::of(("rfc822|utf-8", xtext_value())),
    )
        .prop_map(|(n, o)| {
            let mut v = Vec::new();
            if let Some((success, failure, delay)) = n {
                v.push(RcptParam::Notify(Notify {
                    success,
                    failure,
                    delay,
                }));
            }
            if let Some((t, a)) = o {
                v.push(RcptParam::Orcpt {
                    addr_type: Cow::Owned(t),
                    addr: Cow::Owned(a),
                });
            }
            RcptParams::from_params(v).unwrap()
        })
}

fn text() -> impl Strategy<Value = String> {
    "[!-~][ -~]{0,15}"
}

fn command() -> impl Strategy<Value = Command<'static>> {
    prop_oneof![
        host().prop_map(Command::Ehlo),
        host().prop_map(Command::Helo),
        host().prop_map(Command::Lhlo),
        (prop::option::of(mailbox()), mail_params()).prop_map(|(m, params)| Command::Mail {
            from: m.map_or(ReversePath::Null, ReversePath::Mailbox),
            params
        }),
        (prop::option::of(mailbox()), rcpt_params()).prop_map(|(m, params)| Command::Rcpt {
            to: m.map_or(ForwardPath::Postmaster, ForwardPath::Mailbox),
            params
        }),
        Just(Command::Data),
        (any::<u64>(), any::<bool>()).prop_map(|(size, last)| Command::Bdat { size, last }),
        Just(Command::Rset),
        text().prop_map(|s| Command::Vrfy(Cow::Owned(s))),
        text().prop_map(|s| Command::Expn(Cow::Owned(s))),
        prop::option::of(text()).prop_map(|s| Command::Help(s.map(Cow::Owned))),
        prop::option::of(text()).prop_map(|s| Command::Noop(s.map(Cow::Owned))),
        Just(Command::Quit),
        Just(Command::StartTls),
        (
            "[A-Z0-9_-]{1,20}",
            prop::option::of(prop::option::of("[A-Za-z0-9+/]{1,40}={0,2}"))
        )
            .prop_map(|(m, ir)| {
                Command::Auth {
                    mechanism: Cow::Owned(m),
                    initial_response: ir.map(|i| match i {
                        None => InitialResponse::Empty,
                        Some(b) => InitialResponse::Base64(Cow::Owned(b)),
                    }),
                }
            }),
    ]
}

fn reply() -> impl Strategy<Value = Reply> {
    (
        2u16..=5,
        0u16..=5,
        0u16..=9,
        any::<bool>(),
        0u16..1000,
        0u16..1000,
        proptest::collection::vec("([a-zA-Z][ -~]{0,20})?", 1..5),
    )
        .prop_map(|(a, b, c, enh, s, d, lines)| {
            let code = ReplyCode::new(a * 100 + b * 10 + c).unwrap();
            let e = (enh && a != 3).then(|| EnhancedCode::new(a as u8, s, d));
            Reply::multiline(code, e, lines)
        })
}

fn capability() -> impl Strategy<Value = Capability> {
    prop_oneof![
        prop::option::of(any::<u64>()).prop_map(Capability::Size),
        proptest::collection::vec("[A-Z0-9-]{1,10}", 0..4).prop_map(Capability::Auth),
        Just(Capability::Pipelining),
        Just(Capability::EightBitMime),
        Just(Capability::StartTls),
        Just(Capability::EnhancedStatusCodes),
        Just(Capability::SmtpUtf8),
        Just(Capability::Chunking),
        Just(Capability::BinaryMime),
        Just(Capability::Dsn),
        Just(Capability::RequireTls),
        Just(Capability::Help),
        prop::option::of("[A-Z]{1,6}").prop_map(Capability::MtPriority),
        prop::option::of(any::<u64>()).prop_map(Capability::DeliverBy),
        proptest::collection::vec("[0-9]{1,6}", 0..3).prop_map(Capability::FutureRelease),
        (
            "X-[A-Z]{1,6}",
            proptest::collection::vec("[a-z0-9=]{1,5}", 0..3)
        )
            .prop_map(|(keyword, params)| Capability::Unknown { keyword, params }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn command_roundtrip(cmd in command()) {
        let mut wire = Vec::new();
        cmd.write_to(&mut wire);
        let (parsed, n) = Command::parse(&wire).map_err(|e| TestCaseError::fail(format!("{e} in {:?}", String::from_utf8_lossy(&wire))))?;
        prop_assert_eq!(n, wire.len());
        prop_assert_eq!(parsed, cmd);
    }

    #[test]
    fn reply_roundtrip(r in reply()) {
        let wire = r.to_bytes();
        let (parsed, n) = Reply::parse(&wire).unwrap();
        prop_assert_eq!(n, wire.len());
        prop_assert_eq!(parsed, r);
    }

    #[test]
    fn ehlo_roundtrip(domain in domain(), greeting in prop::option::of(text()), caps in proptest::collection::vec(capability(), 0..10)) {
        let e = EhloReply { domain, greeting, capabilities: caps.into_iter().collect::<Capabilities>() };
        let (r, _) = Reply::parse(&e.to_reply().to_bytes()).unwrap();
        prop_assert_eq!(EhloReply::from_reply(&r).unwrap(), e);
    }

    #[test]
    fn parsers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = Command::parse(&bytes);
        let _ = Reply::parse(&bytes);
    }
}
