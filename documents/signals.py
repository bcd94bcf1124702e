"""What the documents app announces to the processes that issue documents. It never calls back
into a process (ARCHITECTURE: documents imports nothing from workflows); a process connects
receivers in its AppConfig.ready and picks out its own kinds (`document.kind`, `kind`).

document_issued — a document was issued (or re-issued: `document.replaces` is set). Sent by
    issuing.document_issue / document_reissue inside the issuing transaction, with
    sender=the KindSpec, document=the IssuedDocument, actor=the user (or None). A receiver that
    raises rolls the whole issue back: no number is taken, no file kept. Not sent when the
    artefact already had its document (a retried job returns it).

document_failed — a document enqueued with tasks.document_issue_later will not come: its data
    are wrong (a DocumentError) or the retries of a transient error are used up. Sent once, by
    the worker, outside any transaction, with sender=the KindSpec (None for an unknown kind),
    kind=the code, artefact=the model instance (None when it cannot be loaded),
    artefact_type_id / artefact_id, person=the orgstructure.Person the document is about (or
    None) and reason=a Russian message for the people who handle the case. Each receiver should
    write in a transaction of its own; a receiver that raises is logged and does not stop the
    others or retry the job.
"""

from django.dispatch import Signal

document_issued = Signal()
document_failed = Signal()
