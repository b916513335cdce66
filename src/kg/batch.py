"""Kept for callers of `kg.batch.extract_file`: the build's workers live in kg.build.workers."""
from __future__ import annotations

from .build.workers import extract_file

__all__ = ["extract_file"]
