"""Hand-made findings for inference and check tests."""

from contract_discovery.model import Finding, Service, Target


def finding(kind, service, path, line, target=None, end_line=None, **attributes):
    svc, op = (target.split(".", 1) + [None])[:2] if target else (None, None)
    return Finding(kind=kind, path=path, line=line, column=5, end_line=end_line or line, end_column=40,
                   language="python", detector="test.detector", attributes=attributes,
                   target=Target(service=svc, operation=op) if target else None, service=service)


def services(*names):
    return [Service(name=n, path=n) for n in names]
