use std::process::ExitCode;

fn main() -> ExitCode {
    vendorwatch::cli::run()
}
