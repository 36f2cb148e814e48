//! THREAD=ORDEREDSUBJECT and THREAD=REFERENCES (RFC 5256 §3).
//!
//! Both work on an arena with explicit stacks (no recursion), so a
//! mailbox with very long reply chains cannot exhaust the stack here. Only
//! the last [`MAX_REFERENCES`] message ids of a `References` field are used
//! (RFC 5256 already expects truncated fields).
//!
//! ```
//! use mailwire_imap_proto::datetime::DateTime;
//! use mailwire_imap_proto::message::{MessageMeta, StoredMessage};
//! use mailwire_imap_proto::query::thread::thread;
//! use mailwire_imap_proto::response::Thread;
//! use mailwire_imap_proto::search::ThreadAlgorithm;
//!
//! let raws: [&[u8]; 3] = [
//!     b"Message-ID: <a@x>\r\nSubject: hi\r\nDate: 1 Jan 2020 00:00:00 +0000\r\n\r\n",
//!     b"Message-ID: <b@x>\r\nIn-Reply-To: <a@x>\r\nSubject: Re: hi\r\nDate: 2 Jan 2020 00:00:00 +0000\r\n\r\n",
//!     b"Message-ID: <c@x>\r\nSubject: other\r\nDate: 3 Jan 2020 00:00:00 +0000\r\n\r\n",
//! ];
//! let parsed: Vec<_> = raws.iter().map(|r| mailwire_mime::Message::parse(r).unwrap()).collect();
//! let (internal_date, _) = DateTime::parse(b"\"17-Jul-1996 02:44:25 -0700\"").unwrap();
//! let msgs = (0..3).map(|i| StoredMessage { raw: raws[i], parsed: &parsed[i],
//!     meta: MessageMeta { seq: i as u32 + 1, uid: i as u32 + 1, flags: &[], recent: false,
//!     internal_date, modseq: 0 } });
//! let threads = thread(&ThreadAlgorithm::References, msgs, false).unwrap();
//! assert_eq!(threads, vec![
//!     Thread { ids: vec![1, 2], children: vec![] },
//!     Thread { ids: vec![3], children: vec![] },
//! ]);
//! ```

use std::collections::HashMap;

use mailwire_rfc5322::msgid::{MsgId, parse_msg_id, parse_msg_id_list};

use super::QueryError;
use super::subject::base_subject;
use crate::message::StoredMessage;
use crate::response::Thread;
use crate::search::ThreadAlgorithm;

/// The most message ids of one `References` field that are used (the last
/// ones).
pub const MAX_REFERENCES: usize = 256;

struct Info {
    out: u32,
    seq: u32,
    date: i64,
    subject: String,
    is_reply: bool,
    msgid: Option<String>,
    refs: Vec<String>,
}

fn id_key(id: &MsgId<'_>) -> Option<String> {
    if id.left.is_empty() {
        return None;
    }
    Some(format!("{}@{}", id.left, id.right))
}

fn info(m: &StoredMessage<'_>, uid: bool, references: bool) -> Info {
    let root = m.parsed.root();
    let b = base_subject(&super::header_text(m, "subject"));
    let (msgid, refs) = if references {
        let msgid = root
            .header("message-id")
            .and_then(|f| parse_msg_id(f.raw_value()).value)
            .and_then(|id| id_key(&id));
        let mut refs: Vec<String> = root
            .header("references")
            .map(|f| {
                let ids = parse_msg_id_list(f.raw_value()).value;
                let skip = ids.len().saturating_sub(MAX_REFERENCES);
                ids.iter().skip(skip).filter_map(id_key).collect()
            })
            .unwrap_or_default();
        if refs.is_empty()
            && let Some(first) = root.header("in-reply-to").and_then(|f| {
                parse_msg_id_list(f.raw_value())
                    .value
                    .first()
                    .and_then(id_key)
            })
        {
            refs.push(first);
        }
        (msgid, refs)
    } else {
        (None, Vec::new())
    };
    Info {
        out: if uid { m.meta.uid } else { m.meta.seq },
        seq: m.meta.seq,
        date: super::sent_date(m),
        subject: b.key(),
        is_reply: b.is_reply,
        msgid,
        refs,
    }
}

