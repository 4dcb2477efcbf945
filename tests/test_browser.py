"""The web page in a real headless Chromium, against the real app over the real corpus index."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
DOCS_SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
TIMEOUT = 60  # seconds; the first query warms the models and can take a while on a slow machine

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason=f"browser tests need {CHROMIUM} and {CHROMEDRIVER} (Debian: apt-get install chromium chromium-driver, "
           "or `make browser`)")

webdriver = pytest.importorskip("selenium.webdriver", reason="browser tests need selenium: pip install -e '.[test]'")
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

EHCP = "EHCP 20 week timescale"
QUESTION = "how many looked after children were there in April 2018?"
SHOWN_DATE = re.compile(r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|"
                        r"December) \d{4}\b")


@pytest.fixture(scope="module")
def live_server(real_index):
    """The real app served by uvicorn on a free local port, in a background thread."""
    import uvicorn

    from qa.settings import ServiceSettings
    from qa.api.app import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))  # a port the OS says is free, held open so nothing can take it first
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(ServiceSettings(index_dir=real_index)), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 180  # the lifespan loads the embedder
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            pytest.fail("the app did not start under uvicorn")
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)
    sock.close()


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium with a throwaway profile and nothing reaching out to the network."""
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="council-qa-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-quic", f"--user-data-dir={profile}",
                     "--window-size=1280,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def wait(driver, condition, timeout: float = TIMEOUT):
    """Poll until condition(driver) is truthy; elements re-rendered meanwhile just mean 'not yet'."""
    return WebDriverWait(driver, timeout, poll_frequency=0.1,
                         ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)).until(condition)


def settled(driver) -> bool:
    """No request in flight: the page drops its loading class when a search or reader load ends."""
    return "loading" not in (driver.find_element(By.TAG_NAME, "body").get_attribute("class") or "")


def search_from_box(driver, base: str, query: str) -> None:
    """Open the page, type the query and press Enter, as an officer would."""
    driver.get(base + "/")
    box = wait(driver, lambda d: d.find_element(By.ID, "q"))
    box.clear()
    box.send_keys(query, Keys.ENTER)
    wait(driver, lambda d: "results for" in d.find_element(By.ID, "status").text and settled(d))


def cards(driver):
    return driver.find_elements(By.CSS_SELECTOR, "#results > li.result")


def shown_dates(driver) -> list[str]:
    return [t.get_attribute("datetime") for t in driver.find_elements(By.CSS_SELECTOR, "#results .cite-parts time")]


def screenshot(driver, name: str) -> None:
    """Into tests/artifacts/ always; into docs/screenshots/ as well when QA_UPDATE_SCREENSHOTS=1."""
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / name))
    if os.environ.get("QA_UPDATE_SCREENSHOTS") == "1":
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ARTIFACTS / name, DOCS_SCREENSHOTS / name)


def api_json(base: str, path: str, **params) -> dict:
    with urllib.request.urlopen(f"{base}{path}?{urllib.parse.urlencode(params)}", timeout=TIMEOUT) as response:
        return json.load(response)


def test_enter_runs_the_search_and_shows_cited_results(live_server, browser):
    search_from_box(browser, live_server, EHCP)
    found = cards(browser)
    assert found, "no result cards"
    first = found[0]
    citation = first.find_element(By.CSS_SELECTOR, ".citation cite").text
    assert SHOWN_DATE.search(citation), citation
    assert first.find_elements(By.CSS_SELECTOR, ".passage mark.hl"), "the passage has no highlighted spans"
    assert re.fullmatch(r"score -?\d+\.\d\d", first.find_element(By.CSS_SELECTOR, ".score").text)
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in shown_dates(browser))
    assert "q=EHCP+20+week+timescale" in browser.current_url
    assert f"{len(found)} results" in browser.find_element(By.ID, "status").text
    browser.execute_script("window.scrollTo(0, 0)")
    screenshot(browser, "results.png")


