"""The local dashboard (`followup serve`): FastAPI routes over the same use-cases as the CLI.

Imported only by the `serve` command: `followup --help` and the agenda never load FastAPI.
"""
