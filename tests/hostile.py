"""Hostile input: an XSS corpus and a check that a page rendered it inert.

Payloads follow OWASP's XSS filter-evasion cheat sheet and its common variants.
"""

import re

from bs4 import BeautifulSoup

XSS_PAYLOADS = [
    "<script>alert('XSS')</script>",
    "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    '<a onmouseover="alert(document.cookie)">xxs link</a>',
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC= onmouseover=\"alert('xxs')\">",
    '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
    '<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114'
    "&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116"
    '&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">',
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;"
    "&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    '<SCRIPT/XSS SRC="https://xss.example/xss.js"></SCRIPT>',
    '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
    '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
    "<SCRIPT SRC=//xss.example/.j>",
    "<IMG SRC=\"`('XSS')\"`",
    '</TITLE><SCRIPT>alert("XSS");</SCRIPT>',
    '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">',
    "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
    "<svg/onload=alert('XSS')>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=\"javascript:alert('XSS');\"></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<object data=\"javascript:alert('XSS')\"></object>",
    '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">клік</a>',
    '<a href="vbscript:msgbox(1)">клік</a>',
    '<a href=" &#x6A;avascript:alert(1)">клік</a>',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">',
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    "<p style=\"width: expression(alert('XSS'));\">текст</p>",
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    '<FORM><BUTTON FORMACTION="javascript:alert(1)">X</BUTTON></FORM>',
    '<details open ontoggle="alert(1)">',
    '<video><source onerror="alert(1)"></video>',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '" onmouseover="alert(1)" x="',
    "javascript:alert(1)",
    "</script><script>alert(1)</script>",
    "{{ 7*7 }}{% debug %}",
]

# Tags that must never reach a reader from an editor's input.
DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "base", "form", "svg", "math", "style"}
# Script elements that hold data, not code.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "importmap"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "background", "poster", "srcset"}
BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|data\s*:\s*text/html)", re.IGNORECASE)


def assert_inert(html, *, allowed_tags=frozenset(), allowed_scripts=(), form_actions=()):
    """Fail if the page holds markup that could run script.

    `allowed_tags` are dangerous tags the page has by design (the admin's own
    forms); `allowed_scripts` are prefixes of script URLs the page may load;
    `form_actions` the exact actions of the page's own forms (its search box).
    """
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(True):
        if element.name == "script":
            source = element.get("src", "")
            assert element.get("type") in DATA_SCRIPT_TYPES or (
                source and source.startswith(tuple(allowed_scripts))
            ), f"script reached the page: {element}"
        elif element.name == "form" and element.get("action") in form_actions:
            pass
        else:
            assert element.name not in DANGEROUS_TAGS - set(allowed_tags), element
        for attribute, value in element.attrs.items():
            assert not attribute.lower().startswith("on"), f"event handler: {element}"
            if attribute.lower() in URL_ATTRIBUTES:
                values = value if isinstance(value, list) else [value]
                for url in values:
                    cleaned = re.sub(r"[\x00-\x20]", "", url)
                    assert not BAD_SCHEME.match(cleaned), f"script URL: {element}"
        if element.name == "meta":
            assert element.get("http-equiv", "").lower() != "refresh", element
