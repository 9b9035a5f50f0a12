/*
 * test_htmltext.c - the readable text of HTML: page furniture and scripts
 * left out, blocks on lines of their own, white space and entities
 * normalised, broken markup recovered, charsets honoured, and deep
 * nesting walked without recursion.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "htmltext.h"

static char *text_of(const char *html, const char *charset)
{
	struct buf out = BUF_INIT;
	assert_int_equal(htmltext_extract(html, strlen(html), charset, &out),
			 0);
	return out.len ? buf_detach(&out, NULL) : xstrdup("");
}

#define ASSERT_TEXT(html, charset, want)                                       \
	do {                                                                   \
		char *got_ = text_of(html, charset);                           \
		assert_string_equal(got_, want);                               \
		free(got_);                                                    \
	} while (0)

static void furniture_and_code_are_left_out(void **state)
{
	(void)state;
	ASSERT_TEXT("<!DOCTYPE html><html><head><title>T</title>"
		    "<style>p{}</style><script>var x='<p>no</p>';</script>"
		    "</head><body><header>Logo</header><nav>Menu</nav>"
		    "<main><h1>Cancel</h1><p>Online, any time.</p>"
		    "<noscript>Enable JS</noscript><template>t</template>"
		    "<svg><text>icon</text></svg><form><label>Email</label>"
		    "</form></main><aside>Ads</aside><footer>(c)</footer>"
		    "<!-- a comment --></body></html>",
		    NULL, "Cancel\nOnline, any time.");
}

static void blocks_separate_words_and_inline_does_not(void **state)
{
	(void)state;
	ASSERT_TEXT("<p>one</p><p>two</p><div>three<br>four</div>"
		    "<ul><li>a</li><li>b</li></ul><p>in<b>line</b> "
		    "<a href=x>link</a></p><table><tr><td>c1</td><td>c2</td>"
		    "</tr></table>",
		    NULL, "one\ntwo\nthree\nfour\na\nb\ninline link\nc1\nc2");
}

static void white_space_and_entities_are_normalised(void **state)
{
	(void)state;
	ASSERT_TEXT("<p>  Refunds \n\t within&nbsp;14&#160;days &amp; "
		    "more&hellip;  </p>",
		    NULL, "Refunds within 14 days & more\xe2\x80\xa6");
	/* The same words in other markup give the same text. */
	char *a = text_of("<p>Call us\n   to cancel.</p>", NULL);
	char *b = text_of("<div><p>Call   us to <em>cancel.</em></p></div>",
			  NULL);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

static void broken_markup_is_recovered(void **state)
{
	(void)state;
	ASSERT_TEXT("<p>unclosed <b>bold<p>next <div>x</span></i>", NULL,
		    "unclosed bold\nnext\nx");
	ASSERT_TEXT("plain words, no tags", NULL, "plain words, no tags");
	ASSERT_TEXT("", NULL, "");
}

static void charsets_are_honoured(void **state)
{
	(void)state;
	/* "café" in Latin-1, said by the server, then by the page. */
	ASSERT_TEXT("<p>caf\xe9</p>", "ISO-8859-1", "caf\xc3\xa9");
	ASSERT_TEXT("<html><head><meta charset=\"iso-8859-1\"></head>"
		    "<body><p>caf\xe9</p></body></html>",
		    NULL, "caf\xc3\xa9");
	ASSERT_TEXT("<html><head><meta charset=\"utf-8\"></head>"
		    "<body><p>caf\xc3\xa9</p></body></html>",
		    NULL, "caf\xc3\xa9");
}

static void deep_nesting_is_walked(void **state)
{
	(void)state;
	struct buf html = BUF_INIT;
	for (int i = 0; i < 100000; i++)
		buf_puts(&html, "<span>");
	buf_puts(&html, "deep");
	struct buf out = BUF_INIT;
	assert_int_equal(htmltext_extract(html.data, html.len, NULL, &out), 0);
	buf_free(&html);
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(furniture_and_code_are_left_out),
		cmocka_unit_test(blocks_separate_words_and_inline_does_not),
		cmocka_unit_test(white_space_and_entities_are_normalised),
		cmocka_unit_test(broken_markup_is_recovered),
		cmocka_unit_test(charsets_are_honoured),
		cmocka_unit_test(deep_nesting_is_walked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
