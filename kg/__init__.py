"""Nanmatou knowledge graph and glossary service."""

from __future__ import annotations

__version__ = "0.1.0"
