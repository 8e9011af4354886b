r"""Reverse-mode automatic differentiation over numpy arrays, small enough to read in one sitting.

Calling `f` on a traced argument records a computational graph: every operation returns a
[Node][gradient_docs.autodiff.Node] that holds its value, the nodes it was computed from (its
parents) and, for each parent, its local backward rule, a vector-Jacobian product (VJP): given
the gradient $\bar y = \partial L / \partial y$ of the final scalar $L$ with respect to the
node's value $y$, it returns the part of $\partial L / \partial p$ that flows through $y$,

$$
\bar p \mathrel{+}= \bar y \, \frac{\partial y}{\partial p}
\qquad \text{(for example } y = e^p:\ \bar p \mathrel{+}= \bar y\, e^p \text{)}.
$$

The backward pass visits the nodes from $L$ back to the input, in reverse topological order,
so a node's gradient is complete before it is passed on, and applies that chain rule once per
edge. Its cost is a small multiple of one evaluation of $f$, whatever the number of inputs.

Design choices:

- **Dtype.** Every value is computed in float64. A float16 or float32 `x` is converted exactly
  (each of its numbers is a float64 number), so the gradient is the float64 gradient at the
  point given; it is returned as float64.
- **Broadcasting.** Operators broadcast as numpy does; the backward pass sums each gradient over
  the axes that broadcasting added or stretched ("unbroadcast"), so it has its parent's shape.
- **Reductions.** `sum`, `mean` and `logsumexp` reduce over `axis` (None: every axis; an int or
  a tuple of ints), dropping the reduced axes unless `keepdims=True`, as numpy does. Note that
  `logsumexp` reduces every axis by default, like `sum`, whereas
  [gradient_docs.logsumexp][gradient_docs.softmax.logsumexp] reduces the last axis.
- **Operators.** `+ - * / ** @`, unary minus, indexing `t[...]` (any numpy index; repeated
  entries accumulate), `t.T` and `t.reshape(...)`, with numbers or numpy arrays on either side.
  The exponent of `**` may be traced too (`2 ** t`, `t ** t`).
- **Refusals.** Anything else on a traced value raises TypeError instead of silently dropping
  the gradient: comparisons, `abs`, `float()`, `bool()` (`if t:`), `len` and iteration, and any
  numpy function (`np.exp(t)`, `np.sum(t)`, `np.maximum(t, 0)`), which would compute with the
  numbers alone. `X @ t` and `X + t` with a numpy `X` on the left do work.
- **Kinks.** `relu` has derivative 0 at 0, the usual choice.

References
----------
- A. Karpathy, [micrograd](https://github.com/karpathy/micrograd), `micrograd/engine.py`: the
  same structure on scalars.
- A. Griewank and A. Walther, *Evaluating Derivatives*, 2nd ed., SIAM (2008), chapter 3,
  "Fundamentals of Forward and Reverse".
"""

from __future__ import annotations

import operator
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from gradient_docs import _validation as iv

__all__ = ["Node", "exp", "grad", "log", "logsumexp", "mean", "relu", "sigmoid", "sum", "tanh", "value_and_grad"]

#: Python's operators on a traced value, as numpy ufuncs name them (`X @ t` reaches Node as `np.matmul`).
_OPERATORS = {
    np.add: operator.add,
    np.subtract: operator.sub,
    np.multiply: operator.mul,
    np.true_divide: operator.truediv,
    np.power: operator.pow,
    np.matmul: operator.matmul,
    np.negative: operator.neg,
}

#: What to write instead of a numpy function that numpy cannot trace.
_NUMPY_TWINS = {"exp": "exp", "log": "log", "tanh": "tanh", "maximum": "relu", "sum": "sum", "mean": "mean"}


def _refuse(message: str) -> Callable:
    """A method that raises TypeError with `message`: an operation a traced value does not support."""

    def method(self, *args, **kwargs):
        raise TypeError(message)

    return method


