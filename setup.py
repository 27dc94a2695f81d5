"""Packaging glue that pyproject.toml cannot express: the top-level data folders.

The owner wants `schemas/`, `templates/` and `fixtures/` at the top of the project;
they are shipped inside the wheel as `compiler._schemas`, `compiler._templates` and
`compiler._fixtures`, so an installed `cpc` finds them as it does in a checkout.
"""

from setuptools import find_packages, setup

DATA_FOLDERS = {"compiler._schemas": "schemas", "compiler._templates": "templates",
                "compiler._fixtures": "fixtures"}

setup(
    packages=find_packages(include=["compiler", "compiler.*"]) + list(DATA_FOLDERS),
    package_dir={"compiler": "compiler", **DATA_FOLDERS},
    package_data={"compiler": ["**/*.toml", "**/*.icc", "**/*.json", "**/*.md"],
                  **{name: ["**/*"] for name in DATA_FOLDERS}},
)
