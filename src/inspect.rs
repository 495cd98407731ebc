//! `vendorwatch inspect`: prints the snapshot of one status page as JSON.

use std::path::PathBuf;
use std::process::ExitCode;

use vw_domain::Platform;

#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    /// A file saved from a status page.
    pub target: PathBuf,
    /// The platform the document belongs to.
    #[arg(long, value_parser = parse_platform)]
    pub format: Platform,
}

fn parse_platform(s: &str) -> Result<Platform, String> {
    s.parse().map_err(|e: vw_domain::UnknownPlatform| e.to_string())
}

pub fn run(args: InspectArgs) -> ExitCode {
    let result = std::fs::read(&args.target)
        .map_err(|e| format!("cannot read {}: {e}", args.target.display()))
        .and_then(|body| vw_sources::parse(args.format, &body).map_err(|e| e.to_string()))
        .and_then(|snapshot| serde_json::to_string_pretty(&snapshot).map_err(|e| e.to_string()));
    match result {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(reason) => {
            eprintln!("vendorwatch inspect: {reason}");
            ExitCode::FAILURE
        }
    }
}
