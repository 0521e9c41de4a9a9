"""Security headers on every page, and templates the Content-Security-Policy does not break.

The policy allows only the site's own scripts and styles, so no template may carry an
inline <script>, a style="" attribute or an on*= event handler: the browser would refuse
them silently.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import login

pytestmark = pytest.mark.django_db

TEMPLATE_ROOT = Path(settings.BASE_DIR) / "wspolpraca"
# An executable <script> without src: its type is absent or a JavaScript one. Data blocks
# (type="application/json") are not run and are allowed.
INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*\btype=[\"']?application/(?:ld\+)?json)[^>]*>",
    re.IGNORECASE,
)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def csp(response):
    return {
        directive.split()[0]: directive.split()[1:]
        for directive in response.headers["Content-Security-Policy"].split(";")
        if directive.strip()
    }


def templates():
    """Every template a browser is served. Documents (`…/pdf/…`) are not: WeasyPrint makes
    PDFs of them on the server, where their own <style> is how page boxes are set."""
    return sorted(
        path
        for path in TEMPLATE_ROOT.rglob("*.html")
        if "templates" in path.parts and "tests" not in path.parts and "pdf" not in path.parts
    )


@pytest.mark.parametrize("url", ["/", "/miasto/koordynatorzy/", "/api/docs/", "/api/v1/areas/"])
def test_pages_allow_only_the_sites_own_scripts_and_styles(client, url):
    policy = csp(client.get(url))
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_images_may_come_from_the_map_tile_servers(client):
    policy = csp(client.get("/"))
    assert "https://tile.openstreetmap.org" in policy["img-src"]
    assert "https://*.tile.openstreetmap.org" in policy["img-src"]
    assert "'self'" in policy["img-src"]


def test_without_a_geocoder_the_page_fetches_only_from_the_site(client):
    assert csp(client.get("/"))["connect-src"] == ["'self'"]


def test_a_configured_geocoder_is_allowed_to_be_fetched(monkeypatch):
    import os
    import subprocess
    import sys

    env = {**os.environ, "GEOCODER_URL": "https://nominatim.example.org/search?x=1"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'wspolpraca.settings'; "
            "django.setup(); from django.conf import settings; "
            "print(settings.CONTENT_SECURITY_POLICY['connect-src'])",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "'https://nominatim.example.org'" in result.stdout


def test_pages_refuse_camera_microphone_location_and_payments(client):
    policy = client.get("/").headers["Permissions-Policy"]
    for feature in ["camera", "microphone", "geolocation", "payment", "usb", "serial"]:
        assert f"{feature}=()" in policy


# Policy-controlled features that Chromium recognises in a Permissions-Policy header (its
# permissions_policy_features.json5, the ones a page might want to turn off). Any other
# name makes the browser log "Unrecognized feature" on every page.
RECOGNISED_FEATURES = {
    "accelerometer", "ambient-light-sensor", "autoplay", "camera", "clipboard-read",
    "clipboard-write", "display-capture", "encrypted-media", "fullscreen", "gamepad",
    "geolocation", "gyroscope", "hid", "idle-detection", "magnetometer", "microphone",
    "midi", "payment", "picture-in-picture", "publickey-credentials-get", "screen-wake-lock",
    "serial", "usb", "web-share", "xr-spatial-tracking",
}  # fmt: skip


def test_the_permissions_policy_names_only_features_browsers_recognise(client):
    policy = client.get("/").headers["Permissions-Policy"]
    features = {entry.split("=")[0].strip() for entry in policy.split(",")}
    assert features <= RECOGNISED_FEATURES, features - RECOGNISED_FEATURES


def test_other_sites_get_only_the_origin_as_referrer(client):
    assert client.get("/").headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_cannot_be_framed(client):
    response = client.get("/")
    assert response.headers["X-Frame-Options"] == "DENY"


def test_error_pages_carry_the_policy_too(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Content-Security-Policy" in response.headers


def test_the_back_office_carries_the_policy(client, platform_admin):
    login(client, platform_admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert csp(response)["script-src"] == ["'self'"]


def test_htmx_is_told_not_to_inject_its_indicator_style(client):
    assert b'"includeIndicatorStyles":false' in client.get("/").content


def test_templates_exist_to_be_scanned():
    assert len(templates()) > 20


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("inline <script>", INLINE_SCRIPT),
        ("<style> element", STYLE_ELEMENT),
        ("style attribute", STYLE_ATTRIBUTE),
        ("on* event handler", EVENT_HANDLER),
        ("javascript: URL", JAVASCRIPT_URL),
    ],
)
def test_no_template_has_what_the_policy_blocks(name, pattern):
    found = [
        f"{path.relative_to(settings.BASE_DIR)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in templates()
        for text in [path.read_text(encoding="utf-8")]
        for match in pattern.finditer(text)
    ]
    assert not found, f"{name} in: {', '.join(found)}"


def test_the_scan_finds_an_inline_script_and_a_handler():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js" defer></script>')
    assert not INLINE_SCRIPT.search('<script type="application/json" id="d">{}</script>')
    assert EVENT_HANDLER.search('<button type="button" onclick="go()">')
    assert STYLE_ATTRIBUTE.search('<div class="x" style="color: red">')
    assert not STYLE_ATTRIBUTE.search('<div data-style="x">')
