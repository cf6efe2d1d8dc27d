"""The dashboard: security, pages and their JSON twins, actions, and `followup serve`."""
