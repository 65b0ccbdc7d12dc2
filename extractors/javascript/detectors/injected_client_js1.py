"""(round 21, js1) A request made on a parameter whose default is the imported client.

`async function httpRequestBase (opts, axiosInstance = axios) { return axiosInstance.request({ timeout:
config.httpRequestTimeoutMs, ...opts }) }` (Mojaloop's quoting service; the parameter lets the tests inject a
mock): every call that leaves the parameter out runs the request on `axios` itself, so the call is an axios
request with the options it is given.

Not: a parameter without a default (the caller's client, unknown here), a default that is not the imported
package (a local object, another package).
"""

from __future__ import annotations

from extractors.javascript.context import FUNCTION_TYPES, _parameter_default, unwrap
from extractors import treesitter as ts


def injected_default(ctx, call, package: str) -> bool:
    """True when ``call``'s receiver is a parameter of an enclosing function defaulting to ``package``."""
    receiver = call.receiver
    if not receiver or "." in receiver:
        return False
    for scope in ts.ancestors(call.node):
        if scope.type not in FUNCTION_TYPES:
            continue
        found, default = _parameter_default(scope, receiver)
        if not found:
            continue
        default = unwrap(default)
        return default is not None and default.type == "identifier" and ctx.qualify(ts.text(default)) == package
    return False
