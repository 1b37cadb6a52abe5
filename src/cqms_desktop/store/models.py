"""The database tables: one peewee model each, all bound to :data:`db.database_proxy`.

Editable records derive from :class:`VersionedModel`: a ``version`` column for optimistic
locking and who/when columns. Times are stored in UTC (naive ``datetime``, whole seconds, the
same on all three backends); dates are calendar dates in the company's time zone. Enumerated
values are stored as the codes of :mod:`cqms_desktop.domain.enums`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import peewee as pw

from .db import database_proxy


class BaseModel(pw.Model):
    """Binds every table to the shared proxy."""

    # peewee adds exactly this primary key when a model declares none; declaring it lets the type
    # checker see ``Model.id`` (a column in queries, an int on a row). Tables with their own
    # primary key (SchemaVersion, Setting, Counter) replace it, as before.
    id = pw.AutoField()

    if TYPE_CHECKING:
        # peewee's stubs leave get_id unannotated: the primary key's value, of whatever type.
        def get_id(self) -> Any: ...

    class Meta:
        database = database_proxy
        legacy_table_names = False


class VersionedModel(BaseModel):
    """A record users edit: optimistic locking and who changed it last."""

    version = pw.IntegerField(default=1)
    created_at = pw.DateTimeField()
    created_by = pw.CharField(max_length=64, null=True)
    updated_at = pw.DateTimeField()
    updated_by = pw.CharField(max_length=64, null=True)


class SchemaVersion(BaseModel):
    """One row per migration step applied."""

    version = pw.IntegerField(primary_key=True)
    applied_at = pw.DateTimeField()
    program_version = pw.CharField(max_length=32)


class Setting(BaseModel):
    """Business settings shared by every PC (company name, form codes, deadlines…), JSON."""

    key = pw.CharField(max_length=64, primary_key=True)
    value = pw.TextField()


class Counter(BaseModel):
    """Yearly number sequences (``CC-2026`` → last number used); numbers are never reused."""

    name = pw.CharField(max_length=32, primary_key=True)
    value = pw.IntegerField(default=0)


class AuditLog(BaseModel):
    """Append-only history: who changed which field of which record, when (UTC).

    Every row is hash-chained to the one before it (see :mod:`.audit_chain`): ``row_hash`` is
    the SHA-256 of ``prev_hash`` and all the row's other columns, so a changed, removed or
    inserted row breaks the chain from there on.
    """

    at = pw.DateTimeField(index=True)
    username = pw.CharField(max_length=64)
    table_name = pw.CharField(max_length=64)
    record_id = pw.IntegerField()
    action = pw.CharField(max_length=16)  # create | update | delete
    field = pw.CharField(max_length=64, null=True)
    old_value = pw.TextField(null=True)
    new_value = pw.TextField(null=True)
    prev_hash = pw.CharField(max_length=64, null=True)
    row_hash = pw.CharField(max_length=64, null=True)

    class Meta:
        indexes = (
            (("table_name", "record_id"), False),
            # What changed in a table since a moment: a past review's figures "as at" its end.
            (("table_name", "field", "action", "at"), False),
        )


class AuditChain(BaseModel):
    """The head of the audit chain (one row, id 1), updated in the same transaction as every
    append: the last row's id and hash and the number of rows, so rows cut off the end or a
    truncated table are noticed. Also the installation's key for the keyed digest of backups.

    Not in :data:`ALL_MODELS`: backups carry the head in their header, never the key.
    """

    id = pw.IntegerField(primary_key=True)
    last_id = pw.IntegerField()
    last_hash = pw.CharField(max_length=64)
    row_count = pw.IntegerField()
    digest_key = pw.CharField(max_length=64)


class Department(VersionedModel):
    """Display names and contact of the six departments of section 4."""

    code = pw.CharField(max_length=32, unique=True)
    name = pw.CharField(max_length=100)
    email = pw.CharField(max_length=200, default="")
    active = pw.BooleanField(default=True)


class User(VersionedModel):
    """A person who logs in; belongs to one department; may be an administrator."""

    username = pw.CharField(max_length=64, unique=True)
    full_name = pw.CharField(max_length=100)
    department = pw.CharField(max_length=32, index=True)
    is_admin = pw.BooleanField(default=False)
    active = pw.BooleanField(default=True)
    email = pw.CharField(max_length=200, default="")
    password_hash = pw.CharField(max_length=255)
    failed_logins = pw.IntegerField(default=0)
    locked_until = pw.DateTimeField(null=True)
    last_login_at = pw.DateTimeField(null=True)
    # The language of the user's e-mail digests ("" = the mail_language setting); step mail.
    language = pw.CharField(max_length=2, default="")
    # The user must choose a new password before working (step password_change).
    must_change_password = pw.BooleanField(default=False)


class Customer(VersionedModel):
    """A customer (scope, section 2) with the language its forms are printed in."""

    code = pw.CharField(max_length=32, unique=True)
    name = pw.CharField(max_length=200, index=True)
    address = pw.TextField(default="")
    contacts = pw.TextField(default="")
    phone = pw.CharField(max_length=64, default="")
    email = pw.CharField(max_length=200, default="")
    language = pw.CharField(max_length=2, default="zh")
    sales_rep = pw.ForeignKeyField(User, null=True, backref="customers", on_delete="SET NULL")
    if TYPE_CHECKING:
        # The raw key peewee keeps next to each foreign key (no query to read it).
        sales_rep_id: int | None
    active = pw.BooleanField(default=True, index=True)
    notes = pw.TextField(default="")


class Product(VersionedModel):
    """A product / part number."""

    part_number = pw.CharField(max_length=64, unique=True)
    name = pw.CharField(max_length=200)
    description = pw.TextField(default="")
    active = pw.BooleanField(default=True)


class DefectCategory(VersionedModel):
    """One entry of the managed defect-category list (Administration).

    A complaint stores the ``code``; lists, charts and forms show the label in the reader's
    language (zh/en/de), falling back to another label and finally to the code.
    """

    code = pw.CharField(max_length=64, unique=True)
    label_zh = pw.CharField(max_length=100, default="")
    label_en = pw.CharField(max_length=100, default="")
    label_de = pw.CharField(max_length=100, default="")
    active = pw.BooleanField(default=True)

    class Meta:
        table_name = "defect_category"


class Supplier(VersionedModel):
    """A supplier of parts or material (5.2.3 c: a complaint it is responsible for raises a
    Supplier Corrective Action Request), with the language its SCAR form is printed in."""

    code = pw.CharField(max_length=32, unique=True)
    name = pw.CharField(max_length=200, index=True)
    contacts = pw.TextField(default="")
    email = pw.CharField(max_length=200, default="")
    phone = pw.CharField(max_length=64, default="")
    language = pw.CharField(max_length=2, default="zh")
    active = pw.BooleanField(default=True, index=True)


class Holiday(BaseModel):
    """One day of the company's working-day calendar (``domain.company_calendar``): a closed
    day (public holiday, company closing day) or a working day (make-up working day 调休,
    company extra working day), from the public schedule or the company's own."""

    day = pw.DateField(unique=True)
    name = pw.CharField(max_length=100, default="")  # the note shown with the day
    # Added by schema step store/steps/calendar_days.py.
    kind = pw.CharField(max_length=16, default="closed")  # domain.company_calendar.DayKind
    source = pw.CharField(max_length=16, default="company")  # DaySource


