//! The command line: `vendorwatch <command>`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::inspect;

#[derive(Debug, Parser)]
#[command(name = "vendorwatch", version, about = "Watches vendors' status pages and alerts teams")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read one status page (a URL or a saved file) and print its snapshot as JSON.
    Inspect(inspect::InspectArgs),
}

/// Parses the command line and runs the command; the exit code tells success.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Inspect(args) => inspect::run(args),
    }
}
