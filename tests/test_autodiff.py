"""gradient_docs.autodiff: every backward rule against the complex step, central differences and
hand formulas; broadcasting, reductions, constants on either side, composite losses, dtypes, and
every refusal.

Most functions under test are written once, as `f(t, m)`, where `m` is either the autodiff module
or `TWIN`, the same functions on plain numpy arrays. Python's operators, indexing, `.T` and
`.reshape` are shared, so one definition gives the traced function and its numpy twin; the twin
accepts complex input, which gives a reference gradient by the complex step.

Tolerance against the complex step. Both gradients are exact apart from floating-point
rounding: the complex step's truncation error is h^2 |f'''| / 6 with h = 1e-20 (below 1e-40)
and it subtracts no nearby values, and reverse mode applies exact derivative rules. Each
operation rounds by at most eps = 2.2e-16 relative to its result; the functions here chain at
most about 30 operations per gradient entry, so an entry is off by about 30 eps relative to the
largest term of its chain rule. Where terms cancel, that term can exceed the entry; with inputs
of size at most 5 and weights at most 3 we allow it to exceed the largest gradient entry by a
factor of 100. Hence RTOL = 30 * 100 * eps, about 7e-13, rounded up to 1e-12, norm-wise
(relative to the largest entry of the reference). Observed: at most 1.2e-15 (5.5 eps). A
planted error in a rule (a sign, a missing factor, a relative slip of 1e-9) is far above it.
"""

import math
import operator
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays, mutually_broadcastable_shapes

from gradient_docs import autodiff as ad
from gradient_docs import check_gradient, gradient, softmax

RTOL = 1e-12  # norm-wise, relative to the largest entry of the reference gradient (module docstring)


def grid(low: float, high: float) -> st.SearchStrategy[float]:
    """Numbers in [low, high] on a grid of 1/1000, shrinking towards 0.

    Not arbitrary floats: below about 1e-290 the complex step's imaginary part h f'(x) (h = 1e-20)
    underflows, so the reference, not autodiff, would lose its digits.
    """
    return st.integers(round(low * 1000), round(high * 1000)).map(lambda i: i / 1000)


def _logsumexp(z, axis=None, *, keepdims=False):
    peak = np.max(z.real, axis=axis, keepdims=True)
    out = peak + np.log(np.sum(np.exp(z - peak), axis=axis, keepdims=True))
    return out if keepdims else np.squeeze(out, axis=axis)


#: The autodiff functions on plain numpy arrays, complex-safe (for the complex step).
TWIN = SimpleNamespace(
    exp=np.exp,
    log=np.log,
    tanh=np.tanh,
    sigmoid=lambda z: 1 / (1 + np.exp(-z)),
    relu=lambda z: z * (z.real > 0),
    sum=np.sum,
    mean=np.mean,
    logsumexp=_logsumexp,
)


def traced(f):
    return lambda t: f(t, ad)


def plain(f):
    return lambda z: f(z, TWIN)


def assert_matches_complex_step(f, x) -> None:
    """Reverse mode agrees with the complex step on the twin, value and gradient (see RTOL)."""
    x = np.asarray(x, dtype=np.float64)
    value, g = ad.value_and_grad(traced(f), x)
    reference = gradient(plain(f), x, method="complex")
    assert g.shape == x.shape and g.dtype == np.float64
    assert value == pytest.approx(float(plain(f)(x)), rel=1e-14, abs=1e-300)
    assert np.abs(g - reference).max() <= RTOL * np.abs(reference).max(), (g, reference)


rng = np.random.default_rng(20261127)
C23 = rng.normal(size=(2, 3))  # weights, so that no two gradient entries are equal by symmetry
X23 = rng.uniform(-2, 2, size=(2, 3))
POSITIVE23 = rng.uniform(0.5, 3.0, size=(2, 3))
M34 = rng.normal(size=(3, 4))

