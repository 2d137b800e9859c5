//! Serve: build, serve on loopback, watch, rebuild what changed, reload
//! every open page, and show a failed build in the browser instead of dying.
//!
//! Steps: bind the port first (a port in use is a clear error, not a panic
//! later); build into a temporary folder with `base_url` pointing at the
//! server; serve that folder (tower-http's `ServeDir`: no directory listings,
//! no path traversal, the site's `404.html` for misses) behind a live-reload
//! layer; watch `site.yaml`, `content/`, `templates/` and `static/` with a
//! debouncer; hand each batch of changed paths to the [`Session`], then
//! reload the open pages. While the last rebuild failed, every page request
//! gets the diagnostics instead, and the next good save brings the site back.

mod caches;
pub(crate) mod invalidate;
pub mod session;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use notify_debouncer_full::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use tower_http::services::{ServeDir, ServeFile};
use tower_livereload::LiveReloadLayer;

use crate::error::Error;
use crate::options::Options;
use crate::serve::invalidate::{Change, classify};
use crate::serve::session::{Rebuilt, Session};
use crate::workdir::PathShower;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Root and drafts; `output` and `base_url` are set by the server.
    pub site: Options,
    pub bind: IpAddr,
    pub port: u16,
}

/// What the server tells the terminal, one line at a time.
pub trait Log: Send + 'static {
    fn line(&mut self, line: &str);
}

impl<W: std::io::Write + Send + 'static> Log for W {
    fn line(&mut self, line: &str) {
        let _ = writeln!(self, "{line}");
        let _ = self.flush();
    }
}

/// The diagnostics of the failed build, as the page every request gets.
type Failure = Arc<RwLock<Option<String>>>;

/// Serves until Ctrl+C, SIGTERM or SIGHUP ([`Stop`]), then stops the watcher
/// and deletes the served folder. Errors only when the server cannot start.
pub fn serve(options: ServeOptions, mut log: impl Log) -> Result<(), Error> {
    let addr = SocketAddr::new(options.bind, options.port);
    let listener = std::net::TcpListener::bind(addr).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => Error::PortInUse(addr),
        _ => crate::error::io_error(format!("cannot listen on {addr}"))(e),
    })?;
    let addr = listener
        .local_addr()
        .map_err(crate::error::io_error("cannot read the bound address"))?;
    let url = local_url(addr);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(crate::error::io_error("cannot start the server runtime"))?;
    // Listening from before the first build: a Ctrl+C during it stops
    // serve once it is over, rather than killing the process and leaving
    // the folder behind.
    let stop = Stop::listen(&runtime);
    let output = tempfile::Builder::new()
        .prefix("briefs-serve-")
        .tempdir()
        .map_err(crate::error::io_error(
            "cannot create a folder for the served site",
        ))?;
    let mut site = options.site.clone();
    site.base_url = Some(url.clone());
    let (session, first) = Session::start(site, output.path().to_path_buf())?;
    let failure: Failure = Arc::new(RwLock::new(None));
    // Diagnostics name files as they open from the folder serve runs in.
    let shower = PathShower::from_current_dir(&options.site.root);
    report(
        &mut log,
        &failure,
        first,
        "built",
        session.has_site(),
        &shower,
    );
    let mut serving = format!(
        "serving {} at {url} (Ctrl+C to stop)",
        session.root().display()
    );
    if addr.ip().is_unspecified() {
        serving.push_str(&format!(
            "\nlistening on all interfaces ({}): other machines reach it at this \
             machine's name or address, port {}",
            addr.ip(),
            addr.port()
        ));
    }

    let livereload = LiveReloadLayer::new();
    let reloader = livereload.reloader();
    // The watcher is up before the URL is printed: nothing saved after the
    // line appears is missed.
    let watching = watch(
        session,
        failure.clone(),
        move || reloader.reload(),
        (log, shower),
        &serving,
    )?;
    let app = router(output.path().to_path_buf(), failure).layer(livereload);
    let served = runtime.block_on(serve_until(listener, app, stop));
    // No rebuild writes into the folder once the watcher has stopped, and no
    // request reads from it once the runtime is down.
    watching.stop();
    runtime.shutdown_timeout(STOP_GRACE);
    drop(output);
    served
}

