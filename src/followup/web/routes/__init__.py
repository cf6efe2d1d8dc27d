"""One module per page: its HTML route(s), its `/api/…` JSON twin, and its actions."""
