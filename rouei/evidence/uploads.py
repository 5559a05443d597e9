"""The upload handler of the evidence form: the file goes straight into the store while hashed.

Installed by the upload view for that one request, after the access check and before the body
is read. The content is streamed into ``store.BlobWriter`` (the store's tmp/ folder, mode
0600), never held in memory; the action links it under its SHA-256. A file over
``ROUEI_EVIDENCE_MAX_BYTES`` is skipped as soon as that is known (from the request's
Content-Length, the part's length, or while counting), so nothing of it stays on disk, and the
form says so. A pending file that no action took (a refused form, a failed CSRF check) is
removed when the request closes its files.
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopFutureHandlers

from rouei.evidence import store

# Room for the form's other fields and the multipart framing beyond the file itself.
FORM_OVERHEAD = 1024 * 1024


class EvidenceUpload(UploadedFile):
    """The uploaded file as the form sees it; ``pending`` is the hashed content."""

    def __init__(self, pending: store.PendingBlob, name: str, content_type: str):
        super().__init__(file=None, name=name, content_type=content_type, size=pending.size)
        self.pending = pending
        self.original_name = name

    def open(self, mode=None):
        return open(self.pending.path, "rb")

    def close(self):
        self.pending.discard()

    @property
    def closed(self):  # File.closed looks at self.file, which this one does not have
        return not self.pending.path.exists()


class EvidenceUploadHandler(FileUploadHandler):
    def __init__(self, request=None, *, field_name: str = "file", limit: int | None = None):
        super().__init__(request)
        self.field_name = field_name
        self.limit = store.max_bytes() if limit is None else limit
        self.oversize = False
        self._declared_too_large = False
        self._writer: store.BlobWriter | None = None

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # Returning nothing lets Django's parser go on; the file part is skipped in new_file.
        self._declared_too_large = bool(content_length) and (
            content_length > self.limit + FORM_OVERHEAD)

    def new_file(self, field_name, file_name, content_type, content_length, charset=None,
                 content_type_extra=None):
        super().new_file(field_name, file_name, content_type, content_length, charset,
                         content_type_extra)
        self._writer = None
        if field_name != self.field_name:
            raise SkipFile  # one file per item, in its own field
        if self._declared_too_large or (content_length or 0) > self.limit:
            self.oversize = True
            raise SkipFile
        self._writer = store.BlobWriter(self.limit)
        raise StopFutureHandlers

    def receive_data_chunk(self, raw_data, start):
        try:
            self._writer.write(raw_data)
        except store.TooLarge:
            self._writer = None
            self.oversize = True
            raise SkipFile from None

    def file_complete(self, file_size):
        if self._writer is None:
            return None
        pending = self._writer.finish()
        self._writer = None
        return EvidenceUpload(pending, self.file_name, self.content_type or "")

    def upload_interrupted(self):
        if self._writer is not None:
            self._writer.abort()
            self._writer = None
