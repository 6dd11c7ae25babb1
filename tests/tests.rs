//! The single integration-test binary: golden files and CLI behaviour.

mod check_golden;
mod cli;
mod harness;
mod run_golden;
mod serve;
