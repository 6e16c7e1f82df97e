// requests.mjs — requests shared by the Node tests: the bad ones every layer must answer with an error
// value, and good ones covering every op and layout.

const nest = (depth) => '['.repeat(depth) + '1' + ']'.repeat(depth);

// [what is wrong, request text, the field the error must name]
export const BAD_REQUESTS = [
  ['not JSON', 'forward_train please', 'request'],
  ['truncated JSON', '{"op":"forward_train","x":[1,2', 'request'],
  ['not an object', '[1, 2, 3]', 'request'],
  ['missing op', '{"x":[1,2]}', 'op'],
  ['unknown op', '{"op":"normalise","x":[1,2]}', 'op'],
  ['op not a string', '{"op":7}', 'op'],
  ['missing x', '{"op":"forward_train"}', 'x'],
  ['empty batch', '{"op":"forward_train","x":[]}', 'x'],
  ['ragged batch', '{"op":"forward_train","x":[[1,2],[3]]}', 'x'],
  ['text in the batch', '{"op":"forward_train","x":[1,"two",3]}', 'x'],
  ['null in the batch', '{"op":"forward_train","x":[1,null,3]}', 'x'],
  ['a number that overflows a double', '{"op":"forward_train","x":[1,1e999]}', 'x'],
  ['wrong rank (3-D)', '{"op":"forward_train","x":[[[1,2]],[[3,4]]]}', 'x'],
  ['gamma of the wrong length', '{"op":"forward_train","x":[[1,2],[3,4]],"gamma":[1,2,3]}', 'gamma'],
  ['beta not numbers', '{"op":"forward_train","x":[1,2],"beta":["a"]}', 'beta'],
  ['negative eps', '{"op":"forward_train","x":[1,2],"eps":-1}', 'eps'],
  ['forward_stages: negative eps', '{"op":"forward_stages","x":[1,2],"eps":-1}', 'eps'],
  ['forward_stages: ragged batch', '{"op":"forward_stages","x":[[1,2],[3]]}', 'x'],
  ['forward_stages: overflowing variance', '{"op":"forward_stages","x":[1e308,-1e308]}', 'x'],
  ['negative running variance', '{"op":"forward_eval","x":[1,2],"running_mean":[0],"running_var":[-1]}', 'running_var'],
  ['dy of another shape', '{"op":"backward","x":[1,2,3],"dy":[1,2]}', 'dy'],
  ['momentum above 1', '{"op":"update_running","x":[1,2],"running_mean":[0],"running_var":[1],"momentum":1.5,"convention":"pytorch"}', 'momentum'],
  ['unknown convention', '{"op":"update_running","x":[1,2],"running_mean":[0],"running_var":[1],"convention":"tensorflow"}', 'convention'],
  ['absurd nesting depth', `{"op":"forward_train","x":${nest(100)}}`, 'x'],
  ['more values than the documented limit', `{"op":"forward_train","x":[${'0,'.repeat(1 << 20)}0]}`, 'x'],
];

// Good requests: every op, defaults and explicit values, 1-D, (N, C) and (N, C, H, W), a batch of one.
const grid = (n, c, f) => Array.from({ length: n }, (_, i) => Array.from({ length: c }, (_, j) => f(i, j)));
export const GOOD_REQUESTS = [
  ['seed batch, defaults', { op: 'forward_train', x: [1, 2, 3, 4] }],
  ['seed batch, γ β ε', { op: 'forward_train', x: [1, 2, 3, 4], gamma: [2], beta: [0.5], eps: 1e-3 }],
  ['constant batch', { op: 'forward_train', x: [3, 3, 3, 3] }],
  ['batch of one', { op: 'forward_train', x: [7] }],
  ['(N, C)', { op: 'forward_train', x: grid(5, 3, (i, j) => Math.sin(i * 3 + j) * (j + 1)), gamma: [1, 2, 0.5], beta: [0, -1, 3] }],
  ['(N, C, H, W)', { op: 'forward_train', x: Array.from({ length: 2 }, (_, n) => grid(3, 2, (c, h) => [n + c * h, n - c + h / 3])) }],
  ['offset 1e8', { op: 'forward_train', x: [1e8 + 0.5, 1e8 - 1.25, 1e8 + 2, 1e8 - 0.75] }],
  ['forward_stages, seed batch with γ β', { op: 'forward_stages', x: [1, 2, 3, 4], gamma: [2], beta: [0.5] }],
  ['forward_stages (N, C, H, W), batch of one', { op: 'forward_stages', x: [[[[1, 2], [3, 4]], [[-1, 0.5], [2, 8]]]] }],
  ['forward_stages, one value per channel', { op: 'forward_stages', x: [[3, -2]], beta: [0.5, -1] }],
  ['forward_eval', { op: 'forward_eval', x: grid(4, 2, (i, j) => i - j), gamma: [1, 3], beta: [0, 1], running_mean: [0.5, -0.5], running_var: [2, 0.25], eps: 1e-5 }],
  ['backward', { op: 'backward', x: grid(6, 2, (i, j) => Math.cos(i + 2 * j)), dy: grid(6, 2, (i, j) => (i - j) / 7), gamma: [0.7, 1.3] }],
  ['update_running pytorch', { op: 'update_running', x: [1, 2, 3, 4], running_mean: [0], running_var: [1], convention: 'pytorch' }],
  ['update_running keras', { op: 'update_running', x: [1, 2, 3, 4], running_mean: [0], running_var: [1], convention: 'keras', momentum: 0.9 }],
];
