"""Settings for the monolith: ``local`` (the default), ``test`` and ``production``."""
