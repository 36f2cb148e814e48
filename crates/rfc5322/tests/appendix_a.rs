//! Every example message of RFC 5322 Appendix A.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use mailwire_rfc5322::address::{Address, Mailbox};
use mailwire_rfc5322::msgid::parse_msg_id;
use mailwire_rfc5322::received::Received;
use mailwire_rfc5322::{DefectKind, Message};

/// Join lines with CRLF (the RFC's examples are indented by three spaces
/// in the text; here they are not).
fn crlf(lines: &[&str]) -> Vec<u8> {
    let mut v = lines.join("\r\n").into_bytes();
    v.extend_from_slice(b"\r\n");
    v
}

fn mb(m: &Mailbox<'_>) -> (Option<String>, String) {
    (m.name.as_deref().map(str::to_owned), m.addr_spec())
}

fn mailboxes(msg: &Message<'_>, field: &str) -> Vec<(Option<String>, String)> {
    let p = msg.headers().get(field).unwrap().addresses();
    p.value.mailboxes().map(mb).collect()
}

fn some(n: &str, a: &str) -> (Option<String>, String) {
    (Some(n.into()), a.into())
}

fn none(a: &str) -> (Option<String>, String) {
    (None, a.into())
}

const A11: &[&str] = &[
    "From: John Doe <jdoe@machine.example>",
    "To: Mary Smith <mary@example.net>",
    "Subject: Saying Hello",
    "Date: Fri, 21 Nov 1997 09:55:06 -0600",
    "Message-ID: <1234@local.machine.example>",
    "",
    "This is a message just to say hello.",
    "So, \"Hello\".",
];

#[test]
fn a_1_1_simple_addressing() {
    let raw = crlf(A11);
    let msg = Message::parse(&raw).unwrap();
    assert!(msg.defects().is_empty());
    assert_eq!(msg.headers().len(), 5);
    assert_eq!(
        mailboxes(&msg, "from"),
        [some("John Doe", "jdoe@machine.example")]
    );
    assert_eq!(
        mailboxes(&msg, "to"),
        [some("Mary Smith", "mary@example.net")]
    );
    assert_eq!(
        msg.headers().get("subject").unwrap().decoded(),
        "Saying Hello"
    );
    let date = msg.headers().get("date").unwrap().date().unwrap();
    assert!(date.defects.is_empty());
    assert_eq!(date.value.to_string(), "Fri, 21 Nov 1997 09:55:06 -0600");
    let id = parse_msg_id(msg.headers().get("message-id").unwrap().value())
        .value
        .unwrap();
    assert_eq!((&*id.left, &*id.right), ("1234", "local.machine.example"));
    assert_eq!(
        msg.body(),
        b"This is a message just to say hello.\r\nSo, \"Hello\".\r\n"
    );

    // With Sender.
    let mut lines = A11.to_vec();
    lines.insert(1, "Sender: Michael Jones <mjones@machine.example>");
    let raw = crlf(&lines);
    let msg = Message::parse(&raw).unwrap();
    let sender = msg.headers().get("sender").unwrap().mailbox();
    assert!(sender.defects.is_empty());
    assert_eq!(
        mb(&sender.value.unwrap()),
        some("Michael Jones", "mjones@machine.example")
    );
}

#[test]
fn a_1_2_different_mailboxes() {
    let raw = crlf(&[
        "From: \"Joe Q. Public\" <john.q.public@example.com>",
        "To: Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>",
        "Cc: <boss@nil.test>, \"Giant; \\\"Big\\\" Box\" <sysservices@example.net>",
        "Date: Tue, 1 Jul 2003 10:52:37 +0200",
        "Message-ID: <5678.21-Nov-1997@example.com>",
        "",
        "Hi everyone.",
    ]);
    let msg = Message::parse(&raw).unwrap();
    assert!(msg.defects().is_empty());
    assert_eq!(
        mailboxes(&msg, "From"),
        [some("Joe Q. Public", "john.q.public@example.com")]
    );
    assert_eq!(
        mailboxes(&msg, "To"),
        [
            some("Mary Smith", "mary@x.test"),
            none("jdoe@example.org"),
            some("Who?", "one@y.test")
        ]
    );
    assert_eq!(
        mailboxes(&msg, "Cc"),
        [
            none("boss@nil.test"),
            some("Giant; \"Big\" Box", "sysservices@example.net")
        ]
    );
    for f in ["From", "To", "Cc"] {
        assert!(
            msg.headers().get(f).unwrap().addresses().defects.is_empty(),
            "{f}"
        );
    }
    let d = msg.headers().get("date").unwrap().date().unwrap().value;
    assert_eq!(
        (d.year, d.month, d.day, d.offset_minutes),
        (2003, 7, 1, 120)
    );
    let id = parse_msg_id(msg.headers().get("message-id").unwrap().value())
        .value
        .unwrap();
    assert_eq!(id.left, "5678.21-Nov-1997");
}

