//! Line-protocol inputs that a stop request can interrupt.
//!
//! A file never blocks for long, so it is read directly (the point loop
//! checks the stop flag between points). Standard input may block for ever
//! on a quiet pipe or terminal, so it is read on a thread of its own into a
//! small bounded channel; the reader side waits in short slices and reports
//! end of input as soon as a stop is requested.

use std::io::{BufRead, Read};
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::Duration;

/// Bytes read from stdin per block.
const BLOCK_BYTES: usize = 1 << 16;
/// Blocks buffered between the stdin thread and the point loop.
const BLOCKS_QUEUED: usize = 4;
/// How often a waiting reader looks at the stop flag.
const STOP_POLL: Duration = Duration::from_millis(20);

/// Opens `input` (`-` is standard input); the error names the file and the reason.
pub fn open(input: &str, stop: &Arc<AtomicBool>) -> Result<Box<dyn BufRead>, String> {
    if input == "-" {
        return Ok(Box::new(StdinPump::start(stop.clone())));
    }
    let file = std::fs::File::open(input).map_err(|e| format!("{input}: {}", crate::files::io_reason(&e)))?;
    Ok(Box::new(std::io::BufReader::with_capacity(BLOCK_BYTES, file)))
}

/// Standard input, read on a background thread.
struct StdinPump {
    blocks: Receiver<std::io::Result<Vec<u8>>>,
    block: Vec<u8>,
    at: usize,
    done: bool,
    stop: Arc<AtomicBool>,
}

impl StdinPump {
    fn start(stop: Arc<AtomicBool>) -> StdinPump {
        let (send, blocks) = mpsc::sync_channel(BLOCKS_QUEUED);
        std::thread::spawn(move || {
            let mut stdin = std::io::stdin().lock();
            loop {
                let mut block = vec![0; BLOCK_BYTES];
                let read = match stdin.read(&mut block) {
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    other => other,
                };
                let end = matches!(read, Ok(0) | Err(_));
                let item = read.map(|n| {
                    block.truncate(n);
                    block
                });
                if send.send(item).is_err() || end {
                    return;
                }
            }
        });
        StdinPump { blocks, block: Vec::new(), at: 0, done: false, stop }
    }

    /// Waits for the next block; false at the end of input or on a stop request.
    fn next_block(&mut self) -> std::io::Result<bool> {
        loop {
            if self.stop.load(Relaxed) {
                self.done = true;
                return Ok(false);
            }
            match self.blocks.recv_timeout(STOP_POLL) {
                Ok(Ok(block)) if block.is_empty() => break,
                Ok(Ok(block)) => {
                    (self.block, self.at) = (block, 0);
                    return Ok(true);
                }
                Ok(Err(e)) => {
                    self.done = true;
                    return Err(e);
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        self.done = true;
        Ok(false)
    }
}

impl Read for StdinPump {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for StdinPump {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.at >= self.block.len() && !self.done {
            self.next_block()?;
        }
        if self.done && self.at >= self.block.len() {
            return Ok(&[]);
        }
        Ok(&self.block[self.at..])
    }

    fn consume(&mut self, amount: usize) {
        self.at = (self.at + amount).min(self.block.len());
    }
}
