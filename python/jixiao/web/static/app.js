// The page: choosing files, asking the worker to run an action, offering its outputs as
// downloads. Every action is jixiao's own (jixiao.web.actions), run in this browser.
const $ = (selector) => document.querySelector(selector);
const worker = new Worker(new URL("worker.js", import.meta.url), { type: "module" });
const pending = new Map();
let nextId = 1;
let ready = false;
let consolidateFiles = [];  // [{name, file}] with relative paths for a folder

const SEVERITY = { error: "错误", warning: "警告", info: "提示" };
const READABLE = /\.(xlsx|xlsm|xls|ods|docx)$/i;

worker.onmessage = (event) => {
  const message = event.data;
  if (message.type === "status") {
    $("#loading-text").textContent = message.text;
    $("#loading-bar").max = message.total;
    $("#loading-bar").value = message.done;
  } else if (message.type === "ready") {
    ready = true;
    $("#loading").classList.add("ready");
    $("#loading-text").textContent = "已就绪：可以选择文件了。";
    $("#loading-bar").hidden = true;
    $("#version").textContent = `jixiao ${message.version}`;
    document.body.dataset.ready = "true";
    refresh();
  } else if (message.type === "progress") {
    pending.get(message.id)?.progress?.(message);
  } else if (message.type === "result") {
    pending.get(message.id)?.resolve(message);
    pending.delete(message.id);
  } else if (message.type === "failed") {
    if (message.id && pending.has(message.id)) {
      pending.get(message.id).reject(new Error(message.text));
      pending.delete(message.id);
    } else {
      $("#loading").classList.add("failed");
      $("#loading-text").textContent = message.text;
    }
  }
};

async function run(action, files, options, progress) {
  const id = nextId++;
  const payload = await Promise.all(files.map(async ({ name, file }) => ({ name, data: await file.arrayBuffer() })));
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, progress });
    worker.postMessage({ type: "run", id, action, files: payload, options }, payload.map((f) => f.data));
  });
}

function downloads(container, outputs) {
  const workbooksFirst = [...outputs].sort((a, b) => Number(!/\.xls[xm]$/.test(a.name)) - Number(!/\.xls[xm]$/.test(b.name)));
  for (const output of workbooksFirst) {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([output.data]));
    link.download = output.name.split("/").pop();
    link.textContent = `下载 ${output.name}`;
    link.className = "download";
    container.append(link);
  }
}

function paragraph(container, text, className = "") {
  if (!text) return;
  const p = document.createElement("p");
  p.textContent = text;
  if (className) p.className = className;
  container.append(p);
}

function refresh() {
  $("#consolidate").disabled = !ready || consolidateFiles.length === 0;
  $("#selfeval-consolidate").disabled = !ready || consolidateFiles.length === 0;
  const book = $("#book").files.length === 1;
  for (const button of document.querySelectorAll("#clerk button[data-action]")) {
    const action = button.dataset.action;
    const needs = action === "template" ? true : action === "compare" ? book && $("#old-book").files.length === 1 : book;
    button.disabled = !ready || !needs;
  }
  const count = consolidateFiles.length;
  $("#consolidate-chosen").textContent = count ? `已选择 ${count} 个文件` : "尚未选择文件";
}

function choose(list) {
  const chosen = list.filter((item) => READABLE.test(item.name));
  const skipped = list.length - chosen.length;
  consolidateFiles = chosen;
  refresh();
  if (skipped) $("#consolidate-chosen").textContent += `（另有 ${skipped} 个不是工作簿的文件未选）`;
}

$("#consolidate-files").addEventListener("change", (event) => {
  choose([...event.target.files].map((file) => ({ name: file.name, file })));
});
$("#consolidate-folder").addEventListener("change", (event) => {
  choose([...event.target.files].map((file) => ({ name: file.webkitRelativePath || file.name, file })));
});

async function entries(entry, prefix) {
  if (entry.isFile) {
    const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
    return [{ name: prefix + entry.name, file }];
  }
  const reader = entry.createReader();
  const found = [];
  for (;;) {
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) break;
    for (const child of batch) found.push(...await entries(child, `${prefix}${entry.name}/`));
  }
  return found;
}

const drop = $("#drop");
drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", async (event) => {
  event.preventDefault();
  drop.classList.remove("over");
  const items = [...event.dataTransfer.items].map((item) => item.webkitGetAsEntry()).filter(Boolean);
  const found = [];
  for (const entry of items) found.push(...await entries(entry, ""));
  choose(found);
});

