// code-editor.js — the code editor of `code` exercises: CodeMirror 6 when it has loaded, a plain
// <textarea> until then (and for good if it cannot load).
//
// CodeMirror is ~130 KiB gzipped, more than the rest of the page's script, so it is not in app.js: it is
// its own classic script, dist/editor.js (built from editor-bundle.js), loaded the first time a learner
// types in (or points at) a code exercise's editor. A classic <script src> is the kind that loads from file:// too, and the page's CSP
// (script-src 'self') allows it.
//
// Keyboard: Tab is not captured — it moves to the next control, as everywhere on the page. Indent with
// Ctrl-] / Ctrl-[ (⌘ on a Mac) or with spaces.
import { el } from '../ui/dom.js';

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
  const textarea = el('textarea', {
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

  // CodeMirror is fetched when the learner starts to use the editor — a key pressed in it (Tab and
  // Shift+Tab excepted: that is passing by) or a pointer over it — not when the exercise mounts: a learner
  // who never writes code never downloads it, and a keyboard user tabbing past never has the control
  // they are on replaced under them. What was typed meanwhile, the caret and the focus carry over.
  api.ready = new Promise((resolve) => {
    const start = (event) => {
      if (event.type === 'keydown' && event.key === 'Tab') return;
      textarea.removeEventListener('keydown', start);
      textarea.removeEventListener('pointerenter', start);
      resolve(loadEditorScript());
    };
    textarea.addEventListener('keydown', start);
    textarea.addEventListener('pointerenter', start);
  }).then((editor) => {
    if (!textarea.isConnected) return;  // unmounted meanwhile
    const host = el('div', { class: 'code-editor' });
    const hadFocus = document.activeElement === textarea;
    const selection = { anchor: textarea.selectionStart || 0, head: textarea.selectionEnd || 0 };
    view = editor.create(host, { doc: textarea.value, selection, label, onChange, readOnly: disabled });
    textarea.replaceWith(host);
    if (hadFocus) view.focus();
  });
  api.ready.catch(() => { /* the textarea works; nothing to report */ });
  return api;
}
