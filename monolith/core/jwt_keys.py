"""The key pair the monolith signs (private) and checks (public) its API tokens with.

RS256, as the services stack's gateway: the lesson is the same on both stacks, and a
token can be checked by anyone holding only the public key. Production passes the
private key in (``JWT_PRIVATE_KEY`` or the file ``JWT_PRIVATE_KEY_FILE`` names);
local runs and tests make a pair on first use in ``var/keys/monolith/``.
Settings call these at import, so only the standard library and ``cryptography``.
"""

import os
import shutil
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

PRIVATE_FILE = "jwt-private.pem"
RSA_KEY_BITS = 2048  # the least RS256 keys should have (NIST SP 800-131A)


def private_key_from_env() -> str | None:
    """The private key's PEM from ``$JWT_PRIVATE_KEY`` or ``$JWT_PRIVATE_KEY_FILE``."""
    if os.environ.get("JWT_PRIVATE_KEY"):
        return os.environ["JWT_PRIVATE_KEY"]
    if os.environ.get("JWT_PRIVATE_KEY_FILE"):
        return Path(os.environ["JWT_PRIVATE_KEY_FILE"]).read_text()
    return None


def local_private_key(directory: Path) -> str:
    """The private key in ``directory``, made on first use (never in production).

    Every process of a local run (gunicorn's workers, the Celery worker) must sign
    with one key. The first to start makes it in a folder of its own and renames the
    folder into place, which only one can do; the others read the winner's key.
    """
    path = directory / PRIVATE_FILE
    if not path.exists():
        directory.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=directory.parent, prefix=".making-"))
        # Readable by its owner only, like ssh-keygen's keys (and mkdtemp's folder).
        descriptor = os.open(staging / PRIVATE_FILE, os.O_WRONLY | os.O_CREAT, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(_new_private_pem())
        try:
            staging.rename(directory)
        except OSError:  # another process was first: its key counts
            shutil.rmtree(staging, ignore_errors=True)
    return path.read_text()


def public_key_of(private_pem: str) -> str:
    """The public half of a private key, as PEM: what checks a token's signature."""
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return public.decode()


def simple_jwt_keys(private_pem: str) -> dict[str, str]:
    """SimpleJWT's settings for one key: sign with it, check with its public half."""
    return {"SIGNING_KEY": private_pem, "VERIFYING_KEY": public_key_of(private_pem)}


def _new_private_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_KEY_BITS)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem.decode()


if __name__ == "__main__":
    # python -m monolith.core.jwt_keys DIR: a key for a deployment (compose's `keys`).
    import sys

    local_private_key(Path(sys.argv[1]))
