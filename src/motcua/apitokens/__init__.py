"""Bearer tokens for staff calls to the REST API (`motcua issue_token USERNAME`, `motcua revoke_token`)."""
