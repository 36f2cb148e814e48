//! FETCH rendering over arbitrary message bytes and arbitrary FETCH items:
//! no panic; the fast path (`write_fetch`) writes exactly what the typed
//! items (`render`) write; the output parses back (`Response::parse`) to the
//! same items.
//!
//! Input: `[n][n bytes of FETCH items][message]`. Items that do not parse
//! are replaced by one of a fixed set of lists chosen by `n`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailwire_imap_proto::datetime::DateTime;
use mailwire_imap_proto::fetch::fetch_items;
use mailwire_imap_proto::flag::Flag;
use mailwire_imap_proto::message::{MessageMeta, StoredMessage};
use mailwire_imap_proto::primitive::Encoder;
use mailwire_imap_proto::render::{RenderOptions, render, write_fetch};
use mailwire_imap_proto::response::{Data, Response, ResponseOptions};

const LISTS: &[&str] = &[
    "(FLAGS UID ENVELOPE BODYSTRUCTURE BODY RFC822.SIZE INTERNALDATE MODSEQ)",
    "(BODY[] BODY[HEADER] BODY[TEXT] BODY[1] BODY[1.MIME] BODY[2.1] BODY[2.HEADER] BODY[3.TEXT])",
    "(BODY.PEEK[HEADER.FIELDS (From To Subject)] BODY[HEADER.FIELDS.NOT (Date)]<2.30> BODY[1.2.3.4]<0.7>)",
    "(BINARY[1] BINARY.SIZE[1] BINARY.PEEK[2]<3.9> BINARY.SIZE[2.1] BINARY[] BINARY[1.1.1])",
    "(RFC822 RFC822.HEADER RFC822.TEXT)",
    "ALL",
    "FULL",
];

fuzz_target!(|data: &[u8]| {
    let Some((&n, rest)) = data.split_first() else { return };
    let n = usize::from(n);
    let (spec, raw) = rest.split_at(n.min(rest.len()) % 96);
    let mut cmd = spec.to_vec();
    cmd.extend_from_slice(b"\r\n");
    let fallback = format!("{}\r\n", LISTS[n % LISTS.len()]);
    let items = match fetch_items(&cmd) {
        Ok((_, items)) => items,
        Err(_) => match fetch_items(fallback.as_bytes()) {
            Ok((_, items)) => items,
            Err(_) => return,
        },
    };
    let attrs = items.expand();
    let Ok(parsed) = mailwire_mime::Message::parse(raw) else { return };
    let Ok((date, _)) = DateTime::parse(b"\"01-Feb-2024 10:00:00 +0100\"") else { return };
    let flags = [Flag::Draft];
    let msg = StoredMessage {
        raw,
        parsed: &parsed,
        meta: MessageMeta { seq: 5, uid: 9, flags: &flags, recent: n % 2 == 0, internal_date: date, modseq: 3 },
    };
    for depth in [32usize, 2] {
        let opts = RenderOptions::default().max_depth(depth).uid(n % 3 == 0);
        let typed = render(&msg, &attrs, &opts);
        let mut fast = Encoder::default();
        let outcome = write_fetch(&mut fast, &msg, &attrs, &opts);
        let typed = match (typed, outcome) {
            (Ok(t), Ok(o)) => {
                assert_eq!(o.set_seen, t.set_seen);
                t
            }
            (Err(a), Err(b)) => {
                assert_eq!(a, b);
                assert!(fast.as_bytes().is_empty());
                continue;
            }
            (a, b) => panic!("render {a:?} vs write_fetch {b:?}"),
        };
        let mut slow = Encoder::default();
        Response::Data(Data::Fetch { seq: 5, items: typed.items.clone() }).write(&mut slow);
        assert_eq!(fast.as_bytes(), slow.as_bytes());
        let mut popts = ResponseOptions::default();
        popts.max_depth = depth + 2;
        let (back, used) = Response::parse_with(fast.as_bytes(), &popts)
            .unwrap_or_else(|e| panic!("{e}: {:?}", String::from_utf8_lossy(fast.as_bytes())));
        assert_eq!(used, fast.as_bytes().len());
        let Response::Data(Data::Fetch { items, .. }) = back else { panic!("not FETCH") };
        assert_eq!(items, typed.items);
    }
});
