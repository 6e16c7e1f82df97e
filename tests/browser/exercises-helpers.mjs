// exercises-helpers.mjs — what the exercises' browser tests share: opening the lesson with every
// exercise list mounted, finding an exercise card, reading the stored progress, answering by keyboard,
// and the answers a learner works out for each exercise (answerFor; firefox.test.mjs uses them too).
// (Not a test file itself: node --test runs only *.test.mjs.)
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { mountAllFigures, projectRoot } from './lib/index.mjs';

export const PROGRESS_KEY = 'bnkata:v1:progress';

// Opens the lesson (site.open's `where`: a full URL or what follows the served address) and mounts
// every figure, so that every exercise card exists.
export async function openExercises(site, where, options) {
  const opened = await site.open(where, options);
  await mountAllFigures(opened.page);
  await opened.page.locator('article[data-exercise]').first().waitFor();
  return opened;
}

// Reloads the lesson and mounts every figure again.
export async function reloadExercises(page) {
  await page.waitForLoadState('networkidle');  // a reload would abort what is still loading (dist/editor.js)
  await page.reload();
  await page.waitForFunction(() => document.documentElement.dataset.bnkata === 'ready');
  await mountAllFigures(page);
  await page.locator('article[data-exercise]').first().waitFor();
}

export const card = (page, id) => page.locator(`article[data-exercise="${id}"]`);

// The native CLI: env BNKATA_CLI, else build/native/bnkata (scripts/test.sh builds it first).
export function cliPath() {
  const cli = process.env.BNKATA_CLI || path.join(projectRoot, 'build', 'native', 'bnkata');
  if (!existsSync(cli)) throw new Error(`${cli} not found: build the native CLI (cmake --preset native && cmake --build --preset native) or set BNKATA_CLI`);
  return cli;
}

// `bnkata compute` on one request: the exercise's data comes from the native core, not from the page.
export function cliCompute(request) {
  const out = spawnSync(cliPath(), ['compute'], { input: JSON.stringify(request), encoding: 'utf8' });
  if (out.error) throw out.error;
  return JSON.parse(out.stdout);
}

// `bnkata check FILE` → { status, stdout }.
export function cliCheck(file) {
  const out = spawnSync(cliPath(), ['check', file], { encoding: 'utf8' });
  if (out.error) throw out.error;
  return { status: out.status, stdout: out.stdout, stderr: out.stderr };
}

export const storedProgress = (page) => page.evaluate((key) => localStorage.getItem(key), PROGRESS_KEY);

// The seed the page's exercises were generated from (shown in the progress panel).
export async function pageSeed(page) {
  const text = await page.locator('.progress-seed').textContent();
  const match = /seed,? (\d+)/.exec(text);
  if (!match) throw new Error(`no seed in "${text}"`);
  return Number(match[1]);
}

// Types `text` into the focused control by keyboard: select what is there, then insert the text.
export async function typeInto(page, locator, text) {
  await locator.focus();
  await page.keyboard.press('Control+A');
  if (text.length > 200) await page.keyboard.insertText(text);  // a paste: typing 20,000 keys takes minutes
  else await page.keyboard.type(text);
}

// The text of a card's verdict once it shows one (waits for the live region to fill).
export async function verdictOf(cardLocator) {
  const verdict = cardLocator.locator('.verdict');
  await verdict.locator('.verdict-head').waitFor();
  return verdict.textContent();
}

// ---------------------------------------------------------------------------------------------------
// The answers a learner works out: the tests' own arithmetic (independent of the core)

export const sum = (a) => a.reduce((s, v) => s + v, 0);
export const meanOf = (a) => sum(a) / a.length;
export const biasedVar = (a) => { const m = meanOf(a); return sum(a.map((v) => (v - m) ** 2)) / a.length; };
export const unbiasedVar = (a) => biasedVar(a) * a.length / (a.length - 1);
export const num = (v) => String(Number(v.toPrecision(10)));

// The JS a learner writes for step 5 (two-pass statistics, so a batch near 1e8 still normalises).
export const FORWARD_SOURCE = `function batch_norm_forward(x, gamma, beta, eps) {
const m = x.length;
let mean = 0;
for (const v of x) mean += v;
mean /= m;
let variance = 0;
for (const v of x) variance += (v - mean) * (v - mean);
variance /= m;
const y = x.map((v) => gamma * (v - mean) / Math.sqrt(variance + eps) + beta);
return { y, mean, var: variance };
}`;
// cs231n's compact backward: dx = γ·rstd/m · (m·dy − Σdy − x̂·Σ(dy·x̂)).
export const BACKWARD_SOURCE = `function batch_norm_backward(dy, x, gamma, beta, eps) {
const m = x.length;
const mean = x.reduce((s, v) => s + v, 0) / m;
const variance = x.reduce((s, v) => s + (v - mean) * (v - mean), 0) / m;
const rstd = 1 / Math.sqrt(variance + eps);
const xhat = x.map((v) => (v - mean) * rstd);
const dbeta = dy.reduce((s, v) => s + v, 0);
const dgamma = dy.reduce((s, v, i) => s + v * xhat[i], 0);
const dx = x.map((v, i) => gamma * rstd / m * (m * dy[i] - dbeta - xhat[i] * dgamma));
return { dx, dgamma, dbeta };
}`;

