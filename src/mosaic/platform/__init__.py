"""The shared kernel every bounded context stands on."""
