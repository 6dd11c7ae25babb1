//! Static checking of TICKscripts.

pub mod catalog;
