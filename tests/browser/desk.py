"""Helpers of the review-desk browser tests: sign in, and count what a decision costs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PASSWORD = "a-long-test-password"
WIDTH = 1366  # the laptop screen the desk is judged at


def sign_in(browser: Any, live_server: Any, user: Any, *, height: int = 900) -> Any:
    context = browser.new_context(viewport={"width": WIDTH, "height": height})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    return page


@dataclass(frozen=True)
class Tally:
    loads: int
    clicks: int
    keystrokes: int
    texts: int

    def __str__(self) -> str:
        return (
            f"{self.loads} page loads, {self.clicks} clicks, {self.keystrokes} keystrokes, "
            f"{self.texts} typed texts"
        )


@dataclass
class Cost:
    """What a person does for one decision, counted as they would count it.

    A mouse click is one action; choosing from a drop-down is two (open it, pick the option);
    moving into a text field to type is one; a key press is one keystroke. Page loads are the
    main frame's navigations, counted by the browser itself.
    """

    page: Any
    clicks: int = 0
    keystrokes: int = 0
    typed: list[str] = field(default_factory=list)
    loads: int = 0

    def __post_init__(self) -> None:
        self.page.on("load", self._loaded)

    def _loaded(self, _page: Any) -> None:
        self.loads += 1

    def click(self, selector: str) -> None:
        self.clicks += 1
        self.page.click(selector)

    def choose(self, selector: str, value: str) -> None:
        self.clicks += 2
        self.page.select_option(selector, value)

    def type_into(self, selector: str, text: str) -> None:
        self.clicks += 1
        self.page.fill(selector, text)
        self.typed.append(text)

    def type_here(self, text: str) -> None:
        """Type where the focus already is: no click to get there."""
        self.page.keyboard.type(text)
        self.typed.append(text)

    def settle(self) -> None:
        """Wait until the page that is showing has fired its load event (and been counted)."""
        self.page.wait_for_load_state("load")
        self.page.wait_for_function("document.readyState === 'complete'")
        self.page.evaluate("1")  # a round trip: the load event has been delivered by now

    def snapshot(self) -> Tally:
        return Tally(self.loads, self.clicks, self.keystrokes, len(self.typed))

    def since(self, earlier: Tally) -> Tally:
        now = self.snapshot()
        return Tally(
            now.loads - earlier.loads,
            now.clicks - earlier.clicks,
            now.keystrokes - earlier.keystrokes,
            now.texts - earlier.texts,
        )

    def press(self, keys: str) -> None:
        self.keystrokes += 1
        self.page.keyboard.press(keys)


def expect_success(page: Any) -> str:
    """Wait for the admin's message after a save; fail with its text when it is not success."""
    page.wait_for_selector(".messagelist li, .errornote")
    errors = page.locator(".messagelist li.error, .errornote, .errorlist")
    if errors.count():
        raise AssertionError(f"the page says: {errors.all_inner_texts()}")
    return page.inner_text(".messagelist")


def select_text(page: Any, start: int, length: int) -> None:
    """Select characters ``start`` to ``start + length`` of the document page's text as a person
    would with the mouse (a range over the text, then mouseup)."""
    page.evaluate(
        """([start, length]) => {
            const root = document.getElementById('desk-text');
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            let seen = 0, node, range = document.createRange(), begun = false;
            while ((node = walker.nextNode())) {
                const n = node.textContent.length;
                if (!begun && seen + n > start) {
                    range.setStart(node, start - seen); begun = true;
                }
                if (begun && seen + n >= start + length) {
                    range.setEnd(node, start + length - seen); break;
                }
                seen += n;
            }
            const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
            root.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        }""",
        [start, length],
    )
