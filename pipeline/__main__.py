"""``python -m pipeline`` is the ``extract`` command."""

from pipeline.cli import run

run()
