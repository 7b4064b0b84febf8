# Runs in the lab's client namespace: an HTTP GET to URL every INTERVAL seconds (each in its own
# thread, 1 s timeout) for DURATION seconds; prints one JSON list of [sent_at, answered_by, done_at]
# (answered_by is "" when there was no answer; done_at is when the answer, or the failure, came).
# Stdlib only.
import json, sys, threading, time, urllib.request

url, interval, duration = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
results, lock = [], threading.Lock()

def probe(sent):
    host = ''
    try:
        with urllib.request.urlopen(url, timeout=1.0) as answer:
            host = answer.read(64).decode('ascii', 'replace').strip()
    except Exception:
        pass
    with lock:
        results.append([sent, host, time.time()])

threads, end = [], time.time() + duration
while time.time() < end:
    sent = time.time()
    t = threading.Thread(target=probe, args=(sent,), daemon=True)
    t.start()
    threads.append(t)
    time.sleep(max(0.0, interval - (time.time() - sent)))
for t in threads:
    t.join(2.0)
print(json.dumps(sorted(results)))
