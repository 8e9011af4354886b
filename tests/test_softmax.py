"""softmax, log_softmax, logsumexp, softmax_jacobian, softmax_jvp."""

import math

import numpy as np
import pytest

from gradient_docs import check_gradient, log_softmax, logsumexp, softmax, softmax_jacobian, softmax_jvp

X = np.array([1.0, 2.0, 3.0])


def test_softmax_matches_the_definition_on_small_inputs() -> None:
    e = [math.exp(v) for v in X]
    assert softmax(X) == pytest.approx([v / sum(e) for v in e], rel=1e-15)


def test_naive_softmax_overflows_where_the_stable_one_does_not() -> None:
    big = np.array([1000.0, 1001.0, 1002.0])
    with np.errstate(over="ignore", invalid="ignore"):
        naive = np.exp(big) / np.exp(big).sum()
    assert np.isnan(naive).all()
    assert softmax(big) == pytest.approx(softmax(X), rel=1e-15)  # shift invariance, exactly used


def test_extreme_inputs_give_exact_zero_and_one_not_nan() -> None:
    assert softmax(np.array([-1e4, 0.0, 1e4])).tolist() == [0.0, 0.0, 1.0]
    assert softmax(np.array([-1e308, 1e308])).tolist() == [0.0, 1.0]


def test_softmax_along_an_axis_sums_to_one_along_that_axis() -> None:
    x = np.arange(12.0).reshape(3, 4)
    assert softmax(x, axis=0).sum(axis=0) == pytest.approx(np.ones(4))
    assert softmax(x, axis=1).sum(axis=1) == pytest.approx(np.ones(3))
    assert softmax(x, axis=0)[:, 0] == pytest.approx(softmax(x[:, 0]))


def test_log_softmax_stays_finite_where_log_of_softmax_is_minus_infinity() -> None:
    z = np.array([0.0, 1000.0])
    with np.errstate(divide="ignore"):
        assert np.log(softmax(z))[0] == -np.inf
    assert log_softmax(z).tolist() == [-1000.0, 0.0]


def test_log_softmax_equals_log_of_softmax_where_both_are_representable() -> None:
    x = np.array([-3.0, 0.5, 2.0, 7.0])
    assert log_softmax(x) == pytest.approx(np.log(softmax(x)), rel=1e-14)


def test_logsumexp_matches_the_naive_formula_and_survives_large_inputs() -> None:
    assert float(logsumexp(X)) == pytest.approx(math.log(sum(math.exp(v) for v in X)), rel=1e-15)
    assert float(logsumexp(np.array([1000.0, 1000.0]))) == pytest.approx(1000.0 + math.log(2), rel=1e-15)
    assert logsumexp(np.ones((2, 3)), axis=0).shape == (3,)


def test_jacobian_is_diag_minus_outer_product_symmetric_with_zero_row_sums() -> None:
    s = softmax(X)
    J = softmax_jacobian(X)
    for i in range(3):
        for j in range(3):
            assert J[i, j] == pytest.approx(s[i] * ((i == j) - s[j]), rel=1e-15)
    assert np.array_equal(J, J.T)
    assert np.abs(J.sum(axis=1)).max() <= 2 * np.finfo(float).eps


def test_diagonal_alone_is_not_the_jacobian() -> None:
    J = softmax_jacobian(X)
    s = softmax(X)
    assert np.diag(J) == pytest.approx(s * (1 - s))
    assert np.abs(J - np.diag(np.diag(J))).max() > 0.1  # the notes' answer misses these


def test_jacobian_rows_pass_the_gradient_check() -> None:
    for i in range(3):
        assert check_gradient(lambda z: softmax(z)[i], lambda z: softmax_jacobian(z)[i], X).passed


def test_jvp_equals_jacobian_times_vector_including_batches() -> None:
    rng = np.random.default_rng(3)
    x, v = rng.normal(size=(4, 5)), rng.normal(size=(4, 5))
    product = softmax_jvp(x, v)
    for row in range(4):
        assert product[row] == pytest.approx(softmax_jacobian(x[row]) @ v[row], rel=1e-12, abs=1e-15)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: softmax(np.float64(1.0)), ValueError, r"`x` must have at least 1 dimension\(s\); got an array of shape \(\)"),
        (lambda: softmax([1.0, np.nan]), ValueError, r"`x` must contain only finite values; got nan at index \(1,\)"),
        (lambda: softmax([[1.0, 2.0]], axis=2), ValueError, r"`axis` must be in \[-2, 1\] for a 2-dimensional input; got 2"),
        (lambda: softmax([1.0, 2.0], axis=0.5), TypeError, r"`axis` must be an integer; got float 0.5"),
        (lambda: softmax([]), ValueError, r"`x` must not be empty"),
        (lambda: softmax_jacobian(np.ones((2, 2))), ValueError, r"`x` must be 1-dimensional; got an array of shape \(2, 2\)"),
        (lambda: softmax_jvp(X, np.ones(2)), ValueError, r"`x` and `v` must have the same shape; got \(3,\) and \(2,\)"),
        (lambda: log_softmax(["a"]), TypeError, r"`x` must be an array of real numbers"),
        (lambda: logsumexp([np.inf]), ValueError, r"`x` must contain only finite values"),
    ],
)
def test_bad_input_is_rejected_by_name(call, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        call()