# name: (f(t, m), point). Each primitive alone, weighted by C23 and summed.
PRIMITIVES = {
    "exp": (lambda t, m: m.sum(C23 * m.exp(t)), X23),
    "log": (lambda t, m: m.sum(C23 * m.log(t)), POSITIVE23),
    "tanh": (lambda t, m: m.sum(C23 * m.tanh(t)), X23),
    "sigmoid": (lambda t, m: m.sum(C23 * m.sigmoid(t)), X23),
    "relu": (lambda t, m: m.sum(C23 * m.relu(t)), X23),
    "sum": (lambda t, m: m.sum(t**2), X23),
    "sum axis=0": (lambda t, m: m.sum(C23[0] * m.sum(t**2, axis=0)), X23),
    "mean": (lambda t, m: m.mean(t**3), X23),
    "mean axis=1": (lambda t, m: m.sum(C23[:, 0] * m.mean(t**3, axis=1)), X23),
    "logsumexp": (lambda t, m: m.logsumexp(C23 * t), X23),
    "logsumexp axis=-1": (lambda t, m: m.sum(C23[:, 0] * m.logsumexp(t, axis=-1)), X23),
    "+": (lambda t, m: m.sum(C23 * (t + t**2)), X23),
    "-": (lambda t, m: m.sum(C23 * (t**2 - t)), X23),
    "*": (lambda t, m: m.sum(C23 * (t * m.exp(t))), X23),
    "/": (lambda t, m: m.sum(C23 * (m.exp(t) / t)), POSITIVE23),
    "** constant exponent": (lambda t, m: m.sum(C23 * t**3.5), POSITIVE23),
    "** traced exponent": (lambda t, m: m.sum(C23 * 1.5**t), X23),
    "** both traced": (lambda t, m: m.sum(C23 * t**t), POSITIVE23),
    "unary minus": (lambda t, m: m.sum(C23 * -m.exp(t)), X23),
    "@ matrix": (lambda t, m: m.sum(M34 * (t.T @ t[:, :1] * C23[0, 0] + t.T @ (t @ M34))), X23),
    "@ vectors": (lambda t, m: t[0] @ t[1] + t[0, :2] @ (t @ t[1]) + m.sum(C23[:, 0] * (t[1] @ t.T)), X23),
    "indexing": (
        lambda t, m: m.sum(C23[0] * t[1]) + t[0, 2] * t[-1, ::2][0] + m.sum(t[[0, 0, 1], [1, 1, 2]] ** 2),
        X23,
    ),
    "indexing, basic": (
        lambda t, m: m.sum(C23[:, None, :2] * t[..., None, ::-1][..., 1:] ** 2) + t[np.int64(1), -1],
        X23,
    ),
    "indexing, mask": (lambda t, m: m.sum(C23[X23 > 0] * t[X23 > 0] ** 2), X23),
    ".T": (lambda t, m: m.sum(C23.T * t.T**2), X23),
    "reshape": (lambda t, m: m.sum(C23.reshape(3, 2) * t.reshape(3, 2) ** 2), X23),
}


@pytest.mark.parametrize("name", PRIMITIVES)
def test_each_rule_matches_the_complex_step(name: str) -> None:
    f, x = PRIMITIVES[name]
    assert_matches_complex_step(f, x)


@pytest.mark.parametrize("name", PRIMITIVES)
def test_each_rule_passes_the_central_difference_check(name: str) -> None:
    # check_gradient's own tolerance: ten times the error estimated from steps h and 2h plus
    # rounding (about 1e-10 relative here), derived in gradient_docs.check.
    f, x = PRIMITIVES[name]
    result = check_gradient(plain(f), lambda z: ad.grad(traced(f), z), x)
    assert result.passed, result


X5 = np.array([-2.0, -0.5, 0.0, 0.7, 2.5])
P5 = np.array([0.5, 1.0, 1.5, 2.0, 3.0])


