"""Where cpc finds what ships with it: schemas, templates, the sample export.

In a checkout they are the top-level folders; in an installed wheel they are the
packages ``compiler._schemas``, ``compiler._templates`` and ``compiler._fixtures``
(see setup.py). Both are plain folders on disk.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent


@cache
def _folder(checkout_name: str, package: str) -> Path:
    candidate = _CHECKOUT / checkout_name
    if candidate.is_dir():
        return candidate
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"cpc is installed without its {checkout_name}/ folder")
    return Path(next(iter(spec.submodule_search_locations)))


def schemas_dir() -> Path:
    """The folder of JSON Schemas and XSDs."""
    return _folder("schemas", "compiler._schemas")


def schema_path(name: str) -> Path:
    """One schema file by name, e.g. ``exm.xsd``."""
    return schemas_dir() / name


def templates_dir() -> Path:
    """The folder of Jinja2 templates."""
    return _folder("templates", "compiler._templates")


def fixtures_dir() -> Path:
    """The folder of sample exports and Exstream data shipped with cpc."""
    return _folder("fixtures", "compiler._fixtures")


SAMPLE_NAME = "nordlicht"


def sample_export() -> Path:
    """The sample export that `cpc build` builds when given no SOURCE."""
    return fixtures_dir() / "exports" / SAMPLE_NAME


def sample_exstream_data() -> Path:
    """The Exstream data folder that goes with the sample export."""
    return fixtures_dir() / "exstream" / SAMPLE_NAME
