"""Ed25519 release signatures: key pairs, detached signatures over the archive bytes.

The signature is plain Ed25519 over the whole archive, 64 raw bytes, so it can be
checked without cpc: ``openssl pkeyutl -verify -pubin -inkey KEY.pub -rawin -in A.zip
-sigfile A.zip.sig``. The archive is memory-mapped rather than read into memory.
"""

from __future__ import annotations

import mmap
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from compiler.errors import UsageProblem

PRIVATE_KEY_NAME = "cpc-release.key"
PUBLIC_KEY_NAME = "cpc-release.pub"


@dataclass(frozen=True, slots=True)
class KeyPair:
    """Where a new key pair was written."""

    private_key: Path
    public_key: Path


def generate_key_pair(folder: Path) -> KeyPair:
    """Write a new Ed25519 key pair into ``folder`` (PEM; the private key mode 0600).

    Refuses (CpcError) when either file exists: a signing key is never overwritten.
    """
    folder.mkdir(parents=True, exist_ok=True)
    pair = KeyPair(folder / PRIVATE_KEY_NAME, folder / PUBLIC_KEY_NAME)
    existing = [str(p) for p in (pair.private_key, pair.public_key) if p.exists()]
    if existing:
        raise UsageProblem(f"refusing to overwrite existing key file(s): {', '.join(existing)}; "
                       "choose another folder or move them away first")
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    for path, content, mode in ((pair.private_key, private_pem, 0o600),
                                (pair.public_key, public_pem, 0o644)):
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(path, mode)  # the umask may have taken bits away from the public key
    return pair


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """The Ed25519 private key in a PEM file; UsageProblem (exit 2) when it is not one."""
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise UsageProblem(f"{path}: not a readable, unencrypted PEM private key ({exc})") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise UsageProblem(f"{path}: the key is not an Ed25519 key (make one with `cpc keygen`)")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """The Ed25519 public key in a PEM file; UsageProblem (exit 2) when it is not one."""
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except (OSError, ValueError, TypeError) as exc:
        raise UsageProblem(f"{path}: not a readable PEM public key ({exc})") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise UsageProblem(f"{path}: the key is not an Ed25519 key (make one with `cpc keygen`)")
    return key


def sign_file(path: Path, key: Ed25519PrivateKey) -> bytes:
    """The 64-byte detached Ed25519 signature over the bytes of ``path``."""
    with path.open("rb") as stream, mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as view:
        return key.sign(view)  # type: ignore[arg-type]  # mmap is a bytes-like buffer


def signature_valid(path: Path, signature: bytes, key: Ed25519PublicKey) -> bool:
    """True when ``signature`` is ``key``'s Ed25519 signature over the bytes of ``path``."""
    if len(signature) != 64:
        return False
    with path.open("rb") as stream, mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as view:
        try:
            key.verify(signature, view)  # type: ignore[arg-type]
        except InvalidSignature:
            return False
    return True