@pytest.mark.parametrize(
    ("name", "f", "x", "expected"),
    [
        ("exp", lambda t: ad.sum(ad.exp(t)), X5, np.exp),
        ("log", lambda t: ad.sum(ad.log(t)), P5, lambda x: 1 / x),
        ("tanh", lambda t: ad.sum(ad.tanh(t)), X5, lambda x: 1 / np.cosh(x) ** 2),
        ("sigmoid", lambda t: ad.sum(ad.sigmoid(t)), X5, lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2),
        ("relu, 0 at the kink", lambda t: ad.sum(ad.relu(t)), X5, lambda x: (x > 0).astype(float)),
        ("sum", lambda t: ad.sum(t), X5, np.ones_like),
        ("mean", lambda t: ad.mean(t), X5, lambda x: np.full_like(x, 1 / x.size)),
        ("logsumexp is softmax", lambda t: ad.logsumexp(t), X5, softmax),
        ("t**3", lambda t: ad.sum(t**3), X5, lambda x: 3 * x**2),
        ("2**t", lambda t: ad.sum(2**t), X5, lambda x: 2**x * math.log(2)),
        ("t**t", lambda t: ad.sum(t**t), P5, lambda x: x**x * (np.log(x) + 1)),
        ("1/t", lambda t: ad.sum(1 / t), P5, lambda x: -1 / x**2),
        ("t*t: used twice", lambda t: ad.sum(t * t), X5, lambda x: 2 * x),
        ("t - 2t", lambda t: ad.sum(t - 2 * t), X5, lambda x: -np.ones_like(x)),
    ],
)
def test_each_rule_matches_its_hand_formula(name: str, f, x, expected) -> None:
    # The rules compute these formulas directly, so they agree to a few roundings (4 eps).
    assert np.allclose(ad.grad(f, x), expected(x), rtol=4 * np.finfo(float).eps, atol=0)


# --- broadcasting ----------------------------------------------------------------------------------


def test_scalar_plus_matrix_sums_the_gradient_of_the_scalar() -> None:
    # d/ds sum(C * (s + M)) = sum(C); d/dM = C
    assert ad.grad(lambda s: ad.sum(C23 * (s + X23)), 0.5) == pytest.approx(C23.sum(), rel=1e-14)
    assert np.array_equal(ad.grad(lambda t: ad.sum(C23 * (t + 0.5)), X23), C23)


def test_row_vector_plus_matrix_sums_over_the_rows() -> None:
    v = np.array([1.0, -2.0, 0.5])
    assert np.allclose(ad.grad(lambda t: ad.sum(C23 * (t + X23)), v), C23.sum(axis=0), rtol=1e-14, atol=0)
    assert_matches_complex_step(lambda t, m: m.sum(C23 * m.exp(X23 - t)), v)


def test_column_times_row_is_an_outer_product_both_traced() -> None:
    # a (2, 1) and b (1, 3) from one vector: d/da_i sum C_ij a_i b_j = sum_j C_ij b_j, and so on
    x = np.array([0.5, -1.5, 2.0, 1.0, -0.25])

    def f(t):
        a, b = t[:2].reshape(2, 1), t[2:].reshape(1, 3)
        return ad.sum(C23 * (a * b))

    a, b = x[:2], x[2:]
    assert np.allclose(ad.grad(f, x), np.concatenate([C23 @ b, a @ C23]), rtol=1e-14, atol=0)


@given(st.data(), mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3))
def test_every_binary_operator_broadcasts_in_both_directions(data, shapes) -> None:
    (shape_a, shape_b), result_shape = shapes
    a = data.draw(arrays(np.float64, shape_a, elements=grid(-3, 3)), label="a")
    b = data.draw(arrays(np.float64, shape_b, elements=grid(0.5, 3)), label="b")  # a divisor and base
    op = data.draw(st.sampled_from([operator.add, operator.sub, operator.mul, operator.truediv]), label="op")
    traced_operands = data.draw(st.sampled_from(["a", "b", "both"]), label="traced")
    weights = data.draw(arrays(np.float64, result_shape, elements=grid(-2, 2)), label="weights")

    def f(t, m):
        left = t[: a.size].reshape(a.shape) if traced_operands != "b" else a
        right = t[-b.size :].reshape(b.shape) if traced_operands != "a" else b
        return m.sum(weights * op(left, right)) + m.sum(t**2)  # sum(t**2): never a constant

    x = {"a": a.ravel(), "b": b.ravel(), "both": np.concatenate([a.ravel(), b.ravel()])}[traced_operands]
    assert_matches_complex_step(f, x)


