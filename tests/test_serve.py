"""jobdesc serve: the studio driven in a real headless Chromium, and its guards over plain HTTP.

The story: open the studio, pick Spanish for Spain, read where clause IV.1 comes from, edit it,
see the page change, see the redline against the start, download the PDF and find the edit in
it; a file saved in an editor refreshes the page; another site can neither write nor reach a
studio that listens beyond this machine without its token."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import pdf_pages, pdf_text, require
from selenium import webdriver  # the test extra: bash scripts/setup --test
from selenium.common.exceptions import (
    NoSuchElementException,
    NoSuchFrameException,
    StaleElementReferenceException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait

REPO = Path(__file__).resolve().parent.parent
CLAUSE = "improper-performance"  # IV.1 of the Spanish instruction, from the jurisdiction
EDITED = "De los incumplimientos de sus obligaciones, según el reglamento interno de Comercial Manzanares."
SCREENSHOTS = os.environ.get("JOBDESC_SCREENSHOTS")  # a folder: save the main views there (docs/serve-*.png)


@dataclass
class Server:
    url: str
    profiles: Path
    out: Path
    output: str  # what it printed on starting


def _free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "jobdesc", *args], cwd=REPO, env=env, capture_output=True, text=True)


@pytest.fixture
def serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`jobdesc serve` over an empty profiles folder of one's own, on HOST (loopback by default)."""
    started: list[subprocess.Popen[str]] = []

    def start(host: str = "127.0.0.1") -> Server:
        folder = tmp_path_factory.mktemp("studio")
        (folder / "profiles").mkdir()
        port = _free_port(host)
        args = ["--profiles", str(folder / "profiles"), "serve", "--no-browser", "--host", host, "--port", str(port)]
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        command = [sys.executable, "-m", "jobdesc", *args, "-o", str(folder / "out")]
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
        started.append(process)
        assert process.stdout is not None
        printed = process.stdout.readline()
        address = re.search(r"http://\S+", printed)
        assert address, printed
        for _ in range(100):
            try:
                with socket.create_connection((host, port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        return Server(address.group(0), folder / "profiles", folder / "out", printed)

    yield start  # type: ignore[misc]
    for process in started:
        process.terminate()
        process.wait(10)
        if process.stdout:
            process.stdout.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[WebDriver, Path]]:
    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = require("chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads)})
    driver = webdriver.Chrome(service=Service(require("chromedriver")), options=options)
    try:
        yield driver, downloads
    finally:
        driver.quit()


def _shot(driver: WebDriver, name: str) -> None:
    """A screenshot for the README: three quarters of the size, in 64 colours (small in git)."""
    if SCREENSHOTS:
        from PIL import Image

        path = Path(SCREENSHOTS) / f"serve-{name}.png"
        driver.save_screenshot(str(path))
        image = Image.open(path).convert("RGB")
        image = image.resize((image.width * 3 // 4, image.height * 3 // 4), Image.Resampling.LANCZOS)
        image.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def _in_page(driver: WebDriver, clause: str) -> str:
    """The clause's text as the preview frame shows it."""
    driver.switch_to.frame("page")
    try:
        return str(driver.find_element(By.ID, clause).text)
    finally:
        driver.switch_to.default_content()


def _page_markers(driver: WebDriver) -> list[list[str]]:
    """Each page marker of the preview, with the text after it."""
    driver.switch_to.frame("page")
    try:
        return list(
            driver.execute_script(
                "return [...document.querySelectorAll('.studio-page')]"
                ".map(m => [m.textContent, m.nextElementSibling ? m.nextElementSibling.textContent : ''])"
            )
        )
    finally:
        driver.switch_to.default_content()


def _wait(driver: WebDriver, what: object, seconds: float = 30) -> None:
    """Until ``what`` holds; the preview frame is replaced on each render, so a look that meets
    the old page going away looks again."""
    passing = (StaleElementReferenceException, NoSuchElementException, NoSuchFrameException)
    WebDriverWait(driver, seconds, poll_frequency=0.1, ignored_exceptions=passing).until(what)  # type: ignore[arg-type]


def _explained(clause: str) -> dict[str, str]:
    explained = json.loads(_cli("explain", "--lang", "es", "--jurisdiction", "es", "--json").stdout)
    found = [c for s in explained["sections"] if s["numeral"] == "IV" for c in s["clauses"] if c["id"] == clause]
    assert found, explained
    return dict(found[0])


def test_pick_read_edit_compare_download(serve: object, browser: tuple[WebDriver, Path]) -> None:
    server: Server = serve()  # type: ignore[operator]
    driver, downloads = browser
    driver.get(server.url)
    _wait(driver, lambda d: d.find_element(By.NAME, "jurisdiction").find_elements(By.TAG_NAME, "option")[1:])
    Select(driver.find_element(By.NAME, "jurisdiction")).select_by_value("es")
    Select(driver.find_element(By.NAME, "lang")).select_by_value("es")
    assert "jurisdiction=es" in driver.current_url and "lang=es" in driver.current_url  # a link to this variant
    was = _explained(CLAUSE)
    _wait(
        driver, lambda d: (d.find_element(By.TAG_NAME, "body").get_attribute("data-shown") or "").endswith("es&lang=es")
    )
    assert was["text"].split() == _in_page(driver, CLAUSE).split()[1:]  # after its number; spaces may be non-breaking

    # The clause's provenance, as `jobdesc explain` gives it.
    driver.switch_to.frame("page")
    clause = driver.find_element(By.ID, CLAUSE)
    ActionChains(driver).move_to_element(clause).perform()
    driver.switch_to.default_content()
    provenance = driver.find_element(By.ID, "provenance").text
    assert provenance == f"{was['number']} [{CLAUSE}] · jurisdiction · {was['origin']}"
    assert was["origin"].startswith("profiles/jurisdictions/es.yaml:")
    _shot(driver, "studio")

    # A text the pipeline refuses: the CLI's message beside the clause, and nothing written.
    driver.switch_to.frame("page")
    driver.find_element(By.ID, CLAUSE).click()
    driver.switch_to.default_content()
    text = driver.find_element(By.ID, "text")
    text.clear()
    text.send_keys("Responde según {{ salario }}.")
    driver.find_element(By.CSS_SELECTOR, "#edit button").click()
    problem = driver.find_element(By.ID, "clause-problem")
    _wait(driver, lambda d: problem.is_displayed())
    assert "'salario' is undefined; the variables a clause can use are:" in problem.text
    assert not (server.profiles / "organisations").exists() or not list((server.profiles / "organisations").iterdir())

    # The edit: into the organisation's own file, and the page shows it.
    text.clear()
    text.send_keys(EDITED)
    driver.find_element(By.CSS_SELECTOR, "#edit button").click()
    _wait(driver, lambda d: EDITED in _in_page(d, CLAUSE))
    assert not problem.is_displayed()
    overlay = yaml.safe_load((server.profiles / "organisations" / "es.yaml").read_text(encoding="utf-8"))
    replaced = [o for o in overlay["clauses"] if o.get("replace") == CLAUSE]
    assert replaced[0]["text"]["es"] == EDITED
    assert EDITED not in (REPO / "profiles" / "organisations" / "es.yaml").read_text(encoding="utf-8")
    assert _cli("--profiles", str(server.profiles), "validate", "--org", "es").returncode == 0

    # The redline against the start of the session: the old words struck, the new underlined.
    driver.find_element(By.CSS_SELECTOR, "#against button").click()
    _wait(driver, lambda d: "1 changed" in d.find_element(By.ID, "counts").text)
    _shot(driver, "redline")
    driver.switch_to.frame("redline")
    inserted = " ".join(e.text for e in driver.find_elements(By.TAG_NAME, "ins"))
    deleted = " ".join(e.text for e in driver.find_elements(By.TAG_NAME, "del"))
    driver.switch_to.default_content()
    assert "reglamento interno" in inserted and "Estatuto" in deleted

    # The PDF of exactly this variant, with the edit on its page.
    driver.find_element(By.ID, "pdf").click()
    _wait(driver, lambda d: list(downloads.glob("*.pdf")))
    pdf = next(downloads.glob("*.pdf"))
    assert pdf.name == "account-manager_es_es-ES.pdf"
    for _ in range(50):  # the browser renames the file once it is whole
        if pdf.stat().st_size and not list(downloads.glob("*.crdownload")):
            break
        time.sleep(0.1)
    assert "reglamento interno de Comercial Manzanares" in " ".join(pdf_text(pdf, mode="-raw").split())

    # The preview marks the PDF's pages: as many, each starting where the PDF's does.
    markers: list[list[str]] = []
    _wait(driver, lambda d: markers.extend(_page_markers(d)) or markers)
    assert markers[0][0] == f"page 1 of {pdf_pages(pdf)}" and len(markers) > 1
    for label, first_clause in markers[1:]:
        page = int(label.split()[1])
        opening = " ".join(first_clause.split()[:6])
        assert opening in " ".join(pdf_text(pdf, first=page, last=page, mode="-raw").split()), (label, opening)

    # Saved in an editor: the open page follows within a second (or two on a busy machine).
    overlay_file = server.profiles / "organisations" / "es.yaml"
    overlay_file.write_text(overlay_file.read_text(encoding="utf-8").replace("reglamento interno", "código interno"))
    started = time.monotonic()
    _wait(driver, lambda d: "código interno" in _in_page(d, CLAUSE), seconds=10)
    assert time.monotonic() - started < 5  # told within a second (below), then rendered anew

    # Status: the output folder's PDF after a render, then out of date once the clause changes.
    driver.find_element(By.ID, "render").click()
    _wait(driver, lambda d: "up to date" in d.find_element(By.ID, "status").text)
    assert "approved-by: empty" in driver.find_element(By.ID, "status").text
    overlay_file.write_text(overlay_file.read_text(encoding="utf-8").replace("código interno", "código nuevo"))
    _wait(driver, lambda d: "OUT OF DATE" in d.find_element(By.ID, "status").text, seconds=10)


def _request(url: str, method: str = "GET", headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(
        url, method=method, headers=headers or {}, data=b"{}" if method == "POST" else None
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode()


def test_another_site_cannot_write_or_rebind(serve: object) -> None:
    server: Server = serve()  # type: ignore[operator]
    own = server.url.rstrip("/")
    write = f"{own}/api/clause"
    status, said = _request(write, "POST", {"Origin": "http://evil.example", "Content-Type": "application/json"})
    assert (status, said) == (403, "a write from another origin (http://evil.example) is refused")
    status, said = _request(write, "POST", {"Origin": own, "Content-Type": "application/json"})
    assert status == 403 and "CSRF token" in said
    status, said = _request(f"{own}/api/choices", headers={"Host": "evil.example"})  # DNS rebinding
    assert status == 400
    assert not (server.profiles / "organisations").exists()
    status, said = _request(f"{own}/api/choices")
    assert status == 200 and "es" in json.loads(said)["jurisdiction"]


def test_beyond_loopback_every_request_needs_the_printed_token(serve: object) -> None:
    server: Server = serve("127.0.0.2")  # type: ignore[operator]
    token = re.search(r"\?token=(\S+)", server.output)
    assert token, server.output
    bare = server.url.split("?")[0]
    assert _request(f"{bare}api/choices")[0] == 403
    assert _request(f"{bare}api/choices?token=wrong")[0] == 403
    assert _request(f"{bare}api/choices", headers={"X-Jobdesc-Token": token.group(1)})[0] == 200
    status, page = _request(server.url)
    assert status == 200 and 'name="csrf-token"' in page


def test_a_bad_variant_is_the_cli_message_never_a_traceback(serve: object) -> None:
    server: Server = serve()  # type: ignore[operator]
    status, said = _request(f"{server.url}api/document?role=nope")
    assert status == 200 and json.loads(said)["error"].startswith("unknown role 'nope'; valid: account-manager")
    status, said = _request(f"{server.url}api/redline?against=rev&value=--output=/tmp/studio-written.tar")
    assert (
        json.loads(said)["error"]
        == "'--output=/tmp/studio-written.tar' is not a git revision: a revision never starts with '-'"
    )
    assert not Path("/tmp/studio-written.tar").exists()
    status, said = _request(f"{server.url}export/pdf?org=../../etc/passwd")
    assert status == 422 and "is not a name" in said and "Traceback" not in said


def test_a_saved_file_is_announced_within_a_second(serve: object) -> None:
    server: Server = serve()  # type: ignore[operator]
    overlay = server.profiles / "organisations" / "es.yaml"
    overlay.parent.mkdir()
    with urllib.request.urlopen(f"{server.url}events", timeout=10) as stream:
        assert stream.readline().startswith(b"retry:")
        time.sleep(0.5)  # the watcher has read the folders once
        saved = time.monotonic()
        overlay.write_text((REPO / "profiles" / "organisations" / "es.yaml").read_text(encoding="utf-8"))
        while not stream.readline().startswith(b"event: change"):
            pass
        assert time.monotonic() - saved < 1


def test_a_port_in_use_is_a_usage_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _cli("serve", "--no-browser", "--port", str(port))
    assert result.returncode == 2
    assert (
        result.stderr
        == f"error: cannot listen on 127.0.0.1:{port}: Address already in use; choose another --port or --host\n"
    )
    assert "Traceback" not in result.stderr and not result.stdout