#[test]
fn a_1_3_group_addresses() {
    let raw = crlf(&[
        "From: Pete <pete@silly.example>",
        "To: A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;",
        "Cc: Undisclosed recipients:;",
        "Date: Thu, 13 Feb 1969 23:32:54 -0330",
        "Message-ID: <testabcd.1234@silly.example>",
        "",
        "Testing.",
    ]);
    let msg = Message::parse(&raw).unwrap();
    let to = msg.headers().get("to").unwrap().addresses();
    assert!(to.defects.is_empty());
    let [Address::Group(g)] = to.value.addresses.as_slice() else {
        panic!("{:?}", to.value)
    };
    assert_eq!(g.name, "A Group");
    assert_eq!(
        g.members.iter().map(mb).collect::<Vec<_>>(),
        [
            some("Ed Jones", "c@a.test"),
            none("joe@where.test"),
            some("John", "jdoe@one.test")
        ]
    );
    let cc = msg.headers().get("cc").unwrap().addresses();
    assert!(cc.defects.is_empty());
    let [Address::Group(g)] = cc.value.addresses.as_slice() else {
        panic!()
    };
    assert_eq!(g.name, "Undisclosed recipients");
    assert!(g.members.is_empty());
    let d = msg.headers().get("date").unwrap().date().unwrap().value;
    assert_eq!((d.year, d.offset_minutes), (1969, -210));
    assert!(d.unix_timestamp() < 0);
}

#[test]
fn a_2_reply_messages() {
    let raw = crlf(&[
        "From: Mary Smith <mary@example.net>",
        "To: John Doe <jdoe@machine.example>",
        "Reply-To: \"Mary Smith: Personal Account\" <smith@home.example>",
        "Subject: Re: Saying Hello",
        "Date: Fri, 21 Nov 1997 10:01:10 -0600",
        "Message-ID: <3456@example.net>",
        "In-Reply-To: <1234@local.machine.example>",
        "References: <1234@local.machine.example>",
        "",
        "This is a reply to your hello.",
    ]);
    let msg = Message::parse(&raw).unwrap();
    assert_eq!(
        mailboxes(&msg, "reply-to"),
        [some("Mary Smith: Personal Account", "smith@home.example")]
    );
    let irt = msg.headers().get("in-reply-to").unwrap().msg_ids().value;
    assert_eq!(irt.len(), 1);
    assert_eq!(irt[0].to_string(), "<1234@local.machine.example>");

    let raw = crlf(&[
        "To: \"Mary Smith: Personal Account\" <smith@home.example>",
        "From: John Doe <jdoe@machine.example>",
        "Subject: Re: Saying Hello",
        "Date: Fri, 21 Nov 1997 11:00:00 -0600",
        "Message-ID: <abcd.1234@local.machine.test>",
        "In-Reply-To: <3456@example.net>",
        "References: <1234@local.machine.example> <3456@example.net>",
        "",
        "This is a reply to your reply.",
    ]);
    let msg = Message::parse(&raw).unwrap();
    let refs = msg.headers().get("references").unwrap().msg_ids();
    assert!(refs.defects.is_empty());
    let refs: Vec<String> = refs.value.iter().map(ToString::to_string).collect();
    assert_eq!(refs, ["<1234@local.machine.example>", "<3456@example.net>"]);
}

#[test]
fn a_3_resent_messages() {
    let mut lines = vec![
        "Resent-From: Mary Smith <mary@example.net>",
        "Resent-To: Jane Brown <j-brown@other.example>",
        "Resent-Date: Mon, 24 Nov 1997 14:22:01 -0800",
        "Resent-Message-ID: <78910@example.net>",
    ];
    lines.extend_from_slice(A11);
    let raw = crlf(&lines);
    let msg = Message::parse(&raw).unwrap();
    assert_eq!(msg.headers().len(), 9);
    assert_eq!(
        mailboxes(&msg, "resent-to"),
        [some("Jane Brown", "j-brown@other.example")]
    );
    let d = msg.headers().get("resent-date").unwrap().date().unwrap();
    assert!(d.defects.is_empty());
    assert_eq!(d.value.offset_minutes, -480);
    // Field order is kept.
    let names: Vec<&str> = msg.headers().iter().map(|f| f.name()).collect();
    assert_eq!(
        names[..5],
        [
            "Resent-From",
            "Resent-To",
            "Resent-Date",
            "Resent-Message-ID",
            "From"
        ]
    );
}

