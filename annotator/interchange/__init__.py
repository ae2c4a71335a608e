"""Interchange with other annotation tools: readers (and, later, the writers beside them).

Pure modules (no Django): :mod:`.types` (what a reader produces), :mod:`.offsets` (UTF-16 ↔
code point and whitespace-insensitive offset maps), :mod:`.sources` (a file, zip or folder as
named members), :mod:`.readers` (one module per format plus the registry) and
:mod:`.placement` (imported spans onto our sentences). :mod:`.services` writes an import.
"""
