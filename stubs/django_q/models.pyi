import datetime as dt
from typing import Any, ClassVar

from django.db import models

class OrmQ(models.Model):
    objects: ClassVar[models.Manager[OrmQ]]
    key: str
    payload: str
    lock: dt.datetime | None
    def task_id(self) -> str | None: ...
    def name(self) -> str | None: ...
    def func(self) -> str: ...
    def args(self) -> Any: ...