class Node:
    r"""A value in a traced computation: an array, the nodes it came from, and how to send gradients back.

    Users meet nodes as the argument of `f` in [value_and_grad][gradient_docs.autodiff.value_and_grad]
    and as the results of operations on it; they do not create them.

    Attributes
    ----------
    value : ndarray of float64
        The number(s) computed in the forward pass.
    edges : tuple of (Node, callable)
        One pair per parent that depends on the input: the parent and its vector-Jacobian
        product, a function taking the gradient with respect to `value` (shape `value.shape`)
        and returning the gradient with respect to the parent (before unbroadcasting).
    needs_grad : bool
        True for the input of `f` and every node computed from it; constants are False.
    grad : ndarray or None
        $\partial L / \partial \text{value}$, filled in by the backward pass.

    See Also
    --------
    - [Reverse-mode automatic differentiation][reverse-mode-automatic-differentiation]: draws the
      graph these nodes form and walks the backward pass through it.
    """

    def __init__(self, value: npt.ArrayLike, *edges: tuple[Node, Callable], needs_grad: bool = False):
        self.value = np.asarray(value, dtype=np.float64)
        self.edges = tuple((parent, vjp) for parent, vjp in edges if parent.needs_grad)  # constants get no gradient
        self.needs_grad = needs_grad or bool(self.edges)
        self.grad = None

    shape = property(lambda self: self.value.shape)
    ndim = property(lambda self: self.value.ndim)

    def __repr__(self) -> str:
        return f"Node({np.array2string(self.value, threshold=8)}, needs_grad={self.needs_grad})"

    # --- operators: the forward value, then one backward rule per parent ------------------------
    # In each rule `g` is the gradient with respect to the result; each rule returns g times the
    # derivative of the result with respect to that parent.

    def __add__(self, other):
        other = _lift(other)
        return Node(self.value + other.value, (self, lambda g: g), (other, lambda g: g))

    def __sub__(self, other):
        other = _lift(other)
        return Node(self.value - other.value, (self, lambda g: g), (other, lambda g: -g))

    def __mul__(self, other):
        other = _lift(other)
        return Node(self.value * other.value, (self, lambda g: g * other.value), (other, lambda g: g * self.value))

    def __truediv__(self, other):
        other = _lift(other)
        out = self.value / other.value
        return Node(out, (self, lambda g: g / other.value), (other, lambda g: -g * out / other.value))  # -a/b^2

    def __pow__(self, other):
        other = _lift(other)
        out = self.value**other.value
        return Node(
            out,
            (self, lambda g: g * other.value * self.value ** (other.value - 1)),  # d a^b / da = b a^(b-1)
            (other, lambda g: g * out * np.log(self.value)),  # d a^b / db = a^b log a (a traced exponent)
        )

    def __neg__(self):
        return Node(-self.value, (self, lambda g: -g))

    def __matmul__(self, other):
        other = _lift(other)
        a, b = self.value, other.value
        A = a if a.ndim > 1 else a[None, :]  # numpy reads a 1-D left operand as a row,
        B = b if b.ndim > 1 else b[:, None]  # and a 1-D right operand as a column

        def as_matrix(g):  # put back the axes numpy dropped from the product of 1-D operands
            g = g if b.ndim > 1 else g[..., None]
            return g if a.ndim > 1 else g[..., None, :]

        def vjp_a(g):  # dL/dA = G B^T
            grad = as_matrix(g) @ np.swapaxes(B, -1, -2)
            return grad if a.ndim > 1 else grad[..., 0, :]

        def vjp_b(g):  # dL/dB = A^T G
            grad = np.swapaxes(A, -1, -2) @ as_matrix(g)
            return grad if b.ndim > 1 else grad[..., 0]

        return Node(a @ b, (self, vjp_a), (other, vjp_b))

    # Constant on the left (`2.0 - t`): lift it to a node and use the rule above.
    def __radd__(self, other):
        return _lift(other) + self

    def __rsub__(self, other):
        return _lift(other) - self

    def __rmul__(self, other):
        return _lift(other) * self

    def __rtruediv__(self, other):
        return _lift(other) / self

    def __rpow__(self, other):
        return _lift(other) ** self

    def __rmatmul__(self, other):
        return _lift(other) @ self

    # --- picking and rearranging entries ----------------------------------------------------------

    def __getitem__(self, index):
        parts = index if isinstance(index, tuple) else (index,)
        basic = all(isinstance(i, (int, np.integer, slice)) or i is None or i is Ellipsis for i in parts)

        def vjp(g):  # the gradient goes back to the entries picked; the others get 0
            full = np.zeros_like(self.value)
            if basic:  # integers and slices pick each entry at most once
                full[index] = g
            else:  # an array index may pick an entry twice: add (np.add.at is slower), do not assign
                np.add.at(full, index, g)
            return full

        return Node(self.value[index], (self, vjp))

    @property
    def T(self) -> Node:
        """The transpose (axes reversed, as numpy's `.T`)."""
        return Node(self.value.T, (self, lambda g: g.T))

    def reshape(self, *shape) -> Node:
        """The same entries in a new shape (arguments as numpy's `reshape`)."""
        return Node(self.value.reshape(*shape), (self, lambda g: g.reshape(self.value.shape)))

    # --- numpy and Python must not compute with the numbers alone ----------------------------------

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        # numpy hands `X + t`, `X @ t` (numpy `X` on the left) to us; other ufuncs are refused.
        if ufunc in _OPERATORS and method == "__call__" and not kwargs:
            return _OPERATORS[ufunc](*(_lift(value) for value in inputs))
        raise TypeError(_numpy_refusal(ufunc.__name__))

    def __array_function__(self, func, types, args, kwargs):
        raise TypeError(_numpy_refusal(func.__name__))

    __array__ = _refuse(
        "a traced value cannot be converted to a numpy array (np.asarray, np.array): that would drop its gradient;"
        " use the functions of gradient_docs.autodiff inside `f`."
    )
    __lt__ = __le__ = __gt__ = __ge__ = __eq__ = __ne__ = _refuse(
        "a traced value cannot be compared (<, <=, >, >=, ==, !=): a comparison has no gradient; use relu or"
        " sigmoid, or compare plain numpy arrays outside `f`."
    )
    __hash__ = None  # unhashable, as numpy arrays are (== is refused)
    __bool__ = _refuse(
        "a traced value cannot be used as a truth value (if, while, and, or): the gradient would silently follow"
        " one branch; use relu or sigmoid, or decide outside `f`."
    )
    __float__ = __int__ = __complex__ = _refuse(
        "a traced value cannot be converted to a Python number (float(), int(), math functions): that would drop"
        " its gradient; return the traced scalar itself from `f`."
    )
    __abs__ = _refuse("abs() of a traced value is not supported: |t| has a kink at 0; write relu(t) + relu(-t).")
    __len__ = __iter__ = __contains__ = _refuse(
        "a traced value has no len() and cannot be iterated over (for, unpacking, in): index it instead (t[0],"
        " t[1]) and use t.shape."
    )


