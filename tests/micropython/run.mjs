#!/usr/bin/env node
// Runs a Python script under MicroPython (the official WebAssembly build, pinned in
// package.json) so that code CircuitPython cannot run fails loudly. See README.md here.
//
//   node tests/micropython/run.mjs [--path DIR]... [--data PATH]... [--heapsize N]
//                                  SCRIPT.py [ARGS...]
//   node tests/micropython/run.mjs --batch JOBS.json      (JOBS.json may be "-": stdin)
//
// Exit status (single run): the script's own status (0, or sys.exit's), 1 when it
// raised, 2 when the harness itself could not run it (bad arguments, missing file).

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const PACKAGE = "@micropython/micropython-webassembly-pyscript";
const DEFAULT_HEAPSIZE = 1024 * 1024; // initial heap; this build grows it on demand
const FLUSH_AT = 64 * 1024;

const USAGE = `usage: node tests/micropython/run.mjs [--path DIR]... [--data PATH]... \
[--heapsize N[k|m]] SCRIPT.py [ARGS...]
       node tests/micropython/run.mjs --batch JOBS.json|-
  --path DIR      copy DIR's .py files (recursively) into MicroPython and put DIR on sys.path
  --data PATH     copy the file PATH, or every file under the directory PATH, so open() finds it
  --heapsize N    initial MicroPython heap in bytes (suffix k or m); default ${DEFAULT_HEAPSIZE}
  --batch FILE    run a JSON list of jobs, each in a fresh interpreter, in this one process;
                  prints a JSON list of {"stdout", "stderr", "exit_code"}`;

class HarnessError extends Error {} // the harness could not run the script
class UsageError extends HarnessError {} // ... because the command line is wrong

// Files are copied into MicroPython's in-memory filesystem at their absolute host
// path, and MicroPython's working directory is the host's, so both relative and
// absolute paths (and tracebacks) name the same files as on the host.
const resolveHost = (p) => path.resolve(p);

function parseSize(text) {
    const m = /^(\d+)([kKmM]?)$/.exec(String(text));
    if (!m) {
        throw new UsageError(`not a size: ${text}`);
    }
    const unit = { "": 1, k: 1024, m: 1024 * 1024 }[m[2].toLowerCase()];
    return Number(m[1]) * unit;
}

function parseArgs(argv) {
    const job = { paths: [], data: [], heapsize: DEFAULT_HEAPSIZE, args: [] };
    let i = 0;
    const value = (flag) => {
        if (i + 1 >= argv.length) {
            throw new UsageError(`${flag} needs a value`);
        }
        i += 1;
        return argv[i];
    };
    for (; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--path") job.paths.push(value(a));
        else if (a === "--data") job.data.push(value(a));
        else if (a === "--heapsize") job.heapsize = parseSize(value(a));
        else if (a === "--batch") job.batch = value(a);
        else if (a === "-h" || a === "--help") job.help = true;
        else if (a === "--") { i += 1; break; }
        else if (a.startsWith("--")) throw new UsageError(`unknown option ${a}`);
        else break;
    }
    if (job.batch === undefined && !job.help) {
        if (i >= argv.length) {
            throw new UsageError("no script given");
        }
        job.script = argv[i];
        job.args = argv.slice(i + 1);
    }
    return job;
}

// Every regular file under `root` (following links, skipping __pycache__ and dot
// folders), as host paths, in a stable order.
function walkFiles(root, keep) {
    const found = [];
    const seen = new Set();
    const visit = (dir) => {
        const real = fs.realpathSync(dir);
        if (seen.has(real)) return;
        seen.add(real);
        for (const name of fs.readdirSync(dir).sort()) {
            const full = path.join(dir, name);
            const st = fs.statSync(full);
            if (st.isDirectory()) {
                if (name !== "__pycache__" && !name.startsWith(".")) visit(full);
            } else if (st.isFile() && keep(name)) {
                found.push(full);
            }
        }
    };
    visit(root);
    return found;
}

function copyInto(FS, hostFile) {
    const dest = resolveHost(hostFile);
    FS.mkdirTree(path.posix.dirname(dest));
    FS.writeFile(dest, fs.readFileSync(hostFile));
}

function stageFiles(FS, job) {
    for (const dir of job.paths) {
        if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
            throw new HarnessError(`--path ${dir}: not a directory`);
        }
        FS.mkdirTree(resolveHost(dir));
        for (const f of walkFiles(dir, (n) => n.endsWith(".py"))) copyInto(FS, f);
    }
    for (const item of job.data) {
        if (!fs.existsSync(item)) {
            throw new HarnessError(`--data ${item}: no such file or directory`);
        }
        if (fs.statSync(item).isDirectory()) {
            FS.mkdirTree(resolveHost(item));
            for (const f of walkFiles(item, () => true)) copyInto(FS, f);
        } else {
            copyInto(FS, item);
        }
    }
    if (!fs.existsSync(job.script) || !fs.statSync(job.script).isFile()) {
        throw new HarnessError(`${job.script}: no such script`);
    }
    copyInto(FS, job.script);
    const cwd = resolveHost(".");
    FS.mkdirTree(cwd);
    FS.chdir(cwd);
}

// Python literal for a list of strings (JSON string syntax is valid Python here).
const pyList = (items) => JSON.stringify(items.map(String));

