"""The installed package works outside the checkout: build the sdist, build the wheel from it,
install the wheel into a fresh virtualenv and use `kg` from an empty folder.

The new venv borrows the dependencies already installed in the test's own environment (a .pth
line naming its site-packages), so the test needs no network; the checkout's editable kg is not
visible there (a .pth file's own .pth files are not read), which the test asserts.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import urllib.request
import venv
from pathlib import Path
from urllib.parse import quote

import pytest

import kg

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SHARED_INSPECTORS = ["Andy Waugh", "Peter McEntee", "Jenny Turnross", "Linda Steele", "Pauline Higham"]


def _run(argv, cwd, env=None, check=True, timeout=300) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    if check and done.returncode != 0:
        raise AssertionError(f"{argv} exited {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done


def _warnings(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.search(r"warn", line, re.I)
            and "is ignored: it is neither a file nor a directory" not in line]  # this machine's pip.conf


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("dist")
    built = _run([sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", out], cwd=ROOT)
    assert _warnings(built.stdout + built.stderr) == []
    sdist = next(out.glob("kg-*.tar.gz"))
    # The wheel is built from the sdist, which proves the sdist carries everything.
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                  "-w", out, sdist], cwd=out)
    assert _warnings(built.stdout + built.stderr) == []
    return {"sdist": sdist, "wheel": next(out.glob("kg-*.whl"))}


@pytest.fixture(scope="module")
def installed(dist, tmp_path_factory) -> dict:
    home = tmp_path_factory.mktemp("venv")
    venv.create(home / "venv", with_pip=False)
    python = home / "venv" / "bin" / "python"
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], cwd=home)
                .stdout.strip())
    (site / "_outer_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    done = _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
                 dist["wheel"]], cwd=home)
    assert _warnings(done.stdout + done.stderr) == []
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = f"{python.parent}{os.pathsep}{env.get('PATH', '')}"
    work = tmp_path_factory.mktemp("empty")  # outside the checkout
    return {"python": python, "site": site, "env": env, "cwd": work}


def test_sdist_carries_the_data_folders(dist):
    import tarfile

    with tarfile.open(dist["sdist"]) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    for path in ("ontology/shapes.ttl", "ontology/vocab/themes.ttl", "ontology/data/la_lookup.csv",
                 "queries/shared-inspectors.rq", "seeds/000_284825235fdca148.txt", "src/kg/cli.py"):
        assert path in names, path


def test_wheel_carries_the_data_as_package_data(dist):
    import zipfile

    names = set(zipfile.ZipFile(dist["wheel"]).namelist())
    for path in ("kg/_data/ontology/kg.ttl", "kg/_data/ontology/shapes.ttl", "kg/_data/ontology/vocab/roles.ttl",
                 "kg/_data/ontology/data/la_lookup.csv", "kg/_data/queries/network/participations.rq",
                 "kg/_data/seeds/004_d10c8fed4ddb3ab2.txt", "kg/serve/assets/index.html",
                 "kg/network/assets/network.html"):
        assert path in names, path
    assert not any(name.startswith(("ontology/", "queries/", "seeds/", "tests/")) for name in names)


def test_installed_kg_is_the_wheel_not_the_checkout(installed):
    done = _run([installed["python"], "-c",
                 "import kg, kg.paths as p; print(kg.__file__); print(p.ONTOLOGY_DIR); print(p.SEEDS_DIR)"],
                cwd=installed["cwd"], env=installed["env"])
    module, ontology, seeds = (Path(line) for line in done.stdout.splitlines())
    assert module.is_relative_to(installed["site"])
    assert ontology == installed["site"] / "kg" / "_data" / "ontology"
    assert seeds == installed["site"] / "kg" / "_data" / "seeds"


def test_clean_venv_session(installed):
    """The README's clean-venv session, command by command, from an empty folder."""
    def kg_(*argv, **kw):
        return _run(["kg", *argv], cwd=installed["cwd"], env=installed["env"], **kw)

    assert kg_("--version").stdout.strip() == f"kg {kg.__version__}"

    build = kg_("build").stdout
    assert "Built 5 of 5 files" in build and "3 authorities, 25 inspectors" in build
    assert "SHACL: conforms (0 violations)" in build
    assert "ok      seeds/000_284825235fdca148.txt: SIFInspection of Dudley" in build
    out = installed["cwd"] / "out"
    assert (out / "graph.ttl").stat().st_size > 100_000
    assert json.loads((out / "build-report.json").read_text())["summary"]["built"] == 5

    assert "conforms" in kg_("validate").stdout

    table = kg_("query", "shared-inspectors").stdout
    names = [line.split("|")[0].strip() for line in table.splitlines()[2:] if "|" in line]
    assert names == SHARED_INSPECTORS

    listed = kg_("query", "--list").stdout
    assert re.search(r"^shared-inspectors\s+\S", listed, re.M)
    assert len(listed.splitlines()) >= 13

    between = kg_("network", "--between", "dudley", "walsall", "--no-files").stdout
    assert "Dudley and Walsall share 4 inspectors: Andy Waugh, Jenny Turnross, Linda Steele, Peter McEntee" \
        in between

    drawn = kg_("network").stdout  # with files: the HTML view is made from the wheel's page template
    assert "Wrote out/network/" in drawn
    page = (out / "network" / "network.html").read_text(encoding="utf-8")
    assert "Peter McEntee" in page and "<html" in page.lower()
    assert (out / "network" / "network.png").read_bytes().startswith(b"\x89PNG")


def test_installed_kg_serves(installed):
    if not (installed["cwd"] / "out" / "graph.ttl").exists():
        _run(["kg", "build", "-q"], cwd=installed["cwd"], env=installed["env"])
    server = subprocess.Popen(["kg", "serve", "--port", "0", "-q"], cwd=installed["cwd"], env=installed["env"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        match = re.search(r"SPARQL endpoint: (http://\S+?sparql)\)", line)
        assert match, line + server.stderr.read() if server.poll() is not None else line
        request = urllib.request.Request(match.group(1) + "?query=" + quote("ASK { ?s ?p ?o }"),
                                         headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert json.load(response) == {"head": {}, "boolean": True}
        with urllib.request.urlopen(match.group(1).removesuffix("sparql"), timeout=30) as response:
            assert "shared-inspectors" in response.read().decode("utf-8")  # the page lists the bundled queries
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_readme_session_is_real(installed, tmp_path):
    """Each `$ kg ...` of the README's clean-venv session prints what the README shows (timings
    aside; a trailing `...` abridges the output to its first lines)."""
    install = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## Install\n", 1)[1].split("\n## ", 1)[0]
    session = re.search(r"```console\n(\$ python3 -m venv .*?)```", install, re.S).group(1)
    timing = re.compile(r" in \d+\.\d s")
    checked = 0
    for example in re.split(r"\n(?=\$ )", session.strip()):
        command, _, expected = example.partition("\n")
        command = command[2:].split("  #", 1)[0].strip()
        if not command.startswith("kg ") or command.endswith("&"):
            continue
        done = _run(command.split(), cwd=tmp_path, env=installed["env"])  # a folder of its own
        lines = [timing.sub(" in N s", line) for line in expected.splitlines()]
        out = [timing.sub(" in N s", line) for line in done.stdout.rstrip("\n").splitlines()]
        if lines and lines[-1] == "...":
            lines, out = lines[:-1], out[:len(lines) - 1]
        assert out == lines, command
        checked += 1
    assert checked >= 6
