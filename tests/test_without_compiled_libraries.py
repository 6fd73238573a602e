"""jixiao without pandas, numpy, python-calamine or tqdm, as under Pyodide (xlwings Lite).

On CPython ``import xlwings`` imports pandas and ``import openpyxl`` imports numpy when
they are installed, so looking at ``sys.modules`` after a normal import proves nothing.
Here a child process makes those packages unimportable (a ``sys.meta_path`` finder that
raises ``ModuleNotFoundError``, as a missing wheel does) and then imports and runs jixiao:
every module must import, reading falls back to openpyxl, and the results must be those of
a normal run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

BLOCKED = ("pandas", "numpy", "python_calamine", "tqdm")

PRELUDE = f"""
import sys
BLOCKED = {BLOCKED!r}

class Missing:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, Missing())
"""

RUN = """
import json, os, sys
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
import jixiao.cli, jixiao.excel.ribbon, jixiao.excel.udfs, jixiao.consolidate, jixiao.summary_workbook
from pathlib import Path
from jixiao.consolidate import consolidate
from jixiao.summary_workbook import write_consolidation
from jixiao.validate import validate_files
from jixiao.workbook import read_workbook

samples = sorted(Path(sys.argv[1]).glob("*.xlsx"))
reads = {p.name: [q.model_dump(mode="json", exclude={"source", "cells"}) for q in read_workbook(p).projects]
         for p in samples}
result = consolidate(samples, jobs=2)
write_consolidation(result, sys.argv[2])
checked = validate_files(samples)
print(json.dumps({
    "loaded": sorted(m for m in sys.modules if m.split(".")[0] in ("pandas", "numpy", "python_calamine", "tqdm")),
    "reads": reads,
    "consolidated": [len(result.projects), result.indicator_count, result.count("error"), result.count("warning")],
    "findings": sorted(f.code for f in checked.findings),
}, ensure_ascii=False))
"""


def run(tmp_path: Path, blocked: bool) -> dict[str, object]:
    code = (PRELUDE if blocked else "") + RUN
    out = tmp_path / ("blocked.xlsx" if blocked else "normal.xlsx")
    done = subprocess.run([sys.executable, "-c", code, str(ROOT / "samples" / "departments"), str(out)],
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_every_module_imports_and_works_without_compiled_or_heavy_libraries(tmp_path: Path) -> None:
    normal = run(tmp_path, blocked=False)
    blocked = run(tmp_path, blocked=True)
    assert blocked["loaded"] == []
    assert blocked["reads"] == normal["reads"]  # openpyxl reads what calamine reads
    assert blocked["consolidated"] == normal["consolidated"] == [63, 489, 3, 44]
    assert blocked["findings"] == normal["findings"]
    assert (tmp_path / "blocked.xlsx").stat().st_size > 10_000


def test_jobs_run_in_one_process_where_processes_cannot_start(tmp_path: Path) -> None:
    code = """
import concurrent.futures, json, sys
class NoProcesses:
    def __init__(self, *args, **kwargs):
        raise NotImplementedError("cannot start processes")  # what Pyodide raises
concurrent.futures.ProcessPoolExecutor = NoProcesses
import jixiao.consolidate as c
c.ProcessPoolExecutor = NoProcesses
from pathlib import Path
result = c.consolidate(sorted(Path(sys.argv[1]).glob("*.xlsx")), jobs=4)
print(json.dumps([len(result.projects), result.indicator_count, [f.status for f in result.files]]))
"""
    done = subprocess.run([sys.executable, "-c", code, str(ROOT / "samples" / "departments")],
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout) == [63, 489, ["ok"] * 5]


def test_importing_jixiao_loads_no_heavy_library_of_its_own() -> None:
    """In this environment (all libraries installed): jixiao's modules load none of them at
    import; the ribbon's pandas and numpy come with ``import xlwings`` itself."""
    code = """
import json, sys
import jixiao.cli, jixiao.consolidate, jixiao.summary_workbook, jixiao.validate, jixiao.workbook
core = sorted(m for m in sys.modules if m.split(".")[0] in ("pandas", "numpy", "python_calamine", "tqdm", "openpyxl", "xlsxwriter"))
import xlwings
with_xlwings = {m.split(".")[0] for m in sys.modules}
import jixiao.excel.ribbon
print(json.dumps({"core": core, "ribbon_adds": sorted({m.split(".")[0] for m in sys.modules} - with_xlwings
      & {"pandas", "numpy", "python_calamine", "tqdm", "openpyxl", "xlsxwriter"})}))
"""
    env = {k: v for k, v in __import__("os").environ.items() if k != "XLWINGS_ON_SERVER"}
    env["XLWINGS_LICENSE_KEY"] = "noncommercial"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout) == {"core": [], "ribbon_adds": []}
