"""SymPy checks of the boxed results of the losses chapter."""

from __future__ import annotations

import sympy as sp

from symbolic.registry import box
