#!/usr/bin/env python
"""This service's manage.py: ``python extracted_services/storefront/manage.py``."""

if __name__ == "__main__":
    import sys
    from pathlib import Path

    # Python put this folder first on the path, where our selectors.py would hide
    # the standard library's; the repository root is where imports start instead.
    sys.path[0] = str(Path(__file__).resolve().parents[2])
    from extracted_services.chassis.manage import main

    main("storefront")
