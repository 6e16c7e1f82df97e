#!/usr/bin/python3
# subset-katex-fonts.py — the font work behind scripts/subset-katex-fonts.mjs, done with fontTools
# (Debian's python3-fonttools, with python3-brotli for WOFF2). Two commands:
#
#   subset   reads a JSON list of jobs on stdin, [{"from": FILE, "to": FILE, "codepoints": [int, ...]}],
#            and writes each `to` as a WOFF2 font holding only the glyphs for those code points (and the
#            glyphs they pull in through the font's layout tables); prints nothing on success.
#   cmap FILE...   prints {"FILE": [code points the font maps], ...} as JSON: what a font can draw.
#
# Errors go to stderr with exit status 1, naming the file.
import json
import sys

try:
    from fontTools import subset
    from fontTools.ttLib import TTFont
except ImportError:
    sys.exit('subset-katex-fonts.py: fontTools is missing (Debian: apt-get install python3-fonttools python3-brotli)')


def subset_fonts(jobs):
    for job in jobs:
        options = subset.Options()
        options.flavor = 'woff2'
        options.layout_features = ['*']   # keep every layout feature, so no substitution a glyph needs is lost
        options.name_IDs = ['*']          # keep the names (family, licence): a few bytes
        options.notdef_outline = True     # a missing glyph draws as a visible box, not as nothing
        try:
            font = subset.load_font(job['from'], options)
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=job['codepoints'])
            subsetter.subset(font)
            subset.save_font(font, job['to'], options)
        except Exception as error:  # fontTools raises many kinds; name the font either way
            sys.exit(f'subset-katex-fonts.py: {job["from"]}: {error}')


def cmaps(files):
    out = {}
    for file in files:
        try:
            out[file] = sorted(TTFont(file).getBestCmap().keys())
        except Exception as error:
            sys.exit(f'subset-katex-fonts.py: {file}: {error}')
    return out


if __name__ == '__main__':
    if len(sys.argv) >= 2 and sys.argv[1] == 'subset':
        subset_fonts(json.load(sys.stdin))
    elif len(sys.argv) >= 3 and sys.argv[1] == 'cmap':
        json.dump(cmaps(sys.argv[2:]), sys.stdout)
    else:
        sys.exit('usage: subset-katex-fonts.py subset < jobs.json | subset-katex-fonts.py cmap FILE...')
