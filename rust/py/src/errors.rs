//! The one place where core errors become Python exceptions.
//!
//! `InvalidJsonError`, `VectorShapeError`, `SseError` and `StreamEventError` derive from both
//! `CoreError` and `ValueError`, so callers may catch either. PyO3's `create_exception!` takes
//! one base only, so the classes are built with `type(name, bases, namespace)` when the module
//! is imported.

use ferrogate_core::CoreError;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};

const MODULE: &str = "ferrogate._native";

struct Classes {
    core: Py<PyType>,
    invalid_json: Py<PyType>,
    vector_shape: Py<PyType>,
    sse: Py<PyType>,
    stream_event: Py<PyType>,
}

static CLASSES: PyOnceLock<Classes> = PyOnceLock::new();

/// Turns a core result into a Python one, raising the class that matches the error's kind.
pub(crate) trait OrRaise<T> {
    fn or_raise(self) -> PyResult<T>;
}

impl<T> OrRaise<T> for Result<T, CoreError> {
    fn or_raise(self) -> PyResult<T> {
        self.map_err(to_python)
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let classes = classes(m.py())?;
    m.add("CoreError", classes.core.bind(m.py()))?;
    m.add("InvalidJsonError", classes.invalid_json.bind(m.py()))?;
    m.add("VectorShapeError", classes.vector_shape.bind(m.py()))?;
    m.add("SseError", classes.sse.bind(m.py()))?;
    m.add("StreamEventError", classes.stream_event.bind(m.py()))
}

fn to_python(err: CoreError) -> PyErr {
    Python::attach(|py| {
        let classes = match classes(py) {
            Ok(classes) => classes,
            Err(setup) => return setup,
        };
        let class = match &err {
            CoreError::InvalidArgument(_) => return PyValueError::new_err(err.to_string()),
            CoreError::InvalidJson(_) => &classes.invalid_json,
            CoreError::VectorShape(_) => &classes.vector_shape,
            CoreError::Sse(_) => &classes.sse,
            CoreError::StreamEvent(_) => &classes.stream_event,
        };
        PyErr::from_type(class.bind(py).clone(), err.to_string())
    })
}

fn classes(py: Python<'_>) -> PyResult<&'static Classes> {
    CLASSES.get_or_try_init(py, || create_classes(py))
}

fn create_classes(py: Python<'_>) -> PyResult<Classes> {
    let core = new_class(py, "CoreError", &[py.get_type::<PyException>()], CORE_DOC)?;
    let bases = [core.bind(py).clone(), py.get_type::<PyValueError>()];
    Ok(Classes {
        invalid_json: new_class(py, "InvalidJsonError", &bases, INVALID_JSON_DOC)?,
        vector_shape: new_class(py, "VectorShapeError", &bases, VECTOR_SHAPE_DOC)?,
        sse: new_class(py, "SseError", &bases, SSE_DOC)?,
        stream_event: new_class(py, "StreamEventError", &bases, STREAM_EVENT_DOC)?,
        core,
    })
}

fn new_class(
    py: Python<'_>,
    name: &str,
    bases: &[Bound<'_, PyType>],
    doc: &str,
) -> PyResult<Py<PyType>> {
    let namespace = PyDict::new(py);
    namespace.set_item("__module__", MODULE)?;
    namespace.set_item("__doc__", doc)?;
    let bases = PyTuple::new(py, bases)?;
    let class = py.get_type::<PyType>().call1((name, bases, namespace))?;
    Ok(class.cast_into::<PyType>()?.unbind())
}

const CORE_DOC: &str = "Base class of the errors raised by the ferrogate core.";
const INVALID_JSON_DOC: &str = "A request body that is not JSON, or not a JSON object.";
const VECTOR_SHAPE_DOC: &str = "A vector or matrix of the wrong dtype, shape, length or layout.";
const SSE_DOC: &str = "A server-sent-events stream or field that cannot be parsed or framed.";
const STREAM_EVENT_DOC: &str = "An upstream stream event whose data is not a JSON object.";
