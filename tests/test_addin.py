"""The add-in built from text: reproducible, readable by independent tools, and runnable."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import olefile
import pytest
from conftest import ROOT, uno_python
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import VBA_Parser

from jixiao.addin import ovba
from jixiao.addin.build import SOURCES, build_addin, read_sources
from jixiao.addin.install import install_addin
from jixiao.cli import main

NS = {"ui": "http://schemas.microsoft.com/office/2009/07/customui"}


@pytest.fixture(scope="module")
def addin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_addin(tmp_path_factory.mktemp("addin") / "jixiao.xlam")


def test_rebuilding_gives_identical_bytes(addin: Path, tmp_path: Path) -> None:
    again = build_addin(tmp_path / "again.xlam")
    assert again.read_bytes() == addin.read_bytes()
    assert main(["addin", "build", "-o", str(tmp_path / "cli.xlam")]) == 0
    assert (tmp_path / "cli.xlam").read_bytes() == addin.read_bytes()


def test_the_vba_project_opens_strictly_with_olefile(addin: Path) -> None:
    with zipfile.ZipFile(addin) as package:
        data = package.read("xl/vbaProject.bin")
        assert "customUI/customUI.xml" in package.namelist()
    ole = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)
    streams = {"/".join(p) for p in ole.listdir()}
    modules = {m.name for m in read_sources().modules}
    assert streams == {"PROJECT", "PROJECTwm", "VBA/_VBA_PROJECT", "VBA/dir"} | {f"VBA/{m}" for m in modules}
    assert ole.openstream("VBA/_VBA_PROJECT").read() == ovba.VBA_PROJECT_STREAM
    project = ole.openstream("PROJECT").read().decode("cp1252")
    assert 'Name="jixiao"' in project and "Document=ThisWorkbook/&H00000000" in project


def test_olevba_returns_every_module_source_exactly(addin: Path) -> None:
    expected = {m.name: m.encoded().decode("cp1252") for m in read_sources().modules}
    found = {}
    for _, _, name, code in VBA_Parser(str(addin)).extract_macros():
        found[name.rsplit(".", 1)[0]] = code
    assert found == expected
    assert 'Public Const PROJECT_NAME As String = "jixiao"' in found["xlwings"]


def test_every_button_calls_a_ribbon_sub(addin: Path) -> None:
    with zipfile.ZipFile(addin) as package:
        ui = ElementTree.fromstring(package.read("customUI/customUI.xml"))
    actions = [b.get("onAction") for b in ui.iterfind(".//ui:button", NS)]
    assert len(actions) == 12
    sources = "\n".join(m.source for m in read_sources().modules)
    subs = set(re.findall(r"^Public Sub (\w+)\(control As IRibbonControl\)", sources, re.MULTILINE))
    assert set(actions) <= subs
    labels = [b.get("label") for b in ui.iterfind(".//ui:button", NS)]
    assert labels[:11] == ["拆分", "合并", "生成卡片", "校验", "清除标记", "对比", "补全", "生成自评表", "汇总", "汇总本工作簿", "模板"]
    tags = [b.get("tag") for b in ui.iterfind(".//ui:button", NS) if b.get("onAction") == "JxRun"]
    import jixiao.excel.ribbon as ribbon

    assert tags == ["unpack", "pack", "cards", "validate", "clear_marks", "compare", "fill", "selfeval", "consolidate",
                    "consolidate_book", "template"]
    assert all(callable(getattr(ribbon, name)) for name in tags)
    assert 'RunPython "import jixiao.excel.ribbon as r; r." & control.Tag & "()"' in sources


def audit(path: Path) -> dict[str, object]:
    done = subprocess.run([str(Path(sys.executable).parent / "openxml-audit"), "-o", "json", str(path)],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    result: dict[str, object] = json.loads(done.stdout)[0]
    return result


def test_custom_ui_validates_against_the_ribbon_schema(addin: Path, tmp_path: Path) -> None:
    assert audit(addin)["valid"] is True
    broken = tmp_path / "broken"
    shutil.copytree(SOURCES, broken, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    ui = broken / "customUI.xml"
    ui.write_text(ui.read_text("utf-8").replace('size="large"', 'size="huge"', 1), "utf-8")
    result = audit(build_addin(tmp_path / "broken.xlam", source=broken))
    assert result["valid"] is False and "customUI" in json.dumps(result)


def test_a_self_test_build_runs_its_vba_in_libreoffice(tmp_path: Path) -> None:
    system_python = uno_python()
    path = build_addin(tmp_path / "selftest.xlam", self_test=True)
    done = subprocess.run([str(system_python), str(ROOT / "tests" / "lo_run_vba.py"), str(path),
                           "SelfTest.WriteCell", "jixiao"],
                          capture_output=True, text=True, timeout=240)  # fmt: skip
    assert "library jixiao: SelfTest,Sheet1,ThisWorkbook" in done.stdout, done.stderr
    assert "A1: jixiao self-test ok" in done.stdout, done.stderr


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=12000) | st.text(alphabet="Sub EndIf()\r\n' x=1", max_size=12000).map(str.encode))
def test_compression_round_trips(data: bytes) -> None:
    assert ovba.decompress(ovba.compress(data)) == data


def test_dir_stream_and_project_fields() -> None:
    modules = read_sources().modules
    assert ovba.decompress(ovba.compress(ovba.dir_stream("jixiao", modules))) == ovba.dir_stream("jixiao", modules)
    # MS-OVBA 2.4.3.3: an encrypted field decrypts back (seed, version 2, project key, data)
    encrypted = bytes.fromhex(ovba.encrypt("{ABC}", b"\xff", 0x15))
    seed, version = encrypted[0], encrypted[0] ^ encrypted[1]
    assert (seed, version, encrypted[2] ^ seed) == (0x15, 2, sum(b"{ABC}") & 0xFF)


def test_install_places_the_addin_and_points_xlwings_here(addin: Path, tmp_path: Path) -> None:
    placed, config = install_addin(addin, target=tmp_path / "XLSTART", home=tmp_path)
    assert placed.read_bytes() == addin.read_bytes()
    text = config.read_text("utf-8")
    assert config == tmp_path / ".jixiao" / "jixiao.conf"
    assert '"UDF MODULES","jixiao.excel.udfs"' in text and sys.executable.rsplit("python", 1)[0] in text


def test_the_clerks_guide_lists_every_ribbon_button_in_its_group() -> None:
    ui = ElementTree.fromstring((SOURCES / "customUI.xml").read_bytes())
    groups = [
        (group.get("label"), button.get("label"))
        for group in ui.iter() if group.tag.endswith("}group")
        for button in group if button.tag.endswith("}button")
    ]  # fmt: skip
    guide = (ROOT / "addin" / "README.md").read_text("utf-8")
    section = guide.split("## 按钮")[1].split("\n## ")[0]
    rows = re.findall(r"^\| (\S+) \| (\S+) \| ", section, re.M)
    assert rows[1:] == groups and len(groups) == 12  # rows[0] is the table's header
    assert "共十二个" in guide and "pip install jixiao\n" not in guide
