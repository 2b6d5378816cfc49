"""The seam: ``SHOP_BACKEND`` names the shop class by dotted path, as SESSION_ENGINE."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from monolith.shop import BAD_BACKEND, LocalShop, shop_class, shop_for


def test_the_monolith_serves_its_pages_from_its_own_shop(rf):
    """The monolith's settings choose LocalShop; a request gets one shop, once."""
    request = rf.get("/")

    assert isinstance(shop_for(request), LocalShop)
    assert shop_for(request) is shop_for(request)


@pytest.mark.parametrize(
    "path",
    [
        "local",  # the old spelling, before backends were dotted paths
        "monolith.shop.NoSuchShop",
        "monolith.no_such_module.LocalShop",
    ],
)
def test_a_backend_that_does_not_import_is_a_clear_configuration_error(
    rf, settings, path
):
    """The error names the setting, the bad path and what a good one looks like."""
    settings.SHOP_BACKEND = path

    with pytest.raises(ImproperlyConfigured) as error:
        shop_for(rf.get("/"))

    assert str(error.value).startswith(BAD_BACKEND.format(path=path, error=""))
    assert "'monolith.shop.LocalShop'" in BAD_BACKEND  # what a good one looks like


def test_each_backend_is_imported_once():
    """The class is looked up once per path, not on every page."""
    assert shop_class("monolith.shop.LocalShop") is LocalShop
    hits = shop_class.cache_info().hits

    shop_class("monolith.shop.LocalShop")

    assert shop_class.cache_info().hits == hits + 1
