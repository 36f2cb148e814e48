//! Interned flag sets: a mailbox holds few distinct flag combinations, so each
//! message stores a `u32` index into a shared table instead of its own list.

use std::collections::HashMap;

use crate::flag::Flag;

/// A table of distinct flag sets. Index 0 is always the empty set.
#[derive(Debug, Clone)]
pub(crate) struct FlagTable {
    sets: Vec<Box<[Flag<'static>]>>,
    index: HashMap<Box<[Flag<'static>]>, u32>,
}

impl Default for FlagTable {
    fn default() -> Self {
        let empty: Box<[Flag<'static>]> = Box::new([]);
        let mut index = HashMap::new();
        index.insert(empty.clone(), 0);
        FlagTable {
            sets: vec![empty],
            index,
        }
    }
}

impl FlagTable {
    /// The index of `flags`, adding it if new. Duplicate flags are kept as
    /// given: the table stores what the application hands over.
    pub(crate) fn intern(&mut self, flags: &[Flag<'_>]) -> u32 {
        let owned: Box<[Flag<'static>]> = flags.iter().cloned().map(Flag::into_owned).collect();
        if let Some(&i) = self.index.get(&owned) {
            return i;
        }
        // More than u32::MAX distinct sets cannot be held in memory anyway;
        // saturate rather than wrap.
        let i = u32::try_from(self.sets.len()).unwrap_or(u32::MAX);
        self.sets.push(owned.clone());
        self.index.insert(owned, i);
        i
    }

    /// The flags at `i` (empty if `i` is unknown, which cannot happen for
    /// indexes handed out by [`FlagTable::intern`]).
    pub(crate) fn get(&self, i: u32) -> &[Flag<'static>] {
        self.sets.get(i as usize).map_or(&[], |b| b)
    }
}