class Visit(VersionedModel):
    """5.1.1: a visit to a customer, recorded on the Customer Visit Form."""

    number = pw.CharField(max_length=32, unique=True)
    customer = pw.ForeignKeyField(Customer, backref="visits", on_delete="RESTRICT")
    visit_date = pw.DateField(index=True)
    sales_people = pw.CharField(max_length=255, default="")
    visitor = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    if TYPE_CHECKING:
        # The raw key peewee keeps next to each foreign key (no query to read it).
        customer_id: int
        visitor_id: int | None
    customer_people = pw.CharField(max_length=255, default="")
    purpose = pw.TextField(default="")
    discussion = pw.TextField(default="")
    requests = pw.TextField(default="")
    follow_up = pw.TextField(default="")
    status = pw.CharField(max_length=32, default="open", index=True)
    # 5.1.1: why the requests skip one of the four departments (blank when they do not)
    routing_reason = pw.TextField(default="")


class Survey(VersionedModel):
    """5.1.3: a quarterly Customer Satisfaction Survey of one customer."""

    number = pw.CharField(max_length=32, unique=True)
    customer = pw.ForeignKeyField(Customer, backref="surveys", on_delete="RESTRICT")
    if TYPE_CHECKING:
        # The raw key peewee keeps next to each foreign key (no query to read it).
        customer_id: int
    quarter = pw.CharField(max_length=7, index=True)  # "2026-Q4"
    status = pw.CharField(max_length=32, default="planned", index=True)
    sent_on = pw.DateField(null=True)
    returned_on = pw.DateField(null=True)
    respondent = pw.CharField(max_length=100, default="")
    score_quality = pw.IntegerField(null=True)
    score_service = pw.IntegerField(null=True)
    score_price = pw.IntegerField(null=True)
    score_delivery = pw.IntegerField(null=True)
    overall = pw.DecimalField(max_digits=6, decimal_places=2, null=True)
    comments = pw.TextField(default="")

    class Meta:
        indexes = ((("customer", "quarter"), True),)


