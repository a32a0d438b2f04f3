"""Vector ops against numpy in float64, and the shape errors that guard the zero-copy path."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ferrogate.core import CoreError, VectorShapeError, cosine, dot, dot_batch, normalize

TOLERANCE = 1e-5
# Values in [-100, 100] with four decimals: squares of values below ~1e-19 would underflow
# float32, in numpy's float32 dot as in ours.
floats32 = st.integers(-(10**6), 10**6).map(lambda n: float(np.float32(n / 10**4)))


def random_floats(seed: int, shape) -> np.ndarray:
    """Long arrays from a seed: hypothesis draws lengths, seeds and edge values, numpy the bulk."""
    values = np.random.default_rng(seed).uniform(-100, 100, shape)
    return values.round(4).astype(np.float32)


@st.composite
def vector_pairs(draw):
    if draw(st.booleans()):
        length = draw(st.integers(0, 70))
        return tuple(draw(arrays(np.float32, length, elements=floats32)) for _ in "ab")
    length, seed = draw(st.integers(0, 4000)), draw(st.integers(0, 2**32))
    return random_floats(seed, length), random_floats(seed + 1, length)


def exact_dot(a, b):
    return float(np.dot(a.astype(np.float64), b.astype(np.float64)))


def scale(a, b):
    """The size of the rounding error any float32 dot may make, relative to TOLERANCE."""
    return max(1.0, float(np.abs(a.astype(np.float64)) @ np.abs(b.astype(np.float64))))


@given(vector_pairs())
def test_dot_matches_numpy(pair):
    a, b = pair
    assert abs(dot(a, b) - exact_dot(a, b)) <= TOLERANCE * scale(a, b)


@given(vector_pairs())
def test_cosine_matches_numpy(pair):
    a, b = pair
    norms = np.linalg.norm(a.astype(np.float64)) * np.linalg.norm(b.astype(np.float64))
    expected = exact_dot(a, b) / norms if norms > 0 else 0.0
    assert abs(cosine(a, b) - expected) <= TOLERANCE


@given(vector_pairs())
def test_normalize_matches_numpy_in_place(pair):
    v = pair[0]
    norm = np.linalg.norm(v.astype(np.float64))
    expected = v.astype(np.float64) / norm if norm > 0 else np.zeros(v.shape)
    normalize(v)
    np.testing.assert_allclose(v, expected, rtol=0, atol=TOLERANCE)


@given(st.integers(0, 40), st.integers(0, 300), st.integers(0, 2**32))
def test_dot_batch_matches_numpy(rows, dim, seed):
    matrix, query = random_floats(seed, (rows, dim)), random_floats(seed + 1, dim)
    scores = dot_batch(matrix, query)
    assert scores.dtype == np.float32
    assert scores.shape == (rows,)
    expected = matrix.astype(np.float64) @ query.astype(np.float64)
    bound = TOLERANCE * np.maximum(1.0, np.abs(matrix.astype(np.float64)) @ np.abs(query))
    assert np.all(np.abs(scores - expected) <= bound)


def test_large_inputs_released_from_the_gil_give_the_same_results():
    rng = np.random.default_rng(7)
    a, b = rng.random(200_000, dtype=np.float32), rng.random(200_000, dtype=np.float32)
    assert dot(a, b) == pytest.approx(exact_dot(a, b), rel=TOLERANCE)
    matrix = rng.random((100, 1536), dtype=np.float32)
    np.testing.assert_allclose(dot_batch(matrix, b[:1536]), matrix @ b[:1536], rtol=TOLERANCE)
    normalize(a)
    assert np.linalg.norm(a.astype(np.float64)) == pytest.approx(1.0, abs=TOLERANCE)


def test_normalize_writes_through_a_contiguous_view():
    base = np.array([9.0, 3.0, 4.0, 9.0], dtype=np.float32)
    normalize(base[1:3])
    np.testing.assert_allclose(base, [9.0, 0.6, 0.8, 9.0], rtol=1e-6)


def test_zero_vector_stays_zero_and_has_zero_cosine():
    zero = np.zeros(8, dtype=np.float32)
    normalize(zero)
    assert not zero.any()
    assert cosine(zero, np.ones(8, dtype=np.float32)) == 0.0


def f32(*shape):
    return np.ones(shape, dtype=np.float32)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (np.ones(3), f32(3)),
        (f32(3), np.ones(3, dtype=np.int32)),
        (f32(3), f32(4)),
        (f32(2, 2), f32(4)),
        (f32(6)[::2], f32(3)),
        (f32(3).astype(">f4"), f32(3)),
        ([1.0, 2.0], f32(2)),
        (None, f32(2)),
    ],
    ids=["float64", "int32", "lengths", "2d", "strided", "big-endian", "list", "none"],
)
def test_dot_and_cosine_reject_anything_but_equal_float32_vectors(a, b):
    for op in (dot, cosine):
        with pytest.raises(VectorShapeError):
            op(a, b)


@pytest.mark.parametrize(
    ("matrix", "query"),
    [
        (np.ones((2, 3)), f32(3)),
        (f32(2, 3), f32(4)),
        (f32(3), f32(3)),
        (np.asfortranarray(f32(2, 3)), f32(3)),
        (f32(2, 6)[:, ::2], f32(3)),
    ],
    ids=["float64", "columns", "1d", "fortran-order", "strided"],
)
def test_dot_batch_rejects_wrong_matrix_or_query(matrix, query):
    with pytest.raises(VectorShapeError):
        dot_batch(matrix, query)


def test_normalize_rejects_read_only_and_float64_arrays():
    read_only = f32(3)
    read_only.flags.writeable = False
    for bad in (read_only, np.ones(3)):
        with pytest.raises(VectorShapeError):
            normalize(bad)


def test_shape_error_is_a_core_error_and_a_value_error_naming_the_problem():
    with pytest.raises(VectorShapeError, match=r"a must be a 1-D float32 .* float64") as info:
        dot(np.ones(3), f32(3))
    assert isinstance(info.value, CoreError)
    assert isinstance(info.value, ValueError)
