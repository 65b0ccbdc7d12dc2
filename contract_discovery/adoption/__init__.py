"""Adoption: the commands that bring contracts into a codebase and keep them honest over time.

``init`` writes and merges contract files from what the code shows, ``drift`` compares
declared with inferred, ``diff`` classifies contract changes between revisions, ``graph``
draws the service dependency graph and ``fix`` writes a declared value back into code.
Everything here works on plain contract dicts (SPEC section 3), so the contract model
can change underneath without these commands noticing.
"""