class Feedback(VersionedModel):
    """5.1.2: a customer's call, letter or visit on the Customer Quality Feedback Form."""

    number = pw.CharField(max_length=32, unique=True)
    customer = pw.ForeignKeyField(Customer, backref="feedback", on_delete="RESTRICT")
    received_at = pw.DateTimeField(index=True)
    channel = pw.CharField(max_length=32)
    caller = pw.CharField(max_length=100, default="")
    description = pw.TextField()
    urgent = pw.BooleanField(default=False)
    type = pw.CharField(max_length=32, default="other", index=True)
    status = pw.CharField(max_length=32, default="open", index=True)
    result = pw.TextField(default="")
    closed_at = pw.DateTimeField(null=True)
    registered_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    visit = pw.ForeignKeyField(Visit, null=True, backref="feedback", on_delete="SET NULL")
    survey = pw.ForeignKeyField(Survey, null=True, backref="feedback", on_delete="SET NULL")
    if TYPE_CHECKING:
        # The raw key peewee keeps next to each foreign key (no query to read it).
        customer_id: int
        registered_by_id: int | None
        visit_id: int | None
        survey_id: int | None


class Complaint(VersionedModel):
    """5.2: a customer complaint, recorded on the Customer Complaint Handling Form."""

    number = pw.CharField(max_length=32, unique=True)
    feedback = pw.ForeignKeyField(Feedback, null=True, backref="complaints", on_delete="SET NULL")
    customer = pw.ForeignKeyField(Customer, backref="complaints", on_delete="RESTRICT")
    product = pw.ForeignKeyField(Product, null=True, backref="complaints", on_delete="SET NULL")
    lot = pw.CharField(max_length=64, default="")
    qty_affected = pw.IntegerField(null=True)
    qty_delivered = pw.IntegerField(null=True)
    received_at = pw.DateTimeField(index=True)
    received_via = pw.CharField(max_length=32, default="phone")
    description = pw.TextField()
    customer_request = pw.TextField(default="")
    defect_category = pw.CharField(max_length=64, default="", index=True)
    severity = pw.CharField(max_length=16, default="normal", index=True)
    status = pw.CharField(max_length=32, default="registered", index=True)
    due_at = pw.DateTimeField(index=True)
    handled_at = pw.DateTimeField(null=True)
    qa_owner = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    # 5.2.2 investigation and analysis
    investigation = pw.TextField(default="")
    cause = pw.TextField(default="")
    evidence = pw.TextField(default="")
    team = pw.CharField(max_length=255, default="")
    onsite_by = pw.CharField(max_length=100, default="")
    onsite_on = pw.DateField(null=True)
    onsite_findings = pw.TextField(default="")
    # 5.2.3 c responsibility
    responsibility = pw.CharField(max_length=32, default="")
    explanation = pw.TextField(default="")
    # 5.2.3 d emergency countermeasures
    preliminary_plan = pw.TextField(default="")
    plan_fed_back_at = pw.DateTimeField(null=True)
    dispatch_by = pw.CharField(max_length=100, default="")
    dispatch_on = pw.DateField(null=True)
    dispatch_action = pw.TextField(default="")
    fg_checked = pw.IntegerField(null=True)
    fg_held = pw.IntegerField(null=True)
    fg_nonconforming = pw.IntegerField(null=True)
    wip_checked = pw.IntegerField(null=True)
    wip_held = pw.IntegerField(null=True)
    wip_nonconforming = pw.IntegerField(null=True)
    nc_report_number = pw.CharField(max_length=64, default="")
    # 5.2.5 customer communication
    oral_notice_at = pw.DateTimeField(null=True)
    oral_notice_by = pw.CharField(max_length=100, default="")
    oral_notice_to = pw.CharField(max_length=100, default="")
    copy_sent_at = pw.DateTimeField(null=True)
    copy_sent_via = pw.CharField(max_length=64, default="")
    copy_sent_to = pw.CharField(max_length=100, default="")
    customer_accepted_at = pw.DateTimeField(null=True)
    # 4.5 approval and closure
    approved_by = pw.CharField(max_length=64, default="")
    approved_at = pw.DateTimeField(null=True)
    closed_at = pw.DateTimeField(null=True, index=True)
    reopen_reason = pw.TextField(default="")
    repeat_of: pw.ForeignKeyField[Complaint | None] = pw.ForeignKeyField(
        "self", null=True, backref="repeats", on_delete="SET NULL"
    )
    if TYPE_CHECKING:
        # The raw key peewee keeps next to each foreign key (no query to read it).
        feedback_id: int | None
        customer_id: int
        product_id: int | None
        qa_owner_id: int | None
        repeat_of_id: int | None
        # The backrefs of CustomerResponse.complaint and CorrectiveAction.complaint.
        responses: pw.ModelSelect[CustomerResponse]
        actions: pw.ModelSelect[CorrectiveAction]
    # cost of poor quality (optional)
    cost_compensation = pw.DecimalField(max_digits=12, decimal_places=2, null=True)
    cost_freight = pw.DecimalField(max_digits=12, decimal_places=2, null=True)
    cost_scrap = pw.DecimalField(max_digits=12, decimal_places=2, null=True)
    cost_rework = pw.DecimalField(max_digits=12, decimal_places=2, null=True)
    cost_replacement = pw.DecimalField(max_digits=12, decimal_places=2, null=True)


