//! Reading a write body: kept in memory while small, spooled to an unlinked
//! file in the data directory beyond that, never more than the size limit.

use axum::body::Body;
use http_body_util::BodyExt;
use std::io::{Seek, Write};
use std::path::Path;

/// A fully received body.
pub enum Received {
    /// Small bodies.
    Memory(Vec<u8>),
    /// Large bodies, rewound to the start.
    File(std::fs::File),
}

/// Why a body could not be received.
#[derive(Debug)]
pub enum BodyError {
    /// Larger than the limit (after decompression).
    TooLarge(u64),
    /// The stream failed (bad gzip, connection reset).
    Broken(String),
    /// The spool file could not be written.
    Spool(String),
}

/// Reads `body`, failing past `limit` bytes, spooling past `spool_above` bytes;
/// `size_hint` (the Content-Length) sizes the buffer once.
pub async fn receive(body: Body, size_hint: u64, limit: u64, spool_above: u64, spool_dir: &Path) -> Result<Received, BodyError> {
    let mut body = body;
    let mut memory = Vec::with_capacity(size_hint.min(spool_above).min(limit) as usize);
    let mut file: Option<std::fs::File> = None;
    let mut total = 0u64;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| BodyError::Broken(source_text(&e)))?;
        let Ok(data) = frame.into_data() else { continue };
        total += data.len() as u64;
        if total > limit {
            return Err(BodyError::TooLarge(limit));
        }
        match file.as_mut() {
            Some(f) => tokio::task::block_in_place(|| f.write_all(&data)).map_err(|e| BodyError::Spool(e.to_string()))?,
            None => {
                memory.extend_from_slice(&data);
                if memory.len() as u64 > spool_above {
                    let mut f = spool_file(spool_dir).map_err(|e| BodyError::Spool(e.to_string()))?;
                    tokio::task::block_in_place(|| f.write_all(&memory)).map_err(|e| BodyError::Spool(e.to_string()))?;
                    memory = Vec::new();
                    file = Some(f);
                }
            }
        }
    }
    match file {
        Some(mut f) => {
            f.rewind().map_err(|e| BodyError::Spool(e.to_string()))?;
            Ok(Received::File(f))
        }
        None => Ok(Received::Memory(memory)),
    }
}

/// A new file in `dir`, already unlinked (it disappears with its handle).
fn spool_file(dir: &Path) -> std::io::Result<std::fs::File> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = dir.join(format!("spool-{}-{n}.tmp", std::process::id()));
    let file = std::fs::OpenOptions::new().read(true).write(true).create_new(true).open(&path)?;
    std::fs::remove_file(&path)?;
    Ok(file)
}

/// The innermost cause of an error (the gzip message rather than "body error").
fn source_text(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(inner) = cause {
        text = inner.to_string();
        cause = inner.source();
    }
    text
}
