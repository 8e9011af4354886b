"""Property tests of the numerical differentiation engine on the notes' function.

The property tests of softmax, the losses and the notes' function itself live in the test module
of each (tests/test_softmax.py, tests/test_losses.py, tests/test_examples.py).
"""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gradient_docs import examples


def floats(bound: float) -> st.SearchStrategy[float]:
    return st.floats(-bound, bound, allow_nan=False, allow_infinity=False)


points = arrays(np.float64, 2, elements=floats(10.0))


@given(points)
def test_numerical_hessian_of_the_notes_function_is_within_its_error_estimate(p) -> None:
    from gradient_docs import hessian

    result = hessian(examples.f, p, full_output=True)
    assert np.array_equal(result.value, result.value.T)
    assert np.all(np.abs(result.value - examples.f_hessian(p)) <= result.error)


@given(
    arrays(np.float64, st.integers(1, 12), elements=floats(3.0)),
    st.sampled_from(["forward", "central", "complex", "richardson"]),
)
def test_vectorized_and_one_point_at_a_time_agree_exactly(x, method) -> None:
    from gradient_docs import gradient

    def f(z):
        return np.sum(np.sin(z) * np.exp(-z * z / 4), axis=-1)

    assert np.array_equal(gradient(f, x, method=method), gradient(f, x, method=method, vectorized=True))