def test_date_filter_changes_the_results(live_server, browser):
    search_from_box(browser, live_server, EHCP)
    before = [c.get_attribute("data-passage") for c in cards(browser)]
    assert any(d < "2022-01-01" for d in shown_dates(browser)), "the unfiltered results should reach before 2022"

    # Set the date as the picker would (its typed format depends on the browser's locale) and fire `change`.
    browser.execute_script("const f = document.getElementById('f-date-from'); f.value = '2022-01-01';"
                           "f.dispatchEvent(new Event('change', {bubbles: true}));")
    wait(browser, lambda d: "date_from=2022-01-01" in d.current_url and settled(d)
         and [c.get_attribute("data-passage") for c in cards(d)] != before)
    dates = shown_dates(browser)
    assert dates and all(d >= "2022-01-01" for d in dates), dates
    after = [c.get_attribute("data-passage") for c in cards(browser)]
    assert set(after) != set(before)

    # The link carries the filter: opening it afresh shows the same results.
    browser.get(browser.current_url)
    wait(browser, lambda d: "results for" in d.find_element(By.ID, "status").text and settled(d))
    assert browser.find_element(By.ID, "f-date-from").get_attribute("value") == "2022-01-01"
    assert [c.get_attribute("data-passage") for c in cards(browser)] == after


def test_view_in_context_opens_the_reader(live_server, browser):
    search_from_box(browser, live_server, QUESTION.rstrip("?").replace("how many ", ""))
    first = cards(browser)[0]
    passage_id = first.get_attribute("data-passage")
    words = " ".join(first.find_element(By.CSS_SELECTOR, ".passage").text.split()[:8])
    first.find_element(By.CSS_SELECTOR, ".view-context").click()

    focus = wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#reader-passages .passage-focus"))
    wait(browser, lambda d: focus.is_displayed() and settled(d))
    assert focus.get_attribute("data-passage") == passage_id
    assert words in " ".join(focus.text.split())
    assert browser.find_elements(By.CSS_SELECTOR, "#reader-passages .reader-passage:not(.passage-focus)"), "no neighbours"
    page = browser.find_element(By.CSS_SELECTOR, "#reader-page .page")
    assert page.is_displayed()
    assert re.fullmatch(r"Page \d+|Page unknown: this text has no page breaks", page.text), page.text
    assert browser.find_element(By.CSS_SELECTOR, "#outline .outline-entry[aria-current]").is_displayed()
    screenshot(browser, "reader.png")

    # An outline entry loads its section's first passage.
    entry = next(e for e in browser.find_elements(By.CSS_SELECTOR, "#outline .outline-entry")
                 if e.get_attribute("aria-current") is None)
    target = entry.get_attribute("data-passage")
    entry.click()
    wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#reader-passages .passage-focus")
         .get_attribute("data-passage") == target and settled(d))

    browser.find_element(By.ID, "reader-back").click()
    wait(browser, lambda d: d.find_element(By.ID, "view-search").is_displayed() and cards(d))


def test_question_shows_an_answer_with_citation_links(live_server, browser):
    search_from_box(browser, live_server, QUESTION)
    panel = wait(browser, lambda d: d.find_element(By.ID, "answer"))
    assert panel.is_displayed()
    markers = panel.find_elements(By.CSS_SELECTOR, "a.cite-marker")
    assert markers, "the answer has no [n] citation links"
    marker = markers[0]
    assert re.fullmatch(r"\[\d+\]", marker.text)
    target = marker.get_attribute("href").rsplit("#", 1)[1]
    card = browser.find_element(By.ID, target)
    assert "result" in card.get_attribute("class")
    marker.click()
    wait(browser, lambda d: d.switch_to.active_element.get_attribute("id") == target)


