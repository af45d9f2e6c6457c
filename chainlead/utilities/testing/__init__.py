"""Test bases: ``base`` (organisation fixtures, change-log and query assertions), ``models``
(generated per-model page and API tests) and ``browser`` (Playwright with Debian's Chromium)."""