def _numpy_refusal(name: str) -> str:
    twin = _NUMPY_TWINS.get(name)
    instead = (
        f"gradient_docs.autodiff.{twin}"
        if twin
        else "the functions of gradient_docs.autodiff (exp, log, tanh, sigmoid, relu, sum, mean, logsumexp)"
        " and the operators + - * / ** @"
    )
    return (
        f"np.{name} was applied to a traced value: numpy would compute with its numbers alone and lose"
        f" the gradient. Inside `f`, use {instead}."
    )


def _lift(value) -> Node:
    """A node as is; a number or array as a constant node (no gradient flows into it)."""
    if isinstance(value, Node):
        return value
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"a traced value can only be combined with real numbers or arrays; got {iv.describe(value)}.")
    return Node(array)


# --- elementwise functions ------------------------------------------------------------------------


def exp(t) -> Node:
    r"""$e^t$, elementwise. Backward: $\bar t = \bar y\, e^t$, the forward value again.

    Parameters
    ----------
    t : Node or array_like
        The exponent: a traced value, or a constant number or array.

    Returns
    -------
    Node
        $e^t$, shaped like `t`.

    Examples
    --------
    >>> import numpy as np
    >>> from gradient_docs import autodiff as ad
    >>> print(ad.grad(lambda t: ad.sum(ad.exp(t)), np.array([0.0, 1.0])))
    [1.         2.71828183]
    """
    t = _lift(t)
    out = np.exp(t.value)
    return Node(out, (t, lambda g: g * out))


