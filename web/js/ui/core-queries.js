// core-queries.js — the questions the step figures ask the BatchNorm core, phrased as the core's JSON
// requests (ctx.core.compute, the façade in js/core.js). Every number a figure shows comes from here: the
// page does no Batch Normalization arithmetic of its own.
//
// Results are values: the numbers, or { error: { field, message } } — the core's own error value when the
// core refused the request, or one made here when the core answered with numbers that are not finite
// (double precision overflowed). Nothing here throws.

function ask(core, request) {
  try {
    const response = core.compute(request);
    if (!response || typeof response !== 'object') {
      return { error: { field: '', message: 'The core gave no answer.' } };
    }
    return response;
  } catch (error) {
    return { error: { field: '', message: `The core failed: ${error && error.message ? error.message : error}` } };
  }
}

// JSON has no Infinity or NaN: an overflow comes back as null (or, from a façade that passes numbers
// through, as a non-finite number).
function allFinite(values) {
  return Array.from(values).every((v) => typeof v === 'number' && Number.isFinite(v));
}

const OVERFLOW = {
  field: 'x',
  message: 'These values are too large: their squares overflow double precision (about 1.8e308), so the ' +
    'variance is infinite. Use values below about 1e150.',
};

// The forward pass taken apart by the core (the forward_stages op): μ_B, σ²_B, √(σ²_B + ε), and the stages
// x, x − μ_B, x̂, γx̂ + β with the mean and biased variance of each, measured by the core's batch statistics.
// The batch here is one feature, so every per-channel list has one entry. Returns the response or { error }.
function stagesOf(core, x, gamma, beta, eps) {
  const r = ask(core, { op: 'forward_stages', x: Array.from(x), gamma: [gamma], beta: [beta], eps });
  if (r.error) return r;
  if (!allFinite([r.batch_mean[0], r.batch_var[0], r.std[0]])) return { error: OVERFLOW };
  for (const stage of r.stages) {
    if (!allFinite(stage.values) || !allFinite([stage.mean[0], stage.var[0]])) return { error: OVERFLOW };
  }
  return r;
}

// Step 1: the batch's statistics, the denominator √(σ²_B + ε), x̂ = (x − μ_B)/√(σ²_B + ε) and x̂'s own mean
// and variance. Returns { mean, variance, denominator, xhat, xhatMean, xhatVariance, warning? } or { error }.
export function normalizeBatch(core, x, eps) {
  const r = stagesOf(core, x, 1, 0, eps);
  if (r.error) return r;
  const xhat = r.stages[2];  // x, x − μ, x̂, γx̂ + β
  return {
    mean: r.batch_mean[0],
    variance: r.batch_var[0],
    denominator: r.std[0],
    xhat: Array.from(xhat.values),
    xhatMean: xhat.mean[0],
    xhatVariance: xhat.var[0],
    warning: r.warning,
  };
}

// Step 5: the seed's pipeline x → x − μ_B → x̂ → γx̂ + β, and the mean and variance of each stage as the
// core's batch statistics measure them. Returns { stages: [{ key, values, mean, variance }], warning? }
// or { error }.
const STAGE_KEYS = ['x', 'centered', 'xhat', 'y'];  // the core's stages, in its order

export function forwardStages(core, x, gamma, beta, eps) {
  const r = stagesOf(core, x, gamma, beta, eps);
  if (r.error) return r;
  const stages = r.stages.map((stage, i) => ({
    key: STAGE_KEYS[i],
    values: Array.from(stage.values),
    mean: stage.mean[0],
    variance: stage.var[0],
  }));
  return { stages, warning: r.warning };
}

// A figure's random batch (the draw_batch op): `size` draws from N(mean, sd²) seeded by (seed, purpose),
// rounded to `decimals` places — the batch `bnkata compute` draws from the same request. Returns
// { values } or { error }.
export function drawBatch(core, { seed, purpose, size, mean, sd, decimals }) {
  return ask(core, { op: 'draw_batch', seed, purpose, size, mean, sd, decimals });
}

// The normalization cube: one `normalize` request over a feature map x ([N][C][H][W] nested lists) with
// γ = 1, β = 0, so that y is x̂. `kind` is batch | layer | instance | group (`groups` only for group).
// Returns { y: flat list in x's row-major order, mean, variance, warning? } — mean and variance as the
// core gives them ([C] for batch, [N][G] for the others) — or { error }.
export function normalizeFeatureMap(core, { kind, groups, x, eps }) {
  const request = { op: 'normalize', kind, x, eps };
  if (kind === 'group') request.groups = groups;
  const r = ask(core, request);
  if (r.error) return r;
  const y = r.y.flat(3);
  if (!allFinite(y) || !allFinite(r.mean.flat()) || !allFinite(r.var.flat())) return { error: OVERFLOW };
  return { y, mean: r.mean, variance: r.var, warning: r.warning };
}
