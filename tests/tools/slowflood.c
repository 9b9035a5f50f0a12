/*
 * slowflood.c - hold many slow connections to a server, as an attacker
 * would: each sends part of a request head, then one header line every
 * few seconds, and never finishes. The connections come from several
 * loopback addresses (bind() to 127.0.0.X before connect()), so a
 * per-address cap alone does not stop them, and those the server closes
 * are opened again. One epoll loop drives them all.
 *
 * usage: slowflood [-n CONNS] [-a ADDRS] [-f FIRST] [-i SECONDS]
 *                  [-t SECONDS] [-r SECONDS] PORT
 *
 * Every -r seconds, and once at the end (with "done"), it prints one line
 * of space-separated key=value fields, in this order:
 *
 *   slowflood: t=4.0 held=4100 connecting=12 opened=5230 closed=1118
 *   failed=0 oldest=3.1 longest=3.2
 *
 * t: seconds since the start; held: connections open now; connecting:
 * being opened; opened: connections made so far; closed: closed by the
 * server; failed: attempts that did not connect; oldest: the age of the
 * oldest connection held now; longest: the longest life of one the server
 * closed. Exit status 0, or 2 on a usage error or too low an open-file
 * limit.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

/* New connections started per pass of the loop (20 passes a second): a
 * flood, but not one the kernel's accept queue drops on the floor. */
#define CONNECTS_PER_PASS 400
/* A failed attempt waits this long before the next. */
#define RETRY_SECONDS 0.1

static const char usage[] =
	"usage: slowflood [-n CONNS] [-a ADDRS] [-f FIRST] [-i SECONDS] "
	"[-t SECONDS] [-r SECONDS] PORT\n"
	"Hold CONNS slow connections (default 1000) to 127.0.0.1:PORT from "
	"ADDRS\n"
	"loopback addresses 127.0.0.FIRST and on (default 17 from 2), each "
	"sending\n"
	"one header line every -i seconds (default 3) and never ending its "
	"head;\n"
	"reopen those the server closes; stop after -t seconds (default 30). "
	"Every\n"
	"-r seconds (default 1) and at the end, print one line:\n"
	"slowflood: t=S held=N connecting=N opened=N closed=N failed=N "
	"oldest=S longest=S\n";

enum slot_state { SLOT_IDLE, SLOT_CONNECTING, SLOT_HELD };

struct slot {
	int fd;
	enum slot_state state;
	double since;	/* connected at */
	double next;	/* next header line, or next attempt */
	unsigned lines; /* header lines sent */
	struct in_addr from;
};

struct counts {
	size_t held, connecting;
	unsigned long opened, closed, failed;
	double longest;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void report(const char *tag, double t, const struct counts *c,
		   const struct slot *v, size_t n, double now)
{
	double oldest = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].state == SLOT_HELD && now - v[i].since > oldest)
			oldest = now - v[i].since;
	printf("slowflood:%s t=%.1f held=%zu connecting=%zu opened=%lu "
	       "closed=%lu failed=%lu oldest=%.1f longest=%.1f\n",
	       tag, t, c->held, c->connecting, c->opened, c->closed, c->failed,
	       oldest, c->longest);
	fflush(stdout);
}

static void slot_close(int ep, struct slot *s, struct counts *c, double now,
		       bool by_server)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, s->fd, NULL);
	close(s->fd);
	s->fd = -1;
	if (s->state == SLOT_HELD) {
		c->held--;
		if (by_server) {
			c->closed++;
			if (now - s->since > c->longest)
				c->longest = now - s->since;
		}
		s->next = now;
	} else {
		c->connecting--;
		c->failed++;
		s->next = now + RETRY_SECONDS;
	}
	s->state = SLOT_IDLE;
}

static void slot_open(int ep, struct slot *s, unsigned port, struct counts *c,
		      double now)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		c->failed++;
		s->next = now + RETRY_SECONDS;
		return;
	}
	int on = 1;
	setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on, sizeof(on));
	struct sockaddr_in from = { .sin_family = AF_INET,
				    .sin_addr = s->from };
	struct sockaddr_in to = { .sin_family = AF_INET,
				  .sin_port = htons((uint16_t)port) };
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&from, sizeof(from)) ||
	    (connect(fd, (struct sockaddr *)&to, sizeof(to)) &&
	     errno != EINPROGRESS)) {
		close(fd);
		c->failed++;
		s->next = now + RETRY_SECONDS;
		return;
	}
	struct epoll_event ev = { .events = EPOLLOUT | EPOLLIN | EPOLLRDHUP,
				  .data.ptr = s };
	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev)) {
		close(fd);
		c->failed++;
		s->next = now + RETRY_SECONDS;
		return;
	}
	s->fd = fd;
	s->state = SLOT_CONNECTING;
	c->connecting++;
}

