from tests.security.matrix import Rule, everyone

RULES = [
    Rule("home", everyone(200)),
    Rule("login", everyone(302, anonymous=200)),
    Rule("logout", everyone(302, anonymous=302), method="post"),
    Rule(
        "set_language",
        everyone(302, anonymous=302),
        method="post",
        data=lambda w: {"language": "en"},
    ),
    Rule(
        "api-token", everyone(400, anonymous=400), method="post", data=lambda w: {"username": "x"}
    ),
    Rule("api-me", everyone(200, anonymous=403)),
    # The schema and its docs are for signed-in staff only (docs/security.md, "Less on show").
    Rule("api-schema", everyone(200, anonymous=404)),
    Rule("api-docs", everyone(200)),
]
