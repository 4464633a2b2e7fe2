"""Integrity checks over stored dossiers that no single constraint can express."""

from dataclasses import dataclass

from django.db import connection


@dataclass(frozen=True)
class CodeGap:
    ward_id: int
    day: str
    numbers: int
    highest: int
    sequence: int


def dossier_code_gaps() -> list[CodeGap]:
    """Ward-days whose dossier numbers are not exactly 1..N with N the day's sequence.

    Codes end in the day's number; a duplicate is already impossible (unique constraint), so a
    mismatch here means a number was skipped, or the sequence fell behind the codes.
    """
    number = (
        "CAST(substr(d.code, length(d.code) - 3) AS integer)"
        if connection.vendor == "sqlite"
        else "CAST(split_part(d.code, '-', -1) AS integer)"
    )
    day = (
        "substr(d.code, length(d.code) - 10, 6)"
        if connection.vendor == "sqlite"
        else "split_part(d.code, '-', -2)"
    )
    sql = f"""
        SELECT d.ward_id, {day} AS day, COUNT(*), MAX({number}), MAX(s.last_number)
        FROM intake_dossier d
        LEFT JOIN intake_dossiersequence s
          ON s.ward_id = d.ward_id
         AND s.day = DATE('20' || substr({day}, 1, 2) || '-' || substr({day}, 3, 2)
                          || '-' || substr({day}, 5, 2))
        GROUP BY d.ward_id, {day}
        HAVING COUNT(*) <> MAX({number}) OR MAX({number}) <> MAX(s.last_number)
            OR MAX(s.last_number) IS NULL
        ORDER BY 1, 2
    """  # noqa: S608 (no user input: the fragments above are constants)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [CodeGap(*row) for row in cursor.fetchall()]
