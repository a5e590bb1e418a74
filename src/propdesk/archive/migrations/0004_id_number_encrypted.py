"""ID document numbers encrypted at rest (PIPL): the clear column is replaced by ciphertext, a keyed
hash for exact lookup and the masked form. Needs settings.PROPDESK_DATA_KEY; reversible."""

from django.db import migrations, models

BATCH = 1000


def encrypt_numbers(apps, schema_editor):
    from propdesk.core import crypto
    from propdesk.core.sensitive import mask_changes, mask_id_number

    db = schema_editor.connection.alias  # the database being migrated, not necessarily "default"
    Customer = apps.get_model("archive", "Customer")
    batch = []
    for customer in Customer.objects.using(db).exclude(id_number="").only("pk", "id_number").iterator(chunk_size=BATCH):
        number = crypto.normalise_id_number(customer.id_number)
        customer.id_number_encrypted = crypto.encrypt(number) if number else ""
        customer.id_number_hash = crypto.blind_index(number) if number else ""
        customer.id_number_mask = mask_id_number(number)
        customer.id_number = ""
        batch.append(customer)
        if len(batch) >= BATCH:
            Customer.objects.using(db).bulk_update(batch, ["id_number", "id_number_encrypted", "id_number_hash",
                                                 "id_number_mask"])
            batch = []
    Customer.objects.using(db).bulk_update(batch, ["id_number", "id_number_encrypted", "id_number_hash",
                                                   "id_number_mask"])

    # Any timeline entry that ever kept an ID number unmasked gets the masked form.
    TimelineEvent = apps.get_model("core", "TimelineEvent")
    for event in TimelineEvent.objects.using(db).filter(changes__has_key="id_number").iterator(chunk_size=BATCH):
        masked = mask_changes(event.changes)
        if masked != event.changes:
            event.changes = masked
            event.save(update_fields=["changes"], using=db)


def decrypt_numbers(apps, schema_editor):
    from propdesk.core import crypto

    db = schema_editor.connection.alias
    Customer = apps.get_model("archive", "Customer")
    batch = []
    for customer in (Customer.objects.using(db).exclude(id_number_encrypted="").only("pk", "id_number_encrypted")
                     .iterator(chunk_size=BATCH)):
        customer.id_number = crypto.decrypt(customer.id_number_encrypted)
        batch.append(customer)
        if len(batch) >= BATCH:
            Customer.objects.using(db).bulk_update(batch, ["id_number"])
            batch = []
    Customer.objects.using(db).bulk_update(batch, ["id_number"])


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0003_login_code"),
        ("core", "0002_timelineevent_internal"),
    ]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="id_number_encrypted",
            field=models.TextField(blank=True, default="", verbose_name="ID document number (encrypted)"),
        ),
        migrations.AddField(
            model_name="customer",
            name="id_number_hash",
            field=models.CharField(blank=True, db_index=True, default="", max_length=64,
                                   verbose_name="ID document number (keyed hash)"),
        ),
        migrations.AddField(
            model_name="customer",
            name="id_number_mask",
            field=models.CharField(blank=True, default="", max_length=40, verbose_name="ID document number"),
        ),
        migrations.RunPython(encrypt_numbers, decrypt_numbers, elidable=False),
        migrations.RemoveField(model_name="customer", name="id_number"),
    ]
