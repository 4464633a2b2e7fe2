"""What hall does when intake and postal tell what was done at the counter (HallConfig.ready)."""

from hall.services import ticket_link


def link_received(sender, *, dossier, user, **kwargs) -> None:
    ticket_link(user=user, what="received", dossier=dossier)


def link_returned(sender, *, dossier, user, **kwargs) -> None:
    ticket_link(user=user, what="returned", dossier=dossier)


def link_guidance(sender, *, session, user, **kwargs) -> None:
    ticket_link(user=user, what="guided", guidance=session)
