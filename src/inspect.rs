//! `vendorwatch inspect <URL|FILE> [--format …]`: reads one status page, a live URL or a saved
//! document, and prints its snapshot as JSON, exactly as the domain serialises it. The quickest
//! way to see what vendorwatch makes of a page, and to file a bug when it is wrong.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use url::Url;
use vw_domain::{Platform, Snapshot};
use vw_sources::{
    FetchConfig, FetchError, Fetcher, PageValidators, Read, StatusPage, detect, reader,
};

/// The variable that lets `inspect` fetch loopback and private addresses (local servers).
const ALLOW_PRIVATE_TARGETS: &str = "VW_ALLOW_PRIVATE_TARGETS";

#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    /// A status page URL (its home page or any of its documents), or a file saved from one.
    pub target: String,
    /// The platform; `auto` detects it from the file's content, or by probing the URL.
    #[arg(long, default_value = "auto", value_parser = format_parser())]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Auto,
    Is(Platform),
}

fn format_parser() -> impl TypedValueParser<Value = Format> {
    let names = std::iter::once("auto").chain(Platform::ALL.iter().map(|p| p.as_str()));
    PossibleValuesParser::new(names).map(|name| name.parse().map_or(Format::Auto, Format::Is))
}

pub fn run(args: InspectArgs) -> ExitCode {
    let result = inspect(&args).and_then(|snapshot| {
        serde_json::to_string_pretty(&snapshot)
            .map_err(|e| format!("cannot print the snapshot: {e}"))
    });
    match result {
        Ok(json) => print(&json),
        Err(reason) => {
            // One line, whatever the cause chain looked like: scripts read the last line.
            eprintln!("vendorwatch inspect: {}", reason.replace(['\n', '\r'], " "));
            ExitCode::FAILURE
        }
    }
}

/// Prints to stdout; a reader that went away early (`| head`) is not a failure of ours.
fn print(json: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{json}").and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("vendorwatch inspect: cannot write the snapshot: {e}");
            ExitCode::FAILURE
        }
    }
}

fn inspect(args: &InspectArgs) -> Result<Snapshot, String> {
    match Url::parse(&args.target) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => read_url(&url, args.format),
        _ => read_file(Path::new(&args.target), args.format),
    }
}

fn read_file(path: &Path, format: Format) -> Result<Snapshot, String> {
    let shown = path.display();
    let body = std::fs::read(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    let platform = match format {
        Format::Is(platform) => platform,
        Format::Auto => detect::platform_of(&body).ok_or_else(|| {
            format!("cannot tell which platform {shown} comes from; pass --format")
        })?,
    };
    vw_sources::parse(platform, &body).map_err(|e| format!("{shown}: {e}"))
}

fn read_url(url: &Url, format: Format) -> Result<Snapshot, String> {
    let allow_private_targets = std::env::var(ALLOW_PRIVATE_TARGETS)
        .is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1");
    let fetcher = Fetcher::new(FetchConfig {
        allow_private_targets,
        ..FetchConfig::default()
    })
    .map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime
        .block_on(async {
            let page = match format {
                Format::Is(platform) => StatusPage::from_document_url(platform, url),
                Format::Auto => detect::from_url(&fetcher, url).await?,
            };
            match reader::read(&fetcher, &page, &PageValidators::new()).await? {
                Read::Changed { snapshot, .. } => Ok(snapshot),
                Read::Unchanged => Err(FetchError::Unreachable {
                    url: page.base_url,
                    reason: "304 Not Modified to a request without validators".into(),
                }),
            }
        })
        .map_err(|e| match e {
            FetchError::Blocked { .. } => {
                format!("{e} (set {ALLOW_PRIVATE_TARGETS}=true to allow them)")
            }
            other => other.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        inspect: InspectArgs,
    }

    #[test]
    fn format_defaults_to_auto_and_takes_every_platform() {
        let parsed = Cli::try_parse_from(["x", "page.json"]).map(|c| c.inspect.format);
        assert_eq!(parsed.ok(), Some(Format::Auto));
        for platform in Platform::ALL {
            let parsed = Cli::try_parse_from(["x", "f", "--format", platform.as_str()]);
            assert_eq!(
                parsed.map(|c| c.inspect.format).ok(),
                Some(Format::Is(platform))
            );
        }
        let wrong = Cli::try_parse_from(["x", "f", "--format", "incident_io"]);
        let message = wrong.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            message.contains("possible values: auto, statuspage"),
            "{message}"
        );
    }
}