// Runs the script in a fresh globals dict named __main__; turns SystemExit into a
// status like CPython does and prints any other exception's traceback to stderr.
function bootstrap(job) {
    const script = resolveHost(job.script);
    return `
import sys
sys.argv[:] = ${pyList([job.script, ...job.args])}
sys.path[:0] = ${pyList(job.paths.map(resolveHost))}
def _thruway_harness_run(script):
    try:
        execfile(script, {"__name__": "__main__", "__file__": script})
    except SystemExit as e:
        code = e.args[0] if e.args else None
        if code is None:
            return 0
        if isinstance(code, int):
            # A status the OS would truncate to 0 must not read as success.
            return int(code) if 0 <= code <= 255 else 1
        print(code, file=sys.stderr)
        return 1
    except BaseException as e:
        sys.print_exception(e, sys.stderr)
        return 1
    return 0
_thruway_harness_status = _thruway_harness_run(${JSON.stringify(script)})
`;
}

// Collects the bytes MicroPython writes, one callback per byte, into large chunks.
class ByteSink {
    constructor(onChunk) {
        this.onChunk = onChunk;
        this.buf = Buffer.allocUnsafe(FLUSH_AT);
        this.len = 0;
    }
    put(byte) {
        this.buf[this.len++] = byte;
        if (this.len === FLUSH_AT) this.flush();
    }
    flush() {
        if (this.len > 0) {
            this.onChunk(Buffer.from(this.buf.subarray(0, this.len)));
            this.len = 0;
        }
    }
}

let loadMicroPython;
async function loader() {
    if (!loadMicroPython) {
        const require = createRequire(import.meta.url);
        let entry;
        try {
            entry = require.resolve(PACKAGE);
        } catch {
            throw new HarnessError(`${PACKAGE} is not installed: run \`npm ci\` (or \`make setup\`)`);
        }
        ({ loadMicroPython } = await import(entry));
    }
    return loadMicroPython;
}

// Runs one job in a fresh interpreter; returns its exit status.
async function runJob(job, onStdout, onStderr) {
    const load = await loader();
    const out = new ByteSink(onStdout);
    const err = new ByteSink(onStderr);
    try {
        const mp = await load({
            heapsize: job.heapsize,
            linebuffer: false,
            stdout: (bytes) => out.put(bytes[0]),
            stderr: (bytes) => err.put(bytes[0]),
        });
        stageFiles(mp.FS, job);
        mp.runPython(bootstrap(job));
        const status = mp.globals.get("_thruway_harness_status");
        if (!Number.isInteger(status)) {
            throw new Error(`harness: script finished without a status (${status})`);
        }
        return status;
    } finally {
        out.flush();
        err.flush();
    }
}

function writeAll(stream, data) {
    return new Promise((resolve, reject) => stream.write(data, (e) => (e ? reject(e) : resolve())));
}

async function runSingle(job) {
    const pending = [];
    const status = await runJob(
        job,
        (chunk) => pending.push(writeAll(process.stdout, chunk)),
        (chunk) => pending.push(writeAll(process.stderr, chunk)),
    );
    await Promise.all(pending);
    return status;
}

function normaliseBatchJob(raw, index) {
    if (typeof raw !== "object" || raw === null || typeof raw.script !== "string") {
        throw new UsageError(`batch job ${index}: needs a "script" string`);
    }
    return {
        script: raw.script,
        args: (raw.args ?? []).map(String),
        paths: raw.paths ?? [],
        data: raw.data ?? [],
        heapsize: raw.heapsize === undefined ? DEFAULT_HEAPSIZE : parseSize(raw.heapsize),
    };
}

async function runBatch(file) {
    const text = fs.readFileSync(file === "-" ? 0 : file, "utf8");
    const list = JSON.parse(text);
    if (!Array.isArray(list)) {
        throw new UsageError("--batch: the file must hold a JSON list of jobs");
    }
    const jobs = list.map(normaliseBatchJob);
    const results = [];
    for (const job of jobs) {
        const outs = [];
        const errs = [];
        let status;
        try {
            status = await runJob(job, (c) => outs.push(c), (c) => errs.push(c));
        } catch (e) {
            errs.push(Buffer.from(`run.mjs: ${e instanceof HarnessError ? e.message : e.stack}\n`));
            status = 2;
        }
        results.push({
            stdout: Buffer.concat(outs).toString("utf8"),
            stderr: Buffer.concat(errs).toString("utf8"),
            exit_code: status,
        });
    }
    await writeAll(process.stdout, JSON.stringify(results) + "\n");
    return 0;
}

async function main() {
    let job;
    try {
        job = parseArgs(process.argv.slice(2));
        if (job.help) {
            await writeAll(process.stdout, USAGE + "\n");
            return 0;
        }
        return job.batch !== undefined ? await runBatch(job.batch) : await runSingle(job);
    } catch (e) {
        let text = `run.mjs: ${e instanceof HarnessError ? e.message : (e.stack ?? e)}`;
        if (e instanceof UsageError) text += `\n${USAGE}`;
        await writeAll(process.stderr, text + "\n");
        return 2;
    }
}

// A reader that stops early (`| head`) gets no stack trace; the output was not all
// delivered, so the status is not 0.
for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e) => process.exit(e.code === "EPIPE" ? 1 : 2));
}

// Let Node exit on its own once every write has drained, rather than process.exit().
process.exitCode = await main();
