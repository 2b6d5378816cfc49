"""Card numbers sealed for payments: the public key locks, the private key opens."""

import os

import pytest

from extracted_services.chassis.card_sealing import (
    MIN_KEY_BITS,
    PRIVATE_KEY_FILE,
    PUBLIC_KEY_FILE,
    CardUnsealable,
    card_seal,
    card_unseal,
    key_pair_ensure,
    key_pair_generate,
    pem_from_environment,
)

NUMBER = "4242424242424242"


@pytest.fixture(scope="module")
def keys():
    return key_pair_generate(bits=MIN_KEY_BITS)


def test_a_sealed_number_opens_with_the_private_key(keys):
    """Round trip: what orders seals, payments reads back digit for digit."""
    sealed = card_seal(NUMBER, public_key_pem=keys.public_pem)

    assert card_unseal(sealed, private_key_pem=keys.private_pem) == NUMBER


def test_the_blob_shows_nothing_of_the_number_and_differs_each_time(keys):
    """OAEP is randomised: two seals of one number share nothing a reader can use."""
    first, second = (card_seal(NUMBER, public_key_pem=keys.public_pem) for _ in "ab")

    assert first != second
    for sealed in (first, second):
        assert NUMBER not in sealed
        assert NUMBER[-4:] not in sealed
        assert len(sealed) == 342  # base64url, unpadded, of a 2,048-bit block


def test_another_key_cannot_open_it(keys):
    """A blob sealed for one payments key is refused by any other, without detail."""
    sealed = card_seal(NUMBER, public_key_pem=keys.public_pem)
    stranger = key_pair_generate(bits=MIN_KEY_BITS)

    with pytest.raises(CardUnsealable) as raised:
        card_unseal(sealed, private_key_pem=stranger.private_pem)
    assert sealed not in str(raised.value)
    assert raised.value.__suppress_context__


@pytest.mark.parametrize("damaged", ["", "not base64 !", "A" * 342])
def test_a_damaged_blob_is_refused(keys, damaged):
    """Garbage is a CardUnsealable, never a crash with the input in its message."""
    with pytest.raises(CardUnsealable):
        card_unseal(damaged, private_key_pem=keys.private_pem)


def test_without_a_key_sealing_says_what_to_set():
    """No key configured: the error names the setting, not the number."""
    with pytest.raises(ValueError, match="PAYMENTS_CARD_PUBLIC_KEY") as raised:
        card_seal(NUMBER, public_key_pem="")
    assert NUMBER not in str(raised.value)


def test_a_key_that_is_too_small_is_refused():
    """1,024-bit RSA is breakable: refused when loaded."""
    small = key_pair_generate(bits=1024)

    with pytest.raises(ValueError, match="2048 bits or more"):
        card_seal(NUMBER, public_key_pem=small.public_pem)


def test_the_development_pair_is_made_once_and_kept_private(tmp_path):
    """Made by the first call (`make run` makes one each time), kept by later ones."""
    private_file, public_file = key_pair_ensure(tmp_path / "keys")
    first = private_file.read_text()

    assert key_pair_ensure(tmp_path / "keys") == (private_file, public_file)
    assert private_file.read_text() == first
    assert (private_file.name, public_file.name) == (PRIVATE_KEY_FILE, PUBLIC_KEY_FILE)
    assert os.stat(private_file).st_mode & 0o077 == 0  # the owner's alone
    sealed = card_seal(NUMBER, public_key_pem=public_file.read_text())
    assert card_unseal(sealed, private_key_pem=first) == NUMBER


def test_a_key_comes_from_the_variable_or_the_file_it_names(monkeypatch, tmp_path):
    """NAME wins over NAME_FILE; NAME_FILE over the default file; else nothing."""
    name = "PAYMENTS_CARD_PUBLIC_KEY"
    named, default = tmp_path / "named.pem", tmp_path / "default.pem"
    named.write_text("from the named file")
    default.write_text("from the default file")
    monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv(f"{name}_FILE", raising=False)

    assert pem_from_environment(name) == ""
    assert pem_from_environment(name, default_file=default) == "from the default file"
    monkeypatch.setenv(f"{name}_FILE", str(named))
    assert pem_from_environment(name, default_file=default) == "from the named file"
    monkeypatch.setenv(name, "from the variable")
    assert pem_from_environment(name, default_file=default) == "from the variable"
