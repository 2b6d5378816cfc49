"""Start a whole stack as real processes on loopback, for the black-box suites.

``stacks.LAUNCHERS`` names every stack the suites know; ``fixtures`` turns it into
the session-scoped, parametrised ``stack`` fixture of tests/contract and tests/browser.
"""
