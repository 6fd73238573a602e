// Run Python inside Pyodide under Node, offline: the runtime from .pyodide/node_modules
// (tools/pyodide/setup.sh), wheels from local folders, this checkout mounted at /repo.
//
//   node tools/pyodide/run.mjs WHEEL_DIRS --code PYTHON_CODE
//   node tools/pyodide/run.mjs WHEEL_DIRS --pytest PYTEST_ARGS...
//
// WHEEL_DIRS is one or more folders separated by ":"; every wheel in them is installed, so
// jixiao comes from its wheel when one is there, else from /repo/python. The environment
// is xlwings Lite's (XLWINGS_ON_SERVER=true). The exit status is the code's `exit_code`
// (pytest's for --pytest); timings go to stderr.
import { existsSync, readdirSync, realpathSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..", "..");
const [wheelDirs, mode, ...rest] = process.argv.slice(2);
const runtime = process.env.PYODIDE_DIR || path.join(repo, ".pyodide", "node_modules", "pyodide");
const require = createRequire(path.join(runtime, "package.json"));
const { loadPyodide } = require(path.join(runtime, "pyodide.js"));

const started = Date.now();
const pyodide = await loadPyodide({ indexURL: runtime + path.sep });
pyodide.setStdout({ write: (buffer) => { process.stdout.write(buffer); return buffer.length; } });
pyodide.setStderr({ write: (buffer) => { process.stderr.write(buffer); return buffer.length; } });
const wheels = wheelDirs.split(":").flatMap((dir) =>
  readdirSync(dir).filter((f) => f.endsWith(".whl")).map((f) => path.join(path.resolve(dir), f)));
await pyodide.loadPackage(wheels, { messageCallback: () => {} });
pyodide.FS.mkdirTree("/repo");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: repo }, "/repo");
let shared = path.resolve(repo, "..", "shared");  // the published seeds, where they are
if (existsSync(shared)) {
  shared = realpathSync(shared);  // NODEFS cannot mount through a symbolic link
  pyodide.FS.mkdirTree("/shared");
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: shared }, "/shared");
}
const ready = (Date.now() - started) / 1000;
const fromWheel = wheels.some((w) => path.basename(w).startsWith("jixiao-"));

pyodide.globals.set("ARGS", pyodide.toPy(rest));
pyodide.globals.set("FROM_WHEEL", fromWheel);
const prelude = `
import os, sys
os.environ.update(XLWINGS_LICENSE_KEY="noncommercial", XLWINGS_ON_SERVER="true")
os.chdir("/repo")
sys.path[:0] = ([] if FROM_WHEEL else ["/repo/python"]) + ["/repo/tests"]
exit_code = 0
`;
const body = mode === "--pytest"
  ? `import pytest\nexit_code = int(pytest.main(["-p", "no:cacheprovider", "-o", "addopts=", *ARGS]))`
  : `exec(ARGS[0])`;
// process.exit() would cut a piped stdout short: set the status and let Node finish writing.
try {
  await pyodide.runPythonAsync(prelude + body);
  process.exitCode = pyodide.globals.get("exit_code");
} catch (error) {
  console.error(String(error));
  process.exitCode = 1;
}
const ran = (Date.now() - started) / 1000 - ready;
console.error(`pyodide ${pyodide.version}: ready in ${ready.toFixed(1)} s, ran in ${ran.toFixed(1)} s`);
