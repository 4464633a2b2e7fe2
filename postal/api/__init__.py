"""API of the postal back office: `/api/v1/assignments/`, `/authorisations/`,
`/data-entry-batches/` (with `…/{id}/records/` and `…/{id}/close/`) and `/guidance/`, one module
per subject.

The same selectors and services as the pages, so the same scope and the same refusals: 400 with
field errors, 403 when the role may not, 404 outside the caller's scope, 409 on a clash or a
state that does not allow the change. People are named by username, procedures by code and
counters by their number in the caller's ward, as in the dossier API.
"""
