"""What every cpc command shares: --config/--debug/--quiet, and the error boundary.

Commands are thin: parse options, load the configuration, call a stage, print.
A user's mistake surfaces as a :class:`click.ClickException` (message, exit code);
anything else is an internal error that prints one line and, with ``--debug``, the
traceback.
"""

from __future__ import annotations

import functools
import sys
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Session:
    """Options shared by every command, available as ``click.get_current_context().obj``."""

    config_path: Path | None = None
    debug: bool = False
    quiet: bool = False

    def load_config(self) -> Any:
        """The effective configuration: built-in defaults, then cpc.toml (or --config)."""
        from compiler.config import load_config

        return load_config(self.config_path)


def _set_session(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    session = ctx.ensure_object(Session)
    if value is None or value is False:
        return value
    if param.name == "config":
        session.config_path = Path(value)
    elif param.name == "debug":
        session.debug = True
    elif param.name == "quiet":
        session.quiet = True
    return value


def shared_options(func: F) -> F:
    """Add --config, --debug and --quiet to a command (they also work before it)."""
    options = [
        click.option("--config", type=click.Path(dir_okay=False, path_type=Path),
                     expose_value=False, callback=_set_session, is_eager=True,
                     help="Configuration file (default: ./cpc.toml when present)."),
        click.option("--debug", is_flag=True, expose_value=False, callback=_set_session,
                     is_eager=True, help="Show the traceback of an internal error."),
        click.option("--quiet", "-q", is_flag=True, expose_value=False, callback=_set_session,
                     is_eager=True, help="No progress output."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def session() -> Session:
    """The current command's shared options."""
    return click.get_current_context().ensure_object(Session)


def guarded(func: F) -> F:
    """Turn an unexpected exception into a one-line message (traceback with --debug)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # the boundary: anything here is cpc's bug, not the user's
            if session().debug:
                traceback.print_exc()
            else:
                click.echo(
                    f"internal error: {type(exc).__name__}: {exc} "
                    "(run again with --debug for the traceback)",
                    err=True,
                )
            sys.exit(70)

    return wrapper  # type: ignore[return-value]


def progress_enabled() -> bool:
    """Progress bars only on a terminal and never with --quiet (cli.md)."""
    return not session().quiet and sys.stderr.isatty()


#: Warnings of one code shown on the terminal before the rest are counted instead: an
#: export with thousands of stray files should not bury the errors. Errors always show.
WARNINGS_SHOWN_PER_CODE = 50


def diagnostic_lines(diagnostics: Iterable[Any]) -> Iterator[str]:
    """Each diagnostic as ``LEVEL CODE location: message``; beyond
    :data:`WARNINGS_SHOWN_PER_CODE` warnings of one code, one line saying how many more."""
    seen: Counter[str] = Counter()
    for diagnostic in diagnostics:
        if diagnostic.severity.value == "warning":
            seen[diagnostic.code] += 1
            if seen[diagnostic.code] > WARNINGS_SHOWN_PER_CODE:
                continue
        yield diagnostic.format()
    for code, count in sorted(seen.items()):
        if count > WARNINGS_SHOWN_PER_CODE:
            yield (f"warning {code}: {count - WARNINGS_SHOWN_PER_CODE:,} more not shown "
                   f"({count:,} in all; `cpc validate --format json` lists every one)")


def echo_report(report: Any) -> None:
    """Every diagnostic on stderr as ``LEVEL CODE location: message``, then the summary."""
    for line in diagnostic_lines(report):
        click.echo(line, err=True)
    click.echo(report.summary(), err=True)


def parse_date(value: str | None, option: str) -> Any:
    """A ``YYYY-MM-DD`` option value as a date (usage error naming the option otherwise)."""
    import datetime as dt

    from compiler.errors import UsageProblem

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageProblem(f"{option}: expected a date YYYY-MM-DD, got {value!r}") from None


class ProgressBars:
    """Click progress bars on stderr, one per stage, made when a stage first reports.

    ``bars.stage("rendering")`` gives a ``report(done, total)`` callable for that stage.
    Use as a context manager so every bar is closed.
    """

    def __init__(self) -> None:
        import contextlib

        self._stack = contextlib.ExitStack()
        self._bars: dict[str, tuple[Any, list[int]]] = {}

    def __enter__(self) -> ProgressBars:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def stage(self, label: str) -> Callable[[int, int], None]:
        """The progress callback of one stage."""

        def report(done: int, total: int) -> None:
            if label not in self._bars:
                bar = click.progressbar(length=max(total, 1), label=label, file=sys.stderr)
                self._bars[label] = (self._stack.enter_context(bar), [0])
            bar, seen = self._bars[label]
            bar.update(done - seen[0])
            seen[0] = done

        return report
