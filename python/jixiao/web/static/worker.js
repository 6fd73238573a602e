// The page's Python: Pyodide in a worker, so the page stays responsive while it works.
// Messages in:  {type: "run", id, action, files: [{name, data: ArrayBuffer}], options}
// Messages out: {type: "status", text, done, total} while loading, {type: "ready", version},
//               {type: "progress", id, done, total, item}, {type: "result", id, summary,
//               outputs: [{name, data}]}, {type: "failed", id?, text}.
import { loadPyodide } from "./pyodide/pyodide.mjs";

const base = new URL("./", import.meta.url);
let pyodide = null;
let runForPage = null;

function status(text, done, total) {
  postMessage({ type: "status", text, done, total });
}

async function start() {
  const manifest = await (await fetch(new URL("manifest.json", base))).json();
  const total = manifest.wheels.length + 1;
  status("正在加载 Python 运行环境……", 0, total);
  pyodide = await loadPyodide({ indexURL: new URL("pyodide/", base).href });
  for (const [index, wheel] of manifest.wheels.entries()) {
    const name = wheel.split("/").pop().split("-")[0];
    status(`正在安装组件 ${index + 1}/${manifest.wheels.length}：${name}`, index + 1, total);
    await pyodide.loadPackage(new URL(wheel, base).href, { messageCallback: () => {}, errorCallback: () => {} });
  }
  runForPage = pyodide.pyimport("jixiao.web.actions").run_for_page;
  postMessage({ type: "ready", version: manifest.version });
  // While the user chooses files: import what the actions use (a second or two in Pyodide),
  // so that the first action does not wait for it. A message arriving meanwhile waits.
  setTimeout(() => pyodide.runPython("import jixiao.web.actions as a; a.warm_up()"), 0);
}

function clear(folder) {
  const FS = pyodide.FS;
  if (!FS.analyzePath(folder).exists) return;
  for (const entry of FS.readdir(folder)) {
    if (entry === "." || entry === "..") continue;
    const path = `${folder}/${entry}`;
    if (FS.isDir(FS.stat(path).mode)) clear(path); else FS.unlink(path);
  }
  FS.rmdir(folder);
}

function listFiles(folder, prefix = "") {
  const FS = pyodide.FS;
  const found = [];
  for (const entry of FS.readdir(folder)) {
    if (entry === "." || entry === "..") continue;
    const path = `${folder}/${entry}`;
    if (FS.isDir(FS.stat(path).mode)) found.push(...listFiles(path, `${prefix}${entry}/`));
    else found.push(`${prefix}${entry}`);
  }
  return found;
}

function run(message) {
  const { id, action, files, options } = message;
  const FS = pyodide.FS;
  const uploads = `/uploads/${id}`;
  const downloads = `/downloads/${id}`;
  FS.mkdirTree(uploads);
  FS.mkdirTree(downloads);
  try {
    for (const file of files) {
      const path = `${uploads}/${file.name}`;
      FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
      FS.writeFile(path, new Uint8Array(file.data));
    }
    const progress = (done, total, item) => postMessage({ type: "progress", id, done, total, item });
    const answer = runForPage(action, uploads, JSON.stringify(files.map((f) => f.name)),
                              JSON.stringify(options || {}), downloads, progress);
    const summary = JSON.parse(answer);
    const outputs = listFiles(downloads).map((name) => ({ name, data: FS.readFile(`${downloads}/${name}`).buffer }));
    postMessage({ type: "result", id, summary, outputs }, outputs.map((o) => o.data));
  } finally {
    clear(uploads);
    clear(downloads);
  }
}

onmessage = (event) => {
  const message = event.data;
  if (message.type !== "run") return;
  try {
    run(message);
  } catch (error) {
    postMessage({ type: "failed", id: message.id, text: String(error && error.message || error) });
  }
};

start().catch((error) => postMessage({ type: "failed", text: `运行环境加载失败：${error && error.message || error}` }));
