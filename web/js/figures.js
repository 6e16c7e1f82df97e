// The registry of figures: the name in a root's data-figure="NAME" → the module that mounts it.
// Every module follows the contract mount(root, ctx) → { update, destroy } (web/README.md).
// A root whose name is not registered here stays empty: no placeholder widgets.
import * as trainingLab from './lab/figure.js';  // a stub: the lab itself is dist/lab.js, loaded on demand
import * as stepNav from './figures/step-nav.js';
import * as normalize from './figures/normalize.js';
import * as normCube from './figures/norm-cube.js';
import * as verify from './figures/verify.js';
import * as sigmoidRange from './figures/sigmoid-range.js';
import * as gradientProjection from './figures/gradient-projection.js';
import * as solvedReveal from './figures/solved-reveal.js';
import * as exercises from './exercises/exercise-list.js';
import * as exerciseProgress from './exercises/progress-panel.js';

export const figures = {
  'training-lab': trainingLab,
  'step-nav': stepNav,
  normalize,
  'norm-cube': normCube,
  verify,
  'sigmoid-range': sigmoidRange,
  'gradient-projection': gradientProjection,
  'solved-reveal': solvedReveal,
  exercises,
  'exercise-progress': exerciseProgress,
};

// Figures that need no core and stand above the lesson's text: mounted as soon as they are parsed,
// before the first paint, so that they never push the text down (main.js).
export const mountedWithoutCore = new Set(['step-nav', 'exercise-progress']);