def log(t) -> Node:
    r"""$\log t$ (natural), elementwise, for $t > 0$. Backward: $\bar t = \bar y / t$.

    Parameters
    ----------
    t : Node or array_like
        The argument, every entry > 0: a traced value, or a constant number or array.

    Returns
    -------
    Node
        $\log t$, shaped like `t`.

    Examples
    --------
    >>> import numpy as np
    >>> from gradient_docs import autodiff as ad
    >>> print(ad.grad(lambda t: ad.sum(ad.log(t)), np.array([1.0, 2.0, 4.0])))
    [1.   0.5  0.25]
    """
    t = _lift(t)
    return Node(np.log(t.value), (t, lambda g: g / t.value))


def tanh(t) -> Node:
    r"""$\tanh t$, elementwise. Backward: $\bar t = \bar y / \cosh^2 t$.

    The derivative is computed as $1 / \cosh^2 t$, not as $1 - \tanh^2 t$, which cancels to 0
    once $\tanh t$ rounds to 1 ($|t| > 19$) and loses digits well before.

    Parameters
    ----------
    t : Node or array_like
        The argument: a traced value, or a constant number or array.

    Returns
    -------
    Node
        $\tanh t$, shaped like `t`.

    Examples
    --------
    >>> import numpy as np
    >>> from gradient_docs import autodiff as ad
    >>> print(ad.grad(lambda t: ad.sum(ad.tanh(t)), np.array([0.0, 1.0, 30.0])))
    [1.00000000e+00 4.19974342e-01 3.50260431e-26]
    """
    t = _lift(t)
    return Node(np.tanh(t.value), (t, lambda g: g / np.cosh(t.value) ** 2))


def sigmoid(t) -> Node:
    r"""$\sigma(t) = 1 / (1 + e^{-t})$, elementwise. Backward: $\bar t = \bar y\,\sigma(t)\,\sigma(-t)$.

    $\sigma(t) = e^{-\log(1 + e^{-t})}$ is computed with `np.logaddexp`, which overflows for no
    $t$, and the derivative $\sigma(t)(1 - \sigma(t))$ with $1 - \sigma(t) = \sigma(-t)$ computed
    directly: $1 - \sigma(t)$ cancels to 0 once $\sigma(t)$ rounds to 1 ($t > 37$).

    Parameters
    ----------
    t : Node or array_like
        The logits: a traced value, or a constant number or array.

    Returns
    -------
    Node
        $\sigma(t)$, shaped like `t`, with values in $[0, 1]$.

    Examples
    --------
    >>> import numpy as np
    >>> from gradient_docs import autodiff as ad
    >>> print(ad.grad(lambda t: ad.sum(ad.sigmoid(t)), np.array([0.0, 40.0])))
    [2.50000000e-01 4.24835426e-18]
    """
    t = _lift(t)
    out = np.exp(-np.logaddexp(0.0, -t.value))
    return Node(out, (t, lambda g: g * out * np.exp(-np.logaddexp(0.0, t.value))))


def relu(t) -> Node:
    r"""$\max(t, 0)$, elementwise. Backward: $\bar t = \bar y$ where $t > 0$, else 0.

    At the kink $t = 0$ the derivative is taken as 0 (any value in $[0, 1]$ is a subgradient).

    Parameters
    ----------
    t : Node or array_like
        The pre-activations: a traced value, or a constant number or array.

    Returns
    -------
    Node
        $\max(t, 0)$, shaped like `t`.

    Examples
    --------
    >>> import numpy as np
    >>> from gradient_docs import autodiff as ad
    >>> print(ad.grad(lambda t: ad.sum(ad.relu(t)), np.array([-1.0, 0.0, 2.0])))
    [0. 0. 1.]
    """
    t = _lift(t)
    return Node(np.maximum(t.value, 0.0), (t, lambda g: g * (t.value > 0)))