#[test]
fn a_4_trace_fields() {
    let raw = crlf(&[
        "Received: from x.y.test",
        "   by example.net",
        "   via TCP",
        "   with ESMTP",
        "   id ABC12345",
        "   for <mary@example.net>;  21 Nov 1997 10:05:43 -0600",
        "Received: from node.example by x.y.test; 21 Nov 1997 10:01:22 -0600",
        "From: John Doe <jdoe@node.example>",
        "To: Mary Smith <mary@example.net>",
        "Subject: Saying Hello",
        "Date: Fri, 21 Nov 1997 09:55:06 -0600",
        "Message-ID: <1234@local.node.example>",
        "",
        "This is a message just to say hello.",
        "So, \"Hello\".",
    ]);
    let msg = Message::parse(&raw).unwrap();
    let rs: Vec<_> = msg.headers().get_all("received").collect();
    assert_eq!(rs.len(), 2);
    // The raw field keeps the folding exactly, and its range points at it.
    assert!(
        rs[0]
            .raw()
            .starts_with(b"Received: from x.y.test\r\n   by example.net\r\n")
    );
    assert_eq!(&raw[rs[0].range()], rs[0].raw());
    assert_eq!(rs[1].received().value.get("by"), Some("x.y.test"));
    let r = Received::parse(rs[0].value());
    assert!(r.defects.is_empty(), "{:?}", r.defects);
    let r = r.value;
    assert_eq!(r.get("from"), Some("x.y.test"));
    assert_eq!(r.get("by"), Some("example.net"));
    assert_eq!(r.get("via"), Some("TCP"));
    assert_eq!(r.get("with"), Some("ESMTP"));
    assert_eq!(r.get("id"), Some("ABC12345"));
    assert_eq!(r.get("for"), Some("<mary@example.net>"));
    let d = r.date.unwrap();
    assert_eq!(
        (d.day, d.hour, d.minute, d.second, d.day_of_week),
        (21, 10, 5, 43, None)
    );
    let r2 = Received::parse(rs[1].value()).value;
    assert_eq!(r2.tokens, ["from", "node.example", "by", "x.y.test"]);
    assert_eq!(r2.date.unwrap().minute, 1);
}

#[test]
fn a_5_white_space_comments_oddities() {
    let raw = crlf(&[
        "From: Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>",
        "To:A Group(Some people)",
        "     :Chris Jones <c@(Chris's host.)public.example>,",
        "         joe@example.org,",
        "  John <jdoe@one.test> (my dear friend); (the end of the group)",
        "Cc:(Empty list)(start)Hidden recipients  :(nobody(that I know))  ;",
        "Date: Thu,",
        "      13",
        "        Feb",
        "          1969",
        "      23:32",
        "               -0330 (Newfoundland Time)",
        "Message-ID:              <testabcd.1234@silly.test>",
        "",
        "Testing.",
    ]);
    let msg = Message::parse(&raw).unwrap();
    assert!(msg.defects().is_empty());
    let from = msg.headers().get("from").unwrap().addresses();
    assert!(from.defects.is_empty());
    assert_eq!(
        from.value.mailboxes().map(mb).collect::<Vec<_>>(),
        [some("Pete", "pete@silly.test")]
    );
    let to = msg.headers().get("to").unwrap().addresses();
    assert!(to.defects.is_empty(), "{:?}", to.defects);
    let [Address::Group(g)] = to.value.addresses.as_slice() else {
        panic!()
    };
    assert_eq!(g.name, "A Group");
    assert_eq!(
        g.members.iter().map(mb).collect::<Vec<_>>(),
        [
            some("Chris Jones", "c@public.example"),
            none("joe@example.org"),
            some("John", "jdoe@one.test")
        ]
    );
    let cc = msg.headers().get("cc").unwrap().addresses();
    assert!(cc.defects.is_empty());
    let [Address::Group(g)] = cc.value.addresses.as_slice() else {
        panic!()
    };
    assert_eq!(g.name, "Hidden recipients");
    assert!(g.members.is_empty());
    let d = msg.headers().get("date").unwrap().date().unwrap();
    assert!(d.defects.is_empty(), "{:?}", d.defects);
    assert_eq!(d.value.to_string(), "Thu, 13 Feb 1969 23:32:00 -0330");
    let id = msg.headers().get("message-id").unwrap().msg_ids();
    assert!(id.defects.is_empty());
    assert_eq!(id.value[0].to_string(), "<testabcd.1234@silly.test>");
}

