"""The demo data, one step per part of the product; `seed_demo` runs them in order, each in its
own transaction, and running them again changes nothing."""

STEPS = [
    # The Government's day swaps (also loaded by migrate): the dossiers below count with them.
    "demo.seed.places.seed_official_swaps",
    "demo.seed.places.seed",
    "demo.seed.accounts.seed",
    "demo.seed.catalogue.seed",
    # Grants dated over the past year, so the replayed intakes below meet them (postal.rules).
    "demo.seed.grants.seed_authorisations",
    # A year of dossiers through the services; intakes obey INTAKE_RULES, so a step that
    # grants postal workers their procedures (dated before that year) belongs above this one.
    "demo.seed.dossiers.seed_dossiers",
    "demo.seed.deliveries.seed",
    # Rosters, out-of-list reviews, data-entry batches and guidance around those dossiers.
    "demo.seed.postal.seed",
    # The hall's service groups in every ward, a kiosk and a display in a pilot ward, and the
    # pilot wards' tickets of the past weeks.
    "demo.seed.hall.seed",
]
