"""Properties that hold for every input, checked with hypothesis."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import nnkit
from nnkit.layers import Dense, collapse_linear, dense
from nnkit.network import Network

# No deadline: CI machines are shared and timing is not what these tests are about.
SETTINGS = settings(deadline=None, max_examples=40)

reals = st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False)
moderate = st.floats(-10, 10, allow_nan=False, allow_infinity=False)
small_dim = st.integers(1, 6)


def matrices(rows, cols, elements=moderate):
    return arrays(np.float64, (rows, cols), elements=elements)


@SETTINGS
@given(arrays(np.float64, st.tuples(small_dim, small_dim), elements=reals))
def test_softmax_rows_sum_to_one(z):
    out = nnkit.softmax(z)
    assert np.all(out >= 0) and np.all(out <= 1)
    np.testing.assert_allclose(out.sum(axis=-1), 1.0, rtol=1e-12)


@SETTINGS
@given(
    arrays(np.float64, st.tuples(small_dim, small_dim), elements=st.floats(-100, 100)),
    arrays(np.float64, st.tuples(st.just(1)), elements=st.floats(-1000, 1000)),
)
def test_softmax_ignores_a_constant_shift(z, shift):
    np.testing.assert_allclose(nnkit.softmax(z + shift), nnkit.softmax(z), atol=1e-12)


@SETTINGS
@given(arrays(np.float64, st.tuples(small_dim, small_dim), elements=moderate), moderate)
def test_softmax_ignores_a_per_row_shift(z, c):
    shifts = c * np.arange(z.shape[0])[:, None]
    np.testing.assert_allclose(nnkit.softmax(z + shifts), nnkit.softmax(z), atol=1e-12)


@SETTINGS
@given(arrays(st.sampled_from([np.float32, np.float64]), st.integers(1, 20), elements=reals))
def test_sigmoid_stays_in_zero_one(z):
    out = nnkit.sigmoid(z)
    assert out.dtype == z.dtype
    assert np.all(out >= 0.0) and np.all(out <= 1.0)


@SETTINGS
@given(st.tuples(small_dim, small_dim, small_dim), st.data())
def test_batch_through_dense_equals_stacked_single_inputs(shape, data):
    batch, n_in, n_out = shape
    W = data.draw(matrices(n_out, n_in))
    b = data.draw(arrays(np.float64, n_out, elements=moderate))
    X = data.draw(matrices(batch, n_in))
    activation = data.draw(st.sampled_from(["relu", "sigmoid", "tanh", "gelu", "softmax", None]))
    layer = Dense(W, b, activation)
    stacked = np.stack([layer(x) for x in X])
    np.testing.assert_allclose(layer(X), stacked, rtol=1e-12, atol=1e-12)


@SETTINGS
@given(st.tuples(small_dim, small_dim, small_dim), st.data())
def test_collapse_linear_equals_the_two_layers(shape, data):
    n_in, n_hidden, n_out = shape
    W1 = data.draw(matrices(n_hidden, n_in))
    b1 = data.draw(arrays(np.float64, n_hidden, elements=moderate))
    W2 = data.draw(matrices(n_out, n_hidden))
    b2 = data.draw(arrays(np.float64, n_out, elements=moderate))
    x = data.draw(matrices(3, n_in))
    W, b = collapse_linear(W1, b1, W2, b2)
    np.testing.assert_allclose(dense(x, W, b), dense(dense(x, W1, b1), W2, b2),
                               rtol=1e-9, atol=1e-9)


@SETTINGS
@given(st.lists(st.integers(1, 40), min_size=2, max_size=5))
def test_from_sizes_has_exactly_mlp_params_parameters(sizes):
    assert Network.from_sizes(sizes).n_params == nnkit.mlp_params(sizes)
