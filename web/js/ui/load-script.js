// load-script.js — loads a classic script from the page's own folder once, on demand: the on-demand
// parts of dist/ (the exercises' WASM module, the training lab) arrive this way because a classic
// <script> is the one kind that loads from file:// as well as over http (docs/toolchain.md).

const loading = new Map();  // src → Promise, so that two figures asking at once share one request

// Resolves once the script at `src` has run and `isLoaded()` says it defined what it should; a failed
// request may be retried by a later call.
export function loadScript(src, isLoaded) {
  if (isLoaded()) return Promise.resolve();
  if (!loading.has(src)) {
    loading.set(src, new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.onload = () => (isLoaded() ? resolve() : reject(new Error(`${src} loaded but did not define what it should`)));
      script.onerror = () => { loading.delete(src); reject(new Error(`${src} could not be loaded`)); };
      document.head.appendChild(script);
    }));
  }
  return loading.get(src);
}
