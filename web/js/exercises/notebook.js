// notebook.js — the kata as a Jupyter notebook (.ipynb, nbformat 4) for one seed, built at click time
// from the core's exercise JSON: the kata's NumPy code, the learner's own numbers, every exercise's
// prompt, and for the exercises NumPy can answer a cell that computes the answer from the data. The last
// cell writes the answers file of docs/exercises.md, which "Import answers…" and `bnkata check` read.
//
// Pure: exercises in, a notebook object out (no DOM), so Node tests build exactly what the page offers.

// The seed kata's batch_norm_forward, as step 5 shows it.
const KATA_CODE = `import json
import numpy as np

def batch_norm_forward(x_batch, gamma, beta, epsilon=1e-5):
    # x_batch is a 1D numpy array representing activations for one feature
    mean_b = np.mean(x_batch)
    var_b = np.var(x_batch)
    x_hat = (x_batch - mean_b) / np.sqrt(var_b + epsilon)
    y = gamma * x_hat + beta
    return y, mean_b, var_b

answers = {}  # exercise id -> answer, in the answers file's shape`;

// The NumPy that answers an exercise from its `data`; it sets answers[id]. Only exercises with a numeric
// answer NumPy can compute are here; the others are answered on the page.
const SOLVERS = {
  's1-mean-var': `x = np.array(data["x"], dtype=float)
_, mean_b, var_b = batch_norm_forward(x, 1.0, 0.0)
answers["s1-mean-var"] = {"mean": float(mean_b), "var": float(var_b)}`,
  's1-xhat': `X = np.array(data["x"], dtype=float)
column = X[:, data["feature"] - 1]              # batch norm: down the column (one feature)
x_hat, _, _ = batch_norm_forward(column, 1.0, 0.0, data["eps"])
answers["s1-xhat"] = {"xhat": float(x_hat[data["example"] - 1])}`,
  's2-identity': `x = np.array(data["x"], dtype=float)
answers["s2-identity"] = {"gamma": float(np.sqrt(np.var(x) + data["eps"])), "beta": float(np.mean(x))}`,
  's3-backward-staged': `x, delta = np.array(data["x"], dtype=float), np.array(data["delta"], dtype=float)
gamma, eps, m = data["gamma"], data["eps"], len(x)
mu, var = np.mean(x), np.var(x)
x_hat = (x - mu) / np.sqrt(var + eps)
dxhat = gamma * delta
dvar = np.sum(dxhat * (x - mu)) * -0.5 * (var + eps) ** -1.5
dmu = np.sum(-dxhat / np.sqrt(var + eps))
dx = dxhat / np.sqrt(var + eps) + dvar * 2 * (x - mu) / m + dmu / m
answers["s3-backward-staged"] = {"dxhat": dxhat.tolist(), "dvar": float(dvar), "dmu": float(dmu),
                                 "dx": dx.tolist(), "dgamma": float(np.sum(delta * x_hat))}`,
  's3-backward-checks': `x, delta = np.array(data["x"], dtype=float), np.array(data["delta"], dtype=float)
gamma, eps, m = data["gamma"], data["eps"], len(x)
x_hat = (x - np.mean(x)) / np.sqrt(np.var(x) + eps)
dx = gamma / np.sqrt(np.var(x) + eps) * (delta - np.mean(delta) - x_hat * np.mean(delta * x_hat))
answers["s3-backward-checks"] = {"sum_dx": float(np.sum(dx)), "sum_xhat_dx": float(np.sum(x_hat * dx)), "ratio": 1 / 3}`,
  's4-running-pytorch': `mean_r, var_r = data["initial"]["running_mean"], data["initial"]["running_var"]
rho = data["momentum"]                           # PyTorch: the weight of the new batch
for batch in data["batches"]:
    b = np.array(batch, dtype=float)
    mean_r = (1 - rho) * mean_r + rho * np.mean(b)
    var_r = (1 - rho) * var_r + rho * np.var(b, ddof=1)   # PyTorch stores the unbiased variance
answers["s4-running-pytorch"] = {"running_mean": float(mean_r), "running_var": float(var_r)}`,
  's4-running-keras': `mean_r, var_r = data["initial"]["running_mean"], data["initial"]["running_var"]
rho = data["momentum"]                           # Keras: the weight of the old value
for batch in data["batches"]:
    b = np.array(batch, dtype=float)
    mean_r = rho * mean_r + (1 - rho) * np.mean(b)
    var_r = rho * var_r + (1 - rho) * np.var(b)          # Keras stores the biased variance
answers["s4-running-keras"] = {"running_mean": float(mean_r), "running_var": float(var_r)}`,
  's4-eval-single': `d = data
y = d["gamma"] * (d["x"] - d["running_mean"]) / np.sqrt(d["running_var"] + d["eps"]) + d["beta"]
answers["s4-eval-single"] = {"y": float(y)}`,
  's4-fold': `W, b = np.array(data["W"], dtype=float), np.array(data["b"], dtype=float)
scale = np.array(data["gamma"]) / np.sqrt(np.array(data["running_var"]) + data["eps"])
W_folded = W * scale[:, None]                    # row j (unit j) times its scale
b_folded = (b - np.array(data["running_mean"])) * scale + np.array(data["beta"])
answers["s4-fold"] = {"W": W_folded.flatten().tolist(), "b": b_folded.tolist()}`,
};

