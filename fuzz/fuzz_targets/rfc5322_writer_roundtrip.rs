#![no_main]
//! Writer round trip from structured input: the fuzzer's bytes become a
//! display name, a local part and a group name; whatever is accepted must
//! parse back to the same mailbox, and no line break can be injected.
use std::borrow::Cow;

use libfuzzer_sys::fuzz_target;
use mailwire_rfc5322::Message;
use mailwire_rfc5322::address::{Address, AddressList, Group, Mailbox};
use mailwire_rfc5322::writer::{HeaderWriter, Mode};

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    let mut parts = s.splitn(3, '\u{1}');
    let name = parts.next().unwrap_or("").to_string();
    let local = parts.next().unwrap_or("x").to_string();
    let group = parts.next().unwrap_or("").to_string();
    let mb = Mailbox {
        name: Some(Cow::Owned(name.clone())),
        local_part: Cow::Owned(local),
        domain: Some(Cow::Borrowed("example.com")),
        route: Vec::new(),
    };
    let list = AddressList {
        addresses: vec![
            Address::Mailbox(mb.clone()),
            Address::Group(Group {
                name: Cow::Owned(group),
                members: vec![mb],
            }),
        ],
    };
    for mode in [Mode::SevenBit, Mode::Utf8] {
        let mut w = HeaderWriter::new(mode);
        let _ = w.unstructured("Subject", &name);
        let ok = w.addresses("To", &list).is_ok();
        let out = w.finish();
        let msg = Message::parse(&out).expect("writer output parses");
        assert!(
            msg.defects().is_empty(),
            "{}",
            String::from_utf8_lossy(&out)
        );
        assert_eq!(msg.headers().len(), 1 + usize::from(ok));
        assert!(msg.body().is_empty());
        if ok {
            let back = msg.headers().get("to").expect("field").addresses().value;
            // CR/LF in names become spaces; everything else is kept.
            let mut want = list.clone();
            for a in &mut want.addresses {
                match a {
                    Address::Mailbox(m) => {
                        m.name = m
                            .name
                            .take()
                            .map(|n| Cow::Owned(n.replace(['\r', '\n'], " ")))
                    }
                    Address::Group(g) => {
                        g.name = Cow::Owned(g.name.replace(['\r', '\n'], " "));
                        for m in &mut g.members {
                            m.name = m
                                .name
                                .take()
                                .map(|n| Cow::Owned(n.replace(['\r', '\n'], " ")));
                        }
                    }
                    _ => {}
                }
            }
            assert_eq!(back, want, "{}", String::from_utf8_lossy(&out));
        }
    }
});
