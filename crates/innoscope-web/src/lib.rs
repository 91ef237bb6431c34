//! The JSON API of innoscope (`innoscope serve`): the same store and the
//! same analysis functions as the CLI, over HTTP.
//!
//! - `GET /api/datasets`: datasets with provenance.
//! - `GET /api/analyses`: analyses and their parameters (names and defaults as the CLI's).
//! - `GET /api/analyses/{id}?year=2020&economies=CHN,USA…`: result tables as JSON.
//! - `GET /api/analyses/{id}/tables/{table}.csv`: one table as CSV with provenance lines.
//! - `GET /api/analyses/{id}/figures/{table}.svg?lang=zh`: its figure.
//! - `GET /api/analyses/{id}/networks/{table}.gexf` or `.vosviewer.json`: a network.
//! - `GET /api/openapi.json`: the OpenAPI document, generated from the analysis list.
//!
//! Invariants: read-only (no route changes the store); every parameter is
//! validated and a bad one is a 4xx JSON error naming it; internal errors are
//! a generic 500, logged once; analyses run on a separate runtime, off the
//! request workers, with a bound on how many run at once; results are cached
//! by analysis and parameters (the store does not change while serving).

mod idle;
mod openapi;
mod params;

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use innoscope_core::network::Network;
use innoscope_core::{Lang, ResultTable};
use innoscope_engine::Engine;
use innoscope_engine::analysis::{self, Params};
use innoscope_engine::error::EngineError;
use serde_json::json;
use tokio::sync::Semaphore;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};

pub use params::params_from_query;

/// Limits of the server.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// Longest a request may take.
    pub timeout: Duration,
    /// Analyses running at once; more wait.
    pub max_running: usize,
    /// Results kept in the cache.
    pub cache_entries: usize,
    /// Largest response body an analysis may produce.
    pub max_result_bytes: usize,
    /// What a 503 (the memory budget is full) tells the client to wait.
    pub retry_after: Duration,
    /// When the last running analysis ends and none starts for this long,
    /// the freed memory is handed back to the system (see [`idle`]).
    pub idle_release: Duration,
}

/// Limits of the connections themselves (what [`serve`] enforces before a
/// request reaches the router).
#[derive(Clone, Debug)]
pub struct ConnectionLimits {
    /// A client must send a request's headers within this time, and an
    /// idle keep-alive connection is closed after it: a half-sent or
    /// abandoned connection does not hold a socket.
    pub header_timeout: Duration,
    /// Connections open at once; more are closed as they arrive (the
    /// client sees the connection reset and may retry).
    pub max_connections: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_timeout: Duration::from_secs(10),
            max_connections: 512,
        }
    }
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            timeout: Duration::from_secs(60),
            max_running: 4,
            cache_entries: 512,
            max_result_bytes: 32 << 20,
            retry_after: Duration::from_secs(5),
            idle_release: Duration::from_millis(500),
        }
    }
}

/// An error answered to the client.
#[derive(Clone, Debug)]
pub enum ApiError {
    BadParam {
        name: String,
        message: String,
    },
    /// Well-formed parameters the data or the other parameters do not
    /// allow (an economy not in the data, a year outside it, a base year
    /// after the reference year): 422, naming the parameter.
    Unprocessable {
        name: String,
        message: String,
    },
    NotFound(String),
    TooLarge(String),
    /// The memory budget has no room for the analysis now: 503 with
    /// `Retry-After` (seconds).
    Busy {
        message: String,
        retry_after: u64,
    },
    /// Logged once where it happens; the client sees a generic message.
    Internal,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            ApiError::BadParam { name, message } => (
                StatusCode::BAD_REQUEST,
                json!({"error": {"status": 400, "kind": "bad_param", "param": name, "message": message}}),
            ),
            ApiError::Unprocessable { name, message } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({"error": {"status": 422, "kind": "unprocessable", "param": name, "message": message}}),
            ),
            ApiError::NotFound(m) => (
                StatusCode::NOT_FOUND,
                json!({"error": {"status": 404, "kind": "not_found", "message": m}}),
            ),
            ApiError::TooLarge(m) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                json!({"error": {"status": 413, "kind": "too_large", "message": m}}),
            ),
            ApiError::Busy {
                message,
                retry_after,
            } => {
                let body = json!({"error": {"status": 503, "kind": "busy", "message": message, "retry_after": retry_after}});
                let mut r = (StatusCode::SERVICE_UNAVAILABLE, axum::Json(body)).into_response();
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
                return r;
            }
            ApiError::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"error": {"status": 500, "kind": "internal", "message": "internal error; it has been logged"}}),
            ),
        };
        (status, axum::Json(body)).into_response()
    }
}

