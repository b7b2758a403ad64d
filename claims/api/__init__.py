"""REST API, version 1 (/api/v1/): claims with their evidence, history, provenance and
ClaimReview, the change feed for incremental sync, sources, documents, jobs and bulk export.

Views are thin: they validate with small serializers, read through the query helpers in
`claims.api.queries`, and write only through `claims.workflow` and `claims.services`.
"""
