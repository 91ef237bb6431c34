//! A replay server on loopback: answers each request with what a handler
//! says, in the publishers' documented layouts, and can misbehave the way
//! real servers do (429, 5xx, a body cut mid-way, truncated gzip).

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub struct Req {
    pub method: String,
    /// Path and query: `/v2/country/all/indicator/X?format=json&page=1`.
    pub target: String,
    pub headers: Vec<(String, String)>,
}

impl Req {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A query parameter.
    pub fn query(&self, key: &str) -> Option<&str> {
        let q = self.target.split_once('?')?.1;
        q.split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v)
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }
}

/// An answer.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Announce the whole body but close the connection after this many bytes.
    pub cut_after: Option<usize>,
}

impl Reply {
    pub fn ok(body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            headers: Vec::new(),
            body: body.into(),
            cut_after: None,
        }
    }

    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            cut_after: None,
        }
    }

    pub fn header(mut self, k: &str, v: &str) -> Reply {
        self.headers.push((k.to_string(), v.to_string()));
        self
    }

    pub fn cut_after(mut self, n: usize) -> Reply {
        self.cut_after = Some(n);
        self
    }
}

type Handler = dyn Fn(&Req) -> Reply + Send + Sync;

pub struct Replay {
    pub base: String,
    log: Arc<Mutex<Vec<Req>>>,
}

impl Replay {
    /// Start serving on a free loopback port; `prefix` is the base URL's path.
    pub fn start(prefix: &str, handler: impl Fn(&Req) -> Reply + Send + Sync + 'static) -> Replay {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let l2 = log.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(stream) = conn else { continue };
                let (h, l) = (handler.clone(), l2.clone());
                std::thread::spawn(move || serve(stream, &*h, &l));
            }
        });
        Replay {
            base: format!("http://127.0.0.1:{port}{prefix}"),
            log,
        }
    }

    pub fn requests(&self) -> Vec<Req> {
        self.log.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, handler: &Handler, log: &Mutex<Vec<Req>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return;
    };
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 {
            return;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let req = Req {
        method: method.to_string(),
        target: target.to_string(),
        headers,
    };
    log.lock().unwrap().push(req.clone());
    let reply = handler(&req);
    let mut out = stream.try_clone().unwrap();
    let mut head = format!("HTTP/1.1 {} X\r\n", reply.status);
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
    head.push_str("Connection: close\r\n\r\n");
    let _ = out.write_all(head.as_bytes());
    if req.method != "HEAD" {
        let n = reply
            .cut_after
            .unwrap_or(reply.body.len())
            .min(reply.body.len());
        let _ = out.write_all(&reply.body[..n]);
    }
    let _ = out.flush();
    let _ = out.shutdown(std::net::Shutdown::Both);
    // Drain anything else the client sent.
    let mut sink = Vec::new();
    let _ = reader.read_to_end(&mut sink);
}

/// The rows of a World Bank long CSV (`Country Name,Country Code,Year,Value`)
/// as API v2 pages of `per_page` records, values written as in the file.
pub fn wb_pages(
    csv_text: &str,
    code: &str,
    name: &str,
    per_page: usize,
    last_updated: &str,
) -> Vec<String> {
    let mut rdr = csv::ReaderBuilder::new().from_reader(csv_text.as_bytes());
    let records: Vec<String> = rdr
        .records()
        .map(|r| {
            let r = r.unwrap();
            format!(
                r#"{{"indicator":{{"id":"{code}","value":{}}},"country":{{"id":"{}","value":{}}},"countryiso3code":"{}","date":"{}","value":{},"unit":"","obs_status":"","decimal":1}}"#,
                serde_json::to_string(name).unwrap(),
                &r[1],
                serde_json::to_string(&r[0]).unwrap(),
                &r[1],
                &r[2],
                if r[3].trim().is_empty() { "null" } else { &r[3] }
            )
        })
        .collect();
    let total = records.len();
    let pages = total.div_ceil(per_page).max(1);
    (0..pages)
        .map(|p| {
            let chunk = &records[(p * per_page).min(total)..((p + 1) * per_page).min(total)];
            format!(
                r#"[{{"page":{},"pages":{pages},"per_page":{per_page},"total":{total},"sourceid":"2","lastupdated":"{last_updated}"}},[{}]]"#,
                p + 1,
                chunk.join(",")
            )
        })
        .collect()
}
