"""Pages of the postal back office; `today` and `dashboard` are the home pages of their roles."""

from postal.views.home import dashboard, today

__all__ = ["dashboard", "today"]