# --- reductions ------------------------------------------------------------------------------------


@pytest.mark.parametrize("reduction", ["sum", "mean", "logsumexp"])
@pytest.mark.parametrize("axis", [None, 0, 1, 2, -1, (0, 2)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reductions_along_each_axis(reduction: str, axis, keepdims: bool) -> None:
    rng = np.random.default_rng(20261127)  # its own draws, whatever ran before on this worker
    x = rng.uniform(-2, 2, size=(2, 3, 4))
    expected_shape = np.sum(x, axis=axis, keepdims=keepdims).shape
    weights = rng.normal(size=expected_shape)

    def f(t, m):
        reduced = getattr(m, reduction)(t * x, axis, keepdims=keepdims)
        assert reduced.shape == expected_shape
        return m.sum(weights * reduced)

    assert_matches_complex_step(f, x)


@given(st.data(), array_shapes(min_dims=1, max_dims=3, max_side=4))
def test_reductions_over_drawn_axes(data, shape) -> None:
    x = data.draw(arrays(np.float64, shape, elements=grid(-5, 5)), label="x")
    axis = data.draw(
        st.none()
        | st.integers(-len(shape), len(shape) - 1)
        | st.lists(st.integers(0, len(shape) - 1), min_size=1, unique=True).map(tuple),
        label="axis",
    )
    keepdims = data.draw(st.booleans(), label="keepdims")
    reduction = data.draw(st.sampled_from(["sum", "mean", "logsumexp"]), label="reduction")
    weights = data.draw(arrays(np.float64, np.sum(x, axis=axis, keepdims=keepdims).shape, elements=grid(-2, 2)))
    assert_matches_complex_step(lambda t, m: m.sum(weights * getattr(m, reduction)(t, axis, keepdims=keepdims)), x)


def test_logsumexp_is_stable_where_the_naive_formula_overflows() -> None:
    x = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1000.0, -1000.0]])
    value, g = ad.value_and_grad(lambda t: ad.sum(ad.logsumexp(t, axis=1)), x)
    assert value == pytest.approx(1002.4076059644443 + (-1000.0 + math.log(3)), rel=1e-15)
    assert np.allclose(g, softmax(x, axis=1), rtol=1e-15, atol=0)


def test_tanh_and_sigmoid_derivatives_keep_their_digits_where_the_functions_saturate() -> None:
    # 1 - tanh(t)**2 and s(1 - s) would give 0 here (tanh and s round to 1), or lose digits.
    x = np.array([-40.0, -20.0, -5.0, 5.0, 20.0, 40.0])
    e2, e1 = np.exp(-2 * np.abs(x)), np.exp(-np.abs(x))
    assert np.allclose(ad.grad(lambda t: ad.sum(ad.tanh(t)), x), 4 * e2 / (1 + e2) ** 2, rtol=1e-14, atol=0)
    assert np.allclose(ad.grad(lambda t: ad.sum(ad.sigmoid(t)), x), e1 / (1 + e1) ** 2, rtol=1e-14, atol=0)
    far = np.array([-800.0, 800.0])  # cosh overflows: the derivative is 0 to float64, and no warning leaks
    assert ad.grad(lambda t: ad.sum(ad.tanh(t)), far).tolist() == [0.0, 0.0]
    assert ad.value_and_grad(lambda t: ad.sum(ad.sigmoid(t)), far) == (1.0, pytest.approx([0.0, 0.0], abs=0))


# --- constants on either side of every operator ----------------------------------------------------

CONSTANTS = {
    "float": 1.5,
    "int": 2,
    "numpy scalar": np.float64(1.25),
    "array": np.array([0.5, 1.5, 2.5]),
    "float32 array": np.array([0.5, 1.5, 2.5], dtype=np.float32),
    "list": [0.5, 1.5, 2.5],
}
OPERATORS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "**": operator.pow}


