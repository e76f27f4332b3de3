"""What the platform does; the HTTP routers only translate to and from the wire."""
