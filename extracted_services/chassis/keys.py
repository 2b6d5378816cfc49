"""Where the stack's keys live, how they are made and read: one folder, ``KEYS_DIR``.

Only the standard library and ``cryptography``, so that dev.py and the test harness
use it without Django. Every key is a PEM file in one layout::

    KEYS_DIR/
      jwt-private.pem            RS256: the gateway signs users' tokens (gateway only)
      jwt-public.pem             every service checks users' tokens with it
      services/<name>.pem        Ed25519: service <name> signs its X-Service-Token
      services/<name>.pub.pem    the services it calls check that token with it

``make run`` fills ``var/keys/`` once per checkout; production refuses that folder.
For a deployment: ``python -m extracted_services.chassis.keys /path/to/keys``, then
give each process only the files it needs (docs/security.md lists them).
"""

import argparse
import os
import re
from collections.abc import Iterable
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

JWT_PRIVATE = "jwt-private.pem"
JWT_PUBLIC = "jwt-public.pem"
SERVICES_DIR = "services"
RSA_KEY_BITS = 2048  # the least RS256 keys should have (NIST SP 800-131A)
# Every process that may call another service; each signs its calls with its own key.
SERVICE_NAMES = (
    "gateway",
    "catalog",
    "orders",
    "payments",
    "storefront",
    "recommendations",
    "reports",
)
# A caller's name becomes part of a file name: nothing like "../jwt-private" passes.
SERVICE_NAME = re.compile(r"[a-z][a-z0-9-]{0,49}")
NOT_A_SERVICE = "Not a service name: {name!r}"
NOT_RSA_PUBLIC = "JWT public key: expected an RSA public key in PEM, {bits}+ bits."
NOT_A_PAIR = "JWT private key: expected the RSA private key of the JWT public key."


def service_private_key_file(directory: Path, name: str) -> Path:
    return directory / SERVICES_DIR / f"{_checked(name)}.pem"


def service_public_key_file(directory: Path, name: str) -> Path:
    return directory / SERVICES_DIR / f"{_checked(name)}.pub.pem"


def _checked(name: str) -> str:
    if not SERVICE_NAME.fullmatch(name):
        raise ValueError(NOT_A_SERVICE.format(name=name))
    return name


def ensure_keys(directory: Path, services: Iterable[str] = SERVICE_NAMES) -> Path:
    """Make every key of the folder that is missing; keep those that exist."""
    if not (directory / JWT_PRIVATE).exists():
        jwt_key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_KEY_BITS)
        _write_pair(jwt_key, directory / JWT_PRIVATE, directory / JWT_PUBLIC)
    for name in services:
        private_file = service_private_key_file(directory, name)
        if not private_file.exists():
            service_key = ed25519.Ed25519PrivateKey.generate()
            _write_pair(
                service_key, private_file, service_public_key_file(directory, name)
            )
    return directory


def _write_pair(
    key: rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey, private: Path, public: Path
) -> None:
    private.parent.mkdir(parents=True, exist_ok=True)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    # Private keys readable by their owner only, like ssh-keygen's.
    descriptor = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(private_pem)
    public.write_bytes(public_pem)


def read_pem(path: Path) -> str | None:
    """The file's PEM text, or None when there is no such file."""
    try:
        return path.read_text()
    except FileNotFoundError:
        return None


def key_from_env(name: str, default_file: Path) -> str | None:
    """A PEM from ``$NAME`` (the key itself), ``$NAME_FILE`` (a path), or the folder.

    The first two suit containers (a secret as a variable or a mounted file).
    """
    if os.environ.get(name):
        return os.environ[name]
    return read_pem(Path(os.environ.get(f"{name}_FILE") or default_file))


def public_key_problem(pem: str | None) -> str | None:
    """What is wrong with the JWT public key, or None when it will do."""
    try:
        key = serialization.load_pem_public_key((pem or "").encode())
    except ValueError:
        return NOT_RSA_PUBLIC.format(bits=RSA_KEY_BITS)
    if not isinstance(key, rsa.RSAPublicKey) or key.key_size < RSA_KEY_BITS:
        return NOT_RSA_PUBLIC.format(bits=RSA_KEY_BITS)
    return None


def pair_problem(private_pem: str | None, public_pem: str | None) -> str | None:
    """What is wrong with the gateway's signing key, or None when it matches."""
    try:
        key = serialization.load_pem_private_key((private_pem or "").encode(), None)
    except (ValueError, TypeError):
        return NOT_A_PAIR
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return None if public.decode().strip() == (public_pem or "").strip() else NOT_A_PAIR


def main() -> None:
    parser = argparse.ArgumentParser(description="Make a folder of the stack's keys.")
    parser.add_argument("directory", type=Path, help="e.g. var/compose-keys")
    directory = ensure_keys(parser.parse_args().directory)
    print(f"keys in {directory}")  # noqa: T201 (a command-line tool's answer)


if __name__ == "__main__":
    main()
