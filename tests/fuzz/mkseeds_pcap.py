#!/usr/bin/env python3
"""mkseeds_pcap.py: writes the hand-made seeds of corpus/pcap/ (numbered
files and crash-pcapng-tsoffset-overflow) from sample-pcaps/: thinned
copies of the samples, the direct call in every classic pcap flavour
(byte order, usec/nsec, cut records, absurd lengths, empty and short
files), and pcapng with several interfaces, link types, if_tsresol and
if_tsoffset values, odd blocks and broken blocks. The cov-* inputs come
from fuzzing runs, not from here.

usage: tests/fuzz/mkseeds_pcap.py [OUTDIR]   (default tests/fuzz/corpus/pcap)
"""
import struct, os, sys
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SP = os.path.join(ROOT, 'sample-pcaps') + '/'
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, 'tests/fuzz/corpus/pcap')
os.makedirs(OUT, exist_ok=True)

def read_pcap(path):
    b=open(path,'rb').read()
    m=b[:4]
    if m==b'\xd4\xc3\xb2\xa1': e='<'; ns=False
    elif m==b'\xa1\xb2\xc3\xd4': e='>'; ns=False
    elif m==b'\x4d\x3c\xb2\xa1': e='<'; ns=True
    elif m==b'\xa1\xb2\x3c\x4d': e='>'; ns=True
    else: raise Exception(path)
    _,_,_,_,_,snap,lt=struct.unpack(e+'IHHiIII',b[:24])
    off=24; recs=[]
    while off+16<=len(b):
        s,f,cl,wl=struct.unpack(e+'IIII',b[off:off+16]); off+=16
        d=b[off:off+cl]; off+=cl
        t = s*10**9 + (f if ns else f*1000)
        recs.append((t,wl,d))
    return lt,recs

def interesting(d):
    return b'SIP/2.0' in d

def thin(recs, keep_other=12):
    out=[];n=0
    for r in recs:
        if interesting(r[2]): out.append(r)
        elif n<keep_other: out.append(r); n+=1
    return out

def write_pcap(path, lt, recs, e='<', ns=False, snap=65535, vmaj=2, vmin=4):
    magic=0xa1b23c4d if ns else 0xa1b2c3d4
    o=struct.pack(e+'IHHiIII',magic,vmaj,vmin,0,0,snap,lt)
    for t,wl,d in recs:
        s,sub=divmod(t,10**9)
        if not ns: sub//=1000
        o+=struct.pack(e+'IIII',s,sub,len(d),wl)+d
    open(os.path.join(OUT,path),'wb').write(o)
    return o

def blk(e,t,body):
    while len(body)%4: body+=b'\0'
    L=12+len(body)
    return struct.pack(e+'II',t,L)+body+struct.pack(e+'I',L)

def opt(e,code,val):
    v=val
    pad=(4-len(v)%4)%4
    return struct.pack(e+'HH',code,len(v))+v+b'\0'*pad

def shb(e):
    return blk(e,0x0A0D0D0A, struct.pack(e+'IHHq',0x1A2B3C4D,1,0,-1))

def idb(e,lt,snap=0,opts=b''):
    return blk(e,1,struct.pack(e+'HHI',lt,0,snap)+opts+(opt(e,0,b'') if opts else b''))

def epb(e,ifid,ts,d,wl=None):
    return blk(e,6,struct.pack(e+'IIIII',ifid,ts>>32,ts&0xffffffff,len(d),wl if wl is not None else len(d))+d)

def save(name,b):
    open(os.path.join(OUT,name),'wb').write(b)

# --- copies and thinned copies of the samples
for name,f in [('01-register','register-retrans.pcap'),('02-fragmented','fragmented.pcap'),
               ('03-ipv6-call','ipv6-call.pcap'),('04-malformed','malformed.pcap')]:
    b=open(SP+f,'rb').read()
    if len(b)<64*1024: save(name+'.pcap',b)
for name,f in [('05-direct-call-thin','direct-call-sll.pcap'),('06-b2bua-auth-thin','b2bua-lossy.pcap'),
               ('07-kamailio-sipp-thin','thirdparty-kamailio-sipp.pcap'),('08-truncated-thin','truncated.pcap')]:
    lt,recs=read_pcap(SP+f)
    write_pcap(name+'.pcap',lt,thin(recs))
vb=open(SP+'vlan-sll2.pcapng','rb').read()
save('09-vlan-sll2.pcapng',vb)

# --- the b2bua call with all its RTP kept for 40 packets per stream, so streams/jitter/ICMP run
lt,recs=read_pcap(SP+'b2bua-lossy.pcap')
write_pcap('10-b2bua-rtp.pcap',lt,thin(recs,keep_other=160))