# --- reductions -------------------------------------------------------------------------------------


def _reduced_axes(axis, ndim: int) -> tuple[int, ...]:
    """`axis` (None, an int or a tuple of ints) as a tuple of non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    return tuple(iv.axis_index("axis", a, ndim) for a in (axis if isinstance(axis, tuple) else (axis,)))


def _reduced(t: Node, kept: np.ndarray, axes: tuple[int, ...], keepdims: bool, vjp: Callable) -> Node:
    """The node of a reduction of `t`, from its value `kept` computed with the reduced axes kept (size 1).

    The reduced axes are dropped unless `keepdims`. `vjp` receives the upstream gradient with
    them put back as size 1, so that it broadcasts against `t`.
    """
    value = kept if keepdims else np.squeeze(kept, axis=axes)
    return Node(value, (t, lambda g: vjp(np.reshape(g, kept.shape))))


def sum(t, axis=None, *, keepdims: bool = False) -> Node:  # shadows the builtin inside this module, as numpy's does
    r"""$\sum_i t_i$ over `axis`. Backward: every entry summed gets the upstream gradient, $\bar t_i = \bar y$.

    Parameters
    ----------
    t : Node or array_like
        The entries to add up: a traced value, or a constant number or array.
    axis : None, int or tuple of ints
        The axes to sum over; None (the default) sums every entry.
    keepdims : bool
        Whether to keep the reduced axes, with size 1, as numpy's `keepdims` does.

    Returns
    -------
    Node
        The sums: the shape of `t` without the reduced axes, or with them as size 1 if
        `keepdims` is true.

    Examples
    --------
    >>> import numpy as np
    >>> from gradient_docs import autodiff as ad
    >>> weights = np.array([1.0, 10.0])
    >>> print(ad.grad(lambda t: ad.sum(ad.sum(t, axis=0) * weights), np.ones((3, 2))))
    [[ 1. 10.]
     [ 1. 10.]
     [ 1. 10.]]
    """
    t = _lift(t)
    axes = _reduced_axes(axis, t.ndim)
    return _reduced(t, t.value.sum(axis=axes, keepdims=True), axes, keepdims, lambda g: np.broadcast_to(g, t.shape))


def mean(t, axis=None, *, keepdims: bool = False) -> Node:
    r"""The mean $\frac{1}{m}\sum_i t_i$ of the $m$ entries over `axis`: a [sum][gradient_docs.autodiff.sum] divided by $m$.

    Backward: $\bar t_i = \bar y / m$. Arguments and shapes as for `sum`.

    Examples
    --------
    >>> import numpy as np
    >>> from gradient_docs import autodiff as ad
    >>> print(ad.grad(lambda t: ad.mean(t), np.ones(4)))
    [0.25 0.25 0.25 0.25]
    """
    t = _lift(t)
    total = sum(t, axis, keepdims=keepdims)
    return total * (total.value.size / t.value.size)  # divided by the number of entries in each sum


def logsumexp(t, axis=None, *, keepdims: bool = False) -> Node:
    r"""$\log \sum_i e^{t_i}$ over `axis`, computed as $m + \log \sum_i e^{t_i - m}$ with $m = \max_i t_i$.

    After the shift every exponent is at most 0, so nothing overflows. The backward rule is the
    softmax, which the forward pass has already computed:

    $$
    \bar t_i = \bar y\, \frac{e^{t_i - m}}{\sum_j e^{t_j - m}} = \bar y\, \operatorname{softmax}(t)_i.
    $$

    Arguments and shapes as for [sum][gradient_docs.autodiff.sum]. Unlike
    [gradient_docs.logsumexp][gradient_docs.softmax.logsumexp] (last axis), the default reduces
    every axis.

    Examples
    --------
    Mean cross-entropy with integer labels, whose gradient with respect to the logits is
    $(\operatorname{softmax}(Z) - Y) / B$:

    >>> import numpy as np
    >>> from gradient_docs import autodiff as ad, softmax
    >>> Z, labels = np.array([[1000.0, 1001.0, 1002.0], [0.0, 0.0, 0.0]]), np.array([2, 0])
    >>> def loss(z):
    ...     return ad.mean(ad.logsumexp(z, axis=1) - z[np.arange(2), labels])
    >>> value, dZ = ad.value_and_grad(loss, Z)
    >>> print(f"{value:.6f}")
    0.753109
    >>> print(np.allclose(dZ, (softmax(Z) - np.eye(3)[labels]) / 2, rtol=1e-15, atol=0))
    True
    """
    t = _lift(t)
    axes = _reduced_axes(axis, t.ndim)
    peak = t.value.max(axis=axes, keepdims=True)
    shifted = np.exp(t.value - peak)  # every exponent <= 0: no overflow
    total = shifted.sum(axis=axes, keepdims=True)
    return _reduced(t, peak + np.log(total), axes, keepdims, lambda g: g * (shifted / total))


# --- the backward pass --------------------------------------------------------------------------------


def _topological_order(out: Node) -> list[Node]:
    """Every node that `out` depends on (through edges that carry a gradient), each after its parents.

    A depth-first search that appends a node once all its parents are appended (post-order). It
    keeps its own stack rather than recursing, so a long chain of operations cannot reach
    Python's recursion limit.
    """
    order, seen, stack = [], set(), [(out, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))  # popped again once every parent below it is done
            stack.extend((parent, False) for parent, _ in node.edges)
    return order


def _unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum `grad` over the axes that broadcasting prepended or stretched from size 1, back to `shape`.

    A value used in $k$ places by broadcasting receives the sum of the $k$ gradients, as a node
    used twice does.
    """
    if grad.shape == shape:
        return grad
    grad = grad.sum(axis=tuple(range(grad.ndim - len(shape))))  # axes numpy prepended
    return grad.sum(axis=tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1), keepdims=True)


