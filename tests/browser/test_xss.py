"""200 cross-site scripting payloads in every text field of a record, ingested for real and loaded
in Debian's Chromium in every context that shows them: 0 dialogs, 0 CSP violations, 0 payloads
rendered as live markup.

The records are opis's own JSON Lines export (``readers/opis_jsonl.py``), built from the seed's
record: one record per batch of 20 payloads, every payload of the batch in its title, summary,
text body, footnotes, archival locations (as written and the repository), people, a collection of
its own (slug and title) and, where it looks like one, the source URL. They are ingested with
``opis ingest`` into a fresh data directory served by ``opis serve``. Each context (document page,
search results for the batch, a search whose *query* is the payloads, the home page, the
collection list, a collection page, the JSON API and OAI-PMH) is loaded once per batch (once in
all for the home page and the collection list), not once per payload. A second test types every
payload as a user name at the login form (failed logins are in the audit trail), signs in as a
curator in Chromium and reads /staff/audit.

A payload counts as live when the page has an element or attribute it made: an event-handler
attribute, a script without a same-origin ``src``, a ``javascript:``/``data:`` URL in a link
attribute, an element of a kind the reading room never uses (iframe, an svg that is not one of
its own charts, object, …), an image
or stylesheet from elsewhere, a second ``<h1>``. A payload that runs shows as a dialog, a changed
``document.title`` or a CSP report (which also counts a payload that would have run without the
policy). And on the document page every payload must be there as text, whole.
"""

import json
import subprocess
import sys
import unicodedata
from urllib.parse import quote

import pytest
from lxml import etree

from browser.xss_payloads import PAYLOADS
from conftest import ROOT, SEED, SEED_ID, opis_env, opis_serving, require, run_opis

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings(
        "ignore:Exception ignored in. <_io.FileIO name=[0-9]+ mode='rb' closefd=True>"
        ":pytest.PytestUnraisableExceptionWarning"
    ),
]

CURATOR, PASSWORD = "curator-xss", "a long pass phrase for the curator"
BATCH = 20
BATCHES = [PAYLOADS[start : start + BATCH] for start in range(0, len(PAYLOADS), BATCH)]
SEPARATOR = " ¦ "
NOT_AS_TEXT = ("\x00", "\r", "\x01")  # characters HTML parsing itself drops or rewrites

WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));
"""

# Everything on the page that markup from a payload could have made.
LIVE_MARKUP = """
() => {
  const found = [];
  const here = location.origin;
  const foreign = url => { try { return new URL(url, location.href).origin !== here; }
                          catch (e) { return true; } };
  const never = new Set(['iframe', 'frame', 'frameset', 'object', 'embed', 'svg', 'math', 'base',
    'marquee', 'video', 'audio', 'source', 'xss', 'template', 'noscript', 'isindex', 'keygen',
    'image', 'plaintext', 'style']);
  const urlAttributes = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster'];
  for (const el of document.querySelectorAll('*')) {
    const markup = [
      'http://www.w3.org/1999/xhtml', 'http://www.w3.org/2000/svg',
      'http://www.w3.org/1998/Math/MathML'].includes(el.namespaceURI);
    if (!markup) continue;  // an XML document's own elements (OAI-PMH's dc:source)
    const tag = el.localName;
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
      if (name.startsWith('on') || name === 'style' || name === 'srcdoc')
        found.push(`${tag}[${name}]`);
      if (name === 'autofocus' && tag !== 'input') found.push(`${tag}[autofocus]`);
      if (urlAttributes.includes(name)
          && /^(javascript|vbscript|data:text|data:image\\/svg|&#)/.test(value))
        found.push(`${tag}[${name}=${attr.value.slice(0, 40)}]`);
    }
    const ownChart = tag === 'svg' && el.matches('svg.chart, svg.network__svg');  // opis's own
    if (never.has(tag) && !ownChart) found.push(`<${tag}>`);
    if (tag === 'script' && !(el.src && !foreign(el.src))) found.push('<script> inline or foreign');
    if (tag === 'img' && foreign(el.src)) found.push(`<img src=${el.src}>`);
    if (tag === 'link' && foreign(el.href)) found.push(`<link href=${el.href}>`);
    if (tag === 'a' && el.href && foreign(el.href) && new URL(el.href).hostname === 'evil.example')
      found.push('<a> to evil.example');
    if (tag === 'meta' && el.httpEquiv) found.push(`<meta http-equiv=${el.httpEquiv}>`);
    if (tag === 'i' && el.textContent === 'italic') found.push('<i>');  // search marks with <b>
    if (tag === 'form' && /logout/.test(el.getAttribute('action') || '') && !el.closest('.account'))
      found.push('logout form');  // the header's own is in .account
    if (tag === 'input' && el.name === 'csrfmiddlewaretoken' && el.value === 'forged')
      found.push('forged csrf input');
  }
  if (document.querySelectorAll('h1').length > 1) found.push('a second <h1>');
  if (document.title.trim() === 'XSS') found.push('document.title set');
  return found;
}
"""


def record_for(seed: dict, number: int, batch: list[str]) -> dict:
    """The seed's record with the batch's payloads in every text field."""
    joined = SEPARATOR.join(batch)
    text = {**seed["texts"][0], "body": "\n\n".join(batch) + f"\n\nxssbatch{number}"}
    urls = [p for p in batch if ":" in p[:30] and "<" not in p[:1]]
    return {
        **seed,
        "id": f"xss-{number}",
        "title": joined,
        "summary": f"xssbatch{number} {joined}",
        "citation": joined,
        "dateline": batch[0][:300],
        "signed": batch[-1][:300],
        "source_url": urls[0] if urls else batch[0],
        "texts": [text],
        "footnotes": [{"label": str(n + 1), "body": p} for n, p in enumerate(batch)],
        "locations": [
            {**{k: None for k in seed["locations"][0]}, "raw": p, "repository": p[:200]}
            for p in batch
        ],  # fmt: skip
        "agents": [
            {
                "name": p[:300],
                "kind": "person",
                "person_id": None,
                "role": "author",
                "signed_as": p[:300],
                "count": 1,
            }
            for p in batch
        ],  # fmt: skip
        "collections": [
            {"slug": f"xss-{number}-{n}", "title": p, "series": f"xss {number}", "position": n}
            for n, p in enumerate(batch)
        ],  # fmt: skip
        "notes": [],
        "threads": {"refers_to": [], "referred_by": []},
    }


@pytest.fixture(scope="module")
def hostile_room(tmp_path_factory):
    """A fresh archive: the seed and the payload records, served by ``opis serve``."""
    require(SEED)
    data = tmp_path_factory.mktemp("xss-data")
    run_opis(data, "ingest", str(SEED))
    seed = json.loads(run_opis(data, "show", SEED_ID, "--json").stdout)
    export = tmp_path_factory.mktemp("xss-export") / "hostile.jsonl"
    lines = [{"opis_export": 1}, *(record_for(seed, n, b) for n, b in enumerate(BATCHES)),
             {"opis_export_end": 1, "count": len(BATCHES)}]  # fmt: skip
    export.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    ingested = run_opis(data, "ingest", str(export), "--json")
    assert json.loads(ingested.stdout)["ingested"] == len(BATCHES), ingested.stdout
    env = opis_env(data, OPIS_API_RATE_LIMIT="0")
    subprocess.run([sys.executable, "-m", "opis.cli", "users", "add", CURATOR, "--role",
                    "curator"], input=PASSWORD, text=True, env=env, cwd=ROOT, check=True,
                   capture_output=True)  # fmt: skip
    with opis_serving(env) as base:
        yield base


class Attacker:
    """One browser context that counts dialogs, CSP violations and console errors."""

    def __init__(self, browser, base: str):
        self.base = base
        self.context = browser.new_context()
        self.context.add_init_script(WATCH)
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.console.append(f"page error: {error}"))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _console(self, message) -> None:
        if message.type in ("error", "warning") or "Content Security Policy" in message.text:
            self.console.append(f"{message.type}: {message.text}")

    def load(self, path: str) -> dict:
        """Load ``path``; what it showed and what the browser said while loading it."""
        self.console = []
        response = self.page.goto(self.base + path)
        self.page.wait_for_load_state("load")
        self.page.wait_for_timeout(100)  # autofocus, animations and image errors fire by now
        return {
            "status": response.status if response else None,
            "type": response.headers.get("content-type", "") if response else "",
            "violations": self.page.evaluate("window.__violations || []"),
            "live": self.page.evaluate(LIVE_MARKUP),
            "text": self.page.evaluate("document.documentElement.textContent"),
            "console": self.console,
        }


OAI_VOCABULARIES = {
    "http://www.openarchives.org/OAI/2.0/", "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "http://purl.org/dc/elements/1.1/",
}  # fmt: skip


def without(found: list[str], expected: list[str]) -> list[str]:
    left = list(found)
    for item in expected:
        if item in left:
            left.remove(item)
    return left


def foreign_xml(body: bytes) -> list[str]:
    """Elements of an OAI-PMH answer from outside its vocabularies (XHTML, SVG: injected)."""
    tree = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
    return [element.tag for element in tree.iter() if isinstance(element.tag, str)
            and etree.QName(element).namespace not in OAI_VOCABULARIES]  # fmt: skip


def contexts(number: int, batch: list[str]) -> dict[str, str]:
    query = quote(SEPARATOR.join(batch)[:900])
    return {
        "document page": f"/documents/xss-{number}",
        "search results": f"/search?q=xssbatch{number}",
        "search query": f"/search?q={query}",
        "collection page": f"/collections/xss-{number}-0",
        "API record": f"/api/documents/xss-{number}",
        "API search": f"/api/search?q=xssbatch{number}",
        "OAI-PMH record": f"/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier="
        f"oai:127.0.0.1:xss-{number}",
    }


def test_no_payload_runs_or_renders_as_markup_in_any_context(browser, hostile_room):
    attacker = Attacker(browser, hostile_room)
    tried: dict[str, int] = {}
    failures: list[str] = []

    # Chromium shows XML in a viewer of its own, with its own (inline, refused) style: what the
    # viewer adds to a payload-free OAI-PMH answer is the viewer's, not a payload's.
    viewer = attacker.load("/oai?verb=Identify")

    def check(context: str, path: str, batch: list[str]) -> dict:
        seen = attacker.load(path)
        if context.startswith("OAI"):
            seen["live"] = without(seen["live"], viewer["live"])
            seen["violations"] = without(seen["violations"], viewer["violations"])
            seen["console"] = without(seen["console"], viewer["console"])
            foreign = foreign_xml(attacker.page.request.get(attacker.base + path).body())
            if foreign:
                failures.append(f"{context} {path}: elements of other vocabularies {foreign[:3]}")
        tried[context] = tried.get(context, 0) + len(batch)
        if seen["status"] != 200:
            failures.append(f"{context} {path}: HTTP {seen['status']}")
        if seen["violations"]:
            failures.append(f"{context} {path}: CSP violations {seen['violations'][:3]}")
        if seen["live"]:
            failures.append(f"{context} {path}: live markup {seen['live'][:5]}")
        if seen["console"]:
            failures.append(f"{context} {path}: console {seen['console'][:2]}")
        return seen

    every_payload = [p for batch in BATCHES for p in batch]
    for context, path in (("home page", "/"), ("collection list", "/collections/")):
        seen = check(context, path, every_payload)
        missing = [p for p in every_payload if not p.startswith(NOT_AS_TEXT) and
                   all(c not in p for c in NOT_AS_TEXT) and p not in seen["text"]]  # fmt: skip
        if context == "collection list" and missing:
            failures.append(f"{context}: {len(missing)} collection titles not shown as text, "
                            f"e.g. {missing[:2]}")  # fmt: skip
    for number, batch in enumerate(BATCHES):
        for context, path in contexts(number, batch).items():
            seen = check(context, path, batch)
            if context.startswith("API"):
                assert seen["type"].startswith("application/json"), (context, seen["type"])
            if context == "document page":
                missing = [p for p in batch if all(c not in p for c in NOT_AS_TEXT)
                           and p not in seen["text"]]  # fmt: skip
                if missing:
                    failures.append(f"{path}: not shown as text: {missing[:3]}")
    attacker.context.close()

    summary = ", ".join(f"{context} {count}" for context, count in tried.items())
    print(f"\nXSS: {len(PAYLOADS)} payloads; payloads × contexts tried: "
          f"{sum(tried.values())} ({summary})")  # fmt: skip
    assert attacker.dialogs == [], attacker.dialogs[:5]
    assert failures == [], "\n".join(failures[:40])


def test_no_payload_runs_in_the_audit_trail_a_curator_reads(browser, hostile_room):
    """Failed logins put whatever an attacker typed as a user name into the trail, which
    /staff/audit shows a curator: every payload as a user name, then the curator's pages."""
    attacker = Attacker(browser, hostile_room)
    attacker.load("/accounts/login/")
    csrf = next(c["value"] for c in attacker.context.cookies() if c["name"] == "csrftoken")
    names = [p for p in PAYLOADS if len(p) <= 150]  # the login form's limit, as Django's
    for name in names:
        answer = attacker.page.request.post(hostile_room + "/accounts/login/", form={
            "username": name, "password": "not it", "csrfmiddlewaretoken": csrf})  # fmt: skip
        assert answer.status == 200, (name, answer.status)
    page = attacker.page
    page.get_by_label("User name").fill(CURATOR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(hostile_room + "/")
    assert f"Signed in as {CURATOR}" in page.inner_text(".account")

    failures, shown = [], ""
    for number in range(1, -(-len(names) // 50) + 2):
        seen = attacker.load(f"/staff/audit?action=authentication&page={number}")
        shown += seen["text"]
        for kind in ("violations", "live", "console"):
            if seen[kind]:
                failures.append(f"/staff/audit page {number}: {kind} {seen[kind][:3]}")
    as_recorded = [unicodedata.normalize("NFKC", n).strip() for n in names]  # Django's form
    missing = [n for n in as_recorded if all(c not in n for c in NOT_AS_TEXT) and n not in shown]
    attacker.context.close()
    print(f"\nXSS: {len(names)} payloads as user names on /staff/audit")
    assert attacker.dialogs == [], attacker.dialogs[:5]
    assert failures == [], "\n".join(failures[:20])
    assert missing == [], missing[:5]
