"""What wards tells the apps above it, which it does not import.

`calendar_changed(sender=City, city=City)`: a city's working calendar changed (an exception was
added or revoked). Sent inside the transaction that changed it, so what a receiver writes
commits or rolls back with the change; a receiver that raises undoes the change.
"""

from django.dispatch import Signal

calendar_changed = Signal()
