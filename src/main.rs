//! The `briefs` command line: parses arguments, calls the library, prints
//! diagnostics and the summary, and sets the exit code (0 ok, 1 content
//! errors, 2 usage or I/O errors).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};

use briefs::progress::{Meter, Progress};
use briefs::workdir::PathShower;
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
// The variants have no doc comments on purpose: documented possible values
// switch `check --help` to clap's long layout, unlike every other command.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    // rustc-style, with the offending line and a hint
    Text,
    // One JSON object per line: path, line, column, severity, code, message, hint
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into its output folder (replaced whole, only if the build succeeds
    /// and its internal links and anchors all land)
    Build {
        /// The site folder, holding site.yaml [default: the nearest folder up from here with one]
        #[arg(long)]
        root: Option<PathBuf>,
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
        /// Warn about briefs dated after this day (YYYY-MM-DD); the clock is never read
        #[arg(long, value_name = "YYYY-MM-DD")]
        today: Option<jiff::civil::Date>,
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
        /// The site folder, holding site.yaml [default: the nearest folder up from here with one]
        #[arg(long)]
        root: Option<PathBuf>,
        /// Override base_url from site.yaml, e.g. https://example.org/briefs/
        #[arg(long)]
        base_url: Option<String>,
        /// Also render briefs with status draft or review
        #[arg(long)]
        drafts: bool,
        /// Treat warnings as errors (like `strict: true` in site.yaml)
        #[arg(long)]
        strict: bool,
        /// Warn about briefs dated after this day (YYYY-MM-DD); the clock is never read
        #[arg(long, value_name = "YYYY-MM-DD")]
        today: Option<jiff::civil::Date>,
        /// How to print diagnostics: rustc-style text, or one JSON object per line (path, line, column, severity, code, message, hint)
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Build, serve on loopback, rebuild on every save and reload open pages
    Serve {
        /// The site folder, holding site.yaml [default: the nearest folder up from here with one]
        #[arg(long)]
        root: Option<PathBuf>,
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
        /// Warn about briefs dated after this day (YYYY-MM-DD); the clock is never read
        #[arg(long, value_name = "YYYY-MM-DD")]
        today: Option<jiff::civil::Date>,
    },
    /// Write a new draft brief to content/briefs/<slug>.md
    New {
        /// The brief's title; the slug is made from it
        title: String,
        /// Write a bundle instead: content/briefs/<slug>/index.md, beside which its images go
        #[arg(long)]
        bundle: bool,
        /// The brief's date, YYYY-MM-DD [default: today]
        #[arg(long)]
        date: Option<jiff::civil::Date>,
        /// The brief's slug, its address: lowercase letters a-z, digits and hyphens
        /// [default: made from the title; needed for a title with kanji on a site not in Chinese]
        #[arg(long)]
        slug: Option<String>,
        /// The site folder, holding site.yaml [default: the nearest folder up from here with one]
        #[arg(long)]
        root: Option<PathBuf>,
    },
    /// Create a new site in DIR (new or empty), or add the GitHub Pages workflow to the site in DIR
    Init {
        /// Folder for the new site, or a site's folder (with --github-pages)
        dir: PathBuf,
        /// Also write .github/workflows/pages.yml, which builds the site and
        /// publishes it on GitHub Pages at every push (needs --briefs-git)
        #[arg(long, requires = "briefs_git")]
        github_pages: bool,
        /// The git URL the workflow installs briefs from (the one you installed it from)
        #[arg(long, value_name = "URL", requires = "github_pages")]
        briefs_git: Option<String>,
        /// The commit or tag of --briefs-git the workflow installs [default: the newest commit]
        #[arg(long, value_name = "REV", requires = "briefs_git")]
        briefs_rev: Option<String>,
    },
    /// Work with the built-in theme
    Theme {
        #[command(subcommand)]
        command: ThemeCommand,
    },
}

#[derive(Subcommand)]
enum ThemeCommand {
    /// Write the built-in templates and static files into DIR/templates and DIR/static, to edit
    Export {
        /// The site folder to write into [default: the nearest folder up from here with a site.yaml]
        dir: Option<PathBuf>,
        /// Overwrite files that exist already
        #[arg(long)]
        force: bool,
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
            today,
            timings,
            force,
        } => {
            let options = Options {
                root: site_root(root),
                output,
                base_url,
                drafts,
                strict,
                today,
                force,
            };
            build(&options, timings)
        }
        Command::Check {
            root,
            base_url,
            drafts,
            strict,
            today,
            format,
        } => check(
            &Options {
                root: site_root(root),
                base_url,
                drafts,
                strict,
                today,
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
            today,
        } => {
            let site = Options {
                root: site_root(root),
                strict,
                drafts,
                today,
                ..Options::default()
            };
            serve(briefs::ServeOptions { site, bind, port })
        }
        Command::New {
            title,
            root,
            bundle,
            date,
            slug,
        } => new(&site_root(root), &title, date, bundle, slug.as_deref()),
        Command::Init {
            dir,
            briefs_git,
            briefs_rev,
            ..
        } => init(&dir, briefs_git, briefs_rev),
        Command::Theme {
            command: ThemeCommand::Export { dir, force },
        } => theme_export(dir, force),
    };
    ExitCode::from(code)
}

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// The site root: `--root`, or else the nearest folder at or above the
/// current one with a `site.yaml` (as git and cargo find theirs), named on
/// stderr when it is not the current folder.
fn site_root(root: Option<PathBuf>) -> PathBuf {
    if let Some(root) = root {
        return root;
    }
    let found = std::env::current_dir()
        .ok()
        .and_then(|cwd| briefs::workdir::find_root(&cwd));
    match found {
        Some(root) if root != Path::new(".") => {
            eprintln!("using the site at {}", root.display());
            root
        }
        _ => PathBuf::from("."),
    }
}

fn shown(d: &briefs::Diagnostic, root: &Path) -> briefs::Diagnostic {
    PathShower::from_current_dir(root).diagnostic(d)
}

fn print_diagnostics(diagnostics: &Diagnostics, root: &Path) {
    let color = color();
    for d in diagnostics.iter() {
        eprintln!("{}\n", shown(d, root).render(color));
    }
}

/// Prints a failed run and returns its exit code.
fn fail(error: &Error, wrote_nothing: &str, root: &Path) -> u8 {
    match error {
        Error::Content(diagnostics) => {
            print_diagnostics(diagnostics, root);
            let warnings = match diagnostics.warning_count() {
                0 => String::new(),
                1 => ", and 1 warning".to_string(),
                n => format!(", and {n} warnings"),
            };
            eprintln!("error: {error}{warnings}{wrote_nothing}");
        }
        Error::Templates(messages) => {
            for message in messages {
                let message = PathShower::from_current_dir(root).template_message(message);
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
    if shown.is_empty() {
        "./".to_string()
    } else if shown.ends_with('/') {
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

/// Runs `work` with a progress line on stderr when it is a terminal.
fn with_progress<T>(work: impl FnOnce(&Progress) -> T) -> T {
    let progress = Arc::new(Progress::default());
    let meter = std::io::stderr().is_terminal().then(|| {
        // Tests set the delay to 0 to show the line (or its absence) at once.
        let after = std::env::var("BRIEFS_PROGRESS_AFTER_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map_or(Duration::from_secs(1), Duration::from_millis);
        Meter::start(progress.clone(), after, std::io::stderr())
    });
    let result = work(&progress);
    if let Some(meter) = meter {
        meter.finish();
    }
    result
}

fn build(options: &Options, timings: bool) -> u8 {
    let start = Instant::now();
    match with_progress(|progress| briefs::build_with_progress(options, progress)) {
        Ok(report) => {
            print_diagnostics(&report.diagnostics, &options.root);
            println!(
                "built {}, {} in {} ms{} -> {}",
                briefs::count(report.briefs, "brief"),
                briefs::count(report.pages, "page"),
                start.elapsed().as_millis(),
                warnings_line(&report),
                display_dir(&options.output_dir())
            );
            if timings {
                print_timings(&report);
            }
            0
        }
        Err(e) => fail(&e, "; nothing was written", &options.root),
    }
}

fn check(options: &Options, format: Format) -> u8 {
    let start = Instant::now();
    let result = with_progress(|progress| briefs::check_with_progress(options, progress));
    if format == Format::Json {
        return check_json(result, &options.root);
    }
    match result {
        Ok(report) => {
            print_diagnostics(&report.diagnostics, &options.root);
            println!(
                "checked {}, {} in {} ms{}: no errors",
                briefs::count(report.briefs, "brief"),
                briefs::count(report.pages, "page"),
                start.elapsed().as_millis(),
                warnings_line(&report)
            );
            if let Some(line) = left_out_line(report.left_out) {
                println!("{line}");
            }
            0
        }
        Err(e) => fail(&e, "", &options.root),
    }
}

/// `also checked 1 draft and 2 briefs in review, not rendered (--drafts renders them)`.
fn left_out_line(left_out: briefs::LeftOut) -> Option<String> {
    let mut parts = Vec::new();
    if left_out.drafts > 0 {
        parts.push(briefs::count(left_out.drafts, "draft"));
    }
    if left_out.review > 0 {
        parts.push(format!(
            "{} in review",
            briefs::count(left_out.review, "brief")
        ));
    }
    (!parts.is_empty()).then(|| {
        format!(
            "also checked {}, not rendered (--drafts renders them)",
            parts.join(" and ")
        )
    })
}

/// `check --format json`: every diagnostic as one JSON line on stdout. A
/// problem that stops the check before any file is read (no site.yaml, an
/// unreadable folder) is one line too, with code `usage`, so a tool reading
/// stdout always gets JSON; stderr says it in words as well.
fn check_json(result: Result<Report, Error>, root: &Path) -> u8 {
    let diagnostics = match &result {
        Ok(report) => Some(&report.diagnostics),
        Err(Error::Content(diagnostics)) => Some(diagnostics),
        Err(_) => None,
    };
    if let Some(diagnostics) = diagnostics {
        for d in diagnostics.iter() {
            println!("{}", shown(d, root).to_json_line());
        }
    }
    if let Err(e) = &result
        && !matches!(e, Error::Content(_))
    {
        let path = match e {
            Error::NoSite(_) => Path::new("site.yaml"),
            _ => Path::new(""),
        };
        let problem = briefs::Diagnostic::file_error(path, e.to_string()).with_code("usage");
        println!("{}", problem.to_json_line());
    }
    match result {
        Ok(_) => 0,
        Err(e @ Error::Content(_)) => e.exit_code() as u8,
        Err(e) => fail(&e, "", root),
    }
}

fn serve(options: briefs::ServeOptions) -> u8 {
    let root = options.site.root.clone();
    match briefs::serve(options, std::io::stdout()) {
        Ok(()) => 0,
        Err(e) => fail(&e, "", &root),
    }
}

fn today() -> jiff::civil::Date {
    jiff::ZonedDateTime::now().date()
}

/// `briefs new`: a draft dated `date` (default: today).
fn new(
    root: &Path,
    title: &str,
    date: Option<jiff::civil::Date>,
    bundle: bool,
    slug: Option<&str>,
) -> u8 {
    let date = date.unwrap_or_else(today);
    let shown = |path: &Path| {
        let rel = path.strip_prefix(root).unwrap_or(path);
        PathShower::from_current_dir(root).show(rel)
    };
    match briefs::new_brief_in(root, title, date, bundle, slug) {
        Ok(path) => {
            println!("created {}", shown(&path).display());
            0
        }
        Err(briefs::ScaffoldError::Exists(path)) => {
            let error = briefs::ScaffoldError::Exists(shown(&path));
            eprintln!("error: {error}");
            2
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

/// `briefs init`; with a git URL, the site gets a GitHub Pages workflow.
fn init(dir: &Path, briefs_git: Option<String>, briefs_rev: Option<String>) -> u8 {
    let pages = briefs_git.map(|git| briefs::PagesSource {
        git,
        rev: briefs_rev,
    });
    match briefs::init_with(dir, today(), pages.as_ref()) {
        Ok(briefs::Initialized::Workflow(_)) => {
            println!(
                "added {} to the site in {}: push it to GitHub and set Settings > Pages > Source to \"GitHub Actions\"",
                briefs::PAGES_WORKFLOW_PATH,
                display_dir(dir)
            );
            0
        }
        Ok(briefs::Initialized::Site(_)) => {
            println!("created a new site in {}", display_dir(dir));
            if pages.is_some() {
                println!(
                    "with {}: push it to GitHub and set Settings > Pages > Source to \"GitHub Actions\"",
                    briefs::PAGES_WORKFLOW_PATH
                );
            }
            println!("next: cd {} && briefs serve", dir.display());
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

fn theme_export(dir: Option<PathBuf>, force: bool) -> u8 {
    let dir = match dir {
        Some(dir) => dir,
        None => {
            let root = site_root(None);
            if !root.join(briefs::SITE_FILE).is_file() {
                eprintln!(
                    "error: no site.yaml here or in any folder above; \
                     run this in a site or name a folder: briefs theme export DIR"
                );
                return 2;
            }
            root
        }
    };
    match briefs::theme_export::export(&dir, force) {
        Ok(written) => {
            let shower = PathShower::from_current_dir(&dir);
            let files = briefs::count(written.len(), "file");
            println!("wrote the built-in theme, {files}:");
            for rel in &written {
                println!("  {}", shower.show(rel).display());
            }
            println!("each file replaces the built-in one of its name; edit it there");
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}
