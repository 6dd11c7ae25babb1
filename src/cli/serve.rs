//! `tick serve`: flags over the config file over the defaults.

use super::EXIT_USAGE;
use crate::serve::Config;
use std::path::PathBuf;

/// Arguments of `tick serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// TOML config file (see README: every option is optional).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Directory of *.tick scripts (default ./tasks).
    #[arg(long, value_name = "DIR")]
    tasks: Option<PathBuf>,
    /// Directory of topic-handler files.
    #[arg(long, value_name = "DIR")]
    handlers: Option<PathBuf>,
    /// Directory for alert state (default ./tick-data).
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Address to listen on (default 127.0.0.1:9092; port 0 picks a free one).
    #[arg(long, value_name = "ADDR")]
    bind: Option<String>,
}

/// Runs `tick serve`; returns the exit code.
pub fn run(args: &ServeArgs) -> u8 {
    let mut config = match &args.config {
        Some(path) => match Config::from_file(path) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_USAGE;
            }
        },
        None => Config::default(),
    };
    if let Some(dir) = &args.tasks {
        config.tasks_dir = dir.clone();
    }
    if let Some(dir) = &args.handlers {
        config.handlers_dir = Some(dir.clone());
    }
    if let Some(dir) = &args.data {
        config.data_dir = dir.clone();
    }
    if let Some(bind) = &args.bind {
        config.bind = bind.clone();
    }
    crate::serve::run(config)
}
