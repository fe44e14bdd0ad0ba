//! One module per route.

pub mod adoption;
pub mod change;
pub mod competencies;
pub mod cycles;
pub mod feedback;
pub mod goals;
pub mod home;
pub mod import;
pub mod integrations;
pub mod library;
pub mod organisation;
pub mod people;
pub mod person;
pub mod plan;
pub mod profile;
pub mod programme;
pub mod pulse;
pub mod results;
pub mod scorecard;
pub mod scorecards;
pub mod self_assessment;
pub mod sign_in;
pub mod sync;
pub mod team;
pub mod units;
