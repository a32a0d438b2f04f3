/// One dispatched event.
///
/// `event`, `id` and `retry` are the fields given in this event's own block. Unlike a browser's
/// `EventSource`, the id is not carried over to later events: a relay re-frames exactly what it
/// received.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SseEvent {
    /// The `data` lines joined with `\n`, as raw bytes so relaying needs no decoding.
    pub data: Vec<u8>,
    pub event: Option<String>,
    pub id: Option<String>,
    /// Reconnection time in milliseconds.
    pub retry: Option<u64>,
}
