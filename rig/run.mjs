// Thruway's rig: boot the real CircuitPython firmware on an emulated RP2040 with a CIRCUITPY drive
// made from a folder, play one scenario (DIN bytes at 31250 baud with exact times, USB MIDI from the
// computer, files saved by the computer, the panic button), record every output with emulated times,
// and write one JSON report. The analysis (what arrived where, latency) is done in Python
// (host/thruway_host/rig.py); this file only runs the emulator and records.
//
// usage: node rig/run.mjs SCENARIO.json REPORT.json
// Scenario (times in ms after "t0": the moment the console first matches `ready`):
//   drive        folder that becomes CIRCUITPY (copied; the folder is not changed)
//   codeFile     file to run instead of code.py after boot (a probe), or null
//   ready        regex the console must match before t0 (default "Thruway .* on ")
//   readyMaxS    emulated seconds allowed to reach `ready` (default 30)
//   xip          XIP cache miss cycles (56 models a real Pico's flash cache; 0 = none)
//   pulls        model the pads' pull resistors (so an undriven button reads released)
//   flashTiming  flash erase/program stall the CPU for a typical chip's times
//   pins         [{gpio, level, atMs}]: an external source holds a GPIO at a level from atMs on
//                (atMs null: from power-up)
//   feeds        [{target: "uart0"|"uart1", bytes: [..], timesUs: [..]}]: each byte's stop bit ends
//                at its time (µs after t0); [{target: "usb", events: [{atMs, bytes}]}]: each event
//                one write by the computer to the board's MIDI port
//   saves        [{atMs, name, path}]: the computer saves file `path` as `name` on the drive
//   captures     ["uart0", "uart1", "gp6", "gp7", "usb"]: bytes sent, with times; "trace:gp25": a pin's
//                levels as [[µs, level], ...] (an LED)
//   tailMs       stop once everything fed has gone in and no output moved for this long
//   untilConsole regex: stop when the console matches it (after t0), instead of the tail rule
//   maxS         emulated seconds after t0 at most
//   watch        firmware function names to time (needs the symbols file, CIRCUITPYTHON_SYMS)
import fs from "fs";
import { CPEmu, makeFatImage, tracePin, decodeUart } from "./cpemu.mjs";

const [scenarioPath, reportPath] = process.argv.slice(2);
if (!scenarioPath || !reportPath) {
  console.error("usage: node rig/run.mjs SCENARIO.json REPORT.json");
  process.exit(2);
}
const sc = JSON.parse(fs.readFileSync(scenarioPath, "utf8"));
const extraFiles = {};
let waitSerial = true;
if (sc.codeFile) {
  // After the console is open, reload into the probe instead of code.py (the drive's boot.py
  // runs first, as on any power-up).
  waitSerial = false;
  const bootPy = fs.existsSync(sc.drive + "/boot.py") ? fs.readFileSync(sc.drive + "/boot.py", "utf8") : "";
  extraFiles["boot.py"] = bootPy + '\nimport supervisor as _sv\n_sv.set_next_code_file("_rig_wait.py")\n';
  extraFiles["_rig_wait.py"] =
    "import supervisor\nwhile not supervisor.runtime.serial_connected:\n    pass\n" +
    `supervisor.set_next_code_file(${JSON.stringify(sc.codeFile)})\nsupervisor.reload()\n`;
}
const image = makeFatImage(sc.drive, { waitSerial, extraFiles });
const emu = new CPEmu({ fsImage: image, xipMissCycles: sc.xip ?? 0, pullModel: !!sc.pulls, flashTiming: !!sc.flashTiming });
const report = { ok: false, error: null };
const timed = [];
for (const p of sc.pins ?? []) {
  if (p.atMs == null) emu.drivePin(p.gpio, p.level);
  else timed.push(p);
}
// A DIN input's line idles high from power-up, as a MIDI input's does.
const captures = (sc.captures ?? []).map((name) => {
  const cap = { name, out: [] };
  if (name.startsWith("uart")) emu.uart[+name[4]].onTx = (b, s, e) => cap.out.push([b, s, e]);
  else if (name.startsWith("trace:gp")) cap.levels = tracePin(emu, +name.slice(8));
  else if (name.startsWith("gp")) cap.trace = tracePin(emu, +name.slice(2));
  else if (name !== "usb") throw new Error("bad capture " + name);
  return cap;
});
const watched = {};
for (const name of sc.watch ?? []) {
  const calls = (watched[name] = []);
  emu.watchFunction(name, (ns) => {
    calls.push([ns, null]);
    const ret = (emu.core.LR >>> 0) & ~1;
    if (emu.watches.has(ret)) return;
    emu.watches.set(ret, (ns2) => { for (const r of calls) if (r[1] === null) r[1] = ns2; emu.watches.delete(ret); });
  });
}

