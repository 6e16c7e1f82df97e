// make-corpus.mjs — writes the fuzz harnesses' seed corpora (tests/fuzz/corpus/<harness>/) from the
// requests the tests themselves send, so that fuzzing starts from inputs that reach every op.
//   node tests/fuzz/make-corpus.mjs
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BAD_REQUESTS, GOOD_REQUESTS } from '../node/lib/requests.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '..', 'fixtures', 'exercises');
const answersFiles = readdirSync(fixtures).filter((f) => f.startsWith('answers-')).sort()
  .map((f) => readFileSync(join(fixtures, f), 'utf8'));

const SMALL = 4096;  // seeds stay small: the fuzzer grows them
const corpus = {
  compute: [
    ...GOOD_REQUESTS.map(([, request]) => JSON.stringify(request)),
    ...BAD_REQUESTS.map(([, text]) => text),
    '{"op":"exercise_catalog"}',
    '{"op":"exercise","id":"s1-mean-var","seed":7}',
    '{"op":"exercise","id":"s5-forward-code","seed":3}',
    '{"op":"grade","id":"s1-mean-var","seed":7,"answer":{"mean":1.8,"var":4.96}}',
    '{"op":"grade","id":"s2-bias","seed":7,"answer":{"choices":["a","c"]}}',
    '{"op":"grade","id":"s1-formula","seed":1,"answer":{"xhat":"(x - mu)/sqrt(var + eps)"}}',
    '{"op":"grade","id":"s4-running-pytorch","seed":2,"answer":{"running_mean":[1,2],"running_var":[3,4]}}',
    '{"op":"forward_train","x":[1e154,-1e154]}',
    '{"op":"update_running","x":[1e154,-1e154],"running_mean":[0],"running_var":[1],"convention":"keras"}',
    ...answersFiles.map((file) => JSON.stringify({ op: 'check_answers', file: JSON.parse(file) })),
  ],
  formula: [
    '(x - mu)/sqrt(var + eps)', '(x − μ)/√(σ² + ε)', '(x-mu)/(sqrt(var)+eps)', 'gamma*(x-mu)/sqrt(var+eps)+beta',
    '(x - mu) / sigma', '-(-x)^2 ** 0.5', '1e308*1e308', '((((x))))', 'sqrt(var * m / (m - 1) + eps)', '2x', '',
  ],
  answers_file: answersFiles,
  numpy_output: [
    'Normalized y: [-1.34163542 -0.4472118   0.4472118   1.34163542], Mean: 0.0, Var: 0.9999920000639995',
    'Normalized y: [ 1.03051741 -0.86213929  0.51433831\n -0.08787064  0.77242786  1.63272636], Mean: 0.5',
    'Normalized y: array([1., 2.]), Mean: 1.5', '[1.e-09 1.e+00]', 'Normalized y: [nan inf -inf ...]', '[]',
  ],
  training: [
    '{}',
    '{"seed":3,"sizes":[2,16,16,3],"activation":"tanh","batchnorm":"before","init_scale":1,"init_mode":"fan_in","learning_rate":0.1,"batch_size":20,"data":{"kind":"blobs","train":60,"test":30,"noise":0.1}}',
    '{"seed":7,"sizes":[2,8,3],"activation":"relu","batchnorm":"after","batch_size":8,"data":{"kind":"spiral","train":40,"test":20}}',
    '{"seed":1,"sizes":[2,4,4,2],"activation":"sigmoid","batchnorm":"before","bn_grad_through_stats":false,"trainable":"bias_before_bn","learning_rate":0.5,"batch_size":10,"data":{"kind":"circles","train":10,"test":10}}',
    '{"sizes":[3,4,2],"batch_size":2,"monitor_layer":0,"monitor_unit":3,"data":{"kind":"external"}}\n--probe\n{"etas":[0.01,0.1,1,10]}',
    '{"sizes":[2,4,2],"batchnorm":"before","init_scale":100,"learning_rate":1000,"batch_size":4,"data":{"kind":"blobs","train":8,"test":4}}',
    '{"activation":"xéééééééééééééééééééééééééééé"}',
  ],
};

for (const [harness, inputs] of Object.entries(corpus)) {
  const dir = join(here, 'corpus', harness);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  inputs.filter((text) => text.length <= SMALL).forEach((text, i) => writeFileSync(join(dir, String(i).padStart(3, '0')), text));
}