impl ApiError {
    fn bad(name: &str, message: impl Into<String>) -> ApiError {
        ApiError::BadParam {
            name: name.to_string(),
            message: message.into(),
        }
    }

    fn from_engine(e: EngineError, retry_after: Duration) -> ApiError {
        match e {
            e @ EngineError::Memory { .. } => {
                tracing::warn!(error = %e, "analysis refused for memory");
                ApiError::Busy {
                    message: format!("{e}; try again shortly or narrow the request"),
                    retry_after: retry_after.as_secs().max(1),
                }
            }
            // The query parsed (types, ranges, choices: 400 before this);
            // what the analysis refuses depends on the data.
            EngineError::BadParam { name, message } => ApiError::Unprocessable { name, message },
            EngineError::UnknownAnalysis(id) => ApiError::NotFound(format!(
                "unknown analysis `{id}`; GET /api/analyses lists them"
            )),
            EngineError::MissingData { message, hint } => {
                ApiError::NotFound(format!("{message} ({hint})"))
            }
            other => {
                tracing::error!(error = %other, "analysis failed");
                ApiError::Internal
            }
        }
    }
}

type CacheKey = (String, String);

#[derive(Default)]
struct Cache {
    map: HashMap<CacheKey, Arc<Vec<ResultTable>>>,
    order: VecDeque<CacheKey>,
}

/// The result of one analysis run, shared by every request waiting for it.
type Outcome = Result<Arc<Vec<ResultTable>>, ApiError>;
type InFlight = futures::future::Shared<futures::future::BoxFuture<'static, Outcome>>;
type WeakInFlight = futures::future::WeakShared<futures::future::BoxFuture<'static, Outcome>>;

/// Shared state of the router.
#[derive(Clone)]
pub struct AppState {
    engine: Arc<Engine>,
    /// Where analyses run (a runtime of their own in the server).
    analyses: tokio::runtime::Handle,
    running: Arc<Semaphore>,
    cache: Arc<Mutex<Cache>>,
    /// Analyses running now, by (analysis, parameters): an identical
    /// request joins the run instead of starting another. Weak, so that a
    /// run nobody waits for any more is dropped, and with it its task.
    inflight: Arc<Mutex<HashMap<CacheKey, WeakInFlight>>>,
    /// Analysis runs started and finished (for tests and logs): an aborted
    /// run starts and never finishes.
    started: Arc<std::sync::atomic::AtomicU64>,
    finished: Arc<std::sync::atomic::AtomicU64>,
    /// Runs holding a slot now; memory goes back when they are all done.
    active: Arc<idle::Active>,
    opts: ServeOptions,
}

