"""Drives the explorer in headless Chromium (WebDriver) and checks what is on
the screen. Called by tests/suite/explorer.rs, once against `innograph serve`
and once against the file `innograph export --format html` writes:

    explorer.py served http://127.0.0.1:PORT SHOTS_DIR
    explorer.py file /path/to/ecosystem.html SHOTS_DIR

Prints `ok SCENARIO` for each scenario that passed and `measure NAME VALUE`
for what it measured; exits non-zero, naming the scenario, on the first
failure."""

import json
import os
import sys
import tempfile
import time
import urllib.parse

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

MODE, TARGET, SHOTS = sys.argv[1], sys.argv[2], sys.argv[3]
SERVED = MODE == "served"
BASE = TARGET if SERVED else "file://" + os.path.abspath(TARGET)


def fail(scenario, message):
    print(f"FAILED {scenario}: {message}", flush=True)
    sys.exit(1)


def check(scenario, condition, message):
    if not condition:
        fail(scenario, message)


def browser():
    profile = tempfile.mkdtemp(prefix="innograph-explorer-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in [
        "--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1366,768",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
    ]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(60)
    return driver


def requests_made(driver):
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def wait(driver, scenario, condition, what, seconds=30):
    try:
        # A panel redrawn while it is read leaves stale elements: read again.
        return WebDriverWait(driver, seconds, ignored_exceptions=[StaleElementReferenceException]).until(
            lambda d: condition(d))
    except Exception as e:  # noqa: BLE001 - the message names what was awaited
        fail(scenario, f"waited {seconds}s for {what}: {type(e).__name__}")


def load(driver, url, scenario):
    driver.get("about:blank")
    driver.get(url)
    wait(driver, scenario, lambda d: d.execute_script("return document.body.dataset.ready"), "the page to be ready")
    check(scenario, driver.execute_script("return document.body.dataset.ready") == "1",
          "the page failed to start: " + driver.find_element(By.ID, "card").text)


def shot(driver, name):
    driver.save_screenshot(os.path.join(SHOTS, name))


def squeeze(text):
    return "".join(text.split())


def highlighted(driver):
    return driver.execute_script(
        "const m = document.querySelectorAll('#letter mark');"
        "return [m.length, m.length ? m[0].textContent : null];")


def main():
    driver = browser()
    if not SERVED:
        # No network at all for the file.
        driver.set_network_conditions(offline=True, latency=0, download_throughput=0, upload_throughput=0)
    try:
        run(driver)
    finally:
        driver.quit()


