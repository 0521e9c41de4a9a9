"""Shared test setup: personas and helpers used across apps."""
