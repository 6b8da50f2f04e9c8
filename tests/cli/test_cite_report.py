"""`citator cite` as a brief-writer uses it without a database: good-law warnings from the seeds'
configured history, --strict for CI, --all for every case, the table of authorities, the output
formats, and the help's example. The brief is the one of tests/factories.py, written for the
tests.
"""

from __future__ import annotations

import pytest

import csv
import io
import json
import re
from pathlib import Path

from click.testing import CliRunner

from citator.cli_citations import cite
from tests.factories import line_of, paragraph_of, write_docx, write_pdf, write_txt
from tests.fakes.paths import REPO

WITHDRAWN = "176 F.3d 1132 was withdrawn (rehearing en banc granted; panel opinion withdrawn, 192 F.3d 1308)"


def run(args: list[str], tmp_path: Path, monkeypatch, input: str | bytes | None = None):
    monkeypatch.chdir(tmp_path)  # no citator.toml: the built-in Bernstein seeds
    return CliRunner().invoke(cite, args, input=input)


def as_json(args: list[str], tmp_path: Path, monkeypatch) -> dict:
    result = run([*args, "--output", "json"], tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_withdrawn_panel_opinion_bare_with_history_and_via_id(tmp_path, monkeypatch) -> None:
    data = as_json([str(write_txt(tmp_path / "brief.txt"))], tmp_path, monkeypatch)
    refs = data["references"]
    got = [(r["kind"], r["cite"], bool(r["warnings"])) for r in refs]
    assert got == [
        ("full", "176 F.3d 1132", True),  # cited bare
        ("id", "176 F.3d 1132", True),  # id. after the bare cite
        ("full", "176 F.3d 1132", False),  # with "reh'g en banc granted, opinion withdrawn, 192 F.3d 1308"
        ("full", "192 F.3d 1308", False),  # the en banc order itself
        ("id", "176 F.3d 1132", False),  # id. after the cite that gave the history
    ]
    assert refs[0]["warnings"] == [f"{WITHDRAWN}; cited without that history"]
    assert refs[0]["status"] == "withdrawn"
    first, second = line_of("See Bernstein"), line_of("Id. at 1141")
    assert data["summary"] == [f"{WITHDRAWN}; the brief cites it without that history at lines {first} and {second}"]


def test_a_brief_that_gives_the_history_gets_no_warning(tmp_path, monkeypatch) -> None:
    brief = tmp_path / "brief.txt"
    brief.write_text(
        "Source code is speech. Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132, 1141 (9th Cir.), "
        "reh'g granted, opinion withdrawn, 192 F.3d 1308 (9th Cir. 1999). Id. at 1142.\n",
        encoding="utf-8",
    )
    result = run([str(brief), "--strict", "--output", "json"], tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["summary"] == [] and all(r["warnings"] == [] for r in data["references"])


def test_strict_exits_1_on_warnings_and_0_without(tmp_path, monkeypatch) -> None:
    brief = write_txt(tmp_path / "brief.txt")
    assert run([str(brief), "--output", "table"], tmp_path, monkeypatch).exit_code == 0
    strict = run([str(brief), "--output", "table", "--strict"], tmp_path, monkeypatch)
    assert strict.exit_code == 1
    assert f"WARNING: {WITHDRAWN}" in strict.stdout


def test_all_reports_junger_and_other_cases_by_name(tmp_path, monkeypatch) -> None:
    data = as_json([str(write_txt(tmp_path / "brief.txt")), "--all"], tmp_path, monkeypatch)
    by_cite: dict[str, list[dict]] = {}
    for r in data["references"]:
        by_cite.setdefault(r["cite"], []).append(r)
    junger = by_cite["209 F.3d 481"]
    assert {r["authority"] for r in junger} == {"Junger v. Daley, 209 F.3d 481"}
    assert [r["kind"] for r in junger] == ["full", "full", "short"]
    assert junger[0]["pin_cite"] == "485" and junger[-1]["pin_cite"] == "484"
    assert junger[0]["line"] == line_of("Junger v. Daley, 209")
    assert by_cite["8 F. Supp. 2d 708"][0]["subsequent_history"].startswith("rev'd, 209 F.3d 481")
    assert [r["history_of"] for r in junger] == [None, "8 F. Supp. 2d 708", None]
    assert by_cite["273 F.3d 429"][0]["authority"] == "Universal City Studios, Inc. v. Corley, 273 F.3d 429"
    assert all(r["authority_key"] is None for c in ("209 F.3d 481", "273 F.3d 429") for r in by_cite[c])
    # a Junger quotation is captured with the reference that follows it
    (quote,) = junger[0]["quotations"]
    assert quote["text"].startswith("an expressive means for the exchange")
    assert quote["check"] is None and "--db" in quote["note"]


def toa_lines(result) -> list[str]:
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def _entry(lines: list[str], start: str) -> str:
    (line,) = [x for x in lines if x.strip().startswith(start)]
    return line


def test_table_of_authorities_for_a_text_brief(tmp_path, monkeypatch) -> None:
    brief = write_txt(tmp_path / "brief.txt")
    lines = toa_lines(run([str(brief), "--all", "--toa", "--output", "table"], tmp_path, monkeypatch))
    assert lines[0] == f"TABLE OF AUTHORITIES ({brief}; lines where cited)"
    sections = [x for x in lines if x in ("Cases", "Statutes and regulations", "Other authorities")]
    assert sections == ["Cases", "Statutes and regulations"]
    names = [x.strip().split(" ...")[0].rstrip(" .") for x in lines if x.startswith("  ")]
    assert names == [
        "Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132",  # 192 F.3d 1308 is only its history
        "Junger v. Daley, 209 F.3d 481",
        "Junger v. Daley, 8 F. Supp. 2d 708",
        "Universal City Studios, Inc. v. Corley, 273 F.3d 429",
        "15 C.F.R. § 734.3",
        "22 U.S.C. § 2778",
    ]
    bernstein = _entry(lines, "Bernstein v. U.S. Dep't of Justice, 176")
    places = [line_of("See Bernstein"), line_of("Id. at 1141"), line_of("decision. Bernstein v."),
              line_of("Id. at 1141", 2)]
    assert bernstein.endswith(", ".join(map(str, sorted(set(places)))) + "  [WITHDRAWN]")
    assert _entry(lines, "22 U.S.C.").endswith(f" {line_of('22 U.S.C.')}")
    # "rev'd, 209 F.3d 481" is the district court opinion's history, not a place Junger is cited
    junger = [line_of("Junger v. Daley, 209"), line_of("Junger, 209 F.3d at")]
    assert _entry(lines, "Junger v. Daley, 209").endswith(" " + ", ".join(map(str, junger)))


def test_passim_from_five_places_or_as_configured(tmp_path, monkeypatch) -> None:
    brief = write_txt(tmp_path / "brief.txt")
    default = toa_lines(run([str(brief), "--toa", "--output", "table"], tmp_path, monkeypatch))
    assert "passim" not in _entry(default, "Bernstein v. U.S. Dep't of Justice, 176")  # four places
    three = toa_lines(run([str(brief), "--toa", "--output", "table", "--passim", "3"], tmp_path, monkeypatch))
    assert _entry(three, "Bernstein v. U.S. Dep't of Justice, 176").endswith(" passim  [WITHDRAWN]")
    (tmp_path / "citator.toml").write_text("[cite]\npassim = 2\n", encoding="utf-8")
    configured = toa_lines(run([str(brief), "--toa", "--output", "table"], tmp_path, monkeypatch))
    assert _entry(configured, "Bernstein v. U.S. Dep't of Justice, 176").endswith(" passim  [WITHDRAWN]")


def test_table_of_authorities_lists_paragraphs_of_a_docx_and_pages_of_a_pdf(tmp_path, monkeypatch) -> None:
    docx = write_docx(tmp_path / "brief.docx")
    data = json.loads(run([str(docx), "--toa", "--all", "--output", "json"], tmp_path, monkeypatch).stdout)
    assert data["unit"] == "paragraph"
    entry = next(e for e in data["table_of_authorities"] if e["authority"].startswith("Junger v. Daley, 209"))
    assert entry["paragraphs"] == sorted({paragraph_of("Junger v. Daley, 209"), paragraph_of("Junger, 209 F.3d at")})
    pdf = write_pdf(tmp_path / "brief.pdf")
    lines = toa_lines(run([str(pdf), "--toa", "--output", "table"], tmp_path, monkeypatch))
    assert lines[0].endswith("; pages where cited)")
    assert _entry(lines, "Bernstein v. U.S. Dep't of Justice, 176").endswith(" 1, 3  [WITHDRAWN]")


def test_default_output_off_a_terminal_is_json_lines_with_the_summary_on_stderr(tmp_path, monkeypatch) -> None:
    result = run([str(write_txt(tmp_path / "brief.txt"))], tmp_path, monkeypatch)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 5 and all({"line", "column", "start", "end", "warnings"} <= row.keys() for row in rows)
    assert f"WARNING: {WITHDRAWN}" in result.stderr


def test_csv_carries_lines_columns_and_warnings(tmp_path, monkeypatch) -> None:
    result = run([str(write_txt(tmp_path / "brief.txt")), "--output", "csv"], tmp_path, monkeypatch)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 5
    assert (rows[0]["line"], rows[0]["kind"], rows[0]["pin_cite"]) == (str(line_of("See Bernstein")), "full", "1141")
    assert rows[0]["warnings"].startswith(WITHDRAWN) and rows[2]["warnings"] == ""


def test_table_columns(tmp_path, monkeypatch) -> None:
    result = run([str(write_txt(tmp_path / "brief.txt")), "--output", "table"], tmp_path, monkeypatch)
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["line:col", "authority", "form", "pin", "signal", "parenthetical", "warnings"]
    first = lines[2]
    assert re.match(rf"{line_of('See Bernstein')}:\d+ +Bernstein v\. U\.S\.", first)
    assert "full" in first and "1141" in first and "see" in first and "WITHDRAWN, history not given" in first
    assert all(len(line) <= 100 for line in lines[:7])


def test_help_example_is_the_real_output(tmp_path, monkeypatch) -> None:
    """The example in `citator cite --help` is run as written and prints what the help shows."""
    monkeypatch.chdir(tmp_path)
    help_text = CliRunner().invoke(cite, ["--help"]).stdout
    lines = help_text.splitlines()
    at_cat = lines.index("      $ cat brief.txt")
    at_run = next(i for i, line in enumerate(lines) if line.startswith("      $ citator cite "))
    brief = "".join(line[6:] + "\n" for line in lines[at_cat + 1 : at_run])
    expected = []
    for line in lines[at_run + 1 :]:
        if line.strip() == "More:":
            break
        expected.append(line[6:])
    while expected and not expected[-1]:
        expected.pop()
    (tmp_path / "brief.txt").write_text(brief, encoding="utf-8")
    args = lines[at_run].split("$ citator cite ", 1)[1].split()
    result = CliRunner().invoke(cite, args)
    assert result.stdout.rstrip("\n").splitlines() == expected
    assert "WITHDRAWN" in result.stdout


def test_readme_shows_the_same_example() -> None:
    from citator.cli_citations import CITE_EXAMPLE_BRIEF, CITE_EXAMPLE_OUTPUT

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert ("$ cat brief.txt\n" + CITE_EXAMPLE_BRIEF + "$ citator cite brief.txt --output table\n"
            + CITE_EXAMPLE_OUTPUT) in readme


@pytest.mark.slow
def test_on_a_terminal_the_default_is_the_table(tmp_path) -> None:
    """Run the real command on a pseudo-terminal, as a writer at a shell would."""
    import os
    import pty
    import subprocess
    import sys

    brief = write_txt(tmp_path / "brief.txt")
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITATOR_")}
    process = subprocess.Popen([sys.executable, "-m", "citator", "cite", str(brief)], stdin=subprocess.DEVNULL,
                               stdout=follower, stderr=follower, cwd=tmp_path, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed when the process exited
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(leader)
    screen = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    assert screen.splitlines()[0].split() == ["line:col", "authority", "form", "pin", "signal", "parenthetical", "warnings"]
    assert f"WARNING: {WITHDRAWN}" in screen