static bool send_all(int fd, const char *text)
{
	size_t len = strlen(text);
	return write(fd, text, len) == (ssize_t)len;
}

/* The connection is up: the start of a request head, never finished. */
static void slot_connected(int ep, struct slot *s, struct counts *c, double now,
			   double every)
{
	int err = 0;
	socklen_t len = sizeof(err);
	getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len);
	if (err || !send_all(s->fd, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")) {
		slot_close(ep, s, c, now, false);
		return;
	}
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP,
				  .data.ptr = s };
	epoll_ctl(ep, EPOLL_CTL_MOD, s->fd, &ev);
	s->state = SLOT_HELD;
	s->since = now;
	s->next = now + every;
	s->lines = 0;
	c->connecting--;
	c->held++;
	c->opened++;
}

static bool parse_num(const char *s, double min, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || v < min)
		return false;
	*out = v;
	return true;
}

int main(int argc, char **argv)
{
	double conns = 1000, addrs = 17, first = 2, every = 3, seconds = 30,
	       every_report = 1, port = 0;
	int opt;
	while ((opt = getopt(argc, argv, "n:a:f:i:t:r:h")) != -1) {
		if (opt == 'h') {
			fputs(usage, stdout);
			return 0;
		}
		double *dst = opt == 'n'   ? &conns
			      : opt == 'a' ? &addrs
			      : opt == 'f' ? &first
			      : opt == 'i' ? &every
			      : opt == 't' ? &seconds
			      : opt == 'r' ? &every_report
					   : NULL;
		double min = opt == 'n' || opt == 'a' || opt == 'f' ? 1 : 0.01;
		if (!dst || !parse_num(optarg, min, dst)) {
			fputs(usage, stderr);
			return 2;
		}
	}
	if (optind != argc - 1 || !parse_num(argv[optind], 1, &port) ||
	    port > 65535 || first + addrs - 1 > 254) {
		fputs(usage, stderr);
		return 2;
	}
	size_t n = (size_t)conns;
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < n + 32) {
		fprintf(stderr,
			"slowflood: the open-file limit is %llu, too low for "
			"%zu connections\n",
			(unsigned long long)rl.rlim_cur, n);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);

	struct slot *v = calloc(n, sizeof(*v));
	int ep = epoll_create1(EPOLL_CLOEXEC);
	if (!v || ep < 0) {
		perror("slowflood");
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		v[i].fd = -1;
		v[i].from.s_addr = htonl(0x7f000000u |
					 (uint32_t)(first + i % (size_t)addrs));
	}
	struct counts c = { 0 };
	double start = now_s(), next_report = start + every_report;
	struct epoll_event evs[256];
	while (!stop) {
		double now = now_s();
		if (now - start >= seconds)
			break;
		int k = epoll_wait(ep, evs, 256, 50);
		now = now_s();
		for (int i = 0; i < k; i++) {
			struct slot *s = evs[i].data.ptr;
			if (s->state == SLOT_CONNECTING &&
			    (evs[i].events & EPOLLOUT) &&
			    !(evs[i].events & (EPOLLERR | EPOLLHUP))) {
				slot_connected(ep, s, &c, now, every);
				continue;
			}
			if (s->state == SLOT_CONNECTING) {
				slot_close(ep, s, &c, now, false);
				continue;
			}
			/* Anything from the server (an error page, the
			 * end): read it, and reopen once it has closed. */
			char sink[4096];
			ssize_t r = read(s->fd, sink, sizeof(sink));
			if (r <= 0 && !(r < 0 && errno == EAGAIN))
				slot_close(ep, s, &c, now, true);
		}
		int started = 0;
		for (size_t i = 0; i < n; i++) {
			struct slot *s = &v[i];
			if (s->state == SLOT_IDLE && s->next <= now &&
			    started < CONNECTS_PER_PASS) {
				slot_open(ep, s, (unsigned)port, &c, now);
				started++;
			} else if (s->state == SLOT_HELD && s->next <= now) {
				char line[64];
				snprintf(line, sizeof(line),
					 "X-Slow-%u: %u\r\n", s->lines,
					 s->lines);
				s->lines++;
				s->next = now + every;
				if (!send_all(s->fd, line))
					slot_close(ep, s, &c, now, true);
			}
		}
		if (now >= next_report) {
			report("", now - start, &c, v, n, now);
			next_report += every_report;
		}
	}
	double end = now_s();
	report(" done", end - start, &c, v, n, end);
	for (size_t i = 0; i < n; i++)
		if (v[i].fd >= 0)
			close(v[i].fd);
	close(ep);
	free(v);
	return 0;
}
