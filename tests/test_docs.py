"""The README is the user's manual: its commands exist and its example output is real."""
from __future__ import annotations

import re
import shlex

import pytest

from kg.cli import main

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def console_examples():
    """(command, expected output) for each `$ kg query ...` / `$ kg network --between ...` example."""
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
        for example in re.split(r"\n(?=\$ )", block.strip()):
            command, _, output = example.partition("\n")
            if command.startswith(("$ kg query", "$ kg network --between")):
                yield command[2:], output.rstrip("\n")


EXAMPLES = list(console_examples())


def test_readme_opens_with_the_two_commands():
    quick = README.split("## Quick start", 1)[1][:800]
    assert "make build" in quick and "make test" in quick
    assert "make test" in (ROOT / ".ci" / "run").read_text()


@pytest.mark.parametrize("command", ["build", "validate", "query", "export", "network", "serve", "push", "table", "plot"])
def test_every_command_is_documented(command):
    assert f"`kg {command}" in README


def test_exit_codes_documented():
    from kg.exitcodes import ExitCode
    for code in ExitCode:
        assert f"| {code.value} | {code.meaning} |" in README


def test_examples_found():
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("command, expected", EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_example_output_is_real(command, expected, seed_build, tmp_path, capsys, monkeypatch):
    graph = tmp_path / "out" / "graph.ttl"
    graph.parent.mkdir()
    graph.write_bytes(seed_build.turtle)
    monkeypatch.chdir(tmp_path)
    assert main(shlex.split(command)[1:]) == 0
    printed = capsys.readouterr()  # an example shows stdout, then stderr (a note) if there is any
    out = (printed.out + printed.err).rstrip("\n").splitlines()
    lines = expected.splitlines()
    if lines[-1] == "...":  # an abridged example: its lines must be the output's first lines
        lines = lines[:-1]
        out = out[:len(lines)]
    assert out == lines


def test_readme_build_output_is_real(tmp_path, capsys, monkeypatch):
    block = README.split("```console\n$ kg build\n", 1)[1].split("```", 1)[0].rstrip("\n")
    monkeypatch.chdir(tmp_path)
    assert main(["build", str(ROOT / "seeds")]) == 0
    timing = re.compile(r" in \d+\.\d s")
    out = [timing.sub(" in N s", line) for line in capsys.readouterr().out.rstrip("\n").splitlines()]
    assert out == [timing.sub(" in N s", line) for line in block.splitlines()]


def test_readme_install_section_names_this_version():
    from kg import __version__

    install = README.split("\n## Install\n", 1)[1].split("\n## ", 1)[0]
    wheel = f"dist/kg-{__version__}-py3-none-any.whl"
    assert f"$ pip install {wheel}" in install and f"$ pipx install {wheel}" in install
    assert f"$ kg --version\nkg {__version__}\n" in install
    assert "\ndist: " in (ROOT / "Makefile").read_text()
