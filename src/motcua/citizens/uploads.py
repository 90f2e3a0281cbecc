"""Upload checks for the citizen portal: the shared checks of `motcua.uploads` (one place for all)."""

from motcua.uploads import (  # noqa: F401
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
