"""How a signed-in request reads its user and renews its session: in as few statements as the
pages can afford (every back-office page pays these before its own reads).

`UserBackend` is Django's ModelBackend reading the user together with their ward and city, which
every page's header names. `SessionStore` (settings.SESSION_ENGINE = "onestop.auth") is Django's
database session store whose renewal on each request (SESSION_SAVE_EVERY_REQUEST, the idle
timeout) is the statement that reads it. A signed-in page thus starts with two statements.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import connections, router
from django.utils import timezone

# Whatever the header shows of where the user works: the ward (ward staff) or the city.
HEADER_RELATIONS = ("ward", "city")


class UserBackend(ModelBackend):
    """ModelBackend whose signed-in user comes with the ward and city the header shows."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related(*HEADER_RELATIONS)
        try:
            user = users.get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        users = get_user_model()._default_manager.select_related(*HEADER_RELATIONS)
        try:
            user = await users.aget(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class SessionStore(db.SessionStore):
    """Database sessions read and renewed in one statement.

    Every request renews its session (SESSION_SAVE_EVERY_REQUEST: the idle timeout at shared
    counters). Django reads the row with a SELECT and renews it at the end of the request with
    an UPDATE inside a transaction; here the read is the renewal: an UPDATE of the expiry that
    returns the session's data (UPDATE … RETURNING, in PostgreSQL and SQLite ≥ 3.35). A
    session whose data the request changed is written back by one UPDATE, atomic by itself;
    creating one (sign-in, a new key) keeps Django's path, whose transaction catches a
    clashing key. An expired or missing row reads as no session, as in Django.
    """

    # True once load() has pushed the expiry forward: an unchanged session needs no write.
    _renewed = False

    def load(self):
        # A session that set its own expiry (set_expiry) is renewed after reading, by save().
        expire_date = self.get_expiry_date(expiry=None)
        using = router.db_for_write(self.model)
        connection = connections[using]
        quote, fields = connection.ops.quote_name, self.model._meta
        data, key, expiry = (
            quote(fields.get_field(name).column)
            for name in ("session_data", "session_key", "expire_date")
        )
        # Only the model's quoted table and column names are formatted in; values are params.
        sql = (
            f"UPDATE {quote(fields.db_table)} SET {expiry} = %s "  # noqa: S608
            f"WHERE {key} = %s AND {expiry} > %s RETURNING {data}"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                sql,
                [
                    connection.ops.adapt_datetimefield_value(expire_date),
                    self.session_key,
                    connection.ops.adapt_datetimefield_value(timezone.now()),
                ],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        session = self.decode(row[0])
        self._renewed = "_session_expiry" not in session
        return session

    def save(self, must_create=False):
        if must_create or self.session_key is None:
            return super().save(must_create=must_create)
        data = self._get_session()
        if self._renewed and not self.modified:
            return
        session = self.create_model_instance(data)
        using = router.db_for_write(self.model, instance=session)
        renewed = (
            self.model._base_manager.using(using)
            .filter(session_key=session.session_key)
            .update(session_data=session.session_data, expire_date=session.expire_date)
        )
        if not renewed:
            raise UpdateError
