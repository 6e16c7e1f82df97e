// trim-katex-css.mjs — KaTeX's stylesheet without the rules the built page can never match.
//
// All math is typeset at build time and no script adds KaTeX markup at run time, so the classes in the
// built HTML are all the classes KaTeX's rules will ever meet. A selector that requires a class the page
// does not have (`.katex .boldsymbol`, `.katex .fbox`) can never match, and is dropped; a rule with no
// selector left goes. Classes inside :not(…) are not required, and at-rules are kept whole.
// (katex.min.css is 20 KiB of rules for every TeX construct; the page uses a few dozen of them.)
// tests/browser/katex-fonts.test.mjs checks that every KaTeX element's computed style is the same
// with the trimmed and the whole stylesheet.

/** The classes used anywhere in `html`. */
export function pageClasses(html) {
  const classes = new Set();
  for (const m of html.matchAll(/\sclass\s*=\s*"([^"]*)"/g)) for (const c of m[1].split(/\s+/)) if (c) classes.add(c);
  return classes;
}

// The classes a selector requires of the page (not those inside :not(…)).
const requiredClasses = (selector) => [...selector.replace(/:not\([^)]*\)/g, '').matchAll(/\.([A-Za-z0-9_-]+)/g)].map((m) => m[1]);

/** `css` with the selectors `html` cannot match removed (and rules left with none). */
export function trimKatexCss(css, html) {
  const classes = pageClasses(html);
  return css.replace(/([^{}]+)\{([^{}]*)\}/g, (rule, selectorList, body) => {
    if (selectorList.trim().startsWith('@')) return rule;  // @font-face and the like
    const kept = selectorList.split(',').filter((selector) => requiredClasses(selector).every((c) => classes.has(c)));
    return kept.length ? `${kept.join(',')}{${body}}` : '';
  });
}
