"""Run one VBA Sub of a workbook in headless LibreOffice and print cell A1 of its first sheet.

    /usr/bin/python3 tests/lo_run_vba.py FILE MODULE.SUB

Runs under the system Python (it needs LibreOffice's ``uno``), not the project's venv.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue


def prop(name: str, value: object) -> PropertyValue:
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


def main() -> None:
    path, macro = Path(sys.argv[1]).resolve(), sys.argv[2]
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    pipe = f"jixiao{os.getpid()}"
    office = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--norestore", "--nologo",
         f"-env:UserInstallation=file://{profile}", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        for _ in range(120):
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # noqa: BLE001 - not listening yet
                time.sleep(0.5)
        else:
            raise SystemExit("LibreOffice did not start")
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )
        document = desktop.loadComponentFromURL(
            path.as_uri(), "_blank", 0,
            (prop("Hidden", True), prop("MacroExecutionMode", 4),
             prop("FilterName", "Calc MS Excel 2007 VBA XML")),
        )  # fmt: skip
        libraries = document.BasicLibraries
        for name in libraries.getElementNames():
            libraries.loadLibrary(name)
            print(f"library {name}:", ",".join(libraries.getByName(name).getElementNames()))
        library = sys.argv[3] if len(sys.argv) > 3 else "Standard"
        script = document.getScriptProvider().getScript(
            f"vnd.sun.star.script:{library}.{macro}?language=Basic&location=document"
        )
        script.invoke((), (), ())
        print("A1:", document.Sheets.getByIndex(0).getCellByPosition(0, 0).getString())
        document.close(True)
    finally:
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001 - already gone
            pass
        office.wait(timeout=30)


if __name__ == "__main__":
    main()
