// The esbuild options every bundle of the site shares: minified, no legal comments, only warnings
// logged, for the browsers the page supports. Scripts are bundled as classic IIFE scripts, the only kind
// that loads from file:// (docs/toolchain.md).
export const BUNDLE = { bundle: true, minify: true, target: 'es2020', legalComments: 'none', logLevel: 'warning' };
export const SCRIPT_BUNDLE = { ...BUNDLE, format: 'iife' };
