#!/usr/bin/env node
// bench-cpu.mjs — the CPU time a command costs, counting every process it starts, however they end.
// A benchmark, not a test: it runs the command and prints one line to stderr.
//
//   node scripts/bench-cpu.mjs [--every 500] -- COMMAND [ARGS…]
//   node scripts/bench-cpu.mjs -- node --test --test-concurrency=1 tests/browser/
//
// Why not /usr/bin/time: it adds up only the children that were waited for. Chromium forks its
// renderers (the page's main thread, its Web Workers) from a zygote process, and Firefox its content
// processes likewise; those are reaped outside the chain of waits back to the command, so /usr/bin/time
// leaves out most of the work a browser test makes the browser do (a page spinning 6 s of CPU showed as
// under 4 s for the whole run). Here every `--every` ms (default 500) each process descended from the
// command is read from /proc/PID/stat (its own user + system time, not its children's, so nothing
// counts twice), and the last value seen of each process (keyed by pid and start time) is summed. What
// a process spends after its last look is missed: at most one interval per process.
//
// Output: "wall W s, CPU C s (user + system) in N processes". Linux only (/proc). The command's exit
// status is passed on.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const dash = args.indexOf('--');
if (dash < 0 || dash === args.length - 1) {
  console.error('usage: node scripts/bench-cpu.mjs [--every MS] -- COMMAND [ARGS…]');
  process.exit(2);
}
const everyAt = args.indexOf('--every');
const every = everyAt >= 0 && everyAt < dash ? Number(args[everyAt + 1]) : 500;
const [command, ...commandArgs] = args.slice(dash + 1);

// Clock ticks per second of /proc/PID/stat's times: 100 on every Linux build that Debian ships.
const TICKS = 100;

// Every process as { pid, ppid, ticks (utime + stime), start }.
function processes() {
  const list = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try { stat = readFileSync(`/proc/${name}/stat`, 'utf8'); } catch { continue; }  // it ended meanwhile
    // Fields after the command name (which may hold spaces), from field 3 on: see proc(5).
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    list.push({ pid: Number(name), ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), start: f[19] });
  }
  return list;
}

const started = Date.now();
const child = spawn(command, commandArgs, { stdio: 'inherit' });
const last = new Map();  // "pid@start" → ticks last seen

function look() {
  const all = processes();
  const children = new Map();
  for (const p of all) {
    if (!children.has(p.ppid)) children.set(p.ppid, []);
    children.get(p.ppid).push(p.pid);
  }
  const ours = new Set([child.pid]);
  for (const stack = [child.pid]; stack.length;) {
    for (const pid of children.get(stack.pop()) || []) if (!ours.has(pid)) { ours.add(pid); stack.push(pid); }
  }
  // A process once ours stays ours when it is re-parented (to init, say, when its parent exits first).
  for (const p of all) {
    const key = `${p.pid}@${p.start}`;
    if (ours.has(p.pid) || last.has(key)) last.set(key, Math.max(last.get(key) ?? 0, p.ticks));
  }
}

const timer = setInterval(look, every);
look();
child.on('exit', (code, signal) => {
  clearInterval(timer);
  look();
  const cpu = [...last.values()].reduce((sum, t) => sum + t, 0) / TICKS;
  console.error(`wall ${((Date.now() - started) / 1000).toFixed(1)} s, CPU ${cpu.toFixed(1)} s (user + system) in ${last.size} processes`);
  process.exit(signal ? 1 : code);
});
