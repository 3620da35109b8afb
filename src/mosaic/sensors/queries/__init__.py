"""Read side of the sensors context: Core expressions over the readings, returning plain data."""
