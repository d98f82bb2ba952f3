"""First login of an A-ID in a real browser: scan the QR from the pixels, enter the code (FAQ ①⑤⑦)."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from .conftest import DESKTOP, PHONE, decode_qr, shot
from .flows import enter_code, log_in, totp_from_uri

pytestmark = pytest.mark.e2e


def test_a_id_first_login_scans_the_qr_and_reaches_the_portal(page, fresh_a):
    log_in(page, "a1000003", screenshot="01-login")
    assert page.url.startswith(page.base + "/accounts/setup/")
    qr = page.locator("#qr svg")
    qr.wait_for()
    shot(page, "02-setup")
    uri = decode_qr(qr.screenshot())
    assert uri.startswith("otpauth://totp/")
    assert "A1000003" in uri  # the account name is the login ID (FAQ ⑦)
    key_text = page.locator("#setup-key").inner_text().replace(" ", "")
    assert f"secret={key_text}&" in uri, "the QR code and the key shown as text are the same secret"

    enter_code(page, totp_from_uri(uri).now())
    assert page.url == page.base + "/"
    assert page.locator("#mode").inner_text() == "すべての機能"
    shot(page, "03-portal-full")
    assert TOTPDevice.objects.filter(user=fresh_a, confirmed=True).count() == 1


def test_qr_fits_a_phone_screen_with_its_quiet_zone(browser_factory, fresh_a):
    page = browser_factory(PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    log_in(page, "A1000003")
    qr = page.locator("#qr svg")
    qr.scroll_into_view_if_needed()
    box = qr.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= PHONE["width"], f"QR cut off at the right: {box}"
    assert box["y"] + box["height"] <= PHONE["height"], f"QR taller than the screen: {box}"
    assert box["width"] >= 150, f"QR too small to scan: {box}"

    # What the person sees on the screen (viewport only) is a readable QR code.
    uri = decode_qr(page.screenshot(full_page=False))
    assert "A1000003" in uri

    margins, module = _quiet_zone(qr.screenshot())
    assert min(margins) >= 3.5 * module, f"quiet zone {margins} px, module {module:.1f} px"

    enter_code(page, totp_from_uri(uri).now())
    assert page.url == page.base + "/"
    shot(page, "05-portal-phone", full_page=False)


def _quiet_zone(png: bytes):
    """White margins around the dark modules (left, top, right, bottom) and the module size."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    pixels = image.load()
    dark = [(x, y) for y in range(height) for x in range(width) if pixels[x, y] < 128]
    assert dark, "no dark pixels in the QR element"
    left = min(x for x, _ in dark)
    top = min(y for _, y in dark)
    right = max(x for x, _ in dark)
    bottom = max(y for _, y in dark)
    # The top-left finder pattern is 7 modules wide: measure its first dark row.
    run = 0
    while left + run < width and pixels[left + run, top + 1] < 128:
        run += 1
    module = run / 7
    return (left, top, width - 1 - right, height - 1 - bottom), module


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_setup_opens_at_the_qr_without_scrolling(browser_factory, fresh_a, viewport):
    """FAQ ⑤: the heading, the QR code and (on a phone) the add-to-app button are on the first screen."""
    phone = viewport is PHONE
    options = {"device_scale_factor": 2, "is_mobile": True, "has_touch": True} if phone else {}
    page = browser_factory(viewport, **options)
    log_in(page, "A1000003")
    page.locator("#qr svg").wait_for()
    assert page.evaluate("window.scrollY") == 0, "the page scrolled away from the top at load"
    assert page.evaluate("document.activeElement.tagName") != "INPUT", "the code field took focus at load"
    box = page.locator("#qr svg").bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], f"QR not wholly on screen: {box}"
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], box
    assert page.get_by_role("heading", name="2要素認証 初期設定").bounding_box()["y"] >= 0
    steps = page.locator("ol.stepper li").all_inner_texts()
    assert [s.split()[-1] if s else s for s in steps] == ["アプリを用意", "読み取り", "コード入力"], steps
    add = page.get_by_role("link", name="このスマートフォンの認証アプリに追加する")
    if phone:
        add_box = add.bounding_box()
        assert add_box["y"] + add_box["height"] <= viewport["height"], f"button below the first screen: {add_box}"
        shot(page, "04-setup-phone", full_page=False)
    else:
        assert not add.is_visible()  # an otpauth: link means nothing to a desktop browser
        shot(page, "02-setup-first-screen", full_page=False)
    uri = decode_qr(page.screenshot(full_page=False))  # readable as the person sees it
    assert "A1000003" in uri
    # キャンセル ends the unfinished login and shows the login page again.
    with page.expect_navigation():
        page.get_by_role("button", name="キャンセル").click()
    assert page.url.startswith(page.base + "/accounts/login/")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_an_imported_employee_sees_the_qr_and_the_add_button_under_the_banner(browser_factory, acme, viewport):
    """Issue 26 ③: an imported employee (仮パスワード, no app yet) has the banner above the page;
    the QR and, on a phone, 「このスマートフォンの認証アプリに追加する」 are still on the first screen."""
    from tests import helpers

    helpers.make_user("A1000009", acme, name="新人 九郎", temporary=True)
    phone = viewport is PHONE
    options = {"device_scale_factor": 2, "is_mobile": True, "has_touch": True} if phone else {}
    page = browser_factory(viewport, **options)
    log_in(page, "A1000009")
    assert page.url.startswith(page.base + "/accounts/setup/")
    page.locator("#qr svg").wait_for()
    assert page.locator("#temporary-password-banner").is_visible()
    box = page.locator("#qr svg").bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], f"QR not wholly on screen: {box}"
    assert box["width"] >= 150, box
    add = page.get_by_role("link", name="このスマートフォンの認証アプリに追加する")
    if phone:
        add_box = add.bounding_box()
        # With room to spare for a further two-line message above (any banner, not only this one).
        assert add_box["y"] + add_box["height"] <= viewport["height"] - 48, f"button too low: {add_box}"
    else:
        assert not add.is_visible()
    shot(page, f"04b-setup-banner-{'phone' if phone else 'desktop'}", full_page=False)
    assert "A1000009" in decode_qr(page.screenshot(full_page=False))
