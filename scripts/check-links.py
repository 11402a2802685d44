# Checks that every relative link in README.md and docs/*.md points to an existing file
# and heading (GitHub-style anchors). Run from the repository root: python3 scripts/check-links.py
import re, os, sys, glob
root = '.'
files = [os.path.join(root, 'README.md')] + sorted(glob.glob(os.path.join(root, 'docs', '*.md')))
def slug(h):
    h = h.strip().lower()
    h = re.sub(r'[^\w\- ]', '', h)   # drop punctuation (keeps letters, digits, _, -, space)
    return h.replace(' ', '-')
def anchors(path):
    out, fence, seen = set(), False, {}
    for l in open(path, encoding='utf-8'):
        if l.startswith('```'): fence = not fence; continue
        m = not fence and re.match(r'^(#{1,6}) (.*)$', l.rstrip('\n'))
        if m:
            s = slug(m.group(2)); n = seen.get(s, 0); seen[s] = n + 1
            out.add(s if n == 0 else f'{s}-{n}')
    return out
bad = ok = 0
for f in files:
    text, fence, body = open(f, encoding='utf-8').read(), False, []
    for l in text.split('\n'):
        if l.startswith('```'): fence = not fence; continue
        if not fence: body.append(re.sub(r'`[^`]*`', '', l))
    for target in re.findall(r'\]\(([^)\s]+)\)', '\n'.join(body)):
        if re.match(r'[a-z]+:', target): continue
        path, _, frag = target.partition('#')
        dest = os.path.normpath(os.path.join(os.path.dirname(f), path)) if path else f
        rel = os.path.relpath(f, root)
        if not os.path.exists(dest):
            print(f'MISSING FILE {rel}: {target}'); bad += 1; continue
        if frag and frag not in anchors(dest):
            print(f'MISSING ANCHOR {rel}: {target}'); bad += 1; continue
        ok += 1
print(f'{ok} links ok, {bad} broken')
