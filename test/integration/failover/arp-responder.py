# A third party on the lab's segment for the VIP guard tests: answers ARP requests for ADDRESS on
# INTERFACE from a raw socket, DELAY_MS late, losing the first DROP_FIRST answers to each requester,
# for DURATION seconds (bounded), then prints what it did as one JSON object. Announcements (sender
# address = ADDRESS) are not answered. Run it where the kernel's own ARP replies are off
# (arp_ignore=8), so only this one answers. Stdlib only.
import json, socket, struct, sys, time

itf, address, delay_ms, drop_first, duration = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), min(float(sys.argv[5]), 120.0)
ETH_P_ARP = 0x0806
PACKET_OUTGOING = 4
sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ARP))
sock.bind((itf, 0))
sock.settimeout(0.002)
own = sock.getsockname()[4]
target = socket.inet_aton(address)
seen, pending = {}, []
late = []
requests = answered = dropped = 0
requesters = set()
end = time.time() + duration
while time.time() < end:
    now = time.time()
    for item in [p for p in pending if p[0] <= now]:
        sock.send(item[1])
        answered += 1
        late.append(round((time.time() - item[2]) * 1000))
    pending = [p for p in pending if p[0] > now]
    try:
        frame, meta = sock.recvfrom(2048)
    except socket.timeout:
        continue
    heard = time.time()
    if meta[2] == PACKET_OUTGOING or len(frame) < 42:
        continue
    op = struct.unpack('!H', frame[20:22])[0]
    sha, spa, tpa = frame[22:28], frame[28:32], frame[38:42]
    if op != 1 or tpa != target or sha == own or spa == target:
        continue
    requests += 1
    requesters.add(sha.hex(':'))
    count = seen.get(sha, 0)
    seen[sha] = count + 1
    if count < drop_first:
        dropped += 1
        continue
    arp = struct.pack('!HHBBH', 1, 0x0800, 6, 4, 2) + own + target + sha + spa
    reply = sha + own + struct.pack('!H', ETH_P_ARP) + arp
    pending.append((heard + delay_ms / 1000.0, reply.ljust(60, b'\0'), heard))
print(json.dumps({'mac': own.hex(':'), 'requests': requests, 'answered': answered, 'dropped': dropped, 'requesters': sorted(requesters), 'minDelayMs': min(late) if late else None}))
