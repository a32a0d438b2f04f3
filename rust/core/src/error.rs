/// Every way a core primitive can fail. Each kind becomes one Python exception class.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CoreError {
    /// An argument outside its domain, such as a negative rate or a NaN clock reading.
    #[error("{0}")]
    InvalidArgument(String),
    /// A request body that is not JSON, or not a JSON object.
    #[error("invalid request body: {0}")]
    InvalidJson(String),
    /// A vector or matrix of the wrong length, shape or layout.
    #[error("{0}")]
    VectorShape(String),
    /// A server-sent-events stream or field that cannot be parsed or framed.
    #[error("{0}")]
    Sse(String),
    /// An upstream stream event that cannot be translated: its data is not a JSON object.
    #[error("{0}")]
    StreamEvent(String),
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;
