#!/usr/bin/env python3
"""A local web site for the monitor's tests (tests/cli/monitor.sh).

monitor_server.py DIR: serves on 127.0.0.1 at a free port, written to
DIR/port once listening. DIR/phase (1 or 2, default 1) says which version
of the site to serve, so a test changes the site between two runs; every
request is appended to DIR/requests.log as "SECONDS PATH USER-AGENT
IF-NONE-MATCH". Pages whose chrome (scripts, navigation) differs on every
request but whose text does not show that only the text is compared.
"""
import http.server
import os
import socketserver
import sys
import time

DIR = sys.argv[1]
HUGE = b"<html><body><p>" + b"word " * 300000 + b"</p></body></html>"


def phase():
    try:
        with open(os.path.join(DIR, "phase")) as f:
            return int(f.read().strip() or "1")
    except OSError:
        return 1


def page(body):
    """An HTML page: @body inside chrome that changes on every request."""
    noise = str(time.monotonic_ns())
    return ("<!DOCTYPE html><html><head><title>Acme %s</title>"
            "<style>p{color:red}</style></head><body>"
            "<header>Acme header %s</header><nav><a href='/'>Home %s</a></nav>"
            "<script>var served = %s;</script><main>%s</main>"
            "<footer>Footer %s</footer></body></html>"
            % (noise, noise, noise, noise, body, noise)).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body=b"", ctype="text/html; charset=utf-8",
             headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self):
        with open(os.path.join(DIR, "requests.log"), "a") as log:
            log.write("%.3f %s %s|%s\n" % (
                time.monotonic(), self.path,
                self.headers.get("User-Agent", ""),
                self.headers.get("If-None-Match", "")))
        p, ph = self.path, phase()
        if p == "/robots.txt":
            self.send(200, b"# The monitor's tests\nUser-agent: *\n"
                      b"Disallow: /private\n\nUser-agent: SomeOtherBot\n"
                      b"Disallow: /\n", "text/plain")
        elif p == "/terms":
            words = ("<h1>Cancelling</h1><p>You can cancel online at any "
                     "time from your account page.</p>") if ph == 1 else (
                     "<h1>Cancelling</h1><p>To cancel, call us during "
                     "office hours.</p>")
            self.send(200, page(words))
        elif p == "/refund":
            self.send(200, page("<p>Refunds within 14 days.</p>"))
        elif p == "/gone":
            if ph == 1:
                self.send(200, page("<p>Delete your account here.</p>"))
            else:
                self.send(404, page("<p>Not found</p>"))
        elif p == "/old":
            if ph == 1:
                self.send(200, page("<p>Pause your plan.</p>"))
            else:
                self.send(301, b"", headers=[("Location", "/new")])
        elif p == "/new":
            self.send(200, page("<p>Pause your plan.</p>"))
        elif p == "/etag":
            tag = '"v1"'
            if self.headers.get("If-None-Match") == tag:
                self.send(304, b"", headers=[("ETag", tag)])
            else:
                self.send(200, page("<p>Fees: none.</p>"),
                          headers=[("ETag", tag)])
        elif p == "/slow":
            if ph == 2:
                time.sleep(3)
            self.send(200, page("<p>Slow but steady.</p>"))
        elif p == "/huge":
            self.send(200, HUGE)
        elif p == "/doc.pdf":
            self.send(200, b"%PDF-1.4 fake " + str(ph).encode(),
                      "application/pdf")
        elif p.startswith("/private"):
            self.send(200, page("<p>Secret.</p>"))
        else:
            self.send(404, page("<p>Not found</p>"))


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


srv = Server(("127.0.0.1", 0), Handler)
with open(os.path.join(DIR, "port.tmp"), "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(os.path.join(DIR, "port.tmp"), os.path.join(DIR, "port"))
srv.serve_forever()
