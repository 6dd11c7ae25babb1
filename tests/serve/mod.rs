//! `tick serve` end to end: the test starts the binary on a free loopback
//! port (`--bind 127.0.0.1:0`, the address is read from its first stdout line).

mod auth;
mod client;
mod faults;
mod influxdb;
mod kapacitor_cli;
mod limits;
mod scenarios;
mod wall_clock;
