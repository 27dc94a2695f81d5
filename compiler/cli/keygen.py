"""`cpc keygen DIR`: an Ed25519 key pair for signing releases."""

from __future__ import annotations

from pathlib import Path

import click

from compiler.cli.common import guarded, shared_options
from compiler.package.signing import generate_key_pair


@click.command(name="keygen")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@shared_options
@guarded
def command(directory: Path) -> None:
    """Write DIR/cpc-release.key (private, mode 0600) and DIR/cpc-release.pub (PEM).

    Existing keys are never overwritten. Sign with `cpc build --sign-key
    DIR/cpc-release.key`; check with `cpc verify --public-key DIR/cpc-release.pub`.
    """
    pair = generate_key_pair(directory)
    click.echo(f"private key: {pair.private_key} (keep it secret; mode 0600)")
    click.echo(f"public key:  {pair.public_key}")
