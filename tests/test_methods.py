"""The table of methods: weights, orders, error models and check stencils follow from the offsets."""

import numpy as np
import pytest
from support import P

from gradient_docs import _methods, check_gradient, examples, finite_diff, gradient
from gradient_docs._methods import TABLE, Method


@pytest.mark.parametrize(
    ("offsets", "order", "weights", "truncation", "rounding"),
    [
        ((-1, 1), 2, [-0.5, 0.5], 1 / 6, 1.0),
        ((0, 1), 1, [-1.0, 1.0], 1 / 2, 2.0),
        ((0, 1, 2), 2, [-1.5, 2.0, -0.5], 1 / 3, 4.0),
        ((-2, -1, 1, 2), 4, [1 / 12, -8 / 12, 8 / 12, -1 / 12], 1 / 30, 1.5),
    ],
)
def test_weights_and_error_constants_follow_from_the_offsets(offsets, order, weights, truncation, rounding) -> None:
    method = Method("m", offsets, order)
    assert method.weights == pytest.approx(weights, rel=1e-15)
    assert method.truncation == pytest.approx(truncation, rel=1e-15)
    assert method.rounding == pytest.approx(rounding, rel=1e-15)


def test_a_wrong_declared_order_is_refused() -> None:
    with pytest.raises(ValueError, match=r"method 'bad': offsets \(-1, 1\) have order 2, not 1"):
        Method("bad", (-1, 1), 1)


def test_check_stencils_hold_both_steps_and_a_noise_difference_that_kills_polynomials() -> None:
    central = TABLE["central"]
    assert central.check_offsets == (-2, -1, 0, 1, 2)
    weights = central.noise_weights
    assert np.linalg.norm(weights) == pytest.approx(1.0)
    points = np.array(central.check_offsets, dtype=float)
    for degree in range(4):  # the 4th difference vanishes on cubics
        assert abs(weights @ points**degree) <= 1e-14


def test_adding_a_method_to_the_table_is_all_it_takes(monkeypatch) -> None:
    # A 6th-order central stencil, declared in one line: gradient, its error estimate, its
    # default step eps^(1/7), one-sided variants near bounds and check_gradient's stencil follow.
    monkeypatch.setitem(TABLE, "central6", Method("central6", (-3, -2, -1, 1, 2, 3), 6))
    monkeypatch.setattr(finite_diff, "METHODS", tuple(TABLE))
    from gradient_docs import check

    monkeypatch.setattr(check, "METHODS", tuple(TABLE))
    result = gradient(lambda p: float(np.exp(p[0])), np.array([0.3]), method="central6", full_output=True)
    assert abs(result.value[0] - np.exp(0.3)) <= result.error[0] <= 1e-12
    assert result.nfev == 6
    bounded = gradient(lambda p: float(np.exp(p[0])), np.array([0.0]), method="central6", bounds=(0.0, 1.0))
    assert abs(bounded[0] - 1.0) <= 1e-10  # offsets 0..6, order 6
    assert check_gradient(examples.f, examples.f_gradient, P, method="central6").passed
    assert not check_gradient(examples.f, lambda p: 1.0001 * examples.f_gradient(p), P, method="central6").passed


def test_central4_is_a_table_entry_like_any_other() -> None:
    result = gradient(lambda p: float(np.exp(p[0])), np.array([0.3]), method="central4", full_output=True)
    assert abs(result.value[0] - np.exp(0.3)) <= result.error[0] <= 1e-12
    assert result.nfev == 4 and "central4" in finite_diff.METHODS


def test_the_default_method_is_first() -> None:
    assert next(iter(_methods.TABLE)) == "central"


@pytest.mark.parametrize("name", [name for name, m in TABLE.items() if m.error_model == "taylor"])
@pytest.mark.parametrize("direction", [+1, -1])
def test_one_sided_variants_predict_the_truncation_error_they_make(name: str, direction: int) -> None:
    # On exp at 0 every derivative is 1, so the error of the variant's quotient at a step h is
    # tau h^p (1 + O(h)): measured in exact-enough float64 at h = 1e-2, it must match tau to 5%.
    variant = TABLE[name].one_sided(direction)
    h = 1e-2
    quotient = sum(w * np.exp(o * h) for w, o in zip(variant.weights, variant.offsets, strict=True)) / h
    measured = abs(quotient - 1.0) / h**variant.order
    assert measured == pytest.approx(variant.truncation, rel=0.05)
