"""Password hashing and signed tokens."""