@pytest.mark.parametrize("constant", CONSTANTS)
@pytest.mark.parametrize("symbol", OPERATORS)
@pytest.mark.parametrize("side", ["left", "right"])
def test_constants_on_either_side_of_every_operator(constant: str, symbol: str, side: str) -> None:
    c, op = CONSTANTS[constant], OPERATORS[symbol]
    x = np.array([0.75, 1.25, 2.0])

    def f(t, m):
        c_ = np.asarray(c) if m is TWIN else c  # the twin needs an array where numpy would see a list
        return m.sum(C23[0] * (op(c_, t) if side == "left" else op(t, c_)))

    assert_matches_complex_step(f, x)


@pytest.mark.parametrize(("side", "shape"), [("left", (3,)), ("left", (3, 2)), ("right", (3,)), ("right", (2, 3))])
def test_matmul_with_a_numpy_array_on_either_side(side: str, shape) -> None:
    rng = np.random.default_rng(20261127)  # its own draws, whatever ran before on this worker
    # X @ t with numpy's X on the left reaches Node through numpy's matmul ufunc (numpy 2).
    x = rng.uniform(-2, 2, size=shape)

    def f(t, m):
        product = M34[:, :3] @ t if side == "left" else t @ M34[:3]
        return m.sum(product**2)

    assert_matches_complex_step(f, x)


def test_numpy_operator_functions_are_traced_too() -> None:
    # np.add(X, t) is the ufunc behind X + t; tracing it is correct, not a silent drop
    g = ad.grad(lambda t: ad.sum(np.multiply(X23, t) + np.subtract(1.0, t)), np.ones((2, 3)))
    assert np.array_equal(g, X23 - 1)


@given(st.data())
def test_matmul_of_drawn_shapes_with_either_operand_traced(data) -> None:
    m, k, n, batch = (data.draw(st.integers(1, 3), label=name) for name in "mknp")
    shape_a = data.draw(st.sampled_from([(k,), (m, k), (batch, m, k)]), label="shape a")
    shape_b = data.draw(st.sampled_from([(k,), (k, n), (batch, k, n)]), label="shape b")
    a = data.draw(arrays(np.float64, shape_a, elements=grid(-3, 3)), label="a")
    b = data.draw(arrays(np.float64, shape_b, elements=grid(-3, 3)), label="b")
    traced_operands = data.draw(st.sampled_from(["a", "b", "both"]), label="traced")

    def f(t, m_):
        left = t[: a.size].reshape(a.shape) if traced_operands != "b" else a
        right = t[-b.size :].reshape(b.shape) if traced_operands != "a" else b
        return m_.sum(m_.tanh(left @ right)) + m_.sum(t**2)

    x = {"a": a.ravel(), "b": b.ravel(), "both": np.concatenate([a.ravel(), b.ravel()])}[traced_operands]
    assert_matches_complex_step(f, x)


# --- chains, reuse and composite losses --------------------------------------------------------------


def test_a_chain_of_operations() -> None:
    def f(t, m):
        u = m.tanh(t @ M34[:3]) * 2.0 - 0.5
        v = m.log(1 + m.sigmoid(u) ** 2) / (1.5 + u**2)
        return m.mean(m.exp(-v) * v) + m.logsumexp(u, axis=0)[1] - 1 / m.sum(t**2)

    assert_matches_complex_step(f, X23)


def test_an_intermediate_used_several_times_accumulates_its_gradient() -> None:
    # L = sum(u * u + u + exp(u)) with u = exp(t): dL/dt = (2u + 1 + e^u) u
    x = np.array([-1.0, 0.0, 0.5])
    u = np.exp(x)

    def f(t):
        u = ad.exp(t)
        return ad.sum(u * u + u + ad.exp(u))

    g = ad.grad(f, x)
    assert np.allclose(g, (2 * u + 1 + np.exp(u)) * u, rtol=1e-14, atol=0)


def test_a_long_chain_does_not_reach_the_recursion_limit() -> None:
    def f(t):
        total = t
        for _ in range(5000):
            total = total + t
        return ad.sum(total)

    assert np.array_equal(ad.grad(f, np.array([1.0, 2.0])), [5001.0, 5001.0])


