"""What intake tells the apps above it, which it does not import.

Both are sent inside the transaction that made the change, so what a receiver writes commits or
rolls back with it:
`dossier_received(sender=Dossier, dossier=Dossier, user=User)`: a dossier was received;
`dossier_returned(sender=Dossier, dossier=Dossier, user=User)`: its result was handed over;
`dossier_stepped(sender=Dossier, dossier=Dossier, user=User, event=DossierEvent)`: any lifecycle
step after intake was taken (the event says which: result ready, supplement requested, apology…).
"""

from django.dispatch import Signal

dossier_received = Signal()
dossier_returned = Signal()
dossier_stepped = Signal()
