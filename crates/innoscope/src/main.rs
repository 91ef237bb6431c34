//! The `innoscope` binary: the only place that reads the environment,
//! prints, draws progress bars or exits. Everything else is in the library
//! crates.

mod app;
mod applicants;
mod cli;
mod commands;
mod fetch;
mod kb;
mod progress;
mod settings;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::Cli;

/// Outcome of a command that ran without error.
pub enum Outcome {
    Done,
    /// Ran fine, but found nothing (exit code 1).
    NoResult,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The server logs each request (method, path, status, latency) by default.
    let serving = matches!(cli.command, cli::Command::Serve(_));
    init_logging(cli.global.verbose, serving);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            report_error(&anyhow::anyhow!("cannot start the runtime: {e}"));
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::NoResult) => ExitCode::from(1),
        Err(e) => {
            report_error(&e);
            ExitCode::from(2)
        }
    }
}

/// Each subcommand to its function.
async fn run(cli: Cli) -> anyhow::Result<Outcome> {
    use crate::cli::{Command, SynthCommand};
    use crate::commands::*;
    let g = cli.global;
    match cli.command {
        Command::Import(a) => import(&g, a),
        Command::Fetch(a) => crate::fetch::fetch(&g, a),
        Command::Update(a) => crate::fetch::update(&g, a).await,
        Command::Changes(a) => crate::fetch::changes(&g, a),
        Command::Datasets(a) => datasets(&g, a).await,
        Command::Analyze(a) => analyze(&g, *a).await,
        Command::Report(a) => report(&g, a).await,
        Command::Economies(a) => economies(a),
        Command::Serve(a) => serve(&g, a).await,
        Command::Synth(SynthCommand::Patstat(a)) => synth_patstat(&g, a),
        Command::Synth(SynthCommand::Names(a)) => crate::applicants::synth_names(&g, a),
        Command::Applicants(a) => crate::applicants::run(&g, a).await,
        Command::Kb(c) => crate::kb::run(&g, c),
        Command::Cluster(c) => cluster(&g, c).await,
        Command::BenchWorkload(a) => bench_workload(&g, a).await,
        Command::Bundle(a) => bundle(a),
    }
}

fn init_logging(verbose: u8, serving: bool) {
    // Flags win over the environment: -v / -vv, else RUST_LOG, else warnings
    // (and the access log when serving).
    let default = if serving {
        "warn,tower_http=info,innoscope_web=info"
    } else {
        "warn"
    };
    let filter = match verbose {
        0 => std::env::var("RUST_LOG")
            .ok()
            .filter(|s| !s.trim().is_empty())
            .and_then(|s| tracing_subscriber::EnvFilter::try_new(s).ok())
            .unwrap_or_else(|| tracing_subscriber::EnvFilter::new(default)),
        1 => tracing_subscriber::EnvFilter::new("info"),
        _ => tracing_subscriber::EnvFilter::new("debug"),
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .without_time()
        .try_init();
}

/// `error: …` then `hint: …` on stderr; a broken pipe exits quietly.
#[allow(clippy::print_stderr)]
fn report_error(e: &anyhow::Error) {
    if let Some(io) = e.downcast_ref::<std::io::Error>()
        && io.kind() == std::io::ErrorKind::BrokenPipe
    {
        return;
    }
    let mut hint = None;
    if let Some(engine) = e.downcast_ref::<innoscope_engine::EngineError>() {
        if let innoscope_engine::EngineError::Rejected { rejected } = engine {
            for r in rejected.iter().take(20) {
                eprintln!("error: {r}");
            }
            if rejected.len() > 20 {
                eprintln!("error: … and {} more rejected rows", rejected.len() - 20);
            }
        }
        hint = engine.hint();
    }
    eprintln!("error: {e}");
    for cause in e.chain().skip(1) {
        eprintln!("  caused by: {cause}");
    }
    if let Some(h) = hint {
        eprintln!("hint: {h}");
    }
}
