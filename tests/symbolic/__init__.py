"""SymPy checks of every boxed result, one module per chapter (see tests/test_symbolic.py)."""
