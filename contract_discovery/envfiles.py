"""Compose-style ``${VAR}`` templates, shared by the deployment-file extractor and the pipeline."""

from __future__ import annotations

import re

_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)")


def render(template: str, env: dict[str, str]) -> str | None:
    """Fill a compose template's ``${VAR}`` / ``${VAR:-d}`` / ``${VAR-d}`` / ``$VAR`` from ``env``."""
    missing = False

    def one(match: re.Match) -> str:
        nonlocal missing
        var = match.group(1) or match.group(4)
        if var in env and not (match.group(2) == ":-" and env[var] == ""):
            return env[var]
        if match.group(3) is not None:
            return match.group(3)
        missing = True
        return ""

    out = _REFERENCE.sub(one, template)
    return None if missing else out.replace("$$", "$")
