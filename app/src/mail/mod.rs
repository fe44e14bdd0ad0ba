//! Email: what each person chooses to receive, and the mails that bring them back: the moment
//! something needs them, reminders before and after due dates, a weekly digest of how they are
//! doing. Queued in the database and sent by a background job (`outbox`) through an SMTP server.

pub mod api;
#[cfg(feature = "ssr")]
pub mod outbox;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
pub mod types;
