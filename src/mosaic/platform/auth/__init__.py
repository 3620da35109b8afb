"""Users, roles and JWT tokens."""
