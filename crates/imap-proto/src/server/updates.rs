//! The queue of untagged updates pushed by the application.
//!
//! Updates leave in the order they were pushed. An EXPUNGE (or a VANISHED
//! without `(EARLIER)`) that may not be sent yet (RFC 9051 §7.5.1, RFC 3501
//! §7.4.1) stays at the head of the queue and holds back everything pushed
//! after it, so nothing is lost or reordered.

use std::collections::VecDeque;

use crate::response::Data;

use super::error::UpdateError;

#[derive(Debug)]
pub(super) struct Updates {
    queue: VecDeque<Data<'static>>,
    limit: usize,
}

/// Whether `data` changes message sequence numbers (EXPUNGE, VANISHED
/// without EARLIER), so it is restricted to the points where
/// [`Server::expunge_allowed`](super::Server::expunge_allowed) holds.
pub(super) fn renumbers(data: &Data<'_>) -> bool {
    matches!(
        data,
        Data::Expunge(_) | Data::Vanished { earlier: false, .. }
    )
}

/// Whether `data` describes the selected mailbox (and is stale once it is
/// closed).
fn mailbox_data(data: &Data<'_>) -> bool {
    matches!(
        data,
        Data::Exists(_)
            | Data::Recent(_)
            | Data::Expunge(_)
            | Data::Vanished { .. }
            | Data::Fetch { .. }
            | Data::Flags(_)
    )
}

impl Updates {
    pub(super) fn new(limit: usize) -> Self {
        Updates {
            queue: VecDeque::new(),
            limit,
        }
    }

    pub(super) fn push(&mut self, data: Data<'static>) -> Result<(), UpdateError> {
        if self.queue.len() >= self.limit {
            return Err(UpdateError::QueueFull { limit: self.limit });
        }
        self.queue.push_back(data);
        Ok(())
    }

    /// The next update that may go out now.
    pub(super) fn pop_sendable(&mut self, expunge_allowed: bool) -> Option<Data<'static>> {
        let front = self.queue.front()?;
        if renumbers(front) && !expunge_allowed {
            return None;
        }
        self.queue.pop_front()
    }

    /// The selected mailbox was closed: its pending updates no longer mean
    /// anything (and a stale EXPUNGE must not renumber the next mailbox).
    pub(super) fn mailbox_closed(&mut self) {
        self.queue.retain(|d| !mailbox_data(d));
    }

    pub(super) fn len(&self) -> usize {
        self.queue.len()
    }

    pub(super) fn clear(&mut self) {
        self.queue.clear();
    }
}
