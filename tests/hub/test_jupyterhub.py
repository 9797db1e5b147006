"""The JupyterHub deployment in deploy/jupyterhub/: its configuration, then a class day on it.

The first tests read the configuration files; the last one starts the hub
with throw-away Unix users and a browser (see conftest.py), where it can.
"""

import csv
import json
import os
from pathlib import Path

import nbformat
import pytest
from traitlets.config import PyFileConfigLoader

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "jupyterhub"


def _load(name):
    return PyFileConfigLoader(name, path=str(DEPLOY)).load_config()


def test_hub_config_uses_pam_local_processes_on_loopback():
    config = _load("jupyterhub_config.py")
    assert config.JupyterHub.bind_url.startswith("http://127.0.0.1:")
    assert config.JupyterHub.authenticator_class == "jupyterhub.auth.PAMAuthenticator"
    assert config.JupyterHub.spawner_class == "jupyterhub.spawner.LocalProcessSpawner"
    assert "instructor" in config.Authenticator.admin_users


class _FakeSpawner:
    def __init__(self, name):
        self.user = type("User", (), {"name": name})()
        self.environment = {}


def test_only_students_get_the_locked_config_path():
    hook = _load("jupyterhub_config.py").Spawner.pre_spawn_hook
    student, instructor = _FakeSpawner("student1"), _FakeSpawner("instructor")
    hook(student)
    hook(instructor)
    locked, shared = "/etc/jupyter/nnkit-students", "/etc/jupyter"
    assert student.environment["JUPYTER_CONFIG_PATH"].split(os.pathsep) == [locked, shared]
    assert instructor.environment["JUPYTER_CONFIG_PATH"].split(os.pathsep) == [shared]


def test_nbgrader_config_sets_the_shared_exchange_and_course():
    config = _load("nbgrader_config.py")
    assert config.Exchange.root == "/srv/nbgrader/exchange"
    assert config.CourseDirectory.course_id == "nnkit"


def test_student_config_disables_formgrader_and_create_assignment():
    server = json.loads((DEPLOY / "student-config" / "jupyter_server_config.json").read_text())
    extensions = server["ServerApp"]["jpserver_extensions"]
    assert extensions["nbgrader.server_extensions.formgrader"] is False
    page = json.loads((DEPLOY / "student-config" / "labconfig" / "page_config.json").read_text())
    disabled = page["disabledExtensions"]
    for plugin in ("formgrader", "create-assignment", "course-list"):
        assert disabled[f"@jupyter/nbgrader:{plugin}"] is True
    assert "@jupyter/nbgrader:assignment-list" not in disabled


def test_a_student_server_really_starts_without_formgrader():
    import subprocess
    import sys

    probe = (
        "from jupyter_server.serverapp import ServerApp\n"
        "app = ServerApp(); app.initialize(argv=['--no-browser', '--port=0'])\n"
        "print(sorted(k for k, on in app.jpserver_extensions.items() if on and 'nbgrader' in k))\n"
    )
    env = dict(os.environ, JUPYTER_CONFIG_PATH=str(DEPLOY / "student-config"))
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                         text=True, timeout=120, check=True).stdout.strip().splitlines()[-1]
    assert "formgrader" not in out
    assert "nbgrader.server_extensions.assignment_list" in out


# ---------------------------------------------------------------------------
# The hub for real: a class day with throw-away Unix users and a browser
# ---------------------------------------------------------------------------

ASSIGNMENT = "01-neuron"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def _log_in(browser, hub, user):
    """Log ``user`` in on the hub's login page; return the page once their JupyterLab is up."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{hub.url}/hub/login")
    page.locator("input[name=username]").fill(user.name)
    page.locator("input[name=password]").fill(hub.password)
    page.locator("input[type=submit], button[type=submit]").first.click()
    page.wait_for_url(f"**/user/{user.name}/lab**", timeout=150_000)
    page.locator("#jp-main-dock-panel").wait_for()
    return page


def _nbgrader_menu(page):
    """The labels in JupyterLab's Nbgrader menu (the menu is closed again afterwards)."""
    page.locator(".lm-MenuBar-item", has_text="Nbgrader").click()
    menu = page.locator(".lm-Menu").last
    menu.wait_for()
    labels = [text.strip() for text in menu.locator(".lm-Menu-itemLabel").all_inner_texts()]
    page.keyboard.press("Escape")
    return labels


def _open_assignment_list(page):
    page.locator(".lm-MenuBar-item", has_text="Nbgrader").click()
    page.get_by_role("menuitem", name="Assignment List").click()
    page.locator("#released_assignments_list").wait_for()


def _row(page, listing, name):
    return page.locator(f"#{listing}_assignments_list .list_item:not(.nested_list_item)",
                        has_text=name)


def _fetch_released(page, name):
    _open_assignment_list(page)
    _row(page, "released", name).get_by_role("button", name="Fetch").click()
    _row(page, "fetched", name).wait_for()


def _submit_fetched(page, name):
    _row(page, "fetched", name).get_by_role("button", name="Submit").click()
    _row(page, "submitted", name).wait_for()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "hub-assignment-list-submitted.png"))


def _fetch_feedback(page, name):
    """Refresh the list, press Fetch Feedback, follow "view feedback"; the files shown."""
    page.locator("#refresh_assignments_list").click()
    row = _row(page, "submitted", name)
    row.get_by_text("feedback available to fetch").wait_for()
    row.get_by_role("button", name="Fetch Feedback").click()
    row.get_by_text("view feedback").click()
    listing = page.locator(".jp-DirListing-content")
    listing.get_by_text(f"{name}.html").wait_for()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "hub-feedback-fetched.png"))


