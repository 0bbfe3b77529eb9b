"""`upward rotate-keys`: re-encrypt every encrypted field under the newest field key.

Put the new key first in `UPWARD_FIELD_KEYS` (keep the old ones after it), run
this, then drop the old keys. Values are decrypted with whichever key made them
and written back under the first key, in batches, inside one transaction per
model: a failure leaves that model as it was.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from upward.core.fields import EncryptedTextField
from upward.core.progress import terminal_progress

BATCH = 500


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field under the first key of UPWARD_FIELD_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model in apps.get_models():
            fields = [f.name for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            done = 0
            with transaction.atomic():
                # Reading decrypts with any key; saving encrypts with the first.
                objects = model._default_manager.order_by("pk").only("pk", *fields)
                batch = []
                rows = objects.iterator(chunk_size=BATCH)
                for obj in terminal_progress(rows, total=objects.count(), desc=model._meta.label):
                    batch.append(obj)
                    if len(batch) == BATCH:
                        model._default_manager.bulk_update(batch, fields)
                        done += len(batch)
                        batch = []
                if batch:
                    model._default_manager.bulk_update(batch, fields)
                    done += len(batch)
            self.stdout.write(f"{model._meta.label}: {done} re-encrypted ({', '.join(fields)})")
            total += done
        self.stdout.write(f"{total} records now under the newest key.")