def test_what_did_a_post_say_shows_their_statements_by_meeting(live_server, browser):
    search_from_box(browser, live_server, "what did the Director of Learning and Inclusion say about boys' attainment")
    panel = wait(browser, lambda d: d.find_element(By.ID, "answer"))
    assert panel.is_displayed()
    answer = panel.find_element(By.CSS_SELECTOR, ".answer-text").text
    assert "boys" in answer and "[1]" in answer and "[2]" not in answer  # only what it cites is numbered
    digest = wait(browser, lambda d: d.find_element(By.ID, "digest"))
    assert digest.is_displayed() and "Director of Learning and Inclusion:" in digest.text
    assert "Report title" not in digest.text and "Officer name" not in digest.text
    browser.execute_script("window.scrollTo(0, 0)")
    screenshot(browser, "answer.png")


def test_nonsense_shows_the_relevance_floor_message(live_server, browser):
    search_from_box(browser, live_server, "spaceship koala")
    empty = browser.find_element(By.ID, "empty")
    assert empty.is_displayed()
    assert not cards(browser)
    expected = api_json(live_server, "/search", q="spaceship koala")["message"]
    assert expected and browser.find_element(By.ID, "empty-message").text == expected
    assert "fewer words" in empty.text
    assert "0 results" in browser.find_element(By.ID, "status").text


def test_timeline_shows_matches_per_meeting(live_server, browser):
    search_from_box(browser, live_server, EHCP)
    chart = wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#timeline-chart svg"))
    assert browser.find_element(By.ID, "timeline").is_displayed()
    points = api_json(live_server, "/timeline", q=EHCP)["points"]
    dates = {p["meeting_date"] for p in points if p["count"] > 0}
    assert len(chart.find_elements(By.CSS_SELECTOR, "rect.bar")) == len(dates)
    label = chart.get_attribute("aria-label")
    assert all(str(int(d[8:])) in label for d in dates if d), label


def test_people_view_lists_posts_and_searches_a_person(live_server, browser):
    browser.get(live_server + "/?view=people")
    wait(browser, lambda d: d.find_element(By.ID, "view-people").is_displayed()
         and d.find_elements(By.CSS_SELECTOR, "#people-officers button.person"))
    roles = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "#people-officers .role")]
    assert any("Director" in r for r in roles), roles
    assert browser.find_elements(By.CSS_SELECTOR, "#people-councillors button.person")

    box = browser.find_element(By.ID, "people-filter")
    box.send_keys("Director of Learning")
    wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#people-officers li")) < len(roles))
    officers = browser.find_elements(By.CSS_SELECTOR, "#people-officers button.person")
    assert officers and all("Director of Learning" in li.text
                            for li in browser.find_elements(By.CSS_SELECTOR, "#people-officers li"))
    name = officers[0].text
    screenshot(browser, "people.png")
    officers[0].click()
    wait(browser, lambda d: d.find_element(By.ID, "view-search").is_displayed()
         and re.search(r"\d+ results? for", d.find_element(By.ID, "status").text) and settled(d))
    assert len(cards(browser)) > 1, "only the attendance list: the post-linked minutes are missing"
    assert any("Educational Achievement of Boys" in c.text for c in cards(browser))
    assert "person=" + urllib.parse.quote_plus(name) in browser.current_url
    assert browser.find_element(By.ID, "f-person").get_attribute("value") == name


def test_a_figure_question_draws_the_measure_over_time(live_server, browser):
    question = "how many looked after children were there in April 2018?"
    search_from_box(browser, live_server, question)
    chart = wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#figures-chart svg"))
    assert browser.find_element(By.ID, "figures").is_displayed()
    data = api_json(live_server, "/figures", q=question)
    dated = [f for f in data["figures"] if f["period_end"] or f["period_start"] or f["document"]["meeting_date"]]
    assert len(chart.find_elements(By.CSS_SELECTOR, "a.figure-point")) == len(dated) >= 2
    rows = browser.find_elements(By.CSS_SELECTOR, "#figures-rows tr")
    assert len(rows) == len(dated) and any("1179" in r.text.replace(",", "") for r in rows)
    assert "format=csv" in browser.find_element(By.ID, "figures-csv").get_attribute("href")
    answer = wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#answer .answer-text")).text
    assert "1179" in answer.replace(",", "")
    browser.execute_script("document.getElementById('figures').scrollIntoView()")
    screenshot(browser, "figures.png")