def _page_text(page, url, screenshot):
    """Open ``url`` in the page's browser context (its cookies); the status and visible text."""
    response = page.goto(url)
    page.screenshot(path=str(SCREENSHOTS / screenshot), full_page=False)
    return response.status, page.locator("body").inner_text()


def _status(page, url):
    return page.request.get(url).status


def _answered(fetched: Path, solution: Path):
    """The fetched student notebook with each answer cell holding the solution's code."""
    notebook = nbformat.read(fetched, as_version=4)
    answers = {}
    for cell in nbformat.read(solution, as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            lines = [line for line in cell.source.splitlines()
                     if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")]
            answers[meta["grade_id"]] = "\n".join(lines)
    filled = 0
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers and cell.metadata["nbgrader"].get("solution"):
            cell.source = answers[grade_id]
            filled += 1
    assert filled >= 4, f"only {filled} answer cells found in {fetched}"
    return nbformat.writes(notebook).encode()


def _grades(path):
    with open(path, newline="") as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


@pytest.mark.hub
def test_a_class_day_on_the_hub(hub, hub_users, course_setup, hub_browser):
    """Release, fetch, submit, collect, grade with nnkit-course, return and read feedback."""
    instructor, (alice, bob) = hub_users.instructor, hub_users.students
    course = course_setup.course
    inbound = course_setup.exchange / "nnkit" / "inbound"

    # The instructor releases the exercise into the exchange.
    instructor.run(["nbgrader", "release_assignment", ASSIGNMENT], cwd=course)
    outbound = course_setup.exchange / "nnkit" / "outbound" / ASSIGNMENT
    assert (outbound / f"{ASSIGNMENT}.ipynb").is_file()

    # A student logs in through the browser and sees the assignment list, not the formgrader.
    page = hub_browser.call(_log_in, hub, alice)
    menu = hub_browser.call(lambda _: _nbgrader_menu(page))
    assert "Assignment List" in menu and "Formgrader" not in menu, menu
    assert "Create assignment" not in menu, menu
    assert hub_browser.call(lambda _: _status(page, f"{hub.url}/user/{alice.name}/formgrader")) \
        == 404

    # ... fetches the exercise from the list, solves it in the fetched folder, submits it.
    hub_browser.call(lambda _: _fetch_released(page, ASSIGNMENT))
    fetched = alice.home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert fetched.is_file() and fetched.stat().st_uid == alice.uid
    alice.write(fetched, _answered(fetched, course.parent / "solutions" / ASSIGNMENT /
                                   f"{ASSIGNMENT}.ipynb"))
    hub_browser.call(lambda _: _submit_fetched(page, ASSIGNMENT))

    # A second student fetches and hands in the untouched notebook, from a terminal.
    bob.run(["nbgrader", "fetch_assignment", ASSIGNMENT])
    bob.run(["nbgrader", "submit", ASSIGNMENT])
    # Students can drop submissions into the exchange, but not read each other's.
    assert bob.run(["ls", inbound], check=False).returncode != 0
    assert len(os.listdir(inbound)) == 2

    # The instructor sees the formgrader in their own JupyterLab.
    teacher_page = hub_browser.call(_log_in, hub, instructor)
    assert "Formgrader" in hub_browser.call(lambda _: _nbgrader_menu(teacher_page))
    assert hub_browser.call(lambda _: _status(
        teacher_page, f"{hub.url}/user/{instructor.name}/formgrader")) == 200

    # The instructor collects and grades with nnkit-course.
    instructor.run(["nbgrader", "collect", ASSIGNMENT], cwd=course)
    submitted = course / "submitted"
    assert sorted(os.listdir(submitted)) == sorted([alice.name, bob.name])
    instructor.run(["nnkit-course", "grade", ASSIGNMENT, "submitted", "--jobs", "2",
                    "--no-progress"], cwd=course)
    out = course / "grading-output" / ASSIGNMENT
    rows = _grades(out / "grades.csv")
    assert rows[alice.name]["status"] == "graded", rows[alice.name]
    assert float(rows[alice.name]["score"]) == float(rows[alice.name]["max_score"]) > 0, rows
    assert (rows[bob.name]["status"], float(rows[bob.name]["score"])) == ("graded", 0.0), rows

    # nnkit-course's feedback pages go back through the exchange.
    for student in (alice, bob):
        given = submitted / student.name / ASSIGNMENT
        target = course / "feedback" / student.name / ASSIGNMENT
        instructor.run(["mkdir", "-p", target])
        instructor.run(["cp", out / "feedback" / student.name / f"{ASSIGNMENT}.html",
                        given / "timestamp.txt", given / "submission_secret.txt", target])
    instructor.run(["nbgrader", "release_feedback", ASSIGNMENT], cwd=course)

    # The student fetches the feedback from the assignment list and reads it.
    hub_browser.call(lambda _: _fetch_feedback(page, ASSIGNMENT))
    pages = list((alice.home / ASSIGNMENT / "feedback").glob(f"*/{ASSIGNMENT}.html"))
    assert len(pages) == 1, pages
    relative = pages[0].relative_to(alice.home).as_posix()
    status, text = hub_browser.call(lambda _: _page_text(
        page, f"{hub.url}/user/{alice.name}/files/{relative}", "hub-feedback-page.png"))
    assert status == 200
    score = float(rows[alice.name]["score"])
    assert f"{score:g}" in text and "weighted_sum" in text, text[:2000]
    assert "HIDDEN TESTS" not in text
