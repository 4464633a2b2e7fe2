"""What postal tells the apps above it, which it does not import.

`guidance_logged(sender=GuidanceSession, session=GuidanceSession, user=User)`: a citizen was
guided; sent inside the transaction that logged it.
"""

from django.dispatch import Signal

guidance_logged = Signal()
