"""The engine: displaced points, chunks, output validation, context of f's exceptions, bounds guard."""

import numpy as np
import pytest
from support import P

from gradient_docs import _engine, examples, gradient, jacobian


def function(f, x, **options):
    defaults = {"vectorized": False, "scalar": True}
    return _engine.Function(f, np.asarray(x, dtype=float), **{**defaults, **options})


def test_moves_apply_every_move_and_report_the_distance_really_moved() -> None:
    fn = function(lambda p: float(p[0] * 10 + p[1]), [1.0, 2.0])
    moved = fn.moves(np.array([[0, 1], [1, 1]]), np.array([[0.5, 0.25], [0.0, 0.5]]))
    assert moved.values[:, 0].tolist() == [17.25, 12.5]  # 1.5 * 10 + 2.25, then 1 * 10 + 2.5 (0 moves nothing)
    assert moved.moved[0].tolist() == [0.5, 0.25] and fn.nfev == 2


def test_a_move_that_rounds_to_nothing_is_refused_by_the_name_of_the_step() -> None:
    fn = function(lambda p: 0.0, [1.0, 2.0], step_name="step_scale")
    with pytest.raises(ValueError, match=r"`step_scale` is too small: x\[1\] = 2.0 plus 1e-17 rounds back to 2.0"):
        fn.moves(np.array([[1]]), np.array([[1e-17]]))


def test_chunks_respect_the_limit_and_keep_the_order(monkeypatch) -> None:
    monkeypatch.setattr(_engine, "CHUNK_ELEMENTS", 8)
    shapes = []

    def f(points):
        shapes.append(points.shape)
        return points.sum(axis=-1)

    fn = function(f, np.zeros(4), vectorized=True)
    coordinates = np.arange(4).repeat(3)[:, None]
    deltas = np.tile([1.0, 2.0, 3.0], 4)[:, None]
    assert fn.moves(coordinates, deltas).values[:, 0].tolist() == deltas[:, 0].tolist()
    assert all(rows * 4 <= 8 for rows, _ in shapes) and sum(rows for rows, _ in shapes) == 12


def test_outputs_that_change_size_between_chunks_are_refused(monkeypatch) -> None:
    # The count of outputs is fixed by the first chunk; a later chunk with another count is an
    # error, not a silently reshaped Jacobian.
    monkeypatch.setattr(_engine, "CHUNK_ELEMENTS", 4)
    calls = []

    def f(points):
        calls.append(1)
        return np.ones((points.shape[0], 2 if len(calls) == 1 else 3))

    with pytest.raises(ValueError, match=r"`f` must return 2 values at every point; it returned 3"):
        jacobian(f, np.zeros(4), vectorized=True)


def test_sample_evaluates_f_at_x_once_for_every_stencil_that_needs_it() -> None:
    fn = function(examples.f, P)
    stencils = [
        _engine.Stencil(np.array([0]), (0, 1), np.array([0.5])),
        _engine.Stencil(np.array([1]), (-1, 0), np.array([0.5])),
    ]
    forward, backward = fn.sample(stencils)
    assert fn.nfev == 3
    assert forward.values[0, :, 0].tolist() == [5.0, examples.f([2.5, 1.0])]
    assert backward.values[0, :, 0].tolist() == [examples.f([2.0, 0.5]), 5.0]


def test_quotient_divides_by_the_distance_really_covered() -> None:
    x = np.array([1e8 + 1.0])  # x + h rounds: spacing of floats near 1e8 is 1.5e-8
    fn = function(lambda p: float(p[0]), x)
    (sampled,) = fn.sample([_engine.Stencil(np.array([0]), (-1, 1), np.array([1e-7]))])
    assert sampled.moved[0, 1] != 1e-7  # the nominal step was not the step taken
    assert sampled.quotient((-1, 1), np.array([-0.5, 0.5]))[0, 0] == 1.0


def test_points_outside_the_bounds_are_never_built() -> None:
    fn = function(lambda p: 0.0, [0.5], lower=np.array([0.0]), upper=np.array([1.0]))
    with pytest.raises(RuntimeError, match=r"internal error: a displaced point left the bounds"):
        fn.moves(np.array([[0]]), np.array([[0.75]]))
    assert fn.nfev == 0


def test_fit_uses_one_sided_stencils_of_the_same_order_near_a_bound_and_shrinks_if_needed() -> None:
    from gradient_docs._methods import TABLE

    fn = function(lambda p: 0.0, [0.0, 0.5, 1.0, 0.4], lower=np.zeros(4), upper=np.array([1.0, 1.0, 1.0, 0.4 + 1e-9]))
    plan = _engine.fit(TABLE["central"], fn, np.full(4, 1e-3))
    offsets = {
        int(k): (variant.offsets, float(h))
        for variant, stencil in plan
        for k, h in zip(stencil.coordinates, stencil.step)
    }
    assert offsets[1] == ((-1, 1), 1e-3)
    assert offsets[0] == ((0, 1, 2), 1e-3) and offsets[2] == ((-2, -1, 0), 1e-3)
    assert offsets[3][0] == (-2, -1, 0) and offsets[3][1] == 1e-3


def test_an_exception_inside_f_keeps_its_type_and_names_the_point() -> None:
    class Strict(Exception):
        def __init__(self, code, detail):  # cannot be rebuilt from one message
            super().__init__(code, detail)

    def f(p):
        raise Strict(3, "refused")

    with pytest.raises(Strict) as info:
        gradient(f, P)
    assert any("while evaluating `f` at x = [" in note for note in info.value.__notes__)