def softmax_regression(B: int = 6, d: int = 4, K: int = 3, l2: float = 0.1):
    """Data, initial parameters and (traced loss, hand gradient) of l2-regularised softmax regression."""
    data = np.random.default_rng(7)
    X, labels = data.normal(size=(B, d)), data.integers(0, K, size=B)
    theta = data.normal(size=d * K + K)

    def loss(t, m):
        W, b = t[: d * K].reshape(d, K), t[d * K :]
        Z = X @ W + b
        return m.mean(m.logsumexp(Z, axis=1) - Z[np.arange(B), labels]) + l2 / 2 * m.sum(W**2)

    def hand_gradient(theta):
        W, b = theta[: d * K].reshape(d, K), theta[d * K :]
        G = (softmax(X @ W + b, axis=1) - np.eye(K)[labels]) / B  # dL/dZ = (S - Y) / B
        return np.concatenate([(X.T @ G + l2 * W).ravel(), G.sum(axis=0)])

    return loss, hand_gradient, theta


def test_softmax_cross_entropy_with_integer_labels_matches_the_hand_gradient() -> None:
    loss, hand_gradient, theta = softmax_regression()
    assert_matches_complex_step(loss, theta)
    g = ad.grad(traced(loss), theta)
    assert np.abs(g - hand_gradient(theta)).max() <= RTOL * np.abs(g).max()


def test_mse_of_a_linear_model_matches_the_hand_gradient() -> None:
    rng = np.random.default_rng(20261127)  # its own draws, whatever ran before on this worker
    X, y, w = rng.normal(size=(8, 3)), rng.normal(size=8), rng.normal(size=3)

    def f(t, m):
        return m.mean((X @ t - y) ** 2)

    assert_matches_complex_step(f, w)
    assert np.allclose(ad.grad(traced(f), w), 2 / 8 * X.T @ (X @ w - y), rtol=1e-13, atol=0)


def test_two_layer_network_with_relu_and_tanh() -> None:
    rng = np.random.default_rng(20261127)  # its own draws, whatever ran before on this worker
    X, y = rng.normal(size=(5, 3)), rng.normal(size=5)
    sizes = {"W1": (3, 4), "b1": (4,), "W2": (4, 2), "b2": (2,), "v": (2,)}
    stops = np.cumsum([0] + [math.prod(s) for s in sizes.values()])

    def f(t, m):
        W1, b1, W2, b2, v = (t[i:j].reshape(s) for i, j, s in zip(stops[:-1], stops[1:], sizes.values()))
        hidden = m.relu(X @ W1 + b1)
        out = m.tanh(hidden @ W2 + b2) @ v
        return m.mean((out - y) ** 2)

    theta = rng.normal(size=stops[-1])
    pre_activation = X @ theta[:12].reshape(3, 4) + theta[12:16]
    assert np.abs(pre_activation).min() > 1e-3  # away from the kink: the complex step applies
    assert (pre_activation < 0).any() and (pre_activation > 0).any()  # both sides of the kink
    assert_matches_complex_step(f, theta)


# --- dtypes -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int64])
def test_every_input_dtype_gives_the_float64_gradient_at_the_point_given(dtype) -> None:
    x = np.array([[0.5, -1.25], [2.0, 3.0]]).astype(dtype)  # exactly representable in each dtype
    f = traced(lambda t, m: m.sum(m.tanh(t) * t) + m.logsumexp(t))
    value, g = ad.value_and_grad(f, x)
    value64, g64 = ad.value_and_grad(f, x.astype(np.float64))
    assert g.dtype == np.float64 and g.shape == x.shape and isinstance(value, float)
    assert value == value64 and np.array_equal(g, g64)  # computed in float64 from the same numbers
    exact = (
        np.tanh(x.astype(float)) + x / np.cosh(x.astype(float)) ** 2 + softmax(x.astype(float).ravel()).reshape(2, 2)
    )
    assert np.allclose(g, exact, rtol=1e-14, atol=0)


