// editor-bundle.js — CodeMirror 6 for the code exercises, bundled on its own into dist/editor.js (a
// classic script loaded on demand by code-editor.js; see there why).
//
// Defines window.bnkataEditor.create(host, { doc, selection, label, onChange, readOnly }) →
//   { getValue, setValue, setReadOnly, focus }.
// The editor lives in a shadow root of `host`: there CodeMirror's generated styles go into adopted
// stylesheets, which the page's strict `style-src 'self'` allows (a <style> element in the document
// would be blocked). Colours come from the page's CSS custom properties, which do cross the shadow
// boundary, so light and dark schemes follow the page.
import { EditorState, Compartment } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, drawSelection, highlightActiveLine } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { javascriptLanguage } from '@codemirror/lang-javascript';
import { HighlightStyle, syntaxHighlighting, bracketMatching, indentOnInput, indentUnit } from '@codemirror/language';
import { tags } from '@lezer/highlight';

const highlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.definitionKeyword, tags.operatorKeyword], color: 'var(--ex-code-keyword, #8b2fc9)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--ex-code-number, #0b6e4f)' },
  { tag: [tags.string], color: 'var(--ex-code-string, #9a4a00)' },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: 'var(--ex-code-comment, #5c6470)', fontStyle: 'italic' },
  { tag: [tags.function(tags.variableName), tags.function(tags.definition(tags.variableName))], color: 'var(--ex-code-function, #1d4ed8)' },
]);

const theme = EditorView.theme({
  '&': {
    color: 'var(--ex-code-fg, #1b1f24)',
    backgroundColor: 'var(--ex-code-bg, #f6f8fa)',
    border: '1px solid var(--ex-border, #8c959f)',
    borderRadius: '4px',
    fontSize: '0.9rem',
  },
  '&.cm-focused': { outline: '3px solid var(--ex-focus, #1d4ed8)', outlineOffset: '1px' },
  '.cm-content': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', caretColor: 'var(--ex-code-fg, #1b1f24)', minHeight: '12em' },
  '.cm-gutters': { backgroundColor: 'var(--ex-code-gutter, #eaeef2)', color: 'var(--ex-code-comment, #5c6470)', border: 'none' },
  '.cm-activeLine': { backgroundColor: 'var(--ex-code-active, rgba(29, 78, 216, 0.06))' },
  '&.cm-focused .cm-cursor': { borderLeftColor: 'var(--ex-code-fg, #1b1f24)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'var(--ex-code-selection, rgba(29, 78, 216, 0.25))' },
});

function create(host, { doc, selection, label, onChange, readOnly = false }) {
  const shadow = host.attachShadow({ mode: 'open' });
  const editable = new Compartment();
  // aria-describedby cannot reach ids outside the shadow root, so the label carries what matters.
  const contentAttributes = { 'aria-label': label, 'aria-multiline': 'true' };
  const state = EditorState.create({
    doc,
    selection: selection && selection.anchor <= doc.length && selection.head <= doc.length ? selection : undefined,
    extensions: [
      lineNumbers(),
      history(),
      drawSelection(),
      highlightActiveLine(),
      indentOnInput(),
      bracketMatching(),
      indentUnit.of('  '),
      // Lines wrap and the editor grows with its text: no inner scroll region that a keyboard user would
      // have to reach separately (axe: scrollable-region-focusable).
      EditorView.lineWrapping,
      javascriptLanguage,
      syntaxHighlighting(highlight),
      // defaultKeymap has no Tab binding: Tab leaves the editor (keyboard users are never trapped).
      keymap.of([...defaultKeymap, ...historyKeymap]),
      theme,
      editable.of([EditorView.editable.of(!readOnly), EditorState.readOnly.of(readOnly)]),
      EditorView.contentAttributes.of(contentAttributes),
      EditorView.updateListener.of((update) => { if (update.docChanged && onChange) onChange(); }),
    ],
  });
  const view = new EditorView({ state, parent: shadow, root: shadow });
  return {
    getValue: () => view.state.doc.toString(),
    setValue: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    setReadOnly: (value) => view.dispatch({ effects: editable.reconfigure([EditorView.editable.of(!value), EditorState.readOnly.of(value)]) }),
    focus: () => view.focus(),
  };
}

window.bnkataEditor = { create };
