"""The pages people work in: server-rendered, Chinese, htmx where a page must
answer without a reload. Views read through ``ledger.selectors`` and write
through the services; access goes through ``access`` as in the API."""