def test_a_float16_input_is_not_rounded_to_float16_on_the_way() -> None:
    x = np.array([1.0 / 3.0], dtype=np.float16)  # 0.333251953125
    g = ad.grad(lambda t: ad.sum(ad.exp(3 * t)), x)
    assert g[0] == 3 * np.exp(3 * 0.333251953125)  # 8.152854799..., where float16 arithmetic gives 8.16


def test_the_gradient_is_a_fresh_writable_array_and_x_is_untouched() -> None:
    x = np.array([1.0, 2.0])
    g = ad.grad(lambda t: ad.sum(t), x)
    g[0] = 7.0  # would raise for a read-only broadcast view
    assert ad.grad(lambda t: ad.sum(t), x).tolist() == [1.0, 1.0]
    assert x.tolist() == [1.0, 2.0]


def test_a_scalar_point_gives_a_0d_gradient() -> None:
    value, g = ad.value_and_grad(lambda t: t**3 - 2 * t, 2.0)
    assert value == 4.0 and g.shape == () and g == 10.0


# --- errors ------------------------------------------------------------------------------------------


def unpack(t):
    a, b, c = t  # Python's unpacking iterates
    return a + b + c


def builtins_sum(values):
    total = 0.0
    for v in values:
        total = total + v
    return total


V = np.array([1.0, 2.0, 3.0])
NUMPY = r"was applied to a traced value: numpy would compute with its numbers alone and lose the gradient"