#[test]
fn a_6_1_obsolete_addressing() {
    let raw = crlf(&[
        "From: Joe Q. Public <john.q.public@example.com>",
        "To: Mary Smith <@node.test:mary@example.net>, , jdoe@test  . example",
        "Date: Tue, 1 Jul 2003 10:52:37 +0200",
        "Message-ID: <5678.21-Nov-1997@example.com>",
        "",
        "Hi everyone.",
    ]);
    let msg = Message::parse(&raw).unwrap();
    let from = msg.headers().get("from").unwrap().addresses();
    assert_eq!(
        from.value.mailboxes().map(mb).collect::<Vec<_>>(),
        [some("Joe Q. Public", "john.q.public@example.com")]
    );
    assert!(
        from.defects
            .iter()
            .all(|d| d.kind == DefectKind::ObsoleteSyntax)
    );
    assert!(!from.defects.is_empty());
    let to = msg.headers().get("to").unwrap().addresses();
    let kinds: Vec<_> = to.defects.iter().map(|d| d.kind).collect();
    assert!(kinds.contains(&DefectKind::ObsoleteSyntax));
    assert!(kinds.contains(&DefectKind::EmptyListElement));
    let boxes: Vec<_> = to.value.mailboxes().collect();
    assert_eq!(boxes.len(), 2);
    assert_eq!(mb(boxes[0]), some("Mary Smith", "mary@example.net"));
    assert_eq!(boxes[0].route, ["node.test"]);
    assert_eq!(mb(boxes[1]), none("jdoe@test.example"));
}

#[test]
fn a_6_2_obsolete_dates() {
    let raw = crlf(&[
        "From: John Doe <jdoe@machine.example>",
        "To: Mary Smith <mary@example.net>",
        "Subject: Saying Hello",
        "Date: 21 Nov 97 09:55:06 GMT",
        "Message-ID: <1234@local.machine.example>",
        "",
        "This is a message just to say hello.",
        "So, \"Hello\".",
    ]);
    let msg = Message::parse(&raw).unwrap();
    let d = msg.headers().get("date").unwrap().date().unwrap();
    let kinds: Vec<_> = d.defects.iter().map(|d| d.kind).collect();
    assert_eq!(
        kinds,
        [DefectKind::ObsoleteYear, DefectKind::ObsoleteSyntax]
    );
    assert_eq!(d.value.to_string(), "Fri, 21 Nov 1997 09:55:06 +0000");
    assert!(!d.value.offset_unknown);
}

#[test]
fn a_6_3_obsolete_white_space_and_comments() {
    let raw = crlf(&[
        "From  : John Doe <jdoe@machine(comment).  example>",
        "To    : Mary Smith",
        "  ",
        "          <mary@example.net>",
        "Subject     : Saying Hello",
        "Date  : Fri, 21 Nov 1997 09(comment):   55  :  06 -0600",
        "Message-ID  : <1234   @   local(blah)  .machine .example>",
        "",
        "This is a message just to say hello.",
        "So, \"Hello\".",
    ]);
    let msg = Message::parse(&raw).unwrap();
    let kinds: Vec<_> = msg.defects().iter().map(|d| d.kind).collect();
    assert_eq!(
        kinds,
        [DefectKind::WhitespaceBeforeColon; 5],
        "{:?}",
        msg.defects()
    );
    let names: Vec<&str> = msg.headers().iter().map(|f| f.name()).collect();
    assert_eq!(names, ["From", "To", "Subject", "Date", "Message-ID"]);
    assert_eq!(
        mailboxes(&msg, "from"),
        [some("John Doe", "jdoe@machine.example")]
    );
    assert_eq!(
        mailboxes(&msg, "to"),
        [some("Mary Smith", "mary@example.net")]
    );
    assert_eq!(
        msg.headers().get("subject").unwrap().decoded(),
        "Saying Hello"
    );
    let d = msg.headers().get("date").unwrap().date().unwrap().value;
    assert_eq!(d.to_string(), "Fri, 21 Nov 1997 09:55:06 -0600");
    let id = msg.headers().get("message-id").unwrap().msg_ids().value;
    assert_eq!(id[0].to_string(), "<1234@local.machine.example>");
    // The "To" value keeps the whitespace-only folding line verbatim.
    assert_eq!(
        msg.headers().get("to").unwrap().value(),
        b" Mary Smith\r\n  \r\n          <mary@example.net>"
    );
}
