"""Pytest plugin for browser tests (Playwright driving Debian's Chromium). Filled in by the web work."""
