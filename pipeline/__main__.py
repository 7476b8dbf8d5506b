"""``python -m pipeline`` is the ``extract`` command."""

from pipeline.cli import main

main()