/// Threads `messages` with `algorithm`; the threads name messages by
/// sequence number (UID when `uid`).
///
/// # Errors
/// [`QueryError::UnsupportedAlgorithm`] for an algorithm other than
/// ORDEREDSUBJECT and REFERENCES.
pub fn thread<'m>(
    algorithm: &ThreadAlgorithm<'_>,
    messages: impl IntoIterator<Item = StoredMessage<'m>>,
    uid: bool,
) -> Result<Vec<Thread>, QueryError> {
    let references = match algorithm {
        ThreadAlgorithm::OrderedSubject => false,
        ThreadAlgorithm::References => true,
        ThreadAlgorithm::Other(a) => {
            return Err(QueryError::UnsupportedAlgorithm {
                algorithm: a.as_str().to_string(),
            });
        }
    };
    let mut infos: Vec<Info> = messages
        .into_iter()
        .map(|m| info(&m, uid, references))
        .collect();
    infos.sort_by_key(|i| i.seq);
    Ok(if references {
        references_threads(&infos)
    } else {
        ordered_subject(&infos)
    })
}

/// ORDEREDSUBJECT: group by base subject, order each group by sent date,
/// order groups by the sent date of their first message.
fn ordered_subject(infos: &[Info]) -> Vec<Thread> {
    let mut idx: Vec<usize> = (0..infos.len()).collect();
    idx.sort_by(|&a, &b| {
        let (x, y) = (&infos[a], &infos[b]);
        (&x.subject, x.date, x.seq).cmp(&(&y.subject, y.date, y.seq))
    });
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for i in idx {
        match groups.last_mut() {
            Some(g)
                if g.first()
                    .is_some_and(|&f| infos[f].subject == infos[i].subject) =>
            {
                g.push(i);
            }
            _ => groups.push(vec![i]),
        }
    }
    groups.sort_by_key(|g| g.first().map(|&f| (infos[f].date, infos[f].seq)));
    groups
        .into_iter()
        .map(|g| {
            let ids: Vec<u32> = g.iter().map(|&i| infos[i].out).collect();
            match ids.as_slice() {
                [_] | [_, _] => Thread {
                    ids,
                    children: Vec::new(),
                },
                [first, rest @ ..] => Thread {
                    ids: vec![*first],
                    children: rest
                        .iter()
                        .map(|&id| Thread {
                            ids: vec![id],
                            children: Vec::new(),
                        })
                        .collect(),
                },
                [] => Thread::default(),
            }
        })
        .collect()
}

#[derive(Default)]
struct Node {
    /// Index into the infos; `None` for a dummy.
    msg: Option<usize>,
    parent: Option<usize>,
    children: Vec<usize>,
}

struct Tree<'i> {
    infos: &'i [Info],
    nodes: Vec<Node>,
}

impl Tree<'_> {
    fn add(&mut self, msg: Option<usize>) -> usize {
        self.nodes.push(Node {
            msg,
            ..Node::default()
        });
        self.nodes.len() - 1
    }

    /// True when `a` is `b` or one of its descendants.
    fn is_within(&self, a: usize, b: usize) -> bool {
        if self.nodes[b].children.is_empty() {
            // A leaf has no descendants.
            return a == b;
        }
        let mut cur = Some(a);
        let mut steps = 0usize;
        while let Some(c) = cur {
            if c == b {
                return true;
            }
            steps += 1;
            if steps > self.nodes.len() {
                // A cycle cannot exist, but never loop forever.
                return true;
            }
            cur = self.nodes[c].parent;
        }
        false
    }

    fn link(&mut self, parent: usize, child: usize) {
        self.nodes[child].parent = Some(parent);
        self.nodes[parent].children.push(child);
    }

    fn unlink(&mut self, child: usize) {
        if let Some(p) = self.nodes[child].parent.take() {
            self.nodes[p].children.retain(|&c| c != child);
        }
    }

    /// The RFC 5256 sort key of a node: its sent date and sequence number,
    /// or those of its first child for a dummy.
    fn key(&self, mut n: usize) -> (i64, u32) {
        for _ in 0..self.nodes.len() {
            match self.nodes[n].msg {
                Some(i) => return (self.infos[i].date, self.infos[i].seq),
                None => match self.nodes[n].children.first() {
                    Some(&c) => n = c,
                    None => break,
                },
            }
        }
        (i64::MIN, 0)
    }

    fn subject(&self, n: usize) -> Option<&Info> {
        let m = match self.nodes[n].msg {
            Some(i) => Some(i),
            None => self.nodes[n]
                .children
                .first()
                .and_then(|&c| self.nodes[c].msg),
        };
        m.map(|i| &self.infos[i])
    }

    /// Nodes under `roots` in pre-order.
    fn preorder(&self, roots: &[usize]) -> Vec<usize> {
        let mut out = Vec::with_capacity(self.nodes.len());
        let mut stack: Vec<usize> = roots.iter().rev().copied().collect();
        while let Some(n) = stack.pop() {
            out.push(n);
            stack.extend(self.nodes[n].children.iter().rev().copied());
        }
        out
    }

    /// RFC 5256 step 3 for one sibling list.
    fn prune(&self, list: &[usize], at_root: bool) -> Vec<usize> {
        let mut out = Vec::with_capacity(list.len());
        for &c in list {
            let n = &self.nodes[c];
            if n.msg.is_some() {
                out.push(c);
            } else if n.children.is_empty() {
            } else if !at_root || n.children.len() == 1 {
                out.extend(n.children.iter().copied());
            } else {
                out.push(c);
            }
        }
        out
    }
}

