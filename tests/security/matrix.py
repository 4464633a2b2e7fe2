"""The access matrix's vocabulary: what each kind of caller must get from each URL.

Every named URL of the project is classified in a `rules_*.py` module of this folder. A rule
gives the URL's arguments (built from the test world, always pointing at objects of the *home*
ward or city) and the expected answer for each actor. An actor left out of `expect` gets the
rule's `default`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

LOGIN = "login"  # a redirect to the login page (pages) — the API answers 401/403 instead


@dataclass(frozen=True)
class Rule:
    name: str
    expect: dict[str, int | str]
    default: int | str = 404
    kwargs: Callable[..., dict] = field(default=lambda world: {})
    method: str = "get"
    data: Callable[..., dict] | None = None
    query: str = ""

    def expected(self, actor: str) -> int | str:
        return self.expect.get(actor, self.default)


WARD_STAFF = ("postal_worker", "officer", "chief")
OTHER_WARD_STAFF = ("other_postal_worker", "other_officer", "other_chief")
EVERY_USER = (*WARD_STAFF, "city_admin", *OTHER_WARD_STAFF, "other_city_admin")


def everyone(status: int | str, *, anonymous: int | str = LOGIN) -> dict[str, int | str]:
    return {"anonymous": anonymous, **dict.fromkeys(EVERY_USER, status)}


# --- every method, not only the rule's own ---------------------------------------------------

METHODS = ("get", "post", "put", "patch", "delete")


def refuses(expected: int | str) -> bool:
    """True when the rule's answer for an actor is a refusal: the login page or a 4xx."""
    return expected == LOGIN or (isinstance(expected, int) and expected >= 400)


def api_methods(path: str) -> set[str]:
    """The methods an API endpoint serves, as its DRF view declares them (lower case)."""
    from django.urls import resolve

    func = resolve(path.split("?", 1)[0]).func
    view = getattr(func, "cls", None) or func.view_class
    declared = set(view.http_method_names)
    actions = getattr(func, "actions", None)
    if actions is not None:  # a viewset route: its method → action map
        served = {method for method, name in actions.items() if hasattr(view, name)}
    else:
        served = {method for method in declared if hasattr(view, method)}
    return (served & declared) - {"head", "options"}
