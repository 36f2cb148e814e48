//! A table of address-list cases (RFC 5322 §3.4 and the obsolete forms of
//! §4.4): input, expected parse, expected defect kinds.
//!
//! Rendering: `"display name" <local@domain>` (`?` for a missing domain,
//! `@r1,@r2:` for an obs-route), groups as `"name": [members]`, elements
//! joined by ` | `.
#![allow(clippy::unwrap_used, clippy::panic, missing_docs)]

mod common;

use mailwire_rfc5322::address::AddressList;

const CASES: &[(&str, &str, &str)] = &[
    ("a@b.c", "<a@b.c>", ""),
    (" a@b.c ", "<a@b.c>", ""),
    ("A@EXAMPLE.COM", "<A@EXAMPLE.COM>", ""),
    ("john.doe@example.com", "<john.doe@example.com>", ""),
    (
        "first.middle.last@sub.domain.example",
        "<first.middle.last@sub.domain.example>",
        "",
    ),
    ("user+tag@example.com", "<user+tag@example.com>", ""),
    (
        "user-name_x@example.co.uk",
        "<user-name_x@example.co.uk>",
        "",
    ),
    (
        "!#$%&'*+-/=?^_`{|}~@example.com",
        "<!#$%&'*+-/=?^_`{|}~@example.com>",
        "",
    ),
    ("\"john doe\"@example.com", "<john doe@example.com>", ""),
    (
        "\"john\\\"q\\\"doe\"@example.com",
        "<john\"q\"doe@example.com>",
        "",
    ),
    ("\"a\\\\b\"@example.com", "<a\\b@example.com>", ""),
    ("\"\"@example.com", "<@example.com>", ""),
    ("\"a.b\"@example.com", "<a.b@example.com>", ""),
    ("a@[192.0.2.1]", "<a@[192.0.2.1]>", ""),
    ("a@[IPv6:2001:db8::1]", "<a@[IPv6:2001:db8::1]>", ""),
    ("a@[ 192.0.2.1 ]", "<a@[192.0.2.1]>", ""),
    ("a@localhost", "<a@localhost>", ""),
    ("<a@b.c>", "<a@b.c>", ""),
    ("< a@b.c >", "<a@b.c>", ""),
    ("<a@b.c> ", "<a@b.c>", ""),
    ("John <a@b.c>", "\"John\" <a@b.c>", ""),
    ("John Doe <a@b.c>", "\"John Doe\" <a@b.c>", ""),
    ("John  Doe   <a@b.c>", "\"John Doe\" <a@b.c>", ""),
    ("\"John Doe\" <a@b.c>", "\"John Doe\" <a@b.c>", ""),
    ("\"John  Doe\" <a@b.c>", "\"John  Doe\" <a@b.c>", ""),
    ("\"Doe, John\" <a@b.c>", "\"Doe, John\" <a@b.c>", ""),
    (
        "\"Doe, John\" <a@b.c>, \"Roe, Jane\" <j@r.c>",
        "\"Doe, John\" <a@b.c> | \"Roe, Jane\" <j@r.c>",
        "",
    ),
    ("\"\" <a@b.c>", "\"\" <a@b.c>", ""),
    (
        "\"\\\"quoted\\\"\" <a@b.c>",
        "\"\\\"quoted\\\"\" <a@b.c>",
        "",
    ),
    ("\"a\\\\b\" <a@b.c>", "\"a\\\\b\" <a@b.c>", ""),
    (
        "John Q. Public <a@b.c>",
        "\"John Q. Public\" <a@b.c>",
        "ObsoleteSyntax",
    ),
    (
        "Joe Q. Public <john.q.public@example.com>",
        "\"Joe Q. Public\" <john.q.public@example.com>",
        "ObsoleteSyntax",
    ),
    ("Who? <one@y.test>", "\"Who?\" <one@y.test>", ""),
    (
        "J. R. R. Tolkien <jrr@shire.example>",
        "\"J. R. R. Tolkien\" <jrr@shire.example>",
        "ObsoleteSyntax",
    ),
    (
        "\"J. R. R.\" Tolkien <jrr@shire.example>",
        "\"J. R. R. Tolkien\" <jrr@shire.example>",
        "",
    ),
    (
        "John \"the man\" Doe <a@b.c>",
        "\"John the man Doe\" <a@b.c>",
        "",
    ),
    ("a@b.c, d@e.f", "<a@b.c> | <d@e.f>", ""),
    ("a@b.c,d@e.f", "<a@b.c> | <d@e.f>", ""),
    ("a@b.c , d@e.f , g@h.i", "<a@b.c> | <d@e.f> | <g@h.i>", ""),
    (
        "a@b.c, John <d@e.f>, \"X Y\" <g@h.i>",
        "<a@b.c> | \"John\" <d@e.f> | \"X Y\" <g@h.i>",
        "",
    ),
    (
        "John <a@b.c>, Jane <d@e.f>",
        "\"John\" <a@b.c> | \"Jane\" <d@e.f>",
        "",
    ),
    ("a@b.c,", "<a@b.c>", "EmptyListElement"),
    (",a@b.c", "<a@b.c>", "EmptyListElement"),
    ("a@b.c,,d@e.f", "<a@b.c> | <d@e.f>", "EmptyListElement"),
    ("a@b.c, , d@e.f", "<a@b.c> | <d@e.f>", "EmptyListElement"),
    (
        ", , a@b.c, ,",
        "<a@b.c>",
        "EmptyListElement,EmptyListElement,EmptyListElement,EmptyListElement",
    ),
    (",", "", "EmptyListElement,EmptyListElement"),
    ("(comment only)", "", ""),
    ("a@b.c (John Doe)", "<a@b.c>", ""),
    ("(John Doe) a@b.c", "<a@b.c>", ""),
    ("a(x)@b.c", "<a@b.c>", ""),
    ("a@(x)b.c", "<a@b.c>", ""),
    ("a@b(x).c", "<a@b.c>", "ObsoleteSyntax"),
    ("a(x)(y)@b.c", "<a@b.c>", ""),
    ("John (middle) Doe <a@b.c>", "\"John Doe\" <a@b.c>", ""),
    ("John <a@b.c> (comment)", "\"John\" <a@b.c>", ""),
    ("John <(c)a@b.c(d)>", "\"John\" <a@b.c>", ""),
    (
        "(a) John (b) <(c) a (d) @ (e) b.c (f)> (g)",
        "\"John\" <a@b.c>",
        "",
    ),
    (
        "Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>",
        "\"Pete\" <pete@silly.test>",
        "",
    ),
    ("a@b.c (unterminated", "<a@b.c>", "Unterminated"),
    ("a@b.c (nested (deep (deeper)))", "<a@b.c>", ""),
    (
        "\"unterminated <a@b.c>",
        "<unterminated <a@b.c>@?>",
        "Unterminated,MissingDomain",
    ),
    ("John <a@b.c", "\"John\" <a@b.c>", "Unterminated"),
    (
        "John <a@b.c, d@e.f",
        "\"John\" <a@b.c> | <d@e.f>",
        "Unterminated",
    ),
    ("<a@b.c>>", "<a@b.c>", "UnexpectedText"),
    (
        "A Group:a@b.c,d@e.f;",
        "\"A Group\": [<a@b.c>, <d@e.f>]",
        "",
    ),
    (
        "A Group: a@b.c, d@e.f;",
        "\"A Group\": [<a@b.c>, <d@e.f>]",
        "",
    ),
    ("A Group:;", "\"A Group\": []", ""),
    (
        "Undisclosed recipients:;",
        "\"Undisclosed recipients\": []",
        "",
    ),
    (
        "undisclosed-recipients:;",
        "\"undisclosed-recipients\": []",
        "",
    ),
    ("Group: ;", "\"Group\": []", ""),
    ("Group:(comment);", "\"Group\": []", ""),
    ("Group: , , ;", "\"Group\": []", ""),
    ("Group: a@b.c;, d@e.f", "\"Group\": [<a@b.c>] | <d@e.f>", ""),
    ("d@e.f, Group: a@b.c;", "<d@e.f> | \"Group\": [<a@b.c>]", ""),
    (
        "Group1: a@b.c;, Group2: d@e.f;",
        "\"Group1\": [<a@b.c>] | \"Group2\": [<d@e.f>]",
        "",
    ),
    (
        "Group: John <a@b.c>, \"X\" <d@e.f>;",
        "\"Group\": [\"John\" <a@b.c>, \"X\" <d@e.f>]",
        "",
    ),
    ("Group: a@b.c", "\"Group\": [<a@b.c>]", "Unterminated"),
    (
        "Group: a@b.c; trailing@x.y",
        "\"Group\": [<a@b.c>]",
        "UnexpectedText",
    ),
    (
        "\"Quoted Group\": a@b.c;",
        "\"Quoted Group\": [<a@b.c>]",
        "",
    ),
    (
        "A Group(Some people):Chris Jones <c@(Chris's host.)public.example>, joe@example.org, John <jdoe@one.test> (my dear friend); (the end of the group)",
        "\"A Group\": [\"Chris Jones\" <c@public.example>, <joe@example.org>, \"John\" <jdoe@one.test>]",
        "",
    ),
    (
        "(Empty list)(start)Hidden recipients  :(nobody(that I know))  ;",
        "\"Hidden recipients\": []",
        "",
    ),
    (
        "Outer: Inner: a@b.c;;",
        "\"Outer\": [<a@b.c>]",
        "UnexpectedText",
    ),
    ("Group: <a@b.c>;", "\"Group\": [<a@b.c>]", ""),
    (
        "<@route.test:a@b.c>",
        "<@route.test:a@b.c>",
        "ObsoleteSyntax",
    ),
    (
        "<@r1.test,@r2.test:a@b.c>",
        "<@r1.test,@r2.test:a@b.c>",
        "ObsoleteSyntax",
    ),
    (
        "Mary Smith <@node.test:mary@example.net>",
        "\"Mary Smith\" <@node.test:mary@example.net>",
        "ObsoleteSyntax",
    ),
    (
        "<,@r1.test,,@r2.test:a@b.c>",
        "<@r1.test,@r2.test:a@b.c>",
        "ObsoleteSyntax",
    ),
    (
        "< @ r1.test : a@b.c >",
        "<@r1.test:a@b.c>",
        "ObsoleteSyntax",
    ),
    (
        "jdoe@test  . example",
        "<jdoe@test.example>",
        "ObsoleteSyntax",
    ),
    (
        "john . doe@example.com",
        "<john.doe@example.com>",
        "ObsoleteSyntax",
    ),
    (
        "john. doe@example.com",
        "<john.doe@example.com>",
        "ObsoleteSyntax",
    ),
    (
        "\"john\".doe@example.com",
        "<john.doe@example.com>",
        "ObsoleteSyntax",
    ),
    (
        "john.\"doe\"@example.com",
        "<john.doe@example.com>",
        "ObsoleteSyntax",
    ),
    (
        "john(c).doe@example.com",
        "<john.doe@example.com>",
        "ObsoleteSyntax",
    ),
    ("a..b@example.com", "<a..b@example.com>", "ObsoleteSyntax"),
    ("a.@example.com", "<a.@example.com>", "ObsoleteSyntax"),
    (".a@example.com", "<.a@example.com>", "ObsoleteSyntax"),
    ("a@b..c", "<a@b..c>", "ObsoleteSyntax"),
    ("root", "<root@?>", "MissingDomain"),
    ("root, a@b.c", "<root@?> | <a@b.c>", "MissingDomain"),
    ("John Doe", "<John Doe@?>", "MissingDomain,ObsoleteSyntax"),
    ("<root>", "<root@?>", "MissingDomain"),
    ("<>", "<@?>", "MissingDomain"),
    ("John <>", "\"John\" <@?>", "MissingDomain"),
    ("@b.c", "", "UnexpectedText"),
    ("a@", "<a@?>", "MissingDomain"),
    ("a@b.c@d.e", "<a@b.c>", "UnexpectedText"),
    ("<a@b.c> <d@e.f>", "<a@b.c>", "UnexpectedText"),
    ("a@b.c d@e.f", "<a@b.c>", "UnexpectedText"),
    (
        "Doe, John <a@b.c>",
        "<Doe@?> | \"John\" <a@b.c>",
        "MissingDomain",
    ),
    ("John <a@b.c>;", "\"John\" <a@b.c>", "UnexpectedText"),
    ("a@b.c>", "<a@b.c>", "UnexpectedText"),
    (">a@b.c", "", "UnexpectedText"),
    ("[a@b.c]", "", "UnexpectedText"),
    ("a@b.c]", "<a@b.c>", "UnexpectedText"),
    ("\"a\" \"b\" <a@b.c>", "\"a b\" <a@b.c>", ""),
    (
        "=?UTF-8?Q?Andr=C3=A9?= <andre@x.test>",
        "\"André\" <andre@x.test>",
        "",
    ),
    (
        "=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>",
        "\"André Pirard\" <PIRARD@vm1.ulg.ac.be>",
        "",
    ),
    (
        "=?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>",
        "\"Keith Moore\" <moore@cs.utk.edu>",
        "",
    ),
    (
        "=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>",
        "\"Keld Jørn Simonsen\" <keld@dkuug.dk>",
        "",
    ),
    (
        "=?utf-8?B?5pel5pys6Kqe?= <nihongo@example.jp>",
        "\"日本語\" <nihongo@example.jp>",
        "",
    ),
    (
        "=?utf-8?Q?a?= =?utf-8?Q?b?= <ab@x.test>",
        "\"ab\" <ab@x.test>",
        "",
    ),
    (
        "=?utf-8?Q?a?= b =?utf-8?Q?c?= <abc@x.test>",
        "\"a b c\" <abc@x.test>",
        "",
    ),
    (
        "\"=?utf-8?Q?Andr=C3=A9?=\" <andre@x.test>",
        "\"André\" <andre@x.test>",
        "EncodedWordInQuotedString",
    ),
    (
        "=?bogus?Q?x?= <x@y.test>",
        "\"=?bogus?Q?x?=\" <x@y.test>",
        "UnknownCharset",
    ),
    (
        "=?utf-8?Q?caf=C3?= =?utf-8?Q?=A9?= <cafe@x.test>",
        "\"café\" <cafe@x.test>",
        "",
    ),
    (
        "x=?utf-8?Q?a?= <x@y.test>",
        "\"x=?utf-8?Q?a?=\" <x@y.test>",
        "",
    ),
    ("Grüße <g@example.com>", "\"Grüße\" <g@example.com>", ""),
    (
        "\"Jöran Øster\" <jo@example.com>",
        "\"Jöran Øster\" <jo@example.com>",
        "",
    ),
    ("jöran@bücher.example", "<jöran@bücher.example>", ""),
    ("用户@例子.广告", "<用户@例子.广告>", ""),
    (
        "Ἀχιλλεύς <achilles@example.gr>",
        "\"Ἀχιλλεύς\" <achilles@example.gr>",
        "",
    ),
    ("a@b.c\t,\td@e.f", "<a@b.c> | <d@e.f>", ""),
    ("John\tDoe\t<a@b.c>", "\"John Doe\" <a@b.c>", ""),
    ("a@b.c,\r\n d@e.f", "<a@b.c> | <d@e.f>", ""),
    ("John\r\n Doe <a@b.c>", "\"John Doe\" <a@b.c>", ""),
    ("\"John\r\n Doe\" <a@b.c>", "\"John Doe\" <a@b.c>", ""),
    ("<a@b.c\r\n>", "<a@b.c>", ""),
    ("a\r\n @b.c", "<a@b.c>", ""),
    (
        "\"very.unusual.@.unusual.com\"@example.com",
        "<very.unusual.@.unusual.com@example.com>",
        "",
    ),
    (
        "\"()<>[]:,;@\\\\\\\"!#$%&'-/=?^_`{}| ~.a\"@example.org",
        "<()<>[]:,;@\\\"!#$%&'-/=?^_`{}| ~.a@example.org>",
        "",
    ),
    ("\" \"@example.org", "< @example.org>", ""),
    (
        "postmaster@[123.123.123.123]",
        "<postmaster@[123.123.123.123]>",
        "",
    ),
    ("user@[IPv6:::1]", "<user@[IPv6:::1]>", ""),
    ("a@b-c.d", "<a@b-c.d>", ""),
    ("a@xn--bcher-kva.example", "<a@xn--bcher-kva.example>", ""),
    (
        "Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>",
        "\"Mary Smith\" <mary@x.test> | <jdoe@example.org> | \"Who?\" <one@y.test>",
        "",
    ),
    (
        "<boss@nil.test>, \"Giant; \\\"Big\\\" Box\" <sysservices@example.net>",
        "<boss@nil.test> | \"Giant; \\\"Big\\\" Box\" <sysservices@example.net>",
        "",
    ),
    (
        "\"Mary Smith: Personal Account\" <smith@home.example>",
        "\"Mary Smith: Personal Account\" <smith@home.example>",
        "",
    ),
    (
        "Chris Jones <c@(Chris's host.)public.example>",
        "\"Chris Jones\" <c@public.example>",
        "",
    ),
    (
        "Pete <pete@silly.example>",
        "\"Pete\" <pete@silly.example>",
        "",
    ),
    (
        "Name With Trailing Space  <a@b.c>",
        "\"Name With Trailing Space\" <a@b.c>",
        "",
    ),
    ("<a@b.c> John", "<a@b.c>", "UnexpectedText"),
    ("John <a@b.c> <d@e.f>", "\"John\" <a@b.c>", "UnexpectedText"),
    (";", "", "UnexpectedText"),
    ("a@b.c;", "<a@b.c>", "UnexpectedText"),
    (":", "\"\": []", "NonStandardSyntax,Unterminated"),
    (":a@b.c;", "\"\": [<a@b.c>]", "NonStandardSyntax"),
    ("\"Group\" :;", "\"Group\": []", ""),
    ("a@b.c (c1) (c2) , (c3) d@e.f (c4)", "<a@b.c> | <d@e.f>", ""),
    ("<a@b.c>,<d@e.f>,<g@h.i>", "<a@b.c> | <d@e.f> | <g@h.i>", ""),
    (
        "x@y.z, \"quoted, with comma\" <q@y.z>, (comment, with comma) c@y.z",
        "<x@y.z> | \"quoted, with comma\" <q@y.z> | <c@y.z>",
        "",
    ),
    ("\"a@b.c\" <d@e.f>", "\"a@b.c\" <d@e.f>", ""),
    ("a@b.c <d@e.f>", "<a@b.c>", "UnexpectedText"),
    ("John.Doe <a@b.c>", "\"John.Doe\" <a@b.c>", "ObsoleteSyntax"),
    (
        "Mr. John Doe <a@b.c>",
        "\"Mr. John Doe\" <a@b.c>",
        "ObsoleteSyntax",
    ),
    ("O'Brien <ob@example.ie>", "\"O'Brien\" <ob@example.ie>", ""),
    (
        "\"O'Brien, Pat\" <ob@example.ie>",
        "\"O'Brien, Pat\" <ob@example.ie>",
        "",
    ),
    ("\0 <a@b.c>", "", "UnexpectedText"),
    (
        "John <a\0@b.c>",
        "\"John\" <a@?>",
        "MissingDomain,UnexpectedText",
    ),
    ("a@b.c\u{7f}", "<a@b.c>", "UnexpectedText"),
    (
        "=?utf-8?Q?x?=@example.com",
        "<=?utf-8?Q?x?=@example.com>",
        "",
    ),
];

#[test]
fn address_table() {
    assert!(CASES.len() >= 150, "{}", CASES.len());
    let mut failures = Vec::new();
    for (input, want, want_defects) in CASES {
        let p = AddressList::parse(input.as_bytes());
        let got = common::render(&p.value);
        let got_defects = common::render_defects(&p.defects);
        if got != *want || got_defects != *want_defects {
            failures.push(format!(
                "input:   {input:?}\n  want:  {want} [{want_defects}]\n  got:   {got} [{got_defects}]"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn owned_equals_borrowed() {
    for (input, _, _) in CASES {
        let p = AddressList::parse(input.as_bytes()).value;
        let owned = p.clone().into_owned();
        assert_eq!(common::render(&p), common::render(&owned));
    }
}