fn references_threads(infos: &[Info]) -> Vec<Thread> {
    let mut t = Tree {
        infos,
        nodes: Vec::with_capacity(infos.len() * 2),
    };
    let mut table: HashMap<&str, usize> = HashMap::new();
    // Step 1.
    for (i, info) in infos.iter().enumerate() {
        let me = match info.msgid.as_deref() {
            Some(id) => match table.get(id) {
                Some(&n) if t.nodes[n].msg.is_none() => {
                    t.nodes[n].msg = Some(i);
                    n
                }
                // A duplicate Message-ID: this message gets a unique one.
                Some(_) => t.add(Some(i)),
                None => {
                    let n = t.add(Some(i));
                    table.insert(id, n);
                    n
                }
            },
            None => t.add(Some(i)),
        };
        let mut refs = Vec::with_capacity(info.refs.len());
        for r in &info.refs {
            let n = match table.get(r.as_str()) {
                Some(&n) => n,
                None => {
                    let n = t.add(None);
                    table.insert(r, n);
                    n
                }
            };
            refs.push(n);
        }
        // 1.A: chain the references, keeping existing links, never a loop.
        for w in refs.windows(2) {
            let (a, b) = (w[0], w[1]);
            if t.nodes[b].parent.is_none() && !t.is_within(a, b) {
                t.link(a, b);
            }
        }
        // 1.B: the last reference is the parent.
        t.unlink(me);
        if let Some(&p) = refs.last()
            && !t.is_within(p, me)
        {
            t.link(p, me);
        }
    }
    // Step 2.
    let roots: Vec<usize> = (0..t.nodes.len())
        .filter(|&n| t.nodes[n].parent.is_none())
        .collect();
    // Step 3: prune dummies, children first.
    for n in t.preorder(&roots).into_iter().rev() {
        let kids = std::mem::take(&mut t.nodes[n].children);
        let pruned = t.prune(&kids, false);
        t.nodes[n].children = pruned;
    }
    let mut roots = t.prune(&roots, true);
    // Step 4: sort the top level (a dummy by its sorted first child).
    for &r in &roots {
        if t.nodes[r].msg.is_none() {
            let mut kids = std::mem::take(&mut t.nodes[r].children);
            kids.sort_by_key(|&c| t.key(c));
            t.nodes[r].children = kids;
        }
    }
    roots.sort_by_key(|&r| t.key(r));
    // Step 5: merge threads with the same base subject.
    let mut subjects: HashMap<String, usize> = HashMap::new();
    for &r in &roots {
        let Some(s) = t.subject(r) else { continue };
        if s.subject.is_empty() {
            continue;
        }
        match subjects.get(&s.subject) {
            None => {
                subjects.insert(s.subject.clone(), r);
            }
            Some(&old) => {
                let old_dummy = t.nodes[old].msg.is_none();
                let cur_dummy = t.nodes[r].msg.is_none();
                let old_reply = t.subject(old).is_some_and(|o| o.is_reply);
                if !old_dummy && (cur_dummy || (old_reply && !s.is_reply)) {
                    subjects.insert(s.subject.clone(), r);
                }
            }
        }
    }
    let mut slots: Vec<Option<usize>> = roots.iter().copied().map(Some).collect();
    let mut pos: HashMap<usize, usize> = roots.iter().enumerate().map(|(i, &r)| (r, i)).collect();
    for &r in &roots {
        let Some(&slot) = pos.get(&r) else { continue };
        let Some(s) = t.subject(r) else { continue };
        if s.subject.is_empty() {
            continue;
        }
        let (subject, r_reply) = (s.subject.clone(), s.is_reply);
        let Some(&old) = subjects.get(&subject) else {
            continue;
        };
        if old == r {
            continue;
        }
        let old_dummy = t.nodes[old].msg.is_none();
        let cur_dummy = t.nodes[r].msg.is_none();
        let old_reply = t.subject(old).is_some_and(|o| o.is_reply);
        if old_dummy && cur_dummy {
            let kids = std::mem::take(&mut t.nodes[r].children);
            for k in kids {
                t.link(old, k);
            }
        } else if old_dummy || (r_reply && !old_reply) {
            t.link(old, r);
        } else {
            let d = t.add(None);
            if let Some(old_slot) = pos.remove(&old) {
                slots[old_slot] = Some(d);
                pos.insert(d, old_slot);
            }
            t.link(d, old);
            t.link(d, r);
            subjects.insert(subject, d);
        }
        slots[slot] = None;
        pos.remove(&r);
    }
    let mut roots: Vec<usize> = slots.into_iter().flatten().collect();
    // Step 6: sort every sibling set, the deepest first.
    for n in t.preorder(&roots).into_iter().rev() {
        let mut kids = std::mem::take(&mut t.nodes[n].children);
        kids.sort_by_key(|&c| t.key(c));
        t.nodes[n].children = kids;
    }
    roots.sort_by_key(|&r| t.key(r));
    to_threads(&t, &roots)
}

