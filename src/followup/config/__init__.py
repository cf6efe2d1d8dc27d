"""Where followup keeps its files, and what the user configured."""