/// How long requests in flight may take to finish once serve is told to
/// stop. An open page's live-reload stream never finishes on its own: it is
/// cut when this is over.
const STOP_GRACE: Duration = Duration::from_millis(500);

/// Serves `app` on `listener` until `stop`, then gives the requests in
/// flight [`STOP_GRACE`] to finish.
async fn serve_until(
    listener: std::net::TcpListener,
    app: Router,
    stop: Stop,
) -> Result<(), Error> {
    listener
        .set_nonblocking(true)
        .map_err(crate::error::io_error("cannot configure the socket"))?;
    let listener = tokio::net::TcpListener::from_std(listener)
        .map_err(crate::error::io_error("cannot use the socket"))?;
    let (stopping, stopped) = tokio::sync::oneshot::channel();
    let graceful = axum::serve(listener, app).with_graceful_shutdown(async move {
        stop.received().await;
        let _ = stopping.send(());
    });
    let cut = async {
        if stopped.await.is_ok() {
            tokio::time::sleep(STOP_GRACE).await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        served = graceful => served.map_err(crate::error::io_error("the server stopped")),
        () = cut => Ok(()),
    }
}

/// What stops serve: Ctrl+C, and on Unix also `kill` (SIGTERM) or the
/// terminal closing (SIGHUP). Each is how serve is meant to end, not a
/// failure: serve exits 0, and the served folder (a whole copy of the site
/// in the temporary folder) is deleted on the way out.
struct Stop {
    #[cfg(unix)]
    signals: Option<[tokio::signal::unix::Signal; 3]>,
}

impl Stop {
    /// Starts listening for the signals: from here on they no longer end
    /// the process at once.
    fn listen(runtime: &tokio::runtime::Runtime) -> Stop {
        let _entered = runtime.enter();
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let kinds = [
                SignalKind::interrupt(),
                SignalKind::terminate(),
                SignalKind::hangup(),
            ];
            let signals = kinds.map(signal);
            let signals = match signals {
                [Ok(int), Ok(term), Ok(hup)] => Some([int, term, hup]),
                _ => None,
            };
            Stop { signals }
        }
        #[cfg(not(unix))]
        Stop {}
    }

    /// Waits for one of the signals.
    async fn received(self) {
        #[cfg(unix)]
        if let Some([mut int, mut term, mut hup]) = self.signals {
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
                _ = hup.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// A URL a browser on this machine opens: an address that listens on all
/// interfaces (`0.0.0.0`, `::`) is reached through loopback.
fn local_url(addr: SocketAddr) -> String {
    match addr.ip() {
        IpAddr::V6(ip) if ip.is_unspecified() => format!("http://[::1]:{}/", addr.port()),
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", addr.port()),
        IpAddr::V4(ip) if ip.is_unspecified() => format!("http://127.0.0.1:{}/", addr.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}/", addr.port()),
    }
}

/// The HTTP side: the built folder, the 404 page, the failure page.
pub fn router(dir: PathBuf, failure: Failure) -> Router {
    let not_found = ServeFile::new(dir.join("404.html"));
    let files = ServeDir::new(&dir)
        .append_index_html_on_directories(true)
        .not_found_service(not_found);
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(failure, show_failure))
        .layer(middleware::from_fn(revalidated))
}

/// The largest file given a validator ([`revalidated`]); a larger one is
/// sent whole every time.
const VALIDATED_BYTES: usize = 8 << 20;

/// No response is ever answered from a stale copy. A page saved twice within
/// a second keeps its `Last-Modified` (HTTP dates count seconds), so a
/// browser revalidating it after live reload would be told "not modified"
/// and show the first version: `Last-Modified` is never sent. Pages (and
/// every response but a whole file) are `no-store`; other files (the
/// stylesheet, scripts, images) get an `ETag` from their bytes and
/// `no-cache`, so a reload revalidates them and keeps what it has when they
/// did not change, which spares the browser fetching and parsing the
/// stylesheet again on every save.
async fn revalidated(mut request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let is_page = path.ends_with('/') || path.ends_with(".html");
    let validates = request.method() == axum::http::Method::GET && !is_page;
    let known = request.headers().get(header::IF_NONE_MATCH).cloned();
    for conditional in [
        header::IF_MODIFIED_SINCE,
        header::IF_NONE_MATCH,
        header::IF_UNMODIFIED_SINCE,
        header::IF_RANGE,
    ] {
        request.headers_mut().remove(conditional);
    }
    let mut response = next.run(request).await;
    response.headers_mut().remove(header::LAST_MODIFIED);
    response.headers_mut().remove(header::ETAG);
    let small = response
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|n| n.to_str().ok()?.parse::<usize>().ok())
        .is_some_and(|n| n <= VALIDATED_BYTES);
    if !(validates && small && response.status() == StatusCode::OK) {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, VALIDATED_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let tag = format!("\"{}\"", &blake3::hash(&bytes).to_hex()[..32]);
    let tag = header::HeaderValue::from_str(&tag).expect("hex digits are a valid header");
    parts.headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-cache"),
    );
    parts.headers.insert(header::ETAG, tag.clone());
    let unchanged = known.is_some_and(|known| {
        known
            .to_str()
            .is_ok_and(|list| list.split(',').any(|t| t.trim() == tag || t.trim() == "*"))
    });
    if unchanged {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// While the last build failed, page requests get its diagnostics.
async fn show_failure(State(failure): State<Failure>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let is_page = path.ends_with('/') || path.ends_with(".html");
    let page = failure.read().map(|f| f.clone()).unwrap_or_default();
    match page {
        Some(html) if is_page => (
            StatusCode::INTERNAL_SERVER_ERROR,
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            Body::from(html),
        )
            .into_response(),
        _ => next.run(request).await,
    }
}

/// Prints a build's outcome and sets or clears the failure page. A failure
/// just like the one shown (a save in two writes, an unrelated save) is not
/// printed again. `has_site` says whether a good build was ever served.
fn report(
    log: &mut impl Log,
    failure: &Failure,
    result: Result<Rebuilt, Error>,
    verb: &str,
    has_site: bool,
    shower: &PathShower,
) {
    match result {
        Ok(rebuilt) => {
            for d in rebuilt.diagnostics.iter() {
                // A blank line after each, as `build` prints them.
                log.line(&format!("{}\n", shower.diagnostic(d).render(false)));
            }
            let mut files = format!("{} written", crate::error::count(rebuilt.written, "file"));
            if rebuilt.removed > 0 {
                files.push_str(&format!(", {} removed", rebuilt.removed));
            }
            log.line(&format!(
                "{verb} {} in {} ms ({files})",
                crate::error::count(rebuilt.rendered, "page"),
                rebuilt.elapsed.as_millis()
            ));
            *failure.write().expect("the failure lock is never poisoned") = None;
        }
        Err(error) => {
            let text = describe(&error, shower);
            let page = failure_page(&text);
            let mut shown = failure.write().expect("the failure lock is never poisoned");
            if shown.as_ref() == Some(&page) {
                log.line("still failing with the errors above; fix them and save");
                return;
            }
            log.line(&text);
            log.line(match has_site {
                true => "the last good site stays served; fix the problem and save",
                false => "no site yet: nothing is served until the problem is fixed and saved",
            });
            *shown = Some(page);
        }
    }
}

/// The full text of a failed build, as the terminal shows it.
pub fn describe(error: &Error, shower: &PathShower) -> String {
    let mut text = String::new();
    match error {
        Error::Content(diagnostics) => {
            for d in diagnostics.iter() {
                text.push_str(&shower.diagnostic(d).render(false));
                text.push_str("\n\n");
            }
        }
        Error::Templates(messages) => {
            for m in messages {
                text.push_str(&shower.template_message(m));
                text.push_str("\n\n");
            }
        }
        _ => {}
    }
    text.push_str(&format!("error: {error}"));
    text
}

fn failure_page(text: &str) -> String {
    let escaped = crate::text::escape_html(text);
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Build failed</title>\n\
         <style>body{{font:16px/1.5 system-ui,sans-serif;margin:2rem;color:#1b1f24;background:#fff}}\
         h1{{color:#9b1c1c}}pre{{background:#f6f6f4;border-left:4px solid #9b1c1c;padding:1rem;overflow:auto;\
         font:14px/1.45 ui-monospace,monospace;white-space:pre-wrap}}</style>\n</head>\n<body>\n\
         <h1>Build failed</h1>\n<p>The site is not rebuilt until this is fixed. This page reloads on the next save.</p>\n\
         <pre>{escaped}</pre>\n</body>\n</html>\n"
    )
}

/// Every watched folder (of [`FOLDERS`]) that `paths` shows appearing and
/// that is not watched yet: all of them, however many one batch holds.
fn appeared_folders(
    root: &std::path::Path,
    paths: &[PathBuf],
    watched: &[PathBuf],
) -> Vec<PathBuf> {
    FOLDERS
        .iter()
        .map(|n| root.join(n))
        .filter(|folder| paths.contains(folder) && folder.is_dir() && !watched.contains(folder))
        .collect()
}

type Watcher = Debouncer<RecommendedWatcher, RecommendedCache>;

/// The folders watched recursively, each as soon as it exists.
const FOLDERS: [&str; 3] = ["content", "templates", "static"];

fn watch_error(
    path: &std::path::Path,
) -> impl FnOnce(notify_debouncer_full::notify::Error) -> Error + '_ {
    move |e| Error::Io {
        context: format!("cannot watch {}", path.display()),
        source: std::io::Error::other(e),
    }
}

/// How long the watcher waits after the last event of a batch before the
/// rebuild starts. An editor's save (a write, or a temporary file renamed
/// over the brief) is over in well under a millisecond; the wait joins its
/// events, and those of a "save all", into one rebuild. It is most of the
/// time from a save to the page on screen, so it is kept short (it was
/// 100 ms, checked every 25 ms: 100-125 ms; now 50-60 ms).
const DEBOUNCE: Duration = Duration::from_millis(50);

/// How often the debouncer looks for a batch that has waited [`DEBOUNCE`].
const DEBOUNCE_TICK: Duration = Duration::from_millis(10);

/// Watches the site and rebuilds on each debounced batch of changes. The
/// root is watched on its own (for `site.yaml`, `sources.yaml` and folders
/// that appear later), each content folder recursively.
fn watch(
    mut session: Session,
    failure: Failure,
    reload: impl Fn() + Send + 'static,
    (mut log, shower): (impl Log, PathShower),
    serving: &str,
) -> Result<Watching, Error> {
    let root = session.root().to_path_buf();
    let (tx, rx) = std::sync::mpsc::channel::<DebounceEventResult>();
    let mut debouncer =
        new_debouncer(DEBOUNCE, Some(DEBOUNCE_TICK), tx).map_err(watch_error(&root))?;
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(watch_error(&root))?;
    let mut watched = Vec::new();
    for name in FOLDERS {
        let path = root.join(name);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .map_err(watch_error(&path))?;
            watched.push(path);
        }
    }
    let debouncer = Arc::new(std::sync::Mutex::new(debouncer));
    // Weak: when serve drops its debouncer, the events end and so does the
    // loop below.
    let adder = Arc::downgrade(&debouncer);
    let stopping = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stop = stopping.clone();
    log.line(serving);
    let thread = std::thread::spawn(move || {
        for batch in rx {
            if stop.load(std::sync::atomic::Ordering::Relaxed) {
                break;
            }
            let events = match batch {
                Ok(events) => events,
                Err(errors) => {
                    for error in errors {
                        log.line(&watch_warning(&error));
                    }
                    continue;
                }
            };
            // Reading a file (as every build does) is an access event: not a change.
            let mut paths: Vec<PathBuf> = events
                .into_iter()
                .filter(|e| !e.event.kind.is_access())
                .flat_map(|e| e.event.paths)
                .collect();
            paths.sort();
            paths.dedup();
            // A content folder created after the start is watched from now
            // on, and the whole site is rebuilt from what it holds.
            let mut new_folder = false;
            for folder in appeared_folders(&root, &paths, &watched) {
                new_folder = true;
                let added = adder.upgrade().is_some_and(|watcher| {
                    (watcher.lock())
                        .is_ok_and(|mut w| w.watch(&folder, RecursiveMode::Recursive).is_ok())
                });
                if added {
                    watched.push(folder);
                }
            }
            paths.retain(|p| classify(&root, p) != Change::Ignored);
            if paths.is_empty() && !new_folder {
                continue;
            }
            if new_folder {
                paths.clear();
            }
            let result = guarded(&mut session, |session| session.rebuild(&paths));
            let has_site = session.has_site();
            report(&mut log, &failure, result, "rebuilt", has_site, &shower);
            reload();
        }
    });
    Ok(Watching {
        debouncer,
        stopping,
        thread,
    })
}

/// The watcher and the thread that rebuilds on its events.
struct Watching {
    debouncer: Arc<std::sync::Mutex<Watcher>>,
    /// Set when serve stops: a batch still queued is not built.
    stopping: Arc<std::sync::atomic::AtomicBool>,
    thread: std::thread::JoinHandle<()>,
}

impl Watching {
    /// Stops watching and waits for a rebuild under way to end, so that
    /// nothing writes into the served folder after this returns.
    fn stop(self) {
        self.stopping
            .store(true, std::sync::atomic::Ordering::Relaxed);
        // The last strong reference: the debouncer stops, its sender goes,
        // and the rebuild loop ends.
        drop(self.debouncer);
        let _ = self.thread.join();
    }
}

/// What the terminal shows of an error the file watcher reports (an
/// overflowed event queue, a folder it can no longer watch): saves it missed
/// are not rebuilt, so the author is told rather than left guessing.
fn watch_warning(error: &notify_debouncer_full::notify::Error) -> String {
    let paths: Vec<String> = error
        .paths
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let at = match paths.is_empty() {
        true => String::new(),
        false => format!(" ({})", paths.join(", ")),
    };
    format!(
        "warning: the file watcher reported an error{at}: {}\n  \
         help: a save may have been missed; save the file again, or restart `briefs serve`",
        watch_error_text(&error.kind)
    )
}

/// A watcher error's kind in words (notify's own `Display` shows the paths
/// with `{:?}`).
fn watch_error_text(kind: &notify_debouncer_full::notify::ErrorKind) -> String {
    use notify_debouncer_full::notify::ErrorKind;
    match kind {
        ErrorKind::Generic(text) => text.clone(),
        ErrorKind::Io(e) => e.to_string(),
        ErrorKind::PathNotFound => "a watched path no longer exists".to_string(),
        ErrorKind::WatchNotFound => "a watch was lost".to_string(),
        ErrorKind::InvalidConfig(_) => "the watcher's configuration was refused".to_string(),
        ErrorKind::MaxFilesWatch => {
            "the system's limit of watched files is reached (on Linux, raise \
             fs.inotify.max_user_watches)"
                .to_string()
        }
    }
}

/// Runs one rebuild of `session`, turning a panic in it into an
/// [`Error::Panic`]: the watcher thread lives on, the error is shown like
/// any other, and the session forgets what the rebuild may have left half
/// done, so the next save builds everything again.
fn guarded(
    session: &mut Session,
    rebuild: impl FnOnce(&mut Session) -> Result<Rebuilt, Error>,
) -> Result<Rebuilt, Error> {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| rebuild(&mut *session)));
    outcome.unwrap_or_else(|payload| {
        session.forget_after_panic();
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_string());
        Err(Error::Panic(message))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// A copy of the `valid` fixture site under `dir`.
    fn fixture_copy(dir: &Path) -> PathBuf {
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
        let root = dir.join("site");
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let to = root.join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        root.canonicalize().unwrap()
    }

    /// Every file under `dir` with its bytes, by path.
    fn files(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
                (rel, std::fs::read(e.path()).unwrap())
            })
            .collect()
    }

    #[test]
    fn a_rebuild_that_panics_is_shown_as_a_bug_and_the_next_save_builds_again() {
        let tmp = tempfile::tempdir().unwrap();
        let root = fixture_copy(tmp.path());
        let options = Options {
            root: root.clone(),
            base_url: Some("http://127.0.0.1:1111/".into()),
            ..Options::default()
        };
        let served = tmp.path().join("served");
        let (mut session, first) = Session::start(options.clone(), served.clone()).unwrap();
        first.unwrap();
        let (failure, shower): (Failure, _) = (Failure::default(), PathShower::new(&root, &root));
        let brief = root.join("content/briefs/older.md");
        let text = std::fs::read_to_string(&brief).unwrap();
        std::fs::write(&brief, text.replace("An older brief", "Edited once")).unwrap();

        session::test_panic::arm();
        let result = guarded(&mut session, |s| s.rebuild(std::slice::from_ref(&brief)));
        let mut log = Vec::new();
        report(
            &mut log,
            &failure,
            result,
            "rebuilt",
            session.has_site(),
            &shower,
        );
        let log = String::from_utf8(log).unwrap();
        assert_eq!(
            log,
            "error: the rebuild stopped on a bug: a test asked this rebuild to panic\n  \
             help: this is a bug in briefs; please report it, with this message. \
             The next save builds everything again\n\
             the last good site stays served; fix the problem and save\n"
        );
        let page = failure.read().unwrap().clone().expect("the failure page");
        assert!(
            page.contains("this is a bug in briefs; please report it"),
            "{page}"
        );
        assert!(
            page.contains("a test asked this rebuild to panic"),
            "{page}"
        );

        // The next save is built, whole, and the folder is what a fresh
        // session's first build of the same files gives (which
        // `tests/serve.rs` holds equal to `briefs build`).
        std::fs::write(&brief, text.replace("An older brief", "Edited twice")).unwrap();
        let result = guarded(&mut session, |s| s.rebuild(std::slice::from_ref(&brief)));
        let mut log = Vec::new();
        report(
            &mut log,
            &failure,
            result,
            "rebuilt",
            session.has_site(),
            &shower,
        );
        let log = String::from_utf8(log).unwrap();
        assert!(log.lines().any(|l| l.starts_with("rebuilt ")), "{log}");
        assert!(failure.read().unwrap().is_none());
        let clean = tmp.path().join("clean");
        Session::start(options, clean.clone()).unwrap().1.unwrap();
        let (served, clean) = (files(&served), files(&clean));
        assert_eq!(
            served.keys().collect::<Vec<_>>(),
            clean.keys().collect::<Vec<_>>()
        );
        let differ: Vec<_> = clean.keys().filter(|p| served[*p] != clean[*p]).collect();
        assert!(differ.is_empty(), "differ from a clean build: {differ:?}");
    }

    #[test]
    fn a_watcher_error_is_printed_with_its_paths_and_what_to_do() {
        let error = notify_debouncer_full::notify::Error::generic("event queue overflowed")
            .add_path(PathBuf::from("content/briefs"));
        assert_eq!(
            watch_warning(&error),
            "warning: the file watcher reported an error (content/briefs): event queue \
             overflowed\n  help: a save may have been missed; save the file again, or restart \
             `briefs serve`"
        );
    }

    #[test]
    fn every_folder_appearing_in_one_batch_is_watched() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        for name in FOLDERS {
            std::fs::create_dir(root.join(name)).unwrap();
        }
        let paths: Vec<PathBuf> = FOLDERS.iter().map(|n| root.join(n)).collect();
        assert_eq!(appeared_folders(root, &paths, &[]), paths);
        // One already watched: the other two still are added.
        let watched = [root.join("content")];
        assert_eq!(
            appeared_folders(root, &paths, &watched),
            [root.join("templates"), root.join("static")]
        );
        // A path that is not one of the folders, or a file, adds nothing.
        std::fs::remove_dir(root.join("static")).unwrap();
        std::fs::write(root.join("static"), "").unwrap();
        let other = [root.join("static"), root.join("site.yaml")];
        assert!(appeared_folders(root, &other, &[]).is_empty());
    }
}