def _backward(out: Node) -> None:
    r"""Set `grad` $= \partial\, \text{out} / \partial\, \text{node}$ on every node `out` depends on."""
    out.grad = np.ones_like(out.value)  # d out / d out = 1
    # Reverse topological order: every node that uses `node` comes before it, so node.grad is
    # complete (all its uses added up) when it is passed on to the parents.
    for node in reversed(_topological_order(out)):
        for parent, vjp in node.edges:
            # The chain rule, once per edge: dL/dparent += dL/dnode * dnode/dparent, as the
            # vector-Jacobian product of this operation, then summed over the broadcast axes.
            contribution = _unbroadcast(vjp(node.grad), parent.shape)
            # A parent used several times sums the contributions of its uses. Not `+=` in place:
            # a rule may return the very array it was given (the rule of + returns g).
            parent.grad = contribution if parent.grad is None else parent.grad + contribution


def value_and_grad(f: Callable[[Node], Node], x: npt.ArrayLike) -> tuple[float, np.ndarray]:
    r"""The value $f(x)$ and the gradient $\nabla f(x)$, by one forward and one backward pass.

    $$
    \begin{aligned}
    \nabla f(x)_k &= \frac{\partial f}{\partial x_k} = \bar x_k, \\
    \bar v &= \sum_{\text{uses } u \text{ of } v} \bar u\, \frac{\partial u}{\partial v},
    \end{aligned}
    $$

    where the adjoint $\bar v$ of every intermediate $v$ is accumulated from $\bar f = 1$ back to
    $\bar x$.

    The cost is a small multiple of one evaluation of `f`, for any number of entries of `x`;
    central differences need $2n$ evaluations.

    Parameters
    ----------
    f : callable
        `f(t) -> Node`: takes the traced argument, shaped like `x`, and returns a scalar computed
        from it with the operators `+ - * / ** @`, indexing, `.T`, `.reshape` and the functions
        of this module. Constants (numbers, numpy arrays) may stand on either side of an operator.
    x : array_like, any shape
        The point: finite real numbers. Integers, float16 and float32 are converted to float64.

    Returns
    -------
    value : float
        $f(x)$, from the forward pass.
    gradient : ndarray
        $\nabla f(x)$ from the backward pass, shaped like `x`, in float64.

    Raises
    ------
    TypeError
        `f` not callable; `x` not real numbers; `f` returning something that does not depend on
        its argument; an unsupported operation on a traced value inside `f` (a numpy function,
        a comparison, `abs`, `float()`, `if`, `len`, iteration).
    ValueError
        `x` empty or not finite; `f` returning a non-scalar or a non-finite value; a gradient that
        is not finite (`f` is not differentiable at `x`).

    See Also
    --------
    - [Reverse-mode automatic differentiation][reverse-mode-automatic-differentiation]: derives the
      backward pass, checks this function against finite differences and hand-written gradients,
      and counts what it costs.

    Examples
    --------
    The mean squared error of a linear model, $L(w) = \frac{1}{B}\|Xw - y\|^2$, whose gradient is
    $\frac{2}{B} X^\top (Xw - y)$:

    >>> import numpy as np
    >>> from gradient_docs import autodiff as ad
    >>> X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    >>> y = np.array([1.0, 2.0, 2.0])
    >>> w = np.array([0.5, -0.25])
    >>> loss, g = ad.value_and_grad(lambda w: ad.mean((X @ w - y) ** 2), w)
    >>> print(f"{loss:.6f}", g)
    1.416667 [-7.         -9.33333333]
    >>> print(np.allclose(g, 2 / 3 * X.T @ (X @ w - y), rtol=1e-15, atol=0))
    True
    """
    f = iv.callable_arg("f", f)
    x = iv.as_real_array("x", x)
    leaf = Node(np.array(x, dtype=np.float64), needs_grad=True)  # a copy: f cannot change the caller's x
    with np.errstate(all="ignore"):  # a non-finite value or gradient is reported below, by name
        out = f(leaf)
        _check_output(out, x)
        _backward(out)
    gradient = np.array(leaf.grad, dtype=np.float64)  # an array of its own (not a broadcast view)
    bad = ~np.isfinite(gradient)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"the gradient of `f` is not finite at {iv.point(x)}: entry {where} is {gradient[where]}; f is not"
            " differentiable there (a log or a division at 0, a power of 0 or of a negative number?)."
        )
    return float(out.value), gradient


