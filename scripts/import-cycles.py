#!/usr/bin/env python3
# Usage: python3 scripts/import-cycles.py .   Lists import cycles (file level, type imports
# included, tests excluded) that cross a module or top-level folder under src/.
import os,re,sys
root=sys.argv[1]+'/src'
spec=re.compile(r"""(?:from|import)\s*\(?\s*['"](\.{1,2}/[^'"]+)['"]""")
g={}
for dp,_,fs in os.walk(root):
    for f in fs:
        if f.endswith(('.ts','.tsx')) and '.test.' not in f:
            p=os.path.normpath(os.path.join(dp,f))
            g[p]=[os.path.normpath(os.path.join(dp,s)) for s in spec.findall(open(p).read())]
def mod(p):
    r=os.path.relpath(p,root).split(os.sep)
    return r[1] if r[0]=='modules' and len(r)>2 else r[0]
sys.setrecursionlimit(10000)
idx={};low={};st=[];on=set();comps=[];c=[0]
def sc(v):
    idx[v]=low[v]=c[0];c[0]+=1;st.append(v);on.add(v)
    for w in g.get(v,()):
        if w not in g: continue
        if w not in idx: sc(w);low[v]=min(low[v],low[w])
        elif w in on: low[v]=min(low[v],idx[w])
    if low[v]==idx[v]:
        comp=[]
        while True:
            w=st.pop();on.discard(w);comp.append(w)
            if w==v:break
        if len(comp)>1: comps.append(comp)
for v in g:
    if v not in idx: sc(v)
for comp in comps:
    ms=sorted({mod(p) for p in comp})
    if len(ms)>1: print('cross-module cycle through',ms,len(comp),'files')
print('cross-module file cycles:',sum(1 for comp in comps if len({mod(p) for p in comp})>1))
