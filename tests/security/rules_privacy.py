"""The personal-data access log: chiefs read their ward's, city admins their city's."""

from tests.security.matrix import LOGIN, Rule

RULES = [
    Rule(
        "intake:access-log",
        {
            "anonymous": LOGIN,
            "chief": 200,
            "city_admin": 200,
            "other_chief": 200,
            "other_city_admin": 200,
        },
        default=403,
    ),
]
