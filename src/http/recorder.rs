//! [`Recorder`]: a [`Sender`] for tests that keeps every request and answers from a script.

use super::{Request, Response, SendError, SendFuture, Sender};
use std::collections::VecDeque;
use std::sync::Mutex;

/// Records requests; answers each with the next scripted response, then with 204.
#[derive(Debug, Default)]
pub struct Recorder {
    requests: Mutex<Vec<Request>>,
    answers: Mutex<VecDeque<Result<Response, String>>>,
}

impl Recorder {
    /// A recorder answering 204 to everything.
    pub fn new() -> Self {
        Recorder::default()
    }

    /// Queues the answer to the next unanswered request (`Err` = a transport failure).
    pub fn answer(&self, answer: Result<Response, String>) {
        self.answers.lock().unwrap_or_else(|e| e.into_inner()).push_back(answer);
    }

    /// Every request sent so far, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Sender for Recorder {
    fn send(&self, request: Request) -> SendFuture<'_> {
        let (method, url) = (request.method.as_str(), request.url.clone());
        self.requests.lock().unwrap_or_else(|e| e.into_inner()).push(request);
        let next = self.answers.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
        let result = match next {
            Some(Ok(response)) => Ok(response),
            Some(Err(reason)) => Err(SendError { method, url, reason }),
            None => Ok(Response { status: 204, ..Response::default() }),
        };
        Box::pin(async move { result })
    }
}
