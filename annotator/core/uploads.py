"""Bounding uploads while they stream in, before anything is held in memory.

``CappedUploadHandler`` comes first in ``FILE_UPLOAD_HANDLERS``. Before Django reads a
byte of a multipart body it refuses one whose declared length (``CONTENT_LENGTH``) is
over ``IMPORT_MAX_UPLOAD_BYTES`` (413); while reading, it stops a file as soon as it
passes ``IMPORT_MAX_FILE_BYTES`` (400 naming the file). Django itself keeps a request
larger than ``FILE_UPLOAD_MAX_MEMORY_SIZE`` in temporary files, not in memory. Put the
same total limit in the reverse proxy (README), so an oversized body is cut off before
it reaches a worker at all.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler

from .errors import DomainError


class UploadTooLarge(DomainError):
    status = 413


class CappedUploadHandler(FileUploadHandler):
    """Counts, checks and passes every chunk on to the next handler unchanged."""

    def handle_raw_input(
        self, input_data: Any, META: dict[str, Any], content_length: int, boundary: Any, encoding: str | None = None
    ) -> None:
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if content_length > limit:
            raise UploadTooLarge(
                f"the upload is {content_length:,} bytes; the limit is {limit:,} bytes", field="files"
            )
        return None

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        limit = settings.IMPORT_MAX_FILE_BYTES
        if start + len(raw_data) > limit:
            raise DomainError(f"{self.file_name}: file is larger than the limit of {limit:,} bytes", field="file")
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) makes the file
