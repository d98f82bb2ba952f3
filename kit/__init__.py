"""The kit: what a product app uses, and all it may import besides the catalogue.

Import the names from their module (``from kit.access import Access, access``):

- ``kit.access`` — ``Access`` (PUBLIC, LOGIN, LIMITED, FULL) and the ``@access(...)``
  decorator every view declares.
- ``kit.tenancy`` — ``TenantQuerySet``, ``TenantManager``, ``for_tenant()``,
  ``get_object_for_tenant()``: tenant data only through these.
- ``kit.form_tokens`` — ``OneTimeTokenMixin``, ``ALREADY_SENT``, ``new_form_token``, ``create_once``:
  a form posted once per token.
- ``kit.confirmation`` — 入力 → 確認 → 完了: ``EDIT``, ``CONFIRM``, ``requested_step``,
  ``confirmation_rows``.
- ``kit.drafts`` — drafts kept in the browser: ``draft_sent``, ``just_sent``.
- ``kit.mail`` — ``send_notice("<app>/email/<name>", user, context)``.
- ``kit.net`` — ``client_ip(request)``, ``user_agent(request)``.
- ``kit.spreadsheets`` — the one reader of uploaded tables (``read_table``,
  ``FileProblem``, ``limits_text``; CSV in any Japanese encoding and ``.xlsx``).
- ``kit.japanese`` — ``katakana``, ``kana_search_term``, ``plain_header``, ``parse_date``:
  kana, column titles and dates as Japanese HR files write them.
- ``kit.user_agents`` — ``describe(user_agent)`` in words.
- ``kit.compiled`` — ``CompiledQuery``: a hot query with a fixed shape, compiled
  once per process and run with each request's values.
- ``kit.admin_scoping`` — ``TenantScopedAdmin``, ``ReadOnlyAdminMixin``
  (``kit.admin_lookups`` keeps list filters to declared lookups).
- ``kit.decisions`` — deciding on a console detail page (``DecideOnPageMixin``, ``Choice``,
  ``DecisionRefused``) and what the console's front page counts as 対応待ち (``Waiting``).
- ``kit.core`` — the facade over ``accounts`` and ``licensing``: ``User``, ``Tenant``,
  ``ImportPreview``, ``import_upload`` / ``import_confirm`` / ``import_preview_discard``
  (upload → preview → confirm, kept in the database), ``PreviewRefused``, the 職務分掌 rules (``OwnRequest``, ``decision_check``,
  ``decision_record``, ``created_by_requester``, ``decider_note``, ``flagged_message``),
  ``login_id_key``, ``reached_level`` and ``ProductAdmin``.

Layers: every module here but ``kit.core`` needs Django only and sits below
``accounts`` (which builds on them); ``kit.core`` sits above ``licensing``.
tests/test_layers.py enforces both.
"""
