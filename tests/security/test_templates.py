"""No template needs 'unsafe-inline' for scripts: no inline <script>, no on…= handler, no javascript: URL."""

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "propdesk"
# PDFs rendered by WeasyPrint never reach a browser: their <style> needs no nonce. Such a template says so
# in its first line with the comment PDF_MARK, or lives in a pdf/ folder (and is still checked for scripts
# and handlers).
PDF_MARK = "{# pdf: rendered by WeasyPrint, never served #}"
TEMPLATES = sorted(PACKAGE.glob("**/templates/**/*.html"))

SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"javascript:", re.I)
HX_ON = re.compile(r"\shx-on[:-]", re.I)
STYLE_ELEMENT = re.compile(r"<style\b([^>]*)>", re.I)


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 20


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_template_has_no_inline_script(template):
    text = template.read_text(encoding="utf-8")
    inline = [attrs for attrs in SCRIPT.findall(text)
              if "src=" not in attrs and "application/json" not in attrs and "csp_nonce" not in attrs]
    assert not inline, f"inline <script> without a nonce: move it to a static file ({inline})"
    assert not HANDLER.findall(text), "inline event handler: attach it from a static script"
    assert not JS_URL.findall(text), "javascript: URL"
    assert not HX_ON.findall(text), "hx-on needs eval, which the policy forbids"
    if not text.startswith(PDF_MARK) and template.parent.name != "pdf":
        assert all("csp_nonce" in attrs for attrs in STYLE_ELEMENT.findall(text)), "<style> without the nonce"


def test_htmx_is_configured_for_the_policy():
    for base in ("console/templates/console/base.html", "portal/templates/portal/base.html"):
        text = (PACKAGE / base).read_text(encoding="utf-8")
        config = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'', text)
        assert config, base
        assert '"includeIndicatorStyles":false' in config.group(1) and '"allowEval":false' in config.group(1)
