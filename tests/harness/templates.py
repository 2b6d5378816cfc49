"""Migrated SQLite databases, made once and then copied: a stack starts without
running its migrations.

``migrate`` on a fresh SQLite file costs a Python start and every migration, for
each project of a stack, at each start; the tests, the benchmark and the chaos lab
start dozens of stacks. A migrated database depends only on the migrations and the
installed packages, so the first stack migrates a template under
var/test-templates/, named by a hash of both, and every later stack copies that file.
A changed migration, or a package upgrade, makes a new name, and the next stack
migrates afresh. PostgreSQL databases are always migrated: the harness makes each
one new, on a server it does not own.
"""

import hashlib
import os
import shutil
import sys
import sysconfig
import threading
from collections.abc import Callable
from functools import cache
from importlib import metadata

from .servers import ROOT

TEMPLATES = ROOT / "var" / "test-templates"
SQLITE = "sqlite:///"  # Django's and SQLAlchemy's form: sqlite:////absolute/path
# Where the repository's migrations are (Django's migrations/, Alembic's versions/).
PROJECTS = ("monolith", "echoapp", "extracted_services")


def migrated(name: str, database_url: str, migrate: Callable[[str], None]) -> None:
    """Give the database at ``database_url`` its schema: ``migrate(url)`` runs the
    migrations on a database. ``name`` is the project and its settings: one
    template each."""
    if not database_url.startswith(SQLITE):
        migrate(database_url)
        return
    template = TEMPLATES / f"{name}-{schema_key()}.sqlite3"
    if not template.exists():
        TEMPLATES.mkdir(parents=True, exist_ok=True)
        for stale in TEMPLATES.glob(f"{name}-*.sqlite3"):
            stale.unlink(missing_ok=True)  # an older schema's
        # Migrated under a name of its own, then renamed: two stacks starting at
        # once may both migrate, and neither copies a half-made template.
        scratch = template.with_name(
            f"{template.name}.{os.getpid()}-{threading.get_ident()}.part"
        )
        migrate(f"{SQLITE}{scratch}")
        os.replace(scratch, template)
    try:
        shutil.copyfile(template, database_url.removeprefix(SQLITE))
    except FileNotFoundError:  # removed as stale by a checkout on other packages
        migrate(database_url)


@cache
def schema_key() -> str:
    """A hash of every migration file of the repository and of the installed
    packages' versions (theirs, Django's own included, make tables too)."""
    digest = hashlib.sha256(sys.version.encode())
    for project in PROJECTS:
        for path in sorted((ROOT / project).rglob("migrations/**/*.py")):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    # The interpreter's own site-packages, not sys.path: with the repository root
    # on it (pytest's pythonpath), the project's egg-info would count as well, and
    # two processes would name one schema differently.
    installed = {sysconfig.get_paths()[kind] for kind in ("purelib", "platlib")}
    packages = sorted(
        f"{dist.metadata['Name']}=={dist.version}"
        for dist in metadata.distributions(path=sorted(installed))
    )
    digest.update("\n".join(packages).encode())
    return digest.hexdigest()[:16]