@pytest.mark.parametrize(
    ("f", "x", "error", "match"),
    [
        # what f returns
        (lambda t: ad.exp(t), V, ValueError, r"`f` must return a scalar; it returned an array of shape \(3,\) at x = "),
        (lambda t: 1.0, V, TypeError, r"`f` must return a value computed from its argument; it returned float 1.0"),
        (lambda t: ad.sum(np.ones(3)), V, TypeError, r"it returned Node .*which does not depend on it"),
        (lambda t: ad.sum(ad.log(t - 1)), V, ValueError, r"`f` returned a non-finite value \(-inf\) at x = \[1.0, 2.0"),
        (
            lambda t: ad.sum(t**0.5),
            [0.0, 1.0],
            ValueError,
            r"the gradient of `f` is not finite at x = \[0.0, 1.0\]: entry \(0,\) is inf",
        ),
        (lambda t: ad.sum((-t) ** 1.5), V, ValueError, r"`f` returned a non-finite value \(nan\)"),
        # arguments
        (
            lambda t: ad.sum(t),
            [1.0, np.nan],
            ValueError,
            r"`x` must contain only finite values; got nan at index \(1,\)",
        ),
        (lambda t: ad.sum(t), ["a"], TypeError, r"`x` must be an array of real numbers"),
        (lambda t: ad.sum(t), [1 + 2j], TypeError, r"`x` must be an array of real numbers"),
        (lambda t: ad.sum(t), [], ValueError, r"`x` must not be empty"),
        ("not callable", V, TypeError, r"`f` must be callable; got str 'not callable'"),
        (lambda t: ad.sum(t + "a"), V, TypeError, r"can only be combined with real numbers or arrays; got str 'a'"),
        (lambda t: ad.sum(t, axis=1), V, ValueError, r"`axis` must be in \[-1, 0\] for a 1-dimensional input; got 1"),
        (lambda t: ad.mean(t, axis=0.5), V, TypeError, r"`axis` must be an integer; got float 0.5"),
        (lambda t: ad.logsumexp(t, axis=(0, "a")), V, TypeError, r"`axis` must be an integer; got str 'a'"),
        # Python operations with no gradient
        (lambda t: ad.sum(t) if t[0] < 0 else 0.0, V, TypeError, r"a traced value cannot be compared"),
        (lambda t: t[0] <= t[1], V, TypeError, r"a traced value cannot be compared \(<, <=, >, >=, ==, !=\)"),
        (lambda t: t[0] > 1, V, TypeError, r"cannot be compared"),
        (lambda t: t[0] >= 1, V, TypeError, r"cannot be compared"),
        (lambda t: t[0] == 1, V, TypeError, r"cannot be compared"),
        (lambda t: t[0] != 1, V, TypeError, r"cannot be compared"),
        (lambda t: t[0] if t[0] else t[1], V, TypeError, r"cannot be used as a truth value \(if, while, and, or\)"),
        (lambda t: t[0] and t[1], V, TypeError, r"cannot be used as a truth value"),
        (
            lambda t: float(ad.sum(t)),
            V,
            TypeError,
            r"cannot be converted to a Python number \(float\(\), int\(\), math",
        ),
        (lambda t: int(t[0]), V, TypeError, r"cannot be converted to a Python number"),
        (lambda t: math.exp(t[0]), V, TypeError, r"cannot be converted to a Python number"),
        (
            lambda t: ad.sum(abs(t)),
            V,
            TypeError,
            r"abs\(\) of a traced value is not supported: .*relu\(t\) \+ relu\(-t\)",
        ),
        (lambda t: t[len(t) - 1], V, TypeError, r"a traced value has no len\(\) and cannot be iterated over"),
        (
            lambda t: builtins_sum(t),
            V,
            TypeError,
            r"cannot be iterated over \(for, unpacking, in\): index it instead \(t\[0\], t\[1\]\)",
        ),
        (unpack, V, TypeError, r"cannot be iterated over"),
        (lambda t: t[0] * (2.0 in t), V, TypeError, r"cannot be iterated over"),
        # numpy functions, which would drop the gradient
        (lambda t: ad.sum(np.exp(t)), V, TypeError, rf"np.exp {NUMPY}. Inside `f`, use gradient_docs.autodiff.exp"),
        (lambda t: ad.sum(np.log(t)), V, TypeError, r"np.log .*use gradient_docs.autodiff.log\."),
        (lambda t: ad.sum(np.tanh(t)), V, TypeError, r"np.tanh .*use gradient_docs.autodiff.tanh\."),
        (lambda t: ad.sum(np.maximum(t, 0)), V, TypeError, r"np.maximum .*use gradient_docs.autodiff.relu\."),
        (lambda t: np.sum(t), V, TypeError, rf"np.sum {NUMPY}. Inside `f`, use gradient_docs.autodiff.sum\."),
        (lambda t: np.mean(t), V, TypeError, r"np.mean .*use gradient_docs.autodiff.mean\."),
        (
            lambda t: ad.sum(np.sqrt(t)),
            V,
            TypeError,
            rf"np.sqrt {NUMPY}. Inside `f`, use the functions of gradient_docs",
        ),
        (lambda t: np.dot(t, t), V, TypeError, r"np.dot .*use the functions of gradient_docs.autodiff \(exp, log"),
        (lambda t: ad.sum(np.abs(t)), V, TypeError, r"np.absolute was applied to a traced value"),
        (lambda t: ad.sum(V % t), V, TypeError, r"np.remainder was applied to a traced value"),
        (lambda t: np.add(t, 1.0, out=np.empty(3)), V, TypeError, r"np.add was applied to a traced value"),
        (lambda t: np.add.reduce(t), V, TypeError, r"np.add was applied to a traced value"),
        (
            lambda t: ad.sum(np.asarray(t)),
            V,
            TypeError,
            r"cannot be converted to a numpy array \(np.asarray, np.array\)",
        ),
        (lambda t: ad.sum(np.array([t[0], t[1]])), V, TypeError, r"cannot be converted to a numpy array"),
    ],
)
def test_bad_input_and_unsupported_operations_raise_clear_errors(f, x, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        ad.value_and_grad(f, x)


def test_a_node_is_not_hashable_since_equality_is_refused() -> None:
    def f(t):
        return {t: 1}

    with pytest.raises(TypeError, match="unhashable type: 'Node'"):
        ad.grad(f, V)


def test_repr_shows_the_value() -> None:
    def f(t):
        assert repr(t) == "Node([1. 2. 3.], needs_grad=True)"
        assert repr(ad.sum(np.ones(2))) == "Node(2., needs_grad=False)"
        return ad.sum(t)

    ad.grad(f, V)
