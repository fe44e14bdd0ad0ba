//! Email's shared types: a person's choices, the kinds of mail, a mail to queue.

use serde::{Deserialize, Serialize};

/// What a person receives by email. Every kind is on until they turn it off (the organisation
/// adopted the product so that people are kept apprised; each person may say less).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailSettings {
    /// A mail the moment something needs them: a plan sent, feedback asked, an appraisal to sign.
    pub events: bool,
    /// Reminders of their tasks before and after the due dates (at most one mail a day).
    pub reminders: bool,
    /// A weekly digest on Mondays: how they are doing and what is due.
    pub digest: bool,
}

impl Default for MailSettings {
    fn default() -> Self {
        Self { events: true, reminders: true, digest: true }
    }
}

impl MailSettings {
    pub fn wants(&self, kind: MailKind) -> bool {
        match kind {
            MailKind::Event => self.events,
            MailKind::Reminder => self.reminders,
            MailKind::Digest => self.digest,
        }
    }

    pub fn set(mut self, kind: MailKind, on: bool) -> Self {
        match kind {
            MailKind::Event => self.events = on,
            MailKind::Reminder => self.reminders = on,
            MailKind::Digest => self.digest = on,
        }
        self
    }
}

/// A kind of mail, as settings and unsubscribe links name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailKind {
    Event,
    Reminder,
    Digest,
}

impl MailKind {
    pub const ALL: [MailKind; 3] = [MailKind::Event, MailKind::Reminder, MailKind::Digest];

    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::Event => "event",
            MailKind::Reminder => "reminder",
            MailKind::Digest => "digest",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// What the person stops receiving, in their words.
    pub fn label(self) -> &'static str {
        match self {
            MailKind::Event => "mail when something needs you",
            MailKind::Reminder => "reminders of your tasks' due dates",
            MailKind::Digest => "the weekly digest",
        }
    }
}

/// The email settings page: the person's choices, where mail goes, and whether this server sends
/// any mail at all (it sends none until an SMTP server is set).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MailChoices {
    pub settings: MailSettings,
    pub email: String,
    pub sending: bool,
}

/// What an unsubscribe link stops, and for whom (the address half hidden: the link may have been
/// forwarded).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnsubscribeLink {
    pub kind: MailKind,
    pub email_hint: String,
    /// Whether it is already off.
    pub stopped: bool,
}

/// A mail to queue. `about` names what it is about (an event, a person's reminders of a day):
/// the outbox keeps one mail per `about`, however often it is planned.
#[derive(Clone, Debug, PartialEq)]
pub struct Mail {
    pub person_id: String,
    pub to: String,
    pub kind: MailKind,
    pub about: String,
    pub subject: String,
    pub body: String,
}

/// A queued mail the outbox is to send.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outgoing {
    pub id: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub attempts: u32,
    pub person_id: String,
    pub kind: String,
}