/// Aborts the analysis task when the last request waiting for it is gone
/// (the client disconnected or the request timed out): abandoned work
/// stops at its next await instead of running on.
struct AbortOnDrop(tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl AppState {
    pub fn new(engine: Arc<Engine>, analyses: tokio::runtime::Handle, opts: ServeOptions) -> Self {
        AppState {
            engine,
            running: Arc::new(Semaphore::new(opts.max_running.max(1))),
            cache: Arc::new(Mutex::new(Cache::default())),
            inflight: Arc::new(Mutex::new(HashMap::new())),
            started: Arc::new(std::sync::atomic::AtomicU64::new(0)),
            finished: Arc::new(std::sync::atomic::AtomicU64::new(0)),
            active: Arc::new(idle::Active::new(analyses.clone(), opts.idle_release)),
            analyses,
            opts,
        }
    }

    /// How many analysis runs have started since the server began (a
    /// request answered from the cache or joined to a run in flight starts
    /// none).
    pub fn runs_started(&self) -> u64 {
        self.started.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// How many analysis runs have finished (an aborted one never does).
    pub fn runs_finished(&self) -> u64 {
        self.finished.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// How many times freed memory was handed back to the system after
    /// the last running analysis ended.
    pub fn memory_releases(&self) -> u64 {
        self.active.releases()
    }

    /// How many analyses are running now.
    pub fn runs_in_flight(&self) -> usize {
        self.opts.max_running.max(1) - self.running.available_permits()
    }

    /// Run (or fetch from the cache) an analysis.
    async fn run(&self, id: &str, params: Params) -> Result<Arc<Vec<ResultTable>>, ApiError> {
        let spec = analysis::find(id).ok_or_else(|| {
            ApiError::NotFound(format!(
                "unknown analysis `{id}`; GET /api/analyses lists them"
            ))
        })?;
        let key = (
            spec.id.to_string(),
            serde_json::to_string(&params).map_err(|_| ApiError::Internal)?,
        );
        if let Some(hit) = self
            .cache
            .lock()
            .map_err(|_| ApiError::Internal)?
            .map
            .get(&key)
        {
            return Ok(hit.clone());
        }
        let shared = {
            let mut inflight = self.inflight.lock().map_err(|_| ApiError::Internal)?;
            match inflight.get(&key).and_then(|w| w.upgrade()) {
                Some(running) => running,
                None => {
                    // Runs whose requests all went away leave a dead entry.
                    inflight.retain(|_, w| w.upgrade().is_some());
                    let run = self.start(spec.id, params);
                    inflight.insert(key.clone(), run.downgrade().expect("not yet polled"));
                    run
                }
            }
        };
        let outcome = shared.await;
        if let Ok(tables) = &outcome {
            let mut c = self.cache.lock().map_err(|_| ApiError::Internal)?;
            if !c.map.contains_key(&key) {
                if c.order.len() >= self.opts.cache_entries.max(1)
                    && let Some(old) = c.order.pop_front()
                {
                    c.map.remove(&old);
                }
                c.order.push_back(key.clone());
                c.map.insert(key.clone(), tables.clone());
            }
        }
        // Cached now (or failed): the next request for it starts afresh.
        if let Ok(mut inflight) = self.inflight.lock() {
            inflight.remove(&key);
        }
        outcome
    }

    /// Start a run of `id`: it waits for a slot (`max_running`), runs on the
    /// analyses' runtime, and is aborted when the returned future and all
    /// its clones are dropped.
    fn start(&self, id: &'static str, params: Params) -> InFlight {
        use futures::FutureExt;
        let engine = self.engine.clone();
        let running = self.running.clone();
        let started = self.started.clone();
        let finished = self.finished.clone();
        let retry_after = self.opts.retry_after;
        let active = self.active.clone();
        let job = self.analyses.spawn(async move {
            let _permit = running
                .acquire_owned()
                .await
                .map_err(|_| ApiError::Internal)?;
            let _active = active.enter();
            started.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let out = analysis::run(&engine, id, &params).await;
            finished.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            out.map(Arc::new)
                .map_err(|e| ApiError::from_engine(e, retry_after))
        });
        let guard = AbortOnDrop(job.abort_handle());
        async move {
            let _guard = guard;
            match job.await {
                Ok(outcome) => outcome,
                Err(e) => {
                    tracing::error!(error = %e, analysis = id, "analysis task failed");
                    Err(ApiError::Internal)
                }
            }
        }
        .boxed()
        .shared()
    }
}

/// The router over `state`.
pub fn router(state: AppState) -> Router {
    let timeout = state.opts.timeout;
    Router::new()
        .route("/", get(dashboard))
        .route("/assets/{file}", get(asset))
        .route("/api", get(index))
        .route("/api/", get(index))
        .route("/api/health", get(health))
        .route("/api/openapi.json", get(openapi_doc))
        .route("/api/datasets", get(datasets))
        .route("/api/datasets/{id}/changes", get(dataset_changes))
        .route("/api/analyses", get(analyses))
        .route("/api/analyses/{id}", get(run_analysis))
        .route("/api/analyses/{id}/changes", get(changes))
        .route("/api/analyses/{id}/tables/{file}", get(table_csv))
        .route("/api/analyses/{id}/figures/{file}", get(figure_svg))
        .route("/api/analyses/{id}/networks/{file}", get(network_file))
        .fallback(not_found)
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(16 * 1024))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(tracing::Level::INFO))
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
}

/// Serve `state` on `listener` until `shutdown` resolves; requests in
/// flight are finished first. Each connection has `limits.header_timeout`
/// to send its headers (and is closed when idle that long), and at most
/// `limits.max_connections` are open at once.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    limits: ConnectionLimits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let app = router(state);
    let open = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait, go on.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            tracing::warn!(%peer, limit = limits.max_connections, "connection refused: too many open");
            drop(stream);
            continue;
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let conn = builder.serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(%peer, error = %e, "connection ended");
            }
            drop(permit);
        });
    }
    graceful.shutdown().await;
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM, for graceful shutdown.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

