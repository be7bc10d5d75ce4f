"""Browser tests (Debian's Chromium through Playwright), a package of their own.

Being a package, this folder's ``conftest.py`` loads as ``browser.conftest`` and leaves the
suite's ``conftest`` (which every test module imports from) in place; two plain ``conftest``
modules would replace one another.
"""