class CustomerResponse(BaseModel):
    """Each answer of the customer to the handling result (5.2.5): the refusal loop's history."""

    complaint = pw.ForeignKeyField(Complaint, backref="responses", on_delete="CASCADE")
    if TYPE_CHECKING:
        # The raw key peewee keeps next to each foreign key (no query to read it).
        complaint_id: int
    accepted = pw.BooleanField()
    reason = pw.TextField(default="")
    recorded_at = pw.DateTimeField()
    recorded_by = pw.CharField(max_length=64)


class CorrectiveAction(VersionedModel):
    """5.2.3 e / 5.2.4: a long-term countermeasure, carried out and then verified by QA."""

    complaint = pw.ForeignKeyField(Complaint, backref="actions", on_delete="CASCADE")
    action_type = pw.CharField(max_length=32)
    description = pw.TextField()
    department = pw.CharField(max_length=32)
    owner = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    if TYPE_CHECKING:
        # The raw key peewee keeps next to each foreign key (no query to read it).
        complaint_id: int
        owner_id: int | None
    due_date = pw.DateField(index=True)
    status = pw.CharField(max_length=16, default="open", index=True)
    execution_note = pw.TextField(default="")
    executed_at = pw.DateTimeField(null=True)
    executed_by = pw.CharField(max_length=64, default="")
    verification_result = pw.TextField(default="")
    verified_by = pw.CharField(max_length=64, default="")
    verified_at = pw.DateTimeField(null=True)


