"""(round 19, js3) A setting read from a configuration object handed in, valued by the service's convict schema.

`module.exports = function (config, log) { ... new IPReputationClient({ timeout: config.reputationService.timeout
}) }` (fxa-customs-server: `config` is `require('../lib/config').getProperties()`, handed down from the server's
entry point) reads the convict schema's `reputationService.timeout` (`default: 50`), published by the schema's file
as `$envdefault.reputationService.timeout`. A finding whose value is a member chain of a parameter named as a
configuration (`config`, `conf`, `cfg`, `settings`) is valued as that chain when something resolves it, else as
the schema's default (``coalesce``). Applied after the file's publications (a helper's parameter published for its
callers keeps its plain name). Without a schema default nothing changes.
"""

from __future__ import annotations

import re
from dataclasses import replace

from contract_discovery.values import Call, Ref

_CONFIG_PARAM = re.compile(r"^(config|conf|cfg|settings)\.([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)$")
_ENV_DEFAULT = "$envdefault."


def with_schema_defaults(findings) -> tuple:
    out = []
    for fd in findings:
        if fd.kind in ("timeout", "retry") and fd.pending and not fd.attributes.get("forward"):
            pending = []
            changed = False
            for p in fd.pending:
                match = _CONFIG_PARAM.match(p.expr.name) if isinstance(p.expr, Ref) and \
                    p.attribute in ("timeout_ms", "max_attempts") else None
                if match:
                    p = replace(p, expr=Call("coalesce", (p.expr, Ref(_ENV_DEFAULT + match.group(2)))))
                    changed = True
                pending.append(p)
            if changed:
                fd = replace(fd, pending=tuple(pending))
        out.append(fd)
    return tuple(out)