def run(driver):
    lang = "?lang=en"
    load(driver, BASE + "/" + lang if SERVED else BASE + lang, "start")
    paint = driver.execute_script(
        "const p = performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint')"
        " || performance.getEntriesByType('paint')[0]; return p ? p.startTime : null;")
    print(f"measure first_paint_ms_{MODE} {paint}", flush=True)
    print("ok start", flush=True)

    # Search 同济 and open it.
    s = "search"
    box = driver.find_element(By.ID, "search")
    box.send_keys("同济")
    first = wait(driver, s, lambda d: d.find_elements(By.CSS_SELECTOR, "#suggestions li"), "a suggestion")[0]
    check(s, "Tongji" in first.text, f"the first suggestion is {first.text!r}")
    first.click()
    name = wait(driver, s, lambda d: d.find_element(By.ID, "entityname").text, "the entity panel")
    check(s, name == "Tongji University", f"the panel shows {name!r}")
    print("ok search", flush=True)

    s = "platforms"
    platforms = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#platforms li.platform")]
    check(s, len(platforms) == 4, f"the panel lists {platforms}")
    check(s, all(p.strip() for p in platforms), "every platform is named")
    print("ok platforms", flush=True)

    s = "quote"
    quote = next(b for b in driver.find_elements(By.CSS_SELECTOR, "#card button.quote") if b.get_attribute("data-start"))
    said = quote.text.strip("“”")
    quote.click()
    count, text = highlighted(driver)
    check(s, count == 1, f"{count} highlighted spans")
    check(s, squeeze(text) == squeeze(said), f"highlighted {text!r}, the quote is {said!r}")
    visible = driver.execute_script(
        "const r = document.getElementById('hl').getBoundingClientRect();"
        "const p = document.getElementById('letterpane').getBoundingClientRect();"
        "return r.top >= p.top && r.bottom <= p.bottom + 1;")
    check(s, visible, "the highlighted span is scrolled into view")
    print("ok quote", flush=True)
    if SERVED:
        shot(driver, "explorer.png")

    s = "expand"
    wait(driver, s, lambda d: d.execute_script("return typeof cy !== 'undefined' && cy && cy.nodes().length > 1"), "the graph")
    before = driver.execute_script("return cy.nodes().length")
    # Click, on the canvas, the neighbour with the most relations.
    target = driver.execute_script(
        "const n = cy.nodes().not('.center').sort((a, b) => Object.values(b.data('counts')).reduce((x, y) => x + y, 0)"
        " - Object.values(a.data('counts')).reduce((x, y) => x + y, 0))[0];"
        "const p = n.renderedPosition(); return [n.id(), p.x, p.y];")
    canvas = driver.find_element(By.ID, "cy")
    size = canvas.size
    ActionChains(driver).move_to_element_with_offset(
        canvas, int(target[1] - size["width"] / 2), int(target[2] - size["height"] / 2)).click().perform()
    button = wait(driver, s, lambda d: d.find_elements(By.ID, "expand"), "the node's counts and its Expand button")[0]
    counts = driver.find_element(By.CSS_SELECTOR, "#nodeinfo .counts").text
    check(s, any(c.isdigit() for c in counts), f"per-relation counts are shown: {counts!r}")
    button.click()
    wait(driver, s, lambda d: d.find_elements(By.ID, "expanded"), "the expansion")
    after = driver.execute_script("return cy.nodes().length")
    check(s, after > before, f"{before} nodes before expanding {target[0]}, {after} after")
    print("ok expand", flush=True)

    s = "filter"
    kind = driver.execute_script("return cy.nodes().not('.center')[0].data('kind')")
    driver.find_element(By.CSS_SELECTOR, f"#legend label[data-kind='{kind}'] input").click()
    shown = driver.execute_script(f"return cy.nodes().filter(n => n.data('kind') === '{kind}' && n.visible()).length")
    check(s, shown == 0, f"{shown} nodes of kind {kind} still shown")
    check(s, "hide=" in driver.current_url, "the filter is in the URL")
    print("ok filter", flush=True)

    s = "shared-url"
    Select(driver.find_element(By.ID, "depth")).select_by_value("2")
    wait(driver, s, lambda d: "depth=2" in d.current_url, "depth 2 in the URL")
    url = driver.current_url
    load(driver, url, s)
    check(s, driver.find_element(By.ID, "entityname").text == "Tongji University", "the same entity is open")
    check(s, driver.find_element(By.ID, "depth").get_attribute("value") == "2", "the same depth")
    checked = driver.find_element(By.CSS_SELECTOR, f"#legend label[data-kind='{kind}'] input").is_selected()
    check(s, not checked, "the same filter")
    wait(driver, s, lambda d: d.execute_script(
        f"return cy && cy.nodes().length > 1 && cy.nodes().filter(n => n.data('kind') === '{kind}' && n.visible()).length === 0"),
        "the filtered graph")
    print("ok shared-url", flush=True)

    s = "every-fact"
    failures = driver.execute_script(
        "const doc = LETTER.documents[0]; const chars = Array.from(doc.text); const bad = [];"
        "const sq = (t) => t.replace(/\\s+/g, '');"
        "for (const f of LETTER.facts) { highlight(f.anchor_start, f.anchor_end);"
        "  const m = document.querySelectorAll('#letter mark');"
        "  if (m.length !== 1) { bad.push([f.from, f.relation, f.to, 'spans: ' + m.length]); continue; }"
        "  const text = m[0].textContent;"
        "  if (text !== chars.slice(f.anchor_start, f.anchor_end).join('') || sq(text) !== sq(f.quote))"
        "    bad.push([f.from, f.relation, f.to, text, f.quote]); }"
        "return [LETTER.facts.length, bad];")
    check(s, failures[0] > 100, f"only {failures[0]} facts with anchors")
    check(s, not failures[1], f"facts whose highlight is not exactly their quote: {failures[1][:5]}")
    print(f"measure facts_highlighted_{MODE} {failures[0]}", flush=True)
    print("ok every-fact", flush=True)

    s = "figures"
    driver.find_element(By.CSS_SELECTOR, "nav button[data-tab='figures']").click()
    rows = wait(driver, s, lambda d: d.find_elements(By.CSS_SELECTOR, "#figuretable tr"), "the figures table")
    check(s, len(rows) > 20, f"{len(rows)} rows")
    driver.find_element(By.CSS_SELECTOR, "#figuretable th:nth-child(4) button").click()
    values = [r.find_elements(By.TAG_NAME, "td")[3].text for r in driver.find_elements(By.CSS_SELECTOR, "#figuretable tr")[1:]]
    numbers = [float(v) for v in values if v.replace(".", "", 1).isdigit()]
    check(s, numbers == sorted(numbers), "sorted by value")
    print("ok figures", flush=True)
    if SERVED:
        shot(driver, "explorer-figures.png")

    s = "sparql"
    driver.find_element(By.CSS_SELECTOR, "nav button[data-tab='sparql']").click()
    Select(driver.find_element(By.ID, "named")).select_by_value("platforms-of-university")
    editor = driver.find_element(By.CSS_SELECTOR, "#sparql .CodeMirror")
    check(s, editor.is_displayed(), "the query is in a CodeMirror editor")
    with open(os.path.join(os.path.dirname(__file__), "../../queries/platforms-of-university.rq"), encoding="utf-8") as f:
        named = f.read()
    held = driver.execute_script("return document.querySelector('#sparql .CodeMirror').CodeMirror.getValue()")
    check(s, held == named, f"the editor holds the named query: {held[:80]!r}")
    first = named.splitlines()[0]
    check(s, first in editor.find_element(By.CSS_SELECTOR, ".CodeMirror-code").text, "the named query is on the screen")
    numbers = [n.text for n in editor.find_elements(By.CSS_SELECTOR, ".CodeMirror-linenumber") if n.text]
    check(s, numbers[:2] == ["1", "2"], f"the lines are numbered: {numbers[:3]}")
    keywords = {k.text.upper() for k in editor.find_elements(By.CSS_SELECTOR, ".cm-keyword")}
    check(s, "SELECT" in keywords and "WHERE" in keywords, f"SPARQL keywords are highlighted: {keywords}")
    editor.click()
    ActionChains(driver).send_keys(Keys.TAB).perform()
    check(s, not driver.execute_script("return !!document.activeElement.closest('.CodeMirror')"),
          "Tab leaves the editor for the next control")
    if SERVED:
        driver.find_element(By.ID, "param-university").send_keys("同济")
        driver.find_element(By.ID, "run").click()
        rows = wait(driver, s, lambda d: d.find_elements(By.CSS_SELECTOR, "#results tr"), "the results")
        check(s, len(rows) >= 5, f"{len(rows) - 1} result rows")
        universities = {r.find_elements(By.TAG_NAME, "td")[0].text for r in rows[1:]}
        check(s, universities == {"Tongji University"}, f"the parameter bound ?university: {universities}")
        shot(driver, "explorer-sparql.png")
        link = rows[1].find_elements(By.CSS_SELECTOR, "td:nth-child(2) button.entity")[0]
        wanted = link.text
        link.click()
        name = wait(driver, s, lambda d: d.find_element(By.ID, "entityname").text == wanted and wanted, "the result's entity")
        check(s, driver.find_element(By.ID, "explore").is_displayed(), "back on the explorer")

        # A CONSTRUCT query typed into the editor and run by Ctrl+Enter: its triples drawn as a graph.
        driver.find_element(By.CSS_SELECTOR, "nav button[data-tab='sparql']").click()
        Select(driver.find_element(By.ID, "named")).select_by_value("")
        driver.find_element(By.CSS_SELECTOR, "#sparql .CodeMirror-code").click()
        typed = "CONSTRUCT { ?u skos:prefLabel ?label } WHERE { ?u a ig:University ; skos:prefLabel ?label } LIMIT 5"
        (ActionChains(driver).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL)
         .send_keys(typed).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform())
        text = wait(driver, s, lambda d: d.find_elements(By.ID, "sparqltext"), "the CONSTRUCT answer")[0].text
        check(s, driver.execute_script("return document.querySelector('#sparql .CodeMirror').CodeMirror.getValue()") == typed,
              "the typed query is in the editor")
        check(s, len([l for l in text.splitlines() if l.strip()]) == 5, f"five triples as N-Triples: {text[:200]}")
        graph = driver.find_element(By.ID, "sparqlgraph")
        check(s, graph.is_displayed() and graph.size["height"] > 100, "the answer's graph is on the screen")
        nodes = driver.execute_script("return sparqlCy.nodes().map((n) => ({label: n.data('label'), entity: n.data('entity') || null}))")
        entities = [n for n in nodes if n["entity"]]
        check(s, len(nodes) >= 6 and entities, f"the triples drawn as nodes, entities among them: {nodes}")
        known = driver.execute_script("return Object.fromEntries([...byId.values()].map((e) => [e.id, name(e)]))")
        check(s, all(n["label"] == known[n["entity"]] for n in entities), f"entities shown by their names: {entities}")
        check(s, all(not n["label"].startswith("http") for n in nodes), f"no bare IRI: {nodes}")
        shot(driver, "explorer-sparql-graph.png")
        chosen = driver.execute_script("const n = sparqlCy.nodes('[entity]')[0]; n.emit('tap'); return n.data('label')")
        wait(driver, s, lambda d: d.execute_script("return document.getElementById('entityname')?.textContent") == chosen,
             f"the node's entity {chosen} opened")
        check(s, driver.find_element(By.ID, "explore").is_displayed(), "on the explorer")
        print("ok sparql", flush=True)
    else:
        check(s, driver.find_element(By.ID, "sparqlnote").is_displayed(), "the file says SPARQL needs the server")
        check(s, not driver.find_element(By.ID, "run").is_enabled(), "the file cannot run a query")
        print("ok sparql", flush=True)

    s = "zh"
    load(driver, (BASE + "/?lang=zh" if SERVED else BASE + "?lang=zh") + "#entity=tongji", s)
    check(s, driver.find_element(By.ID, "entityname").text == "同济大学", "the Chinese name")
    check(s, driver.find_element(By.CSS_SELECTOR, "nav button[data-tab='figures']").text == "数据", "the Chinese interface")
    print("ok zh", flush=True)

    s = "path"
    driver.find_element(By.ID, "hubs").click()
    driver.find_element(By.ID, "pathfrom").send_keys("同济")
    driver.find_element(By.ID, "pathto").send_keys("上海理工")
    driver.find_element(By.ID, "pathgo").click()
    chain = wait(driver, s, lambda d: d.find_elements(By.CSS_SELECTOR, "#pathresult button.entity"), "the path")
    names = [b.text for b in chain]
    check(s, len(names) == 4 and names[0] == "同济大学" and names[-1] == "上海理工大学",
          f"the chain through the hub, as `innograph path` finds it: {names}")
    check(s, driver.execute_script("return cy.edges('.path').length") == 3, "the chain is drawn")
    print("ok path", flush=True)

    s = "network"
    urls = requests_made(driver)
    # chrome:// is the browser's own start page, before the explorer loads.
    local = ("data:", "blob:", "about:", "chrome:", BASE + "/" if SERVED else "file://")
    outside = [u for u in urls if not u.startswith(local)]
    check(s, urls, "the network log was read")
    check(s, not outside, f"requests outside the {MODE} page: {outside[:5]}")
    print(f"measure requests_{MODE} {len(urls)}", flush=True)
    print("ok network", flush=True)


main()
