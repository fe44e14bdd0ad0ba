//! Components every page uses: the layout, forms, charts, CSV buttons.

pub mod charts;
pub mod csv;
pub mod form;
pub mod layout;