# --- format variants of the direct call (thinned)
lt,recs=read_pcap(SP+'direct-call-sll.pcap'); dc=thin(recs,keep_other=6)
write_pcap('11-direct-be-usec.pcap',lt,dc,e='>')
write_pcap('12-direct-le-nsec.pcap',lt,dc,ns=True)
write_pcap('13-direct-be-nsec.pcap',lt,dc,e='>',ns=True)
full=write_pcap('14-direct-trunc-record.pcap',lt,dc)
save('14-direct-trunc-record.pcap',full[:-37])
save('15-direct-trunc-header.pcap',full[:24+16+len(dc[0][2])+9])
# absurd caplen in the second record
o=bytearray(full); off=24+16+len(dc[0][2]); struct.pack_into('<I',o,off+8,0x7fffffff)
save('16-absurd-caplen.pcap',bytes(o))
o=bytearray(full); struct.pack_into('<I',o,16,0xffffffff)
save('17-absurd-snaplen.pcap',bytes(o))
o=bytearray(full); struct.pack_into('<I',o,16,0)
save('18-zero-snaplen.pcap',bytes(o))
save('19-empty',b'')
save('20-three-bytes',b'\xd4\xc3\xb2')
save('21-header-only.pcap',full[:24])
save('22-bad-magic',b'\xde\xad\xbe\xef'+full[4:200])
# caplen > wirelen, wirelen 0
rr=[(t,0 if i==1 else wl,d) for i,(t,wl,d) in enumerate(dc)]
write_pcap('23-wirelen-zero.pcap',lt,rr)
# timestamps out of order and far apart
rr=[(t + (0 if i%2 else 10**12*(i%5)),wl,d) for i,(t,wl,d) in enumerate(dc)]
write_pcap('24-ts-disorder.pcap',lt,rr)
# linktype unknown
write_pcap('25-unknown-linktype.pcap',147,dc[:3])

# --- pcapng multi-interface: ethernet (usec) + sll (ns, tsresol 9) + raw (tsresol 2^-20) + offset
elt,erecs=read_pcap(SP+'b2bua-lossy.pcap'); eth=thin(erecs,keep_other=20)
slt,srecs=read_pcap(SP+'direct-call-sll.pcap'); sll=thin(srecs,keep_other=6)
for e,name in (('<','26-ng-multi-le.pcapng'),('>','27-ng-multi-be.pcapng')):
    b=shb(e)+idb(e,1)+idb(e,113,0,opt(e,9,b'\x09'))+idb(e,101,0,opt(e,9,b'\x94')+opt(e,14,struct.pack(e+'q',-100)))
    items=[(t,0,wl,d) for t,wl,d in eth]+[(t,1,wl,d) for t,wl,d in sll]
    items.sort(key=lambda x:x[0])
    for t,i,wl,d in items:
        ts = t//1000 if i==0 else t
        b+=epb(e,i,ts,d,wl)
    # a raw IPv4 frame on interface 2: strip SLL header (16) of one SIP packet
    t,wl,d=[r for r in sll if interesting(r[2])][0]
    ts=((t//10**9+100)<<20) | ((t%10**9)*(1<<20)//10**9)
    b+=epb(e,2,ts,d[16:],wl-16)
    save(name,b)
# pcapng odd blocks: SPB, OPB, NRB/ISB unknown, undeclared interface, second section with new byte order
e='<'
sips=[r for r in sll if interesting(r[2])]
t,wl,d=sips[0]
b=shb(e)+idb(e,113,96)+blk(e,3,struct.pack(e+'I',wl)+d)+blk(e,2,struct.pack(e+'HHIIII',0,0,t>>32,t&0xffffffff,len(d),wl)+d)
b+=blk(e,4,b'\0'*8)+blk(e,5,struct.pack(e+'IIII',0,0,0,0))+epb(e,7,1,d)
b+=shb('>')+idb('>',113)+epb('>',0,t//1000,sips[1][2],sips[1][1])
save('28-ng-odd-blocks.pcapng',b)
save('29-ng-trunc-block.pcapng',b[:len(b)-30])
bb=bytearray(b); struct.pack_into('<I',bb,4,0x10000000)
save('30-ng-huge-block.pcapng',bytes(bb))
bb=bytearray(shb(e)); bb[8:12]=b'\x11\x22\x33\x44'
save('31-ng-bad-bom.pcapng',bytes(bb))
bb=shb(e)+idb(e,113)+epb(e,0,5,d)
bb=bytearray(bb); bb[-4]^=0x40
save('32-ng-trailer-mismatch.pcapng',bytes(bb))
# packet caplen > block, tsresol extremes, EPB before any IDB
b=shb(e)+idb(e,113,0,opt(e,9,b'\x7f'))+idb(e,1,0,opt(e,9,b'\xbf')+opt(e,14,struct.pack(e+'q',2**62)))
b+=epb(e,0,2**63,d)+epb(e,1,2**64-1,erecs[0][2])
b+=blk(e,6,struct.pack(e+'IIIII',0,0,0,0xffff,0xffff)+d)
save('crash-pcapng-tsoffset-overflow',b)
save('34-ng-short-shb.pcapng',shb(e)[:10])
# classic pcap seconds at the int32 edges and tv_usec beyond a second
secs = [0x80000000, 0x7fffffff, 0, 0xffffffff, 0x80000001, 0x7ffffffe]
o = bytearray(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, lt))
for i, (t, wl, d) in enumerate(dc):
    o += struct.pack('<IIII', secs[i % len(secs)], 0xffffffff if i % 3 == 0 else (t % 10**9) // 1000,
                     len(d), wl) + d
save('35-pcap-extreme-ts.pcap', bytes(o))

# --- every finding but media (issue #11): refused credentials, a BYE retransmitted
# unanswered, a BYE and a REGISTER stopped at their challenge
save('36-auth-failures.pcap', open(SP+'auth-failures.pcap','rb').read())
