"""Zaireen: safe, accessible and accountable ziyarat travel from Pakistan to Iraq."""

__version__ = "0.1.0"
