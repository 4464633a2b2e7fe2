from onestop.navigation import entries_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_primary": [], "nav_more": []}
    items = entries_for(user, request.path)
    more = [item for item in items if not item["primary"]]
    return {
        "nav_items": items,
        "nav_primary": [item for item in items if item["primary"]],
        "nav_more": more,
        "nav_more_current": any(item["current"] for item in more),
    }
