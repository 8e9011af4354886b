r"""Activation functions and their derivatives, element by element.

| activation | value | derivative |
|---|---|---|
| logistic sigmoid | $\sigma(z) = \dfrac{1}{1 + e^{-z}}$ | $\sigma'(z) = \sigma(z)\,\sigma(-z) = \sigma(z)\,(1 - \sigma(z))$ |
| ReLU | $\max(z, 0)$ | $1$ for $z > 0$, $0$ for $z < 0$; at $z = 0$ the subgradient $0$ |

Dtypes: these are smooth building blocks (ReLU is piecewise linear), so they keep the input's
float dtype (float16, float32 or float64; integers become float64) and are accurate in it.
The sigmoid and its derivative also accept complex input, so that the complex step can
differentiate code built from them; ReLU is not analytic and takes real input only.

The sigmoid used to live in `gradient_docs.classification`; it is now here, and
`gradient_docs.sigmoid` still imports it.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from gradient_docs import _validation as iv

__all__ = ["relu", "relu_grad", "sigmoid", "sigmoid_grad"]


def _exp_of_minus_abs(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""$t = e^{-|z|}$ (with $|z|$ read as the sign of the real part) and the mask $\Re z < 0$.

    $t \le 1$ never overflows; for complex $z$ the same analytic function is continued on each
    side, so the complex step sees $\sigma$ itself.
    """
    negative = z.real < 0
    return np.exp(np.where(negative, z, -z)), negative


def sigmoid(z: npt.ArrayLike) -> np.ndarray:
    r"""The logistic function $\sigma(z) = 1 / (1 + e^{-z})$, without overflow.

    For $z < 0$ it is computed as $e^{z} / (1 + e^{z})$, so $e^{-z}$ is never formed for a large
    negative $z$ (`np.exp(1000)` overflows; $\sigma(-1000) = e^{-1000}$ is simply 0).

    Parameters
    ----------
    z : array_like, any shape
        Real or complex numbers (complex for the complex step).

    Returns
    -------
    ndarray
        $\sigma(z)$, with the shape and float dtype of `z`: values in $[0, 1]$ for real `z`.

    See Also
    --------
    - [Binary classification losses][binary-classification-losses]: turns logits into
      probabilities with it, and shows where $\sigma(z)$ rounds to 0 or 1.
    - [Designing losses for learning][designing-losses-for-learning]: shows why cross-entropy, not
      MSE, should follow a sigmoid.

    Examples
    --------
    >>> print(sigmoid([-1000.0, 0.0, 1000.0]))
    [0.  0.5 1. ]
    """
    z = iv.as_real_array("z", z, complex_ok=True)
    t, negative = _exp_of_minus_abs(z)
    return np.where(negative, t / (1 + t), 1 / (1 + t))


def sigmoid_grad(z: npt.ArrayLike) -> np.ndarray:
    r"""The derivative of [sigmoid][gradient_docs.activations.sigmoid], element by element.

    $$
    \sigma'(z) = \sigma(z)\,\sigma(-z) = \frac{e^{-|z|}}{\left(1 + e^{-|z|}\right)^2}.
    $$

    The right-hand form is what is computed: $\sigma(z)(1 - \sigma(z))$ would cancel every digit
    of $1 - \sigma(z)$ for $z > 37$ and return 0, where the true value is $e^{-z}$. At most
    $1/4$, at $z = 0$: after a sigmoid, every gradient is multiplied by a factor that vanishes
    for large $|z|$.

    Parameters
    ----------
    z : array_like, any shape
        Real or complex numbers.

    Returns
    -------
    ndarray
        $\sigma'(z)$, with the shape and float dtype of `z`: values in $[0, 1/4]$ for real `z`.

    See Also
    --------
    - [Designing losses for learning][designing-losses-for-learning]: shows how this factor
      vanishes for large $|z|$ and stalls MSE after a sigmoid.

    Examples
    --------
    >>> print(sigmoid_grad([0.0, 40.0]))
    [2.50000000e-01 4.24835426e-18]
    """
    z = iv.as_real_array("z", z, complex_ok=True)
    t, _ = _exp_of_minus_abs(z)
    return t / ((1 + t) * (1 + t))


def relu(z: npt.ArrayLike) -> np.ndarray:
    r"""The rectified linear unit $\max(z, 0)$, element by element.

    Parameters
    ----------
    z : array_like, any shape
        Real numbers.

    Returns
    -------
    ndarray
        $\max(z, 0)$, with the shape and float dtype of `z`.

    See Also
    --------
    - [A two-layer network by hand][a-two-layer-network-by-hand]: uses it as the hidden layer's
      activation and differentiates through it by hand.

    Examples
    --------
    >>> print(relu([-2.0, 0.0, 3.0]))
    [0. 0. 3.]
    """
    z = iv.as_real_array("z", z)
    return np.maximum(z, 0)


def relu_grad(z: npt.ArrayLike) -> np.ndarray:
    r"""The derivative of [relu][gradient_docs.activations.relu], with the subgradient 0 at the kink.

    $$
    \operatorname{relu}'(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}.
    $$

    At $z = 0$ ReLU has no derivative; every value in $[0, 1]$ is a subgradient, and this
    function returns $0$ there (as PyTorch and JAX do). A numerical check at $z = 0$ cannot
    confirm any choice: the gradient checker reports it as inconclusive.

    Parameters
    ----------
    z : array_like, any shape
        Real numbers.

    Returns
    -------
    ndarray
        1 where $z > 0$ and 0 elsewhere, with the shape and float dtype of `z`.

    See Also
    --------
    - [A two-layer network by hand][a-two-layer-network-by-hand]: derives the mask
      $\mathbf{1}[Z_1 > 0]$ of the backward pass and shows what a gradient check says at a kink.

    Examples
    --------
    >>> print(relu_grad([-2.0, 0.0, 3.0]))
    [0. 0. 1.]
    """
    z = iv.as_real_array("z", z)
    return (z > 0).astype(z.dtype)
