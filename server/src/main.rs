//! `kassa`: parse the command line, set up logging, dispatch.

use clap::Parser;
use kassa_server::cli::{Cli, Command, LogFormat};
use kassa_server::config::Config;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            // One line, the causes joined: "opening the SQLite database: kassa.db is in use …".
            eprintln!("kassa: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(args) => {
            let filter = EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("kassa_server=info,tower_http=info"));
            let logs = tracing_subscriber::fmt().with_env_filter(filter);
            match args.log_format {
                // The request's span (request_id, method, path) rides on each line as `span`.
                LogFormat::Json => logs.json().flatten_event(true).with_current_span(true).with_span_list(false).init(),
                LogFormat::Text => logs.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout())).init(),
            }
            let config = Config::from_args(args)?;
            kassa_server::app::serve(config).await
        }
        Command::Openapi => {
            print!("{}", kassa_server::openapi::render());
            Ok(())
        }
        Command::Listen(args) => kassa_server::command::listen::run(args).await,
        Command::Trigger(args) => kassa_server::command::trigger::run(args).await,
        Command::Reset(args) => kassa_server::command::reset(args).await,
        Command::Clock(command) => kassa_server::command::clock::run(command).await,
    }
}
