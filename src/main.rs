//! The `briefs` command line: parses arguments, calls the library, prints
//! diagnostics and the summary, and sets the exit code (0 ok, 1 content
//! errors, 2 usage or I/O errors).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

use briefs::{Diagnostics, Error, Options, Report};

// Rendering allocates many short-lived strings on every thread; mimalloc's
// thread-local heaps make that markedly cheaper than the system allocator
// (see the README's "Performance" section).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "briefs",
    version,
    about = "Build a website of scored, sourced analyst briefs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// How `check` prints diagnostics.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// rustc-style, with the offending line and a hint
    Text,
    /// One JSON object per line: path, line, column, severity, code, message, hint
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into its output folder (replaced whole, only if the build succeeds
    /// and its internal links and anchors all land)
    Build {
        /// The site folder, holding site.yaml
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder [default: <root>/public]
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override base_url from site.yaml, e.g. https://example.org/briefs/
        #[arg(long)]
        base_url: Option<String>,
        /// Also build briefs with status draft or review (shown with a banner)
        #[arg(long)]
        drafts: bool,
        /// Treat warnings as errors (like `strict: true` in site.yaml)
        #[arg(long)]
        strict: bool,
        /// Print the time spent in each stage and the peak memory
        #[arg(long)]
        timings: bool,
        /// Replace the output folder even if it holds files no build wrote
        /// (a build otherwise replaces only a missing or empty folder, or one
        /// with the `.briefs-build` file every build leaves)
        #[arg(long)]
        force: bool,
    },
    /// Validate every file, render every page and check its links, writing nothing
    Check {
        /// The site folder, holding site.yaml
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Override base_url from site.yaml, e.g. https://example.org/briefs/
        #[arg(long)]
        base_url: Option<String>,
        /// Also render briefs with status draft or review
        #[arg(long)]
        drafts: bool,
        /// Treat warnings as errors (like `strict: true` in site.yaml)
        #[arg(long)]
        strict: bool,
        /// How to print diagnostics: rustc-style text, or one JSON object per line
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Build, serve on loopback, rebuild on every save and reload open pages
    Serve {
        /// The site folder, holding site.yaml
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to listen on (0 picks a free one)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; anything but loopback exposes the site to the network
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Also build briefs with status draft or review (shown with a banner)
        #[arg(long)]
        drafts: bool,
        /// Treat warnings as errors (like `strict: true` in site.yaml)
        #[arg(long)]
        strict: bool,
    },
    /// Write a new draft brief to content/briefs/<slug>.md
    New {
        /// The brief's title; the slug is made from it
        title: String,
        /// The site folder, holding site.yaml
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Create a new site in DIR (new or empty)
    Init {
        /// Folder for the new site
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            strict,
            timings,
            force,
        } => {
            let options = Options {
                root,
                output,
                base_url,
                drafts,
                strict,
                force,
            };
            build(&options, timings)
        }
        Command::Check {
            root,
            base_url,
            drafts,
            strict,
            format,
        } => check(
            &Options {
                root,
                base_url,
                drafts,
                strict,
                ..Options::default()
            },
            format,
        ),
        Command::Serve {
            root,
            port,
            bind,
            drafts,
            strict,
        } => {
            let site = Options {
                root,
                strict,
                drafts,
                ..Options::default()
            };
            serve(briefs::serve::ServeOptions { site, bind, port })
        }
        Command::New { title, root } => new(&root, &title),
        Command::Init { dir } => init(&dir),
    };
    ExitCode::from(code)
}

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn print_diagnostics(diagnostics: &Diagnostics) {
    let color = color();
    for d in diagnostics.iter() {
        eprintln!("{}\n", d.render(color));
    }
}

/// Prints a failed run and returns its exit code.
fn fail(error: &Error, wrote_nothing: &str) -> u8 {
    match error {
        Error::Content(diagnostics) => {
            print_diagnostics(diagnostics);
            let warnings = match diagnostics.warning_count() {
                0 => String::new(),
                1 => ", and 1 warning".to_string(),
                n => format!(", and {n} warnings"),
            };
            eprintln!("error: {error}{warnings}{wrote_nothing}");
        }
        Error::Templates(messages) => {
            for message in messages {
                eprintln!("{message}\n");
            }
            eprintln!("error: {error}{wrote_nothing}");
        }
        other => {
            let mut message = format!("error: {other}");
            let mut source = std::error::Error::source(other);
            while let Some(cause) = source {
                message.push_str(&format!("\n  caused by: {cause}"));
                source = cause.source();
            }
            eprintln!("{message}");
        }
    }
    error.exit_code() as u8
}

fn display_dir(path: &Path) -> String {
    let shown = path.strip_prefix(".").unwrap_or(path).display().to_string();
    if shown.ends_with('/') {
        shown
    } else {
        format!("{shown}/")
    }
}

fn warnings_line(report: &Report) -> String {
    match report.diagnostics.warning_count() {
        0 => String::new(),
        1 => ", 1 warning".to_string(),
        n => format!(", {n} warnings"),
    }
}

fn print_timings(report: &Report) {
    let timings = &report.timings;
    let total: std::time::Duration = timings.stages.iter().map(|(_, d)| *d).sum();
    println!("  {:<9} {:>9}  {:>10}", "stage", "time", "peak RSS");
    for ((stage, took), peak) in timings.stages.iter().zip(&timings.peak_memory) {
        let peak = peak.map_or("-".to_string(), |b| {
            format!("{:.1} MB", b as f64 / 1_048_576.0)
        });
        println!(
            "  {stage:<9} {:>6.1} ms  {peak:>10}",
            took.as_secs_f64() * 1000.0
        );
    }
    println!("  {:<9} {:>6.1} ms", "total", total.as_secs_f64() * 1000.0);
}

fn build(options: &Options, timings: bool) -> u8 {
    let start = Instant::now();
    match briefs::build(options) {
        Ok(report) => {
            print_diagnostics(&report.diagnostics);
            println!(
                "built {} briefs, {} pages in {} ms{} -> {}",
                report.briefs,
                report.pages,
                start.elapsed().as_millis(),
                warnings_line(&report),
                display_dir(&options.output_dir())
            );
            if timings {
                print_timings(&report);
            }
            0
        }
        Err(e) => fail(&e, "; nothing was written"),
    }
}

fn check(options: &Options, format: Format) -> u8 {
    let start = Instant::now();
    let result = briefs::check(options);
    if format == Format::Json {
        return check_json(result);
    }
    match result {
        Ok(report) => {
            print_diagnostics(&report.diagnostics);
            println!(
                "checked {} briefs, {} pages in {} ms{}: no errors",
                report.briefs,
                report.pages,
                start.elapsed().as_millis(),
                warnings_line(&report)
            );
            0
        }
        Err(e) => fail(&e, ""),
    }
}

/// `check --format json`: every diagnostic as one JSON line on stdout;
/// problems that are not about a file (no site.yaml, …) stay on stderr.
fn check_json(result: Result<Report, Error>) -> u8 {
    let diagnostics = match &result {
        Ok(report) => Some(&report.diagnostics),
        Err(Error::Content(diagnostics)) => Some(diagnostics),
        Err(_) => None,
    };
    if let Some(diagnostics) = diagnostics {
        for d in diagnostics.iter() {
            println!("{}", d.to_json_line());
        }
    }
    match result {
        Ok(_) => 0,
        Err(e @ Error::Content(_)) => e.exit_code() as u8,
        Err(e) => fail(&e, ""),
    }
}

fn serve(options: briefs::serve::ServeOptions) -> u8 {
    match briefs::serve::serve(options, std::io::stdout()) {
        Ok(()) => 0,
        Err(e) => fail(&e, ""),
    }
}

fn today() -> jiff::civil::Date {
    jiff::ZonedDateTime::now().date()
}

fn new(root: &Path, title: &str) -> u8 {
    match briefs::scaffold::new_brief(root, title, today()) {
        Ok(path) => {
            println!("created {}", path.display());
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

fn init(dir: &Path) -> u8 {
    match briefs::scaffold::init(dir, today()) {
        Ok(_) => {
            println!("created a new site in {}", display_dir(dir));
            println!("next: cd {} && briefs build", dir.display());
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}