def grad(f: Callable[[Node], Node], x: npt.ArrayLike) -> np.ndarray:
    r"""The gradient $\nabla f(x)$ alone: `value_and_grad(f, x)[1]`.

    Arguments, shapes and errors as for [value_and_grad][gradient_docs.autodiff.value_and_grad].

    See Also
    --------
    - [Reverse-mode automatic differentiation][reverse-mode-automatic-differentiation]: explains
      why one backward pass gives the whole gradient, whatever the number of inputs.

    Examples
    --------
    >>> import numpy as np
    >>> from gradient_docs import autodiff as ad
    >>> print(ad.grad(lambda t: ad.sum(t**3), np.array([1.0, 2.0])))
    [ 3. 12.]
    """
    return value_and_grad(f, x)[1]


def _check_output(out, x: np.ndarray) -> None:
    """Raise unless `f` returned a finite scalar node that depends on its argument."""
    if not isinstance(out, Node) or not out.needs_grad:
        raise TypeError(
            f"`f` must return a value computed from its argument; it returned {iv.describe(out)}, which does not"
            " depend on it (numpy functions, float() and `.value` drop the trace)."
        )
    if out.ndim != 0:
        raise ValueError(
            f"`f` must return a scalar; it returned an array of shape {out.shape} at {iv.point(x)}"
            " (reduce it with autodiff.sum or autodiff.mean)."
        )
    if not np.isfinite(out.value):
        raise ValueError(f"`f` returned a non-finite value ({float(out.value)}) at {iv.point(x)}.")
