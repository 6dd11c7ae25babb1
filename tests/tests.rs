//! The single integration-test binary: golden files and CLI behaviour.

mod check_golden;
mod cli;
mod explain_examples;
mod fmt;
mod install;
mod harness;
mod reliability;
mod run_faults;
mod run_golden;
mod ticktest;
mod serve;
