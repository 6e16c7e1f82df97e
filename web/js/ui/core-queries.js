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

// The mean and the biased variance of `values`, computed by the core's batch statistics (the
// forward_train op reports them as batch_mean and batch_var; its y is not needed here).
export function statistics(core, values) {
  const r = ask(core, { op: 'forward_train', x: Array.from(values) });
  if (r.error) return r;
  const mean = r.batch_mean[0];
  const variance = r.batch_var[0];
  if (!allFinite([mean, variance])) return { error: OVERFLOW };
  return { mean, variance };
}

// Step 1: the batch's statistics, the denominator √(σ²_B + ε) and x̂ = (x − μ_B)/√(σ²_B + ε).
// Returns { mean, variance, denominator, xhat, warning? } or { error }.
export function normalizeBatch(core, x, eps) {
  const r = ask(core, { op: 'forward_train', x: Array.from(x), gamma: [1], beta: [0], eps });
  if (r.error) return r;
  const mean = r.batch_mean[0];
  const variance = r.batch_var[0];
  if (!allFinite([mean, variance])) return { error: OVERFLOW };
  if (!allFinite(r.y)) return { error: OVERFLOW };
  // The core does not report √(σ² + ε) itself, but its inference path computes (x − r_mean)/√(r_var + ε).
  // Asked for x = σ², r_mean = −ε, r_var = σ², that is (σ² + ε)/√(σ² + ε) = √(σ² + ε) — the same sum and
  // square root the training path divides by, computed in the core.
  const d = ask(core, {
    op: 'forward_eval', x: [variance], gamma: [1], beta: [0], running_mean: [-eps], running_var: [variance], eps,
  });
  if (d.error) return d;
  if (!allFinite(d.y)) return { error: OVERFLOW };
  return { mean, variance, denominator: d.y[0], xhat: Array.from(r.y), warning: r.warning };
}

// Step 5: the seed's pipeline x → x − μ_B → x̂ → γx̂ + β, and the mean and variance of each stage as the
// core's batch statistics measure them. Returns { stages: [{ key, values, mean, variance }], warning? }
// or { error }.
export function forwardStages(core, x, gamma, beta, eps) {
  const input = Array.from(x);
  const full = ask(core, { op: 'forward_train', x: input, gamma: [gamma], beta: [beta], eps });
  if (full.error) return full;
  if (!allFinite(full.batch_mean) || !allFinite(full.batch_var)) return { error: OVERFLOW };
  if (!allFinite(full.y)) return { error: OVERFLOW };
  const mean = full.batch_mean[0];

  // x − μ_B: the inference path computes (x − r_mean)/√(r_var + ε). With r_mean = μ_B, r_var = 1 and an
  // ε that vanishes next to 1 in double precision (1 + 1e-300 == 1; the core requires ε > 0), that is
  // (x − μ_B)/√1 — the subtraction alone, done by the core.
  const centered = ask(core, { op: 'forward_eval', x: input, gamma: [1], beta: [0], running_mean: [mean], running_var: [1], eps: 1e-300 });
  if (centered.error) return centered;
  const normalized = ask(core, { op: 'forward_train', x: input, gamma: [1], beta: [0], eps });
  if (normalized.error) return normalized;

  const stages = [
    { key: 'x', values: input },
    { key: 'centered', values: Array.from(centered.y) },
    { key: 'xhat', values: Array.from(normalized.y) },
    { key: 'y', values: Array.from(full.y) },
  ];
  for (const stage of stages) {
    if (!allFinite(stage.values)) return { error: OVERFLOW };
    const s = statistics(core, stage.values);
    if (s.error) return s;
    stage.mean = s.mean;
    stage.variance = s.variance;
  }
  return { stages, warning: full.warning };
}
