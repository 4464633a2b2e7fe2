from tests.security.matrix import Rule, everyone

RULES = [
    Rule("ward-list", everyone(200, anonymous=403)),
    Rule(
        "ward-detail",
        {
            "anonymous": 403,
            "postal_worker": 200,
            "officer": 200,
            "chief": 200,
            "city_admin": 200,
        },
        kwargs=lambda w: {"slug": w.ward.slug},
    ),
]
