"""What every browser test uses: the accessibility check and a few page helpers."""

import os
import re
import weakref

from axe_playwright_python.sync_playwright import Axe

# WCAG 2.0 and 2.1, levels A and AA: what the Polish accessibility law requires.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "resultTypes": ["violations"],
}
_axe = Axe()
# Anything not served by the live server (map tiles, fonts, analytics) is answered empty
# at once: the machines that run these tests have no network, and a test must not hang.
EXTERNAL = re.compile(r"^https?://(?!(127\.0\.0\.1|localhost)[:/])")
# Browser contexts with JavaScript switched off; see check_a11y.
NO_JS_CONTEXTS = weakref.WeakSet()


def answer_empty(route):
    route.fulfill(status=200, body=b"", headers={"Content-Type": "application/octet-stream"})


def axe_report(url, violations):
    """One block per violation: rule, impact, what it means, and every element it hit."""
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"\n- {violation['id']} ({violation.get('impact') or 'n/a'}): {violation['help']}"
        )
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            html = re.sub(r"\s+", " ", node.get("html", ""))[:300]
            lines.append(f"  * {target}")
            lines.append(f"    {html}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n      ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


def check_a11y(page, context=None):
    """Run axe-core on the page as it is now and assert that it reports no violation.

    With E2E_A11Y_SOFT=1 the violations are printed but do not fail the test, which helps
    to see which behaviours work while a template is being fixed. CI never sets it.
    """
    page.wait_for_load_state("load")
    if page.context in NO_JS_CONTEXTS:
        violations = _run_axe_on_a_copy(page, context)
    else:
        assert_fits_the_window(page)
        violations = _axe.run(page, context=context, options=AXE_OPTIONS).response["violations"]
    if not violations:
        return
    report = axe_report(page.url, violations)
    print(report)
    if os.environ.get("E2E_A11Y_SOFT") != "1":
        raise AssertionError(report)


def _run_axe_on_a_copy(page, context):
    """axe needs JavaScript (its checks wait on timers, which never fire without it).

    So the page as the no-JS browser has it (its DOM and its cookies) is loaded, at the
    same address so that styles resolve alike, into a browser with JavaScript, and checked
    there. Scripts in that copy are blocked: the page is checked as a no-JS visitor sees it.
    """
    html = page.content()
    url = page.url
    twin_context = page.context.browser.new_context(
        storage_state=page.context.storage_state(), locale="pl-PL", viewport=page.viewport_size
    )
    try:
        twin_context.route(EXTERNAL, answer_empty)
        twin = twin_context.new_page()
        twin.route(
            lambda u: u == url,
            lambda route: route.fulfill(
                status=200, body=html, content_type="text/html; charset=utf-8"
            ),
        )
        twin.route("**/*.js", lambda route: route.abort())
        twin.goto(url)
        assert_fits_the_window(twin, url)
        return _axe.run(twin, context=context, options=AXE_OPTIONS).response["violations"]
    finally:
        twin_context.close()


# The elements that stick out past the right edge of the window, for the failure message.
_WIDER_THAN_THE_WINDOW = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= window.innerWidth) { return []; }
  const culprits = Array.from(document.querySelectorAll("body *"))
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .filter((el) => el.parentElement.getBoundingClientRect().right <= width + 1)
    .slice(0, 8)
    .map((el) => el.outerHTML.slice(0, 160) + " … right edge at " +
      Math.round(el.getBoundingClientRect().right) + " px");
  return culprits.length ? culprits : ["scrollWidth " + document.documentElement.scrollWidth];
}"""


def assert_fits_the_window(page, url=None):
    """Nothing makes the page scroll sideways (WCAG 1.4.10 Reflow; a 390 px phone)."""
    sticking_out = page.evaluate(_WIDER_THAN_THE_WINDOW)
    width = page.evaluate("window.innerWidth")
    assert not sticking_out, (
        f"{url or page.url} is wider than the {width} px window:\n" + "\n".join(sticking_out)
    )


def visit(page, url, *, a11y=True):
    """Open a page, insist it answered without an error, and check its accessibility."""
    response = page.goto(url)
    assert response is not None, f"no response for {url}"
    assert response.status < 400, f"{url} answered {response.status}"
    if a11y:
        check_a11y(page)
    return response


def submit(form):
    """Click the form's first submit button and check the page it leads to."""
    page = form.page
    with page.expect_navigation():
        form.locator("button[type=submit], input[type=submit]").first.click()
    check_a11y(page)


def log_in(page, email, password):
    """Log in through the login page; allauth skips the form when already logged in."""
    from django.urls import reverse

    visit(page, reverse("account_login"))
    if "/accounts/login/" in page.url:
        form = page.locator("main form:has(input[name=password])")
        form.locator("input[name=login]").fill(email)
        form.locator("input[name=password]").fill(password)
        submit(form)
    assert "/accounts/login/" not in page.url, f"the login of {email} was refused"


def result_names(page):
    """The organization names listed in the directory, in order."""
    return [name.strip() for name in page.locator(".cards h2 a").all_inner_texts()]