// The train/eval switch a learner writes for step 4, PyTorch's way: batch statistics normalize and move the
// running ones (the unbiased variance stored) in 'train'; the running ones normalize, untouched, in 'eval'.
export const TRAIN_EVAL_SOURCE = `function batch_norm(x, gamma, beta, state, mode, momentum = 0.1) {
const eps = 1e-5;
const m = x.length;
const batchMean = x.reduce((s, v) => s + v, 0) / m;
const batchVar = x.reduce((s, v) => s + (v - batchMean) ** 2, 0) / m;
const mean = mode === 'train' ? batchMean : state.running_mean;
const variance = mode === 'train' ? batchVar : state.running_var;
if (mode === 'train') {
state.running_mean = (1 - momentum) * state.running_mean + momentum * batchMean;
state.running_var = (1 - momentum) * state.running_var + momentum * batchVar * m / (m - 1);
}
return x.map((v) => gamma * (v - mean) / Math.sqrt(variance + eps) + beta);
}`;

// The seed kata's NumPy function, run on the exercise's own script by python3 (NumPy): what it prints.
export const SEED_FUNCTION = `def batch_norm_forward(x_batch, gamma, beta, epsilon=1e-5):
    mean_b = np.mean(x_batch)
    var_b = np.var(x_batch)
    x_hat = (x_batch - mean_b) / np.sqrt(var_b + epsilon)
    y = gamma * x_hat + beta
    return y, mean_b, var_b
`;
export function numpyPrints(script) {
  const program = script.replace(/^# your batch_norm_forward.*$/m, SEED_FUNCTION);
  assert.notEqual(program, script, 'the script has the place for the seed function');
  // Debian's python3 with python3-numpy (scripts/setup.sh installs it); BNKATA_PYTHON to use another.
  const out = spawnSync(process.env.BNKATA_PYTHON || '/usr/bin/python3', ['-c', program], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  return out.stdout;
}

// Step 3: the runs the lab hands over: what the lab's defaults (seed 1) gave in real native runs
// (tests/fixtures/exercises/run-*.json, made by make-run-summaries.mjs there).
const fixtureRun = (name) => JSON.parse(readFileSync(new URL(`../fixtures/exercises/${name}`, import.meta.url), 'utf8')).summary;
export const RUNS = {
  fig1: fixtureRun('run-fig1-seed1.json'),
  'lr-sweep': fixtureRun('run-lr-sweep-seed1.json'),
  'bias-blowup': fixtureRun('run-bias-blowup-seed1.json'),
};

// What the learner answers for each exercise: { fields: {name: text} } | { option: RegExp } |
// { options: [RegExp] } | { statements: [RegExp] } (select every option shown that matches one) | { code } |
// { paste }. From the exercise's data only.
export function answerFor(ex) {
  const d = ex.data;
  switch (ex.id) {
    case 's1-mean-var': return { fields: { mean: num(meanOf(d.x)), var: num(biasedVar(d.x)) } };
    case 's1-xhat': {
      const column = d.x.map((row) => row[d.feature - 1]);
      const x = d.x[d.example - 1][d.feature - 1];
      return { fields: { xhat: num((x - meanOf(column)) / Math.sqrt(biasedVar(column) + d.eps)) } };
    }
    case 's1-formula': return { fields: { xhat: '(x - mu)/sqrt(var + eps)' } };
    case 's1-constant-batch': {
      // x − μ_B = 0 for a constant batch, and √(0 + ε) > 0: x̂ is exactly 0.
      assert.equal(biasedVar(d.x), 0);
      return { option: /^x̂ = 0 for every element/ };
    }
    case 's1-conv-stats': {
      // Per channel, over both examples and all four positions of its 2×2 maps: m = N·H·W = 8.
      const channel = (c) => d.x.flatMap((example) => example[c].flat());
      const channels = [0, 1].map(channel);
      return { fields: { mean: channels.map((v) => num(meanOf(v))).join(', '), var: channels.map((v) => num(biasedVar(v))).join(', ') } };
    }
    case 's1-group-stats': {
      // One example's C/G consecutive channels, every position.
      const perGroup = 6 / d.groups;
      const values = d.x[d.example - 1].filter((_, c) => Math.floor(c / perGroup) === d.group - 1).flat(2);
      return { fields: { mean: num(meanOf(values)), var: num(biasedVar(values)) } };
    }
    case 's1-which-norm': return { option: /^Both take statistics within one example/ };
    case 's2-identity': return { fields: { gamma: num(Math.sqrt(biasedVar(d.x) + d.eps)), beta: num(meanOf(d.x)) } };
    case 's2-sigmoid': return { option: /nonlinearity/ };
    // The statements drawn differ by seed: select every true one shown.
    case 's2-bias': return { statements: [/shifts every example/, /gradient steps never move b/, /β takes over/, /leaves the layer's training-mode outputs exactly/] };
    case 's3-fig1-accuracy': return { option: /^The network with batch norm/, run: 'fig1' };
    case 's3-fig1-drift': return { option: /^Without batch norm/, run: 'fig1' };
    case 's3-lr-sweep': return { option: /^The network with batch norm/, run: 'lr-sweep' };
    case 's3-bias-blowup': return { option: /grows and grows, while the loss stays about the same/, run: 'bias-blowup' };
    case 's3-backward-staged': {
      const g = stagedBackward(d);
      return { fields: { dxhat: g.dxhat.map(num).join(', '), dvar: num(g.dvar), dmu: num(g.dmu), dx: g.dx.map(num).join(', '), dgamma: num(g.dgamma) } };
    }
    case 's3-backward-checks': return { fields: { sum_dx: '0', sum_xhat_dx: '0', ratio: '1/3' } };
    case 's4-running-pytorch': case 's4-running-keras': {
      let rm = d.initial.running_mean;
      let rv = d.initial.running_var;
      for (const b of d.batches) {
        if (d.convention === 'pytorch') {  // r ← (1 − m)·r + m·batch, the unbiased variance stored
          rm = (1 - d.momentum) * rm + d.momentum * meanOf(b);
          rv = (1 - d.momentum) * rv + d.momentum * unbiasedVar(b);
        } else {                           // r ← m·r + (1 − m)·batch, the biased variance
          rm = d.momentum * rm + (1 - d.momentum) * meanOf(b);
          rv = d.momentum * rv + (1 - d.momentum) * biasedVar(b);
        }
      }
      return { fields: { running_mean: num(rm), running_var: num(rv) } };
    }
    case 's4-eval-single':
      return { fields: { y: num(d.gamma * (d.x - d.running_mean) / Math.sqrt(d.running_var + d.eps) + d.beta) } };
    case 's4-batch-of-one': return { statements: [/BatchNorm1d refuses/, /Keras silently outputs β/, /^x̂ = 0/, /In eval mode the same example is fine/] };
    case 's4-train-eval-code': return { code: TRAIN_EVAL_SOURCE };
    case 's4-fold': {
      const W = [];
      const b = [];
      d.W.forEach((row, j) => {
        const scale = d.gamma[j] / Math.sqrt(d.running_var[j] + d.eps);
        for (const w of row) W.push(num(w * scale));
        b.push(num((d.b[j] - d.running_mean[j]) * scale + d.beta[j]));
      });
      return { fields: { W: W.join(', '), b: b.join(', ') } };
    }
    // var(x̂) = σ²/(σ² + ε) = 1.25/1.25001 for the kata's batch: just under 1, because of ε.
    case 's5-var-predict': {
      assert.ok(Math.abs(biasedVar(d.x) / (biasedVar(d.x) + d.eps) - 0.999992) < 1e-6);
      return { option: /^About 0\.999992:/ };
    }
    case 's5-forward-code': return { code: FORWARD_SOURCE };
    case 's5-backward-code': return { code: BACKWARD_SOURCE };
    case 's5-numpy-paste': return { paste: numpyPrints(d.script) };
    default: throw new Error(`this test does not know how to answer ${ex.id}: add it`);
  }
}

// cs231n's staged backward graph on s3-backward-staged's data (x, δ, γ, ε), written out independently of
// the core: ∂ℓ/∂x̂, ∂ℓ/∂σ², ∂ℓ/∂μ, ∂ℓ/∂x and ∂ℓ/∂γ.
export function stagedBackward(d) {
  const m = d.x.length;
  const sum = (a) => a.reduce((t, v) => t + v, 0);
  const mu = sum(d.x) / m;
  const s = Math.sqrt(sum(d.x.map((v) => (v - mu) ** 2)) / m + d.eps);
  const dxhat = d.delta.map((v) => d.gamma * v);
  const dvar = sum(dxhat.map((g, i) => g * (d.x[i] - mu) * -0.5 / s ** 3));
  const dmu = sum(dxhat.map((g) => -g / s));
  const dx = dxhat.map((g, i) => g / s + dvar * 2 * (d.x[i] - mu) / m + dmu / m);
  const dgamma = sum(d.delta.map((v, i) => v * (d.x[i] - mu) / s));
  return { dxhat, dvar, dmu, dx, dgamma };
}