export const NOTEBOOK_SOLVED = Object.keys(SOLVERS);

const markdown = (text) => ({ cell_type: 'markdown', metadata: {}, source: lines(text) });
const code = (text) => ({ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: lines(text) });
// nbformat stores a cell's text as a list of lines, each but the last ending in "\n".
function lines(text) {
  const parts = text.split('\n');
  return parts.map((line, i) => (i < parts.length - 1 ? `${line}\n` : line));
}

// The exercise's data as Python: parsed from JSON, so every number arrives exactly as the core wrote it.
function dataCell(data) {
  const json = JSON.stringify(data).replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  return `data = json.loads('${json}')`;
}

// `exercises`: the core's exercise responses for `seed`, in lesson order. Returns the notebook object.
export function buildNotebook(seed, exercises) {
  const cells = [
    markdown(`# BatchNorm Kata — seed ${seed}\n\nThe kata's exercises with your own numbers (seed ${seed}). ` +
      'Each exercise NumPy can answer has a cell that computes its answer from the data: try it by hand first, ' +
      'then run the cell (or change it). The last cell writes `bnkata-answers-seed-' + seed + '.json`: bring it ' +
      'back with **Import answers…** on the lesson page, or check it with `bnkata check`.'),
    code(KATA_CODE),
  ];
  for (const exercise of exercises) {
    if (!exercise || exercise.error) continue;
    cells.push(markdown(`## ${exercise.title} (\`${exercise.id}\`, step ${exercise.step})\n\n${exercise.prompt}`));
    if (SOLVERS[exercise.id]) cells.push(code(`${dataCell(exercise.data)}\n${SOLVERS[exercise.id]}\nanswers["${exercise.id}"]`));
    else cells.push(markdown('_Answer this one on the lesson page._'));
  }
  cells.push(markdown('## Your answers file'));
  cells.push(code(`answers_file = {"format": "bnkata-answers", "version": 1, "seed": ${seed},
                "answers": {id: {"seed": ${seed}, "answer": a, "attempts": 1} for id, a in answers.items()}}
with open("bnkata-answers-seed-${seed}.json", "w") as f:
    json.dump(answers_file, f, indent=2)
print(f"wrote {len(answers)} answers to bnkata-answers-seed-${seed}.json")`));
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
      language_info: { name: 'python' },
    },
    cells: cells.map((cell, i) => ({ id: `cell-${i + 1}`, ...cell })),
  };
}
