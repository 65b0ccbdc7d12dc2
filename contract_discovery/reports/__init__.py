"""Reporters: pure functions ``render(...) -> str``, one module per format."""

# Files left out on purpose (generated code, binaries): said apart from the files that could not
# be read, so that a summary does not report a skipped protobuf stub as a problem.
SKIPPED_KINDS = frozenset({"generated", "binary"})


def errors_summary(errors) -> str:
    """`1 file(s) could not be fully read, 10 generated or binary file(s) skipped` (either part may
    be absent); "" when there are none."""
    skipped = sum(1 for e in errors if e.kind in SKIPPED_KINDS)
    problems = len(errors) - skipped
    parts = ([f"{problems} file(s) could not be fully read"] if problems else []) + (
        [f"{skipped} generated or binary file(s) skipped"] if skipped else [])
    return ", ".join(parts)
