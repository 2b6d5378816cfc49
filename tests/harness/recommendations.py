"""Launch the recommendations service (FastAPI) for a services stack: two processes.

The web process under uvicorn, and the consumer that reads the stack's order events
into the service's own SQLite file and retrains the model. Not Django: no settings
module, no migrations; the store makes its tables on first use.
"""

from pathlib import Path

from .processes import Process
from .servers import BIN, ROOT, command

NAME = "recommendations"
TRAIN_INTERVAL = "1"  # seconds: the contract tests poll for the model, so retrain soon


def recommendations_processes(
    env: dict[str, str], port: int, workdir: Path
) -> list[Process]:
    """The web process on ``port`` and the consumer, given the stack's shared env."""
    own = {
        **env,
        "RECOMMENDATIONS_DATABASE": str(workdir / f"{NAME}.sqlite3"),
        "RECOMMENDATIONS_MODEL_DIR": str(workdir / f"{NAME}-models"),
        "RECOMMENDATIONS_TRAIN_INTERVAL": TRAIN_INTERVAL,
    }
    # One uvicorn process keeps its metrics in memory: no multiprocess folder.
    own.pop("PROMETHEUS_MULTIPROC_DIR", None)
    own.pop("DJANGO_SETTINGS_MODULE", None)
    web = Process(
        NAME,
        [
            str(BIN / "uvicorn"),
            "--factory",
            "extracted_services.recommendations.main:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=own,
        cwd=ROOT,
        log=workdir / f"{NAME}.log",
    )
    consumer = command(
        f"{NAME}-consumer",
        ["-m", "extracted_services.recommendations.consumer"],
        own,
        workdir,
    )
    return [web, consumer]
