"""Figures other apps keep the way intake keeps its own (the hall's waits, for instance).

intake sits below them and does not import them: an app registers its table here (in its
AppConfig.ready), and `manage.py check_report_figures` and the fill after migrations treat it
with the dossier figures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class KeptFigures:
    """One app's kept figures: its rebuild, its check and whether a database lacks them."""

    name: str
    rebuild: Callable[[], int]  # rows written
    # One tuple per wrong cell: (*key, column, kept, recomputed).
    differences: Callable[[], list[tuple]]
    not_built: Callable[[str], bool]  # the database alias


_REGISTERED: dict[str, KeptFigures] = {}


def figures_register(kept: KeptFigures) -> None:
    _REGISTERED[kept.name] = kept


def registered() -> list[KeptFigures]:
    return list(_REGISTERED.values())
