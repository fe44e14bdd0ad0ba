//! The sync protocol (pure): operations, field-by-field merge, the outbox and conflicts.

pub mod protocol;
