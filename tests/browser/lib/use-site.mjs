// use-site.mjs — the one set-up every browser test file shares: one Chromium and one server of the
// built site per file, pages opened on them, and everything closed after the file's tests.
//
//   const site = useSite();                        // at the top of a file or inside a describe()
//   test('…', async () => {
//     const { page, problems, close } = await site.open('#step-1');   // the served lesson + fragment
//     const local = await site.open(fileUrl('#step-1'));              // or any full address
//   });
//
// site.browser, site.url (the lesson's http address), site.origin and site.base are set once the
// suite's before() hook has run; pages still open when the suite ends are closed with the browser.
import { before, after } from 'node:test';
import { launchChromium, openLesson } from './browser.mjs';
import { serveSite } from './site.mjs';

export function useSite({ base = '/lesson/' } = {}) {
  const open = new Set();
  let server;
  const site = {
    browser: null, url: null, origin: null, base: null,
    // Opens `where` (a full URL, or '#fragment' / '?query' appended to the served lesson's address)
    // with openLesson's options.
    async open(where = '', options) {
      const url = /^[a-z]+:/.test(where) ? where : site.url + where;
      const lesson = await openLesson(site.browser, url, options);
      open.add(lesson);
      const closeContext = lesson.close;
      lesson.close = async () => { open.delete(lesson); await closeContext(); };
      return lesson;
    },
  };
  before(async () => {
    site.browser = await launchChromium();
    server = await serveSite({ base });
    Object.assign(site, { url: server.url, origin: server.origin, base: server.base });
  });
  after(async () => {
    for (const lesson of open) await lesson.close().catch(() => {});
    await server?.close();
    await site.browser?.close();
  });
  return site;
}
