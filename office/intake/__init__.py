"""Bringing cases in: pulling online reports from the store, the offline transfer folder, the other channels."""
