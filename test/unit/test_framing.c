/* Unit tests for adapter/dap_framing.c. */
#include "gd_test.h"

#include "dap_framing.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static dap_framing *mk(size_t max)
{
	dap_framing *fr = NULL;
	gd_err err = GD_ERR_INIT;
	if (dap_framing_new(&fr, max, &err) < 0) {
		fprintf(stderr, "dap_framing_new: %s\n", gd_err_msg(&err));
		exit(1);
	}
	return fr;
}

static void feed_str(dap_framing *fr, const char *s)
{
	CHECK(dap_framing_feed(fr, s, strlen(s)) == 0);
}

/* Next result; on 1, checks the body equals want. */
static int expect_body(dap_framing *fr, const char *want)
{
	char *body = NULL;
	size_t len = 0;
	gd_err err = GD_ERR_INIT;
	int rc = dap_framing_next(fr, &body, &len, &err);
	if (rc == 1) {
		CHECK_STR(body, want);
		CHECK_INT(len, strlen(want));
		CHECK(body[len] == '\0');
	} else {
		CHECK(body == NULL);
	}
	if (rc < 0)
		fprintf(stderr, "  (unexpected error: %s)\n", gd_err_msg(&err));
	gd_err_clear(&err);
	free(body);
	return rc;
}

/* Expects a framing error whose message contains `part`. */
static void expect_error(dap_framing *fr, const char *part)
{
	char *body = NULL;
	size_t len = 0;
	gd_err err = GD_ERR_INIT;
	int rc = dap_framing_next(fr, &body, &len, &err);
	CHECK_INT(rc, -1);
	CHECK(body == NULL);
	CHECK(err.msg != NULL);
	if (err.msg && !strstr(err.msg, part)) {
		fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", err.msg, part);
		CHECK(0);
	}
	free(body);
	gd_err_clear(&err);
}

static void test_one(void)
{
	dap_framing *fr = mk(0);
	feed_str(fr, "Content-Length: 13\r\n\r\n{\"seq\":1,\"a\"}");
	CHECK_INT(expect_body(fr, "{\"seq\":1,\"a\"}"), 1);
	CHECK_INT(expect_body(fr, ""), 0);
	CHECK_INT(dap_framing_buffered(fr), 0);
	dap_framing_free(fr);
}

static void test_two_in_one_feed(void)
{
	dap_framing *fr = mk(0);
	feed_str(fr, "Content-Length: 2\r\n\r\n{}Content-Length: 7\r\n\r\n{\"x\":1}");
	CHECK_INT(expect_body(fr, "{}"), 1);
	CHECK_INT(expect_body(fr, "{\"x\":1}"), 1);
	CHECK_INT(expect_body(fr, ""), 0);
	dap_framing_free(fr);
}

static void test_byte_by_byte(void)
{
	dap_framing *fr = mk(0);
	const char *msg = "Content-Length: 11\r\n\r\n{\"a\":\"b c\"}"
			  "Content-Length: 2\r\n\r\n[]";
	int got = 0;
	for (size_t i = 0; msg[i]; i++) {
		CHECK(dap_framing_feed(fr, &msg[i], 1) == 0);
		for (;;) {
			const char *want = got == 0 ? "{\"a\":\"b c\"}" : "[]";
			int rc = expect_body(fr, want);
			if (rc == 1) {
				got++;
				/* delivered exactly when its last byte came */
				CHECK(msg[i + 1] == '\0' ||
				      strncmp(msg + i + 1, "Content", 7) == 0);
				continue;
			}
			CHECK_INT(rc, 0);
			break;
		}
	}
	CHECK_INT(got, 2);
	dap_framing_free(fr);
}

static void test_extra_fields_and_case(void)
{
	dap_framing *fr = mk(0);
	feed_str(fr, "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n"
		     "Content-Length: 2\r\nX-Other:\r\n\r\n{}");
	CHECK_INT(expect_body(fr, "{}"), 1);
	feed_str(fr, "content-length: 3\r\n\r\n[1]");
	CHECK_INT(expect_body(fr, "[1]"), 1);
	feed_str(fr, "CONTENT-LENGTH:4\r\n\r\n[12]");
	CHECK_INT(expect_body(fr, "[12]"), 1);
	feed_str(fr, "Content-Length: \t 2 \t\r\n\r\n{}");
	CHECK_INT(expect_body(fr, "{}"), 1);
	/* LF-only line ends and a stray CRLF between messages */
	feed_str(fr, "\r\nContent-Length: 2\n\n{}\n");
	CHECK_INT(expect_body(fr, "{}"), 1);
	feed_str(fr, "Content-Length: 0\r\n\r\n");
	CHECK_INT(expect_body(fr, ""), 1);
	CHECK_INT(expect_body(fr, ""), 0);
	dap_framing_free(fr);
}