class Scar(VersionedModel):
    """5.2.3 c: a Supplier Corrective Action Request QA raises from a complaint whose
    responsibility is the supplier's; states in :mod:`..domain.scar_rules`."""

    number = pw.CharField(max_length=32, unique=True)
    complaint = pw.ForeignKeyField(Complaint, backref="scars", on_delete="RESTRICT")
    supplier = pw.ForeignKeyField(Supplier, backref="scars", on_delete="RESTRICT")
    if TYPE_CHECKING:
        # The raw keys peewee keeps next to each foreign key (no query to read them).
        complaint_id: int
        supplier_id: int
    status = pw.CharField(max_length=32, default="awaiting_reply", index=True)
    # the request
    part = pw.CharField(max_length=200, default="")
    lot = pw.CharField(max_length=64, default="")
    defect = pw.TextField()
    evidence = pw.TextField(default="")
    containment = pw.TextField()
    reply_due = pw.DateField(index=True)
    raised_at = pw.DateTimeField()
    raised_by = pw.CharField(max_length=64)
    # the supplier's reply
    root_cause = pw.TextField(default="")
    corrective_action = pw.TextField(default="")
    effective_date = pw.DateField(null=True)
    replied_at = pw.DateTimeField(null=True)
    reply_recorded_by = pw.CharField(max_length=64, default="")
    # QA's verification
    verification_result = pw.TextField(default="")
    verified_by = pw.CharField(max_length=64, default="")
    verified_at = pw.DateTimeField(null=True)
    closed_at = pw.DateTimeField(null=True)
    closed_by = pw.CharField(max_length=64, default="")


class ServiceRecord(VersionedModel):
    """5.1.4 / 5.1.5: consultation, instructions, spare parts, exchanges, on-site service."""

    number = pw.CharField(max_length=32, unique=True)
    customer = pw.ForeignKeyField(Customer, backref="service_records", on_delete="RESTRICT")
    kind = pw.CharField(max_length=32, index=True)
    service_date = pw.DateField(index=True)
    product = pw.ForeignKeyField(Product, null=True, on_delete="SET NULL")
    if TYPE_CHECKING:
        # The raw key peewee keeps next to each foreign key (no query to read it).
        customer_id: int
        product_id: int | None
    subject = pw.CharField(max_length=255, default="")
    details = pw.TextField(default="")
    language = pw.CharField(max_length=2, default="")
    doc_version = pw.CharField(max_length=32, default="")
    agreed_on = pw.DateField(null=True)
    part_number = pw.CharField(max_length=64, default="")
    quantity = pw.IntegerField(null=True)
    reason = pw.TextField(default="")
    delivery_note = pw.CharField(max_length=64, default="")
    performed_by = pw.CharField(max_length=100, default="")
    result = pw.TextField(default="")
    status = pw.CharField(max_length=16, default="open", index=True)


class Circulation(BaseModel):
    """5.1.1 / 5.1.2 circulation (传阅): a visit's requests or a feedback sent to a department,
    acknowledged (签收) by someone there, with what the department did."""

    record_kind = pw.CharField(max_length=16)  # "visit" | "feedback"
    record_id = pw.IntegerField()
    department = pw.CharField(max_length=32)
    sent_at = pw.DateTimeField()
    sent_by = pw.CharField(max_length=64)
    acknowledged_at = pw.DateTimeField(null=True)
    acknowledged_by = pw.CharField(max_length=64, default="")
    response = pw.TextField(default="")

    class Meta:
        indexes = (
            (("record_kind", "record_id", "department"), True),
            (("department", "acknowledged_at"), False),
        )


class Attachment(BaseModel):
    """A photo, document or e-mail stored with a record."""

    record_kind = pw.CharField(max_length=16)
    record_id = pw.IntegerField()
    filename = pw.CharField(max_length=255)
    content_type = pw.CharField(max_length=100, default="application/octet-stream")
    size = pw.IntegerField()
    data = pw.BlobField()
    added_at = pw.DateTimeField()
    added_by = pw.CharField(max_length=64)

    class Meta:
        indexes = ((("record_kind", "record_id"), False),)


