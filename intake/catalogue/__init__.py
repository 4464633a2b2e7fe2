"""The city admin's work on the procedure catalogue: edit, (de)activate, import from CSV/Excel.

A procedure is never deleted: dossiers point at it and keep their own snapshot of its name,
processing time and fee, so editing or withdrawing it changes no dossier already received.

An import is read and checked whole first (every row accepted or rejected with its reasons),
then written in chunks of `CHUNK_SIZE` rows, one transaction each, so the page can show the
progress of a long file. Procedures are matched by code: a known code is updated with the
columns the file has, an unknown one is created.

By hand (`editing`) or from a file (`importing`); import them from here.
"""

from intake.catalogue.editing import (
    EDITABLE,
    catalogue_for_admin,
    may_manage_catalogue,
    procedure_for_admin,
    procedure_set_active,
    procedure_update,
)
from intake.catalogue.importing import (
    CHUNK_SIZE,
    MAX_FILE_BYTES,
    MAX_ROWS,
    ChunkResult,
    ImportCheck,
    RowReport,
    catalogue_check,
    catalogue_import_chunk,
)

__all__ = [
    "CHUNK_SIZE",
    "EDITABLE",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "ChunkResult",
    "ImportCheck",
    "RowReport",
    "catalogue_check",
    "catalogue_for_admin",
    "catalogue_import_chunk",
    "may_manage_catalogue",
    "procedure_for_admin",
    "procedure_set_active",
    "procedure_update",
]