/// Converts the tree to `thread-list`s: a chain of single children is one
/// list, a branching point nests two or more lists.
fn to_threads(t: &Tree<'_>, roots: &[usize]) -> Vec<Thread> {
    // Heads start a thread-list: chains end at a node with 0 or 2+ children.
    struct Head {
        ids: Vec<u32>,
        kids: Vec<usize>,
    }
    let mut heads: Vec<Head> = Vec::new();
    let mut todo: Vec<(usize, usize)> = Vec::new(); // (node, head index)
    let mut top = Vec::new();
    for &r in roots {
        top.push(heads.len());
        todo.push((r, heads.len()));
        heads.push(Head {
            ids: Vec::new(),
            kids: Vec::new(),
        });
    }
    while let Some((start, h)) = todo.pop() {
        let mut cur = start;
        let mut ids = Vec::new();
        loop {
            if let Some(i) = t.nodes[cur].msg {
                ids.push(t.infos[i].out);
            }
            match t.nodes[cur].children.as_slice() {
                [only] => cur = *only,
                _ => break,
            }
        }
        let mut kids = Vec::new();
        if t.nodes[cur].children.len() >= 2 {
            for &c in &t.nodes[cur].children {
                kids.push(heads.len());
                todo.push((c, heads.len()));
                heads.push(Head {
                    ids: Vec::new(),
                    kids: Vec::new(),
                });
            }
        }
        heads[h] = Head { ids, kids };
    }
    // Children always have larger indices: build from the end.
    let mut built: Vec<Option<Thread>> = (0..heads.len()).map(|_| None).collect();
    for h in (0..heads.len()).rev() {
        let head = &mut heads[h];
        let children = head
            .kids
            .iter()
            .filter_map(|&k| built.get_mut(k).and_then(Option::take))
            .collect();
        built[h] = Some(Thread {
            ids: std::mem::take(&mut head.ids),
            children,
        });
    }
    top.into_iter()
        .filter_map(|h| built.get_mut(h).and_then(Option::take))
        .collect()
}