class SentMail(BaseModel):
    """One e-mail CQMS sent or tried to send: a form to a customer (kept with its record, the
    PDF exactly as sent), a digest, an escalation or a test message.

    ``status`` is ``sending`` from before the SMTP conversation until its outcome is recorded
    (``sent``, or ``not_sent`` with the reason); a row left ``sending`` means the program
    stopped in between and the outcome is unknown (see ``services.mail_outbox``).
    """

    kind = pw.CharField(max_length=16, index=True)  # form | digest | escalation | test
    record_kind = pw.CharField(max_length=16, default="")  # complaint | 8d | visit | …
    record_id = pw.IntegerField(null=True)
    lang = pw.CharField(max_length=2, default="")
    message_id = pw.CharField(max_length=255, unique=True)
    sender = pw.CharField(max_length=255)
    recipients = pw.TextField()  # addresses, one per line
    subject = pw.TextField()
    body = pw.TextField()
    attachment_name = pw.CharField(max_length=255, default="")
    attachment = pw.BlobField(null=True)
    #: The record's own attachments sent along (JSON list: id, name, size, sha256).
    extra_attachments = pw.TextField(default="")
    status = pw.CharField(max_length=16, index=True)  # sending | sent | not_sent
    reason = pw.TextField(default="")
    attempts = pw.IntegerField(default=0)
    created_at = pw.DateTimeField()
    created_by = pw.CharField(max_length=64)
    attempted_at = pw.DateTimeField()  # the start of the latest attempt
    sent_at = pw.DateTimeField(null=True)

    class Meta:
        indexes = ((("record_kind", "record_id"), False),)


class ReminderClaim(BaseModel):
    """ "This item was (being) reminded to this recipient on this day": inserted *before* the
    reminder is sent, under a unique key, so that of several ``cqms remind`` runs (PCs) on
    the same day exactly one sends it. ``token`` tells a run which claims it won."""

    recipient = pw.CharField(max_length=255)  # a user name, or an address for escalations
    item = pw.CharField(max_length=64)  # e.g. "complaint_step:complaint:12"
    day = pw.DateField()
    token = pw.CharField(max_length=64, index=True)
    claimed_at = pw.DateTimeField()
    mail = pw.ForeignKeyField(SentMail, null=True, on_delete="SET NULL")
    if TYPE_CHECKING:
        mail_id: int | None

    class Meta:
        indexes = ((("recipient", "item", "day"), True),)


class ReviewSignoff(BaseModel):
    """A management review the General Manager signed off: the workbook exactly as it was
    signed (re-printed byte for byte) and its Summary figures (to show what has changed
    since). One per period and scope (all customers: ``customer_code`` empty)."""

    period = pw.CharField(max_length=16)  # "2026-Q3", "2026-09", "2026"
    customer_code = pw.CharField(max_length=64, default="")
    signed_by = pw.CharField(max_length=64)
    signed_at = pw.DateTimeField()
    language = pw.CharField(max_length=8, default="")
    note = pw.TextField(default="")
    figures = pw.TextField()  # JSON: Summary code → value
    workbook = pw.BlobField()
    workbook_sha256 = pw.CharField(max_length=64)

    class Meta:
        table_name = "review_signoff"
        indexes = ((("period", "customer_code"), True),)


#: Every table, in an order that respects foreign keys (creation, backup and restore use it).
ALL_MODELS: list[type[BaseModel]] = [
    SchemaVersion,
    Setting,
    Counter,
    AuditLog,
    Department,
    User,
    Customer,
    Product,
    DefectCategory,
    Supplier,
    Holiday,
    Visit,
    Survey,
    Feedback,
    Complaint,
    CustomerResponse,
    CorrectiveAction,
    Scar,
    ServiceRecord,
    Circulation,
    Attachment,
    SentMail,
    ReminderClaim,
    ReviewSignoff,
]