const w0 = Date.now();
const ready = new RegExp(sc.ready ?? "Thruway .* on ");
const okReady = await emu.waitConsole(new RegExp(ready.source + "|Traceback"), { maxEmulatedSeconds: sc.readyMaxS ?? 30 });
report.bootEmulatedS = emu.nanos / 1e9;
report.bootWallS = (Date.now() - w0) / 1000;
if (!okReady || (/Traceback/.test(emu.console) && !ready.test(emu.console))) {
  report.error = okReady ? "traceback before ready" : "not ready in time";
  // a little more console, so the traceback is whole
  await emu.runFor(0.2);
} else {
  // the rest of the start-up lines
  await emu.runFor((sc.settleMs ?? 50) / 1000);
}
const t0 = emu.nanos;
const us = (ns) => (ns - t0) / 1e3;
let lastFedNanos = t0;
const schedule = (atNanos, fn) => {
  const alarm = emu.clock.createAlarm(fn);
  alarm.schedule(Math.max(0, atNanos - emu.nanos));
};
const feedsOut = [];
if (!report.error) {
  for (const f of sc.feeds ?? []) {
    if (f.target.startsWith("uart")) {
      const times = f.timesUs.map((t) => t0 + Math.round(t * 1000));
      emu.uart[+f.target[4]].feed(f.bytes, { startNanos: t0, times });
      lastFedNanos = Math.max(lastFedNanos, times.at(-1) ?? t0);
      feedsOut.push({ target: f.target, uart: emu.uart[+f.target[4]] });
    } else if (f.target === "usb") {
      if (!emu.usbMidi.ready) throw new Error("usb feed: the board has no USB MIDI (usb_midi disabled?)");
      const first = emu.usbMidi.fed.length;
      let n = 0;
      for (const e of f.events) {
        emu.usbMidi.send(e.bytes, { atNanos: t0 + Math.round(e.atMs * 1e6) });
        n += e.bytes.length;
        lastFedNanos = Math.max(lastFedNanos, t0 + e.atMs * 1e6);
      }
      feedsOut.push({ target: "usb", first, n });
    } else throw new Error("bad feed target " + f.target);
  }
  for (const p of timed) schedule(t0 + p.atMs * 1e6, () => emu.drivePin(p.gpio, p.level));
  for (const p of timed) lastFedNanos = Math.max(lastFedNanos, t0 + p.atMs * 1e6);
}
const saves = (report.error ? [] : sc.saves ?? []).map((sv) => ({ ...sv, content: fs.readFileSync(sv.path), done: false }));
let chain = Promise.resolve();
for (const sv of saves) {
  lastFedNanos = Math.max(lastFedNanos, t0 + sv.atMs * 1e6);
  schedule(t0 + sv.atMs * 1e6, () => {
    sv.startNanos = emu.nanos;
    chain = chain
      .then(() => emu.msc.rewriteFile(sv.name, sv.content))
      .then((r) => { sv.sectors = r?.sectors?.length ?? null; }, (e) => { sv.error = String(e); })
      .then(() => { sv.done = true; sv.endNanos = emu.nanos; });
  });
}
const tail = (sc.tailMs ?? 300) * 1e6;
const until = sc.untilConsole ? new RegExp(sc.untilConsole) : null;
const consoleAt0 = emu.console.length;
const lastActivity = () => Math.max(0,
  ...captures.map((c) => (c.trace ? c.trace.at(-1)?.[0] ?? 0 : c.name === "usb" ? emu.usbMidi.rx.at(-1)?.[1] ?? 0 : c.out.at(-1)?.[2] ?? 0)),
  feedsOut.some((f) => f.target === "usb") && !emu.usbMidi.idle ? emu.nanos : 0,
  ...captures.filter((c) => c.name.startsWith("uart")).map((c) => { const u = emu.uart[+c.name[4]]; return u.txBusy || u.tx.length ? emu.nanos : 0; }));
let finished = false;
if (!report.error) {
  finished = await emu.runUntil(() => {
    if (/Traceback/.test(emu.console.slice(consoleAt0))) return true;
    if (until) return until.test(emu.console.slice(consoleAt0)) && saves.every((s) => s.done);
    return emu.nanos > lastFedNanos + tail && emu.nanos > lastActivity() + tail && saves.every((s) => s.done);
  }, { maxEmulatedSeconds: sc.maxS ?? 30 });
  if (until && finished) await emu.runFor((sc.settleMs ?? 50) / 1000);
}
for (const c of captures) if (c.trace) c.out = decodeUart(c.trace, 32000).map((f) => [f.byte, f.start, f.end]);
for (const c of captures) if (c.name === "usb") c.out = emu.usbMidi.rx.map(([b, t]) => [b, t, t]);
Object.assign(report, {
  ok: !report.error,
  finished,
  emulatedS: us(emu.nanos) / 1e6,
  wallS: (Date.now() - w0) / 1000,
  console: emu.console,
  consoleLog: emu.consoleLog.map(([t, s]) => [us(t), s]),
  captures: Object.fromEntries(captures.map((c) => [c.name, c.levels ? { levels: c.levels.map(([t, v]) => [us(t), v]) } : { bytes: c.out.map((o) => o[0]), startUs: c.out.map((o) => us(o[1])), endUs: c.out.map((o) => us(o[2])) }])),
  feeds: feedsOut.map((f) => f.target === "usb"
    ? { target: "usb", deliveredUs: emu.usbMidi.fed.slice(f.first, f.first + f.n).map((x) => (x.packet?.deliveredNanos == null ? null : us(x.packet.deliveredNanos))) }
    : { target: f.target, uartStats: f.uart.stats }),
  saves: saves.map((s) => ({ name: s.name, atMs: s.atMs, startUs: s.startNanos == null ? null : us(s.startNanos), endUs: s.endNanos == null ? null : us(s.endNanos), sectors: s.sectors ?? null, error: s.error ?? null })),
  flashOps: emu.flashOps,
  watches: Object.fromEntries(Object.entries(watched).map(([k, calls]) => [k, calls.map(([a, b]) => [us(a), b == null ? null : us(b)])])),
});
fs.writeFileSync(reportPath, JSON.stringify(report));
process.exit(0);
