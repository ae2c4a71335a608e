"""CopyBatches: COPY statements sent without waiting, results collected on the next write."""

import pytest
from django.db import IntegrityError, ProgrammingError, connection, transaction

from annotator.core.bulk_copy import CopyBatches, copy_text

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def scratch():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE scratch (id int PRIMARY KEY, note text)")
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE scratch")


def rows() -> list[tuple[int, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, note FROM scratch ORDER BY id")
        return cursor.fetchall()


def test_batches_arrive_in_order_and_the_connection_is_usable_after(scratch):
    notes = ["a\tb", "c\\N", "line\r\nbreak"]
    lines = [f"{n}\t{copy_text(note)}\n".encode() for n, note in enumerate(notes, 1)]
    with CopyBatches(connection.connection) as copy:
        copy.write("COPY scratch (id, note) FROM STDIN", lines[0] + lines[1])
        copy.write("COPY scratch (id, note) FROM STDIN", b"")
        copy.write("COPY scratch (id, note) FROM STDIN", lines[2])
    assert rows() == list(enumerate(notes, 1))


def test_a_refused_batch_raises_at_the_next_write_as_djangos_error(scratch):
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.wrap_database_errors, CopyBatches(connection.connection) as copy:
            copy.write("COPY scratch (id, note) FROM STDIN", b"1\tx\n1\ty\n")
            copy.write("COPY scratch (id, note) FROM STDIN", b"2\tz\n")
    assert rows() == []


def test_a_bad_statement_raises_at_once(scratch):
    with pytest.raises(ProgrammingError, match="no_such_table"), transaction.atomic():
        with connection.wrap_database_errors, CopyBatches(connection.connection) as copy:
            copy.write("COPY no_such_table (id) FROM STDIN", b"1\n")
    assert rows() == []


def test_an_error_in_the_caller_still_leaves_the_connection_clean(scratch):
    with pytest.raises(RuntimeError), transaction.atomic():
        with CopyBatches(connection.connection) as copy:
            copy.write("COPY scratch (id, note) FROM STDIN", b"1\tx\n")
            raise RuntimeError("segmentation failed")
    assert rows() == []
