//! The server machine with the selected-mailbox view: updates from
//! `MailboxView::take_updates(server.expunge_allowed())` pushed into the
//! machine come out in order, with EXPUNGE only where RFC 9051 §7.5.1
//! allows it, and consistent with the numbering of the command's own
//! responses.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod server_util;

use mailwire_imap_proto::command::CommandBody;
use mailwire_imap_proto::flag::Flag;
use mailwire_imap_proto::response::{Data, FetchItem};
use mailwire_imap_proto::server::Server;
use mailwire_imap_proto::view::{MailboxView, ViewBuilder};
use server_util::{Harness, plain_config};

fn view() -> MailboxView {
    let mut b = ViewBuilder::new(7, 4);
    for uid in 1..=3 {
        b.push(uid, &[Flag::Seen], 1, false).unwrap();
    }
    b.build()
}

fn push_updates(server: &mut Server, view: &mut MailboxView) {
    for d in view.take_updates(server.expunge_allowed()) {
        server.push_update(d).unwrap();
    }
}

#[test]
fn view_updates_through_the_machine() {
    let mut c = plain_config();
    c.relay_noop = true;
    let mut h = Harness::selected(c);
    let mut v = view();

    // Another session expunged UID 2 and delivered UID 4 while no command
    // was in progress: EXISTS may go out at once, the EXPUNGE may not.
    v.expunge(&[2]);
    v.append(4, &[], 2, false).unwrap();
    push_updates(&mut h.server, &mut v);
    h.drain();
    assert_eq!(h.take_wire(), "* 4 EXISTS\r\n");

    // FETCH without UID: still no EXPUNGE; the answer uses the old numbers.
    h.feed(b"f FETCH 1:* (UID)\r\n");
    let (id, cmd) = h.command();
    assert!(matches!(cmd.body, CommandBody::Fetch { uid: false, .. }));
    push_updates(&mut h.server, &mut v);
    for seq in 1..=v.exists() {
        let uid = v.uid(seq).unwrap();
        h.server
            .respond(
                id,
                Data::Fetch {
                    seq,
                    items: vec![FetchItem::Uid(uid)],
                },
            )
            .unwrap();
    }
    h.server.ok(id, "FETCH completed").unwrap();
    h.drain();
    assert_eq!(
        h.take_wire(),
        "* 1 FETCH (UID 1)\r\n* 2 FETCH (UID 2)\r\n* 3 FETCH (UID 3)\r\n* 4 FETCH (UID 4)\r\n\
         f OK FETCH completed\r\n"
    );

    // NOOP: the EXPUNGE goes out, and the view renumbers.
    h.feed(b"n NOOP\r\n");
    let (id, _) = h.command();
    assert!(h.server.expunge_allowed());
    push_updates(&mut h.server, &mut v);
    h.server.ok(id, "NOOP completed").unwrap();
    h.drain();
    assert_eq!(h.take_wire(), "* 2 EXPUNGE\r\nn OK NOOP completed\r\n");
    assert_eq!(v.exists(), 3);

    // UID FETCH after a new expunge: EXPUNGE first, then the new numbers.
    v.expunge(&[1]);
    h.feed(b"u UID FETCH 1:* (UID)\r\n");
    let (id, _) = h.command();
    push_updates(&mut h.server, &mut v);
    for seq in 1..=v.exists() {
        let uid = v.uid(seq).unwrap();
        h.server
            .respond(
                id,
                Data::Fetch {
                    seq,
                    items: vec![FetchItem::Uid(uid)],
                },
            )
            .unwrap();
    }
    h.server.ok(id, "UID FETCH completed").unwrap();
    h.drain();
    assert_eq!(
        h.take_wire(),
        "* 1 EXPUNGE\r\n* 1 FETCH (UID 3)\r\n* 2 FETCH (UID 4)\r\nu OK UID FETCH completed\r\n"
    );

    // IDLE: a delivery and an expunge are pushed as they happen.
    h.feed(b"i IDLE\r\n");
    v.append(5, &[], 3, false).unwrap();
    push_updates(&mut h.server, &mut v);
    v.expunge(&[3]);
    push_updates(&mut h.server, &mut v);
    h.feed(b"DONE\r\n");
    assert_eq!(
        h.take_wire(),
        "+ idling\r\n* 3 EXISTS\r\n* 1 EXPUNGE\r\ni OK IDLE terminated\r\n"
    );
}
