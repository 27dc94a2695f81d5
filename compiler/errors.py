"""User-facing errors: each carries its exit code, so users see a message, not a traceback.

Exit codes follow cli.md: 1 when the content or package failed, 2 for usage or
configuration errors.
"""

from __future__ import annotations

import click


class CpcError(click.ClickException):
    """The content or package failed (exit 1)."""

    exit_code = 1


class UsageProblem(click.ClickException):
    """Usage or configuration error (exit 2)."""

    exit_code = 2


class ConfigError(UsageProblem):
    """`cpc.toml` is invalid; the message names every bad option."""
