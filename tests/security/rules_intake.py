from tests.security.matrix import Rule, everyone

RULES = [
    Rule("procedure-list", everyone(200, anonymous=403)),
    Rule(
        "procedure-detail",
        everyone(200, anonymous=403),
        kwargs=lambda w: {"code": w.procedure.code},
    ),
]
