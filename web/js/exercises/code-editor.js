// code-editor.js — the code editor of `code` exercises: CodeMirror 6 when it has loaded, a plain
// <textarea> until then (and for good if it cannot load).
//
// CodeMirror is ~130 KiB gzipped, more than the rest of the page's script, so it is not in app.js: it is
// its own classic script, dist/editor.js (built from editor-bundle.js), loaded the first time a code
// exercise's editor comes near the viewport. A classic <script src> is the kind that loads from file:// too, and the page's CSP
// (script-src 'self') allows it.
//
// Keyboard: Tab is not captured — it moves to the next control, as everywhere on the page. Indent with
// Ctrl-] / Ctrl-[ (⌘ on a Mac) or with spaces.
import { h } from './dom.js';

const EDITOR_SCRIPT = 'editor.js';
let loading = null;

function loadEditorScript() {
  if (window.bnkataEditor) return Promise.resolve(window.bnkataEditor);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = EDITOR_SCRIPT;
      script.async = true;
      script.onload = () => (window.bnkataEditor ? resolve(window.bnkataEditor) : reject(new Error('editor.js did not define the editor')));
      script.onerror = () => reject(new Error('editor.js could not be loaded'));
      document.head.appendChild(script);
    });
  }
  return loading;
}

// Mounts an editor into `container`. Returns { getValue, setValue, setDisabled, focus, ready }.
// `ready` resolves once CodeMirror has replaced the textarea (or rejects; the textarea then stays).
export function createCodeEditor(container, { doc, label, describedBy, onChange }) {
  const textarea = h('textarea', {
    class: 'code-fallback', rows: 14, spellcheck: 'false', autocapitalize: 'off', autocomplete: 'off',
    'aria-label': label, 'aria-describedby': describedBy,
  });
  textarea.value = doc;
  textarea.addEventListener('input', () => onChange && onChange());
  container.replaceChildren(textarea);

  let view = null;   // the CodeMirror handle once loaded
  let disabled = false;

  const api = {
    getValue: () => (view ? view.getValue() : textarea.value),
    setValue: (text) => { if (view) view.setValue(text); else textarea.value = text; },
    setDisabled: (value) => { disabled = value; if (view) view.setReadOnly(value); else textarea.disabled = value; },
    focus: () => (view ? view.focus() : textarea.focus()),
    ready: null,
  };

  // CodeMirror is fetched when the editor comes near the viewport (or gets focus), not when the exercise
  // mounts: a learner who never reaches step 5 never downloads it.
  api.ready = new Promise((resolve) => {
    let started = false;
    const start = () => {
      if (started) return;
      started = true;
      if (observer) observer.disconnect();
      resolve(loadEditorScript());
    };
    const observer = 'IntersectionObserver' in window
      ? new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting)) start(); }, { rootMargin: '600px 0px' })
      : null;
    if (observer) observer.observe(textarea); else start();
    textarea.addEventListener('focus', start, { once: true });
  }).then((editor) => {
    if (!textarea.isConnected) return;  // unmounted meanwhile
    const host = h('div', { class: 'code-editor' });
    const hadFocus = document.activeElement === textarea;
    view = editor.create(host, { doc: textarea.value, label, onChange, readOnly: disabled });
    textarea.replaceWith(host);
    if (hadFocus) view.focus();
  });
  api.ready.catch(() => { /* the textarea works; nothing to report */ });
  return api;
}
