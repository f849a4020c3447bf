//! Each tab's part of the page model, in a module of its own: it asks the tallies for what
//! that tab shows, and sorts and pages it as the request says. [`super::Session::page`] calls
//! the one the request names.

pub mod mx;
pub mod problems;
pub mod results;
pub mod sources;
pub mod timeline;
