//! Every route of the API, in process (no socket), over the bundled data:
//! good requests, bad parameters, unknown names and formats.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use innoscope_engine::{Engine, EngineOptions};
use innoscope_web::{AppState, ServeOptions, router};
use tower::ServiceExt;

/// The engine over the bundled data, within `memory_limit` bytes.
async fn engine(memory_limit: Option<usize>) -> Engine {
    Engine::open(
        None,
        &EngineOptions {
            bundled: true,
            memory_limit,
        },
    )
    .await
    .unwrap()
}

async fn state_with(memory_limit: Option<usize>, opts: ServeOptions) -> AppState {
    AppState::new(
        Arc::new(engine(memory_limit).await),
        tokio::runtime::Handle::current(),
        opts,
    )
}

async fn state() -> AppState {
    state_with(None, ServeOptions::default()).await
}

async fn app() -> axum::Router {
    router(state().await)
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, String, String) {
    let r = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = r.status();
    let ct = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = r.into_body().collect().await.unwrap().to_bytes();
    (status, ct, String::from_utf8(body.to_vec()).unwrap())
}

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("{e}: {s}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listing_routes() {
    let app = app().await;
    let (s, _, b) = get(&app, "/api/health").await;
    assert_eq!(
        (s, json(&b)["status"].as_str()),
        (StatusCode::OK, Some("ok"))
    );
    let (s, ct, b) = get(&app, "/").await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.starts_with("text/html") && b.contains("/assets/app.js"));
    let (s, ct, _) = get(&app, "/assets/app.js").await;
    assert_eq!(
        (s, ct.starts_with("text/javascript")),
        (StatusCode::OK, true)
    );
    for bad in [
        "/assets/../Cargo.toml",
        "/assets/%2e%2e%2fCargo.toml",
        "/assets/secret.txt",
    ] {
        let (s, _, _) = get(&app, bad).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{bad}");
    }
    let (s, _, b) = get(&app, "/api/").await;
    assert_eq!(s, StatusCode::OK);
    assert!(json(&b)["routes"]["openapi"].is_string());
    let (s, _, b) = get(&app, "/api/datasets").await;
    assert_eq!(s, StatusCode::OK);
    let ds = json(&b);
    let ids: Vec<&str> = ds["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"wdi") && ids.contains(&"patents-demo"),
        "{ids:?}"
    );
    assert!(b.contains("CC BY 4.0"), "provenance is listed");
    let (s, _, b) = get(&app, "/api/analyses").await;
    assert_eq!(s, StatusCode::OK);
    let a = json(&b);
    let k3 = a["analyses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == "K3")
        .unwrap();
    assert!(
        k3["params"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "threshold")
    );
    let (s, ct, b) = get(&app, "/api/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.starts_with("application/json"));
    let doc = json(&b);
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/api/analyses/C1"]["get"]["parameters"].is_array());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn analyses_tables_figures_networks() {
    let app = app().await;
    let (s, ct, b) = get(&app, "/api/analyses/C5?year=2020").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert!(ct.starts_with("application/json"));
    let r = json(&b);
    assert_eq!(r["analysis"], "C5");
    assert_eq!(r["params"]["year"], 2020);
    assert_eq!(r["tables"][0]["id"], "C5");
    // The CLI's result, byte for byte in JSON.
    let engine = engine(None).await;
    let direct = innoscope_engine::analysis::run(
        &engine,
        "C5",
        &innoscope_engine::analysis::Params {
            year: Some(2020),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // The CLI's result: the same table as CSV. (Not as raw JSON values:
    // serde_json parses some shortest-form floats one ulp off unless its
    // `float_roundtrip` feature is on; the server prints them exactly.)
    let served: Vec<innoscope_core::ResultTable> =
        serde_json::from_value(r["tables"].clone()).unwrap();
    assert_eq!(served.len(), direct.len());
    for (a, b) in served.iter().zip(&direct) {
        assert_eq!(a.to_csv(true), b.to_csv(true));
    }
    // Names as on the command line (rd-growth = C1), cached second time.
    let (s, _, b1) = get(
        &app,
        "/api/analyses/rd-growth?base-year=2009&economies=CHN,USA",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b1}");
    let (_, _, b2) = get(
        &app,
        "/api/analyses/rd-growth?base-year=2009&economies=CHN,USA",
    )
    .await;
    assert_eq!(b1, b2);
    // What changed since the 2021 report.
    let (s, _, b) = get(&app, "/api/analyses/C5/changes").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let c = json(&b);
    assert_eq!(c["edition"], "seed2021");
    assert!(
        c["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["en"].as_str().unwrap().contains("United States")),
        "{b}"
    );
    // CSV, SVG, networks.
    let (s, ct, b) = get(&app, "/api/analyses/C5/tables/C5.csv").await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.starts_with("text/csv"));
    assert!(b.starts_with("# "), "provenance lines first: {b}");
    let (s, ct, b) = get(&app, "/api/analyses/C5/figures/C5.svg?lang=zh").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ct, "image/svg+xml");
    assert!(b.starts_with("<svg") && b.contains("美国"));
    let (s, ct, b) = get(&app, "/api/analyses/K2/networks/K2.medical.gexf").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(ct, "application/xml");
    assert!(b.contains("<gexf"));
    let (s, _, b) = get(
        &app,
        "/api/analyses/K3/networks/K3.intra.net.vosviewer.json?lang=zh",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert!(json(&b)["network"]["items"].is_array());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_are_json_with_4xx() {
    let app = app().await;
    let err = |b: &str| json(b)["error"].clone();
    for (uri, status, param) in [
        (
            "/api/analyses/C1?economies=USA,Atlantis",
            422,
            Some("economies"),
        ),
        (
            "/api/analyses/C1?base-year=2021&year=2020",
            422,
            Some("base-year"),
        ),
        ("/api/analyses/C1?year=twenty", 400, Some("year")),
        ("/api/analyses/K2?min-weight=five", 400, Some("min-weight")),
        ("/api/analyses/C1?colour=red", 400, Some("colour")),
        (
            "/api/analyses/K2?fields-file=/etc/passwd",
            400,
            Some("fields-file"),
        ),
        ("/api/analyses/K1?year=1700", 400, Some("year")),
        ("/api/analyses/C5/figures/C5.svg?lang=fr", 400, Some("lang")),
        ("/api/analyses/Z9", 404, None),
        // A record list's name is not a series (was a 500, found by Schemathesis).
        ("/api/analyses/F2?indicator=RECORDS.RANKED-LIST", 404, None),
        ("/api/analyses/C5/tables/NOPE.csv", 404, None),
        ("/api/analyses/C5/tables/C5.xlsx", 404, None),
        ("/api/analyses/C5/networks/C5.gexf", 404, None),
        ("/nowhere", 404, None),
    ] {
        let (s, ct, b) = get(&app, uri).await;
        assert_eq!(s.as_u16(), status, "{uri}: {b}");
        assert!(ct.starts_with("application/json"), "{uri}: {ct}");
        let e = err(&b);
        assert_eq!(e["status"], status, "{uri}");
        assert!(!e["message"].as_str().unwrap().is_empty());
        if let Some(p) = param {
            assert_eq!(e["param"], p, "{uri}: {b}");
        }
    }
    // Read-only: other methods are refused.
    let r = app
        .clone()
        .oneshot(
            Request::post("/api/analyses/C1")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    // Request bodies are limited.
    let r = app
        .clone()
        .oneshot(
            Request::get("/api/health")
                .header("content-length", "100000")
                .body(Body::from(vec![b'x'; 100_000]))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

/// Issue: `GET /api/analyses/I3?top=0` panicked behind a 500. Every analysis,
/// with every boundary value (and a value past each bound) of every
/// parameter it takes, answers 2xx or 4xx — never 5xx.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_boundary_value_of_every_parameter_gets_no_5xx() {
    use innoscope_engine::analysis::param::Kind;
    use innoscope_engine::analysis::registry::ANALYSES;
    let app = app().await;
    let mut tried = 0;
    for a in ANALYSES {
        for (d, _) in a.params_with_defs() {
            let values: Vec<String> = match d.kind {
                Kind::Int { min, max } | Kind::Ints { min, max } => {
                    let mut v = vec![min.to_string(), max.to_string(), "x".into()];
                    v.extend(min.checked_sub(1).map(|x| x.to_string()));
                    v.extend(max.checked_add(1).map(|x| x.to_string()));
                    v
                }
                Kind::Float { min, max } | Kind::Floats { min, max } => vec![
                    format!("{min}"),
                    format!("{max}"),
                    format!("{}", min - 1.0),
                    "NaN".into(),
                    "1e999".into(),
                ],
                Kind::Flag => vec!["true".into(), "false".into(), "maybe".into()],
                Kind::Choice { values, .. } => {
                    let mut v: Vec<String> = values.iter().map(|s| s.to_string()).collect();
                    v.push("bogus".into());
                    v
                }
                Kind::Text | Kind::Texts => vec!["".into(), "ZZZ".into(), "%E4%B8%AD".into()],
                Kind::Date => vec!["2021-02-28".into(), "2021-02-30".into()],
                Kind::Path => vec!["/etc".into()],
            };
            for v in values {
                let uri = format!("/api/analyses/{}?{}={v}", a.id, d.name);
                let (status, _, body) = get(&app, &uri).await;
                assert!(!status.is_server_error(), "{uri}: {status} {body}");
                tried += 1;
            }
        }
    }
    assert!(tried > 200, "{tried} requests");
}

/// Issue: half-sent headers were held forever; 20,100 such sockets used up
/// the file descriptors and `/api/health` stopped answering. Connections
/// now have a header (and idle) timeout and a limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_and_abandoned_connections_do_not_starve_the_server() {
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let state = state().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(innoscope_web::serve(
        listener,
        state,
        innoscope_web::ConnectionLimits {
            header_timeout: Duration::from_millis(500),
            max_connections: 16,
        },
        async {
            let _ = stopped.await;
        },
    ));
    // More slow clients than the limit, each with half a request.
    let mut slow = Vec::new();
    for _ in 0..40 {
        if let Ok(mut s) = tokio::net::TcpStream::connect(addr).await {
            let _ = s
                .write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
                .await;
            slow.push(s);
        }
    }
    let health = || async {
        let mut s = tokio::net::TcpStream::connect(addr).await.ok()?;
        s.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .ok()?;
        let mut buf = Vec::new();
        tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut buf))
            .await
            .ok()?
            .ok()?;
        Some(String::from_utf8_lossy(&buf).into_owned())
    };
    // Within a few header timeouts the slow connections are closed and the
    // server answers again.
    let mut answered = None;
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if let Some(r) = health().await
            && r.starts_with("HTTP/1.1 200")
        {
            answered = Some(r);
            break;
        }
    }
    assert!(
        answered.is_some(),
        "/api/health answered while slow clients hold"
    );
    // The server closed the half-sent connections.
    let mut closed = 0;
    for s in &mut slow {
        let mut b = [0u8; 256];
        match tokio::time::timeout(Duration::from_secs(2), s.read(&mut b)).await {
            Ok(Ok(_)) | Ok(Err(_)) => closed += 1,
            Err(_) => {}
        }
    }
    assert_eq!(closed, slow.len(), "every slow connection was closed");
    let _ = stop.send(());
    server.await.unwrap().unwrap();
}

/// Identical concurrent requests share one analysis run; a run whose only
/// request is dropped (the client went away) is aborted and gives its slot
/// back without caching anything.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identical_requests_share_a_run_and_abandoned_runs_stop() {
    let state = state().await;
    let app = router(state.clone());
    let uri = "/api/analyses/K3?year=2019";
    let all = futures::future::join_all((0..4).map(|_| get(&app, uri))).await;
    for (s, _, b) in &all {
        assert_eq!(*s, StatusCode::OK, "{b}");
    }
    assert_eq!(state.runs_started(), 1, "four identical requests, one run");
    // Abandoned: the client gives up after 5 ms.
    let before = state.runs_started();
    let gone = tokio::time::timeout(
        std::time::Duration::from_millis(5),
        get(&app, "/api/analyses/K3?year=2018"),
    )
    .await;
    assert!(gone.is_err(), "the run finished within 5 ms");
    for _ in 0..200 {
        if state.runs_in_flight() == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        state.runs_in_flight(),
        0,
        "the abandoned run gave its slot back"
    );
    assert_eq!(
        state.runs_finished(),
        before,
        "the abandoned run was aborted, not run to the end"
    );
    // Nothing was cached: the same request runs again, to the end.
    let (s, _, b) = get(&app, "/api/analyses/K3?year=2018").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(state.runs_finished(), before + 1);
}

/// A full memory budget is a 503 with `Retry-After`, never a 500 or a
/// process that grows past the limit; once nothing runs, freed memory is
/// handed back to the system.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_memory_budget_is_503_with_retry_after() {
    let opts = ServeOptions {
        retry_after: std::time::Duration::from_secs(7),
        idle_release: std::time::Duration::from_millis(10),
        ..ServeOptions::default()
    };
    let state = state_with(Some(4 << 10), opts).await;
    let app = router(state.clone());
    for uri in ["/api/analyses/K1", "/api/analyses/K3?year=2019"] {
        let r = app
            .clone()
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE, "{uri}");
        assert_eq!(
            r.headers().get("retry-after").and_then(|v| v.to_str().ok()),
            Some("7")
        );
        let body = r.into_body().collect().await.unwrap().to_bytes();
        let b = json(std::str::from_utf8(&body).unwrap());
        assert_eq!(b["error"]["kind"], "busy", "{b}");
        let m = b["error"]["message"].as_str().unwrap();
        assert!(m.contains("memory limit of 4 KiB"), "{m}");
    }
    // Not cached: the budget is a state of the server, not of the request.
    assert_eq!(state.runs_finished(), 2);
    for _ in 0..200 {
        if state.memory_releases() > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(state.memory_releases() > 0, "idle: memory handed back");
    // With room, the same requests succeed.
    let roomy = router(state_with(Some(512 << 20), ServeOptions::default()).await);
    let (s, _, b) = get(&roomy, "/api/analyses/K1").await;
    assert_eq!(s, StatusCode::OK, "{b}");
}
