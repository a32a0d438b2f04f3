//! `JsonLines`: a row of Python values in, one JSON line appended; whole lines out as bytes.

use ferrogate_core::json_lines::{JsonLines, Kind, Line};
use ferrogate_core::{CoreError, Result};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyString, PyTuple};

use crate::args::count;
use crate::errors::OrRaise;

#[pyclass(name = "JsonLines", module = "ferrogate._native")]
pub(crate) struct PyJsonLines(JsonLines);

#[pymethods]
impl PyJsonLines {
    /// ``fields``: (key, kind) pairs, kind one of ``value``, ``unix_time``, ``ms``, ``ms_map``.
    #[new]
    fn new(fields: Vec<(String, String)>) -> PyResult<Self> {
        let kinds = fields
            .iter()
            .map(|(_, kind)| Kind::from_name(kind))
            .collect::<Result<Vec<_>>>()
            .or_raise()?;
        let named: Vec<(&str, Kind)> = fields
            .iter()
            .zip(kinds)
            .map(|((key, _), kind)| (key.as_str(), kind))
            .collect();
        Ok(Self(JsonLines::new(&named)))
    }

    /// Append one line from ``row``, a value per field; a row that does not fit its fields
    /// raises ``ValueError`` and appends nothing.
    fn push(&mut self, row: &Bound<'_, PyTuple>) -> PyResult<()> {
        let mut line = self.0.line();
        for value in row.iter() {
            write(&mut line, &value)?;
        }
        line.end().or_raise()
    }

    /// The oldest whole lines, together at most ``max_bytes`` unless the first alone is
    /// longer; ``b""`` when none wait.
    fn take<'py>(&mut self, py: Python<'py>, max_bytes: i64) -> PyResult<Bound<'py, PyBytes>> {
        let max_bytes = count("max_bytes", max_bytes).or_raise()?;
        Ok(PyBytes::new(py, self.0.take(max_bytes)))
    }

    /// Bytes waiting.
    #[getter]
    fn size(&self) -> usize {
        self.0.size()
    }

    /// Lines waiting.
    fn __len__(&self) -> usize {
        self.0.len()
    }
}

fn write(line: &mut Line<'_>, value: &Bound<'_, PyAny>) -> PyResult<()> {
    // Exact types first, most common first: a failed cast costs about as much as a field.
    if let Ok(text) = value.cast_exact::<PyString>() {
        return line.str(text.to_str()?).or_raise();
    }
    if value.is_none() {
        return line.null().or_raise();
    }
    if let Ok(number) = value.cast_exact::<PyFloat>() {
        return line.float(number.value()).or_raise();
    }
    // bool before int: a Python bool is an int too.
    if let Ok(flag) = value.cast::<PyBool>() {
        return line.bool(flag.is_true()).or_raise();
    }
    if value.is_instance_of::<PyInt>() {
        return line.int(value.extract()?).or_raise();
    }
    if let Ok(number) = value.cast::<PyFloat>() {
        return line.float(number.value()).or_raise();
    }
    if let Ok(text) = value.cast::<PyString>() {
        return line.str(text.to_str()?).or_raise();
    }
    if let Ok(map) = value.cast::<PyDict>() {
        line.open_map().or_raise()?;
        for (name, seconds) in map.iter() {
            let seconds: f64 = seconds.extract()?;
            line.entry(name.cast::<PyString>()?.to_str()?, seconds)
                .or_raise()?;
        }
        return line.close_map().or_raise();
    }
    Err(CoreError::InvalidArgument(format!(
        "a JSON line cannot hold a {}",
        value.get_type().name()?
    )))
    .or_raise()
}
