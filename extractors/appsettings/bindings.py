"""Options classes bound to a configuration section in a .NET service's code:
``services.Configure<RiskOptions>(config.GetSection("Risk"))``,
``services.AddOptions<RiskOptions>().Bind(config.GetSection("Risk"))`` / ``.BindConfiguration("Risk")``,
``config.GetSection("Risk").Get<RiskOptions>()``; the section may be a literal, ``nameof(T)`` or a
constant (``RiskOptions.SectionName``). Round 12: a registration helper named for options
(``builder.RegisterOptions<RiskOptions>(config.GetSection("Risk"))``) and ``config.GetSection("Risk")
.Bind(_riskOptions)`` into a field or local declared once in the file with the type.

Published by the C# extractor as ``$options-section:<T>`` (the section, an Expr), so that the
resolver reads ``RiskOptions.TimeoutSeconds`` from ``appsettings.json``'s ``Risk:TimeoutSeconds``
before the property's default in the class.
"""

from __future__ import annotations

import re

from contract_discovery.values import Expr, Ref, Str

PREFIX = "$options-section:"

_TYPE = r"([A-Z]\w*)"
# round 11: a bare constant too (`GetSection(ProductKeyServiceApiConfiguration)`, a `const string` of the
# class, even when it has the options class's own name)
_SECTION = r"""(?:"([^"\\]+)"|nameof\(\s*([A-Za-z_]\w*)\s*\)|([A-Z]\w*(?:\.[A-Za-z_]\w*)+|[A-Za-z_]\w*))"""
_PATTERNS = (
    re.compile(r"\bConfigure<\s*" + _TYPE + r"\s*>\s*\(\s*[\w.]*\s*\.?\s*GetSection\(\s*" + _SECTION + r"\s*\)"),
    re.compile(r"\bAddOptions<\s*" + _TYPE + r"\s*>\s*\(\s*\)\s*\.\s*Bind\(\s*[\w.]*\s*\.?\s*GetSection\(\s*"
               + _SECTION + r"\s*\)"),
    re.compile(r"\bAddOptions<\s*" + _TYPE + r"\s*>\s*\(\s*\)\s*\.\s*BindConfiguration\(\s*" + _SECTION + r"\s*\)"),
)
_GET = re.compile(r"\bGetSection\(\s*" + _SECTION + r"\s*\)\s*\.\s*Get<\s*" + _TYPE + r"\s*>\s*\(")
# round 12: a project's registration helper named for options (`builder.RegisterOptions<KafkaOptions>(
# host.Configuration.GetSection("Backplane:Kafka"))`, Autofac's common extension)
_REGISTER = re.compile(r"\b(?:Register|Add)\w*Options<\s*" + _TYPE + r"\s*>\s*\(\s*[\w.]*\s*\.?\s*GetSection\(\s*"
                       + _SECTION + r"\s*\)")
# round 12: `builder.Configuration.GetSection("ChatsDb").Bind(_chatsDbOptions);` into a field or local of the type
_BIND = re.compile(r"\bGetSection\(\s*" + _SECTION + r"\s*\)\s*\.\s*Bind\(\s*(?:this\.)?([A-Za-z_]\w*)\s*\)")


# round 21 (symbol-collector): `services.AddOptions<SymbolClientOptions>().Configure<IConfiguration>((o, f) =>
# f.Bind("SymbolClient", o))`: the configuration handed to the lambda binds the section into the options
_CONFIGURE_BIND = re.compile(r"\bAddOptions<\s*" + _TYPE + r"\s*>\s*\(\s*\)\s*\.\s*Configure<\s*IConfiguration\s*>\s*\("
                             r"\s*\(\s*(\w+)\s*,\s*(\w+)\s*\)\s*=>\s*(\w+)\s*\.\s*Bind\(\s*" + _SECTION +
                             r"\s*,\s*(\w+)\s*\)")


def _declared_type_of(source: str, name: str) -> str | None:
    """The type ``name`` is declared with in ``source`` (``private readonly ChatsDbOptions _chatsDbOptions =
    new();`` / ``var options = new RiskOptions();``), when the file says it once."""
    types = set(re.findall(r"\b([A-Z]\w*)\s+" + re.escape(name) + r"\s*(?:=|;|\{)", source))
    types |= set(re.findall(r"\bvar\s+" + re.escape(name) + r"\s*=\s*new\s+([A-Z]\w*)\s*\(", source))
    types.discard("var")
    return types.pop() if len(types) == 1 else None


def _section(literal: str | None, nameof: str | None, constant: str | None) -> Expr | None:
    if literal:
        return Str(literal)
    if nameof:
        return Str(nameof)
    if constant:
        return Ref(constant)
    return None


def bound_sections(source: str) -> dict[str, Expr]:
    """``$options-section:<T>`` -> the section ``T`` is bound to, for every binding in ``source``
    (a type bound to two different sections is left out: which one a class reads is not known)."""
    found: dict[str, list[Expr]] = {}
    for pattern in _PATTERNS:
        for match in pattern.finditer(source):
            section = _section(*match.groups()[1:4])
            if section is not None:
                found.setdefault(match.group(1), []).append(section)
    for match in _GET.finditer(source):
        section = _section(*match.groups()[0:3])
        if section is not None:
            found.setdefault(match.group(4), []).append(section)
    for match in _REGISTER.finditer(source):
        section = _section(*match.groups()[1:4])
        if section is not None:
            found.setdefault(match.group(1), []).append(section)
    for match in _CONFIGURE_BIND.finditer(source):
        kind, options, config, binder = match.group(1), match.group(2), match.group(3), match.group(4)
        section = _section(*match.groups()[4:7])
        if section is not None and binder == config and match.group(8) == options:
            found.setdefault(kind, []).append(section)
    for match in _BIND.finditer(source):
        section = _section(*match.groups()[0:3])
        kind = _declared_type_of(source, match.group(4))
        if section is not None and kind is not None:
            found.setdefault(kind, []).append(section)
    return {PREFIX + t: sections[0] for t, sections in found.items() if all(s == sections[0] for s in sections)}
