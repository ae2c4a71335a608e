"""PostgreSQL COPY in batches that overlap with the caller's work.

Each batch is one COPY statement. It is sent whole and its result is collected only
when the next batch is ready, so the server parses the rows, updates the indexes and
runs the foreign-key checks (which fire when a statement ends) while the caller is
computing the next batch, on the other core. One thread, the caller's connection and
therefore its transaction; nothing else may use the connection until ``close()``.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from psycopg import errors, pq


class CopyBatches:
    """``with CopyBatches(conn) as copy: copy.write("COPY t (a, b) FROM STDIN", data)``

    ``data`` is COPY text format (see ``copy_text``). A failed batch raises the database's
    error (psycopg's class for its SQLSTATE) at the next ``write`` or on leaving the block."""

    def __init__(self, raw_connection: Any) -> None:
        self._pgconn: pq.abc.PGconn = raw_connection.pgconn
        self._encoding = raw_connection.info.encoding
        self._pending = False

    def __enter__(self) -> CopyBatches:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None:
            self._collect()
        elif self._pending:
            try:
                self._collect()
            except errors.Error:
                pass  # the caller's own error is the one to report

    def write(self, statement: str, data: bytes) -> None:
        self._collect()
        if not data:
            return
        pgconn = self._pgconn
        pgconn.send_query(statement.encode())
        started = pgconn.get_result()
        if started is None or started.status != pq.ExecStatus.COPY_IN:
            self._drain()
            raise self._error(started)
        if pgconn.put_copy_data(data) != 1 or pgconn.put_copy_end() != 1:
            raise errors.OperationalError(pgconn.get_error_message(self._encoding))
        self._pending = True

    def _collect(self) -> None:
        if not self._pending:
            return
        self._pending = False
        result = self._pgconn.get_result()
        self._drain()
        if result is None or result.status != pq.ExecStatus.COMMAND_OK:
            raise self._error(result)

    def _drain(self) -> None:
        while self._pgconn.get_result() is not None:
            pass

    def _error(self, result: pq.abc.PGresult | None) -> errors.Error:
        if result is None:
            return errors.OperationalError(self._pgconn.get_error_message(self._encoding))
        return errors.error_from_result(result, encoding=self._encoding)


def copy_text(value: str) -> str:
    """A string as one field of COPY's text format (backslash, tab, newline, CR escaped)."""
    if "\\" in value:
        value = value.replace("\\", "\\\\")
    if "\t" in value:
        value = value.replace("\t", "\\t")
    if "\n" in value:
        value = value.replace("\n", "\\n")
    if "\r" in value:
        value = value.replace("\r", "\\r")
    return value
