"""`python -m followup …`: the same as the `followup` command (for a venv not on PATH)."""

from followup.cli.entry import main

main()
