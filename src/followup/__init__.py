"""followup: know when to follow up after a job interview, what to write, and when to stop."""

__version__ = "0.1.0"
