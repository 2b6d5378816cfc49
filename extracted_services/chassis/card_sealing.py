"""Card numbers sealed for payments: orders can lock them, only payments can open them.

The construction is RSA-OAEP, the simplest correct public-key encryption for a
secret this small, straight from ``cryptography``:

- payments holds an RSA key pair (3,072 bits); orders holds only its public key;
- orders encrypts the card number's ASCII digits with OAEP padding (SHA-256 for the
  hash and for MGF1) and the fixed label ``LABEL``; OAEP is randomised, so the same
  number sealed twice gives two different blobs, and nothing about the number can be
  learned from the blob without the private key;
- the blob travels as unpadded base64url text (512 characters for a 3,072-bit key),
  in the ``card_sealed`` field of ``payments.charge`` (docs/api/asyncapi.yaml).

A card number is at most 19 bytes, far below what one OAEP block holds (318 bytes
here), so no hybrid scheme (a symmetric key sealed with RSA) is needed. The label
ties a blob to its purpose: payments refuses a blob sealed for anything else.

Keys come from the environment as PEM text (``NAME``) or a PEM file (``NAME_FILE``):
``PAYMENTS_CARD_PUBLIC_KEY`` for orders, ``PAYMENTS_CARD_PRIVATE_KEY`` for payments.
"""

import base64
import binascii
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

KEY_BITS = 3072
MIN_KEY_BITS = 2048
LABEL = b"shop/payments.charge/card_number/v1"
PRIVATE_KEY_FILE = "payments-card.private.pem"
PUBLIC_KEY_FILE = "payments-card.public.pem"

# Never the blob, never the number: an error message can end up in a log.
CARD_UNSEALABLE = "The sealed card number cannot be opened with this key."
NOT_AN_RSA_KEY = "{name} is not an RSA key of {bits} bits or more."
KEY_MISSING = (
    "Set {name} (PEM text) or {name}_FILE (a PEM file's path); `make run` makes a "
    "development pair in var/keys/."
)


class CardUnsealable(ValueError):
    """The blob was sealed with another key or label, or it was damaged."""

    def __init__(self) -> None:
        super().__init__(CARD_UNSEALABLE)


@dataclass(frozen=True)
class KeyPair:
    private_pem: str
    public_pem: str


def card_seal(number: str, *, public_key_pem: str) -> str:
    """Seal ``number`` (digits only) for the holder of the private key."""
    key = public_key_load(public_key_pem)
    blob = key.encrypt(number.encode("ascii"), _oaep())
    return base64.urlsafe_b64encode(blob).rstrip(b"=").decode("ascii")


def card_unseal(sealed: str, *, private_key_pem: str) -> str:
    """Open a blob made by ``card_seal``; raise CardUnsealable if it cannot be."""
    key = private_key_load(private_key_pem)
    try:
        blob = base64.urlsafe_b64decode(sealed + "=" * (-len(sealed) % 4))
        return key.decrypt(blob, _oaep()).decode("ascii")
    # from None: the cause says nothing useful, and no part of the blob is kept.
    except (ValueError, binascii.Error):
        raise CardUnsealable from None


def key_pair_generate(*, bits: int = KEY_BITS) -> KeyPair:
    """A fresh key pair, as PEM text (the private key unencrypted: a file's mode,
    or the secret store that holds it, protects it). Tests' throwaway keys may be
    smaller (``MIN_KEY_BITS``), as they are quicker to make."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return KeyPair(private_pem.decode("ascii"), public_pem.decode("ascii"))


def key_pair_ensure(directory: Path) -> tuple[Path, Path]:
    """Make a development key pair in ``directory`` unless one is there already.

    Returns the private and public key files. The private key file is readable by
    its owner only.
    """
    private_file = directory / PRIVATE_KEY_FILE
    public_file = directory / PUBLIC_KEY_FILE
    if not (private_file.exists() and public_file.exists()):
        directory.mkdir(parents=True, exist_ok=True)
        pair = key_pair_generate()
        private_file.touch(mode=0o600)
        private_file.write_text(pair.private_pem)
        public_file.write_text(pair.public_pem)
    return private_file, public_file


def pem_from_environment(name: str, *, default_file: Path | None = None) -> str:
    """The PEM text in ``NAME``, else in the file ``NAME_FILE`` (or ``default_file``)
    names, else "" (production settings refuse to start with that)."""
    if text := os.environ.get(name, ""):
        return text
    path = os.environ.get(f"{name}_FILE", "") or default_file
    if path and Path(path).exists():
        return Path(path).read_text()
    return ""


def _oaep() -> padding.OAEP:
    return padding.OAEP(
        mgf=padding.MGF1(algorithm=hashes.SHA256()),
        algorithm=hashes.SHA256(),
        label=LABEL,
    )


@cache
def public_key_load(pem: str) -> rsa.RSAPublicKey:
    """Payments' public key from PEM text; ValueError if it is missing or weak."""
    if not pem:
        raise ValueError(KEY_MISSING.format(name="PAYMENTS_CARD_PUBLIC_KEY"))
    key = serialization.load_pem_public_key(pem.encode("ascii"))
    if not isinstance(key, rsa.RSAPublicKey) or key.key_size < MIN_KEY_BITS:
        raise ValueError(
            NOT_AN_RSA_KEY.format(name="PAYMENTS_CARD_PUBLIC_KEY", bits=MIN_KEY_BITS)
        )
    return key


@cache
def private_key_load(pem: str) -> rsa.RSAPrivateKey:
    """Payments' private key from PEM text; ValueError if it is missing or weak."""
    if not pem:
        raise ValueError(KEY_MISSING.format(name="PAYMENTS_CARD_PRIVATE_KEY"))
    key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    if not isinstance(key, rsa.RSAPrivateKey) or key.key_size < MIN_KEY_BITS:
        raise ValueError(
            NOT_AN_RSA_KEY.format(name="PAYMENTS_CARD_PRIVATE_KEY", bits=MIN_KEY_BITS)
        )
    return key


if __name__ == "__main__":  # compose's keys job: python -m ...card_sealing DIRECTORY
    import sys

    key_pair_ensure(Path(sys.argv[1]))
