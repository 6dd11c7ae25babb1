//! The `tcp` handler: a fresh connection per event, which receives the alert
//! JSON plus one more `\n` (the payload ends in a blank line), then is closed.

use std::io::Write;
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// Connects to `addr` (`host:port`) and writes `json` followed by `\n`.
/// Blocking, bounded by `timeout` for the connect and for the write.
pub fn send_event(addr: &str, json: &str, timeout: Duration) -> Result<(), String> {
    let mut stream = connect(addr, timeout)?;
    stream
        .set_write_timeout(Some(timeout))
        .map_err(|e| format!("tcp {addr}: {e}"))?;
    let mut payload = String::with_capacity(json.len() + 1);
    payload.push_str(json);
    payload.push('\n');
    stream
        .write_all(payload.as_bytes())
        .and_then(|()| stream.flush())
        .map_err(|e| format!("tcp {addr}: write failed: {e}"))
}

/// Resolves `addr` and connects to the first address that answers.
pub(crate) fn connect(addr: &str, timeout: Duration) -> Result<TcpStream, String> {
    let addrs = addr
        .to_socket_addrs()
        .map_err(|e| format!("tcp {addr}: cannot resolve address: {e}"))?;
    let mut last = format!("tcp {addr}: no address to connect to");
    for sock in addrs {
        match TcpStream::connect_timeout(&sock, timeout) {
            Ok(stream) => return Ok(stream),
            Err(e) => last = format!("tcp {addr}: connect failed: {e}"),
        }
    }
    Err(last)
}
