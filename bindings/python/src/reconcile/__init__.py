"""reconcile: declarative cloud infrastructure from TOML, embedded in Python.

A thin layer over the C ABI of libreconcile (reconcile/c_api.h) through
ctypes. See docs/embedding.md.
"""
from ._native import ReconcileError, library_path
from .stack import Plan, Run, Stack

__all__ = ["ReconcileError", "Plan", "Run", "Stack", "library_path"]
__version__ = "0.1.0"
