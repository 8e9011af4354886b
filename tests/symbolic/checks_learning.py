"""SymPy checks of the boxed results of the learning chapter."""

from __future__ import annotations

import sympy as sp

from symbolic.registry import box
