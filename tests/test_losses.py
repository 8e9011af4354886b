"""mse and mse_grad."""

import numpy as np
import pytest

from gradient_docs import check_gradient, mse, mse_grad


def test_notes_counterexample_gradient_is_a_vector_whose_sum_is_the_notes_formula() -> None:
    y, y_hat = np.array([0.0, 0.0]), np.array([1.0, -1.0])
    assert mse(y, y_hat) == 1.0
    assert mse_grad(y, y_hat).tolist() == [1.0, -1.0]
    assert 2 / y.size * np.sum(y_hat - y) == 0.0  # the notes' scalar: zero, although the loss is not flat
    assert mse_grad(y, y_hat).sum() == 2 / y.size * np.sum(y_hat - y)


def test_mse_is_the_mean_over_all_elements() -> None:
    predictions = np.arange(6.0).reshape(2, 3)
    assert mse(np.zeros((2, 3)), predictions) == pytest.approx(55 / 6, rel=1e-15)
    assert mse_grad(np.zeros((2, 3)), predictions) == pytest.approx(2 * predictions / 6, rel=1e-15)


def test_gradient_points_from_target_to_prediction() -> None:
    assert mse_grad([5.0], [7.0]).tolist() == [4.0]
    assert mse_grad([5.0], [3.0]).tolist() == [-4.0]


def test_gradient_passes_the_check_on_random_data() -> None:
    rng = np.random.default_rng(7)
    y, y_hat = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    assert check_gradient(lambda p: mse(y, p), lambda p: mse_grad(y, p), y_hat).passed


@pytest.mark.parametrize("function", [mse, mse_grad])
@pytest.mark.parametrize(
    ("y", "y_hat", "error", "match"),
    [
        ([1.0, 2.0], [1.0], ValueError, r"`y` and `y_hat` must have the same shape; got \(2,\) and \(1,\)"),
        ([], [], ValueError, r"`y` must not be empty"),
        ([1.0], [np.inf], ValueError, r"`y_hat` must contain only finite values; got inf at index \(0,\)"),
        (["1"], [1.0], TypeError, r"`y` must be an array of real numbers"),
    ],
)
def test_bad_input_is_rejected_by_name(function, y, y_hat, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        function(y, y_hat)