static void test_malformed_then_good(void)
{
	dap_framing *fr = mk(0);
	feed_str(fr, "this is not a header\r\nContent-Length: 2\r\n\r\n{}");
	expect_error(fr, "malformed DAP header line 'this is not a header'");
	CHECK_INT(expect_body(fr, "{}"), 1);
	CHECK_INT(expect_body(fr, ""), 0);

	/* garbage glued in front of a header on the same line */
	feed_str(fr, "junk{Content-Length: 2\r\n\r\n[]");
	expect_error(fr, "malformed");
	CHECK_INT(expect_body(fr, "[]"), 1);

	/* non-numeric length: the body is skipped, the next one arrives */
	feed_str(fr, "Content-Length: abc\r\n\r\n{\"lost\":1}"
		     "Content-Length: 2\r\n\r\n{}");
	expect_error(fr, "Content-Length 'abc' is not a number");
	CHECK_INT(expect_body(fr, "{}"), 1);
	feed_str(fr, "Content-Length: -5\r\n\r\nContent-Length: 1\r\n\r\n1");
	expect_error(fr, "'-5' is not a number");
	CHECK_INT(expect_body(fr, "1"), 1);
	feed_str(fr, "Content-Length: \r\n\r\nContent-Length: 1\r\n\r\n2");
	expect_error(fr, "is not a number");
	CHECK_INT(expect_body(fr, "2"), 1);

	/* missing Content-Length */
	feed_str(fr, "Content-Type: x\r\n\r\n{\"a\":1}Content-Length: 1\r\n\r\n3");
	expect_error(fr, "no Content-Length");
	CHECK_INT(expect_body(fr, "3"), 1);

	/* two different lengths */
	feed_str(fr, "Content-Length: 1\r\nContent-Length: 2\r\n\r\n{}"
		     "Content-Length: 1\r\n\r\n4");
	expect_error(fr, "two different Content-Length");
	CHECK_INT(expect_body(fr, "4"), 1);
	CHECK_INT(expect_body(fr, ""), 0);
	dap_framing_free(fr);
}

static void test_over_limit(void)
{
	dap_framing *fr = mk(100);
	feed_str(fr, "Content-Length: 101\r\n\r\n");
	expect_error(fr, "over the limit of 100 bytes");
	/* its body arrives in pieces and is dropped */
	for (int i = 0; i < 101; i++) {
		feed_str(fr, "x");
		CHECK_INT(expect_body(fr, ""), 0);
	}
	feed_str(fr, "Content-Length: 100\r\n\r\n");
	char big[101];
	memset(big, 'y', 100);
	big[100] = '\0';
	feed_str(fr, big);
	CHECK_INT(expect_body(fr, big), 1);
	/* a number too big for size_t */
	feed_str(fr, "Content-Length: 99999999999999999999999999\r\n\r\n"
		     "Content-Length: 2\r\n\r\n{}");
	expect_error(fr, "over the limit");
	CHECK_INT(expect_body(fr, "{}"), 1);
	dap_framing_free(fr);

	fr = mk(0); /* default 64 MiB */
	feed_str(fr, "Content-Length: 67108865\r\n\r\n");
	expect_error(fr, "over the limit of 67108864 bytes");
	feed_str(fr, "Content-Length: 67108864\r\n\r\n");
	CHECK_INT(expect_body(fr, ""), 0); /* accepted, waiting for body */
	dap_framing_free(fr);
}

static void test_partial_body(void)
{
	dap_framing *fr = mk(0);
	feed_str(fr, "Content-Len");
	CHECK_INT(expect_body(fr, ""), 0);
	feed_str(fr, "gth: 9\r");
	CHECK_INT(expect_body(fr, ""), 0);
	feed_str(fr, "\n\r\n{\"a\":");
	CHECK_INT(expect_body(fr, ""), 0);
	feed_str(fr, "12");
	CHECK_INT(expect_body(fr, ""), 0);
	CHECK_INT(expect_body(fr, ""), 0);
	feed_str(fr, "3}Content");
	CHECK_INT(expect_body(fr, "{\"a\":123}"), 1);
	CHECK_INT(expect_body(fr, ""), 0);
	CHECK_INT(dap_framing_buffered(fr), 7);
	dap_framing_free(fr);
}

