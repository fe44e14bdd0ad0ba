//! Email's pages: one's own choices, and the page an unsubscribe link opens.

pub mod settings;
pub mod unsubscribe;