async function consolidateFolder(action, label) {
  const result = $("#consolidate-result");
  result.replaceChildren();
  $("#consolidate").disabled = true;
  $("#selfeval-consolidate").disabled = true;
  const bar = $("#consolidate-progress");
  bar.hidden = false;
  $("#consolidate-progress-bar").max = consolidateFiles.length;
  $("#consolidate-progress-bar").value = 0;
  $("#consolidate-progress-text").textContent = `正在读取 0/${consolidateFiles.length}`;
  try {
    const options = action === "consolidate" ? { on_conflict: $("#on-conflict").value } : {};
    const answer = await run(action, consolidateFiles, options, (p) => {
      $("#consolidate-progress-bar").max = p.total;
      $("#consolidate-progress-bar").value = p.done;
      $("#consolidate-progress-text").textContent = `已读取 ${p.done}/${p.total}：${p.item}`;
    });
    const { summary } = answer;
    $("#consolidate-progress-text").textContent = "完成";
    paragraph(result, summary.message);
    const failed = (summary.report?.files || []).filter((f) => f.status === "failed");
    if (failed.length) {
      const list = document.createElement("ul");
      list.id = "failed-files";
      for (const f of failed) {
        const item = document.createElement("li");
        item.className = "failed";
        item.dataset.path = f.path;
        item.textContent = `${f.path}：${f.error}`;
        list.append(item);
      }
      paragraph(result, `有 ${failed.length} 个文件未能读取（其余文件已汇总）：`, "failed");
      result.append(list);
    } else if (summary.exit_code !== 0) {
      paragraph(result, summary.errors, "failed");
    }
    downloads(result, answer.outputs);
    document.body.dataset.consolidated = "true";
  } catch (error) {
    paragraph(result, `${label}失败：${error.message}`, "failed");
  } finally {
    refresh();
  }
}
$("#consolidate").addEventListener("click", () => consolidateFolder("consolidate", "汇总"));
$("#selfeval-consolidate").addEventListener("click", () => consolidateFolder("selfeval_consolidate", "汇总自评表"));

function showFindings(findings) {
  const body = $("#findings-table tbody");
  body.replaceChildren();
  for (const f of findings) {
    const row = document.createElement("tr");
    row.className = f.severity;
    row.dataset.code = f.code;
    for (const text of [SEVERITY[f.severity] || f.severity, f.file, f.sheet, f.cell, f.message, f.hint, f.code]) {
      const cell = document.createElement("td");
      cell.textContent = text || "";
      row.append(cell);
    }
    body.append(row);
  }
  const counts = Object.keys(SEVERITY).map((s) => [s, findings.filter((f) => f.severity === s).length])
    .filter(([, n]) => n).map(([s, n]) => `${n} 个${SEVERITY[s]}`);
  $("#findings-count").textContent = findings.length ? `共 ${findings.length} 个问题：${counts.join("，")}` : "没有发现问题";
  $("#findings").hidden = false;
  filter();
}

function filter() {
  const chosen = $("#severity").value;
  for (const row of document.querySelectorAll("#findings-table tbody tr")) {
    row.hidden = Boolean(chosen) && row.className !== chosen;
  }
}
$("#severity").addEventListener("change", filter);

for (const button of document.querySelectorAll("#clerk button[data-action]")) {
  button.addEventListener("click", async () => {
    const action = button.dataset.action;
    const result = $("#clerk-result");
    result.replaceChildren();
    paragraph(result, "正在处理……");
    const book = $("#book").files[0];
    let files = book ? [{ name: book.name, file: book }] : [];
    const options = {};
    if (action === "template") files = [];
    if (action === "compare") {
      const old = $("#old-book").files[0];
      const oldName = old.name === book.name ? `旧-${old.name}` : old.name;
      files = [{ name: oldName, file: old }, { name: book.name, file: book }];
    }
    if (action === "convert") options.to = $("#layout").value;
    if (action === "validate" && $("#profile").value) options.profile = $("#profile").value;
    try {
      const answer = await run(action, files, options);
      const { summary } = answer;
      result.replaceChildren();
      paragraph(result, summary.message);
      const failed = summary.exit_code !== 0 && !summary.report && !answer.outputs.length;
      paragraph(result, summary.errors, failed ? "failed" : "muted");
      if ((action === "validate" || action === "selfeval_score") && summary.report) {
        showFindings(summary.report.findings || []);
      }
      downloads(result, answer.outputs);
      result.dataset.runs = String(Number(result.dataset.runs || 0) + 1);
    } catch (error) {
      result.replaceChildren();
      paragraph(result, `处理失败：${error.message}`, "failed");
    }
  });
}
for (const input of ["#book", "#old-book"]) $(input).addEventListener("change", refresh);
refresh();
