r"""Divergences between probability distributions, and their gradients.

Arguments are `(p, q)` as in the math, $\operatorname{KL}(p \,\|\, q)$: `p` the reference
distribution, `q` the approximating one. The distribution axis is last; the $B$ rows of the
leading axes are averaged, and a 1-D input is one row.

Dtypes: inputs may be float16, float32, float64 or integers, and are computed in float64. The
divergence is a Python float and its gradient a float64 array, whatever the input's dtype.
Complex input is refused (TypeError). A gradient beyond the float range (a `q` so close to 0
that $p / q$ overflows) raises OverflowError, never returns infinity.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from gradient_docs import _validation as iv

__all__ = ["kl_divergence", "kl_divergence_grad"]


def _distributions(p: npt.ArrayLike, q: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    p64, q64 = iv.real_input_pair("p", p, "q", q, min_ndim=1)
    iv.probability_rows_within("p", p64, iv.row_sum_tolerance(np.asarray(p).dtype, p64.shape[-1]))
    # q is not required to sum to 1: the gradient treats its entries as free variables, and a
    # gradient step (or a numerical derivative) leaves the simplex.
    iv.within("q", q64, 0.0, np.inf, "probabilities")
    impossible = (p64 > 0) & (q64 == 0)
    if impossible.any():
        where = tuple(int(i) for i in np.argwhere(impossible)[0])
        raise ValueError(
            f"`q` must be > 0 wherever `p` > 0 (KL divergence is infinite otherwise); "
            f"q = 0 but p = {p64[where]} at index {where}."
        )
    return p64, q64


def _rows(p: np.ndarray) -> int:
    return p.size // p.shape[-1]


def kl_divergence(p: npt.ArrayLike, q: npt.ArrayLike) -> float:
    r"""Kullback-Leibler divergence $\operatorname{KL}(p \,\|\, q)$, averaged over rows.

    $$
    \operatorname{KL}(p \,\|\, q) = \frac{1}{B} \sum_{b=1}^{B} \sum_{k=1}^{K} p_{bk} \log\frac{p_{bk}}{q_{bk}},
    $$

    with the distribution axis last and $B$ rows (a 1-D input is one row). Terms with
    $p_{bk} = 0$ contribute nothing ($0 \log(0/q) = 0$), even where $q_{bk} = 0$; a $q_{bk} = 0$ where
    $p_{bk} > 0$ makes the divergence infinite and is rejected.

    Parameters
    ----------
    p : array_like of shape (..., K)
        The reference distribution(s): rows of probabilities summing to 1 (within $10^{-6}$, or
        $K$ machine epsilons of the input's dtype if that is more).
    q : array_like
        The approximating distribution(s), the same shape as `p`: entries $\ge 0$. Its rows are
        not required to sum to 1, so that the gradient with respect to its entries is defined (a
        step along it leaves the simplex); for normalised `q` the result is the KL divergence,
        $\ge 0$.

    Returns
    -------
    float
        The divergence averaged over the rows: at least 0 when the rows of `q` sum to 1.

    See Also
    --------
    - [The KL divergence][the-kl-divergence]: defines the divergence, the convention
      $0 \log 0 = 0$, and why a $q_k = 0$ where $p_k > 0$ is rejected.

    Examples
    --------
    >>> print(f"{kl_divergence([0.5, 0.5, 0.0], [0.25, 0.25, 0.5]):.6f}")
    0.693147
    """
    p, q = _distributions(p, q)
    present = p > 0
    terms = np.zeros_like(p)
    terms[present] = p[present] * (np.log(p[present]) - np.log(q[present]))
    return float(terms.sum() / _rows(p))


def kl_divergence_grad(p: npt.ArrayLike, q: npt.ArrayLike) -> np.ndarray:
    r"""Gradient of [kl_divergence][gradient_docs.divergences.kl_divergence] with respect to `q`.

    $$
    \frac{\partial \operatorname{KL}}{\partial q_{bk}} = -\frac{p_{bk}}{B\,q_{bk}}
    \quad (0 \text{ where } p_{bk} = 0).
    $$

    This treats the entries of `q` as free variables. If `q` is a softmax of logits $z$, the
    chain rule through the softmax Jacobian gives $(q - p)/B$ instead, as for cross-entropy.
    Computed as $-(p_{bk} / B) / q_{bk}$, finite whenever the true value is within the float
    range (for instance $p = 10^{-300}$ at $q = 5 \cdot 10^{-324}$).

    Parameters
    ----------
    p : array_like of shape (..., K)
        The reference distribution(s), rows summing to 1 as for
        [kl_divergence][gradient_docs.divergences.kl_divergence].
    q : array_like
        The approximating distribution(s), the same shape as `p`: entries $\ge 0$, and $> 0$
        wherever `p` is.

    Returns
    -------
    ndarray
        $\partial \operatorname{KL} / \partial q$, shaped like `q`, in float64.

    Raises
    ------
    OverflowError
        Where $p_{bk} / (B q_{bk})$ is beyond the float range ($p = 0.5$ at $q = 5 \cdot 10^{-324}$).

    See Also
    --------
    - [The KL divergence][the-kl-divergence]: derives $-p / q$ and, through a softmax, $q - p$.

    Examples
    --------
    >>> print(kl_divergence_grad([0.5, 0.5, 0.0], [0.25, 0.25, 0.5]))
    [-2. -2.  0.]
    """
    p, q = _distributions(p, q)
    grad = np.zeros_like(q)
    present = p > 0
    with np.errstate(over="ignore"):
        grad[present] = -(p[present] / _rows(p)) / q[present]
    return iv.representable("`kl_divergence_grad`", grad, "p / (B q) overflows: `q` is too close to 0 there")
