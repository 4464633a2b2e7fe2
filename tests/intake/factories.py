import factory

from intake.models import Procedure


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"9.{n:06d}")
    name = factory.Sequence(lambda n: f"Đăng ký thử nghiệm số {n}")
    field = "Hộ tịch"
    level = Procedure.Level.WARD
    processing_days = 3
    fee = 0
    postal_eligible = True
    components = factory.LazyFunction(lambda: [{"name": "Tờ khai", "originals": 1, "copies": 0}])

    class Params:
        same_day = factory.Trait(processing_days=0)
        not_postal = factory.Trait(postal_eligible=False)
        unverified = factory.Trait(processing_days=None, fee=None)
