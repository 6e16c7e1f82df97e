// heavy-requests.mjs — requests built to cost as much memory per byte of text as the JSON interface
// allows: the shapes a request of many small values can take (docs/reliability.md, "Limits"). Shared by
// scripts/bench-memory.mjs, which measures what each costs natively and in WebAssembly, and by
// tests/node/wasm-hostile.test.mjs, which holds the WebAssembly heap to the bound.
//
// Each row: [what, text, refusal] where refusal is null for a request that is answered, or the field
// and words of the error that refuses it.
const list = (unit, n) => unit.concat(','.concat(unit).repeat(n - 1));  // n copies of unit, comma-separated
const TENSOR = 1 << 20;  // kMaxTensorValues
const DEEP = 30;         // arrays inside the top-level array: 31 levels, within the 32 allowed

export const HEAVY_REQUESTS = [
  ['flat array of one-digit numbers (x at the tensor limit)',
    `{"op":"forward_train","x":[${list('0', TENSOR)}]}`, null],
  ['flat array of one-digit numbers, past the value limit',
    `{"op":"forward_train","x":[${list('0', 2 * TENSOR + (1 << 16))}]}`, ['x', /more than 2162688 JSON values/]],
  ['x and dy of short decimals (backward at the tensor limit)',
    `{"op":"backward","x":[${list('0.25', TENSOR)}],"dy":[${list('-0.5', TENSOR)}]}`, null],
  ['[N][1]: one-number rows (x at the tensor limit)',
    `{"op":"forward_train","x":[${list('[0]', TENSOR)}]}`, ['x', /too many small values/]],
  [`chains ${DEEP + 1} levels deep`,
    `[${list('['.repeat(DEEP) + '0' + ']'.repeat(DEEP), 100000)}]`, ['request', /too many small values/]],
  ['empty arrays', `[${list('[]', 2 * TENSOR)}]`, ['request', /too many small values/]],
  ['empty strings', `{"op":[${list('""', 2 * TENSOR)}]}`, ['op', /too many small values/]],
  ['an object of many short keys',
    `{"op":"forward_train","x":{${Array.from({ length: 1 << 20 }, (_, i) => `"${i.toString(36)}":0`).join(',')}}}`,
    ['x', /too many small values/]],
  ['one long string (30 MiB)', `{"op":"forward_train","x":"${'a'.repeat(30 << 20)}"}`, ['x', /expected a nested array/]],
];
