#!/usr/bin/env python3
"""Keep-alive write client for scripts/bench_serve.sh.

usage: bench_serve_client.py ADDR FILE LINES_PER_REQUEST CAPTURE SENTINEL_TEXT
Splits FILE into requests of LINES_PER_REQUEST lines (before the clock starts),
POSTs them in order over one HTTP/1.1 connection to /kapacitor/v1/write, then
waits until CAPTURE contains SENTINEL_TEXT. Prints write and total seconds.
"""
import http.client, sys, time

addr, path, per, capture, sentinel = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
with open(path, 'rb') as f:
    lines = f.readlines()
bodies = [b''.join(lines[i:i + per]) for i in range(0, len(lines), per)]
host, port = addr.rsplit(':', 1)
conn = http.client.HTTPConnection(host, int(port))
start = time.perf_counter()
for body in bodies:
    while True:
        conn.request('POST', '/kapacitor/v1/write?db=db&rp=rp&precision=ns', body)
        r = conn.getresponse()
        r.read()
        if r.status == 204:
            break
        if r.status in (429, 503):
            time.sleep(float(r.getheader('Retry-After', '1')))
            continue
        sys.exit('write failed: %d' % r.status)
written = time.perf_counter() - start
while True:
    try:
        with open(capture, 'rb') as f:
            if sentinel.encode() in f.read():
                break
    except FileNotFoundError:
        pass
    time.sleep(0.002)
total = time.perf_counter() - start
print('requests %d lines %d write_s %.3f total_s %.3f points_per_s %.0f' % (len(bodies), len(lines), written, total, len(lines) / total))
