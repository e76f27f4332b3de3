"""One router per resource; each is registered in ``central.api.app.create_app``."""
