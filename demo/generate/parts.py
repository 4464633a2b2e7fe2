"""What other apps add to a generated history: a `GeneratorPart` each, listed in `PARTS`."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from demo.generate.dossiers import DossierGenerator
    from demo.generate.history import Draft


@dataclass(frozen=True)
class PartTable:
    """A table a part fills per dossier: COPY columns in the order of its text lines."""

    name: str
    columns: tuple[str, ...]
    model: type


class GeneratorPart:
    """Another app's share of the history, listed in `PARTS`.

    `prepare` runs in the main process inside the load's transaction, before any dossier is
    generated (it may set `generator.on_duty`); `received` and `send_by_post` run for each
    dossier wherever its chunk is generated and may only use what `prepare` stored, the draft
    and its chunk; `write` runs in the main process after the dossiers are stored.
    """

    tables: tuple[PartTable, ...] = ()
    analyze: tuple[str, ...] = ()  # tables `write` fills, analysed after the load

    def prepare(self, generator: "DossierGenerator") -> None:
        pass

    def received(self, draft: "Draft") -> None:
        pass

    def send_by_post(self, draft: "Draft", at: int, sender: tuple[int, str]) -> bool:
        """Take the result's journey by post from `at`; False leaves it to the generator."""
        return False

    def write(self, generator: "DossierGenerator") -> None:
        pass

    def referenced(self) -> dict[str, set[int]]:
        """Rows (by table) that the part's rows point to, besides dossiers and the generator's."""
        return {}


# The parts beside the dossiers, by dotted path (imported when a run starts: each part module
# builds on the generator's own modules, this one included).
PARTS = ("demo.generate.postal.PostalHistory",)


def history_parts() -> list[GeneratorPart]:
    """A fresh instance of each part, for one run."""
    return [import_string(path)() for path in PARTS]