static void test_garbage_bounded(void)
{
	dap_framing *fr = mk(0);
	char chunk[4096];
	for (size_t i = 0; i < sizeof(chunk); i++)
		chunk[i] = (char)('a' + i % 26); /* no line break at all */
	int errors = 0;
	size_t most = 0;
	for (int round = 0; round < 256; round++) { /* 1 MiB */
		CHECK(dap_framing_feed(fr, chunk, sizeof(chunk)) == 0);
		for (;;) {
			char *body = NULL;
			size_t len;
			gd_err err = GD_ERR_INIT;
			int rc = dap_framing_next(fr, &body, &len, &err);
			gd_err_clear(&err);
			free(body);
			if (rc == 0)
				break;
			CHECK_INT(rc, -1);
			errors++;
		}
		if (dap_framing_buffered(fr) > most)
			most = dap_framing_buffered(fr);
	}
	CHECK(errors >= 1);
	CHECK(errors <= 2); /* reported once, not per byte */
	CHECK(most <= DAP_FRAMING_MAX_HEADER + sizeof(chunk));
	CHECK(dap_framing_buffered(fr) < 16);

	/* garbage with line breaks: each line is one error, bounded too */
	for (int i = 0; i < 1000; i++)
		feed_str(fr, "garbage line\r\n");
	int n = 0;
	for (;;) {
		char *body = NULL;
		size_t len;
		gd_err err = GD_ERR_INIT;
		int rc = dap_framing_next(fr, &body, &len, &err);
		gd_err_clear(&err);
		free(body);
		if (rc == 0)
			break;
		n++;
		if (n > 10000)
			break;
	}
	CHECK(n <= 2);
	CHECK(dap_framing_buffered(fr) < 16);

	/* a header name split across feeds while resynchronising */
	feed_str(fr, "zzzzzzzzzzzzzzzzzzzzzzzzzzCont");
	CHECK_INT(expect_body(fr, ""), 0);
	feed_str(fr, "ent-Length: 2\r\n\r\n{}");
	CHECK_INT(expect_body(fr, "{}"), 1);
	CHECK_INT(expect_body(fr, ""), 0);
	dap_framing_free(fr);

	/* a header that never ends */
	fr = mk(0);
	feed_str(fr, "Content-Length: 2\r\n");
	for (int i = 0; i < 1000; i++)
		feed_str(fr, "X-Pad: 0123456789\r\n");
	expect_error(fr, "no end of DAP message header in 8192 bytes");
	int rc;
	while ((rc = expect_body(fr, "")) < 0)
		;
	CHECK_INT(rc, 0);
	CHECK(dap_framing_buffered(fr) < 16);
	feed_str(fr, "\r\n\r\nContent-Length: 2\r\n\r\n{}");
	CHECK_INT(expect_body(fr, "{}"), 1);
	dap_framing_free(fr);
}

static void test_write_pipe(void)
{
	int p[2];
	CHECK(pipe(p) == 0);
	gd_err err = GD_ERR_INIT;
	const char *json = "{\"type\":\"event\",\"event\":\"initialized\"}";
	CHECK(dap_framing_write(p[1], json, strlen(json), &err) == 0);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "k", "v\xc3\xa9");
	CHECK(dap_framing_write_json(p[1], o, &err) == 0);
	cJSON_Delete(o);
	char buf[512];
	ssize_t n = read(p[0], buf, sizeof(buf));
	CHECK(n > 0);
	const char *hdr = "Content-Length: 38\r\n\r\n";
	CHECK(n > (ssize_t)strlen(hdr) && memcmp(buf, hdr, strlen(hdr)) == 0);
	dap_framing *fr = mk(0);
	CHECK(dap_framing_feed(fr, buf, (size_t)n) == 0);
	CHECK_INT(expect_body(fr, json), 1);
	CHECK_INT(expect_body(fr, "{\"k\":\"v\xc3\xa9\"}"), 1);
	CHECK_INT(expect_body(fr, ""), 0);

	/* A body much larger than the pipe: a child writes, we read. */
	size_t big = 3u << 20;
	char *data = malloc(big + 1);
	for (size_t i = 0; i < big; i++)
		data[i] = (char)('0' + i % 10);
	data[0] = '"';
	data[big - 1] = '"';
	data[big] = '\0';
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		gd_err e2 = GD_ERR_INIT;
		int rc = dap_framing_write(p[1], data, big, &e2);
		rc |= dap_framing_write(p[1], "{}", 2, &e2);
		_exit(rc == 0 ? 0 : 1);
	}
	close(p[1]);
	int got = 0;
	for (;;) {
		char rb[65536];
		ssize_t r = read(p[0], rb, sizeof(rb));
		if (r <= 0)
			break;
		CHECK(dap_framing_feed(fr, rb, (size_t)r) == 0);
		char *body;
		size_t len;
		int rc;
		while ((rc = dap_framing_next(fr, &body, &len, &err)) == 1) {
			if (got == 0) {
				CHECK_INT(len, big);
				CHECK(memcmp(body, data, big) == 0);
			} else {
				CHECK_STR(body, "{}");
			}
			got++;
			free(body);
		}
		CHECK_INT(rc, 0);
	}
	CHECK_INT(got, 2);
	int st = 0;
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(p[0]);
	free(data);
	dap_framing_free(fr);

	/* Writing to a pipe nobody reads is an error, not a crash. */
	CHECK(pipe(p) == 0);
	close(p[0]);
	CHECK(dap_framing_write(p[1], "{}", 2, &err) == -1);
	CHECK(err.msg && strstr(err.msg, "cannot write a DAP message"));
	gd_err_clear(&err);
	close(p[1]);
	CHECK(dap_framing_write(-1, "{}", 2, &err) == -1);
	gd_err_clear(&err);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_one();
	test_two_in_one_feed();
	test_byte_by_byte();
	test_extra_fields_and_case();
	test_malformed_then_good();
	test_over_limit();
	test_partial_body();
	test_garbage_bounded();
	test_write_pipe();
	return GD_TEST_SUMMARY();
}
