"""Upload checks for the citizen portal: the shared checks of `motcua.documents.uploads` (one place for all)."""

from motcua.documents.uploads import (  # noqa: F401
    ALLOWED_EXTENSIONS,
    DANGEROUS_EXTENSIONS,
    MAX_NAME_LENGTH,
    SIGNATURES,
    CheckedFile,
    check_name,
    check_upload,
    check_uploads,
    max_upload_bytes,
    sniff,
)
