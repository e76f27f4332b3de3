"""HTTP layer: the FastAPI application, its dependencies and one router per resource."""
