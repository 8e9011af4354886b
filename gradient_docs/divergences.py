r"""Divergences between probability distributions, and their gradients."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from gradient_docs import _validation as iv

__all__ = ["kl_divergence", "kl_divergence_grad"]


def _distributions(p: npt.ArrayLike, q: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    p, q = iv.matching_arrays("p", p, "q", q, min_ndim=1)
    iv.probability_rows("p", p)
    # q is not required to sum to 1: the gradient treats its entries as free variables, and a
    # gradient step (or a numerical derivative) leaves the simplex.
    iv.within("q", q, 0.0, np.inf, "probabilities")
    impossible = (p > 0) & (q == 0)
    if impossible.any():
        where = tuple(int(i) for i in np.argwhere(impossible)[0])
        raise ValueError(
            f"`q` must be > 0 wherever `p` > 0 (KL divergence is infinite otherwise); "
            f"q = 0 but p = {p[where]} at index {where}."
        )
    return p, q


def kl_divergence(p: npt.ArrayLike, q: npt.ArrayLike) -> float:
    r"""Kullback-Leibler divergence $\operatorname{KL}(p \,\|\, q)$, averaged over rows.

    $$
    \operatorname{KL}(p \,\|\, q) = \frac{1}{B} \sum_{b=1}^{B} \sum_{k} p_{bk} \log\frac{p_{bk}}{q_{bk}},
    \qquad 0 \log \frac{0}{q} = 0,
    $$

    with the distribution axis last and $B$ rows (a 1-D input is one row). Terms with
    $p_{bk} = 0$ contribute nothing, even where $q_{bk} = 0$; a $q_{bk} = 0$ where
    $p_{bk} > 0$ makes the divergence infinite and is rejected.

    Parameters
    ----------
    p : array_like, shape (..., K)
        The reference distribution(s): rows of probabilities summing to 1.
    q : array_like, same shape as ``p``
        The approximating distribution(s): entries $\ge 0$. Its rows are not required to sum to
        1, so that the gradient with respect to its entries is defined (a step along it leaves the
        simplex); for normalised ``q`` the result is the KL divergence, $\ge 0$.

    Returns
    -------
    float (>= 0 when ``q``'s rows sum to 1)

    Examples
    --------
    >>> print(f"{kl_divergence([0.5, 0.5, 0.0], [0.25, 0.25, 0.5]):.6f}")
    0.693147
    """
    p, q = _distributions(p, q)
    present = p > 0
    terms = np.zeros_like(p)
    terms[present] = p[present] * (np.log(p[present]) - np.log(q[present]))
    return float(terms.sum() / (p.size // p.shape[-1]))


def kl_divergence_grad(p: npt.ArrayLike, q: npt.ArrayLike) -> np.ndarray:
    r"""Gradient of :func:`kl_divergence` with respect to ``q``.

    $$
    \frac{\partial \operatorname{KL}}{\partial q_{bk}} = -\frac{p_{bk}}{B\,q_{bk}}
    \quad (0 \text{ where } p_{bk} = 0).
    $$

    This treats the entries of ``q`` as free variables. If ``q`` is a softmax of logits $z$, the
    chain rule through the softmax Jacobian gives $(q - p)/B$ instead, as for cross-entropy.

    Returns
    -------
    ndarray, same shape as ``q``

    Examples
    --------
    >>> print(kl_divergence_grad([0.5, 0.5, 0.0], [0.25, 0.25, 0.5]))
    [-2. -2.  0.]
    """
    p, q = _distributions(p, q)
    grad = np.zeros_like(q)
    present = p > 0
    grad[present] = -p[present] / q[present]
    return grad / (p.size // p.shape[-1])
