//! Message builder (being written).
