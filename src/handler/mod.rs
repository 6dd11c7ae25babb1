//! Alert handlers (exec, log, tcp, post, publish) and topic-handler files.

mod event;

pub use event::HandlerEvent;
