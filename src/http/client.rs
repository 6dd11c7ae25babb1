//! [`Client`]: the real [`Sender`], a `reqwest` client over rustls.

use super::{Method, Request, Response, SendError, SendFuture, Sender};
use reqwest::tls::Certificate;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

/// Largest response body kept; the rest is read and dropped (a query answer or an
/// error page is far smaller).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 256 << 20;

/// How a client verifies servers: Kapacitor's `ssl-ca` and `insecure-skip-verify`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsOptions {
    /// A PEM file of extra trusted CAs (added to Mozilla's bundle and the system store).
    pub ca_file: Option<PathBuf>,
    /// Accept any certificate and host name (as Go's `InsecureSkipVerify`).
    pub insecure_skip_verify: bool,
}

/// A pooled HTTP/1.1 + HTTPS client. Cheap to clone (the pool is shared).
#[derive(Debug, Clone)]
pub struct Client {
    inner: reqwest::Client,
    max_response_bytes: usize,
}

impl Client {
    /// Builds a client with `tls`; an unreadable or empty CA file is an error.
    pub fn new(tls: &TlsOptions) -> Result<Self, String> {
        install_crypto_provider();
        let mut roots = default_roots().to_vec();
        if let Some(path) = &tls.ca_file {
            roots.extend(read_ca_file(path)?);
        }
        let inner = reqwest::Client::builder()
            .tls_certs_only(roots)
            .tls_danger_accept_invalid_certs(tls.insecure_skip_verify)
            .tls_danger_accept_invalid_hostnames(tls.insecure_skip_verify)
            .http1_title_case_headers()
            .no_proxy()
            .pool_idle_timeout(Duration::from_secs(90))
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(Client { inner, max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES })
    }

    /// The process-wide client with default TLS options, for handlers without their own.
    pub fn shared() -> &'static Client {
        static SHARED: OnceLock<Client> = OnceLock::new();
        SHARED.get_or_init(|| Client::new(&TlsOptions::default()).expect("the default HTTP client builds"))
    }

    async fn exchange(&self, request: Request) -> Result<Response, SendError> {
        let fail = |reason: String| SendError { method: request.method.as_str(), url: request.url.clone(), reason };
        let url = reqwest::Url::parse(&request.url).map_err(|e| fail(format!("bad URL: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(fail(format!("unsupported scheme {:?} (use http:// or https://)", url.scheme())));
        }
        let mut builder = self.inner.request(reqwest_method(request.method), url).timeout(request.timeout);
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if !request.body.is_empty() || request.method != Method::Get {
            builder = builder.body(request.body.clone());
        }
        let mut answer = builder.send().await.map_err(|e| fail(describe(&e)))?;
        let status = answer.status().as_u16();
        let headers = answer
            .headers()
            .iter()
            .map(|(n, v)| (n.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        let mut body = Vec::new();
        while let Some(chunk) = answer.chunk().await.map_err(|e| fail(describe(&e)))? {
            let room = self.max_response_bytes.saturating_sub(body.len());
            body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        }
        Ok(Response { status, headers, body })
    }
}

impl Sender for Client {
    fn send(&self, request: Request) -> SendFuture<'_> {
        Box::pin(self.exchange(request))
    }
}

fn reqwest_method(method: Method) -> reqwest::Method {
    match method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
    }
}

/// reqwest's error with its causes, e.g. `timed out` or `connection refused`.
fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        return "timed out".to_string();
    }
    let mut text = String::new();
    let mut cause: Option<&dyn std::error::Error> = std::error::Error::source(error);
    while let Some(inner) = cause {
        text = inner.to_string();
        cause = inner.source();
    }
    if text.is_empty() {
        error.to_string()
    } else {
        text
    }
}

/// ring, not aws-lc-rs: it builds without cmake and keeps the build short; rustls 0.23.48
/// deprecates it only for lacking post-quantum key exchange, which no webhook needs yet.
#[allow(deprecated)]
fn install_crypto_provider() {
    // Fails only when a provider is already installed, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Mozilla's bundle plus whatever the system store holds (read once).
fn default_roots() -> &'static [Certificate] {
    static ROOTS: OnceLock<Vec<Certificate>> = OnceLock::new();
    ROOTS.get_or_init(|| {
        let bundled = webpki_root_certs::TLS_SERVER_ROOT_CERTS.iter();
        let system = rustls_native_certs::load_native_certs().certs;
        bundled
            .map(|c| c.as_ref().to_vec())
            .chain(system.iter().map(|c| c.as_ref().to_vec()))
            .filter_map(|der| Certificate::from_der(&der).ok())
            .collect()
    })
}

fn read_ca_file(path: &std::path::Path) -> Result<Vec<Certificate>, String> {
    let pem = std::fs::read(path).map_err(|e| format!("{}: cannot read CA file: {e}", path.display()))?;
    let certs = Certificate::from_pem_bundle(&pem).map_err(|e| format!("{}: not a PEM CA file: {e}", path.display()))?;
    if certs.is_empty() {
        return Err(format!("{}: no certificate in CA file", path.display()));
    }
    Ok(certs)
}

/// The process-wide [`Client::shared`], built on first use: a run without HTTP
/// handlers never loads the trust roots (about 2.5 MiB).
#[derive(Debug, Clone, Copy, Default)]
pub struct SharedClient;

impl Sender for SharedClient {
    fn send(&self, request: Request) -> SendFuture<'_> {
        Client::shared().send(request)
    }
}
