"""Exceptions with a meaning for the exit code."""


class ToolError(Exception):
    """The tool could not do its job (bad arguments, unreadable root, invalid config): exit 2."""