async fn not_found() -> ApiError {
    ApiError::NotFound("no such route; GET /api/ lists the routes".into())
}

async fn index() -> axum::Json<serde_json::Value> {
    axum::Json(json!({
        "name": "innoscope",
        "version": env!("CARGO_PKG_VERSION"),
        "routes": {
            "datasets": "/api/datasets",
            "analyses": "/api/analyses",
            "run": "/api/analyses/{id}?param=value…",
            "changes": "/api/analyses/{id}/changes (against the 2021 report's figures)",
            "table_csv": "/api/analyses/{id}/tables/{table}.csv",
            "figure_svg": "/api/analyses/{id}/figures/{table}.svg?lang=en|zh",
            "network": "/api/analyses/{id}/networks/{table}.gexf|.vosviewer.json?lang=en|zh",
            "openapi": "/api/openapi.json",
        }
    }))
}

/// The dashboard: files compiled into the binary, served by name only (no
/// file system access, so no path can escape).
const ASSETS: [(&str, &str, &str); 3] = [
    (
        "index.html",
        "text/html; charset=utf-8",
        include_str!("../assets/index.html"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_str!("../assets/app.js"),
    ),
    (
        "app.css",
        "text/css; charset=utf-8",
        include_str!("../assets/app.css"),
    ),
];

fn asset_response(name: &str) -> Result<Response, ApiError> {
    let (_, ct, body) = ASSETS
        .iter()
        .find(|(n, _, _)| *n == name)
        .ok_or_else(|| ApiError::NotFound(format!("no asset `{name}`")))?;
    let mut r = (*body).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    Ok(r)
}

async fn dashboard() -> Result<Response, ApiError> {
    asset_response("index.html")
}

async fn asset(Path(file): Path<String>) -> Result<Response, ApiError> {
    if file == "index.html" {
        return Err(ApiError::NotFound(
            "no asset `index.html` here; it is served at /".into(),
        ));
    }
    asset_response(&file)
}

async fn health() -> axum::Json<serde_json::Value> {
    axum::Json(json!({"status": "ok"}))
}

async fn openapi_doc() -> axum::Json<serde_json::Value> {
    axum::Json(openapi::document())
}

async fn datasets(State(s): State<AppState>) -> Result<axum::Json<serde_json::Value>, ApiError> {
    let mut v = serde_json::to_value(s.engine.datasets()).map_err(|_| ApiError::Internal)?;
    // Provenance stays (inputs, hashes, sources); where the store sits on
    // the server's disk does not leave it.
    if let Some(list) = v.as_array_mut() {
        for d in list {
            if let Some(o) = d.as_object_mut() {
                o.remove("dir");
                // Each series' licence in Chinese too, for the zh page.
                for ser in o
                    .get_mut("series")
                    .and_then(|v| v.as_array_mut())
                    .into_iter()
                    .flatten()
                {
                    let Some(ser) = ser.as_object_mut() else {
                        continue;
                    };
                    let zh = innoscope_core::Lang::Zh;
                    if let Some(l) = ser.get("licence").and_then(|l| l.as_str()) {
                        let l = innoscope_core::provenance::in_lang(l, zh);
                        ser.insert("licence_zh".into(), l.into());
                    }
                    if let Some(src) = ser.get("source").and_then(|l| l.as_str()) {
                        let src = innoscope_core::provenance::source_in(src, zh);
                        ser.insert("source_zh".into(), src.into());
                    }
                }
                if let Some(vs) = o.get_mut("vintages").and_then(|v| v.as_array_mut()) {
                    for v in vs {
                        if let Some(v) = v.as_object_mut() {
                            v.remove("dir");
                        }
                    }
                }
            }
        }
    }
    Ok(axum::Json(json!({ "datasets": v })))
}

/// `GET /api/datasets/{id}/changes?vintage=N`: the values that changed
/// between a kept version of a store dataset and the current one.
async fn dataset_changes(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<axum::Json<serde_json::Value>, ApiError> {
    let mut back = 1usize;
    for (k, v) in &q {
        match k.as_str() {
            "vintage" => {
                back = v
                    .parse()
                    .ok()
                    .filter(|n| (1..=100).contains(n))
                    .ok_or_else(|| {
                        ApiError::bad(
                            "vintage",
                            format!("`{v}` is not a whole number from 1 to 100"),
                        )
                    })?;
            }
            other => {
                return Err(ApiError::bad(
                    other,
                    format!("unknown parameter `{other}` (this route takes `vintage`)"),
                ));
            }
        }
    }
    let store = s
        .engine
        .store_dir()
        .and_then(innoscope_engine::Store::existing)
        .ok_or_else(|| {
            ApiError::NotFound("the server has no store; versions are kept in a store".into())
        })?;
    let c =
        tokio::task::spawn_blocking(move || innoscope_engine::vintage::changes(&store, &id, back))
            .await
            .map_err(|_| ApiError::Internal)?
            .map_err(|e| ApiError::from_engine(e, s.opts.retry_after))?;
    let v = serde_json::to_value(c.table()).map_err(|_| ApiError::Internal)?;
    Ok(axum::Json(v))
}

async fn analyses() -> axum::Json<serde_json::Value> {
    axum::Json(json!({ "analyses": analysis::list() }))
}

fn split_query(q: Vec<(String, String)>) -> (Vec<(String, String)>, Option<String>) {
    let mut lang = None;
    let rest = q
        .into_iter()
        .filter(|(k, v)| {
            if k == "lang" {
                lang = Some(v.clone());
                false
            } else {
                true
            }
        })
        .collect();
    (rest, lang)
}

fn lang_of(l: Option<String>) -> Result<Lang, ApiError> {
    match l.as_deref() {
        None | Some("en") => Ok(Lang::En),
        Some("zh") => Ok(Lang::Zh),
        Some(o) => Err(ApiError::bad("lang", format!("`{o}` is not en or zh"))),
    }
}

fn limited(s: &AppState, body: String, content_type: &'static str) -> Result<Response, ApiError> {
    if body.len() > s.opts.max_result_bytes {
        return Err(ApiError::TooLarge(format!(
            "the result is {} bytes, above the server's limit of {}; narrow the request",
            body.len(),
            s.opts.max_result_bytes
        )));
    }
    let mut r = body.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    Ok(r)
}

async fn run_analysis(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let (q, lang) = split_query(q);
    if lang.is_some() {
        return Err(ApiError::bad(
            "lang",
            "tables carry both languages; lang applies to figures and networks",
        ));
    }
    let params = params_from_query(&id, &q)?;
    let tables = s.run(&id, params.clone()).await?;
    // The parameters given (the others take the analysis' defaults).
    let mut given = serde_json::to_value(&params).map_err(|_| ApiError::Internal)?;
    if let Some(o) = given.as_object_mut() {
        o.retain(|_, v| !v.is_null());
    }
    let body = serde_json::to_string(&json!({
        "analysis": id.to_ascii_uppercase(),
        "params": given,
        "tables": &*tables,
    }))
    .map_err(|_| ApiError::Internal)?;
    limited(&s, body, "application/json")
}

/// What changed since the 2021 report's published figures (the built-in
/// `seed2021` edition), for the analysis run with the given parameters.
async fn changes(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<axum::Json<serde_json::Value>, ApiError> {
    let params = params_from_query(&id, &q)?;
    let tables = s.run(&id, params).await?;
    let spec = analysis::find(&id).ok_or(ApiError::Internal)?;
    let old = innoscope_engine::edition::seed2021();
    let lines = innoscope_engine::edition::compare(&old, &tables)
        .remove(spec.id)
        .unwrap_or_default();
    Ok(axum::Json(json!({
        "analysis": spec.id,
        "edition": old.name,
        "edition_title": old.title,
        "changes": lines,
    })))
}

/// The table `file` names (its id before `suffix`) among an analysis' tables.
async fn find_table(
    s: &AppState,
    id: &str,
    file: &str,
    suffix: &str,
    q: Vec<(String, String)>,
) -> Result<(ResultTable, Option<String>), ApiError> {
    let Some(table_id) = file.strip_suffix(suffix) else {
        return Err(ApiError::NotFound(format!(
            "expected a file name ending in {suffix}"
        )));
    };
    let (q, lang) = split_query(q);
    let params = params_from_query(id, &q)?;
    let tables = s.run(id, params).await?;
    let t = tables
        .iter()
        .find(|t| t.id.eq_ignore_ascii_case(table_id))
        .cloned()
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "no table `{table_id}` in this result; it has {}",
                tables
                    .iter()
                    .map(|t| t.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
    Ok((t, lang))
}

async fn table_csv(
    State(s): State<AppState>,
    Path((id, file)): Path<(String, String)>,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let (t, lang) = find_table(&s, &id, &file, ".csv", q).await?;
    if lang.is_some() {
        return Err(ApiError::bad("lang", "CSV tables carry both languages"));
    }
    limited(&s, t.to_csv(true), "text/csv; charset=utf-8")
}

async fn figure_svg(
    State(s): State<AppState>,
    Path((id, file)): Path<(String, String)>,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let (t, lang) = find_table(&s, &id, &file, ".svg", q).await?;
    let lang = lang_of(lang)?;
    let svg = innoscope_report::charts::render(&t, lang)
        .ok_or_else(|| ApiError::NotFound(format!("table `{}` has no figure", t.id)))?;
    limited(&s, svg, "image/svg+xml")
}

async fn network_file(
    State(s): State<AppState>,
    Path((id, file)): Path<(String, String)>,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let (suffix, kind) = if file.ends_with(".vosviewer.json") {
        (".vosviewer.json", "vosviewer")
    } else if file.ends_with(".gexf") {
        (".gexf", "gexf")
    } else {
        return Err(ApiError::NotFound(
            "networks are served as {table}.gexf or {table}.vosviewer.json".into(),
        ));
    };
    let (t, lang) = find_table(&s, &id, &file, suffix, q).await?;
    let lang = lang_of(lang)?;
    let net = Network::from_table(&t)
        .ok_or_else(|| ApiError::NotFound(format!("table `{}` is not a network", t.id)))?;
    match kind {
        "gexf" => limited(&s, net.to_gexf(lang), "application/xml"),
        _ => limited(&s, net.to_vosviewer_json(lang), "application/json"),
    }
}
